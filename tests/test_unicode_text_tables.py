"""Tables saved as Excel's "Unicode Text" (UTF-16 with its byte-order mark, tab-separated) are read.

The CSVs read row by row (a cutout folder's labels.csv) took UTF-16 since 2026-12-04, but the tables
read through astropy did not: a candidate catalogue (``--catalog``, ``info``), a votes table (``train
--labels``, ``classify --votes``) and a classified CSV (``evaluate``) saved so were refused as "line 1
is not UTF-8 text ('\\xff\\xfei d ...', byte 0xff): the CSV was saved in another encoding (Excel's
'CSV (Comma delimited)' writes the Windows code page)", which it was not. Now the catalogue reader's
options (``_text_options``, ``csv_table_options``) read such a file as UTF-16 with its tab.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.evaluate.compare import read_cutout_output
from starclass.io.catalog import read_catalog, read_table
from starclass.learn.labels import read_votes

runner = CliRunner()


def _unicode_text(df: pd.DataFrame, path):
    """``df`` as Excel's "Unicode Text" saves it: UTF-16 (byte-order mark), tabs, CRLF."""
    path.write_bytes(df.to_csv(index=False, sep="\t", lineterminator="\r\n").encode("utf-16"))
    return path


def _catalogue() -> pd.DataFrame:
    return pd.DataFrame({"id": ["007", "008", "009"], "x": [10.5, 20.25, 30.0], "y": [5.5, 6.5, 7.5],
                         "ra": [11.1231667, 11.2, 11.3], "dec": [41.5, 41.6, 41.7],
                         "note": ["blend, faint", "ok", "a;b"]})


@pytest.mark.parametrize("name", ["cat.csv", "cat.txt"])
def test_a_catalogue_saved_as_unicode_text(tmp_path, name):
    df = _catalogue()
    p = _unicode_text(df, tmp_path / name)
    t = read_catalog(p)
    if name.endswith(".csv"):  # zero-padded ids kept as text, as in a UTF-8 CSV (a .txt reads them as numbers)
        assert t["id"].tolist() == ["007", "008", "009"]
    assert np.allclose(t["x"], df["x"]) and np.allclose(t["ra"], df["ra"])
    assert t["note"].tolist() == df["note"].tolist()
    res = runner.invoke(app, ["info", str(p)])
    assert res.exit_code == 0 and "rows: 3" in res.output, res.output


def test_a_votes_table_saved_as_unicode_text(tmp_path):
    df = pd.DataFrame({"id": ["0001", "0002", "0003"], "class_h1": [1, 2, 1], "class_h2": [1, 2, 2]})
    p = _unicode_text(df, tmp_path / "humans.csv")
    t = read_votes(p)
    assert t["id"].tolist() == ["0001", "0002", "0003"]
    assert t["class_h1"].tolist() == [1, 2, 1] and t["class_h2"].tolist() == [1, 2, 2]
    assert read_table(p).colnames == ["id", "class_h1", "class_h2"]


def _classified(n: int = 40) -> pd.DataFrame:
    rng = np.random.default_rng(0)
    lab = rng.choice(["cluster", "galaxy"], n)
    y = np.where(lab == "cluster", 1, 2)
    p1 = np.clip(np.where(y == 1, 0.65, 0.35) + rng.normal(0, 0.25, n), 0.001, 0.999)
    return pd.DataFrame({"file": [f"{s}/o{i}.png" for i, s in enumerate(lab)], "label": lab,
                         "object_id": [f"O{i}" for i in range(n)], "class_pred": np.where(p1 >= 0.5, 1, 2),
                         "prob_1": p1, "prob_2": 1 - p1})


def test_evaluate_reads_a_classification_saved_as_unicode_text(tmp_path):
    df = _classified()
    plain = tmp_path / "plain.csv"
    df.to_csv(plain, index=False)
    p = _unicode_text(df, tmp_path / "out.csv")
    back = read_cutout_output(p)
    assert back is not None and back.colnames == list(df.columns)
    assert np.allclose(back["prob_1"], df["prob_1"]) and back["label"].tolist() == df["label"].tolist()
    scores = []
    for i, f in enumerate((plain, p)):
        res = runner.invoke(app, ["evaluate", str(f), "--label-column", "label", "--task", "m31-real",
                                  "-o", str(tmp_path / f"ev{i}"), "--bootstrap", "0", "--no-science"])
        assert res.exit_code == 0, res.output
        # the comparison named by the file's stem since 2026-12-07 (plain_class_ref, out_class_ref): its figures
        (scores_of,) = json.loads((tmp_path / f"ev{i}" / "summary.json").read_text())["headline"].values()
        scores.append(scores_of)
    assert scores[0] == scores[1]
