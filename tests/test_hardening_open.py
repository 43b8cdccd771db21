"""Issue 13, the points left open: memory estimates, --truth columns, candidates off the image,
folders replaced as a whole, and option checks before the expensive work."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()
GIB = 1024 ** 3


def _no_render(*args, **kwargs):
    raise AssertionError("the field was rendered before the memory check")


def test_simulate_huge_size_is_refused_naming_size_and_estimate(tmp_path, monkeypatch):
    import starclass.io.memory as memory
    import starclass.simulate as simulate

    monkeypatch.setattr(memory, "available_memory", lambda: 2 * GIB)
    monkeypatch.setattr(simulate, "simulate_to_disk", _no_render)
    monkeypatch.delenv(memory.SKIP_ENV, raising=False)
    out = tmp_path / "field"
    r = runner.invoke(app, ["simulate", str(out), "--size", "16384", "--quiet"])
    assert r.exit_code == 2, r.output
    assert "--size 16384" in r.output and "GiB" in r.output and "2.0 GiB is available" in r.output
    assert "Traceback" not in r.output
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_memory_estimate_grows_with_the_field_and_the_read_back():
    from starclass.simulate import preset
    from starclass.simulate.field import estimate_memory

    small, big = preset("hst", shape=(512, 512)), preset("hst", shape=(1024, 1024))
    assert estimate_memory(big) == 4 * estimate_memory(small)
    assert estimate_memory(big, read_back=True) > estimate_memory(big)


def test_memory_check_can_be_skipped_by_environment(monkeypatch):
    from starclass.errors import StarclassError
    from starclass.io.memory import SKIP_ENV, check_memory

    monkeypatch.delenv(SKIP_ENV, raising=False)
    with pytest.raises(StarclassError, match="--size 9"):
        check_memory(10 * GIB, what="--size 9", available=GIB)
    monkeypatch.setenv(SKIP_ENV, "1")
    check_memory(10 * GIB, what="--size 9", available=GIB)  # told to try anyway


def _toy_field(folder, shape=(96, 96), n=5, seed=1):
    """Two small FITS mosaics in ``folder``; returns their paths and the truth table."""
    from starclass.bands import BANDS
    from starclass.datasets.fields import synthetic_field
    from starclass.io.mosaic import write_mosaic

    mosaics, truth = synthetic_field(shape, n, bands=("f555w", "f814w"), seed=seed)
    paths = []
    for band in mosaics.bands:
        p = folder / f"toy_{band}.fits"
        write_mosaic(p, mosaics.data[band], band, None,
                     photflam=BANDS[band].photflam, photplam=BANDS[band].photplam)
        paths.append(p)
    return paths, truth


def test_detect_truth_without_magnitudes_fails_before_detection(tmp_path, monkeypatch):
    import starclass.detect.find as find

    def no_detect(*args, **kwargs):
        raise AssertionError("detection ran before the truth columns were checked")

    monkeypatch.setattr(find, "detect", no_detect)
    paths, _ = _toy_field(tmp_path)
    (tmp_path / "t.csv").write_text("id,x,y\n1,10,12\n2,40,50\n")
    out = tmp_path / "c.ecsv"
    r = runner.invoke(app, ["detect", *map(str, paths), "-o", str(out), "--truth", str(tmp_path / "t.csv"),
                            "--no-progress"])
    assert r.exit_code == 2, r.output
    assert "t.csv" in r.output and "mag_true_f555w" in r.output and "mag_f555w" in r.output
    assert "Traceback" not in r.output and not out.exists()
