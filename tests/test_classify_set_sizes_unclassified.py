"""classify's closing line counts the conformal sets of the classified candidates only.

A candidate without a usable stamp (its centre off the image, NaN: a mosaic's NaN border) gets
class_pred 0, no probabilities and pred_set_size 0. The line ``conformal sets at 90% coverage:
137 empty, ...`` counted those as empty sets, on a field where no classified candidate had one
(evaluate's set sizes, over the classified rows, said ``0 empty``); an empty set means an unusual
object, not a missing stamp. The unclassified candidates are now named apart.
"""

from __future__ import annotations

import numpy as np
from astropy.table import Table, vstack
from typer.testing import CliRunner

from conftest import write_toy_held_out
from starclass.cli import app
from starclass.evaluate.reliability import set_size_words
from starclass.io.catalog import read_catalog, write_catalog

runner = CliRunner()


def test_unclassified_candidates_are_not_counted_as_empty_sets(toy_trust_model, tmp_path):
    root, cfg, _, _ = toy_trust_model
    write_toy_held_out(cfg, tmp_path, 20, seed=5)
    held = read_catalog(tmp_path / "held.ecsv")
    # three candidates off the image, as on a mosaic's blank border: no stamp, no classification
    off = Table(held[:3], copy=True)
    off["id"] = np.asarray(held["id"]).max() + 1 + np.arange(3)
    off["x"] = -40.0
    write_catalog(vstack([held, off]), tmp_path / "cands.ecsv")
    out = tmp_path / "c.ecsv"
    res = runner.invoke(app, ["classify", str(tmp_path / "mos"), "--catalog", str(tmp_path / "cands.ecsv"),
                              "--model", str(root / "model"), "-o", str(out), "--no-progress", "--device", "cpu"])
    assert res.exit_code == 0, res.output
    t = read_catalog(out)
    unclassified = np.asarray(t["class_pred"]) == 0
    assert unclassified.sum() == 3
    # the counts the line must give: those of the classified rows alone
    sizes, counts = np.unique(np.asarray(t["pred_set_size"])[~unclassified], return_counts=True)
    said = set_size_words({int(s): int(c) for s, c in zip(sizes, counts)})
    text = " ".join(res.output.split())
    assert f"conformal sets at 90% coverage: {said} (3 unclassified candidates without a set)" in text, text
    assert sum(counts) == len(held)
