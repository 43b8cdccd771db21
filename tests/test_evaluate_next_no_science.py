"""``evaluate``'s 'next:' report command carries ``--no-science`` where evaluate drew no science check.

Until 2026-12-07 ``starclass evaluate pred.ecsv -r truth.ecsv --no-science`` ended with "next: the same figures
as one page: 'starclass report pred.ecsv --reference truth.ecsv'": the report it suggested ran the science
checks the user had turned off (17-37 s of a report), as it did for a catalogue those checks can use nothing of
(no magnitudes), whose page then said only what is missing. ``report`` takes ``--no-science`` since 2026-12-07.
"""

from __future__ import annotations

import shlex

import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.datasets.catalogs import fake_catalogs
from starclass.report.build import SCIENCE_CHECKS

# the figures are built, not rendered to PNG (conftest): the test reads the printed lines and the page's sections
pytestmark = pytest.mark.usefixtures("unrendered_figures")

runner = CliRunner()


@pytest.fixture(scope="module")
def catalogues(tmp_path_factory):
    d = tmp_path_factory.mktemp("cats")
    pred, truth = fake_catalogs(60, seed=0)
    pred.write(d / "pred.ecsv")
    truth.write(d / "truth.ecsv")
    # the same classes and scores, without the magnitudes, masses and ages the science checks read
    bare = pred.copy()
    bare.keep_columns(["id", "x", "y", "class_pred", "prob_1", "prob_2", "prob_3", "prob_4"])
    bare["class_ref"] = truth["class_ref"]
    bare.write(d / "bare.ecsv")
    return d


def _next_words(tmp_path, *args: str) -> list[str]:
    res = runner.invoke(app, ["evaluate", *args, "--bootstrap", "0", "-o", str(tmp_path / "ev"), "--no-progress"])
    assert res.exit_code == 0, res.output
    last = res.stdout.strip().splitlines()[-1]
    assert last.startswith("next: the same figures as one page: '"), last
    return shlex.split(last.split(": ", 2)[2])[0].split()


def test_no_science_is_carried_into_the_report_command(tmp_path, catalogues):
    words = _next_words(tmp_path, str(catalogues / "pred.ecsv"), "-r", str(catalogues / "truth.ecsv"),
                        "--no-science")
    assert words[-1] == "--no-science", words
    # the command as suggested runs, and its page has no science check
    out = tmp_path / "page.html"
    res = runner.invoke(app, [*words[1:], "-o", str(out), "--no-progress"])
    assert res.exit_code == 0, res.output
    assert not [t for t in SCIENCE_CHECKS if t in out.read_text()]


def test_science_drawn_is_not_turned_off_in_the_report_command(tmp_path, catalogues):
    words = _next_words(tmp_path, str(catalogues / "pred.ecsv"), "-r", str(catalogues / "truth.ecsv"),
                        "--distance", "10")
    assert "--no-science" not in words, words
    assert list((tmp_path / "ev" / "tables").glob("box_counts*.ecsv"))  # the colour check did draw


def test_a_catalogue_the_science_checks_cannot_use_suggests_no_science(tmp_path, catalogues):
    words = _next_words(tmp_path, str(catalogues / "bare.ecsv"))
    assert words[-1] == "--no-science", words


@pytest.mark.slow  # the many-field study of three fields: 7 CPU s
def test_no_science_with_catalogs_is_carried_too(tmp_path):
    from starclass.datasets.catalogs import write_fake_legus_folder

    legus = write_fake_legus_folder(tmp_path / "legus", n=120)
    res = runner.invoke(app, ["evaluate", "--catalogs", str(legus), "--min-inspected", "10", "--no-science",
                              "-o", str(tmp_path / "many"), "--no-progress"])
    assert res.exit_code == 0, res.output
    last = res.stdout.strip().splitlines()[-1]
    assert last.endswith(" --no-science'") and "--catalogs" in last, last
