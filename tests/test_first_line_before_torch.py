"""The commands that need torch (and inspect, which needs SQLAlchemy) say their first line, and refuse bad
arguments, before they import it.

``benchmarks/startup.py --repeats 5`` on two shared cores, 2026-12-06: train, survey, suggest, explain, classify
and calibrate showed nothing for 2.6-4 s (torch, a model, the field) against 0.75 s for evaluate and report, and an
option out of its range (``explain --per-class 0``, ``calibrate --method platt``) was refused only once torch had
loaded. Each check runs the command in a fresh interpreter (in the test process torch is long loaded by other
tests): the first line said through ``starclass.io.progress.say_step`` reports which watched modules were loaded
then and ends the process; a command that ends first (a refusal) reports its exit status, output and the modules
loaded by its end.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

from webtools import free_port  # tests/ is on sys.path under pytest

ROOT = Path(__file__).resolve().parents[1]

#: What none of these commands needs before its first line or to refuse an option
WATCH = ("torch", "sklearn", "sqlalchemy")

_RUN = textwrap.dedent("""
    import json, os, sys
    import starclass.io.progress as progress
    watch = json.loads(sys.argv[2])

    def loaded():
        return [m for m in watch if m in sys.modules]

    def said(text, show, stream=None):
        if show:
            sys.__stdout__.write(json.dumps({"text": text, "loaded": loaded()}) + "\\n")
            sys.__stdout__.flush()
            os._exit(0)

    progress.say_step = said
    if sys.argv[3] == "terminal":
        progress.on_terminal = lambda stream=None: True  # stderr a terminal, for a command with no --progress
    from typer.testing import CliRunner
    from starclass.cli import app
    res = CliRunner().invoke(app, json.loads(sys.argv[1]))
    print(json.dumps({"exit": res.exit_code, "stdout": res.stdout[-2000:], "stderr": res.stderr[-2000:],
                      "loaded": loaded()}))
""")


def run_cli(argv: list[str], watch: tuple[str, ...] = WATCH, *, terminal: bool = False) -> dict:
    """``starclass argv`` in a fresh interpreter on this checkout's ``src``: its first say_step line or its end.

    ``terminal``: stderr is taken for a terminal (where a command without ``--progress`` says its line).
    """
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    res = subprocess.run([sys.executable, "-c", _RUN, json.dumps([str(a) for a in argv]), json.dumps(watch),
                          "terminal" if terminal else "pipe"], capture_output=True, text=True, env=env, timeout=300)
    assert res.returncode == 0, res.stderr[-3000:]
    return json.loads(res.stdout.strip().splitlines()[-1])


_RUN_MANY = textwrap.dedent("""
    import json, sys
    watch = json.loads(sys.argv[2])
    from typer.testing import CliRunner
    from starclass.cli import app
    for argv in json.loads(sys.argv[1]):
        res = CliRunner().invoke(app, argv)
        # the modules loaded by the end of this command: none were before it, or the previous one reported them
        print(json.dumps({"exit": res.exit_code, "stdout": res.stdout[-2000:], "stderr": res.stderr[-2000:],
                          "loaded": [m for m in watch if m in sys.modules]}), flush=True)
