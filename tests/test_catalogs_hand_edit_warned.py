"""``evaluate --catalogs`` says what ``info`` says of a hand-edited field: a class 7 read as 0, at its line.

Before: ``science.many.read_legus_field`` read each file with every warning ignored (meant for the
uncertain-layout warning, which the table of fields left out reports), so a field whose column 34 held a
7 on one line (a hand edit) lost that source from its inspected counts and the ladder without a word,
where ``starclass info FILE`` warned naming the line. Now only the uncertain-layout warning is hidden
(``io.legus.LAYOUT_UNCERTAIN_WARNING``); the others reach ``evaluate``/``report --catalogs``.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.datasets.catalogs import write_fake_legus_folder
from starclass.science.many import read_legus_field

runner = CliRunner()
SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "legus"


def _edit_class(path, line: int, value: str) -> None:
    """Column 34 (the class) of the 1-based ``line`` of a LEGUS .tab set to ``value``."""
    lines = path.read_text().splitlines()
    tokens = lines[line - 1].split()
    tokens[33] = value
    lines[line - 1] = " ".join(tokens)
    path.write_text("\n".join(lines) + "\n")


def _folder(tmp_path):
    folder = write_fake_legus_folder(tmp_path / "legus", n=120)
    edited = sorted(folder.glob("*.tab"))[0]
    _edit_class(edited, 3, "7")
    return folder, edited


def test_a_hand_edited_class_is_warned_of_by_the_field_reader(tmp_path):
    _, edited = _folder(tmp_path)
    with pytest.warns(UserWarning, match=r"column 34 \(class_ref\): 1 of 120 values outside 0-4 \(7\) read as 0, "
                                         r"no class: the class is unknown \(a value outside the "
                                         r"scheme of classes 0-4\), at line 3 of the file"):
        t = read_legus_field(edited)
    assert t["class_ref"][2] == 0


def test_evaluate_catalogs_prints_the_warning_naming_the_file_and_line(tmp_path):
    folder, edited = _folder(tmp_path)
    res = runner.invoke(app, ["evaluate", "--catalogs", str(folder), "-o", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    assert f"{edited.name}: column 34 (class_ref): 1 of 120 values outside 0-4 (7)" in res.output
    assert "at line 3 of the file" in res.output


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data/legus not present")
def test_the_uncertain_layout_warning_alone_stays_hidden():
    # NGC 4449 (one expert's class) and NGC 3351 (class column unknown): left out of the study, said in its
    # table of skipped fields, not warned of once more
    for field in ("ngc4449", "ngc3351"):
        (path,) = SHARED.glob(f"*_{field}_*.tab")
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            t = read_legus_field(path)
        assert t.meta["skip"], field
        assert not [str(w.message) for w in caught if "is uncertain" in str(w.message)], field
