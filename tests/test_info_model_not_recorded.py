"""``starclass info MODEL`` of a model without a training record says so instead of printing ``None``.

Before: a model built and written untrained (``write_untrained_model``), and a member file written
before a field was recorded, showed "0 epochs, kept epoch None, no validation split, trained on None
(None, None)".
"""

from __future__ import annotations

import torch
from typer.testing import CliRunner

from starclass.cli import app
from starclass.learn.checkpoint import member_digest
from starclass.learn.config import get_preset

runner = CliRunner()


def _model(tmp_path):
    from starclass.learn.checkpoint import write_untrained_model

    return write_untrained_model(tmp_path / "m", get_preset("m31-real", stamp_size=16, scales=[1.0]))


def test_an_untrained_model_says_so_and_prints_no_none(tmp_path):
    model = _model(tmp_path)
    res = runner.invoke(app, ["info", str(model)])
    assert res.exit_code == 0, res.output
    assert "None" not in res.output
    assert "not trained (random weights, 0 epochs)" in res.output


def test_a_member_of_an_older_record_says_not_recorded(tmp_path):
    model = _model(tmp_path)
    member = next(model.glob("member_*.pt"))
    ck = torch.load(member, weights_only=False)
    # as a trained member of an older version: epochs run, the rest of the record missing
    ck.update(epoch=3, best_epoch=None, n_train=None, device=None, precision=None)
    ck["digest"] = member_digest(ck)  # a record of its own, not a damaged file
    torch.save(ck, member)
    res = runner.invoke(app, ["info", str(model)])
    assert res.exit_code == 0, res.output
    out = " ".join(res.output.split())
    assert "None" not in out
    assert "3 epochs, kept epoch not recorded" in out and "training rows not recorded" in out
