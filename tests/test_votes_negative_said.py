"""``classify --votes``: a negative vote, the documented "no vote" (as 0 and an empty cell), is said.

Until 2026-12-05 a vote of -1 in ``class_h2`` was dropped without a word while a vote of 9 was
refused (exit 2), so a -1 meant as a class could not be told from a no-vote. -1 (and -99) stay
"no vote" (docs/uncertainty.md: "Missing votes (0, a negative number such as -1, empty, NaN or
masked cells) are skipped"); the summary line now counts such cells and names the first.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from conftest import write_toy_held_out
from starclass.cli import app
from starclass.io.catalog import read_catalog, write_catalog

runner = CliRunner()


@pytest.fixture(scope="module")
def toy_model(toy_trust_model):
    root, cfg, _, _ = toy_trust_model  # conftest: trained once a session, the model copied here
    write_toy_held_out(cfg, root, 30, seed=12)
    return root


def _votes(root, tmp_path, negatives: dict[int, int]):
    cat = read_catalog(root / "held.ecsv")
    ref = np.asarray(cat["class_ref"])[:20]
    votes = Table({"id": np.asarray(cat["id"])[:20], "class_h1": ref.astype(np.int16),
                   "class_h2": ref.astype(np.int16), "class_h3": ref.astype(np.int16)})
    for row, value in negatives.items():
        votes["class_h2"][row] = value
    write_catalog(votes, tmp_path / "votes.ecsv")
    return tmp_path / "votes.ecsv"


def _classify(root, tmp_path, votes):
    out = tmp_path / "out.ecsv"
    res = runner.invoke(app, ["classify", str(root / "mos"), "--catalog", str(root / "held.ecsv"), "--model",
                              str(root / "model"), "-o", str(out), "--device", "cpu", "--no-progress",
                              "--votes", str(votes)])
    return res, out


def test_negative_votes_are_no_vote_and_said(toy_model, tmp_path):
    res, out = _classify(toy_model, tmp_path, _votes(toy_model, tmp_path, {4: -1, 9: -99}))
    assert res.exit_code == 0, res.output
    said = " ".join(res.output.split())
    assert "2 vote cells hold a negative number, read as no vote (first: column 'class_h2', row 5, -1)" in said, said
    n_votes = np.asarray(read_catalog(out)["n_votes"])
    assert n_votes[4] == 2 and n_votes[9] == 2 and n_votes[0] == 3


def test_no_note_without_negative_votes(toy_model, tmp_path):
    res, _ = _classify(toy_model, tmp_path, _votes(toy_model, tmp_path, {}))
    assert res.exit_code == 0, res.output
    assert "a negative number, read as no vote" not in res.output


def test_a_vote_of_nine_is_still_refused(toy_model, tmp_path):
    res, out = _classify(toy_model, tmp_path, _votes(toy_model, tmp_path, {4: 9}))
    said = " ".join(res.output.split())
    assert res.exit_code == 2 and "column 'class_h2', row 5" in said and "vote 9 is not a class" in said, said
    assert not out.exists()
