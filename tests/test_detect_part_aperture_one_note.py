"""``detect`` says in one line which candidates have part of an aperture off the data, in every band.

On a simulated HST field (``starclass simulate field/ --seed 1 --size 512``) ``detect`` printed five notes,
one per band, each saying "15 candidates have part of their 4 px aperture ... on NaN, zero-weight or off-image
pixels" of the same 15 candidates (and the V band's said "15 candidate(s)"). Found walking docs/detect.md.
"""

from __future__ import annotations

import numpy as np
from astropy.table import Table
from typer.testing import CliRunner

from starclass.bands import BANDS
from starclass.cli import app
from starclass.io.mosaic import write_mosaic


def _field(tmp_path, bands=("f555w", "f814w")):
    yy, xx = np.mgrid[:64, :64]
    img = (0.5 + 200.0 * np.exp(-((xx - 30.0) ** 2 + (yy - 30.0) ** 2) / 2.0)
           + 200.0 * np.exp(-((xx - 12.0) ** 2 + (yy - 30.0) ** 2) / 2.0)).astype(np.float32)
    img[:, :12] = np.nan  # the second source's aperture half on NaN, in every band
    for b in bands:
        write_mosaic(tmp_path / f"a_{b}.fits", img, b, None, photflam=BANDS[b].photflam, photplam=BANDS[b].photplam)
    Table({"id": [1, 2], "x": [30.0, 12.0], "y": [30.0, 30.0]}).write(tmp_path / "pos.ecsv")


def _detect(tmp_path) -> str:
    r = CliRunner().invoke(app, ["detect", str(tmp_path), "--positions", str(tmp_path / "pos.ecsv"), "-o",
                                 str(tmp_path / "c.ecsv"), "--aperture-correction", "none", "--no-progress"])
    assert r.exit_code == 0, r.output
    return r.output


def test_one_note_for_every_band(tmp_path):
    _field(tmp_path)
    out = _detect(tmp_path)
    notes = [line for line in out.splitlines() if "part of" in line]
    assert len(notes) == 1, out
    said = " ".join(out.split())
    assert ("note: 1 candidate has part of its 4 px aperture on NaN, zero-weight or off-image pixels in f555w (V) "
            "and f814w (columns masked_frac, masked_frac_f814w > 0)") in said, said
    assert "candidate(s)" not in out


def test_one_band_keeps_its_own_words(tmp_path):
    _field(tmp_path, bands=("f555w",))
    said = " ".join(_detect(tmp_path).split())
    assert ("note: 1 candidate has part of its 4 px aperture in band f555w (V) on NaN, zero-weight or off-image "
            "pixels (column masked_frac > 0): its magnitudes miss that light") in said, said
