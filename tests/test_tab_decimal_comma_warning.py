"""Decimal-comma numbers in a tab-separated table (Excel's "Unicode Text" in a decimal-comma locale) are warned of.

A comma is read as the decimal mark only in a ';'-separated CSV. Before: in a tab-separated file
(UTF-16 "Unicode Text", or a UTF-8 tab file named .csv) a column of ``11,5`` stayed text without a word:
a cutout folder's ``ra`` passed through ``classify --stamps`` as text, and ``evaluate`` of such a
classification said only "prediction column 'prob_1' ... is '0,31', not a number". Now the cutout
reader and the catalogue reader warn once, naming the file and the columns, with what to do; the
columns stay text, as the rule says.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.io.catalog import read_catalog
from starclass.io.cutout_folders import read_cutout_folder

runner = CliRunner()


def _tab(df: pd.DataFrame, path, encoding: str):
    text = df.to_csv(index=False, sep="\t", decimal=",", lineterminator="\r\n")
    path.write_bytes(text.encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8"])
def test_a_cutout_folder_warns_of_its_decimal_commas(tmp_path, encoding):
    for i in range(4):
        np.save(tmp_path / f"c{i}.npy", np.full((8, 8), float(i), np.float32))
    df = pd.DataFrame({"file": [f"c{i}.npy" for i in range(4)], "label": ["cluster", "galaxy"] * 2,
                       "ra": [10.5, 10.25, 10.125, 10.0625], "pair": ["1,5"] * 3 + ["x"]})
    p = _tab(df, tmp_path / "labels.csv", encoding)
    with pytest.warns(UserWarning, match=r"labels\.csv: column 'ra' holds numbers written with a decimal comma "
                                         r"\('10,5'\).*save the file with a decimal point, or as CSV separated by ';'"):
        cs = read_cutout_folder(p, require_group=False)
    assert cs.table["ra"].tolist()[0] == "10,5"  # kept as text: the rule reads decimal commas after ';' only


@pytest.mark.parametrize("encoding", ["utf-16", "utf-8"])
def test_info_of_a_catalogue_warns_once_and_names_the_columns(tmp_path, encoding):
    df = pd.DataFrame({"id": [1, 2], "x": [10.5, 11.5], "y": [3.25, 4.25], "name": ["a", "b"]})
    p = _tab(df, tmp_path / "cat.csv", encoding)
    with pytest.warns(UserWarning, match=r"columns 'x', 'y' hold numbers written with a decimal comma \('10,5'\)"):
        with pytest.raises(Exception, match="not a number"):
            read_catalog(p)
    q = _tab(df, tmp_path / "cat2.csv", encoding)
    res = runner.invoke(app, ["info", str(q)])
    assert res.exit_code == 2 and res.output.count("decimal comma") == 1, res.output
    assert "columns 'x', 'y' hold" in res.output and "'name'" not in res.output, res.output


def test_a_semicolon_file_is_read_without_a_warning(tmp_path, recwarn):
    p = tmp_path / "cat.csv"
    pd.DataFrame({"id": [1, 2], "x": [10.5, 11.5], "y": [3.25, 4.25]}).to_csv(p, sep=";", decimal=",", index=False)
    assert read_catalog(p)["x"].tolist() == [10.5, 11.5]
    assert not [w for w in recwarn if "decimal comma" in str(w.message)]
