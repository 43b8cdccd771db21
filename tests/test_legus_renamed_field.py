"""A renamed LEGUS catalogue is the field its sources' sky positions lie at, with that field's filters.

LEGUS files say their field and cameras only in their names. Before 2026-12-05 a user who renamed
one (``cp hlsp_legus_..._ngc628-c_..._avgapcor.tab ngc628c.tab``) got F438W for NGC 628-C's ACS
F435W ("assumed"), galaxy ``ngc628c`` and, in ``evaluate --catalogs``, "no distance known for galaxy
'ngc628c'". The file's columns 4 and 5 (RA, Dec) still say where it is:
:func:`starclass.io.legus.field_from_sky`.
"""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.io.catalog import read_catalog

runner = CliRunner()
# the centres of the public catalogues' sources (median RA, Dec in degrees), by hand from the files
NGC628C, NGC628E, NGC1433, IC4247 = (24.17017, 15.78174), (24.20131, 15.76928), (55.50801, -47.22311), \
    (201.68520, -30.36260)


def _write(path, centre, n=40, cls=1, seed=0):
    """A standard 35-column LEGUS file of ``n`` rows spread 0.02 deg around ``centre``."""
    rng = np.random.default_rng(seed)
    lines = []
    for i in range(1, n + 1):
        ra, dec = centre[0] + rng.uniform(-0.02, 0.02), centre[1] + rng.uniform(-0.02, 0.02)
        row = [i, 10.0 + i, 20.0 + i, ra, dec] + [22.0, 0.05] * 5 + [1.5] + [0.0] * 16 + [5, cls, float(cls)]
        lines.append(" ".join(f"{v:.6f}" if isinstance(v, float) else str(v) for v in row))
    path.write_text("\n".join(lines) + "\n")
    return path


def test_the_field_is_told_by_the_positions_and_near_fields_apart():
    from starclass.io.legus import field_from_sky

    rng = np.random.default_rng(1)
    for centre, field in ((NGC628C, "ngc628-c"), (NGC628E, "ngc628-e"), (NGC1433, "ngc1433"), (IC4247, "ic4247")):
        ra, dec = centre[0] + rng.uniform(-0.03, 0.03, 200), centre[1] + rng.uniform(-0.03, 0.03, 200)
        assert field_from_sky(ra, dec) == field
    # half-way between NGC 628-C and -E: neither; far from any field; no position at all
    mid = ((NGC628C[0] + NGC628E[0]) / 2, (NGC628C[1] + NGC628E[1]) / 2)
    assert field_from_sky([mid[0]], [mid[1]]) is None
    assert field_from_sky([10.0], [-30.0]) is None and field_from_sky([np.nan], [np.nan]) is None


def test_a_renamed_ngc628c_keeps_its_acs_filters_and_galaxy(tmp_path):
    p = _write(tmp_path / "ngc628c.tab", NGC628C)
    t = read_catalog(p)
    # F435W (ACS), stated by the field's readme (io.legus.KNOWN_FILTERS): it was F438W, "assumed"
    assert "mag_f435w" in t.colnames and "mag_f438w" not in t.colnames, t.colnames
    assert t.meta["bands_source"].startswith("field ngc628-c by the sources' sky positions"), t.meta["bands_source"]
    assert t.meta["field"] == "ngc628-c" and str(t["galaxy"][0]) == "ngc628"
    r = runner.invoke(app, ["info", str(p)])
    assert r.exit_code == 0 and "galaxy ngc628)" in r.output and "bands: f275w, f336w, f435w, f555w, f814w" in r.output


def test_a_renamed_wfc3_field_is_wfc3_and_an_acs_field_says_what_it_assumed(tmp_path):
    t = read_catalog(_write(tmp_path / "mine.tab", NGC1433))
    assert t.meta["bands_source"] == "field ngc1433 by the sources' sky positions (the file name does not say it); " \
                                     "WFC3 only"
    assert "mag_f438w" in t.colnames and str(t["galaxy"][0]) == "ngc1433"
    t = read_catalog(_write(tmp_path / "other.tab", IC4247))
    assert t.meta["bands_source"].startswith("assumed: field ic4247 by the sources' sky positions"), t.meta
    assert "mag_f435w" in t.colnames  # as its own name, acs-wfc3, says


