"""The report says its long sections in the progress lines (demo's report step, ``starclass report > log``).

The demo's report step took 17-37 s, its longest, and its log said only "[6/6] writing the report ..."
until it ended; ``starclass report`` said nothing at all. Now each part that took over
``LONG_PART_S`` seconds says so as it ends, on the progress lines' logger.

The science checks then said one line for all three, and each comparison's bootstrap and the page's
writing said none of their own. Now each science check says a line as it ends, by name, whatever it took,
each bootstrap its resamples (Progress's lines: start, at most each 10% and 30 s, end) and the page its own.
"""

from __future__ import annotations

import logging
import re

import pytest
from typer.testing import CliRunner

from starclass.cli import app

# the evaluations' and reports' figures are built but not rendered to PNG (conftest's unrendered_figures): these
# tests read the printed lines, tables and pages around them, and rendering was about half of each command
pytestmark = pytest.mark.usefixtures("unrendered_figures")

LOGGER = "starclass.progress"
#: A duration as starclass.io.progress.duration says it; a loaded machine can take a minute or more in all
DUR = r"(?:\d+ h \d\d min|(?:\d+ min )?\d+ s)"
LINE = re.compile(r"^report: (section '.+'|science check \d of 3, '.+'|the page \(\d+ sections?, its tables and "
                  r"figures\) written), {DUR} \({DUR} in all\)$".replace("{DUR}", DUR))
#: The report's first line (build_report's, after its read of the catalogue; a log said nothing before the
#: first section until 2026-12-07)
FIRST = re.compile(r"^report: .+, \d+ rows?, (against .+|with no reference): pairing with the references, "
                   r"bootstrapping and drawing the report's sections \.\.\.$")
#: A bootstrap's line (starclass.io.progress.Progress's)
BOOT = re.compile(r"^bootstrap \((?P<pair>.+ vs .+)\): (?P<n>\d+) of (?P<total>\d+) resamples \(\d+%\), \d+ s$")


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
    assert said and FIRST.match(said[0]), said
    said = said[1:]
    assert len(said) >= 3 and all(LINE.match(s) or BOOT.match(s) for s in said), said
    assert any(s.startswith("report: section '") for s in said), said


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
    assert lines and FIRST.match(lines[0][9:]), res.stderr
    lines = lines[1:]
    assert lines and all(LINE.match(ln[9:]) for ln in lines), res.stderr
    assert [ln[9:].split(",")[0] for ln in lines if " science check " in ln] == [
        f"report: science check {k} of 3" for k in (1, 2, 3)], res.stderr
    boots = [ln for ln in res.stderr.splitlines() if BOOT.match(ln[9:])]
    assert [BOOT.match(ln[9:])["n"] for ln in boots] == ["0", "5"], res.stderr
    assert not any("report: section" in ln for ln in res.stdout.splitlines())


def test_the_report_says_each_science_check_each_bootstrap_and_the_page(caplog, tmp_path):
    """Quick or not: one line a science check, by name, in order; the resamples of each comparison; the page."""
    from starclass.datasets.catalogs import fake_catalogs
    from starclass.report import build_report
    from starclass.report.build import SCIENCE_CHECKS

    pred, truth = fake_catalogs(200, seed=0)
    caplog.set_level(logging.INFO, logger=LOGGER)
    build_report(pred, {"truth": truth, "humans": truth.copy()}, tmp_path / "r", n_boot=5, distance_mpc=10.0)
    said = [r.getMessage() for r in caplog.records if r.name == LOGGER]
    assert said and said[0] == ("report: the catalogue given, 200 rows, against truth and humans: pairing with the "
                                "references, bootstrapping and drawing the report's sections ..."), said
    said = said[1:]
    assert all(LINE.match(s) or BOOT.match(s) for s in said), said
    checks = [s for s in said if s.startswith("report: science check ")]
    assert [s.split(", '", 1)[1].rsplit("', ", 1)[0] for s in checks] == list(SCIENCE_CHECKS), checks
    assert [s.split(",", 1)[0] for s in checks] == [f"report: science check {k} of 3" for k in (1, 2, 3)]
    boots = [BOOT.match(s) for s in said if BOOT.match(s)]
    assert [(m["pair"], m["n"], m["total"]) for m in boots] == [
        ("prediction vs truth", "0", "5"), ("prediction vs truth", "5", "5"),
        ("prediction vs humans", "0", "5"), ("prediction vs humans", "5", "5")], said
    assert said[-1].startswith("report: the page (") and " written, " in said[-1], said
    # the bootstraps come first (the evaluation), then the checks, the page last
    assert said.index(checks[0]) > said.index(boots[-1].string)


def test_the_report_says_nothing_with_progress_false(caplog, tmp_path, every_part_long):
    from starclass.datasets.catalogs import fake_catalogs
    from starclass.report import build_report

    pred, truth = fake_catalogs(200, seed=0)
    caplog.set_level(logging.INFO, logger=LOGGER)
    build_report(pred, {"truth": truth}, tmp_path / "r", n_boot=5, distance_mpc=10.0, progress=False)
    assert [r.getMessage() for r in caplog.records if r.name == LOGGER] == []
