"""A hand edit in column 35 (the people's mean class) of a standard LEGUS file no longer loses the column.

Before 2026-12-06 one value other than 0 on a row nobody inspected (a 7.5, a 2.33, a NaN typed in the
wrong row) made the reader decide that column 35 was no class mean at all: ``class_human_mean`` became
``legus_col35``, ``info`` dropped its line on the people's disagreement and every tool that bounds the
votes refused the file, without a word. Now such values, at most 1% of the rows (one at least), do not
decide the layout; they and means outside 1-4 on inspected rows are warned of by line.
"""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.datasets.catalogs import write_fake_legus_folder
from starclass.io.catalog import read_catalog

runner = CliRunner()


def _standard(tmp_path, edit=None):
    """A generated 35-column standard .tab: col 34 the class, col 35 its people's mean (0 where class 0)."""
    src = sorted(write_fake_legus_folder(tmp_path / "legus", n=150).glob("*.tab"))[0]
    means = {1: "1.33", 2: "2.00", 3: "2.67", 4: "3.67"}
    rows = []
    for k, line in enumerate(src.read_text().splitlines(), start=1):
        t = line.split()
        t.append(means.get(int(float(t[33])), "0.00"))
        if edit and k in edit:
            t[34] = edit[k]
        rows.append(" ".join(t))
    path = tmp_path / src.name
    path.write_text("\n".join(rows) + "\n")
    return path, [r.split() for r in rows]


def test_the_generated_file_has_a_class_mean(tmp_path):
    path, _ = _standard(tmp_path)
    t = read_catalog(path, require_xy=False)
    assert "class_human_mean" in t.colnames


def test_a_stray_value_on_an_uninspected_row_keeps_the_mean_and_is_warned_of(tmp_path):
    _, rows = _standard(tmp_path / "a")
    line = next(k for k, r in enumerate(rows, start=1) if float(r[33]) == 0)
    path, _ = _standard(tmp_path / "b", edit={line: "7.5"})
    with pytest.warns(UserWarning, match=rf"column 35 \(class_human_mean\): 1 of 150 values that are no mean .*"
                                         rf"\(7.5\) read as 0, as for a source not inspected, at line {line} "):
        t = read_catalog(path, require_xy=False)
    assert t.meta["legus_layout"] == "standard" and "class_human_mean" in t.colnames
    assert float(t["class_human_mean"][line - 1]) == 0.0
    res = runner.invoke(app, ["info", str(path)])
    assert res.exit_code == 0 and "human disagreement" in res.output and f"line {line}" in res.output


def test_a_nan_mean_on_an_inspected_row_is_warned_of(tmp_path):
    _, rows = _standard(tmp_path / "a")
    line = next(k for k, r in enumerate(rows, start=1) if float(r[33]) == 2)
    path, _ = _standard(tmp_path / "b", edit={line: "nan"})
    with pytest.warns(UserWarning, match=rf"\(nan\) read as no mean \(NaN\).* at line {line} "):
        t = read_catalog(path, require_xy=False)
    assert np.isnan(t["class_human_mean"][line - 1]) and "class_human_mean" in t.colnames
