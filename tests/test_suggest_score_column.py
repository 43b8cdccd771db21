"""``suggest --by margin`` / ``--by set-size`` write the score they ranked by.

Before: the suggestion list carried ``entropy`` and ``suggest_rank`` only, so a list ranked by
margin (or by the size of a conformal set given as ``pred_set`` text) did not show why a row was
picked. Now ``margin`` (1 - (top probability - second)) and ``pred_set_size`` are written.
"""

from __future__ import annotations

import numpy as np
from astropy.table import Table
from typer.testing import CliRunner

from conftest import write_untrained_model  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.io.catalog import read_catalog
from starclass.learn.config import get_preset


def _classified(path, n: int = 30, seed: int = 1):
    """A catalogue classified by a two-class model: ids, positions, prob_1/prob_2 and a pred_set text column
    (no pred_set_size), the set holding both classes where the probabilities are close."""
    rng = np.random.default_rng(seed)
    p1 = rng.uniform(0.0, 1.0, n)
    sets = np.where(np.abs(p1 - 0.5) < 0.1, "1|2", np.where(p1 >= 0.5, "1", "2"))
    Table({"id": np.arange(1, n + 1), "x": rng.uniform(0, 50, n), "y": rng.uniform(0, 50, n),
           "prob_1": p1, "prob_2": 1 - p1, "pred_set": sets}).write(path, format="ascii.ecsv")
    return path


def _suggest(tmp_path, by: str, name: str):
    model = write_untrained_model(tmp_path / "m", get_preset("m31-binary-compact"), seed=0) \
        if not (tmp_path / "m").exists() else tmp_path / "m"
    cands = _classified(tmp_path / "classified.ecsv")
    out = tmp_path / name
    res = CliRunner().invoke(app, ["suggest", str(model), str(cands), "--by", by, "-n", "10", "--mag-bins", "1",
                                   "-o", str(out)])
    assert res.exit_code == 0, res.output
    return read_catalog(out), read_catalog(cands)


def test_suggest_by_margin_writes_the_margin_it_ranked_by(tmp_path):
    s, cands = _suggest(tmp_path, "margin", "margin.ecsv")
    assert "margin" in s.colnames
    p = np.stack([np.asarray(s["prob_1"]), np.asarray(s["prob_2"])], axis=1)
    top = np.sort(p, axis=1)
    by_hand = 1.0 - (top[:, -1] - top[:, -2])
    assert np.allclose(np.asarray(s["margin"]), by_hand, atol=1e-12)
    # written in its order, and these are the 10 best margins of the 30 candidates
    assert np.all(np.diff(np.asarray(s["margin"])) <= 1e-9)
    pc = np.stack([np.asarray(cands["prob_1"]), np.asarray(cands["prob_2"])], axis=1)
    all_margins = 1.0 - np.abs(pc[:, 0] - pc[:, 1])
    assert np.allclose(np.sort(np.asarray(s["margin"]))[::-1], np.sort(all_margins)[::-1][:10])
    assert s["suggest_rank"].tolist() == list(range(1, 11))


def test_suggest_by_set_size_writes_the_set_size_it_ranked_by(tmp_path):
    s, cands = _suggest(tmp_path, "set-size", "sets.ecsv")
    assert "pred_set_size" in s.colnames
    by_hand = [len(str(v).split("|")) for v in s["pred_set"]]
    assert np.asarray(s["pred_set_size"]).tolist() == by_hand
    assert np.all(np.diff(np.asarray(s["pred_set_size"])) <= 0)
    # sets of two come first: as many as there are among the candidates (up to the 10 asked for)
    assert int(np.sum(np.asarray(s["pred_set_size"]) == 2)) == min(10, int(np.sum(cands["pred_set"] == "1|2")))
    # ties are ordered by entropy, written beside it
    two = np.asarray(s["pred_set_size"]) == 2
    assert np.all(np.diff(np.asarray(s["entropy"])[two]) <= 1e-12)
