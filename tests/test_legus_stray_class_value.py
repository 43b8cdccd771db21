"""NGC 4242's column 35 holds 50 on line 386 of its file: a typo among the people's classes 1-4.

The files' README calls NGC 4242's class column uncertain ("do not rely on their class columns
without more evidence"), and starclass has two routes to it: ``--map class_ref=35`` (the reader:
warned of by its line, read as 0, since 2026-12-06) and, for ``evaluate``/``report``,
``--reference-column legus_col35`` (or ``--pred-column``), the route its own hint names.

Before: that second route was refused for the whole file, "legus_col35 is not a class column: not whole
numbers 0-4, or no class 1-4", naming neither the one value nor its line, so NGC 4242's 233 classified
rows could not be scored at all. Now a column of classes 0-4 but on at most 1% of its rows (one at
least, the rule that tells the layouts apart) is a class column; each such value is warned of with
its line of the file (the reader's count, comment lines above the rows included) and its source id,
and read as 0: no class, not scored. A column with more such values is still refused.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from conftest import SHARED_DATA  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.io.catalog import read_catalog
from test_io_legus import _line, _standard_row

runner = CliRunner()

#: col 35 of the generated file: the people's classes, with a typo (50) on the fifth row
CLASSES35 = [1, 2, 3, 4, 50, 2, 3, 1, 4, 4, 1, 2, 0, 0]
NAME = "hlsp_legus_hst_wfc3_ngcv_multiband_v1_padagb-mwext-avgapcor.tab"
HEADER = "# a header line above the rows, so that a row's index is not its line\n"


def _file(folder, classes=CLASSES35):
    # NGC 4242's layout: 37 columns, col 34 a 0/1 flag, col 35 the classes, 36-37 small whole numbers
    rows = [_standard_row(i, int(c > 0), float(c), extra=(int(c > 0), 1)) for i, c in enumerate(classes, 1)]
    p = folder / NAME
    p.write_text(HEADER + "\n".join(_line(r) for r in rows) + "\n")
    return p


def _truth(folder):
    i = np.arange(1, len(CLASSES35) + 1)
    truth = np.array([1, 2, 3, 3, 2, 2, 1, 1, 4, 1, 1, 2, 3, 4], np.int16)
    # the reader's x, y: 1-based file positions 10 + i, 20 + i, less 1
    Table({"id": i, "x": 9.0 + i, "y": 19.0 + i, "class_ref": truth, "class_pred": truth}).write(folder / "t.ecsv")
    return folder / "t.ecsv", truth


def _run(*args):
    return runner.invoke(app, ["evaluate", *map(str, args), "--no-science", "--bootstrap", "0"])


def _accuracy(out):
    summary = Table.read(next((out / "tables").glob("summary_*.ecsv")))
    return float(summary["accuracy"][summary["merge"] == "4class"][0])


def test_the_mapped_class_names_the_line_of_the_file_not_the_row(tmp_path):
    with pytest.warns(UserWarning, match=r"column 35 \(class_ref\): 1 of 14 values outside 0-4 \(50\) read as 0, "
                                         r"no class: the class is unknown \(a value outside the "
                                         r"scheme of classes 0-4\), at line 6 of the file \(id 5: 50\)"):
        t = read_catalog(_file(tmp_path), column_map={"35": "class_ref"})
    assert t["class_ref"].tolist() == [1, 2, 3, 4, 0, 2, 3, 1, 4, 4, 1, 2, 0, 0]


def test_info_says_the_typed_class_is_unknown_not_uninspected(tmp_path):
    # the 50 stands among the people's classes on a row they inspected (col 34 is 1 there): the warning said
    # "read as 0, not inspected" of it until 2026-12-06
    p = _file(tmp_path)
    before = p.read_bytes()
    res = runner.invoke(app, ["info", str(p), "--map", "class_ref=35"])
    assert res.exit_code == 0, res.output
    (said,) = [s for s in res.output.splitlines() if "column 35 (class_ref)" in s]
    assert ("1 of 14 values outside 0-4 (50) read as 0, no class: the class is unknown (a value outside the scheme "
            "of classes 0-4), at line 6 of the file (id 5: 50)") in said, said
    assert "not inspected" not in said
    assert ("class_ref: 1 (symmetric compact cluster): 3  2 (asymmetric compact cluster): 3  3 (compact association): 2"
            "  4 (artefact / non-cluster): 3  (11 labelled, 3 without a label)") in res.output, res.output
    assert p.read_bytes() == before and sorted(x.name for x in tmp_path.iterdir()) == [NAME]


def test_as_the_reference_the_typo_is_named_by_line_and_not_scored(tmp_path):
    tab = _file(tmp_path)
    pred_path, pred = _truth(tmp_path)
    out = tmp_path / "ev"
    res = _run(pred_path, "-r", tab, "--reference-column", "legus_col35", "-o", out)
    # the old code: exit 2, "legus_col35 is not a class column"
    assert res.exit_code == 0, res.output
    said = " ".join(res.output.split())
    assert (f"{NAME}: column 35 (legus_col35): 1 of 14 values outside 0-4 (50) at line 6 of the file (id 5: 50) "
            "read as 0, no class") in said, said
    ref = np.asarray(CLASSES35)
    scored = np.isin(ref, [1, 2, 3, 4])  # the 50 neither a class nor a fifth one
    assert _accuracy(out) == pytest.approx(np.mean(pred[scored] == ref[scored]))
    assert "Traceback" not in res.output


def test_as_the_prediction_the_typo_is_named_and_not_a_class(tmp_path):
    tab = _file(tmp_path)
    truth_path, truth = _truth(tmp_path)
    out = tmp_path / "ev"
    res = _run(tab, "--pred-column", "legus_col35", "-r", truth_path, "-o", out)
    assert res.exit_code == 0, res.output
    assert "at line 6 of the file (id 5: 50) read as 0, no class" in " ".join(res.output.split()), res.output
    pred = np.asarray(CLASSES35)
    scored = np.isin(pred, [1, 2, 3, 4])
    assert _accuracy(out) == pytest.approx(np.mean(pred[scored] == truth[scored]))


def test_more_than_a_few_such_values_is_no_class_column(tmp_path):
    # two in 14 rows: more than 1% of them, as a layout is told apart; refused as before, the file untouched
    tab = _file(tmp_path, [1, 2, 3, 4, 50, 2, 3, 1, 4, 7, 1, 2, 0, 0])
    before = tab.read_bytes()
    pred_path, _ = _truth(tmp_path)
    res = _run(pred_path, "-r", tab, "--reference-column", "legus_col35", "-o", tmp_path / "ev")
    assert res.exit_code == 2, res.output
    assert "legus_col35 is not a class column" in " ".join(res.output.split())
    assert not (tmp_path / "ev").exists() and tab.read_bytes() == before


@pytest.mark.skipif(not (SHARED_DATA / "legus").is_dir(), reason="needs ../shared/data/legus")
def test_ngc4242s_people_classes_are_scored_without_its_typo(tmp_path):
    tab = next((SHARED_DATA / "legus").glob("*_ngc4242_*.tab"))
    lines = tab.read_text().splitlines()
    assert lines[385].split()[0] == "386" and float(lines[385].split()[34]) == 50.0  # line 386 of the file
    out = tmp_path / "ev"
    res = _run(tab, "--pred-column", "legus_col36", "-r", "self", "--reference-column", "legus_col35", "-o", out)
    assert res.exit_code == 0, res.output
    said = " ".join(res.output.split())
    assert ("column 35 (legus_col35): 1 of 1080 values outside 0-4 (50) at line 386 of the file (id 386: 50) read "
            "as 0, no class") in said, said
    # the classified rows of col 35 as the file has them (117 / 60 / 14 / 42), the 50 not among them
    col35 = np.array([float(s.split()[34]) for s in lines])
    assert int(np.isin(col35, [1, 2, 3, 4]).sum()) == 233
    assert "233 classified in both" in said, said
