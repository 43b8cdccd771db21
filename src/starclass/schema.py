"""Column names of the candidate table: one name for one thing, everywhere.

The registry :data:`COLUMNS` below is the schema in code: every column has a name (or a name
pattern such as ``mag_<band>``), a dtype, a unit and a description. Build names with the
helpers (:func:`mag_col`, :func:`prob_col`, ...) and the constants (:data:`CLASS_REF`, ...)
rather than typing them, so a renamed column is one edit. The table below is rendered by
:func:`column_table` from the registry; ``tests/test_schema.py`` fails when they differ.

Placeholders: ``<band>`` is a lower-case filter name (``f555w``), ``<k>`` a class number
(1..K), ``<r>`` an aperture radius in px (1..5), ``<h>`` a human classifier (1..), ``<i>`` an
ensemble member (1..), ``<bound>`` one of ``min``, ``max``, ``err``.

=====================  =======  =======  ==========================================================================
column                 dtype    unit     meaning
=====================  =======  =======  ==========================================================================
id                     int64             integer identifier, unique within a catalogue
x                      float64  pix      0-based pixel column of the centre
y                      float64  pix      0-based pixel row of the centre
x_light                float64  pix      0-based pixel column of a simulated object's V-band centre of light
y_light                float64  pix      0-based pixel row of a simulated object's V-band centre of light
ra                     float64  deg      right ascension (ICRS)
dec                    float64  deg      declination (ICRS)
mag_<band>             float64  mag      magnitude in <band> (Vega unless the mosaics say AB)
magerr_<band>          float64  mag      uncertainty of mag_<band>
mag_true_<band>        float64  mag      simulated true magnitude in <band> (truth catalogues)
ci                     float64  mag      concentration index m(1 px) - m(3 px) in the V band
mci_<r>                float64  mag      multiple concentration index for aperture radius <r> px
bkg                    float64           local background, median of a 7-8 px annulus (image unit / pix: per_pixel)
fwhm                   float64  pix      FWHM from a radial-profile fit
crowding               int64             number of other candidates within the crowding radius
redundant              bool              True if within 5 px of a brighter candidate (subclass 4.9)
apcorr_radius          float64  pix      radius where the growth-curve total magnitude was taken
saturated              bool              True for a flat-topped (saturated) core: subclass 4.4
masked_frac            float64           fraction of the V-band aperture on masked or off-image pixels
masked_frac_<band>     float64           fraction of the <band> aperture on masked or off-image pixels
class_ref              int16             reference class (truth, human mode or another model), 0 = none
class_pred             int16             predicted class, 1..K
prob_<k>               float64           predicted probability of class <k>
prob_<k>_raw           float64           probability of class <k> before calibration (temperature)
prob_std               float64           std over ensemble members of the chosen class's probability
tta_std                float64           std over the 8 rotations/flips of the chosen class's probability
mutual_info            float64           BALD mutual information (nats) of raw probabilities, TTA views x members
pred_set               str               conformal prediction set: classes joined by "|" ("1|2"; "" = none)
pred_set_size          int16             number of classes in pred_set (0 = unclassified)
quality                float64           fraction of ensemble members agreeing with the mode
class_mean             int16             class of the members' mean probability
class_median           int16             class of the members' median probability
class_std              float64           spread of the members' classes
stamp_no_data          float64           share of the stamp's input pixels without data, filled; NaN = unclassified
class_m<i>             int16             class voted by ensemble member <i>
class_h<h>             int16             class given by human classifier <h>, 0 = none
score_h<h>             int16             score given by human inspector <h> (M31 check 0-2), -1 = none
score_sum              int16             sum of the inspectors' scores (M31 check 0-4), -1 = none
class_human_mode       int16             mode of several humans' classes (LEGUS NGC 1566 col 36), 0 = none
class_human_mean       float64           mean of the humans' classes (LEGUS col 35, inspect --export), 0/NaN = none
class_hybrid           int16             final class from humans or ML, per class_method (NGC 1566 col 34)
class_method           int16             source of class_hybrid: 0 ML, 1 ML + 1 human, 3/4 3 humans, 6 re-class
class_ml               int16             class from a machine-learning classifier (NGC 1566 col 37), 0 = none
class_ml_checked       int16             one human's check of class_ml (NGC 1566 col 38), 0 = none
class_reclassified     int16             one human's re-classification of former class 4 (col 39)
subclass               str               class-4 subclass as text "4.1".."4.12" ("" otherwise)
galaxy                 str               galaxy (or field) name
field                  str               field of the candidate (survey field; mosaics + catalogue in train)
tile                   str               survey tile whose core holds the centre, r<row>_c<col>
trained_field          bool              survey: the field is one the model was trained on (no held-out figures)
fold                   str               cross-validation fold that held the candidate out
r_gal                  float64  kpc      projected galactocentric radius
age                    float64  yr       age of the cluster (truth or SED fit)
mass                   float64  solMass  stellar mass of the cluster (truth or SED fit)
mass_kind              str               which mass a mass or mass limit is: stellar (left at the age) or formed
ebv                    float64  mag      colour excess E(B-V)
age_<bound>            float64  yr       lower / upper bound or error of age (LEGUS, PHANGS)
mass_<bound>           float64  solMass  lower / upper bound or error of mass (LEGUS, PHANGS)
ebv_<bound>            float64  mag      lower / upper bound or error of ebv (LEGUS, PHANGS)
sed_chi2_<band>        float64           SED fit's chi2 residual in <band>, > 0: flux above model (LEGUS col 26-30)
sed_chi2_reduced       float64           reduced chi2 of the SED fit (LEGUS col 31)
sed_q                  float64           SED fit's Q probability: 1 a good fit, 0 poorly constrained (LEGUS col 32)
radius_pc              float64  pc       simulated half-light radius
entropy                float64           entropy of the predicted probabilities (nats)
margin                 float64           1 - (top probability - second): the score suggest --by margin ranks by
suggest_rank           int64             place in the suggested labelling queue, 1 = most informative
class_given            int16             the class a row's label gives (suggest --check-labels), 0 = none
class_suggested        int16             the class out-of-fold probabilities point to instead (check-labels)
prob_given             float64           out-of-fold probability of the given class (self-confidence)
check_rank             int64             place in the list of labels to look at again, 1 = least self-confident
pseudo_label           bool              True where class_ref is a model's class (pseudo-label), not a person's
class_joint            int16             class from the model and the people's votes together, 0 = none
prob_joint_<k>         float64           probability of class <k> given the image (model) and the votes
n_votes                int16             number of people's votes the row has
model                  str               absolute path of the model that classified the row (CSV outputs: no meta)
cutout_root            str               folder a cutout's file is relative to (absolute, or from the table's own)
cutout_root_abs        str               the same folder, absolute: tried where cutout_root does not hold the files
cutout_list            str               the list (or folder) classify --stamps read, as cutout_root is recorded
group_column           str               the column naming each cutout's object, classify --group-column (CSV)
file_column            str               the column naming each cutout's file, --file-column other than file (CSV)
threshold              float64           decision threshold on P(positive class) that set class_pred (CSV outputs)
threshold_source       str               where the decision threshold came from, e.g. --threshold (CSV outputs)
positive_class         int16             class set where its P >= threshold, else the other class (CSV outputs)
coverage               float64           coverage the conformal sets (pred_set) were made for (CSV outputs)
training_field         str               the model's training field this classification is of (a meta key)
mosaics                str               the mosaics a catalogue was classified on, resolved (a meta key)
id_order               str               how ids are numbered: V magnitude (detect) or (y, x) (survey) (a meta key)
scored_probabilities   str               the column evaluate scored, e.g. class_joint, in prob_<k> (a meta key)
labels_read_from       str               the label column evaluate read class_ref from, --label-column (a meta key)
cv                     str               train --cv's scheme of out-of-fold predictions, e.g. 5, logo (a meta key)
task                   str               the task a table's classes are of, classify's and simulate's (a meta key)
mag_lo                 float64  mag      a completeness bin's brighter edge of the true magnitude (meta band)
mag_hi                 float64  mag      a completeness bin's fainter edge of the true magnitude
n_true                 int64             true objects in a completeness bin (detect --truth)
n_found                int64             true objects of the bin matched by a candidate before the selection
n_selected             int64             true objects of the bin matched by a candidate after the selection
completeness           float64           n_found / n_true of a completeness bin
completeness_selected  float64           n_selected / n_true of a completeness bin
n_rows                 int64             rows of a catalogue (info DIR, evaluate --catalogs' fields.ecsv)
n_inspected            int64             rows with a person's class 1-4 (info DIR, fields.ecsv)
n_machine_only         int64             rows whose class no person gave (NGC 1566's class_method 0)
n_<k>                  int64             rows of class <k> in a catalogue (info DIR, fields.ecsv)
file                   str               the catalogue file a summary row is of (info DIR)
bands                  str               the bands a catalogue has magnitudes in, comma-separated (info DIR)
ci_cut                 float64           the CI cut of a catalogue's inspected sources (info DIR, fields.ecsv)
layout                 str               the LEGUS layout or the format a catalogue was read as (info DIR)
mapped                 str               the --map applied to a catalogue, source->name (info DIR)
class_column           str               the class column a summary's n_<k> count (info DIR, catalogues.ecsv)
vote_fraction          float64           fraction of the volunteers' votes for class 1 (unweighted)
consensus              int16             class of the volunteers' gold-weighted consensus (1 or 2)
consensus_fraction     float64           gold-weighted fraction of the volunteers' votes for class 1
gold                   int16             1 where the expert label is a gold answer weighting volunteers
volunteer_ids          str               semicolon-separated ids of the volunteers who voted
volunteer_votes        str               semicolon-separated votes (class numbers), as volunteer_ids
=====================  =======  =======  ==========================================================================

Subclasses are text because 4.1 and 4.10 are the same number. Classes are integers 1-4 with
0 for "no class"; :func:`class_array` reads any class column that way.

The mode of several people's votes (``class_ref`` of ``starclass inspect --export``, the
targets of ``train --label-model mode``) is :func:`vote_mode`, the one definition of its tie rule.

Messages name rows counted from 1, row 1 being the first row of data below the header (as a
spreadsheet shows a CSV less its header line); where the file's line is known it follows:
``row 3 (line 4 of the file)``. Code indexes from 0; :func:`row_name` and :func:`rows_named`
add the 1, so that every command counts alike.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Literal

import numpy as np
from numpy.typing import ArrayLike

from starclass.errors import StarclassError

if TYPE_CHECKING:
    # Every command's --help reads the names here, and none of the units: astropy.units (0.3 s) is
    # imported when the registry is first asked for (_columns), astropy.table (0.35 s) never here
    import astropy.units as u
    from astropy.table import Table

CLASSES: tuple[int, ...] = (1, 2, 3, 4)

CLASS_NAMES: dict[int, str] = {
    1: "symmetric compact cluster",
    2: "asymmetric compact cluster",
    3: "compact association",
    4: "artefact / non-cluster",
}

def class_labels(classes: Iterable[int], class_names: Sequence[str] | None = None, *,
                 template: str = "{k} ({name})") -> dict[int, str]:
    """Class number -> how the output names it: the number with the task's name of the class.

    Here, in the core module, so that every stage (``learn``'s calibration warnings and model summary as
    well as ``evaluate``) names classes alike; :mod:`starclass.evaluate.task` re-exports it.

    The one naming of classes shared by the terminal (``evaluate``'s per-class lines, ``classify``'s
    and ``train``'s counts: ``"2 (galaxy)"``) and the figures (``"2 galaxy"``, through
    :func:`starclass.report.build.figure_names`). A class without a name of its own (none given,
    or the ``"class k"`` a task config fills in) is named by its number alone.

    Parameters
    ----------
    classes
        The task's class numbers.
    class_names
        One name per class (the task's ``class_names``); None, or a list of another length, names
        none.
    template
        How number ``k`` and ``name`` are put together.

    Returns
    -------
    dict of int to str
        One entry per class, in the order of ``classes``.

    Examples
    --------
    >>> class_labels([1, 2], ["star", "galaxy"])
    {1: '1 (star)', 2: '2 (galaxy)'}
    >>> class_labels([1, 2], ["class 1", "class 2"]), class_labels([1, 2, 3], ["a", "b"])
    ({1: '1', 2: '2'}, {1: '1', 2: '2', 3: '3'})
    >>> class_labels([1, 2], ["star", "galaxy"], template="{k} {name}")
    {1: '1 star', 2: '2 galaxy'}
    """
    classes = [int(k) for k in classes]
    names = [str(n) for n in class_names] if class_names is not None else []
    if len(names) != len(classes):
        names = [f"class {k}" for k in classes]
    return {k: str(k) if not n.strip() or n == f"class {k}" else template.format(k=k, name=n)
            for k, n in zip(classes, names)}


def label_map_words(classes: Iterable[int], class_names: Sequence[str] | None,
                    label_map: Mapping[str, int] | None) -> str:
    """A task's label map in words: each class, by number and name, after the label strings read as it.

    A folder's labels and a task's classes are two names for one thing where they differ: m31-real reads
    the PAndAS labels ``cluster``, ``extended_cluster`` and ``galaxy`` as its classes 1 (cluster) and
    2 (non-cluster), and its outputs said "galaxy" (``info`` of the folder, ``inspect``'s buttons) or
    "non-cluster" (``info m31-real``, ``classify``, ``evaluate``, ``report``) with nothing to join them.
    "" where the task has no label map.

    Examples
    --------
    >>> label_map_words([1, 2], ["cluster", "non-cluster"], {"cluster": 1, "extended_cluster": 1, "galaxy": 2})
    'cluster, extended_cluster -> 1 (cluster); galaxy -> 2 (non-cluster)'
    >>> label_map_words([1, 2], None, {})
    ''
    """
    if not label_map:
        return ""
    named = class_labels(classes, class_names)
    by_class: dict[int, list[str]] = {}
    for label, k in label_map.items():
        by_class.setdefault(int(k), []).append(str(label))
    return "; ".join(f"{', '.join(labels)} -> {named.get(k, str(k))}" for k, labels in by_class.items())


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


def subclass_label(value: str | float | None) -> str:
    """Text label of a subclass given as text or as a number with its decimals as written.

    Numbers are read with two decimals except 4.1, so a float column can only carry
    4.1-4.9, 4.11 and 4.12 unambiguously; prefer text (``"4.10"``). Empty/NaN/None give "".

    Examples
    --------
    >>> subclass_label(4.1), subclass_label(4.12), subclass_label("4.10"), subclass_label(None), subclass_label(np.nan)
    ('4.1', '4.12', '4.10', '', '')
    >>> subclass_label("4.99")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: unknown subclass '4.99'; known: 4.1, 4.2, ...
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

#: Aperture radii (px) of the multiple concentration index columns ``mci_<r>``.
MCI_RADII: tuple[int, ...] = (1, 2, 3, 4, 5)

# -- fixed names ---------------------------------------------------------------------------------
ID = "id"
X = "x"
Y = "y"
#: A simulated truth object's V-band centre of light (0-based px), where its ``x``, ``y`` is its
#: cluster body's or brightest star's: completeness matches a detection to either
X_LIGHT = "x_light"
Y_LIGHT = "y_light"
RA = "ra"
DEC = "dec"
CI = "ci"
BKG = "bkg"
FWHM = "fwhm"
CROWDING = "crowding"
REDUNDANT = "redundant"
APCORR_RADIUS = "apcorr_radius"
SATURATED = "saturated"
MASKED_FRAC = "masked_frac"
CLASS_REF = "class_ref"
CLASS_PRED = "class_pred"
PROB_STD = "prob_std"
QUALITY = "quality"
PRED_SET = "pred_set"
PRED_SET_SIZE = "pred_set_size"
TTA_STD = "tta_std"
#: BALD: H(mean p) - mean H(p) over every TTA view of every member (classify --tta, or an ensemble)
MUTUAL_INFO = "mutual_info"
CLASS_MEAN = "class_mean"
CLASS_MEDIAN = "class_median"
CLASS_STD = "class_std"
#: share of a classified candidate's (or cutout's) input pixels without data (NaN, zero weight, off the
#: image), filled with the normalised background: classify writes it when a classified row has any
STAMP_NO_DATA = "stamp_no_data"
SCORE_SUM = "score_sum"
CLASS_HUMAN_MODE = "class_human_mode"
CLASS_HUMAN_MEAN = "class_human_mean"
CLASS_HYBRID = "class_hybrid"
CLASS_METHOD = "class_method"
CLASS_ML = "class_ml"
CLASS_ML_CHECKED = "class_ml_checked"
CLASS_RECLASSIFIED = "class_reclassified"
SUBCLASS = "subclass"
GALAXY = "galaxy"
FIELD = "field"
TILE = "tile"
TRAINED_FIELD = "trained_field"
FOLD = "fold"
#: the meta key of train --cv's out-of-fold predictions (cv_predictions.ecsv): the cross-validation's scheme
#: (``"5"``, ``"logo"``), as ``--cv`` took it; each row was classified by the fold model that held it out
CV_SCHEME = "cv"
R_GAL = "r_gal"
AGE = "age"
MASS = "mass"
#: the meta key of a catalogue's mass convention: what its ``mass`` column measures (one of MASS_KINDS). A mass
#: limit or completeness curve drawn over the masses is taken in the same convention
#: (:func:`starclass.science.massfunc.mass_limit`'s ``mass_kind``): LEGUS's SED fits give the mass in stars at the
#: fitted age (io.legus sets "stellar"), the simulator draws the mass formed ("formed"); the two differ by the SSP
#: table's Mstars / Mconverted (0.046 dex at 10 Myr, 0.084 at 100 Myr, 0.099 at 400 Myr)
MASS_KIND = "mass_kind"
#: ``"stellar"``: the stars' present-day mass (Yggdrasil's Mstars); ``"formed"``: the mass turned into stars
#: (Mconverted, what the SSP magnitudes are normalised to)
MassKind = Literal["stellar", "formed"]
MASS_KINDS: tuple[str, ...] = ("stellar", "formed")
EBV = "ebv"
#: the SED fit's quality figures of a LEGUS catalogue (columns 31, 32 of its readme; 26-30 are
#: :func:`sed_chi2_col`'s, one per band): named here, as the magnitudes are, not kept by number
SED_CHI2_REDUCED = "sed_chi2_reduced"
SED_Q = "sed_q"
#: the three together, the per-band residuals by their pattern: figures of a fit, never classes
SED_FIT_COLUMNS: tuple[str, ...] = ("sed_chi2_<band>", SED_CHI2_REDUCED, SED_Q)
RADIUS_PC = "radius_pc"
ENTROPY = "entropy"
#: 1 - (top probability - second), the score ``suggest --by margin`` ranks by (written beside entropy)
MARGIN = "margin"
SUGGEST_RANK = "suggest_rank"
#: suggest --check-labels: the class of a row's label, the class its out-of-fold probabilities point to
#: instead, the probability of its label (self-confidence) and its place in the list to look at again
CLASS_GIVEN = "class_given"
CLASS_SUGGESTED = "class_suggested"
PROB_GIVEN = "prob_given"
CHECK_RANK = "check_rank"
#: True where class_ref is a model's own confident class (a pseudo-label, suggest --pseudo-labels)
PSEUDO_LABEL = "pseudo_label"
CLASS_JOINT = "class_joint"
N_VOTES = "n_votes"
#: a catalogue summary's counts, one set of names where ``info DIR`` (one row per file) and ``evaluate --catalogs``'
#: ``fields.ecsv`` (one row per field) give them: its rows, those with a person's class 1-4, the classes no person
#: gave (NGC 1566's class_method 0), and the rows of each class (:func:`class_count_column`). info DIR said rows,
#: inspected, n1-n4 until 2026-12-07
#: a completeness table's columns (``starclass.detect.completeness``; ``detect --truth``'s printed table and its
#: ``<output>_completeness.ecsv``, in this order): a bin of the band's true magnitude (``meta['band']`` names the
#: band), the true objects in it, those found before the selection and after it, and the two fractions of n_true.
#: The printed table said "mag range" and put n_selected before completeness, the file the other way round until
#: 2026-12-07
MAG_LO = "mag_lo"
MAG_HI = "mag_hi"
N_TRUE = "n_true"
N_FOUND = "n_found"
N_SELECTED = "n_selected"
COMPLETENESS = "completeness"
COMPLETENESS_SELECTED = "completeness_selected"
COMPLETENESS_COLUMNS = (MAG_LO, MAG_HI, N_TRUE, N_FOUND, N_SELECTED, COMPLETENESS, COMPLETENESS_SELECTED)
N_ROWS = "n_rows"
N_INSPECTED = "n_inspected"
N_MACHINE_ONLY = "n_machine_only"
#: the rest of ``info DIR``'s table (one row per file; ``--out-format csv|ecsv``): the file a row is of, the bands
#: read, the CI cut (also ``fields.ecsv``'s), the LEGUS layout or format read, and the ``--map`` applied to it
SUMMARY_FILE = "file"
SUMMARY_BANDS = "bands"
CI_CUT = "ci_cut"
LAYOUT = "layout"
MAPPED = "mapped"
#: the class column a summary's n_1-n_4 count (info DIR; evaluate's catalogues.ecsv names the column it scored so)
CLASS_COLUMN = "class_column"
#: the meta key naming the task a table's classes are of (a task preset or a task file's name): classify writes
#: its model's, simulate its field's (``SimConfig.task``), each beside the task's classes, class names and merges
#: (:meth:`starclass.learn.config.TaskConfig.table_meta`); evaluate, report and info read them back
TASK = "task"
#: the model that classified a row, written where the output format keeps no metadata (CSV)
MODEL_PATH = "model"
#: the folder a classified cutout's ``file`` is relative to, written where the format keeps no metadata
CUTOUT_ROOT = "cutout_root"
#: meta key of evaluate's view of a catalogue scored on another column (``--pred-column class_joint``): that column,
#: whose probability columns (``prob_joint_<k>``) it holds in ``prob_<k>``; the threshold lines name them
SCORED_PROBABILITIES = "scored_probabilities"
#: meta key of evaluate's view of a table whose class_ref it read from a label column (``--label-column label``):
#: that column. Its rows of no class there (no label, or one the task does not know) are counted apart
LABELS_READ_FROM = "labels_read_from"
#: the same folder as an absolute path, written beside a relative ``cutout_root``: a list moved alone (without its
#: cutouts) still finds them there, where the relative record serves a list moved together with its cutouts
CUTOUT_ROOT_ABSOLUTE = "cutout_root_abs"
#: the cutout list (or folder) ``classify --stamps`` was given, recorded as ``cutout_root`` is (relative to the
#: table's folder where it can be, else absolute): evaluate's ``report --stamps`` names it. The folder alone
#: named a folder whose own ``labels.csv`` was not what a ``--stamps test.csv`` classified
CUTOUT_LIST = "cutout_list"
#: the column naming each classified cutout's object (classify --stamps --group-column) and the column naming its
#: file (--file-column): meta keys, written as columns of a CSV output, which keeps no metadata (one value each)
GROUP_COLUMN = "group_column"
FILE_COLUMN = "file_column"
#: the decision threshold that set class_pred (classify --threshold or the model's), its source and the class it
#: selects: the meta keys of those names, written as columns where the format keeps no metadata (CSV)
THRESHOLD = "threshold"
THRESHOLD_SOURCE = "threshold_source"
POSITIVE_CLASS = "positive_class"
#: the meta key of a classification of a field its model was trained on (classify on mosaics): that field's record
#: in the model (:func:`starclass.learn.checkpoint.training_field_of`), its catalogue and mosaics; evaluate and
#: report warn of it. Meta only: a CSV output keeps none (classify's own warning says so then)
TRAINING_FIELD = "training_field"
#: the meta key of the mosaics a catalogue was classified on (classify MOSAICS: the folder or files given, resolved);
#: suggest names their folder in its hints when it ranks the classification without --mosaics. Meta only
MOSAICS_META = "mosaics"
#: the meta key saying how a catalogue's candidates were numbered: detect by V magnitude (brightest first), a survey's
#: detected candidates per field in (y, x) order, given positions as given. The same candidates have other ids in
#: the two: a user matching them matches on x, y. Meta only
ID_ORDER = "id_order"
#: the coverage classify made the conformal sets (pred_set) for (--coverage): a meta key, written as a column of a
#: CSV output (one value), which keeps no meta, and read back into the meta from it
COVERAGE = "coverage"
#: the decision's meta keys, written as columns of a CSV output (one value each)
DECISION_COLUMNS = (THRESHOLD, THRESHOLD_SOURCE, POSITIVE_CLASS)
# simulated volunteers of labelled cutout folders (galaxy-cluster preset, --volunteers)
VOTE_FRACTION = "vote_fraction"
CONSENSUS = "consensus"
CONSENSUS_FRACTION = "consensus_fraction"
GOLD = "gold"
VOLUNTEER_IDS = "volunteer_ids"
VOLUNTEER_VOTES = "volunteer_votes"

#: Columns every candidate table has.
REQUIRED: tuple[str, ...] = (ID, X, Y)

# What each placeholder of a name pattern may stand for. A band never starts with "true_", so
# ``mag_true_f555w`` is a true magnitude and not the observed magnitude of a band "true_f555w";
# nor ends with "_input" (or "_input2", ...): ``mag_f555w_input`` is an input catalogue's own
# magnitude kept beside the measured one (detect --positions, survey), not a band "f555w_input"
# (info listed ten bands for five, a photometric baseline took them as features). Every pattern
# ends with its <band>, so the lookahead's "$" is the end of the name.
_PLACEHOLDERS: dict[str, str] = {
    "band": r"(?!true_)(?![a-z0-9_]*_input\d*$)[a-z0-9][a-z0-9_]*",
    "k": r"\d+",
    "r": r"\d+",
    "h": r"\d+",
    "i": r"\d+",
    "bound": r"(?:min|max|err)",
}
_PLACEHOLDER = re.compile(r"<(\w+)>")


@dataclass(frozen=True)
class Column:
    """One column of the schema: a fixed name or a name pattern with one placeholder.

    Parameters
    ----------
    name
        The column name, or a pattern such as ``"mag_<band>"`` (see the module docstring for
        the placeholders).
    dtype
        The numpy dtype the column is written with (``"str"`` for text).
    unit
        The astropy unit of the values, or None for counts, flags, classes and image units.
    description
        One line for humans.

    Examples
    --------
    >>> import astropy.units as u
    >>> c = Column("mag_<band>", "float32", u.mag, "magnitude in a band")
    >>> c.is_pattern, c.matches("mag_f555w"), c.matches("magerr_f555w")
    (True, True, False)
    """

    name: str
    dtype: str
    unit: u.UnitBase | None
    description: str

    @property
    def is_pattern(self) -> bool:
        """True when :attr:`name` holds a placeholder such as ``<band>``.

        Examples
        --------
        >>> from starclass.schema import COLUMNS
        >>> COLUMNS["mag_<band>"].is_pattern, COLUMNS["x"].is_pattern
        (True, False)
        """
        return _PLACEHOLDER.search(self.name) is not None

    def matches(self, name: str) -> bool:
        """True when ``name`` is this column (or an instance of this pattern).

        Examples
        --------
        >>> from starclass.schema import COLUMNS
        >>> COLUMNS["mag_<band>"].matches("mag_f555w")
        True
        >>> COLUMNS["mag_<band>"].matches("mag_true_f555w")
        False
        """
        return _regex(self.name).fullmatch(name) is not None


def _regex(pattern: str) -> re.Pattern[str]:
    parts = _PLACEHOLDER.split(pattern)
    # split() alternates literal text and placeholder names
    body = "".join(re.escape(p) if n % 2 == 0 else f"({_PLACEHOLDERS[p]})" for n, p in enumerate(parts))
    return re.compile(body)


def _registry(*columns: Column) -> dict[str, Column]:
    return {c.name: c for c in columns}


#: The schema: column name (or pattern) -> :class:`Column`, in the order tables list them. Built (with
#: astropy.units) when first asked for, by the module's ``__getattr__``; code in this module reads it
#: through :func:`_columns`.
COLUMNS: dict[str, Column]


def _columns() -> dict[str, Column]:
    built = globals().get("COLUMNS")
    if built is None:
        # A second thread may build it too: both dicts are equal, and the last one stays
        built = globals()["COLUMNS"] = _build_columns()
    return built


def __getattr__(name: str) -> object:
    if name == "COLUMNS":
        return _columns()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), "COLUMNS"})


