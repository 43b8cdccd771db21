"""load_ssp builds its table once per file, redshift, system and cameras: the same table as built each time.

``evaluate --catalogs DIR --ssp FILE`` built it 70 times over the 35 LEGUS fields (benchmarks/ssp_load_cache.py).
"""

from __future__ import annotations

import numpy as np

from starclass.science import ssp as ssp_mod
from starclass.science.ssp import load_ssp


def _equal(a, b) -> bool:
    return (a.colnames == b.colnames and a.meta == b.meta
            and all(np.array_equal(np.asarray(a[c]), np.asarray(b[c])) for c in a.colnames)
            and all(a[c].unit == b[c].unit for c in a.colnames))


def test_cached_tables_are_the_built_ones():
    path = ssp_mod._default_path()
    for cameras in (None, {"f555w": "acs/wfc"}, {"f555w": "wfc3/uvis", "f814w": "wfc3/uvis"}, {"F555W": None}):
        built = ssp_mod._ssp_table(str(path), 0.0, None, cameras)
        assert _equal(load_ssp(cameras=cameras), built), cameras
        assert _equal(load_ssp(cameras=cameras), built), cameras  # the second call, from the cache
    # the ACS V is not the WFC3 one: the cameras are part of the key
    assert not np.array_equal(load_ssp(cameras={"f555w": "acs/wfc"})["mag_f555w"], load_ssp()["mag_f555w"])


def test_each_caller_gets_its_own_copy():
    a = load_ssp()
    a["mag_f555w"][:] = 0.0
    a.meta["ab_minus_vega"]["f555w"] = 99.0
    b = load_ssp()
    assert not np.all(np.asarray(b["mag_f555w"]) == 0.0) and b.meta["ab_minus_vega"]["f555w"] != 99.0


def test_an_edited_file_is_built_again(tmp_path):
    src = ssp_mod._default_path().read_text().splitlines()
    path = tmp_path / "model_AB.txt"
    path.write_text("\n".join(src) + "\n")
    first = load_ssp(path)
    path.write_text("\n".join(src[:1] + src[2:]) + "\n")  # its first row (redshift 0) gone: another size
    assert len(load_ssp(path)) == len(first) - 1


def test_the_shared_ssp_table(shared_ssp):
    cams = {"f555w": "acs/wfc"}
    assert _equal(load_ssp(shared_ssp, cameras=cams), ssp_mod._ssp_table(str(shared_ssp), 0.0, None, cams))
