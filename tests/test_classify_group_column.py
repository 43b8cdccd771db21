"""``classify --stamps --group-column NAME`` (issue 12, part 1): ``train`` had it, ``classify`` had not.

Another team's folder names its objects in ``id``; a model of ``m31-real`` reads ``object_id``, so the output
recorded no objects, ``evaluate`` resampled the cutouts one by one and ``suggest`` could list two cutouts of one
object. The option's column is now recorded in the output (meta; a ``group_column`` column of a CSV).
"""

from __future__ import annotations

import csv

import pytest
from astropy.table import Table
from typer.testing import CliRunner

from conftest import write_noise_cutout_folder, write_untrained_model  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.learn.config import get_preset

pytestmark = pytest.mark.usefixtures("single_thread")
runner = CliRunner()


@pytest.fixture
def folder(tmp_path):
    """12 cutouts of 6 objects (two each, one label per object) named in 'id', and an m31-real model."""
    labels = write_noise_cutout_folder(tmp_path / "folder", size=16, n=12)
    rows = list(csv.DictReader(open(labels)))
    with open(labels, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["file", "label", "id"])
        w.writeheader()
        # rows k and k + 2 share a label (labels alternate): one object
        w.writerows([{**r, "id": f"B{(k // 4) * 2 + k % 2:03d}"} for k, r in enumerate(rows)])
    return labels, write_untrained_model(tmp_path / "model", get_preset("m31-real", stamp_size=16))


@pytest.mark.parametrize("ext", ["csv", "ecsv"])
def test_the_group_column_reaches_evaluate_and_suggest(folder, tmp_path, ext):
    labels, model = folder
    out = tmp_path / f"out.{ext}"
    res = runner.invoke(app, ["classify", "--stamps", str(labels), "--group-column", "id", "--model", str(model),
                              "-o", str(out), "--no-progress"])
    assert res.exit_code == 0, res.output
    t = Table.read(out, format="ascii.csv" if ext == "csv" else None)
    if ext == "csv":
        assert set(t["group_column"]) == {"id"}
    else:
        assert t.meta["group_column"] == "id"
    ev = runner.invoke(app, ["evaluate", str(out), "--no-science", "-o", str(tmp_path / "ev")])
    assert ev.exit_code == 0, ev.output
    said = " ".join(ev.output.split())
    assert "95% intervals resample the 6 objects (id), not the 12 rows" in said, said
    sug = tmp_path / "next.csv"
    res = runner.invoke(app, ["suggest", str(model), str(out), "-o", str(sug), "-n", "12"])
    assert res.exit_code == 0, res.output
    picked = Table.read(sug, format="ascii.csv")
    # one cutout per object
    assert len(picked) == 6 and len(set(picked["id"])) == 6, picked


def test_a_group_column_the_folder_lacks_is_refused_naming_the_option(folder, tmp_path):
    labels, model = folder
    out = tmp_path / "out.csv"
    res = runner.invoke(app, ["classify", "--stamps", str(labels), "--group-column", "objid", "--model", str(model),
                              "-o", str(out)])
    assert res.exit_code == 2, res.output
    said = " ".join(res.output.split())
    assert "no group column 'objid' (--group-column)" in said and "Traceback" not in said, said
    assert not out.exists()


def test_the_option_needs_stamps(tmp_path):
    model = write_untrained_model(tmp_path / "model", get_preset("m31-real", stamp_size=16))
    res = runner.invoke(app, ["classify", str(tmp_path), "-c", str(tmp_path / "c.ecsv"), "--group-column", "id",
                              "--model", str(model), "-o", str(tmp_path / "o.csv")])
    assert res.exit_code == 2 and "applies with --stamps" in " ".join(res.output.split()), res.output


def test_label_folders_without_a_csv_say_what_the_group_column_would_have_done_for_classify(tmp_path):
    """The warning spoke of a split only (train's), where classify records no objects for evaluate."""
    root = tmp_path / "folder"
    write_noise_cutout_folder(root, size=16, n=4)
    (root / "labels.csv").unlink()
    model = write_untrained_model(tmp_path / "model", get_preset("m31-real", stamp_size=16))
    res = runner.invoke(app, ["classify", "--stamps", str(root), "--group-column", "object_id", "--model", str(model),
                              "-o", str(tmp_path / "o.csv"), "--no-progress"])
    assert res.exit_code == 0, res.output
    said = " ".join(res.output.split())
    assert "group column 'object_id' is not applied" in said, said
    assert "count as separate objects (classify's output, evaluate's intervals)" in said, said