def _build_columns() -> dict[str, Column]:
    import astropy.units as u

    return _registry(
        Column(ID, "int64", None, "integer identifier, unique within a catalogue"),
        Column(X, "float64", u.pix, "0-based pixel column of the centre"),
        Column(Y, "float64", u.pix, "0-based pixel row of the centre"),
        Column(X_LIGHT, "float64", u.pix, "0-based pixel column of a simulated object's V-band centre of light"),
        Column(Y_LIGHT, "float64", u.pix, "0-based pixel row of a simulated object's V-band centre of light"),
        Column(RA, "float64", u.deg, "right ascension (ICRS)"),
        Column(DEC, "float64", u.deg, "declination (ICRS)"),
        Column("mag_<band>", "float64", u.mag, "magnitude in <band> (Vega unless the mosaics say AB)"),
        Column("magerr_<band>", "float64", u.mag, "uncertainty of mag_<band>"),
        Column("mag_true_<band>", "float64", u.mag, "simulated true magnitude in <band> (truth catalogues)"),
        Column(CI, "float64", u.mag, "concentration index m(1 px) - m(3 px) in the V band"),
        Column("mci_<r>", "float64", u.mag, "multiple concentration index for aperture radius <r> px"),
        Column(BKG, "float64", None, "local background, median of a 7-8 px annulus (image unit / pix: per_pixel)"),
        Column(FWHM, "float64", u.pix, "FWHM from a radial-profile fit"),
        Column(CROWDING, "int64", None, "number of other candidates within the crowding radius"),
        Column(REDUNDANT, "bool", None, "True if within 5 px of a brighter candidate (subclass 4.9)"),
        Column(APCORR_RADIUS, "float64", u.pix, "radius where the growth-curve total magnitude was taken"),
        Column(SATURATED, "bool", None, "True for a flat-topped (saturated) core: subclass 4.4"),
        Column(MASKED_FRAC, "float64", None, "fraction of the V-band aperture on masked or off-image pixels"),
        Column("masked_frac_<band>", "float64", None, "fraction of the <band> aperture on masked or off-image pixels"),
        Column(CLASS_REF, "int16", None, "reference class (truth, human mode or another model), 0 = none"),
        Column(CLASS_PRED, "int16", None, "predicted class, 1..K"),
        Column("prob_<k>", "float64", None, "predicted probability of class <k>"),
        Column("prob_<k>_raw", "float64", None, "probability of class <k> before calibration (temperature)"),
        Column(PROB_STD, "float64", None, "std over ensemble members of the chosen class's probability"),
        Column(TTA_STD, "float64", None, "std over the 8 rotations/flips of the chosen class's probability"),
        Column(MUTUAL_INFO, "float64", None,
               "BALD mutual information (nats) of raw probabilities, TTA views x members"),
        Column(PRED_SET, "str", None, 'conformal prediction set: classes joined by "|" ("1|2"; "" = none)'),
        Column(PRED_SET_SIZE, "int16", None, "number of classes in pred_set (0 = unclassified)"),
        Column(QUALITY, "float64", None, "fraction of ensemble members agreeing with the mode"),
        Column(CLASS_MEAN, "int16", None, "class of the members' mean probability"),
        Column(CLASS_MEDIAN, "int16", None, "class of the members' median probability"),
        Column(CLASS_STD, "float64", None, "spread of the members' classes"),
        Column(STAMP_NO_DATA, "float64", None,
               "share of the stamp's input pixels without data, filled; NaN = unclassified"),
        Column("class_m<i>", "int16", None, "class voted by ensemble member <i>"),
        Column("class_h<h>", "int16", None, "class given by human classifier <h>, 0 = none"),
        Column("score_h<h>", "int16", None, "score given by human inspector <h> (M31 check 0-2), -1 = none"),
        Column(SCORE_SUM, "int16", None, "sum of the inspectors' scores (M31 check 0-4), -1 = none"),
        Column(CLASS_HUMAN_MODE, "int16", None, "mode of several humans' classes (LEGUS NGC 1566 col 36), 0 = none"),
        Column(CLASS_HUMAN_MEAN, "float64", None,
               "mean of the humans' classes (LEGUS col 35, inspect --export), 0/NaN = none"),
        Column(CLASS_HYBRID, "int16", None, "final class from humans or ML, per class_method (NGC 1566 col 34)"),
        Column(CLASS_METHOD, "int16", None, "source of class_hybrid: 0 ML, 1 ML + 1 human, 3/4 3 humans, 6 re-class"),
        Column(CLASS_ML, "int16", None, "class from a machine-learning classifier (NGC 1566 col 37), 0 = none"),
        Column(CLASS_ML_CHECKED, "int16", None, "one human's check of class_ml (NGC 1566 col 38), 0 = none"),
        Column(CLASS_RECLASSIFIED, "int16", None, "one human's re-classification of former class 4 (col 39)"),
        Column(SUBCLASS, "str", None, 'class-4 subclass as text "4.1".."4.12" ("" otherwise)'),
        Column(GALAXY, "str", None, "galaxy (or field) name"),
        Column(FIELD, "str", None, "field of the candidate (survey field; mosaics + catalogue in train)"),
        Column(TILE, "str", None, "survey tile whose core holds the centre, r<row>_c<col>"),
        Column(TRAINED_FIELD, "bool", None, "survey: the field is one the model was trained on (no held-out figures)"),
        Column(FOLD, "str", None, "cross-validation fold that held the candidate out"),
        Column(R_GAL, "float64", u.kpc, "projected galactocentric radius"),
        Column(AGE, "float64", u.yr, "age of the cluster (truth or SED fit)"),
        Column(MASS, "float64", u.Msun, "stellar mass of the cluster (truth or SED fit)"),
        Column(MASS_KIND, "str", None, "which mass a mass or mass limit is: stellar (left at the age) or formed"),
        Column(EBV, "float64", u.mag, "colour excess E(B-V)"),
        Column("age_<bound>", "float64", u.yr, "lower / upper bound or error of age (LEGUS, PHANGS)"),
        Column("mass_<bound>", "float64", u.Msun, "lower / upper bound or error of mass (LEGUS, PHANGS)"),
        Column("ebv_<bound>", "float64", u.mag, "lower / upper bound or error of ebv (LEGUS, PHANGS)"),
        Column(SED_FIT_COLUMNS[0], "float64", None,
               "SED fit's chi2 residual in <band>, > 0: flux above model (LEGUS col 26-30)"),
        Column(SED_CHI2_REDUCED, "float64", None, "reduced chi2 of the SED fit (LEGUS col 31)"),
        Column(SED_Q, "float64", None, "SED fit's Q probability: 1 a good fit, 0 poorly constrained (LEGUS col 32)"),
        Column(RADIUS_PC, "float64", u.pc, "simulated half-light radius"),
        Column(ENTROPY, "float64", None, "entropy of the predicted probabilities (nats)"),
        Column(MARGIN, "float64", None, "1 - (top probability - second): the score suggest --by margin ranks by"),
        Column(SUGGEST_RANK, "int64", None, "place in the suggested labelling queue, 1 = most informative"),
        Column(CLASS_GIVEN, "int16", None, "the class a row's label gives (suggest --check-labels), 0 = none"),
        Column(CLASS_SUGGESTED, "int16", None, "the class out-of-fold probabilities point to instead (check-labels)"),
        Column(PROB_GIVEN, "float64", None, "out-of-fold probability of the given class (self-confidence)"),
        Column(CHECK_RANK, "int64", None, "place in the list of labels to look at again, 1 = least self-confident"),
        Column(PSEUDO_LABEL, "bool", None, "True where class_ref is a model's class (pseudo-label), not a person's"),
        Column(CLASS_JOINT, "int16", None, "class from the model and the people's votes together, 0 = none"),
        Column("prob_joint_<k>", "float64", None, "probability of class <k> given the image (model) and the votes"),
        Column(N_VOTES, "int16", None, "number of people's votes the row has"),
        Column(MODEL_PATH, "str", None, "absolute path of the model that classified the row (CSV outputs: no meta)"),
        Column(CUTOUT_ROOT, "str", None, "folder a cutout's file is relative to (absolute, or from the table's own)"),
        Column(CUTOUT_ROOT_ABSOLUTE, "str", None,
               "the same folder, absolute: tried where cutout_root does not hold the files"),
        Column(CUTOUT_LIST, "str", None, "the list (or folder) classify --stamps read, as cutout_root is recorded"),
        Column(GROUP_COLUMN, "str", None, "the column naming each cutout's object, classify --group-column (CSV)"),
        Column(FILE_COLUMN, "str", None, "the column naming each cutout's file, --file-column other than file (CSV)"),
        Column(THRESHOLD, "float64", None, "decision threshold on P(positive class) that set class_pred (CSV outputs)"),
        Column(THRESHOLD_SOURCE, "str", None, "where the decision threshold came from, e.g. --threshold (CSV outputs)"),
        Column(POSITIVE_CLASS, "int16", None, "class set where its P >= threshold, else the other class (CSV outputs)"),
        Column(COVERAGE, "float64", None, "coverage the conformal sets (pred_set) were made for (CSV outputs)"),
        Column(TRAINING_FIELD, "str", None, "the model's training field this classification is of (a meta key)"),
        Column(MOSAICS_META, "str", None, "the mosaics a catalogue was classified on, resolved (a meta key)"),
        Column(ID_ORDER, "str", None, "how ids are numbered: V magnitude (detect) or (y, x) (survey) (a meta key)"),
        Column(SCORED_PROBABILITIES, "str", None,
               "the column evaluate scored, e.g. class_joint, in prob_<k> (a meta key)"),
        Column(LABELS_READ_FROM, "str", None,
               "the label column evaluate read class_ref from, --label-column (a meta key)"),
        Column(CV_SCHEME, "str", None, "train --cv's scheme of out-of-fold predictions, e.g. 5, logo (a meta key)"),
        Column(TASK, "str", None, "the task a table's classes are of, classify's and simulate's (a meta key)"),
        Column(MAG_LO, "float64", u.mag, "a completeness bin's brighter edge of the true magnitude (meta band)"),
        Column(MAG_HI, "float64", u.mag, "a completeness bin's fainter edge of the true magnitude"),
        Column(N_TRUE, "int64", None, "true objects in a completeness bin (detect --truth)"),
        Column(N_FOUND, "int64", None, "true objects of the bin matched by a candidate before the selection"),
        Column(N_SELECTED, "int64", None, "true objects of the bin matched by a candidate after the selection"),
        Column(COMPLETENESS, "float64", None, "n_found / n_true of a completeness bin"),
        Column(COMPLETENESS_SELECTED, "float64", None, "n_selected / n_true of a completeness bin"),
        Column(N_ROWS, "int64", None, "rows of a catalogue (info DIR, evaluate --catalogs' fields.ecsv)"),
        Column(N_INSPECTED, "int64", None, "rows with a person's class 1-4 (info DIR, fields.ecsv)"),
        Column(N_MACHINE_ONLY, "int64", None, "rows whose class no person gave (NGC 1566's class_method 0)"),
        Column("n_<k>", "int64", None, "rows of class <k> in a catalogue (info DIR, fields.ecsv)"),
        Column(SUMMARY_FILE, "str", None, "the catalogue file a summary row is of (info DIR)"),
        Column(SUMMARY_BANDS, "str", None, "the bands a catalogue has magnitudes in, comma-separated (info DIR)"),
        Column(CI_CUT, "float64", None, "the CI cut of a catalogue's inspected sources (info DIR, fields.ecsv)"),
        Column(LAYOUT, "str", None, "the LEGUS layout or the format a catalogue was read as (info DIR)"),
        Column(MAPPED, "str", None, "the --map applied to a catalogue, source->name (info DIR)"),
        Column(CLASS_COLUMN, "str", None, "the class column a summary's n_<k> count (info DIR, catalogues.ecsv)"),
        Column(VOTE_FRACTION, "float64", None, "fraction of the volunteers' votes for class 1 (unweighted)"),
        Column(CONSENSUS, "int16", None, "class of the volunteers' gold-weighted consensus (1 or 2)"),
        Column(CONSENSUS_FRACTION, "float64", None, "gold-weighted fraction of the volunteers' votes for class 1"),
        Column(GOLD, "int16", None, "1 where the expert label is a gold answer weighting volunteers"),
        Column(VOLUNTEER_IDS, "str", None, "semicolon-separated ids of the volunteers who voted"),
        Column(VOLUNTEER_VOTES, "str", None, "semicolon-separated votes (class numbers), as volunteer_ids"),
    )


