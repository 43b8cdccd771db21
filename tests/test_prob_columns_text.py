"""A ``prob_<k>`` cell of text in a table a user gives: a clear error naming file, column and row.

evaluate failed with a ValueError traceback, inspect --predictions dropped the row's probability
without a word, and a cutout list's own column turned to text took every row's top probability
from the other classes.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError

PRED = """id,x,y,class_pred,prob_1,prob_2,prob_3,prob_4
1,1,1,1,0.7,0.1,0.1,0.1
2,2,2,2,0.1,0.7,0.1,0.1
3,3,3,1,high,0.1,0.1,0.1
4,4,4,4,0.1,0.1,0.1,0.7
"""
REF = "id,x,y,class_ref\n1,1,1,1\n2,2,2,2\n3,3,3,1\n4,4,4,4\n"


def test_evaluate_names_the_text_cell(tmp_path):
    (tmp_path / "pred.csv").write_text(PRED)
    (tmp_path / "ref.csv").write_text(REF)
    res = CliRunner().invoke(app, ["evaluate", str(tmp_path / "pred.csv"), "--reference", str(tmp_path / "ref.csv"),
                                   "-o", str(tmp_path / "ev")])
    assert res.exit_code == 2, res.output
    assert "column 'prob_1' in " in res.output and "pred.csv row 3 (id 3) is 'high', not a number" in res.output
    assert not (tmp_path / "ev").exists()


def test_suggest_names_the_text_cell(tmp_path):
    (tmp_path / "pred.csv").write_text(PRED)
    res = CliRunner().invoke(app, ["suggest", str(tmp_path / "m"), str(tmp_path / "pred.csv"), "-o",
                                   str(tmp_path / "s.csv"), "-n", "2"])
    assert res.exit_code == 2, res.output
    assert "column 'prob_1' in " in res.output and "row 3 (id 3) is 'high'" in res.output, res.output
    assert not (tmp_path / "s.csv").exists()


def test_inspect_predictions_file_names_the_text_cell(tmp_path):
    from starclass.datasets.labelling import make_demo_field
    from starclass.inspect.field import load_field

    d = make_demo_field(tmp_path / "f", n=4, size=100, seed=1)
    (d / "bad.csv").write_text("id,prob_1,prob_2\n1,0.7,0.3\n2,0.6,0.4\n3,high,0.3\n4,0.2,0.8\n")
    with pytest.raises(StarclassError, match=r"predictions column 'prob_1' in .*bad.csv row 3 \(id 3\) is 'high'"):
        load_field(d, predictions=d / "bad.csv")


def test_inspect_stamps_own_prob_columns_name_the_text_cell(tmp_path):
    from starclass.inspect.cutouts import load_cutout_field
    from starclass.learn.config import get_preset

    files = [f"g/o{k}.png" for k in range(3)]
    for k, f in enumerate(files):
        (tmp_path / f).parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(np.full((8, 8), 40 * k, np.uint8)).save(tmp_path / f)
    rows = [f"{f},cluster,1,{'high' if k == 1 else '0.8'},0.1,0.1" for k, f in enumerate(files)]
    (tmp_path / "out.csv").write_text("file,label,class_pred,prob_1,prob_2,prob_3\n" + "\n".join(rows) + "\n")
    with pytest.raises(StarclassError, match=r"predictions column 'prob_1' in .*out.csv row 2 is 'high'"):
        load_cutout_field(tmp_path / "out.csv", get_preset("m31-real"), dataset="t")
    # numbers written as text (a CSV read as strings) are read as numbers
    (tmp_path / "out.csv").write_text((tmp_path / "out.csv").read_text().replace("high", "0.8"))
    fld = load_cutout_field(tmp_path / "out.csv", get_preset("m31-real"), dataset="t")
    assert [fld.predictions[i]["top_prob"] for i in range(3)] == [0.8, 0.8, 0.8]


def test_evaluate_names_a_text_cell_of_the_raw_probabilities(tmp_path):
    """prob_<k>_raw (classify's uncalibrated column) was not checked: a text cell was a ValueError traceback."""
    header, *rows = PRED.replace("high", "0.7").splitlines()
    raw = ["0.6,0.2,0.1,0.1"] * len(rows)
    raw[1] = "0.2,oops,0.1,0.1"
    (tmp_path / "pred.csv").write_text("\n".join([header + ",prob_1_raw,prob_2_raw,prob_3_raw,prob_4_raw",
                                                  *(f"{r},{w}" for r, w in zip(rows, raw))]) + "\n")
    (tmp_path / "ref.csv").write_text(REF)
    res = CliRunner().invoke(app, ["evaluate", str(tmp_path / "pred.csv"), "--reference", str(tmp_path / "ref.csv"),
                                   "-o", str(tmp_path / "ev")])
    assert res.exit_code == 2, res.output
    assert "column 'prob_2_raw' in " in res.output and "pred.csv row 2 (id 2) is 'oops', not a number" in res.output
    assert not (tmp_path / "ev").exists()
