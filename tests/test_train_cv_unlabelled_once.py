"""``train --cv K`` says once how many candidates no output class takes, and counts only those.

Until 2026-12-06 each fold's training said "N candidates without an output class are left out of
training" again, and N counted the fold's held-out rows too (hidden from its training as "no class"):
4 candidates of a class the task drops read "12 candidates" twice on two folds of 16.
"""

from __future__ import annotations

import re

from typer.testing import CliRunner

from starclass.cli import app

LEFT = re.compile(r"^\d\d:\d\d:\d\d (?P<n>\d+) candidates without an output class are left out of training$")


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
