"""Every ``--distance`` has one bound, 0.01-1000 Mpc (:func:`starclass.schema.check_distance_mpc`).

``simulate`` and ``demo`` refused a distance outside 0.01-1000 Mpc, but ``evaluate`` and
``report`` only asked for a positive number: ``starclass evaluate pred.ecsv -r pred.ecsv
--distance 1e300 --bootstrap 0 --no-science -o out`` exited 0 and wrote its folder, and
``run_evaluation`` / ``build_report`` / ``evaluate_sections`` / ``layout`` took ``distance_mpc=1e300``.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.datasets.catalogs import fake_catalogs
from starclass.errors import StarclassError
from starclass.schema import DISTANCE_RANGE_MPC, check_distance_mpc

# the evaluations' and reports' figures are built but not rendered to PNG (conftest's unrendered_figures): these
# tests read the printed lines, tables and pages around them, and rendering was about half of each command
pytestmark = pytest.mark.usefixtures("unrendered_figures")

runner = CliRunner()


@pytest.fixture(scope="module")
def pred(tmp_path_factory):
    path = tmp_path_factory.mktemp("pred") / "pred.ecsv"
    fake_catalogs(60, seed=0)[0].write(path)
    return path


@pytest.mark.parametrize("command", ["evaluate", "report"])
@pytest.mark.parametrize("value", ["1e300", "1001", "0.001"])
def test_evaluate_and_report_refuse_a_distance_out_of_range(tmp_path, pred, command, value):
    out = tmp_path / ("out.html" if command == "report" else "out")
    fast = ["--bootstrap", "0"] + (["--no-science"] if command == "evaluate" else [])
    res = runner.invoke(app, [command, str(pred), "-r", str(pred), "--distance", value, *fast, "-o", str(out)])
    assert res.exit_code == 2, res.output
    said = " ".join(res.output.split())
    assert f"--distance must be between 0.01 and 1000 Mpc, got {float(value)}" in said, res.output
    assert "Traceback" not in res.output
    assert not any(tmp_path.iterdir())


def test_the_python_functions_behind_them_refuse_it_before_any_work(tmp_path, pred):
    from starclass.evaluate.compare import evaluate_catalogs
    from starclass.report.build import build_report, evaluate_sections, layout, run_evaluation

    ref = {"self": str(pred)}
    calls = {
        "run_evaluation": lambda d: run_evaluation(str(pred), ref, tmp_path / "ev", distance_mpc=d, n_boot=0,
                                                   science=False),
        "build_report": lambda d: build_report(str(pred), ref, tmp_path / "rep", distance_mpc=d, n_boot=0,
                                               science=False),
        "evaluate_sections": lambda d: evaluate_sections(str(pred), ref, distance_mpc=d, n_boot=0, science=False),
        "layout": lambda d: layout(evaluate_catalogs(str(pred), ref, n_boot=0), distance_mpc=d, science=False),
    }
    for name, call in calls.items():
        with pytest.raises(StarclassError, match=r"^distance_mpc must be between 0.01 and 1000 Mpc, got 1e\+300$"):
            call(1e300)
        assert not any(tmp_path.iterdir()), name


def test_simulate_and_demo_share_the_bound():
    from starclass.simulate.config import DISTANCE_RANGE_MPC as SIM_RANGE
    from starclass.simulate.config import check_distance

    assert SIM_RANGE == DISTANCE_RANGE_MPC == (0.01, 1000.0)
    for bad in (1000.5, 0.005, float("nan"), float("inf"), True, "far"):
        with pytest.raises(StarclassError, match="x must be between 0.01 and 1000 Mpc"):
            check_distance_mpc(bad, "x")
        with pytest.raises(StarclassError, match="x must be between 0.01 and 1000 Mpc"):
            check_distance(bad, "x")
    assert check_distance_mpc(1000) == 1000.0 and check_distance_mpc("0.01") == 0.01
