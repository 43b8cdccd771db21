"""``starclass evaluate`` into a log file says how far each comparison's bootstrap has got, as ``report`` does.

Until 2026-12-05 night ``evaluate pred.ecsv -r truth.ecsv --bootstrap 10000 > log 2>&1`` said nothing during
its bootstrap (minutes on a large catalogue): the report's bootstraps said their resamples in Progress's
lines, evaluate's none. Now it says the same lines on stderr where stderr is no terminal (CliRunner's is
none: the log-file case); what it prints on stdout (its figures, read by scripts) is unchanged.
"""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from starclass.cli import app

# the evaluations' and reports' figures are built but not rendered to PNG (conftest's unrendered_figures): these
# tests read the printed lines, tables and pages around them, and rendering was about half of each command
pytestmark = pytest.mark.usefixtures("unrendered_figures")

#: A bootstrap's line as the command line writes it into a log (starclass.io.progress.Progress's, timed)
BOOT = re.compile(r"^\d\d:\d\d:\d\d bootstrap \((?P<pair>.+ vs .+)\): (?P<n>\d+) of (?P<total>\d+) resamples "
                  r"\(\d+%\), \d+ s$")


@pytest.fixture()
def catalogues(tmp_path):
    from starclass.datasets.catalogs import fake_catalogs

    pred, truth = fake_catalogs(200, seed=0)
    pred.write(tmp_path / "pred.ecsv")
    truth.write(tmp_path / "truth.ecsv")
    return tmp_path


def _evaluate(root, *more: str):
    res = CliRunner().invoke(app, ["evaluate", str(root / "pred.ecsv"), "-r", str(root / "truth.ecsv"), "-o",
                                   str(root / "ev"), "--bootstrap", "7", "--overwrite", *more])
    assert res.exit_code == 0, res.output
    return res


def test_evaluate_into_a_log_says_its_bootstrap_and_keeps_its_stdout(catalogues, monkeypatch):
    import starclass.io.progress as progress

    logged = _evaluate(catalogues)
    boots = [BOOT.match(ln) for ln in logged.stderr.splitlines() if BOOT.match(ln)]
    assert [(m["pair"], m["n"], m["total"]) for m in boots] == [
        ("pred vs truth", "0", "7"), ("pred vs truth", "7", "7")], logged.stderr  # pred.ecsv by its stem
    assert "\r" not in logged.stderr, repr(logged.stderr)  # lines, no bar's redraws
    # the evaluation's own lines only: the sections' name the report
    assert not re.search(r"^\d\d:\d\d:\d\d report: ", logged.stderr, re.M), logged.stderr
    assert not any(BOOT.match(ln) for ln in logged.stdout.splitlines()), logged.stdout
    # at a terminal no line is shown (and no bar, as report): the figures on stdout are the same either way
    monkeypatch.setattr(progress, "on_terminal", lambda stream=None: True)
    at_terminal = _evaluate(catalogues)
    assert not any(BOOT.match(ln) for ln in at_terminal.output.splitlines()), at_terminal.output
    assert "class: accuracy " in logged.stdout and logged.stdout == at_terminal.stdout


def test_evaluate_without_a_bootstrap_says_no_line(catalogues):
    res = _evaluate(catalogues, "--bootstrap", "0", "--no-science")
    assert not any(BOOT.match(ln) for ln in res.output.splitlines()), res.output


#: A line of evaluate's own sections, as the command line writes it into a log (report's say "report: ")
#: A duration as starclass.io.progress.duration says it; a loaded machine can take a minute or more in all
DUR = r"(?:\d+ h \d\d min|(?:\d+ min )?\d+ s)"
PART = re.compile(r"^\d\d:\d\d:\d\d evaluate: (section '.+'|science check \d of 3, '.+'|the folder \(\d+ tables?, "
                  r"\d+ figures?\) written), {DUR} \({DUR} in all\)$".replace("{DUR}", DUR))


def test_evaluate_into_a_log_says_its_science_checks_sections_and_folder(catalogues, monkeypatch):
    """Until 2026-12-06 the sections' lines were titled ``report:`` and kept quiet inside evaluate: its log
    said nothing through the science checks and the figures (seconds to minutes on a large catalogue)."""
    import starclass.report.build as build

    monkeypatch.setattr(build, "LONG_PART_S", 0.0)  # every section counts as long (the toy one's are quick)
    res = _evaluate(catalogues, "--bootstrap", "0", "--distance", "10")
    said = [ln for ln in res.stderr.splitlines() if re.match(r"^\d\d:\d\d:\d\d evaluate: ", ln)]
    # the first line says the catalogue and its rows, into a log too since 2026-12-07 (it was said at a terminal only)
    assert said and re.match(r"^\d\d:\d\d:\d\d evaluate: .+, \d+ rows: pairing with the references", said[0]), said
    said = said[1:]
    assert said and all(PART.match(ln) for ln in said), res.stderr
    assert [ln[9:].split(",")[0] for ln in said if " science check " in ln] == [
        f"evaluate: science check {k} of 3" for k in (1, 2, 3)], res.stderr
    assert any(" evaluate: section '" in ln for ln in said), res.stderr
    assert said[-1][9:].startswith("evaluate: the folder ("), res.stderr
    assert not re.search(r"^\d\d:\d\d:\d\d report: ", res.stderr, re.M), res.stderr
    assert not re.search(r"evaluate: (science|section|the folder)", res.stdout), res.stdout


def test_run_evaluation_in_python_says_nothing_by_default(catalogues, caplog):
    import logging

    from starclass.io.progress import LOGGER
    from starclass.report import run_evaluation

    caplog.set_level(logging.INFO, logger=LOGGER)
    run_evaluation(str(catalogues / "pred.ecsv"), [str(catalogues / "truth.ecsv")], catalogues / "quiet", n_boot=0)
    assert [r.getMessage() for r in caplog.records if r.name == LOGGER] == []
    run_evaluation(str(catalogues / "pred.ecsv"), [str(catalogues / "truth.ecsv")], catalogues / "said", n_boot=0,
                   progress=None)
    said = [r.getMessage() for r in caplog.records if r.name == LOGGER]
    assert [s.split(",")[0] for s in said if " science check " in s] == [
        f"evaluate: science check {k} of 3" for k in (1, 2, 3)], said


def test_evaluate_says_its_folder_only_where_writing_it_was_long(catalogues, monkeypatch):
    """Said always, the folder's line came first in every evaluate's output (its stdout's 'wrote N tables and M
    figures' follows at once); it is said as a long section is, where it took LONG_PART_S or more."""
    import starclass.report.build as build

    monkeypatch.setattr(build, "LONG_PART_S", 1e9)  # nothing counts as long: only the science checks are said
    res = _evaluate(catalogues, "--bootstrap", "0")
    assert "evaluate: science check 3 of 3" in res.stderr, res.stderr
    assert " evaluate: the folder " not in res.stderr and " evaluate: section " not in res.stderr, res.stderr
    assert res.stdout.startswith("task "), res.stdout
