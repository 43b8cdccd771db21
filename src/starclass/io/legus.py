"""LEGUS ``.tab`` cluster catalogues: layouts, filters and sentinels of every field.

The public LEGUS catalogues are whitespace-separated numbers without a header. Columns 1-33
are the same in every file (id, x, y, ra, dec, five magnitudes with errors, CI, SED fit,
number of filters); what follows differs (``docs/io.md``). :func:`detect_layout` tells the
layouts apart from the values themselves, so a file that is not in our survey is read the
same way:

``standard``
    34-36 columns: col 34 the mode of the human classes (0 = not inspected) -> ``class_ref``;
    col 35, where it is a mean of human classes, -> ``class_human_mean`` (else kept as
    ``legus_col35``, e.g. NGC 3274's 0/1); col 36 a 0/1 flag (``legus_col36``).
``hybrid``
    39 columns, col 35 a method flag (0, 1, 3, 4, 6): NGC 1566. col 34 the final hybrid class
    (``class_ref`` and ``class_hybrid``), 35 ``class_method``, 36 ``class_human_mode`` (three
    humans), 37 ``class_ml``, 38 ``class_ml_checked`` (one human checking the ML class), 39
    ``class_reclassified`` (former class 4 looked at again). These are *not* individual people.
``expert``
    col 34 holds 5 (= not inspected): one expert's class (NGC 4449: 1-3 clusters, 0 or 4
    spurious, 5 not inspected; ``../shared/data/legus/README.md``). 0 becomes 4 (spurious) and 5
    becomes 0; the extra columns are kept as ``legus_colNN`` and flagged as uncertain.
``standard+extra``
    37-38 columns with a 0-4 class in col 34 but further columns of unknown meaning
    (NGC 5474, ESO 486-G021): col 34 is read as the class, with a warning.
``unknown-class``
    col 34 only 0/1 with extra columns (NGC 3351, NGC 4242, NGC 45): the class column cannot
    be known from the file. No ``class_ref`` is made; a warning says so and the user names it
    (``column_map={"35": "class_ref"}``, ``--map class_ref=35``).

Magnitudes 99.999 (not detected), 66.666 (outside the filter's footprint) and 44.444 (aperture
correction undefined) become NaN, and so does a CI made from the 99.999 marker (about 70,
:data:`CI_MISSING`). The five filters differ per field: :func:`legus_bands`.
"""

from __future__ import annotations

import csv
import re
import warnings
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from astropy.table import Table
from numpy.typing import ArrayLike

from starclass.bands import ACS_WFC, BANDS, CAMERA_AB_MINUS_VEGA, WFC3_UVIS, ab_minus_vega, band_camera
from starclass.errors import ColumnMapError, StarclassError, shell_word
from starclass.io.compressed_text import inner_name, open_table_file
from starclass.schema import (
    CI,
    CLASS_HUMAN_MEAN,
    CLASS_HUMAN_MODE,
    CLASS_HYBRID,
    CLASS_METHOD,
    CLASS_ML,
    CLASS_ML_CHECKED,
    CLASS_RECLASSIFIED,
    CLASS_REF,
    CLASSES,
    DEC,
    ID,
    MASS_KIND,
    RA,
    SED_CHI2_REDUCED,
    SED_Q,
    X,
    Y,
    check_distinct_bands,
    class_array,
    mag_col,
    magerr_col,
    sed_chi2_col,
    set_units,
)

#: Sentinel magnitudes of the LEGUS pipeline: not detected, outside the footprint, undefined
#: aperture correction. Anything >= 90 is also treated as missing.
SENTINELS: tuple[float, ...] = (99.999, 66.666, 44.444)
MAG_MISSING = 90.0

#: A CI (m(1 px) - m(3 px), a difference of two magnitudes) above this is a failed 1 px
#: measurement: the 99.999 marker minus a real 3 px magnitude. In the 35 shared files no CI lies
#: between 6.6 and 67.7; the 26 rows above are 99.999 - m(3 px) with m(3 px) of 12-32 mag, in
#: ten files (counted on the raw column 16). A real CI is a few magnitudes at most.
CI_MISSING = 50.0

#: Column 33 (number of filters) holds 200 where a source has no SED fit (most v2 files; NGC 3351,
#: 4242, 45, 4395-S and 5474 of v1). The fit's columns then hold 200 as well: age 2e8 yr, mass 200
#: Msun, E(B-V) 200 and columns 26-32 (chi2, Q) 200, beside bounds that contradict them (age_max 1e8).
#: In the 35 shared files the four always go together: 7710 rows, 57 of them inspected (33 in
#: UGC 4305, 11 in NGC 4395-S, 8 in UGC 7408), detected in 2-5 filters. It marks "not fitted", as the
#: v1 files' zeros do (age 0; their readme: "the remaining sources have Nflt=0").
SED_NO_FIT = 200

#: Columns every LEGUS file has (1-33, plus the class in 34) and the most a file may have: the
#: known layouts stop at 39; wider files (catalogues not in our survey) are read with their
#: extra columns flagged as uncertain rather than refused.
LEGUS_MIN_COLS = 34
LEGUS_MAX_COLS = 60

#: Filters and cameras of the fields whose B and V a source we have states (the V band is F555W or
#: F606W, the B band F435W (ACS) or F438W (WFC3); the .tab files do not say which), the one place
#: starclass keeps them: field -> (B, V, camera of B and of V, source). The cameras put the SSP model
#: on those filters' Vega system (``meta['cameras']``: mass limits, completeness curves, tracks); an
#: ``acs-wfc3`` field not listed has its V camera *assumed* (:func:`v_camera`). In LEGUS a V of F606W
#: and a B of F435W are ACS/WFC's, a B of F438W is WFC3/UVIS's (Perez et al. 2021, section 2: "B
#: (either WFC3-F438W or ACS-F435W filter), V (either WFC3-F555W, ACS-F555W or ACS-F606W filter)").
KNOWN_FILTERS: dict[str, tuple[str, str, str, str, str]] = {
    # field: (B, V, B camera, V camera, source)
    "ngc628-c": ("f435w", "f555w", ACS_WFC, ACS_WFC, "the LEGUS readme of the file (ACS/F435W, ACS/F555W)"),
    "ngc1566": ("f438w", "f555w", WFC3_UVIS, WFC3_UVIS, "LEGUS readme text (WFC3 only)"),
    "ngc4449": ("f435w", "f555w", ACS_WFC, ACS_WFC, "LEGUS HLSP image names (acs f435w, f555w)"),
    "ngc5474": ("f438w", "f606w", WFC3_UVIS, ACS_WFC, "LEGUS HLSP image names (uvis f438w, acs f606w)"),
}

#: The 35 public LEGUS fields: field -> (RA, Dec of the centre in degrees, cameras of the file name).
#: The centres are the medians of each public catalogue's source positions (columns 4, 5 of the
#: ``.tab`` files in ``../shared/data/legus``); every field's sources lie within 0.06 deg of it,
#: and the closest two centres of different fields (NGC 628-C and -E) are 0.032 deg apart. A
#: renamed file (``ngc628c.tab``) says neither its field nor its cameras in its name, but its
#: positions still say where it is: :func:`field_from_sky`.
LEGUS_FIELDS: dict[str, tuple[float, float, str]] = {
    "eso486-g021": (75.83536, -25.42381, "wfc3"), "ic4247": (201.68520, -30.36260, "acs-wfc3"),
    "ic559": (146.18373, 9.61514, "wfc3"), "ngc1433": (55.50801, -47.22311, "wfc3"),
    "ngc1566": (65.00282, -54.93752, "wfc3"), "ngc1705": (73.55711, -53.36158, "wfc3"),
    "ngc3274": (158.07126, 27.66843, "acs-wfc3"), "ngc3351": (160.98747, 11.69456, "acs-wfc3"),
    "ngc3738": (173.95159, 54.52427, "acs-wfc3"), "ngc4242": (184.37765, 45.61926, "wfc3"),
    "ngc4248": (184.45836, 47.40954, "acs-wfc3"), "ngc4395-n": (186.44714, 33.56069, "wfc3"),
    "ngc4395-s": (186.49084, 33.52326, "acs-wfc3"), "ngc4449": (187.04938, 44.09635, "acs-wfc3"),
    "ngc4485": (187.63205, 41.69459, "acs-wfc3"), "ngc45": (3.51046, -23.17334, "wfc3"),
    "ngc4656": (190.99545, 32.17475, "wfc3"), "ngc5238": (203.67896, 51.61250, "acs-wfc3"),
    "ngc5253": (204.98199, -31.64250, "acs-wfc3"), "ngc5474": (211.25517, 53.65703, "acs-wfc3"),
    "ngc5477": (211.38443, 54.46086, "acs-wfc3"), "ngc628-c": (24.17017, 15.78174, "acs-wfc3"),
    "ngc628-e": (24.20131, 15.76928, "acs-wfc3"), "ngc6503": (267.35974, 70.14396, "wfc3"),
    "ngc7793-w": (359.43631, -32.59123, "acs-wfc3"), "ugc1249": (26.87103, 27.33205, "acs-wfc3"),
    "ugc4305": (124.77863, 70.71649, "acs-wfc3"), "ugc4459": (128.53111, 66.17713, "acs-wfc3"),
    "ugc5139": (145.12392, 71.18417, "acs-wfc3"), "ugc5340": (149.19019, 28.82618, "acs-wfc3"),
    "ugc685": (16.84447, 16.68417, "acs-wfc3"), "ugc695": (16.94384, 1.06391, "acs-wfc3"),
    "ugc7242": (183.53566, 66.09444, "wfc3"), "ugc7408": (185.31081, 45.81225, "acs-wfc3"),
    "ugca281": (186.56981, 48.49407, "acs-wfc3"),
}

#: How far (deg) the median position of a file's sources may lie from a field's centre for the file
#: to be that field's: a tenth of a field's width, half the distance of NGC 628-C's centre to -E's.
SKY_MATCH_DEG = 0.012

#: Each field's pixel grid on the sky: (a0, ax, ay, b0, bx, by), so that a source at pixel x, y (the
#: file's columns 2, 3, 1-based) lies ``a0 + ax x + ay y`` arcsec east and ``b0 + bx x + by y`` arcsec
#: north of the field's centre in :data:`LEGUS_FIELDS` (astropy's ``SkyOffsetFrame`` about it).
#: Least-squares fits to every source of each public catalogue (``../shared/data/legus``): the
#: furthest source lies 0.063" from its fit (rms 0.011-0.030"), and every source lies at least 177"
#: from any other field's grid, NGC 628-C's and -E's, whose footprints overlap, included. So a
#: single row says its field, wherever in the footprint it lies: the median position
#: (:data:`SKY_MATCH_DEG`) misses a renamed copy trimmed to a field's outer rows.
LEGUS_GRIDS: dict[str, tuple[float, float, float, float, float, float]] = {
    "eso486-g021": (141.4519, -0.039620581, 0.000001191, -142.7761, 0.000002739, 0.039620634),
    "ic4247": (158.1689, -0.039620036, 0.000000288, -158.4863, 0.000001307, 0.039620159),
    "ic559": (167.7397, -0.039617971, -0.000005122, -172.6504, -0.000001701, 0.039620094),
    "ngc1433": (136.7249, -0.039619949, 0.000002932, -115.5965, 0.000002924, 0.039620389),
    "ngc1566": (120.3006, -0.039619728, -0.000000740, -124.1872, -0.000000881, 0.039619856),
    "ngc1705": (154.1329, -0.039619881, 0.000008776, -148.1281, 0.000009043, 0.039620558),
    "ngc3274": (155.3252, -0.039619949, 0.000001359, -138.7837, -0.000000847, 0.039621439),
    "ngc3351": (108.1018, -0.039620145, 0.000001014, -156.1706, 0.000001417, 0.039620205),
    "ngc3738": (153.2671, -0.039619281, 0.000001959, -156.9384, 0.000001807, 0.039619867),
    "ngc4242": (144.3873, -0.039620466, -0.000003267, -122.5898, -0.000003019, 0.039619559),
    "ngc4248": (182.5299, -0.039619559, -0.000006298, -162.9075, -0.000007471, 0.039620445),
    "ngc4395-n": (124.4341, -0.039618545, -0.000000124, -100.4626, -0.000000059, 0.039619722),
    "ngc4395-s": (172.3503, -0.039619554, -0.000001631, -176.0514, -0.000001180, 0.039620018),
    "ngc4449": (219.1832, -0.039620127, 0.000002587, -214.1699, 0.000002496, 0.039619998),
    "ngc4485": (176.3646, -0.039619795, -0.000005031, -181.3186, -0.000005116, 0.039620343),
    "ngc45": (91.8549, -0.039619963, -0.000002310, -99.0917, -0.000002247, 0.039620079),
    "ngc4656": (150.0919, -0.039618603, 0.000000226, -138.1385, 0.000000739, 0.039620875),
    "ngc5238": (172.1283, -0.039620666, -0.000004249, -178.5812, -0.000004984, 0.039620285),
    "ngc5253": (142.4818, -0.039620135, -0.000001474, -139.5732, -0.000000799, 0.039620258),
    "ngc5474": (151.4315, -0.039620173, -0.000000089, -130.3454, 0.000000158, 0.039619733),
    "ngc5477": (168.2564, -0.039617960, -0.000003212, -157.2400, -0.000002949, 0.039619065),
    "ngc628-c": (110.1657, -0.039620297, 0.000001640, -159.7000, 0.000001426, 0.039619856),
    "ngc628-e": (175.0771, -0.039619733, -0.000000839, -153.3626, -0.000001343, 0.039620000),
    "ngc6503": (91.9897, -0.039620308, 0.000009015, -80.2102, 0.000008178, 0.039619938),
    "ngc7793-w": (98.8834, -0.039620815, -0.000005157, -148.6484, -0.000006463, 0.039619974),
    "ugc1249": (149.7618, -0.039620378, -0.000000504, -145.5147, 0.000000185, 0.039619764),
    "ugc4305": (227.1630, -0.039620089, -0.000010346, -200.7121, -0.000010643, 0.039620334),
    "ugc4459": (148.4731, -0.039620293, -0.000000780, -133.3739, -0.000000793, 0.039618620),
    "ugc5139": (169.1622, -0.039619849, -0.000006025, -156.9068, -0.000006515, 0.039620526),
    "ugc5340": (192.3977, -0.039621440, -0.000007336, -174.2221, -0.000004921, 0.039620267),
    "ugc685": (120.1382, -0.039619021, 0.000000955, -132.0872, -0.000000829, 0.039620731),
    "ugc695": (158.6703, -0.039619866, 0.000000436, -141.5790, 0.000000031, 0.039620389),
    "ugc7242": (126.3709, -0.039621259, 0.000013207, -233.1921, 0.000012771, 0.039620490),
    "ugc7408": (113.5036, -0.039621333, 0.000011009, -146.8067, 0.000008185, 0.039619320),
    "ugca281": (175.9350, -0.039620572, -0.000002499, -206.6268, -0.000003754, 0.039618967),
}

