"""Evaluation: metrics against any reference, cross-matching, agreement fractions, curves.

A *reference* can be truth (simulations), human labels, or another model. All functions take
plain arrays or astropy Tables and return Tables (so that every result can be written as ECSV)
or small dataclasses. Undefined quantities (a precision with no predicted members, a class
absent from one catalogue) are returned as masked values with a reason, never as NaN or a
division by zero.

The class scheme comes from the task (:mod:`starclass.evaluate.task`); everything that
``starclass evaluate`` and ``starclass report`` compute is :func:`starclass.evaluate.compare.evaluate_catalogs`,
importable from here too (``from starclass.evaluate import evaluate_catalogs``).
"""

import importlib

from starclass.evaluate.agreement import (  # noqa: F401
    agreement_fractions,
    agreement_table,
    agreement_vs,
    compare_catalogs,
    human_baselines,
    symmetric_confusion,
)
from starclass.evaluate.matching import match_catalogs  # noqa: F401
from starclass.evaluate.metrics import (  # noqa: F401
    MERGES,
    classification_summary,
    confusion,
    merge_labels,
    per_class_current_names,
    per_class_table,
)


def __getattr__(name: str):
    # loaded on first use: evaluate.compare takes 1.4 s more to import than this package (measured)
    if name == "evaluate_catalogs":
        return importlib.import_module("starclass.evaluate.compare").evaluate_catalogs
    raise AttributeError(f"module 'starclass.evaluate' has no attribute {name!r}")
