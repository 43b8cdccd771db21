"""Outputs placed inside a cutout folder that is read by scanning it (one sub-folder per label).

`train --stamps DATA -o DATA/galaxy` wrote the model among the galaxy cutouts, `-o DATA/model` made a
new label, `classify -o DATA/new/out.csv` a new label folder (explain's and report's figure and
table folders the same).
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError


def _data(root, csv: bool = False):
    for lab in ("cluster", "galaxy"):
        (root / lab).mkdir(parents=True)
        for k in range(2):
            Image.fromarray(np.full((8, 8), 50 * k, np.uint8)).save(root / lab / f"o{k}.png")
    if csv:
        (root / "labels.csv").write_text("file,label\n" + "".join(f"{lab}/o{k}.png,{lab}\n" for lab in ("cluster",
                                                                                                      "galaxy")
                                                                 for k in range(2)))
    return root


@pytest.mark.parametrize("sub", ["galaxy", "model", "galaxy/model"])
def test_train_refuses_a_model_folder_inside_an_imagefolder(tmp_path, sub):
    data = _data(tmp_path / "data")
    res = CliRunner().invoke(app, ["train", "--task", "m31-real", "--stamps", str(data), "-o", str(data / sub),
                                   "--epochs", "1", "--no-progress"])
    assert res.exit_code == 2, res.output
    assert f"--output {data / sub} lies inside the cutout folder {data}" in res.output, res.output
    assert sorted(p.name for p in data.iterdir()) == ["cluster", "galaxy"]
    assert sorted(p.name for p in (data / "galaxy").iterdir()) == ["o0.png", "o1.png"]


def test_a_folder_read_through_its_csv_refuses_only_the_cutouts_folders(tmp_path):
    from starclass.io.cutout_folders import check_output_outside_cutouts

    data = _data(tmp_path / "data", csv=True)
    for source in (data, data / "labels.csv"):
        with pytest.raises(StarclassError, match="lies inside .*galaxy, which holds cutouts that"):
            check_output_outside_cutouts(data / "galaxy" / "m", source)
        check_output_outside_cutouts(data / "model", source)  # the CSV says what is read: fine
        check_output_outside_cutouts(data / "galaxy" / "out.csv", source, file=True)


def test_classify_output_beside_the_label_folders_is_fine_in_a_new_folder_not(tmp_path):
    from starclass.io.cutout_folders import check_output_outside_cutouts

    data = _data(tmp_path / "data")
    res = CliRunner().invoke(app, ["classify", "--stamps", str(data), "--model", str(tmp_path / "m"), "-o",
                                   str(data / "new" / "out.csv")])
    assert res.exit_code == 2, res.output
    assert "it would create the folder new/, read next time as a label" in res.output, res.output
    assert not (data / "new").exists()
    check_output_outside_cutouts(data / "out.csv", data, file=True)
    check_output_outside_cutouts(tmp_path / "elsewhere", data)
    for bad in (data / "out.png", data / "labels.csv"):
        with pytest.raises(StarclassError, match="lies inside the cutout folder"):
            check_output_outside_cutouts(bad, data, file=True)


def test_explain_refuses_a_folder_inside_an_imagefolder(tmp_path):
    data = _data(tmp_path / "data")
    res = CliRunner().invoke(app, ["explain", str(tmp_path / "m"), str(data), "-o", str(data / "maps")])
    # named as the help lists it first, --output (a294110 made it the common name); it said --out
    assert res.exit_code == 2 and f"--output {data / 'maps'}" in res.output, res.output
    assert "lies inside the cutout folder" in res.output, res.output
    assert not (data / "maps").exists()


def test_report_refuses_its_tables_folder_beside_the_label_folders(tmp_path):
    data = _data(tmp_path / "data")
    (tmp_path / "out.csv").write_text("file,class_pred\ncluster/o0.png,1\n")
    (tmp_path / "m").mkdir()  # an input that is there: report names a missing one before any output check
    res = CliRunner().invoke(app, ["report", str(tmp_path / "out.csv"), "--model", str(tmp_path / "m"), "--stamps",
                                   str(data), "-o", str(data / "report.html")])
    assert res.exit_code == 2, res.output
    assert "--output (its tables/ folder)" in res.output and "lies inside the cutout folder" in res.output, res.output
    assert sorted(p.name for p in data.iterdir()) == ["cluster", "galaxy"]
