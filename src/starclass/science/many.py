"""Catalogue science over many LEGUS fields: per-field distributions, boxes, slopes, and the
naive-rule ladder in leave-one-galaxy-out form.

The StarcNet paper (section 5) measured its image classifier leaving one galaxy out at a time;
this module sets the same yardstick for *catalogue* rules over every LEGUS field with enough
human-classified sources (:data:`MIN_INSPECTED`). For each field it gives

* the class counts and the sanity check of the distance against the inspection cut (LEGUS
  inspected only sources with M_V <= -6, so the faintest inspected source should sit near -6),
* per-class quartiles of CI, M_V, U-B and V-I (:func:`class_distributions`),
* U-B vs V-I colour-colour box counts (:func:`field_boxes`),
* the class 1+2 mass-function slope (:func:`field_mass_slopes`),

and, pooled over all fields, the naive-rule ladder (majority, CI tree, CI + colours + M_V tree,
gradient boosting on every photometric column) scored leaving one galaxy out
(:func:`logo_ladder`, :class:`sklearn.model_selection.LeaveOneGroupOut`; fields of one galaxy,
such as NGC 628-C and -E, are one group).

Distances are not in the LEGUS files (only NGC 628-C's readme states one); they come from
:data:`FIELD_DISTANCES_MPC`, the values the LEGUS catalogues were built with.

Reading. Every file is read by ``starclass.io.catalog.read_catalog`` (layouts, per-field filters
and sentinels: :mod:`starclass.io.legus`). Only column 34's class is used (NGC 1566's hybrid final
class; never its columns 36-39, which are not individual people), and only where people gave it:
NGC 1566's rows classified by its machine-learning classifier alone (``class_method`` 0) count as
not inspected, as they are not human labels (:func:`read_legus_field`). A file whose layout the
reader calls uncertain, or whose class is one expert's rather than a human mode, is left out
(:func:`usable_layout`).
"""

from __future__ import annotations

import functools
import re
import warnings
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np
from astropy.table import MaskedColumn, Table, vstack

from starclass import quiet_import
from starclass.errors import StarclassError, shell_word
from starclass.io.legus import LAYOUT_UNCERTAIN_WARNING
from starclass.io.legus import machine_only as machine_only_rows
from starclass.io.progress import Progress
from starclass.schema import (
    AGE,
    CI,
    CI_CUT,
    CLASS_METHOD,
    CLASS_REF,
    DEC,
    ID,
    MASS,
    MASS_KIND,
    N_INSPECTED,
    N_MACHINE_ONLY,
    N_ROWS,
    RA,
    X,
    Y,
    check_distance_mpc,
    class_array,
    class_count_column,
    group_column,
    mag_col,
    magerr_col,
)
from starclass.science.colour import box_counts
from starclass.science.massfunc import catalog_mass_kind, fit_powerlaw_ml, mass_completeness, mass_limit
from starclass.science.sedcheck import SED_OFFSET_TOLERANCE, sed_band_offsets, sed_readings
from starclass.science.ssp import distance_modulus, load_ssp, ssp_label

#: Fields with fewer human-classified sources (classes 1-4) are left out of the many-field
#: study: below ~100 a field's per-class quartiles rest on a handful of objects and one
#: left-out galaxy scores with a +-10-point binomial error.
MIN_INSPECTED = 100

#: Absolute V limit of the LEGUS visual inspection (official readme, column 34): the box
#: counts use it, so every inspected source counts, at every distance alike.
INSPECTION_MV = -6.0

#: Distance (Mpc) per galaxy. Calzetti et al. 2015, AJ 149, 51, Table 1 (the distances the
#: LEGUS cluster catalogues used; the NGC 628-C readme quotes its 9.9 Mpc, distance modulus
#: 29.98), except NGC 1566: 17.9 Mpc as in StarcNet (Perez et al. 2021) and the rest of
#: starclass (Calzetti's table has 13.2, a Tully-Fisher value). At 17.9 Mpc NGC 1566 is limited
#: by detection (M_V ~ -7), not by the M_V = -6 inspection cut (:func:`field_summary`).
#: UGC 5340 (DDO 68): 12.65 Mpc, its tip-of-the-red-giant-branch distance adopted by Sacchi et al.
#: 2016 (ApJ 830, 3; 12.08 +- 0.67 from the TRGB alone), beside 12.75 +- 0.41 Mpc (Makarov et al.
#: 2017, arXiv:1612.00495), not the 5.9 Mpc attributed to Calzetti et al. 2015 (used until
#: 2026-12-06). The 5.9 did not fit the catalogue itself: the LEGUS masses were fitted at some
#: distance, and at 5.9 Mpc the field's median log(mass) + 0.4 M_V (a mass-to-light ratio, which the
#: same SSP models set alike in every field at a given age) stood 0.93 / 0.75 / 0.65 dex above the
#: other fields' median at 3-10 Myr / 10-100 Myr / > 100 Myr (above every other field), and its
#: inspected sources' 90th-percentile M_V was -4.81, far below the M_V = -6 inspection cut; at 12.65
#: Mpc the offsets are 0.27 / 0.09 / -0.01 dex and the percentile -6.47
#: (tests/test_legus_default_distance.py; docs/legus_validation.md, "Filters and distances"). The
#: old value for one run: ``distances={"ugc5340": 5.9}`` of :func:`load_fields` and
#: :func:`many_field_tables`, which override any galaxy's value.
FIELD_DISTANCES_MPC: dict[str, float] = {
    "eso486-g021": 9.5, "ic4247": 5.11, "ic559": 5.3, "ngc1433": 8.3, "ngc1566": 17.9,
    "ngc1705": 5.1, "ngc3274": 6.55, "ngc3351": 10.0, "ngc3738": 4.90, "ngc4242": 5.8,
    "ngc4248": 7.8, "ngc4395": 4.30, "ngc4449": 4.31, "ngc4485": 7.6, "ngc45": 6.61,
    "ngc4656": 5.5, "ngc5238": 4.51, "ngc5253": 3.15, "ngc5474": 6.8, "ngc5477": 6.4,
    "ngc628": 9.9, "ngc6503": 5.27, "ngc7793": 3.44, "ugc1249": 6.9, "ugc4305": 3.05,
    "ugc4459": 3.66, "ugc5139": 3.98, "ugc5340": 12.65, "ugc685": 4.83, "ugc695": 10.9,
    "ugc7242": 5.42, "ugc7408": 6.7, "ugca281": 5.90,
}

#: The naive-rule ladder, simplest first.
RULES = ("majority", "ci_tree", "tree3", "gbm")


def ladder_column(task: str, rule: str) -> str:
    """Column of ``ladder_per_field.ecsv`` holding a rule's accuracy on a task, per left-out field.

    ``accuracy_4class_gbm``: an identifier (:func:`starclass.schema.group_column`). Until 2026-12-05
    the column was ``4class_gbm``, which starts with a digit (``df.4class_gbm`` is a syntax error, and
    TOPCAT reads it as a number); :func:`starclass.schema.renamed_result_columns` reads those tables.

    Examples
    --------
    >>> ladder_column("4class", "gbm"), ladder_column("binary", "majority")
    ('accuracy_4class_gbm', 'accuracy_binary_majority')
    """
    return group_column(f"{task}_{rule}", "accuracy_")
#: The five LEGUS band roles, blue to red (columns 6-15 of a ``.tab``).
ROLES = ("uv", "u", "b", "v", "i")
QUANTITIES = ("ci", "abs_mag_v", "u_b", "v_i")



# ---------------------------------------------------------------------------------------------
# reading


def field_name(path: str | Path) -> str:
    """The LEGUS field of a catalogue file name (``ngc628-c``), or the file stem.

    Examples
    --------
    >>> field_name("hlsp_legus_hst_acs-wfc3_ngc628-c_multiband_v1_padagb-mwext-avgapcor.tab")
    'ngc628-c'
    >>> field_name("my_catalogue.tab")
    'my_catalogue'
    >>> field_name("my_catalogue.tab.gz"), field_name("my_catalogue.tab.xz")
    ('my_catalogue', 'my_catalogue')
    """
    from starclass.io.compressed_text import inner_name
    from starclass.io.legus import field_from_name

    name = Path(path).name
    stem = Path(inner_name(name)).stem  # ngc1433.tab.xz: the field 'ngc1433', not 'ngc1433.tab'
    return field_from_name(name) or stem.lower()


def galaxy_of(field: str) -> str:
    """The galaxy a field belongs to: a trailing pointing letter (-c, -e, -n, -s, -w) dropped.

    Examples
    --------
    >>> galaxy_of("ngc628-e"), galaxy_of("eso486-g021"), galaxy_of("ngc1566")
    ('ngc628', 'eso486-g021', 'ngc1566')
    """
    return re.sub(r"-[a-z]$", "", field.lower())


def usable_layout(table: Table) -> str | None:
    """Why a LEGUS table read by the io reader cannot be used here, or None when it can.

    A field is used when its layout is certain and column 34 is a human mode (``standard``)
    or the NGC 1566 hybrid final class (``hybrid``). Left out: one expert's class (``expert``,
    NGC 4449), a class column the reader cannot know (``unknown-class``: NGC 3351, NGC 4242,
    NGC 45) and extra columns of unknown meaning (``standard+extra``: NGC 5474, ESO 486-G021).

    Examples
    --------
    >>> usable_layout(Table(meta={"legus_layout": "expert", "layout_certain": False}))
    "layout 'expert' (one expert's class, not a human mode)"
    >>> usable_layout(Table({"class_ref": [1]}, meta={"legus_layout": "standard", "layout_certain": True}))
    """
    layout = table.meta.get("legus_layout")
    if layout == "expert":
        return "layout 'expert' (one expert's class, not a human mode)"
    if CLASS_REF not in table.colnames:
        return f"layout {layout!r}: no class column known"
    if layout not in ("standard", "hybrid") or not table.meta.get("layout_certain", False):
        return f"layout {layout!r} uncertain: {table.meta.get('layout_note', '')}".rstrip(": ")
    return None


