"""A model folder named ``model`` is quoted where a message says "model M": "model 'model' was trained ...".

Found walking the docs (2026-12-07), where the model folder is called ``model``: messages read "model model
was trained on (its record of training rows)" and "model model: give the model directory", a doubled word
that reads as a typo. :func:`starclass.errors.model_word` names the folder in every such message; other
names are printed as before.
"""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from starclass.cli import app
from starclass.learn.provenance import in_sample_words

runner = CliRunner()


def test_the_in_sample_warning_quotes_a_model_named_model():
    said = in_sample_words(3, 5, Path("model"))
    assert "model 'model' was trained on" in said and "model model" not in said, said
    assert "model runs/m1 was trained on" in in_sample_words(3, 5, Path("runs/m1"))  # other names as they were


def test_calibrate_refusal_quotes_a_model_named_model(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "held.csv").write_text("file,label\n")
    res = runner.invoke(app, ["calibrate", "model", "--stamps", "held.csv"])
    assert res.exit_code == 2, res.output
    assert "model 'model'" in res.output and "model model" not in res.output, res.output
