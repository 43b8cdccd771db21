"""``starclass inspect DIR --init`` reads its field (:func:`starclass.inspect.field.load_field`) before its first
line; that path must not import detection's photometry (astropy's writers, scipy's apertures: ~1-3 s), torch,
matplotlib or astropy.visualization, which only drawing a profile or a figure needs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

#: modules the field's reading must leave unimported
HEAVY = ("starclass.detect.photometry", "torch", "matplotlib", "astropy.visualization", "photutils")


def test_reading_a_field_imports_no_heavy_module(tmp_path: Path) -> None:
    from starclass.datasets.labelling import make_demo_field

    make_demo_field(tmp_path / "field", n=5, size=64, predictions=False)
    code = ("import sys; from starclass.inspect.field import load_field; "
            f"f = load_field({str(tmp_path / 'field')!r}, cache_dir={str(tmp_path / 'cache')!r}); "
            "print(len(f.table)); "
            f"print(sorted(m for m in {HEAVY!r} if m in sys.modules))")
    res = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin", "OMP_NUM_THREADS": "1"})
    assert res.returncode == 0, res.stderr[-2000:]
    count, loaded = res.stdout.strip().splitlines()[-2:]
    assert count == "5"  # the field was read
    assert loaded == "[]"


def test_a_profile_still_finds_detections_fitter() -> None:
    # the import moved into profile_fit: a profile without a catalogue FWHM is still measured there
    import numpy as np

    from starclass.inspect.render import GAUSS_FWHM, profile_fit

    yy, xx = np.mgrid[0:41, 0:41]
    star = 50 * np.exp(-0.5 * ((xx - 20) ** 2 + (yy - 20) ** 2) / 2.0 ** 2)
    fit = profile_fit(star, 20.0, 20.0)
    assert fit["source"] == "fit"
    assert abs(fit["fwhm"] / GAUSS_FWHM - 2.0) < 0.1
