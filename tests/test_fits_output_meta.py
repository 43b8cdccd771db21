"""A FITS output keeps the task meta an ECSV output keeps, so ``evaluate`` scores the same task.

Before: ``write_catalog`` kept only the header-safe meta of a ``.fits`` output (scalars, short
strings, lists of strings). The task's ``classes`` (a list of numbers), ``eval_merges``,
``label_map`` and ``reference_merge`` (dicts) were dropped, and short keys came back upper-cased
(``TASK``), so ``evaluate OUT.fits`` of a classified catalogue found no task in the meta: it read
the classes off the ``prob_<k>`` columns, unnamed, without the merges the task lists, and
``eval_merges_given: true`` without its dict read as "not given" (the PHANGS merges of a task that
wanted none). Now the whole meta is kept as JSON in the header card ``SC_META`` and read back.
"""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest
from astropy.io import fits
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.evaluate.task import EvalTask
from starclass.io.catalog import read_catalog, read_table, write_catalog
from starclass.learn.config import get_preset

runner = CliRunner()


def _classified(eval_merges, classes=(1, 2, 3), names=("cluster", "galaxy", "star")) -> Table:
    """A catalogue as ``classify`` writes it: probabilities, a reference and the task in the meta."""
    rng = np.random.default_rng(3)
    n, k = 60, len(classes)
    ref = np.array(classes)[np.arange(n) % k]
    logits = rng.normal(0, 1, (n, k)) + 1.5 * (ref[:, None] == np.array(classes)[None, :])
    prob = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    t = Table({"id": np.arange(1, n + 1), "x": rng.uniform(0, 100, n), "y": rng.uniform(0, 100, n),
               "class_ref": ref, "class_pred": np.array(classes)[prob.argmax(axis=1)]})
    for j, c in enumerate(classes):
        t[f"prob_{c}"] = prob[:, j]
    cfg = get_preset("legus4", name="t3", classes=list(classes), class_names=list(names),
                     merge={c: c for c in classes}, eval_merges=eval_merges)
    t.meta.update({"model": "/nowhere/model", "task": cfg.name, "classes": [int(c) for c in cfg.classes],
                   "class_names": list(cfg.class_names), "threshold": None, "positive_class": None,
                   "label_map": {n: int(c) for n, c in zip(names, classes)}, **cfg.eval_merges_meta(),
                   "reference_merge": {str(c): int(c) for c in classes}, "members": ["compact"],
                   "coverage": 0.9, "calibration_cautions": ["a caution longer than one header card " * 3]})
    return t


def _scored(tmp_path, path) -> tuple[list[str], str]:
    out = tmp_path / f"ev_{path.suffix[1:]}"
    res = runner.invoke(app, ["evaluate", str(path), "--bootstrap", "0", "--no-science", "-o", str(out)])
    assert res.exit_code == 0, res.output
    summary = json.loads((out / "summary.json").read_text())
    # stdout's first line: a progress line on stderr (a long section, under load) may come first in output
    return list(summary["headline"][f"{path.stem}_class_ref"]), res.stdout.splitlines()[0]


@pytest.mark.parametrize("eval_merges, classes, names, scored", [
    ({"cl_vs_rest": {"cl": [1], "rest": [2, 3]}}, (1, 2, 3), ("cluster", "galaxy", "star"),
     ["3class", "cl_vs_rest"]),
    # the PHANGS class names with no merges wanted: read as "not given", the FITS scored 12v34 again
    ({}, (1, 2, 3, 4), tuple(get_preset("legus4").class_names), ["4class"]),
])
def test_evaluate_of_a_fits_output_scores_what_the_ecsv_scores(tmp_path, eval_merges, classes, names, scored):
    t = _classified(eval_merges, classes, names)
    seen = {}
    for suffix in (".ecsv", ".fits"):
        p = write_catalog(t, tmp_path / f"out{suffix}")
        seen[suffix] = _scored(tmp_path, p)
    assert seen[".fits"] == seen[".ecsv"]
    assert seen[".fits"][0] == scored
    assert seen[".fits"][1].endswith("(from meta)"), seen[".fits"][1]


def test_fits_meta_reads_back_as_written_by_every_reader(tmp_path):
    from starclass.io.catalog import FITS_META_KEY, restore_fits_meta

    t = _classified({"cl_vs_rest": {"cl": [1], "rest": [2, 3]}})
    p = write_catalog(t, tmp_path / "out.fits")
    ecsv = read_catalog(write_catalog(t, tmp_path / "out.ecsv")).meta
    for meta in (read_catalog(p).meta, read_table(p).meta, restore_fits_meta(Table.read(p)).meta):
        for key in ("task", "classes", "class_names", "label_map", "eval_merges", "eval_merges_given",
                    "reference_merge", "members", "coverage", "calibration_cautions", "threshold"):
            assert meta[key] == ecsv[key], key
        assert FITS_META_KEY not in meta and "TASK" not in meta
    assert EvalTask.from_meta(read_table(p).meta).merges == EvalTask.from_meta(t.meta).merges
    # the header still shows the scalars to a person reading it
    assert fits.getheader(p, 1)["TASK"] == "t3"


def test_a_card_added_to_the_header_is_kept_and_a_broken_one_is_said(tmp_path):
    from starclass.io.catalog import FITS_META_KEY

    p = write_catalog(_classified({}), tmp_path / "out.fits")
    with fits.open(p, mode="update") as hdul:
        hdul[1].header["OBSERVER"] = "me"
    assert read_table(p).meta["OBSERVER"] == "me"
    with fits.open(p, mode="update") as hdul:
        hdul[1].header[FITS_META_KEY] = "[1, 2"
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        meta = read_table(p).meta
    assert any(FITS_META_KEY in str(w.message) and "out.fits" in str(w.message) for w in caught)
    assert meta["TASK"] == "t3"  # the header's own cards, as before


def test_a_classified_cutout_folder_in_fits_keeps_its_label_map(tmp_path):
    # classify --stamps -o OUT.fits: evaluate reads it with astropy's reader (evaluate.compare), and
    # the label map turning 'galaxy' into class 2 came only from the model's column before
    t = _classified({"cl_vs_rest": {"cl": [1], "rest": [2, 3]}})
    names = np.array(["cluster", "galaxy", "star"])
    out = Table({"file": [f"c{i}.png" for i in range(len(t))], "label": names[np.asarray(t["class_ref"]) - 1],
                 "class_pred": t["class_pred"], **{c: t[c] for c in ("prob_1", "prob_2", "prob_3")}}, meta=t.meta)
    p = write_catalog(out, tmp_path / "out.fits")
    res = runner.invoke(app, ["evaluate", str(p), "--label-column", "label", "--bootstrap", "0", "--no-science",
                              "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    # stdout: a progress line on stderr (a section of 3 s or more, under load) may come first in output
    assert res.stdout.startswith("task t3: classes 1 (cluster), 2 (galaxy), 3 (star) (from meta)"), res.output
    summary = json.loads((tmp_path / "ev" / "summary.json").read_text())
    assert list(summary["headline"]["out_class_ref"]) == ["3class", "cl_vs_rest"], summary["headline"]
