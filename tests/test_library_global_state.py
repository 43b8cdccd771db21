"""The library's functions leave a notebook's global state as they found it, and its warning filters hold.

A notebook user silences starclass with ``warnings.filterwarnings("ignore")`` around ``classify()``: the
conformal sets' warning was shown all the same, because classify imported crepes for the first time and
crepes' import puts ``warnings.simplefilter("always", UserWarning)`` ahead of every filter, for the rest
of the session (every UserWarning of the notebook then shown at each repetition). starclass now imports
crepes inside ``warnings.catch_warnings`` (:func:`starclass.learn.conformal._crepes_parts`).

Each public entry point that runs in a second (train's ``fit`` for one epoch, ``calibrate_model``,
``classify``, the scikit-learn estimator, ``evaluate_catalogs``, ``build_report``) is run twice: once with
every warning shown (it is what imports their libraries, so the checked run adds no library's own
import-time filter but crepes'), then under the caller's ignore filter, with crepes taken out of
``sys.modules`` as a fresh session has it. Around the second run the test compares the state a notebook
would notice: warning filters, torch's threads, numpy's print options and error handling, logging's
levels and handlers, matplotlib's backend and rcParams, and the global random states.

The random states: training seeded torch's and numpy's global generators for its own draws and left them
so (a notebook's ``torch.manual_seed(0)`` sequence restarted from the training seed after ``fit``), and
classifying drew the networks' initial weights (replaced by the checkpoint's) from torch's; crepes'
first import moved python's ``random`` (scikit-learn imports rich, which draws at import). Now a seeded
sequence of the notebook goes on as if the call had not run, and the same seed still gives the same
weights whatever the caller's states (:mod:`starclass.learn.rng`).
"""

from __future__ import annotations

import logging
import random
import sys
import warnings
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pytest

from fork_probe import needs_fork, result_of, run_steps  # tests/ is on sys.path under pytest
from starclass.datasets.stamps import make_synthetic_field
from starclass.learn.config import get_preset
from starclass.stamps import make_inputs

pytestmark = pytest.mark.usefixtures("single_thread")

TASK = get_preset("galaxy-cluster-compact", stamp_size=16, recipe={"batch_size": 16})


@pytest.fixture(scope="module")
def toy(tmp_path_factory) -> SimpleNamespace:
    """A toy field, a held-out one of a few rows (the calibration's and the conformal sets' cautions) and a model."""
    from starclass.learn.train import fit

    images, table = make_synthetic_field(TASK, 40, seed=0)
    inputs, ok = make_inputs(images, table["x"], table["y"], TASK)
    held_images, held = make_synthetic_field(TASK, 12, seed=5)
    held_inputs, hok = make_inputs(held_images, held["x"], held["y"], TASK)
    root = tmp_path_factory.mktemp("state")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = fit(TASK, inputs[ok], np.asarray(table["class_ref"])[ok], outdir=root / "model", seed=0,
                    progress=False, epochs=1, resume=False).model_path
    from starclass.learn.checkpoint import load_checkpoint

    return SimpleNamespace(images=images, table=table, inputs=inputs[ok], y=np.asarray(table["class_ref"])[ok],
                           held_inputs=held_inputs[hok], held_y=np.asarray(held["class_ref"])[hok], model=model,
                           weights=load_checkpoint(model / "member_01.pt")["state_dict"])


def _train(t, out: Path):
    from starclass.learn.train import fit

    fit(TASK, t.inputs, t.y, outdir=out, seed=0, progress=False, epochs=1, resume=False)


def _calibrate(t, out: Path):
    import shutil

    from starclass.learn.calibration import calibrate_model

    model = shutil.copytree(t.model, out)  # the other calls' model keeps its calibration
    calibrate_model(model, t.held_inputs, t.held_y, source="held-out toy", overwrite=True,
                    allow_training_rows=True)


def _classify(t, out: Path):
    from starclass.learn.classify import classify

    classify(t.images, t.table, t.model, progress=False, device="cpu")


def _estimator(t, out: Path):
    from starclass.learn.estimator import CNNClassifier

    clf = CNNClassifier(TASK, epochs=1, seed=0, device="cpu").fit(t.inputs, t.y)
    clf.calibrate(t.held_inputs, t.held_y, source="held-out toy")
    clf.predict_set(t.inputs, coverage=0.9)


