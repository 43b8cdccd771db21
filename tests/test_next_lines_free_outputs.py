"""Every ``next:`` line that proposes ``-o OUT`` names an output not there yet, so that it runs as printed.

Walking docs/training.md's quick start (2026-12-07): ``simulate field``, ``train ... -o model``, then
``simulate heldout`` ended with ``train ... -o model``, the quick start's own model, a command train refuses as
printed ("exists; give --overwrite"). The lines take :func:`starclass.cli.next_steps.free_name`'s name, the rule
the fine-tune's ``NEW_MODEL`` and classify's ``suggestions.ecsv`` follow. ``detect``'s line names the field just
detected with ``--model MODEL``: after simulate's line (train on that field), an in-sample classify; it says now
that MODEL is one trained on other fields.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app

pytestmark = pytest.mark.usefixtures("single_thread")

LEGUS = ["f275w", "f336w", "f438w", "f555w", "f814w"]


@pytest.fixture()
def taken(tmp_path, monkeypatch):
    """A working folder where the names the lines proposed are taken, as after a first round of each."""
    monkeypatch.chdir(tmp_path)
    for folder in ("model", "MODEL", "run"):
        (tmp_path / folder).mkdir()
    for name in ("classified.ecsv", "classified.csv", "candidates.ecsv", "suggest.csv"):
        (tmp_path / name).write_text("")
    return tmp_path


def _outputs(line: str) -> list[str]:
    return re.findall(r" -o (\S+?)'", line) + re.findall(r" -o (\S+?) ", line)


def test_simulate_field_and_cutout_lines_name_a_model_not_there(taken):
    from starclass.cli.simulate_cmd import cutouts_next_line, next_after_field, next_after_seed_preset

    line = next_after_field(Path("heldout"), LEGUS)
    assert "'starclass detect heldout -o candidates_1.ecsv'" in line, line
    assert "-c heldout/truth.ecsv -o model_1'" in line, line
    assert cutouts_next_line("cool-core", "cc/labels.csv").endswith("--stamps cc/labels.csv -o model_1'")
    seed = next_after_seed_preset("open-globular", Path("og/labels.csv"), None)
    # a lower-case name as the other first trains' (old code: 'MODEL_1', read as a placeholder to edit)
    assert "-o model_1'" in seed and "--model model_1 -o classified_1.csv'" in seed, seed


def test_classify_lines_of_train_calibrate_and_detect_name_an_output_not_there(taken):
    from starclass.cli.calibrate_cmd import calibrate_next_line
    from starclass.cli.classify_cmd import next_after_classifying
    from starclass.cli.detect_cmd import next_after_detecting
    from starclass.cli.train_cmd import next_after_training

    lines = [next_after_training("m", cutouts=True), next_after_training("m", cutouts=False),
             next_after_training("m", cutouts=False, stores=True),
             calibrate_next_line("m", stamps=False, tta=False, mosaics=[Path("held")]),
             calibrate_next_line("m", stamps=True, tta=False),
             next_after_detecting([Path("field")], Path("c.ecsv"))]
    for line in lines:
        assert "-o classified_1.ecsv'" in line and "-o classified.ecsv'" not in line, line
    said = next_after_classifying("out.csv", "m", "pool", labelled=False)
    assert said.endswith("-n 20 -o suggest_1.csv'"), said


def test_a_stamp_stores_line_names_a_model_not_there(taken):
    from starclass.cli.cutouts_cmd import next_after_cutting
    from starclass.learn.config import get_preset
    from starclass.stamps import make_store

    cfg = get_preset("legus4-compact")
    img = {b: np.ones((40, 40), np.float32) for b in cfg.bands}
    make_store(img, Table({"x": [20.0, 9.0], "y": [20.0, 20.0], "class_ref": [1, 2]}), taken / "s.h5", cfg)
    assert next_after_cutting(Path("s.h5")).endswith("--stamps s.h5 -o model_1'")


def test_simulate_heldout_after_training_proposes_a_train_that_runs_as_printed(taken):
    """The quick start's order: a model folder ``model`` exists when ``simulate heldout`` says its line."""
    res = CliRunner().invoke(app, ["simulate", "heldout", "--size", "64", "--n-candidates", "5", "--seed", "2",
                                   "--no-progress"])
    assert res.exit_code == 0, res.output
    (line,) = [s for s in res.output.splitlines() if s.startswith("next:")]
    outs = [o.strip("'\"") for o in _outputs(line)]
    assert outs and not any(Path(o).exists() for o in outs), (outs, line)


def test_detects_line_does_not_invite_scoring_a_model_on_the_field_it_trained_on(taken):
    from starclass.cli.detect_cmd import next_after_detecting

    line = next_after_detecting([Path("field")], Path("field/candidates.ecsv"))
    assert "'starclass classify field -c field/candidates.ecsv --model MODEL" in line, line
    assert "(MODEL: a model folder from train, trained on other fields than field;" in line, line
    assert "its figures would be in-sample" in line, line
