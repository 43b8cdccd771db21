"""``starclass evaluate`` reads its catalogue once, and says its first line before it reads anything.

Its "nothing to compare" check (``check_comparable``, made before the output folder is looked at) read the
catalogue, and the evaluation then read the same file again; the line ``evaluate: reading and pairing the
catalogues ...`` came after the check, 1.97 s after the start (median of 5, ``benchmarks/startup.py``), the
slowest first line of any verb. The check now hands the table it read to the evaluation. The line's place before
the imports is checked in ``tests/test_first_line_imports.py``; the order of the refusals in
``tests/test_evaluate_input_before_output.py``, ``tests/test_safe_outputs.py`` and
``tests/test_evaluate_warn_once.py``.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

import starclass.evaluate.compare as compare
from starclass.cli import app

# the evaluations' and reports' figures are built but not rendered to PNG (conftest's unrendered_figures): these
# tests read the printed lines, tables and pages around them, and rendering was about half of each command
pytestmark = pytest.mark.usefixtures("unrendered_figures")

runner = CliRunner()


def _catalogues(folder: Path) -> tuple[Path, list[str]]:
    from starclass.datasets.catalogs import fake_catalogs

    pred, truth = fake_catalogs(80, seed=3)
    pred.write(folder / "pred.ecsv")
    truth.write(folder / "truth.ecsv")
    return folder / "pred.ecsv", ["-r", str(folder / "truth.ecsv")]


def _cutouts(folder: Path, *, index: bool = False) -> tuple[Path, list[str]]:
    rng = np.random.default_rng(5)
    n = 30
    label = np.where(rng.random(n) < 0.5, "cluster", "galaxy")
    p1 = np.clip(np.where(label == "cluster", 0.7, 0.3) + rng.normal(0, 0.15, n), 0.01, 0.99)
    path = folder / "out.csv"
    Table({"file": [f"c{i}.png" for i in range(n)], "label": label, "class_pred": np.where(p1 >= 0.5, 1, 2),
           "prob_1": p1, "prob_2": 1 - p1}).write(path, format="ascii.csv")
    if index:
        # pandas' to_csv: a first column without a name holding the row number (a reading warning)
        lines = path.read_text().splitlines()
        path.write_text("\n".join(["," + lines[0]] + [f"{i},{ln}" for i, ln in enumerate(lines[1:])]) + "\n")
    return path, ["--label-column", "label", "--task", "m31-real"]


def _count_reads(monkeypatch) -> list[Path]:
    """The paths the catalogue reader is asked for, in order (a cutout table is asked first, then read as one)."""
    asked: list[Path] = []
    real = compare.read_catalog

    def counted(path, *args, **kwargs):
        asked.append(Path(path).resolve())
        return real(path, *args, **kwargs)

    monkeypatch.setattr(compare, "read_catalog", counted)
    return asked


@pytest.mark.parametrize("make", [_catalogues, _cutouts], ids=["catalogue", "cutout-table"])
def test_the_catalogue_is_read_once(tmp_path, monkeypatch, make):
    pred, more = make(tmp_path)
    asked = _count_reads(monkeypatch)
    res = runner.invoke(app, ["evaluate", str(pred), *more, "--bootstrap", "0", "--no-science",
                              "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    assert "class: accuracy " in res.stdout  # the evaluation did run on the table handed on
    assert asked.count(pred.resolve()) == 1, asked


def test_a_refused_catalogue_is_read_once_too(tmp_path, monkeypatch):
    pred = tmp_path / "flat.csv"
    Table({"file": ["a.png", "b.png"], "class_pred": [1, 2], "prob_1": [0.7, 0.2], "prob_2": [0.3, 0.8]}).write(pred)
    asked = _count_reads(monkeypatch)
    res = runner.invoke(app, ["evaluate", str(pred), "--task", "galaxy-cluster", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 2 and "nothing to compare" in res.output, res.output
    assert asked.count(pred.resolve()) == 1, asked
    assert not (tmp_path / "ev").exists()


def test_its_reading_warnings_are_said_once_when_it_is_scored(tmp_path):
    """Read once, its warnings (here pandas' index column) are said by the command: none were lost."""
    pred, more = _cutouts(tmp_path, index=True)
    res = runner.invoke(app, ["evaluate", str(pred), *more, "--bootstrap", "0", "--no-science",
                              "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    said = [ln for ln in res.output.splitlines() if ln.startswith("warning:") and "first column has no name" in ln]
    assert len(said) == 1, res.output
    assert said[0].index(str(pred)) > 0  # naming the file