#: How far (arcsec) a row may lie from where a field's grid puts its x, y to be that field's: eight
#: times the largest miss of the public catalogues (0.063"), 12 pixels of 0.04", so a copy whose
#: positions were made 0-based (1 pixel) still matches.
GRID_MATCH_ARCSEC = 0.5

#: ``class_method`` values (hybrid layout, NGC 1566 col 35) whose class no person gave: 0 = the
#: machine-learning classifier alone (654 of NGC 1566's 2451 classified rows). 1 (one person
#: checking the ML class), 3, 4 (three people) and 6 (one person re-classifying a former class 4)
#: are people's classes.
MACHINE_ONLY_METHODS: tuple[int, ...] = (0,)

#: Every ``class_method`` value of the hybrid layout (NGC 1566 col 35); any other is read as -1, unknown.
METHOD_FLAGS: tuple[int, ...] = (0, 1, 3, 4, 6)

#: The start of the warning a file of an uncertain layout gives (a ``warnings.filterwarnings`` message
#: pattern): the many-field study says so in its table of fields left out, and hides that warning alone.
LAYOUT_UNCERTAIN_WARNING = r"[^\n]*: LEGUS layout '[^']*' is uncertain"

#: Every value some layout has in col 34: the classes 1-4, 0 (not inspected, or the expert's
#: spurious) and the expert's 5 (not inspected).
COL34_VALUES: tuple[int, ...] = (0, 1, 2, 3, 4, 5)


def machine_only(table: Table) -> np.ndarray:
    """Rows whose ``class_ref`` is a class no person gave (a hybrid layout's ``class_method`` 0).

    All False for a table without ``class_method`` (every layout but NGC 1566's hybrid one).

    Parameters
    ----------
    table : astropy.table.Table
        A catalogue as :func:`starclass.io.catalog.read_catalog` reads it.

    Returns
    -------
    numpy.ndarray
        Boolean, one per row: classified (1-4) and ``class_method`` in :data:`MACHINE_ONLY_METHODS`.

    Examples
    --------
    >>> machine_only(Table({"class_ref": [1, 2, 0, 3], "class_method": [0, 1, 0, 3]})).tolist()
    [True, False, False, False]
    """
    if CLASS_METHOD not in table.colnames or CLASS_REF not in table.colnames:
        return np.zeros(len(table), bool)
    return np.isin(np.asarray(table[CLASS_METHOD]), MACHINE_ONLY_METHODS) & np.isin(class_array(table, CLASS_REF),
                                                                                  CLASSES)

#: Class-like columns: read as integers.
_INT_COLUMNS = {ID, "n_filters", CLASS_REF, CLASS_HYBRID, CLASS_METHOD, CLASS_HUMAN_MODE, CLASS_ML,
                CLASS_ML_CHECKED, CLASS_RECLASSIFIED}


@dataclass(frozen=True)
class LegusLayout:
    """What the columns after 33 of a LEGUS file are.

    Parameters
    ----------
    name
        ``standard``, ``hybrid``, ``expert``, ``standard+extra`` or ``unknown-class``.
    columns
        1-based column number -> column name for columns 34 onwards.
    certain
        False when some columns' meaning is not known (a warning is issued on reading).
    note
        One line for humans: what is known and what is not.

    Examples
    --------
    Made by :func:`detect_layout` from the values of columns 34 onwards:

    >>> a = np.zeros((3, 35)); a[:, 33] = [0, 1, 4]; a[:, 34] = [0, 1.33, 3.67]
    >>> lay = detect_layout(a)
    >>> lay.name, lay.columns, lay.certain
    ('standard', {34: 'class_ref', 35: 'class_human_mean'}, True)
    """

    name: str
    columns: dict[int, str]
    certain: bool
    note: str


def _is_mean_of_classes(mode: np.ndarray, mean: np.ndarray) -> bool:
    """True when ``mean`` reads as the mean of human classes whose mode is ``mode``.

    On inspected rows a mean lies in [1, 4] within 2 of the mode (with 2-4 votes the mode holds
    at least one vote, so the others cannot pull the mean further), and some means are
    fractional; uninspected rows hold 0. A few impossible rows (mode 1, mean 3.33) occur in real
    files, so a quarter of the inspected rows may break the rule; a 0/1 flag or another class
    (NGC 3274, NGC 4449, NGC 5474) breaks it on most rows or is never fractional.
    """
    inspected = np.isin(mode, CLASSES)
    # uninspected rows hold 0; a value typed into one of them (a 2.33, a NaN: 1% of the rows or fewer, one at
    # least) lost the whole column of means, and with it the people's disagreement, without a word
    stray = ~inspected & (mean != 0)
    if not inspected.any() or (stray.any() and not _few(int(stray.sum()), mode.size)):
        return False
    m, mu = mode[inspected], mean[inspected]
    ok = (mu >= 1) & (mu <= 4) & (np.abs(mu - m) <= 2)
    fractional = np.abs(mu - np.round(mu)) > 0.01
    return bool(ok.mean() >= 0.75 and fractional.any())


def _odd_means(mean: np.ndarray, mode: np.ndarray) -> np.ndarray:
    """Rows whose class mean cannot be one: non-zero where col 34 is 0 (not inspected), else outside 1-4 or NaN.

    A row whose col 34 is no class at all (a hand edit, warned of as such) keeps its mean.

    Examples
    --------
    >>> _odd_means(np.array([0.0, 2.33, 7.5, 1.0, np.nan, 3.0]), np.array([0, 2, 3, 0, 4, -1])).tolist()
    [False, False, True, True, True, False]
    """
    inspected = np.isin(mode, CLASSES)
    with np.errstate(invalid="ignore"):
        return np.where(inspected, ~((mean >= 1) & (mean <= 4)), (mode == 0) & (mean != 0))


