"""An installed but broken ``distributed`` (the scale extra) is named, with the extra to install, exit 2.

survey checked the extra with require_extra (importlib.util.find_spec only) and imported distributed
later without a guard (where the scheduler is reached, or the cluster started): a package there but
raising ImportError as it imports gave a traceback. cli._app.importing_extra now wraps that import.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"
BROKEN = "libbroken.so.1: cannot open shared object file: No such file or directory"


def _plan(tmp_path: Path) -> Path:
    """A CSV plan that reads: one field (a FITS file that is never opened) and a model with its manifest.

    The plan is checked before distributed loads: a plan of a glob it refused (f1,field/*.fits) was refused first.
    """
    from starclass.learn.checkpoint import write_manifest
    from starclass.learn.config import get_preset

    (tmp_path / "field").mkdir()
    (tmp_path / "field" / "f555w.fits").write_bytes(b"not read")
    write_manifest(tmp_path / "model", get_preset("galaxy-cluster-compact", stamp_size=16),
                   [{"file": "member_01.pt", "architecture": "compact", "seed": 0}])
    (tmp_path / "model" / "member_01.pt").write_bytes(b"not read")
    plan = tmp_path / "plan.csv"
    plan.write_text("name,mosaics\nf1,field\n")
    return plan


def test_broken_distributed_is_named_without_a_traceback(tmp_path):
    fake = tmp_path / "fake"
    (fake / "distributed").mkdir(parents=True)
    (fake / "distributed" / "__init__.py").write_text(f"raise ImportError({BROKEN!r})\n")
    plan = _plan(tmp_path)
    out = tmp_path / "run"
    env = dict(os.environ, PYTHONPATH=f"{fake}{os.pathsep}{SRC}", OMP_NUM_THREADS="1")
    # --scheduler: the old code imported distributed unguarded where it reached the scheduler
    r = subprocess.run([sys.executable, "-m", "starclass", "survey", str(plan), "-o", str(out), "--model",
                        str(tmp_path / "model"), "--scheduler", "tcp://127.0.0.1:1"],
                       capture_output=True, text=True, env=env, timeout=180)
    said = " ".join((r.stdout + r.stderr).split())
    assert r.returncode == 2, said
    assert "Traceback" not in said, said
    assert f"starclass survey needs the optional 'scale' dependencies: distributed is installed but fails to import " \
           f"(ImportError: {BROKEN})" in said, said
    assert "pip install 'starclass[scale]'" in said, said
    assert not out.exists()  # nothing written
