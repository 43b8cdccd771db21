"""The evaluation's printed figures say what they are, at one precision.

Until 2026-12-07: a threshold written with four decimals had an interval of three ("0.4267 [0.367, 0.523]");
``--by``'s lines said "n 40" where 40 rows were 20 objects; the ECE's interval "[0.000, 0.040]" did not say that
its lower end was cut at 0 (the debiased ECE it is joined to runs below 0).
"""

from __future__ import annotations

import numpy as np

from starclass.evaluate.compare import chosen_ci
from starclass.evaluate.groups import metrics_by_group
from starclass.evaluate.reliability import trust_study
from starclass.evaluate.threshold import threshold_text
from starclass.report.build import group_lines


def test_a_threshold_and_its_interval_have_one_precision():
    shown = threshold_text(0.42675, 0.4266)  # four decimals select the same objects, three would not
    assert shown == "0.4267"
    ci = chosen_ci({"threshold": 0.42675, "shown": shown, "threshold_lo": 0.36712, "threshold_hi": 0.52281},
                   "threshold")
    lo, hi = ci.strip(" []").split(", ")
    assert len(lo.split(".")[1]) == len(hi.split(".")[1]) == 4, ci
    assert float(lo) <= 0.36712 <= 0.52281 <= float(hi)  # still rounded outwards
    # three decimals where the threshold has three
    assert chosen_ci({"threshold": 0.7, "shown": "0.700", "threshold_lo": 0.7, "threshold_hi": 0.8},
                     "threshold") == " [0.700, 0.800]"


def test_by_lines_say_what_n_counts():
    ref = np.array([1, 2, 2, 1])
    tab, _ = metrics_by_group(ref, np.array([1, 1, 2, 1]), ["a", "a", "b", "b"], (1, 2), n_boot=0)
    assert group_lines(tab, "t", "object")[1].startswith("  a: 2 objects, accuracy")
    assert group_lines(tab, "t", "row")[2].startswith("  b: 2 rows, accuracy")
    assert not any(": n " in line for line in group_lines(tab, "t"))


def test_the_ece_interval_says_where_it_was_cut_at_zero():
    rng = np.random.default_rng(0)
    p1 = rng.uniform(0.55, 0.95, 300)
    probs = np.column_stack([p1, 1 - p1])
    y = (rng.uniform(size=300) > p1).astype(int)
    t = trust_study(probs, y, probs.argmax(axis=1), {}, [1, 2])
    t.ece_ci = (0.0, 0.04)
    assert "[0.0000, 0.0400] over 15 equal-width bins, the interval's lower end cut at 0" in t.lines()[0], t.lines()[0]
    t.ece_ci = (0.01, 0.04)
    assert "cut at 0" not in t.lines()[0]