def layout_remedy(field: str, table: Table) -> str:
    """What keeps a field that :func:`usable_layout` leaves out: the ``--map`` that names its class column, or "".

    The reason alone ("layout 'unknown-class': no class column known") left the user of ``evaluate --catalogs``
    and ``report --catalogs`` with no next step, though ``--map FIELD:class_ref=N`` keeps such a field. A map
    is applied only where the reader calls the layout uncertain (:func:`read_legus_field`), so a layout it is
    sure of gets no step.

    Parameters
    ----------
    field
        The field's name, as ``--map FIELD:`` takes it (``ngc3351``).
    table
        The field as the reader read it (its ``class_ref`` column, if the layout gives one, and
        ``meta['layout_certain']``).

    Returns
    -------
    str

    Examples
    --------
    >>> print(layout_remedy("ngc3351", Table({"legus_col35": [1]}, meta={"layout_certain": False})))
    ... # doctest: +NORMALIZE_WHITESPACE
    name its class column to use it: --map ngc3351:class_ref=N (starclass info FILE --map class_ref=N shows its
    counts)
    >>> layout_remedy("ngc4449", Table({"class_ref": [1]}, meta={"layout_certain": False}))
    '--map ngc4449:class_ref=34 uses its column 34 as the class all the same'
    >>> layout_remedy("ngc4449", Table({"class_ref": [1]}, meta={"layout_certain": True}))
    ''
    """
    if table.meta.get("layout_certain", True):
        return ""  # --map is never applied over a layout the reader is sure of
    if CLASS_REF not in table.colnames:
        # the file read, where the table says it: 'info FILE' left the user to find which of the folder's files it is
        src = table.meta.get("source")
        return (f"name its class column to use it: --map {field}:class_ref=N (starclass info "
                f"{shell_word(str(src)) if src else 'FILE'} --map class_ref=N shows its counts)")
    return f"--map {field}:class_ref=34 uses its column 34 as the class all the same"


def parse_field_maps(items: Sequence[str] | None) -> dict[str, dict[str, str]]:
    """``evaluate --catalogs`` / ``report --catalogs`` ``--map`` items -> field (``""``: every field) -> map.

    An item is what ``starclass info --map`` takes, LEGUS column numbers (``class_ref=35``, or several
    separated by commas), applied to every file of uncertain layout; ``FIELD:`` before it (``ngc3351:class_ref=35``)
    applies it to that field alone, in place of the map for every field: one folder holds the three fields
    whose class is in column 35 and the three whose class is in column 34 but whose layout is still uncertain.

    Raises
    ------
    StarclassError
        An item that ``info``'s ``--map`` refuses, or one naming a column by name: LEGUS files have none.

    Examples
    --------
    >>> parse_field_maps(["class_ref=34", "ngc3351:class_ref=35", "NGC45:35=class_ref"])
    {'': {'34': 'class_ref'}, 'ngc3351': {'35': 'class_ref'}, 'ngc45': {'35': 'class_ref'}}
    >>> parse_field_maps(None)
    {}
    """
    from starclass.io.overview import add_map_entry, is_column_number, parse_column_map

    out: dict[str, dict[str, str]] = {}
    for item in items or ():
        text = str(item)
        field = ""
        head, eq, _ = text.partition("=")
        if eq and ":" in head:
            field, _, text = text.partition(":")
            field = field.strip().lower()
            if not field:
                raise StarclassError(f"--map item {item!r}: name the field before ':' (e.g. ngc3351:class_ref=35)")
        for src, dst in (parse_column_map([text]) or {}).items():
            if not is_column_number(src):
                raise StarclassError(f"--map item {item!r}: with --catalogs it takes LEGUS column numbers "
                                     f"(class_ref=35); {src!r} is no column number (LEGUS .tab files have no "
                                     "column names)")
            add_map_entry(out.setdefault(field, {}), src, dst)
    return out


def read_legus_field(path: str | Path, *, distances: Mapping[str, float] | None = None,
                     column_map: Mapping[str, str] | None = None, ssp: str | Path | None = None) -> Table:
    """One LEGUS field as a schema table with ``field``, ``galaxy``, ``bands`` and ``distance_mpc`` in meta.

    Read by ``starclass.io.catalog.read_catalog`` (filters per field from
    :func:`starclass.io.legus.legus_bands`); only the columns every layout shares are kept.

    Parameters
    ----------
    path : str or Path
        A LEGUS ``.tab`` cluster catalogue.
    distances : mapping, optional
        Galaxy (lower case, e.g. ``"ugc5340"``) -> distance (Mpc) taking the place of
        :data:`FIELD_DISTANCES_MPC`'s (checked by :func:`load_fields`).
    column_map : mapping, optional
        LEGUS column number -> schema name (``{"35": "class_ref"}``, ``--map class_ref=35``), as ``starclass
        info --map`` takes it: applied only where the reader calls the file's layout uncertain (NGC 3351's class
        is not known from the file), which is then used as the map reads it when the map names ``class_ref``
        (``meta["mapped"]``); a file of a certain layout is read with its own (``meta["map_not_applied"]``).
    ssp : str or Path, optional
        The SSP table the field's SED fits are checked against (``--ssp``; default the packaged one).

    Returns
    -------
    astropy.table.Table
        ``id, x, y, ra, dec, mag_<band>, magerr_<band>, ci, age, mass, class_ref``
        (0 = not inspected); ``meta["skip"]`` says why the field cannot be used, if so, and
        ``meta["machine_only"]`` how many classes no person gave (a hybrid field's
        ``class_method`` 0: :data:`starclass.io.legus.MACHINE_ONLY_METHODS`), set to 0 here:
        they are not human labels, and the many-field study scores human labels only.

    Raises
    ------
    StarclassError
        Unreadable file, or a galaxy without a distance in :data:`FIELD_DISTANCES_MPC`.

    Examples
    --------
    >>> import tempfile
    >>> from starclass.datasets.catalogs import write_fake_legus_folder
    >>> folder = write_fake_legus_folder(Path(tempfile.mkdtemp()) / "legus")  # three synthetic fields
    >>> t = read_legus_field(folder / "hlsp_legus_hst_wfc3_ngc1433_multiband_v1_padagb-mwext-avgapcor.tab")
    >>> t.meta["bands"], t.meta["distance_mpc"], len(t)
    (['f275w', 'f336w', 'f438w', 'f555w', 'f814w'], 8.3, 200)
    >>> read_legus_field(folder / "hlsp_legus_hst_wfc3_ngc1433_multiband_v1_padagb-mwext-avgapcor.tab",
    ...                  distances={"ngc1433": 9.0}).meta["distance_mpc"]
    9.0
    """
    from starclass.io.catalog import read_catalog
    from starclass.io.legus import field_from_name, legus_bands, unplaced_field_words

    p = Path(path)
    with warnings.catch_warnings():
        # an uncertain layout is reported in meta["skip"] (and the skipped table), not as a warning; only that
        # one: every warning was ignored, and a hand-edited field's class 7 (read as 0, no class) left the
        # study's counts without the word `info` says about it, naming the line
        warnings.filterwarnings("ignore", message=LAYOUT_UNCERTAIN_WARNING)
        t = read_catalog(p, fmt="legus")
        mapped = bool(column_map) and not t.meta.get("layout_certain", True)
        if mapped:
            # as info reads a folder with --map: the map where the layout is uncertain, never over a certain one
            # (class_ref=35 on a standard file would read its class means as classes)
            t = read_catalog(p, fmt="legus", column_map=dict(column_map or {}))
    # a renamed file (ngc628c.tab) is the field its sources' positions lie at (io.legus.field_from_sky): it was
    # 'ngc628c', of no known distance, its ACS filters assumed to be WFC3's
    sky_field = t.meta.get("field_from_sky")
    field = sky_field or field_name(p)
    galaxy = galaxy_of(field)
    bands, bands_source = legus_bands(p, sky_field)
    # after the file is read: a renamed copy with a shifted column was said to have "no distance known
    # for galaxy 'ngc628c'", and the rename, fixed, then showed the real fault (check_fixed_columns)
    known = {**FIELD_DISTANCES_MPC, **{str(k).lower(): float(v) for k, v in (distances or {}).items()}}
    if galaxy not in known:
        if sky_field is None and field_from_name(p.name) is None:
            # a renamed file that no row places: "no distance known for galaxy 'mine'" named the file's stem
            # as a galaxy, where the fault is that nothing says which field it is
            raise StarclassError(
                f"{p}: {unplaced_field_words(t[RA], t[DEC])}, so its distance is not known; give it its LEGUS file "
                "name (hlsp_legus_hst_<cameras>_<field>_multiband_...tab)")
        raise StarclassError(f"{p}: no distance known for galaxy {galaxy!r} (FIELD_DISTANCES_MPC)")
    # a map naming the class column is the user's word on the layout: the field is used as it reads it (NGC 3351,
    # NGC 4242 and NGC 45 with class_ref=35 were left out, "no class column known", with no way to name it)
    skip = None if mapped and CLASS_REF in dict(column_map or {}).values() else usable_layout(t)
    if skip and (remedy := layout_remedy(field, t)):
        # with the step that keeps it: skipped.ecsv and the page said why a field was left out, not how to keep it
        skip += f"; {remedy}"
    machine_only = 0
    if CLASS_METHOD in t.colnames and CLASS_REF in t.colnames:
        # NGC 1566's hybrid col 34 is, for class_method 0, the ML classifier's class: scored as a human
        # label it put 654 machine classes into the ladder's "human-classified" sources
        cls = class_array(t, CLASS_REF)
        machine = machine_only_rows(t)
        machine_only = int(machine.sum())
        t[CLASS_REF] = np.where(machine, 0, cls).astype(t[CLASS_REF].dtype)
    # only the columns every layout shares: never NGC 1566's cols 36-39 (not individual people)
    keep = [ID, X, Y, RA, DEC, CI, AGE, MASS, CLASS_REF]
    keep += [c for b in bands for c in (mag_col(b), magerr_col(b))]
    meta = {"field": field, "galaxy": galaxy, "distance_mpc": known[galaxy], "bands": bands,
            "bands_source": bands_source, "source": str(p), "legus_layout": t.meta.get("legus_layout"),
            "skip": skip, "machine_only": machine_only,
            "mapped": dict(t.meta.get("column_map_used") or {}) if mapped else {},
            "map_not_applied": bool(column_map) and not mapped}
    if t.meta.get("cameras"):
        # the cameras a readme states (NGC 628-C: ACS/WFC's F555W): the mass limits and completeness curves put
        # the SSP model on their Vega system; dropped here, NGC 628-C's were WFC3/UVIS's, 0.01 dex high
        meta["cameras"] = dict(t.meta["cameras"])
    for key in ("v_camera", "v_camera_source"):
        if t.meta.get(key):
            meta[key] = t.meta[key]  # which camera the model's V is on, and whether it is assumed
    if t.meta.get("ci_cut") is not None:
        # the reader's CI cut (the readme's, else the smallest CI inspected), the one info DIR shows as ci_cut
        meta["ci_cut"] = float(t.meta["ci_cut"])
    if t.meta.get(MASS_KIND):
        # LEGUS's masses are stellar (io.legus): the slopes' limits and the curves are taken in that convention
        meta[MASS_KIND] = t.meta[MASS_KIND]
    try:
        # the field's SED fits against its own photometry, before ebv is dropped: NGC 1566's and NGC 1433's took AB
        # models of B, V, I against Vega photometry, and the slopes and mass-age panels drawn from them said nothing
        off = sed_band_offsets(t, ssp=ssp)
        meta["sed_offsets"] = [(str(r["band"]), float(r["offset"])) for r in off if r["exceeds"]]
        readings = sed_readings(off)
        meta["sed_ab_vega"] = "ab_vega" in readings.values()
        meta["sed_by_age"] = "age" in readings.values()
        # the other two readings, so the fields' warning says one for every field (UGC 695's F814W +0.40, its AB -
        # Vega difference with no other band at its own, was named bare beside NGC 1433's "AB models ... most likely")
        meta["sed_ab_band"] = "ab_band" in readings.values()
        meta["sed_other"] = "other" in readings.values()
        # the evidence of an age reading, said with it: the change between the bins, its error, its significance
        meta["sed_age_trends"] = [(str(r["band"]), float(r["age_trend"]), float(r["age_trend_err"]),
                                   float(r["age_trend_z"])) for r in off if readings.get(str(r["band"])) == "age"]
        # bands within the tolerance whose offset changes with age all the same: a note (sedcheck.sed_trend_notes)
        # with whose the change is (sedcheck.trend_cause: the fits' own, the models', or "" where nothing tells),
        # so the fields' note names the cause info names
        meta["sed_trends_within"] = [(str(r["band"]), float(r["age_trend"]), float(r["age_trend_err"]),
                                      float(r["age_trend_z"]),
                                      str(r["trend_cause"]) if "trend_cause" in off.colnames else "") for r in off
                                     if bool(r["age_dependent"]) and not bool(r["exceeds"])]
    except StarclassError:
        pass  # no SED fit to check
    t = t[[c for c in keep if c in t.colnames]]
    t.meta = meta
    return t


