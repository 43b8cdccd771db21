"""The active-learning loop's next steps on mosaics, said alike by ``suggest`` and ``inspect --export``.

After a round on a field, ``suggest`` printed ``train --mosaics F --catalog CANDIDATES --labels LABELS.ecsv``
and ``inspect --export`` ``train --mosaics F --catalog LABELS.ecsv``: two fine-tunes for one step, and both on
the field's labels alone, where on cutouts a fine-tune on a round's labels alone forgot what its start had learnt
(docs/uncertainty.md: 0.566 on the test cutouts, 0.783 with the cutouts labelled so far beside them). One function
builds the command now (:func:`field_fine_tune`), with the fields the model was trained on beside the export
(suggest names the export itself: :func:`starclass.cli.suggest_cmd.export_file`).
"""

from __future__ import annotations

import os
import shlex
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from astropy.table import Table

#: The fields a model was trained on, in a fine-tune command where they are not known.
SO_FAR_FIELD = ("SO_FAR_DIR", "SO_FAR.ecsv")

#: What the placeholders of :data:`SO_FAR_FIELD` stand for, said after the command that holds them.
SO_FAR_WORDS = ("SO_FAR_DIR and SO_FAR.ecsv: the field MODEL was trained on and its labelled catalogue, one "
                "--mosaics/--catalog pair for each field ('starclass info MODEL'); on the labels of one round "
                "alone a fine-tune can forget what MODEL learnt")


def recorded_so_far(model_doc: dict | None, data_dir: str | os.PathLike | None) -> list[tuple[str, str]] | None:
    """The fields a model's manifest records it was trained on, as ``(mosaics folder, catalogue)`` pairs.

    The field being labelled (``data_dir``) is left out: its export holds its labels. None where the
    manifest records no field, or a field's mosaics are not in one folder (a fine-tune command could not
    name it as one ``--mosaics``).

    Examples
    --------
    >>> doc = {"training_fields": [{"mosaics": ["/d/a/x_f555w.fits", "/d/a/x_f814w.fits"],
    ...                             "catalog": "/d/a/truth.ecsv"}]}
    >>> recorded_so_far(doc, "/d/b")
    [('/d/a', '/d/a/truth.ecsv')]
    >>> recorded_so_far(doc, "/d/a"), recorded_so_far({}, "/d/b")
    ([], None)
    """
    from starclass.learn.checkpoint import trained_fields

    fields = trained_fields(model_doc)
    if not fields:
        return None
    here = os.path.abspath(data_dir) if data_dir is not None else None
    pairs = []
    for f in fields:
        folders = {os.path.dirname(os.path.abspath(str(m))) for m in f.get("mosaics") or ()}
        if len(folders) != 1 or not f.get("catalog"):
            return None
        folder = folders.pop()
        if folder != here:
            pairs.append((folder, str(f["catalog"])))
    return pairs


def field_fine_tune(data_dir: str, export: str, model: str = "MODEL",
                    so_far: Sequence[tuple[str, str]] | None = None) -> str:
    """The fine-tune after a round on a field: the fields the model was trained on, and the round's export.

    Parameters
    ----------
    data_dir : str
        The field's mosaics folder, as the line names it (quoted where needed, or ``DATA_DIR``).
    export : str
        The export ``inspect --export`` wrote (every label of the field so far).
    model : str
        The starting model (``MODEL`` where not known).
    so_far : sequence of (str, str), optional
        ``(mosaics folder, catalogue)`` of each field the model was trained on
        (:func:`recorded_so_far`); None: the placeholders of :data:`SO_FAR_FIELD`.

    Returns
    -------
    str
        The command, its words quoted for a shell.

    Examples
    --------
    >>> print(field_fine_tune("f1", "labels.ecsv"))  # doctest: +NORMALIZE_WHITESPACE
    starclass train --mosaics SO_FAR_DIR --catalog SO_FAR.ecsv --mosaics f1 --catalog labels.ecsv
    --resume-from MODEL -o NEW_MODEL
    >>> print(field_fine_tune("f1", "labels 1.ecsv", "m 0", [("/d/a", "/d/a/truth.ecsv")]))
    ... # doctest: +NORMALIZE_WHITESPACE
    starclass train --mosaics /d/a --catalog /d/a/truth.ecsv --mosaics f1 --catalog 'labels 1.ecsv'
    --resume-from 'm 0' -o NEW_MODEL
    """
    q = shlex.quote
    pairs = [SO_FAR_FIELD] if so_far is None else list(so_far)
    before = "".join(f" --mosaics {q(m) if m != SO_FAR_FIELD[0] else m} --catalog {q(c)}" for m, c in pairs)
    return (f"starclass train{before} --mosaics {data_dir} --catalog {q(export)} --resume-from "
            f"{q(model) if model != 'MODEL' else model} -o {q(new_model_name(model))}")