""")


def refused_all(cases: list[tuple[list, str]], watch: tuple[str, ...] = WATCH) -> None:
    """:func:`refused` for each ``(argv, message)``, all in one fresh interpreter (one start-up, not one each).

    Sound for refusals only: each is checked to have loaded no watched module, so none was loaded before the next
    one starts, and a command that loads one is the first whose ``loaded`` names it.
    """
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")])}
    argvs = [[str(a) for a in argv] for argv, _ in cases]
    res = subprocess.run([sys.executable, "-c", _RUN_MANY, json.dumps(argvs), json.dumps(watch)],
                         capture_output=True, text=True, env=env, timeout=300)
    assert res.returncode == 0, res.stderr[-3000:]
    outs = [json.loads(line) for line in res.stdout.strip().splitlines() if line.startswith('{"exit"')]
    assert len(outs) == len(cases), res.stdout[-3000:]
    for (argv, message), out in zip(cases, outs):
        assert out.get("exit") == 2, (argv, out)
        assert f"error: {message}" in out["stderr"] and "Traceback" not in out["stderr"], (argv, out)
        assert out["loaded"] == [], (argv, f"loaded before the refusal: {out['loaded']}")


def refused(argv: list[str], message: str, watch: tuple[str, ...] = WATCH) -> dict:
    """Run ``argv``, check it is refused with exit 2 and ``message`` (no traceback), before any watched import."""
    out = run_cli(argv, watch)
    assert out.get("exit") == 2, out
    assert f"error: {message}" in out["stderr"] and "Traceback" not in out["stderr"], out
    assert out["loaded"] == [], f"loaded before the refusal: {out['loaded']}"
    return out


def first_line(argv: list[str], start: str, watch: tuple[str, ...] = WATCH) -> dict:
    """Run ``argv`` (with ``--progress``): its first line starts with ``start`` and comes before any watched import."""
    out = run_cli([*argv, "--progress"], watch)
    assert out.get("text", "").startswith(start), out
    assert out["loaded"] == [], f"loaded before the first line: {out['loaded']}"
    return out


# ---- explain


def test_explain_says_its_first_line_before_torch(tmp_path):
    model = _manifest_model(tmp_path / "model")  # a missing model or STAMPS is refused before the line (below)
    (model / "member_01.pt").write_bytes(b"not read")
    (tmp_path / "stamps.h5").write_bytes(b"not read")
    first_line(["explain", model, tmp_path / "stamps.h5", "-o", tmp_path / "out"],
               f"explain: loading model {model} and reading the stamps of ")
    assert not (tmp_path / "out").exists()


def test_explain_refuses_a_missing_model_or_stamps_before_torch(tmp_path):
    """Both were named once torch and the model had loaded; missing STAMPS beside a damaged member file was said as
    the member's damage ('not a readable starclass checkpoint')."""
    model = _manifest_model(tmp_path / "model")
    (model / "member_01.pt").write_bytes(b"not a checkpoint")
    (tmp_path / "stamps.h5").write_bytes(b"not read")
    out = ["-o", tmp_path / "out"]
    (tmp_path / "half").mkdir()
    refused_all([(["explain", model, tmp_path / "nostamps.h5", *out],
                  f"STAMPS {tmp_path / 'nostamps.h5'}: no such file or folder"),
                 (["explain", tmp_path / "nomodel", tmp_path / "stamps.h5", *out],
                  f"model {tmp_path / 'nomodel'} does not exist"),
                 (["explain", tmp_path / "half", tmp_path / "stamps.h5", *out],
                  f"model {tmp_path / 'half'}: no manifest.json (not a starclass model directory)")])
    assert not (tmp_path / "out").exists()


def test_explain_refuses_a_bad_count_before_torch(tmp_path):
    refused_all([(["explain", tmp_path / "model", tmp_path / "stamps.h5", "-o", tmp_path / "out", "--per-class", "0"],
                  "--per-class (per_class= in Python) must be >= 1, got 0"),
                 (["explain", tmp_path / "model", tmp_path / "stamps.h5", "-o", tmp_path / "out", "-m", "lime"],
                  "--method lime: use any of gradcam, guided-gradcam, guided-backprop, cam")])
    assert not (tmp_path / "out").exists()


# ---- calibrate


def _manifest_model(folder: Path) -> Path:
    """A model folder whose manifest reads (the members are never loaded here)."""
    from starclass.learn.checkpoint import write_manifest
    from starclass.learn.config import get_preset

    write_manifest(folder, get_preset("galaxy-cluster-compact", stamp_size=16),
                   [{"file": "member_01.pt", "architecture": "compact", "seed": 0}])
    return folder


def test_calibrate_says_its_first_line_before_torch(tmp_path):
    model = _manifest_model(tmp_path / "model")
    (tmp_path / "field").mkdir()  # missing inputs are refused before the line (below); these are never read
    (tmp_path / "field" / "f555w.fits").write_bytes(b"")
    (tmp_path / "held.ecsv").write_text("")
    first_line(["calibrate", model, tmp_path / "field", "-c", tmp_path / "held.ecsv"],
               f"calibrate: reading the held-out rows and loading model {model} ...")
    assert sorted(p.name for p in model.iterdir()) == ["manifest.json"]