def _few(count: int, n: int) -> bool:
    """Whether ``count`` of ``n`` rows are too few for their value to decide a layout: 1% or less, one at least.

    One value typed by hand (a 5 in col 34 of a 50-row file, a 2 in NGC 3351's 0/1 flag) decided the
    layout where 1% of the rows was less than one row. A layout's own values fill many rows: the
    expert's 5 (not inspected) 48% of NGC 4449's, the classes 2-4 of a 37-column file 6% of NGC 5474's
    and 74% of ESO 486-G021's (110 rows).
    """
    return count <= max(1, n // 100)


#: ``meta`` key of a LEGUS catalogue as read: its numbered columns (``legus_colN``, N >= 34) that hold classes
#: 0-4 but on a few rows (:func:`stray_class_values`), each with where those rows are in the file
#: (``"column 35 (legus_col35): 1 of 1080 values outside 0-4 (50) at line 386 of the file (id 386: 50)"``), for
#: whoever reads such a column as classes (``evaluate --reference-column legus_col35``) to name them.
STRAY_CLASS_VALUES = "stray_class_values"

#: ``meta`` key of a LEGUS catalogue as read: its numbered columns that the folder's README calls a 0/1 flag, not
#: classes (column 36 of a 36-column standard file; column 35 where it holds 0/1 in place of the people's mean, NGC
#: 3274's), each with what it is. ``evaluate --pred-column legus_col36`` scored such a flag as classes and warned
#: only that every source was "in class 1".
LEGUS_FLAG_COLUMNS = "legus_flag_columns"


def legus_flag_columns(layout_name: str, ncols: int, columns: Mapping[int, np.ndarray]) -> dict[str, str]:
    """The numbered columns of a standard LEGUS file that the LEGUS README calls a 0/1 flag, with what each is.

    Parameters
    ----------
    layout_name
        The file's layout (:func:`detect_layout`); only ``standard`` is known well enough to say.
    ncols
        The file's number of columns.
    columns
        1-based column number -> its values, of the columns left under their numbers (``legus_colN``).

    Returns
    -------
    dict
        ``legus_colN`` -> what it is, for the columns whose values are all 0 or 1.

    Examples
    --------
    >>> flags = legus_flag_columns("standard", 36, {36: np.array([0.0, 1.0, 1.0])})
    >>> list(flags), flags["legus_col36"][:40]
    (['legus_col36'], "the LEGUS README's 0/1 flag of 36-column")
    >>> legus_flag_columns("unknown-class", 37, {34: np.array([0.0, 1.0])})  # a column of unknown meaning: no saying
    {}
    """
    if layout_name != "standard":
        return {}
    what = {36: "the LEGUS README's 0/1 flag of 36-column files (most likely how the source was selected, pipeline "
                "or by eye), not classes",
            35: "0/1 in place of the people's class mean (the LEGUS README's exception, NGC 3274's column 35), not "
                "classes"}
    out = {}
    for k, v in columns.items():
        if k in what and (k != 36 or ncols == 36) and v.size and np.isin(v, (0, 1)).all():
            out[f"legus_col{k}"] = what[k]
    return out

#: ``meta`` key of a LEGUS catalogue as read: each band's column of the SED fits' own residual (columns 26-30, the
#: five filters blue to red as the magnitudes; the NGC 628-C readme: "if positive the flux observed at that
#: wavelength is higher than predicted by the best fitted model"), in magnitudes. The SED check
#: (:mod:`starclass.science.sedcheck`) weighs its offsets from the SSP table against them.
FIT_RESIDUALS = "fit_residuals"


def stray_class_values(values: ArrayLike) -> np.ndarray | None:
    """Where a column of classes 0-4 holds something else on a few rows: a hand edit, not a class.

    A column is one of classes when its values are 0-4 (NaN: no class), one at least a class 1-4,
    but for values on at most 1% of the rows (one at least), as a layout is told apart
    (:func:`detect_layout`), and ten classes 1-4 at least for each of them (in a table of three rows
    one value of three is no typo). NGC 4242's column 35, the people's classes its users name, holds 50
    on line 386 among 1-4 on its 233 other inspected rows: a typo, which made the whole column "not a
    class column" to ``evaluate --reference-column legus_col35``.

    Parameters
    ----------
    values
        The column (floats; NaN for no value).

    Returns
    -------
    numpy.ndarray of bool or None
        True on the rows that hold no class 0-4 (all False where every value is one); None where
        the column is no column of classes.

    Examples
    --------
    >>> stray_class_values([1, 2, 3, 4] * 3 + [0, 50]).tolist()[-3:]
    [False, False, True]
    >>> stray_class_values([0, 1, np.nan]).tolist()
    [False, False, False]
    >>> stray_class_values([0.5, 2.0, 1.0]) is None, stray_class_values([0, 0, 0]) is None
    (True, True)
    """
    v = np.asarray(values, dtype=float)
    odd = np.isfinite(v) & ~np.isin(v, (0,) + CLASSES)
    n_odd, n_classes = int(odd.sum()), int(np.isin(v, CLASSES).sum())
    if not n_classes or (n_odd and not (_few(n_odd, v.size) and n_classes >= 10 * n_odd)):
        return None
    return odd


def _is_method_flag(v: np.ndarray) -> bool:
    """Whether a 39-column file's col 35 is NGC 1566's method flag, a few hand-edited values aside.

    One NaN, -1, 2.5 or 2 there (no flag of :data:`METHOD_FLAGS`) lost the hybrid layout: its 654
    classes of a machine alone were read as people's. Such values, at most 1% of the rows (one at
    least), do not decide; the reader warns of them by line and reads them as -1, method unknown.
    """
    odd = ~np.isin(v, METHOD_FLAGS)
    return bool((~odd).any() and _few(int(odd.sum()), v.size))


def detect_layout(a: np.ndarray) -> LegusLayout:
    """The layout of a LEGUS catalogue from its values (N rows x K columns, K 34-39).

    Parameters
    ----------
    a
        The numbers of the file, one row per source.

    Returns
    -------
    LegusLayout

    Examples
    --------
    >>> import numpy as np
    >>> a = np.zeros((3, 35)); a[:, 33] = [0, 1, 4]; a[:, 34] = [0, 1.33, 3.67]
    >>> lay = detect_layout(a)
    >>> lay.name, lay.columns[35]
    ('standard', 'class_human_mean')

    A value no layout has as a class (NaN, -1, 2.5, 7: a hand edit) does not decide the layout,
    nor does a value that 1% of the rows or fewer hold (one at least): a 5 (the expert's mark), a
    class in a 0/1 flag, a value that is no method flag (a 2) in a hybrid file's col 35:

    >>> a = np.zeros((4, 37)); a[:, 33] = [0, 1, 1, np.nan]
    >>> detect_layout(a).name
    'unknown-class'
    >>> a[:, 33] = [0, 1, 1, 7]
    >>> detect_layout(a).name
    'unknown-class'
    >>> s = np.zeros((300, 35)); s[:, 33] = np.resize([0, 1, 2, 3, 4], 300); s[7, 33] = 5  # one 5 of 300
    >>> detect_layout(s).name, detect_layout(s[:50]).name
    ('standard', 'standard')
    >>> f = np.zeros((50, 37)); f[:, 33] = np.resize([0, 1], 50); f[7, 33] = 2  # a 2 in a 0/1 flag
    >>> detect_layout(f).name
    'unknown-class'
    >>> h = np.zeros((4, 39)); h[:, 33] = [1, 2, 3, 4]; h[:, 34] = [0, 1, 3, np.nan]  # col 35: who classified
    >>> detect_layout(h).name
    'hybrid'
    >>> h[:, 34] = [0, 1, 3, 2]
    >>> detect_layout(h).name
    'hybrid'
    """
    k = a.shape[1]
    # a hand-edited NaN, -1, 2.5 or 7 in col 34 is no class in any layout (the reader counts it and sets it
    # to 0): judged on every row, one such value turned NGC 3351's 0/1 flag into its class column,
    # NGC 4449's expert into a 'standard+extra' mode and cost NGC 1433 its column of mean classes
    c34_all = a[:, 33]
    classlike = np.isin(c34_all, COL34_VALUES)
    # the expert's 5 (not inspected) is a mark of most of its rows (1371 of NGC 4449's); a 5 typed into
    # another file made it 'expert', its not-inspected 0s then read as spurious (NGC 628-C: class 4
    # 542 -> 2062), and in a file of under 200 rows one 5 was 1% of them
    if _few(int(np.sum(c34_all == 5)), a.shape[0]):
        classlike &= c34_all != 5
    c34 = c34_all[classlike]
    # likewise a 2 typed into NGC 3351's 0/1 flag made that flag its class column ('standard+extra')
    not_flag = ~np.isin(c34, (0, 1))
    extra = {j: f"legus_col{j}" for j in range(35, k + 1)}
    if k == 39 and _is_method_flag(a[:, 34]):
        return LegusLayout("hybrid", {34: CLASS_REF, 35: CLASS_METHOD, 36: CLASS_HUMAN_MODE, 37: CLASS_ML,
                                      38: CLASS_ML_CHECKED, 39: CLASS_RECLASSIFIED}, True,
                           "col 34 final hybrid class (humans or ML, see col 35); not individual people")
    if k >= 37 and (~not_flag).any() and _few(int(not_flag.sum()), a.shape[0]):
        # the note said 'only 0/1' of a flag with a hand-typed 2 as well
        edits = int(np.sum(~np.isin(c34_all, (0, 1))))
        aside = (f" but on {edits} rows (hand edits?)" if edits > 1 else " but on 1 row (a hand edit?)" if edits
                 else "")
        return LegusLayout("unknown-class", extra, False,
                           f"col 34 holds only 0/1{aside}: the class column is not known (name it in Python with "
                           "column_map={'N': 'class_ref'}; starclass info FILE --map class_ref=N shows its counts)")
    if (c34 == 5).any() and np.isin(c34, (0, 1, 2, 3, 4, 5)).all():
        return LegusLayout("expert", {34: CLASS_REF, **extra}, k <= 34,
                           "col 34 one expert's class (0 = spurious -> 4; 5 = not inspected -> 0); "
                           "later columns unknown")
    cols: dict[int, str] = {34: CLASS_REF}
    if k >= 35:
        cols.update(extra)
        if _is_mean_of_classes(c34, a[classlike, 34]):
            cols[35] = CLASS_HUMAN_MEAN
    if k >= 37:
        # 37-38 columns (NGC 5474, ESO 486-G021), or a wider file than any in our survey
        return LegusLayout("standard+extra", cols, False,
                           f"col 34 class (mode); columns 35-{k} of unknown meaning")
    note = "col 34 mode of the human classes" + (
        ", col 35 their mean" if cols.get(35) == CLASS_HUMAN_MEAN else
        ", col 35 not a class mean" if k >= 35 else "")
    return LegusLayout("standard", cols, True, note)


def uncertain_layout_step(layout: str) -> str:
    """The next step a warning of an uncertain layout gives where col 34 is read as the class (``expert`` ...).

    The layouts are ``expert`` and ``standard+extra``.

    Those warnings said what was unknown and no more (``unknown-class``'s note names its step itself).

    Examples
    --------
    >>> step = uncertain_layout_step("expert")
    >>> "--map class_ref=34 says so" in step, "starclass info FILE --map class_ref=N" in step
    (True, True)
    >>> uncertain_layout_step("unknown-class")
    ''
    """
    if layout not in ("expert", "standard+extra"):
        return ""
    return (" (class_ref read from col 34; --map class_ref=34 says so and ends this warning, column_map={'34': "
            "'class_ref'} in Python; evaluate --catalogs leaves the field out unless --map FIELD:class_ref=34; another "
            "column as the class: starclass info FILE --map class_ref=N shows its counts)")


def hybrid_lost_note(ncols: int) -> str:
    """The layout note of a NGC 1566 file that is not in the hybrid layout (a column lost or added after col 34).

    Examples
    --------
    >>> hybrid_lost_note(38)[:60]
    'the LEGUS NGC 1566 catalogue has 39 columns (col 34 a hybrid'
    """
    what = f"this file has {ncols}" if ncols != 39 else "this file's col 35 holds no such flags"
    return ("the LEGUS NGC 1566 catalogue has 39 columns (col 34 a hybrid final class: people's, or a "
            "machine-learning classifier's alone where col 35, the method flag, is 0; cols 36-39 are not "
            f"individual people); {what}: a column lost or added? col 34 is not known to be the people's mode; "
            "compare the file with the original")


def field_from_name(name: str) -> str | None:
    """The LEGUS field in a file name (``ngc628-c``, ``eso486-g021``), or None.

    Examples
    --------
    >>> field_from_name("hlsp_legus_hst_acs-wfc3_ngc628-c_multiband_v1_padagb-mwext-avgapcor.tab")
    'ngc628-c'
    """
    # search, not match: a copy named old_hlsp_... or crlf_hlsp_... keeps its field (and known filters)
    m = re.search(r"hlsp_legus_hst_[a-z0-9-]+_([a-z0-9-]+)_multiband", name.lower())
    return m.group(1) if m else None


def field_from_grid(x: ArrayLike, y: ArrayLike, ra: ArrayLike, dec: ArrayLike) -> str | None:
    """The LEGUS field whose pixel grid puts every row's x, y at its RA, Dec, or None.

    Each field's catalogue measures x, y on its own drizzled image, so x, y and RA, Dec together
    say the field (:data:`LEGUS_GRIDS`) wherever in its footprint the rows lie, NGC 628-C's and
    -E's overlap included; every row with all four finite must lie within
    :data:`GRID_MATCH_ARCSEC` of where the grid puts it.

    Parameters
    ----------
    x, y : array_like
        Pixel positions as the file has them (columns 2, 3, 1-based).
    ra, dec : array_like
        Sky positions in degrees (columns 4, 5).

    Returns
    -------
    str or None
        The field, or None where no field's grid (or more than one) fits every row.

    Examples
    --------
    >>> field_from_grid([1000.0], [1000.0], [24.19053], [15.74838]), field_from_grid([1.0], [1.0], [10.0], [-30.0])
    ('ngc628-c', None)
    """
    from astropy import units as u
    from astropy.coordinates import SkyCoord, SkyOffsetFrame

    x, y, ra, dec = (np.asarray(v, float).ravel() for v in (x, y, ra, dec))
    if not x.size == y.size == ra.size == dec.size:
        return None
    ok = np.isfinite(x) & np.isfinite(y) & np.isfinite(ra) & np.isfinite(dec) & (np.abs(dec) <= 90)
    if not ok.any():
        return None
    x, y = x[ok], y[ok]
    here = SkyCoord(ra[ok] * u.deg, dec[ok] * u.deg)
    names = list(LEGUS_GRIDS)
    centres = SkyCoord([LEGUS_FIELDS[f][0] for f in names] * u.deg, [LEGUS_FIELDS[f][1] for f in names] * u.deg)
    # only fields whose centre lies near the first row (every field's rows lie within 0.063 deg of it)
    near = here[0].separation(centres).deg < 0.2
    found = []
    for f, centre in zip(np.asarray(names)[near], centres[near]):
        a0, ax, ay, b0, bx, by = LEGUS_GRIDS[str(f)]
        off = here.transform_to(SkyOffsetFrame(origin=centre))
        miss = np.hypot(off.lon.wrap_at(180 * u.deg).arcsec - (a0 + ax * x + ay * y),
                        off.lat.arcsec - (b0 + bx * x + by * y))
        if np.all(miss <= GRID_MATCH_ARCSEC):
            found.append(str(f))
    return found[0] if len(found) == 1 else None


def unplaced_field_words(ra: ArrayLike, dec: ArrayLike) -> str:
    """Why no LEGUS field is known for a renamed file whose rows lie at none: its rows and their median position.

    One wording for :func:`read_legus_tab`'s warning (filters assumed) and the many-field reader's
    refusal (no distance): what neither the name nor :func:`field_from_sky` could place.

    Parameters
    ----------
    ra, dec : array_like
        The file's positions in degrees (columns 4, 5; NaN ignored).

    Returns
    -------
    str

    Examples
    --------
    >>> print(unplaced_field_words([10.0, 10.001], [-30.0, -30.001]))  # doctest: +NORMALIZE_WHITESPACE
    neither the file name nor its sources' positions (2 rows, median RA 10.00050, Dec -30.00050 deg) say which
    LEGUS field it is (no field's pixel grid fits their x, y and RA, Dec, and their median lies at no field's centre)
    """
    ra, dec = np.asarray(ra, float), np.asarray(dec, float)
    ok = np.isfinite(ra) & np.isfinite(dec)
    where = f"median RA {np.median(ra[ok]):.5f}, Dec {np.median(dec[ok]):.5f} deg" if ok.any() else "no finite RA, Dec"
    return (f"neither the file name nor its sources' positions ({ra.size} rows, {where}) say which LEGUS field it is "
            "(no field's pixel grid fits their x, y and RA, Dec, and their median lies at no field's centre)")


def field_from_sky(ra: ArrayLike, dec: ArrayLike, x: ArrayLike | None = None,
                   y: ArrayLike | None = None) -> str | None:
    """The LEGUS field a file's sources lie at: by their pixel grid (given x, y), else their median position.

    The positions of a renamed file (``ngc628c.tab``) still say which field it is. With ``x``,
    ``y`` (the file's columns 2, 3), a field whose grid puts every row at its RA, Dec
    (:func:`field_from_grid`) is that field, however few the rows and wherever they lie. Else the
    median of the positions must lie within :data:`SKY_MATCH_DEG` of one centre in
    :data:`LEGUS_FIELDS` (astropy's angular separations), and nearer to it than half the way to
    any other: a copy trimmed to a field's outer rows, or with x, y of another image, is then
    none (:func:`read_legus_tab` warns where that leaves the filters assumed).

    Parameters
    ----------
    ra, dec : array_like
        Source positions in degrees (NaN ignored).
    x, y : array_like, optional
        Their pixel positions as the file has them (1-based).

    Returns
    -------
    str or None
        The field (``ngc628-c``), or None where the positions lie at no LEGUS field.

    Examples
    --------
    >>> field_from_sky([24.16, 24.18], [15.78, 15.785]), field_from_sky([10.0], [-30.0])
    ('ngc628-c', None)
    >>> field_from_sky([24.19053], [15.74838]), field_from_sky([24.19053], [15.74838], [1000.0], [1000.0])
    (None, 'ngc628-c')
    """
    from astropy import units as u
    from astropy.coordinates import SkyCoord

    if x is not None and y is not None:
        by_grid = field_from_grid(x, y, ra, dec)
        if by_grid is not None:
            return by_grid
    ra, dec = np.asarray(ra, float), np.asarray(dec, float)
    ok = np.isfinite(ra) & np.isfinite(dec) & (np.abs(dec) <= 90)
    if not ok.any():
        return None
    here = SkyCoord(np.median(ra[ok]) * u.deg, np.median(dec[ok]) * u.deg)
    names = list(LEGUS_FIELDS)
    centres = SkyCoord([LEGUS_FIELDS[f][0] for f in names] * u.deg, [LEGUS_FIELDS[f][1] for f in names] * u.deg)
    sep = here.separation(centres).deg
    order = np.argsort(sep)
    # the second check: between two overlapping pointings (NGC 628-C, -E) a median half-way is neither
    if sep[order[0]] <= SKY_MATCH_DEG and sep[order[1]] > 2 * sep[order[0]]:
        return names[order[0]]
    return None


def _readme_of(path: Path) -> Path:
    """The ``.readme`` beside a catalogue: ``x.readme`` for ``x.tab`` and for ``x.tab.gz`` (``.bz2``, ``.xz``) alike.

    >>> _readme_of(Path("d/x.tab.gz")).as_posix(), _readme_of(Path("d/x.tab.xz")).as_posix()
    ('d/x.readme', 'd/x.readme')
    """
    return path.with_name(inner_name(path.name)).with_suffix(".readme")


def _readme_filters(path: Path) -> tuple[list[str], float | None] | None:
    """Filters (and CI cut) from a LEGUS ``.readme`` beside the catalogue, if there is one."""
    readme = _readme_of(path)
    if not readme.exists():
        return None
    text = readme.read_text(encoding="latin-1")
    bands = [b.lower() for b in re.findall(r"final total mag in\s+\S*?(F\d{3}[A-Z]+)", text, flags=re.I)]
    cut = re.search(r"CI\s*>=\s*([0-9.]+[0-9])", text)
    if len(bands) != 5:
        return None
    return bands, (float(cut.group(1)) if cut else None)


#: The camera words of a LEGUS readme's "final total mag in ACS/F435W" lines -> starclass camera names.
_README_CAMERAS: dict[str, str] = {"acs": ACS_WFC, "acs/wfc": ACS_WFC, "wfc3": WFC3_UVIS, "wfc3/uvis": WFC3_UVIS}


def readme_cameras(path: Path) -> dict[str, str] | None:
    """Band -> camera as a LEGUS ``.readme`` beside the catalogue states them, if it states all five.

    NGC 628-C's readme gives "final total mag in WFC3/F275W ... ACS/F555W": its V and I are ACS/WFC's,
    whose AB - Vega offsets differ from WFC3/UVIS's (F555W by 0.024 mag). Read as WFC3/UVIS bands, the
    SSP model's M_V at the field's mass limits was 0.024 mag too faint, the limits 0.01 dex too high.

    Parameters
    ----------
    path : Path
        The catalogue file (its readme is :func:`_readme_of`).

    Returns
    -------
    dict or None
        ``{"f275w": "wfc3/uvis", ..., "f555w": "acs/wfc", ...}``, a catalogue's ``meta['cameras']``;
        None where there is no readme, or it does not name a known camera for each of five filters.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> lines = [f"final total mag in {c}/{b}" for c, b in (("WFC3", "F275W"), ("WFC3", "F336W"),
    ...          ("ACS", "F435W"), ("ACS", "F555W"), ("ACS", "F814W"))]
    >>> _ = (d / "x.readme").write_text("\\n".join(lines))
    >>> readme_cameras(d / "x.tab")["f555w"], readme_cameras(d / "y.tab")
    ('acs/wfc', None)
    """
    readme = _readme_of(path)
    if not readme.exists():
        return None
    text = readme.read_text(encoding="latin-1")
    found = re.findall(r"final total mag in\s+(\S+)/(F\d{3}[A-Z]+)", text, flags=re.I)
    cams = {b.lower(): _README_CAMERAS.get(c.lower()) for c, b in found}
    if len(found) != 5 or len(cams) != 5 or None in cams.values():
        return None
    return cams


def stated_cameras(field: str | None, bands: Sequence[str]) -> tuple[dict[str, str], str] | None:
    """The cameras :data:`KNOWN_FILTERS` states for a field's B and V, where ``bands`` holds those filters.

    Parameters
    ----------
    field : str or None
        The LEGUS field (``ngc4449``), from the file name or its sources' positions.
    bands : sequence of str
        The five filters the catalogue is read with (a filter the table does not name for the
        field, given by the user, takes none of its cameras).

    Returns
    -------
    (dict, str) or None
        Band -> camera, as a catalogue's ``meta['cameras']``, and the source that states them; None
        for a field the table does not hold, or whose filters ``bands`` does not have.

    Examples
    --------
    >>> stated_cameras("ngc5474", ["f275w", "f336w", "f438w", "f606w", "f814w"])
    ({'f438w': 'wfc3/uvis', 'f606w': 'acs/wfc'}, 'LEGUS HLSP image names (uvis f438w, acs f606w)')
    >>> stated_cameras("ugc5340", ["f275w", "f336w", "f435w", "f555w", "f814w"]) is None
    True
    """
    if field not in KNOWN_FILTERS:
        return None
    b, v, b_cam, v_cam, src = KNOWN_FILTERS[field]
    have = [x.lower() for x in bands]
    cams = {band: cam for band, cam in ((b, b_cam), (v, v_cam)) if band in have}
    return (cams, src) if cams else None


#: The camera of each LEGUS filter that only one camera took in the survey (Perez et al. 2021, section 2: UV and U
#: are WFC3/UVIS F275W and F336W, B "either WFC3-F438W or ACS-F435W", V "either WFC3-F555W, ACS-F555W or
#: ACS-F606W", I WFC3/UVIS or ACS/WFC F814W). F555W and F814W are on either camera: their camera is known only
#: where a readme, :data:`KNOWN_FILTERS` or a WFC3-only file name states it. The one table of cameras by filter.
LEGUS_FILTER_CAMERAS: dict[str, str] = {"f275w": WFC3_UVIS, "f336w": WFC3_UVIS, "f438w": WFC3_UVIS,
                                        "f435w": ACS_WFC, "f606w": ACS_WFC}

#: Where :func:`legus_cameras` says a band's camera comes from a WFC3-only file name (``_wfc3_``).
WFC3_NAME_SOURCE = "the file name: WFC3 only"

#: Where :func:`legus_cameras` says a band's camera comes from its filter (:data:`LEGUS_FILTER_CAMERAS`).
FILTER_CAMERA_SOURCE = ("LEGUS's filters (Perez et al. 2021, section 2: F275W, F336W and F438W are WFC3/UVIS's, "
                        "F435W and F606W ACS/WFC's)")


def legus_cameras(path: Path, bands: Sequence[str], field: str | None,
                  sky_field: str | None = None) -> tuple[dict[str, str], dict[str, str]]:
    """The camera of each of a LEGUS file's bands that a source states, and that source, band by band.

    The AB - Vega offset the SSP model takes (:func:`starclass.bands.ab_minus_vega`) is the camera's:
    ACS/WFC's and WFC3/UVIS's F814W differ by 0.006 mag, F555W by 0.024, and the filter-only values
    (``BANDS[b].ab_minus_vega``) are rounded to 0.01. Until 2026-12-07 only a readme (NGC 628-C) or
    :data:`KNOWN_FILTERS` (B and V of four fields) gave cameras: NGC 1566's F275W, F336W and F814W, and every
    band of the other WFC3-only fields, took the filter-only offsets though the file name says WFC3.

    In order, for each band: a ``.readme`` beside the file that states all five (:func:`readme_cameras`);
    :data:`KNOWN_FILTERS` (the field's B and V); a WFC3-only file name (``_wfc3_``, or a renamed file at a
    WFC3-only field, :func:`wfc3_only_name`) for every filter WFC3/UVIS has; LEGUS's filters
    (:data:`LEGUS_FILTER_CAMERAS`) in a LEGUS field. A band none of them states is left out (the
    filter-only offset, :func:`v_camera` says it is assumed for V).

    Parameters
    ----------
    path : Path
        The catalogue file.
    bands : sequence of str
        The five filters the catalogue is read with.
    field : str or None
        The LEGUS field its name holds (:func:`field_from_name`), or None.
    sky_field : str or None
        The field its sources' positions lie at (:func:`field_from_sky`), for a renamed file.

    Returns
    -------
    (dict, dict)
        Band -> camera (a catalogue's ``meta['cameras']``) and band -> the source that states it.

    Examples
    --------
    >>> cams, src = legus_cameras(Path("hlsp_legus_hst_wfc3_ngc1566_multiband_v1_padagb-mwext-avgapcor.tab"),
    ...                           ["f275w", "f336w", "f438w", "f555w", "f814w"], "ngc1566")
    >>> cams["f814w"], src["f814w"], src["f555w"]
    ('wfc3/uvis', 'the file name: WFC3 only', 'LEGUS readme text (WFC3 only)')
    >>> cams, src = legus_cameras(Path("hlsp_legus_hst_acs-wfc3_ugc5340_multiband_v2_padagb-mwext-avgapcor.tab"),
    ...                           ["f275w", "f336w", "f435w", "f555w", "f814w"], "ugc5340")
    >>> cams
    {'f275w': 'wfc3/uvis', 'f336w': 'wfc3/uvis', 'f435w': 'acs/wfc'}
    """
    have = [b.lower() for b in bands]
    readme = readme_cameras(path)
    if readme is not None and set(readme) == set(have):
        return dict(readme), {b: f"readme {_readme_of(path).name}" for b in readme}
    cams: dict[str, str] = {}
    src: dict[str, str] = {}
    known = stated_cameras(field or sky_field, have)
    if known is not None:
        cams.update(known[0])
        src.update({b: known[1] for b in known[0]})
    legus = (field or sky_field) in LEGUS_FIELDS or field_from_name(path.name) is not None
    wfc3 = wfc3_only_name(path, sky_field)
    for b in have:
        if b in cams:
            continue
        if wfc3 and LEGUS_FILTER_CAMERAS.get(b) != ACS_WFC:
            # the name says WFC3 alone: every band is WFC3/UVIS's (F435W, an ACS filter, is not: a user's --bands);
            # a renamed file's field, found by its positions, says it as its name did (mycat.tab "the file name")
            cams[b] = WFC3_UVIS
            src[b] = (WFC3_NAME_SOURCE if field_from_name(path.name) is not None or sky_field is None
                      else f"field {sky_field} by the sources' sky positions: WFC3 only")
        elif legus and b in LEGUS_FILTER_CAMERAS:
            cams[b], src[b] = LEGUS_FILTER_CAMERAS[b], FILTER_CAMERA_SOURCE
    # in the order of the bands, blue to red, as info prints them
    return {b: cams[b] for b in have if b in cams}, {b: src[b] for b in have if b in src}


def v_camera(v_band: str, cameras: Mapping[str, str] | None, cameras_source: str | None,
             wfc3_only: bool) -> tuple[str, str]:
    """The camera whose AB - Vega offset the SSP model's V takes beside a LEGUS catalogue, and why.

    ACS/WFC's and WFC3/UVIS's F555W differ by 0.024 mag in AB - Vega (-0.006 against -0.030):
    0.0096 dex in the mass limits and completeness curves. A camera a source states (a readme,
    :data:`KNOWN_FILTERS`) or the file name (``wfc3`` alone) is that camera; for any other field
    the filter-only offset (:func:`starclass.bands.ab_minus_vega` without a camera, WFC3/UVIS's for
    F555W) is used, and the source says that it is *assumed* and by how much the other camera
    would move the model.

    Parameters
    ----------
    v_band : str
        The catalogue's V filter (``f555w``, ``f606w``).
    cameras : mapping or None
        The catalogue's ``meta['cameras']``.
    cameras_source : str or None
        What states ``cameras`` (a readme's name, a :data:`KNOWN_FILTERS` source).
    wfc3_only : bool
        Whether the file name (or its field's) says WFC3 alone.

    Returns
    -------
    (str, str)
        The camera (``"acs/wfc"``, ``"wfc3/uvis"``) and its source, starting ``"assumed"`` where no
        source states it.

    Examples
    --------
    >>> v_camera("f555w", {"f555w": "acs/wfc"}, "readme x.readme", False)
    ('acs/wfc', 'stated: readme x.readme')
    >>> v_camera("f555w", None, None, True)
    ('wfc3/uvis', 'the file name: WFC3 only')
    >>> print(v_camera("f555w", None, None, False)[1])  # doctest: +NORMALIZE_WHITESPACE
    assumed: no source states the camera of V (F555W of ACS/WFC or WFC3/UVIS); WFC3/UVIS's AB - Vega offset
    -0.030 is used; ACS/WFC's (-0.006) would put the SSP model's V 0.024 mag brighter and the mass limits and
    completeness curves 0.0096 dex lower
    """
    v = v_band.lower()
    cam = band_camera(cameras, v)
    if cam is not None:
        if cameras_source and cameras_source.endswith(": WFC3 only"):
            # the file name (or a renamed file's field), said as before V's camera was put into meta['cameras']
            return cam, cameras_source
        return cam, f"stated: {cameras_source}" if cameras_source else "stated"
    default = BANDS[v].camera if v in BANDS else ""
    if wfc3_only:
        return WFC3_UVIS, "the file name: WFC3 only"
    used = ab_minus_vega(v) if v in BANDS else None
    others = [c for c in (ACS_WFC, WFC3_UVIS) if c != default and (c, v) in CAMERA_AB_MINUS_VEGA]
    if used is None or not default:
        return default or "unknown", f"assumed: no source states the camera of V ({v.upper()})"
    words = (f"assumed: no source states the camera of V ({v.upper()} of ACS/WFC or WFC3/UVIS); "
             f"{default.upper()}'s AB - Vega offset {used:+.3f} is used")
    if others:
        alt = CAMERA_AB_MINUS_VEGA[(others[0], v)]
        d = alt - used  # a larger AB - Vega offset makes the model's Vega magnitude brighter
        words += (f"; {others[0].upper()}'s ({alt:+.3f}) would put the SSP model's V {abs(d):.3f} mag "
                  f"{'brighter' if d > 0 else 'fainter'} and the mass limits and completeness curves "
                  f"{0.4 * abs(d):.4f} dex {'lower' if d > 0 else 'higher'}")
    return default, words


def wfc3_only_name(path: Path, sky_field: str | None = None) -> bool:
    """Whether a LEGUS file's name (or, for a renamed file, its field's) says WFC3 alone.

    Examples
    --------
    >>> wfc3_only_name(Path("hlsp_legus_hst_wfc3_ngc1433_multiband_v1_padagb-mwext-avgapcor.tab"))
    True
    >>> wfc3_only_name(Path("ngc628c.tab"), "ngc628-c"), wfc3_only_name(Path("x.tab"), "ngc1433")
    (False, True)
    """
    name = path.name.lower()
    if "_wfc3_" in name and "_acs" not in name:
        return True
    if field_from_name(path.name) is None and "_acs" not in name and sky_field in LEGUS_FIELDS:
        return LEGUS_FIELDS[sky_field][2] == "wfc3"
    return False


def legus_bands(path: Path, sky_field: str | None = None) -> tuple[list[str], str]:
    """The five filters of a LEGUS file, blue to red, and where they come from.

    In order: a ``.readme`` beside the file (its "final total mag in ACS/F435W" lines);
    :data:`KNOWN_FILTERS`; the cameras in the file name: ``wfc3`` alone means the WFC3/UVIS
    set (F438W, F555W); ``acs-wfc3`` means B and V may be ACS (F435W or F438W; F555W or F606W),
    so F435W and F555W are *assumed* and the source says so. A name that says neither field nor
    cameras (a renamed file) takes them from ``sky_field``, the field its positions lie at
    (:func:`field_from_sky`), as the field's own name would; with none, F438W and F555W are
    *assumed*, and the source says which and how to give them.

    Parameters
    ----------
    path : Path
        The catalogue file.
    sky_field : str, optional
        The field its source positions lie at (:func:`field_from_sky`), used where the name says nothing.

    Returns
    -------
    (list of str, str)
        Band names and their source.

    Examples
    --------
    >>> legus_bands(Path("hlsp_legus_hst_wfc3_ngc1433_multiband_v1_padagb-mwext-avgapcor.tab"))
    (['f275w', 'f336w', 'f438w', 'f555w', 'f814w'], 'file name: WFC3 only')
    """
    rd = _readme_filters(path)
    if rd is not None:
        return rd[0], f"readme {_readme_of(path).name}"
    field = field_from_name(path.name)
    name = path.name.lower()
    said = ""
    if field is None and "_wfc3_" not in name and "_acs" not in name and sky_field in LEGUS_FIELDS:
        # a renamed file (ngc628c.tab): its positions say the field, and so its filters, as its name did
        field, said = sky_field, f"field {sky_field} by the sources' sky positions (the file name does not say it); "
        name = f"_{LEGUS_FIELDS[sky_field][2]}_"
    if field in KNOWN_FILTERS:
        b, v, _, _, src = KNOWN_FILTERS[field]
        return ["f275w", "f336w", b, v, "f814w"], (f"{said}its filters: " if said else "") + src
    if "_acs-wfc3_" in name or "_acs_" in name:
        return (["f275w", "f336w", "f435w", "f555w", "f814w"],
                f"assumed: {said}ACS B/V not stated (F435W or F438W, F555W or F606W); give them: "
                "starclass info --bands, bands= in Python")
    if "_wfc3_" in name:
        return ["f275w", "f336w", "f438w", "f555w", "f814w"], (f"{said}WFC3 only" if said else "file name: WFC3 only")
    # a renamed file (ngc628c.tab) at no LEGUS field says nothing of its cameras: it was reported as "file
    # name: WFC3 only", and an ACS field's F435W was read as F438W without a word
    return (["f275w", "f336w", "f438w", "f555w", "f814w"],
            "assumed: the file name does not say the cameras or the field (LEGUS names hold 'wfc3' or 'acs-wfc3' "
            "and the field) and the sources' sky positions lie at no LEGUS field; read as F275W, F336W, F438W, "
            "F555W, F814W, but B may be F435W and V F606W; give them: starclass info --bands, bands= in Python, "
            "or keep the LEGUS file name")


def _missing(v: np.ndarray) -> np.ndarray:
    bad = v >= MAG_MISSING
    for s in SENTINELS:
        bad |= np.isclose(v, s, atol=5e-4)
    return bad


def check_legus_band_order(bands: Sequence[str], path: str | Path) -> None:
    """Refuse given bands a LEGUS file cannot have: a filter starclass does not know, or five not blue to red.

    Columns 6-15 of every LEGUS file hold its five filters from blue to red (UV, U, B, V, I). ``--bands
    f275w,f336w,f555w,f435w,f814w`` read the B magnitudes as F555W and the V as F435W, exit 0 (the SED check's
    0.50 mag in "F435W" the one trace), and ``--bands ...,f999w`` named a filter no SSP offset, colour or mass
    limit knows, without a word.

    Raises
    ------
    StarclassError
        Naming the file, the bands given and the filter(s) at fault.

    Examples
    --------
    >>> check_legus_band_order(["f275w", "f336w", "f435w", "f606w", "f814w"], "a.tab")
    >>> check_legus_band_order(["f275w", "f336w", "f555w", "f435w", "f814w"], "a.tab")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: a.tab: --bands f275w,f336w,f555w,f435w,f814w are not blue to red ...
    """
    given = ",".join(bands)
    unknown = [b for b in bands if b not in BANDS]
    if unknown:
        raise StarclassError(f"{path}: --bands {given}: {', '.join(unknown)} is no filter starclass knows "
                             f"({', '.join(b for b in BANDS if b.startswith('f'))}); a LEGUS file's columns 6-15 "
                             "hold five HST filters, blue to red")
    for a, b in zip(bands[:-1], bands[1:], strict=True):
        if BANDS[b].photplam <= BANDS[a].photplam:
            raise StarclassError(f"{path}: --bands {given} are not blue to red ({a} before {b}): a LEGUS file's "
                                 "columns 6-15 hold its five filters from blue to red (UV, U, B, V, I); give them "
                                 "in that order")


def _column_number(key: str, ncols: int, path: Path) -> int:
    """``"34"`` or ``"col34"`` -> 34, checked against the file's columns."""
    s = key.strip().lower()
    s = s[3:] if s.startswith("col") else s
    if not s.isdigit():
        raise ColumnMapError(f"{path}: a LEGUS .tab has no column names; map a column number "
                             f"(e.g. --map class_ref=34), not {key!r}")
    k = int(s)
    if not 1 <= k <= ncols:
        raise ColumnMapError(f"{path}: column {k} in the column map does not exist (the file has {ncols})")
    return k


#: What columns 2-5 hold in every LEGUS file: a column of one kind mapped to the other kind
#: (``--map x=4``) would read degrees as pixels, or pixels as degrees.
_POSITION_COLUMNS: dict[int, tuple[str, str]] = {
    2: (X, "x, a pixel position"), 3: (Y, "y, a pixel position"),
    4: (RA, "RA in degrees, a sky position"), 5: (DEC, "Dec in degrees, a sky position"),
}


def _check_position_kind(k: int, dst: str, path: Path) -> None:
    """Refuse a map that reads a sky column as a pixel position, or a pixel column as a sky one.

    Columns 2-5 mean the same in every LEGUS file; ``--map x=4`` took RA (degrees) as x and
    ``info`` printed "x 63.9 .. 64.1" without a word.

    Examples
    --------
    >>> _check_position_kind(35, "class_ref", Path("a.tab"))  # not a position: nothing to say
    >>> _check_position_kind(4, "x", Path("a.tab"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.ColumnMapError: a.tab: --map x=4: column 4 of a LEGUS .tab holds RA in degrees, ...
    """
    sky, pixel = (RA, DEC), (X, Y)
    if k not in _POSITION_COLUMNS or dst not in sky + pixel:
        return
    own, what = _POSITION_COLUMNS[k]
    if (dst in pixel) == (own in pixel):
        return
    where = {v[0]: c for c, v in _POSITION_COLUMNS.items()}
    raise ColumnMapError(
        f"{path}: --map {dst}={k}: column {k} of a LEGUS .tab holds {what}, not "
        f"{'a pixel' if dst in pixel else 'a sky'} position; {dst} is column {where[dst]}, read without "
        f"a map (x=2, y=3 in pixels; ra=4, dec=5 in degrees)")


def _between(lo: float, hi: float, *also: float):
    """A test of a column's values: within [lo, hi] or one of the markers ``also``."""
    return lambda v: ((v >= lo) & (v <= hi)) | np.isin(v, also)


#: What columns 1-33 hold in every LEGUS file (1-based column numbers), as tests of their values:
#: (columns, what they hold, test). Checked on the 35 shared files, whose values lie well inside
#: (magnitudes 10.5-39.6 or a sentinel, errors 0.002-39.8, CI 1.08-6.6 or about 70, ages 1e6-1.4e10,
#: E(B-V) 0-1.5, Q 0-1, filters 0, 3, 4, 5; 0 or 200 where there is no SED fit). A column missing
#: or added before column 34 shifts the others by one and breaks at least one test: a magnitude
#: error in a magnitude column, an age in the CI, a mass in the ages, a chi2 residual in E(B-V), the
#: number of filters in Q, a class in the number of filters (removing any one of columns 1-33 from
#: each shared file is refused, where the file holds a class 1 or 2).
FIXED_COLUMNS: tuple[tuple[tuple[int, ...], str, object], ...] = (
    ((4,), "RA in degrees (0-360)", _between(0, 360)),
    ((5,), "Dec in degrees (-90 to 90)", _between(-90, 90)),
    ((6, 8, 10, 12, 14), "a magnitude (Vega, 5-40, or a marker 44.444, 66.666, 99.999)", _between(5, 100)),
    ((7, 9, 11, 13, 15), "a magnitude error (0-40, or a marker)", _between(0, 100)),
    ((16,), "the CI, m(1 px) - m(3 px) in V (a few magnitudes; about 70 where the 1 px measurement failed)",
     _between(-5, 100)),
    ((17, 18, 19), "an age in yr (1e4-1e11, 0 where there is no SED fit)", _between(1e4, 1e11, 0)),
    ((23, 24, 25), "an E(B-V) (0-5, 200 where there is no SED fit)", _between(0, 5, SED_NO_FIT)),
    ((32,), "the Q probability of the SED fit (0-1, 200 where there is no fit)", _between(0, 1, SED_NO_FIT)),
    # 0, 4, 5 as the readme says, 3 in the v2 files, 200: never 1 or 2, which a class (0-4) moved here
    # by a lost column 33 holds
    ((33,), "the number of filters (0, 3, 4 or 5; 200 where there is no SED fit)",
     lambda v: np.isin(v, (0, 3, 4, 5, SED_NO_FIT))),
)


def check_fixed_columns(a: np.ndarray, lines: np.ndarray, path: Path) -> None:
    """Refuse a file whose columns 1-33 do not hold what every LEGUS file holds there.

    Columns 1-33 mean the same in every field; a copy that lost or gained a column before column 34
    (a spreadsheet that dropped an empty-looking column, a hand edit) is read shifted: magnitudes
    from their errors, the CI from the age, the class from the number of filters. NaN (a hand-edited
    blank) is left to the columns' own handling.

    Parameters
    ----------
    a
        The file's numbers (rows x columns, at least 34 columns).
    lines
        Each row's line in the file (1-based), for the message.
    path
        The file, for the message.

    Raises
    ------
    StarclassError
        Naming the first column (from the left) with a value it cannot hold, the value, its line and
        what the column should hold.

    Examples
    --------
    >>> row = [1, 10, 20, 65.0, -54.9] + [22.0, 0.05] * 5 + [1.5] + [0.0] * 16 + [5, 2, 2.33]
    >>> a = np.array([row]); check_fixed_columns(a, np.array([1]), Path("n.tab"))  # nothing to say
    >>> check_fixed_columns(np.delete(a, 9, axis=1), np.array([1]), Path("n.tab"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: n.tab, line 1: column 10 holds 0.05, not a magnitude ...
    """
    ncols = a.shape[1]
    for columns, what, test in FIXED_COLUMNS:
        for k in columns:
            v = a[:, k - 1]
            bad = np.isfinite(v) & ~test(v)
            if not bad.any():
                continue
            row = int(np.flatnonzero(bad)[0])
            raise StarclassError(
                f"{path}, line {int(lines[row])}: column {k} holds {v[row]:g}, not {what}; "
                f"{int(bad.sum())} of the {len(v)} rows hold such values: columns 1-33 of a LEGUS .tab are "
                "the same in every field (id, x, y, RA, Dec, five magnitudes and their errors, CI, SED fit, "
                "number of filters), so a column missing or added before column 34 shifts the others; this "
                f"file has {ncols} columns. Compare it with the original (or the field's .readme), or read a "
                "file of other columns as a table with a header (CSV, ECSV).")



def _at_lines(lines: np.ndarray, odd: np.ndarray) -> str:
    """Where in the file the odd values are, for a warning: ``"line 7"``, ``"lines 7, 9, 12, 15, 20 and 3 more"``."""
    at = np.flatnonzero(odd)
    shown = ", ".join(str(int(n)) for n in lines[at[:5]])
    return f"line{'s' if at.size > 1 else ''} {shown}" + (f" and {at.size - 5} more" if at.size > 5 else "")


def _ids_values(ids: np.ndarray, v: np.ndarray, odd: np.ndarray) -> str:
    """Which source holds which odd value, for a warning: ``" (id 386: 50)"``, five at most, then ``", ..."``."""
    at = np.flatnonzero(odd)
    pairs = ", ".join(f"id {ids[i]:.0f}: {v[i]:g}" if np.isfinite(ids[i]) else f"id ?: {v[i]:g}" for i in at[:5])
    return f" ({pairs}{', ...' if at.size > 5 else ''})"


#: The hybrid layout's class columns besides ``class_ref`` (NGC 1566 cols 36-39): classes 0-4, as col 34.
_OTHER_CLASS_COLUMNS = (CLASS_HUMAN_MODE, CLASS_ML, CLASS_ML_CHECKED, CLASS_RECLASSIFIED)


def _odd_integers(v: np.ndarray, method: bool, klass: bool = False) -> np.ndarray:
    """Values of an integer column that are no whole number, (the method column) no method flag, or
    (a class column) no class 0-4."""
    if method:
        return ~np.isin(v, METHOD_FLAGS)
    if klass:
        return ~np.isin(v, (0,) + CLASSES)
    return ~(np.isfinite(v) & (v == np.round(v)))

#: Columns whose non-finite values (nan, inf) their own check in :func:`read_legus_tab` warns of (or, the id,
#: refuses), by line.
_OWN_NONFINITE_CHECK = _INT_COLUMNS | {CLASS_HUMAN_MEAN}


def nonfinite_words(path: Path, columns: Sequence[tuple[int, str, np.ndarray]], lines: np.ndarray) -> str:
    """The one warning for a LEGUS file's non-finite values (``nan``, ``inf``) in its numeric columns.

    Parameters
    ----------
    path
        The file read, named as given.
    columns
        Each column's number (1-based), its name in the table and which rows are not finite there.
    lines
        Each row's line in the file (1-based).

    Returns
    -------
    str
        The path, each column with its row count and first line, and what the commands do with the rows.

    Examples
    --------
    >>> print(nonfinite_words(Path("n.tab"), [(12, "mag_f555w", np.array([False, True, True]))],
    ...                       np.array([1, 2, 4])))  # doctest: +ELLIPSIS +NORMALIZE_WHITESPACE
    n.tab: 2 values that are not finite numbers (nan, inf) in column 12 (mag_f555w) on 2 rows, the first at
    line 2, read as no value (NaN): ...
    """
    parts = []
    for k, name, gaps in columns:
        n = int(gaps.sum())
        first = int(lines[np.flatnonzero(gaps)[0]])
        parts.append(f"column {k} ({name}) on {n} row{'s' if n > 1 else ''}, "
                     f"{'the first ' if n > 1 else ''}at line {first}")
    total = sum(int(g.sum()) for _, _, g in columns)
    kinds = {"fit" if 17 <= k <= 32 else name.split("_")[0] for k, name, _ in columns}
    does = []
    if kinds & {"mag", "magerr"}:
        does.append("a magnitude (or its error) as not detected in that band, as LEGUS's 99.999: no colour, SED "
                    "check or mass limit uses it")
    if "ci" in kinds:
        does.append("a CI as not measured")
    if "fit" in kinds:
        does.append("an SED-fit figure as not fitted: the row is left out of the ages, masses and E(B-V)")
    if kinds & {"x", "y", "ra", "dec"}:
        does.append("a position as not given (a row with neither pixel nor sky position is refused)")
    if "legus" in kinds:
        does.append("a column of unknown meaning as a blank")
    what = "values that are not finite numbers" if total > 1 else "value that is not a finite number"
    return (f"{path}: {total} {what} (nan, inf) in "
            f"{'; '.join(parts)}, read as no value (NaN): the rows are kept and every command treats "
            f"{'; '.join(does)}. If {'they were' if total > 1 else 'it was'} lost in an edit, restore "
            f"{'them' if total > 1 else 'it'} from the original catalogue")


def read_legus_tab(path: str | Path, bands: Sequence[str] | None = None, one_based: bool = True,
                   column_map: Mapping[str, str] | None = None) -> Table:
    """Read a LEGUS ``.tab`` cluster catalogue of any field into the schema (not yet validated).

    Parameters
    ----------
    path
        The ``.tab`` file.
    bands
        The five filters, blue to red; default :func:`legus_bands`.
    one_based
        Subtract 1 from x, y (LEGUS positions are 1-based).
    column_map
        Column number (``"35"`` or ``"col35"``) -> schema name, overriding the layout: how to
        name the class column of a file whose layout is uncertain.

    Returns
    -------
    astropy.table.Table
        ``meta`` holds ``legus_layout``, ``layout_note``, ``layout_certain``, ``bands_source``,
        ``class_other`` (class values not 0-4 set to 0, e.g. NGC 4449's 5, in ``class_ref`` and the hybrid
        layout's other class columns), ``class_other_columns`` (how many in each), ``class_not_inspected``
        (those of them that are the expert layout's 5, "not inspected") and ``ci_cut``
        (from a readme, else the smallest CI among inspected sources). Where a source has no SED
        fit (age 0, or :data:`SED_NO_FIT` in column 33) columns 17-32 are NaN and ``n_filters`` 0.

    Raises
    ------
    StarclassError
        A row with another number of columns than the first, text that is not a number, an
        unknown column in ``column_map``, a map that reads a sky column (4, 5) as a pixel position
        or a pixel column (2, 3) as a sky one, a value that columns 1-33 cannot hold
        (:func:`check_fixed_columns`: a column lost or added), a source id that is ``nan`` or ``inf``;
        the file and line (or column) are named.

    Warns
    -----
    UserWarning
        Once per file, for ``nan`` or ``inf`` in any other numeric column whose own check does not name
        it (magnitudes, errors, CI, SED fit, positions): the path, each column, how many rows and the
        first line; the values are read as NaN (missing) and the rows kept.

    Examples
    --------
    >>> import tempfile, os
    >>> row = " ".join(["1", "10", "20", "65", "-54.9"] + ["22", "0.05"] * 5 + ["1.5"] + ["0"] * 16
    ...                + ["5", "2", "2.33", "1"])
    >>> with tempfile.TemporaryDirectory() as d:
    ...     p = os.path.join(d, "hlsp_legus_hst_wfc3_ngc1_multiband_v1.tab")
    ...     _ = open(p, "w").write(row + "\\n")
    ...     t = read_legus_tab(p)
    >>> t.meta["legus_layout"], int(t["class_ref"][0]), float(t["class_human_mean"][0]), float(t["x"][0])
    ('standard', 2, 2.33, 9.0)
    """
    p = Path(path)
    a, lines = _read_numbers(p)
    ncols = a.shape[1]
    # before the layout: a file shifted by a lost column was read as 'standard', its CI from the ages
    check_fixed_columns(a, lines, p)
    layout = detect_layout(a)
    names: dict[int, str] = {1: ID, 2: X, 3: Y, 4: RA, 5: DEC, 16: CI, 33: "n_filters"}
    # the field its positions lie at (columns 4, 5): a renamed file's name no longer says it
    named_field = field_from_name(p.name)
    plain_stem = Path(inner_name(p.name)).stem  # ngc1433.tab.xz: the field 'ngc1433', as science.many.field_name
    sky_field = field_from_sky(a[:, 3], a[:, 4], a[:, 1], a[:, 2]) if named_field is None else None
    if (named_field or sky_field) == "ngc1566" and layout.name != "hybrid":
        # a copy of NGC 1566 that lost (or gained) a column after col 34 was 'standard+extra' with the note
        # "col 34 class (mode)": its hybrid class, a machine's alone on 654 rows, called the people's mode
        layout = LegusLayout(layout.name, layout.columns, False, hybrid_lost_note(ncols))
    if bands is None:
        bands, bands_source = legus_bands(p, sky_field)
        if named_field is None and sky_field is None and bands_source.startswith("assumed"):
            # a renamed copy whose rows say no field: its filters (and field, and so its galaxy's distance)
            # were assumed with no word outside `info`'s "bands from" line
            warnings.warn(f"{p}: {unplaced_field_words(a[:, 3], a[:, 4])}, so it is read as field '{plain_stem}' "
                          "with its filters "
                          f"assumed: {', '.join(b.upper() for b in bands)} (B may be F435W, V F606W); give them "
                          "(starclass info --bands, bands= in Python) or keep the LEGUS file name", stacklevel=2)
    else:
        bands_source = "given"
        # before the count: five filters with one twice named two columns alike and lost a band, exit 0
        check_distinct_bands([bands] if isinstance(bands, str) else bands)
    bands = [b.lower() for b in bands]
    if len(bands) != 5:
        raise StarclassError(f"LEGUS catalogues have five bands; got {bands} for {p}")
    if bands_source == "given":
        check_legus_band_order(bands, p)
    for i, b in enumerate(bands):
        names[6 + 2 * i] = mag_col(b)
        names[7 + 2 * i] = magerr_col(b)
    for name, first in (("age", 17), ("mass", 20), ("ebv", 23)):
        for d, suffix in enumerate(("", "_max", "_min")):
            names[first + d] = name + suffix
    # the SED fit's figures by what they are (the readme's columns 26-32), the per-band residuals by the field's
    # own filters as the magnitudes: they were kept as legus_col26 .. legus_col32, numbers a user had to look up
    sed_names = {**{26 + i: sed_chi2_col(b) for i, b in enumerate(bands)}, 31: SED_CHI2_REDUCED, 32: SED_Q}
    names.update(sed_names)
    names.update(layout.columns)
    mapped = {}
    for src, dst in (column_map or {}).items():
        k = _column_number(src, ncols, p)
        _check_position_kind(k, dst, p)
        # two entries for one column, or two columns for one name: the later one replaced the earlier
        # without a word ({'36': 'class_ref', '35': 'class_ref'} read col 35 while the layout line said col 36)
        if mapped.get(f"col{k}", dst) != dst:
            raise ColumnMapError(f"{p}: the column map names column {k} twice, as {mapped[f'col{k}']} and as "
                                 f"{dst}: a column is read as one thing; keep the entry you mean")
        if (twice := [c for c, n in mapped.items() if n == dst and c != f"col{k}"]):
            raise ColumnMapError(f"{p}: the column map names two columns as {dst}, {twice[0][3:]} and {k}: only "
                                 f"one can be read as {dst}; keep the entry you mean")
        for other in [c for c, n in names.items() if n == dst and c != k]:
            names[other] = f"legus_col{other}"  # the user's choice replaces the layout's
        names[k] = dst
        mapped[f"col{k}"] = dst

    def col(k: int) -> np.ndarray:
        return a[:, k - 1]  # 1-based column numbers, as in the LEGUS readme

    t = Table(meta={"format": "legus", "one_based_input": one_based, "magsys": "vega"})
    # no SED fit: the v1 files' zeros (age 0) or the 200 of column 33 (SED_NO_FIT), whose
    # 2e8 yr, 200 Msun and E(B-V) 200 were read as a fit
    no_fit = (col(17) <= 0) | (col(33) == SED_NO_FIT)
    class_other = 0
    not_inspected = 0  # the expert layout's 5 (not inspected), among class_other
    class_other_columns: dict[str, int] = {}  # class column -> values not 0-4 read as 0 there
    strays: dict[str, str] = {}  # legus_colN of classes but on a few rows -> where those rows are
    nonfinite: list[tuple[int, str, np.ndarray]] = []  # columns with nan/inf not warned of by their own check
    if (no_id := ~np.isfinite(col(1))).any():
        # cast to int64 a 'nan' id became -9223372036854775808, which every output then carried
        raise StarclassError(f"{p}, line {int(lines[np.flatnonzero(no_id)[0]])}: column 1 (the source id) holds "
                             f"{col(1)[no_id][0]:g}, no number, on {int(no_id.sum())} of {len(no_id)} rows: every "
                             "source needs its id (matches, labels and outputs are by id); restore it from the "
                             "original catalogue")
    for k in range(1, ncols + 1):
        name = names.get(k, f"legus_col{k}")
        v = col(k).copy()
        if name not in _OWN_NONFINITE_CHECK and (gaps := ~np.isfinite(v)).any():
            # a 'nan' or 'inf' typed into a magnitude was read as "not detected" (or, -inf, as the brightest
            # source) without a word: the class columns alone named their NaN values
            nonfinite.append((k, name, gaps))
            if name not in _INT_COLUMNS:
                v[gaps] = np.nan  # -inf too: a magnitude of -inf passed every "mag < limit" cut
        if name in (X, Y):
            v = v - (1.0 if one_based else 0.0)
        elif name.startswith("mag_"):
            v[_missing(v)] = np.nan
        elif name == "ci":
            v[_missing(v) | (v > CI_MISSING)] = np.nan
        elif name.startswith("magerr_"):
            m = col(k - 1)  # errors follow their magnitude (pairs in columns 6-15)
            v[_missing(v) | _missing(m)] = np.nan
        elif name.split("_")[0] in ("age", "mass", "ebv") or name == sed_names.get(k):
            # the fit's results and its quality figures (columns 26-32): no figure where no fit was made
            v[no_fit] = np.nan
        elif k == 33 and name == "n_filters":
            v[no_fit] = 0  # the readme's number for a source not fitted
        if name == CLASS_REF:
            bad = ~np.isin(v, (0,) + CLASSES)
            class_other += int(bad.sum())
            if bad.any():
                class_other_columns[name] = int(bad.sum())
            # the expert layout's 5 (not inspected) is expected; any other value means the column
            # may not be a class at all: `info DIR` showed such a file as 'standard' with 0 inspected
            # and no word of the values it had set to 0
            odd = bad & ~(v == 5) if layout.name == "expert" else bad
            not_inspected += int((bad & ~odd).sum())
            if odd.any():
                shown = ", ".join(f"{x:g}" for x in np.unique(v[odd])[:5])
                # 1.25 or 2.333 is not "outside 0-4": it is no class at all, most likely the people's mean
                # class (a standard file's column 35), mapped as the class (--map class_ref=35)
                frac = odd & (v != np.round(v))
                what = "values outside 0-4" if not frac.any() else "values that are not classes 0-4"
                mean = (" (fractional values between 1 and 4 are a mean of the people's classes, as in column 35 "
                        "of a standard LEGUS file, read as class_human_mean; their mode, the class, is column 34)"
                        if frac.any() and np.all((v[frac] > 1) & (v[frac] < 4)) else "")
                if mean and k == 34:
                    # column 34 itself holding the mean: it told the user the class "is column 34", the
                    # column it had just read, where the file has lost a column before it
                    mean = (" (fractional values between 1 and 4 are a mean of the people's classes, which a "
                            "standard LEGUS file holds in column 35, after their mode, the class, in column 34: "
                            f"in column 34 they mean that the file lost its class column (it has {ncols} columns): "
                            "compare it with the original)")
                # where: a hand-edited file's one NaN or 7 was named by value alone. "not inspected" it was said
                # to be, of NGC 4242's 50 among people's classes 1-4 too: no value outside the scheme says that
                where = _at_lines(lines, odd)
                if f"col{k}" in mapped:
                    # the user had named this column (NGC 4242's --map ngc4242:class_ref=35): "name it: --map
                    # class_ref=N" told them to do what they had done; what the map did, and what is left, instead
                    n_odd = int(odd.sum())
                    step = (f"; column {k} is the class because the column map given names it (class_ref={k}), so "
                            f"{'that row is' if n_odd == 1 else 'those rows are'} not counted among the classified and "
                            f"not scored: if {'it is' if n_odd == 1 else 'they are'} a typo, correct "
                            f"{where} in a copy of the file; if another column holds the class, map that one instead")
                else:
                    step = ("; if another column holds the class, name it: --map class_ref=N (column_map={'N': "
                            "'class_ref'} in Python)")
                warnings.warn(f"{p}: column {k} (class_ref): {int(odd.sum())} of {len(v)} {what} "
                              f"({shown}) read as 0, no class: the class is unknown (a value outside the scheme of "
                              f"classes 0-4), at {where} of "
                              f"the file{_ids_values(col(1), v, odd)}{mean}{step}",
                              stacklevel=2)
            if layout.name == "expert" and k == 34:
                # this expert's 0 is spurious, as 4 (the README of the LEGUS files): it was read as
                # "not inspected" and left out of every count of spurious sources
                v[v == 0] = 4
            v[bad] = 0
        elif name == CLASS_HUMAN_MEAN and (odd := _odd_means(v, col(34))).any():
            # a hand edit: a mean where nobody looked, or no mean of classes 1-4 where people did (7.5, NaN)
            fill = np.where(np.isin(col(34), CLASSES), np.nan, 0.0)
            gaps = np.isnan(fill[odd])
            read = ("no mean (NaN): the source is left out of the people's disagreement" if gaps.all() else
                    "0, as for a source not inspected" if not gaps.any() else
                    "no mean (NaN) on inspected rows, 0 on the others")
            warnings.warn(f"{p}: column {k} ({name}): {int(odd.sum())} of {len(v)} values that are no mean of "
                          "the people's classes 1-4 for the class of their row in column 34 "
                          f"({', '.join(f'{x:g}' for x in np.unique(v[odd])[:5])}) read as {read}, "
                          f"at {_at_lines(lines, odd)} of the file", stacklevel=2)
            v[odd] = fill[odd]
        elif name in _INT_COLUMNS and name != ID and (
                odd := _odd_integers(v, name == CLASS_METHOD, name in _OTHER_CLASS_COLUMNS)).any():
            # a NaN cast to an integer became -32768 or 0 with only numpy's "invalid value encountered in cast":
            # NGC 1566's one NaN method flag read as "the machine alone", a NaN class_ml as a class; a 2 there
            # is a whole number, but no method. A 7 in class_ml was read as class 7 without a word (NGC 1566's
            # columns 36-39 hold only 0-4, as column 34)
            method = name == CLASS_METHOD
            klass = name in _OTHER_CLASS_COLUMNS
            fill = -1 if method else 0
            what = (f"values that are no method flag {', '.join(map(str, METHOD_FLAGS[:-1]))} or {METHOD_FLAGS[-1]}"
                    if method
                    else "values that are not classes 0-4" if klass
                    else "values that are not whole numbers")
            where = _at_lines(lines, odd)
            warnings.warn(f"{p}: column {k} ({name}): {int(odd.sum())} of {len(v)} {what} "
                          f"({', '.join(f'{x:g}' for x in np.unique(v[odd])[:5])}) read as {fill}"
                          f"{' (method unknown)' if fill == -1 else ', no class' if klass else ''}, at {where} "
                          f"of the file{_ids_values(col(1), v, odd)}", stacklevel=2)
            if klass:
                # read as 0 as class_ref's are: `info` counted class_ref's alone ("class values not 0-4") and said
                # nothing of a hybrid file's class_ml 7 it had just set to 0
                class_other += int(odd.sum())
                class_other_columns[name] = int(odd.sum())
            v[odd] = fill
        elif name == f"legus_col{k}" and k >= LEGUS_MIN_COLS and (stray := stray_class_values(v)) is not None \
                and stray.any():
            # a column of unknown meaning is kept as the file has it; where it holds classes, the file's line of
            # each odd value is known here alone, for evaluate to name when it reads the column as classes
            strays[name] = (f"column {k} ({name}): {int(stray.sum())} of {len(v)} values outside 0-4 "
                            f"({', '.join(f'{x:g}' for x in np.unique(v[stray])[:5])}) at {_at_lines(lines, stray)} "
                            f"of the file{_ids_values(col(1), v, stray)}")
        t[name] = v.astype(np.int64 if name == ID else np.int16) if name in _INT_COLUMNS else v
    if nonfinite:
        warnings.warn(nonfinite_words(p, nonfinite, lines), stacklevel=2)
    if layout.name == "hybrid" and names.get(34) == CLASS_REF:
        t[CLASS_HYBRID] = t[CLASS_REF].copy()
    elif layout.name == "hybrid" and names.get(34) == "legus_col34":
        # a map that reads class_ref from another column (--map class_ref=36, the three people's mode) left col 34,
        # the hybrid class, as legus_col34 and made class_hybrid a copy of the mapped column: --pred-column
        # class_hybrid then scored col 36 against itself, and info counted col 36's classes by col 35's methods
        hybrid = np.asarray(t["legus_col34"], dtype=float)
        t.remove_column("legus_col34")
        t[CLASS_HYBRID] = np.where(np.isin(hybrid, (0,) + CLASSES), hybrid, 0).astype(np.int16)
    set_units(t)
    # the flags by column number, whatever the map named them: `info NGC3738.tab --map class_ref=36` counted the
    # README's 0/1 flag as 18 sources of class 1 without a word (the user named it, so it is read, with this warning)
    raw_flags = legus_flag_columns(layout.name, ncols, {k: col(k) for k in (35, 36) if k <= ncols})
    for src, dst in mapped.items():
        if (what := raw_flags.get(f"legus_{src}")) is not None:
            warnings.warn(f"{p}: column {src[3:]}, read as {dst} because the column map names it, is {what}: {dst} "
                          f"holds that flag's 0s and 1s; the class (the mode of the people's classes) is column 34 "
                          f"(the LEGUS README; docs/legus_validation.md)", stacklevel=2)
    certain = layout.certain or CLASS_REF in (column_map or {}).values()
    note = layout.note
    named = [c for c, d in mapped.items() if d == CLASS_REF]
    if layout.name == "unknown-class" and named:
        # the note told the user to name the class column, which they had done: `info FILE --map
        # class_ref=35` printed "the class column is not known (name it ...)" beside the counts of col 35
        note = (f"col 34 holds only 0/1: the class column is not known from the file; class_ref read from "
                f"{named[0]}, as the column map names it")
    elif named and (own := [k for k, v in layout.columns.items() if v == CLASS_REF]) and named[0] != f"col{own[0]}":
        # `info NGC1566 --map class_ref=36` counted col 36's classes under "col 34 final hybrid class": the line
        # says what was read, and what became of the layout's own class column
        moved = int(named[0][3:])
        was = layout.columns.get(moved)
        now = CLASS_HYBRID if layout.name == "hybrid" else names[own[0]]
        whose = f" (the layout's {was})" if was else ""
        note = (f"class_ref read from col {moved}{whose}, as the column map names "
                f"it; col {own[0]}, the layout's class column, "
                f"read as {now} (the layout: {layout.note})")
    t.meta.update({
        "legus_layout": layout.name, "layout_note": note, "layout_certain": layout.certain,
        "legus_ncols": ncols, "bands_source": bands_source, "class_other": class_other,
        "class_other_columns": class_other_columns,
        "class_not_inspected": not_inspected, STRAY_CLASS_VALUES: strays,
        LEGUS_FLAG_COLUMNS: legus_flag_columns(layout.name, ncols, {
            k: np.asarray(t[f"legus_col{k}"], dtype=float) for k in (35, 36) if f"legus_col{k}" in t.colnames}),
        "column_map_used": mapped, "field": named_field or sky_field or plain_stem,
        "field_from_sky": sky_field,
        # the SED fits' masses are the stars' mass at the fitted age: they match the Yggdrasil table's Mstars within
        # 0.03 dex from 6 to 200 Myr, not its Mconverted (docs/legus_validation.md); mass limits drawn over them are
        # taken in the same convention (science.massfunc.catalog_mass_kind)
        MASS_KIND: "stellar",
        # where a column map moved one elsewhere, that band has none
        FIT_RESIDUALS: {b: sed_chi2_col(b) for i, b in enumerate(bands) if names.get(26 + i) == sed_chi2_col(b)},
    })
    # every band's camera a source states (readme, KNOWN_FILTERS, a WFC3-only name, LEGUS's filters), so that the
    # SSP model (SED check, mass limits, tracks) is put on each camera's Vega system: NGC 1566's F814W took the
    # filter-only +0.42 for WFC3/UVIS's +0.418, its F336W +1.19 for +1.185
    cams, cams_sources = legus_cameras(p, bands, named_field, sky_field)
    if cams:
        t.meta["cameras"] = cams
        t.meta["cameras_source"] = cams_sources
    # which camera the model's V is on, and whether a source says so (info, evaluate --catalogs)
    t.meta["v_camera"], t.meta["v_camera_source"] = v_camera(bands[3], t.meta.get("cameras"),
                                                             cams_sources.get(bands[3]),
                                                             wfc3_only_name(p, sky_field))
    rd = _readme_filters(p)
    if rd is not None and rd[1] is not None:
        t.meta["ci_cut"] = rd[1]
    elif CLASS_REF in t.colnames and np.isin(t[CLASS_REF], CLASSES).any():
        # the catalogue does not state its CI cut: the smallest CI of an inspected source shows it
        t.meta["ci_cut"] = round(float(np.nanmin(np.asarray(t["ci"])[np.isin(t[CLASS_REF], CLASSES)])), 2)
    if not certain:
        # the info command with this file's path, not 'FILE': the one file the step is about is known here
        step = f"{layout.note}{uncertain_layout_step(layout.name)}".replace(
            "starclass info FILE", f"starclass info {shell_word(str(p))}")
        warnings.warn(f"{p}: LEGUS layout '{layout.name}' is uncertain: {step}", stacklevel=2)
    return t


#: A number as a spreadsheet in a decimal-comma locale writes it (``3171,478``, ``0,000e+00``, ``-47,19``).
_DECIMAL_COMMA = re.compile(r"[+-]?(?:\d+,\d*|,\d+)(?:[eE][+-]?\d+)?")


def legus_tokens(line: str) -> list[str]:
    """The values of a line of a LEGUS catalogue: whitespace-, comma- or ``;``-separated (a spreadsheet's save).

    A spreadsheet saves the whitespace-separated file as CSV, ``1,3839.345,...``, with no header; in a
    locale with a decimal comma it separates the values with ``;`` and writes ``3839,345``, which is
    read as ``3839.345`` (a ``;`` line only: a decimal comma means nothing else there). A separator
    splits the line only where every piece is then a number, so a decimal comma (``1,5``) is not split
    into two values of a whitespace-separated line, and a header line stays one token. Quoted cells
    (``"1";"3839,345"``) are read as a CSV reader reads them; a tab-separated save (Excel's "Text",
    "Unicode Text") is whitespace-separated. A typeset minus sign (U+2212, a table copied from a paper)
    is a minus: the copy was taken for a table with a header and refused as "required column 'id' missing".

    Examples
    --------
    >>> legus_tokens("1  10.5 20.0"), legus_tokens("1,10.5,20.0"), legus_tokens("id,x,y")
    (['1', '10.5', '20.0'], ['1', '10.5', '20.0'], ['id,x,y'])
    >>> legus_tokens("1;3839,345;-47,19173;0,000e+00"), legus_tokens("id;x;y")
    (['1', '3839.345', '-47.19173', '0.000e+00'], ['id;x;y'])
    >>> legus_tokens("2 24.17906 \u221215.81370")
    ['2', '24.17906', '-15.81370']
    """
    s = line.strip().replace("\u2212", "-")
    for sep in (";", ","):
        if sep not in s:
            continue
        # a spreadsheet that quotes its cells ("1";"3839,345"): the csv module reads the quotes away
        pieces = [v.strip() for v in next(csv.reader([s], delimiter=sep), [])]
        if pieces and not pieces[-1]:
            pieces = pieces[:-1]  # a trailing empty cell ("1;2;"): none
        if sep == ";":
            # European Excel's decimal comma; only in a ';' line, where a comma separates nothing
            pieces = [v.replace(",", ".") if _DECIMAL_COMMA.fullmatch(v) else v for v in pieces]
        if pieces and all(_is_float(v) for v in pieces):
            return pieces
    return s.split()


#: Sexagesimal text as a catalogue may hold an angle (``1:36:43.45``, ``+15:48:51.7``, ``01h36m43.45s``,
#: ``15d48m51.7s``): no number, and in columns 4, 5 of a LEGUS line the RA and Dec written so.
SEXAGESIMAL = re.compile(r"[+-]?\d{1,3}[:hd\u00b0]\d{1,2}[:m']\d{1,2}(?:\.\d*)?[s\"]?")

#: What columns 1-5 of every LEGUS line hold, to name a column that holds no number.
_FIXED_NAMES = {1: "the source id", 2: "x", 3: "y", 4: "RA, in degrees", 5: "Dec, in degrees"}


def _not_a_number(p: Path, lineno: int, parts: list[str]) -> StarclassError:
    """The error for a LEGUS line holding text that is no number, naming the line, the column and what to do."""
    k = next(i for i, v in enumerate(parts) if not _is_float(v))
    bad = parts[k]
    col = k + 1
    if _DECIMAL_COMMA.fullmatch(bad):
        # Excel's "Unicode Text" (tab-separated) in a decimal-comma locale: a comma is read as the decimal
        # mark only where ';' separates the values (legus_tokens)
        return StarclassError(
            f"{p}, line {lineno}: {bad!r} is written with a decimal comma in a file whose values are separated "
            "by spaces or tabs, where starclass does not read a comma as the decimal mark; save it with a "
            "decimal point, or as CSV separated by ';'")
    what = f" ({_FIXED_NAMES[col]})" if col in _FIXED_NAMES else ""
    if col in (4, 5) and SEXAGESIMAL.fullmatch(bad):
        # an edited copy with the positions written as sexagesimal text: it was taken for a table with a
        # header and refused as "required column 'id' missing (columns: col1, col2, ...)"
        return StarclassError(
            f"{p}, line {lineno}: column {col}{what} holds {bad!r}, sexagesimal text; a LEGUS .tab gives RA and "
            f"Dec as decimal degrees in columns 4 and 5: write them in degrees (astropy: Angle({bad!r}, "
            f"unit='{'hourangle' if col == 4 else 'deg'}').deg), or save the catalogue as CSV or ECSV with a "
            "header, whose ra, dec may be sexagesimal text")
    return StarclassError(f"{p}, line {lineno}: column {col}{what} is not a number: {bad!r}")


def _read_numbers(p: Path) -> tuple[np.ndarray, np.ndarray]:
    """The file's numbers, one row per line of data, and each row's line in the file (1-based)."""
    rows: list[list[float]] = []
    line_of: list[int] = []
    comments: list[tuple[int, str]] = []  # comment lines among the rows (after the first one)
    try:
        # hlsp_..._avgapcor.tab.gz as kept in an archive: read inside, not refused as "not a LEGUS .tab"; a .tab.bz2
        # or .xz too, told by its first bytes as every catalogue reader tells them
        opener = open_table_file
        # utf-8-sig: a copy saved by Windows Notepad starts with a byte-order mark, which read as part of
        # the first id ("not a number"); any other non-ASCII text is still no number and named so. A copy
        # saved as Excel's "Unicode Text" is UTF-16 (its own byte-order mark): "not text" before
        with opener(p, "rb") as fh:
            encoding = "utf-16" if fh.read(2) in (b"\xff\xfe", b"\xfe\xff") else "utf-8-sig"
        with opener(p, "r", encoding=encoding, errors="strict") as fh:
            numbered = [(lineno, line.strip()) for lineno, line in enumerate(fh, start=1)]
        data = [(lineno, legus_tokens(s)) for lineno, s in numbered if s and not s.startswith("#")]
        last = data[-1][0] if data else 0
        # the columns most rows have: a first row that lost a column made every good row the fault
        # ("line 2: 35 columns, the first row has 34")
        widths = Counter(len(parts) for _, parts in data)
        first_width = len(data[0][1]) if data else LEGUS_MIN_COLS
        common, n_common = widths.most_common(1)[0] if data else (first_width, 0)
        ncols = first_width if widths[first_width] >= n_common else common
        if data and not LEGUS_MIN_COLS <= ncols <= LEGUS_MAX_COLS:
            at = next(lineno for lineno, parts in data if len(parts) == ncols)
            raise StarclassError(f"{p}, line {at}: {ncols} columns, a LEGUS .tab catalogue has "
                                 f"{LEGUS_MIN_COLS}-{LEGUS_MAX_COLS}")
        parts_of = dict(data)
        for lineno, s in numbered:
            if not s:
                continue
            if s.startswith("#"):
                if rows:
                    comments.append((lineno, s))
                continue
            parts = parts_of[lineno]
            if len(parts) != ncols:
                if ncols != first_width:
                    raise StarclassError(f"{p}, line {lineno}: {len(parts)} columns, where {widths[ncols]} of the "
                                         f"{len(data)} rows have {ncols}")
                # the last line short: the file was cut mid-row (an interrupted download or copy), which the
                # bare count did not say
                cut = (" (the last line: the file ends mid-row, as a download or copy cut short leaves it; "
                       "fetch or copy it again)") if lineno == last and len(parts) < ncols else ""
                raise StarclassError(f"{p}, line {lineno}: {len(parts)} columns, the first row has {ncols}{cut}")
            try:
                rows.append([float(v) for v in parts])
                line_of.append(lineno)
            except ValueError:
                raise _not_a_number(p, lineno, parts) from None
    except UnicodeDecodeError as exc:
        raise StarclassError(f"cannot read {p} as a LEGUS .tab (not text): {exc}") from None
    except (OSError, EOFError) as exc:  # EOFError: a truncated .gz
        raise StarclassError(f"cannot read {p}: {exc}") from None
    if comments:
        # skipped as the comments above the rows are, but a LEGUS .tab has none among its rows: a source
        # commented out (or two files joined) went without a word
        first, text = comments[0]
        if len(comments) == 1:
            where = f"1 comment line among the rows skipped, not read as a source (line {first}: {text[:60]!r})"
        else:
            lines = ", ".join(str(n) for n, _ in comments[:5]) + (", ..." if len(comments) > 5 else "")
            where = (f"{len(comments)} comment lines among the rows skipped, not read as sources (lines {lines}; "
                     f"the first: {text[:60]!r})")
        warnings.warn(f"{p}: {where}; a LEGUS .tab has none: delete {'it' if len(comments) == 1 else 'them'}, "
                      "or restore the source commented out", stacklevel=3)
    return np.asarray(rows, dtype=float).reshape(-1, ncols or LEGUS_MIN_COLS), np.asarray(line_of, dtype=np.int64)


def _is_float(v: str) -> bool:
    try:
        float(v)
    except ValueError:
        return False
    return True


def legus_number(v: str) -> bool:
    """Whether a token of a LEGUS line is a number, with a decimal point or a decimal comma.

    :func:`legus_tokens` reads a decimal comma only in a ``;``-separated line; a whitespace-separated
    line of such numbers is still a LEGUS catalogue, which the reader refuses naming the line and
    what to do (it was read as a generic table and refused as "required column 'id' missing").

    Examples
    --------
    >>> legus_number("3171.478"), legus_number("3171,478"), legus_number("id")
    (True, True, False)
    """
    return _is_float(v) or _DECIMAL_COMMA.fullmatch(v) is not None


def legus_line_token(v: str) -> bool:
    """Whether a token may stand in a LEGUS line: a number (:func:`legus_number`) or sexagesimal text.

    A copy whose RA, Dec (columns 4, 5) were written as sexagesimal text is still a LEGUS catalogue,
    which the reader refuses naming the line, the column and what to do; it was read as a table with a
    header line and refused as "required column 'id' missing".

    Examples
    --------
    >>> legus_line_token("24.18"), legus_line_token("1:36:43.45"), legus_line_token("-15d48m51.7s")
    (True, True, True)
    >>> legus_line_token("ra"), legus_line_token("1:2")
    (False, False)
    """
    return legus_number(v) or SEXAGESIMAL.fullmatch(v) is not None
