"""An installed but broken ``dask_jobqueue`` (the scale extra) is named, with the extra to install, exit 2.

``survey --jobqueue`` imported dask_jobqueue through survey.batch._dask_jobqueue, which took any
ImportError for a missing package: one installed but failing as it imports (a broken build, a
missing shared library) was told '--jobqueue needs dask-jobqueue: pip install ...', which the user
had done. The command now imports it inside cli._app.importing_extra, as it does distributed.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

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


@pytest.mark.parametrize("system", ["slurm", "pbs"])
def test_broken_dask_jobqueue_is_named_without_a_traceback(tmp_path, system):
    pytest.importorskip("distributed")  # else survey stops first, at the missing distributed
    fake = tmp_path / "fake"
    (fake / "dask_jobqueue").mkdir(parents=True)
    (fake / "dask_jobqueue" / "__init__.py").write_text(f"raise ImportError({BROKEN!r})\n")
    plan = _plan(tmp_path)
    out = tmp_path / "run"
    env = dict(os.environ, PYTHONPATH=f"{fake}{os.pathsep}{SRC}", OMP_NUM_THREADS="1")
    r = subprocess.run([sys.executable, "-m", "starclass", "survey", str(plan), "-o", str(out), "--model",
                        str(tmp_path / "model"), "--jobqueue", system],
                       capture_output=True, text=True, env=env, timeout=180)
    said = " ".join((r.stdout + r.stderr).split())
    assert r.returncode == 2, said
    assert "Traceback" not in said, said
    assert f"starclass survey needs the optional 'scale' dependencies: dask_jobqueue is installed but fails to " \
           f"import (ImportError: {BROKEN})" in said, said
    assert "pip install 'starclass[scale]'" in said, said
    assert not out.exists()  # nothing written