def new_model_name(model: str | os.PathLike = "MODEL") -> str:
    """The ``-o`` of a fine-tune's command: ``NEW_MODEL``, else the first ``NEW_MODEL_<k>`` not there yet.

    Walking the loop by hand (2026-12-07), round 1's fine-tune, pasted as printed, wrote ``NEW_MODEL``; round 2's
    line then read ``--resume-from NEW_MODEL -o NEW_MODEL``, which ``train`` refuses (its output is its input), and
    with ``NEW_MODEL_1`` it runs as printed (as :func:`starclass.cli.suggest_cmd.export_path` names the export).

    Examples
    --------
    >>> new_model_name("m0"), new_model_name("NEW_MODEL")  # none of them here
    ('NEW_MODEL', 'NEW_MODEL_1')
    """
    return free_name("NEW_MODEL", taken=(os.path.normpath(str(model)),))


def free_name(stem: str, suffix: str = "", taken: Sequence[str] = ()) -> str:
    """``stem + suffix`` where nothing is there yet (from here), else the first ``stem_<k> + suffix`` free.

    For the outputs a ``next:`` line names, so that a later round's line runs as printed: the fine-tune's model
    (:func:`new_model_name`), ``classify``'s ``suggest -o suggestions.ecsv`` (round 1 wrote it, and round 2's
    line was refused as printed, "exists; give --overwrite").

    Examples
    --------
    >>> free_name("suggestions", ".ecsv"), free_name("NEW_MODEL", taken=["NEW_MODEL"])
    ('suggestions.ecsv', 'NEW_MODEL_1')
    """
    name, k = f"{stem}{suffix}", 1
    while os.path.lexists(name) or name in taken:
        name, k = f"{stem}_{k}{suffix}", k + 1
    return name


def evaluation_option(default: str | os.PathLike = "evaluation") -> str:
    """`` -o NAME`` for a ``next:`` line's ``evaluate``, where its default folder exists here; else ``""``.

    ``evaluate`` writes into ``evaluation`` whatever it scores: a second ``classify`` in a folder where the
    first one's line was run proposed ``starclass evaluate c2.ecsv``, refused as printed ("--output evaluation
    exists; give --overwrite to replace it", found walking the seed presets, 2026-12-07). Quoted for a shell.

    Parameters
    ----------
    default : str or path-like
        The folder evaluate would write (``evaluation``, or one proposed beside a cutout folder).

    Examples
    --------
    >>> evaluation_option()  # none here
    ''
    >>> import tempfile, os
    >>> here = os.getcwd(); os.chdir(tempfile.mkdtemp()); os.mkdir("evaluation")
    >>> evaluation_option(), evaluation_option("elsewhere")
    (' -o evaluation_1', ' -o elsewhere')
    >>> os.rmdir("evaluation"); os.chdir(here)
    """
    name = str(default)
    if name == "evaluation" and not os.path.lexists(name):
        return ""
    return f" -o {shlex.quote(free_name(name))}"


