"""``info`` of a cross-validation folder and of a trained model, as a new user reads them (docs/training.md walk).

Before: ``info cv10`` of a three-class task's ``train --cv`` said "task 'cool-core-compact', 10-fold, positive
class None"; ``info MODEL`` said "validation accuracy 0.483 on 300" (300 of what).
"""

from __future__ import annotations

import json

import torch
from typer.testing import CliRunner

from starclass.cli import app
from starclass.learn.checkpoint import member_digest, write_untrained_model
from starclass.learn.config import get_preset

runner = CliRunner()


def test_a_cv_folder_of_three_classes_names_no_positive_class(tmp_path):
    cfg = get_preset("cool-core-compact", stamp_size=16, scales=[1.0])
    cv = tmp_path / "cv3"
    for k in (1, 2, 3):
        write_untrained_model(cv / f"fold_{k}", cfg)
    summary = {"scheme": 3, "task": cfg.name, "classes": [1, 2, 3],
               "class_names": ["cool core", "weak cool core", "non-cool core"], "positive_class": None,
               "folds": [], "pooled": {"n": 30, "accuracy": 0.5, "macro_f1": 0.4},
               "mean": {"accuracy": 0.5, "macro_f1": 0.4}, "std": {"accuracy": 0.1, "macro_f1": 0.1}}
    (cv / "cv_summary.json").write_text(json.dumps(summary))
    res = runner.invoke(app, ["info", str(cv)])
    assert res.exit_code == 0, res.output
    assert "None" not in res.output
    assert "task 'cool-core-compact', 3-fold" in res.output


def test_a_members_validation_accuracy_names_its_rows(tmp_path):
    model = write_untrained_model(tmp_path / "m", get_preset("m31-real", stamp_size=16, scales=[1.0]))
    member = next(model.glob("member_*.pt"))
    ck = torch.load(member, weights_only=False)
    ck.update(epoch=2, best_epoch=2, final_val_acc=0.5, n_val=30, n_train=270, device="cpu", precision="fp32")
    ck["digest"] = member_digest(ck)
    torch.save(ck, member)
    res = runner.invoke(app, ["info", str(model)])
    assert res.exit_code == 0, res.output
    out = " ".join(res.output.split())
    assert "validation accuracy 0.500 on 30 rows, trained on 270 rows (cpu, fp32)" in out, out
