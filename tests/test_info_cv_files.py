"""``starclass info`` on the files train --cv writes, and on any JSON file (2026-12-05).

Before: ``info cv/cv_metrics.ecsv`` (named by ``info cv`` itself: "per fold: cv/cv_metrics.ecsv") said
"required column 'id' missing ... name a column 'id' in the file", and ``info cv/cv_summary.json`` (or
evaluate's ``summary.json``) printed astropy's 70 lines of format guesses; ``info cv`` said "positive
class 1" without its name.
"""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("single_thread")


@pytest.fixture(scope="module")
def cv(tmp_path_factory):
    from starclass.datasets.stamps import make_synthetic
    from starclass.learn.config import get_preset
    from starclass.learn.crossval import cross_validate

    cfg = get_preset("galaxy-cluster-compact", stamp_size=8, recipe={"epochs": 1})
    toy = make_synthetic(cfg, 16, seed=0)
    out = tmp_path_factory.mktemp("cv") / "cv"
    cross_validate(cfg, toy.inputs, toy.class_ref, scheme=2, outdir=out, progress=False, device="cpu")
    return out, cfg


def test_info_on_cv_metrics_prints_the_folds_and_their_folder(cv):
    out, cfg = cv
    res = runner.invoke(app, ["info", str(out / "cv_metrics.ecsv")])
    assert res.exit_code == 0, res.output
    assert "column 'id'" not in res.output
    assert f"{out / 'cv_metrics.ecsv'} holds the metrics of each fold and pooled" in res.output
    assert f"cross-validation folder {out} (train --cv): 2 fold models" in res.output
    lines = res.output.splitlines()
    header = next(line for line in lines if line.split()[:4] == ["fold", "n_train", "n_val", "n_test"])
    rows = lines[lines.index(header) + 1:]
    assert [r.split()[0] for r in rows] == ["1", "2", "pooled"], res.output
    # the positive class named, as the table of classes names it
    positive = cfg.positive_class if cfg.positive_class is not None else cfg.classes[0]
    name = dict(zip(cfg.classes, cfg.class_names))[positive]
    assert f"positive class {positive} ({name})" in res.output, res.output


@pytest.mark.parametrize("name", ["cv_summary.json", "cv_folds.json"])
def test_info_on_a_cv_json_file_describes_its_folder(cv, name):
    out, _ = cv
    res = runner.invoke(app, ["info", str(out / name)])
    assert res.exit_code == 0, res.output
    assert f"{out / name} holds " in res.output and "cross-validation folder" in res.output
    assert "Unable to guess" not in res.output


def test_info_on_another_json_file_says_it_is_json_in_one_line(tmp_path):
    f = tmp_path / "summary.json"
    f.write_text(json.dumps({"n": 3, "accuracy": 0.5}))
    res = runner.invoke(app, ["info", str(f)])
    assert res.exit_code == 2, res.output
    assert "it is JSON" in res.output and "Unable to guess" not in res.output, res.output
    assert len(res.output.strip().splitlines()) <= 3, res.output