def test_calibrate_refuses_a_bad_option_or_model_before_torch(tmp_path):
    model = _manifest_model(tmp_path / "model")
    (tmp_path / "half").mkdir()
    refused_all([(["calibrate", model, "--stamps", tmp_path / "s.csv", "--method", "platt"],
                  "--method 'platt': use one of temperature, vector, histogram"),
                 (["calibrate", model, "--stamps", tmp_path / "s.csv", "--method", "histogram", "--bins", "0"],
                  "--bins must be a whole number >= 1, got 0"),
                 (["calibrate", tmp_path / "nomodel", "--stamps", tmp_path / "s.csv"],
                  f"model {tmp_path / 'nomodel'}: give the model directory 'starclass train' wrote"),
                 (["calibrate", tmp_path / "half", "--stamps", tmp_path / "s.csv"],
                  f"model {tmp_path / 'half'}: no manifest.json (not a starclass model directory)")])


def test_calibrate_refuses_a_missing_input_before_torch(tmp_path):
    """As classify: a misspelt held-out catalogue, mosaic or --stamps was named once torch had loaded."""
    model = _manifest_model(tmp_path / "model")
    (tmp_path / "field").mkdir()
    (tmp_path / "field" / "f555w.fits").write_bytes(b"not read")
    (tmp_path / "held.ecsv").write_text("not read\n")
    refused_all([(["calibrate", model, tmp_path / "field", "-c", tmp_path / "nope.ecsv"],
                  f"catalogue {tmp_path / 'nope.ecsv'}: no such file or directory"),
                 (["calibrate", model, tmp_path / "nofield", "-c", tmp_path / "held.ecsv"],
                  f"mosaic {tmp_path / 'nofield'}: no such file or directory"),
                 (["calibrate", model, "--stamps", tmp_path / "held.csv"],
                  f"--stamps {tmp_path / 'held.csv'}: no such file or directory"),
                 (["calibrate", model, tmp_path / "field"],
                  "give the mosaics and --catalog, or a labelled cutout folder with --stamps")])
    assert sorted(p.name for p in model.iterdir()) == ["manifest.json"]


# ---- classify


def test_classify_says_its_first_line_before_torch(tmp_path):
    model = _manifest_model(tmp_path / "model")  # a model that is not there is refused before the line (below)
    (model / "member_01.pt").write_bytes(b"")
    (tmp_path / "field").mkdir()  # missing inputs are refused before the line too (below); these are never read
    (tmp_path / "field" / "f555w.fits").write_bytes(b"")
    (tmp_path / "cands.ecsv").write_text("")
    first_line(["classify", tmp_path / "field", "-c", tmp_path / "cands.ecsv", "--model", model, "-o",
                tmp_path / "out.ecsv"],
               f"classify: loading model {model} and reading the candidates ...")
    assert not (tmp_path / "out.ecsv").exists()


def test_classify_refuses_a_bad_option_before_torch(tmp_path):
    base = ["classify", tmp_path / "field", "-c", tmp_path / "cands.ecsv", "--model", tmp_path / "model"]
    refused_all([([*base, "-o", tmp_path / "out.ecsv", "--coverage", "1"],
                  "--coverage 1.0 must be above 0 and below 1"),
                 ([*base, "-o", tmp_path / "out.txt"], f"cannot tell the catalogue format of {tmp_path / 'out.txt'}"),
                 ([*base, "-o", tmp_path / "out.ecsv", "--label-columns", "class_h1"],
                  "--label-columns names the vote columns of --votes: give --votes too"),
                 ([*base, "-o", tmp_path / "out.ecsv", "--precision", "fp8"],
                  "--precision='fp8': use one of auto, fp32")])
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_classify_refuses_a_missing_model_before_torch(tmp_path):
    """A model that is not there, or a folder without manifest.json, was named once torch and the inputs had loaded."""
    from astropy.table import Table

    (tmp_path / "field").mkdir()
    (tmp_path / "field" / "f555w.fits").write_bytes(b"")
    Table({"id": [1], "x": [5.0], "y": [5.0]}).write(tmp_path / "cands.ecsv")  # read before the model until now
    base = ["classify", tmp_path / "field", "-c", tmp_path / "cands.ecsv", "-o", tmp_path / "out.ecsv"]
    (tmp_path / "half").mkdir()
    refused_all([([*base, "--model", tmp_path / "nomodel"], f"model {tmp_path / 'nomodel'} does not exist"),
                 ([*base, "--model", tmp_path / "half"],
                  f"model {tmp_path / 'half'}: no manifest.json (not a starclass model directory)")])
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cands.ecsv", "field", "half"]


