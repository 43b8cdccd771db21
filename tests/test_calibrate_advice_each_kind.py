"""The advice to calibrate on held-out rows of either kind says, per kind, what to run.

Until 2026-12-07 a notebook was told "calibrate_model(model, inputs, labels, source=..., overwrite=True) on
held-out cutouts' inputs or those of held-out rows cut from mosaics" (which inputs, made by what, it left open),
and the command line "'starclass calibrate MODEL --stamps HELD_OUT.csv --overwrite' on a cutout folder, or
'starclass calibrate MODEL MOSAICS -c HELD_OUT.ecsv --overwrite' on mosaics and a catalogue". Each kind of rows
now has its own call (Python: the function that makes the inputs) or command, named beside the kind.
"""

from __future__ import annotations

import importlib
import re

import numpy as np

from starclass.errors import CALIBRATE_EITHER_PYTHON, CALIBRATE_MOSAICS_PYTHON, CALIBRATE_STAMPS_PYTHON, cli_words

STAMPS = "'starclass calibrate MODEL --stamps HELD_OUT.csv --overwrite'"
MOSAICS = "'starclass calibrate MODEL MOSAICS -c HELD_OUT.ecsv --overwrite'"


def _named_functions(text: str) -> list[str]:
    """The dotted starclass functions a message names as calls (``starclass.a.b.f(``)."""
    return re.findall(r"(starclass(?:\.\w+)+)\(", text)


def _resolve(dotted: str):
    module, name = dotted.rsplit(".", 1)
    return getattr(importlib.import_module(module), name)


def test_the_python_advice_names_a_call_that_makes_each_kinds_inputs():
    named = _named_functions(CALIBRATE_EITHER_PYTHON)
    assert "starclass.stamps.images.cutout_inputs" in named, CALIBRATE_EITHER_PYTHON
    assert "starclass.stamps.make_inputs" in named, CALIBRATE_EITHER_PYTHON
    for dotted in named:
        assert callable(_resolve(dotted)), dotted  # each function named exists where the message says
    # each call beside the kind of rows it is for, in the order the two one-kind forms use
    assert CALIBRATE_EITHER_PYTHON.index("cutout_inputs(") < CALIBRATE_EITHER_PYTHON.index("cutout folder") < \
        CALIBRATE_EITHER_PYTHON.index("make_inputs(") < CALIBRATE_EITHER_PYTHON.index("catalogue on its mosaics")
    assert "those of" not in CALIBRATE_EITHER_PYTHON
    assert "cutout_inputs(" in CALIBRATE_STAMPS_PYTHON and "make_inputs(" not in CALIBRATE_STAMPS_PYTHON
    assert "make_inputs(" in CALIBRATE_MOSAICS_PYTHON and "cutout_inputs(" not in CALIBRATE_MOSAICS_PYTHON


def test_the_calls_named_make_inputs_calibrate_model_takes():
    # the words are a recipe: run as written (held_out, task, mosaics bound), they give [N, C, S, S] inputs
    from starclass.learn.config import get_preset

    task = get_preset("legus4-compact")
    rng = np.random.default_rng(0)
    mosaics = {b: rng.normal(1.0, 0.1, (80, 80)).astype(np.float32) for b in task.bands}
    held_out = {"x": np.array([30.0, 40.0]), "y": np.array([35.0, 45.0])}
    call = CALIBRATE_MOSAICS_PYTHON.split("inputs = ", 1)[1].split(" (", 1)[0]
    importlib.import_module("starclass.stamps")  # the package's attribute the dotted name reads
    inputs = eval(call, {"starclass": importlib.import_module("starclass"), "mosaics": mosaics,
                         "held_out": held_out, "task": task})
    assert inputs.ndim == 4 and len(inputs) == 2


def test_the_command_line_names_a_command_for_each_kind():
    said = cli_words(CALIBRATE_EITHER_PYTHON)
    assert said == (f"{STAMPS} (a held-out cutout folder) or {MOSAICS} (a held-out catalogue on its mosaics), "
                    "whichever the model was trained on"), said
    assert "calibrate_model" not in said and "those of" not in said
    assert cli_words(CALIBRATE_STAMPS_PYTHON) == STAMPS
    assert cli_words(CALIBRATE_MOSAICS_PYTHON) == MOSAICS
