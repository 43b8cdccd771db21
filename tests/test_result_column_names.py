"""Every column of the tables evaluate writes is an identifier (pandas ``t.name``, ``df.eval``, TOPCAT).

Before 2026-12-05 ``agreement_table.ecsv`` and ``agreement_vs_*.ecsv`` had ``class_1+2`` beside
``class_1``: ``df.eval("class_1+2")`` in pandas (and TOPCAT's expression of that name) is the column
``class_1`` plus 2, not the clusters' agreement. ``score_quantiles_*.ecsv`` had ``frac_above_0.8`` and
``evaluate --catalogs``' ``ladder_per_field.ecsv`` ``4class_gbm`` (a name that starts with a digit).
They are now ``class_1_2``, ``frac_above_0p8`` and ``accuracy_4class_gbm``
(``starclass.schema.group_column``); tables written before are read under the new names.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.report import figures as F
from test_science_many import FIELDS, tab_name, write_tab

# the evaluations' and reports' figures are built but not rendered to PNG (conftest's unrendered_figures): these
# tests read the printed lines, tables and pages around them, and rendering was about half of each command
pytestmark = pytest.mark.usefixtures("unrendered_figures")

runner = CliRunner()


def _catalogues(folder):
    """A classified catalogue with probabilities and a reference, 40 objects on one grid."""
    rng = np.random.default_rng(3)
    n = 40
    ref = np.tile([1, 2, 3, 4], n // 4).astype(np.int16)
    pred = ref.copy()
    pred[::5] = np.int16(2)  # some mistakes: 1 -> 2, 3 -> 2 ...
    probs = rng.dirichlet(np.ones(4), n) * 0.3
    probs[np.arange(n), pred - 1] += 0.7
    pos = {"id": np.arange(1, n + 1), "x": 20.0 * (np.arange(n) % 8), "y": 20.0 * (np.arange(n) // 8),
           "mag_f555w": np.linspace(20, 25, n)}
    p = Table({**pos, "class_pred": pred, **{f"prob_{k}": probs[:, k - 1] for k in (1, 2, 3, 4)}})
    r = Table({**pos, "class_ref": ref})
    p.write(folder / "pred.ecsv")
    r.write(folder / "truth.ecsv")
    return p, r


def test_every_column_evaluate_writes_is_an_identifier(tmp_path):
    pred, truth = _catalogues(tmp_path)
    res = runner.invoke(app, ["evaluate", str(tmp_path / "pred.ecsv"), "-r", str(tmp_path / "truth.ecsv"),
                              "--bootstrap", "0", "--no-science", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    tables = sorted((tmp_path / "ev" / "tables").glob("*.ecsv"))
    names = {f.name: Table.read(f).colnames for f in tables}
    assert [(f, c) for f, cols in names.items() for c in cols if not c.isidentifier()] == []

    agree = Table.read(tmp_path / "ev" / "tables" / "agreement_table.ecsv")
    # the clusters' agreement fraction, by hand: mean of n_both / n_pred and n_both / n_ref over 1+2
    a, b = np.isin(pred["class_pred"], (1, 2)), np.isin(truth["class_ref"], (1, 2))
    want = 0.5 * ((a & b).sum() / a.sum() + (a & b).sum() / b.sum())
    assert float(agree["class_1_2"][0]) == pytest.approx(want)
    # what a pandas user writes now reads that column, not class_1 plus 2
    df = agree.to_pandas()
    assert df.class_1_2[0] == pytest.approx(want)
    assert df.eval("class_1_2")[0] == pytest.approx(want)

    quart = Table.read(tmp_path / "ev" / "tables" / "score_quantiles_truth.ecsv")
    scores = np.asarray([pred[f"prob_{k}"][i] for i, k in enumerate(pred["class_pred"])])
    for row in quart:
        mine = scores[np.asarray(pred["class_pred"]) == row["class_pred"]]
        assert row["frac_above_0p8"] == pytest.approx(np.mean(mine > 0.8))


def test_ladder_per_field_columns_are_identifiers(tmp_path):
    d = tmp_path / "legus"
    d.mkdir()
    rng = np.random.default_rng(1)
    for j, part in enumerate(FIELDS):
        n = 40
        cls = rng.choice([1, 2, 3, 4], size=n)
        write_tab(d / tab_name(part), cls, np.where(cls <= 2, 1.8, 1.4), rng.uniform(21, 24, n), seed=j)
    res = runner.invoke(app, ["evaluate", "--catalogs", str(d), "--min-inspected", "10", "-o", str(tmp_path / "m")])
    assert res.exit_code == 0, res.output
    for f in (tmp_path / "m" / "tables").glob("*.ecsv"):
        assert [c for c in Table.read(f).colnames if not c.isidentifier()] == [], f.name
    per = Table.read(tmp_path / "m" / "tables" / "ladder_per_field.ecsv")
    assert {"accuracy_4class_gbm", "accuracy_binary_majority"} <= set(per.colnames)
    assert pd.DataFrame(per.as_array()).eval("accuracy_4class_gbm").between(0, 1).all()


def test_tables_written_before_are_read_under_the_new_names():
    from starclass.schema import frac_above_col, group_column, renamed_result_columns

    old = Table({"comparison": ["a vs. b"], "n_matched": [10], "class_1": [0.5], "class_2": [0.4],
                 "class_3": [0.3], "class_4": [0.2], "mean": [0.35], "class_1+2": [0.8]})
    fig = F.fig_agreement_bars(old, "old file")
    heights = [p.get_height() for p in fig.axes[0].patches]
    assert heights == pytest.approx([0.5, 0.4, 0.3, 0.2, 0.35, 0.8])
    assert renamed_result_columns(Table({"frac_above_0.8": [0.1], "4class_gbm": [0.5]})).colnames == [
        "frac_above_0p8", "accuracy_4class_gbm"]
    assert group_column("1+2") == "class_1_2" and frac_above_col() == "frac_above_0p8"
