"""A LEGUS catalogue saved by a spreadsheet in a decimal-comma locale (';', decimal commas) reads as LEGUS.

Before: a copy whose values are separated by ';' (European Excel's "CSV", with or without its decimal
commas, its byte-order mark and CRLF line ends) was read by neither ``info`` nor ``evaluate --catalogs``:
``info`` said "required column 'id' missing in a.csv (columns: 1, 3171.478, ...)", and ``evaluate
--catalogs`` left the file out without naming it. A copy saved as Excel's "Unicode Text" (UTF-16,
tab-separated) was "not text". Now a line of 34-60 ';'-separated numbers is a LEGUS row (a comma in it
the decimal mark), quoted cells are read as a CSV reader reads them, and a UTF-16 copy is read as text;
a tab-separated copy with decimal commas, where a comma is no decimal mark, is refused naming the line
and what to do, where it was "required column 'id' missing".
"""

from __future__ import annotations

import shutil
from pathlib import Path

import numpy as np
import pytest

from starclass.datasets.catalogs import write_fake_legus_folder
from starclass.io.catalog import guess_format, read_catalog
from starclass.science.many import legus_files, load_fields
from test_io_legus import _line, _standard_row, invoke

SHARED_TAB = (Path(__file__).resolve().parents[2] / "shared" / "data" / "legus"
              / "hlsp_legus_hst_wfc3_ngc1433_multiband_v1_padagb-mwext-avgapcor.tab")


def _decimal(v: str) -> str:
    return v.replace(".", ",")


def _save(rows: list[list[str]], form: str) -> bytes:
    """The whitespace-separated rows as a spreadsheet saves them."""
    if form == "semicolon":  # the brief's sed: 's/^ *//; s/ \+/;/g'
        return "".join(";".join(r) + "\n" for r in rows).encode()
    if form == "european":  # European Excel's "CSV UTF-8": byte-order mark, ';', decimal commas, CRLF
        return b"\xef\xbb\xbf" + "".join(";".join(_decimal(v) for v in r) + "\r\n" for r in rows).encode()
    if form == "european_quoted":  # every cell quoted, a trailing separator
        return "".join(";".join(f'"{_decimal(v)}"' for v in r) + ";\r\n" for r in rows).encode()
    if form == "unicode_text":  # Excel's "Unicode Text": UTF-16 with its byte-order mark, tabs
        return "".join("\t".join(r) + "\r\n" for r in rows).encode("utf-16")
    raise ValueError(form)


FORMS = ["semicolon", "european", "european_quoted", "unicode_text"]


def _rows() -> list[list[str]]:
    rows = [_standard_row(i, c, m) for i, (c, m) in enumerate(((1, 1.0), (3, 2.667), (4, 4.0)), 1)]
    return [_line(r).split() for r in rows]


def _same(a, b) -> bool:
    return a.colnames == b.colnames and all(
        np.array_equal(np.asarray(a[c]), np.asarray(b[c]), equal_nan=a[c].dtype.kind == "f")
        for c in a.colnames)


@pytest.mark.parametrize("form", FORMS)
@pytest.mark.parametrize("name", ["ngc.csv", "ngc.txt",
                                  "hlsp_legus_hst_wfc3_ngcc_multiband_v1_padagb-mwext-avgapcor.tab"])
def test_a_spreadsheet_save_reads_as_the_original(tmp_path, form, name):
    rows = _rows()
    orig = tmp_path / "orig" / name.replace(".csv", ".tab").replace(".txt", ".tab")
    orig.parent.mkdir()
    orig.write_text("".join(" ".join(r) + "\n" for r in rows))
    p = tmp_path / name
    p.write_bytes(_save(rows, form))
    assert guess_format(p) == "legus"
    t = read_catalog(p)
    assert t["class_ref"].tolist() == [1, 3, 4] and float(t["class_human_mean"][1]) == 2.667
    assert float(t["ci"][0]) == 1.5 and float(t["x"][0]) == 10.0  # 1-based 11 in the file
    assert _same(t, read_catalog(orig))
    res = invoke("info", str(p))
    assert res.exit_code == 0 and "format LEGUS" in res.output, res.output


def test_a_tab_separated_copy_with_decimal_commas_is_refused_naming_the_line(tmp_path):
    # Excel's "Unicode Text" in a decimal-comma locale: a comma is the decimal mark only where ';' separates
    p = tmp_path / "ngc.txt"
    p.write_bytes("".join("\t".join(_decimal(v) for v in r) + "\r\n" for r in _rows()).encode("utf-16"))
    res = invoke("info", str(p))
    assert res.exit_code == 2, res.output
    assert "line 1" in res.output and "'-54,9'" in res.output and "decimal comma" in res.output, res.output
    assert "Traceback" not in res.output and "required column 'id'" not in res.output


def test_a_header_line_separated_by_semicolons_is_no_legus_file(tmp_path):
    p = tmp_path / "cat.csv"
    p.write_text("id;x;y\n1;3,5;4\n2;5,5;6\n")
    assert guess_format(p) == "csv" and read_catalog(p)["x"].tolist() == [3.5, 5.5]


@pytest.mark.parametrize("form", ["semicolon", "european"])
def test_evaluate_catalogs_reads_a_semicolon_copy(tmp_path, form):
    folder = write_fake_legus_folder(tmp_path / "legus", n=120)
    tab = folder / "hlsp_legus_hst_wfc3_ngc1433_multiband_v1_padagb-mwext-avgapcor.tab"
    before, _ = load_fields(folder, min_inspected=10)
    rows = [ln.split() for ln in tab.read_text().splitlines() if ln.strip()]
    copy = tab.with_suffix(".csv")
    copy.write_bytes(_save(rows, form))
    tab.unlink()
    assert copy in legus_files(folder)
    fields, skipped = load_fields(folder, min_inspected=10)
    assert len(skipped) == 0 and list(fields) == list(before)
    assert _same(fields["ngc1433"], before["ngc1433"])


@pytest.mark.parametrize("form", FORMS)
def test_the_real_catalogue_saved_by_a_spreadsheet(tmp_path, form):
    if not SHARED_TAB.exists():
        pytest.skip(f"real LEGUS catalogue not available at {SHARED_TAB}")
    rows = [ln.split() for ln in SHARED_TAB.read_text().splitlines() if ln.strip()]
    p = tmp_path / "a.csv"
    p.write_bytes(_save(rows, form))
    t, orig = read_catalog(p), read_catalog(SHARED_TAB)
    assert len(t) == len(orig) == 1099 and t.meta["field"] == "ngc1433"
    assert all(np.array_equal(np.asarray(t[c]), np.asarray(orig[c]), equal_nan=t[c].dtype.kind == "f")
               for c in orig.colnames if c != "galaxy")
    shutil.copy(p, tmp_path / "copy.csv")
    assert legus_files(tmp_path) == [p, tmp_path / "copy.csv"]
