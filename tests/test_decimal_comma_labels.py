"""A cutout folder's class numbers written with a decimal comma in a ';' CSV are class numbers.

A spreadsheet column of class numbers that ever held a blank is a float column: European Excel (and
pandas ``to_csv(sep=';', decimal=',')``) saves it as ``1,0`` and ``2,0``. Before: ``train --stamps
labels.csv`` with a task of class numbers (no label_map) refused the folder with "label '1,0' is not a
class number and the task has no label_map ... map them to classes with this label_map ... {"1,0": N,
"2,0": N}" (the ``ra`` of the same file was read as a number). Now the label column of a ';' CSV whose
every label is a decimal-comma number is read with a decimal point, ``1,0`` as class 1, as ``1.0`` is;
``0,5`` is refused as no whole class number. In a tab- or comma-separated file a comma is no decimal
mark: ``1,0`` there is refused saying so and what to do, not with a label_map to write.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.io.cutout_folders import label_classes, read_cutout_folder

runner = CliRunner()


def _folder(tmp_path, labels, sep=";", encoding="utf-8") -> object:
    rng = np.random.default_rng(0)
    n = len(labels)
    for i in range(n):
        img = rng.normal(size=(16, 16)) + (i % 2) * 3 * np.outer(np.hanning(16), np.hanning(16))
        np.save(tmp_path / f"c{i:02d}.npy", img.astype(np.float32))
    if sep != ";":  # a decimal-comma locale's "Unicode Text" (or a quoted CSV cell): labels 1,0 and 2,0
        labels = [f"{v:.1f}".replace(".", ",") for v in labels]
    df = pd.DataFrame({"file": [f"c{i:02d}.npy" for i in range(n)], "label": labels,
                       "ra": 10 + np.arange(n) * 0.01234})
    text = df.to_csv(index=False, sep=sep, decimal="," if sep == ";" else ".", lineterminator="\r\n")
    (tmp_path / "labels.csv").write_bytes(text.encode(encoding))
    return tmp_path / "labels.csv"


def test_decimal_comma_class_numbers_are_classes(tmp_path):
    p = _folder(tmp_path, [1.0, 2.0] * 4)
    assert "1,0" in p.read_text() and ";" in p.read_text()
    cs = read_cutout_folder(p, require_group=False)
    assert cs.labels.tolist()[:2] == ["1.0", "2.0"]
    assert label_classes(cs, {}).tolist() == [1, 2] * 4


def test_a_decimal_comma_fraction_is_no_class(tmp_path):
    cs = read_cutout_folder(_folder(tmp_path, [1.0, 0.5, 2.0, 2.0]), require_group=False)
    with pytest.raises(StarclassError, match=r"label '0\.5' is not a whole class number"):
        label_classes(cs, {})


def test_text_labels_of_a_semicolon_csv_are_kept(tmp_path):
    cs = read_cutout_folder(_folder(tmp_path, ["1,5", "cluster"] * 2), require_group=False)
    assert cs.labels.tolist() == ["1,5", "cluster"] * 2


@pytest.mark.parametrize("sep, encoding", [("\t", "utf-16"), (",", "utf-8")])
def test_a_decimal_comma_elsewhere_is_refused_saying_so(tmp_path, sep, encoding):
    p = _folder(tmp_path, [1.0, 2.0] * 4, sep=sep, encoding=encoding)
    cs = read_cutout_folder(p, require_group=False)
    assert cs.labels.tolist()[:2] == ["1,0", "2,0"]
    with pytest.raises(StarclassError, match="decimal comma") as err:
        label_classes(cs, {})
    assert "label_map" not in str(err.value) and "row 1" in str(err.value)


def test_train_on_decimal_comma_class_numbers(tmp_path):
    p = _folder(tmp_path, [1.0, 2.0] * 6)
    task = tmp_path / "num.yaml"
    task.write_text("extends: m31-real\nlabel_map: null\ngroup_column: null\nstamp_size: 16\npixel_scale: 1.496\n")
    res = runner.invoke(app, ["train", "--stamps", str(p), "--task", str(task), "--epochs", "1",
                              "-o", str(tmp_path / "model")])
    assert res.exit_code == 0, res.output
    assert "1 (cluster): 5, 2 (non-cluster): 5" in res.output, res.output


def test_decimal_comma_folds_are_folds(tmp_path):
    # the fold column is read by the same rule: "fold '1,0' is not an integer" before
    p = _folder(tmp_path, ["cluster", "galaxy"] * 4)
    text = p.read_text().splitlines()
    text = [text[0] + ";fold"] + [ln + f";{1 + i % 2},0" for i, ln in enumerate(text[1:])]
    p.write_text("\n".join(text) + "\n")
    cs = read_cutout_folder(p, require_group=False)
    assert cs.folds.tolist() == [1, 2] * 4
