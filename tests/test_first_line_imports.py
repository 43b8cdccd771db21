"""A command says its first line before it imports what only its later work needs.

``starclass report`` said ``report: reading and pairing the catalogues ...`` 2.9 s after it started (0.4 s of it
``starclass --help``'s): it imported ``starclass.report.build`` (matplotlib, scikit-learn's metrics, the science
code) for ``check_tables_page``, a check of one small file, and then ``build_report`` before the line. Each check
here runs in a fresh interpreter (in the test process those modules are long loaded by other tests) and records
which heavy modules are in ``sys.modules`` when the first line is said. ``benchmarks/startup.py`` times it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from starclass.cli._app import COMMANDS
from webtools import free_port  # tests/ is on sys.path under pytest

ROOT = Path(__file__).resolve().parents[1]

#: What no command needs before its first line where the line does not come from the work they do.
HEAVY = ("torch", "matplotlib", "sklearn", "starclass.report.build", "starclass.evaluate.compare")

#: The command modules, ``starclass.cli.<name>_cmd``: the CLI imports the one a command line names
COMMAND_MODULES = tuple(COMMANDS)

#: Run in a fresh interpreter: argv[1] is the command line (JSON), argv[2] the modules to watch. The first line a
#: command says through ``starclass.io.progress.say_step`` prints which watched modules were loaded then, on the
#: real stdout (CliRunner captures sys.stdout), and ends the process: the rest of the command is not the point.
_FIRST_STEP = textwrap.dedent("""
    import json, os, sys
    import starclass.io.progress as progress
    watch = json.loads(sys.argv[2])

    def said(text, show, stream=None):
        sys.__stdout__.write(json.dumps({"text": text, "loaded": [m for m in watch if m in sys.modules]}) + "\\n")
        sys.__stdout__.flush()
        os._exit(0)

    progress.say_step = said
    from typer.testing import CliRunner
    from starclass.cli import app
    res = CliRunner().invoke(app, json.loads(sys.argv[1]))
    print(json.dumps({"exit": res.exit_code, "output": res.output[-2000:]}))
