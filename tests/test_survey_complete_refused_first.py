"""``survey PLAN -o run2/`` on a finished ``run2`` is refused before distributed, torch and the plan's work.

Before (2026-12-07): the refusal ("survey output run2 is complete (summary.json); give --overwrite ...") came from
run_survey's check, after distributed had loaded, the model and every mosaic had been read and the tile digests
computed: about 11 s on the shared cores to say the folder was already done. It now comes from the folder's
summary.json alone, first; a folder whose last run did not finish (its run record) is resumed as before.
"""

from __future__ import annotations

import json

from starclass.survey.run import RUN_MARKER
from test_first_line_before_torch import WATCH, _manifest_model, first_line, refused  # tests/ is on sys.path


def _plan_and_done_output(tmp_path):
    model = _manifest_model(tmp_path / "model")
    (model / "member_01.pt").write_bytes(b"never read")
    (tmp_path / "f1").mkdir()
    (tmp_path / "f1" / "f555w.fits").write_bytes(b"never read")
    (tmp_path / "plan.yaml").write_text("model: model\nfields:\n  - name: f1\n    mosaics: f1\n")
    out = tmp_path / "run2"
    (out / "tiles").mkdir(parents=True)
    (out / "summary.json").write_text(json.dumps({"complete": True}))
    return tmp_path / "plan.yaml", out


def test_a_finished_output_is_refused_before_distributed_torch_and_the_plan(tmp_path):
    plan, out = _plan_and_done_output(tmp_path)
    before = sorted(p.name for p in out.rglob("*"))
    got = refused(["survey", plan, "-o", out, "--workers", "1"],
                  f"survey output {out} is complete (summary.json); give --overwrite to redo the merge and summary",
                  watch=(*WATCH, "distributed", "dask"))
    assert "survey: checking the plan" not in got["stderr"] + got["stdout"], got
    assert sorted(p.name for p in out.rglob("*")) == before  # nothing written


def test_an_unfinished_or_overwritten_output_goes_on_to_the_plan(tmp_path):
    plan, out = _plan_and_done_output(tmp_path)
    start = f"survey: checking the plan {plan} ..."
    first_line(["survey", plan, "-o", out, "--workers", "1", "--overwrite"], start,
               watch=(*WATCH, "distributed"))
    (out / RUN_MARKER).write_text(json.dumps({"overwrite": False}))  # a later run that did not finish: resumed
    first_line(["survey", plan, "-o", out, "--workers", "1"], start, watch=(*WATCH, "distributed"))
