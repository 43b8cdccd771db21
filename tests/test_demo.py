"""The README's main job, end to end on a tiny field (the full-size run is `starclass demo`)."""

from __future__ import annotations

import numpy as np
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app


def test_demo_end_to_end_small(tmp_path):
    out = tmp_path / "demo"
    res = CliRunner().invoke(app, ["demo", "-o", str(out), "--size", "384", "--n-candidates", "160",
                                   "--epochs", "1", "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "accuracy against truth" in res.output
    classified = Table.read(out / "classified.ecsv")
    candidates = Table.read(out / "candidates.ecsv")
    assert len(classified) == len(candidates) > 0
    assert set(np.unique(classified["class_pred"])) <= {0, 1, 2, 3, 4}
    probs = np.vstack([classified[f"prob_{k}"] for k in (1, 2, 3, 4)]).T
    ok = classified["class_pred"] > 0
    assert np.allclose(probs[ok].sum(axis=1), 1.0, atol=1e-4)
    html = (out / "report" / "report.html").read_text()
    assert "<img" in html and "data:image/png;base64" in html
    for band in ("f275w", "f336w", "f438w", "f555w", "f814w"):
        assert (out / "test_field" / f"SIM-TEST_{band}.fits").exists()
