"""evaluate says which threshold decided the class_pred it scores, and where it came from.

``evaluate OUT.ecsv`` of ``classify --threshold 0.4`` output (or of a model's ``train --target-purity``
threshold) scored that class_pred without a word of the threshold the output's meta records
(``threshold``, ``threshold_source``): its accuracies read as those of the most probable class.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app

# the evaluations' and reports' figures are built but not rendered to PNG (conftest's unrendered_figures): these
# tests read the printed lines, tables and pages around them, and rendering was about half of each command
pytestmark = pytest.mark.usefixtures("unrendered_figures")


def _classified(path, **meta):
    rng = np.random.default_rng(3)
    n = 40
    p1 = rng.uniform(size=n)
    ref = np.where(rng.uniform(size=n) < p1, 1, 2)
    t = Table({"id": np.arange(1, n + 1), "x": rng.uniform(0, 100, n), "y": rng.uniform(0, 100, n),
               "class_ref": ref, "class_pred": np.where(p1 >= 0.4, 1, 2), "prob_1": p1, "prob_2": 1 - p1})
    t.meta.update({"task": "t2", "classes": [1, 2], "class_names": ["cluster", "non-cluster"],
                   "positive_class": 1, "eval_merges": {}, "eval_merges_given": False, **meta})
    t.write(path)
    return path


def test_evaluate_says_the_threshold_that_decided_class_pred(tmp_path):
    pred = _classified(tmp_path / "c.ecsv", threshold=0.4, threshold_source="--threshold")
    r = CliRunner().invoke(app, ["evaluate", str(pred), "--bootstrap", "0", "--no-science", "-o", str(tmp_path / "ev")])
    assert r.exit_code == 0, r.output
    said = [line for line in r.output.splitlines() if "threshold 0.4" in line]
    assert said == ["class_pred decided by classify's threshold 0.4 (--threshold): 1 (cluster) where prob_1 >= 0.4, "
                    "else 2 (non-cluster)"], r.output
    # said once, right under the task line (on stdout: a log's progress lines, on stderr, may come first in output)
    lines = r.stdout.splitlines()
    assert lines[0].startswith("task t2:") and lines[1] == said[0], lines[:2]


def test_a_stored_threshold_is_named_as_the_model_s_and_none_is_not_said(tmp_path):
    source = "the model's, chosen by train --target-purity 0.8 on 9 validation rows"
    pred = _classified(tmp_path / "s.ecsv", threshold=0.3, threshold_source=source)
    r = CliRunner().invoke(app, ["evaluate", str(pred), "--bootstrap", "0", "--no-science", "-o", str(tmp_path / "e1")])
    assert r.exit_code == 0 and f"class_pred decided by classify's threshold 0.3 ({source})" in r.output, r.output
    # the most probable class: no threshold line
    pred = _classified(tmp_path / "n.ecsv")
    r = CliRunner().invoke(app, ["evaluate", str(pred), "--bootstrap", "0", "--no-science", "-o", str(tmp_path / "e2")])
    assert r.exit_code == 0 and "decided by" not in r.output, r.output


def test_a_classified_csv_says_the_threshold_its_columns_keep(tmp_path):
    """A CSV keeps no meta: ``classify --threshold 0.4 -o OUT.csv`` writes the decision as columns
    (``threshold``, ``threshold_source``, ``positive_class``), which evaluate and info read back; they
    said nothing of the threshold before. Columns of several values (two outputs stacked) are no one decision."""
    from starclass.io.catalog import read_catalog

    t = Table.read(_classified(tmp_path / "c.ecsv"))
    t.meta.clear()
    t["threshold"], t["threshold_source"], t["positive_class"] = 0.4, "--threshold", 1
    t.write(tmp_path / "c.csv")
    r = CliRunner().invoke(app, ["evaluate", str(tmp_path / "c.csv"), "--task", "m31-binary", "--bootstrap", "0",
                                 "--no-science", "-o", str(tmp_path / "ev")])
    assert r.exit_code == 0, r.output
    assert "class_pred decided by classify's threshold 0.4 (--threshold): 1 (cluster) where prob_1 >= 0.4" \
        in r.output, r.output
    r = CliRunner().invoke(app, ["info", str(tmp_path / "c.csv")])
    assert r.exit_code == 0 and "decision: class_pred 1 where prob_1 >= 0.4 (--threshold)" in r.output, r.output

    t["threshold"][0] = 0.5  # not one decision
    t.write(tmp_path / "mixed.csv")
    assert "threshold" not in read_catalog(tmp_path / "mixed.csv").meta
    r = CliRunner().invoke(app, ["info", str(tmp_path / "mixed.csv")])
    assert r.exit_code == 0 and "decision:" not in r.output, r.output
