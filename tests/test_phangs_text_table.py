"""A PHANGS-like catalogue kept as a whitespace (or tab) text table with a header line is read.

``starclass info cat.dat --format phangs`` was refused: the reader took a PHANGS table's container from its
name alone, and ``.dat`` names none ("cannot read cat.dat as phangs: astropy cannot tell its format from its name
or first bytes"), though astronomers keep catalogues so and ``info cat.dat`` (no ``--format``) read the same file.
A text file is now read as a text table whatever its name (binary bytes are still refused:
``tests/test_catalogue_unidentified_format.py``). A row with a field more or fewer than the header made every one
of astropy's guesses fail, said as "none of astropy's text formats ... reads it": the message now names the file,
the line and the counts.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.io.catalog import read_catalog

runner = CliRunner()


def _phangs() -> Table:
    """A small PHANGS-HST cluster table (the columns of the public FITS catalogues)."""
    t = Table()
    t["ID_PHANGS_CLUSTERS"] = np.arange(10, 15)
    t["PHANGS_X"] = [1.0, 2.0, 10.5, 20.0, 30.0]
    t["PHANGS_Y"] = [1.0, 5.0, 10.5, 25.0, 35.0]
    t["PHANGS_F555W_VEGA_TOT"] = [22.0, 23.0, -9999.0, 24.0, 21.5]
    t["PHANGS_CLUSTER_CLASS_HUMAN"] = [1, 2, -999, 3, 4]
    t["PHANGS_CLUSTER_CLASS_ML_VGG"] = [1, 1, 3, 3, 4]
    return t


#: astropy writers of the plain text tables people keep: blanks, tabs, aligned columns with a dashed line
WRITERS = {"blanks": "ascii.basic", "tabs": "ascii.tab", "aligned": "ascii.fixed_width_two_line"}


@pytest.mark.parametrize("name", ["cat.dat", "cat.txt", "clusters"])
@pytest.mark.parametrize("kind", list(WRITERS))
def test_a_text_table_is_read_as_phangs(tmp_path, name, kind):
    path = tmp_path / name
    _phangs().write(path, format=WRITERS[kind])
    read = read_catalog(path, fmt="phangs")
    guessed = read_catalog(path)  # the same table with the format guessed from the columns
    for t in (read, guessed):
        assert t.meta["format"] == "phangs"
        assert list(t["id"]) == list(range(10, 15))
        np.testing.assert_allclose(t["x"], np.array(_phangs()["PHANGS_X"]) - 1.0)  # 1-based, as PHANGS is
        assert list(t["class_ref"]) == [1, 2, 0, 3, 4] and list(t["class_pred"]) == [1, 1, 3, 3, 4]
        assert np.isnan(t["mag_f555w"][2]) and t["mag_f555w"][0] == 22.0


def test_info_of_a_text_table_given_as_phangs(tmp_path):
    path = tmp_path / "cat.dat"
    _phangs().write(path, format="ascii.basic")
    res = runner.invoke(app, ["info", str(path), "--format", "phangs"])
    assert res.exit_code == 0, res.output
    assert "(format PHANGS)" in res.output and "rows: 5" in res.output, res.output
    assert "class_ref: 1: 1  2: 1  3: 1  4: 1" in res.output, res.output


def _ragged(path, kind: str, drop: bool) -> int:
    """Write the table as text, then give its 4th row (line 5) a field fewer or more; returns that line's count."""
    _phangs().write(path, format=WRITERS[kind])
    lines = path.read_text().splitlines()
    sep = "\t" if kind == "tabs" else " "
    cells = lines[4].split(sep)
    cells = cells[:-1] if drop else [*cells, "7"]
    lines[4] = sep.join(cells)
    path.write_text("\n".join(lines) + "\n")
    return len(cells)


@pytest.mark.parametrize("kind", ["blanks", "tabs"])
@pytest.mark.parametrize("drop", [True, False], ids=["fewer", "more"])
@pytest.mark.parametrize("given", [[], ["--format", "phangs"]], ids=["guessed", "phangs"])
def test_a_row_of_the_wrong_length_is_named_by_its_line(tmp_path, kind, drop, given):
    path = tmp_path / "cat.dat"
    n = _ragged(path, kind, drop)
    before = sorted(tmp_path.iterdir())
    res = runner.invoke(app, ["info", str(path), *given])
    assert res.exit_code == 2, res.output
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in res.output, res.output
    assert f"cannot read {path} as a table: line 5 has {n} fields where the header (line 1) has 6" in lines[0], \
        res.output
    assert sorted(tmp_path.iterdir()) == before  # nothing written
    with pytest.raises(StarclassError, match="line 5 has"):
        read_catalog(path, fmt="phangs" if given else None)


def test_a_row_with_a_blank_inside_a_name_is_named_with_what_to_do(tmp_path):
    """The usual cause in a whitespace table: a text value with a blank in it, unquoted."""
    path = tmp_path / "cat.txt"
    path.write_text("# clusters of NGC 628\nid x y field\n1 10.0 12.0 ngc628c\n2 14.0 30.0 ngc628 east\n")
    with pytest.raises(StarclassError) as exc:
        read_catalog(path)
    said = str(exc.value)
    assert said.startswith(f"cannot read {path} as a table: line 4 has 5 fields where the header (line 2) has 4")
    assert "double quotes" in said
    path.write_text("# clusters of NGC 628\nid x y field\n1 10.0 12.0 ngc628c\n2 14.0 30.0 \"ngc628 east\"\n")
    assert list(read_catalog(path)["field"]) == ["ngc628c", "ngc628 east"]  # quoted, it is one value