def test_classify_refuses_a_missing_input_before_torch(tmp_path):
    """A misspelt catalogue was named once torch and the model had loaded; a missing mosaic or --stamps after the
    model's member files were read, whose damage ('not a readable starclass checkpoint') was said instead."""
    model = _manifest_model(tmp_path / "model")
    (model / "member_01.pt").write_bytes(b"not a checkpoint")  # read only once torch loads
    (tmp_path / "field").mkdir()
    (tmp_path / "field" / "f555w.fits").write_bytes(b"not read")
    (tmp_path / "empty").mkdir()
    (tmp_path / "cands.ecsv").write_text("not read\n")
    out = ["--model", model, "-o", tmp_path / "out.ecsv"]
    (tmp_path / "stamps.h5").write_bytes(b"\x89HDF\r\n\x1a\n" + bytes(100))
    cases = [(["classify", tmp_path / "field", "-c", tmp_path / "nocands.ecsv", *out],
              f"catalogue {tmp_path / 'nocands.ecsv'}: no such file or directory"),
             (["classify", tmp_path / "nofield", "-c", tmp_path / "cands.ecsv", *out],
              f"mosaic {tmp_path / 'nofield'}: no such file or directory"),
             (["classify", tmp_path / "f814w.fits", tmp_path / "field" / "f555w.fits", "-c", tmp_path / "cands.ecsv",
               *out], f"mosaic {tmp_path / 'f814w.fits'}: no such file or directory"),
             (["classify", tmp_path / "empty", "-c", tmp_path / "cands.ecsv", *out],
              f"mosaic folder {tmp_path / 'empty'} holds no FITS image"),
             (["classify", tmp_path / "field", *out],
              "give the mosaics and --catalog, or a cutout folder with --stamps")]
    cases += [(["classify", "--stamps", stamps, *out], f"--stamps {stamps}: no such file or directory")
              for stamps in (tmp_path / "cutouts.csv", tmp_path / "cutouts")]
    # a stamp store is classified (tests/test_classify_stamp_store.py): an HDF5 file that is none is said first
    cases.append((["classify", "--stamps", tmp_path / "stamps.h5", *out], f"stamp store {tmp_path / 'stamps.h5'}"))
    refused_all(cases)
    assert not (tmp_path / "out.ecsv").exists()


def test_classify_refuses_an_existing_output_before_reading_its_inputs_and_torch(tmp_path):
    """Inputs there (so none to name first: tests/test_classify_inputs_first.py): --overwrite is asked at once.

    The catalogue and the mosaic are not even valid files: only their being there is looked at before the question.
    """
    model = _manifest_model(tmp_path / "model")
    (model / "member_01.pt").write_bytes(b"not read")
    (tmp_path / "field").mkdir()
    (tmp_path / "field" / "f555w.fits").write_bytes(b"not read")
    (tmp_path / "cands.ecsv").write_text("not read\n")
    old = tmp_path / "old.ecsv"
    old.write_text("kept\n")
    says = f"--output {old} exists; give --overwrite to replace it"
    (tmp_path / "stamps").mkdir()
    refused_all([(["classify", tmp_path / "field", "-c", tmp_path / "cands.ecsv", "--model", model, "-o", old], says),
                 (["classify", "--stamps", tmp_path / "stamps", "--model", model, "-o", old], says)])
    assert old.read_text() == "kept\n"


