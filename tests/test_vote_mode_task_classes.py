"""``train --label-model mode`` takes the mode of the votes as the task reads them (merged first).

Before: the mode was taken over the people's reference classes (1-4) and merged into the task's
classes afterwards, so five people voting 1, 1, 2, 3, 3 for a binary task (1+2 against 3+4),
three of them for a cluster, gave the candidate a non-cluster target (classes 1 and 3 tied, 3
nearer their mean). Each check below counts the merged votes by hand (``collections.Counter``)
and breaks a tie as documented (``starclass.schema.vote_mode``: the tied class nearest the mean
of the votes, the higher when equally near), for binary, three-, four- and five-class tasks.
"""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest
from astropy.table import Table

from starclass.learn.config import get_preset
from starclass.learn.labels import joint_with_votes, votes_for_catalogue

BINARY = {"classes": [1, 2], "class_names": ["cluster", "non-cluster"], "merge": {1: 1, 2: 1, 3: 2, 4: 2}}
THREE = {"classes": [1, 2, 3], "class_names": ["cluster", "association", "non-cluster"],
         "merge": {1: 1, 2: 1, 3: 2, 4: 3}}
THREE_DROP = {"classes": [1, 2, 3], "class_names": ["a", "b", "c"], "merge": {1: 1, 2: 2, 3: 3, 4: 0}}
FOUR = {}  # legus4 itself: no merge
FIVE = {"classes": [1, 2, 3, 4, 5], "class_names": ["a", "b", "c", "d", "e"],
        "merge": {1: 1, 2: 1, 3: 2, 4: 3, 5: 4, 6: 5}}


def _table(rows) -> Table:
    width = max(len(r) for r in rows)
    a = np.array([list(r) + [0] * (width - len(r)) for r in rows])
    return Table({"id": np.arange(1, len(a) + 1), **{f"class_h{h + 1}": a[:, h] for h in range(width)}})


def _hand_mode(row, merge) -> int:
    """The documented mode of one candidate's votes after the merge, counted by hand (0: none)."""
    mapped = [merge.get(v, v) if merge else v for v in row if v > 0]
    mapped = [v for v in mapped if v > 0]  # merge 0: the task leaves that class out, no vote
    if not mapped:
        return 0
    counts = Counter(mapped)
    top = max(counts.values())
    tied = sorted(c for c, n in counts.items() if n == top)
    mean = sum(mapped) / len(mapped)
    best = min(abs(c - mean) for c in tied)
    return max(c for c in tied if abs(abs(c - mean) - best) < 1e-9)


def _trained_classes(task: dict, rows) -> list[int]:
    cfg = get_preset("legus4", **task)
    vt = votes_for_catalogue(cfg, _table(rows), None, model="mode")
    return [int(np.asarray(cfg.classes)[t.argmax()]) if t.sum() > 0 else 0 for t in vt.targets]


@pytest.mark.parametrize(("task", "row", "expect"), [
    (BINARY, [1, 1, 2, 3, 3], 1),  # three of five said cluster (1 or 2): was non-cluster (1, 3 tied, 3 nearer)
    (BINARY, [1, 2, 3, 3, 1], 1),  # the same votes in another order
    (BINARY, [2, 2, 1, 4, 4], 1),
    (BINARY, [3, 3, 4, 1, 1], 2),  # three of five said non-cluster
    (BINARY, [1, 1, 3, 4], 2),  # two against two: the tie goes to the higher task class (was cluster, class 1's 2)
    (BINARY, [1, 2, 3, 3], 2),  # two against two (the report's example): non-cluster before and after
    (THREE, [1, 2, 1, 2, 4, 4, 4], 1),  # four say 1 or 2 (cluster), three say 4: was non-cluster
    (THREE, [1, 2, 3, 3, 4], 2),  # cluster 2, association 2: tied, mean 1.8 nearer 2
    (THREE_DROP, [4, 4, 1], 1),  # the task leaves class 4 out: its votes are no votes
    (THREE_DROP, [4, 4, 4], 0),  # nothing left: no target
    (FOUR, [1, 1, 2, 3, 3], 3),  # no merge: the four-class mode (1 and 3 tied, mean 2, the higher)
    (FIVE, [1, 2, 3, 3, 6], 2),  # reference 1 and 2 are task class 1: two against task class 2's two, mean 2.2
    (FIVE, [1, 2, 1, 3, 3, 6], 1),  # three say task class 1: was 2 (reference 1 and 3 tied, 3 nearer the mean)
])
def test_the_mode_is_taken_over_the_tasks_classes(task, row, expect):
    assert _hand_mode(row, task.get("merge")) == expect  # the hand count says so too
    assert _trained_classes(task, [row]) == [expect]


@pytest.mark.parametrize("task", [BINARY, THREE, THREE_DROP, FOUR, FIVE], ids=["binary", "three", "three-drop",
                                                                                "four", "five"])
def test_the_mode_matches_a_hand_count_on_random_votes(task):
    ref = sorted(task["merge"]) if task.get("merge") else [1, 2, 3, 4]
    rng = np.random.default_rng(5)
    rows = [list(rng.choice([0] + ref, size=6, p=[0.2] + [0.8 / len(ref)] * len(ref))) for _ in range(400)]
    rows = [r if any(r) else [ref[0]] + r[1:] for r in rows]
    expect = [_hand_mode(r, task.get("merge")) for r in rows]
    assert _trained_classes(task, rows) == expect


def test_soft_targets_are_the_merged_vote_fractions():
    """The vote distribution adds up under a merge: merged before or after the label model, one set of
    targets (counted here by hand). Dawid-Skene's posterior over the reference classes is summed into
    the task's classes, a probability, so it has no such ordering either."""
    cfg = get_preset("legus4", **BINARY)
    rows = [[1, 1, 2, 3, 3], [2, 2, 1, 4, 4], [3, 3, 4, 1, 1], [4, 4, 3, 2, 0]]
    soft = votes_for_catalogue(cfg, _table(rows), None, model="soft").targets
    by_hand = [[0.6, 0.4], [0.6, 0.4], [0.4, 0.6], [0.25, 0.75]]
    assert np.allclose(soft, by_hand)


def test_classify_votes_counts_the_votes_as_the_task_reads_them():
    """classify --votes merges the votes before Dawid-Skene: three of five for cluster is a cluster."""
    cfg = get_preset("legus4", **BINARY)
    rows = [[1, 1, 2, 3, 3], [2, 2, 1, 4, 4], [3, 3, 4, 1, 1], [4, 4, 3, 2, 2]] * 10
    joint = joint_with_votes(cfg, _table(rows), np.full((len(rows), 2), 0.5))
    assert joint.classes.tolist() == [1, 1, 2, 2] * 10