def _trends_said(trends: list[tuple[str, float, float, float]]) -> str:
    """', F814W +0.30 ± 0.06 mag at 10-30 against 30-100 Myr, 4.8 standard errors' of a field's aged bands."""
    return "".join(f", {b.upper()} {t:+.2f} ± {e:.2f} mag at 10-30 against 30-100 Myr, {abs(z):.1f} standard errors"
                   for b, t, e, z in trends)


def sed_offsets_note(fields: Mapping[str, Table]) -> str:
    """A sentence naming the fields whose SED fits miss their own photometry beyond the tolerance, or ``""``.

    From each field's ``meta['sed_offsets']``, ``meta['sed_ab_vega']``, ``meta['sed_by_age']`` and
    ``meta['sed_age_trends']`` (band, change of offset from 30-100 to 10-30 Myr, its standard error and their
    ratio, of each band read as depending on age), which :func:`load_fields` sets with
    :func:`starclass.science.sedcheck.sed_readings`.

    Examples
    --------
    >>> t = Table(meta={"sed_offsets": [("f814w", 0.417)], "sed_ab_vega": True})
    >>> print(sed_offsets_note({"ngc1566": t, "ngc628-c": Table()}))  # doctest: +NORMALIZE_WHITESPACE
    SED fits (ages, masses, E(B-V)) that miss their own photometry by more than 0.30 mag in a band, relative to V,
    at the fitted age and E(B-V): ngc1566 F814W +0.42 (AB models against Vega photometry, most likely); the ages
    and masses of the mass functions and mass-age panels of that field may be biased (starclass info FILE says more)

    An offset that depends on the fitted age is said with its change between the bins, error and significance:

    >>> t.meta.update({"sed_ab_vega": False, "sed_by_age": True, "sed_age_trends": [("f814w", 0.30, 0.0625, 4.8)]})
    >>> print(sed_offsets_note({"ugc5340": t}).split(": ", 1)[1])  # doctest: +NORMALIZE_WHITESPACE
    ugc5340 F814W +0.42 (depends on the fitted age, F814W +0.30 ± 0.06 mag at 10-30 against 30-100 Myr, 4.8 standard
    errors: the models' metallicity or the V band); the ages and masses of the mass functions and mass-age panels of
    that field may be biased (starclass info FILE says more)

    A band at its AB - Vega difference that no other band backs (UGC 695's F814W) is said to be either; until
    2026-12-06 (evening) it was named with no reading at all:

    >>> u = Table(meta={"sed_offsets": [("f814w", 0.40)], "sed_ab_band": True})
    >>> print(sed_offsets_note({"ugc695": u}).split(": ", 1)[1])  # doctest: +NORMALIZE_WHITESPACE
    ugc695 F814W +0.40 (that band's AB - Vega difference from V, but no other band shows its own: an AB/Vega mix-up
    or the models' metallicity, not told apart); the ages and masses of the mass functions and mass-age panels of
    that field may be biased (starclass info FILE says more)
    """
    named = {f: t.meta for f, t in fields.items() if t.meta.get("sed_offsets")}
    if not named:
        return ""
    parts = [f"{_field_said(f, m)} " + ", ".join(f"{b.upper()} {o:+.2f}" for b, o in m["sed_offsets"])
             + (" (AB models against Vega photometry, most likely)" if m.get("sed_ab_vega")
                else f" (depends on the fitted age{_trends_said(m.get('sed_age_trends', []))}: the models' "
                     "metallicity or the V band)" if m.get("sed_by_age")
                else " (that band's AB - Vega difference from V, but no other band shows its own: an AB/Vega "
                     "mix-up or the models' metallicity, not told apart)" if m.get("sed_ab_band")
                else " (not an AB - Vega difference: the fits' models, a filter or the photometry)"
                if m.get("sed_other") else "")
             for f, m in named.items()]
    return (f"SED fits (ages, masses, E(B-V)) that miss their own photometry by more than {SED_OFFSET_TOLERANCE:.2f} "
            f"mag in a band, relative to V, at the fitted age and E(B-V): {'; '.join(parts)}; the ages and masses of "
            f"the mass functions and mass-age panels of {'that field' if len(named) == 1 else 'those fields'} may "
            f"be biased ({_info_step(named)})")


def sed_trends_note(fields: Mapping[str, Table]) -> str:
    """A sentence naming the fields with a band within the tolerance whose SED-fit offset changes with age, or ``""``.

    From each field's ``meta['sed_trends_within']`` (band, change of offset from 30-100 to 10-30 Myr, its
    standard error, their ratio and whose the change is, :func:`starclass.science.sedcheck.trend_cause`), which
    :func:`load_fields` sets: the bands :func:`starclass.science.sedcheck.sed_trend_notes` notes. A note, not a
    warning (their pooled offsets are within the tolerance), so the fields whose ages may be biased at 10-100 Myr
    are named all the same. Whose the change is, is said in the words of ``info``'s note
    (:func:`starclass.science.sedcheck.trend_cause_words`): the fits' own in the UV and U of the LEGUS dwarf
    fields, the models' in F814W. Until 2026-12-06 this note named the models for every band; until that evening
    a band read both ways was "F336W of ngc4449" among the others ("In F275W and F336W of ngc4449 the
    catalogues' own ...": the field read as qualifying every band, and one field was "the catalogues'"), and
    the changes' sign was not said.

    Examples
    --------
    >>> t = Table(meta={"sed_trends_within": [("f336w", -0.33, 0.0465, -7.1, "fits"),
    ...                                       ("f814w", 0.18, 0.0486, 3.7, "models")]})
    >>> print(sed_trends_note({"ngc4449": t, "ngc628-c": Table()}))  # doctest: +NORMALIZE_WHITESPACE
    SED-fit offsets within 0.30 mag that change with the fitted age (10-30 against 30-100 Myr, negative where
    brighter at 10-30 Myr; 3 standard errors or more): ngc4449 F336W -0.33 ± 0.05 mag (7.1), F814W +0.18 ± 0.05
    mag (3.7). In F336W the catalogue's own fit residuals change with age in the same way: its photometry departs
    from its fits' own models there as it does from the table, so the trend lies in the photometry or the fits,
    not in the table's metallicity or in the filters, magnitude system or extinction the check applies
    (docs/legus_validation.md, "The UV and U age trends are the fits' own"). In F814W the fits' models change with
    age differently from the table, which has one metallicity: ages fitted with the table would differ from the
    catalogue's most at 10-100 Myr, where its ages, masses and E(B-V) may be biased (starclass info FILE says
    more)

    A band whose cause differs between fields is named with its field in each reading ("ngc4449's F336W"), after
    the bands read alike, and each reading speaks of the fields it rests on; where no field tells (no fit
    residuals), the models are named:

    >>> u = Table(meta={"sed_trends_within": [("f336w", -0.25, 0.05, -5.0, "models")]})
    >>> print(sed_trends_note({"ngc4449": t, "ugc685": u}).split("): ", 1)[1])  # doctest: +NORMALIZE_WHITESPACE
    ngc4449 F336W -0.33 ± 0.05 mag (7.1), F814W +0.18 ± 0.05 mag (3.7); ugc685 F336W -0.25 ± 0.05 mag (5.0). In
    ngc4449's F336W the catalogue's own fit residuals change with age in the same way: its photometry departs from
    its fits' own models there as it does from the table, so the trend lies in the photometry or the fits, not in
    the table's metallicity or in the filters, magnitude system or extinction the check applies
    (docs/legus_validation.md, "The UV and U age trends are the fits' own"). In F814W and in ugc685's F336W the
    fits' models change with age differently from the table, which has one metallicity: ages fitted with the table
    would differ from the catalogues' most at 10-100 Myr, where their ages, masses and E(B-V) may be biased
    (starclass info FILE says more)
    >>> v = Table(meta={"sed_trends_within": [("f814w", 0.18, 0.0486, 3.7)]})  # made before the cause was kept
    >>> sed_trends_note({"ngc4485": v}).split(". ", 1)[1][:60]
    "In that band the fits' models change with age differently fr"
    """
    from starclass.science.sedcheck import AGE_TREND_SIGNIFICANCE, trend_cause_words

    named = {f: [(*x[:4], x[4] if len(x) > 4 else "") for x in t.meta["sed_trends_within"]]
             for f, t in fields.items() if t.meta.get("sed_trends_within")}
    if not named:
        return ""
    metas = {f: fields[f].meta for f in named}
    parts = [f"{_field_said(f, metas[f])} "
             + ", ".join(f"{b.upper()} {d:+.2f} ± {e:.2f} mag ({abs(z):.1f})" for b, d, e, z, _ in trends)
             for f, trends in named.items()]
    # each band once a reading; a band read one way in some fields and the other in others names its fields
    by_band: dict[str, dict[bool, list[str]]] = {}
    for f, trends in named.items():
        for b, *_, cause in trends:
            by_band.setdefault(b.upper(), {True: [], False: []})[cause == "fits"].append(f)
    fits, models = [], []
    for b, where in by_band.items():
        mixed = bool(where[True]) and bool(where[False])
        for own, out in ((True, fits), (False, models)):
            if where[own]:
                # as an astronomer writes it: "ngc4449's F336W", "the F336W of ngc4449 and ngc5253"; the
                # catalogue-qualified bands go last, so that "In F275W and in ngc4449's F336W" binds the field
                # to its own band only ("F336W of ngc4449" read as if of every band before it)
                out.append(b if not mixed else f"{where[own][0]}'s {b}" if len(where[own]) == 1
                           else f"the {b} of {_field_list(where[own])}")
    fits.sort(key=lambda n: " " in n)
    models.sort(key=lambda n: " " in n)
    # each reading speaks of the catalogues it rests on: one field's band is "the catalogue's", not "the
    # catalogues'", though the note names several fields
    rests = {own: {f for f, trends in named.items() for _, *_, cause in trends if (cause == "fits") == own}
             for own in (True, False)}
    known = any(cause in ("fits", "models") for trends in named.values() for *_, cause in trends)
    return (f"SED-fit offsets within {SED_OFFSET_TOLERANCE:.2f} mag that change with the fitted age (10-30 against "
            f"30-100 Myr, negative where brighter at 10-30 Myr; {AGE_TREND_SIGNIFICANCE:g} standard errors or more): "
            f"{'; '.join(parts)}. "
            + trend_cause_words(fits, models, known=known, many=(len(rests[True]) > 1, len(rests[False]) > 1))
            + f" ({_info_step(metas)})")