def classified_name() -> str:
    """The ``-o`` of a ``classify`` a ``next:`` line proposes: ``classified.ecsv``, else the first one free.

    Quoted for a shell (:func:`free_name`): a second ``train`` or ``calibrate`` in a folder where the first
    line's classify was run proposed ``-o classified.ecsv`` again, which classify refuses as printed.

    Examples
    --------
    >>> classified_name()  # none here
    'classified.ecsv'
    """
    return shlex.quote(free_name("classified", ".ecsv"))


def catalogue_model(table: Table, catalogue: str | os.PathLike) -> tuple[Path | None, str]:
    """The model a classified catalogue records (``classify`` / ``suggest``), found on disk, or why it is not.

    The meta's ``model`` (a FITS header's ``MODEL``), else the one model its ``model`` column names (a CSV
    keeps no meta: ``classify`` names the model in a column). A relative path is tried from here, then from
    the catalogue's folder (:func:`found_model`). ``(path, "")`` where found; ``(None, "")`` where the
    catalogue names no model (or one in memory); ``(None, why)`` where the model it names is no longer there.

    Parameters
    ----------
    table : astropy.table.Table
        The catalogue as read.
    catalogue : path-like
        Where it was read from.

    Returns
    -------
    tuple of (pathlib.Path or None, str)

    Examples
    --------
    >>> from astropy.table import Table
    >>> catalogue_model(Table({"id": [1]}, meta={"model": "no/such/m0"}), "c.ecsv")
    (None, 'c.ecsv names model no/such/m0, which is no longer there')
    >>> catalogue_model(Table({"id": [1]}), "c.ecsv")
    (None, '')
    """
    import numpy as np

    from starclass.schema import MODEL_PATH

    meta = getattr(table, "meta", None) or {}
    named = meta.get(MODEL_PATH, meta.get(MODEL_PATH.upper()))
    if not named and MODEL_PATH in getattr(table, "colnames", ()) and len(table):
        paths = sorted({str(v).strip() for v in np.ma.asarray(table[MODEL_PATH]).compressed()} - {""})
        named = paths[0] if len(paths) == 1 else None  # several models' rows: none is the catalogue's
    named = model_text(named)
    if named is None:
        return None, ""
    found = found_model(named, Path(catalogue).parent)
    if found is None:
        from starclass.errors import model_word

        return None, f"{catalogue} names model {model_word(named)}, which is no longer there"
    return found, ""


def model_text(named: object) -> str | None:
    """A recorded model's path as text, or None where the record names none (empty, not text, ``(in memory)``).

    Examples
    --------
    >>> model_text("runs/m0"), model_text("(in memory)"), model_text(None)
    ('runs/m0', None, None)
    """
    if not isinstance(named, str) or not named.strip() or named.startswith("("):
        return None
    return named.strip()


def found_model(named: str, beside: Path) -> Path | None:
    """A model a file records by path, where it is now: as written (from here), else from the file's folder.

    A relative path was recorded from the folder the command ran in: run from elsewhere, the file's own
    folder is the next place to look (an output written beside the model it names).

    Examples
    --------
    >>> found_model("no/such/model", Path(".")) is None
    True
    """
    tried = [Path(named)] if Path(named).is_absolute() else [Path(named), Path(beside) / named]
    return next((p for p in tried if p.exists()), None)


