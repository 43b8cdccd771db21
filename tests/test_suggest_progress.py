"""``suggest --mosaics`` shows a progress bar while it classifies the candidates.

With --mosaics, suggest classifies every candidate first (eight times with --by mutual-info's
TTA): the longest part of its work on a survey field, and it ran without a word between the
mosaics and the suggestions, where classify shows a bar. Now it shows classify's bar, and
``--no-progress`` turns it off, as in every other command that classifies.
"""

from __future__ import annotations

from typer.testing import CliRunner

from conftest import write_untrained_model  # tests/ is on sys.path under pytest
from starclass.bands import BANDS
from starclass.cli import app
from starclass.datasets.stamps import make_synthetic_field
from starclass.io.catalog import write_catalog
from starclass.io.mosaic import write_mosaic
from starclass.learn.config import get_preset

runner = CliRunner()


def test_suggest_on_mosaics_shows_the_classification_progress(tmp_path, single_thread):
    cfg = get_preset("legus4-compact", stamp_size=16, scales=[1.0])
    images, table = make_synthetic_field(cfg, 12, seed=2)
    for band, img in images.items():
        info = BANDS[band]
        write_mosaic(tmp_path / "data" / f"toy_{band}.fits", img, band, None, photflam=info.photflam,
                     photplam=info.photplam)
    write_catalog(table["id", "x", "y"], tmp_path / "cand.ecsv")
    model = write_untrained_model(tmp_path / "m", cfg)
    args = ["suggest", str(model), str(tmp_path / "cand.ecsv"), "--mosaics", str(tmp_path / "data"), "-n", "3",
            "--mag-bins", "1", "--device", "cpu"]
    # --progress: the test runner's stderr is no terminal, where bars are off by default since 2026-12-05
    res = runner.invoke(app, [*args, "-o", str(tmp_path / "s.ecsv"), "--progress"])
    assert res.exit_code == 0, res.output
    assert "classify (legus4-compact, 1 member)" in res.output and "12/12" in res.output, res.output
    quiet = runner.invoke(app, [*args, "-o", str(tmp_path / "q.ecsv"), "--no-progress"])
    assert quiet.exit_code == 0, quiet.output
    assert "classify (" not in quiet.output and "suggested 3 of the 12 candidates" in quiet.output, quiet.output
