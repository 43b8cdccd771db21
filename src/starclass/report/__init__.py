"""Reports: one self-contained HTML page (figures as base64 PNG) plus every table as ECSV.

The numbers come from :func:`starclass.evaluate.compare.evaluate_catalogs`; this package lays
them out. ``build_report(pred, references, outdir, *, title, distance_mpc=None, model_path=None,
mosaics=None, task=None) -> Path`` is the entry point (used by ``starclass report`` and
``starclass demo``); ``run_evaluation`` writes the ``starclass evaluate`` folder.
"""

import importlib

#: What :func:`starclass.report.build.run_evaluation` writes in its folder: a folder holding only these may be
#: replaced (here, not in the heavy report.build: ``starclass evaluate`` checks its output with it first)
EVALUATION_ENTRIES = ("tables", "figures", "summary.json")

#: The names of :mod:`starclass.report.build` this package gives, loaded on first use
_FROM_BUILD = ("build_report", "evaluate_sections", "layout", "run_evaluation")


def __getattr__(name: str):
    # loaded on first use: report.build brings evaluate.compare and scikit-learn's metrics (2.7 s of the 3.7 s
    # `evaluate --catalogs` spent importing before its first line, measured), which the many-field study, the
    # figures and the sections modules of this package do not need
    if name in _FROM_BUILD:
        return getattr(importlib.import_module("starclass.report.build"), name)
    raise AttributeError(f"module 'starclass.report' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted([*globals(), *_FROM_BUILD])
