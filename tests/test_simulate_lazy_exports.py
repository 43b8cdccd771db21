"""``from starclass.simulate import preset`` does not import the simulator; the package's names are all still there.

``starclass.simulate`` imported ``simulate.field`` (galaxy, objects, rendering, scipy) when loaded, so reading a
preset or ``simulate.config`` (``demo``'s option check) paid for the whole simulator. The field's names now load
on first use through :func:`starclass.lazy_exports`, the helper that ``starclass.stamps``, ``starclass.evaluate``
and ``starclass.detect`` share (each had its own copy of the same ``__getattr__``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src"

CHILD = r"""
import json, sys
from starclass.simulate import PRESETS, SimConfig, preset
from starclass.simulate.config import check_distance
cfg = preset("hst")
print(json.dumps({"preset": type(cfg).__name__,
                  "loaded": sorted(m for m in ("starclass.simulate.field", "starclass.simulate.render", "scipy")
                                   if m in sys.modules)}))
"""


def test_preset_does_not_import_the_simulator():
    env = dict(os.environ, PYTHONPATH=str(SRC))
    run = subprocess.run([sys.executable, "-c", CHILD], env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr[-3000:]
    got = json.loads(run.stdout.strip().splitlines()[-1])
    assert got["preset"] == "SimConfig"
    assert got["loaded"] == [], f"importing a preset loaded {got['loaded']}"


def test_the_simulate_package_still_exports_its_names():
    import starclass.simulate as simulate
    from starclass.simulate import config, field

    for name in simulate.__all__:
        assert any(getattr(m, name, None) is getattr(simulate, name) for m in (config, field)), name
        assert name in dir(simulate)
    with pytest.raises(AttributeError, match="module 'starclass.simulate' has no attribute 'no_such_name'"):
        simulate.no_such_name  # noqa: B018


def test_lazy_exports_loads_on_first_use_and_keeps_the_name():
    from starclass import lazy_exports

    ns: dict = {}
    getattr_, dir_ = lazy_exports("starclass.simulate", {"stage_rng": ".field", "loads": "json"}, ns)
    from starclass.simulate.field import stage_rng

    assert getattr_("stage_rng") is stage_rng and ns["stage_rng"] is stage_rng  # relative to the package
    assert getattr_("loads") is json.loads  # absolute
    assert dir_() == ["loads", "stage_rng"]
    with pytest.raises(AttributeError, match="no attribute 'dumps'"):
        getattr_("dumps")
