"""The few-rows note under the ECE gives a reason that holds for the probabilities scored.

Walking 10 PAndAS FITS cutouts classified by a model calibrated to T = 0.05 (probabilities of 0 and 1),
``evaluate`` printed "a perfectly calibrated model would show 0.0005 at this n (10 rows; 95th percentile
0.0000)" and on the next line "perfectly calibrated probabilities would also score an ECE near 0.1 or more":
the two contradicted each other. The note now says what holds whatever the probabilities: one row right or
wrong moves the ECE by up to 1/n.
"""

from __future__ import annotations

import numpy as np
import pytest

from starclass.evaluate.reliability import expected_calibration_error, trust_study


def _largest_move_by_one_row(probs: np.ndarray, y: np.ndarray) -> float:
    """The largest change of the ECE when one row's label is made right (or wrong), found by trying each row."""
    base = expected_calibration_error(probs, y)
    top = probs.argmax(axis=1)
    moves = []
    for i in range(len(y)):
        flipped = y.copy()
        flipped[i] = top[i] if y[i] != top[i] else (top[i] + 1) % probs.shape[1]
        moves.append(abs(expected_calibration_error(probs, flipped) - base))
    return max(moves)


@pytest.mark.parametrize("confident", [True, False])
def test_the_note_names_how_far_one_row_moves_the_ece_and_no_floor_it_contradicts(confident):
    n = 10
    rng = np.random.default_rng(3)
    p1 = np.where(rng.random(n) < 0.5, 1 - 1e-6, 1e-6) if confident else rng.uniform(0.3, 0.9, n)
    probs = np.column_stack([p1, 1 - p1])
    y = (rng.random(n) < 0.3).astype(int) ^ (p1 < 0.5).astype(int)  # three or so wrong
    t = trust_study(probs, y, probs.argmax(axis=1), {}, [1, 2])
    note = t.few_rows()
    assert note.startswith("ECE and the reliability diagram from 10 rows are not meaningful (fewer than 100")
    # the figure it gives is what one row does to this ECE, tried row by row
    assert "1/10 = 0.100" in note
    assert _largest_move_by_one_row(probs, y) == pytest.approx(0.1, abs=1e-9)
    # and it says nothing of a perfectly calibrated model's ECE, which the floor line gives (here near 0)
    assert "perfectly calibrated" not in note
    if confident:
        mean, p95 = t.ece_floor
        assert mean < 0.01 and p95 < 0.01  # the floor of probabilities of 0 and 1: no noise at all
    assert trust_study(np.tile([[0.8, 0.2]], (100, 1)), np.zeros(100, int), np.zeros(100, int), {},
                       [1, 2]).few_rows() is None
