"""``evaluate --catalogs DIR`` and ``report --catalogs DIR`` into a log file say how far the study has got.

Until 2026-12-06 both said nothing on stderr until they ended (31 s and 37 s on the 16 LEGUS fields under
load, most of it the leave-one-galaxy-out ladder): the one-catalogue forms said their steps in
:class:`starclass.io.progress.Progress`'s timed lines, the ``--catalogs`` forms none. Now the catalogues
read, the per-field tables and the ladder's models are said there (CliRunner's stderr is no terminal: the
log-file case); stdout is unchanged, and at a terminal no line is said. The figures drawn after the ladder
said nothing in a log until 2026-12-06 (3-5 s after the ladder's last line); now they say their own lines.
"""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.datasets.catalogs import write_fake_legus_folder

#: A line of the study as the command line writes it into a log (Progress's, timed)
LINE = re.compile(r"^\d\d:\d\d:\d\d --catalogs: (?P<step>reading|per-field tables|leave-one-galaxy-out ladder|"
                  r"figures): (?P<n>\d+) of (?P<total>\d+) (?P<noun>catalogues|tables|models|figures) \(\d+%\), "
                  r"(?:\d+ h \d\d min|(?:\d+ min )?\d+ s)$")


@pytest.fixture(scope="module")
def legus(tmp_path_factory):
    return write_fake_legus_folder(tmp_path_factory.mktemp("fake") / "legus", n=120)  # 3 fields of 2+ galaxies


def _run(command: str, legus, out):
    res = CliRunner().invoke(app, [command, "--catalogs", str(legus), "-o", str(out), "--min-inspected", "10",
                                   "--overwrite"])
    assert res.exit_code == 0, res.output
    return res


@pytest.mark.parametrize("command", ["evaluate", "report"])
def test_catalogs_into_a_log_says_the_files_read_and_the_study_steps(command, legus, tmp_path, monkeypatch):
    import starclass.io.progress as progress

    out = tmp_path / ("ev" if command == "evaluate" else "rep.html")
    logged = _run(command, legus, out)
    said = [LINE.match(ln) for ln in logged.stderr.splitlines() if LINE.match(ln)]
    steps = [(m["step"], m["n"], m["total"], m["noun"]) for m in said]
    n_models = 2 * 4 * 3  # two tasks, four rules, three galaxies left out in turn
    assert steps == [("reading", "0", "3", "catalogues"), ("reading", "3", "3", "catalogues"),
                     ("per-field tables", "0", "6", "tables"), ("per-field tables", "6", "6", "tables"),
                     ("leave-one-galaxy-out ladder", "0", str(n_models), "models"),
                     ("leave-one-galaxy-out ladder", str(n_models), str(n_models), "models"),
                     # the summary and the mass-age figures, drawn after the ladder (3-5 s on the 16 LEGUS fields,
                     # silent in a log until 2026-12-06)
                     ("figures", "0", "2", "figures"), ("figures", "2", "2", "figures")], logged.stderr
    assert "\r" not in logged.stderr, repr(logged.stderr)  # lines, no bar's redraws
    assert not any(LINE.match(ln) for ln in logged.stdout.splitlines()), logged.stdout
    # at a terminal no line is shown, but each step's bar (until 2026-12-06 nothing: these commands have no
    # --progress, and a person there saw nothing for 20-40 s on the 16 LEGUS fields); stdout the same
    monkeypatch.setattr(progress, "on_terminal", lambda stream=None: True)
    at_terminal = _run(command, legus, out)
    assert not any(LINE.match(ln) for ln in at_terminal.output.splitlines()), at_terminal.output
    for step, total in (("reading", 3), ("per-field tables", 6), ("leave-one-galaxy-out ladder", n_models),
                        ("figures", 2)):
        assert re.search(rf"--catalogs: {step}: 100%\|[^\r\n]*\| {total}/{total} ", at_terminal.stderr), \
            repr(at_terminal.stderr)
    assert "3 fields from" in logged.stdout and logged.stdout == at_terminal.stdout
