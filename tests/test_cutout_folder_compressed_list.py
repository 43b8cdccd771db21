"""A cutout folder whose only list is ``labels.csv.gz`` is read through it by every command (2026-12-07).

The readers learnt compressed lists given by name (``--stamps labels.csv.gz``), but a *folder* was looked
for ``labels.csv`` alone, in some 36 places: ``info``, ``train``, ``classify`` and ``inspect --stamps FOLDER``
warned "labels.csv.gz lists cutouts but is not read" and read the label sub-folders instead, so the list's
own columns (the group column ``object_id``, which keeps an object's cutouts on one side of a split) were
lost. One helper (:func:`starclass.io.cutout_folders.folder_labels_csv`) finds the list now, plain first.
"""

from __future__ import annotations

import gzip
import warnings

import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.io.cutout_folders import read_cutout_folder
from starclass.learn.config import get_preset, save_config
from test_inspect_stamps import make_folder  # tests/ is on sys.path under pytest

pytestmark = pytest.mark.usefixtures("cheap_argon2")  # inspect's account (conftest.py)

runner = CliRunner()


@pytest.fixture()
def packed(tmp_path):
    """A folder of label sub-folders whose list (file, label, object_id) is kept only as labels.csv.gz."""
    labels = make_folder(tmp_path / "pool", n=4)
    gz = labels.with_name("labels.csv.gz")
    gz.write_bytes(gzip.compress(labels.read_bytes()))
    labels.unlink()
    return gz.parent


def _said(res) -> str:
    return " ".join(res.output.split())


def test_the_folder_is_read_through_its_compressed_list(packed):
    from starclass.io.cutout_folders import cutout_list_path, folder_labels_csv

    assert folder_labels_csv(packed) == cutout_list_path(packed) == packed / "labels.csv.gz"
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # "lists cutouts but is not read"
        cs = read_cutout_folder(packed, group_column="object_id")
    assert cs.source == packed / "labels.csv.gz" and "object_id" in cs.table.colnames
    assert sorted(set(cs.groups.tolist())) == ["cluster0", "cluster1", "galaxy0", "galaxy1"]


def test_train_classify_info_inspect_read_the_compressed_list(packed, tmp_path):
    res = runner.invoke(app, ["info", str(packed)])
    assert res.exit_code == 0 and "not read" not in _said(res), _said(res)
    assert "object_id 4" in _said(res)  # the list's own column, which the label folders have not

    task = save_config(get_preset("m31-real").copy(name="tiny", stamp_size=16,
                                                   recipe={"epochs": 1, "batch_size": 8, "val_fraction": 0.0}),
                       tmp_path / "tiny.yaml")
    model = tmp_path / "m"
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(packed), "-o", str(model),
                              "--no-progress"])
    assert res.exit_code == 0 and "not read" not in _said(res), _said(res)

    out = tmp_path / "classified.csv"
    res = runner.invoke(app, ["classify", "--stamps", str(packed), "--model", str(model), "-o", str(out)])
    assert res.exit_code == 0 and "not read" not in _said(res), _said(res)
    assert "object_id" in Table.read(out, format="ascii.csv").colnames
    # a labels.csv written into the folder would be read in place of its labels.csv.gz: refused, nothing written
    res = runner.invoke(app, ["classify", "--stamps", str(packed), "--model", str(model),
                              "-o", str(packed / "labels.csv")])
    assert res.exit_code == 2 and "in place of its labels.csv.gz" in _said(res), _said(res)
    assert not (packed / "labels.csv").exists()

    res = runner.invoke(app, ["inspect", "--stamps", str(packed), "--task", "m31-real", "--init", "--add-user", "ann"],
                        env={"STARCLASS_INSPECT_PASSWORD": "ann-password"})
    assert res.exit_code == 0 and "not read" not in _said(res), _said(res)
    export = tmp_path / "all.csv"
    res = runner.invoke(app, ["inspect", "--stamps", str(packed), "--export", str(export), "--include-unlabelled"])
    assert res.exit_code == 0 and "not read" not in _said(res), _said(res)
    assert "object_id" in Table.read(export, format="ascii.csv").colnames
