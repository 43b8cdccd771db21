"""Only the command that runs is imported; ``starclass --help`` lists every command without importing any.

``starclass/cli/__init__.py`` imported all fourteen command modules at every start (0.3 s of ``starclass --help``'s
1.0 s on a loaded machine, and typer converted every command's options for each run): ``starclass train --help``
paid for ``info``, ``inspect``, ``suggest`` ... Now the group's commands are a
:class:`starclass.cli._app.LazyCommands` and the list in ``starclass --help`` shows the summaries of
:data:`starclass.cli._app.COMMANDS`, which must stay each docstring's first paragraph (checked here), so that the
list reads exactly as before. And ``info`` of a CSV or FITS catalogue no longer loads astropy's coordinates and WCS
(``io.catalog``, ``io.mosaic``, ``io.cutout_folders`` and ``io.regions`` imported them at their tops).

Each start-up check runs ``python -m starclass`` in a fresh interpreter (in the test process every command module is
long imported by other tests) and reads ``sys.modules`` when it ends. ``benchmarks/startup.py`` times it.
"""

from __future__ import annotations

import importlib
import inspect
import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest
import typer

from starclass.cli import app

ROOT = Path(__file__).resolve().parents[1]

#: Every command, by its module ``starclass/cli/<name>_cmd.py``
NAMES = sorted(p.name[:-len("_cmd.py")] for p in (ROOT / "src" / "starclass" / "cli").glob("*_cmd.py"))

#: What no --help and no read of a CSV or FITS catalogue needs.
HEAVY = ("torch", "matplotlib", "sklearn", "scipy", "astropy.wcs", "astropy.coordinates")

#: Run in a fresh interpreter: argv[1] the command line (JSON), argv[2] a file for what was loaded. Runs the
#: console script's entry point (``python -m starclass``) and, when it has ended, writes the ``starclass.cli`` command
#: modules and the watched modules (argv[3], JSON) in ``sys.modules``, and the exit status.
_PROBE = textwrap.dedent("""
    import json, sys
    from pathlib import Path
    args, out, watch = json.loads(sys.argv[1]), Path(sys.argv[2]), json.loads(sys.argv[3])
    sys.argv = ["starclass", *args]
    from starclass.__main__ import main
    try:
        main()
        code = 0
    except SystemExit as exc:
        code = exc.code
    loaded = sorted(m for m in sys.modules if m.startswith("starclass.cli.") and m.endswith("_cmd"))
    out.write_text(json.dumps({"exit": code, "commands": loaded, "heavy": [m for m in watch if m in sys.modules]}))
""")


def run_cli(args: list[str], tmp_path: Path,
            watch: tuple[str, ...] = HEAVY) -> tuple[dict, subprocess.CompletedProcess]:
    """``python -m starclass ARGS`` in a fresh interpreter: what it had loaded (of ``watch``) when it ended, and the
    process."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]),
           "COLUMNS": "80"}
    record = tmp_path / "loaded.json"
    res = subprocess.run([sys.executable, "-c", _PROBE, json.dumps(args), str(record), json.dumps(watch)],
                         capture_output=True, text=True, env=env, timeout=300)
    assert record.is_file(), res.stderr[-3000:]
    return json.loads(record.read_text()), res


def _docstring_summary(name: str) -> str:
    """The first paragraph of command ``name``'s docstring, on one line (what :func:`command` makes short_help of)."""
    importlib.import_module(f"starclass.cli.{name}_cmd")
    (func,) = [info.callback for info in app.registered_commands if info.name == name]
    assert func.__module__ == f"starclass.cli.{name}_cmd"
    return " ".join(inspect.cleandoc(func.__doc__).split("\n\n")[0].split())


@pytest.mark.parametrize("name", NAMES)
def test_each_listed_summary_is_the_first_paragraph_of_the_commands_docstring(name):
    from starclass.cli._app import COMMANDS

    assert COMMANDS[name] == _docstring_summary(name), (
        f"edit starclass.cli._app.COMMANDS[{name!r}] to the first paragraph of the command's docstring")
    assert typer.main.get_command(app).commands[name].short_help == COMMANDS[name]


def test_every_command_module_is_listed_in_its_order():
    from starclass.cli._app import COMMANDS

    assert sorted(COMMANDS) == NAMES
    # the order of the stages, as the list showed them when every module was imported in this order
    assert list(COMMANDS)[:7] == ["simulate", "detect", "info", "cutouts", "train", "classify", "calibrate"]
    assert list(typer.main.get_command(app).commands)[:len(COMMANDS)] == list(COMMANDS)