def test_a_device_torch_would_not_take_is_still_refused_at_once(tmp_path):
    """Only the plain names (cpu, cuda:N, mps) wait for the first line; 'tpu' is refused first, as before."""
    from starclass.learn.precision import plain_device

    # "cpu:0" is a name torch and check_device_name take (tests/test_device_names.py), so plain since 2026-12-06
    assert [plain_device(d) for d in (None, "cpu", "cuda", "cuda:3", "mps", "tpu", "cuda:", "cuda:01", "cpu:0", 0)] == \
        [True, True, True, True, True, False, False, False, True, False]
    out = run_cli(["classify", tmp_path / "field", "-c", tmp_path / "cands.ecsv", "--model", tmp_path / "model",
                   "-o", tmp_path / "out.txt", "--device", "tpu"])
    assert out["exit"] == 2 and "error: --device (device= in Python) 'tpu' is not a device" in out["stderr"], out


# ---- suggest


def test_suggest_says_its_first_line_before_torch(tmp_path):
    first_line(["suggest", tmp_path / "model", tmp_path / "classified.ecsv", "-o", tmp_path / "s.ecsv"],
               f"suggest: reading the candidates and loading model {tmp_path / 'model'} ...")
    assert not (tmp_path / "s.ecsv").exists()


def test_suggest_ranks_a_classified_catalogue_without_torch(tmp_path):
    """Without --mosaics the catalogue's prob_<k> are ranked: the model's classes come from its manifest.

    Its members were loaded (torch, 3-4 s) to learn two lists; here the member file is no checkpoint at all.
    """
    from astropy.table import Table

    model = _manifest_model(tmp_path / "model")  # galaxy-cluster-compact: classes 1, 2
    (model / "member_01.pt").write_bytes(b"not read")
    Table({"id": [1, 2, 3], "x": [5.0, 9.0, 12.0], "y": [5.0, 9.0, 12.0], "prob_1": [0.5, 0.9, 0.3],
           "prob_2": [0.5, 0.1, 0.7], "class_pred": [1, 1, 2]}).write(tmp_path / "classified.ecsv")
    out = run_cli(["suggest", model, tmp_path / "classified.ecsv", "-n", "2", "--mag-bins", "1", "-o",
                   tmp_path / "s.ecsv"])
    assert out["exit"] == 0 and "suggested 2 of the 3 candidates by entropy" in out["stdout"], out
    assert out["loaded"] == [], f"loaded: {out['loaded']}"
    assert list(Table.read(tmp_path / "s.ecsv")["id"]) == [1, 3]  # most uncertain first
    # another task's probabilities are still refused, from the manifest's classes
    Table({"id": [1], "x": [5.0], "y": [5.0], "prob_1": [0.5], "prob_2": [0.3], "prob_3": [0.2]}).write(
        tmp_path / "three.ecsv")
    refused(["suggest", model, tmp_path / "three.ecsv", "-o", tmp_path / "t.ecsv"],
            "the candidates carry no classification by this model (prob_<k> columns for classes [1, 2]; found "
            "[1, 2, 3]")
    # and a member file that is missing, as load_model said it
    (model / "member_01.pt").unlink()
    refused(["suggest", model, tmp_path / "classified.ecsv", "-o", tmp_path / "u.ecsv"],
            f"ensemble {model}: member files missing: {model / 'member_01.pt'}")


def test_suggest_ranks_a_classified_catalogue_without_torch_even_with_a_device(tmp_path):
    """--device cpu asked torch whether the device is there, loading it (3-4 s), though no network runs."""
    from astropy.table import Table

    model = _manifest_model(tmp_path / "model")
    (model / "member_01.pt").write_bytes(b"not read")
    Table({"id": [1, 2, 3], "x": [5.0, 9.0, 12.0], "y": [5.0, 9.0, 12.0], "prob_1": [0.5, 0.9, 0.3],
           "prob_2": [0.5, 0.1, 0.7], "class_pred": [1, 1, 2]}).write(tmp_path / "classified.ecsv")
    out = run_cli(["suggest", model, tmp_path / "classified.ecsv", "-n", "2", "--mag-bins", "1", "--device", "cpu",
                   "-o", tmp_path / "s.ecsv"])
    assert out["exit"] == 0 and "suggested 2 of the 3 candidates by entropy" in out["stdout"], out
    assert out["loaded"] == [], f"loaded: {out['loaded']}"
    assert list(Table.read(tmp_path / "s.ecsv")["id"]) == [1, 3]
    # a name torch would never take is still refused at once (torch says which), as with --mosaics
    out = run_cli(["suggest", model, tmp_path / "classified.ecsv", "--device", "tpu", "-o", tmp_path / "t.ecsv"])
    assert out["exit"] == 2 and "error: --device (device= in Python) 'tpu' is not a device" in out["stderr"], out
    assert not (tmp_path / "t.ecsv").exists()


