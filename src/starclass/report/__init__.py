"""Reports: one self-contained HTML page (figures as base64 PNG) plus every table as ECSV.

``build_report(pred, references, outdir, *, title, distance_mpc=None, model_path=None) -> Path``
is the entry point (used by ``starclass report`` and ``starclass demo``).
"""

from starclass.report.build import build_report, evaluate_sections, run_evaluation  # noqa: F401