#: Patterns whose placeholder is a band.
BAND_PATTERNS: tuple[str, ...] = ("mag_<band>", "magerr_<band>", "mag_true_<band>", "masked_frac_<band>",
                                 SED_FIT_COLUMNS[0])


# -- building names ------------------------------------------------------------------------------
def mag_col(band: str) -> str:
    """Name of the magnitude column of ``band``.

    Examples
    --------
    >>> mag_col("F555W")
    'mag_f555w'
    """
    return f"mag_{band.lower()}"


def magerr_col(band: str) -> str:
    """Name of the magnitude-error column of ``band``.

    Examples
    --------
    >>> magerr_col("f814w")
    'magerr_f814w'
    """
    return f"magerr_{band.lower()}"


def mag_true_col(band: str) -> str:
    """Name of the simulated true magnitude column of ``band``.

    Examples
    --------
    >>> mag_true_col("f555w")
    'mag_true_f555w'
    """
    return f"mag_true_{band.lower()}"


def masked_frac_col(band: str) -> str:
    """Name of the column with the share of ``band``'s aperture on masked or off-image pixels.

    ``masked_frac`` (no band) stays the V band's, as before there was one per band.

    Examples
    --------
    >>> masked_frac_col("F814W")
    'masked_frac_f814w'
    """
    return f"masked_frac_{band.lower()}"