def _field_said(field: str, meta: Mapping) -> str:
    """``field`` as the fields' SED notes name it: with the path read where the file's name does not hold the field.

    A renamed copy (``field2.tab``, NGC 1433 by its positions) was named ``ngc1433`` alone, a field no file in the
    folder is named after.

    Examples
    --------
    >>> _field_said("ngc1433", {"source": "legus/field2.tab"}), _field_said("ngc1433", {})
    ('ngc1433 (legus/field2.tab)', 'ngc1433')
    >>> _field_said("ngc1433", {"source": "legus/hlsp_legus_hst_wfc3_ngc1433_multiband_v1_x.tab"})
    'ngc1433'
    """
    from starclass.io.legus import field_from_name

    src = meta.get("source")
    if not src or field_from_name(Path(str(src)).name) == field:
        return field
    return f"{field} ({src})"


def _info_step(metas: Mapping[str, Mapping]) -> str:
    """The ``starclass info`` command that says more of the fields' SED fits: one field's with its path read.

    Examples
    --------
    >>> _info_step({"ngc1433": {"source": "my legus/field2.tab"}})
    "starclass info 'my legus/field2.tab' says more"
    >>> _info_step({"a": {"source": "a.tab"}, "b": {"source": "b.tab"}})
    'starclass info FILE says more'
    """

    sources = [m.get("source") for m in metas.values()]
    if len(sources) == 1 and sources[0]:
        return f"starclass info {shell_word(str(sources[0]))} says more"
    return "starclass info FILE says more"


def _field_list(fields: Sequence[str]) -> str:
    """"a", "a and b", "a, b and c"."""
    return fields[0] if len(fields) == 1 else ", ".join(fields[:-1]) + " and " + fields[-1]


def legus_files(directory: str | Path) -> list[Path]:
    """The LEGUS catalogues of a folder, in every form ``starclass info`` reads as LEGUS, sorted.

    A ``.tab``; a ``.tab.gz``, ``.tab.bz2`` or ``.tab.xz`` as an archive keeps it
    (:data:`starclass.io.overview.LEGUS_SUFFIXES`, the endings ``info DIR`` reads; one beside its ``.tab`` is
    the same field, read once); and a copy under another name (``.csv`` from a spreadsheet, ``.txt``, ``.dat``),
    which :func:`starclass.io.catalog.guess_format` knows by its lines of 34-60 numbers. Until
    2026-12-05 only ``.tab`` and ``.tab.gz`` were read: a field copied as ``.csv`` was left out of
    ``evaluate --catalogs`` without a word, though ``info`` read it. Hidden files, a ``.readme``,
    a table with a header line (``layouts.csv``) are no LEGUS catalogues.

    Parameters
    ----------
    directory : str or Path
        The folder; or one file, returned alone if it is a LEGUS catalogue.

    Returns
    -------
    list of pathlib.Path

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> row = " ".join(["1", "10", "20", "65.0", "-54.9"] + ["22.0", "0.05"] * 5 + ["1.5"] + ["0"] * 16
    ...                + ["5", "2"])
    >>> _ = (d / "ngc628c.tab").write_text(row + "\\n"); _ = (d / "ngc1433.txt").write_text(row + "\\n")
    >>> _ = (d / "layouts.csv").write_text("field,layout\\nngc628c,standard\\n")
    >>> _ = (d / "ngc628c.readme").write_text("notes\\n")
    >>> [p.name for p in legus_files(d)], [p.name for p in legus_files(d / "ngc628c.tab")]
    (['ngc1433.txt', 'ngc628c.tab'], ['ngc628c.tab'])
    """
    from starclass.io.catalog import guess_format
    from starclass.io.overview import LEGUS_SUFFIXES, plain_copy_beside

    if Path(directory).is_file():
        # one field's catalogue given alone: its people's classes have no other table to be scored against,
        # so `evaluate FILE` had nothing to compare, and --catalogs refused a file
        one = Path(directory)
        low = one.name.lower()
        return [one] if low.endswith(LEGUS_SUFFIXES) or guess_format(one) == "legus" else []
    found = []
    for p in sorted(Path(directory).iterdir()):
        low = p.name.lower()
        if not p.is_file() or low.startswith("."):
            continue
        if plain_copy_beside(p):
            continue  # x.tab.xz beside its x.tab is the same field, read once (it was read twice, as 'x.tab')
        if low.endswith(LEGUS_SUFFIXES) or guess_format(p) == "legus":
            found.append(p)  # a .tab (kept compressed, as info reads it), or a copy under another name
    return found


def other_files(directory: str | Path) -> list[Path]:
    """The files of a folder that :func:`legus_files` does not read as LEGUS catalogues, sorted.

    Hidden files and a compressed copy beside its plain one (``x.tab.xz`` beside ``x.tab``: the same field) are
    not counted. ``evaluate
    --catalogs`` names them, so that a catalogue a spreadsheet re-saved with a header line (no longer
    lines of numbers) is not left out without a word.

    Parameters
    ----------
    directory : str or Path
        The folder.

    Returns
    -------
    list of pathlib.Path

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> row = " ".join(["1", "10", "20", "65.0", "-54.9"] + ["22.0", "0.05"] * 5 + ["1.5"] + ["0"] * 16
    ...                + ["5", "2"])
    >>> _ = (d / "ngc628c.tab").write_text(row + "\\n"); _ = (d / "notes.md").write_text("# notes\\n")
    >>> [p.name for p in other_files(d)]
    ['notes.md']
    """
    if Path(directory).is_file():
        return []  # one file given: read, or refused by load_fields naming it
    from starclass.io.overview import plain_copy_beside

    read = set(legus_files(directory))
    return [p for p in sorted(Path(directory).iterdir())
            if p.is_file() and not p.name.startswith(".") and p not in read and not plain_copy_beside(p)]


