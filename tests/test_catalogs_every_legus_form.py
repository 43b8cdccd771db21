"""``evaluate --catalogs DIR`` reads every form of a LEGUS catalogue ``info`` reads, and says a file's real fault.

Before 2026-12-05 only ``.tab`` and ``.tab.gz`` files were read: a field copied as ``.csv`` (from
a spreadsheet), ``.txt`` or ``.dat``, which ``starclass info`` reads as LEGUS, was left out without
a note. And a renamed copy with a column lost before column 34 was skipped for "no distance known
for galaxy 'ngc628c'": renamed back, it was refused for the shifted column, its real fault.
"""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from starclass.datasets.catalogs import write_fake_legus_folder
from starclass.errors import StarclassError
from starclass.science.many import load_fields


@pytest.fixture(scope="module")
def fake_legus(tmp_path_factory):
    return write_fake_legus_folder(tmp_path_factory.mktemp("legus") / "legus")


def _as_csv(tab_text: str) -> str:
    # a spreadsheet's CSV: commas, no header line
    return "".join(",".join(line.split()) + "\n" for line in tab_text.splitlines() if line.strip())


@pytest.mark.parametrize("suffix", [".csv", ".txt", ".dat"])
def test_a_field_copied_under_another_suffix_is_read(fake_legus, tmp_path, suffix):
    d = tmp_path / "legus"
    shutil.copytree(fake_legus, d)
    tab = sorted(d.glob("*ngc1433*.tab"))[0]
    text = tab.read_text()
    tab.unlink()
    copy = tab.with_suffix(suffix)
    copy.write_text(_as_csv(text) if suffix == ".csv" else text)
    (d / "layouts.csv").write_text("field,layout\nngc1433,standard\n")  # a table with a header: no catalogue
    (d / "notes.txt").write_text("read me\n")
    fields, skipped = load_fields(d)
    assert sorted(fields) == ["ngc1433", "ngc628-c", "ngc7793-w"], (list(fields), list(skipped))
    original, _ = load_fields(fake_legus)
    assert len(fields["ngc1433"]) == len(original["ngc1433"])
    assert np.array_equal(fields["ngc1433"]["class_ref"], original["ngc1433"]["class_ref"])
    from starclass.science.many import legus_files  # the scan, public since 2026-12-05

    assert copy in legus_files(d) and (d / "layouts.csv") not in legus_files(d)


def test_a_copy_beside_its_original_is_one_field_twice(fake_legus, tmp_path):
    d = tmp_path / "legus"
    shutil.copytree(fake_legus, d)
    tab = sorted(d.glob("*ngc1433*.tab"))[0]
    shutil.copy(tab, tab.with_suffix(".txt"))
    with pytest.raises(StarclassError, match="holds two catalogues of field ngc1433"):
        load_fields(d)


def test_a_renamed_copy_with_a_shifted_column_is_said_to_be_shifted(fake_legus, tmp_path):
    d = tmp_path / "legus"
    shutil.copytree(fake_legus, d)
    tab = sorted(d.glob("*ngc628-c*.tab"))[0]
    # column 10 (an error of a magnitude) lost, as a spreadsheet drops an empty-looking column, from a file of
    # 35 columns (the people's mean class after the class, as the standard layout has): 34 are left
    rows = [line.split() for line in tab.read_text().splitlines() if line.strip()]
    lines = [" ".join(np.delete(np.array([*row, row[-1]]), 9)) for row in rows]
    tab.unlink()
    (d / "ngc628c.tab").write_text("\n".join(lines) + "\n")
    fields, skipped = load_fields(d)
    why = dict(zip(skipped["field"], skipped["reason"]))
    assert "ngc628c" in why and "ngc628c" not in fields, why
    assert "column 10 holds" in why["ngc628c"] and "no distance known" not in why["ngc628c"], why