def sed_chi2_col(band: str) -> str:
    """Name of the column with the SED fit's chi2 residual in ``band`` (a LEGUS catalogue's columns 26-30).

    Examples
    --------
    >>> sed_chi2_col("F275W")
    'sed_chi2_f275w'
    """
    return f"sed_chi2_{band.lower()}"


def mci_col(r: int) -> str:
    """Name of the multiple concentration index column for aperture radius ``r`` px.

    Examples
    --------
    >>> mci_col(3)
    'mci_3'
    """
    return f"mci_{int(r)}"


def prob_col(k: int) -> str:
    """Name of the probability column of class ``k``.

    Examples
    --------
    >>> prob_col(2)
    'prob_2'
    """
    return f"prob_{int(k)}"


def prob_raw_col(k: int) -> str:
    """Name of the uncalibrated probability column of class ``k``.

    Examples
    --------
    >>> prob_raw_col(2)
    'prob_2_raw'
    """
    return f"prob_{int(k)}_raw"


def prob_joint_col(k: int) -> str:
    """Name of the column of class ``k``'s probability given the model and the people's votes.

    Examples
    --------
    >>> prob_joint_col(3)
    'prob_joint_3'
    """
    return f"prob_joint_{int(k)}"


def joint_cols(names: Iterable[str]) -> list[str]:
    """Which of ``names`` are ``classify --votes``' columns: class_joint, prob_joint_<k>, n_votes.

    They were computed from one model's probabilities; a catalogue classified again by another
    model must not carry them on beside its new class_pred as if they belonged to it.

    Examples
    --------
    >>> joint_cols(["id", "class_pred", "class_joint", "prob_joint_2", "n_votes", "prob_joint_x"])
    ['class_joint', 'prob_joint_2', 'n_votes']
    """
    # the pattern's regex, not its registry entry: naming columns needs no units
    pattern = _regex("prob_joint_<k>")
    return [n for n in names if n in (CLASS_JOINT, N_VOTES) or pattern.fullmatch(n) is not None]