def load_fields(directory: str | Path, *, min_inspected: int = MIN_INSPECTED,
                distances: Mapping[str, float] | None = None,
                column_maps: Mapping[str, Mapping[str, str]] | None = None,
                progress: bool | None = False, ssp: str | Path | None = None) -> tuple[dict[str, Table], Table]:
    """Read every LEGUS catalogue in a directory (:func:`legus_files`); keep the fields with enough inspected sources.

    Parameters
    ----------
    directory : str or Path
        Folder of LEGUS catalogues, or one LEGUS catalogue (a single field).
    min_inspected : int
        Least number of sources with a class 1-4 for a field to be used.
    ssp : str or Path, optional
        The SSP table each field's SED fits are checked against (:func:`read_legus_field`).
    distances : mapping, optional
        Galaxy -> distance (Mpc) in place of :data:`FIELD_DISTANCES_MPC`'s, e.g.
        ``{"ugc5340": 5.9}`` (the distance starclass gave DDO 68 before its TRGB 12.65 Mpc): absolute
        magnitudes, box counts and mass limits follow. A galaxy none of the files is of, or a
        distance outside 0.01-1000 Mpc, is refused.
    column_maps : mapping, optional
        Field (``"ngc3351"``) or ``""`` (every field) -> LEGUS column map (``{"35": "class_ref"}``), as
        ``evaluate --catalogs DIR --map [FIELD:]class_ref=35`` gives it (:func:`parse_field_maps`): applied
        to the files whose layout the reader calls uncertain (:func:`read_legus_field`), a field's own
        map in place of the one for every field. A field none of the files is of is refused.
    progress : bool or None
        The files read, as :class:`starclass.io.progress.Progress` shows them: True a bar, None timed
        lines (the command line's log file), False nothing.

    Returns
    -------
    fields : dict
        Field name -> table (:func:`read_legus_field`), ordered by distance.
    skipped : astropy.table.Table
        ``field, reason`` for every file left out (uncertain layout, no distance, too few
        inspected sources).

    Raises
    ------
    StarclassError
        ``directory`` is not a folder, holds no ``.tab`` file, holds two files of one field, no
        field is usable, or ``distances`` names a galaxy of no file or an impossible distance.

    Examples
    --------
    >>> import tempfile
    >>> from starclass.datasets.catalogs import write_fake_legus_folder
    >>> folder = write_fake_legus_folder(Path(tempfile.mkdtemp()) / "legus")  # three synthetic fields
    >>> fields, skipped = load_fields(folder)
    >>> list(fields), len(skipped)  # nearest first
    (['ngc7793-w', 'ngc1433', 'ngc628-c'], 0)
    >>> list(load_fields(folder, distances={"ngc1433": 12.0})[0])  # NGC 1433 placed beyond NGC 628
    ['ngc7793-w', 'ngc628-c', 'ngc1433']
    >>> load_fields(folder, min_inspected=190)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: --catalogs: no field in ... left out: ngc628-c: 181 inspected sources (< 190; ...
    """
    d = Path(directory)
    if not d.is_dir() and not d.is_file():
        raise StarclassError(f"--catalogs: {d}: no such folder of LEGUS catalogues, nor one such file")
    files = legus_files(d)
    if not files and d.is_file():
        raise StarclassError(f"--catalogs: {d} is not a LEGUS catalogue (34-60 numbers a line, no header); give "
                             "one, or a folder of them")
    if not files:
        raise StarclassError(f"--catalogs: no LEGUS .tab (or .tab.gz) catalogue in {d}, nor a copy of one saved "
                             "as .csv, .txt or .dat")
    given = {}
    for key, value in (distances or {}).items():
        given[str(key).lower()] = check_distance_mpc(value, f"distances[{key!r}]")
    maps = {str(k).lower(): dict(v) for k, v in (column_maps or {}).items() if v}
    fields: dict[str, Table] = {}
    skipped: list[tuple[str, str]] = []
    seen: dict[str, Path] = {}
    galaxies_read: set[str] = set()
    # 37 LEGUS files take a second or more to read: a log file said nothing until the whole study ended
    for f in Progress(len(files), desc="--catalogs: reading", noun="catalogue", show=progress,
                      unit="file").iterate(files):
        name = field_name(f)
        if name in seen:
            # LEGUS publishes a field in several versions (aperture corrections, stellar tracks): with two in
            # the folder the later file silently replaced the earlier one, its field counted once, no word said
            raise StarclassError(f"--catalogs: {d} holds two catalogues of field {name}: {seen[name].name} and "
                                 f"{f.name} (LEGUS publishes a field in several versions, e.g. two aperture "
                                 "corrections or other stellar tracks); keep one of them in the folder")
        seen[name] = f
        galaxies_read.add(galaxy_of(name))
        try:
            t = read_legus_field(f, distances=given, column_map=maps.get(name, maps.get("")), ssp=ssp)
        except StarclassError as exc:
            skipped.append((name, str(exc)))
            # a damaged file (cut short, a column lost, text in a number's place) was left out with its
            # reason in tables/skipped.ecsv alone, among the fields left out by design (few sources, an
            # uncertain layout): the terminal said "1 left out" and nothing of the file
            said = str(exc) if f.name in str(exc) else f"{f.name}: {exc}"
            warnings.warn(f"--catalogs: left out, cannot be read: {said}", stacklevel=2)
            continue
        galaxies_read.add(str(t.meta["galaxy"]))
        if t.meta["field"] != name:
            # a renamed file, its field told by its positions: the field's name, and one field once
            name = t.meta["field"]
            if name in seen:
                raise StarclassError(f"--catalogs: {d} holds two catalogues of field {name}: {seen[name].name} and "
                                     f"{f.name} (its sources lie at field {name}: a renamed copy?); keep one of "
                                     "them in the folder")
            seen[name] = f
        if t.meta["skip"]:
            skipped.append((name, t.meta["skip"]))
            continue
        n = int(np.isin(class_array(t, CLASS_REF), (1, 2, 3, 4)).sum())
        if n < min_inspected:
            skipped.append((name, f"{n} inspected sources (< {min_inspected}"
                                  + (f"; --min-inspected {n} keeps it)" if n else ")")))
            continue
        fields[name] = t
    unmapped = sorted(set(maps) - {""} - set(seen))
    if unmapped:
        # a misspelt field ('ngc3315:class_ref=35') would leave its field out as before, without a word
        raise StarclassError(f"--map: no catalogue in {d} is of field {', '.join(map(repr, unmapped))} (its "
                             f"fields: {', '.join(sorted(seen))})")
    unused = sorted(set(given) - galaxies_read)
    if unused:
        # a misspelt galaxy ('ugc5430') would leave the distance it was meant to change as it was, without a word
        raise StarclassError(f"distances: no catalogue in {d} is of galaxy {', '.join(map(repr, unused))} (its "
                             f"galaxies: {', '.join(sorted(galaxies_read))})")
    if not fields:
        # each file's reason: a folder of uncertain layouts (NGC 3351: no class column known) was said to
        # have too few inspected sources, which sent the user to --min-inspected
        reasons = "; ".join(f"{name}: {why}" for name, why in skipped[:8]) + (
            f"; ... ({len(skipped) - 8} more)" if len(skipped) > 8 else "")
        raise StarclassError(f"--catalogs: no field in {d} can be used ({min_inspected} or more inspected sources "
                             f"in a layout that is known); left out: {reasons}")
    order = sorted(fields, key=lambda k: (fields[k].meta["distance_mpc"], k))
    skipped_t = Table(rows=skipped, names=("field", "reason"), dtype=(str, str)) if skipped else \
        Table(names=("field", "reason"), dtype=(str, str))
    return {k: fields[k] for k in order}, skipped_t


# ---------------------------------------------------------------------------------------------
# per-field quantities


def role_columns(table: Table) -> dict[str, np.ndarray]:
    """Magnitudes and errors by band role (``uv, u, b, v, i``) from the bands in ``meta``.

    Examples
    --------
    >>> bands = ["f275w", "f336w", "f438w", "f555w", "f814w"]
    >>> t = Table({**{f"mag_{b}": [20.0 + k] for k, b in enumerate(bands)},
    ...            **{f"magerr_{b}": [0.1] for b in bands}}, meta={"bands": bands})
    >>> float(role_columns(t)["u"][0]), float(role_columns(t)["i"][0])
    (21.0, 24.0)
    """
    bands = table.meta.get("bands")
    if not bands:
        from starclass.io.legus import legus_bands

        bands = legus_bands(Path(table.meta.get("source", "")))[0]
    out = {}
    for role, b in zip(ROLES, bands):
        if mag_col(b) not in table.colnames or magerr_col(b) not in table.colnames:
            raise StarclassError(f"{table.meta.get('source', 'catalogue')}: no {mag_col(b)} / {magerr_col(b)} "
                                 f"column for the {role.upper()} band")
        out[role] = np.asarray(table[mag_col(b)], dtype=float)
        out[f"{role}_err"] = np.asarray(table[magerr_col(b)], dtype=float)
    return out


def field_v_band(table: Table) -> str:
    """The band a field's V magnitudes (and so its M_V limit) are measured in: F555W or F606W.

    The band of role ``v`` among the field's five (``meta["bands"]``, as :func:`role_columns`
    reads them); F555W where the table says none. The mass limits of a field
    (:func:`field_mass_slopes`, :func:`field_mass_completeness`) are taken in this band: the
    slopes' used F555W for every field (0.05 dex too high at 10^8 yr for an F606W one).

    Examples
    --------
    >>> field_v_band(Table(meta={"bands": ["f275w", "f336w", "f438w", "f606w", "f814w"]}))
    'f606w'
    >>> field_v_band(Table())
    'f555w'
    """
    return dict(zip(ROLES, table.meta.get("bands") or [])).get("v") or "f555w"


def field_quantities(table: Table) -> dict[str, np.ndarray]:
    """CI, M_V (the field's distance), U-B and V-I of every row.

    Examples
    --------
    >>> t = Table({"ci": [1.5], "mag_f275w": [22.], "mag_f336w": [21.], "mag_f438w": [21.5],
    ...            "mag_f555w": [21.8], "mag_f814w": [21.3], "magerr_f275w": [.1], "magerr_f336w": [.1],
    ...            "magerr_f438w": [.1], "magerr_f555w": [.1], "magerr_f814w": [.1]},
    ...           meta={"bands": ["f275w", "f336w", "f438w", "f555w", "f814w"], "distance_mpc": 10.0})
    >>> {k: round(float(v[0]), 2) for k, v in field_quantities(t).items()}
    {'ci': 1.5, 'abs_mag_v': -8.2, 'u_b': -0.5, 'v_i': 0.5}
    """
    r = role_columns(table)
    dm = distance_modulus(float(table.meta["distance_mpc"]))
    return {"ci": np.asarray(table[CI], dtype=float), "abs_mag_v": r["v"] - dm,
            "u_b": r["u"] - r["b"], "v_i": r["v"] - r["i"]}


def field_summary(fields: Mapping[str, Table]) -> Table:
    """One row per field: distance, rows, inspected, classes 1-4, bands, CI cut, inspection check.

    ``ci_cut`` is the field's CI cut as the LEGUS reader gives it and ``starclass info DIR`` shows it (the
    readme's where one states it, else the smallest CI of an inspected source).

    ``n_machine_only`` counts the classes no person gave (NGC 1566's ``class_method`` 0), which
    are not in ``n_inspected`` nor in the class counts.

    ``mv_p90`` is the 90th percentile of the inspected sources' M_V at the tabulated distance.
    LEGUS inspected down to M_V = -6, measured with a CI-dependent aperture correction while
    these magnitudes carry the average one, so the cut is soft in this table's magnitudes; a
    value far brighter than -6 would still say the distance is too small.

    Examples
    --------
    >>> import tempfile
    >>> from starclass.datasets.catalogs import write_fake_legus_folder
    >>> folder = write_fake_legus_folder(Path(tempfile.mkdtemp()) / "legus")  # three synthetic fields
    >>> s = field_summary(load_fields(folder)[0])
    >>> s["field"].tolist(), s["n_inspected"].tolist(), s["n_1"].tolist()
    (['ngc7793-w', 'ngc1433', 'ngc628-c'], [184, 178, 181], [20, 22, 33])
    """
    rows = []
    for name, t in fields.items():
        cls = class_array(t, CLASS_REF)
        insp = np.isin(cls, (1, 2, 3, 4))
        q = field_quantities(t)
        cam = str(t.meta.get("v_camera") or "")
        if str(t.meta.get("v_camera_source", "")).startswith("assumed"):
            cam += " (assumed)"
        mv = q["abs_mag_v"][insp]
        ci = q["ci"][insp]
        rows.append((name, t.meta["galaxy"], float(t.meta["distance_mpc"]), len(t), int(insp.sum()),
                     int(t.meta.get("machine_only", 0)),
                     *(int(np.sum(cls == k)) for k in (1, 2, 3, 4)), t.meta["bands"][2], t.meta["bands"][3], cam,
                     float(t.meta["ci_cut"]) if t.meta.get("ci_cut") is not None
                     else float(np.nanmin(ci)) if np.isfinite(ci).any() else np.nan,
                     float(np.nanpercentile(mv, 90)) if np.isfinite(mv).any() else np.nan))
    # the counts named as info DIR names them (starclass.schema): one set of names in both places
    out = Table(rows=rows, names=("field", "galaxy", "distance_mpc", N_ROWS, N_INSPECTED, N_MACHINE_ONLY,
                                  *(class_count_column(k) for k in (1, 2, 3, 4)),
                                  "band_b", "band_v", "v_camera", CI_CUT, "mv_p90"))
    # ci_cut, as info DIR names the same number (this table called it ci_min until 2026-12-07)
    out[CI_CUT].format = ".2f"
    out["mv_p90"].format = ".2f"
    out.meta["v_camera_note"] = assumed_v_camera_note(fields)
    out.meta["sed_note"] = sed_offsets_note(fields)
    out.meta["sed_trend_note"] = sed_trends_note(fields)
    return out