def test_a_renamed_good_copy_still_says_no_distance(fake_legus, tmp_path):
    d = tmp_path / "legus"
    shutil.copytree(fake_legus, d)
    tab = sorted(d.glob("*ngc628-c*.tab"))[0]
    tab.rename(d / "ngc628c.tab")
    _, skipped = load_fields(d)
    why = dict(zip(skipped["field"], skipped["reason"]))
    # the fake field's rows lie at no LEGUS field: nothing says which field it is, so no distance (it said
    # "no distance known for galaxy 'ngc628c'", the file's stem taken for a galaxy)
    assert "neither the file name nor its sources' positions" in why["ngc628c"], why
    assert "so its distance is not known" in why["ngc628c"] and "galaxy 'ngc628c'" not in why["ngc628c"], why


def test_evaluate_catalogs_names_the_files_it_does_not_read(fake_legus, tmp_path):
    # a field re-saved by a spreadsheet with a header line is no longer lines of numbers: it was left out
    # of evaluate --catalogs without a word
    from typer.testing import CliRunner

    from starclass.cli import app

    d = tmp_path / "legus"
    shutil.copytree(fake_legus, d)
    tab = sorted(d.glob("*ngc1433*.tab"))[0]
    header = ";".join(f"c{i}" for i in range(1, len(tab.read_text().split("\n")[0].split()) + 1))
    (d / "b.csv").write_text(header + "\n" + "".join(";".join(line.split()) + "\n"
                                                     for line in tab.read_text().splitlines() if line.strip()))
    tab.unlink()
    res = CliRunner().invoke(app, ["evaluate", "--catalogs", str(d), "-o", str(tmp_path / "out"), "--bootstrap", "0"])
    assert res.exit_code == 0, res.output
    assert "2 fields from" in res.output
    assert "note: 1 file not read as a LEGUS catalogue: b.csv" in res.output, res.output
    res = CliRunner().invoke(app, ["evaluate", "--catalogs", str(fake_legus), "-o", str(tmp_path / "out2"),
                                   "--bootstrap", "0"])
    assert res.exit_code == 0 and "not read as LEGUS" not in res.output, res.output


def test_fields_kept_compressed_are_read_as_info_reads_them(fake_legus, tmp_path):
    # LEGUS .tab files kept as xz or bzip2 (info DIR reads them since 2026-12-07): the scan knew .tab and .tab.gz
    # only, so a renamed ngc1433.tab.xz was read by its lines as the field 'ngc1433.tab', and a .tab.xz beside its
    # .tab was read as one more file (or named as a file not read)
    import bz2
    import lzma

    from starclass.science.many import field_name, legus_files, other_files

    d = tmp_path / "legus"
    shutil.copytree(fake_legus, d)
    tabs = {t.name.split("_")[4]: t for t in d.glob("*.tab")}
    short = d / "ngc1433.tab.xz"  # renamed as a user keeps it
    short.write_bytes(lzma.compress(tabs["ngc1433"].read_bytes()))
    tabs["ngc1433"].unlink()
    packed = d / f"{tabs['ngc628-c'].name}.bz2"
    packed.write_bytes(bz2.compress(tabs["ngc628-c"].read_bytes()))
    tabs["ngc628-c"].unlink()
    beside = d / f"{tabs['ngc7793-w'].name}.xz"  # beside its plain copy: the same field
    beside.write_bytes(lzma.compress(tabs["ngc7793-w"].read_bytes()))
    assert field_name(short) == "ngc1433"
    assert sorted(p.name for p in legus_files(d)) == sorted([short.name, packed.name, tabs["ngc7793-w"].name])
    assert other_files(d) == []
    fields, _ = load_fields(d)
    original, _ = load_fields(fake_legus)
    assert sorted(fields) == sorted(original)
    for name in original:
        assert np.array_equal(fields[name]["class_ref"], original[name]["class_ref"]), name
    assert legus_files(short) == [short]  # one field given alone
    from starclass.io.catalog import read_catalog

    with pytest.warns(UserWarning, match="so it is read as field 'ngc1433' with its filters assumed"):
        assert read_catalog(short).meta["field"] == "ngc1433"  # not 'ngc1433.tab'
