"""Under ``--tta`` the progress of classify and calibrate moves per view, and counts views.

It moved once per batch (512 rows) after all eight views of every member had gone through the
networks: 8 M passes without a move, minutes of silence on a CPU. Now the bar (and the log's lines) count
views, ``8 M`` a candidate, and move after each member's pass over each view of a batch. Tested through the
counts the bar is fed (:meth:`starclass.io.progress.Progress.update`), never by timing.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from conftest import write_toy_held_out, write_untrained_model  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.learn.config import get_preset

runner = CliRunner()


@pytest.fixture()
def fed(monkeypatch):
    """Every count a classify bar is fed: (total, n) per update, in order."""
    from starclass.io.progress import Progress

    seen: list[tuple[int | None, int]] = []
    update = Progress.update

    def record(self, n: int = 1) -> None:
        if self.desc.startswith("classify ("):
            seen.append((self.total, int(n)))
        update(self, n)

    monkeypatch.setattr(Progress, "update", record)
    return seen


@pytest.fixture()
def toy(tmp_path, single_thread):
    cfg = get_preset("legus4-compact", stamp_size=16, scales=[1.0])
    write_toy_held_out(cfg, tmp_path, 12, seed=3)
    return write_untrained_model(tmp_path / "model", cfg, seed=0), tmp_path


def test_classify_tta_moves_per_view_in_one_batch(toy, fed):
    from starclass.io.catalog import read_catalog
    from starclass.io.mosaic import read_mosaics
    from starclass.learn.classify import classify

    model, field = toy
    table = read_catalog(field / "held.ecsv")
    classify(read_mosaics(field / "mos"), Table({"x": table["x"], "y": table["y"]}), model, tta=True,
             batch_size=512, progress=False, device="cpu")
    # one batch of 12 rows, one member: eight moves of 12 views each, not one move of 12 candidates
    assert fed == [(12 * 8, 12)] * 8, fed


def test_predict_inputs_tta_moves_per_view(toy, fed):
    from starclass.learn.classify import predict_inputs

    model, _ = toy
    x = np.random.default_rng(0).normal(size=(10, 5, 16, 16)).astype(np.float32)
    predict_inputs(model, x, tta=True, batch_size=6, progress=False, device="cpu")
    # two batches (6 + 4 rows), eight views each; the total in the same unit, views
    assert fed == [(80, 6)] * 8 + [(80, 4)] * 8, fed
    fed.clear()
    predict_inputs(model, x, tta=False, batch_size=6, progress=False, device="cpu")
    assert fed == [(10, 6), (10, 4)], fed  # without TTA: candidates, once a batch, as before


def test_calibrate_tta_lines_say_they_count_views(toy):
    model, field = toy
    res = runner.invoke(app, ["calibrate", str(model), str(field / "mos"), "--catalog", str(field / "held.ecsv"),
                              "--device", "cpu", "--overwrite"])  # no terminal, no option: the timed lines
    assert res.exit_code == 0, res.output
    ends = [ln for ln in res.stderr.splitlines() if re.search(r"classify \(.+\): (\d+) of \1 ", ln)]
    assert len(ends) == 2, res.stderr
    assert "classify (legus4-compact, 1 member): 12 of 12 candidates (100%)" in ends[0], ends
    assert "classify (legus4-compact, 1 member, TTA: 8 views a candidate): 96 of 96 views (100%)" in ends[1], ends


def test_predict_inputs_takes_its_per_candidate_mask_as_ok(toy):
    """``predict_inputs(valid=...)`` was per candidate where ``valid`` means per pixel elsewhere: it is ``ok`` now,
    as :attr:`starclass.stamps.InputBatch.ok`; the old name is read for one release, with a DeprecationWarning."""
    import warnings

    from starclass.errors import StarclassError
    from starclass.learn.classify import predict_inputs

    model, _ = toy
    x = np.random.default_rng(1).normal(size=(4, 5, 16, 16)).astype(np.float32)
    mask = np.array([True, False, True, True])
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the new name warns of nothing
        res = predict_inputs(model, x, ok=mask, device="cpu")
    assert res.class_pred.tolist()[1] == 0 and np.isnan(res.prob_mean[1]).all(), res.class_pred
    assert (res.class_pred[mask] != 0).all()
    with pytest.warns(DeprecationWarning, match=r"predict_inputs\(valid=\.\.\.\) is now ok="):
        old = predict_inputs(model, x, valid=mask, device="cpu")
    assert old.class_pred.tolist() == res.class_pred.tolist()
    with pytest.raises(StarclassError, match="not also its old name valid="):
        predict_inputs(model, x, ok=mask, valid=mask, device="cpu")
