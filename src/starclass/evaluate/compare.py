"""Evaluation of a classified catalogue against references: every number, no layout.

:func:`evaluate_catalogs` is what ``starclass evaluate`` and ``starclass report`` compute. It
returns an :class:`Evaluation` (tables, dicts and small dataclasses); :mod:`starclass.report`
lays it out as figures and HTML.

Inputs are catalogues in the starclass schema (Tables or paths read by
:func:`starclass.io.catalog.read_catalog`). The prediction's classes are ``class_pred`` (else
``class_ref``); a reference's are ``class_ref`` (else ``class_pred``: another model). Objects are
paired with a reference by a one-to-one 2 px positional match; a reference that *is* the
prediction table (``"self"``) is paired row by row. Tables without positions (classified
cutout folders: no ``x, y`` nor ``ra, dec``) are paired by their ``file`` column, else row by
row. The class scheme comes from the task (:mod:`starclass.evaluate.task`), so a binary
catalogue is scored as binary; ``label_column=`` turns label strings into reference classes
through the task's ``label_map``.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
from astropy.table import MaskedColumn, Table

from starclass.bands import BANDS, v_band
from starclass.errors import StarclassError, counted, model_word, refuse_no_rows, shell_word
from starclass.evaluate import curves, threshold
from starclass.evaluate.agreement import (
    agreement_fractions,
    agreement_table,
    agreement_vs,
    human_baselines,
    human_columns,
    paired_agreement_table,
    symmetric_confusion,
)
from starclass.evaluate.groups import GroupFigures, group_table, interval_notes, object_noun, set_interval_notes
from starclass.evaluate.matching import LightMatch, light_side, match_objects, matched_on_sky, with_light_of
from starclass.evaluate.metrics import (
    OVR_ACCURACY,
    OVR_BALANCED_ACCURACY,
    MergeResult,
    check_classes,
    class_array,
    classification_summary,
    summary_table,
)
from starclass.evaluate.reliability import TrustStudy, trust_study
from starclass.evaluate.task import (
    EvalTask,
    _recorded_model,
    check_probability_columns,
    class_labels,
    model_group_column,
    resolve_task,
)
from starclass.io.catalog import catalog_argument, guess_format, is_dataframe, kept_input_name, read_catalog
from starclass.io.cutout_folders import TABLE_FOLDER

# their first home was here: `from starclass.evaluate.compare import read_cutout_output` still works
from starclass.io.cutout_output import (
    CUTOUT_OUTPUT_FORMATS,  # noqa: F401 (re-exported)
    cutout_output_format,
    file_columns,
    read_cutout_output,
    text_table_options,
)
from starclass.io.legus import LEGUS_FLAG_COLUMNS, STRAY_CLASS_VALUES, field_from_name, stray_class_values
from starclass.io.paths import resolved
from starclass.learn.config import TaskConfig
from starclass.schema import (
    CLASS_HUMAN_MEAN,
    CLASS_HUMAN_MODE,
    CLASS_HYBRID,
    CLASS_JOINT,
    CLASS_METHOD,
    CLASS_ML,
    CLASS_ML_CHECKED,
    CLASS_PRED,
    CLASS_RECLASSIFIED,
    CLASS_REF,
    CUTOUT_ROOT,
    CV_SCHEME,
    DEC,
    FIELD,
    FOLD,
    ID,
    LABELS_READ_FROM,
    MODEL_PATH,
    MUTUAL_INFO,
    N_ROWS,
    N_VOTES,
    PRED_SET,
    PRED_SET_SIZE,
    PROB_STD,
    QUALITY,
    R_GAL,
    RA,
    SCORED_PROBABILITIES,
    TRAINING_FIELD,
    TTA_STD,
    X_LIGHT,
    Y_LIGHT,
    X,
    Y,
    bands_in,
    check_match_radius,
    check_n_boot,
    column_names,
    human_cols,
    mag_col,
    mag_true_col,
    prob_col,
    prob_raw_col,
)

#: What ``references`` may be: a catalogue (path or Table), ``"self"``, a list of them, or name -> one.
ReferencesLike = (str | os.PathLike | Table | Sequence[str | os.PathLike | Table]
                  | Mapping[str, str | os.PathLike | Table])

SELF = "self"
#: a name evaluate keeps for itself: a catalogue scored whose stem it is keeps ``pred_name``. Until 2026-12-07 the
#: catalogue's own reference column under ``-r self`` was this catalogue (``box_counts_reference``), while the
#: page called it by its column; it is :func:`self_catalogue_name` now
SELF_CATALOGUE = "reference"


def self_catalogue_name(pred_name: str, ref_col: str = CLASS_REF) -> str:
    """The name of the catalogue's own reference column, as a catalogue, under ``-r self``.

    The comparison's reference is named so (``class_pred vs class_ref in ngc1566``, the tables
    ``per_class_ngc1566_class_ref``); its box counts, class counts and science tables are too
    (``age_distributions_ngc1566_class_ref.ecsv``, the Catalogues table's row), which were "reference"
    until 2026-12-07.

    Examples
    --------
    >>> self_catalogue_name("ngc1566"), self_catalogue_name("ngc1566", "class_human_mode")
    ('ngc1566 class_ref', 'ngc1566 class_human_mode')
    """
    return f"{pred_name} {ref_col}"


def reference_shown(columns: Sequence[str], label_column: str | None, reference_column: str | None) -> str:
    """The catalogue's own reference column as outputs name it: the column the user named, else ``class_ref``.

    ``--reference-column`` names it; ``--label-column`` names the column of labels read into ``class_ref`` where
    the catalogue has it (``evaluate out.csv --label-column expert`` scores ``class_pred`` against ``expert``, and
    was headed "class_pred vs class_ref in out" until 2026-12-07), but for a cutout folder's own ``label``
    (:data:`FOLDER_LABEL`): ``classify --stamps`` reads that column into the ``class_ref`` it writes, so
    ``class_ref`` names those very classes.

    Parameters
    ----------
    columns
        The catalogue's columns as read (before its labels are read into ``class_ref``).
    label_column, reference_column
        ``--label-column`` and ``--reference-column`` (None where not given); the second is read last, so it wins.

    Returns
    -------
    str
        The column's name.

    Examples
    --------
    >>> reference_shown(["class_pred", "expert"], "expert", None)
    'expert'
    >>> reference_shown(["class_pred", "class_ref"], None, None), reference_shown(["class_ml"], None, "class_ml")
    ('class_ref', 'class_ml')
    >>> reference_shown(["class_pred", "label"], "label", None)
    'class_ref'
    """
    if reference_column is not None:
        return reference_column
    if label_column is not None and label_column != FOLDER_LABEL and label_column in columns:
        return label_column
    return CLASS_REF


#: a cutout folder's column of labels (its label sub-folders' names): what ``classify --stamps`` reads into the
#: ``class_ref`` it writes, so that ``--label-column label`` is scored against the classes named ``class_ref``
FOLDER_LABEL = "label"
#: the name of the catalogue scored where it has no file to be named by (a Table given in Python)
PREDICTION = "prediction"


def catalogue_name(path: str | os.PathLike) -> str:
    """How outputs name a catalogue file: its LEGUS field (``ngc1566``, as ``--catalogs`` does), else its stem.

    A LEGUS file's stem is ~55 characters, and the table and figure names that join two of them
    (``agreement_hlsp_legus_hst_wfc3_ngc1566_..._class_human_mode.ecsv``) ran to ~110; the file
    itself is named once, where it is read (:func:`catalogue_name_note`).

    Examples
    --------
    >>> catalogue_name("data/hlsp_legus_hst_wfc3_ngc1566_multiband_v1_padagb-mwext-avgapcor.tab")
    'ngc1566'
    >>> catalogue_name("run1/classified.ecsv")
    'classified'
    """
    return field_from_name(Path(path).name) or Path(path).stem


def catalogue_name_note(path: str | os.PathLike, name: str) -> str | None:
    """The line that says which file ``name`` is, where it is not the file's stem (a LEGUS field), else None.

    Examples
    --------
    >>> catalogue_name_note("d/hlsp_legus_hst_wfc3_ngc1566_multiband_v1_padagb-mwext-avgapcor.tab", "ngc1566")
    'ngc1566 is d/hlsp_legus_hst_wfc3_ngc1566_multiband_v1_padagb-mwext-avgapcor.tab (the LEGUS field its name holds)'
    >>> catalogue_name_note("run1/classified.ecsv", "classified") is None
    True
    """
    if name == Path(path).stem or name != field_from_name(Path(path).name):
        return None
    return f"{name} is {path} (the LEGUS field its name holds)"


def scored_name(pred: Table | str | os.PathLike, references: ReferencesLike | None = None,
                pred_name: str = PREDICTION) -> str:
    """The name of the catalogue scored, in tables, file names and ``summary.json``: its file's stem (a LEGUS field).

    The terminal and the report's headings named it by its stem ("classified vs truth") while the tables
    it was written under, the Catalogues table and the science checks called it "prediction"
    (``box_counts_prediction.ecsv``, ``n_prediction``), which named a human catalogue scored against
    a reference a prediction. ``pred_name`` given (not the default) wins; a Table, a stem that is one of
    evaluate's own names (``self``, ``reference``) or a reference's stem keep ``pred_name``, so that no
    two catalogues share a name.

    Examples
    --------
    >>> scored_name("run1/classified.ecsv", ["truth.ecsv"])
    'classified'
    >>> scored_name("a/truth.ecsv", ["truth.ecsv"]), scored_name(Table({"class_pred": [1]}), "self")
    ('prediction', 'prediction')
    >>> scored_name("cat.ecsv", pred_name="mine")
    'mine'
    """
    if pred_name != PREDICTION or not isinstance(pred, (str, os.PathLike)):
        return pred_name
    stem = catalogue_name(pred)  # as the headings' pred_label and the references' names
    given = ([references] if isinstance(references, (str, os.PathLike, Table)) or is_dataframe(references)
             else list(references or ()))
    taken = {str(k) for k in references} if isinstance(references, Mapping) else {
        catalogue_name(r) for r in given if isinstance(r, (str, os.PathLike)) and str(r) != SELF}
    if not stem or stem in taken or stem in (SELF, SELF_CATALOGUE):
        return pred_name
    return stem


# --------------------------------------------------------------------------------------------
# inputs



#: ``evaluate``/``report FILE.tab --map``: the column map of the LEGUS ``.tab`` files read while it is set
#: (:func:`legus_column_map`). A context, not a parameter: the files are read in six places of the evaluation
#: and the report (the classified catalogue, each reference, the report's own reads), all by :func:`load_catalog`
_LEGUS_MAP: ContextVar[Mapping[str, str] | None] = ContextVar("legus_column_map", default=None)


@contextmanager
def legus_column_map(column_map: Mapping[str, str] | None) -> Iterator[None]:
    """Read every LEGUS ``.tab`` that :func:`load_catalog` reads inside the block with ``column_map``.

    It is ``info FILE.tab --map``'s map (``{"35": "class_ref"}``) for ``evaluate`` and ``report`` of one
    catalogue: the LEGUS reader's warning of a class column holding no classes advises ``--map class_ref=N``,
    which until 2026-12-07 only ``info`` and ``--catalogs`` took. Other catalogues are read as they are.

    Parameters
    ----------
    column_map : mapping or None
        LEGUS column number -> schema name (:func:`starclass.io.overview.parse_column_map`); None: none.

    Examples
    --------
    >>> with legus_column_map({"35": "class_ref"}):
    ...     _LEGUS_MAP.get()
    {'35': 'class_ref'}
    >>> _LEGUS_MAP.get() is None
    True
    """
    token = _LEGUS_MAP.set(dict(column_map) if column_map else None)
    try:
        yield
    finally:
        _LEGUS_MAP.reset(token)


def load_catalog(obj: Table | str | Path, name: str = "catalogue",
                 classes: tuple[str, ...] = (CLASS_PRED,), file_column: str | None = None,
                 task_classes: Sequence[int] = ()) -> Table:
    """A Table as is, or a path read with :func:`starclass.io.catalog.read_catalog`.

    A file that is not a catalogue (no ``id`` or positions) but a classified cutout folder
    (``file``, ``class_pred``) is read as it is (:func:`read_cutout_output`); ``classes``
    names the class columns of which that needs one (a reference: ``class_ref`` or a label
    column, so that the folder's own ``labels.csv`` is a reference). ``file_column``: its column of
    image files where that is not ``file`` (``--file-column``). ``task_classes``: class values its class
    columns may hold beyond 0-4 and those it declares (``read_catalog``'s ``classes``): a reference read for
    a task of five classes records no task of its own, and its class 5 was refused.

    Examples
    --------
    >>> load_catalog(Table({"x": [1.0]})).colnames
    ['x']
    """
    if isinstance(obj, Table) or is_dataframe(obj):
        # in the schema's units, as a file's are read (x in arcsec was matched as pixels); a DataFrame was
        # taken for a list of references and its column names for files ("reference: file not found: id")
        return catalog_argument(obj, name)
    if not isinstance(obj, (str, os.PathLike)):
        raise TypeError(f"{name} must be an astropy Table, a pandas DataFrame or a path, not {type(obj).__name__}")
    path = Path(obj)
    if not path.exists():
        raise StarclassError(f"{name}: file not found: {path}")
    cmap = _LEGUS_MAP.get()
    try:
        # ra, dec without x, y are enough: both tables are then paired on the sky (evaluate.matching)
        if cmap and guess_format(path) == "legus":
            return read_catalog(path, column_map=cmap, require_xy=False, classes=task_classes)
        # a table of several fields (cv_predictions.ecsv of a two-field store, classify --stamps) numbers each
        # field's candidates from 1: its ids are unique within a field (pairing by id alone refuses it)
        return read_catalog(path, require_xy=False, classes=task_classes, ids_within_field=True)
    except StarclassError:
        # only when the catalogue reader refuses it: a real catalogue keeps its checks and messages
        cut = read_cutout_output(path, name, classes, file_column=file_column)
        if cut is None:
            if CLASS_REF in classes and (said := _labels_table_error(path, name, classes, file_column)):
                raise StarclassError(said) from None
            if cmap and guess_format(path) == "legus":
                raise
            # neither a catalogue with positions nor a cutout list: a reference of ids and classes alone
            # (id,class_ref) is read too, and paired by id (it was refused "required column 'x' missing"); with
            # no id either, the message names the file and the columns that would pair it. Read after the
            # cutout reader, so that every table read before is read as it was
            return read_catalog(path, require_xy=False, classes=task_classes, ids_within_field=True,
                                require_positions=False)
        # a classified cutout list of no rows was scored as "0 objects pair up but none is classified in both"
        refuse_no_rows(cut, path, name)
        # the folder the table's relative paths are relative to where it records none (a labels.csv: its own),
        # so that tables naming the same files otherwise (absolute paths) still pair by file (_pair_by_file);
        # evaluate and report write no catalogue they read, so the key goes nowhere
        cut.meta[TABLE_FOLDER] = str(resolved(path).parent)
        return cut


def _labels_table_error(path: Path, name: str, classes: tuple[str, ...], file_column: str | None = None) -> str | None:
    """What a reference of cutout files without a class column lacks, and what to give; None if not such a table.

    ``evaluate OUT.csv -r labels.csv`` (the folder's ``file, label`` table) without ``--label-column``
    was refused as a catalogue, "required column 'id' missing in labels.csv", which says nothing of the
    labels. Its label strings are read only with ``--label-column`` (through the task's ``label_map``),
    as the prediction's own label column is: the message names the column to give.
    """
    fmt = cutout_output_format(path)
    if fmt is None:
        return None
    try:
        if fmt == "fits":
            from starclass.io.mosaic import read_fits_table

            cols = read_fits_table(path).colnames  # a compression astropy cannot open: OSError, said by the reader
        else:
            cols = Table.read(path, format=fmt, **text_table_options(path, fmt)).colnames
    except (OSError, ValueError, TypeError, KeyError):
        return None
    if not file_columns(Table(names=cols)) and not (file_column and file_column in cols):
        return None
    from starclass.io.cutout_folders import label_like_column

    asked = next((c for c in classes if c not in (CLASS_REF, CLASS_PRED)), None)
    alike = label_like_column(cols, asked or "")
    said = (f"{name} {path} has no column {asked!r} (--label-column)" if asked else
            f"{name} {path} is a table of cutout files with no class_ref column")
    fix = (f"column {alike!r} may hold the labels: give --label-column {alike} (its label strings become classes "
           "through the task's label_map)" if alike else
           "give --label-column NAME for its column of label strings, or a class_ref column of class numbers")
    return f"{said}; {fix} (columns: {', '.join(cols)})"


def reference_names(references: ReferencesLike, reserved: Sequence[str] = ()) -> dict[str, Table | str]:
    """Name -> reference (Table, path or ``"self"``) from a path, Table, list or dict.

    Names are the files' stems (the tables and figures are named after them); two files of one stem
    are told apart by a number (``truth``, ``truth_2``), and so is a stem that is one of ``reserved``,
    the names the evaluation gives its other catalogues (``prediction``; ``reference``, the catalogue
    itself under ``-r self``): ``-r prediction.ecsv`` is ``prediction_2``. A reference given twice, as
    the same file under any spelling or ``self`` twice, is refused: its comparison would be made,
    printed and written twice.

    Raises
    ------
    StarclassError
        A reference given twice, naming it.

    Examples
    --------
    >>> list(reference_names(["truth.ecsv", "self"]))
    ['truth', 'self']
    >>> list(reference_names(["a/truth.ecsv", "b/truth.ecsv"]))
    ['truth', 'truth_2']
    >>> list(reference_names(["prediction.ecsv"], reserved=("prediction",)))
    ['prediction_2']
    >>> list(reference_names({"prediction": "p.ecsv", "truth": "t.ecsv"}, reserved=("prediction",)))
    ['prediction_2', 'truth']
    """
    if references is None:
        return {}
    if isinstance(references, Mapping):
        # names given in Python are kept, but not one of the reserved ({"prediction": t} crashed as -r did)
        named: dict[str, Table | str] = {}
        for key, r in references.items():
            name, n = str(key), 1
            while name in named or name in reserved or name in references and name != str(key):
                n += 1
                name = f"{key}_{n}"
            named[name] = r
        return named
    if isinstance(references, (str, Path, Table)) or is_dataframe(references):
        references = [references]
    out: dict[str, Table | str] = {}
    given: dict[Path | str, str] = {}  # each file (resolved) or self -> as it was first given
    for i, r in enumerate(references):
        key = _file_key(r) or (SELF if isinstance(r, str) and r == SELF else None)
        if key is not None and key in given:
            also = f" (first as {given[key]})" if given[key] != str(r) else ""
            raise StarclassError(f"--reference (references= in Python) {r} is given twice{also}: its comparison "
                                 "would be made and written twice; give each reference once")
        if key is not None:
            given[key] = str(r)
        if isinstance(r, (str, Path)) and str(r) != SELF:
            name = catalogue_name(r)
        elif isinstance(r, str):
            name = SELF
        else:
            name = r.meta.get("name", f"reference{i + 1}") if hasattr(r, "meta") else f"reference{i + 1}"
        # a number, not a trailing '_': the file names' slugs drop it, so truth_ and truth wrote one summary key
        base, n = name, 1
        # a reserved name too: a reference named 'prediction' took the prediction's place among the
        # catalogues (its box counts, class counts) and then crashed on "Duplicate column names"
        while name in out or name in reserved:
            n += 1
            name = f"{base}_{n}"
        out[name] = r
    return out


def legus_class_hint(t: Table, name: str) -> str:
    """How to name the class column of a LEGUS catalogue whose layout does not say it; "" otherwise.

    NGC 3351, NGC 4242 and NGC 45 (layout ``unknown-class``: col 34 holds only 0/1) are read without
    ``class_ref``. ``evaluate`` and ``report`` take their people's classes as a reference through
    ``--reference-column legus_colN``; the reader's own note names only Python's ``column_map`` and
    ``info --map``, and until 2026-12-05 ``evaluate`` said no more than "no class_pred and no
    class_ref column".

    Examples
    --------
    >>> t = Table({"legus_col34": [0, 1], "legus_col35": [2.0, 0.0]}, meta={"legus_layout": "unknown-class"})
    >>> "PRED -r ngc45.tab --reference-column legus_colN (legus_col34-35 here" in legus_class_hint(t, "ngc45.tab")
    True
    >>> legus_class_hint(Table({"class_ref": [1]}), "x.ecsv")
    ''
    """
    if t.meta.get("legus_layout") != "unknown-class" or CLASS_REF in t.colnames:
        return ""
    cols = [int(m.group(1)) for c in t.colnames if (m := re.fullmatch(r"legus_col(\d+)", c)) and int(m.group(1)) >= 34]
    span = f"legus_col{cols[0]}" + (f"-{cols[-1]}" if cols[-1] != cols[0] else "") if cols else ""
    here = f"{span} here, of uncertain meaning; " if cols else ""
    file = shell_word(Path(name).name)
    return ("a LEGUS catalogue of layout 'unknown-class': col 34 holds only 0/1, so which column holds the people's "
            f"classes is not known; name one as the reference of evaluate or report: PRED -r {file} "
            "--reference-column "
            f"legus_colN ({here}starclass info {file} --map class_ref=N shows column N's class counts)")


def class_column(t: Table, prefer: str, name: str | None = None) -> str:
    """``prefer`` when the table has it, else the other of class_pred / class_ref.

    ``name`` (the catalogue's file or role) is named in the error; a LEGUS catalogue whose
    layout does not say which column is the class (``unknown-class``) gets its reader's note.

    Examples
    --------
    >>> class_column(Table({"class_ref": [1]}), "class_pred")
    'class_ref'
    """
    other = CLASS_REF if prefer == CLASS_PRED else CLASS_PRED
    if prefer in t.colnames:
        return prefer
    if other in t.colnames:
        return other
    # the message named no catalogue: with a prediction and several references the user could
    # not tell which one lacked a class
    why = ""
    if hint := legus_class_hint(t, name or "catalogue"):
        # the reader's note named Python's column_map and info --map, not the option evaluate has
        raise StarclassError(f"{name or 'catalogue'} has neither class_pred nor class_ref: {hint}")
    elif t.meta.get("layout_note") and not t.meta.get("layout_certain", True):
        why = f"; its LEGUS layout '{t.meta.get('legus_layout')}': {t.meta['layout_note']}"
    # a candidate list (detect's) has no class yet: say the step that gives it one, not only its 36 columns
    todo = (f"; classify it first ('starclass classify MOSAICS -c {shell_word(str(name))} --model MODEL -o "
            "classified.ecsv'), or name its class column with --pred-column"
            if prefer == CLASS_PRED and name and not scorable_columns(t) else "")
    raise StarclassError(f"{name or 'catalogue'} has neither class_pred nor class_ref{why}{todo} "
                         f"({class_like_columns(t.colnames)})")


def class_like_columns(names: Sequence[str], most: int = 6) -> str:
    """The few columns of a table that could hold a class, and how many more it has, for an error message.

    The refusal of a catalogue without a class listed every column: the 36 of a detect catalogue, after
    which the next step (classify it) was lost. Columns named ``class...``, ``..._class`` or ``...label...``
    are shown (at most ``most``); where none is, the first four, to tell the table.

    Parameters
    ----------
    names : sequence of str
        The table's column names.
    most : int, optional
        The most class-like columns shown.

    Returns
    -------
    str

    Examples
    --------
    >>> class_like_columns(["id", "x", "y", "class_expert", "mag_g", "flux_g"])
    'columns that could hold a class: class_expert; 5 other columns'
    >>> class_like_columns(["id", "x", "y", "mag_g", "flux_g"])
    'no column named like a class; columns: id, x, y, mag_g and 1 more'
    >>> class_like_columns(["id", "x"])
    'no column named like a class; columns: id, x'
    """
    names = list(names)
    low = [n.lower() for n in names]
    like = [n for n, lo in zip(names, low) if lo.startswith("class") or lo.endswith("class") or "label" in lo][:most]
    if like:
        rest = len(names) - len(like)
        others = f"; {rest} other column{'s' if rest != 1 else ''}" if rest else ""
        return f"columns that could hold a class: {', '.join(like)}{others}"
    shown = names[:4]
    more = f" and {len(names) - len(shown)} more" if len(names) > len(shown) else ""
    return f"no column named like a class; columns: {', '.join(shown)}{more}"


#: Columns written in the model's output classes (``classify``), not in the reference scheme.
MODEL_CLASS_COLUMNS = (CLASS_PRED, CLASS_JOINT)
#: Class columns of a LEGUS catalogue besides ``class_ref`` (NGC 1566's hybrid layout): each holds
#: classes 1-4 (0 = none) of one source, so each can be scored against another (the ML class
#: against the three people's mode) with ``--pred-column`` and ``--reference-column``
CATALOGUE_CLASS_COLUMNS = (CLASS_HYBRID, CLASS_HUMAN_MODE, CLASS_ML, CLASS_ML_CHECKED, CLASS_RECLASSIFIED)


#: The first numbered column of a LEGUS catalogue that may hold classes: 34, the class (mode) of the standard
#: layout; 35-39 hold NGC 1566's other classes and, where the layout is not known, the people's classes.
LEGUS_FIRST_CLASS_COLUMN = 34


def legus_class_columns(t: Table) -> list[str]:
    """A LEGUS catalogue's numbered columns (``legus_colN``, N >= 34) that hold classes.

    Those whose values are whole numbers 0-4 (NaN or masked: no class), at least one of them a class
    (1-4). NGC 45's ``legus_col35`` (its people's classes, which the reader cannot tell from the file)
    is one; a numbered column of other values (fractions) is not. ``--reference-column`` accepted such a
    column and ``--pred-column`` refused it ("not a class column"): both take these. A column of 0/1 is
    taken where its meaning is unknown (NGC 3351's ``legus_col34``), not where the LEGUS README calls it
    a flag (column 36 of a 36-column standard file, NGC 3274's column 35: ``meta['legus_flag_columns']``,
    which :func:`not_class_reason` names).

    Parameters
    ----------
    t
        A catalogue as read (a LEGUS ``.tab`` keeps the columns its layout does not name as ``legus_colN``).

    Returns
    -------
    list of str
        The columns, in the file's order.

    Examples
    --------
    >>> t = Table({"legus_col34": [0, 1], "legus_col35": [4.0, 2.0], "legus_col36": [0.5, 2.0]})
    >>> legus_class_columns(t)
    ['legus_col34', 'legus_col35']
    >>> t.meta["legus_flag_columns"] = {"legus_col34": "a 0/1 flag"}
    >>> legus_class_columns(t)
    ['legus_col35']
    """
    out = []
    flags = t.meta.get(LEGUS_FLAG_COLUMNS) or {}
    for c in t.colnames:
        m = re.fullmatch(r"legus_col(\d+)", c)
        if not m or int(m.group(1)) < LEGUS_FIRST_CLASS_COLUMN or t[c].dtype.kind not in "iuf" or c in flags:
            continue
        # a value typed by hand on a few rows (NGC 4242's 50 at line 386 of its column 35) does not make the
        # column none of classes: --reference-column legus_col35, the recipe for its people's classes, was refused
        if stray_class_values(_float_values(t[c])) is not None:
            out.append(c)
    return out


def not_class_reason(t: Table, column: str) -> str:
    """Why a LEGUS numbered column is no class column, in words for ``--pred-column`` and ``--reference-column``.

    Examples
    --------
    >>> t = Table({"legus_col36": [0, 1]}, meta={"legus_flag_columns": {"legus_col36": "the README's 0/1 flag"}})
    >>> not_class_reason(t, "legus_col36")
    "legus_col36 is the README's 0/1 flag"
    >>> not_class_reason(Table({"legus_col37": [0.5]}), "legus_col37")
    'legus_col37 is not a class column: not whole numbers 0-4, or no class 1-4'
    """
    if (what := (t.meta.get(LEGUS_FLAG_COLUMNS) or {}).get(column)) is not None:
        return f"{column} is {what}"
    return f"{column} is not a class column: not whole numbers 0-4, or no class 1-4"


def _float_values(column) -> np.ndarray:
    """A column's values as floats, NaN where masked."""
    return np.asarray(np.ma.filled(np.ma.asarray(column, dtype=float), np.nan), dtype=float)


def legus_column_classes(t: Table, column: str, name: str) -> np.ndarray:
    """The classes of a LEGUS numbered column (``legus_colN``), its few values outside 0-4 read as 0, no class.

    Such values (at most 1% of the rows, one at least: :func:`~starclass.io.legus.stray_class_values`)
    are hand edits, not classes: each is warned of with its line of the file and its source id where
    the reader recorded them (``meta['stray_class_values']``), else with its row of the table.

    Parameters
    ----------
    t
        The catalogue.
    column
        One of :func:`legus_class_columns`.
    name
        The catalogue, for the warning (its file).

    Returns
    -------
    numpy.ndarray
        The column's values (floats), 0 where a value was no class.

    Examples
    --------
    >>> import warnings
    >>> t = Table({"legus_col35": [1.0, 50.0, 0.0] + [4.0] * 10})
    >>> with warnings.catch_warnings(record=True) as said:
    ...     warnings.simplefilter("always")
    ...     legus_column_classes(t, "legus_col35", "a.tab").tolist()[:4]
    [1.0, 0.0, 0.0, 4.0]
    >>> print(said[0].message)  # doctest: +NORMALIZE_WHITESPACE
    a.tab: legus_col35: 1 of 13 values outside 0-4 (50) at row 2 of the table read as 0, no class: a hand
    edit (a typo?) in a column of classes 0-4, so that row is not scored
    """
    v = _float_values(t[column])
    stray = stray_class_values(v)
    if stray is None or not stray.any():
        return v
    where = (t.meta.get(STRAY_CLASS_VALUES) or {}).get(column)
    if where is None:
        at = np.flatnonzero(stray) + 1
        rows = ", ".join(str(i) for i in at[:5]) + (f" and {at.size - 5} more" if at.size > 5 else "")
        shown = ", ".join(f"{x:g}" for x in np.unique(v[stray])[:5])
        where = (f"{column}: {int(stray.sum())} of {len(v)} values outside 0-4 ({shown}) at "
                 f"row{'s' if at.size > 1 else ''} {rows} of the table")
    n = int(stray.sum())
    warnings.warn(f"{name}: {where} read as 0, no class: a hand edit (a typo?) in a column of classes "
                  f"0-4, so {'that row is' if n == 1 else 'those rows are'} not scored", stacklevel=2)
    v = v.copy()
    v[stray] = 0
    return v


def scorable_columns(t: Table, exclude: Sequence[str] = ()) -> list[str]:
    """The columns of ``t`` that ``evaluate --pred-column`` can score as the prediction.

    ``class_pred`` (the model), ``class_joint`` (``classify --votes``: the model and the people
    combined), every person's ``class_h<k>``, ``class_ref`` and the other class columns of a
    LEGUS catalogue (:data:`CATALOGUE_CLASS_COLUMNS`: NGC 1566's ``class_ml``,
    ``class_human_mode``, ...) and its numbered columns that hold classes (:func:`legus_class_columns`),
    those present, less ``exclude`` (the reference column itself).

    Examples
    --------
    >>> scorable_columns(Table({"class_pred": [1], "class_joint": [2], "class_h1": [1], "class_ref": [1]}),
    ...                  exclude=["class_ref"])
    ['class_pred', 'class_joint', 'class_h1']
    >>> scorable_columns(Table({"class_ref": [1], "class_human_mode": [2], "class_ml": [1]}))
    ['class_ref', 'class_human_mode', 'class_ml']
    >>> scorable_columns(Table({"class_pred": [1], "class_pred_input": [2], "prob_1_input": [0.5]}))
    ['class_pred', 'class_pred_input']
    """
    cols = [c for c in MODEL_CLASS_COLUMNS if c in t.colnames] + human_columns(t) + (
        [CLASS_REF] if CLASS_REF in t.colnames else []) + [c for c in CATALOGUE_CLASS_COLUMNS if c in t.colnames]
    # an earlier classification classify kept under <name>_input (class_pred_input): scorable as its original
    cols += [c for c in t.colnames if (kept := kept_input_name(c)) and kept[0] in MODEL_CLASS_COLUMNS]
    # NGC 45's legus_col35 (its people's classes): --reference-column took it, --pred-column said "not a class column"
    cols += legus_class_columns(t)
    return [c for c in cols if c not in exclude]


def probability_prefix(column: str) -> str:
    """The prefix of a class column's probability columns: ``prob`` for ``class_pred``,
    ``prob_joint`` for ``class_joint`` (``prob_joint_<k>``), ``prob_<rest>`` for ``class_<rest>``.

    See :func:`probability_columns` for the names themselves (a kept ``class_pred_input``'s
    are ``prob_<k>_input``: the suffix follows the class).

    Examples
    --------
    >>> probability_prefix("class_pred"), probability_prefix("class_joint")
    ('prob', 'prob_joint')
    """
    if column == CLASS_PRED:
        return "prob"
    return "prob_" + column[len("class_"):] if column.startswith("class_") else f"prob_{column}"


def probability_columns(column: str, classes: Sequence[int]) -> list[str]:
    """The names of a class column's probability columns, one per class.

    ``prob_<k>`` for ``class_pred``, ``prob_joint_<k>`` for ``class_joint``; for a classification
    classify kept under another name (``class_pred_input``, ``class_joint_input2``:
    :func:`~starclass.io.catalog.keep_input_columns`) the suffix goes after the class number, as
    classify renamed them (``prob_<k>_input``, ``prob_joint_<k>_input2``).

    Examples
    --------
    >>> probability_columns("class_joint", (1, 2)), probability_columns("class_pred_input2", (1, 2))
    (['prob_joint_1', 'prob_joint_2'], ['prob_1_input2', 'prob_2_input2'])
    """
    kept = kept_input_name(column)
    if kept is not None and kept[0] in MODEL_CLASS_COLUMNS:
        return [f"{probability_prefix(kept[0])}_{k}{kept[1]}" for k in classes]
    return [f"{probability_prefix(column)}_{k}" for k in classes]


def legus_catalogs_hint(path: str | Path) -> str:
    """What a LEGUS file's people's classes give alone, where ``evaluate FILE.tab`` has nothing to compare them with.

    ``evaluate FILE.tab`` and ``evaluate FILE.tab --pred-column class_ref`` say it in these words.

    Examples
    --------
    >>> legus_catalogs_hint("ngc628c.tab")  # doctest: +ELLIPSIS
    "for the tables and figures of its people's classes alone (class mix, ...), give it as --catalogs ngc628c.tab"
    """
    return (f"for the tables and figures of its people's classes alone (class mix, CI, colours, colour-colour boxes, "
            f"mass slope, mass-age), give it as --catalogs {path}")


def prediction_view(t: Table, column: str, task: EvalTask, name: str,
                    exclude: Sequence[str] = (), said_as: str | None = None,
                    label_column: str | None = None) -> tuple[Table, str]:
    """``t`` with ``column`` as its prediction: in ``class_pred``, with its own probabilities.

    The chosen column's classes go into ``class_pred`` (a person's ``class_h<k>`` or
    ``class_ref`` through the task's reference map, as a reference is read) and its probability
    columns (:func:`probability_prefix`, e.g. ``prob_joint_<k>``) into ``prob_<k>``; where it
    has none, the model's ``prob_<k>`` are dropped (ROC and calibration of another column would
    describe the model, not the column scored). The model's raw probabilities, conformal sets,
    decision threshold and calibration record go too: they are the model's alone.

    Parameters
    ----------
    t
        The classified catalogue.
    column
        The column to score (:func:`scorable_columns`).
    task
        The class scheme.
    name
        The catalogue, for messages (its file).
    exclude
        Columns that cannot be scored here (the reference column when it is ``t``'s own).
    said_as
        How the line names the catalogue, where the output names it otherwise than ``name`` (a LEGUS
        file by its field, once a line has said which file that is); refusals still name ``name``.
    label_column
        The column ``--label-column`` named, read into the reference ``class_ref``: the ``class_joint`` note
        names it, and warns that the figures flatter ``class_joint`` only where it is one of the people's
        own columns (``class_h<k>``).

    Returns
    -------
    (Table, str)
        The view (columns not copied) and a line saying what is scored.

    Raises
    ------
    StarclassError
        ``column`` is not one that can be scored, naming those that can.

    Examples
    --------
    >>> t = Table({"class_pred": [1, 2], "class_joint": [2, 2], "class_ref": [2, 2], "prob_1": [0.9, 0.2],
    ...            "prob_2": [0.1, 0.8], "prob_joint_1": [0.3, 0.1], "prob_joint_2": [0.7, 0.9]})
    >>> v, line = prediction_view(t, "class_joint", EvalTask.from_classes((1, 2)), "out.ecsv")
    >>> v["class_pred"].tolist(), v["prob_1"].tolist(), line
    ([2, 2], [0.3, 0.1], 'scored column class_joint of out.ecsv, probabilities prob_joint_<k>')
    >>> prediction_view(t, "class_pred", EvalTask.from_classes((1, 2)), "d/out.ecsv", said_as="out")[1]
    'scored column class_pred of out'
    """
    said = name if said_as is None else said_as
    can = scorable_columns(t, exclude)
    if column not in can:
        # a column it has that is no class (a LEGUS file's class_human_mean, 2.333) was refused with no reason
        why = (f" ({column} is the reference it is compared with)" if column in exclude else
               f" (it has no column {column!r})" if column not in t.colnames else
               f" ({HUMAN_MEAN_IS_NO_CLASS})" if column == CLASS_HUMAN_MEAN else
               f" ({not_class_reason(t, column)})"
               if re.fullmatch(r"legus_col\d+", column) else f" ({column} is not a class column)")
        # 'none' alone, when the only class column is the reference (a LEGUS file's class_ref), read as if the
        # file had no class at all
        none = "none" + (f" besides the reference {', '.join(exclude)}" if exclude and any(
            c in t.colnames for c in exclude) else "")
        # a LEGUS file's class_ref against itself: what it has to show is said, as without --pred-column (there
        # only was --catalogs FILE suggested until 2026-12-07)
        also = (f"; {legus_catalogs_hint(name)}" if column in exclude and column == CLASS_REF
                and t.meta.get("legus_layout") and Path(str(name)).is_file() else "")
        raise StarclassError(f"--pred-column {column!r}: {name} cannot be scored on it{why}; the columns that can "
                             f"be scored are {', '.join(can) if can else none} (class_pred: the model; "
                             "class_joint: model and votes, classify --votes; class_h<k>: one person; class_ref; "
                             f"a LEGUS catalogue's class_ml, class_human_mode, ...){also}")
    if column == CLASS_PRED:
        return t, f"scored column class_pred of {said}"
    if column in legus_class_columns(t):
        # the column's few hand edits (NGC 4242's 50) named and read as no class, as a reference's are
        values = class_array(Table({column: legus_column_classes(t, column, name)}), column, name=name)
    else:
        values = class_array(t, column, name=name)
    kept = kept_input_name(column)
    if column not in MODEL_CLASS_COLUMNS and not (kept and kept[0] in MODEL_CLASS_COLUMNS):
        # a person's classes are in the reference scheme (LEGUS 1-4), as a reference is read
        values = task.reference_labels(values, what=f"{name} column {column!r}")
    # checked here, naming the column asked for: once in class_pred, a LEGUS class_ml of classes 1-4 scored
    # for a three-class task was refused as "prediction column 'class_pred': class [4] ..."
    check_classes(values, task.classes, what=f"{name} column {column!r} (--pred-column)")
    view = t.copy(copy_data=False)
    own = probability_columns(column, task.classes)
    # the line names them with <k> in place of the class number
    pattern = probability_columns(column, ("<k>",))[0]
    has_probs = all(c in t.colnames for c in own)
    model_only = [CLASS_PRED, PRED_SET, PRED_SET_SIZE] + [prob_col(k) for k in task.classes] + [
        prob_raw_col(k) for k in task.classes]
    view.remove_columns([c for c in model_only if c in view.colnames])
    view[CLASS_PRED] = values
    if has_probs:
        for k, c in zip(task.classes, own):
            view[prob_col(k)] = t[c]
        # the threshold lines name the score they threshold by these columns: "threshold for 80% purity of class
        # 1+2: 0.0324" of class_joint read as the model's P(1+2), on prob_<k>, where it is the people's and model's
        view.meta[SCORED_PROBABILITIES] = column
    for key in ("threshold", "positive_class", "temperature", "calibration_method", "coverage"):
        # the model's decision threshold and calibration do not describe another column
        view.meta.pop(key, None)
    if has_probs:
        probs = f"probabilities {pattern}"
    elif column in MODEL_CLASS_COLUMNS or (kept and kept[0] in MODEL_CLASS_COLUMNS):
        # classify writes these: their absence (a CSV cut down by hand) is worth naming
        probs = f"no probabilities ({pattern} absent)"
    else:
        # nothing writes probabilities beside a person's or a catalogue's class: 'prob_ref_<k> absent'
        # named a column no file has and sent the user looking for it
        probs = f"{column} has no probabilities"
    if not has_probs:
        probs += ": no ROC, threshold or calibration figures"
    line = f"scored column {column} of {said}, {probs}"
    if column == CLASS_JOINT and CLASS_REF in exclude:
        # class_joint holds the people's votes: against the catalogue's own class_ref (often those
        # very people's consensus) it is scored on its own inputs
        voted = int(np.sum(np.asarray(t[N_VOTES]) > 0)) if N_VOTES in t.colnames else None
        # a cutout folder's classification has no truth catalogue: its other labels are a list of the same
        # files (paired by file), where '-r truth.ecsv' named a file its user never had
        cutouts = CUTOUT_ROOT in t.meta or CUTOUT_ROOT in t.colnames
        other = ("another person's labels of the same cutouts, e.g. -r LABELS.csv --label-column COLUMN" if cutouts
                 else "e.g. -r truth.ecsv")
        line += (f"; note: class_joint includes people's votes ({counted(voted, 'row')} with votes)"
                 if voted is not None else
                 "; note: class_joint includes people's votes")
        # the column the reference was read from: with --label-column expert the note said "this catalogue's
        # own class_ref", a column the user had not named (evaluate copies the labels into class_ref)
        used = label_column if label_column is not None and label_column != CLASS_REF else CLASS_REF
        if re.fullmatch(r"class_h\d+", used):
            # one of the people's own columns, which classify --votes reads by default: the votes scored
            # against themselves
            line += (f", and the reference is this catalogue's column {used} (--label-column), one person's "
                     "classes, as the votes are: the figures flatter class_joint; give an independent reference "
                     f"({other})")
        elif used == CLASS_REF:
            # class_ref by default: a labels file's class is often the consensus of the very people who voted
            line += (", and the reference is this catalogue's own class_ref: if it comes from the same people, the "
                     f"figures flatter class_joint; give an independent reference ({other})")
        else:
            # a column the user chose (an expert's labels): nothing here says it is the voters', and a warning on
            # every such run taught to ignore it
            line += f"; the reference is this catalogue's column {used} (--label-column)"
    return view, line


#: NGC 1566's hybrid class (``class_ref``, col 34) is, row by row, the column its ``class_method`` names; on the
#: 314 flag-6 rows (former class 4 re-classified) it is col 39, checked on the file (scored against class_ref,
#: class_reclassified had 314 of its 738 rows agree by construction, with no note)
HYBRID_SOURCES = {CLASS_ML: (0,), CLASS_ML_CHECKED: (1,), CLASS_HUMAN_MODE: (3, 4), CLASS_RECLASSIFIED: (6,)}


def machine_reference_note(ref: Table, scored: np.ndarray, name: str = "reference") -> str | None:
    """A note when reference classes scored are a machine-learning classifier's alone (LEGUS NGC 1566).

    The hybrid ``class_ref`` of NGC 1566 is, where ``class_method`` is 0, the class of the survey's
    machine-learning classifier, which no person gave (:func:`starclass.io.legus.machine_only`).

    Parameters
    ----------
    ref
        The reference catalogue, its class column as ``class_ref``.
    scored
        The rows of ``ref`` scored (paired and classified in both).
    name
        The reference, for the note.

    Returns
    -------
    str or None
        None where no scored row's class is a machine's (every catalogue but a hybrid LEGUS one, or its
        ``class_human_mode`` given as the reference).

    Examples
    --------
    >>> t = Table({"class_ref": [1, 2, 3, 4], "class_method": [0, 0, 3, 1]})
    >>> machine_reference_note(t, np.array([0, 1, 2]), "ngc1566")[:72]
    'ngc1566: 2 of the 3 reference classes scored are a machine-learning clas'
    >>> machine_reference_note(Table({"class_ref": [1, 2]}), np.array([0, 1])) is None
    True
    """
    from starclass.io.legus import machine_only

    k = int(machine_only(ref)[np.asarray(scored, dtype=np.int64)].sum())
    if not k:
        return None
    n = counted(len(scored), "reference class", "reference classes")
    return (f"{name}: {k} of the {n} scored {'is' if k == 1 else 'are'} a machine-learning classifier's alone "
            "(class_method 0 of the LEGUS hybrid layout, NGC 1566), not a person's: the figures score the "
            "prediction in part against another classifier; --reference-column class_human_mode scores it against "
            "the three people's mode alone")


def hybrid_self_note(t: Table, column: str) -> str | None:
    """A note when ``column`` is scored against a hybrid ``class_ref`` built from it (LEGUS NGC 1566).

    The hybrid class is ``class_ml`` where ``class_method`` is 0, ``class_ml_checked`` where it
    is 1 and ``class_human_mode`` where it is 3 or 4: scored against it, those rows agree by
    construction and the figures flatter the column.

    Examples
    --------
    >>> t = Table({"class_ref": [1, 2, 3], "class_method": [0, 0, 3], "class_ml": [1, 2, 4],
    ...            "class_human_mode": [0, 0, 3]})
    >>> hybrid_self_note(t, "class_ml")[:58]
    'note: class_ref, the hybrid class, is class_ml itself on 2'
    """
    methods = HYBRID_SOURCES.get(column)
    if methods is None or CLASS_METHOD not in t.colnames or column not in t.colnames:
        return None
    same = np.isin(np.asarray(t[CLASS_METHOD]), methods) & (np.asarray(t[column]) > 0)
    n = int(same.sum())
    if not n:
        return None
    return (f"note: class_ref, the hybrid class, is {column} itself on {counted(n, 'row')} (class_method "
            f"{' or '.join(map(str, methods))}): the figures flatter {column}; for an independent reference give "
            f"--reference-column {CLASS_HUMAN_MODE if column != CLASS_HUMAN_MODE else CLASS_ML}")


def _same_classes(t: Table, column: str, reference: str) -> int:
    """How many rows ``column`` classifies, where it holds ``reference``'s class on every one of them; 0 otherwise."""
    if column == reference or column not in t.colnames or reference not in t.colnames:
        return 0
    try:
        a = np.ma.filled(np.ma.asarray(t[column], dtype=float), np.nan)
        b = np.ma.filled(np.ma.asarray(t[reference], dtype=float), np.nan)
    except (TypeError, ValueError):
        return 0
    with np.errstate(invalid="ignore"):
        classified = np.isfinite(a) & (a > 0)
    if not classified.any() or not np.array_equal(a[classified], b[classified]):
        return 0
    return int(classified.sum())


def with_reference_column(t: Table, column: str, name: str) -> Table:
    """``t`` with ``column`` as its reference classes (``class_ref``), for ``--reference-column``.

    Parameters
    ----------
    t
        A reference catalogue, or the classified catalogue compared with itself.
    column
        The column holding the reference classes (e.g. ``class_human_mode``).
    name
        The catalogue, for messages (its file).

    Returns
    -------
    Table
        A view of ``t`` (columns not copied) whose ``class_ref`` is ``column``.

    Raises
    ------
    StarclassError
        ``t`` has no such column, naming the catalogue and its class columns.

    Examples
    --------
    >>> with_reference_column(Table({"class_ref": [1], "class_ml": [3]}), "class_ml", "a.tab")["class_ref"].tolist()
    [3]
    """
    if column not in t.colnames:
        raise StarclassError(f"--reference-column {column!r}: {name} has no such column; its class columns: "
                             f"{', '.join(scorable_columns(t)) or 'none'}")
    if re.fullmatch(r"legus_col\d+", column) and column not in legus_class_columns(t):
        # as --pred-column says of it: a LEGUS column of no classes (an SED-fit figure) was taken, and every
        # reference class read as none or refused row by row
        raise StarclassError(f"--reference-column {column!r}: {name} cannot be compared with it "
                             f"({not_class_reason(t, column)}); its class columns: "
                             f"{', '.join(scorable_columns(t)) or 'none'}")
    from starclass.schema import SED_FIT_COLUMNS, find_column

    if (entry := find_column(column)) is not None and entry.name in SED_FIT_COLUMNS:
        # LEGUS's columns 26-32, by name since the reader names them (sed_chi2_f275w, not legus_col26): refused as
        # the numbered column was, not read as classes that are 0 everywhere
        raise StarclassError(f"--reference-column {column!r}: {name} cannot be compared with it ({column} is not a "
                             "class column: a figure of the catalogue's SED fit); its class columns: "
                             f"{', '.join(scorable_columns(t)) or 'none'}")
    if column == CLASS_REF:
        return t
    view = t.copy(copy_data=False)
    view[CLASS_REF] = legus_column_classes(t, column, name) if column in legus_class_columns(t) else t[column]
    return view


def task_labels(t: Table, col: str, task: EvalTask, name: str, *, note: bool = True) -> np.ndarray:
    """Output-class labels of a column: ``class_ref``-like columns go through the task's reference map.

    ``note=False`` leaves out the warning of a merge that collapses the column's classes
    (:meth:`EvalTask.reference_labels`): for the counts and rows read again after the scoring said it.

    Examples
    --------
    >>> task = EvalTask.from_classes((1, 2), reference_map={1: 1, 2: 1, 3: 1, 4: 2})
    >>> task_labels(Table({"class_ref": [4, 2]}), "class_ref", task, "truth").tolist()
    [2, 1]
    """
    labels = class_array(t, col, name=name)
    if col != CLASS_PRED:
        labels = task.reference_labels(labels, what=f"{name} column {col!r}", note=note)
    check_classes(labels, task.classes, what=f"{name} column {col!r}")
    return labels


def has_positions(t: Table) -> bool:
    """Whether a table can be matched by position (``x, y`` or ``ra, dec``).

    Examples
    --------
    >>> has_positions(Table({"x": [1.0], "y": [2.0]})), has_positions(Table({"file": ["a.png"]}))
    (True, False)
    """
    return {X, Y} <= set(t.colnames) or {RA, DEC} <= set(t.colnames)


def _file_keys(t: Table, cols: list[str]) -> list[str]:
    """One key per row from its file column(s), stripped (several bands: joined with '|')."""
    return ["|".join(parts) for parts in zip(*(np.asarray(t[c]).astype(str) for c in cols))]


def _resolved_file_keys(t: Table, cols: list[str]) -> list[str] | None:
    """One key per row from the files its file column(s) name, as absolute paths; None where unknown.

    Relative paths are taken under the folder the table records (``cutout_root``: ``classify
    --stamps`` writes it), else under the folder of the file it was read from (a labels CSV's
    paths are relative to it); None when a row's relative path has neither.

    Examples
    --------
    >>> _resolved_file_keys(Table({"file": ["a.png"], "cutout_root": ["/data"]}), ["file"])
    ['/data/a.png']
    >>> _resolved_file_keys(Table({"file": ["a.png"]}), ["file"]) is None
    True
    """
    from starclass.io.cutout_folders import listed_path, row_folders

    own = t.meta.get(TABLE_FOLDER)
    try:
        # a relative record is relative to the table's folder, as its files are
        roots = row_folders(t, "table", Path(own or "."), files=np.asarray(t[cols[0]]).astype(str).tolist())
    except StarclassError:
        return None  # a folder recorded for some rows only: no reading of the others is safe
    keys = []
    for i, parts in enumerate(zip(*(np.asarray(t[c]).astype(str) for c in cols))):
        root = Path(own) if roots is None and own else None
        if roots is not None:
            root = roots[i]
        if root is None and not all(Path(f).is_absolute() for f in parts):
            return None
        keys.append("|".join(str(listed_path(root or Path("/"), f.strip())) for f in parts))
    return keys


def _pair_by_file(pred: Table, ref: Table, cols: list[str],
                  names: tuple[str, str]) -> tuple[np.ndarray, np.ndarray, str]:
    """Pair two cutout tables by their file column(s), and say how.

    As written, unless the files the paths name pair more rows (absolute paths against relative
    ones: a classified folder beside its labels listed with absolute paths, a labels CSV in another
    folder, or a list that gave some of its files with absolute paths), each table's relative paths
    taken under its recorded ``cutout_root`` or its own folder.
    """
    what = "file" if cols == ["file"] else "files " + ", ".join(cols)
    rule = "by " + ", ".join(cols)
    pkeys, rkeys = _file_keys(pred, cols), _file_keys(ref, cols)
    if set(pkeys) - set(rkeys):
        presolved, rresolved = _resolved_file_keys(pred, cols), _resolved_file_keys(ref, cols)
        if (presolved is not None and rresolved is not None
                and len(set(presolved) & set(rresolved)) > len(set(pkeys) & set(rkeys))):
            # "no file in common" while both named the same files: the reference listed them with absolute paths.
            # Where the prediction wrote some of them so too (another team's list: every fifth file absolute), the
            # rows written alike paired as written, and the others were left out of every figure without a word
            pkeys, rkeys = presolved, rresolved
            rule += " (as paths: the same files written otherwise)"
    index: dict[str, int] = {}
    for i, f in enumerate(rkeys):
        if f in index:
            raise StarclassError(f"{names[1]}: {what} {f!r} listed twice (rows {index[f] + 1} and {i + 1}): "
                                 f"cannot pair by {what}")
        index[f] = i
    ia, ib = [], []
    for i, f in enumerate(pkeys):
        if f in index:
            ia.append(i)
            ib.append(index[f])
    if not ia:
        raise StarclassError(f"{names[0]} and {names[1]} have no {what} in common: nothing to evaluate (e.g. "
                             f"{pkeys[0] if pkeys else 'none'!r} in {names[0]}, {rkeys[0] if rkeys else 'none'!r} "
                             f"in {names[1]}; paths are compared as written, else as the files they name)")
    return np.asarray(ia, dtype=np.int64), np.asarray(ib, dtype=np.int64), rule


def _id_keys(t: Table, by_field: bool) -> list[str]:
    """Each row's id as text, prefixed by its ``field`` (and a NUL) where ``by_field``."""
    ids = [str(k) for k in np.asarray(t[ID])]
    if not by_field:
        return ids
    return [f"{f}\x00{i}" for f, i in zip(np.asarray(t[FIELD]).astype(str), ids)]


def _id_said(key: str) -> str:
    """A key of :func:`_id_keys` in words: ``'7'``, or ``'7' in field 'm31_a'``."""
    if "\x00" not in key:
        return repr(key)
    field, ident = key.split("\x00", 1)
    return f"{ident!r} in field {field!r}"


def _pair_by_id(pred: Table, ref: Table, names: tuple[str, str]) -> tuple[np.ndarray, np.ndarray]:
    """Pair two tables by their ``id`` column (as text: ``7`` and ``"7"`` are one object).

    Where both have a ``field`` column, by the pair (field, id): a table of several fields numbers each
    field's candidates from 1. Where only one has it and its ids repeat across its fields, the tables
    cannot be paired by id alone: refused.

    Raises
    ------
    StarclassError
        An id listed twice in the reference; ids that repeat across fields with no ``field`` column
        in the other table; no id in common.

    Examples
    --------
    >>> [a.tolist() for a in _pair_by_id(Table({"id": [1, 2, 3]}), Table({"id": [3, 1]}), ("p", "r"))]
    [[0, 2], [1, 0]]
    >>> p = Table({"field": ["a", "a", "b"], "id": [1, 2, 1]})
    >>> [a.tolist() for a in _pair_by_id(p, Table({"field": ["b", "a"], "id": [1, 1]}), ("p", "r"))]
    [[0, 2], [1, 0]]
    """
    by_field = FIELD in pred.colnames and FIELD in ref.colnames
    pkeys, rkeys = (_id_keys(pred, by_field), _id_keys(ref, by_field))
    if not by_field:
        for t, keys, name in ((pred, pkeys, names[0]), (ref, rkeys, names[1])):
            if FIELD in t.colnames and len(set(keys)) < len(keys):
                # a table of several fields (train --cv of a two-field store, classify --stamps) numbers each
                # field's candidates from 1: paired by id alone, field b's id 1 took field a's label
                other = names[1] if t is pred else names[0]
                raise StarclassError(f"{name}: its ids repeat across the fields of its column {FIELD!r} (unique only "
                                     f"with it), and {other} has no {FIELD!r} column: cannot pair by id alone; give "
                                     f"{other} a {FIELD!r} column (the pair {FIELD}, id is then paired), or evaluate "
                                     "one field's rows")
    index: dict[str, int] = {}
    for i, v in enumerate(rkeys):
        if v in index:
            raise StarclassError(f"{names[1]}: id {_id_said(v)} listed twice (rows {index[v] + 1} and {i + 1}): "
                                 "cannot pair by id")
        index[v] = i
    ia, ib = [], []
    for i, v in enumerate(pkeys):
        if v in index:
            ia.append(i)
            ib.append(index[v])
    if not ia:
        raise StarclassError(f"{names[0]} and {names[1]} have no id in common (and no positions in both): nothing "
                             "to evaluate")
    return np.asarray(ia, dtype=np.int64), np.asarray(ib, dtype=np.int64)


def _pair_without_positions(pred: Table, ref: Table, names: tuple[str, str],
                            sources: tuple[str, str] | None = None) -> tuple[np.ndarray, np.ndarray, str]:
    """Pair two tables not both with positions: by ``file``, else by ``id``, else row by row.

    Row by row only where neither table has anything to pair by (no positions, ``id`` or file
    column: two columns of classes given in Python) and both have one length. A table that has
    some but shares none with the other is refused, naming its file (``sources``) and the columns
    that would pair it: a catalogue with ``x``, ``y`` and an ``id`` and a reference of files and
    classes of the same length were paired row by row, each class scored against another object.

    Examples
    --------
    >>> _pair_without_positions(Table({"class_pred": [1, 2]}), Table({"class_ref": [2, 2]}), ("a", "b"))[2]
    'row by row'
    >>> _pair_without_positions(Table({"id": [1, 2], "x": [0.0, 9.0], "y": [0.0, 9.0]}),
    ...                         Table({"file": ["p.png", "q.png"], "class_ref": [1, 2]}),
    ...                         ("a", "b"), ("out.ecsv", "labels.csv"))  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: cannot pair out.ecsv with the reference labels.csv: out.ecsv has x, y and ...
    """
    cols = file_columns(pred)
    if cols and cols == file_columns(ref):
        return _pair_by_file(pred, ref, cols, names)
    if ID in pred.colnames and ID in ref.colnames:
        # a reference of ids and classes (labels.csv: id,class_ref) in another order than the
        # catalogue was paired row by row: each label was scored against another object
        return (*_pair_by_id(pred, ref, names), "by id")
    if any(has_positions(t) or ID in t.colnames or file_columns(t) for t in (pred, ref)):
        raise StarclassError(_no_pairing_key(pred, ref, sources or names))
    if len(pred) != len(ref):
        raise StarclassError(f"{names[0]} ({counted(len(pred), 'row')}) and {names[1]} "
                             f"({counted(len(ref), 'row')}) have no positions "
                             "and no 'file' or 'id' column to pair them by, and differ in length: cannot pair rows")
    idx = np.arange(len(pred), dtype=np.int64)
    return idx, idx, "row by row"


def _no_pairing_key(pred: Table, ref: Table, names: tuple[str, str]) -> str:
    """Why two tables cannot be paired (not both with positions, ``id`` or the same file columns), and what to give.

    Examples
    --------
    >>> print(_no_pairing_key(Table({"file": ["a.png"], "class_pred": [1]}), Table({"id": [3], "class_ref": [1]}),
    ...                       ("out.csv", "ids.csv")))  # doctest: +NORMALIZE_WHITESPACE
    cannot pair out.csv with the reference ids.csv: out.csv has a file column (file) and no positions or 'id';
    ids.csv has an 'id' column and no positions or file column; a pair needs in both tables positions (x, y or
    ra, dec), an 'id' column of the same objects' ids, or the same file columns: give out.csv and ids.csv x, y or
    ra, dec, or out.csv an 'id' column (columns of out.csv: file, class_pred; of ids.csv: id, class_ref)
    """
    def has(t: Table) -> str:
        kinds = [k for k, cs in (("x, y", (X, Y)), ("ra, dec", (RA, DEC))) if all(c in t.colnames for c in cs)]
        if ID in t.colnames:
            kinds.append("an 'id' column")
        if file_columns(t):
            kinds.append(f"a file column ({', '.join(file_columns(t))})")
        missing = [w for w, ok in (("positions", has_positions(t)), ("'id'", ID in t.colnames),
                                   ("file column", bool(file_columns(t)))) if not ok]
        if not kinds:
            return "no positions, 'id' or file column"
        return " and ".join(kinds) + (f" and no {' or '.join(missing)}" if missing else "")

    def cols(t: Table) -> str:
        return ", ".join(t.colnames[:8]) + (f" ... ({len(t.colnames)} columns)" if len(t.colnames) > 8 else "")

    # a pair needs the key in both tables: the tables lacking it are named together
    no_pos = " and ".join(n for n, t in zip(names, (pred, ref)) if not has_positions(t))
    no_id = " and ".join(n for n, t in zip(names, (pred, ref)) if ID not in t.colnames)
    give = [f"{no_pos} x, y or ra, dec"] if no_pos else []
    if no_id:
        give.append("an 'id' column" if no_id == no_pos else f"{no_id} an 'id' column")
    return (f"cannot pair {names[0]} with the reference {names[1]}: {names[0]} has {has(pred)}; {names[1]} has "
            f"{has(ref)}; a pair needs in both tables positions (x, y or ra, dec), an 'id' column of the same "
            f"objects' ids, or the same file columns: give {', or '.join(give)} (columns of {names[0]}: {cols(pred)}; "
            f"of {names[1]}: {cols(ref)})")


def _fields_of(t: Table) -> list[str]:
    """The distinct values of a table's ``field`` column, in order of first row (none without one)."""
    if FIELD not in t.colnames:
        return []
    return list(dict.fromkeys(np.asarray(t[FIELD]).astype(str).tolist()))


def positions_note(pred: Table, ref: Table, rows_pred: np.ndarray, rows_ref: np.ndarray) -> str | None:
    """Why the metrics against x and y are left out: the paired rows are of several fields; None for one or none.

    A table of several fields (a ``field`` column: ``train --cv`` of a two-field store, ``classify
    --stamps`` of a merged store) holds each field's pixels on its own mosaics, so one axis of x
    pools positions that are not comparable. The fields are those of the scored rows, from the
    catalogue scored, else from the reference.

    Parameters
    ----------
    pred, ref : astropy.table.Table
        The catalogue scored and its reference.
    rows_pred, rows_ref : numpy.ndarray
        Their paired rows (indices), one per scored object.

    Returns
    -------
    str or None
        The note, naming the fields and what to run instead.

    Examples
    --------
    >>> p = Table({"field": ["a", "a", "b"], "x": [1.0, 2.0, 3.0]})
    >>> positions_note(p, p, np.arange(3), np.arange(3))  # doctest: +ELLIPSIS
    "metrics against x and y left out: the scored rows are of 2 fields (column 'field': a, b), ..."
    >>> positions_note(p, p, np.arange(2), np.arange(2)) is None  # field a's rows alone
    True
    """
    where = (pred, rows_pred) if FIELD in pred.colnames else (ref, rows_ref) if FIELD in ref.colnames else None
    if where is None:
        return None
    fields = list(dict.fromkeys(np.asarray(where[0][FIELD]).astype(str)[np.asarray(where[1], dtype=int)].tolist()))
    if len(fields) < 2:
        return None
    shown = ", ".join(fields[:4]) + (" ..." if len(fields) > 4 else "")
    return (f"metrics against x and y left out: the scored rows are of {len(fields)} fields (column {FIELD!r}: "
            f"{shown}), each with pixels of its own mosaics, which make no one axis; --by {FIELD} gives each "
            "field's figures")


def _match_pixels_by_field(pred: Table, ref: Table, radius: float,
                           names: tuple[str, str]) -> tuple[np.ndarray, np.ndarray, LightMatch | None]:
    """Match two tables on their pixels, field by field where both have a ``field`` column.

    x, y are pixels of each field's own mosaic: a table of several fields (``train --cv`` of a two-field
    store, ``classify --stamps``) matched as one grid paired field b's objects with field a's. Where only
    one table has several fields, refused (naming the column); with one field or none, one match.

    Examples
    --------
    >>> p = Table({"field": ["a", "b"], "x": [5.0, 5.0], "y": [5.0, 5.0]})
    >>> r = Table({"field": ["b", "a"], "x": [5.0, 5.5], "y": [5.0, 5.0]})
    >>> [a.tolist() for a in _match_pixels_by_field(p, r, 2.0, ("p", "r"))[:2]]
    [[0, 1], [1, 0]]
    """
    fp, fr = _fields_of(pred), _fields_of(ref)
    if not (fp and fr):
        many = names[0] if len(fp) > 1 else names[1] if len(fr) > 1 else None
        if many is not None:
            shown = fp if len(fp) > 1 else fr
            other = names[1] if many == names[0] else names[0]
            raise StarclassError(
                f"{many} holds {len(shown)} fields in its column {FIELD!r} ({', '.join(shown[:4])}"
                f"{' ...' if len(shown) > 4 else ''}), whose x, y are pixels of different mosaics, and {other} has "
                f"no {FIELD!r} column: cannot match them on the pixels; give {other} a {FIELD!r} column, or ra, dec "
                "in every row of both tables, or evaluate one field's rows")
        ia, ib, _, light = match_objects(pred, ref, radius, names=names)
        return ia, ib, light
    cp, cr = np.asarray(pred[FIELD]).astype(str), np.asarray(ref[FIELD]).astype(str)
    parts_a, parts_b = [], []
    light = None
    for f in fp:
        rp, rr = np.flatnonzero(cp == f), np.flatnonzero(cr == f)
        if not rp.size or not rr.size:
            continue
        ia, ib, _, lit = match_objects(pred[rp], ref[rr], radius, names=names)
        if lit is not None:  # the fields' blends found at their centres of light, counted together
            light = lit if light is None else replace(light, alone=light.alone + lit.alone)
        parts_a.append(rp[ia])
        parts_b.append(rr[ib])
    if not parts_a:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), light
    ia, ib = np.concatenate(parts_a), np.concatenate(parts_b)
    order = np.argsort(ia, kind="stable")
    return ia[order].astype(np.int64), ib[order].astype(np.int64), light


def pair(pred: Table, ref: Table, ref_is_pred: bool, radius: float,
         names: tuple[str, str], allow_few: bool = False) -> tuple[np.ndarray, np.ndarray]:
    """Row indices of the paired objects (:func:`pairing` without the rule in words).

    Examples
    --------
    >>> t = Table({"x": [0.0, 5.0], "y": [0.0, 5.0]})
    >>> [a.tolist() for a in pair(t, t, True, 2.0, ("a", "b"))]
    [[0, 1], [0, 1]]
    """
    ia, ib, _ = pairing(pred, ref, ref_is_pred, radius, names, allow_few=allow_few)
    return ia, ib


def pairing(pred: Table, ref: Table, ref_is_pred: bool, radius: float,
            names: tuple[str, str], allow_few: bool = False, *,
            sources: tuple[str, str] | None = None,
            light_from: str | None = None) -> tuple[np.ndarray, np.ndarray, str]:
    """Row indices of the paired objects, and how they were paired in words (printed, reported).

    Row by row for ``self``; cutout tables (both with ``file``, or the same ``file_<band>``
    columns, and not both with pixel ``x``, ``y``) by their files, even when they carry
    ``ra``, ``dec`` (a cutout folder's are its objects', shared by the cutouts of one object on
    two CCDs, and rows may be in any order); else a one-to-one positional match when both
    tables have positions (of a simulated truth's position or centre of light, ``x_light``,
    ``y_light``, as the demo matches it: :func:`starclass.evaluate.matching.match_objects`);
    otherwise by ``id`` where both have one (a reference of ids and classes alone), else row by
    row where neither has positions, an ``id`` or a file column; a table with some of them but
    none shared is refused, naming its file (``sources``, default ``names``) and the columns to give.
    ``light_from`` names the table a reference's centres of light were taken from
    (:func:`starclass.evaluate.matching.with_light_of`): the rule in words says so.

    A positional match that pairs under :data:`FEW_PAIRS_SHARE` of the smaller table is refused
    unless ``allow_few`` (``evaluate``/``report --allow-few-matches``); under
    :data:`CHANCE_PAIRS_SHARE` it is scored with a warning.

    Raises
    ------
    StarclassError
        No pair at all; or, without ``allow_few``, under :data:`FEW_PAIRS_SHARE` of the smaller
        table paired (the message names both tables' rows and the pairs).

    Examples
    --------
    >>> t = Table({"x": [0.0, 5.0], "y": [0.0, 5.0]})
    >>> ia, ib, rule = pairing(t, t, False, 2.0, ("a", "b"))
    >>> ia.tolist(), ib.tolist(), rule
    ([0, 1], [0, 1], 'one-to-one within 2.0 px on the pixels (x, y)')
    >>> a, b = Table({"file": ["p.png", "q.png"]}), Table({"file": ["q.png", "p.png"]})
    >>> [i if isinstance(i, str) else i.tolist() for i in pairing(a, b, False, 2.0, ("a", "b"))]
    [[0, 1], [1, 0], 'by file']
    """
    if ref_is_pred:
        idx = np.arange(len(pred))
        return idx, idx, "row by row"
    cols = file_columns(pred)
    same_files = bool(cols) and cols == file_columns(ref)
    pixels = {X, Y} <= set(pred.colnames) and {X, Y} <= set(ref.colnames)
    if same_files and not pixels:
        # a catalogue with pixel positions keeps the positional match even with a 'file' column
        # (a mosaic's name, the same on every row, would pair nothing)
        return _pair_by_file(pred, ref, cols, names)
    if not (has_positions(pred) and has_positions(ref)):
        return _pair_without_positions(pred, ref, names, sources)
    where = "on the sky (ra, dec)" if matched_on_sky(pred, ref) else "on the pixels (x, y)"
    if where.startswith("on the sky"):
        ia, ib, _, light = match_objects(pred, ref, radius, names=names)
    else:
        ia, ib, light = _match_pixels_by_field(pred, ref, radius, names)
        if FIELD in pred.colnames and FIELD in ref.colnames:
            where += f" within each {FIELD}"
    if ia.size == 0:
        if where.startswith("on the sky"):
            # two pointings matched on the sky need not share a mosaic (the old hint asked whether
            # they did); where each lies on the sky is what tells whether they can overlap
            hint = f"where they lie: {names[0]} {_sky_extent(pred)}; {names[1]} {_sky_extent(ref)}"
        else:
            hint = "are they from the same mosaic?"
        raise StarclassError(
            f"{names[0]} ({counted(len(pred), 'row')}) and {names[1]} ({counted(len(ref), 'row')}) have no object "
            f"within {radius} px "
            f"of each other {where}: no overlap to evaluate ({hint})"
        )
    smaller = min(len(pred), len(ref))
    few = names[0] if len(pred) <= len(ref) else names[1]
    if ia.size < FEW_PAIRS_SHARE * smaller and not allow_few:
        # a catalogue scored against another field's truth got a warning among the output and a
        # full evaluation of its chance pairs; at this share the pairs are almost surely chance
        grid = ""
        if not where.startswith("on the sky"):
            # two pointings of one field have two pixel grids (NGC 628-C and -E: 1 pair on x, y, 119
            # on the sky): the other likely cause, and its remedy, are said too
            grid = (" (or their x, y are pixels of two different mosaics: with ra, dec in every row of both "
                    "tables they are matched on the sky)")
        raise StarclassError(
            f"only {ia.size} of the {counted(smaller, 'row')} of {few} ({100 * ia.size / smaller:.1f}%, under "
            f"{FEW_PAIRS_SHARE:.0%}) pair with the other table within {radius} px {where} ({names[0]}: "
            f"{len(pred)} rows, {names[1]}: {len(ref)} rows): the tables are most likely of different fields "
            f"and the pairs chance coincidences{grid}; nothing was scored. If they overlap only in part, "
            f"--allow-few-matches scores those {ia.size} pairs.")
    if ia.size < CHANCE_PAIRS_SHARE * smaller:
        # two different fields (or pointings) can share a few positions by chance: 3 pairs of 60 scored
        # "accuracy 1.000" without a word that the tables hardly overlap
        warnings.warn(f"only {ia.size} of the {counted(smaller, 'row')} of {few} ({100 * ia.size / smaller:.0f}%) "
                      "pair with "
                      f"the other table within {radius} px {where}: every score describes those {ia.size} alone; "
                      "if the two are not of one field, the pairs are chance coincidences", UserWarning, stacklevel=2)
    if light is not None and light_from and light.table == names[1]:
        light = replace(light, source=light_from)  # a people's table given without them: whose they are
    # a simulated truth is matched at its centres of light too, as the demo matches it: the rule says so
    return ia, ib, f"one-to-one within {radius} px {where}" + (f" {light.words()}" if light is not None else "")


#: Below this share of the smaller table paired, :func:`pairing` warns that the tables hardly overlap.
CHANCE_PAIRS_SHARE = 0.2
#: Below this share :func:`pairing` refuses (``allow_few`` scores them). Chance pairs within r px
#: are about (rows of the larger table / its area) x pi r^2 of the smaller table: 0.4% for 5000
#: objects on 4000 x 4000 px at 2 px; 5% takes one object per 250 px^2, a crowded field's density.
FEW_PAIRS_SHARE = 0.05


def _sky_extent(t: Table) -> str:
    """``RA a..b, Dec c..d deg`` of a table's finite positions, for messages.

    Examples
    --------
    >>> _sky_extent(Table({"ra": [10.0, 10.5], "dec": [-1.0, -0.25]}))
    'RA 10.0000..10.5000, Dec -1.0000..-0.2500 deg'
    """
    ra = np.ma.filled(np.ma.asarray(t[RA], dtype=float), np.nan)
    dec = np.ma.filled(np.ma.asarray(t[DEC], dtype=float), np.nan)
    if not (np.isfinite(ra).any() and np.isfinite(dec).any()):
        return "(no finite ra, dec)"
    return (f"RA {np.nanmin(ra):.4f}..{np.nanmax(ra):.4f}, Dec {np.nanmin(dec):.4f}..{np.nanmax(dec):.4f} deg")


# --------------------------------------------------------------------------------------------
# results


@dataclass
class CurveSet:
    """ROC and precision-recall curves of one merge, with their areas.

    Part of a :class:`Comparison` made by :func:`compare`.

    Examples
    --------
    >>> t = Table({"class_pred": [1, 2, 2, 1], "class_ref": [1, 2, 1, 1],
    ...            "prob_1": [0.9, 0.2, 0.4, 0.7], "prob_2": [0.1, 0.8, 0.6, 0.3]})
    >>> cs = compare(t, t, EvalTask.from_classes((1, 2), positive_class=1), ref_is_pred=True, n_boot=0).curves[0]
    >>> cs.merge, [c.label for c in cs.roc], cs.areas["roc_auc"].tolist()
    ('2class', ['1'], [1.0])
    """

    merge: str
    title: str
    roc: list[curves.Curve]
    pr: list[curves.Curve]
    skipped: list[str]
    areas: Table | None


@dataclass
class ThresholdStudy:
    """Purity, recall and F1 of one positive selection against threshold and magnitude.

    Part of a :class:`Comparison` made by :func:`compare` for a task with a positive class.

    Examples
    --------
    >>> t = Table({"class_pred": [1, 2, 2, 1], "class_ref": [1, 2, 1, 1],
    ...            "prob_1": [0.9, 0.2, 0.4, 0.7], "prob_2": [0.1, 0.8, 0.6, 0.3]})
    >>> st = compare(t, t, EvalTask.from_classes((1, 2), positive_class=1), ref_is_pred=True, n_boot=0).thresholds[0]
    >>> st.label, st.members, float(st.scan["purity"][0]), st.chosen is None
    ('1', (1,), 0.75, True)
    """

    label: str
    members: tuple[int, ...]
    scan: Table
    chosen: dict | None
    note: str | None
    magnitude: Table | None = None
    magnitude_band: str | None = None
    magnitude_threshold: float | None = None
    magnitude_note: str | None = None
    #: (quantity, table of :func:`threshold.metrics_vs_quantity`) for size, colour,
    #: galactocentric radius and detector position, where the catalogue has them
    trends: list[tuple[str, Table]] = field(default_factory=list)
    #: why a trend of ``quantities`` is not in ``trends`` (too few finite values, ...), one line each: they were added
    #: to ``magnitude_note``, which the report shows only where there is no magnitude table, and which a catalogue
    #: with no magnitude column then replaced, so the page said nothing of the missing trend (until 2026-12-07)
    trend_notes: list[str] = field(default_factory=list)
    #: where the trends' (and magnitude table's) threshold came from: "model" (the decision
    #: threshold classify applied and recorded in the catalogue) or "target purity" (chosen here)
    trend_threshold_source: str = "target purity"
    #: that threshold written as the page's threshold line writes it: the chosen one's ``shown`` (rounded down to
    #: select the same rows, :func:`starclass.evaluate.threshold.threshold_text`); the trends' titles wrote
    #: ``{:.3f}``, "threshold 0.244" under a threshold line and figure of 0.243 (a score of 0.24363), a number that
    #: given to classify --threshold leaves the lowest selected row out
    trend_threshold_text: str | None = None
    #: the column whose values the thresholds are on when it is not the calibrated ``prob_<k>``:
    #: ``prob_<k>_raw`` for a binary model's positive class, the scale ``classify --threshold``
    #: and the model's own (``train --target-purity``) threshold are applied on
    score_column: str | None = None
    #: the reference's positives and the scores the threshold was chosen on (one per scored row), for the
    #: bootstrap, which chooses it again on each resample
    y: np.ndarray | None = field(default=None, repr=False)
    score: np.ndarray | None = field(default=None, repr=False)
    #: the columns summed into the score where they are not the model's ``prob_<k>``: ``prob_joint_1 +
    #: prob_joint_2`` of ``--pred-column class_joint`` (:func:`prediction_view` puts them in ``prob_<k>``)
    score_of: str | None = None
    #: where the threshold is on ``score_column`` (raw): the calibrated ``prob_<k>`` at which the same rows are
    #: selected (the smallest calibrated probability among them), None where no calibrated threshold selects
    #: exactly those rows. A raw 0.003 (a model of temperature 6) read as a threshold that selects everything
    calibrated_threshold: float | None = None

    def scale(self) -> str:
        """Words for the lines: on which probability the thresholds are (empty for ``prob_<k>``).

        Examples
        --------
        >>> ThresholdStudy("1", (1,), Table(), None, None, score_column="prob_1_raw").scale()
        ' on prob_1_raw (uncalibrated: the scale classify --threshold applies)'
        >>> ThresholdStudy("1+2", (1, 2), Table(), None, None, score_of="prob_joint_1 + prob_joint_2").scale()
        ' on prob_joint_1 + prob_joint_2'
        """
        if self.score_column is None:
            return f" on {self.score_of}" if self.score_of else ""
        return f" on {self.score_column} (uncalibrated: the scale classify --threshold applies)"


#: Columns tried, in order, for the selection's size trend (measured FWHM, concentration index,
#: simulated radius).
SIZE_COLUMNS = ("fwhm", "ci", "radius_pc")
#: Band pairs tried, in order, for the colour trend (blue minus red).
COLOUR_PAIRS = (("g", "i"), ("f555w", "f814w"), ("f438w", "f814w"), ("f336w", "f555w"))


def magnitudes(table: Table) -> tuple[dict[str, np.ndarray], str]:
    """Magnitude per band of a catalogue: measured ``mag_<band>``, else a simulation's ``mag_true_<band>``.

    Returns the band -> values mapping (in table order) and a suffix naming the kind: "" for
    measured magnitudes, " (true)" for a simulated truth catalogue's, so that figures say which.

    Examples
    --------
    >>> m, kind = magnitudes(Table({"mag_true_g": [20.0], "mag_true_i": [19.0]}))
    >>> sorted(m), kind
    (['g', 'i'], ' (true)')
    """
    bands = bands_in(table)
    if bands:
        return {b: np.asarray(table[mag_col(b)], float) for b in bands}, ""
    true = [c[len(mag_true_col("")):] for c in table.colnames if c.startswith(mag_true_col(""))]
    return {b: np.asarray(table[mag_true_col(b)], float) for b in true if b in BANDS}, " (true)"


def selection_quantities(table: Table) -> dict[str, np.ndarray]:
    """Quantities for the purity/recall/F1 trends: size, colour, galactocentric radius, x, y.

    Each is included only where the catalogue has what it needs: a size column
    (:data:`SIZE_COLUMNS`), two bands of a pair (:data:`COLOUR_PAIRS`, else the first and last
    band), ``r_gal`` (projected galactocentric radius), and ``x``, ``y`` (position on the
    detector).

    Examples
    --------
    >>> t = Table({"x": [1.0, 2.0], "y": [3.0, 4.0], "mag_g": [20.0, 21.0], "mag_i": [19.0, 19.5]})
    >>> q = selection_quantities(t)
    >>> sorted(q), q["colour g-i"].tolist()
    (['colour g-i', 'x', 'y'], [1.0, 1.5])
    """
    out: dict[str, np.ndarray] = {}
    names = table.colnames
    for col in SIZE_COLUMNS:
        if col in names:
            out[f"size ({col})"] = np.asarray(table[col], float)
            break
    mags, kind = magnitudes(table)
    bands = list(mags)
    pair = next(((a, b) for a, b in COLOUR_PAIRS if a in bands and b in bands), None)
    if pair is None and len(bands) >= 2:
        pair = (bands[0], bands[-1])
    if pair is not None:
        a, b = mags[pair[0]], mags[pair[1]]
        # LEGUS writes 99.999 for no detection: not a colour
        out[f"colour {pair[0]}-{pair[1]}{kind}"] = np.where((a < 90) & (b < 90), a - b, np.nan)
    if R_GAL in names:
        out["galactocentric radius"] = np.asarray(table[R_GAL], float)
    for col in (X, Y):
        if col in names:
            out[col] = np.asarray(table[col], float)
    return out


@dataclass
class PhangsAgreement:
    """The PHANGS agreement fractions of one pair of catalogues (PHANGS-like tasks only).

    Part of a :class:`Comparison` made by :func:`compare` for the four PHANGS classes.

    Examples
    --------
    The reference calls the class-3 object 4: class 4 agrees (1/1 + 1/2) / 2 and class 3, which
    only the prediction uses, 0 (its one object is not agreed); a class neither used would be None:

    >>> t = Table({"x": [0.0, 10, 20, 30], "y": [0.0, 0, 0, 0], "class_pred": [1, 2, 3, 4], "class_ref": [1, 2, 4, 4]})
    >>> a = compare(t, t, EvalTask.from_classes((1, 2, 3, 4)), ref_is_pred=True, n_boot=0).agreement
    >>> a.fractions["agreement"].tolist(), round(a.mean, 4)
    ([1.0, 1.0, 0.0, 0.75, 1.0], 0.6875)
    """

    fractions: Table
    mean: float | None
    symmetric: np.ndarray
    versus: list[tuple[str, Table, Table]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


#: How ``evaluate``'s ``class k:`` lines name the per-class table's one-vs-rest figures: each
#: label its own words (neither the tail of the other, as "balanced accuracy vs rest" and
#: "accuracy vs rest" were), the column names read with spaces.
PER_CLASS_LABELS = {OVR_BALANCED_ACCURACY: "one-vs-rest balanced accuracy", OVR_ACCURACY: "one-vs-rest accuracy"}


def _ci(row, col: str) -> str:
    """`` [lo, hi]`` of ``col`` in a table row that has ``<col>_lo`` and ``<col>_hi`` (unmasked), else ""."""
    lo, hi = f"{col}_lo", f"{col}_hi"
    if lo not in row.colnames or np.ma.is_masked(row[lo]) or np.ma.is_masked(row[hi]):
        return ""
    return f" [{float(row[lo]):.3f}, {float(row[hi]):.3f}]"


def chosen_ci(chosen: Mapping, fig: str) -> str:
    """`` [lo, hi]`` of a figure of a threshold choice (:func:`starclass.evaluate.threshold.threshold_for_purity`'s
    dict) where the bootstrap gave it ``<fig>_lo`` and ``<fig>_hi``, else "".

    Examples
    --------
    The threshold's interval is rounded outwards (down, up), as the threshold itself is written rounded
    down (:func:`starclass.evaluate.threshold.threshold_text`): rounded to the nearest, a list of clusters
    only printed "0.057 [0.058, 0.207]", the threshold below its own interval, whose lower end is that
    same threshold (0.0578).

    >>> chosen_ci({"purity": 0.8, "purity_lo": 0.8, "purity_hi": 0.95}, "purity"), chosen_ci({"f1": 0.5}, "f1")
    (' [0.800, 0.950]', '')
    >>> chosen_ci({"threshold": 0.05783, "threshold_lo": 0.05783, "threshold_hi": 0.20714}, "threshold")
    ' [0.057, 0.208]'
    >>> chosen_ci({"threshold": 0.7, "threshold_lo": 0.7, "threshold_hi": 0.8}, "threshold")
    ' [0.700, 0.800]'

    With as many decimals as the threshold is written with (``shown``, four where three would select other
    objects): "0.4267 [0.367, 0.523]" mixed two precisions in one figure.

    >>> chosen_ci({"threshold": 0.42675, "shown": "0.4267", "threshold_lo": 0.3671, "threshold_hi": 0.5228},
    ...           "threshold")
    ' [0.3671, 0.5228]'
    """
    lo, hi = chosen.get(f"{fig}_lo"), chosen.get(f"{fig}_hi")
    if lo is None or hi is None:
        return ""
    if fig == "threshold":
        shown = str(chosen.get("shown", ""))
        d = max(3, len(shown.partition(".")[2])) if shown.replace(".", "", 1).isdigit() else 3
        # rounded to 1e-6 of a step first: 0.8 * 1000 is 800.0000000000001, which ceil sent to 0.801
        step = 10.0 ** d
        lo_, hi_ = np.floor(round(float(lo) * step, 6)) / step, np.ceil(round(float(hi) * step, 6)) / step
        return f" [{lo_:.{d}f}, {hi_:.{d}f}]"
    return f" [{float(lo):.3f}, {float(hi):.3f}]"


@dataclass
class Comparison:
    """Everything computed for one prediction against one reference.

    Made by :func:`compare`; :func:`evaluate_catalogs` makes one per reference.

    Examples
    --------
    >>> t = Table({"class_pred": [1, 2, 2, 1], "class_ref": [1, 2, 1, 1]})
    >>> c = compare(t, t, EvalTask.from_classes((1, 2)), ref_is_pred=True, n_boot=0)
    >>> c.n_paired, c.paired_by, c.accuracies()
    (4, 'row by row', {'2class': 0.75})
    """

    pred_name: str
    ref_name: str
    paired_by: str
    n_paired: int
    n_both: int
    results: list[MergeResult]
    summary: Table
    notes: list[str] = field(default_factory=list)
    curves: list[CurveSet] = field(default_factory=list)
    scores: dict[int, np.ndarray] | None = None
    score_quantiles: Table | None = None
    thresholds: list[ThresholdStudy] = field(default_factory=list)
    agreement: PhangsAgreement | None = None
    trust: TrustStudy | None = None
    #: ``--by`` column -> (metrics per group, how the column was binned or None)
    by: dict[str, tuple[Table, str | None]] = field(default_factory=dict)
    #: (prediction column, reference column) where both are columns of the one catalogue (``-r self``)
    columns: tuple[str, str] | None = None
    #: said when the calibrated ``prob_<k>`` tie many rows' ranks (histogram binning) and the ROC AUC and
    #: average precision on ``prob_<k>_raw`` are given beside them (:func:`tied_ranks_note`)
    ranking_note: str | None = None
    #: the paired rows of the prediction and of the reference (every pair, classified or not)
    pairs: tuple[np.ndarray, np.ndarray] | None = None
    #: what the bootstrap intervals resample, where it is whole objects (``group_column``):
    #: "95% intervals resample the 755 objects (object_id), not the 869 rows"
    interval_note: str | None = None
    #: the number of objects among the scored rows where ``group_column`` names them (else None: a row each)
    n_objects: int | None = None
    #: True where no group column was given but a column like ``id`` repeats (:func:`_say_ungrouped`): the rows
    #: may not be objects, so they are called rows ("138 objects paired" beside "resample the 138 rows")
    rows_not_objects: bool = False
    #: why no figure has a bootstrap interval (:func:`no_intervals_note`), or None: printed by ``evaluate``
    #: and among ``notes`` (the report's), the one sentence in both
    no_intervals: str | None = None
    #: how many of the reference classes scored no person gave (:func:`machine_reference_note`), or None:
    #: printed by ``evaluate`` and among ``notes`` (the report's)
    reference_note: str | None = None
    #: why the trends against x and y are left out (the paired rows are of several fields, each its own pixel
    #: grid: :func:`positions_note`), or None: printed by ``evaluate`` and among ``notes`` (the report's)
    positions_note: str | None = None
    #: how headings and axes name the catalogue scored, where it is not ``pred_name`` (a key of the tables and of
    #: ``summary.json``): its file's stem. "prediction vs truth" named a human catalogue scored against a
    #: reference (``evaluate humans.ecsv -r truth.ecsv``) a prediction
    pred_label: str | None = None
    #: the paired rows left out for their labels where the reference was read from a label column
    #: (``--label-column``): no label, or one the task does not know. The terminal's line then says how many
    #: have a label of the task, not "classified in both"
    n_without_task_label: int = 0

    @property
    def pred_shown(self) -> str:
        """The catalogue scored as headings name it: ``pred_label``, else ``pred_name``.

        Examples
        --------
        >>> t = Table({"class_pred": [1, 2], "class_ref": [1, 2]})
        >>> compare(t, t, EvalTask.from_classes((1, 2)), ref_is_pred=True, n_boot=0, pred_label="humans").pred_shown
        'humans'
        """
        return self.pred_label or self.pred_name

    def heading(self) -> str:
        """What is compared with what, for titles: ``classified vs truth`` (the catalogues' file stems,
        :attr:`pred_shown`), or for two columns of one catalogue (``-r self``) ``class_pred vs class_ref
        in classified``.

        ``ref_name`` (``prediction class_ref``, a key of tables and of ``summary.json``) read
        "prediction vs prediction class_ref" in every heading of the report.

        Examples
        --------
        >>> t = Table({"class_pred": [1, 2], "class_ref": [1, 2]})
        >>> compare(t, t, EvalTask.from_classes((1, 2)), ref_name="prediction class_ref", ref_is_pred=True,
        ...         n_boot=0, columns=("class_pred", "class_ref")).heading()
        'class_pred vs class_ref in prediction'
        """
        if self.columns is not None:
            return f"{self.columns[0]} vs {self.columns[1]} in {self.pred_shown}"
        return f"{self.pred_shown} vs {self.ref_name}"

    def accuracies(self) -> dict[str, float]:
        """Accuracy per merge, rounded to 4 decimals (the headline).

        Examples
        --------
        >>> t = Table({"class_pred": [1, 2, 2, 1], "class_ref": [1, 2, 1, 1]})
        >>> compare(t, t, EvalTask.from_classes((1, 2)), ref_is_pred=True, n_boot=0).accuracies()
        {'2class': 0.75}
        """
        return {r.merge: round(float(r.accuracy), 4) for r in self.results}

    def lines(self) -> list[str]:
        """The figures ``starclass evaluate`` prints beyond the accuracies, one line each.

        Accuracy and balanced accuracy, precision, recall and F1 per class of the task's own
        classes, ROC AUC and average precision, and the threshold for the target purity with the
        purity, recall and F1 at it; each figure with its 95% bootstrap interval where there are
        resamples (``n_boot``; the threshold chosen again on each); each line starts with two spaces.

        Examples
        --------
        >>> t = Table({"class_pred": [1, 2, 2, 1], "class_ref": [1, 2, 1, 1],
        ...            "prob_1": [0.9, 0.2, 0.4, 0.7], "prob_2": [0.1, 0.8, 0.6, 0.3]})
        >>> c = compare(t, t, EvalTask.from_classes((1, 2), positive_class=1), ref_is_pred=True, n_boot=0)
        >>> c.lines()[0]
        '  2class: accuracy 0.750, balanced accuracy 0.833 (4 objects)'
        """
        out = []
        # the task's classes by number and name, as the per-class tables name them (their 'name' column):
        # "class 2: precision ..." on the screen was "2 galaxy" in the figures and tables
        own = self.results[0].per_class if self.results else None
        names = ({str(r["class"]).strip(): str(r["name"]) for r in own}
                 if own is not None and "name" in own.colnames else {})

        def said(k) -> str:
            k = str(k).strip()
            return class_labels([int(k)], [names[k]])[int(k)] if k in names and k.isdigit() else k

        summ = {str(r["merge"]): r for r in self.summary}
        for r in self.results:
            row = summ[r.merge]
            ci = (f" [{row['accuracy_lo']:.3f}, {row['accuracy_hi']:.3f}]" if "accuracy_lo" in row.colnames else "")
            bci = (f" [{row['balanced_accuracy_lo']:.3f}, {row['balanced_accuracy_hi']:.3f}]"
                   if "balanced_accuracy_lo" in row.colnames else "")
            # the accuracy whether or not it has an interval: with --bootstrap 0 the line kept the balanced
            # accuracy alone, while --bootstrap 200 printed both (each figure the same, the intervals aside)
            out.append(f"  {r.merge}: accuracy {r.accuracy:.3f}{ci}, "
                       + f"balanced accuracy {r.balanced_accuracy:.3f}{bci} ("
                       # rows of fewer objects said so: "(80 objects)" beside "resample the 40 objects" read as a slip
                       + (f"{counted(r.n, 'row')} of {counted(self.n_objects, 'object')})"
                          if self.n_objects is not None and self.n_objects < r.n
                          else f"{counted(r.n, 'row' if self.rows_not_objects else 'object')})"))
        if self.reference_note:
            out.append(f"  note: {self.reference_note}")
        if self.interval_note and "accuracy_lo" in self.summary.colnames:
            out.append(f"  {self.interval_note}")
        elif self.no_intervals:
            # the report said "no bootstrap intervals: ..." while evaluate printed the figures without one, silently
            out.append(f"  note: {self.no_intervals}")
        for row in self.results[0].per_class:
            # the one-vs-rest balanced accuracy too: the cool-core paper's per-class figure, in the
            # per-class table but missing from the screen; and the plain one-vs-rest accuracy, the "A" of
            # Kosiba et al.'s multiclass table (it was in neither). Named so that neither label is the tail
            # of the other: "balanced accuracy vs rest 0.828, accuracy vs rest 0.872" read as one figure twice
            vals = [("precision", "precision"), ("recall", "recall"), ("F1", "f1"),
                    (PER_CLASS_LABELS[OVR_BALANCED_ACCURACY], OVR_BALANCED_ACCURACY),
                    (PER_CLASS_LABELS[OVR_ACCURACY], OVR_ACCURACY)]
            out.append(f"  class {said(row['class'])}: " + ", ".join(
                f"{k} {'-' if np.ma.is_masked(row[c]) else format(float(row[c]), '.3f')}{_ci(row, c)}"
                for k, c in vals)
                + f" (n_ref {row['n_ref']}, n_pred {row['n_pred']})")
        for cs in self.curves:
            # a list of clusters only got no ROC AUC line and no word why (the report said it)
            out.extend(f"  note: {cs.merge} ROC and precision-recall curves: {msg}" for msg in cs.skipped)
            if cs.areas is None:
                continue
            for row in cs.areas:
                # both figures where the calibrated probabilities tie ranks: neither is replaced without a word
                col = (prob_raw_col(int(row["class"])) if str(row["class"]).isdigit() else
                       "the sum of its classes' prob_<k>_raw")
                raw = (f" (on {col}: ROC AUC {row['roc_auc_raw']:.3f}{_ci(row, 'roc_auc_raw')}, average precision "
                       f"{row['average_precision_raw']:.3f}{_ci(row, 'average_precision_raw')})"
                       if "roc_auc_raw" in row.colnames else "")
                out.append(f"  {cs.merge} class {said(row['class']) if 'name' in row.colnames else row['class']} vs "
                           f"rest: ROC AUC {row['roc_auc']:.3f}{_ci(row, 'roc_auc')}, "
                           f"average precision {row['average_precision']:.3f}{_ci(row, 'average_precision')}{raw}")
        if self.ranking_note:
            out.append(f"  note: {self.ranking_note}")
        # the figures the bootstrap could not give an interval (a class few resamples draw): their lines lack one
        out.extend(f"  note: {n}" for n in self.notes if n.startswith("no 95% interval for"))
        if self.positions_note:
            out.append(f"  note: {self.positions_note}")
        for st in self.thresholds:
            if st.chosen:
                ch = st.chosen
                out.append(f"  threshold for {ch['target']:.0%} purity of class {said(st.label)}{st.scale()}: "
                           f"{ch.get('shown', format(ch['threshold'], '.3f'))}{chosen_ci(ch, 'threshold')} "
                           f"(purity {ch['purity']:.3f}{chosen_ci(ch, 'purity')}, "
                           f"recall {ch['recall']:.3f}{chosen_ci(ch, 'recall')}, "
                           f"F1 {ch['f1']:.3f}{chosen_ci(ch, 'f1')}, {ch['n_selected']} selected)"
                           + (f"; the same selection is {prob_col(int(st.members[0]))} >= "
                              f"{st.calibrated_threshold:.3f}, after the model's calibration"
                              if st.calibrated_threshold is not None and st.score_column else ""))
            elif st.note:
                out.append(f"  {st.note}")
        if self.trust is not None:
            out.extend(self.trust.lines())
        return out


@dataclass
class Evaluation:
    """All comparisons of a prediction, plus the tables that involve every catalogue.

    Made by :func:`evaluate_catalogs`.

    Examples
    --------
    >>> t = Table({"x": [0.0, 10, 20, 30], "y": [0.0, 0, 0, 0], "class_pred": [1, 2, 3, 4], "class_ref": [1, 2, 4, 4]})
    >>> e = evaluate_catalogs(t, ["self"], n_boot=0)
    >>> e.headline()
    {'prediction class_ref': {'4class': 0.75, '12v34': 1.0, '123v4': 0.75, '12_3_4': 0.75}}
    >>> e.counts["n_4"].tolist()
    [1, 2]
    """

    task: EvalTask
    task_note: str | None
    pred_name: str
    catalogues: dict[str, Table]
    class_cols: dict[str, str]
    counts: Table
    comparisons: list[Comparison]
    agreement_table: Table | None = None
    agreement_table_note: str | None = None
    humans: list[tuple[str, dict | None, str | None]] = field(default_factory=list)
    #: which column was scored as the prediction and with which probabilities (``pred_column``)
    scored: str | None = None
    #: the column scored as the prediction
    pred_column: str = CLASS_PRED
    #: catalogue name -> its rows of the objects every catalogue classifies, aligned (the i-th row of
    #: each is one object): what the Quality Ratio compares (:func:`common_rows`)
    common: dict[str, np.ndarray] | None = None
    #: which objects ``common`` holds, in words (for captions)
    common_note: str | None = None
    #: how captions and messages name the catalogue scored where not ``pred_name`` (its file's stem,
    #: :attr:`Comparison.pred_label`)
    pred_label: str | None = None
    #: which file each catalogue named by its LEGUS field is (``"ngc1566 is ....tab (...)"``), said once
    named: list[str] = field(default_factory=list)
    #: catalogue name -> its class column as the user named it (``--pred-column``, ``--reference-column``,
    #: ``--label-column expert``), where :attr:`class_cols` holds the column it was read into (``class_ref``)
    shown_columns: dict[str, str] = field(default_factory=dict)
    #: the catalogue's own column of labels read into its ``class_ref`` (``--label-column``), or None
    label_column: str | None = None
    #: catalogue name -> the file it was read from, as the user gave it (the catalogue's own reference under
    #: ``-r self``: its file too); a catalogue given as a Table in Python has none
    files: dict[str, str] = field(default_factory=dict)

    def reference_column(self, c: Comparison) -> str:
        """The column of reference classes comparison ``c`` scored against, as the user named it.

        ``expert`` for ``--label-column expert`` (read into ``class_ref``), ``class_human_mode`` for
        ``--reference-column class_human_mode``, else ``class_ref``: what ``summary.json`` records beside
        ``prediction_column``.

        Examples
        --------
        >>> t = Table({"class_pred": [1, 2], "expert": ["cluster", "galaxy"]})
        >>> ev = evaluate_catalogs(t, task="m31-real", n_boot=0, label_column="expert")
        >>> ev.reference_column(ev.comparisons[0])
        'expert'
        """
        if c.columns is not None:
            return c.columns[1]
        return self.shown_columns.get(c.ref_name, self.class_cols.get(c.ref_name, CLASS_REF))

    def shown(self, name: str) -> str:
        """Catalogue ``name`` (a key of ``catalogues``) as captions name it: the scored one by ``pred_label``.

        Examples
        --------
        >>> t = Table({"class_pred": [1, 2, 2, 1], "class_ref": [1, 2, 1, 1]})
        >>> ev = evaluate_catalogs(t, ["self"], task=EvalTask.from_classes((1, 2)), n_boot=0)
        >>> ev.pred_label = "humans"
        >>> ev.shown("prediction"), ev.shown("truth")
        ('humans', 'truth')
        """
        return self.pred_label or name if name == self.pred_name else name

    def headline(self) -> dict[str, dict[str, float]]:
        """Accuracy per merge for each reference.

        Examples
        --------
        >>> t = Table({"class_pred": [1, 2, 2, 1], "class_ref": [1, 2, 1, 1]})
        >>> evaluate_catalogs(t, ["self"], task=EvalTask.from_classes((1, 2)), n_boot=0).headline()
        {'prediction class_ref': {'2class': 0.75}}
        """
        return {c.ref_name: c.accuracies() for c in self.comparisons}


# --------------------------------------------------------------------------------------------
# computations


def _per_class_figures(r: np.ndarray, p: np.ndarray, k: int) -> Callable[[np.ndarray], np.ndarray]:
    """Accuracy, balanced accuracy, then precision, recall, F1, one-vs-rest balanced accuracy and one-vs-rest
    accuracy of classes 1..k-1, of row weights.

    ``r``, ``p``: merged labels 0..k-1 (0: outside the merge), as :func:`accuracy_scores` and
    :func:`starclass.evaluate.metrics.per_class_table` count them (the one-vs-rest figures over every row
    given, as that table counts them over its rows).
    """
    code = np.asarray(r, dtype=np.int64) * k + np.asarray(p, dtype=np.int64)

    def figs(w: np.ndarray) -> np.ndarray:
        c = np.bincount(code, weights=w, minlength=k * k).reshape(k, k)
        inner = c[1:, 1:]
        rows = inner.sum(axis=1)
        present = rows > 0
        total = inner.sum()
        n_all = c.sum()
        with np.errstate(invalid="ignore", divide="ignore"):
            acc = np.trace(inner) / total if total else np.nan
            bal = np.mean(np.diag(inner)[present] / rows[present]) if present.any() else np.nan
            tp = np.diag(c)[1:]
            n_ref, n_pred = c.sum(axis=1)[1:], c.sum(axis=0)[1:]
            prec = np.where(n_pred > 0, tp / n_pred, np.nan)
            rec = np.where(n_ref > 0, tp / n_ref, np.nan)
            f1 = np.where(n_ref + n_pred > 0, 2 * tp / (n_ref + n_pred), np.nan)
            # "class k or not": the true negatives are the rows neither of k nor called k
            tn = n_all - n_ref - n_pred + tp
            n_neg = n_all - n_ref
            ovr_bal = np.where((n_ref > 0) & (n_neg > 0), 0.5 * (rec + tn / n_neg), np.nan)
            ovr_acc = (tp + tn) / n_all if n_all else np.full(k - 1, np.nan)
        return np.concatenate([[acc, bal], prec, rec, f1, ovr_bal, ovr_acc])

    return figs


def _rankings_of_weights(fns: list[Callable[[np.ndarray], np.ndarray]],
                         n_classes: int) -> Callable[[np.ndarray], np.ndarray]:
    """Every class's ROC AUC, then every class's average precision, of row weights; again for each further set
    of ``n_classes`` rankings (the raw probabilities'). ``fns``: each class's
    :func:`~starclass.evaluate.bootstrap.ranking_figures`."""

    def figs(w: np.ndarray) -> np.ndarray:
        return np.array([g(w) for g in fns]).reshape(-1, n_classes, 2).transpose(0, 2, 1).ravel()

    return figs


#: the per-class figures given a bootstrap interval, in the per-class tables (``<figure>_lo``, ``_hi``), in the
#: order :func:`_per_class_figures` gives them (the one-vs-rest ones had none until 2026-12-05)
PER_CLASS_INTERVALS = ("precision", "recall", "f1", OVR_BALANCED_ACCURACY, OVR_ACCURACY)


def _bootstrap(out: Comparison, cr: np.ndarray, cp: np.ndarray, task: EvalTask, n_boot: int,
               objects: np.ndarray | None, probs: np.ndarray | None,
               trust_rows: np.ndarray | None, raw: np.ndarray | None = None,
               by_figs: Sequence[tuple[str, GroupFigures]] = (),
               by_cis: dict[str, tuple[np.ndarray, np.ndarray]] | None = None, progress: bool | None = False,
               desc: str = "bootstrap") -> tuple[dict | None, str | None]:
    """95% intervals of every figure from one set of resamples; ``objects``: each row's object (resampled whole).

    Accuracy and balanced accuracy per merge are returned as before (for the summary table);
    precision, recall and F1 per class of each merge go into its per-class table, ROC AUC and
    average precision per class (and on ``raw``, the ``prob_<k>_raw``, where the areas have
    ``roc_auc_raw``) into each curve set's areas, the threshold for the target purity
    (chosen again on each resample) and purity, recall and F1 at it into each threshold study's
    ``chosen`` (``<figure>_lo``, ``_hi``), ECE and Brier into the trust study. A figure defined on
    too few resamples gets no interval (masked), said in the notes; where the accuracies have
    none, nothing has (one note, as before). Each ``by_figs`` table's figures
    (:class:`starclass.evaluate.groups.GroupFigures`) are scored too and their intervals put in
    ``by_cis`` (``--by`` column -> lo, hi), for the caller to fill in. ``progress``, ``desc``: of the
    resamples, as :func:`~starclass.evaluate.bootstrap.bootstrap_figures`.
    """
    from starclass.evaluate.bootstrap import (
        NO_SPREAD_NOTE,
        bootstrap_figures,
        ece_interval,
        group_codes,
        ranking_figures,
        settle_zero_width,
        too_few_defined,
    )
    from starclass.evaluate.metrics import merge_groups, merge_labels, merged_names
    from starclass.evaluate.reliability import _bin_index, _debiased_of_bins

    n = len(cr)
    parts: list[tuple[str, int, Callable[[np.ndarray], np.ndarray]]] = []
    for merge, groups in task.merges.items():
        k = len(merged_names(merge, groups)) + 1
        parts.append((f"merge {merge}", 2 + len(PER_CLASS_INTERVALS) * (k - 1),
                      _per_class_figures(merge_labels(cr, merge, groups), merge_labels(cp, merge, groups), k)))
    if probs is not None:
        for cs in out.curves:
            if cs.areas is None:
                continue
            scores = curves.group_scores(probs, cs.merge, task.classes, task.merges[cs.merge])
            members = merge_groups(cs.merge, task.merges[cs.merge])
            fns = [ranking_figures(np.isin(cr, members[str(label)]), scores[str(label)])
                   for label in cs.areas["class"]]
            if raw is not None and "roc_auc_raw" in cs.areas.colnames:
                # the same figures on prob_<k>_raw (given where the calibrated ones tie ranks), same resamples
                raw_scores = curves.group_scores(raw, cs.merge, task.classes, task.merges[cs.merge])
                fns += [ranking_figures(np.isin(cr, members[str(label)]), raw_scores[str(label)])
                        for label in cs.areas["class"]]
            # every class's ROC AUC, then every class's average precision (then the same on the raw ones)
            parts.append((f"auc {cs.merge}", 2 * len(fns), _rankings_of_weights(fns, len(cs.areas))))
    for j, st in enumerate(out.thresholds):
        if st.chosen is not None and st.y is not None:
            # the threshold chosen again on each resample, and purity, recall and F1 at it
            parts.append((f"threshold {j}", len(threshold.PURITY_CHOICE_FIGURES),
                          threshold.purity_choice_of_weights(st.y, st.score, st.chosen["target"])))
    if out.trust is not None and trust_rows is not None and probs is not None:
        lut = {int(c): j for j, c in enumerate(task.classes)}
        tp_ = probs[trust_rows]
        ty = np.array([lut[int(v)] for v in cr[trust_rows]], dtype=np.int64)
        conf = tp_.max(axis=1)
        correct = (tp_.argmax(axis=1) == ty).astype(np.float64)
        b = _bin_index(conf, out.trust.n_bins)
        onehot = np.zeros_like(tp_)
        onehot[np.arange(len(ty)), ty] = 1.0
        term = np.sum((tp_ - onehot) ** 2, axis=1)
        nb = out.trust.n_bins
        rows = np.flatnonzero(trust_rows) if trust_rows.dtype == bool else np.asarray(trust_rows)

        def calib(w: np.ndarray, rows=rows, b=b, conf=conf, correct=correct, term=term, nb=nb) -> np.ndarray:
            wt = w[rows]
            tot = wt.sum()
            if tot == 0:
                return np.array([np.nan, np.nan, np.nan])
            n_b = np.bincount(b, weights=wt, minlength=nb)
            right_b = np.bincount(b, weights=wt * correct, minlength=nb)
            conf_b = np.bincount(b, weights=wt * conf, minlength=nb)
            # ECE, Brier, and the debiased ECE whose interval is joined to the ECE's (below)
            return np.array([np.abs(right_b - conf_b).sum() / tot, np.sum(wt * term) / tot,
                             _debiased_of_bins(n_b, right_b, conf_b)])

        parts.append(("calibration", 3, calib))
    for j, (_, figs) in enumerate(by_figs):
        # each --by table's accuracy, recalls and ROC AUC per group
        parts.append((f"by {j}", figs.size, figs))

    def stat(w: np.ndarray) -> np.ndarray:
        return np.concatenate([np.atleast_1d(f(w)) for _, _, f in parts])

    # the ECE is biased upwards at small n, its resamples more so: a percentile interval can lie wholly above
    # it (0.0832 [0.0854, 0.2214] on 64 PAndAS cutouts); the basic interval moves down by the resamples'
    # overshoot but held a population ECE of 0 in 66% of draws of 200 rows, so the ECE's interval joins it to
    # the debiased ECE's (bootstrap.debiased_interval: no bias taken off its upper end, whose basic form fell below
    # a miscalibrated model's ECE at 2,000 rows; 0.96-1.00 at 100-10,000 rows, docs/uncertainty.md). The Brier
    # score, a mean of per-row terms, keeps the percentile interval (half its resamples lie below it).
    points = np.full(sum(size for _, size, _ in parts), np.nan)
    debiased = np.zeros(points.size, dtype=bool)
    at = 0
    for name, size, fn in parts:
        if name == "calibration":
            whole = fn(np.ones(n))
            points[at], points[at + 2] = whole[0], whole[2]
            debiased[at + 2] = True
        at += size
    try:
        lo, hi, n_def = bootstrap_figures(stat, n, n_boot=n_boot, groups=objects, progress=progress, desc=desc,
                                          points=points, debiased=debiased)
    except StarclassError as exc:
        # "bootstrap_ci: need at least 2 objects": the function's name is no part of what the user is told
        return None, no_intervals_note(str(exc).removeprefix("bootstrap_ci: "))
    floor = max(10, n_boot // 10)
    cis: dict[str, dict[str, tuple[float, float]]] = {}
    at = 0
    undefined: list[str] = []
    unreached: list[str] = []  # threshold studies whose target few resamples reach
    by_merge = {r.merge: r for r in out.results}
    settled: set[str] = set()  # figures whose zero-width interval was replaced (settle_zero_width), for the notes
    codes = np.arange(n) if objects is None else group_codes(objects)
    for name, size, fn in parts:
        l_, h_, d_ = lo[at:at + size], hi[at:at + size], n_def[at:at + size]
        at += size
        kind, _, merge = name.partition(" ")
        if kind == "merge":
            if not np.isfinite(l_[:2]).all():
                # the accuracies undefined on most resamples: no interval at all, as before
                # said by the rule: "defined on only 5 of 5 resamples" blamed the data for --bootstrap 5
                return None, no_intervals_note(too_few_defined(int(d_[:2].min()), n_boot, "the accuracies"))
            l_, h_ = _settle_proportions(fn(np.ones(n)), l_, h_, cr, cp, task, merge, codes, settled)
            cis[merge] = {"accuracy": (float(l_[0]), float(h_[0])), "balanced_accuracy": (float(l_[1]), float(h_[1]))}
            table = by_merge[merge].per_class
            kk = len(table)
            for j, fig in enumerate(PER_CLASS_INTERVALS):
                sl = slice(2 + j * kk, 2 + (j + 1) * kk)
                _interval_columns(table, fig, l_[sl], h_[sl], d_[sl], undefined, f"{merge} class ", f" {fig}")
        elif kind == "auc":
            cs = next(c for c in out.curves if c.merge == merge)
            kk = len(cs.areas)
            figs = [("roc_auc", "ROC AUC"), ("average_precision", "average precision")]
            if size == 4 * kk:
                figs += [("roc_auc_raw", "ROC AUC on prob_<k>_raw"),
                         ("average_precision_raw", "average precision on prob_<k>_raw")]
            # an area the same on every resample (a class ranked without a mistake on a few objects): no interval
            l_, h_, flat = settle_zero_width(fn(np.ones(n)), l_, h_)
            if flat.any():
                settled.add("area")
            for j, (fig, said) in enumerate(figs):
                sl = slice(j * kk, (j + 1) * kk)
                _interval_columns(cs.areas, fig, l_[sl], h_[sl], d_[sl], undefined, f"{merge} {said} of class ", "")
        elif kind == "by":
            if by_cis is not None:
                by_cis[by_figs[int(merge)][0]] = (l_, h_)
        elif kind == "threshold":
            st = out.thresholds[int(merge)]
            # the four are defined on the same resamples (those on which some threshold reaches the target)
            if not np.isfinite(l_).all():
                # its own note: what is missing on the other resamples is a threshold reaching the target, not a class
                unreached.append(f"no 95% interval for the threshold for {st.chosen['target']:.0%} purity of class "
                                 f"{st.label} and the purity, recall and F1 at it: a threshold reaches the target "
                                 f"(with at least {threshold.MIN_SELECTED} selected) on only {int(d_.min())} of "
                                 f"the {n_boot} resamples (at least {floor} needed)")
                continue
            for fig, lo_, hi_ in zip(threshold.PURITY_CHOICE_FIGURES, l_, h_):
                st.chosen[f"{fig}_lo"], st.chosen[f"{fig}_hi"] = float(lo_), float(hi_)
        else:
            out.trust.ece_ci = ece_interval((l_[0], h_[0]), (l_[2], h_[2]))
            out.trust.brier_ci = None if not np.isfinite(l_[1]) else (float(l_[1]), float(h_[1]))
    if undefined:
        out.notes.append(f"no 95% interval for {', '.join(undefined)}: defined on too few of the {n_boot} resamples "
                         f"(at least {floor} needed; a class that few resamples draw)")
    out.notes.extend(unreached)
    if "proportion" in settled:
        out.notes.append("an accuracy, precision or recall the same on every resample has the 95% Wilson interval on "
                         f"the {'objects' if objects is not None else 'rows'} behind it instead of the bootstrap's")
    if "area" in settled:
        out.notes.append(f"no 95% interval for a ROC AUC or average precision where {NO_SPREAD_NOTE}")
    return cis, None


def _settle_proportions(values: np.ndarray, lo: np.ndarray, hi: np.ndarray, cr: np.ndarray, cp: np.ndarray,
                        task: EvalTask, merge: str, codes: np.ndarray,
                        settled: set[str]) -> tuple[np.ndarray, np.ndarray]:
    """Zero-width intervals of one merge's accuracy, precisions and recalls -> Wilson's on their objects.

    ``values``, ``lo``, ``hi``: :func:`_per_class_figures`' layout (accuracy, balanced accuracy,
    precision, recall, F1, one-vs-rest balanced accuracy, one-vs-rest accuracy of classes 1..k-1).
    The objects behind each: those scored (accuracy), predicted in the class (precision), of the
    class (recall), every one given (one-vs-rest accuracy); ``codes``: each row's object. The
    balanced accuracies and F1 are no proportions of objects: left as they are.
    """
    from starclass.evaluate.bootstrap import settle_zero_width
    from starclass.evaluate.metrics import merge_labels

    groups = task.merges[merge]
    r, p = merge_labels(cr, merge, groups), merge_labels(cp, merge, groups)
    kk = (len(values) - 2) // len(PER_CLASS_INTERVALS)
    objects = np.full(len(values), np.nan)  # NaN: not a proportion, left alone
    objects[0] = np.unique(codes[(r > 0) & (p > 0)]).size
    for j in range(kk):
        objects[2 + j] = np.unique(codes[p == j + 1]).size
        objects[2 + kk + j] = np.unique(codes[r == j + 1]).size
        objects[2 + 4 * kk + j] = np.unique(codes).size
    prop = np.isfinite(objects)
    new_lo, new_hi, rep = settle_zero_width(values[prop], lo[prop], hi[prop], objects=objects[prop])
    lo, hi = lo.copy(), hi.copy()
    lo[prop], hi[prop] = new_lo, new_hi
    if rep.any():
        settled.add("proportion")
    return lo, hi


def no_intervals_note(reason: str) -> str:
    """Why no figure has a bootstrap interval, as ``evaluate`` prints it and the report notes it.

    One wording for every case (no resamples asked for, too few objects to resample, accuracies
    undefined on most resamples): the report said "no bootstrap intervals: ..." where ``evaluate``
    said nothing.

    Parameters
    ----------
    reason
        What stopped the intervals.

    Returns
    -------
    str

    Examples
    --------
    >>> no_intervals_note("need at least 2 objects (groups), got 1")
    'no bootstrap intervals: need at least 2 objects (groups), got 1'
    """
    return f"no bootstrap intervals: {reason}"


def _interval_columns(table: Table, fig: str, lo: np.ndarray, hi: np.ndarray, n_def: np.ndarray,
                      undefined: list[str], before: str, after: str) -> None:
    """Add ``<fig>_lo``, ``<fig>_hi`` to ``table`` after its ``<fig>`` column, masked where undefined.

    A figure undefined on the data itself (a masked precision: nothing predicted in the class)
    has no interval either; one defined on the data but on too few resamples is named in
    ``undefined`` (``before`` class ``after``), for the note.
    """
    vals = np.ma.filled(np.ma.asarray(table[fig], dtype=np.float64), np.nan)
    value_missing = ~np.isfinite(vals)
    bad = ~np.isfinite(lo) | value_missing
    for j in np.flatnonzero(~np.isfinite(lo) & ~value_missing):
        undefined.append(f"{before}{table['class'][j]}{after} (on {int(n_def[j])})")
    at = table.colnames.index(fig) + 1
    for suffix, vals in (("_lo", lo), ("_hi", hi)):
        col = MaskedColumn(np.where(bad, 0.0, vals), mask=bad, name=fig + suffix, format=".3f")
        table.add_column(col, index=at)
        at += 1


def _objects(pred: Table, ref: Table, rows_p: np.ndarray, rows_r: np.ndarray, column: str,
             names: tuple[str, str], said: str = "--group-column") -> tuple[np.ndarray, str]:
    """The object of each scored row (column ``column`` of ``pred``, else of ``ref``) and the line saying so.

    Several cutouts of one object (PAndAS: 869 cutouts of 755 objects) are not independent: the
    bootstrap resamples the objects whole (:func:`starclass.evaluate.bootstrap.bootstrap_ci`).
    ``said``: where the column came from, as the messages name it (``--group-column``, or the model's
    object column when the user named none).
    """
    found = [(t, r, n) for t, r, n in ((pred, rows_p, names[0]), (ref, rows_r, names[1])) if column in t.colnames]
    if not found:
        raise StarclassError(f"group column {column!r} ({said}): neither {names[0]} nor {names[1]} has it "
                             f"({names[0]} columns: {', '.join(pred.colnames)})")
    tab, rows, name = found[0]
    col = tab[column]
    missing = np.ma.getmaskarray(col)[rows] | np.array([str(v).strip() in ("", "nan") for v in
                                                        np.asarray(col)[rows]], dtype=bool)
    if missing.any():
        bad = rows[missing]
        raise StarclassError(f"{name}: group column {column!r} ({said}) is empty on "
                             f"{counted(bad.size, 'scored row')} ({'row' if bad.size == 1 else 'rows'} "
                             f"{', '.join(str(int(i)) for i in bad[:5])}{' ...' if bad.size > 5 else ''}"
                             ", 0-based): every row needs its object")
    objects = np.asarray(col)[rows].astype(str)
    n_obj = int(np.unique(objects).size)
    # taken from the reference's paired rows (the prediction lacks it): said, as it was not the prediction's
    where = column if tab is pred else f"{column} of {name}"
    note = (f"95% intervals resample the {counted(n_obj, 'object')} ({where}), not the "
            f"{counted(objects.size, 'row')}" if n_obj < objects.size else
            f"95% intervals resample the {counted(n_obj, 'object')} ({where}: one row each)")
    return objects, note


def _quantity(pred: Table, ref: Table, q: str) -> tuple[np.ndarray, str, str] | None:
    """(values, 'pred' | 'ref', column name) of a quantity, or None."""
    for which, t in (("pred", pred), ("ref", ref)):
        if q == "magnitude":
            # a simulation's truth has mag_true_<band> only: the trend figures use it (magnitudes()), while this
            # said "agreement vs magnitude: no such column in either catalogue" beside them (until 2026-12-07)
            mags, kind = magnitudes(t)
            if mags:
                band = v_band(list(mags))
                col = mag_true_col(band) if kind else mag_col(band)
                return np.asarray(t[col], float), which, col
        elif q in t.colnames:
            return np.asarray(t[q], float), which, q
    return None


def _phangs_agreement(cp: np.ndarray, cr: np.ndarray, pred: Table, ref: Table, ia: np.ndarray, ib: np.ndarray,
                      both: np.ndarray, pname: str, rname: str, quantities: Sequence[str]) -> PhangsAgreement:
    af = agreement_fractions(cp, cr)
    keys = ("1", "2", "3", "4", "1+2")
    # identifiers: -r self's reference is named "prediction class_ref", which made the column
    # "n_prediction class_ref" (the caption said n_class_ref)
    at = Table(rows=[(k, af[k]["n_a"], af[k]["n_b"], af[k]["n_both"]) for k in keys],
               names=("class", *column_names([pname, rname], prefix="n_"), "n_both"))
    at["agreement"] = MaskedColumn([af[k]["fraction"] or 0.0 for k in keys],
                                   mask=[af[k]["fraction"] is None for k in keys], format=".3f")
    out = PhangsAgreement(at, af["mean"], symmetric_confusion(cp, cr))
    for q in quantities:
        got = _quantity(pred, ref, q)
        if got is None:
            what = ("a magnitude column (mag_<band>, or a simulation's mag_true_<band>)" if q == "magnitude"
                    else f"a column {q!r}")
            out.notes.append(f"agreement vs {q}: neither catalogue has {what}")
            continue
        vals, which, qname = got
        qv = vals[ia if which == "pred" else ib][both]
        try:
            bins, trends = agreement_vs(cp, cr, qv, nbins=4, quantity_name=qname)
        except StarclassError as exc:
            out.notes.append(f"agreement vs {qname}: {exc}")
            continue
        out.versus.append((qname, bins, trends))
    return out


#: How far a row's ``prob_<k>`` may sum from 1 and still be read as rounded probabilities: a CSV's three
#: decimals put five classes at most 0.0025 off.
PROB_SUM_TOLERANCE = 0.01


def probability_sum_note(probs: np.ndarray, rows: np.ndarray, name: str, classes: Sequence[int]) -> str | None:
    """What to say when the scored rows' probabilities do not sum to 1 (beyond rounding), else None.

    The ECE and its floor take the largest probability of a row as its confidence and draw classes
    from the row (:mod:`starclass.evaluate.reliability`), the Brier score sums the squared errors of
    every class: each reads the row as probabilities of the task's classes, which sum to 1. Rows
    summing to 1.6 (scores of their own, one sigmoid per class, or columns of another task) were scored
    so without a word. Sums within :data:`PROB_SUM_TOLERANCE` of 1 (rounded probabilities) are not said.

    Parameters
    ----------
    probs
        N x K probabilities of the scored rows.
    rows
        Each scored row's row in the catalogue (0-based), to name the first.
    name
        The catalogue, for the message.
    classes
        The task's classes (the columns ``prob_<k>``).

    Returns
    -------
    str or None

    Examples
    --------
    >>> p = np.array([[0.333, 0.333, 0.333], [0.9, 0.6, 0.1]])
    >>> probability_sum_note(p, np.array([0, 1]), "out.csv", (1, 2, 3))[:72]
    'out.csv: prob_1, prob_2, prob_3 of 1 scored row do not sum to 1 (row 2: '
    >>> probability_sum_note(p[:1], np.array([0]), "out.csv", (1, 2, 3)) is None
    True
    """
    sums = np.asarray(probs, dtype=np.float64).sum(axis=1)
    off = np.abs(sums - 1.0) > PROB_SUM_TOLERANCE
    if not off.any():
        return None
    first = int(np.flatnonzero(off)[0])
    cols = ", ".join(prob_col(k) for k in classes)
    return (f"{name}: {cols} of {counted(int(off.sum()), 'scored row')} do not sum to 1 (row "
            f"{int(rows[first]) + 1}: {sums[first]:.3f}): the ECE, its floor and the Brier score read each row as "
            "probabilities of the task's classes, which sum to 1; scores of their own (one per class) or "
            "another task's columns make them meaningless")


#: calibrated rows fewer than this share of the raw rows' distinct values: the ranks are tied (histogram binning)
TIED_SHARE = 0.5


def tied_ranks_note(probs: np.ndarray, raw: np.ndarray | None, method: str | None = None) -> str | None:
    """What to say when the calibrated probabilities tie many rows that the raw ones rank apart, else None.

    ROC AUC and average precision rank the rows by probability. Histogram binning (section 1c of
    docs/uncertainty.md) maps each class's probability to one of its bins' frequencies, so its
    ``prob_<k>`` take a few distinct values and rows of one bin tie: the areas on them are lower
    than on ``prob_<k>_raw`` (0.850 against 0.952 was reported), which ``class_pred`` and the threshold
    study use. The calibrated figures stay the reported ones (as the reliability and the conformal
    sets are on them); where ``raw`` is given and the calibrated rows have fewer than
    :data:`TIED_SHARE` of its distinct rows, the raw ones are given beside them, with this note.

    Parameters
    ----------
    probs, raw
        N x K calibrated (``prob_<k>``) and raw (``prob_<k>_raw``; None: absent) probabilities.
    method
        The calibration method the catalogue's meta names, for the note.

    Examples
    --------
    >>> raw = np.column_stack([np.linspace(0.01, 0.99, 40), np.linspace(0.99, 0.01, 40)])
    >>> tied_ranks_note(raw, raw) is None, tied_ranks_note(np.round(raw, 1), raw, "histogram")[:49]
    (True, 'prob_<k> (calibrated: histogram) take 11 distinct')
    """
    if raw is None or len(raw) == 0:
        return None
    n_cal, n_raw = len(np.unique(probs, axis=0)), len(np.unique(raw, axis=0))
    if n_cal >= TIED_SHARE * n_raw:
        return None
    how = f"calibrated: {method}" if method else "calibrated"
    return (f"prob_<k> ({how}) take {n_cal} distinct values on these {counted(len(probs), 'row')} where "
            f"prob_<k>_raw take {n_raw}: ROC AUC and average precision on them count the rows of one value as "
            "tied, which lowers them against the raw ranking that class_pred and the threshold use; both are "
            "given (roc_auc_raw and average_precision_raw in the ROC AUC table)")


def same_selection_threshold(raw: np.ndarray, calibrated: np.ndarray, threshold: float) -> float | None:
    """The threshold on ``calibrated`` that selects the rows ``raw >= threshold`` selects, or None if none does.

    A threshold on the raw probabilities (the scale ``classify --threshold`` applies) of a model with a
    high temperature reads as nonsense on the calibrated ones the catalogue shows (a raw 0.003 of a model at
    temperature 6); the calibrated one selecting the same rows is the smallest calibrated probability among
    them. A calibration that is not monotone on these rows (or ties a selected row with one left out) has
    no such threshold.

    Parameters
    ----------
    raw, calibrated
        The positive class's raw and calibrated probabilities, row by row.
    threshold
        The threshold on ``raw``.

    Returns
    -------
    float or None

    Examples
    --------
    >>> raw = np.array([0.001, 0.004, 0.2, 0.9])
    >>> cal = np.array([0.20, 0.28, 0.45, 0.60])  # the same order, squeezed towards 1/2
    >>> round(same_selection_threshold(raw, cal, 0.003), 3), same_selection_threshold(raw, cal[::-1], 0.003)
    (0.28, None)
    """
    selected = raw >= threshold
    if not selected.any():
        return None
    equivalent = float(np.min(calibrated[selected]))
    return equivalent if np.array_equal(calibrated >= equivalent, selected) else None


def _threshold_study(label: str, members: tuple[int, ...], y: np.ndarray, score: np.ndarray,
                     mags: np.ndarray | None, band: str | None, target_purity: float,
                     quantities: Mapping[str, np.ndarray] | None = None,
                     model_threshold: float | None = None, score_column: str | None = None,
                     shown: str | None = None, noun: str = "object",
                     catalogue: str = "the prediction", calibrated: np.ndarray | None = None,
                     score_of: str | None = None) -> ThresholdStudy:
    scan = threshold.threshold_scan(y, score)
    try:
        chosen, note = threshold.threshold_for_purity(y, score, target_purity, noun=noun), None
    except StarclassError as exc:
        # name the class (``shown``: its number and the task's name): a five-class task prints one such line per class
        chosen, note = None, f"threshold for {target_purity:.0%} purity of class {shown or label}: {exc}"
    study = ThresholdStudy(label, members, scan, chosen, note, score_column=score_column, y=np.asarray(y, dtype=bool),
                           score=np.asarray(score, dtype=float), score_of=score_of)
    if chosen is not None and calibrated is not None:
        study.calibrated_threshold = same_selection_threshold(np.asarray(score, float), np.asarray(calibrated, float),
                                                              float(chosen["threshold"]))
    # the selection a user got is the one classify made: where the catalogue records the model's
    # threshold (e.g. chosen on validation data by train --target-purity), the trends show that
    # selection, as the M31 paper's figures do; else the one chosen here for the target purity
    if model_threshold is not None:
        thr, study.trend_threshold_source = float(model_threshold), "model"
        study.trend_threshold_text = f"{thr:.3f}"
    else:
        thr = chosen["threshold"] if chosen else 0.5
        study.trend_threshold_text = str(chosen.get("shown") or f"{thr:.3f}") if chosen else f"{thr:.3f}"
    for qname, values in (quantities or {}).items():
        try:
            study.trends.append((qname, threshold.metrics_vs_quantity(y, score, values, thr, name=qname)))
        except StarclassError as exc:
            # exc names the quantity ("metrics against size (ci): 2 finite values, ..."): said once
            study.trend_notes.append(f"{exc}; no figure or table of it")
    if mags is None:
        # the catalogue by its name ("the prediction has no magnitude column" named a human catalogue so)
        study.magnitude_note = f"metrics against magnitude: {catalogue} has no magnitude column"
        return study
    try:
        study.magnitude = threshold.metrics_vs_magnitude(y, score, mags, thr)
        study.magnitude_band, study.magnitude_threshold = band, thr
    except StarclassError as exc:
        study.magnitude_note = f"metrics against magnitude: {exc}"
    return study


def compare(pred: Table, ref: Table, task: EvalTask, *, pred_name: str = "prediction", ref_name: str = "reference",
            ref_is_pred: bool = False, radius: float = 2.0, n_boot: int = 200, target_purity: float = 0.8,
            quantities: Sequence[str] = ("magnitude", "crowding", "bkg"), by: Sequence[str] = (),
            by_min_rows: int = 10, allow_few_matches: bool = False,
            columns: tuple[str, str] | None = None, group_column: str | None = None,
            sources: tuple[str, str] | None = None, group_said: str = "--group-column",
            progress: bool | None = False, rows_not_objects: bool = False,
            pred_label: str | None = None, light_from: str | None = None) -> Comparison:
    """Every metric of one prediction against one reference, for the task's class scheme.

    Parameters
    ----------
    pred, ref
        Classified catalogue and reference (``ref`` may be ``pred`` itself with
        ``ref_is_pred=True``: its ``class_ref`` is the reference, paired row by row).
    task
        The class scheme (:func:`starclass.evaluate.task.resolve_task`).
    radius
        One-to-one matching radius in pixels.
    n_boot
        Bootstrap resamples for the 95% intervals of every figure (accuracies; precision, recall
        and F1 per class; ROC AUC and average precision per class; the threshold for
        ``target_purity``, chosen again on each resample, and the purity, recall and F1 at it; ECE
        and Brier; ROC AUC and average precision on ``prob_<k>_raw`` where they are given; the ``by``
        tables' recall per class and ROC AUC, and their accuracy where ``group_column`` is given), all
        from the same resamples; 0: none.
    target_purity
        Purity for the threshold choice.
    quantities
        Columns for the PHANGS agreement-vs-quantity study ("magnitude" = the V band).
    by
        Columns of ``pred`` (else of ``ref``) to split the paired rows by: accuracy, errors and
        recall per group, and ROC AUC for a binary task
        (:func:`starclass.evaluate.groups.metrics_by_group`), in ``Comparison.by``.
    by_min_rows
        Two or more groups with fewer paired rows are pooled into one ``(other ...)`` row (a single
        one keeps its name).
    allow_few_matches
        Score a positional match that pairs under :data:`FEW_PAIRS_SHARE` of the smaller table
        (refused otherwise: :func:`pairing`).
    columns
        With ``ref_is_pred``: the two columns compared as the user named them (``class_joint``,
        ``class_ref``), for :meth:`Comparison.heading`.
    group_column
        Column of ``pred`` (else of ``ref``) naming each row's object (``object_id`` of a cutout
        folder with several cutouts of one object): the bootstrap intervals resample whole objects
        (:func:`starclass.evaluate.bootstrap.bootstrap_ci`), said in ``Comparison.interval_note``.
        None: every row is an object.
    sources
        How messages name the prediction and the reference (their files); default ``pred_name``, ``ref_name``.
    group_said
        Where ``group_column`` came from, as messages name it: ``--group-column``, or words saying it is
        the model's object column (:func:`evaluate_catalogs` names it so when the user named none).
    progress
        Of the bootstrap's resamples: True a bar, None timed lines (``report``'s log), False nothing;
        called ``bootstrap (<prediction> vs <reference>)``.
    pred_label
        How headings name ``pred`` where not ``pred_name`` (:attr:`Comparison.pred_label`; :func:`evaluate_catalogs`
        gives its file's stem).
    rows_not_objects
        True where the rows may not be objects (no ``group_column``, but a column like ``id`` repeats:
        :func:`_ungrouped_column`): messages and counts call them rows, as they do where
        ``group_column`` shows several rows of one object; kept in ``Comparison.rows_not_objects``.
    light_from
        Where ``ref``'s ``x_light``, ``y_light`` were taken from another table (a simulated truth:
        :func:`starclass.evaluate.matching.with_light_of`), how messages name it: the pairing rule says so.

    Returns
    -------
    Comparison

    Raises
    ------
    StarclassError
        A ``by`` column that neither catalogue has (naming the column and the columns there are);
        a ``group_column`` that neither has, or that is empty on a scored row.

    Warns
    -----
    UserWarning
        When the prediction puts every scored object in one class (its accuracy is then the
        share of that class); the warning says whether its probabilities are constant too (ROC
        AUC 0.5, average precision the class share) or still vary (the areas rank them as usual).

    Examples
    --------
    >>> t = Table({"class_pred": [1, 2, 2, 1], "class_ref": [1, 2, 1, 1],
    ...            "prob_1": [0.9, 0.2, 0.4, 0.7], "prob_2": [0.1, 0.8, 0.6, 0.3]})
    >>> c = compare(t, t, EvalTask.from_classes((1, 2), positive_class=1), ref_is_pred=True, n_boot=0)
    >>> c.accuracies(), float(c.curves[0].areas["roc_auc"][0])
    ({'2class': 0.75}, 1.0)
    """
    check_n_boot(n_boot)  # the bound of --bootstrap (the radius is the matcher's)
    # the messages name the catalogue as the headings do (its file's stem): "prediction puts all 40 paired
    # objects in class 1" was said above "class_pred vs class_ref in out" of one file; -r self's reference too
    pname = pred_label or pred_name
    rname = (f"{pred_label}{ref_name[len(pred_name):]}" if pred_label and ref_is_pred
             and ref_name.startswith(pred_name) else ref_name)
    ia, ib, paired_by = pairing(pred, ref, ref_is_pred, radius, (pname, rname), allow_few=allow_few_matches,
                                sources=sources, light_from=light_from)
    pcol = class_column(pred, CLASS_PRED, pred_name)
    rcol = CLASS_REF if ref_is_pred else class_column(ref, CLASS_REF, ref_name)
    cp_all = task_labels(pred, pcol, task, pname)
    cr_all = task_labels(ref, rcol, task, rname)
    cp, cr = cp_all[ia], cr_all[ib]
    both = (cp > 0) & (cr > 0)
    if not both.any():
        # which side has no class says what to do: a classify --stamps output of labels its task does
        # not know has class_ref 0 on every row, and "none is classified in both" did not say so
        why = ""
        if (cp > 0).any() and not (cr > 0).any():
            why = (f" ({rname} gives no row a reference class: {rcol} is 0 everywhere; for a cutout folder whose "
                   "labels the model's task does not know, give --label-column label and --task with a label_map "
                   "that maps them)")
        elif (cr > 0).any() and not (cp > 0).any():
            why = f" ({pname} classifies no row: {pcol} is 0 everywhere)"
        raise StarclassError(f"{pname} and {rname}: {counted(ia.size, 'object')} "
                             f"{'pairs' if ia.size == 1 else 'pair'} up "
                             f"but none is classified in both{why}")
    labels_from = (pred if ref_is_pred else ref).meta.get(LABELS_READ_FROM)
    n_without_task_label = int((cr == 0).sum()) if labels_from else 0
    cp, cr = cp[both], cr[both]
    results = [classification_summary(cr, cp, merge, groups) for merge, groups in task.merges.items()]
    notes: list[str] = []
    objects, interval_note = (_objects(pred, ref, ia[both], ib[both], group_column, sources or (pname, rname),
                                       group_said) if group_column is not None else (None, None))
    titles = {m: task.merge_title(m) for m in task.merges}
    # the intervals are drawn at the end, once every figure they cover (ROC AUC, ECE, Brier) is computed
    out = Comparison(pred_name, ref_name, paired_by, int(ia.size),
                     int(both.sum()), results, summary_table(results, None, titles), notes, columns=columns,
                     pairs=(ia, ib), n_objects=None if objects is None else int(np.unique(objects).size),
                     rows_not_objects=rows_not_objects, pred_label=pred_label,
                     n_without_task_label=n_without_task_label)
    # a warning given here (every row in one class, no threshold for the purity) called cutouts of one object
    # "objects" before the caller learnt the rows were not objects: the noun is settled first
    noun = "row" if rows_not_objects or (out.n_objects is not None and out.n_objects < int(both.sum())) else "object"
    if not ref_is_pred:
        # a LEGUS NGC 1566 reference's class_ref is, on its class_method 0 rows, a machine's class: a model scored
        # against it was scored in part against another classifier, and nothing said so (train and
        # evaluate --catalogs did)
        out.reference_note = machine_reference_note(ref, ib[both], rname)
        if out.reference_note:
            notes.append(out.reference_note)
    probs = trust_rows = raw_probs = None
    by_figs: list[tuple[str, GroupFigures]] = []
    used = np.unique(cp)

    # only the rows scored here must have finite probabilities: classify leaves NaN (class_pred 0)
    # where it could not classify (a blank cutout, a candidate off the image)
    scored = np.zeros(len(pred), dtype=bool)
    scored[ia[both]] = True
    probs_all = curves.prob_matrix(pred, task.classes, rows=scored)
    if used.size == 1:
        # what its ROC AUC means, from its own probabilities: "constant probabilities give ROC AUC 0.5" was said
        # also of varying ones, whose AUC ranks them as any model's does (0.9 is possible with one class predicted)
        kept = None if probs_all is None else probs_all[ia][both]
        if kept is None:
            auc_said = "it has no probabilities, so no ROC AUC"
        elif float(np.ptp(kept, axis=0).max()) == 0.0:
            auc_said = ("its probabilities are constant too, so its ROC AUC is 0.5 and its average precision the "
                        "share of the class")
        else:
            auc_said = ("its probabilities still vary, so its ROC AUC and average precision rank them as for any "
                        "model (0.5 only for constant probabilities)")
        # a catalogue scored against its own labels (-r self, --label-column: a classified cutout list) pairs
        # nothing: "paired objects" read as if a second catalogue had been matched to it
        rows = counted(cp.size, ("labelled " if ref_is_pred else "paired ") + noun)
        msg = (f"{pname} puts all {rows} in class {int(used[0])}: its accuracy is only the share of that class in "
               f"{rname}; {auc_said}")
        warnings.warn(msg, UserWarning, stacklevel=2)
        out.notes.append(msg)
    if probs_all is None:
        out.notes.append(f"{pname} has no {', '.join(f'prob_{k}' for k in task.classes)} columns: "
                         "no ROC, precision-recall or threshold study.")
    else:
        probs = probs_all[ia][both]
        # named by its file, as the other messages of the catalogue's rows name it
        if (said := probability_sum_note(probs, ia[both], (sources or (pname, rname))[0], task.classes)) is not None:
            warnings.warn(said, UserWarning, stacklevel=2)
            out.notes.append(said)
        try:
            raw_all = curves.prob_matrix(pred, task.classes, rows=scored,
                                         columns=[prob_raw_col(k) for k in task.classes])
        except StarclassError:  # raw columns with gaps: the calibrated figures alone, as before
            raw_all = None
        raw = raw_probs = raw_all[ia][both] if raw_all is not None else None
        out.ranking_note = tied_ranks_note(probs, raw, pred.meta.get("calibration_method"))
        curve_merges = [m for m in task.merges if m in ("4class", "12v34")] if task.phangs_like else list(task.merges)
        for merge in curve_merges:
            groups = task.merges[merge]
            only = (str(task.positive),) if task.is_binary and merge == list(task.merges)[0] else None
            # a two-group merge of a task of its own (a five-class task's binary cluster vs non-cluster) drew both
            # curves, the second the first's mirror with the same AUC: its first group alone, as a binary task's
            pair = not only and not task.phangs_like and len(groups) == 2
            if pair:
                only = (str(list(groups)[0]),)
            roc, pr, skipped = curves.one_vs_rest(cr, probs, merge, task.classes, groups, only=only)
            title = (f"{merge}: {only[0]} vs {list(groups)[1]}" if pair else
                     f"{merge}: class {only[0]} ({task.class_names[task.classes.index(task.positive)]}) vs rest"
                     if only else f"{merge}: one vs rest")
            areas = curves.curve_summary(roc, pr) if roc else None
            if areas is not None and out.ranking_note:
                # the same curves on the raw probabilities, beside (not instead of) the calibrated ones' areas
                raw_areas = curves.curve_summary(*curves.one_vs_rest(cr, raw, merge, task.classes, groups,
                                                                     only=only)[:2])
                by_class = {str(r["class"]): r for r in raw_areas}
                for col in ("roc_auc", "average_precision"):
                    areas[f"{col}_raw"] = [by_class[str(k)][col] for k in areas["class"]]
                    areas[f"{col}_raw"].format = ".3f"
            out.curves.append(CurveSet(merge, title, roc, pr, skipped, areas))
        if out.ranking_note:
            out.notes.append(out.ranking_note)
        out.scores = curves.score_distributions(cp, probs, task.classes)
        out.score_quantiles = curves.score_quantiles(out.scores)
        # measured magnitudes, else (a simulated truth classified as it is) the true ones
        pmags, kind = magnitudes(pred)
        band = v_band(list(pmags)) if pmags else None
        mags = pmags[band][ia][both] if band else None
        band = f"{band}{kind}" if band else None
        quants = {k: v[ia][both] for k, v in selection_quantities(pred).items()}
        # a quantity only the reference has (e.g. a simulated truth's r_gal beside detections'
        # predictions) is still the paired object's: take it from the reference rows
        for k, v in selection_quantities(ref).items():
            quants.setdefault(k, v[ib][both])
        if X in quants or Y in quants:
            # each field's x, y are pixels of its own mosaics: pooled, "purity against x" binned field a's
            # column 100 with field b's, an axis that means nothing (until 2026-12-07)
            out.positions_note = positions_note(pred, ref, ia[both], ib[both])
            if out.positions_note:
                quants.pop(X, None)
                quants.pop(Y, None)
                out.notes.append(out.positions_note)
        model_thr, model_pos = pred.meta.get("threshold"), pred.meta.get("positive_class")
        named = class_labels(task.classes, task.class_names)
        for label, members in task.selections():
            y = np.isin(cr, members)
            score = probs[:, [task.classes.index(m) for m in members]].sum(axis=1)
            # classify's threshold applies to P(positive class) of a binary model: this selection only
            use = (model_thr is not None and model_pos is not None and task.is_binary
                   and tuple(int(m) for m in members) == (int(model_pos),) and np.isfinite(float(model_thr)))
            score_column = None
            raw = prob_raw_col(int(members[0])) if len(members) == 1 else None
            if task.is_binary and task.positive is not None and members == (task.positive,) \
                    and raw in pred.colnames:
                # classify thresholds the raw probabilities and then writes calibrated prob_<k>
                # (the raw ones as prob_<k>_raw): its selection is raw >= threshold. The
                # threshold for the target purity is chosen on that scale too, so that the
                # number printed can be given to classify --threshold (on prob_<k> it was not
                # the one classify would apply: 0.523 calibrated is 0.534 raw at temperature 1.5)
                calibrated, score, score_column = score, np.asarray(pred[raw], float)[ia][both], raw
            else:
                calibrated = None
            scored_from = pred.meta.get(SCORED_PROBABILITIES)
            out.thresholds.append(_threshold_study(label, members, y, score, mags, band, target_purity, quants,
                                                   float(model_thr) if use else None, score_column,
                                                   shown=named.get(int(label)) if label.isdigit() else None,
                                                   noun=noun, catalogue=out.pred_label or "the prediction",
                                                   calibrated=calibrated,
                                                   score_of=None if scored_from is None else " + ".join(
                                                       probability_columns(str(scored_from), members))))
        out.trust = _trust(pred, task, probs, cp, cr, ia[both], out.notes)
        trust_rows = _trust_rows(task, probs, cr)
    if task.phangs_like:
        # two columns of one catalogue (-r self) are named by their columns, as the caption names them
        out.agreement = _phangs_agreement(cp, cr, pred, ref, ia, ib, both, *(columns or (pred_name, ref_name)),
                                          quantities)
    for col in by:
        if col in pred.colnames:
            values = pred[col][ia[both]]
        elif col in ref.colnames:
            values = ref[col][ib[both]]
        else:
            from starclass.schema import SUGGEST_BY as BY

            # 'evaluate --by entropy' is suggest's --by (a ranking score) given here: said which is which
            other = (f" ({col!r} is a score that suggest --by ranks candidates by; evaluate and report --by take "
                     "a column to split the metrics by)") if col in BY else ""
            raise StarclassError(f"no column {col!r} (--by) in {pname} or {rname}{other}; {pname} has: "
                                 f"{', '.join(pred.colnames)}")
        score = pos = None
        if task.is_binary and out.scores is not None:
            # the positive class's probability, as the ROC curves above score it
            pos = int(task.positive)
            score = probs[:, task.classes.index(pos)]
        # rows of one object (group_column) are not independent: the accuracy intervals resample the objects whole
        # (Wilson's without one); every interval comes from the resamples below, drawn once for every figure
        tab, bin_note, figs = group_table(cr, cp, values, task.classes, score=score, positive=pos,
                                          min_rows=by_min_rows, wilson=objects is None)
        out.by[col] = (tab, bin_note)
        by_figs.append((col, figs))
    by_cis: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    cis, boot_note = (_bootstrap(out, cr, cp, task, n_boot, objects, probs, trust_rows, raw_probs, by_figs, by_cis,
                                 # named as the headings and the lines below name the comparison: for -r self
                                 # it read "bootstrap (prediction vs prediction class_ref)"
                                 progress=progress, desc=f"bootstrap ({out.heading()})")
                      if n_boot > 0 else (None, no_intervals_note("0 resamples asked for (--bootstrap 0)")))
    out.no_intervals = boot_note
    for col, figs in by_figs:
        tab = out.by[col][0]
        lo, hi = by_cis.get(col, (None, None))
        settled = figs.fill(tab, lo, hi, accuracy=objects is not None, objects=objects)
        set_interval_notes(tab, *interval_notes(len(cr), n_boot, objects=objects, object_column=group_column,
                                                failure=None if col in by_cis else boot_note),
                           settled=settled, objects=object_noun(objects, group_column))
    if boot_note or interval_note:
        out.notes.insert(0, boot_note or interval_note)  # first, where the accuracies' note always stood
    if cis:
        out.summary = summary_table(results, cis, titles)
        out.interval_note = interval_note
    _name_class_rows(out, task)
    return out


def with_class_names(table: Table | None, task: EvalTask, column: str = "class") -> Table | None:
    """``table`` with a ``name`` column after ``column``: the task's name of each row's class.

    Rows whose ``column`` is not one of the task's class numbers (``all``, a merged group
    ``1+2``) get an empty name. A table that has a ``name`` column already, or no ``column``, is
    returned as it is.

    Parameters
    ----------
    table
        A table with one row per class (per-class metrics, ROC AUC, coverage, score quartiles).
    task
        The task whose ``class_names`` name the rows.
    column
        The column holding the class numbers.

    Returns
    -------
    astropy.table.Table or None
        The same table object, changed in place (None stays None).

    Examples
    --------
    >>> t = Table({"class": ["1", "2", "all"], "n": [3, 4, 7]})
    >>> task = EvalTask.from_classes((1, 2), class_names=["star", "galaxy"])
    >>> with_class_names(t, task)["name"].tolist()
    ['star', 'galaxy', '']
    """
    if table is None or column not in table.colnames or "name" in table.colnames:
        return table
    names = {str(k): n for k, n in zip(task.classes, task.class_names)}
    table.add_column([names.get(str(v).strip(), "") for v in table[column]], name="name",
                     index=table.colnames.index(column) + 1)
    return table


def _name_class_rows(out: Comparison, task: EvalTask) -> None:
    """Name the task's classes in the per-class tables of ``out`` (they held the class numbers alone).

    The report's and ``evaluate``'s per-class, ROC AUC, score-quartile and coverage tables of a task
    whose classes are 1 (star) and 2 (galaxy) said only "1" and "2"; merged groups keep their own
    labels (``cluster``, ``1+2``), which are names already.
    """
    own = list(task.merges)[0]
    for r in out.results:
        if r.merge == own:
            with_class_names(r.per_class, task)
    for cs in out.curves:
        if cs.merge == own:
            with_class_names(cs.areas, task)
    with_class_names(out.score_quantiles, task, "class_pred")
    if out.trust is not None:
        with_class_names(getattr(out.trust, "coverage_table", None), task)


def _trust_rows(task: EvalTask, probs: np.ndarray, cr: np.ndarray) -> np.ndarray:
    """The paired rows :func:`_trust` scores (a task class, finite probabilities), as a boolean mask."""
    known = np.isin(cr, [int(c) for c in task.classes])
    return known & np.all(np.isfinite(probs), axis=1)


def _trust(pred: Table, task: EvalTask, probs: np.ndarray, cp: np.ndarray, cr: np.ndarray, rows: np.ndarray,
           notes: list[str]) -> TrustStudy | None:
    """Calibration, conformal coverage and uncertainty signals of the paired rows (reliability.py)."""
    lut = {int(c): j for j, c in enumerate(task.classes)}
    y = np.array([lut.get(int(v), -1) for v in cr])
    pi = np.array([lut.get(int(v), -1) for v in cp])
    ok = (y >= 0) & np.all(np.isfinite(probs), axis=1)
    if not ok.any():
        return None
    cols: dict[str, np.ndarray] = {}
    raw_names = [prob_raw_col(k) for k in task.classes]
    if all(n in pred.colnames for n in raw_names):
        cols["prob_raw"] = np.column_stack([np.asarray(pred[n], float)[rows] for n in raw_names])[ok]
    for key, name in (("prob_std", PROB_STD), ("quality", QUALITY), ("tta_std", TTA_STD),
                      ("mutual_info", MUTUAL_INFO)):
        if name in pred.colnames:
            cols[key] = np.asarray(pred[name], float)[rows][ok]
    model_classes = pred.meta.get("classes")
    if PRED_SET in pred.colnames:
        if model_classes is None or [int(c) for c in model_classes] == [int(c) for c in task.classes]:
            # the column itself (not an array of it): masked cells (an empty set read from CSV) stay masked
            cols["pred_set"] = pred[PRED_SET][rows][ok]
        else:
            notes.append(f"pred_set holds the model's classes {list(model_classes)}, not the task's "
                         f"{list(task.classes)}: no conformal coverage")
    study = trust_study(probs[ok], y[ok], pi[ok], cols, task.classes, meta=dict(pred.meta))
    if study.coverage_table is not None and study.coverage is None:
        study.coverage_missing = coverage_missing(pred, np.asarray(rows)[ok])
    return study


def coverage_missing(pred: Table, rows: np.ndarray) -> str:
    """Why a classified table's conformal sets have no recorded coverage, and how to get it, in words.

    ``classify`` records ``--coverage`` in the meta, and in a ``coverage`` column of a CSV (from
    2026-12-07); evaluate said "is not in this table: a CSV keeps no meta" of every table without it, an
    ECSV of stacked classifications and a CSV naming its model alike (a model does not hold the coverage).

    Parameters
    ----------
    pred : Table
        The classified catalogue.
    rows : numpy.ndarray
        Its rows scored.

    Returns
    -------
    str

    Examples
    --------
    >>> t = Table({"pred_set": ["1", "1|2"], "coverage": [0.9, 0.8]})
    >>> "several coverages (coverage column: 0.8, 0.9)" in coverage_missing(t, np.array([0, 1]))
    True
    >>> coverage_missing(Table({"pred_set": ["1"], "model": ["/a/m1"]}), np.array([0]))[:61]
    'the table records none (no coverage in its meta or a coverage'
    """
    from starclass.schema import COVERAGE

    if COVERAGE in pred.colnames:
        vals = np.ma.asarray(pred[COVERAGE])[rows]
        try:
            shown = sorted({float(v) for v in vals.compressed().tolist()})
        except (TypeError, ValueError):
            shown = []
        if len(shown) > 1:
            return (f"its rows were classified at several coverages ({COVERAGE} column: "
                    f"{', '.join(f'{v:g}' for v in shown)}), so the shares mix them; evaluate each classification on "
                    "its own")
    models = _recorded_models(pred)
    several = (f"; its {MODEL_PATH} column names {len(models)} models, rows of several classifications, "
               "whose coverages a stacked table does not keep" if len(models) > 1 else "")
    return (f"the table records none (no {COVERAGE} in its meta or a {COVERAGE} column: a CSV written before "
            f"2026-12-07, or a table stacked or edited by hand){several}; a model does not hold it either. Classify "
            "again to record it (0.9 unless --coverage is given), or compare these shares with the --coverage you "
            "gave")


def _class_counts(cats: dict[str, Table], cols: dict[str, str], task: EvalTask) -> Table:
    rows = []
    for n, t in cats.items():
        c = task_labels(t, cols[n], task, n, note=False)
        has_p = all(prob_col(k) in t.colnames for k in task.classes)
        rows.append((n, len(t), cols[n], *[int(np.sum(c == k)) for k in task.classes], int(np.sum(c == 0)),
                     "yes" if has_p else "no"))
    # n_rows, the schema's name (info DIR, evaluate --catalogs' fields.ecsv): `rows` here until 2026-12-07
    return Table(rows=rows, names=("catalogue", N_ROWS, "class_column", *[f"n_{k}" for k in task.classes],
                                   "unclassified", "probabilities"))


def _model_column(column: str) -> bool:
    """Whether ``column`` holds a model's classes: ``class_pred``, ``class_joint``, or one kept as ``<it>_input2``."""
    return re.sub(r"_input\d*$", "", column) in (CLASS_PRED, "class_joint")


def model_of(t: Table, column: str) -> str:
    """The model whose classes ``column`` of ``t`` holds, as the Catalogues table's ``model`` column says it.

    A model's columns (``class_pred``, ``class_joint``, or one kept as ``class_pred_input``) are of the model its
    meta records (``classify``), else the models its ``model`` column names (a CSV output, several joined by
    ``;``); any other column (``class_ref``, a person's ``class_h1``, ``--label-column expert``) is no model's:
    "". Two models' classifications compared (``evaluate a.ecsv -r b.ecsv``) had no column saying which was which.

    Examples
    --------
    >>> t = Table({"class_pred": [1], "class_ref": [2], "model": ["/m/a"]})
    >>> model_of(t, "class_pred"), model_of(t, "class_ref")
    ('/m/a', '')
    """
    if not _model_column(column):
        return ""
    recorded = str(t.meta.get(MODEL_PATH) or "")
    return recorded if recorded else ";".join(_recorded_models(t))


def aligned_labels(cats: Mapping[str, Table], cols: Mapping[str, str],
                   pairs: Mapping[str, tuple[np.ndarray, np.ndarray]], task: EvalTask,
                   pred_name: str) -> dict[str, np.ndarray]:
    """Each catalogue's classes of the prediction's rows, as its comparison paired them (0 where unpaired).

    The input of :func:`starclass.evaluate.agreement.paired_agreement_table` for tables without positions.

    Examples
    --------
    >>> p = Table({"class_pred": [1, 2, 2]})
    >>> r = Table({"class_ref": [2, 1]})
    >>> got = aligned_labels({"prediction": p, "truth": r}, {"prediction": "class_pred", "truth": "class_ref"},
    ...                      {"truth": (np.array([0, 2]), np.array([1, 0]))}, EvalTask.from_classes((1, 2)),
    ...                      "prediction")
    >>> {k: v.tolist() for k, v in got.items()}
    {'prediction': [1, 2, 2], 'truth': [1, 0, 2]}
    """
    n = len(cats[pred_name])
    out = {pred_name: np.asarray(task_labels(cats[pred_name], cols[pred_name], task, pred_name, note=False), int)}
    for name, (ia, ib) in pairs.items():
        lab = np.asarray(task_labels(cats[name], cols[name], task, name, note=False), int)
        arr = np.zeros(n, dtype=int)
        arr[np.asarray(ia, dtype=np.int64)] = lab[np.asarray(ib, dtype=np.int64)]
        out[name] = arr
    return out


def common_rows(cats: Mapping[str, Table], cols: Mapping[str, str], pairs: Mapping[str, tuple[np.ndarray, np.ndarray]],
                task: EvalTask, pred_name: str) -> dict[str, np.ndarray]:
    """Each catalogue's rows of the objects that every catalogue classifies, aligned.

    The prediction's rows are paired with each other catalogue's as its comparison paired them
    (``pairs``: name -> prediction rows, that catalogue's rows); an object counts where every
    catalogue gives it a class of the task (not 0). For two columns of one catalogue (``-r
    self``) the pairs are row by row, and these are the rows where both columns are classified.

    Parameters
    ----------
    cats, cols
        Catalogue name -> table, and -> its class column (the prediction first, named ``pred_name``).
    pairs
        Every other catalogue's name -> (prediction rows, its rows) of the paired objects.
    task
        The class scheme (classes through its ``merge``, as they are scored).
    pred_name
        The prediction's name in ``cats``.

    Returns
    -------
    dict
        Catalogue name -> row indices; the i-th entry of every array is the same object.

    Examples
    --------
    >>> p = Table({"class_pred": [1, 2, 0, 3]})
    >>> r = Table({"class_ref": [4, 0, 2]})
    >>> got = common_rows({"prediction": p, "truth": r}, {"prediction": "class_pred", "truth": "class_ref"},
    ...                   {"truth": (np.array([0, 1, 3]), np.array([2, 1, 0]))}, EvalTask.from_classes((1, 2, 3, 4)),
    ...                   "prediction")
    >>> {k: v.tolist() for k, v in got.items()}
    {'prediction': [0, 3], 'truth': [2, 0]}
    """
    n = len(cats[pred_name])
    keep = task_labels(cats[pred_name], cols[pred_name], task, pred_name, note=False) > 0
    where: dict[str, np.ndarray] = {}
    for name, (ia, ib) in pairs.items():
        to = np.full(n, -1, dtype=np.int64)
        to[np.asarray(ia, dtype=np.int64)] = np.asarray(ib, dtype=np.int64)
        classified = task_labels(cats[name], cols[name], task, name, note=False) > 0
        keep &= to >= 0
        keep[keep] &= classified[to[keep]]
        where[name] = to
    rows = np.flatnonzero(keep)
    return {pred_name: rows, **{name: to[rows] for name, to in where.items()}}


def _human_baselines(cats: dict[str, Table]) -> list[tuple[str, dict | None, str | None]]:
    out = []
    done: list[np.ndarray] = []
    for n, t in cats.items():
        if len(human_columns(t)) < 2 or CLASS_REF not in t.colnames:
            continue
        labels = np.column_stack([np.asarray(t[c]) for c in human_columns(t) + [CLASS_REF]])
        if any(d.shape == labels.shape and np.array_equal(d, labels) for d in done):
            continue  # the same people on the same objects (e.g. a prediction carrying its reference)
        done.append(labels)
        try:
            out.append((n, human_baselines(t), None))
        except StarclassError as exc:
            out.append((n, None, str(exc)))
    return out


def _file_key(obj) -> Path | None:
    """The resolved path of a catalogue given as a path (None for a Table or ``"self"``)."""
    if isinstance(obj, (str, Path)) and str(obj) != SELF:
        return resolved(obj)
    return None


#: Why a LEGUS file's ``class_human_mean`` is scored neither as the prediction (``--pred-column``) nor as the
#: labels (``--label-column``): both refusals say it so
HUMAN_MEAN_IS_NO_CLASS = (f"{CLASS_HUMAN_MEAN} is the mean of the people's classes, such as 2.333, not a class: how "
                          "much they disagreed, which 'starclass info FILE' reports")


def with_label_classes(t: Table, label_column: str, task: EvalTask, name: str) -> Table:
    """A copy of ``t`` whose ``class_ref`` holds the classes of its label strings (task's ``label_map``).

    A label the task does not know is class 0 (left out of every score), with a warning naming it and its rows.

    Raises
    ------
    StarclassError
        No such column, or a LEGUS file's ``class_human_mean`` (the people's mean class, never one: 2.0 may be
        the mean of a 1 and a 3).

    Examples
    --------
    >>> task = EvalTask.from_classes((1, 2), label_map={"cluster": 1, "galaxy": 2})
    >>> with_label_classes(Table({"label": ["galaxy", "cluster"]}), "label", task, "out.csv")["class_ref"].tolist()
    [2, 1]
    """
    if label_column not in t.colnames:
        from starclass.io.cutout_folders import label_column_hint

        raise StarclassError(f"{name}: no label column {label_column!r} (--label-column); columns: "
                             f"{', '.join(t.colnames)}{label_column_hint(t.colnames, label_column)}")
    if label_column == CLASS_HUMAN_MEAN:
        # refused only at its first mean of no whole class ("row 3 has label '1.667', not a whole class number"),
        # which did not say what the column is, as --pred-column does; a whole mean (1 and 3: 2.0) is no class either
        mode = f"; their class, the mode, is {CLASS_REF}, the reference without --label-column" if (
            CLASS_REF in t.colnames) else ""
        raise StarclassError(f"--label-column {label_column!r}: {name} cannot be scored against it "
                             f"({HUMAN_MEAN_IS_NO_CLASS}){mode}")
    out = t.copy(copy_data=False)
    if CLASS_REF in out.colnames:
        out.remove_column(CLASS_REF)  # the labels are the reference asked for
    try:
        # a label the task does not know: left out with a warning, as classify --stamps, which wrote the file,
        # left it out of its accuracy (refused here, that output could not be scored at all)
        out[CLASS_REF] = task.label_classes(t[label_column], what=f"{name} column {label_column!r}",
                                            allow_unknown=True)
        # compare counts the rows it left out for their labels apart ("10 with a label of the task"): called
        # "classified in both", rows of a label the task does not know read as rows the model had not classified
        out.meta[LABELS_READ_FROM] = label_column
    except StarclassError:
        several = _recorded_models(t) if not task.label_map else []
        if len(several) > 1:
            # rows classified by several models (two rounds' outputs joined): no one model's task, so no label
            # map, and the refusal said only "task '(unnamed)' has no label_map"
            shown = ", ".join(several[:3]) + (f" and {len(several) - 3} more" if len(several) > 3 else "")
            raise StarclassError(f"{name}: its {MODEL_PATH!r} column names {len(several)} models ({shown}), so no "
                                 f"one model's task gives the label map of column {label_column!r}: score the rows "
                                 "of one model at a time, or give --task or --model") from None
        missing = _missing_recorded_model(t) if not task.label_map else None
        if missing is None:
            raise
        # the usual cause: the model that classify named in the output has moved, so its label
        # map could not be loaded ("task '(unnamed)' has no label_map" did not say why)
        raise StarclassError(f"{name}: its {MODEL_PATH!r} column names the model that classified it, {missing}, "
                             f"which is not found here, so the label map of column {label_column!r} is unknown: "
                             "give --task or --model (where that model is now)") from None
    return out


def _recorded_models(t: Table) -> list[str]:
    """The models a ``model`` column names (classify's CSV output), sorted; none without the column."""
    if MODEL_PATH not in t.colnames or len(t) == 0:
        return []
    return sorted({str(v).strip() for v in np.ma.asarray(t[MODEL_PATH]).compressed()} - {""})


def _missing_recorded_model(t: Table) -> str | None:
    """The one model a ``model`` column names when it no longer exists, else None."""
    paths = _recorded_models(t)
    if len(paths) != 1:
        return None
    path = paths[0]
    return None if Path(path).exists() else path


def in_sample_rows(t: Table, source: str | Path | None, model: str | Path | None = None, *,
                   progress: bool | None = False) -> tuple[np.ndarray, list[str]]:
    """The rows of a classified cutout table that the model which classified them was trained on, and that model.

    The model of each row is the one the table records (its ``model`` column, one or several, or its meta),
    else ``model`` (``evaluate --model``); its record of training rows is compared with each row's cutout
    as the model reads it (:func:`starclass.learn.provenance.training_rows_in`). Where that cannot be told
    (no cutout files, no model, a model without the record) no row is marked.

    Parameters
    ----------
    t : Table
        The classified catalogue.
    source : str, Path or None
        Its file: relative cutout paths are taken from its folder where it records none (None: the current one).
    model : str or Path, optional
        The model to take where the table names none.
    progress : bool or None
        The cutouts read again, as :func:`starclass.learn.provenance.training_rows_in` shows them.

    Returns
    -------
    tuple of (numpy.ndarray, list of str)
        A boolean mask over the rows, and the models found to have trained on some of them.

    Examples
    --------
    >>> mask, models = in_sample_rows(Table({"x": [1.0, 2.0], "class_pred": [1, 2]}), "a.ecsv")
    >>> mask.tolist(), models
    ([False, False], [])
    """
    from starclass.learn.provenance import training_rows_in

    mask = np.zeros(len(t), dtype=bool)
    named: list[str] = []
    if MODEL_PATH in t.colnames and len(t):
        per_row = np.array([str(v).strip() for v in np.ma.asarray(t[MODEL_PATH]).filled("")])
    else:
        recorded = str(t.meta.get(MODEL_PATH) or "").strip() or (str(model) if model is not None else "")
        per_row = np.full(len(t), recorded)
    where = Path(source) if source is not None else Path.cwd() / "table"
    for m in sorted(set(per_row.tolist()) - {""}):
        rows = np.flatnonzero(per_row == m)
        seen = training_rows_in(t[rows], where, m, progress=progress)
        if isinstance(seen, str) or not seen.any():
            continue  # cannot be told, or none: nothing to warn of
        mask[rows[seen]] = True
        named.append(m)
    return mask, named


def _say_in_sample(comparisons: list[Comparison], ptab: Table, pred: Table | str | Path,
                   model: str | Path | None, refs: Mapping[str, Table | str | Path] | None = None,
                   progress: bool | None = False) -> None:
    """Warn, and note on each comparison, where the rows scored include the model's own training rows.

    Three records tell it: the model's digests of its training cutouts (a classified cutout table,
    :func:`in_sample_rows`); the catalogue's meta ``training_field`` (classify on mosaics of a field the
    model was trained on); a reference file that is the catalogue of one of the model's training fields.
    """
    from starclass.learn.checkpoint import read_manifest, trained_fields, training_field_of
    from starclass.learn.provenance import in_sample_words

    if not comparisons or not any(c.pairs is not None and len(c.pairs[0]) for c in comparisons):
        return
    if ptab.meta.get(CV_SCHEME) is not None or FOLD in ptab.colnames:
        return  # train --cv's held-out predictions: each row scored by a fold model that never trained on it
    used = str(ptab.meta.get(MODEL_PATH) or "") or (str(model) if model is not None else "")
    if not used and len(paths := _recorded_models(ptab)) == 1:
        used = paths[0]
    field = ptab.meta.get(TRAINING_FIELD)
    recorded = None
    if used:
        try:
            recorded = trained_fields(read_manifest(used))
        except (StarclassError, OSError, ValueError):
            recorded = None
    mask, models = in_sample_rows(ptab, pred if isinstance(pred, (str, Path)) else None, model, progress=progress)
    for c in comparisons:
        if c.pairs is None or not len(c.pairs[0]):
            continue
        scored = np.asarray(c.pairs[0], dtype=np.int64)
        ref = (refs or {}).get(c.ref_name)
        ref_field = (training_field_of(recorded, catalog=ref) if isinstance(ref, (str, Path)) and ref != SELF
                     else None)
        if n_in := int(mask[scored].sum()):
            note = in_sample_words(n_in, int(scored.size), " and ".join(models))
        elif isinstance(field, Mapping) or ref_field is not None:
            what = (f"its reference {ref} is the catalogue of a field" if ref_field is not None
                    else f"{c.pred_shown} classifies a field")
            note = (f"{what} model {model_word(used or 'that classified it')} was trained on (its record of "
                    f"training fields: "
                    f"catalogue {(ref_field or field).get('catalog')}): the labelled objects scored are mostly its "
                    "own training rows, and their figures in-sample, not a held-out measure; evaluate another field, "
                    "or the out-of-fold predictions of 'starclass train --cv 5' (its cv_predictions.ecsv)")
        else:
            continue
        c.notes.insert(0, note)
        warnings.warn(f"{c.heading()}: {note}", UserWarning, stacklevel=2)


#: Column names (case-folded) that often name a cutout's object in another team's list, looked at when the
#: model's object column is not there
OBJECT_LIKE = ("id", "object", "objid", "obj_id", "object_name", "name", "source_id", "source", "target", "cluster_id")


def _ungrouped_column(group_column: str | None, implied: list[str], table: Table) -> tuple[str, int, int] | None:
    """A column like ``id`` that repeats values where no group column names the objects, else None.

    Returns (its name, its distinct values, its rows). Looked for before :func:`compare` runs, so that
    what it warns of (every row in one class, no threshold for the purity) calls the rows rows: those
    warnings said "objects" of cutouts of one object, and only the lines printed after it said rows.
    """
    if group_column is not None or not implied:
        return None
    for name in table.colnames:
        if name.casefold() not in OBJECT_LIKE:
            continue
        cells = [str(v).strip() for v in np.asarray(table[name]).astype(str)]
        distinct = len(set(cells))
        if 1 < distinct < len(cells):
            return name, distinct, len(cells)
    return None


def _say_ungrouped(c: Comparison, found: tuple[str, int, int] | None, implied: list[str], shown: str) -> None:
    """Say that the intervals resample rows one by one where a column that looks like the objects' repeats.

    Another team's folder names its objects in ``id``; a model trained on ``object_id`` classified it, and
    ``evaluate`` printed "138 objects paired row by row" with intervals over the 137 rows as if each were an
    object, without a word of the 119 objects in ``id``. A table without such a column (label folders: every
    image its own object) is scored row by row without a note, as before. ``found`` is
    :func:`_ungrouped_column`'s answer, which :func:`compare` was given as ``rows_not_objects``.
    """
    if found is None or c.interval_note is not None or "accuracy_lo" not in c.summary.colnames:
        return
    name, distinct, n = found
    note = (f"95% intervals resample the {c.n_both} rows one by one: {shown} has no column {implied[0]!r} "
            f"(the objects' column the model reads), and its column {name!r} repeats values ({distinct} in "
            f"{n} rows): if it names each row's object, give --group-column {name}")
    c.interval_note = note
    c.notes.insert(0, note)


def _check_group_column(column: str | None, ptab: Table, rtab: Table | None, pshown: str,
                        rshown: str | None, file_columns: Sequence[str]) -> None:
    """Refuse a group column (``--group-column``) that the prediction (and its reference) lacks, naming the files.

    ``file_columns`` are the prediction file's own columns (not the class_ref made from --label-column).
    """
    if column is None or column in ptab.colnames or (rtab is not None and column in rtab.colnames):
        return
    files = pshown if rshown is None else f"{pshown} nor the reference {rshown}"
    raise StarclassError(f"--group-column {column!r}: {'neither ' if rshown is not None else ''}{files} has no "
                         f"such column (the column naming each row's object); columns of {pshown}: "
                         f"{', '.join(file_columns)}")


def _references_to_compare(ptab: Table, etask: EvalTask, pred: Table | str | Path, pred_name: str,
                            references: ReferencesLike | None, label_column: str | None, pred_column: str | None,
                            reference_column: str | None) -> tuple[Table, dict, bool, str]:
    """The prediction (its labels read), its named references, whether it is compared with itself, the reference column.

    Raises the "nothing to compare" refusal: :func:`evaluate_catalogs` and :func:`check_comparable` (which
    ``starclass evaluate`` calls before it looks at its output folder) decide it here alike.
    """
    check_probability_columns(ptab, etask, pred if isinstance(pred, (str, Path)) else pred_name)
    given = [references] if isinstance(references, (str, Path, Table)) or is_dataframe(references) else references
    has_self = given is not None and not isinstance(given, Mapping) and any(
        isinstance(r, str) and r == SELF for r in given)
    # the catalogue compared with itself has a name of its own (self_catalogue_name): a file of that name
    # given beside -r self replaced it, and any file of that name was left out of the agreement table
    own = self_catalogue_name(pred_name, reference_shown(ptab.colnames, label_column, reference_column))
    refs = reference_names(references, reserved=(pred_name, own) if has_self else (pred_name,))
    # with a reference (-r LABELS.csv --label-column label) the labels may be the reference's only: a
    # folder classified without labels was refused for lacking the column the reference holds
    if label_column is not None and (label_column in ptab.colnames or not refs):
        # the file in messages ("prediction: no label column" named no file)
        ptab = with_label_classes(ptab, label_column, etask,
                                  str(pred) if isinstance(pred, (str, Path)) else pred_name)
    ref_col = reference_column or CLASS_REF
    # a catalogue of human classes (a LEGUS .tab) has no class_pred: a column named by --pred-column is its
    # prediction, compared with its own reference column (it was refused as "nothing to compare")
    if not refs and ref_col in ptab.colnames and (CLASS_PRED in ptab.colnames or pred_column is not None):
        refs = {SELF: SELF}
    has_self = any(isinstance(r, str) and r == SELF for r in refs.values())
    if not refs:
        # say which column is missing: a human catalogue (a LEGUS .tab) has class_ref but no
        # class_pred, and the message used to claim it had no class_ref
        # a column given with --pred-column is the prediction: only the reference is missing (it said
        # "no class_pred and no class_ref column" of `evaluate ngc45.tab --pred-column legus_col35`)
        missing = [c for c in (CLASS_PRED, CLASS_REF) if c not in ptab.colnames
                   and not (c == CLASS_PRED and pred_column is not None)]
        # NGC 1566's class_hybrid is column 34, class_ref itself: offered here, it scored 1.000 against itself
        others = [c for c in scorable_columns(ptab, [CLASS_REF]) if not _same_classes(ptab, c, CLASS_REF)]
        what = ("has class_ref but no class_pred (its own classes are the prediction; give a reference "
                "catalogue with -r to compare them with, or score another of its class columns against them with "
                "--pred-column" + (f": {', '.join(others)}" if others else "") + ")"
                if missing == [CLASS_PRED] else f"has no {' and no '.join(missing)} column")
        if reference_column is not None and reference_column not in ptab.colnames:
            what = (f"has no column {reference_column!r} (--reference-column) to compare with itself; "
                    f"its class columns: {', '.join(scorable_columns(ptab)) or 'none'}")
        if missing == [CLASS_REF] and "file" in ptab.colnames:
            # the output of classify --stamps on a folder without labels: "prediction has no class_ref
            # column" named neither the file nor that the folder had no labels, nor how to give them
            from starclass.io.cutout_folders import label_like_column

            # its own label column named, as a labels table given with -r is (it said "--label-column NAME")
            alike = label_like_column(ptab.colnames, "")
            what += (" (a classified cutout folder without labels: classify --stamps writes class_ref only for a "
                     "folder with a label column or label sub-folders); "
                     + (f"column {alike!r} may hold the labels: give --label-column {alike}, " if alike else
                        "give --label-column NAME for a column of labels, ")
                     + "or a CSV of the files' labels with -r LABELS.csv --label-column label (paired by file)")
        where = str(pred) if isinstance(pred, (str, Path)) else pred_name
        if hint := legus_class_hint(ptab, where):
            what += f": {hint}"
        also = ""
        if (missing == [CLASS_REF] and reference_column is None and "file" not in ptab.colnames
                and not ptab.meta.get("legus_layout")):
            # a catalogue classified on mosaics (the demo's classified.ecsv) was refused with no word of what to give
            also = ("; give a labelled catalogue of its field as the reference with -r (a truth, the people's "
                    "labels, an 'inspect --export'), paired by position or id" + demo_references_hint(pred))
        if missing == [CLASS_PRED] and ptab.meta.get("legus_layout") and isinstance(pred, (str, Path)):
            # a LEGUS field's own classes: their science checks need no second classification, and nothing
            # said where they were
            also = f"; {legus_catalogs_hint(pred)}"
        raise StarclassError(f"no reference given and {where} {what}: nothing to compare{also}")
    return ptab, refs, has_self, ref_col


def demo_references_hint(pred: object) -> str:
    """``: the demo's, -r DIR/test_field/truth.ecsv -r DIR/test_field/humans.ecsv`` beside a demo's catalogue, else "".

    Examples
    --------
    >>> demo_references_hint("no/such/classified.ecsv")
    ''
    """
    if not isinstance(pred, (str, Path)):
        return ""
    found = field_references(Path(pred).parent / "test_field")
    return (": the demo's, " + " ".join(f"-r {shell_word(str(f))}" for f in found)) if found else ""


def field_references(folder: str | Path | None) -> list[Path]:
    """The labelled catalogues a simulated field's folder holds (``truth.ecsv``, ``humans.ecsv``), those there.

    One rule for the hints that name a reference: evaluate's refusal of a catalogue without one (beside a
    demo's output) and ``classify``'s ``next:`` line (the mosaics' folder, or the one a stamp store records),
    which named the placeholder ``TRUTH.ecsv`` where the field's own truth lay beside its mosaics.

    Parameters
    ----------
    folder : str, Path or None
        The field's folder; None (no one folder known) finds nothing.

    Returns
    -------
    list of Path
        The files there, truth first; empty where none is.

    Examples
    --------
    >>> field_references("no/such/folder")
    []
    >>> field_references(None)
    []
    """
    if folder is None:
        return []
    return [Path(folder) / name for name in ("truth.ecsv", "humans.ecsv") if (Path(folder) / name).is_file()]


def check_comparable(pred: str | Path, references: ReferencesLike | None = None, *,
                     task: str | TaskConfig | EvalTask | None = None, label_column: str | None = None,
                     model: str | Path | None = None, pred_column: str | None = None,
                     reference_column: str | None = None, file_column: str | None = None,
                     pred_table: Table | None = None) -> Table:
    """Refuse now, as :func:`evaluate_catalogs` would, a catalogue with nothing to compare.

    ``starclass evaluate`` calls it before it checks its output folder: an unlabelled classification with
    ``./evaluation`` present was asked for ``--overwrite`` first, and only the re-run with it said that
    there was nothing to compare. The arguments are those of :func:`evaluate_catalogs`.

    Returns
    -------
    astropy.table.Table
        The catalogue as read from ``pred`` (``pred_table`` where given), to give :func:`evaluate_catalogs` as
        its ``pred_table``: the file is then read once.

    Raises
    ------
    StarclassError
        Naming the catalogue and what it lacks (as :func:`evaluate_catalogs` does).

    Examples
    --------
    >>> import tempfile, os
    >>> from astropy.table import Table
    >>> d = tempfile.mkdtemp()
    >>> Table({"file": ["a.png", "b.png"], "class_pred": [1, 2]}).write(os.path.join(d, "c.csv"))
    >>> try:
    ...     check_comparable(os.path.join(d, "c.csv"), task="galaxy-cluster")
    ... except StarclassError as e:
    ...     print("nothing to compare" in str(e))
    True
    >>> Table({"file": ["a.png"], "class_pred": [1], "class_ref": [2]}).write(os.path.join(d, "l.csv"))
    >>> len(check_comparable(os.path.join(d, "l.csv"), task="galaxy-cluster"))
    1
    """
    read = load_catalog(pred, "prediction", file_column=file_column) if pred_table is None else pred_table
    ptab = read
    etask, _ = resolve_task(ptab, task, model=model)
    if file_column is not None and file_column in ptab.colnames and ptab.meta.get("file_column") != file_column:
        ptab = ptab.copy(copy_data=False)  # the table handed on is left as it was read
        ptab.meta["file_column"] = file_column
    ptab, _, has_self, ref_col = _references_to_compare(ptab, etask, pred, "prediction", references, label_column,
                                                        pred_column, reference_column)
    if pred_column is not None:
        # a --pred-column that is no class (a LEGUS file's class_human_mean) was refused by the evaluation, after
        # the start line ("evaluate: FILE.tab, 3080 rows: pairing with the references ...", 2026-12-07): the same
        # checks, in the evaluation's order, so that its error is the first line
        if reference_column is not None and has_self:
            with_reference_column(ptab, reference_column, str(pred))
        prediction_view(ptab, pred_column, etask, str(pred), exclude=[ref_col] if has_self else [])
    if pred_column is None and not has_self:
        # a catalogue with no class at all (detect's candidates) against a reference: refused here as the
        # evaluation would, so that `evaluate cands.ecsv -r truth.ecsv` says its error before its first line
        # ("pairing with the references, bootstrapping ...", said until 2026-12-07 and then refused)
        class_column(ptab, CLASS_PRED, str(pred))
    return read


def _read_reference(name: str, r: object, ptab: Table, pshown: str, etask: EvalTask, label_column: str | None,
                    reference_column: str | None, files_by: str | None, read_files: set,
                    label_read: dict[str, str]) -> tuple[Table, str]:
    """One reference of :func:`evaluate_catalogs` read as it is compared, and how messages name it.

    ``read_files`` (the files read so far) and ``label_read`` (reference -> the ``--label-column`` its classes
    were read from) are updated in place.
    """
    # a labels table of cutouts (the folder's labels.csv: file, label) is a reference too
    key = _file_key(r)
    # a file is named in messages by its path as given, as the prediction is (its stem named it in some)
    said = str(r) if isinstance(r, (str, Path)) else name
    with warnings.catch_warnings():
        if key is not None and key in read_files:
            warnings.simplefilter("ignore")  # the prediction's warnings were given when it was read
        read_files |= {key} - {None}
        # read with the task's classes (and the reference classes its merge maps from): a truth catalogue of
        # a five-class task records no task, and its class 5 was refused as "not 0-4"
        rtab = load_catalog(r, "reference" if isinstance(r, (str, Path)) else name,
                            classes=(CLASS_REF, CLASS_PRED, *(() if label_column is None else (label_column,))),
                            file_column=files_by, task_classes=(*etask.classes, *etask.reference_map))
        if files_by and files_by in rtab.colnames and not rtab.meta.get("file_column"):
            rtab = rtab.copy(copy_data=False)
            rtab.meta["file_column"] = files_by
        if label_column is not None and label_column in rtab.colnames:
            rtab = with_label_classes(rtab, label_column, etask, said)
            label_read[name] = label_column  # the Catalogues table's class_column: the column as named
    if (label_column is not None and label_column not in rtab.colnames and label_column not in ptab.colnames
            and CLASS_REF not in rtab.colnames):
        # the label column was in neither table: say so, naming both, rather than "no class_ref"
        raise StarclassError(f"--label-column {label_column!r}: neither {pshown} nor the reference {said} has "
                             f"that column (reference columns: {', '.join(rtab.colnames)})")
    if reference_column is not None:
        rtab = with_reference_column(rtab, reference_column, said)
    return rtab, said


def position_only_note(pred: Table, ref: Table, ref_name: str, paired_by: str) -> str:
    """Words for the pairing line where a people's table without centres of light was paired at its positions alone.

    A simulated people's table (``class_h<h>`` votes at ``x``, ``y``) written before the simulator gave it
    ``x_light``, ``y_light`` is paired at the position alone, unless the truth it was drawn from is given
    too (:func:`starclass.evaluate.matching.with_light_of`): the demo, and the same table written since,
    pair at the centre of light too (60 of the demo field's 60 objects, 58 at the position alone). Empty
    where the table has centres of light, no votes, or was not paired on its pixels.

    Examples
    --------
    >>> people = Table({"id": [1], "x": [5.0], "y": [5.0], "class_h1": [1], "class_ref": [1]})
    >>> position_only_note(people, people, "humans", "one-to-one within 2.0 px on the pixels (x, y)")[:60]
    ' at the position only (humans has no x_light, y_light: a sim'
    >>> position_only_note(people, people, "humans", "by id")
    ''
    """
    if (not human_cols(ref) or light_side(pred, ref) is not None or not paired_by.startswith("one-to-one")
            or "on the pixels" not in paired_by):
        return ""
    return (f" at the position only ({ref_name} has no {X_LIGHT}, {Y_LIGHT}: a simulated people's table written "
            f"before 2026-12-07 lacks them; give its field's truth with -r too (truth.ecsv beside it) and its "
            "centres of light are taken, as the demo pairs)")


def id_only_note(pred: Table, ref: Table, names: tuple[str, str], paired_by: str) -> tuple[str, str | None]:
    """What pairing by ``id`` alone assumes, for the pairing line, and a warning where it likely fails.

    Pairing by id takes the reference's ids for the catalogue's own (one numbering): a reference of
    ``id, class_ref`` written from a simulated truth, scored against a catalogue of *detected*
    candidates (numbered 1..N in detection order), paired unrelated objects without a word. The
    pairing line now says what it assumes; a warning is added where the catalogue records that it
    was detected (its meta keeps ``detect_threshold_sigma``) and the reference has no positions and
    no record of being made from such a catalogue (an ``inspect`` export keeps its catalogue's meta).

    Parameters
    ----------
    pred, ref : astropy.table.Table
        The catalogue scored and its reference.
    names : tuple of str
        How messages name them (their files).
    paired_by : str
        The pairing rule (:func:`pairing`); anything but ``"by id"`` gives no words.

    Returns
    -------
    tuple
        The words for the pairing line (empty where not paired by id) and the warning, or None.

    Examples
    --------
    >>> cat = Table({"id": [1, 2], "x": [5.0, 9.0], "y": [5.0, 9.0], "class_pred": [1, 2]})
    >>> id_only_note(cat, Table({"id": [2, 1], "class_ref": [1, 1]}), ("out.ecsv", "labels.csv"), "by id")[0]
    " (the reference's ids taken as the catalogue's: one numbering)"
    >>> cat.meta["detect_threshold_sigma"] = 5.0
    >>> print(id_only_note(cat, Table({"id": [2, 1], "class_ref": [1, 1]}), ("out.ecsv", "labels.csv"),
    ...                    "by id")[1])  # doctest: +NORMALIZE_WHITESPACE
    labels.csv has no positions and was paired with out.ecsv by id alone, but out.ecsv holds detected candidates,
    numbered in the order found: their ids are not another table's (a simulated truth's) unless labels.csv was
    made from out.ecsv; give a reference with x, y or ra, dec (truth.ecsv) to pair at the positions
    """
    if paired_by != "by id":
        return "", None
    line = " (the reference's ids taken as the catalogue's: one numbering)"
    made_from = any(k in ref.meta for k in ("labels_dataset", "detect_threshold_sigma"))
    if "detect_threshold_sigma" not in pred.meta or has_positions(ref) or made_from:
        return line, None
    return line, (f"{names[1]} has no positions and was paired with {names[0]} by id alone, but {names[0]} holds "
                  "detected candidates, numbered in the order found: their ids are not another table's (a simulated "
                  f"truth's) unless {names[1]} was made from {names[0]}; give a reference with x, y or ra, dec "
                  "(truth.ecsv) to pair at the positions")


def evaluate_catalogs(pred: Table | str | Path, references: ReferencesLike | None = None, *,
                      task: str | TaskConfig | EvalTask | None = None,
                      radius: float = 2.0, n_boot: int = 200, target_purity: float = 0.8,
                      pred_name: str = "prediction",
                      quantities: Sequence[str] = ("magnitude", "crowding", "bkg"),
                      label_column: str | None = None, model: str | Path | None = None,
                      by: Sequence[str] = (), by_min_rows: int = 10,
                      pred_column: str | None = None, allow_few_matches: bool = False,
                      reference_column: str | None = None, group_column: str | None = None,
                      progress: bool | None = False, file_column: str | None = None,
                      pred_table: Table | None = None) -> Evaluation:
    """Evaluate a classified catalogue against its references, for its task.

    Parameters
    ----------
    pred
        Classified catalogue (Table or path).
    references
        Path(s) or Table(s), or a dict name -> either; ``"self"`` (or none at all when ``pred``
        has both ``class_pred`` and ``class_ref``) compares ``class_pred`` with the prediction's
        own ``class_ref``.
    task
        Preset name, config path, TaskConfig or EvalTask; None: the catalogue's meta
        (:func:`starclass.evaluate.task.resolve_task`).
    radius, n_boot, target_purity, quantities
        As :func:`compare`.
    label_column
        A column of label strings (a classified cutout folder's ``label``): mapped to classes by
        the task's ``label_map``, it becomes the reference ``class_ref`` of the prediction (and of
        any reference table that has the column).
    model
        A trained model whose saved task is used when ``task`` is None.
    by, by_min_rows
        Columns to split every comparison by, and the smallest group shown on its own (as :func:`compare`).
    pred_column
        The column of ``pred`` to score (default ``class_pred``): e.g. ``class_joint``, the model
        and the people combined (``classify --votes``), scored with its ``prob_joint_<k>``
        (:func:`prediction_view`; :func:`scorable_columns` lists the choices).
    allow_few_matches
        As :func:`compare`: score references that pair under :data:`FEW_PAIRS_SHARE` of the
        smaller table.
    reference_column
        The column of each reference holding its classes (default ``class_ref``); with ``"self"``
        (the default when ``pred`` has the column and a prediction to score) a column of ``pred``
        itself: e.g. a LEGUS NGC 1566 catalogue's ``class_ml`` (``pred_column``) against its
        ``class_human_mode``.
    group_column
        Column naming each row's object (``object_id``), of the catalogue or else of the paired rows
        of the reference: every bootstrap interval resamples whole objects (as :func:`compare`).
        None: the column ``classify --stamps`` recorded in the catalogue's meta (``group_column``,
        the model's task's), else the one the model it names reads (a CSV keeps no meta), taken
        from the catalogue where it has it, else from each reference that has it (a folder
        classified without its labels, scored with ``-r labels.csv``); else every row is an object.
    progress
        Of each comparison's bootstrap resamples, as :func:`compare` (``report``: timed lines in its log).
    file_column
        The column of image files by which cutout tables are paired, where it is not ``file``
        (``--file-column filename``), in the catalogue and in every reference that has it. None: the column
        ``classify --stamps --file-column`` recorded in the catalogue (meta ``file_column``), else ``file``.
    pred_table
        The catalogue already read from the file ``pred`` (:func:`check_comparable`'s answer): used as it is,
        the file not read again; messages still name the file. None: ``pred`` is read.

    Returns
    -------
    Evaluation

    Raises
    ------
    StarclassError
        A ``group_column`` that the catalogue (and, for a reference, that reference) lacks, naming
        the column and the file.

    Examples
    --------
    >>> t = Table({"x": [1.0, 9.0, 20.0], "y": [1.0, 9.0, 20.0], "class_pred": [1, 2, 2],
    ...            "class_ref": [1, 2, 1]})
    >>> evaluate_catalogs(t, task="galaxy-cluster", n_boot=0).headline()
    {'prediction class_ref': {'2class': 0.6667}}
    >>> h = Table({"x": [1.0, 9.0, 20.0], "y": [1.0, 9.0, 20.0], "class_ml": [1, 2, 2],
    ...            "class_human_mode": [1, 2, 1], "class_ref": [1, 2, 2]})
    >>> evaluate_catalogs(h, task="galaxy-cluster", n_boot=0, pred_column="class_ml",
    ...                   reference_column="class_human_mode").headline()
    {'prediction class_human_mode': {'2class': 0.6667}}
    """
    # the bounds of evaluate --radius and --bootstrap, before any reading: n_boot=10**8 ran for days
    check_match_radius(radius)
    check_n_boot(n_boot)
    # `starclass evaluate` read the file for its check before its output folder: read twice, it cost the time twice
    ptab = load_catalog(pred, pred_name, file_column=file_column) if pred_table is None else pred_table
    # the tables, the Catalogues table and summary.json name it by its file, as the headings do
    pred_name = scored_name(pred, references, pred_name)
    etask, task_note = resolve_task(ptab, task, model=model)
    pshown = str(pred) if isinstance(pred, (str, Path)) else pred_name
    if file_column is not None:
        if file_column not in ptab.colnames:
            raise StarclassError(f"--file-column {file_column!r}: {pshown} has no such column (the column naming each "
                                 f"row's image file); its columns: {', '.join(ptab.colnames)}")
        if ptab.meta.get("file_column") != file_column:
            ptab = ptab.copy(copy_data=False)  # the caller's table keeps its meta
            ptab.meta["file_column"] = file_column
    # the references are paired by the files' column the catalogue was classified with (filename, path)
    files_by = file_column or (str(ptab.meta.get("file_column") or "") or None)
    file_columns = list(ptab.colnames)
    # the columns that may name each row's object when --group-column is not given, first found first
    implied: list[str] = []
    if group_column is None and (recorded := str(ptab.meta.get("group_column") or "")):
        # the object column classify --stamps read the folder with (m31-real: object_id): several cutouts
        # of one object resampled as independent rows gave intervals too narrow
        implied.append(recorded)
    if group_column is None and not (implied and implied[0] in ptab.colnames) and (
            used := model if model is not None else _recorded_model(ptab)) is not None:
        # a CSV keeps no meta: the model (--model, or the one its 'model' column names) says which column
        # classify --stamps read the objects from, as the task is read from it
        if (column := model_group_column(used)) is not None and column not in implied:
            implied.append(column)

    def group_of(rtab: Table | None) -> str | None:
        """The group column of a comparison with ``rtab``: given, else implied and in the prediction, else in rtab.

        A folder classified without its labels has no object_id; the labels CSV given with -r has it, and
        its paired rows name each row's object (the rows were resampled one by one: too narrow intervals).
        """
        if group_column is not None:
            return group_column
        for t in (ptab, rtab):
            if t is not None and (found := next((c for c in implied if c in t.colnames), None)) is not None:
                return found
        return None

    # an implied column empty on a scored row was refused as "group column 'object_id' (--group-column) is
    # empty", an option the user had not given: the message says where the column came from instead
    group_said = ("--group-column" if group_column is not None else
                  "the object column the model reads; fill it in, or name another with --group-column")
    ptab, refs, has_self, ref_col = _references_to_compare(ptab, etask, pred, pred_name, references, label_column,
                                                           pred_column, reference_column)
    # the column the catalogue's own reference classes were read from, as headings, tables, the Catalogues table
    # and summary.json name it: `--label-column expert` was headed "class_pred vs class_ref in out" (its labels are
    # read into class_ref, a column the user never named) and its tables were per_class_out_class_ref.ecsv
    ref_shown = reference_shown(file_columns, label_column, reference_column)
    own = self_catalogue_name(pred_name, ref_shown)  # the catalogue's own reference column, as a catalogue (-r self)
    # headings name the catalogue scored by its file, as the references are named (their stems): "prediction vs
    # truth" called a human catalogue or a reference scored against another a prediction. Its path as given
    # where a reference has its stem ("a/cat vs cat" rather than "cat vs cat"); pred_name stays the key
    pred_label = catalogue_name(pred) if isinstance(pred, (str, Path)) else None
    if pred_label is not None and pred_label in refs:
        pred_label = str(pred)
    scored = None
    # the "scored column" line names the catalogue as the rest of the output does: a LEGUS file by its field,
    # after the line that says which file that is ("ngc1566 is /the/long/path.tab"); it repeated the full path
    pline = (pred_label if isinstance(pred, (str, Path)) and pred_label is not None
             and catalogue_name_note(pred, pred_label) else None)
    if reference_column is not None and pred_column is not None and any(
            isinstance(r, str) and r == SELF for r in refs.values()):
        # checked on the file's own columns: after the --pred-column view its refusal listed that view's class_pred
        # among "its class columns" (ngc45.tab --pred-column legus_col35 --reference-column legus_col26, sed_chi2_f275w)
        with_reference_column(ptab, reference_column, str(pred) if isinstance(pred, (str, Path)) else pred_name)
    if pred_column is not None:
        pname = str(pred) if isinstance(pred, (str, Path)) else pred_name
        # compared with itself, the catalogue's class_ref is the reference and cannot be the prediction
        own_ref = any(isinstance(r, str) and r == SELF for r in refs.values())
        if own_ref and ref_col in (CLASS_REF, CLASS_HYBRID) and (note := hybrid_self_note(ptab, pred_column)):
            hybrid_line = note  # said after the "scored column" line
        else:
            hybrid_line = None
        same = _same_classes(ptab, pred_column, ref_col) if own_ref else 0
        ptab, scored = prediction_view(ptab, pred_column, etask, pname, exclude=[ref_col] if own_ref else [],
                                       said_as=pline, label_column=label_column if own_ref else None)
        if hybrid_line:
            scored += "; " + hybrid_line
        if same:
            # class_hybrid against class_ref (NGC 1566's column 34 under two names) scored 1.000 without a word
            scored += (f"; note: {pred_column} holds the class of {ref_col} on every one of the "
                       f"{counted(same, 'row')} it classifies (one column of the file under two names?): the figures "
                       "are 1 by construction; "
                       "score another column (--pred-column) or against another reference (--reference-column)")
    elif CLASS_PRED not in ptab.colnames and CLASS_REF in ptab.colnames:
        # the prediction's class_ref stands in for a model's classes: `evaluate truth.ecsv -r humans.ecsv`
        # (a catalogue not yet classified) printed accuracies as of a model without a word
        pname = str(pred) if isinstance(pred, (str, Path)) else pred_name
        scored = (f"scored column class_ref of {pline or pname} as the prediction (it has no class_pred, which "
                  "'starclass classify' writes)")
    if reference_column is not None and any(isinstance(r, str) and r == SELF for r in refs.values()):
        # the catalogue's own reference column becomes its class_ref (a view: the file's columns are not copied)
        ptab = with_reference_column(ptab, reference_column,
                                     str(pred) if isinstance(pred, (str, Path)) else pred_name)
    cats: dict[str, Table] = {pred_name: ptab}
    cols = {pred_name: class_column(ptab, CLASS_PRED, str(pred) if isinstance(pred, (str, Path)) else pred_name)}
    comparisons = []
    pairs_of: dict[str, tuple[np.ndarray, np.ndarray]] = {}  # catalogue -> its comparison's pairs
    # files read so far: the prediction given again as a reference (-r OUT.csv, or -r self -r OUT.csv) repeated
    # its warnings (unlabelled rows, a pandas index column) once per reading (a reference twice is refused above)
    read_files = {_file_key(pred)} - {None}
    label_read: dict[str, str] = {}  # reference name -> the --label-column its classes were read from
    # every reference is read before any is compared: a simulated people's table without centres of light takes
    # the truth's (with_light_of), which may be given after it (-r humans.ecsv -r truth.ecsv)
    loaded: dict[str, tuple[Table, str]] = {}
    for name, r in refs.items():
        if not (isinstance(r, str) and r == SELF):
            loaded[name] = _read_reference(name, r, ptab, pshown, etask, label_column, reference_column, files_by,
                                           read_files, label_read)
    for name, r in refs.items():
        if isinstance(r, str) and r == SELF:
            if CLASS_REF not in ptab.colnames:
                raise StarclassError(f"{pshown} has no class_ref column to compare with itself")
            _check_group_column(group_column, ptab, None, pshown, None, file_columns)
            comparisons.append(compare(ptab, ptab, etask, pred_name=pred_name, ref_name=own,
                                       columns=(pred_column or CLASS_PRED, ref_shown),
                                       ref_is_pred=True, radius=radius, n_boot=n_boot, target_purity=target_purity,
                                       quantities=quantities, by=by,
                                       by_min_rows=by_min_rows, allow_few_matches=allow_few_matches,
                                       group_column=group_of(None), sources=(pshown, pshown),
                                       group_said=group_said, progress=progress, pred_label=pred_label,
                                       rows_not_objects=(found := _ungrouped_column(group_of(None), implied,
                                                                                    ptab)) is not None))
            _say_ungrouped(comparisons[-1], found, implied, pshown)
            rt = ptab.copy(copy_data=False)
            rt.remove_columns([c for c in (CLASS_PRED,) if c in rt.colnames])
            cats[own] = rt
            cols[own] = CLASS_REF
            pairs_of[own] = comparisons[-1].pairs
            continue
        rtab, said = loaded[name]
        light_from = None
        if light_side(ptab, rtab) is None:
            # a people's table written before the simulator gave it x_light, y_light (its objects the truth's,
            # at the truth's x, y) was paired at the position alone: 58 of the demo's 60 objects, the demo 60
            for other, (t, _) in loaded.items():
                if other != name and (lit := with_light_of(rtab, t)) is not None:
                    rtab, light_from = lit, other
                    break
        cats[name] = rtab
        cols[name] = class_column(rtab, CLASS_REF, said)
        _check_group_column(group_column, ptab, rtab, pshown, said, file_columns)
        comparisons.append(compare(ptab, rtab, etask, pred_name=pred_name, ref_name=name, radius=radius,
                                   n_boot=n_boot, target_purity=target_purity, quantities=quantities, by=by,
                                   by_min_rows=by_min_rows, allow_few_matches=allow_few_matches,
                                   group_column=group_of(rtab), sources=(pshown, said), group_said=group_said,
                                   light_from=light_from,
                                   progress=progress, pred_label=pred_label,
                                   rows_not_objects=(found := _ungrouped_column(group_of(rtab), implied,
                                                                                ptab)) is not None))
        _say_ungrouped(comparisons[-1], found, implied, pshown)
        if light_from is None and (note := position_only_note(ptab, rtab, name, comparisons[-1].paired_by)):
            comparisons[-1].paired_by += note
        # pairing by id alone assumes one numbering: said on the pairing line, and warned of where the catalogue
        # was detected (its ids are its own) and the reference has no positions (an id,class_ref table of a truth)
        id_line, id_warning = id_only_note(ptab, rtab, (pshown, said), comparisons[-1].paired_by)
        comparisons[-1].paired_by += id_line
        if id_warning:
            warnings.warn(id_warning, UserWarning, stacklevel=2)
            comparisons[-1].notes.append(id_warning)
        pairs_of[name] = comparisons[-1].pairs
    if scored:
        for c in comparisons:
            c.notes.insert(0, scored)
    # a LEGUS file is named by its field in headings, tables and file names: each says once which file it is
    # (under its comparison on the page; evaluate prints them first, Evaluation.named)
    named: list[str] = []
    for c, (name, r) in zip(comparisons, refs.items()):
        said = [catalogue_name_note(r, name) if isinstance(r, (str, Path)) and str(r) != SELF else None]
        if c is comparisons[0] and isinstance(pred, (str, Path)) and pred_label is not None:
            said.insert(0, catalogue_name_note(pred, pred_label))
        c.notes[:0] = [n for n in said if n]
        named += [n for n in said if n]
    # a model scored on its own training cutouts read as held-out: classify --stamps said so beside its accuracy
    # line, evaluate and report of the table it wrote said nothing (until 2026-12-07)
    _say_in_sample(comparisons, ptab, pred, model, refs, progress=progress)
    counts = _class_counts(cats, cols, etask)
    # the columns as the user named them: the counts table said class_pred / class_ref for the
    # --pred-column and --reference-column read into them (class_ml against class_human_mode)
    # the prediction's column as scored: class_ref of a catalogue without class_pred (it said class_pred of it,
    # a column the catalogue does not have, until 2026-12-07)
    shown = {pred_name: pred_column or cols[pred_name],
             **{n: ref_col for n in cats if n != pred_name and reference_column is not None},
             **label_read}
    if own in cats:
        shown[own] = ref_shown
    counts["class_column"] = [shown.get(str(n), str(c)) for n, c in zip(counts["catalogue"], counts["class_column"])]
    # which model made each catalogue's classes, where one did: the one table that lists every catalogue compared
    # (a classification by one model scored against another's) did not say which model was which
    counts[MODEL_PATH] = [model_of(cats[str(n)], str(c)) for n, c in zip(counts["catalogue"], counts["class_column"])]
    # the catalogue's own reference (-r self, --label-column) is a copy of it, prob_<k> and all: "yes" said the
    # labels had probabilities
    counts["probabilities"] = ["yes" if p == "yes" and _model_column(str(c)) else "no"
                               for p, c in zip(counts["probabilities"], counts["class_column"])]
    # pred_column: the column scored (a catalogue without class_pred has its class_ref scored: summary.json, which
    # info reads, said class_pred of it until 2026-12-07, where evaluate's own line said class_ref)
    ev = Evaluation(etask, task_note, pred_name, cats, cols, counts, comparisons,
                    scored=scored, pred_column=pred_column or cols[pred_name], pred_label=pred_label, named=named,
                    shown_columns={str(n): shown.get(str(n), str(c)) for n, c in cols.items()},
                    label_column=label_column if label_column is not None and label_column in file_columns else None)
    ev.files = {name: str(src) for name, src in ((pred_name, pred), *refs.items())
                if isinstance(src, (str, Path)) and not (isinstance(src, str) and src == SELF)}
    if own in cats and pred_name in ev.files:
        ev.files[own] = ev.files[pred_name]
    # the objects every catalogue classifies: the Quality Ratio compares the catalogues' counts on them
    # (it compared each catalogue's counts over its own rows: NGC 1566's 2432 machine classes with the
    # people's 1061, a QR of 11 for class 3 that said more of who classified what than how)
    ev.common = common_rows(cats, cols, pairs_of, etask, pred_name)
    n_common = int(ev.common[pred_name].size)
    if set(pairs_of) == {own}:
        ev.common_note = (f"the {counted(n_common, 'row')} of {ev.shown(pred_name)} where both {shown[pred_name]} and "
                          f"{shown.get(own, ref_shown)} are classified")
    else:
        how = "; ".join(f"{c.ref_name}: {c.paired_by}" for c in comparisons)
        ev.common_note = (f"the {counted(n_common, 'object')} that every catalogue "
                          f"({', '.join(map(ev.shown, cats))}) classifies, paired as scored ({how})")
    # the catalogue compared with itself is not another catalogue to agree with
    usable = {n: t for n, t in cats.items() if not (has_self and n == own) and has_positions(t)}
    if len(usable) >= 2:
        # any task's, on its own classes: people disagreeing is no PHANGS matter (a binary m31 field's truth and
        # people got no table until 2026-12-07); PHANGS's merged 1+2 only for the PHANGS scheme (a four-class task
        # of its own names has no such merge)
        try:
            ev.agreement_table = agreement_table(usable, radius, class_cols=cols, classes=tuple(etask.classes),
                                                 merges=None if etask.phangs_like else {})
        except StarclassError as exc:
            ev.agreement_table_note = str(exc)
    elif len(pairs_of) >= 2 and not has_positions(cats[pred_name]):
        # a classified cutout list and two references of its cutouts (its labels, -r a volunteers' list paired by
        # file): the objects as each comparison paired them, for there are no positions to match
        try:
            ev.agreement_table = paired_agreement_table(
                aligned_labels(cats, cols, pairs_of, etask, pred_name), classes=tuple(etask.classes),
                merges=None if etask.phangs_like else {})
        except StarclassError as exc:
            ev.agreement_table_note = str(exc)
    if etask.phangs_like:
        ev.humans = _human_baselines(cats)
    return ev
