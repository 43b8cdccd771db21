"""A ``classify --stamps`` CSV opened and saved again in a spreadsheet is still a classified folder.

Excel's "CSV UTF-8" starts the file with a byte-order mark and ends its lines with CRLF; in
locales with a decimal comma it separates the fields with ';', and tools that export for Excel
put a ``sep=;`` line above the header. The cutout reader took all of these (labels.csv), but the
readers of a *classified* folder used astropy's plain CSV reader: the first column became
``\\ufefffile`` (or the whole header one column), so ``evaluate`` and ``report`` refused the
classification as "required column 'id' missing" while listing ``file`` among its columns,
``suggest`` called it "not classified", ``info`` left out its class counts, and ``inspect
--stamps`` said "no 'file' column". The catalogue reader itself took the ``sep=;`` line for the
header ("Number of header columns ... inconsistent").
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from astropy.table import Table
from sklearn.metrics import accuracy_score
from typer.testing import CliRunner

from starclass.cli import app
from starclass.cli.info_cmd import classified_csv_lines
from starclass.evaluate.compare import read_cutout_output
from starclass.learn.config import get_preset

runner = CliRunner()
M31_CLASS = {"cluster": 1, "extended_cluster": 1, "galaxy": 2}


def _classified(n: int = 30, seed: int = 0) -> Table:
    """What classify --stamps writes for m31-real, read back from a CSV: no meta, no positions."""
    rng = np.random.default_rng(seed)
    labels = rng.choice(list(M31_CLASS), n, p=[0.45, 0.1, 0.45])
    y = np.array([M31_CLASS[s] for s in labels])
    p1 = np.clip(np.where(y == 1, 0.65, 0.35) + rng.normal(0, 0.25, n), 0.001, 0.999)
    return Table({"file": [f"{lab}/o{i}.png" for i, lab in enumerate(labels)], "label": labels,
                  "object_id": [f"O{i}" for i in range(n)], "class_pred": np.where(p1 >= 0.5, 1, 2),
                  "prob_1": p1, "prob_2": 1 - p1})


def _as_excel_saves(t: Table, path, style: str):
    """``t`` written as Excel saves a CSV: 'utf8' (byte-order mark, CRLF), 'semicolon', 'sepline'."""
    sep = "," if style == "utf8" else ";"
    lines = [sep.join(t.colnames)] + [sep.join(str(v) for v in row) for row in t]
    if style == "sepline":
        lines.insert(0, "sep=;")
    text = "\r\n".join(lines) + "\r\n"
    path.write_bytes((b"\xef\xbb\xbf" if style == "utf8" else b"") + text.encode("utf-8"))
    return path


STYLES = ["utf8", "semicolon", "sepline"]


@pytest.mark.parametrize("style", STYLES)
def test_a_resaved_classification_reads_as_one(tmp_path, style):
    t = _classified()
    p = _as_excel_saves(t, tmp_path / "out.csv", style)
    back = read_cutout_output(p)
    assert back is not None and back.colnames == t.colnames
    assert list(back["label"]) == list(t["label"]) and list(back["class_pred"]) == list(t["class_pred"])
    assert np.allclose(back["prob_1"], t["prob_1"])
    # info OUT.csv: its class counts, as for the CSV classify wrote
    assert classified_csv_lines(p) and classified_csv_lines(p)[0].startswith("class_pred:")


@pytest.mark.parametrize("style", STYLES)
def test_evaluate_scores_a_resaved_classification_and_labels(tmp_path, style):
    t = _classified()
    p = _as_excel_saves(t, tmp_path / "out.csv", style)
    want = accuracy_score([M31_CLASS[s] for s in t["label"]], t["class_pred"])
    res = runner.invoke(app, ["evaluate", str(p), "--label-column", "label", "--task", "m31-real",
                              "-o", str(tmp_path / "ev"), "--bootstrap", "0"])
    assert res.exit_code == 0, res.output
    summary = json.loads((tmp_path / "ev" / "summary.json").read_text())
    assert summary["headline"]["out_class_ref"]["2class"] == pytest.approx(want, abs=1e-4)
    # the folder's labels as the reference (-r), saved by Excel, beside a plain classification
    t.write(tmp_path / "plain.csv")
    labels = _as_excel_saves(t["file", "label"], tmp_path / "labels.csv", style)
    res = runner.invoke(app, ["evaluate", str(tmp_path / "plain.csv"), "-r", str(labels), "--label-column", "label",
                              "--task", "m31-real", "-o", str(tmp_path / "ev2"), "--bootstrap", "0"])
    assert res.exit_code == 0, res.output
    assert "paired by file" in res.output and "required column 'id'" not in res.output


@pytest.mark.parametrize("style", STYLES)
def test_inspect_serves_a_resaved_list_and_its_predictions(tmp_path, style):
    from starclass.inspect.cutouts import load_cutout_field, read_cutout_list
    from test_inspect_stamps import make_folder

    labels = make_folder(tmp_path / "data", n=2)
    t = Table.read(labels)
    t["class_pred"] = [1, 1, 2, 2]
    t["prob_1"] = [0.9, 0.6, 0.3, 0.2]
    t["prob_2"] = 1 - t["prob_1"]
    listed = _as_excel_saves(t, tmp_path / "data" / "suggest.csv", style)
    cfg = get_preset("m31-real")
    assert read_cutout_list(listed, cfg).ids == [str(f) for f in t["file"]]
    # --predictions: a classification of the folder, saved by Excel
    field = load_cutout_field(labels, cfg, predictions=listed, cache_dir=tmp_path / "cache")
    assert field.predictions is not None
    assert [field.predictions[r]["class_pred"] for r in range(4)] == [1, 1, 2, 2]


def test_a_catalogue_below_excels_separator_line(tmp_path):
    from starclass.io.catalog import read_table

    p = tmp_path / "cat.csv"
    p.write_bytes(b"sep=;\r\nid;x;y\r\n007;10.5;20\r\n008;11;21\r\n")
    t = read_table(p)
    assert t.colnames == ["id", "x", "y"] and list(t["id"]) == ["007", "008"]
