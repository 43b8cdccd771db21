"""The report's figures say what they show (2026-12-07, the cutout report read figure by figure).

* the metrics' confusion figures of a cutout report (``-r self``) were labelled ``class_pred`` and
  ``class_ref`` where the demo's said the roles: now ``prediction`` / ``reference (class_ref)``;
* the human and symmetric confusion figures had no colour bar and bare class numbers on their ticks;
* ``luminosity_functions`` said ``m (V)`` of magnitudes in f555w;
* the score CDF's title repeated its x label;
* each ``<img>``'s alt text was the figure's file stem where it had no caption.
"""

from __future__ import annotations

import re
import types

import numpy as np
import pytest
from astropy.table import Table

from starclass.report import figures


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


def test_the_confusion_figures_of_one_catalogues_columns_say_prediction_and_reference(drawn):
    from starclass.evaluate.compare import compare
    from starclass.evaluate.task import EvalTask
    from starclass.report.build import _metrics_section

    t = Table({"class_pred": [1, 2, 1, 2, 2], "class_ref": [1, 2, 2, 2, 1]})
    c = compare(t, t, EvalTask.from_classes((1, 2)), ref_name="prediction class_ref", ref_is_pred=True,
                n_boot=0, columns=("class_pred", "class_ref"))
    _metrics_section(c, EvalTask.from_classes((1, 2)), 0)
    (fig,) = drawn  # the one merge of a two-class task
    assert fig.axes[0].get_xlabel() == "prediction (class_pred)"
    assert fig.axes[0].get_ylabel() == "reference (class_ref)"


def _human_and_symmetric(drawn):
    from starclass.evaluate.agreement import human_baselines
    from starclass.report.build import _human_section

    t = Table({"class_ref": [1, 2, 3, 4, 1, 2], "class_h1": [1, 2, 3, 4, 1, 2], "class_h2": [1, 3, 3, 4, 2, 2]})
    _human_section(types.SimpleNamespace(humans=[("h", human_baselines(t, min_overlap=1), None)]))
    sym = np.full((4, 4), 0.25)
    figures_before = len(drawn)
    from starclass.report.build import _agreement_section

    a = types.SimpleNamespace(fractions=Table({"class": [1]}), mean=None, symmetric=sym, versus=[], notes=[])
    c = types.SimpleNamespace(ref_name="truth", agreement=a, columns=None, pred_name="prediction",
                              heading=lambda: "prediction vs truth")
    _agreement_section(c)
    assert len(drawn) == figures_before + 1
    return drawn


def test_the_human_and_symmetric_confusion_figures_have_a_colour_bar_and_class_names(drawn):
    figs = _human_and_symmetric(drawn)
    assert len(figs) == 3  # person vs person, person vs mode, symmetric
    for fig in figs:
        main = fig.axes[0]
        ticks = [t.get_text().replace("\n", " ") for t in main.get_xticklabels()]
        assert ticks[0].startswith("1 symmetric") and ticks[3].startswith("4 artefact"), (main.get_title(), ticks)
        assert len(fig.axes) == 2 and fig.axes[1].get_ylabel() == "fraction of the row", main.get_title()


def test_the_luminosity_functions_name_the_band_of_their_magnitudes(drawn):
    from starclass.datasets.catalogs import fake_catalogs
    from starclass.report.build import _science_sections

    _, truth = fake_catalogs(120, seed=0)
    band = next(c.removeprefix("mag_") for c in truth.colnames if c in ("mag_f555w", "mag_f606w"))
    secs = _science_sections({"truth": truth}, {"truth": "class_ref"}, None, 2.0, "truth")
    assert any(s.key == "luminosity" for s in secs)
    (fig,) = [f for f in drawn if f.axes and f.axes[0].get_title() == "class 1+2 luminosity functions"]
    assert fig.axes[0].get_xlabel() == f"m ({band}) [mag]"


def test_the_score_cdf_title_is_not_its_x_label(drawn):
    from starclass.report.build import _curves_section

    c = types.SimpleNamespace(ref_name="truth", curves=[], scores={1: np.array([0.6, 0.9]), 2: np.array([0.7])},
                              score_quantiles=Table({"class": [1]}), thresholds=[],
                              heading=lambda: "prediction vs truth")
    from starclass.evaluate.task import EvalTask

    _curves_section(c, EvalTask.from_classes((1, 2)))
    (ax,) = drawn[0].axes
    assert ax.get_title() and ax.get_title() != ax.get_xlabel()
    assert "per predicted class" in ax.get_title()


def test_each_image_has_a_description_not_its_file_stem():
    from starclass.report.sections import Section, render_html

    s = Section("Metrics")
    fig, ax = figures.new_subplots()
    ax.set_title("4class: accuracy 0.812")
    s.figure("confusion_4class_truth", fig)
    fig2, axes = figures.new_subplots(1, 2)
    fig2.suptitle("class 1+2: mass vs age")
    s.figure("mass_age", fig2, "Mass against age per catalogue.")
    alts = re.findall(r"<img alt='([^']*)'", render_html([s], title="r"))
    assert alts == ["4class: accuracy 0.812", "class 1+2: mass vs age. Mass against age per catalogue."]
