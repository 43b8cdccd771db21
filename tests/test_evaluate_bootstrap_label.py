"""The bootstrap's progress line names a comparison of two columns of one catalogue as the headings do.

Found walking docs/evaluation.md (2026-12-06): ``evaluate m31f_pred.ecsv`` (its own ``class_ref``, ``-r self``)
logged "bootstrap (prediction vs prediction class_ref): 200 of 200 resamples", where every heading and line
below it says "class_pred vs class_ref in prediction".
"""

from __future__ import annotations

import logging

import numpy as np
from astropy.table import Table

from starclass.evaluate.compare import compare
from starclass.evaluate.task import EvalTask


def test_a_self_comparison_s_bootstrap_is_named_by_its_columns(caplog):
    caplog.set_level(logging.INFO)
    rng = np.random.default_rng(0)
    t = Table({"class_pred": rng.integers(1, 3, 60), "class_ref": rng.integers(1, 3, 60)})
    compare(t, t, EvalTask.from_classes((1, 2)), ref_name="prediction class_ref", ref_is_pred=True, n_boot=5,
            columns=("class_pred", "class_ref"), progress=None)
    err = "\n".join(r.getMessage() for r in caplog.records)  # the lines a log file gets (progress None)
    assert "bootstrap (class_pred vs class_ref in prediction)" in err, err
    assert "prediction vs prediction class_ref" not in err, err
