"""Every confusion figure of a page names a class alike: the task's name, as the metrics' figures say it.

The symmetric (PHANGS agreement) and the human confusion figures named the classes with the schema's words ("1
symmetric compact cluster", "4 artefact / non-cluster") where the metrics' confusion figures of the same phangs4
task said "1 symmetric cluster", "4 non-cluster" (until 2026-12-07). Read from the figures' tick labels.
"""

from __future__ import annotations

import types

import numpy as np
import pytest
from astropy.table import Table

from starclass.report import figures

PHANGS4 = ["symmetric cluster", "asymmetric cluster", "compact association", "non-cluster"]


@pytest.fixture
def drawn(monkeypatch):
    """The report figures themselves (closed after the test), in place of their PNGs."""
    from starclass.report import sections

    figs: list = []

    def keep(fig, dpi: int = 85) -> str:
        figs.append(fig)
        return ""

    monkeypatch.setattr(sections, "to_png_base64", keep)
    yield figs
    for f in figs:
        figures._close(f)


def _ticks(fig) -> list[str]:
    return [" ".join(t.get_text().split()) for t in fig.axes[0].get_xticklabels()]


def test_the_confusion_figures_of_one_page_name_each_class_alike(drawn):
    from starclass.evaluate.agreement import human_baselines
    from starclass.evaluate.compare import compare
    from starclass.evaluate.task import EvalTask
    from starclass.report.build import _agreement_section, _human_section, _metrics_section

    task = EvalTask.from_classes((1, 2, 3, 4), class_names=PHANGS4)
    assert task.phangs_like
    t = Table({"class_pred": [1, 2, 3, 4, 1, 2, 3, 4], "class_ref": [1, 2, 3, 4, 2, 1, 4, 3]})
    c = compare(t, t, task, ref_name="truth", n_boot=0, columns=("class_pred", "class_ref"))
    _metrics_section(c, task, 0)
    four = [f for f in drawn if f.axes[0].get_title().startswith("4class")]
    assert len(four) == 1
    expected = _ticks(four[0])
    assert expected == [f"{k} {n}" for k, n in enumerate(PHANGS4, 1)]  # the task's names on the metrics' figure
    before = len(drawn)
    h = Table({"class_ref": [1, 2, 3, 4, 1, 2], "class_h1": [1, 2, 3, 4, 1, 2], "class_h2": [1, 3, 3, 4, 2, 2]})
    _human_section(types.SimpleNamespace(task=task, humans=[("h", human_baselines(h, min_overlap=1), None)]))
    for fig in drawn[before:]:  # person vs person, person vs mode
        assert _ticks(fig) == expected, (fig.axes[0].get_title(), _ticks(fig))
    a = types.SimpleNamespace(fractions=Table({"class": [1]}), mean=None, symmetric=np.full((4, 4), 0.25),
                              versus=[], notes=[])
    _agreement_section(types.SimpleNamespace(ref_name="truth", agreement=a, columns=None, pred_name="prediction",
                                             heading=lambda: "prediction vs truth"), task)
    others = drawn[before:]
    assert len(others) == 3  # person vs person, person vs mode, symmetric
    for fig in others:
        assert _ticks(fig) == expected, (fig.axes[0].get_title(), _ticks(fig))
