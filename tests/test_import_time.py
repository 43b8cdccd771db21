"""Commands that compute nothing with a network start without importing torch.

``starclass --help`` took 2.0-2.9 s, of which ``import torch`` was about 1.2 s: every command's
module was imported at start-up, and ``cli.train_cmd`` imported torch at its top, ``starclass.learn``
imported ``learn.augment`` (torch) for its re-exports, and ``learn.config`` (which ``--task`` and
``train --help`` read) imported ``learn.precision``, torch at its top. ``info`` on a folder asked
``learn.checkpoint`` (torch) whether it was a cross-validation folder. Then astropy's tables, FITS and WCS
were half of what was left (``starclass.io``'s ``__init__``, ``schema``, ``cli._app`` and three command
modules imported them at their tops), and astropy.units, the schema's registry, most of the rest: ``--help``
reads none of them now, a command loads them with its files.

Each check runs in a fresh interpreter: in the test process torch is long loaded by other tests.
``benchmarks/startup.py`` measures the times.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Modules no command without a network may load.
NETWORK_MODULES = ("torch", "torchvision")
#: Modules that reading a file needs and ``--help`` does not. astropy.units (0.3 s of ``--help``'s 0.5 s) came
#: with ``starclass.schema``, whose registry of units every command's module imported to name columns; the
#: registry is built when first asked for now.
FILE_MODULES = ("astropy.units", "astropy.table", "astropy.io.fits", "astropy.wcs", "astropy.coordinates")

#: Run in a fresh interpreter: imports the CLI, then runs each command line of argv[1] (a JSON list; "HELP"
#: stands for ``--help`` of the app and of every command it has, any other string is a module to import)
#: in-process with typer's CliRunner, and prints, for each step, its exit status, its output's end and
#: which of argv[2] (JSON) were loaded after it.
_PROBE = textwrap.dedent("""
    import json, sys
    watch = json.loads(sys.argv[2])
    steps = [{"args": "import starclass.cli", "exit": 0}]
    import starclass.cli
    steps[0]["loaded"] = [m for m in watch if m in sys.modules]
    import typer
    from typer.testing import CliRunner
    from starclass.cli import app
    runs = []
    for args in json.loads(sys.argv[1]):
        if args == "HELP":
            runs += [["--help"]] + [[name, "--help"] for name in typer.main.get_command(app).commands]
        else:
            runs.append(args)
    runner = CliRunner()
    for args in runs:
        if isinstance(args, str):
            __import__(args)
            step = {"args": f"import {args}", "exit": 0, "output": ""}
        else:
            res = runner.invoke(app, args)
            step = {"args": " ".join(args), "exit": res.exit_code, "output": res.output[-600:]}
        steps.append(dict(step, loaded=[m for m in watch if m in sys.modules]))
    print(json.dumps(steps))
""")


def probe(runs: list, watch: tuple[str, ...] = NETWORK_MODULES, timeout: float = 300) -> list[dict]:
    """The steps of :data:`_PROBE` for these command lines, run in a fresh interpreter."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    res = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(runs), json.dumps(list(watch))],
                         capture_output=True, text=True, env=env, timeout=timeout)
    assert res.returncode == 0, res.stderr[-3000:]
    return json.loads(res.stdout.strip().splitlines()[-1])


def first_loading(steps: list[dict]) -> list[str]:
    """Each step that loaded a watched module (the first to load it), with what it loaded."""
    seen: set[str] = set()
    found = []
    for step in steps:
        new = [m for m in step["loaded"] if m not in seen]
        if new:
            found.append(f"{step['args']}: {', '.join(new)}")
        seen |= set(new)
    return found


def _catalogue(folder: Path) -> Path:
    from astropy.table import Table

    folder.mkdir()
    path = folder / "cands.ecsv"
    Table({"id": [1, 2, 3], "x": [10.0, 20.0, 30.0], "y": [5.0, 6.0, 7.0], "mag_f555w": [21.0, 22.5, 23.1],
           "class_ref": [1, 2, 4]}).write(path)
    return path