#: Every use of the V band's AB - Vega offset in the many-field study: the SED check measures each band
#: relative to V; the mass limits and the completeness curves drawn from them take the model's V.
_V_OFFSET_USES = "SED check, mass limits, completeness curves"


def assumed_v_camera_note(fields: Mapping[str, Table]) -> str:
    """A sentence naming the fields whose V camera no source states (its AB - Vega offset assumed), or ``""``.

    ACS/WFC's and WFC3/UVIS's F555W differ by 0.024 mag in AB - Vega: the SED check's offsets (each
    relative to V) of such a field may be 0.024 mag off, its mass limits and completeness curves 0.0096 dex
    (``starclass.io.legus.v_camera``). The fields are named in sorted order.

    Examples
    --------
    >>> from starclass.io.legus import v_camera
    >>> cam, src = v_camera("f555w", None, None, False)
    >>> bands = ["f275w", "f336w", "f435w", "f555w", "f814w"]
    >>> t = Table(meta={"v_camera": cam, "v_camera_source": src, "bands": bands})
    >>> print(assumed_v_camera_note({"ugc695": t, "ugc5340": t}))  # doctest: +NORMALIZE_WHITESPACE
    V camera assumed for 2 fields, which no source states: ugc5340, ugc695; their F555W takes WFC3/UVIS's AB - Vega
    offset (-0.030) in the SSP model (SED check, mass limits, completeness curves); ACS/WFC's (-0.006) would put
    their mass limits 0.0096 dex lower and each band's SED-check offset (relative to F555W) 0.024 mag lower
    """
    from starclass.bands import ab_minus_vega

    # sorted: the 35-field run named them in the order the files were read (ugc7408, ic4247, ...)
    named = {f: (field_v_band(t), str(t.meta.get("v_camera", ""))) for f, t in sorted(fields.items())
             if str(t.meta.get("v_camera_source", "")).startswith("assumed")}
    if not named:
        return ""
    n = len(named)
    head = f"V camera assumed for {n} field{'s' if n != 1 else ''}, which no source states: "
    kinds = set(named.values())
    if len(kinds) > 1:
        # fields of F555W and F606W: each named with its band and camera
        return head + ", ".join(f"{f} {v.upper()} {c.upper()}" for f, (v, c) in named.items()) + (
            f"; the filter-only AB - Vega offsets are used in the SSP model ({_V_OFFSET_USES})")
    v, cam = kinds.pop()
    used = ab_minus_vega(v)
    words = (head + ", ".join(named) + f"; {'its' if n == 1 else 'their'} {v.upper()} takes {cam.upper()}'s "
             f"AB - Vega offset ({used:+.3f}) in the SSP model ({_V_OFFSET_USES})")
    other = "wfc3/uvis" if cam == "acs/wfc" else "acs/wfc"
    try:
        alt = ab_minus_vega(v, other)
    except StarclassError:
        return words
    d = alt - used
    if d:
        # a larger AB - Vega offset makes the model's Vega V brighter, so the mass at a limit lower
        # and the model's V, against which the SED check measures every band, by d: each band's offset moves by -d
        way = "lower" if d > 0 else "higher"
        words += (f"; {other.upper()}'s ({alt:+.3f}) would put {'its' if n == 1 else 'their'} mass limits "
                  f"{0.4 * abs(d):.4f} dex {way} and each band's SED-check offset (relative to {v.upper()}) "
                  f"{abs(d):.3f} mag {way}")
    return words


def class_distributions(fields: Mapping[str, Table]) -> Table:
    """Per field, class and quantity: n, 25th percentile, median, 75th percentile.

    Quantities: CI, M_V, U-B, V-I (:func:`field_quantities`); NaN values (undetected bands) are
    left out of each quantity separately. Classes with no finite value get masked quartiles.

    Examples
    --------
    >>> import tempfile
    >>> from starclass.datasets.catalogs import write_fake_legus_folder
    >>> folder = write_fake_legus_folder(Path(tempfile.mkdtemp()) / "legus")  # three synthetic fields
    >>> d = class_distributions(load_fields(folder)[0])
    >>> ci = d[(d["field"] == "ngc1433") & (d["quantity"] == "ci")]  # clusters near 1.8, the rest near 1.4
    >>> ci["class"].tolist(), ci["n"].tolist(), [round(float(v), 2) for v in ci["median"]]
    ([1, 2, 3, 4], [22, 39, 40, 77], [1.79, 1.8, 1.4, 1.41])
    """
    rows = []
    for name, t in fields.items():
        cls = class_array(t, CLASS_REF)
        q = field_quantities(t)
        for k in (1, 2, 3, 4):
            for qn in QUANTITIES:
                v = q[qn][(cls == k) & np.isfinite(q[qn])]
                p = np.percentile(v, [25, 50, 75]) if v.size else (np.nan,) * 3
                rows.append((name, k, qn, int(v.size), *map(float, p)))
    out = Table(rows=rows, names=("field", "class", "quantity", "n", "q25", "median", "q75"))
    for c in ("q25", "median", "q75"):
        out[c] = MaskedColumn(out[c], mask=~np.isfinite(out[c]), format=".2f")
    return out


def field_boxes(fields: Mapping[str, Table], *, abs_mag_limit: float = INSPECTION_MV) -> Table:
    """U-B vs V-I box counts per field and class group (M_V < ``abs_mag_limit``).

    Box 1 > 1 Gyr, 2 0.1-1 Gyr, 3 10-100 Myr, 4 < 10 Myr (PHANGS Table 2 boxes,
    :func:`starclass.science.colour.box_counts`), with the field's own U, B, V, I bands.

    Examples
    --------
    >>> import tempfile
    >>> from starclass.datasets.catalogs import write_fake_legus_folder
    >>> folder = write_fake_legus_folder(Path(tempfile.mkdtemp()) / "legus")  # three synthetic fields
    >>> b = field_boxes(load_fields(folder)[0])
    >>> b.colnames
    ['field', 'class', 'box_1', 'box_2', 'box_3', 'box_4', 'outside', 'n']
    >>> clusters = b[b["class"] == "1+2"]
    >>> clusters["field"].tolist(), clusters["box_3"].tolist(), clusters["n"].tolist()
    (['ngc7793-w', 'ngc1433', 'ngc628-c'], [24, 18, 23], [46, 48, 46])
    """
    parts = []
    for name, t in fields.items():
        r = role_columns(t)
        # box_counts finds U, B, V, I by band name; give it the field's bands under fixed names
        std = Table({CLASS_REF: t[CLASS_REF], "mag_f336w": r["u"], "mag_f438w": r["b"], "mag_f555w": r["v"],
                     "mag_f814w": r["i"]})
        b = box_counts(std, abs_mag_limit=abs_mag_limit, distance_mpc=float(t.meta["distance_mpc"]))
        b.meta = {}
        b.add_column([name] * len(b), name="field", index=0)
        parts.append(b)
    return vstack(parts, metadata_conflicts="silent")


def field_mv_limit(table: Table, *, abs_mag_limit: float = INSPECTION_MV) -> float:
    """The absolute V magnitude down to which a field's human classes are complete.

    M_V = ``abs_mag_limit`` (LEGUS inspected to M_V = -6) or, where the field is limited by
    detection rather than by the inspection cut (NGC 1566 at 17.9 Mpc), the 90th percentile of its
    inspected (class 1-4) sources' M_V, whichever is brighter. :func:`field_mass_slopes` fits above
    the mass of this limit and :func:`field_mass_completeness` draws it at every age.

    Examples
    --------
    >>> bands = ["f275w", "f336w", "f438w", "f555w", "f814w"]
    >>> v = 30.0 + np.array([-8.0, -7.0, -6.5, -6.0, -5.0])  # DM 30 (10 Mpc): M_V -8 to -5, 90th pct -5.4
    >>> t = Table({**{f"mag_{b}": v for b in bands}, **{f"magerr_{b}": np.full(5, 0.1) for b in bands},
    ...            "ci": np.full(5, 1.5), "class_ref": [1, 2, 3, 4, 1]}, meta={"bands": bands, "distance_mpc": 10.0})
    >>> field_mv_limit(t), round(field_mv_limit(t, abs_mag_limit=-5.0), 2)  # the cut, else the 90th percentile
    (-6.0, -5.4)
    """
    cls = class_array(table, CLASS_REF)
    mv = field_quantities(table)["abs_mag_v"][np.isin(cls, (1, 2, 3, 4))]
    return min(abs_mag_limit, float(np.nanpercentile(mv, 90))) if np.isfinite(mv).any() else abs_mag_limit


def field_mass_age(fields: Mapping[str, Table], *, classes: Sequence[int] = (1, 2)) -> Table:
    """log age and log mass (the catalogues' SED fits) of every field's sources of ``classes``.

    Rows without a positive, finite age and mass (not fitted) are left out.

    Examples
    --------
    >>> t = Table({"age": [1e7, 0.0, 1e8], "mass": [1e4, 1e5, 1e5], "class_ref": [1, 2, 3]})
    >>> ma = field_mass_age({"f": t})
    >>> ma["field"].tolist(), ma["log_age"].tolist(), ma["log_mass"].tolist()
    (['f'], [7.0], [4.0])
    """
    parts = []
    for name, t in fields.items():
        cls = class_array(t, CLASS_REF)
        age = np.asarray(t[AGE], dtype=float)
        mass = np.asarray(t[MASS], dtype=float)
        ok = np.isin(cls, classes) & np.isfinite(age) & (age > 0) & np.isfinite(mass) & (mass > 0)
        if not ok.any():
            continue  # an empty part would make "field" a float column and vstack refuse it
        parts.append(Table({"field": [name] * int(ok.sum()),
                            CLASS_REF: cls[ok].astype(int), "log_age": np.log10(age[ok]),
                            "log_mass": np.log10(mass[ok])}))
    out = vstack(parts) if parts else Table(names=("field", CLASS_REF, "log_age", "log_mass"),
                                            dtype=(str, int, float, float))
    out.meta["classes"] = list(classes)
    return out


