"""A fields list in another encoding than UTF-8, or one that cannot be opened, is refused in words.

Before: ``read_fields_list`` opened the list with the encoding ``csv_dialect`` guessed (UTF-8), so a list saved in
the Windows code page (Excel's "CSV (Comma delimited)", an 'é' in a field's name) ended ``train --fields`` and
``cutouts --fields`` with a UnicodeDecodeError traceback, exit 1, where a survey plan or a cutout list names
the line. A list or a CSV plan that cannot be opened (no read permission) was a PermissionError traceback
from Python (the command line checks that first). Now both are a StarclassError naming the file (and the line).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.io.fields import read_fields_list
from starclass.survey.plan import read_plan


@pytest.fixture
def folder(tmp_path):
    (tmp_path / "north").mkdir()
    (tmp_path / "north.ecsv").touch()
    return tmp_path


def test_read_fields_list_names_the_line(folder):
    p = folder / "fields.csv"
    p.write_bytes("name,mosaics,catalog\nchamp_é,north,north.ecsv\n".encode("cp1252"))
    with pytest.raises(StarclassError, match=r"^fields list .*fields.csv: line 2 is not UTF-8 text"):
        read_fields_list(p)


@pytest.mark.parametrize("command", [["cutouts", "--fields"], ["train", "--fields"]])
def test_commands_refuse_with_exit_2(folder, command):
    p = folder / "fields.csv"
    p.write_bytes("name,mosaics,catalog\nchamp_é,north,north.ecsv\n".encode("cp1252"))
    out = folder / ("s.h5" if command[0] == "cutouts" else "model")
    res = CliRunner().invoke(app, [*command, str(p), "-o", str(out)])
    assert res.exit_code == 2, res.output
    assert "line 2 is not UTF-8 text" in res.output and "Traceback" not in res.output, res.output
    assert not out.exists()


def _unreadable(monkeypatch, target: Path) -> None:
    real_open, real_path_open = open, Path.open

    def fake_open(file, *args, **kwargs):
        if Path(file) == target:
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)

    def fake_path_open(self, *args, **kwargs):
        if self == target:
            raise PermissionError(13, "Permission denied", str(self))
        return real_path_open(self, *args, **kwargs)

    monkeypatch.setattr("builtins.open", fake_open)
    monkeypatch.setattr(Path, "open", fake_path_open)


def test_an_unreadable_fields_list(folder, monkeypatch):
    p = folder / "fields.csv"
    p.write_text("name,mosaics,catalog\nn,north,north.ecsv\n")
    _unreadable(monkeypatch, p)
    with pytest.raises(StarclassError, match=r"fields list .*fields.csv: cannot read it \(Permission denied\)"):
        read_fields_list(p)


def test_an_unreadable_plan(folder, monkeypatch):
    p = folder / "plan.csv"
    p.write_text("name,mosaics\nn,north\n")
    _unreadable(monkeypatch, p)
    with pytest.raises(StarclassError, match=r"plan .*plan.csv: cannot read it \(Permission denied\)"):
        read_plan(p)
