"""``train --cv K`` says once how many candidates no output class takes, and counts only those.

Until 2026-12-06 each fold's training said "N candidates without an output class are left out of
training" again, and N counted the fold's held-out rows too (hidden from its training as "no class"):
4 candidates of a class the task drops read "12 candidates" twice on two folds of 16.

The rows of a cutout folder are cutouts, not detected candidates: until 2026-12-07 the line, the folds'
held-out bars and their refusals called them candidates (``starclass.errors.row_noun`` names them now).
"""

from __future__ import annotations

import re

from typer.testing import CliRunner

from starclass.cli import app

LEFT = re.compile(r"^\d\d:\d\d:\d\d (?P<n>\d+) cutouts without an output class are left out of training$")


def _labelled_with_a_dropped_class(tmp_path, n_dropped: int) -> list[str]:
    from conftest import write_noise_cutout_folder  # tests/ is on sys.path under pytest
    from starclass.learn.config import get_preset, save_config

    labels = write_noise_cutout_folder(tmp_path / "data", size=16, n=16 + n_dropped)
    rows = labels.read_text().splitlines()
    # the last rows are stars, a label the task maps to a class its merge drops (no output class)
    rows[17:] = [row.rsplit(",", 1)[0] + ",star" for row in rows[17:]]
    labels.write_text("\n".join(rows) + "\n")
    cfg = get_preset("m31-real").copy(name="mine", stamp_size=16, label_map={"cluster": 1, "galaxy": 2, "star": 3},
                                      merge={1: 1, 2: 2, 3: 0},
                                      recipe={"epochs": 1, "batch_size": 4, "val_fraction": 0.25})
    return ["train", "--task", str(save_config(cfg, tmp_path / "task.yaml")), "--stamps", str(labels),
            "--device", "cpu"]


def test_train_cv_says_the_candidates_without_an_output_class_once(tmp_path, single_thread):
    res = CliRunner().invoke(app, [*_labelled_with_a_dropped_class(tmp_path, 4), "-o", str(tmp_path / "cv"),
                                   "--cv", "2"])
    assert res.exit_code == 0, res.output
    said = [m["n"] for m in map(LEFT.match, res.stderr.splitlines()) if m]
    assert said == ["4"], res.stderr  # once, of the 4 stars only, not of each fold's held-out rows too
    assert res.stderr.count("fold 1/2: training") == 1 and res.stderr.count("fold 2/2: training") == 1, res.stderr


def test_train_without_cv_still_says_them(tmp_path, single_thread):
    res = CliRunner().invoke(app, [*_labelled_with_a_dropped_class(tmp_path, 3), "-o", str(tmp_path / "m")])
    assert res.exit_code == 0, res.output
    assert [m["n"] for m in map(LEFT.match, res.stderr.splitlines()) if m] == ["3"], res.stderr


def test_the_folds_call_a_cutout_folders_rows_cutouts(tmp_path, single_thread):
    res = CliRunner().invoke(app, [*_labelled_with_a_dropped_class(tmp_path, 2), "-o", str(tmp_path / "cv"),
                                   "--cv", "2"])
    assert res.exit_code == 0, res.output
    assert "candidate" not in res.stderr, res.stderr  # the folder's rows are cutouts: nobody detected them
    assert "held-out cutouts" in res.stderr, res.stderr  # each fold's pass over its held-out rows


def test_a_fold_refusal_calls_a_cutout_folders_rows_cutouts(tmp_path, single_thread):
    # 16 labelled rows, 8 of each class: 9 folds would leave a fold without a class
    res = CliRunner().invoke(app, [*_labelled_with_a_dropped_class(tmp_path, 0), "-o", str(tmp_path / "cv"),
                                   "--cv", "9"])
    assert res.exit_code == 2, res.output
    assert "labelled cutouts, fewer than the 9 folds" in res.output, res.output
    assert not (tmp_path / "cv").exists()


def test_leave_one_galaxy_out_on_a_cutout_folder_says_what_is_missing(tmp_path):
    res = CliRunner().invoke(app, [*_labelled_with_a_dropped_class(tmp_path, 0), "-o", str(tmp_path / "cv"),
                                   "--cv", "logo"])
    assert res.exit_code == 2, res.output
    assert "galaxy (or field) of every cutout, which a cutout folder does not record" in res.output, res.output