def test_suggest_refuses_a_bad_option_before_torch_even_with_a_device(tmp_path):
    base = ["suggest", tmp_path / "model", tmp_path / "classified.ecsv", "--device", "cpu"]
    refused_all([([*base, "-o", tmp_path / "s.txt"], f"cannot tell the catalogue format of {tmp_path / 's.txt'}"),
                 ([*base, "-o", tmp_path / "s.ecsv", "--max-per-class", "3"],
                  "--max-per-class caps the pseudo-labels: give --pseudo-labels too")])


# ---- survey


def test_survey_says_its_first_line_before_distributed_and_torch(tmp_path):
    first_line(["survey", tmp_path / "plan.yaml", "-o", tmp_path / "run", "--workers", "1"],
               f"survey: checking the plan {tmp_path / 'plan.yaml'} ...", watch=(*WATCH, "distributed"))
    assert not (tmp_path / "run").exists()


def test_survey_refuses_options_that_do_not_go_together_before_distributed(tmp_path):
    base = ["survey", tmp_path / "plan.yaml", "-o", tmp_path / "run"]
    watch = (*WATCH, "distributed")
    refused_all([([*base, "--connect-timeout", "5"],
                  "--connect-timeout bounds the answer of a running scheduler: give it with --scheduler"),
                 ([*base, "--jobs", "2"], "--jobs size batch jobs: give them with --jobqueue slurm|pbs"),
                 ([*base, "--scheduler", "tcp://127.0.0.1:1", "--workers", "2"],
                  "--workers sizes a LocalCluster; with --scheduler the running cluster's workers are used"),
                 # said before the scheduler is reached: it was tried first (5 s for one that does not answer)
                 ([*base, "--jobqueue", "slurm", "--scheduler", "tcp://127.0.0.1:1"],
                  "--jobqueue submits its own workers: give it without --scheduler and --workers")], watch)
    assert not (tmp_path / "run").exists()


def test_survey_refuses_a_bad_plan_before_distributed(tmp_path):
    """A plan naming a mosaic folder that is not there, a bad setting or a missing model was refused only once
    distributed (and dask) had loaded, after a scheduler was reached or dask-jobqueue imported."""
    model = _manifest_model(tmp_path / "model")
    (model / "member_01.pt").write_bytes(b"not read")
    (tmp_path / "f1").mkdir()
    (tmp_path / "f1" / "f555w.fits").write_bytes(b"not read")
    watch = (*WATCH, "distributed", "dask")
    run = ["-o", tmp_path / "run"]
    (tmp_path / "plan.csv").write_text("name,mosaics\nf1,f1\nf2,nothere\n")
    says = (f"plan {tmp_path / 'plan.csv'}, field 'f2' (row 2 (line 3 of the file)): mosaics {tmp_path / 'nothere'} "
            "not found")
    cases = []
    cases.append((["survey", tmp_path / "plan.csv", "--model", model, *run], says))
    (tmp_path / "tiles.yaml").write_text("model: model\ntile_size: 3\nfields:\n  - name: f1\n    mosaics: f1\n")
    cases.append((["survey", tmp_path / "tiles.yaml", *run],
                  f"plan {tmp_path / 'tiles.yaml'}: tile_size must be >= 64, got 3"))
    (tmp_path / "ok.yaml").write_text("model: model\nfields:\n  - name: f1\n    mosaics: f1\n")
    cases.append((["survey", tmp_path / "ok.yaml", "--photometry", "aperture", *run],
            f"plan {tmp_path / 'ok.yaml'}: photometry 'aperture' unknown"))
    cases.append((["survey", tmp_path / "ok.yaml", "--model", tmp_path / "nomodel", *run],
            f"plan {tmp_path / 'ok.yaml'}: model {tmp_path / 'nomodel'} not found"))
    (tmp_path / "half").mkdir()
    cases.append((["survey", tmp_path / "ok.yaml", "--model", tmp_path / "half", *run],
            f"model {tmp_path / 'half'}: no manifest.json (not a starclass model directory)"))
    (tmp_path / "empty.yaml").write_text("model: model\nfields: []\n")
    cases.append((["survey", tmp_path / "empty.yaml", *run], f"plan {tmp_path / 'empty.yaml'}: no fields"))
    # the plan comes before a scheduler is reached (one that does not answer: seconds) and before dask-jobqueue
    cases.append((["survey", tmp_path / "plan.csv", "--model", model, "--scheduler", "tcp://127.0.0.1:1", *run], says))
    cases.append((["survey", tmp_path / "plan.csv", "--model", model, "--jobqueue", "slurm", *run], says))
    cases.append((["survey", tmp_path / "plan.csv", "--model", model, "--jobqueue", "slrum", *run],
            "--jobqueue 'slrum': unknown; use one of slurm, pbs"))
    refused_all(cases, watch)
    assert not (tmp_path / "run").exists()


