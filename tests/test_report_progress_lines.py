"""The report says its long sections in the progress lines (demo's report step, ``starclass report > log``).

The demo's report step took 17-37 s, its longest, and its log said only "[6/6] writing the report ..."
until it ended; ``starclass report`` said nothing at all. Now each part that took over
``LONG_PART_S`` seconds says so as it ends, on the progress lines' logger.
"""

from __future__ import annotations

import logging
import re

import pytest
from typer.testing import CliRunner

from starclass.cli import app

LOGGER = "starclass.progress"
LINE = re.compile(r"^report: (section '.+'|the science checks \(\d+ sections?\)), \d+ s \(\d+ s in all\)$")


@pytest.fixture()
def every_part_long(monkeypatch):
    """Every part counts as long (the toy report's take well under a second)."""
    import starclass.report.build as build

    monkeypatch.setattr(build, "LONG_PART_S", 0.0, raising=False)  # not raising: code without it fails on its lines


def test_layout_says_each_long_section(caplog, every_part_long, tmp_path):
    from starclass.datasets.catalogs import fake_catalogs
    from starclass.report import build_report

    pred, truth = fake_catalogs(200, seed=0)
    caplog.set_level(logging.INFO, logger=LOGGER)
    build_report(pred, {"truth": truth}, tmp_path / "r", n_boot=5, distance_mpc=10.0)
    said = [r.getMessage() for r in caplog.records if r.name == LOGGER]
    assert len(said) >= 3 and all(LINE.match(s) for s in said), said
    assert any(s.startswith("report: the science checks (") for s in said), said


def test_only_parts_of_3_s_or_more_say_a_line(caplog):
    """A quick section says nothing (no clutter); one of 3 s or more says its time and the total."""
    from starclass.report.build import LONG_PART_S, _Parts

    assert LONG_PART_S == 3.0
    caplog.set_level(logging.INFO, logger=LOGGER)
    now = [100.0]
    parts = _Parts(clock=lambda: now[0])
    for seconds, what in ((0.5, "section 'a'"), (2.9, "section 'b'"), (7.0, "section 'c'"), (3.0, "section 'd'")):
        now[0] += seconds
        parts.done(what)
    said = [r.getMessage() for r in caplog.records if r.name == LOGGER]
    assert said == ["report: section 'c', 7 s (10 s in all)", "report: section 'd', 3 s (13 s in all)"], said


def test_the_report_command_into_a_log_says_its_sections(every_part_long, tmp_path):
    from starclass.datasets.catalogs import fake_catalogs

    pred, truth = fake_catalogs(200, seed=0)
    pred.write(tmp_path / "pred.ecsv")
    truth.write(tmp_path / "truth.ecsv")
    res = CliRunner().invoke(app, ["report", str(tmp_path / "pred.ecsv"), "-r", str(tmp_path / "truth.ecsv"),
                                   "-o", str(tmp_path / "r.html"), "--bootstrap", "5"])
    assert res.exit_code == 0, res.output
    lines = [ln for ln in res.stderr.splitlines() if re.match(r"^\d\d:\d\d:\d\d report: ", ln)]
    assert lines and all(LINE.match(ln[9:]) for ln in lines), res.stderr
    assert not any("report: section" in ln for ln in res.stdout.splitlines())
