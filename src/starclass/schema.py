"""Column names of the candidate table: one name for one thing, everywhere.

=============  =================================================================
column         meaning
=============  =================================================================
id             integer identifier, unique within a catalogue
x, y           0-based pixel position (x = column, y = row)
ra, dec        degrees (ICRS)
mag_<band>     Vega magnitude in ``<band>`` (lower-case filter name), ``magerr_<band>``
ci             concentration index m(1 px) - m(3 px) in the V band
mci_<r>        multiple concentration index for aperture radius r px (r = 1..5)
bkg            local background, median of a 7-8 px annulus (image units)
fwhm           FWHM from a radial-profile fit (px)
crowding       number of other candidates within the crowding radius
redundant      True if within 5 px of a brighter candidate (subclass 4.9)
class_ref      reference class (truth, human mode, or another model), 1-4; 0 = none
class_pred     predicted class, 1-4
prob_<k>       predicted probability of class k (k = 1..K)
quality        fraction of ensemble members agreeing with the mode
subclass       class-4 subclass as text "4.1" ... "4.12" ("" otherwise); text because
               4.1 and 4.10 are the same number
galaxy         galaxy (or field) name
prob_std       standard deviation over ensemble members of the chosen class's probability
class_mean     class of the mean probability; ``class_median``: of the median probability
class_std      spread of the members' classes
class_m<i>     class voted by ensemble member i
apcorr_radius  radius (px) where the growth-curve total magnitude was taken
saturated      True for a flat-topped (saturated) core: PHANGS subclass 4.4
=============  =================================================================

Simulated truth catalogues add ``age`` (yr), ``mass`` (Msun), ``ebv`` (mag), ``radius_pc``
and ``mag_true_<band>``. Human-label tables add ``class_h<k>`` per person.
"""

from __future__ import annotations

CLASSES: tuple[int, ...] = (1, 2, 3, 4)

CLASS_NAMES: dict[int, str] = {
    1: "symmetric compact cluster",
    2: "asymmetric compact cluster",
    3: "compact association",
    4: "artefact / non-cluster",
}

#: PHANGS class-4 subclasses (Whitmore et al., section 3), keyed by their text label.
SUBCLASS_NAMES: dict[str, str] = {
    "4.1": "single star",
    "4.2": "pair of stars",
    "4.3": "triplet of stars",
    "4.4": "saturated star",
    "4.5": "diffraction spike",
    "4.6": "galaxy nucleus",
    "4.7": "background galaxy",
    "4.8": "fluff",
    "4.9": "redundant",
    "4.10": "too faint",
    "4.11": "edge",
    "4.12": "bad pixel",
}


def subclass_label(value) -> str:
    """Text label of a subclass given as text or as a number with its decimals as written.

    Numbers are read with two decimals except 4.1, so a float column can only carry
    4.1-4.9, 4.11 and 4.12 unambiguously; prefer text (``"4.10"``). Empty/NaN/None give "".
    """
    if value is None:
        return ""
    if isinstance(value, str):
        v = value.strip()
        if v and v not in SUBCLASS_NAMES:
            raise ValueError(f"unknown subclass {value!r}; known: {', '.join(SUBCLASS_NAMES)}")
        return v
    f = float(value)
    if f != f:  # NaN
        return ""
    for key in SUBCLASS_NAMES:
        if abs(float(key) - f) < 1e-6 and key != "4.10":
            return key
    raise ValueError(f"subclass {value!r} is not one of {', '.join(SUBCLASS_NAMES)}")


#: DS9 colours by class, as the PHANGS classifiers use them.
CLASS_COLOURS: dict[int, str] = {1: "red", 2: "green", 3: "blue", 4: "yellow"}

REQUIRED = ("id", "x", "y")
MCI_RADII: tuple[int, ...] = (1, 2, 3, 4, 5)


def mag_col(band: str) -> str:
    return f"mag_{band.lower()}"


def magerr_col(band: str) -> str:
    return f"magerr_{band.lower()}"


def prob_col(k: int) -> str:
    return f"prob_{k}"


def mci_col(r: int) -> str:
    return f"mci_{r}"


def bands_in(table) -> list[str]:
    """Bands that have a ``mag_<band>`` column, in table order."""
    return [c[4:] for c in table.colnames if c.startswith("mag_") and not c.startswith("mag_true_")]


def subclass_number(values):
    """Subclasses as floats (NaN = none) for numeric work inside the simulator.

    Accepts a text or float column. ``"4.10"`` has no float of its own (it equals 4.1), so
    it raises: code that can meet it must work with the text labels.
    """
    import numpy as np

    masked = np.ma.asarray(values)
    if masked.dtype.kind in "fiu":
        return np.ma.filled(masked.astype(float), np.nan)
    # masked text cells (how ECSV reads empty strings back) mean "no subclass"
    arr = np.ma.filled(masked.astype(str), "")
    out = np.full(arr.shape, np.nan)
    for i, v in enumerate(arr.ravel()):
        label = subclass_label(str(v))
        if label == "4.10":
            raise ValueError("subclass 4.10 cannot be represented as a number (it equals 4.1)")
        if label:
            out.flat[i] = float(label)
    return out