def prob_cols(classes: Iterable[int]) -> list[str]:
    """Names of the probability columns of ``classes``, in that order.

    Examples
    --------
    >>> prob_cols((1, 2, 3, 4))
    ['prob_1', 'prob_2', 'prob_3', 'prob_4']
    """
    return [prob_col(k) for k in classes]


def human_col(h: int) -> str:
    """Name of the column holding the classes given by human classifier ``h`` (1-based).

    Examples
    --------
    >>> human_col(1)
    'class_h1'
    """
    return f"class_h{int(h)}"


def score_col(h: int) -> str:
    """Name of the column holding the scores given by human inspector ``h`` (1-based).

    Examples
    --------
    >>> score_col(2)
    'score_h2'
    """
    return f"score_h{int(h)}"


def member_col(i: int) -> str:
    """Name of the column holding the classes voted by ensemble member ``i`` (1-based).

    Examples
    --------
    >>> member_col(3)
    'class_m3'
    """
    return f"class_m{int(i)}"


# -- reading names -------------------------------------------------------------------------------
def find_column(name: str) -> Column | None:
    """The registry entry of ``name`` (a pattern's entry for a built name), or None.

    Examples
    --------
    >>> find_column("magerr_f336w").name
    'magerr_<band>'
    >>> find_column("flux") is None
    True
    """
    columns = _columns()
    if name in columns:
        return columns[name]
    return next((c for c in columns.values() if c.is_pattern and c.matches(name)), None)


def is_known(name: str) -> bool:
    """True when ``name`` is a schema column (fixed or built from a pattern).

    Examples
    --------
    >>> is_known("class_h2"), is_known("class_hx")
    (True, False)
    """
    return find_column(name) is not None


def describe(name: str) -> Column:
    """The schema entry of ``name``, with ``name`` filled in for a pattern.

    Raises
    ------
    KeyError
        When ``name`` is not a schema column.

    Examples
    --------
    >>> c = describe("mag_f555w")
    >>> c.name, c.dtype, str(c.unit)
    ('mag_f555w', 'float64', 'mag')
    """
    entry = find_column(name)
    if entry is None:
        raise KeyError(f"{name!r} is not a starclass schema column; known: {', '.join(_columns())}")
    return replace(entry, name=name)


def unit_of(name: str) -> u.UnitBase | None:
    """The unit of column ``name``; None when it has none or is not a schema column.

    Examples
    --------
    >>> unit_of("fwhm")
    Unit("pix")
    >>> unit_of("prob_1") is None
    True
    """
    entry = find_column(name)
    return None if entry is None else entry.unit


def band_of(name: str) -> str | None:
    """The band of a band column (``mag_<band>``, ``magerr_<band>``, ... : :data:`BAND_PATTERNS`).

    ``mag_true_<band>``, ``masked_frac_<band>`` and ``sed_chi2_<band>`` (a LEGUS fit's residual) too; None for any
    other name.

    Examples
    --------
    >>> band_of("mag_true_f814w")
    'f814w'
    >>> band_of("ci") is None, band_of("mag_f555w_input") is None
    (True, True)
    """
    for pattern in BAND_PATTERNS:
        m = _regex(pattern).fullmatch(name)
        if m:
            return m.group(1)
    return None


def is_band_column(name: str) -> bool:
    """True for the columns of :data:`BAND_PATTERNS` (``mag_<band>``, ``magerr_<band>``, ... ``sed_chi2_<band>``).

    Examples
    --------
    >>> is_band_column("magerr_f438w"), is_band_column("mci_1")
    (True, False)
    """
    return band_of(name) is not None


def class_count_column(k: int) -> str:
    """The name of a catalogue summary's count of class ``k`` (``info DIR``, ``fields.ecsv``).

    Examples
    --------
    >>> [class_count_column(k) for k in CLASSES]
    ['n_1', 'n_2', 'n_3', 'n_4']
    """
    return f"n_{int(k)}"


def bands_in(table: Table) -> list[str]:
    """Bands that have a ``mag_<band>`` column, in table order.

    Examples
    --------
    >>> from astropy.table import Table
    >>> bands_in(Table({"mag_f555w": [20.0], "mag_true_f814w": [21.0], "magerr_f555w": [0.1]}))
    ['f555w']
    """
    pattern = _regex("mag_<band>")
    return [m.group(1) for m in map(pattern.fullmatch, table.colnames) if m]


def prob_classes(table: Table) -> list[int]:
    """Classes that have a ``prob_<k>`` column, in increasing order.

    Examples
    --------
    >>> from astropy.table import Table
    >>> prob_classes(Table({"prob_2": [0.4], "prob_1": [0.6], "prob_std": [0.1]}))
    [1, 2]
    """
    pattern = _regex("prob_<k>")
    return sorted(int(m.group(1)) for m in map(pattern.fullmatch, table.colnames) if m)


def human_cols(table: Table) -> list[str]:
    """The ``class_h<h>`` columns of a table, in order of ``h``.

    Examples
    --------
    >>> from astropy.table import Table
    >>> human_cols(Table({"class_h2": [1], "class_h1": [2], "class_ref": [1]}))
    ['class_h1', 'class_h2']
    """
    pattern = _regex("class_h<h>")
    found = [(int(m.group(1)), m.group(0)) for m in map(pattern.fullmatch, table.colnames) if m]
    return [name for _, name in sorted(found)]