def test_the_cli_help_and_info_do_not_import_torch(tmp_path):
    cat = _catalogue(tmp_path / "cat")
    steps = probe(["HELP", ["info", str(cat)], ["info", str(cat.parent)]], watch=NETWORK_MODULES + FILE_MODULES)
    names = [s["args"] for s in steps]
    assert names[:2] == ["import starclass.cli", "--help"]
    assert {"train --help", "info --help", "classify --help", "evaluate --help", "simulate --help"} <= set(names)
    failed = [f"{s['args']}: exit {s['exit']}: {s['output']}" for s in steps if s["exit"] != 0]
    assert not failed, "\n".join(failed)  # a command that stopped early proves nothing about its imports
    assert "rows: 3" in steps[-2]["output"] and "cands" in steps[-1]["output"]
    loaded = first_loading(steps)
    assert not [f for f in loaded if "torch" in f], "\n".join(loaded)
    # the help steps come first; info, which reads the files, is the first to load astropy's tables
    assert all(f.startswith("info ") for f in loaded), "\n".join(loaded)
    assert loaded and "astropy.table" in loaded[0]


#: What only scoring needs (evaluate.groups, sklearn.metrics): 1.6 s under load that ``info`` paid for
SCORING_MODULES = ("sklearn", "starclass.evaluate.groups", "starclass.evaluate.compare")


@pytest.mark.parametrize("suffix", [".ecsv", ".fits"])
def test_info_on_a_catalogue_does_not_import_the_scoring_code(tmp_path, suffix):
    """info asked evaluate.compare whether a catalogue was a classified cutout folder: sklearn came with it."""
    cat = _catalogue(tmp_path / "cat")
    if suffix != ".ecsv":
        from astropy.table import Table

        Table.read(cat).write(cat.with_suffix(suffix))
        cat = cat.with_suffix(suffix)
    steps = probe([["info", str(cat)]], watch=SCORING_MODULES)
    assert steps[-1]["exit"] == 0 and "rows: 3" in steps[-1]["output"], steps[-1]
    assert not first_loading(steps), "\n".join(first_loading(steps))


def test_the_many_field_study_does_not_import_the_scoring_code():
    """``evaluate --catalogs`` said its first line 3-6 s after it started: importing ``starclass.report.many`` loaded
    report.build (through the package's ``__init__`` and its own import), hence evaluate.compare and scikit-learn's
    metrics, and report.figures loaded the detection code (numba) through ``starclass.evaluate``'s ``__init__``, for a
    type hint; the study needs neither (its gradient boosting loads scikit-learn's ensemble when it fits)."""
    steps = probe(["starclass.report.many"], watch=(*SCORING_MODULES, "starclass.report.build", "starclass.detect"))
    assert not first_loading(steps), "\n".join(first_loading(steps))
    steps = probe(["starclass.report.many", "starclass.report"], watch=("starclass.report.build",))
    assert first_loading(steps) == [], first_loading(steps)


def test_the_probe_names_the_step_that_loads_torch():
    """The check on the check: the model code does load torch, and the probe says which step did."""
    steps = probe([["info", "--help"], "starclass.learn.augment", ["--help"]])
    assert first_loading(steps) == ["import starclass.learn.augment: torch"]


@pytest.mark.slow
def test_simulate_evaluate_and_report_without_images_do_not_import_torch(tmp_path):
    sim, ev, page = tmp_path / "sim", tmp_path / "ev", tmp_path / "report.html"
    steps = probe([
        ["simulate", str(sim), "--size", "128", "--n-candidates", "30", "--no-progress"],
        ["info", str(sim)],
        ["evaluate", str(sim / "humans.ecsv"), "-r", str(sim / "truth.ecsv"), "-o", str(ev)],
        ["report", str(sim / "humans.ecsv"), "-r", str(sim / "truth.ecsv"), "-o", str(page)],
    ])
    failed = [f"{s['args']}: exit {s['exit']}: {s['output']}" for s in steps if s["exit"] != 0]
    assert not failed, "\n".join(failed)
    assert (ev / "summary.json").is_file() and page.is_file()
    assert not first_loading(steps), "\n".join(first_loading(steps))


