"""``starclass inspect`` binds its port (:mod:`starclass.inspect.listen`) before its first line, so importing
that module must not bring the package's consensus functions and astropy.table with it; the package still
gives those functions by name."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"


def test_the_port_module_imports_without_astropy_table() -> None:
    code = ("import sys; import starclass.inspect.listen; "
            "print(sorted(m for m in ('astropy.table', 'starclass.inspect.consensus') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"}).stdout.strip()
    assert out == "[]"


def test_the_package_still_gives_the_consensus_functions() -> None:
    import starclass.inspect as package
    from starclass.inspect import consensus

    assert package.mode_with_ties is consensus.mode_with_ties
    assert "weighted_vote" in dir(package)
