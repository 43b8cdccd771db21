"""The m31 simulator preset poses the M31 search's problem: one cluster definition (classes 1 + 2)
in the preset, the task, the docs and the report's threshold study; the paper's contaminants at
a settable cluster fraction."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.evaluate.task import EvalTask
from starclass.learn.config import get_preset
from starclass.simulate import preset
from starclass.simulate.config import (
    M31_CLUSTER_CLASSES,
    M31_CLUSTER_FRACTION,
    M31_CONTAMINANT_COUNTS,
    mix_with_cluster_fraction,
)
from starclass.simulate.objects import make_objects

DOCS = Path(__file__).resolve().parents[1] / "docs"


def test_one_cluster_definition_in_task_docs_and_report_selection():
    task = get_preset("m31-binary")
    cluster = task.positive_class
    mapped = task.map_classes(np.array([1, 2, 3, 4]))
    assert [c for c, m in zip([1, 2, 3, 4], mapped) if m == cluster] == list(M31_CLUSTER_CLASSES)
    assert get_preset("m31-binary-compact").merge == task.merge
    # the report's threshold study selects what the task's reference map calls a cluster ...
    ev = EvalTask.from_config(task)
    (_, members), = ev.selections()
    ref = ev.reference_labels(np.array([1, 2, 3, 4]))
    assert [c for c, r in zip([1, 2, 3, 4], ref) if r in members] == list(M31_CLUSTER_CLASSES)
    # ... and for four-class catalogues its "clusters" are the same pair
    assert EvalTask.from_config(get_preset("phangs4")).selections() == [("1+2", M31_CLUSTER_CLASSES)]
    text = (DOCS / "simulator.md").read_text()
    assert "**Clusters are classes 1+2**" in text
    assert "1+2+3" not in (DOCS / "models.md").read_text().split("`m31-binary`")[1].splitlines()[0]


def test_m31_preset_draws_the_papers_imbalance_and_no_hst_only_objects():
    cfg = preset("m31")
    mix = np.asarray(cfg.class_mix)
    assert mix[0] + mix[1] == pytest.approx(490 / 5963)
    assert mix[2] == 0  # no associations: the M31 task has one cluster class
    subs = {round(k, 2) for k in cfg.subclass_mix}
    assert subs == {round(s, 2) for _, s in M31_CONTAMINANT_COUNTS.values()}
    assert not subs & {4.11, 4.12}  # no mosaic edge, no cosmic rays in a stacked ground-based image
    # the paper's counts add up: 751 stars, 72 galaxies, 143 HII, 41 PNe, 3 symbiotic, 11151 remaining
    assert sum(c for c, _ in M31_CONTAMINANT_COUNTS.values()) == pytest.approx(751 + 72 + 143 + 41 + 3 + 11151)


def test_cluster_fraction_rescales_and_is_checked():
    cfg = preset("m31", cluster_fraction=0.25)
    assert cfg.class_mix[0] + cfg.class_mix[1] == pytest.approx(0.25)
    assert sum(cfg.class_mix) == pytest.approx(1.0)
    # hst keeps its 1:2 and 3:4 ratios
    base, hst = preset("hst").class_mix, preset("hst", cluster_fraction=0.5).class_mix
    assert hst[0] + hst[1] == pytest.approx(0.5)
    assert hst[0] / hst[1] == pytest.approx(base[0] / base[1])
    assert hst[2] / hst[3] == pytest.approx(base[2] / base[3])
    with pytest.raises(StarclassError, match="cluster_fraction"):
        mix_with_cluster_fraction((1, 1, 0, 1), 1.5)
    res = CliRunner().invoke(app, ["simulate", "/nonexistent/x", "--preset", "m31", "--cluster-fraction", "-0.1"])
    assert res.exit_code == 2 and "--cluster-fraction" in res.output


@pytest.mark.parametrize("fraction", [M31_CLUSTER_FRACTION, 0.3])
def test_drawn_candidates_follow_the_cluster_fraction(fraction):
    from starclass.simulate.galaxy import build_galaxy

    cfg = preset("m31", shape=(256, 256), n_candidates=600, seed=4, cluster_fraction=fraction, field_stars=0.0)
    rng = np.random.default_rng(cfg.seed)
    truth, _ = make_objects(cfg, build_galaxy(cfg, rng), rng)
    cls = np.asarray(truth["class_ref"])
    n = cls.size
    k = int(np.isin(cls, M31_CLUSTER_CLASSES).sum())
    # binomial draw: within 4 standard deviations of the requested share
    assert abs(k - fraction * n) < 4 * np.sqrt(n * fraction * (1 - fraction)), (k, n)
    assert not np.any(cls == 3)
    assert set(np.round(np.asarray(truth["subclass"], float)[cls == 4], 2)) <= {4.1, 4.2, 4.3, 4.4, 4.7, 4.8}
