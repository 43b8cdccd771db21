"""report's agreement bars draw the classes and merges the agreement table has, for any task.

``fig_agreement_bars`` drew PHANGS's class_1 .. class_4, mean and class_1_2 whatever the table: a binary or
three-class task's table (no class_3 / class_4) stopped it with a KeyError, and a five-class task's class_5 was
not drawn. ``agreement_table`` gave every task PHANGS's four classes and its 1+2 merge (a binary task's "1+2" is
every object, agreement 1 whatever the classes); it now takes the task's classes and merges.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import MaskedColumn, Table

from starclass.report.figures import fig_agreement_bars


def _hand_table(classes: tuple[int, ...], merges: tuple[str, ...] = ()) -> Table:
    """An agreement table of two comparisons and their mean row, as agreement_table writes one for ``classes``."""
    rng = np.random.default_rng(len(classes))
    t = Table({"comparison": ["A vs. B", "A vs. C", "mean for above values"], "n_matched": [40, 38, 78]})
    for name in [f"class_{k}" for k in classes] + ["mean"] + [f"class_{m.replace('+', '_')}" for m in merges]:
        t[name] = MaskedColumn(rng.uniform(0.3, 0.9, 3), format=".2f")
    return t


CASES = {
    "binary": ((1, 2), (), ["1 cluster", "2 non-cluster", "mean"]),
    "three": ((1, 2, 3), (), ["1 cool core", "2 weak cool core", "3 non-cool core", "mean"]),
    "five": ((1, 2, 3, 4, 5), (), ["1 low-z", "2 high-z", "3 galaxy", "4 point", "5 other", "mean"]),
    "phangs": ((1, 2, 3, 4), ("1+2",), ["1 sym", "2 asym", "3 assoc", "4 non-cluster", "mean", "1+2"]),
}


@pytest.mark.parametrize("case", list(CASES))
def test_the_bars_are_the_tables_columns_named_as_the_task_names_them(case):
    classes, merges, shown = CASES[case]
    t = _hand_table(classes, merges)
    names = {str(k): s for k, s in zip(classes, shown)}
    fig = fig_agreement_bars(t, "agreement fractions per class", names)
    ax = fig.axes[0]
    n_groups = len(classes) + 1 + len(merges)
    # one bar per comparison (the mean row is not drawn) and column, in the table's order
    assert len(ax.patches) == 2 * n_groups
    cols = [f"class_{k}" for k in classes] + ["mean"] + [f"class_{m.replace('+', '_')}" for m in merges]
    heights = [round(float(p.get_height()), 6) for p in ax.patches]
    assert heights == [round(float(t[c][i]), 6) for i in range(2) for c in cols]
    ticks = [lab.get_text().replace("\n", " ") for lab in ax.get_xticklabels()]
    assert ticks == shown
    assert len(ax.get_xticks()) == n_groups


@pytest.mark.parametrize("classes", [(1, 2), (1, 2, 3), (1, 2, 3, 4, 5)])
def test_agreement_table_of_a_task_draws_its_classes_alone(classes):
    from starclass.evaluate.agreement import agreement_table

    rng = np.random.default_rng(7)
    xy = {"x": np.arange(30.0) * 10, "y": np.zeros(30)}
    truth = rng.choice(classes, 30)
    noisy = np.where(rng.random(30) < 0.3, rng.choice(classes, 30), truth)
    cats = {"truth": Table({**xy, "class_ref": truth}), "people": Table({**xy, "class_ref": noisy})}
    t = agreement_table(cats, classes=classes)
    # no class the task does not have, no PHANGS 1+2 merge
    assert [c for c in t.colnames if c.startswith("class_")] == [f"class_{k}" for k in classes]
    ax = fig_agreement_bars(t, "agreement").axes[0]
    assert [lab.get_text() for lab in ax.get_xticklabels()] == [str(k) for k in classes] + ["mean"]
    assert len(ax.patches) == len(classes) + 1
    # class k's bar is the fraction agreement_fractions gives it
    assert [round(float(p.get_height()), 6) for p in ax.patches[:len(classes)]] == [
        round(float(t[f"class_{k}"][0]), 6) for k in classes]


def test_the_phangs_table_keeps_its_four_classes_and_1_2():
    from starclass.evaluate.agreement import agreement_table

    xy = {"x": [0.0, 10.0, 20.0, 30.0], "y": [0.0] * 4}
    t = agreement_table({"A": Table({**xy, "class_ref": [1, 2, 3, 4]}), "B": Table({**xy, "class_ref": [2, 1, 3, 4]})})
    assert [c for c in t.colnames if c.startswith("class_")] == ["class_1", "class_2", "class_3", "class_4",
                                                                 "class_1_2"]
    ax = fig_agreement_bars(t, "agreement").axes[0]
    assert [lab.get_text() for lab in ax.get_xticklabels()] == ["1", "2", "3", "4", "mean", "1+2"]
    assert float(ax.patches[-1].get_height()) == pytest.approx(1.0)  # 1 and 2 swapped: one cluster bin agrees
