"""A classified output tells "no merges wanted" (``eval_merges: {}``) from "none given".

Before: ``classify`` wrote ``eval_merges: {}`` into the output's meta both for a task config that
lists no merges on purpose (``eval_merges: {}``) and for one that says nothing (None). For a task
of the PHANGS class names (1-4, here with a ``merge`` of five labels into four classes) that wanted
none, ``evaluate`` on the ECSV output read ``{}`` as "not given" and scored the PHANGS merges
``12v34``, ``123v4``, ``12_3_4`` again, which ``evaluate --task`` of the same config did not. Now the
meta also holds ``eval_merges_given``; a file without it (older) is read as before.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.evaluate.task import EvalTask
from starclass.learn.config import get_preset, save_config

runner = CliRunner()
LABELS = ["sym", "asym", "assoc", "star", "pair"]


def _task(tmp_path: Path, eval_merges) -> Path:
    cfg = get_preset("m31-real", name="p4", stamp_size=16, classes=[1, 2, 3, 4],
                     class_names=get_preset("legus4").class_names,
                     label_map={n: k + 1 for k, n in enumerate(LABELS)}, merge={1: 1, 2: 2, 3: 3, 4: 4, 5: 4},
                     positive_class=None, threshold=None, group_column=None, eval_merges=eval_merges,
                     recipe={"epochs": 1, "batch_size": 16, "val_fraction": 0.3})
    return save_config(cfg, tmp_path / "p4.yaml")


@pytest.mark.usefixtures("single_thread")
@pytest.mark.parametrize("eval_merges, scored", [({}, ["4class"]), (None, ["4class", "12v34", "123v4", "12_3_4"])])
def test_evaluate_of_the_ecsv_output_scores_the_merges_the_task_wanted(tmp_path, eval_merges, scored):
    rng = np.random.default_rng(1)
    (tmp_path / "d").mkdir()
    rows = []
    for k in range(30):
        j = k % 5
        img = rng.normal(0, 1, (16, 16)).astype(np.float32)
        img[6:10, 6:10] += 2 * (min(j, 3) + 1)
        np.save(tmp_path / "d" / f"c{k}.npy", img)
        rows.append(f"c{k}.npy,{LABELS[j]}")
    (tmp_path / "d" / "labels.csv").write_text("file,label\n" + "\n".join(rows) + "\n")
    task = _task(tmp_path, eval_merges)
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(tmp_path / "d" / "labels.csv"), "-o",
                              str(tmp_path / "m"), "--no-progress"])
    assert res.exit_code == 0, res.output
    out = tmp_path / "out.ecsv"
    res = runner.invoke(app, ["classify", "--stamps", str(tmp_path / "d" / "labels.csv"), "--model",
                              str(tmp_path / "m"), "-o", str(out)])
    assert res.exit_code == 0, res.output
    for how in ([], ["--task", str(task)]):  # the meta must say what the task file says
        res = runner.invoke(app, ["evaluate", str(out), "--bootstrap", "0", "--no-science", "-o",
                                  str(tmp_path / "ev"), "--overwrite", *how])
        assert res.exit_code == 0, res.output
        summary = json.loads((tmp_path / "ev" / "summary.json").read_text())
        assert list(summary["headline"]["out_class_ref"]) == scored, (how, res.output)
    assert Table.read(out).meta.get("eval_merges_given") is (eval_merges is not None)
    # train --cv's held-out predictions carry the same meta: their {} read as "not given" too
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(tmp_path / "d" / "labels.csv"), "--cv",
                              "2", "-o", str(tmp_path / "cv"), "--no-progress"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["evaluate", str(tmp_path / "cv" / "cv_predictions.ecsv"), "--bootstrap", "0",
                              "--no-science", "-o", str(tmp_path / "evcv")])
    assert res.exit_code == 0, res.output
    summary = json.loads((tmp_path / "evcv" / "summary.json").read_text())
    assert list(summary["headline"]["cv_predictions_class_ref"]) == scored, res.output


def test_meta_round_trips_through_ecsv_and_parquet_and_old_files_read_as_before(tmp_path):
    names = get_preset("legus4").class_names
    base = {"task": "p4", "classes": [1, 2, 3, 4], "class_names": names}
    for cfg, merges in [(get_preset("legus4", eval_merges={}), ["4class"]),
                        (get_preset("legus4"), ["4class", "12v34", "123v4", "12_3_4"])]:
        for suffix in (".ecsv", ".parquet"):
            t = Table({"file": ["a.png"], "class_pred": [1]}, meta={**base, **cfg.eval_merges_meta()})
            t.write(tmp_path / f"o{suffix}", overwrite=True)
            assert list(EvalTask.from_meta(Table.read(tmp_path / f"o{suffix}").meta).merges) == merges, suffix
    # a file written before eval_merges_given: {} stood for both and is read as "not given", as before
    assert EvalTask.from_meta({**base, "eval_merges": {}}).phangs_like
    # and a header that lost the merges themselves (FITS keeps no dict) does not read as "none wanted"
    assert EvalTask.from_meta({**base, "eval_merges_given": True}).phangs_like
    # the evaluation's own record (summary.json's task) reads back as the merges it scored
    none = EvalTask.from_classes((1, 2, 3, 4), class_names=names, eval_merges={})
    assert list(EvalTask.from_meta(none.to_meta()).merges) == ["4class"]
    phangs = EvalTask.from_classes((1, 2, 3, 4), class_names=names)
    assert EvalTask.from_meta(phangs.to_meta()).merges == phangs.merges