def _evaluate(t, out: Path):
    from starclass.evaluate import evaluate_catalogs
    from starclass.learn.classify import classify

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # classify's, checked above
        pred = classify(t.images, t.table, t.model, progress=False, device="cpu")
    evaluate_catalogs(pred, {"truth": t.table}, task=TASK, n_boot=20)


def _report(t, out: Path):
    from starclass.learn.classify import classify
    from starclass.report import build_report

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        pred = classify(t.images, t.table, t.model, progress=False, device="cpu")
    build_report(pred, {"truth": t.table}, out, n_boot=20)


def _suggest(t, out: Path):
    from starclass.suggest.pick import classified, suggest

    # with the eight views: mutual information, the score that needs TTA
    suggest(classified(t.model, t.table, t.images, device="cpu", tta=True), 5, by="mutual-info")


CALLS = {"train": _train, "calibrate": _calibrate, "classify": _classify, "estimator": _estimator,
         "evaluate": _evaluate, "report": _report, "suggest": _suggest}


def _random_states() -> dict:
    """Python's, numpy's and torch's global random states, as values that compare."""
    import torch

    kind, keys, pos, has_gauss, gauss = np.random.get_state()  # noqa: NPY002
    return {"python random": random.getstate(), "numpy random": (kind, keys.tobytes(), pos, has_gauss, gauss),
            "torch random": torch.get_rng_state().numpy().tobytes()}


def _state() -> dict:
    """What a notebook would notice changed: each item compared as it is."""
    import matplotlib
    import torch

    loggers = {name: (lg.level, list(lg.handlers), lg.propagate, lg.disabled)
               for name, lg in logging.root.manager.loggerDict.items() if isinstance(lg, logging.Logger)}
    return {"warning filters": list(warnings.filters), "showwarning": warnings.showwarning,
            "torch threads": torch.get_num_threads(), "torch grad": torch.is_grad_enabled(),
            "torch dtype": torch.get_default_dtype(), "numpy print options": np.get_printoptions(),
            "numpy errors": np.geterr(), "root logger": (logging.root.level, list(logging.root.handlers)),
            "logging.disable": logging.root.manager.disable, "matplotlib backend": matplotlib.get_backend(),
            "rcParams": {k: str(v) for k, v in matplotlib.rcParams.items()},
            # a logger the call creates is no change; one the notebook had must keep its level and handlers
            "loggers": loggers, **_random_states()}


@pytest.mark.parametrize("name", list(CALLS))
def test_a_callers_ignore_filter_holds_and_global_state_is_left_as_found(toy, name, tmp_path, monkeypatch):
    call = CALLS[name]
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        call(toy, tmp_path / "first")
    if name in ("calibrate", "classify"):
        # 9 held-out rows: the calibration's caution and the conformal sets' warning, what the filter is to silence
        assert said, f"{name} warned nothing: the ignore filter below is not put to the test"
    for mod in [m for m in sys.modules if m == "crepes" or m.startswith("crepes.")]:
        monkeypatch.delitem(sys.modules, mod)  # not yet imported, as in a fresh notebook
    np.set_printoptions(precision=3)  # a notebook's own settings, not the defaults a call might reset to
    logging.getLogger("starclass").setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings(record=True) as shown:
            warnings.filterwarnings("ignore")
            before = _state()
            call(toy, tmp_path / "second")
            after = _state()
    finally:
        np.set_printoptions(precision=8)
        logging.getLogger("starclass").setLevel(logging.NOTSET)
    assert [str(w.message)[:120] for w in shown] == []
    changed = [k for k in before if k != "loggers" and before[k] != after[k]]
    changed += [f"logger {n}" for n, v in before["loggers"].items() if after["loggers"].get(n) != v]
    assert not changed, {k: (before.get(k), after.get(k)) for k in changed}


def _seed_all(seed: int) -> None:
    import torch

    torch.manual_seed(seed)
    np.random.seed(seed)  # noqa: NPY002
    random.seed(seed)


def _draws() -> tuple:
    """A notebook's next draws from each global generator."""
    import torch

    return torch.rand(3).tolist(), np.random.rand(3).tolist(), [random.random() for _ in range(3)]  # noqa: NPY002