# ---- train


def test_train_says_its_first_line_before_torch(tmp_path):
    first_line(["train", "--task", "legus4-compact", "-m", tmp_path / "field", "-c", tmp_path / "truth.ecsv", "-o",
                tmp_path / "model", "--device", "cpu"],
               "train: task legus4-compact: building its networks and reading the training inputs ...")
    assert not (tmp_path / "model").exists()


def test_train_refuses_a_bad_option_before_torch_even_with_a_device(tmp_path):
    base = ["train", "--task", "legus4-compact", "-m", tmp_path / "field", "-c", tmp_path / "truth.ecsv", "-o",
            tmp_path / "model", "--device", "cpu"]
    refused_all([([*base, "--precision", "fp8"], "--precision='fp8': use one of auto, fp32"),
                 ([*base, "--target-purity", "1.5"], "--target-purity must be between 0 and 1 (exclusive), got 1.5")])
    assert not (tmp_path / "model").exists()


def test_train_refuses_a_member_that_cannot_take_the_stamps_before_its_first_line_and_torch(tmp_path):
    """check_members imported each network's module (torch) to learn its rule: a VGG given 16 px stamps was refused
    only after the first line, once torch had loaded."""
    base = ["train", "--task", "phangs4", "--stamp-size", "16", "-m", tmp_path / "field", "-c", tmp_path / "truth.ecsv",
            "-o", tmp_path / "model"]
    native = [*base, "--input-size", "0"]  # the stamps as they are, not resampled to phangs4's input size
    says = "task config 'phangs4': resnet18"  # the first member is fine: the VGG is named
    out = refused(native, "task config 'phangs4': vgg19_bn halves its input five times and needs at least 32 px, but "
                  "stamp_size=16 (--stamp-size; no input_size) gives it 16 px")
    assert says not in out["stderr"]
    out = run_cli([*native, "--progress"])  # refused, not the first line said then the refusal
    assert out.get("exit") == 2 and "vgg19_bn halves its input" in out["stderr"] and out["loaded"] == [], out
    # --input-size 32 resamples the stamps for it: the first line comes, still before torch
    first_line([*base, "--input-size", "32"], "train: task phangs4: building its networks")
    assert not (tmp_path / "model").exists()


# ---- inspect


def test_inspect_says_its_first_line_before_sqlalchemy_at_a_terminal(tmp_path):
    (tmp_path / "field").mkdir()
    argv = ["inspect", tmp_path / "field", "--db", f"sqlite:///{tmp_path / 'labels.sqlite'}", "--init",
            "--port", str(free_port()), "--no-prerender"]
    out = run_cli(argv, terminal=True)
    assert out.get("text") == f"inspect: opening the label database and loading {tmp_path / 'field'} ...", out
    assert out["loaded"] == [], f"loaded before the first line: {out['loaded']}"
    assert not (tmp_path / "labels.sqlite").exists()
    # into a log file (no terminal) no such line: the notes come first, as before
    assert run_cli([*argv, "--admin"])["stderr"].strip() == "error: --admin applies to --add-user (an existing " \
        "account stays as it is)"