def fine_tune_words(data_dir: str, export: str, model: str | os.PathLike | None,
                    mosaics_dir: str | os.PathLike | None, why: str = "") -> tuple[str, str]:
    """The fine-tune after a round on a field, and what its placeholders stand for: ``suggest``'s and ``inspect``'s.

    The model's manifest gives the fields it was trained on (:func:`recorded_so_far`); where it does not, the
    placeholders of :data:`SO_FAR_FIELD` stand in the command and the words after it say what they stand for
    and, in a few words, why they are there: the model is gone (``why``, from :func:`catalogue_model`), its
    manifest cannot be read, or it records no field in one folder. ``MODEL`` stands for a model not known.

    Parameters
    ----------
    data_dir : str
        The field's mosaics folder as the command names it (:func:`field_fine_tune`).
    export : str
        The round's export, unquoted.
    model : path-like or None
        The starting model; None: not known (``MODEL``).
    mosaics_dir : path-like or None
        The field's mosaics folder on disk (left out of the fields recorded), None where not one folder.
    why : str, optional
        Why ``model`` is None where it was named (gone).

    Returns
    -------
    tuple of str
        The command, and the words after it (empty, or starting with a space and in parentheses).

    Examples
    --------
    >>> import tempfile
    >>> m0 = Path(tempfile.mkdtemp()) / "m0"
    >>> _ = m0.mkdir(), (m0 / "manifest.json").write_text("{")
    >>> tune, said = fine_tune_words("f1", "labels.ecsv", m0, "f1")
    >>> print(tune.replace(str(m0), "m0"))  # doctest: +NORMALIZE_WHITESPACE
    starclass train --mosaics SO_FAR_DIR --catalog SO_FAR.ecsv --mosaics f1 --catalog labels.ecsv --resume-from
    m0 -o NEW_MODEL
    >>> said.endswith(f"; model {m0} cannot be read (starclass info {m0} says why))")
    True
    >>> fine_tune_words("f1", "labels.ecsv", None, "f1", "c.ecsv names model m0, which is no longer there")[1][-57:]
    '; MODEL: c.ecsv names model m0, which is no longer there)'
    """
    from starclass.errors import model_word
    from starclass.io.paths import short_path
    from starclass.learn.checkpoint import trained_fields

    so_far = None
    if model is not None:
        doc, unread = _manifest(Path(model))
        so_far = recorded_so_far(doc, mosaics_dir)
        # as typed from here: classify records its model absolute, and a user in /tmp/me who typed m0 was told
        # /tmp/me/m0 (short_path); the fields a manifest records, absolute too, likewise
        model = short_path(model)
        if so_far is not None:
            so_far = [(short_path(m), short_path(c)) for m, c in so_far]
        if not Path(model).exists():
            why = f"model {model_word(model)} is not there"
        elif unread:
            why = f"model {model_word(model)} cannot be read ({shlex.join(['starclass', 'info', model])} says why)"
        elif so_far is None:
            # a model trained before the record (2026-12-07), on cutouts or stores, or on mosaics in several folders
            why = (f"model {model_word(model)} records no field it was trained on" if not trained_fields(doc) else
                   f"model {model_word(model)} records fields whose mosaics are not in one folder each")
    elif why:
        why = f"MODEL: {why}"
    tune = field_fine_tune(data_dir, export, "MODEL" if model is None else model, so_far)
    if so_far is not None:
        return tune, ""
    return tune, f" ({SO_FAR_WORDS}{f'; {why}' if why else ''})"


def _manifest(model: Path) -> tuple[dict | None, bool]:
    """A model's manifest, or None and whether it failed to read (a hint never fails for it).

    A single member file (``.pt``) has no manifest of its own: nothing is recorded, nothing failed.
    """
    from starclass.errors import StarclassError
    from starclass.learn.checkpoint import read_manifest

    if model.is_file() and model.suffix.lower() != ".json":
        return None, False
    try:
        return read_manifest(model), False
    except (StarclassError, OSError, ValueError):  # refused, unreadable or not JSON: 'starclass info' says which
        return None, True


#: Another field's mosaics, in the classify command after ``train`` or ``calibrate`` on a field.
OTHER_DIR = "OTHER_DIR"