@pytest.mark.parametrize("name", ["train", "estimator", "calibrate", "classify", "suggest"])
def test_a_notebooks_seeded_sequence_goes_on_as_if_the_call_never_ran(toy, name, tmp_path):
    _seed_all(5)
    expected = [_draws(), _draws()]
    _seed_all(5)
    got = [_draws()]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        CALLS[name](toy, tmp_path / "call")
    got.append(_draws())
    # on the old code train and the estimator restarted torch's and numpy's sequences from the training
    # seed, and classify, calibrate and suggest moved torch's on by the networks' initial weights
    assert got == expected


def test_the_same_seed_gives_the_same_weights_whatever_the_callers_random_states(toy, tmp_path):
    import torch

    from starclass.learn.checkpoint import load_checkpoint
    from starclass.learn.train import fit

    weights = []
    for caller_seed, out in [(1, "a"), (2, "b")]:
        _seed_all(caller_seed)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the calibration's caution on 4 validation rows
            fit(TASK, toy.inputs, toy.y, outdir=tmp_path / out, seed=3, progress=False, epochs=1, resume=False)
        weights.append(load_checkpoint(tmp_path / out / "member_01.pt")["state_dict"])
    assert weights[0].keys() == weights[1].keys()
    assert all(torch.equal(weights[0][k], weights[1][k]) for k in weights[0])
    assert not all(torch.equal(weights[0][k], toy.weights[k]) for k in weights[0])  # seed 3, not the toy's 0


