"""Reports: one self-contained HTML page (figures as base64 PNG) plus every table as ECSV.

The numbers come from :func:`starclass.evaluate.compare.evaluate_catalogs`; this package lays
them out. ``build_report(pred, references, outdir, *, title, distance_mpc=None, model_path=None,
mosaics=None, task=None) -> Path`` is the entry point (used by ``starclass report`` and
``starclass demo``); ``run_evaluation`` writes the ``starclass evaluate`` folder.
"""

from starclass.report.build import build_report, evaluate_sections, layout, run_evaluation  # noqa: F401
