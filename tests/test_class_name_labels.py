"""Labels that are the task's class names, for a task without a ``label_map``, are refused with the fix.

An X-ray astronomer lists candidates as ``cluster`` / ``non-cluster`` (the ``galaxy-cluster`` task's
own class names) or a star-cluster user ``open`` / ``globular``. ``train`` stopped at the first row:
"label 'cluster' is not a class number and the task has no label_map", naming neither the other
labels nor what to write. The message now lists every such label with its rows and gives the task
file to copy, the class names mapped to their classes (``N`` where a label is no class name).
"""

from __future__ import annotations

import numpy as np
from astropy.io import fits
from typer.testing import CliRunner

from starclass.cli import app as cli


def _folder(root, labels):
    root.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    rows = ["file_xray,file_optical,label"]
    for i, lab in enumerate(labels):
        fits.writeto(root / f"x{i}.fits", rng.poisson(0.5, (16, 16)).astype(np.int32))
        fits.writeto(root / f"o{i}.fits", rng.normal(6000, 100, (16, 16)).astype(np.float32))
        rows.append(f"x{i}.fits,o{i}.fits,{lab}")
    (root / "labels.csv").write_text("\n".join(rows) + "\n")
    return root / "labels.csv"


def test_class_names_as_labels_get_the_task_file_that_maps_them(tmp_path):
    labels = _folder(tmp_path / "gc", ["cluster", "non-cluster"] * 3)
    out = tmp_path / "model"
    res = CliRunner().invoke(cli, ["train", "--task", "galaxy-cluster-compact", "--stamps", str(labels),
                                   "-o", str(out), "--epochs", "1"])
    assert res.exit_code == 2, res.output
    assert "'cluster' (3 rows: 1, 3, 5), 'non-cluster' (3 rows: 2, 4, 6)" in res.output
    assert "names of the task's classes" in res.output
    assert "extends: galaxy-cluster-compact" in res.output and "label_map: {cluster: 1, non-cluster: 2}" in res.output
    assert not out.exists()


def test_other_labels_get_n_to_fill_in_with_the_classes_listed(tmp_path):
    labels = _folder(tmp_path / "gc", ["cluster", "point source"] * 2)
    res = CliRunner().invoke(cli, ["train", "--task", "galaxy-cluster-compact", "--stamps", str(labels),
                                   "-o", str(tmp_path / "m"), "--epochs", "1"])
    assert res.exit_code == 2, res.output
    assert "label_map: {cluster: 1, point source: N}" in res.output
    assert "1 = cluster, 2 = non-cluster" in res.output
