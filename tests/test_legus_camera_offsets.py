"""Every band of a LEGUS field takes its own camera's AB - Vega offset in the SSP comparison, not the filter's.

One filter name is two filters: ACS/WFC's and WFC3/UVIS's F814W differ by 0.006 mag in AB - Vega (0.424
against 0.418), F555W by 0.024, and the filter-only values (``BANDS[b].ab_minus_vega``) are rounded to
0.01. Until 2026-12-07 the reader put into ``meta['cameras']`` only what a readme (NGC 628-C) or
``KNOWN_FILTERS`` (B and V of four fields) stated: NGC 1566's F275W, F336W and F814W, and every band of
the other WFC3-only fields, took the filter-only offsets though the file name says WFC3, and so did the
F275W and F336W (WFC3/UVIS filters alone in LEGUS) and the ACS F435W of every ``acs-wfc3`` field. The SED
check (``sed_band_offsets``' ``ab_minus_vega``), the mass limits and the tracks took them. Now
``io.legus.legus_cameras`` states each band's camera (a readme, ``KNOWN_FILTERS``, a WFC3-only name, LEGUS's
filters) and ``info`` prints each band's offset and camera.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import SHARED_DATA
from starclass.bands import ACS_WFC, CAMERA_AB_MINUS_VEGA, WFC3_UVIS, ab_minus_vega
from starclass.cli import app
from starclass.io.catalog import read_catalog
from starclass.io.legus import LEGUS_FIELDS
from starclass.science.sedcheck import sed_band_offsets
from starclass.science.ssp import load_ssp

LEGUS = SHARED_DATA / "legus"


def _write_tab(path: Path, field: str = "ngc1433", n: int = 30) -> Path:
    """A standard-layout LEGUS file (35 columns) at ``field``'s centre, every source fitted at 20 Myr."""
    ra, dec, _ = LEGUS_FIELDS[field]
    rows = []
    for i in range(n):
        v = 21.0 + 0.05 * i
        pairs = [x for m in (v + 0.5, v - 0.3, v + 0.2, v, v - 0.6) for x in (m, 0.05)]
        row = [i + 1, 10.0 + i, 20.0 + i, ra, dec, *pairs, 1.8, 2e7, 2e7, 2e7, 1e4, 1e4, 1e4,
               0.1, 0.1, 0.1, *[0.0] * 7, 5, 1 + i % 4, float(1 + i % 4)]
        rows.append(" ".join(f"{x:.7g}" if isinstance(x, float) else str(x) for x in row))
    path.write_text("\n".join(rows) + "\n")
    return path


def _name(field: str, cameras: str) -> str:
    return f"hlsp_legus_hst_{cameras}_{field}_multiband_v1_padagb-mwext-avgapcor.tab"


def _ab_minus_vega_column(t) -> dict[str, float]:
    off = sed_band_offsets(t)
    return {str(r["band"]): float(r["ab_minus_vega"]) for r in off}


def test_a_wfc3_field_takes_wfc3_uvis_offsets_in_every_band(tmp_path):
    # NGC 1433, a WFC3-only field as NGC 1566 (whose real file is tested below; a 35-column copy is no layout of it)
    t = read_catalog(_write_tab(tmp_path / _name("ngc1433", "wfc3")), fmt="legus")
    assert t.meta["cameras"] == {b: WFC3_UVIS for b in ("f275w", "f336w", "f438w", "f555w", "f814w")}
    # the SED check's AB - Vega difference from V: WFC3/UVIS's F814W (0.4182), not the filter-only 0.42
    v = ab_minus_vega("f555w", WFC3_UVIS)
    diffs = _ab_minus_vega_column(t)
    assert diffs["f814w"] == round(CAMERA_AB_MINUS_VEGA[(WFC3_UVIS, "f814w")] - v, 3) == 0.448
    assert diffs["f336w"] == round(CAMERA_AB_MINUS_VEGA[(WFC3_UVIS, "f336w")] - v, 3)
    # and the model itself: its F814W on WFC3/UVIS's Vega system
    model = load_ssp(cameras=t.meta["cameras"])
    assert model.meta["ab_minus_vega"]["f814w"] == CAMERA_AB_MINUS_VEGA[(WFC3_UVIS, "f814w")]


