"""classify --no-calibration says where the conformal sets come from, not where the raw probabilities do.

Walking docs/uncertainty.md (2026-12-07), ``classify --stamps test.csv --model model --no-calibration`` ended with
"raw probabilities (--no-calibration) (175 held-out rows: .../heldout_labels.csv); conformal sets at 90% coverage:
129 of 1 class, 46 of 2 classes": two brackets run together, the second read as the source of the raw
probabilities. The held-out rows are those the sets were fitted on (scored on their raw probabilities).
"""

from __future__ import annotations

import re

from typer.testing import CliRunner

from conftest import write_toy_held_out
from starclass.cli import app
from starclass.learn.checkpoint import read_manifest

runner = CliRunner()


def _classify(root, tmp_path, *extra):
    res = runner.invoke(app, ["classify", str(tmp_path / "mos"), "--catalog", str(tmp_path / "held.ecsv"),
                              "--model", str(root / "model"), "-o", str(tmp_path / f"c{len(extra)}.ecsv"),
                              "--no-progress", "--device", "cpu", *extra])
    assert res.exit_code == 0, res.output
    return res.output


def test_the_raw_line_names_the_rows_the_sets_were_fitted_on(toy_trust_model, tmp_path):
    root, cfg, _, _ = toy_trust_model
    write_toy_held_out(cfg, tmp_path, 12, seed=13)
    n = read_manifest(root / "model")["calibration"]["n"]
    out = _classify(root, tmp_path, "--no-calibration")
    line = next(ln for ln in out.splitlines() if ln.startswith("raw probabilities (--no-calibration)"))
    assert not re.search(r"\) \(", line), line  # old code: "(--no-calibration) (N held-out rows: ...)"
    assert re.match(rf"raw probabilities \(--no-calibration\); conformal sets at 90% coverage, fitted on the raw "
                    rf"probabilities of the model's {n} held-out rows \([^)]*\): ", line), line
    # a calibrated classification keeps its line: the map, then the rows it was fitted on
    out = _classify(root, tmp_path)
    assert any(re.match(rf"calibrated with temperature [\d.]+ \({n} held-out rows: [^)]*\); conformal sets at 90% "
                        "coverage: ", ln) for ln in out.splitlines()), out
