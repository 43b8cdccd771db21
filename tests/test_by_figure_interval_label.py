"""The --by bar chart's axis names the interval its bars carry.

Before: ``report.figures.fig_by_group`` labelled the axis "accuracy (95% Wilson interval)" whatever the
table held, so with ``--group-column`` (since 2026-12-05 the bootstrap's interval over whole objects) and
with ``--bootstrap 0`` there (no interval) the figure named an interval it did not show.
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pytest
from astropy.table import Table

from starclass.evaluate.compare import evaluate_catalogs
from starclass.evaluate.task import EvalTask
from starclass.report.figures import fig_by_group


def _table() -> Table:
    rng = np.random.default_rng(4)
    obj = np.repeat(np.arange(30), 2)
    ref = rng.integers(1, 3, 30)[obj]
    pred = np.where(rng.random(60) < 0.8, ref, 3 - ref)
    return Table({"object_id": [f"o{i}" for i in obj], "class_ref": ref, "class_pred": pred,
                  "field": rng.choice(["a", "b"], 30)[obj]})


@pytest.mark.parametrize(("group_column", "n_boot", "label"), [
    (None, 50, "accuracy (95% Wilson interval)"),
    ("object_id", 50, "accuracy (95% bootstrap interval over the 30 objects)"),
    ("object_id", 0, "accuracy (no interval)"),
])
def test_the_axis_names_the_interval_of_the_bars(group_column, n_boot, label):
    task = EvalTask.from_classes((1, 2), positive_class=1)
    c = evaluate_catalogs(_table(), task=task, n_boot=n_boot, by=["field"], group_column=group_column).comparisons[0]
    tab, _ = c.by["field"]
    fig = fig_by_group(tab, "field", "accuracy by field")
    try:
        assert fig.axes[0].get_xlabel() == label
    finally:
        plt.close(fig)