def per_pixel(image_unit: u.UnitBase | None) -> u.UnitBase | None:
    """The unit of a per-pixel image value (:data:`BKG`) of an image in ``image_unit``; None where that is None.

    The background is a median of pixel values: HST's ``electron / s`` in each pixel is
    ``electron / (pix s)``. A unit per solid angle (``MJy / sr``), a surface brightness already,
    is kept as it is. The schema's :data:`COLUMNS` holds no one unit for ``bkg`` (it is the
    image's); ``detect`` gives it this one, which an ECSV or FITS table keeps.

    Examples
    --------
    >>> import astropy.units as u
    >>> str(per_pixel(u.electron / u.s)), str(per_pixel(u.MJy / u.sr)), per_pixel(None)
    ('electron / (pix s)', 'MJy / sr', None)
    """
    if image_unit is None:
        return None
    if any(base.physical_type in ("solid angle", "angle") for base in image_unit.bases):
        return image_unit
    import astropy.units as u

    return image_unit / u.pix


def set_units(table: Table) -> Table:
    """Give every schema column of ``table`` its unit from the registry, in place.

    Columns without a unit in the registry, and columns outside the schema, are left alone.

    Examples
    --------
    >>> from astropy.table import Table
    >>> t = set_units(Table({"x": [1.0], "mag_f555w": [20.0], "flux": [3.0]}))
    >>> str(t["x"].unit), str(t["mag_f555w"].unit), t["flux"].unit
    ('pix', 'mag', None)
    """
    for name in table.colnames:
        unit = unit_of(name)
        if unit is not None:
            table[name].unit = unit
    return table


def column_table() -> str:
    """The registry as the reStructuredText table in this module's docstring.

    Examples
    --------
    >>> column_table().splitlines()[1].split()
    ['column', 'dtype', 'unit', 'meaning']
    """
    rows = [(c.name, c.dtype, "" if c.unit is None else c.unit.to_string(), c.description)
            for c in _columns().values()]
    header = ("column", "dtype", "unit", "meaning")
    widths = [max(len(r[j]) for r in [header, *rows]) for j in range(4)]
    rule = "  ".join("=" * w for w in widths)

    def line(cells: Sequence[str]) -> str:
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    return "\n".join([rule, line(header), rule, *(line(r) for r in rows), rule])


# -- values --------------------------------------------------------------------------------------
def id_keys(ids: ArrayLike) -> np.ndarray:
    """Ids as the text they are matched by: whole-number floats as integers (``1.0`` -> ``"1"``).

    A spreadsheet or pandas writes an integer id column as ``1.0, 2.0, ...`` once one cell was
    empty; matched as text, every one of those ids missed its ``1, 2, ...`` in the other table.

    Parameters
    ----------
    ids : array-like
        An id column (integers, floats or text).

    Returns
    -------
    numpy.ndarray
        One string per id.

    Examples
    --------
    >>> id_keys(np.array([1.0, 20.0])).tolist(), id_keys([3, 4]).tolist(), id_keys(["c9"]).tolist()
    (['1', '20'], ['3', '4'], ['c9'])
    >>> id_keys(np.array([1.5, 2.0])).tolist()  # not all whole: kept as written
    ['1.5', '2.0']
    """
    values = np.asarray(ids)
    if values.dtype.kind == "f" and len(values) and np.isfinite(values).all() and (values == np.round(values)).all():
        return values.astype(np.int64).astype(str)
    return values.astype(str)


def rows_counted() -> str:
    """How messages count rows, for those that list several (the upper-case names here are columns).

    Examples
    --------
    >>> rows_counted()
    'rows counted from 1, the first below the header'
    """
    return "rows counted from 1, the first below the header"


def label_key(label: object) -> str:
    """A label as a task's ``label_map`` is matched: stripped, in Unicode's composed form (NFC).

    A label folder copied from a Mac is named in the decomposed form (``é`` as ``e`` and a combining
    accent, NFD) while a task file typed by hand holds the composed one: both print alike, and
    ``train`` refused "label 'amas stéllaire' is not known to the task (known: ['amas stéllaire'])".
    Case is kept here (``Cluster`` is not ``cluster``); a label in another case than a map's key is
    matched by :func:`starclass.io.cutout_folders.mapped_label`.

    Examples
    --------
    >>> import unicodedata
    >>> label_key(unicodedata.normalize("NFD", " amas é ")) == "amas \u00e9"
    True
    """
    return unicodedata.normalize("NFC", str(label).strip())


def row_name(index: int, *, header_lines: int | None = None) -> str:
    """``"row N"`` for the 0-based ``index``; given the file's header lines, its line too.

    Parameters
    ----------
    index
        0-based index into the table.
    header_lines
        Lines of the file above its first row of data (1 for a CSV), when known.

    Returns
    -------
    str

    Examples
    --------
    >>> row_name(0), row_name(2, header_lines=1)
    ('row 1', 'row 3 (line 4 of the file)')
    """
    text = f"row {int(index) + 1}"
    if header_lines is not None:
        text += f" (line {int(index) + 1 + int(header_lines)} of the file)"
    return text


def rows_named(indices: Iterable[int], *, limit: int = 10) -> str:
    """``"rows 1, 4 (rows counted from 1, ...)"`` for the 0-based ``indices``.

    Parameters
    ----------
    indices
        0-based indices into the table.
    limit
        At most this many are listed; the rest are counted.

    Returns
    -------
    str

    Examples
    --------
    >>> rows_named([0, 3])
    'rows 1, 4 (rows counted from 1, the first below the header)'
    >>> rows_named([4])
    'row 5 (rows counted from 1, the first below the header)'
    >>> rows_named(range(12), limit=2)
    'rows 1, 2 and 10 more (rows counted from 1, the first below the header)'
    """
    idx = [int(i) for i in np.asarray(list(indices)).ravel()]
    shown = ", ".join(str(i + 1) for i in idx[:limit])
    more = f" and {len(idx) - limit} more" if len(idx) > limit else ""
    return f"{'row' if len(idx) == 1 else 'rows'} {shown}{more} ({rows_counted()})"


#: The scores ``suggest --by`` ranks candidates by (:data:`starclass.suggest.pick.BY`); here, so that
#: ``evaluate --by``, which takes a column, can say when it is given one of them.
SUGGEST_BY: tuple[str, ...] = ("entropy", "margin", "set-size", "mutual-info")


#: File endings of an HDF5 stamp store (``starclass cutouts``): the names ``cutouts -o`` and ``--merge`` take, and
#: the names a reader takes for a store (a file so named that is no HDF5 is called "not a stamp store"). One
#: list: cutouts wrote ``x.hdf`` while the readers' own list (.h5, .hdf5) did not know it (until 2026-12-07).
STAMP_STORE_SUFFIXES: tuple[str, ...] = (".h5", ".hdf5", ".hdf")


#: Candidates a trained model classifies per batch (classify, calibrate, suggest, survey, train --target-purity,
#: ``CNNClassifier.predict_proba``, cross-validation): memory only, the probabilities are the same at any size
#: (a CPU run gave identical ones at 256 and 512). One default, so that the commands a user moves
#: between agree; not the training mini-batch (``recipe.batch_size``, ``train --batch-size``), which
#: changes the model, nor ``cutouts --batch-size`` (stamps cut per batch, sized to a memory budget).
INFERENCE_BATCH_SIZE: int = 512


#: How :func:`vote_mode` breaks a tie: ``nearest-mean`` (ordered classes, PHANGS/LEGUS 1-4) or
#: ``highest`` (nominal classes numbered from most to least cluster-like).
TIE_RULES: tuple[str, ...] = ("nearest-mean", "highest")


def vote_mode(votes: np.ndarray, classes: Sequence[int] = (1, 2, 3, 4), *,
              tie_rule: str = "nearest-mean") -> tuple[np.ndarray, np.ndarray]:
    """The mode of each row of people's votes, and whether it was a tie: the one rule.

    The mode is the class most of the people who voted gave. When two or more classes share the
    highest count the row is a **tie**; it gets, with ``tie_rule="nearest-mean"``, the tied class
    nearest to the mean of all its votes, the higher class when two are equally near (the less
    cluster-like one, so that doubtful objects stay out of cluster samples); with
    ``"highest"``, the highest tied class. The rule never depends on the order of the people
    (columns): listing the same votes in another order gives the same mode.

    Both ``starclass inspect --export`` (:func:`starclass.inspect.consensus.mode_with_ties`)
    and ``starclass train --label-model mode`` (:func:`starclass.learn.labels.mode_targets`)
    use it. The simulator's ``class_ref`` (:func:`starclass.simulate.humans.consensus`)
    follows instead the LEGUS and PHANGS teams' practice that it models: a tie goes to the
    first ("senior") classifier.

    Parameters
    ----------
    votes : array-like, shape (N, P)
        Row ``i``, column ``p``: the class person ``p`` gave object ``i``; 0 (or any value not
        in ``classes``) is no vote.
    classes : sequence of int
        The classes that count.
    tie_rule : {"nearest-mean", "highest"}
        See above (:data:`TIE_RULES`).

    Returns
    -------
    mode : numpy.ndarray of int
        The class, 0 where nobody voted.
    tie : numpy.ndarray of bool
        True where two or more classes shared the highest count.

    Examples
    --------
    >>> mode, tie = vote_mode([[1, 1, 2, 2, 4], [1, 2, 0, 0, 0], [2, 2, 3, 3, 0], [3, 3, 1, 0, 0]])
    >>> mode.tolist(), tie.tolist()
    ([2, 2, 3, 3], [True, True, True, False])
    >>> vote_mode([[1, 2, 4]], tie_rule="highest")[0].tolist()
    [4]
    """
    if tie_rule not in TIE_RULES:
        raise StarclassError(f"tie_rule must be one of {', '.join(TIE_RULES)}, not {tie_rule!r}")
    v = np.asarray(votes)
    if v.ndim != 2:
        raise StarclassError(f"votes must be 2-D (objects x people), got shape {v.shape}")
    cls = np.asarray(sorted(int(c) for c in classes), dtype=np.int64)
    counted = np.isin(v, cls)
    counts = np.stack([(v == c).sum(axis=1) for c in cls], axis=1) if cls.size else np.zeros((len(v), 0), int)
    n = counted.sum(axis=1)
    top = counts.max(axis=1) if cls.size else np.zeros(len(v), int)
    tied = (counts == top[:, None]) & (n > 0)[:, None]
    tie = tied.sum(axis=1) > 1
    if tie_rule == "highest":
        pick = tied
    else:
        with np.errstate(invalid="ignore", divide="ignore"):
            mean = np.where(counted, v, 0).sum(axis=1) / np.maximum(n, 1)
        dist = np.where(tied, np.abs(cls[None, :] - mean[:, None]), np.inf)
        # equally near within rounding (a mean of 1.5 is 0.5 from 1 and from 2)
        pick = tied & np.isclose(dist, dist.min(axis=1, keepdims=True), rtol=0, atol=1e-9)
    # the highest picked class: classes are sorted, so the last True column
    last = pick.shape[1] - 1 - np.argmax(pick[:, ::-1], axis=1) if cls.size else np.zeros(len(v), int)
    mode = np.where(n > 0, cls[last] if cls.size else 0, 0).astype(np.int64)
    return mode, tie & (n > 0)


