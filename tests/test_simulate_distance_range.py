"""``simulate --distance`` (and demo's) outside what the simulator renders is refused by name.

``--distance inf`` or ``1e30`` stopped mid-render with numpy's ``ValueError: Probabilities contain
NaN`` traceback, ``1e6`` with ``lam value too large`` and ``1e-6`` tried to allocate 46 GiB; the
messages that were given named the Python setting (``distance_mpc must be positive``,
``n_humans must be >= 1``) and not the option. Now any distance outside 0.01-1000 Mpc is refused
before the rendering, naming --distance, with exit status 2 and nothing written.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.simulate.config import SimConfig

runner = CliRunner()


@pytest.mark.parametrize("distance", ["inf", "1e30", "1e6", "1e-9", "-3", "nan"])
def test_simulate_refuses_a_distance_it_cannot_render(tmp_path, distance):
    res = runner.invoke(app, ["simulate", str(tmp_path / "f"), "--size", "64", "--n-candidates", "3",
                              "--distance", distance, "--no-progress"])
    assert res.exit_code == 2, res.output
    assert "--distance" in res.output and "between 0.01 and 1000 Mpc" in res.output, res.output
    assert res.exception is None or isinstance(res.exception, SystemExit), res.exception
    assert not (tmp_path / "f").exists()


def test_the_ends_of_the_range_render_and_humans_are_named(tmp_path):
    from starclass.simulate.config import DISTANCE_RANGE_MPC

    assert DISTANCE_RANGE_MPC == (0.01, 1000.0)
    SimConfig(distance_mpc=DISTANCE_RANGE_MPC[0]).validate()
    SimConfig(distance_mpc=DISTANCE_RANGE_MPC[1]).validate()
    with pytest.raises(StarclassError, match=r"n_humans must be >= 1 \(simulate --humans\), got 0"):
        SimConfig(n_humans=0).validate()
    res = runner.invoke(app, ["simulate", str(tmp_path / "f"), "--size", "64", "--n-candidates", "3",
                              "--humans", "-1", "--no-progress"])
    assert res.exit_code == 2 and "--humans" in res.output and not (tmp_path / "f").exists(), res.output


def test_the_distance_error_names_where_the_value_came_from(tmp_path):
    # a Python call was told of "(the command's --distance)", an option it never used
    from starclass.simulate.config import preset

    for make in (lambda: SimConfig(distance_mpc=1e6), lambda: preset("m31", distance_mpc=0.0)):
        with pytest.raises(StarclassError, match=r"^distance_mpc must be between 0.01 and 1000 Mpc, got") as err:
            make()
        assert "--distance" not in str(err.value) and "command" not in str(err.value)
    # a config file's caller names the file and key
    from starclass.simulate.config import check_distance

    with pytest.raises(StarclassError, match=r"^sim.yaml: distance_mpc must be between 0.01 and 1000 Mpc, got inf"):
        check_distance(float("inf"), "sim.yaml: distance_mpc")
    # the commands name their option
    for cmd in (["simulate", str(tmp_path / "f"), "--size", "64", "--n-candidates", "3"],
                ["demo", "-o", str(tmp_path / "d")]):
        res = runner.invoke(app, [*cmd, "--distance", "1e6", "--no-progress"])
        assert res.exit_code == 2, res.output
        assert "--distance must be between 0.01 and 1000 Mpc, got 1000000.0" in res.output, res.output
        assert "distance_mpc" not in res.output, res.output
    assert not (tmp_path / "f").exists() and not (tmp_path / "d").exists()