def other_field_words(used: str | None, how: str) -> str:
    """What :data:`OTHER_DIR` stands for after a command that used a field to train or calibrate a model.

    ``train --mosaics mos`` and ``calibrate MODEL m31 -c held.ecsv`` ended with ``classify mos -c CANDIDATES``
    (``classify m31 ...``): the field just used, where classify's scores are in-sample (classify warns of a
    training field, and of the calibration field: 0.900-0.903 coverage for every class there, 0.881-0.909 on a
    test field). The line proposes another field, and says so.

    Parameters
    ----------
    used : str or None
        The field's folder as the line names it (quoted for a shell), None where not one folder.
    how : str
        What the command did with it: ``"trained"``, ``"calibrated"``.

    Returns
    -------
    str

    Examples
    --------
    >>> print(other_field_words("mos", "trained"))  # doctest: +NORMALIZE_WHITESPACE
    OTHER_DIR: the mosaics folder of a field it was not trained on, not mos; scored there, its figures would be
    in-sample
    >>> other_field_words(None, "calibrated")[:70]
    'OTHER_DIR: the mosaics folder of a field it was not calibrated or trai'
    """
    seen = "trained" if how == "trained" else f"{how} or trained"
    return (f"{OTHER_DIR}: the mosaics folder of a field it was not {seen} on{f', not {used}' if used else ''}; "
            "scored there, its figures would be in-sample")


def quick_task(bands: Sequence[str], classes: Sequence[int] | None = None) -> str | None:
    """The first compact task preset (quick on a CPU) of exactly these bands (and ``classes``), or None.

    One rule for the first trains ``simulate`` and ``inspect --export`` propose: ``inspect``'s said
    ``train --task legus4-compact`` whatever the field's bands, which train refused on its own demo field
    (f336w, f555w, f814w: "bands f275w, f438w missing from the mosaics").

    Parameters
    ----------
    bands
        The field's bands (case is not told apart).
    classes
        The labels' classes, where the preset's must be the same (a PHANGS export's 1-4); None: any.

    Returns
    -------
    str or None

    Examples
    --------
    >>> quick_task(["g", "i"]), quick_task(["f275w", "f336w", "f438w", "f555w", "f814w"]), quick_task(["u"])
    ('m31-binary-compact', 'legus4-compact', None)
    >>> quick_task(["g", "i"], classes=[1, 2, 3, 4]) is None, quick_task(["b", "g", "r"])
    (True, 'open-globular-compact')
    """
    from starclass.learn.config import PRESETS, get_preset

    # as a set: train reads the mosaics by band, in any order (a folder lists open-globular's r, g, b as b, g, r)
    want = sorted({b.lower() for b in bands})
    for name in PRESETS:
        cfg = get_preset(name)
        if (name.endswith("-compact") and sorted({b.lower() for b in cfg.bands}) == want
                and (classes is None or list(cfg.classes) == list(classes))):
            return name
    return None


def first_train_task(bands: Sequence[str] | None, base: str | None = None,
                     classes: Sequence[int] | None = None) -> tuple[str, str]:
    """The ``--task`` of a first train on a field of ``bands``, and words for it where it is a placeholder.

    Parameters
    ----------
    bands
        The field's bands; None where they are not known (no mosaics read).
    base
        The preset a task file would extend where none fits (``inspect``'s PHANGS labels: legus4-compact);
        None: ``<preset>``, to choose.
    classes
        As :func:`quick_task`.

    Returns
    -------
    tuple of str
        The task (:func:`quick_task`'s, else ``TASK``), and ``""`` or words that say what TASK is.

    Examples
    --------
    >>> first_train_task(["g", "i"])
    ('m31-binary-compact', '')
    >>> print(first_train_task(["f336w", "f555w", "f814w"], "legus4-compact")[1])  # doctest: +NORMALIZE_WHITESPACE
    TASK: no packaged task reads bands f336w, f555w, f814w alone; write a task file with 'extends: legus4-compact'
    and 'bands: [f336w, f555w, f814w]' and give its path
    """
    from starclass.learn.config import task_file_with

    if bands is None:
        return "TASK", ("TASK: a compact task preset of the field's bands, e.g. legus4-compact for f275w, f336w, "
                        "f438w, f555w, f814w ('starclass train --help' lists them); no mosaics were read here to "
                        "choose one by")
    if name := quick_task(bands, classes):
        return name, ""
    listed = ", ".join(bands)
    entries = "'bands: [" + listed + "]'"
    return "TASK", (f"TASK: no packaged task reads bands {listed} alone; write {task_file_with(base, entries)} "
                    "and give its path")