def field_mass_completeness(fields: Mapping[str, Table], *, abs_mag_limit: float = INSPECTION_MV,
                            path: str | Path | None = None) -> Table:
    """Each field's mass-completeness curve at its distance: the mass of a cluster at its V limit, per age.

    The limit is the field's :func:`field_mv_limit` (M_V = -6, the inspection cut, or the 90th
    percentile of its inspected M_V where that is brighter), the same one its mass-function slope
    (:func:`field_mass_slopes`) is fitted above; as the apparent magnitude ``mag_limit = M_V + DM``
    at the field's distance it goes through :func:`starclass.science.massfunc.mass_completeness`
    in the field's own V band (F555W or F606W), at the SSP table's ages from 1 Myr to 10^10.2 yr, as
    ``starclass report CAT --distance D`` draws one catalogue's curve. Below the curve the field's
    classes are incomplete.

    Parameters
    ----------
    fields : mapping
        Field name -> table (:func:`load_fields`).
    abs_mag_limit : float
        The inspection cut (M_V).
    path : str or Path, optional
        SSP table (default: the packaged one).

    Returns
    -------
    astropy.table.Table
        One row per field and age: ``field, distance_mpc, band, mv_limit, limit_from, mag_limit,
        log_age, log_mass_limit, mass_kind`` (the convention of the field's masses the curve is in,
        :func:`starclass.science.massfunc.catalog_mass_kind`: ``stellar`` for LEGUS's, ``formed
        (assumed)`` where the catalogue does not say). A field whose curve cannot be computed (its V
        band not in the SSP table) has no rows; ``meta["notes"]`` says why.

    Examples
    --------
    NGC 628-C of the synthetic folder, at 9.9 Mpc (DM 29.98), whose inspected sources' 90th
    percentile M_V (-6.15) is brighter than the cut: at the model's age nearest 10^8 yr (10^8.001) its curve
    is, within 0.01 dex, the mass its slope is fitted above (on ACS/WFC's F555W, which ``io.legus.KNOWN_FILTERS``
    states for NGC 628-C; 3.59 on the WFC3/UVIS offset before 2026-12-06), in stellar mass as the
    LEGUS masses are (3.58 in mass formed until 2026-12-06, 0.084 dex high):

    >>> import tempfile
    >>> from starclass.datasets.catalogs import write_fake_legus_folder
    >>> folder = write_fake_legus_folder(Path(tempfile.mkdtemp()) / "legus")  # three synthetic fields
    >>> fields = load_fields(folder)[0]
    >>> c = field_mass_completeness(fields)
    >>> c628 = c[c["field"] == "ngc628-c"]
    >>> r = c628[np.argmin(np.abs(c628["log_age"] - 8.0))]
    >>> str(r["band"]), float(r["mv_limit"]), str(r["limit_from"]), round(float(r["mag_limit"]), 2)
    ('f555w', -6.15, '90th pct of inspected M_V', 23.83)
    >>> round(float(r["log_mass_limit"]), 2), float(field_mass_slopes(fields)["log_mass_min"][2]), str(r["mass_kind"])
    (3.5, 3.49, 'stellar')
    """
    model = load_ssp(path)
    la = np.asarray(model["log_age"], float)
    la = la[(la >= 6.0) & (la <= 10.2)]  # the report's mass-age ages: the model's own rows
    parts, notes = [], []
    for name, t in fields.items():
        d = float(t.meta["distance_mpc"])
        # the field's own V (F555W or F606W), the band its M_V and so its limit are measured in
        band = field_v_band(t)
        mv = field_mv_limit(t, abs_mag_limit=abs_mag_limit)
        m_lim = mv + distance_modulus(d)
        try:
            # in the convention of the field's masses (LEGUS: stellar), as they are drawn under the curve
            kind, stated = catalog_mass_kind(t)
            m = mass_completeness(la, m_lim, d, band=band, path=path, cameras=t.meta.get("cameras"), mass_kind=kind)
        except StarclassError as exc:
            notes.append(f"{name}: no mass-completeness curve: {exc}")
            continue
        if not stated:
            notes.append(f"{name}: the catalogue does not say whether its masses are stellar or formed: its curve "
                         "is in mass formed (assumed)")
        n = len(la)
        why = "inspection cut" if mv == abs_mag_limit else "90th pct of inspected M_V"
        parts.append(Table({"field": [name] * n, "distance_mpc": np.full(n, d), "band": [band] * n,
                            "mv_limit": np.full(n, round(mv, 2)), "limit_from": [why] * n,
                            "mag_limit": np.full(n, m_lim), "log_age": la, "log_mass_limit": np.log10(m.value),
                            "mass_kind": [kind if stated else f"{kind} (assumed)"] * n}))
    out = vstack(parts) if parts else Table(
        names=("field", "distance_mpc", "band", "mv_limit", "limit_from", "mag_limit", "log_age", "log_mass_limit",
               "mass_kind"),
        dtype=(str, float, str, float, str, float, float, float, str))
    for c in ("mag_limit", "log_age", "log_mass_limit"):
        out[c].format = ".3f"
    out.meta["notes"] = notes
    return out


def field_mass_slopes(fields: Mapping[str, Table], *, classes: Sequence[int] = (1, 2), log_age_max: float = 8.0,
                      abs_mag_limit: float = INSPECTION_MV, min_n: int = 20, path: str | Path | None = None) -> Table:
    """Mass-function index beta (dN/dM ~ M^beta) of class 1+2 per field, maximum likelihood.

    Clusters younger than 10^``log_age_max`` yr above the mass still visible at the field's
    limit at that age (:func:`starclass.science.massfunc.mass_limit` in the field's own V band,
    :func:`field_v_band`, and in the convention of its masses, ``meta['mass_kind']``: stellar for
    LEGUS's; the range is complete above it). The limit is M_V = ``abs_mag_limit``
    or, where the field is limited by detection rather than by the inspection cut (NGC 1566),
    the 90th percentile of its inspected M_V, whichever is brighter. A field with fewer than
    ``min_n`` such clusters gets a masked slope and a note. ``path`` is the SSP table the limits come from
    (``--ssp``; default the packaged one), as :func:`field_mass_completeness` takes it.

    Examples
    --------
    Synthetic fields whose masses are drawn from dN/dM ~ M^-2 give slopes near -2:

    >>> import tempfile
    >>> from starclass.datasets.catalogs import write_fake_legus_folder
    >>> folder = write_fake_legus_folder(Path(tempfile.mkdtemp()) / "legus")  # three synthetic fields
    >>> m = field_mass_slopes(load_fields(folder)[0])
    >>> m["field"].tolist(), m["n"].tolist(), [round(float(b), 1) for b in m["beta"]]
    (['ngc7793-w', 'ngc1433', 'ngc628-c'], [27, 29, 32], [-2.3, -2.1, -1.8])
    """
    rows = []
    for name, t in fields.items():
        cls = class_array(t, CLASS_REF)
        limit = field_mv_limit(t, abs_mag_limit=abs_mag_limit)
        # in the field's own V, as its completeness curve: F555W's limit for an F606W field was 0.05 dex high
        # in the convention of the field's masses (LEGUS: stellar); the mass formed put it 0.08 dex high at 10^8 yr
        log_m_min = mass_limit(log_age_max, limit, band=field_v_band(t), cameras=t.meta.get("cameras"),
                               mass_kind=catalog_mass_kind(t)[0], path=path)
        age = np.asarray(t["age"], dtype=float)
        mass = np.asarray(t["mass"], dtype=float)
        sel = np.isin(cls, classes) & np.isfinite(age) & (age > 0) & (age < 10 ** log_age_max) & np.isfinite(mass)
        m = mass[sel]
        n_above = int(np.sum(m >= 10 ** log_m_min))
        try:
            fit = fit_powerlaw_ml(m, lo=10 ** log_m_min, min_n=min_n, what=f"{name} mass function")
            rows.append((name, n_above, round(limit, 2), round(log_m_min, 2), fit.index, fit.index_err, ""))
        except StarclassError as exc:
            rows.append((name, n_above, round(limit, 2), round(log_m_min, 2), np.nan, np.nan, str(exc)))
    out = Table(rows=rows, names=("field", "n", "mv_limit", "log_mass_min", "beta", "beta_err", "note"))
    for c in ("beta", "beta_err"):
        out[c] = MaskedColumn(out[c], mask=~np.isfinite(out[c]), format=".2f")
    return out


# ---------------------------------------------------------------------------------------------
# the naive-rule ladder, leaving one galaxy out


def ladder_features(table: Table) -> dict[str, np.ndarray]:
    """The ladder's feature matrices for one field (NaN where a band is missing).

    ``ci_tree``: CI. ``tree3``: CI, U-B, V-I, M_V. ``gbm``: the five absolute magnitudes,
    their errors and CI (every photometric column of a ``.tab``). Absolute, not apparent,
    magnitudes: the galaxies lie at 3-18 Mpc, and a rule trained on others must not learn
    their distances. ``majority`` uses no feature (a column of zeros).

    Examples
    --------
    >>> bands = ["f275w", "f336w", "f438w", "f555w", "f814w"]
    >>> t = Table({"ci": [1.5], **{f"mag_{b}": [22.0] for b in bands}, **{f"magerr_{b}": [0.1] for b in bands}},
    ...           meta={"bands": bands, "distance_mpc": 10.0})
    >>> {k: v.shape for k, v in ladder_features(t).items()}
    {'majority': (1, 1), 'ci_tree': (1, 1), 'tree3': (1, 4), 'gbm': (1, 11)}
    """
    q = field_quantities(table)
    r = role_columns(table)
    dm = distance_modulus(float(table.meta["distance_mpc"]))
    mags = [r[role] - dm for role in ROLES]
    errs = [r[f"{role}_err"] for role in ROLES]
    return {
        "majority": np.zeros((len(table), 1)),
        "ci_tree": q["ci"][:, None],
        "tree3": np.column_stack([q["ci"], q["u_b"], q["v_i"], q["abs_mag_v"]]),
        "gbm": np.column_stack(mags + errs + [q["ci"]]),
    }