def test_inspect_refuses_options_that_need_another_before_sqlalchemy(tmp_path):
    (tmp_path / "field").mkdir()
    base = ["inspect", tmp_path / "field", "--db", f"sqlite:///{tmp_path / 'labels.sqlite'}"]
    refused_all([([*base, "--admin"], "--admin applies to --add-user (an existing account stays as it is)"),
                 ([*base, "--cluster-cut", "2"], "--cluster-cut applies to --export"),
                 ([*base, "--include-unlabelled"], "--include-unlabelled applies to --export")])
    assert not (tmp_path / "labels.sqlite").exists()


# ---- --device: one name check for every verb, before torch


def test_every_verb_refuses_a_device_name_torch_would_not_take_before_torch(tmp_path):
    """'tpu' (and 'cuda:', 'xla') were refused through torch.device: torch loaded (1-4 s) first, in every verb."""
    model = _manifest_model(tmp_path / "model")
    (model / "member_01.pt").write_bytes(b"not read")
    (tmp_path / "field").mkdir()
    (tmp_path / "field" / "f555w.fits").write_bytes(b"")
    (tmp_path / "cands.ecsv").write_text("")
    field, cands = tmp_path / "field", tmp_path / "cands.ecsv"
    verbs = {
        "classify": ["classify", field, "-c", cands, "--model", model, "-o", tmp_path / "o.ecsv"],
        "calibrate": ["calibrate", model, field, "-c", cands],
        "suggest": ["suggest", model, cands, "-o", tmp_path / "s.ecsv"],
        "train": ["train", "--task", "legus4-compact", "-m", field, "-c", cands, "-o", tmp_path / "m"],
        "survey": ["survey", tmp_path / "plan.yaml", "-o", tmp_path / "run", "--workers", "1"],
    }
    refused_all([([*argv, "--device", name], f"--device (device= in Python) {says}")
                 for argv in verbs.values()
                 for name, says in (("tpu", "'tpu' is not a device; use cpu, cuda or cuda:N"),
                                    ("cuda:", "'cuda:' is not a device"),
                                    ("xla", "'xla': starclass runs on cpu, cuda or mps, not 'xla'"))],
                (*WATCH, "distributed"))
    assert not any((tmp_path / p).exists() for p in ("o.ecsv", "s.ecsv", "m", "run"))


def test_inspect_init_add_user_says_what_it_does_first_at_a_terminal(tmp_path, monkeypatch):
    """``inspect DATA_DIR --init --add-user ann --admin`` (the docs' first run) said nothing for ~14 s on shared cores
    (the catalogue checked on the mosaics before the database is made, SQLAlchemy, the password hash), then its one
    line; at a terminal it now says what it is doing first, before SQLAlchemy."""
    from starclass.datasets.labelling import make_demo_field

    field = make_demo_field(tmp_path / "field", n=4, size=80, predictions=False)
    monkeypatch.setenv("STARCLASS_INSPECT_PASSWORD", "ann-password")
    argv = ["inspect", field, "--db", f"sqlite:///{tmp_path / 'labels.sqlite'}", "--init", "--add-user", "ann",
            "--admin"]
    out = run_cli(argv, terminal=True)
    assert out.get("text") == (f"inspect: checking the catalogue of {field} against its mosaics, then opening the "
                               "label database ..."), out
    assert out["loaded"] == [], f"loaded before the first line: {out['loaded']}"
    assert not (tmp_path / "labels.sqlite").exists()  # said before anything is made
    # into a log file (no terminal) no such line: the account's line alone, as before
    out = run_cli(argv)
    assert out.get("exit") == 0 and "inspect: checking" not in out["stderr"], out
    assert out["stdout"].startswith("created user ann (id 1, admin)"), out
