"""A five-class task's catalogue (``class_ref`` 5, no task recorded in it) is read with the task's classes.

``read_catalog`` refuses class values beyond 0-4 that neither the table declares nor the caller
allows; the verbs that know the task (``cutouts --task``, ``train --task``, ``classify --model``,
``suggest MODEL``) read their catalogue without the task's classes and refused class 5 as "not 0-4".
"""

from pathlib import Path

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.datasets.labelling import make_demo_field
from starclass.learn.checkpoint import write_manifest
from starclass.learn.config import load_config

runner = CliRunner()

FIVE = """extends: legus4-compact
stamp_size: 16
pixel_scale: 0.08
scales: [1.0]
bands: [f336w, f555w, f814w]
classes: [1, 2, 3, 4, 5]
class_names: [c1, c2, c3, star, artefact]
label_map: {"1": 1, "2": 2, "3": 3, star: 4, artefact: 5}
positive_class: null
"""


@pytest.fixture(scope="module")
def field(tmp_path_factory) -> Path:
    d = make_demo_field(tmp_path_factory.mktemp("five") / "field", n=20, size=120, seed=3)
    (d.parent / "five.yaml").write_text(FIVE)
    t = Table.read(d / "candidates.ecsv")
    t = t[[c for c in ("id", "x", "y") if c in t.colnames]]
    t.meta = {}
    rng = np.random.default_rng(0)
    t["class_ref"] = np.r_[[5, 5, 5], rng.integers(1, 6, len(t) - 3)]
    t.write(d.parent / "five.csv")
    return d


def _not_refused(res) -> None:
    assert "not 0-4" not in res.output, res.output


def test_cutouts_reads_class_5_with_a_five_class_task(field, tmp_path):
    res = runner.invoke(app, ["cutouts", str(field), "-c", str(field.parent / "five.csv"),
                              "--task", str(field.parent / "five.yaml"), "-o", str(tmp_path / "s.h5")])
    _not_refused(res)
    assert res.exit_code == 0, res.output
    assert (tmp_path / "s.h5").exists()


def test_suggest_and_classify_read_class_5_with_a_five_class_model(field, tmp_path):
    cfg = load_config(field.parent / "five.yaml")
    write_manifest(tmp_path / "model", cfg, [{"file": "member_01.pt", "architecture": "compact", "seed": 0}])
    t = Table.read(field.parent / "five.csv")
    for k in range(1, 6):
        t[f"prob_{k}"] = np.full(len(t), 0.2)
    t["prob_1"] = np.linspace(0.2, 0.6, len(t))
    t["prob_2"] = 1.0 - t["prob_1"] - 0.6
    t.write(tmp_path / "cands.csv")
    # both read the catalogue before the network: with no member checkpoint (a manifest alone, to be quick) they
    # then stop there, past the catalogue, and not on its class 5
    for argv in (["suggest", str(tmp_path / "model"), str(tmp_path / "cands.csv"), "-o", str(tmp_path / "sug.ecsv")],
                 ["classify", str(field), "-c", str(field.parent / "five.csv"), "--model", str(tmp_path / "model"),
                  "-o", str(tmp_path / "out.ecsv")]):
        res = runner.invoke(app, argv)
        _not_refused(res)
        assert "member files missing" in res.output, res.output


@pytest.mark.slow
def test_train_reads_class_5_with_a_five_class_task(field, tmp_path):
    res = runner.invoke(app, ["train", "-m", str(field), "-c", str(field.parent / "five.csv"), "--task",
                              str(field.parent / "five.yaml"), "-o", str(tmp_path / "m"), "--epochs", "1",
                              "--ensemble", "1", "--no-progress"])
    _not_refused(res)
    assert res.exit_code == 0, res.output