def test_a_run_on_the_cpu_seeds_no_gpu_generator(toy, tmp_path, monkeypatch):
    # torch.manual_seed seeds every CUDA device too: those of started GPUs, which forking the CPU's generator
    # does not put back, or, on a machine whose GPU has not started, a seed queued for when it starts (after
    # the call, replacing the notebook's). A run on the CPU now seeds the CPU's generator only
    import torch

    from starclass.learn.checkpoint import write_untrained_model
    from starclass.learn.train import fit

    seeded = []
    monkeypatch.setattr(torch.cuda, "manual_seed_all", lambda seed: seeded.append(("all", seed)))
    monkeypatch.setattr(torch.cuda, "manual_seed", lambda seed: seeded.append(("one", seed)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        fit(TASK, toy.inputs, toy.y, outdir=tmp_path / "m", seed=3, progress=False, epochs=1, resume=False,
            device="cpu")
    write_untrained_model(tmp_path / "u", TASK, seed=3)
    assert seeded == []


# Checks that need a fresh session each (a first import, numba's first threads): steps of one interpreter that
# loads numpy and torch once and forks a child per step (tests/fork_probe.py); seven interpreters until 2026-12-07.
_CREPES_FIRST = """
import random, sys

from starclass.learn.conformal import _crepes_parts

random.seed(5)
expected = [random.random() for _ in range(2)]
random.seed(5)
got = [random.random()]
_crepes_parts()
got.append(random.random())
result = [got == expected, "sklearn" in sys.modules]
"""

_FIRST_STAMPS = """
import os, sys
os.environ["NUMBA_NUM_THREADS"] = "3"  # not the one thread asked for; read as numba is imported
{torch_first}
import numba

from starclass.datasets.stamps import make_synthetic_field
from starclass.learn.config import get_preset
from starclass.stamps import make_inputs

cfg = get_preset("legus4-compact", stamp_size=16)
images, table = make_synthetic_field(cfg, 20, seed=0)
make_inputs(images, table["x"], table["y"], cfg)
import torch

result = torch.get_num_threads()
"""
_TORCH_FIRST = "import torch\ntorch.set_num_threads(1)"

_FIRST_CALL = r"""
import pickle, random, sys, warnings
import numpy as np
import torch

warnings.simplefilter("ignore")
with open(TOY, "rb") as f:
    toy = pickle.load(f)
model = MODEL


def states():
    kind, keys, pos, has_gauss, gauss = np.random.get_state()
    return {"python random": repr(random.getstate()), "numpy random": repr((keys.tolist(), pos, has_gauss, gauss)),
            "torch random": torch.random.get_rng_state().tolist()}


random.seed(5); np.random.seed(5); torch.manual_seed(5)  # a notebook's seeds
rich_before = "rich" in sys.modules
before = states()
exec(CALL)
after = states()
result = {"changed": [k for k in after if after[k] != before[k]], "rich": [rich_before, "rich" in sys.modules]}
"""

_FIRST_CALLS = {
    "classify": "from starclass.learn.classify import classify\n"
                "classify(toy['images'], toy['table'], model, progress=False, device='cpu')",
    "evaluate": "from starclass.evaluate import evaluate_catalogs\n"
                "evaluate_catalogs(toy['pred'], {'truth': toy['table']}, task=toy['task'], n_boot=20)",
    "calibrate": "import shutil, tempfile\nfrom starclass.learn.calibration import calibrate_model\n"
                 "m = shutil.copytree(model, tempfile.mkdtemp() + '/m')\n"
                 "calibrate_model(m, toy['held_inputs'], toy['held_y'], source='held-out toy', overwrite=True, "
                 "allow_training_rows=True)",
    "estimator": "from starclass.learn.estimator import CNNClassifier\n"
                 "clf = CNNClassifier(toy['task'], epochs=1, seed=0, device='cpu').fit(toy['inputs'], toy['y'])\n"
                 "clf.calibrate(toy['held_inputs'], toy['held_y'], source='held-out toy')\n"
                 "clf.predict_set(toy['inputs'], coverage=0.9)",
    # the probe's own check: a call that draws from python's random is seen
    "draws": "import random\nrandom.random()",
}


@pytest.fixture(scope="module")
def fresh(toy, tmp_path_factory) -> dict:
    """The results of every fresh-session step of this file (the slow one apart)."""
    import pickle

    here = tmp_path_factory.mktemp("fresh")
    pred = toy.table.copy()
    pred["class_ml"] = pred["class_ref"]
    with open(here / "toy.pkl", "wb") as f:
        pickle.dump({"images": toy.images, "table": toy.table, "pred": pred, "task": TASK, "inputs": toy.inputs,
                     "y": toy.y, "held_inputs": toy.held_inputs, "held_y": toy.held_y}, f)
    steps = {f"first {name}": f"TOY = {str(here / 'toy.pkl')!r}\nMODEL = {str(toy.model)!r}\nCALL = {call!r}\n"
                              + _FIRST_CALL for name, call in _FIRST_CALLS.items()}
    steps["crepes"] = _CREPES_FIRST
    steps["stamps"] = _FIRST_STAMPS.format(torch_first=_TORCH_FIRST)
    # classify's and calibrate's modules (and starclass's own, that they import) loaded once: each step compiled
    # them again. None loads rich, scikit-learn, crepes or numba, whose first loads the steps check
    return run_steps(steps, ("numpy", "torch", "starclass.learn.classify", "starclass.learn.calibration"),
                     fresh=("rich", "sklearn", "crepes", "numba"))


@needs_fork
def test_the_first_import_of_crepes_leaves_pythons_random_state(fresh):
    # scikit-learn (imported by crepes) imports rich, which draws from python's generator as it is imported:
    # only a fresh process shows it
    assert result_of(fresh, "crepes") == [True, True]


@needs_fork
def test_the_first_stamps_leave_torch_threads_as_set(fresh):
    # numba's OpenMP layer sets OpenMP's threads to its own (NUMBA_NUM_THREADS) as its first parallel kernel
    # starts, and torch shares that OpenMP: a notebook's torch.set_num_threads(1) read 2 after its first
    # make_inputs. A fresh process, as numba starts its threads once per process.
    assert result_of(fresh, "stamps") == 1


# the process without torch loaded first (numba loads OpenMP itself) is the rarer case, and a second start of torch
@pytest.mark.slow
def test_the_first_stamps_leave_torch_threads_as_set_torch_after():
    got = result_of(run_steps({"stamps": _FIRST_STAMPS.format(torch_first="")}, preload=()), "stamps")
    assert got == 1, got


@needs_fork
@pytest.mark.parametrize("name", [n for n in _FIRST_CALLS if n != "draws"])
def test_a_first_call_in_a_fresh_session_leaves_the_random_states(fresh, name):
    # the first call imports its libraries: evaluate's scikit-learn metrics imported rich, which draws from
    # python's random as it is first imported, and moved a notebook's seeded sequence on (on the old code)
    got = result_of(fresh, f"first {name}")
    if name in ("classify", "evaluate", "estimator"):
        assert got["rich"] == [False, True], got  # the call is what loads rich: a first import, which can draw
    assert got["changed"] == []


@needs_fork
def test_the_first_call_probe_sees_a_change(fresh):
    assert result_of(fresh, "first draws")["changed"] == ["python random"]