def _fill_missing(train: np.ndarray, test: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Missing values -> one value beyond the training range, so a tree can split them off."""
    tr, te = train.copy(), test.copy()
    for j in range(tr.shape[1]):
        ok = np.isfinite(tr[:, j])
        fill = float(np.max(tr[ok, j]) + 1.0) if ok.any() else 0.0
        tr[~ok, j] = fill
        te[~np.isfinite(te[:, j]), j] = fill
    return tr, te


def _model(rule: str, seed: int):
    with quiet_import():
        from sklearn.dummy import DummyClassifier
        from sklearn.ensemble import HistGradientBoostingClassifier
        from sklearn.tree import DecisionTreeClassifier

    if rule == "majority":
        return DummyClassifier(strategy="most_frequent")
    if rule == "gbm":
        # the settings of starclass.simulate.calibration, so the two ladders are comparable
        return HistGradientBoostingClassifier(max_iter=100, learning_rate=0.08, max_leaf_nodes=15, random_state=seed)
    return DecisionTreeClassifier(max_depth=2 if rule == "ci_tree" else 3, min_samples_leaf=10, random_state=seed)


def logo_predictions(X: np.ndarray, y: np.ndarray, groups: np.ndarray, rule: str, *, seed: int = 0,
                     fitted: Callable[[], None] | None = None) -> np.ndarray:
    """Predictions of one rule for every row, each from a model trained on the other groups.

    ``fitted``, when given, is called after each group's model (a progress count).

    Examples
    --------
    >>> X = np.tile([[0.0], [1.0]], (30, 1))  # CI decides the class
    >>> y = np.tile([1, 2], 30)
    >>> groups = np.repeat([0, 1, 2], 20)  # three galaxies
    >>> float(np.mean(logo_predictions(X, y, groups, "ci_tree") == y))
    1.0
    """
    from threadpoolctl import threadpool_limits

    with quiet_import():
        from sklearn.model_selection import LeaveOneGroupOut

    pred = np.zeros_like(y)
    # one thread: the machine is shared, and OpenMP oversubscription stalls gradient boosting
    with threadpool_limits(limits=1):
        for tr, te in LeaveOneGroupOut().split(X, y, groups):
            a, b = (X[tr], X[te]) if rule == "gbm" else _fill_missing(X[tr], X[te])
            pred[te] = _model(rule, seed).fit(a, y[tr]).predict(b)
            if fitted is not None:
                fitted()
    return pred


def logo_ladder(fields: Mapping[str, Table], *, rules: Sequence[str] = RULES, seed: int = 0,
                progress: bool | None = False) -> tuple[Table, Table]:
    """The naive-rule ladder, leaving one galaxy out, on four classes and clusters vs the rest.

    Parameters
    ----------
    fields : mapping
        Field name -> table (:func:`load_fields`); rows without a class 1-4 are ignored.
    rules : sequence of str
        Rules of :data:`RULES` to score.
    seed : int
        Seed of the trees and boosting.
    progress : bool or None
        The models fitted (one per rule, task and galaxy left out), as
        :class:`starclass.io.progress.Progress` shows them: True a bar, None timed lines, False nothing.

    Returns
    -------
    per_field : astropy.table.Table
        ``field, galaxy, n`` and the accuracies ``accuracy_<task>_<rule>`` (:func:`ladder_column`;
        task ``4class`` or ``binary``, binary = classes 1+2 vs 3+4), each scored on the field's
        sources with models trained on every other galaxy.
    pooled : astropy.table.Table
        ``task, rule, accuracy, n, n_galaxies``: the same predictions pooled over all fields.

    Raises
    ------
    StarclassError
        Fewer than two galaxies (nothing to leave out).

    Examples
    --------
    Three synthetic fields whose clusters (classes 1, 2) have CI 1.8 and the rest 1.4: a CI tree
    trained on two galaxies separates them in the third (gradient boosting, ``"gbm"``, left out here:
    it takes seconds):

    >>> import tempfile
    >>> from starclass.datasets.catalogs import write_fake_legus_folder
    >>> folder = write_fake_legus_folder(Path(tempfile.mkdtemp()) / "legus")  # three synthetic fields
    >>> per, pooled = logo_ladder(load_fields(folder)[0], rules=("majority", "ci_tree"))
    >>> {f"{r['task']} {r['rule']}": round(float(r["accuracy"]), 3) for r in pooled}
    {'4class majority': 0.459, '4class ci_tree': 0.646, 'binary majority': 0.654, 'binary ci_tree': 1.0}
    >>> per["field"].tolist(), per["accuracy_binary_ci_tree"].tolist()
    (['ngc7793-w', 'ngc1433', 'ngc628-c'], [1.0, 1.0, 1.0])
    """
    names = list(fields)
    labels, groups, field_of, feats = [], [], [], {r: [] for r in rules}
    for name in names:
        t = fields[name]
        cls = class_array(t, CLASS_REF)
        keep = np.isin(cls, (1, 2, 3, 4))
        f = ladder_features(t)
        for r in rules:
            feats[r].append(f[r][keep])
        labels.append(cls[keep])
        groups += [t.meta["galaxy"]] * int(keep.sum())
        field_of += [name] * int(keep.sum())
    y4 = np.concatenate(labels).astype(int)
    g = np.asarray(groups)
    fo = np.asarray(field_of)
    if len(np.unique(g)) < 2:
        raise StarclassError("leave-one-galaxy-out needs at least two galaxies")
    tasks = {"4class": y4, "binary": (y4 <= 2).astype(int)}
    # the ladder is most of --catalogs' time (22 s of 25 on the 16 LEGUS fields, gradient boosting above all)
    with Progress(len(tasks) * len(rules) * len(np.unique(g)), desc="--catalogs: leave-one-galaxy-out ladder",
                  noun="model", show=progress, unit="model") as bar:
        preds = {(task, r): logo_predictions(np.concatenate(feats[r]), y, g, r, seed=seed, fitted=bar.update)
                 for task, y in tasks.items() for r in rules}
    per = Table({"field": names, "galaxy": [fields[n].meta["galaxy"] for n in names],
                 "n": [int(np.sum(fo == n)) for n in names]})
    for (task, r), p in preds.items():
        per[ladder_column(task, r)] = [float(np.mean(p[fo == n] == tasks[task][fo == n])) for n in names]
        per[ladder_column(task, r)].format = ".3f"
    pooled = Table(rows=[(task, r, float(np.mean(p == tasks[task])), len(p), len(np.unique(g)))
                         for (task, r), p in preds.items()],
                   names=("task", "rule", "accuracy", "n", "n_galaxies"))
    pooled["accuracy"].format = ".3f"
    return per, pooled


def map_note(fields: Mapping[str, Table]) -> str:
    """Which fields ``--map`` named columns of, and how many fields it left as read (their layout is certain).

    Examples
    --------
    >>> used = {"ngc3351": Table(meta={"mapped": {"col35": "class_ref"}}),
    ...         "ngc628-c": Table(meta={"mapped": {}, "map_not_applied": True})}
    >>> print(map_note(used))  # doctest: +NORMALIZE_WHITESPACE
    --map read ngc3351 with col35 -> class_ref (a layout the reader calls uncertain); not applied to 1 field of a
    certain layout (ngc628-c)
    """
    done = {f: t.meta["mapped"] for f, t in fields.items() if t.meta.get("mapped")}
    left = [f for f, t in fields.items() if t.meta.get("map_not_applied")]
    said = "; ".join(f"{f} with {', '.join(f'{s} -> {d}' for s, d in m.items())}" for f, m in done.items())
    out = (f"--map read {said} ({'layouts' if len(done) > 1 else 'a layout'} the reader calls uncertain)" if done
           else "--map applied to no field used: none of them has a layout the reader calls uncertain")
    if left:
        out += (f"; not applied to {len(left)} field{'s' if len(left) != 1 else ''} of a certain layout "
                f"({', '.join(left[:5])}{', ...' if len(left) > 5 else ''})")
    return out


def many_field_tables(directory: str | Path, *, min_inspected: int = MIN_INSPECTED, seed: int = 0,
                      ladder: bool = True, distances: Mapping[str, float] | None = None,
                      column_maps: Mapping[str, Mapping[str, str]] | None = None,
                      progress: bool | None = False, ssp: str | Path | None = None) -> dict[str, Table]:
    """Every many-field table for a directory of LEGUS catalogues.

    ``distances`` (galaxy -> Mpc) overrides :data:`FIELD_DISTANCES_MPC` as :func:`load_fields` says, and
    ``column_maps`` (``--map``) names the columns of the files of uncertain layout as it says; the fields read
    through a map are said in ``fields.meta["map_note"]`` (:func:`map_note`).
    ``progress`` shows the files read, the tables made and the ladder's models as
    :class:`starclass.io.progress.Progress` does (True a bar, None timed lines, False nothing).
    ``ssp`` (``--ssp``) is the SSP table of the fields' SED check, mass-function limits and mass-completeness
    curves (default the packaged Yggdrasil Z = 0.020 one), named in ``fields.meta["ssp"]``.

    Returns
    -------
    dict
        ``fields`` (:func:`field_summary`), ``skipped``, ``distributions``, ``boxes``,
        ``mass_slopes``, ``mass_age`` (:func:`field_mass_age`: class 1+2 ages and masses),
        ``mass_completeness`` (:func:`field_mass_completeness`: each field's curve) and, with
        ``ladder``, ``ladder_per_field`` and ``ladder_pooled``.

    Examples
    --------
    Without the ladder (``ladder=False``: its gradient boosting takes seconds; with it, the tables
    ``ladder_per_field`` and ``ladder_pooled`` of :func:`logo_ladder` are added):

    >>> import tempfile
    >>> from starclass.datasets.catalogs import write_fake_legus_folder
    >>> folder = write_fake_legus_folder(Path(tempfile.mkdtemp()) / "legus")  # three synthetic fields
    >>> tables = many_field_tables(folder, ladder=False)
    >>> sorted(tables), tables["fields"]["field"].tolist()  # doctest: +NORMALIZE_WHITESPACE
    (['boxes', 'distributions', 'fields', 'mass_age', 'mass_completeness', 'mass_slopes', 'skipped'],
     ['ngc7793-w', 'ngc1433', 'ngc628-c'])
    """
    fields, skipped = load_fields(directory, min_inspected=min_inspected, distances=distances,
                                  column_maps=column_maps, progress=progress, ssp=ssp)
    # the SSP table of the limits and curves: --ssp was refused with --catalogs (until 2026-12-07), so a table of
    # LEGUS's own covering fraction (0.5) could not be used for the fields' slopes and curves
    steps = {"fields": field_summary, "distributions": class_distributions, "boxes": field_boxes,
             "mass_slopes": functools.partial(field_mass_slopes, path=ssp), "mass_age": field_mass_age,
             "mass_completeness": functools.partial(field_mass_completeness, path=ssp)}
    made = {}
    with Progress(len(steps), desc="--catalogs: per-field tables", noun="table", show=progress, unit="table") as bar:
        for key, step in steps.items():
            made[key] = step(fields)
            bar.update()
    out = {"fields": made.pop("fields"), "skipped": skipped, **made}  # the order the tables always had
    out["fields"].meta["min_inspected"] = min_inspected
    out["fields"].meta["ssp"] = ssp_label(load_ssp(ssp).meta)
    if column_maps:
        out["fields"].meta["map_note"] = map_note(fields)
    galaxies = sorted({str(t.meta["galaxy"]) for t in fields.values()})
    if ladder and len(galaxies) < 2:
        # the per-field tables stand on their own: a folder of NGC 628-C and -E wrote nothing at all, with
        # "leave-one-galaxy-out needs at least two galaxies" naming neither the galaxy nor its fields
        out["fields"].meta["ladder_note"] = (
            f"no leave-one-galaxy-out ladder: the fields used ({', '.join(fields)}) are all of one galaxy, "
            f"{galaxies[0]}, and it needs two galaxies or more")
    elif ladder:
        out["ladder_per_field"], out["ladder_pooled"] = logo_ladder(fields, seed=seed, progress=progress)
    return out
