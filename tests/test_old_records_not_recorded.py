"""Values missing from an old or hand-edited record are said "not recorded", never ``None`` (2026-12-07).

A message built from ``record.get(key)`` printed ``None`` where the record (a manifest written before the key was
kept, a catalogue's meta, a JSON summary edited by hand) had no such key: ``info MODEL`` said "calibration:
temperature 1.000 fitted on None rows (None; per class ...)", ``classify`` "(200 held-out rows: )", a fine-tune
"fitted with 'starclass calibrate' on None", ``info`` of a cross-validation "task None ... pooled over None
held-out rows", of an explain folder "model None (task None), ... of None explained", of an evaluation folder
"None human-inspected sources", and classify's threshold "chosen by train --target-purity None".
"""

from __future__ import annotations

import json
import shutil

import numpy as np
from astropy.table import Table
from typer.testing import CliRunner

from conftest import write_untrained_model
from starclass.cli import app
from starclass.learn.calibration import ModelCalibration
from starclass.learn.checkpoint import load_checkpoint, read_manifest, save_calibration
from starclass.learn.config import get_preset

runner = CliRunner()


def _old_calibration(tmp_path, drop=("n", "source")):
    """A model whose calibration entry lacks ``drop`` (a record of before they were kept), digests made anew."""
    model = write_untrained_model(tmp_path / "model", get_preset("galaxy-cluster-compact", stamp_size=16))
    rng = np.random.default_rng(0)
    y = np.arange(200) % 2
    p = np.clip(rng.dirichlet([1, 1], size=200) * 0.5 + np.eye(2)[y] * 0.5, 1e-6, 1)
    entry = {k: v for k, v in ModelCalibration.fit(p, y, [1, 2], source="held.ecsv").to_dict().items()
             if k not in drop}
    save_calibration(model, entry, [load_checkpoint(model / "member_01.pt")["digest"]])
    return model


def test_info_of_a_model_whose_calibration_records_no_rows_or_source(tmp_path):
    res = runner.invoke(app, ["info", str(_old_calibration(tmp_path))])
    assert res.exit_code == 0, res.output
    line = next(s for s in res.output.splitlines() if s.strip().startswith("calibration:"))
    assert "None" not in line, line
    # the rows are in the record (its labels): counted; the source is not
    assert "fitted on 200 rows (source not recorded; per class" in line, line


def test_classify_says_a_missing_source_and_count(capsys):
    from starclass.cli.classify_cmd import _echo_trust

    out = Table({"class_pred": [1, 2]})
    out.meta.update({"calibrated": True, "temperature": 1.2, "calibration_n": None, "calibration_source": ""})
    _echo_trust(out)
    said = capsys.readouterr().out
    assert "None" not in said and "source not recorded" in said and "how many not recorded" in said, said
    out.meta.update({"calibration_method": "histogram", "calibration_n": 200, "calibration_source": "held.ecsv"})
    _echo_trust(out)
    said = capsys.readouterr().out
    assert "None" not in said, said
    assert "histogram binning, its bins per class not recorded (200 held-out rows: held.ecsv)" in said, said


def test_a_kept_calibration_without_a_source(tmp_path):
    from starclass.learn.train import _keep_user_calibration

    model = _old_calibration(tmp_path, drop=("source",))
    said = _keep_user_calibration(model, read_manifest(model), "cpu")
    assert said is not None and "None" not in said, said
    assert said.startswith("calibration kept: fitted with 'starclass calibrate' for these weights"), said


def test_a_tuned_threshold_without_its_purity():
    from starclass.learn.classify import threshold_source

    cfg = get_preset("m31-binary")
    said = threshold_source(cfg, None, {"threshold": cfg.threshold, "n_val": 9})
    assert said == "the model's, chosen by train --target-purity on 9 validation rows", said


def test_info_of_cv_explain_and_evaluation_folders_with_keys_missing(tmp_path):
    model = write_untrained_model(tmp_path / "model", get_preset("galaxy-cluster-compact", stamp_size=16))
    cv = tmp_path / "cv"
    cv.mkdir()
    shutil.copytree(model, cv / "fold_1")
    (cv / "cv_summary.json").write_text(json.dumps({"scheme": 2, "pooled": {"accuracy": 0.5}}))
    explain = tmp_path / "explain"
    explain.mkdir()
    (explain / "explain.json").write_text(json.dumps({"methods": ["saliency"]}))
    many = tmp_path / "many"
    many.mkdir()
    (many / "summary.json").write_text(json.dumps({"ladder_pooled": {}, "fields": []}))
    for folder, expect in ((cv, ["task not recorded", "pooled over held-out rows (how many not recorded)"]),
                           (explain, ["model not recorded (task not recorded)", "0 stamps explained"]),
                           (many, ["human-inspected sources, how many not recorded"])):
        res = runner.invoke(app, ["info", str(folder)])
        assert res.exit_code == 0, res.output
        assert "None" not in res.output and all(e in res.output for e in expect), res.output
