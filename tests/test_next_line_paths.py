"""The paths ``next:`` lines name, and the report command proposed after ``train --cv`` of a cutout folder.

On a walk through the PAndAS cutouts (2026-12-07): ``train --stamps pandas-m31 --cv 5`` proposed ``evaluate
CV/cv_predictions.ecsv``, whose ``next:`` line was ``starclass report CV/cv_predictions.ecsv --no-science``:
run as printed, a page without the gallery of the worst mistakes (no ``--stamps``). And evaluate of a
``classify --stamps ... --model m31_model`` output named the model ``/tmp/me/m31_model``, the absolute path
the table records, to the user in /tmp/me who had typed ``m31_model``.
"""

from __future__ import annotations

import os
import shlex
from pathlib import Path

import numpy as np
import pytest
from astropy.table import Table
from PIL import Image
from typer.testing import CliRunner

from starclass.cli import app
from starclass.cli.evaluate_cmd import classified_from
from starclass.io.paths import short_path

pytestmark = pytest.mark.usefixtures("unrendered_figures")  # conftest: figures built, not rendered
runner = CliRunner()


def _report_words(output: str) -> list[str]:
    """The ``starclass report`` command of evaluate's next: line, as words."""
    line = next(ln for ln in output.splitlines() if ln.startswith("next: the same figures as one page"))
    quoted = [w for w in shlex.split(line) if w.startswith("starclass report ")]
    assert len(quoted) == 1, line
    return shlex.split(quoted[0])[1:]


@pytest.mark.usefixtures("single_thread")
def test_the_report_command_after_train_cv_of_cutouts_gives_the_gallery_as_printed(tmp_path, monkeypatch):
    from starclass.learn.config import get_preset, save_config

    cuts = tmp_path / "cuts"
    rng = np.random.default_rng(3)
    rows = []
    for k in range(12):
        label = ("cluster", "galaxy")[k % 2]
        (cuts / label).mkdir(parents=True, exist_ok=True)
        Image.fromarray(rng.integers(0, 255, (16, 16), dtype=np.uint8)).save(cuts / f"{label}/o{k:02d}.png")
        rows.append(f"{label}/o{k:02d}.png,{label}\n")
    (cuts / "labels.csv").write_text("file,label\n" + "".join(rows))
    cfg = get_preset("m31-real", stamp_size=16, recipe={"epochs": 1, "batch_size": 8, "val_fraction": 0.25})
    save_config(cfg, tmp_path / "task.yaml")
    monkeypatch.chdir(tmp_path)
    res = runner.invoke(app, ["train", "--task", "task.yaml", "--stamps", "cuts", "--cv", "2", "-o", "cv",
                              "--no-progress"])
    assert res.exit_code == 0, res.output
    # train's own next: line names the table from here, as typed
    assert "'starclass evaluate cv/cv_predictions.ecsv -o cv_evaluation'" in res.output, res.output
    res = runner.invoke(app, ["evaluate", "cv/cv_predictions.ecsv", "--bootstrap", "0", "-o", "ev", "--no-progress"])
    assert res.exit_code == 0, res.output
    words = _report_words(res.output)
    assert "--stamps" in words, words
    assert Path(words[words.index("--stamps") + 1]).resolve() == cuts.resolve()
    assert "--model" not in words  # each row's model is the fold that held it out: no one model explains them
    res = runner.invoke(app, [*words, "-o", "page.html"])  # run as printed (the page named, to read it)
    assert res.exit_code == 0, res.output
    assert "Worst mistakes" in (tmp_path / "page.html").read_text()


def test_a_recorded_model_under_the_working_folder_is_named_from_it(tmp_path, monkeypatch):
    work = tmp_path / "work"
    (work / "m31_model").mkdir(parents=True)
    (work / "cut").mkdir()
    (work / "cut" / "test.csv").write_text("file,label\na.png,cluster\n")
    t = Table({"file": ["a.png"], "class_pred": [1], "model": [str(work / "m31_model")],
               "cutout_list": [str(work / "cut" / "test.csv")]})
    monkeypatch.chdir(work)
    # the table records absolute paths; the user, in work/, typed m31_model and cut/test.csv
    assert classified_from(t, "out.csv") == {"--model": "m31_model", "--stamps": os.path.join("cut", "test.csv")}
    outside = tmp_path / "elsewhere" / "m"
    t["model"] = [str(outside)]
    assert classified_from(t, "out.csv")["--model"] == str(outside)  # not under it: absolute, as recorded


def test_short_path_names_paths_under_the_working_folder_from_it(tmp_path, monkeypatch):
    (tmp_path / "a" / "b").mkdir(parents=True)
    os.symlink(tmp_path / "a", tmp_path / "link")
    monkeypatch.chdir(tmp_path / "a")
    assert short_path(tmp_path / "a" / "b" / "m") == os.path.join("b", "m")
    assert short_path(tmp_path / "link" / "b") == "b"  # through a link to here
    assert short_path(tmp_path / "a") == "."
    assert short_path(tmp_path / "other") == str(tmp_path / "other")  # not under it: absolute
    assert short_path("../other") == "../other"  # shorter walked up, as typed
    assert short_path("b/m") == "b/m"
