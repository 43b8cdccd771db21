"""Zero-padded ids of a whitespace or tab table (.txt, .dat) are kept as text, as a CSV's are."""
import pytest

from starclass.io.catalog import read_catalog


@pytest.mark.parametrize(("name", "sep"), [("t.txt", "\t"), ("t.dat", " "), ("t.txt", "   ")])
def test_zero_padded_ids_are_kept(tmp_path, name, sep):
    rows = [["id", "x", "y"], ["007", "1.5", "2"], ["010", "2.5", "3"]]
    f = tmp_path / name
    f.write_text("".join(sep.join(r) + "\n" for r in rows))
    csv = tmp_path / "t.csv"
    csv.write_text("".join(",".join(r) + "\n" for r in rows))
    # the .txt read '007' as 7: its rows no longer matched the same rows as .csv, which keeps '007'
    assert list(read_catalog(f)["id"]) == ["007", "010"] == list(read_catalog(csv)["id"])
    assert list(read_catalog(f)["x"]) == [1.5, 2.5]


def test_plain_ids_stay_numbers(tmp_path):
    f = tmp_path / "t.txt"
    f.write_text("id x y\n7 1.5 2\n10 2.5 3\n")
    assert read_catalog(f)["id"].dtype.kind == "i"