def column_names(names: Iterable[str], prefix: str = "") -> list[str]:
    """Table column names made of free names (catalogues, file stems, ``-r self``'s two columns).

    Each is ``prefix`` + the name with every run of characters other than letters, digits and
    ``_`` made one ``_``, so every name is an identifier: ``n_prediction class_human_mode`` (a
    column of ``agreement_*.ecsv``) could not be read as ``table.n_...`` or in a formula, nor
    written by tools that split a header at spaces. Two names that come out alike are numbered
    (``n_a_b``, ``n_a_b_2``), as two references of one stem are.

    Examples
    --------
    >>> column_names(["prediction", "prediction class_human_mode", "my truth.v2"], prefix="n_")
    ['n_prediction', 'n_prediction_class_human_mode', 'n_my_truth_v2']
    >>> column_names(["a b", "a-b"])
    ['a_b', 'a_b_2']
    """
    out: list[str] = []
    for name in names:
        base = prefix + (re.sub(r"\W+", "_", str(name)).strip("_") or "catalogue")
        col, k = base, 1
        while col in out:
            k += 1
            col = f"{base}_{k}"
        out.append(col)
    return out



#: The score above which a prediction counts as confident in the score-quartile table
#: (``score_quantiles_*.ecsv``: the share of each predicted class above it, StarcNet Figure 5).
CONFIDENT_SCORE = 0.8

#: Largest one-to-one matching radius (px) of ``evaluate``, ``report`` and the matchers behind them
#: (:func:`starclass.detect.match_catalogs`, :func:`starclass.evaluate.match_catalogs`). The same
#: object in two catalogues of one mosaic is within a pixel or two (PHANGS matches within 2 px);
#: 50 px, the largest photometry aperture ``detect`` takes, is 2" at HST's 0.04"/px, 100 pc at
#: 10 Mpc, far more than a cluster's size: pairs further apart are different objects.
#: ``--radius 1e308`` paired every object with an unrelated one and exited 0. Kept here, a module
#: the command line loads anyway, so that its options and the functions share one bound.
MAX_MATCH_RADIUS_PX = 50.0

#: Most bootstrap resamples (``--bootstrap``, ``n_boot``). A 95 % percentile interval needs about
#: 1000-2000 (Efron & Tibshirani 1993, ch. 19); 10 000 make the Monte Carlo error of its ends
#: negligible, and more change nothing but the time: each resample recomputes every metric (about
#: 5 ms for 200 objects, measured), so ``--bootstrap 100000000`` ran for days.
MAX_BOOTSTRAP = 10_000

#: Smallest and largest stamp side (px) of a task (``stamp_size``, ``input_size``), ``cutouts --size``
#: and ``train --stamp-size``/``--input-size``. Five bands of a 32-candidate batch at 1024 px are
#: 671 MB; ``train --stamp-size 99999`` passed the task check and then asked numpy for 14.6 TiB (a
#: MemoryError traceback, after the mosaics were read).
MIN_STAMP_SIZE = 4
MAX_STAMP_SIZE = 1024


def check_match_radius(radius: float, name: str = "radius") -> None:
    """Refuse a matching radius that is not a positive number of pixels up to :data:`MAX_MATCH_RADIUS_PX`.

    The one bound of ``evaluate --radius`` / ``report --radius`` and of the functions behind them:
    ``match_catalogs(a, b, radius=1e308)`` paired every object with an unrelated one.

    Parameters
    ----------
    radius : float
        The radius (px).
    name : str
        The parameter or option to name (``"--radius"`` on the command line).

    Raises
    ------
    StarclassError
        (a ValueError) naming ``name``, its range and the value.

    Examples
    --------
    >>> check_match_radius(2.0)
    >>> try:
    ...     check_match_radius(1e308)
    ... except StarclassError as exc:
    ...     print(exc)  # doctest: +ELLIPSIS
    radius must be a positive number of pixels, at most 50, got 1e+308 (pairs further apart than 50 px, ...)
    """
    try:
        r = float(radius)
    except (TypeError, ValueError):
        raise StarclassError(f"{name} must be a positive number of pixels, at most {MAX_MATCH_RADIUS_PX:g}, "
                             f"got {radius!r}") from None
    if not (0 < r <= MAX_MATCH_RADIUS_PX):  # NaN and inf too
        why = (f" (pairs further apart than {MAX_MATCH_RADIUS_PX:g} px, 2\" at HST's 0.04\"/px, are different "
               "objects)" if r > MAX_MATCH_RADIUS_PX else "")
        raise StarclassError(f"{name} must be a positive number of pixels, at most {MAX_MATCH_RADIUS_PX:g}, "
                             f"got {r:g}{why}")


#: Distances (Mpc) every ``--distance`` takes (``simulate``, ``demo``, ``evaluate``, ``report``) and
#: the functions behind them: from the Magellanic Clouds' neighbourhood (0.01) to where every cluster
#: is a point source (1000). Outside, the simulator failed mid-render (NaN probabilities from 1e12 Mpc,
#: Poisson means too large from 1e6, a 46 GiB array at 1e-6), and ``evaluate --distance 1e300`` drew
#: its box counts and mass limits for m_V < 1477.
DISTANCE_RANGE_MPC = (0.01, 1000.0)


def check_distance_mpc(distance: float, name: str = "distance_mpc") -> float:
    """Refuse a galaxy distance outside :data:`DISTANCE_RANGE_MPC` (or not a number), naming ``name``.

    The one bound of ``--distance`` (``simulate``, ``demo``, ``evaluate``, ``report``) and of the
    Python functions behind them (``SimConfig.distance_mpc``,
    :func:`starclass.report.build.run_evaluation`, :func:`starclass.report.build.build_report`).

    Parameters
    ----------
    distance : float
        The distance (Mpc); NaN and infinities are refused.
    name : str
        The parameter, option or file key to name (``"--distance"`` on the command line).

    Returns
    -------
    float
        ``distance`` as a float.

    Raises
    ------
    StarclassError
        (a ValueError) naming ``name``, the range and the value.

    Examples
    --------
    >>> check_distance_mpc(17.9)
    17.9
    >>> try:
    ...     check_distance_mpc(1e300, "--distance")
    ... except StarclassError as exc:
    ...     print(exc)
    --distance must be between 0.01 and 1000 Mpc, got 1e+300
    """
    lo, hi = DISTANCE_RANGE_MPC
    words = f"{name} must be between {lo:g} and {hi:g} Mpc"
    if isinstance(distance, bool):
        raise StarclassError(f"{words}, got {distance!r}")
    try:
        d = float(distance)
    except (TypeError, ValueError):
        raise StarclassError(f"{words}, got {distance!r}") from None
    if not lo <= d <= hi:  # NaN and inf too
        raise StarclassError(f"{words}, got {d}")
    return d


def check_n_boot(n_boot: int, name: str = "n_boot") -> None:
    """Refuse a number of bootstrap resamples outside 0 to :data:`MAX_BOOTSTRAP` (or not a whole number).

    Parameters
    ----------
    n_boot : int
        Resamples asked for (0: no intervals).
    name : str
        The parameter or option to name.

    Raises
    ------
    StarclassError
        (a ValueError) naming ``name``, its range and the value.

    Examples
    --------
    >>> check_n_boot(200)
    >>> try:
    ...     check_n_boot(10**8)
    ... except StarclassError as exc:
    ...     print(exc)  # doctest: +ELLIPSIS
    n_boot must be a whole number from 0 to 10000, got 100000000 (10000 resamples make a 95% interval's ...)
    """
    whole = isinstance(n_boot, (int, np.integer)) and not isinstance(n_boot, bool)
    if not whole or not 0 <= n_boot <= MAX_BOOTSTRAP:
        why = (f" ({MAX_BOOTSTRAP} resamples make a 95% interval's ends as exact as they get; more only take "
               "longer)" if whole and n_boot > MAX_BOOTSTRAP else "")
        raise StarclassError(f"{name} must be a whole number from 0 to {MAX_BOOTSTRAP}, got {n_boot!r}{why}")


#: Most seconds a Dask scheduler may take to answer ``survey --scheduler``'s probe (``--connect-timeout``,
#: dask's ``distributed.comm.timeouts.connect``). A scheduler answers its handshake in milliseconds on a
#: cluster's network and in a few seconds across a slow link or from a loaded login node; ten minutes is
#: far beyond any of these, and a longer wait only delays telling the user that nothing answers.
MAX_CONNECT_TIMEOUT_S = 600.0


