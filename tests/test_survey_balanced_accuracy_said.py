"""The survey's summary line gives each field's balanced accuracy beside its accuracy against truth.

Found walking docs/survey.md (2026-12-06): a one-epoch model on a simulated M31 field of 9 % clusters called 399 of
400 candidates "non-cluster", and survey printed "truth: 400/400 matched on the sky (ra, dec), accuracy (2class)
0.912", a number that reads as a working classifier; its balanced accuracy, 0.514, was in summary.json only.
"""

from __future__ import annotations

from starclass.survey.run import summary_lines


def _summary(accuracy: dict) -> dict:
    return {"complete": True, "seconds": {"wall": 10.0}, "candidates_per_second": 40.0, "n_tiles_skipped": 0,
            "n_candidates": 400, "n_fields": 1, "n_tiles": 1,
            "fields": {"SIM-M31-001": {"n_candidates": 400, "n_tiles": 1, "class_pred_counts": {"1": 1, "2": 399},
                                       "evaluation": {"n_truth": 400, "n_catalogue": 400, "n_matched": 400,
                                                      "completeness": 1.0, "matched_on": "sky (ra, dec)",
                                                      "accuracy": accuracy}}}}


def test_the_field_line_gives_the_balanced_accuracy_beside_the_accuracy():
    lines = summary_lines(_summary({"2class": {"accuracy": 0.9125, "balanced_accuracy": 0.5138888888888888}}))
    line = next(s for s in lines if s.startswith("  SIM-M31-001:"))
    assert "accuracy (2class) 0.912 (balanced 0.514)" in line, line


def test_a_summary_without_a_balanced_accuracy_reads_as_before():
    # a summary.json written before the balanced accuracy was kept, or one with no class to balance over
    for acc in ({"accuracy": 0.9125}, {"accuracy": 0.9125, "balanced_accuracy": float("nan")}):
        line = next(s for s in summary_lines(_summary({"2class": acc})) if s.startswith("  SIM-M31-001:"))
        assert line.endswith("accuracy (2class) 0.912"), line


def test_a_field_classified_all_in_one_class_is_said_so():
    """The user walk of 2026-12-07: 'accuracy (2class) 0.900 (balanced 0.500)' for a field whose 300 candidates the
    model all called class 2, where evaluate warns that the catalogue puts every object in one class."""
    summary = _summary({"2class": {"accuracy": 0.9, "balanced_accuracy": 0.5}})
    summary["fields"]["SIM-M31-001"]["class_pred_counts"] = {"2": 400}
    line = next(s for s in summary_lines(summary) if s.startswith("  SIM-M31-001:"))
    assert line.endswith("(balanced 0.500); every classified candidate is class 2"), line
    mixed = next(s for s in summary_lines(_summary({"2class": {"accuracy": 0.9, "balanced_accuracy": 0.5}}))
                 if s.startswith("  SIM-M31-001:"))
    assert "every classified candidate" not in mixed, mixed  # 1 and 399: two classes
