"""``evaluate`` of a catalogue with no class at all (detect's candidates) is refused first, saying the next step.

A new user's first try after ``detect`` is ``evaluate cands.ecsv -r field/truth.ecsv``. Until 2026-12-07 the
command said its start line (``evaluate: cands.ecsv, 291 rows: pairing with the references, bootstrapping and
drawing the evaluation ...``) and only then ``error: ... has neither class_pred nor class_ref``, though
docs/cli.md promises that a refused command's first line is its ``error:``; with the output folder there it
asked for ``--overwrite`` first, and only the re-run said there was nothing to compare. The refusal now comes
before both, and names ``classify`` as the step that gives the catalogue its classes.
"""

from __future__ import annotations

import numpy as np
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()


def _files(tmp_path):
    rng = np.random.default_rng(5)
    n = 30
    x, y = rng.uniform(0, 99, n), rng.uniform(0, 99, n)
    Table({"id": np.arange(1, n + 1), "x": x, "y": y, "mag_f555w": rng.uniform(20, 25, n)}).write(
        tmp_path / "cands.ecsv")
    Table({"id": np.arange(1, n + 1), "x": x, "y": y, "class_ref": rng.integers(1, 5, n)},
          meta={"classes": [1, 2, 3, 4]}).write(tmp_path / "truth.ecsv")


def test_candidates_without_classes_are_refused_before_the_start_line_and_name_classify(tmp_path, monkeypatch):
    _files(tmp_path)
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(app, ["evaluate", "cands.ecsv", "-r", "truth.ecsv", "-o", "ev", "--bootstrap", "0"])
    assert res.exit_code == 2, res.output
    assert "pairing with the references" not in res.output
    assert res.output.lstrip().startswith("error: cands.ecsv has neither class_pred nor class_ref")
    assert "starclass classify MOSAICS -c cands.ecsv --model MODEL" in res.output
    assert not (tmp_path / "ev").exists()


def test_the_refusal_comes_before_the_question_of_overwrite(tmp_path, monkeypatch):
    _files(tmp_path)
    (tmp_path / "ev").mkdir()
    (tmp_path / "ev" / "summary.json").write_text("{}")
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(app, ["evaluate", "cands.ecsv", "-r", "truth.ecsv", "-o", "ev", "--bootstrap", "0"])
    assert res.exit_code == 2, res.output
    assert "has neither class_pred nor class_ref" in res.output
    assert "--overwrite" not in res.output.split("(columns:")[0]
    assert (tmp_path / "ev" / "summary.json").read_text() == "{}"


def test_the_refusal_of_a_wide_catalogue_lists_a_few_columns_not_all(tmp_path, monkeypatch):
    """The refusal of a detect catalogue (36 columns) listed every column after the next step, which was lost
    in them: it names the columns that could hold a class, or the first few, and how many more."""
    rng = np.random.default_rng(2)
    n = 10
    cols = {"id": np.arange(1, n + 1), "x": rng.uniform(0, 99, n), "y": rng.uniform(0, 99, n)}
    cols.update({f"flux_b{i:02d}": rng.uniform(0, 1, n) for i in range(33)})
    Table(cols).write(tmp_path / "wide.ecsv")
    cols["expert_class"] = rng.integers(1, 5, n)
    Table(cols).write(tmp_path / "expert.ecsv")
    Table({"id": np.arange(1, n + 1), "x": cols["x"], "y": cols["y"], "class_ref": rng.integers(1, 5, n)},
          meta={"classes": [1, 2, 3, 4]}).write(tmp_path / "truth.ecsv")
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(app, ["evaluate", "wide.ecsv", "-r", "truth.ecsv", "-o", "ev", "--bootstrap", "0"])
    text = " ".join(res.output.split())
    assert res.exit_code == 2, text
    assert "starclass classify MOSAICS -c wide.ecsv --model MODEL" in text, text
    assert "flux_b32" not in text and "and 32 more" in text, text
    assert text.index("classify MOSAICS") < text.index("columns: id"), text
    res = runner.invoke(app, ["evaluate", "expert.ecsv", "-r", "truth.ecsv", "-o", "ev", "--bootstrap", "0"])
    text = " ".join(res.output.split())
    assert res.exit_code == 2, text
    assert "columns that could hold a class: expert_class; 36 other columns" in text, text
    assert "flux_b00" not in text, text
