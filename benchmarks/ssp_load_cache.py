"""load_ssp built once per (file, redshift, system, cameras), against building it on every call.

``evaluate --catalogs DIR --ssp FILE`` over the 35 LEGUS fields called ``load_ssp`` 70 times (each field's SED
check, mass limit and completeness): 1.7 s of a 107 s cProfile run on the shared machine, the rest being the
naive-rule ladder (64%), the figures and the imports. This prints the time of those 70 calls built each time
(``_ssp_table``, as before) and cached (``load_ssp``, as now), their ratio, and that the tables are equal.

Run: ``PYTHONPATH=src OMP_NUM_THREADS=1 nice python benchmarks/ssp_load_cache.py [SSP_FILE]``
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import numpy as np

from starclass.science import ssp as ssp_mod

# the cameras of the 35 LEGUS fields come in a few kinds: as the run asks, two calls per field
CAMERAS = [{"f555w": "wfc3/uvis", "f814w": "wfc3/uvis"}, {"f555w": "acs/wfc", "f814w": "acs/wfc"}, None]


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else ssp_mod._default_path()
    calls = [CAMERAS[i % len(CAMERAS)] for i in range(70)]
    t0 = time.perf_counter()
    built = [ssp_mod._ssp_table(str(path), 0.0, None, c) for c in calls]
    t_built = time.perf_counter() - t0
    ssp_mod._build_ssp.cache_clear()
    t0 = time.perf_counter()
    cached = [ssp_mod.load_ssp(path, cameras=c) for c in calls]
    t_cached = time.perf_counter() - t0
    same = all(a.colnames == b.colnames and a.meta == b.meta
               and all(np.array_equal(np.asarray(a[c]), np.asarray(b[c])) for c in a.colnames)
               for a, b in zip(built, cached))
    print(f"SSP table {path.name}: 70 load_ssp calls, 3 kinds of cameras")
    print(f"  built every call: {t_built:.3f} s; cached: {t_cached:.3f} s; ratio {t_built / t_cached:.1f}x")
    print(f"  tables equal: {same}")


if __name__ == "__main__":
    main()
