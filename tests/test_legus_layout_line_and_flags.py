"""A LEGUS layout line that says what was read, and the README's 0/1 flags refused as classes.

``info NGC1566.tab --map class_ref=36`` counted column 36's classes under "LEGUS layout: hybrid: col 34 final hybrid
class ...". ``evaluate FILE --pred-column legus_col36`` (column 36 of a 36-column standard file, which the LEGUS
README calls a 0/1 flag) and NGC 3274's ``legus_col35`` (0/1 in place of the people's mean, the README's exception)
scored a flag as classes, warning only that every source was "in class 1".
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import SHARED_DATA  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.datasets.catalogs import write_fake_legus_folder

runner = CliRunner()
LEGUS_DIR = SHARED_DATA / "legus"


def _tab(tmp_path: Path, *extra: np.ndarray) -> Path:
    """A synthetic 34-column LEGUS file with ``extra`` columns after column 34."""
    tab = sorted(write_fake_legus_folder(tmp_path / "legus").glob("*.tab"))[0]
    raw = np.loadtxt(tab)
    n = len(raw)
    raw = np.column_stack([raw, *[np.resize(c, n) for c in extra]])
    np.savetxt(tab, raw, fmt="%.5f")
    return tab


def _hybrid(tmp_path: Path) -> Path:
    tab = sorted(write_fake_legus_folder(tmp_path / "legus").glob("*.tab"))[0]
    raw = np.loadtxt(tab)
    n = len(raw)
    cls = np.resize([1, 2, 3, 4], n).astype(float)
    raw[:, 33] = cls
    method = np.resize([0, 1, 3, 4, 6], n).astype(float)
    people = np.where(np.isin(method, (3, 4)), cls, 0)
    raw = np.column_stack([raw, method, people, cls, cls, np.zeros(n)])
    np.savetxt(tab, raw, fmt="%.5f")
    return tab


def _layout_line(output: str) -> str:
    lines = [line for line in output.splitlines() if line.startswith("LEGUS layout: ")]
    assert len(lines) == 1, output
    return lines[0]


def test_layout_line_of_a_mapped_hybrid_file_says_what_was_read(tmp_path):
    tab = _hybrid(tmp_path)
    plain = runner.invoke(app, ["info", str(tab)])
    assert plain.exit_code == 0, plain.output
    assert _layout_line(plain.output).startswith("LEGUS layout: hybrid: col 34 final hybrid class"), plain.output
    res = runner.invoke(app, ["info", str(tab), "--map", "class_ref=36"])
    assert res.exit_code == 0, res.output
    line = " ".join(_layout_line(res.output).split())
    assert line.startswith("LEGUS layout: hybrid: class_ref read from col 36 (the layout's class_human_mode), as the "
                           "column map names it; col 34, the layout's class column, read as class_hybrid"), line


def test_layout_line_of_a_mapped_standard_file(tmp_path):
    tab = _tab(tmp_path, np.array([1.5, 2.0, 2.5]), np.array([0.0, 1.0]))
    res = runner.invoke(app, ["info", str(tab), "--map", "class_ref=35"])
    assert res.exit_code == 0, res.output
    line = _layout_line(res.output)
    assert "class_ref read from col 35" in line and "read as legus_col34" in line, line
    # the map naming the layout's own class column changes nothing
    same = runner.invoke(app, ["info", str(tab), "--map", "class_ref=34"])
    assert _layout_line(same.output) == _layout_line(runner.invoke(app, ["info", str(tab)]).output), same.output


def test_ngc1566_mapped_to_its_peoples_mode(legus_tab):
    res = runner.invoke(app, ["info", str(legus_tab), "--map", "class_ref=36"])
    assert res.exit_code == 0, res.output
    line = _layout_line(res.output)
    assert line.startswith("LEGUS layout: hybrid: class_ref read from col 36 (the layout's class_human_mode)"), line


def _scored(tab: Path, tmp_path: Path, *opts: str):
    out = tmp_path / "ev"
    res = runner.invoke(app, ["evaluate", str(tab), "-r", "self", "--bootstrap", "0", "-o", str(out), *opts])
    return res, " ".join(res.output.split()), out


def test_the_readmes_flag_of_a_36_column_file_is_refused_as_classes(tmp_path):
    from starclass.evaluate.compare import legus_class_columns
    from starclass.io.catalog import read_catalog

    tab = _tab(tmp_path, np.array([1.5, 2.0, 2.5]), np.array([0.0, 1.0, 1.0]))
    assert "legus_col36" not in legus_class_columns(read_catalog(tab))
    for opt in ("--pred-column", "--reference-column"):
        args = (opt, "legus_col36") if opt == "--pred-column" else (opt, "legus_col36", "--pred-column", "class_ref")
        res, out, where = _scored(tab, tmp_path, *args)
        assert res.exit_code == 2 and "Traceback" not in res.output and not where.exists(), res.output
        assert "legus_col36 is the LEGUS README's 0/1 flag of 36-column files" in out, out
        assert "all" not in out.split("error:")[0], out  # no warning of "all in class 1" before it


def test_a_0_1_column_of_unknown_meaning_is_still_taken(tmp_path):
    # NGC 3351's layout: col 34 only 0/1, the class column unknown; its columns stay scorable as classes
    from starclass.evaluate.compare import legus_class_columns
    from starclass.io.catalog import read_catalog

    tab = sorted(write_fake_legus_folder(tmp_path / "legus").glob("*.tab"))[0]
    raw = np.loadtxt(tab)
    n = len(raw)
    raw[:, 33] = np.resize([0, 1], n)
    raw = np.column_stack([raw, np.resize([1, 2, 3, 4, 0], n), np.zeros(n), np.resize([0, 1], n)])
    np.savetxt(tab, raw, fmt="%.5f")
    with pytest.warns(UserWarning):
        t = read_catalog(tab)
    assert t.meta["legus_layout"] == "unknown-class" and not t.meta["legus_flag_columns"]
    assert {"legus_col34", "legus_col35", "legus_col37"} <= set(legus_class_columns(t))


@pytest.mark.parametrize("field, column", [("ngc3738", "legus_col36"), ("ngc3274", "legus_col35")])
def test_real_flags_are_refused_naming_what_they_are(tmp_path, field, column):
    tabs = sorted(LEGUS_DIR.glob(f"hlsp_legus_*_{field}_*.tab"))
    if not tabs:
        pytest.skip("../shared/data/legus not available")
    res, out, where = _scored(tabs[0], tmp_path, "--pred-column", column)
    assert res.exit_code == 2 and not where.exists(), res.output
    assert f"{column} is " in out and ("0/1 flag" in out or "0/1 in place of the people's class mean" in out), out


FLAG_WORDS = "read as class_ref because the column map names it, is the LEGUS README's 0/1 flag of 36-column files"


def test_the_readmes_flag_mapped_as_the_class_is_read_with_a_warning(tmp_path):
    # `info NGC3738.tab --map class_ref=36` counted the README's 0/1 flag as 18 sources of class 1 without a word
    from starclass.io.catalog import read_catalog

    tab = _tab(tmp_path, np.array([1.5, 2.0, 2.5]), np.array([0.0, 1.0, 1.0]))
    with pytest.warns(UserWarning, match="column 36, " + FLAG_WORDS.replace("(", r"\(")) as caught:
        t = read_catalog(tab, column_map={"36": "class_ref"})
    assert "the class (the mode of the people's classes) is column 34" in " ".join(str(w.message) for w in caught)
    assert set(np.unique(t["class_ref"])) == {0, 1}  # read, not refused: the user named it
    res = runner.invoke(app, ["info", str(tab), "--map", "class_ref=36"])
    assert res.exit_code == 0 and FLAG_WORDS in " ".join(res.output.split()), res.output
    # a column of classes mapped as the class gives no such warning
    classes = _tab(tmp_path / "b", np.array([1.5, 2.0, 2.5]), np.array([1.0, 2.0, 3.0, 4.0]))
    plain = runner.invoke(app, ["info", str(classes), "--map", "class_ref=36"])
    assert plain.exit_code == 0 and "0/1 flag" not in plain.output, plain.output


def test_the_real_flag_mapped_as_the_class_is_warned_of(tmp_path):
    tabs = sorted(LEGUS_DIR.glob("hlsp_legus_*_ngc3738_*.tab"))
    if not tabs:
        pytest.skip("../shared/data/legus not available")
    res = runner.invoke(app, ["info", str(tabs[0]), "--map", "class_ref=36"])
    assert res.exit_code == 0 and "column 36, " + FLAG_WORDS in " ".join(res.output.split()), res.output
    ev, out, where = _scored(tabs[0], tmp_path, "--map", "class_ref=36")
    assert ev.exit_code == 0 and "column 36, " + FLAG_WORDS in out, ev.output
