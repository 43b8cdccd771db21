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

from starclass import lazy_exports

#: Each name this package exports and the submodule that defines it. They are loaded on first use (PEP 562), so
#: that a command which needs one small submodule (``info`` reads ``evaluate.disagreement``) does not pay for the
#: others: ``evaluate.matching`` brings the detection code (numba, scipy.spatial; 0.5 s measured) and
#: ``evaluate.compare`` 1.4 s more.
_EXPORTS = {
    **dict.fromkeys(("agreement_fractions", "agreement_table", "agreement_vs", "compare_catalogs", "human_baselines",
                     "symmetric_confusion"), ".agreement"),
    "match_catalogs": ".matching",
    **dict.fromkeys(("MERGES", "classification_summary", "confusion", "merge_labels", "per_class_current_names",
                     "per_class_table"), ".metrics"),
    "evaluate_catalogs": ".compare",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