def test_the_schema_builds_its_registry_of_units_when_first_asked():
    """Names come without astropy.units; the registry, asked for, is the same one object with its units."""
    code = textwrap.dedent("""
        import json, sys
        import starclass.schema as schema
        out = {"names": "astropy.units" in sys.modules, "mag_col": schema.mag_col("f555w"),
               "joint": schema.joint_cols(["prob_joint_2", "prob_2"]), "listed": "COLUMNS" in dir(schema)}
        out["after_names"] = "astropy.units" in sys.modules
        from starclass.schema import COLUMNS
        out["units"] = [str(schema.unit_of("x")), str(COLUMNS["mag_<band>"].unit), repr(COLUMNS["prob_<k>"].unit)]
        out["same"] = COLUMNS is schema.COLUMNS and COLUMNS is vars(schema)["COLUMNS"]
        out["loaded"] = "astropy.units" in sys.modules
        try:
            schema.NO_SUCH_NAME
        except AttributeError as e:
            out["missing"] = str(e)
        print(json.dumps(out))
    """)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert res.returncode == 0, res.stderr[-3000:]
    out = json.loads(res.stdout.strip().splitlines()[-1])
    assert out == {"names": False, "mag_col": "mag_f555w", "joint": ["prob_joint_2"], "listed": True,
                   "after_names": False, "units": ["pix", "mag", "None"], "same": True, "loaded": True,
                   "missing": "module 'starclass.schema' has no attribute 'NO_SUCH_NAME'"}


def test_the_in_sample_check_of_a_mosaic_catalogue_does_not_import_the_stamp_code(tmp_path):
    """``evaluate`` and ``report`` ask whether the rows scored are the model's own training cutouts
    (:func:`starclass.learn.provenance.training_rows_in`); it imported the model's reader of cutouts
    (``starclass.stamps.images``, numba: 0.7 s and 190 modules of a loaded evaluate) before it looked at the
    table, so every mosaic catalogue, which has no cutout files to read, paid for it."""
    code = textwrap.dedent("""
        import json, sys
        from astropy.table import Table
        from starclass.evaluate.compare import in_sample_rows
        from starclass.learn.provenance import training_rows_in
        watch = json.loads(sys.argv[1])
        mosaic = Table({"x": [1.0, 2.0], "y": [3.0, 4.0], "class_pred": [1, 2]}, meta={"model_path": sys.argv[2]})
        mask, models = in_sample_rows(mosaic, sys.argv[3])
        said = [training_rows_in(mosaic, sys.argv[3], sys.argv[2]),
                training_rows_in(Table({"file": ["a.png"]}), sys.argv[3], sys.argv[2])]
        print(json.dumps({"mask": mask.tolist(), "models": models, "said": said,
                          "loaded": [m for m in watch if m in sys.modules]}))
    """)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    model = tmp_path / "model"  # not there: a model that cannot be read marks no row
    res = subprocess.run([sys.executable, "-c", code, json.dumps(["numba", "starclass.stamps.images", "torch"]),
                          str(model), str(tmp_path / "classified.ecsv")],
                         capture_output=True, text=True, env=env, timeout=120)
    assert res.returncode == 0, res.stderr[-3000:]
    out = json.loads(res.stdout.strip().splitlines()[-1])
    assert out["mask"] == [False, False] and out["models"] == []
    assert out["said"][0] == "not a table of one cutout file per row"
    assert out["said"][1].startswith(f"model {model} cannot be read"), out["said"]
    assert out["loaded"] == [], f"the in-sample check loaded {out['loaded']}"
