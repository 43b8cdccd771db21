"""A survey's tile warnings read as every command's ``warning:`` lines: no category name, the command line's words.

A process worker (the survey's default LocalCluster) printed a tile's warnings itself, in words of its own:
``warning: (ConformalSetsWarning) conformal sets at coverage 0.9: too few calibration rows ...; calibrate the
model on at least 10 held-out rows of each class (starclass.learn.calibration.calibrate_model(...)), or ask for
a coverage of at most 0.79 (the coverage argument of CNNClassifier.predict_set or learn.classify.trust_columns)``
(seen on `starclass survey sims/plan.yaml --model model/ -o run/` over two simulated M31 fields, a model trained
3 epochs): a notebook's remedy in a command's output, where ``classify`` says ``'starclass calibrate'``. The
survey has no coverage setting (its sets are classify's at 0.9), which the line now says.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from starclass.learn.conformal import ClassConditionalConformal
from starclass.survey import work


@pytest.fixture
def process_worker():
    """This thread as a process worker's task of one survey: warnings printed by the survey's hook."""
    work._TASK.survey = "walk-test"
    work._held_notes()  # nothing left over from another test
    yield
    work._held_notes()
    work._TASK.survey = None


def _few_rows_warning() -> None:
    rng = np.random.default_rng(0)
    probs = rng.dirichlet([1.0, 1.0], 40)
    y = np.r_[np.zeros(36, int), np.ones(4, int)]  # 4 rows of the second class: too few for 0.9
    cp = ClassConditionalConformal(seed=0, class_labels=["1 (cluster)", "2 (non-cluster)"]).fit(probs, y)
    cp.predict_set(probs[:3], coverage=0.9)


def test_a_tile_s_conformal_warning_says_the_command_line_s_remedy(process_worker, capsys):
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.showwarning = work._print_warning  # as print_warnings_as_lines sets it in a worker process
        _few_rows_warning()
    notes = work._held_notes()
    assert len(notes) == 1, notes
    line = notes[0]
    assert line.startswith("warning: conformal sets at coverage 0.9: too few calibration rows"), line
    assert "ConformalSetsWarning" not in line and "calibrate_model" not in line and "predict_set" not in line, line
    assert "('starclass calibrate')" in line, line
    assert "the survey's sets are at 0.9" in line, line


def test_other_categories_keep_their_name(process_worker):
    with warnings.catch_warnings():
        warnings.simplefilter("always")
        warnings.showwarning = work._print_warning
        warnings.warn("an old option", DeprecationWarning, stacklevel=1)
        warnings.warn("band g is constant", UserWarning, stacklevel=1)
    assert work._held_notes() == ["warning: (DeprecationWarning) an old option", "warning: band g is constant"]


def test_a_thread_worker_shows_the_words_a_process_worker_prints(capsys):
    """Thread workers (in the client's own process) showed ``(classify --coverage)`` without the survey's note."""
    import os

    from starclass.cli._app import show_warning
    from starclass.survey.tiles import Tile

    job = work.TileJob("north", Tile(0, 0, core=(0, 64, 0, 64), window=(0, 64, 0, 64)), (64, 64), {}, "model",
                       "abc", "none", 64, None, 4.0, "t.parquet", "d1", client_pid=os.getpid(), survey="walk-thread")
    work._TASK.survey = "walk-thread"
    work._held_notes()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always")
            warnings.showwarning = show_warning  # the command line's hook, as survey's CLI sets it
            with work.keep_thread_warnings(job) as lines:
                _few_rows_warning()
            held = work._held_notes()
    finally:
        work._TASK.survey = None
    assert lines is False  # a thread worker: shown as raised, not printed by the client
    shown = [ln for ln in capsys.readouterr().err.splitlines() if ln.startswith("warning: ")]
    assert len(shown) == 1 and len(held) == 1, (shown, held)
    assert "the survey's sets are at 0.9" in shown[0], shown
    assert shown == held  # one wording for the screen and the tile's file, as a process worker's
