"""Merges are reported only where the task defines them, also for four classes numbered 1-4.

Before: every task whose classes were 1-4 was read as the PHANGS scheme. A task of one's own
(cluster, galaxy, star, artefact) was scored by ``evaluate`` and ``report`` on ``12v34`` (cluster
+ galaxy against star + artefact), ``123v4`` and ``12_3_4``, which it never defined, with the
PHANGS agreement fractions; and ``eval_merges: {}`` (no merges) was read as "not given", so the
PHANGS merges came back.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.evaluate.task import EvalTask
from starclass.learn.config import get_preset, save_config

runner = CliRunner()
NAMES = ["cluster", "galaxy", "star", "artefact"]


def _four_class_output(n: int = 80, seed: int = 5) -> Table:
    rng = np.random.default_rng(seed)
    ref = rng.integers(1, 5, n)
    logits = rng.normal(size=(n, 4))
    logits[np.arange(n), ref - 1] += 1.2
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    t = Table({"file": [f"c{i:03d}.png" for i in range(n)], "label": np.array(NAMES)[ref - 1],
               "class_pred": p.argmax(axis=1) + 1})
    for k in range(4):
        t[f"prob_{k + 1}"] = p[:, k]
    return t


def _evaluate(tmp_path, task_file):
    res = runner.invoke(app, ["evaluate", str(tmp_path / "out.csv"), "--label-column", "label", "--task",
                              str(task_file), "--bootstrap", "0", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    return res.output, json.loads((tmp_path / "ev" / "summary.json").read_text())


@pytest.mark.parametrize("merges, scored", [(None, ["4class"]),
                                            ({"clusters_v_rest": {"cl": [1], "other": [2, 3, 4]}},
                                             ["4class", "clusters_v_rest"])])
def test_four_classes_of_ones_own_are_scored_on_their_own_merges_only(tmp_path, merges, scored):
    _four_class_output().write(tmp_path / "out.csv", format="ascii.csv")
    cfg = get_preset("m31-real", name="four", classes=[1, 2, 3, 4], class_names=NAMES, positive_class=None,
                     label_map={n: k + 1 for k, n in enumerate(NAMES)}, eval_merges=merges)
    output, summary = _evaluate(tmp_path, save_config(cfg, tmp_path / "four.yaml"))
    assert list(summary["headline"]["out_class_ref"]) == scored
    assert "12v34" not in output and "agreement" not in json.dumps(summary)
    assert not list((tmp_path / "ev" / "tables").glob("*12v34*"))


def test_an_empty_eval_merges_turns_the_phangs_merges_off(tmp_path):
    _four_class_output().write(tmp_path / "out.csv", format="ascii.csv")
    cfg = get_preset("legus4", name="plain4", label_map={n: k + 1 for k, n in enumerate(NAMES)}, eval_merges={})
    _, summary = _evaluate(tmp_path, save_config(cfg, tmp_path / "plain4.yaml"))
    assert list(summary["headline"]["out_class_ref"]) == ["4class"]


def test_the_phangs_classes_keep_their_merges():
    for cfg in (get_preset("legus4"), get_preset("phangs4")):
        assert list(EvalTask.from_config(cfg).merges) == ["4class", "12v34", "123v4", "12_3_4"]
        assert EvalTask.from_config(cfg).phangs_like
    # a classify output of a legus4 model records eval_merges {} (its config's None): still PHANGS
    meta = {"task": "legus4", "classes": [1, 2, 3, 4], "class_names": get_preset("legus4").class_names,
            "eval_merges": {}}
    assert EvalTask.from_meta(meta).phangs_like
    assert EvalTask.from_classes((1, 2, 3, 4)).phangs_like  # no task at all: the PHANGS default
    own = EvalTask.from_meta({"task": "four", "classes": [1, 2, 3, 4], "class_names": NAMES, "eval_merges": {}})
    assert list(own.merges) == ["4class"] and not own.phangs_like
