"""A ';'-separated CSV with decimal commas (European Excel) is read with its numbers as numbers.

pandas ``to_csv(sep=';', decimal=',')``, as Excel in a decimal-comma locale saves a CSV, writes
``ra`` as ``11,1231667``: the cutout reader passed it through classify as text, so ``evaluate
--by ra`` grouped by text; a classified CSV saved so had its ``prob_<k>`` as text.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.io.cutout_folders import read_cutout_folder

runner = CliRunner()


def _folder(tmp_path, sep=";", decimal=","):
    rng = np.random.default_rng(0)
    for i in range(8):
        np.save(tmp_path / f"c{i}.npy", rng.normal(size=(8, 8)).astype(np.float32))
    df = pd.DataFrame({"file": [f"c{i}.npy" for i in range(8)], "label": ["cluster", "galaxy"] * 4,
                       "ra": 10.0 + np.arange(8) * 0.1234567, "dec": [41.5, np.nan, *(41.25 + np.arange(6))],
                       "ccd": np.arange(8), "note": ["a,b"] * 8, "pair": ["1,5"] * 7 + ["x"]})
    df.to_csv(tmp_path / "labels.csv", sep=sep, decimal=decimal, index=False)
    return tmp_path / "labels.csv", df


def test_a_cutout_folders_decimal_commas_are_numbers(tmp_path):
    path, df = _folder(tmp_path)
    assert "10,1234567" in path.read_text()
    t = read_cutout_folder(path, require_group=False).table
    assert t["ra"].dtype.kind == "f" and np.allclose(t["ra"], df["ra"])
    # a blank cell (pandas' NaN) is NaN among the numbers, not a reason to keep the column as text
    assert t["dec"].dtype.kind == "f" and np.isnan(t["dec"][1]) and t["dec"][0] == 41.5
    assert t["ccd"].dtype.kind == "i"
    # text that is no number stays text: a column with one such value too
    assert t["note"].dtype.kind == "U" and t["pair"].dtype.kind == "U" and t["pair"][0] == "1,5"


def test_a_comma_separated_csv_is_left_as_it_was(tmp_path):
    # quoted "1,5" in a ','-separated file is text, as before (only a ';' file has decimal commas)
    path, _ = _folder(tmp_path, sep=",", decimal=".")
    t = read_cutout_folder(path, require_group=False).table
    assert t["ra"].dtype.kind == "f" and t["pair"].dtype.kind == "U"


def test_evaluate_by_ra_of_a_classification_saved_with_decimal_commas(tmp_path):
    n = 40
    rng = np.random.default_rng(1)
    p1 = rng.uniform(size=n)
    ref = np.where(rng.uniform(size=n) < p1, 1, 2)
    df = pd.DataFrame({"file": [f"c{i}.png" for i in range(n)], "ra": 10.0 + rng.uniform(size=n),
                       "class_pred": np.where(p1 >= 0.5, 1, 2), "prob_1": p1, "prob_2": 1 - p1, "class_ref": ref})
    df.to_csv(tmp_path / "c.csv", sep=";", decimal=",", index=False)
    r = runner.invoke(app, ["evaluate", str(tmp_path / "c.csv"), "--by", "ra", "-o", str(tmp_path / "ev"),
                            "--bootstrap", "0", "--no-science"])
    assert r.exit_code == 0, r.output
    assert "by ra (binned at the quantiles into" in r.output, r.output
    t = Table.read(next((tmp_path / "ev" / "tables").glob("*by_ra*")))
    assert len(t) < n  # bins of numbers, not one group per text value
