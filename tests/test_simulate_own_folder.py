"""`simulate --preset pandas-cutouts DATA --overwrite` on a user's own labelled folder (cluster/, galaxy/
of real cutouts) deleted every one of them; without --overwrite it was called "an interrupted simulate"."""

from __future__ import annotations

import numpy as np
from PIL import Image
from typer.testing import CliRunner

from starclass.cli import app


def test_simulate_never_replaces_a_users_labelled_folder(tmp_path):
    data = tmp_path / "data"
    for lab in ("cluster", "galaxy"):
        (data / lab).mkdir(parents=True)
        for k in range(2):
            Image.fromarray(np.full((8, 8), 50 * k, np.uint8)).save(data / lab / f"o{k}.png")
    for extra in ([], ["--overwrite"]):
        res = CliRunner().invoke(app, ["simulate", str(data), "--preset", "pandas-cutouts", "--n", "4",
                                       "--no-progress", *extra])
        assert res.exit_code == 2, res.output
        assert "holds files simulate did not write (cluster/o0.png" in res.output, res.output
    assert sorted(p.name for p in (data / "galaxy").iterdir()) == ["o0.png", "o1.png"]
    assert not (data / "labels.csv").exists()
