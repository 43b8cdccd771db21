"""Labelled cutout folders of a task with a ``merge`` (m31-binary): labels are its reference classes.

m31-binary has classes 1 (cluster), 2 (non-cluster) and ``merge: {1: 1, 2: 1, 3: 2, 4: 2}`` (the
PHANGS four as reference classes), as a catalogue's ``class_ref`` is read. A cutout folder was read
otherwise: its numeric labels were checked against the output classes, so '3' and '4' (non-cluster
through the merge) were refused as "not a class of the task ... takes only 1, 2", and the '2' it
accepted then went through the merge to 1 (cluster). ``calibrate`` of binary labels (1 cluster, 2
non-cluster) then said only "no row of class(es) [2]". Now a folder's numbers are the merge's
reference classes, the refusal lists them with what each becomes, and calibrate says that the
merge emptied the class and how to proceed.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from astropy.io import fits
from astropy.table import Table
from typer.testing import CliRunner

from conftest import write_untrained_model  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.errors import StarclassError
from starclass.io.cutout_folders import CutoutSet, label_classes
from starclass.learn.config import get_preset

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("single_thread")


def _labels(values) -> CutoutSet:
    n = len(values)
    return CutoutSet(images=np.zeros((n, 2, 4, 4), np.float32), table=Table(), files=[f"o{k}.fits" for k in range(n)],
                     labels=np.array([str(v) for v in values]), groups=np.arange(n).astype(str))


def _folder(root: Path, labels, size: int = 8) -> Path:
    """A two-band (g, i) FITS cutout folder with ``labels`` (``labels.csv``)."""
    rng = np.random.default_rng(0)
    root.mkdir(parents=True, exist_ok=True)
    rows = ["file_g,file_i,label"]
    for k, lab in enumerate(labels):
        for b in "gi":
            fits.writeto(root / f"{b}{k}.fits", rng.normal(100, 5, (size, size)).astype("f4"))
        rows.append(f"g{k}.fits,i{k}.fits,{lab}")
    (root / "labels.csv").write_text("\n".join(rows) + "\n")
    return root / "labels.csv"


def _small(**changes):
    return get_preset("m31-binary", stamp_size=8, input_size=None, architecture="compact", arch_options={},
                      normalisation="zscore", **changes)


def test_folder_labels_are_the_merges_reference_classes():
    # '3' and '4' were refused ("takes only 1, 2"); as a catalogue's class_ref they are non-clusters
    cfg = get_preset("m31-binary")
    got = label_classes(_labels([1, 3, 4, 2]), cfg.label_map, config=cfg)
    assert got.tolist() == [1, 3, 4, 2]
    assert cfg.map_classes(got).tolist() == [1, 2, 2, 1]


def test_a_label_outside_the_merge_names_the_reference_classes():
    cfg = get_preset("m31-binary")
    with pytest.raises(StarclassError) as err:
        label_classes(_labels([1, 5]), cfg.label_map, config=cfg)
    msg = str(err.value)
    # "each N a class of the task" sent a non-cluster mapped to 2 through the merge to 1
    assert "label '5' is not a reference class of task 'm31-binary'" in msg
    assert "3 (non-cluster (through merge))" in msg and "2 (cluster (through merge))" in msg
    assert "each N one of those reference classes" in msg and "'merge: {}'" in msg
    # a task without a merge keeps its own classes
    real = get_preset("m31-real", label_map={})
    with pytest.raises(StarclassError, match=r"takes only 1, 2\."):
        label_classes(_labels([1, 3]), {}, config=real)


def test_calibrate_of_binary_labels_says_the_merge_emptied_the_class(tmp_path):
    model = write_untrained_model(tmp_path / "m", _small())
    labels = _folder(tmp_path / "fold", [1, 2] * 4)
    before = (model / "manifest.json").read_bytes()
    res = runner.invoke(app, ["calibrate", str(model), "--stamps", str(labels)])
    out = res.output.replace("\n", "")
    assert res.exit_code == 2 and "Traceback" not in out, out
    assert "no row of class(es) [2]" in out
    # why: the merge, the counts before and after; how: a model without the merge, or reference classes
    assert "its classes (1: 4, 2: 4) are all classes of task 'm31-binary'" in out
    assert "count as 1 (cluster): 8, 2 (non-cluster): 0" in out
    assert "'extends: m31-binary' and 'merge: {}'" in out
    assert "2 (non-cluster): 3 or 4" in out
    # one sentence, not two remarks in brackets in a row
    assert "'merge: {}' (no merge: each class is itself) to train --task, and calibrate" in out
    assert ") (" not in out
    assert (model / "manifest.json").read_bytes() == before  # nothing written on failure


def test_binary_labels_calibrate_as_reference_classes_or_without_the_merge(tmp_path):
    """The two ways the message names both calibrate."""
    merged = write_untrained_model(tmp_path / "m", _small())
    res = runner.invoke(app, ["calibrate", str(merged), "--stamps", str(_folder(tmp_path / "ref", [1, 3] * 4))])
    assert res.exit_code == 0, res.output
    assert "(per class 1 (cluster): 4, 2 (non-cluster): 4)" in res.output
    plain = write_untrained_model(tmp_path / "p", _small(merge={}))
    res = runner.invoke(app, ["calibrate", str(plain), "--stamps", str(_folder(tmp_path / "bin", [1, 2] * 4))])
    assert res.exit_code == 0, res.output
    assert "(per class 1 (cluster): 4, 2 (non-cluster): 4)" in res.output
