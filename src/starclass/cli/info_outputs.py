"""``starclass info`` on the folders (and their main files) evaluate, report, explain and survey write.

``starclass evaluate cls.csv -o ev; starclass info ev`` said "no catalogue could be read in ev
(looked for .tab, ...)" of a folder starclass had written itself; so did ``info`` of a report's,
explain's and survey's folder, ``info report.html`` read the page as a table for minutes, and
``info ev/summary.json`` said only "it is JSON". Each is now said as what it is, with its main
figures, as ``info`` describes a ``train --cv`` folder.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path

from starclass.errors import counted, model_word, shell_word

#: The JSON file starclass writes into each of these folders, and what it holds.
FOLDER_FILES = {"summary.json": "the headline numbers of the folder",
                "explain.json": "what explain did: the model, stamps, methods and class means",
                "plan.yaml": "the survey plan of the fields beside it"}


#: What a demo run writes into its folder (``starclass.pipeline.DEMO_OUTPUTS``, which imports torch).
DEMO_ENTRIES = ("train_field", "test_field", "candidates.ecsv", "completeness.ecsv", "classified.ecsv",
                "model", "report")


def demo_lines(folder: Path) -> list[str] | None:
    """Below the catalogues of a demo folder: that it is one, and where its model, report and fields are.

    Examples
    --------
    >>> demo_lines(Path("no/such/folder")) is None
    True
    """
    if not folder.is_dir() or not all((folder / name).exists() for name in DEMO_ENTRIES):
        return None
    page = _report_page(folder / "report")
    return [f"demo folder {folder} (starclass demo): simulated fields {folder / 'train_field'} (trained on) and "
            f"{folder / 'test_field'} (detected, classified: the catalogues above)",
            f"  model: starclass info {shell_word(folder / 'model')}",
            f"  report: open {page or folder / 'report'} in a browser",
            f"  completeness of the detection: starclass info {shell_word(folder / 'completeness.ecsv')}"]


def _json(path: Path) -> dict | None:
    """The JSON object in ``path``, or None (absent, unreadable, not an object)."""
    try:
        doc = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return doc if isinstance(doc, dict) else None


def _listing(folder: Path, sub: str, kind: str, suffix: str) -> str:
    """``tables: 12 in ev/tables`` (what a folder's sub-folder holds; up to 6 named), or ``tables: none``.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> (d / "tables").mkdir()
    >>> for n in ("stamps.ecsv", "profiles.ecsv"):
    ...     _ = (d / "tables" / n).write_text("")
    >>> _listing(d, "tables", "tables", ".ecsv") == f"tables: 2 in {d / 'tables'} (profiles.ecsv, stamps.ecsv)"
    True
    """
    files = sorted((folder / sub).glob(f"*{suffix}")) if (folder / sub).is_dir() else []
    if not files:
        return f"{kind}: none"
    # named where few: "tables: 2 in ex/tables" left a user to list the folder to learn which
    named = f" ({', '.join(f.name for f in files)})" if len(files) <= 6 else ""
    return f"{kind}: {len(files)} in {folder / sub}{named}"


def _evaluation_lines(folder: Path, doc: dict) -> list[str]:
    """An evaluate -o folder: the task, the column scored, each comparison's rows and headline metrics."""
    task = doc.get("task") if isinstance(doc.get("task"), dict) else {}
    names = dict(zip(task.get("classes") or [], task.get("class_names") or []))
    classes = ", ".join(f"{k} ({v})" for k, v in names.items()) or "not recorded"
    lines = [f"evaluation folder {folder} (starclass evaluate): "
             + (f"task {task['task']!r}, " if task.get("task") else "no task named, ") +
             f"classes {classes}; scored column {doc.get('prediction_column', 'class_pred')}"]
    trust = doc.get("trust") if isinstance(doc.get("trust"), dict) else {}
    for ref, acc in (doc.get("headline") or {}).items():
        n = _rows_scored(folder, ref)
        # the balanced accuracy beside each (from the comparison's summary table): a model calling 1198 of 1200
        # candidates of a field of 8 % clusters "non-cluster" read "accuracy (2class) 0.924" alone
        balanced = _balanced_accuracies(folder, ref)
        said = ", ".join(f"accuracy ({merge}) {a:.3f}"
                         + (f" (balanced {balanced[merge]:.3f})" if merge in balanced else "")
                         for merge, a in (acc or {}).items() if isinstance(a, (int, float)))
        line = f"  {ref}: {counted(n, 'row') + ' scored, ' if n is not None else ''}{said or 'no accuracy'}"
        t = trust.get(ref) or {}
        if isinstance(t.get("ece"), (int, float)) and isinstance(t.get("brier"), (int, float)):
            line += f"; ECE {t['ece']:.3f}, Brier {t['brier']:.3f}"
        lines.append(line)
    return lines + _tables_figures(folder)


def _rows_scored(folder: Path, ref: str) -> int | None:
    """The rows a comparison scored: the ``n`` of its ``tables/summary_<ref>.ecsv``, else None."""
    from astropy.table import Table

    path = folder / "tables" / f"summary_{ref}.ecsv"
    try:
        t = Table.read(path, format="ascii.ecsv")
        return int(max(t["n"])) if "n" in t.colnames and len(t) else None
    except Exception:  # an older or edited table: the line goes without the count
        return None


def _balanced_accuracies(folder: Path, ref: str) -> dict[str, float]:
    """Each merge's balanced accuracy in a comparison's ``tables/summary_<ref>.ecsv``; none where it cannot be read."""
    import numpy as np
    from astropy.table import Table

    try:
        t = Table.read(folder / "tables" / f"summary_{ref}.ecsv", format="ascii.ecsv")
        return {str(r["merge"]): float(r["balanced_accuracy"]) for r in t
                if np.isfinite(float(r["balanced_accuracy"]))}
    except Exception:  # an older or edited table: the line goes without it, as without the count
        return {}


def _tables_figures(folder: Path, *, figures: bool = True) -> list[str]:
    """Where a results folder's tables and figures (a report's are in its page) are, and how to see one table."""
    lines = [f"  {_listing(folder, 'tables', 'tables', '.ecsv')}"
             + (f"; {_listing(folder, 'figures', 'figures', '.png')}" if figures else "")]
    tables = sorted((folder / "tables").glob("*.ecsv")) if (folder / "tables").is_dir() else []
    if tables:
        # the headline table where there is one (evaluate's summary_<reference>.ecsv), else the first by name
        first = next((t for t in tables if t.name.startswith("summary_")), tables[0])
        # "one table (each with its rows): starclass info ..." read as if it listed the tables
        lines.append(f"  a table with its rows: starclass info {shell_word(first)}")
    return lines


def _many_lines(folder: Path, doc: dict) -> list[str]:
    """An ``evaluate --catalogs`` folder: the fields, the inspected sources, the pooled accuracies."""
    fields = doc.get("fields") or []
    lines = [f"evaluation folder {folder} (starclass evaluate --catalogs): {counted(len(fields), 'field')}, "
             + (f"{doc['n_inspected']} human-inspected sources" if doc.get("n_inspected") is not None
                else "human-inspected sources, how many not recorded")]
    for task, rules in (doc.get("ladder_pooled") or {}).items():
        lines.append(f"  pooled, {task}: " + ", ".join(f"{r} {a:.3f}" for r, a in rules.items()))
    return lines + _tables_figures(folder)


def _explain_lines(folder: Path, doc: dict) -> list[str]:
    """An explain -o folder: the model, the stamps explained, the methods, the class means."""
    names = dict(zip(doc.get("classes") or [], doc.get("class_names") or []))
    per = doc.get("n_per_class") or {}
    means = ", ".join(f"{k} ({names.get(int(k), '?')}): {n}" for k, n in per.items()) if per else "none"
    # a summary edited by hand or written before a key was kept: "model None (task None) ... of None" was printed
    model = model_word(doc["model"]) if doc.get("model") else "not recorded"
    task = repr(doc["task"]) if doc.get("task") else "not recorded"
    lines = [f"explain folder {folder} (starclass explain): model {model} (task {task}), "
             f"{counted(int(doc.get('n_stamps') or 0), 'stamp')}"
             f"{' of ' + str(doc['stamps']) if doc.get('stamps') else ''} explained",
             f"  methods: {', '.join(doc.get('methods') or []) or 'none'}; class means over "
             f"{doc.get('grouping') or 'the stamps'}: {means}"]
    if (folder / "maps.npz").is_file():
        lines.append(f"  saliency maps: {folder / 'maps.npz'}")
    return lines + _tables_figures(folder)


def _survey_lines(folder: Path, doc: dict) -> list[str]:
    """A survey -o folder: its summary as survey printed it, and where the catalogues are."""
    from starclass.survey.run import summary_lines, unfinished_run

    run = unfinished_run(folder)
    if run is not None:
        # an interrupted 'survey --overwrite' rerun left the earlier run's summary.json (and catalogues) beside a mix
        # of new and old tiles, and this said "survey complete: 902 candidates ... 27 tiles" of it
        n = sum(len(v) for v in survey_tile_files(folder).values())
        how = " with --overwrite" if run.get("overwrite") else ""
        said = [f"survey NOT finished: a run over this folder started {run.get('started', '(time unknown)')}{how} "
                f"has not finished (stopped, failed, or running now); {counted(n, 'tile')} in {folder / 'tiles'} "
                "(of this run and the earlier one); summary.json and the catalogues below are of an earlier run, "
                "not of these tiles: rerun the same starclass survey command to finish it"]
        earlier = " of the earlier run"
    else:
        earlier = ""
        try:
            said = summary_lines(doc)
        except (KeyError, TypeError, AttributeError):  # a summary.json of an unfinished or older run
            said = ["survey not finished (its summary.json is partial): rerun the same starclass survey command"]
    lines = [f"survey folder {folder} (starclass survey):", *("  " + s for s in said)]
    if (folder / "catalogue").is_dir():
        lines.append(f"  merged catalogue{earlier}: {folder / 'catalogue'} (Parquet, one part per field)")
    found = sorted((folder / "fields").glob("*/catalogue.parquet")) if (folder / "fields").is_dir() else []
    if found:
        lines.append(f"  one field's catalogue{earlier}: starclass info {shell_word(found[0])}")
    return lines


#: A tile file of a survey's restart state, ``OUT/tiles/<field>/r<row>_c<col>.parquet`` (``survey.tiles.Tile.name``).
TILE_FILE = re.compile(r"r\d{3,}_c\d{3,}\.parquet")


def survey_tile_files(folder: Path) -> dict[str, list[Path]]:
    """The finished tiles a survey's output folder holds, by field (``OUT/tiles/<field>/r<row>_c<col>.parquet``).

    Parameters
    ----------
    folder : pathlib.Path
        A ``starclass survey -o`` folder, finished or not.

    Returns
    -------
    dict of str to list of pathlib.Path
        Each field's tile files, sorted; fields without any are left out (empty when there is no ``tiles/``).

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> (d / "tiles" / "A").mkdir(parents=True)
    >>> for name in ("r000_c000.parquet", "r000_c001.parquet", "notes.txt"):
    ...     _ = (d / "tiles" / "A" / name).write_bytes(b"")
    >>> {k: [p.name for p in v] for k, v in survey_tile_files(d).items()}
    {'A': ['r000_c000.parquet', 'r000_c001.parquet']}
    """
    tiles = folder / "tiles"
    if not tiles.is_dir():
        return {}
    found: dict[str, list[Path]] = {}
    for field_dir in sorted(p for p in tiles.iterdir() if p.is_dir()):
        files = sorted(f for f in field_dir.iterdir() if TILE_FILE.fullmatch(f.name) and f.is_file())
        if files:
            found[field_dir.name] = files
    return found


def _parquet_whole(path: Path) -> bool:
    """Whether ``path`` begins and ends with Parquet's magic bytes (a file cut short or overwritten does not).

    Read without pyarrow: ``info`` stays quick, and this is what a truncated copy or a stray write breaks.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "a.parquet").write_bytes(b"PAR1" + bytes(8) + b"PAR1")
    >>> _ = (d / "b.parquet").write_bytes(b"PAR1" + bytes(8))
    >>> _parquet_whole(d / "a.parquet"), _parquet_whole(d / "b.parquet"), _parquet_whole(d / "none.parquet")
    (True, False, False)
    """
    try:
        with open(path, "rb") as f:
            head = f.read(4)
            f.seek(0, os.SEEK_END)
            if f.tell() < 12:
                return False
            f.seek(-4, os.SEEK_END)
            return head == b"PAR1" and f.read(4) == b"PAR1"
    except OSError:
        return False


def _unfinished_survey_lines(folder: Path) -> list[str] | None:
    """A survey -o folder stopped before its merge (Ctrl-C, a failure, running now): its finished tiles, else None.

    ``info`` said "no catalogue could be read in run (looked for .tab, ...)" of the folder a Ctrl-C'd survey
    leaves (``tiles/`` and the lock file, no summary.json), which the survey itself had called resumable.
    """
    every = survey_tile_files(folder)
    if not every or (folder / "summary.json").exists():
        return None
    # a truncated or overwritten tile file was counted as finished, though the survey runs that tile again
    damaged = [f for files in every.values() for f in files if not _parquet_whole(f)]
    tiles = {name: kept for name, files in every.items() if (kept := [f for f in files if f not in damaged])}
    n = sum(len(v) for v in tiles.values())
    per_field = ", ".join(f"{name} {len(files)}" for name, files in tiles.items())
    lines = [f"survey folder {folder} (starclass survey), not finished: {counted(n, 'tile')} finished in "
             f"{counted(len(tiles), 'field')} ({per_field}), kept in {folder / 'tiles'}",
             "  no merged catalogue and no summary.json yet: they are written once every tile of the plan is; "
             "the same starclass survey command resumes from these tiles (a survey stopped by Ctrl-C leaves them so)"]
    if damaged:
        names = ", ".join(f.relative_to(folder / "tiles").as_posix() for f in damaged[:5])
        more = f" and {len(damaged) - 5} more" if len(damaged) > 5 else ""
        lines.append(f"  {counted(len(damaged), 'tile file')} cannot be read "
                     f"(damaged or truncated: {names}{more}): the survey runs "
                     f"{'it' if len(damaged) == 1 else 'them'} again")
    holder = _json(folder / ".survey.lock")
    if holder is not None and isinstance(holder.get("pid"), int) and isinstance(holder.get("host"), str):
        lines.append(f"  its lock file names a survey (pid {holder['pid']} on {holder['host']}, started "
                     f"{holder.get('started', '?')}): it is running now, or was killed without clearing it")
    return lines


#: How every page starclass report writes begins (its title), for folders whose tables/.page is missing.
REPORT_TITLE = b"<title>starclass report"


def _report_page(folder: Path) -> Path | None:
    """The HTML page a report -o folder holds, else None.

    Its ``tables/.page`` names it (``starclass.report.build.TABLES_PAGE``: not imported, as the report
    package draws figures with matplotlib, seconds for a line of text); in a folder written before
    that file, the one page there whose head has the report's title.
    """
    try:
        name = (folder / "tables" / ".page").read_text(encoding="utf-8").strip()
    except OSError:
        name = ""
    if name and "/" not in name:
        return folder / name
    if not folder.is_dir():
        return None
    pages = [f for f in folder.iterdir() if f.suffix.lower() in (".html", ".htm") and f.is_file()
             and _is_report(f)]
    return pages[0] if len(pages) == 1 else None


def _is_report(path: Path) -> bool:
    """Whether an HTML file is a page starclass report wrote (its title, in the first 4 KiB)."""
    try:
        with open(path, "rb") as fh:
            return REPORT_TITLE in fh.read(4096)
    except OSError:
        return False


def _report_lines(folder: Path, page: Path) -> list[str]:
    """A report -o folder: its page and its tables."""
    there = "" if page.is_file() else " (not there: moved or deleted)"
    return [f"report folder {folder} (starclass report): open {page}{there} in a browser (figures embedded)",
            *_tables_figures(folder, figures=False)]


def plan_parse_error(folder: Path) -> str | None:
    """Why the survey plan of a folder (``plan.yaml``) does not parse, in one line; None when it does or is absent.

    ``info`` of a folder holding only a broken plan said "no catalogue could be read in DIR", without
    a word of the plan (:func:`_plan_lines` gives up on it silently, so that the folder is read
    as catalogues next).

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "plan.yaml").write_text("fields:\\n  - name: a\\n    mosaics: {g: a.fits\\n")
    >>> print(plan_parse_error(d))  # doctest: +ELLIPSIS
    line 4, column 1: expected ',' or '}', but got the end of the file (while parsing a flow mapping ...)
    >>> plan_parse_error(d / "elsewhere") is None
    True
    >>> import shutil; shutil.rmtree(d)
    """
    import yaml

    from starclass.errors import parse_error_text

    try:
        yaml.safe_load((folder / "plan.yaml").read_text(encoding="utf-8"))
    except OSError:
        return None
    except (ValueError, yaml.YAMLError) as exc:
        return parse_error_text(exc)
    return None


def _plan_lines(folder: Path) -> list[str] | None:
    """A folder of fields with its survey plan (``simulate --fields``): the fields and how to survey them."""
    import yaml

    try:
        doc = yaml.safe_load((folder / "plan.yaml").read_text(encoding="utf-8"))
    except (OSError, ValueError, yaml.YAMLError):
        return None
    fields = doc.get("fields") if isinstance(doc, dict) else None
    if not isinstance(fields, list) or not all(isinstance(f, dict) for f in fields):
        return None
    names = [str(f.get("name", "?")) for f in fields]
    shown = ", ".join(names[:10]) + (f", ... ({len(names) - 10} more)" if len(names) > 10 else "")
    from starclass.cli.next_steps import free_name

    # the output a name not there yet (next_steps.free_name): '-o OUT' was a placeholder to edit before the line
    # ran; the model one only where the plan names none, and then said to be one
    model = "" if doc.get("model") else " --model MODEL"
    said = "" if doc.get("model") else " (MODEL: give your model, a folder starclass train wrote; the plan names none)"
    lines = [f"fields folder {folder} (a survey plan, {folder / 'plan.yaml'}; starclass simulate --fields writes "
             f"one): {counted(len(fields), 'field')}: {shown}",
             f"  survey them: starclass survey {shell_word(folder / 'plan.yaml')}{model} "
             f"-o {shell_word(free_name('run'))}{said}"]
    first = next((folder / str(f["mosaics"]) for f in fields if f.get("mosaics")), None)
    if first is not None and first.is_dir():
        lines.append(f"  one field (its catalogues and mosaics): starclass info {shell_word(first)}")
    return lines


def _merged_catalogue_lines(folder: Path) -> list[str] | None:
    """A survey's merged catalogue (``OUT/catalogue``, one ``field=<name>/part-0.parquet`` each): rows per field."""
    parts = sorted(folder.glob("field=*/*.parquet"))
    if not parts or any(not p.is_file() for p in parts):
        return None
    import pyarrow.parquet as pq

    rows: dict[str, int] = {}
    try:
        for p in parts:
            name = p.parent.name.split("=", 1)[1]
            rows[name] = rows.get(name, 0) + pq.ParquetFile(p).metadata.num_rows
    except Exception:  # not Parquet after all: the catalogue reader says why
        return None
    survey = f" of the survey in {folder.parent}" if (folder.parent / "summary.json").is_file() else ""
    lines = [f"merged catalogue {folder}{survey} (Parquet, one part per field): "
             f"{counted(sum(rows.values()), 'row')} in {counted(len(rows), 'field')}"]
    lines += [f"  {name}: {counted(n, 'row')}" for name, n in rows.items()]
    lines.append(f"  read it whole: pyarrow.parquet.read_table('{folder}') (docs/survey.md); one field: "
                 f"starclass info {shell_word(parts[0])}")
    from starclass.survey.run import unfinished_run

    if (run := unfinished_run(folder.parent)) is not None:
        # read on its own, the catalogue of an earlier run beside an unfinished rerun's tiles passed for the folder's
        lines.insert(1, f"  of an earlier run: a survey run over {folder.parent} started "
                        f"{run.get('started', '(time unknown)')} has not finished (starclass info "
                        f"{shell_word(folder.parent)})")
    return lines


def _simulation_settings(path: Path) -> tuple[str, str] | None:
    """What a ``simulation.json`` of simulate drew (``"a field"``, ``"preset cool-core"``) and its settings said.

    None when the file is not one (no ``config``, or not JSON).
    """
    doc = _json(path)
    if doc is None or "config" not in doc:
        return None
    cfg = doc["config"] if isinstance(doc["config"], dict) else {}
    said = ", ".join(f"{k} {cfg[k]}" for k in ("seed", "shape", "n_candidates", "n", "size") if k in cfg)
    what = f"preset {doc['preset']}" if doc.get("preset") else "a field"
    return what, said or "its config"


def _simulation_lines(path: Path) -> list[str] | None:
    """A ``simulation.json`` of simulate: what it records and the folder it belongs to."""
    if (drawn := _simulation_settings(path)) is None:
        return None
    what, said = drawn
    return [f"{path} holds the settings starclass simulate drew {what} from ({said}); "
            f"the simulated data: starclass info {shell_word(path.parent)}"]


def simulation_note(path: Path) -> str | None:
    """The note of a folder summary (``info FIELD_DIR``) on the simulator's ``simulation.json`` in it.

    Parameters
    ----------
    path : pathlib.Path
        A file of the folder, e.g. ``FIELD_DIR/simulation.json``.

    Returns
    -------
    str or None
        ``"simulation.json: the settings starclass simulate drew ... from (...), not a catalogue (...)"``;
        None when the file is not simulate's record (it is then noted as any file not read as a catalogue).

    Examples
    --------
    >>> import json, tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "simulation.json").write_text(json.dumps({"config": {"seed": 3}}))
    >>> simulation_note(d / "simulation.json").split(" (starclass info")[0]
    'simulation.json: the settings starclass simulate drew a field from (seed 3), not a catalogue'
    >>> _ = (d / "other.json").write_text("[1, 2]")
    >>> simulation_note(d / "other.json") is None
    True
    """
    if path.suffix.lower() != ".json" or not path.is_file() or (drawn := _simulation_settings(path)) is None:
        return None
    what, said = drawn
    return (f"{path.name}: the settings starclass simulate drew {what} from ({said}), not a catalogue "
            f"(starclass info {shell_word(path)} shows it)")


def field_evaluation_note(path: Path) -> str | None:
    """The note of a folder summary (``info SURVEY/fields/FIELD``) on the field's ``evaluation.json`` in it.

    ``info`` of a survey's field folder said "1 file not read as a catalogue: evaluation.json", as
    if something were wrong with the file, which ``info`` of the file itself describes: it is said as
    what it is, with its figures, as the survey's summary line of the field says them.

    Parameters
    ----------
    path : pathlib.Path
        A file of the folder, e.g. ``SURVEY/fields/FIELD/evaluation.json``.

    Returns
    -------
    str or None
        ``"evaluation.json: the evaluation of field FIELD (truth: ...), not a catalogue (starclass info ...)"``;
        None when the file is not a survey field's evaluation (it is then noted as any file not read).

    Examples
    --------
    >>> import json, tempfile
    >>> d = Path(tempfile.mkdtemp()) / "fields" / "F1"
    >>> d.mkdir(parents=True)
    >>> _ = (d / "evaluation.json").write_text(json.dumps({"n_truth": 4, "n_catalogue": 0}))
    >>> field_evaluation_note(d / "evaluation.json").split(", not a catalogue")[0]
    'evaluation.json: the evaluation of field F1 (truth: 0/4 matched (no candidate in the field))'
    """
    if path.name != "evaluation.json" or path.parent.parent.name != "fields" or not path.is_file():
        return None
    doc = _json(path)
    if doc is None or "n_truth" not in doc:
        return None
    from starclass.survey.run import truth_words

    try:
        said = truth_words(doc)
    except (KeyError, TypeError, AttributeError):  # a hand-edited or partial file: named, without its figures
        said = None
    if doc.get("trained_on") and doc.get("accuracy"):
        said = f"{said}; the model was trained on this field: not a held-out score" if said else said
    return (f"{path.name}: the evaluation of field {path.parent.name} "
            f"{f'({said})' if said else 'against its truth'}, not a catalogue (starclass info {shell_word(path)} "
            "shows it)")


def _agreement_lines(path: Path) -> list[str] | None:
    """The agreement summary ``inspect --export LABELS --summary FILE.json`` wrote: scheme, counts, agreement."""
    doc = _json(path)
    if doc is None or "label_scheme" not in doc or "consensus" not in doc:
        return None
    from starclass.inspect.consensus import agreement_value

    def fmt(v) -> str:
        return "n/a" if not isinstance(v, (int, float)) else f"{v:.3f}"

    n = doc.get("n_labelled", doc.get("n_complete"))
    lines = [f"{path}: the agreement summary starclass inspect --export --summary wrote, not a catalogue "
             f"(label scheme {doc['label_scheme']}, consensus {doc['consensus']})",
             f"  candidates labelled: {n if n is not None else '?'}"
             + (f", ties to adjudicate: {doc['n_ties']}" if "n_ties" in doc else "")]
    if "pairwise_binary" in doc:
        lines.append(f"  agreement: pairwise {fmt(agreement_value(doc, 'pairwise'))} (all classes), "
                     f"{fmt(doc.get('pairwise_binary'))} (clusters vs the rest); individual vs mode "
                     f"{fmt(agreement_value(doc, 'vs_mode'))} / {fmt(doc.get('vs_mode_binary'))}")
    for pair in doc.get("inspectors") or []:
        if isinstance(pair, dict) and {"person_a", "person_b", "n"} <= set(pair):
            lines.append(f"  {pair['person_a']} vs {pair['person_b']}: {counted(int(pair['n']), 'candidate')}, "
                         f"agreeing {fmt(pair.get('agree_frac'))}, Cohen's kappa {fmt(pair.get('kappa'))}")
    return lines


def _phangs_stamp_header(path: Path):
    """The primary header of a PHANGS-style stamp that ``cutouts --phangs-fits-dir`` wrote, else None."""
    if not path.is_file() or not path.name.lower().endswith((".fits", ".fit")):
        return None
    from starclass.io.mosaic import open_fits

    try:
        # open_fits: a file cut short in its header printed astropy's warning here before the readers' error
        with open_fits(path) as hdul:
            h = hdul[0].header
    except Exception:  # not FITS after all: the other readers say why
        return None
    keys = ("ID", "X", "Y", "SIZE", "BANDS", "NBANDS")
    return h if h.get("ORIGIN") == "starclass" and all(k in h for k in keys) else None


def _phangs_stamp_lines(path: Path) -> list[str] | None:
    """A folder of PHANGS-style stamps (one FITS per candidate, one extension per band), or one of them.

    ``info`` of the folder listed every file as a mosaic of unknown band ("filter ?", "not one set
    of mosaics"); of one file it failed, "cannot tell the band".
    """
    if path.is_file():
        h = _phangs_stamp_header(path)
        if h is None:
            return None
        return [f"{path}: a PHANGS-style stamp starclass cutouts --phangs-fits-dir wrote (one extension per band), "
                f"not a mosaic: candidate {h['ID']} at x {h['X']:.1f}, y {h['Y']:.1f} (0-based), "
                f"{h['SIZE']} x {h['SIZE']} px, bands {h['BANDS'].replace(',', ', ')}",
                f"  its folder: starclass info {shell_word(path.parent)}"]
    if not path.is_dir():
        return None
    files = sorted(f for f in path.iterdir() if f.name.lower().endswith((".fits", ".fit")))
    from starclass.io.cutout_folders import is_os_clutter

    # a Thumbs.db Windows' Explorer left among the stamps made the folder "not a stamp folder" (as hidden ones did not)
    others = [f for f in path.iterdir() if not is_os_clutter(f.name) and f not in files]
    # the first and the last file (a folder may hold 10^5 stamps): each of starclass's stamp format
    heads = [_phangs_stamp_header(f) for f in files[:1] + files[-1:]] if files else [None]
    if others or any(h is None for h in heads):
        return None
    first, last = heads[0], heads[-1]
    return [f"PHANGS-style stamp folder {path} (starclass cutouts --phangs-fits-dir): "
            f"{counted(len(files), 'candidate')}, one FITS file each with one extension per band",
            f"  stamps {first['SIZE']} x {first['SIZE']} px, bands {first['BANDS'].replace(',', ', ')}; "
            f"candidate ids {first['ID']} ({files[0].name}) .. {last['ID']} ({files[-1].name})",
            f"  one stamp: starclass info {shell_word(files[0])}"]


#: The parts of the folders above, by name, and what each holds.
PARTS = {"tables": "the tables (ECSV)", "figures": "the figures (PNG)",
         "maps.npz": "the saliency maps (NumPy .npz: numpy.load reads it)",
         "tiles": "the catalogue of each tile (Parquet, the survey's restart state)",
         "fields": "the catalogue (and evaluation.json) of each field"}


def _part_lines(path: Path) -> list[str] | None:
    """A part of a folder above (``ev/tables``, ``ev/figures/x.png``, ``ex/maps.npz``, ``sv/tiles``), else None.

    ``info ev/tables`` said "no catalogue could be read", ``info ev/figures`` read the plots as
    cutouts ("all cutouts must have one size"), ``info ex/maps.npz`` "line 1 is not UTF-8 text".
    """
    figure = path.suffix.lower() == ".png" and path.parent.name == "figures" and path.is_file()
    if path.name not in PARTS and not figure:
        return None
    folder = path.parent.parent if figure else path.parent
    if folder == path or (above := _folder_lines(folder)) is None:
        return None
    if figure:
        return [f"{path} is a figure (PNG): open it in an image viewer; its folder:", *above]
    lines = [f"{path} holds {PARTS[path.name]}; its folder:"]
    if path.is_dir():
        from starclass.io.cutout_folders import is_os_clutter

        names = sorted(f.name for f in path.iterdir() if not is_os_clutter(f.name))
        shown = ", ".join(names[:12]) + (f", ... ({len(names) - 12} more)" if len(names) > 12 else "")
        lines.insert(1, f"  {counted(len(names), 'entry', 'entries')}: {shown or 'none'}")
    return lines + above


def output_lines(path: Path) -> list[str] | None:
    """What a folder evaluate, report, explain or survey wrote holds (or its JSON or HTML file); None otherwise.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "summary.json").write_text('{"headline": {"truth": {"4class": 0.5}}, "tables": [], "figures": []}')
    >>> output_lines(d)[1]
    '  truth: accuracy (4class) 0.500'
    >>> output_lines(Path("no/such/folder")) is None
    True
    """
    if (lines := _phangs_stamp_lines(path)) is not None:
        return lines
    if path.is_file():
        if path.suffix.lower() in (".html", ".htm") and (_report_page(path.parent) == path or _is_report(path)):
            return [f"{path}: the HTML page starclass report wrote (open it in a browser); its folder:",
                    *_report_lines(path.parent, path)]
        if path.name == "simulation.json":
            return _simulation_lines(path)
        if path.suffix.lower() == ".json" and (lines := _agreement_lines(path)) is not None:
            return lines
        survey = path.parent.parent.parent
        if (path.name == "evaluation.json" and path.parent.parent.name == "fields"
                and (lines := _folder_lines(survey)) is not None and lines[0].startswith("survey folder")):
            return [f"{path} holds the evaluation of field {path.parent.name} against its truth (in its line "
                    "below); its survey:", *lines]
        if path.name in FOLDER_FILES and (lines := _folder_lines(path.parent)) is not None:
            return [f"{path} holds {FOLDER_FILES[path.name]}; its folder:", *lines]
    if (lines := _part_lines(path)) is not None:
        return lines
    return _folder_lines(path)


def _folder_lines(path: Path) -> list[str] | None:
    """:func:`output_lines` of a folder."""
    if not path.is_dir():
        return None
    doc = _json(path / "summary.json")
    if doc is not None and "headline" in doc and "tables" in doc:
        return _evaluation_lines(path, doc)
    if doc is not None and "ladder_pooled" in doc:
        return _many_lines(path, doc)
    if doc is not None and "n_tiles" in doc and "fields" in doc:
        return _survey_lines(path, doc)
    if (doc := _json(path / "explain.json")) is not None and "methods" in doc:
        return _explain_lines(path, doc)
    if (page := _report_page(path)) is not None:
        return _report_lines(path, page)
    if (path / "plan.yaml").is_file() and (lines := _plan_lines(path)) is not None:
        return lines
    if (lines := _unfinished_survey_lines(path)) is not None:
        return lines
    return _merged_catalogue_lines(path)
