"""``evaluate`` and ``report`` of one catalogue at a terminal say each long step: a line, then bars.

Until 2026-12-06 neither drew anything at a terminal until its results (9.6 s on a small field at a load of 8:
imports, reading and pairing, the bootstrap, the sections' figures): their timed lines are for a log file only,
and they had no ``--progress``. Now a line says the reading, then the bootstrap's bar and a bar of the sections
drawn (a science check counts as one); a log file keeps its lines and gets no bar, and ``--no-progress`` (new on
both) says nothing at all. stdout is the same every way. stderr is made a terminal as in
``tests/test_catalogs_progress_lines.py``.
"""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from starclass.cli import app

# the figures are built but not rendered to PNG (conftest's unrendered_figures): these tests read the lines and
# bars on stderr and stdout, not pixels, and rendering was about half of each of their six runs
pytestmark = pytest.mark.usefixtures("unrendered_figures")

#: A bar at its end as tqdm draws it: ``<desc>: 100%|####| <n>/<n> [...]``
BAR = r"{desc}: 100%\|[^\r\n]*\| (?P<n>\d+)/(?P=n) "


@pytest.fixture(scope="module")
def catalogues(tmp_path_factory):
    from starclass.datasets.catalogs import fake_catalogs

    root = tmp_path_factory.mktemp("cats")
    pred, truth = fake_catalogs(200, seed=0)
    pred.write(root / "pred.ecsv")
    truth.write(root / "truth.ecsv")
    return root


def _run(command: str, root, *more: str):
    out = root / ("ev" if command == "evaluate" else "rep.html")
    res = CliRunner().invoke(app, [command, str(root / "pred.ecsv"), "-r", str(root / "truth.ecsv"), "-o", str(out),
                                   "--bootstrap", "7", "--distance", "10", "--overwrite", *more])
    assert res.exit_code == 0, res.output
    return res


@pytest.mark.parametrize("command", ["evaluate", "report"])
def test_one_catalogue_at_a_terminal_says_its_steps(command, catalogues, monkeypatch):
    import starclass.io.progress as progress

    logged = _run(command, catalogues)
    assert "\r" not in logged.stderr and "%|" not in logged.stderr, repr(logged.stderr)  # a log: no bar
    assert f"{command}: science check 3 of 3" in logged.stderr, logged.stderr  # its lines, as before
    assert "reading and pairing" not in logged.stderr, logged.stderr
    monkeypatch.setattr(progress, "on_terminal", lambda stream=None: True)
    at_terminal = _run(command, catalogues)
    err = at_terminal.stderr
    first = err.index(f"{command}: reading and pairing the catalogues ...\n")
    boot = re.search(BAR.format(desc=re.escape("bootstrap (pred vs truth)")), err)
    sections = re.search(BAR.format(desc=f"{command}: drawing the sections"), err)
    assert boot and sections, repr(err)
    assert first < boot.start() < sections.start(), repr(err)  # in the order they run
    assert boot["n"] == "7"
    # the catalogue's and metrics' sections, curves, trust, agreement and three science checks: more than a few
    assert int(sections["n"]) >= 6, repr(err)
    assert not re.search(r"^\d\d:\d\d:\d\d ", err, re.M), repr(err)  # no log line where the bars are
    quiet = _run(command, catalogues, "--no-progress")
    assert quiet.stderr == "", repr(quiet.stderr)
    if command == "evaluate":  # report's stdout names the page, the same path each time
        assert "class: accuracy " in logged.stdout
    assert logged.stdout == at_terminal.stdout == quiet.stdout
