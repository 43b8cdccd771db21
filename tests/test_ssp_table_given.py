"""An SSP table given by the user (``load_ssp(path)``, ``ssp_track(..., path=)``) is described as it is.

Before: every table was labelled "Yggdrasil ..., Z=0.020, Kroupa IMF" (a Z = 0.004 file too),
a Vega table (``..._Vega.txt``) was taken for AB and shifted again by the AB - Vega offsets, a
renamed column stopped with a ValueError or KeyError traceback, a folder with IsADirectoryError,
and a file changed on disk in a session was not read again.
"""
from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest

from starclass.bands import BANDS
from starclass.errors import StarclassError
from starclass.science.ssp import SSP_FILE, _default_path, load_ssp, ssp_track

SHARED = Path(__file__).resolve().parents[2] / "shared" / "data" / "ssp" / SSP_FILE


def _rows() -> tuple[list[str], np.ndarray]:
    lines = _default_path().read_text().splitlines()
    return lines[0].split(), np.loadtxt(_default_path(), skiprows=1)


def _write(path: Path, header: list[str], data: np.ndarray) -> Path:
    with open(path, "w") as fh:
        fh.write(" ".join(header) + "\n")
        for row in data:
            fh.write(" ".join(f"{v:.6g}" for v in row) + "\n")
    return path


def test_another_metallicity_is_labelled_by_its_file_name(tmp_path):
    header, data = _rows()
    p = _write(tmp_path / "yggdrasil_Z0.004_kroupa_fcov1_inst_HST_AB.txt", header, data)
    t = load_ssp(p)
    assert t.meta["metallicity"] == 0.004
    assert "Z=0.004" in t.meta["source"] and "Z=0.020" not in t.meta["source"]
    assert ssp_track(["f336w", "f438w", "f555w", "f814w"], path=p).meta["metallicity"] == 0.004
    # a name that says nothing claims nothing
    q = _write(tmp_path / "my_model.txt", header, data)
    assert load_ssp(q).meta["metallicity"] is None
    assert "Yggdrasil" not in load_ssp(q).meta["source"]
    assert load_ssp().meta["metallicity"] == 0.02


def test_a_vega_table_is_not_shifted_twice(tmp_path):
    header, data = _rows()
    vega = data.copy()
    names = [h.lower() for h in header]
    for j, n in enumerate(names):
        if n in BANDS:
            vega[:, j] = data[:, j] - BANDS[n].ab_minus_vega
    p = _write(tmp_path / "yggdrasil_Z0.020_kroupa_fcov1_inst_HST_Vega.txt", header, vega)
    ab, v = load_ssp(), load_ssp(p)
    assert v.meta["magsys"] == "vega" and ab.meta["magsys"] == "ab"
    for b in ("f336w", "f438w", "f555w", "f814w"):
        assert np.allclose(v[f"mag_{b}"], ab[f"mag_{b}"], atol=2e-3), b
    # the name and the argument disagree: refused, naming both
    with pytest.raises(StarclassError, match="name says VEGA.*magsys says AB"):
        load_ssp(p, magsys="ab")
    # a name without a system: the argument says it
    q = _write(tmp_path / "model.txt", header, vega)
    assert np.allclose(load_ssp(q, magsys="vega")["mag_f555w"], ab["mag_f555w"], atol=2e-3)


@pytest.mark.parametrize("old, new, named", [("Age(yr)", "Age", "'age(yr)'"), ("Redshift", "z", "'redshift'")])
def test_a_renamed_column_is_named(tmp_path, old, new, named):
    header, data = _rows()
    p = _write(tmp_path / "renamed.txt", [new if h == old else h for h in header], data)
    with pytest.raises(StarclassError, match=rf"renamed.txt: no column {re.escape(named)}.*Redshift Age\(yr\)"):
        load_ssp(p)


def test_a_folder_is_refused(tmp_path):
    with pytest.raises(StarclassError, match="is not a file"):
        load_ssp(tmp_path)


def test_a_table_changed_on_disk_is_read_again(tmp_path):
    header, data = _rows()
    p = _write(tmp_path / "model.txt", header, data)
    first = float(load_ssp(p)["mag_ab_f555w"][0])
    changed = data.copy()
    changed[:, [h.lower() for h in header].index("f555w")] += 1.0
    _write(p, header, changed)
    assert float(load_ssp(p)["mag_ab_f555w"][0]) == pytest.approx(first + 1.0, abs=1e-3)


@pytest.mark.skipif(not SHARED.exists(), reason="the shared SSP table is not here")
def test_a_track_point_of_the_real_table_by_hand():
    # the 1.01 Myr row of the raw file, read column by column
    header = SHARED.read_text().splitlines()[0].split()
    row = next(r for r in np.loadtxt(SHARED, skiprows=1) if r[0] == 0.0 and r[1] == 1.01e6)
    m = dict(zip(header, row))
    u_b = (m["F336W"] - 1.19) - (m["F435W"] - (-0.15))  # F438W from F435W, with F438W's offset
    v_i = (m["F555W"] - (-0.03)) - (m["F814W"] - 0.42)
    tr = ssp_track(["f336w", "f438w", "f555w", "f814w"], path=SHARED)
    assert float(tr["age"][0]) == 1.01e6
    assert float(tr["u_b"][0]) == pytest.approx(u_b, abs=1e-9) == pytest.approx(-1.731, abs=1e-9)
    assert float(tr["v_i"][0]) == pytest.approx(v_i, abs=1e-9)