def test_an_acs_field_takes_acs_wfc_offsets_where_its_readme_says(tmp_path):
    tab = _write_tab(tmp_path / _name("ngc628-c", "acs-wfc3"), "ngc628-c")
    cams = [("WFC3", "F275W"), ("WFC3", "F336W"), ("ACS", "F435W"), ("ACS", "F555W"), ("ACS", "F814W")]
    tab.with_suffix(".readme").write_text(
        "\n".join(f"{6 + 2 * k}. final total mag in {c}/{b}" for k, (c, b) in enumerate(cams)) + "\n")
    t = read_catalog(tab, fmt="legus")
    assert t.meta["cameras"]["f814w"] == ACS_WFC
    diffs = _ab_minus_vega_column(t)
    v = ab_minus_vega("f555w", ACS_WFC)
    assert diffs["f814w"] == round(CAMERA_AB_MINUS_VEGA[(ACS_WFC, "f814w")] - v, 3) == 0.43
    assert diffs["f435w"] == round(CAMERA_AB_MINUS_VEGA[(ACS_WFC, "f435w")] - v, 3)
    # the same filters on WFC3/UVIS would give another difference: the camera, not the filter, decides
    assert diffs["f814w"] != _ab_minus_vega_column(
        read_catalog(_write_tab(tmp_path / _name("ngc1433", "wfc3")), fmt="legus"))["f814w"]


def test_an_acs_wfc3_field_without_a_readme_takes_the_cameras_its_filters_say(tmp_path):
    t = read_catalog(_write_tab(tmp_path / _name("ugc5340", "acs-wfc3"), "ugc5340"), fmt="legus")
    # F275W, F336W WFC3/UVIS's and F435W ACS/WFC's in LEGUS; F555W and F814W are on either camera: not stated
    assert t.meta["cameras"] == {"f275w": WFC3_UVIS, "f336w": WFC3_UVIS, "f435w": ACS_WFC}
    assert t.meta["v_camera_source"].startswith("assumed")
    model = load_ssp(cameras=t.meta["cameras"])
    assert model.meta["ab_minus_vega"]["f435w"] == CAMERA_AB_MINUS_VEGA[(ACS_WFC, "f435w")]
    assert model.meta["ab_minus_vega"]["f814w"] == ab_minus_vega("f814w")  # the filter-only value, said so


def test_a_renamed_wfc3_file_says_its_field_not_its_name(tmp_path):
    t = read_catalog(_write_tab(tmp_path / "mycat.tab"), fmt="legus")  # positions at NGC 1433
    assert t.meta["cameras"]["f814w"] == WFC3_UVIS
    assert t.meta["cameras_source"]["f814w"] == "field ngc1433 by the sources' sky positions: WFC3 only"


def test_info_prints_each_bands_offset_and_camera(tmp_path):
    path = _write_tab(tmp_path / _name("ngc1433", "wfc3"))
    r = CliRunner().invoke(app, ["info", str(path)])
    assert r.exit_code == 0, r.output
    line = next(x for x in r.output.splitlines() if x.startswith("AB - Vega offsets of the SSP model"))
    assert "F814W +0.418 WFC3/UVIS" in line and "F336W +1.185 WFC3/UVIS" in line, line


@pytest.mark.skipif(not LEGUS.is_dir(), reason="needs ../shared/data/legus")
@pytest.mark.parametrize("field, camera", [("ngc1566", WFC3_UVIS), ("ngc1433", WFC3_UVIS), ("ngc628-c", ACS_WFC)])
def test_real_fields_take_their_cameras_f814w_offset(field, camera):
    path = next(LEGUS.glob(f"*_{field}_*.tab"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = read_catalog(path, fmt="legus")
    assert t.meta["cameras"]["f814w"] == camera
    model = load_ssp(cameras=t.meta["cameras"])
    assert np.isclose(model.meta["ab_minus_vega"]["f814w"], CAMERA_AB_MINUS_VEGA[(camera, "f814w")])