def test_a_file_at_no_field_says_which_filters_were_assumed_and_how_to_give_them(tmp_path):
    p = _write(tmp_path / "mine.tab", (10.0, -30.0))
    src = read_catalog(p).meta["bands_source"]
    assert src.startswith("assumed: the file name does not say the cameras or the field"), src
    assert "read as F275W, F336W, F438W, F555W, F814W, but B may be F435W and V F606W" in src
    assert "starclass info --bands" in src
    r = runner.invoke(app, ["info", str(p), "--bands", "f275w,f336w,f435w,f606w,f814w"])
    assert r.exit_code == 0 and "bands from: given" in r.output, r.output


def test_evaluate_catalogs_reads_a_renamed_field_at_its_distance(tmp_path):
    from starclass.datasets.catalogs import write_fake_legus_folder
    from starclass.science.many import load_fields

    d = write_fake_legus_folder(tmp_path / "legus")
    tab = sorted(d.glob("*ngc628-c*.tab"))[0]
    # the fake field moved to NGC 628-C's sky (its own positions lie at no LEGUS field), then renamed
    rows = np.loadtxt(tab)
    rows[:, 3] += NGC628C[0] - np.median(rows[:, 3])
    rows[:, 4] += NGC628C[1] - np.median(rows[:, 4])
    tab.unlink()
    np.savetxt(d / "ngc628c.tab", rows, fmt="%.7g")
    fields, skipped = load_fields(d)
    assert "ngc628-c" in fields and len(skipped) == 0, (list(fields), list(skipped))
    assert fields["ngc628-c"].meta["distance_mpc"] == 9.9 and fields["ngc628-c"].meta["bands"][2] == "f435w"
    # a renamed copy beside its original is one field twice, as two versions of one field are
    shutil.copy(d / "ngc628c.tab", d / "hlsp_legus_hst_acs-wfc3_ngc628-c_multiband_v1_padagb-mwext-avgapcor.tab")
    with pytest.raises(StarclassError, match="holds two catalogues of field ngc628-c"):
        load_fields(d)


def test_a_renamed_file_at_a_known_field_with_a_column_lost_says_the_column(tmp_path):
    # the real reason first, as for a file at no field (test_catalogs_every_legus_form)
    from starclass.science.many import load_fields

    d = tmp_path / "legus"
    d.mkdir()
    p = _write(d / "ngc628c_nocol10.tab", NGC628C, n=60)
    rows = [line.split() for line in p.read_text().splitlines()]
    p.write_text("\n".join(" ".join(np.delete(np.array(r), 9)) for r in rows) + "\n")
    _write(d / "ngc1433.tab", NGC1433, n=60)
    fields, skipped = load_fields(d, min_inspected=10)
    why = dict(zip(skipped["field"], skipped["reason"]))
    assert "column 10 holds" in why["ngc628c_nocol10"] and "no distance" not in why["ngc628c_nocol10"], why
    assert list(fields) == ["ngc1433"]


def test_the_real_ngc628c_renamed(tmp_path):
    from conftest import SHARED_DATA  # tests/ is on sys.path under pytest

    real = SHARED_DATA / "legus" / "hlsp_legus_hst_acs-wfc3_ngc628-c_multiband_v1_padagb-mwext-avgapcor.tab"
    if not real.exists():
        pytest.skip(f"real LEGUS catalogue not available at {real}")
    p = tmp_path / "ngc628c.tab"
    shutil.copy(real, p)
    t = read_catalog(p)
    named = read_catalog(real)
    assert t.meta["field"] == named.meta["field"] == "ngc628-c"
    assert [c for c in t.colnames if c.startswith("mag_")] == [c for c in named.colnames if c.startswith("mag_")]
    assert str(t["galaxy"][0]) == "ngc628"