def test_starclass_help_lists_every_command_without_importing_one(tmp_path):
    loaded, res = run_cli(["--help"], tmp_path)
    assert loaded["exit"] == 0, res.stderr[-2000:]
    assert loaded["commands"] == [], f"starclass --help imported {loaded['commands']}"
    assert loaded["heavy"] == [], loaded["heavy"]
    # the list as the commands themselves give it: the same text once every module is imported (typer draws the
    # real commands then)
    for name in NAMES:
        importlib.import_module(f"starclass.cli.{name}_cmd")
    from typer.testing import CliRunner

    eager = CliRunner().invoke(app, ["--help"], prog_name="starclass", env={"COLUMNS": "80"}, color=False)
    assert eager.exit_code == 0
    assert res.stdout == eager.output
    assert all(f"│ {name} " in res.stdout for name in NAMES)


@pytest.mark.parametrize("args", [["--help"], ["tran"]])
def test_the_list_of_commands_loads_no_numpy(args, tmp_path):
    """``starclass --help`` (and a mistyped command) draws the list alone: cli._app imported the task configs and
    ``starclass.schema`` at its top, numpy and yaml with them (0.2 s of a 0.35 s import, on a loaded machine)."""
    loaded, res = run_cli(args, tmp_path, watch=("numpy", "yaml", "starclass.schema", "starclass.learn.config"))
    assert loaded["exit"] == (0 if args == ["--help"] else 2), res.stderr[-2000:]
    assert loaded["heavy"] == [], f"starclass {' '.join(args)} loaded {loaded['heavy']}"


@pytest.mark.parametrize("args, module", [(["info", "--help"], "info"), (["train", "--help"], "train"),
                                          (["classify", "--help"], "classify")])
def test_a_commands_help_imports_that_command_alone(args, module, tmp_path):
    loaded, res = run_cli(args, tmp_path)
    assert loaded["exit"] == 0, res.stderr[-2000:]
    assert f"Usage: starclass {module} [OPTIONS]" in " ".join(res.stdout.split()), res.stdout[:500]
    assert loaded["commands"] == [f"starclass.cli.{module}_cmd"]
    assert loaded["heavy"] == [], loaded["heavy"]


@pytest.mark.parametrize("args", [["--help"], ["info", "--help"], ["train", "--help"], ["classify", "--help"]])
def test_no_help_imports_pydantic(args, tmp_path):
    """typer passes each parameter's value through a pydantic TypeAdapter unless it is a bool already: the group's
    own ``--help``, not given in ``starclass info --help``, was None, and pydantic (0.14 s with ``-X importtime``)
    was imported to turn it into False before the command's help was drawn. Not given, the flag is False now."""
    loaded, res = run_cli(args, tmp_path, watch=("pydantic", "pydantic_core", "typer._adapters"))
    assert loaded["exit"] == 0, res.stderr[-2000:]
    assert "Usage: starclass" in " ".join(res.stdout.split()), res.stdout[:500]
    assert loaded["heavy"] == [], f"starclass {' '.join(args)} loaded {loaded['heavy']}"


def test_a_command_still_runs_with_its_help_flag_not_given(tmp_path):
    # the flag's False is the help option's own value: the command runs, its options coerced as before
    cat = tmp_path / "c.csv"
    cat.write_text("id,x,y,class_ref\n1,1.5,2.5,1\n")
    loaded, res = run_cli(["info", str(cat)], tmp_path, watch=())
    assert loaded["exit"] == 0, res.stderr[-2000:]
    assert res.stdout.startswith(f"catalogue: {cat} (format CSV)"), res.stdout


def test_a_mistyped_command_is_still_told_the_one_it_meant_without_importing_any(tmp_path):
    loaded, res = run_cli(["tran"], tmp_path)
    assert loaded["exit"] == 2
    assert "No such command 'tran'. Did you mean 'train'?" in res.stderr
    assert loaded["commands"] == []


@pytest.mark.parametrize("suffix", [".csv", ".fits"])
def test_info_of_a_catalogue_loads_neither_astropys_coordinates_nor_wcs(suffix, tmp_path):
    from astropy.table import Table

    cat = tmp_path / f"cands{suffix}"
    Table({"id": [1, 2, 3], "x": [10.0, 20.0, 30.0], "y": [5.0, 6.0, 7.0], "mag_f555w": [21.0, 22.5, 23.1],
           "class_ref": [1, 2, 4]}).write(cat)
    loaded, res = run_cli(["info", str(cat)], tmp_path)
    assert loaded["exit"] == 0, res.stderr[-2000:]
    assert res.stdout.startswith(f"catalogue: {cat} (format {suffix[1:].upper()})") and "rows: 3" in res.stdout
    assert loaded["commands"] == ["starclass.cli.info_cmd"]
    assert loaded["heavy"] == [], loaded["heavy"]