def check_connect_timeout(seconds: float, name: str = "connect_timeout") -> float:
    """Refuse a scheduler's answer time that is not a positive number of seconds up to :data:`MAX_CONNECT_TIMEOUT_S`.

    The one bound of ``survey --connect-timeout``, of dask's ``distributed.comm.timeouts.connect``
    where survey honours it, and of :func:`starclass.survey.run.scheduler_problem`'s ``within``.

    Parameters
    ----------
    seconds : float
        The time the scheduler has to answer (s).
    name : str
        The parameter, option or configuration key to name (``"--connect-timeout"`` on the command line).

    Returns
    -------
    float
        ``seconds`` as a float.

    Raises
    ------
    StarclassError
        (a ValueError) naming ``name``, its range and the value.

    Examples
    --------
    >>> check_connect_timeout(30)
    30.0
    >>> try:
    ...     check_connect_timeout(0, "--connect-timeout")
    ... except StarclassError as exc:
    ...     print(exc)
    --connect-timeout must be a positive number of seconds, at most 600, got 0
    """
    words = f"{name} must be a positive number of seconds, at most {MAX_CONNECT_TIMEOUT_S:g}"
    if isinstance(seconds, bool):
        raise StarclassError(f"{words}, got {seconds!r}")
    try:
        s = float(seconds)
    except (TypeError, ValueError):
        raise StarclassError(f"{words}, got {seconds!r}") from None
    if not (0 < s <= MAX_CONNECT_TIMEOUT_S):  # NaN and inf too
        why = (" (a scheduler answers within seconds even across a slow network: a longer wait only delays "
               "telling that nothing answers)" if s > MAX_CONNECT_TIMEOUT_S else "")
        raise StarclassError(f"{words}, got {s:g}{why}")
    return s


def check_distinct_bands(bands: Iterable[str], name: str = "bands", given: str | None = None) -> list[str]:
    """The bands, lower case, refused when one is named twice (case ignored), naming ``name``.

    ``read_mosaics(..., bands=["f555w", "f555w"])`` read the band twice, as ``cutouts --bands
    f555w,f555w`` wrote a store of two identical channels; the command line's ``--bands`` and the
    functions share this check.

    Parameters
    ----------
    bands : iterable of str
        The band names.
    name : str
        The parameter or option to name.
    given : str, optional
        The value as the user wrote it, for the message (default: the bands joined by commas).

    Returns
    -------
    list of str

    Raises
    ------
    StarclassError
        (a ValueError) naming the band(s) given twice.

    Examples
    --------
    >>> check_distinct_bands(["F555W", "f814w"])
    ['f555w', 'f814w']
    >>> try:
    ...     check_distinct_bands(["f555w", "F555W"])
    ... except StarclassError as exc:
    ...     print(exc)
    bands names band f555w twice (f555w,F555W); give each band once
    """
    raw = [str(b).strip() for b in bands]
    low = [b.lower() for b in raw]
    twice = sorted({b for b in low if low.count(b) > 1}, key=low.index)
    if twice:
        raise StarclassError(f"{name} names band{'s' if len(twice) > 1 else ''} {', '.join(twice)} twice "
                             f"({given if given is not None else ','.join(raw)}); give each band once")
    return low


def group_column(label: int | str, prefix: str = "class_") -> str:
    """Column of a results table named by a class, a group of classes or a number: an identifier.

    The one naming of such columns (evaluate's and report's tables): every run of characters other
    than letters, digits and ``_`` becomes one ``_``, a ``.`` between digits a ``p``. A group of
    classes ``1+2`` (PHANGS's clusters) is ``class_1_2``, the share of scores above 0.8
    ``frac_above_0p8``: ``class_1+2`` and ``frac_above_0.8`` (their names until 2026-12-05) are
    read by pandas as ``t["class_1+2"]`` only, not ``t.class_1_2``, and TOPCAT's expressions take
    them as a sum. :data:`RENAMED_RESULT_COLUMNS` reads tables written before.

    Parameters
    ----------
    label
        A class number, a group label (``"1+2"``, ``"1+2+3"``) or a number (0.8).
    prefix
        Put before it (``"class_"``, ``"frac_above_"``, ``"accuracy_"``).

    Returns
    -------
    str
        A Python identifier.

    Examples
    --------
    >>> group_column("1+2"), group_column(3), group_column("1+2+3")
    ('class_1_2', 'class_3', 'class_1_2_3')
    >>> group_column(0.8, "frac_above_"), group_column("4class_gbm", "accuracy_")
    ('frac_above_0p8', 'accuracy_4class_gbm')
    """
    text = re.sub(r"(?<=\d)\.(?=\d)", "p", str(label))
    return prefix + (re.sub(r"\W+", "_", text).strip("_") or "value")


def frac_above_col(score: float = CONFIDENT_SCORE) -> str:
    """Column of ``score_quantiles_*.ecsv``: the share of a predicted class's scores above ``score``.

    A results table's column, not the candidate table's (hence not in :data:`COLUMNS`).

    Examples
    --------
    >>> frac_above_col(), frac_above_col(0.95)
    ('frac_above_0p8', 'frac_above_0p95')
    """
    return group_column(score, "frac_above_")

#: Columns of evaluate's and report's tables renamed to identifiers on 2026-12-05, old -> new:
#: ``agreement_table.ecsv`` and ``agreement_vs_*.ecsv`` (``class_1+2``), ``score_quantiles_*.ecsv``
#: (``frac_above_0.8``) and ``evaluate --catalogs``' ``ladder_per_field.ecsv`` (``4class_gbm``, a name
#: that starts with a digit; ``binary_gbm`` became ``accuracy_binary_gbm`` beside it).
RENAMED_RESULT_COLUMNS: dict[str, str] = {
    "class_1+2": group_column("1+2"),
    "rows": "n_rows",  # catalogues.ecsv until 2026-12-07; info DIR and fields.ecsv said n_rows
    "frac_above_0.8": frac_above_col(0.8),
    **{f"{task}_{rule}": group_column(f"{task}_{rule}", "accuracy_")
       for task in ("4class", "binary") for rule in ("majority", "ci_tree", "tree3", "gbm")},
}


def renamed_result_columns(table: Table) -> Table:
    """A results table written before 2026-12-05 with its columns under today's names (in place).

    Parameters
    ----------
    table
        A table of ``evaluate`` or ``report`` (``tables/*.ecsv``), of any date.

    Returns
    -------
    astropy.table.Table
        The same table; a column of :data:`RENAMED_RESULT_COLUMNS` renamed where the new name is free.

    Examples
    --------
    >>> from astropy.table import Table
    >>> renamed_result_columns(Table({"class_1": [0.5], "class_1+2": [0.7]})).colnames
    ['class_1', 'class_1_2']
    """
    for old, new in RENAMED_RESULT_COLUMNS.items():
        if old in table.colnames and new not in table.colnames:
            table.rename_column(old, new)
    return table

def class_array(table: Table, col: str, *, name: str = "catalogue") -> np.ndarray:
    """Integer class labels of a column; masked, NaN or negative entries become 0 (no class).

    An infinite entry (``inf``, ``-inf``) is refused rather than read as no class.

    Parameters
    ----------
    table
        The catalogue.
    col
        The class column (``class_ref``, ``class_pred``, ``class_h1``, ...).
    name
        What to call the table in error messages.

    Returns
    -------
    numpy.ndarray
        Integer classes, 0 where there is none.

    Raises
    ------
    StarclassError
        When the column is missing or holds a non-integer class (a subclass such as 4.2) or an
        infinite one, naming the row.

    Examples
    --------
    >>> from astropy.table import Table
    >>> class_array(Table({"class_ref": [1.0, float("nan"), 4.0, -1.0]}), CLASS_REF)
    array([1, 0, 4, 0])
    """
    if col not in table.colnames:
        raise StarclassError(f"{name} has no column {col!r} (columns: {', '.join(table.colnames)})")
    raw = table[col]
    mask = np.ma.getmaskarray(raw)
    filled = np.asarray(np.ma.filled(raw, 0) if np.ma.isMaskedArray(raw) else raw)
    if filled.dtype.kind in "US":
        # a text column (a CSV with one written-out vote): an empty cell is no class, any other
        # text that is not a number is named, as a non-integer class is, not left to numpy's ValueError
        text = np.char.strip(filled.astype(str))
        mask = mask | (text == "")
        vals = np.zeros(len(text))
        for row in np.flatnonzero(~mask):
            try:
                vals[row] = float(text[row])
            except ValueError:
                raise StarclassError(f"{name}, column {col!r}, {row_name(row)}: class {str(text[row])!r} is not a "
                                     "number") from None
    else:
        vals = filled.astype(float)
    # NaN and negative sentinels (-1, -99) mean "no class"; an infinite one is a broken cell (a
    # spreadsheet's overflow, a division), and was read as no vote without a word
    infinite = ~mask & np.isinf(vals)
    if infinite.any():
        row = int(np.flatnonzero(infinite)[0])
        raise StarclassError(f"{name}, column {col!r}, {row_name(row)}: class {vals[row]} is not a class number "
                             "(leave the cell empty, or NaN, for no class)")
    bad = mask | ~np.isfinite(vals) | (vals < 0)
    vals = np.where(bad, 0, vals)
    if np.any(vals != np.round(vals)):
        row = int(np.flatnonzero(vals != np.round(vals))[0])
        raise StarclassError(
            f"{name}, column {col!r}, {row_name(row)}: class {vals[row]} is not an integer "
            "(subclasses such as 4.2 belong in 'subclass')"
        )
    return vals.astype(int)


def subclass_number(values: Iterable) -> np.ndarray:
    """Subclasses as floats (NaN = none) for numeric work inside the simulator.

    Accepts a text or float column. ``"4.10"`` has no float of its own (it equals 4.1), so
    it raises: code that can meet it must work with the text labels.

    Examples
    --------
    >>> subclass_number(["4.2", "", "4.11"])
    array([4.2 ,  nan, 4.11])
    """
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
