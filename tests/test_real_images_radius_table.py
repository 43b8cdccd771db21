"""docs/real_images.md's table of errors by r_m31_deg quintile, recomputed from the committed fold files.

The table ("Where the best models fail") had gone stale: it was of an earlier run that scored all 869
PAndAS cutouts, where ``benchmarks/real_pandas_errors.py`` now leaves out the 2 blank ones, as
``classify --stamps`` does. Here the two commands the page gives are run as written (the benchmark on
``benchmarks/results_real_pandas``, then ``starclass evaluate --by r_m31_deg``) and every row of the page's
table is compared with the rows evaluate tables. No training: the fold files hold the probabilities.
Skipped without ``../shared/data/pandas-m31`` or the fold files.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from conftest import ROOT, SHARED_DATA, load_benchmark
from starclass.cli import app

RUNS = "resnet18-n128-e20 +TTA,compact-ft-sim12 +TTA"
HEADER = ("| r (deg) | cutouts | clusters / galaxies | errors | accuracy [95%] | recall, clusters | recall, galaxies "
          "| ROC AUC |")


def _page_rows() -> list[str]:
    lines = (ROOT / "docs" / "real_images.md").read_text(encoding="utf-8").splitlines()
    assert lines.count(HEADER) == 1, "docs/real_images.md: no single r_m31_deg table"
    at = lines.index(HEADER) + 2
    rows = []
    while lines[at].startswith("| "):
        rows.append(lines[at])
        at += 1
    return rows


def _cell(x: float) -> str:
    return f"{x:.3f}" if np.isfinite(x) else ""


@pytest.mark.slow
def test_the_radius_table_is_what_the_commands_print(tmp_path):
    labels = SHARED_DATA / "pandas-m31" / "labels.csv"
    folds = ROOT / "benchmarks" / "results_real_pandas"
    if not labels.exists():
        pytest.skip(f"{labels} not available")
    for run in ("resnet18-n128-e20", "compact-ft-sim12"):
        if len(list(folds.glob(f"{run}_fold[0-9].json"))) != 5:
            pytest.skip(f"{run}: the five fold files are not in {folds}")
    oof = tmp_path / "oof.csv"
    assert load_benchmark("real_pandas_errors").main(["--runs", RUNS, "-o", str(oof)]) == 0
    res = CliRunner().invoke(app, ["evaluate", str(oof), "--task", "m31-real", "--label-column", "label",
                                   "--by", "r_m31_deg", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    # the scored catalogue named by its file's stem since 2026-12-07 (it was 'prediction')
    by = Table.read(tmp_path / "ev" / "tables" / "by_r_m31_deg_oof_class_ref.ecsv")
    made = [f"| {r['group']} | {r['n']} | {r['n_ref_1']} / {r['n_ref_2']} | {r['errors']} | {r['accuracy']:.3f} "
            f"[{r['accuracy_lo']:.3f}, {r['accuracy_hi']:.3f}] | {_cell(r['recall_1'])} | {_cell(r['recall_2'])} | "
            f"{_cell(r['roc_auc'])} |" for r in by]
    assert _page_rows() == made
    # five quintiles and the pooled row; the blank cutouts left out, as classify --stamps leaves them
    assert len(made) == 6 and int(by["n"][-1]) == 867 and int(np.sum(by["n"][:-1])) == 867
    # the printed lines are the table's (the page says "as evaluate prints")
    first = by[0]
    # the count says rows or objects since 2026-12-07 (it was "n 174")
    head = re.escape(f"  {first['group']}: {first['n']} ")
    tail = re.escape(f", accuracy {first['accuracy']:.3f} [{first['accuracy_lo']:.3f}, {first['accuracy_hi']:.3f}], "
                     f"{first['errors']} errors, ROC AUC {first['roc_auc']:.3f}")
    assert re.search(head + "(?:rows|objects)" + tail, res.output), res.output