""")


def _run(code: str, *args: str) -> dict:
    """The last line of ``code``'s output (JSON), run in a fresh interpreter on this checkout's ``src``."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    res = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, timeout=300)
    assert res.returncode == 0, res.stderr[-3000:]
    return json.loads(res.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("name", COMMAND_MODULES)
def test_importing_a_command_module_loads_nothing_heavy(name):
    code = (f"import json, sys\nimport starclass.cli.{name}_cmd\n"
            "print(json.dumps([m for m in json.loads(sys.argv[1]) if m in sys.modules]))")
    out = _run(code, json.dumps(HEAVY))
    assert out == [], f"import starclass.cli.{name}_cmd loaded {out}"


def test_report_says_its_first_line_before_it_imports_the_report_builder(tmp_path):
    from starclass.datasets.catalogs import fake_catalogs

    pred, truth = fake_catalogs(60, seed=0)
    pred.write(tmp_path / "pred.ecsv")
    truth.write(tmp_path / "truth.ecsv")
    out = _run(_FIRST_STEP, json.dumps(["report", str(tmp_path / "pred.ecsv"), "-r", str(tmp_path / "truth.ecsv"),
                                        "-o", str(tmp_path / "out" / "report.html"), "--progress"]),
               json.dumps(HEAVY))
    # the command did get as far as its line (an early error would print exit and output instead)
    assert out.get("text") == "report: reading and pairing the catalogues ...", out
    assert out["loaded"] == [], f"loaded before the first line: {out['loaded']}"
    assert not (tmp_path / "out").exists()  # stopped before anything was written


def test_evaluate_says_its_first_line_before_it_reads_the_catalogue(tmp_path):
    """``evaluate`` said its line after its "nothing to compare" check, which imported ``evaluate.compare`` (2.6 s
    under load) and read the catalogue: 1.97 s after its start, the slowest first line of all the verbs."""
    from starclass.datasets.catalogs import fake_catalogs

    pred, truth = fake_catalogs(60, seed=0)
    pred.write(tmp_path / "pred.ecsv")
    truth.write(tmp_path / "truth.ecsv")
    out = _run(_FIRST_STEP, json.dumps(["evaluate", str(tmp_path / "pred.ecsv"), "-r", str(tmp_path / "truth.ecsv"),
                                        "-o", str(tmp_path / "ev"), "--progress"]),
               json.dumps([*HEAVY, "starclass.io.catalog"]))
    assert out.get("text") == "evaluate: reading and pairing the catalogues ...", out
    # the catalogue reader not even imported: nothing was read before the line
    assert out["loaded"] == [], f"loaded before the first line: {out['loaded']}"
    assert not (tmp_path / "ev").exists()


def test_the_tables_page_check_is_the_report_builders(tmp_path):
    """Moved to the light package module; ``starclass.report.build`` still gives the same names."""
    from starclass import report
    from starclass.errors import StarclassError
    from starclass.report import build

    assert build.check_tables_page is report.check_tables_page
    assert (build.TABLES_PAGE, build.REPORT_TABLE_ENTRIES) == (".page", ("*.ecsv", ".page"))
    (tmp_path / "tables").mkdir()
    (tmp_path / "tables" / ".page").write_text("a.html")
    (tmp_path / "a.html").write_text("<html>")
    report.check_tables_page(tmp_path, "a.html")
    with pytest.raises(StarclassError, match="holds the tables of the page a.html"):
        report.check_tables_page(tmp_path, "b.html")


def test_the_demo_says_its_first_step_before_it_imports_the_model_code(tmp_path):
    """``starclass.pipeline`` imported torch, the trainer, the classifier, Grad-CAM and the report builder at its top:
    3 s on quiet cores (7 s under load) before ``[1/6] simulating the train field ...``. Each step imports its own."""
    code = textwrap.dedent("""
        import json, os, sys
        watch = json.loads(sys.argv[2])
        from starclass.pipeline import run_demo

        def echo(text):
            print(json.dumps({"text": text, "loaded": [m for m in watch if m in sys.modules]}), flush=True)
            os._exit(0)

        run_demo(sys.argv[1], size=64, n_candidates=5, epochs=1, progress=False, echo=echo)
        print(json.dumps({"text": None}))
    """)
    out = _run(code, str(tmp_path / "demo"), json.dumps(HEAVY))
    assert (out["text"] or "").startswith("[1/6] simulating the train field (64 x 64 px, seed 1)"), out
    assert out["loaded"] == [], f"loaded before the first line: {out['loaded']}"


def test_a_task_config_is_built_without_the_model_code():
    """Every recipe checked its ``calibration`` with ``starclass.learn.calibration.check_method``, whose module loads
    torch and scikit-learn: ``cutouts``, ``demo`` and every command reading a task paid 2-4 s for a name check."""
    code = textwrap.dedent("""
        import json, sys
        from starclass.errors import StarclassError
        from starclass.learn.config import get_preset
        cfg = get_preset("legus4-compact")
        try:
            get_preset("legus4-compact", recipe={"calibration": "platt"})
            refused = None
        except StarclassError as exc:
            refused = str(exc)
        print(json.dumps({"calibration": cfg.recipe.calibration, "refused": refused,
                          "loaded": [m for m in json.loads(sys.argv[1]) if m in sys.modules]}))
    """)
    out = _run(code, json.dumps(HEAVY))
    assert out["loaded"] == [], f"building a task config loaded {out['loaded']}"
    assert out["refused"] is not None and "recipe.calibration 'platt': use one of temperature, vector, histogram" \
        in out["refused"], out
    from starclass.learn import calibration, calibration_methods

    assert calibration.check_method is calibration_methods.check_method  # the model code gives the same check
    assert calibration.CALIBRATION_METHODS == ("temperature", "vector", "histogram")


def test_simulate_of_a_field_does_not_import_the_cutout_simulator(tmp_path):
    """``simulate`` imported the PAndAS cutout simulator (matplotlib through astropy.visualization, scipy.signal;
    ~0.5 s) for the name of its preset, before the first line of every field it simulates."""
    code = textwrap.dedent("""
        import json, sys
        from typer.testing import CliRunner
        from starclass.cli import app
        res = CliRunner().invoke(app, ["simulate", sys.argv[1], "--size", "64", "--n-candidates", "5",
                                       "--no-progress"])
        watch = ("matplotlib", "scipy.signal", "starclass.simulate.cutouts_m31")
        print(json.dumps({"exit": res.exit_code, "output": res.output[-300:],
                          "loaded": [m for m in watch if m in sys.modules]}))
    """)
    out = _run(code, str(tmp_path / "field"))
    assert out["exit"] == 0 and (tmp_path / "field" / "truth.ecsv").is_file(), out
    assert out["loaded"] == [], f"simulating a field loaded {out['loaded']}"
    from starclass.simulate import config, cutouts_m31

    assert cutouts_m31.CUTOUT_PRESETS is config.CUTOUT_PRESETS == ("pandas-cutouts",)


#: Run in a fresh interpreter: the command line argv[1] (JSON); the first line it prints through ``typer.echo``
#: reports which of the modules argv[2] names were loaded by then, and ends the process.
_FIRST_ECHO = textwrap.dedent("""
    import json, os, sys
    import typer
    watch = json.loads(sys.argv[2])

    def said(message=None, *args, **kwargs):
        sys.__stdout__.write(json.dumps({"text": str(message),
                                         "loaded": [m for m in watch if m in sys.modules]}) + "\\n")
        sys.__stdout__.flush()
        os._exit(0)

    typer.echo = said
    from typer.testing import CliRunner
    from starclass.cli import app
    res = CliRunner().invoke(app, json.loads(sys.argv[1]))
    print(json.dumps({"exit": res.exit_code, "output": res.output[-2000:]}))
""")


def test_info_of_a_catalogue_with_human_votes_does_not_load_the_detection_code(tmp_path):
    """``info`` of a LEGUS catalogue reads ``starclass.evaluate.disagreement`` (numpy and astropy alone), but the
    package's ``__init__`` imported ``evaluate.matching`` and with it the detection code (numba, scipy.spatial;
    ~0.5 s) before the first line."""
    from astropy.table import Table

    Table({"id": [1, 2, 3], "x": [1.0, 2.0, 3.0], "y": [4.0, 5.0, 6.0], "class_ref": [1, 2, 4],
           "class_human_mean": [1.0, 2.33, 3.67]}).write(tmp_path / "cat.ecsv")
    watch = ("numba", "scipy.spatial", "starclass.detect.match", "starclass.evaluate.matching")
    out = _run(_FIRST_ECHO, json.dumps(["info", str(tmp_path / "cat.ecsv")]), json.dumps(watch))
    assert "text" in out, out  # the command printed a line (an early error prints exit and output instead)
    assert out["loaded"] == [], f"loaded before info's first line: {out['loaded']}"


def test_the_evaluate_package_still_exports_its_names():
    import starclass.evaluate as evaluate
    from starclass.evaluate import agreement, compare, matching, metrics

    for name in evaluate.__all__:
        # each name is the object of the submodule it was imported from before
        assert any(getattr(m, name, None) is getattr(evaluate, name) for m in (agreement, matching, metrics, compare))
    assert "evaluate_catalogs" in dir(evaluate) and "match_catalogs" in evaluate.__all__
    with pytest.raises(AttributeError, match="no_such_name"):
        evaluate.no_such_name  # noqa: B018


def test_inspect_says_there_are_no_accounts_before_it_imports_the_web_server(tmp_path):
    """``inspect DIR --init`` imported FastAPI and uvicorn (~2 s) before its note "no accounts yet": the check of
    the ``web`` extra imported each module, and the field was loaded through ``starclass.inspect.app``. The
    database (SQLAlchemy) is read for the note; the server's modules come after it."""
    from starclass.datasets.labelling import make_demo_field

    field = make_demo_field(tmp_path / "field", n=6, size=96, seed=1)
    watch = ("fastapi", "uvicorn", "starlette", "starclass.inspect.app")
    out = _run(_FIRST_ECHO, json.dumps(["inspect", str(field), "--db", f"sqlite:///{tmp_path / 'labels.sqlite'}",
                                        "--init", "--port", str(free_port()), "--no-prerender"]), json.dumps(watch))
    assert out.get("text", "").startswith("note: no accounts yet"), out
    assert out["loaded"] == [], f"loaded before inspect's note: {out['loaded']}"


#: The detection code: the finder and photometry bring numba, scipy.spatial and the stamp code (~1 s under load).
DETECTION = ("numba", "scipy.spatial", "starclass.detect.find", "starclass.detect.photometry",
             "starclass.stamps.store", "starclass.stamps.export")

#: Run in a fresh interpreter: ``starclass simulate`` with argv[1] as its folder, stopped where it starts to render
#: (the render bar is its first line); prints which of the modules argv[2] names were loaded by then.
_SIMULATE_STARTS = textwrap.dedent("""
    import json, os, sys
    import starclass.simulate as simulate
    watch = json.loads(sys.argv[2])

    def starts(*args, **kwargs):
        sys.__stdout__.write(json.dumps({"loaded": [m for m in watch if m in sys.modules]}) + "\\n")
        sys.__stdout__.flush()
        os._exit(0)

    simulate.simulate_to_disk = starts
    from typer.testing import CliRunner
    from starclass.cli import app
    res = CliRunner().invoke(app, ["simulate", sys.argv[1], "--size", "64", "--n-candidates", "5", "--no-progress"])
    print(json.dumps({"exit": res.exit_code, "output": res.output[-2000:]}))
""")


def test_simulate_starts_rendering_before_it_imports_the_detection_code(tmp_path):
    """``simulate`` imported ``starclass.simulate.calibration`` (for ``--calibrate`` alone) and, through the field's
    ``from starclass.detect import ArrayMosaics``, the whole detection package before its render bar."""
    # scipy.spatial is the simulator's own (objects placed apart before the rendering)
    watch = [*HEAVY, *(m for m in DETECTION if m != "scipy.spatial")]
    out = _run(_SIMULATE_STARTS, str(tmp_path / "field"), json.dumps(watch))
    assert "loaded" in out, out  # it got as far as the rendering (an early error prints exit and output instead)
    assert out["loaded"] == [], f"loaded before the rendering: {out['loaded']}"


@pytest.fixture()
def field64(simulated_fields) -> Path:
    """A 64 px field of 5 candidates (seed 1), simulated once and shared: the detect and cutouts tests only read it."""
    return simulated_fields(64, 5, seed=1)


def test_detect_says_its_first_line_before_it_imports_the_finder(field64, tmp_path):
    """``detect`` imported the finder and photometry with its option checks, ~1 s before ``mosaics: ...``."""
    out = _run(_FIRST_ECHO, json.dumps(["detect", str(field64), "-o", str(tmp_path / "cands.ecsv")]),
               json.dumps([*HEAVY, *DETECTION]))
    assert out.get("text", "").startswith("mosaics: "), out
    assert out["loaded"] == [], f"loaded before detect's first line: {out['loaded']}"
    assert not (tmp_path / "cands.ecsv").exists()


def test_the_demo_says_its_first_step_before_it_imports_the_detection_code(tmp_path):
    """``starclass.pipeline`` imported the finder, the matcher and the stamp code at its top."""
    code = textwrap.dedent("""
        import json, os, sys
        watch = json.loads(sys.argv[2])
        from starclass.pipeline import run_demo

        def echo(text):
            print(json.dumps({"text": text, "loaded": [m for m in watch if m in sys.modules]}), flush=True)
            os._exit(0)

        run_demo(sys.argv[1], size=64, n_candidates=5, epochs=1, progress=False, echo=echo)
        print(json.dumps({"text": None}))
    """)
    # scipy.spatial is the simulator's own (objects placed apart before the rendering)
    watch = [*(m for m in DETECTION if m != "scipy.spatial"), "starclass.stamps.inputs"]
    out = _run(code, str(tmp_path / "demo"), json.dumps(watch))
    assert (out["text"] or "").startswith("[1/6] simulating the train field"), out
    assert out["loaded"] == [], f"loaded before the first line: {out['loaded']}"


def test_the_detect_and_stamps_packages_still_export_their_names():
    """Both packages now load their submodules on first use (PEP 562); every name is still the one it was."""
    import importlib

    import starclass.detect as detect
    import starclass.stamps as stamps

    def modules(*names):
        return [importlib.import_module(n) for n in names]

    for pkg, defining in ((detect, modules(*(f"starclass.detect.{m}" for m in ("completeness", "find", "match",
                                                                               "photometry", "select")),
                                           "starclass.io.mosaic")),
                          (stamps, modules(*(f"starclass.stamps.{m}" for m in ("export", "extract", "inputs", "merge",
                                                                               "multiscale", "normalise", "store"))))):
        for name in pkg.__all__:
            assert name in dir(pkg)
            assert any(getattr(m, name, None) is getattr(pkg, name) for m in defining), name
    # a function named as its module is the function, even after its module was imported on its own
    assert callable(detect.completeness) and callable(stamps.normalise) and callable(stamps.multiscale)
    with pytest.raises(AttributeError, match="no_such_name"):
        stamps.no_such_name  # noqa: B018


def test_cutouts_starts_cutting_before_it_imports_the_fits_export(field64, tmp_path):
    """``cutouts`` imported the PHANGS FITS export (``--phangs-fits-dir`` alone uses it), and through the stamps
    package every stamp module, before its first bar."""
    code = textwrap.dedent("""
        import json, os, sys
        import starclass.stamps.store as store
        watch = json.loads(sys.argv[2])

        def starts(*args, **kwargs):
            sys.__stdout__.write(json.dumps({"loaded": [m for m in watch if m in sys.modules]}) + "\\n")
            sys.__stdout__.flush()
            os._exit(0)

        store.make_store = starts
        from typer.testing import CliRunner
        from starclass.cli import app
        res = CliRunner().invoke(app, json.loads(sys.argv[1]))
        print(json.dumps({"exit": res.exit_code, "output": res.output[-2000:]}))
    """)
    out = _run(code, json.dumps(["cutouts", str(field64), "-c", str(field64 / "truth.ecsv"), "--task",
                                 "legus4-compact", "-o", str(tmp_path / "stamps.h5"), "--no-progress"]),
               json.dumps([*HEAVY, "starclass.stamps.export", "starclass.detect.find"]))
    assert "loaded" in out, out  # it got as far as the cutting (an early error prints exit and output instead)
    assert out["loaded"] == [], f"loaded before the cutting: {out['loaded']}"


#: The simulator proper: the field, its galaxy, objects and rendering, and what they import (scipy; astropy's
#: tables and WCS)
SIMULATOR = ("scipy", "astropy.table", "astropy.wcs", "starclass.simulate.field", "starclass.simulate.galaxy",
             "starclass.simulate.objects", "starclass.simulate.render", "starclass.simulate.survey")


@pytest.mark.parametrize(("extra", "said"), [([], "simulate: SIM-1, 64 x 64 px, 5 bands, 5 candidates: building"),
                                             (["--fields", "2"], "simulate: 2 fields from SIM-1, 64 x 64 px")])
def test_simulate_says_its_first_line_before_it_imports_the_simulator(tmp_path, extra, said):
    """``simulate`` imported ``starclass.simulate.field`` (the galaxy, objects and rendering code, scipy, astropy's
    tables) for ``FIELD_ENTRIES`` and ``estimate_memory``, its folder and memory checks, and then built the scene:
    its first line was the render bar, 1-2 s of imports and the galaxy's building after its start."""
    out = _run(_FIRST_STEP, json.dumps(["simulate", str(tmp_path / "field"), "--size", "64", "--n-candidates", "5",
                                        "--progress", *extra]), json.dumps([*HEAVY, *SIMULATOR]))
    # the command did say a line (one that ran to its end prints exit and output instead)
    assert (out.get("text") or "").startswith(said), out
    assert out["loaded"] == [], f"loaded before the first line: {out['loaded']}"
    assert not (tmp_path / "field").exists()  # stopped before anything was written


def test_the_field_module_gives_the_light_modules_names():
    """One definition of each: the folder and memory checks' names live in ``simulate.footprint``."""
    from starclass.simulate import field, footprint

    for name in ("FIELD_ENTRIES", "estimate_memory", "RENDER_BYTES_PER_PIXEL", "READBACK_BYTES_PER_PIXEL_BAND"):
        assert getattr(field, name) is getattr(footprint, name), name


def test_the_demo_says_its_first_step_before_it_imports_the_simulator(tmp_path):
    """``starclass.pipeline`` imported ``simulate_to_disk`` (the simulator: scipy, the galaxy, objects and rendering)
    and the catalogue and mosaic readers at its top: 1-3 s before ``[1/6] simulating the train field ...``."""
    code = textwrap.dedent("""
        import json, os, sys
        watch = json.loads(sys.argv[2])
        from starclass.pipeline import run_demo

        def echo(text):
            print(json.dumps({"text": text, "loaded": [m for m in watch if m in sys.modules]}), flush=True)
            os._exit(0)

        run_demo(sys.argv[1], size=64, n_candidates=5, epochs=1, progress=False, echo=echo)
        print(json.dumps({"text": None}))
    """)
    watch = [*SIMULATOR, "starclass.io.mosaic", "starclass.io.catalog"]
    watch.remove("astropy.table")  # the task's config (starclass.learn.config) loads it before the line, as before
    out = _run(code, str(tmp_path / "demo"), json.dumps(watch))
    assert (out["text"] or "").startswith("[1/6] simulating the train field"), out
    assert out["loaded"] == [], f"loaded before the first line: {out['loaded']}"


#: The stamp code and what it imports: numba (the cutting kernels), h5py (the store), scipy (the rescaling)
STAMP_CODE = ("numba", "h5py", "scipy", "starclass.stamps.store", "starclass.stamps.extract")


def test_cutouts_says_its_first_line_before_it_imports_the_stamp_code(field64, tmp_path):
    """``cutouts`` said nothing before its stamps bar, 2.84 s after its start: its option checks (``parse_scales``,
    ``check_method``, ``parse_softening_mag``) imported the stamps package's modules, and numba, h5py and scipy with
    them, before any line. Now a line once the arguments are checked; a bad option is still refused before anything
    is written."""
    args = ["cutouts", str(field64), "-c", str(field64 / "truth.ecsv"), "--task", "legus4-compact",
            "-o", str(tmp_path / "out" / "stamps.h5"), "--progress"]
    out = _run(_FIRST_STEP, json.dumps(args), json.dumps([*HEAVY, *STAMP_CODE]))
    # the command did say a line (an early error, or a run to its end, prints exit and output instead)
    assert out.get("text") == "cutouts: reading the mosaics and the catalogue ...", out
    assert out["loaded"] == [], f"loaded before the first line: {out['loaded']}"
    assert not (tmp_path / "out").exists()  # stopped before anything was written


def test_cutouts_still_refuses_a_bad_option_before_it_writes(field64, tmp_path):
    from typer.testing import CliRunner

    from starclass.cli import app
    res = CliRunner().invoke(app, ["cutouts", str(field64), "-c", str(field64 / "truth.ecsv"), "--scales", "1,x",
                                   "-o", str(tmp_path / "stamps.h5"), "--progress"])
    assert res.exit_code == 2, res.output
    assert "--scales" in res.output and "Traceback" not in res.output
    assert not (tmp_path / "stamps.h5").exists()


#: What ``info`` of a catalogue loads to read it: astropy's tables and FITS, and the catalogue reader.
CATALOGUE_READING = ("astropy.table", "astropy.io.fits", "starclass.io.catalog", "starclass.io.mosaic")


@pytest.mark.parametrize("suffix", [".csv", ".ecsv"])
def test_info_says_what_it_reads_before_it_imports_astropys_tables(tmp_path, suffix):
    """``info CATALOGUE`` said nothing until its summary: its first line ("catalogue: ...") waited for astropy's
    tables, FITS and WCS to import (0.9 s, several seconds on a loaded machine) and for the file to be read. Now it
    says what it reads first, at a terminal, as evaluate and report do."""
    cat = tmp_path / f"cands{suffix}"
    if suffix == ".csv":
        cat.write_text("id,x,y,mag_f555w,class_ref\n1,10.0,5.0,21.0,1\n2,20.0,6.0,22.5,4\n")
    else:
        from astropy.table import Table

        Table({"id": [1, 2], "x": [10.0, 20.0], "y": [5.0, 6.0], "class_ref": [1, 4]}).write(cat)
    out = _run(_FIRST_STEP, json.dumps(["info", str(cat)]), json.dumps([*HEAVY, *CATALOGUE_READING]))
    assert out.get("text") == f"info: reading {cat} ...", out
    assert out["loaded"] == [], f"loaded before the first line: {out['loaded']}"
