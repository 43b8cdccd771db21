"""The SED-fit warnings name the file read, as the user gave its path, not its bare name or its field.

``evaluate /tmp/s80sed/ren1.tab -r self`` warned "ren1.tab: its SED fits do not match its F814W": a file in no
folder the user was in. ``evaluate --catalogs`` named a renamed copy (``field2.tab``, NGC 1433 by its positions)
by its field alone ("ngc1433 F814W +0.44", no file is called that) and sent the user to ``starclass info FILE``.
Now the single-catalogue warning names the path read; the fields' notes put a renamed file's path after its field,
and name the ``starclass info`` command with the path where one field is named (found 2026-12-07).
"""

from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

from conftest import SHARED_DATA
from starclass.cli import app
from test_sed_offset_check import _ab_against_vega, _fitted  # tests/ is on sys.path under pytest

LEGUS = SHARED_DATA / "legus"


def test_a_renamed_catalogue_is_warned_of_by_its_path(tmp_path):
    d = tmp_path / "my data"
    d.mkdir()
    p = d / "field.ecsv"
    _fitted(shift=_ab_against_vega()).write(p)
    res = CliRunner().invoke(app, ["evaluate", str(p), "-r", "self", "--distance", "10", "--bootstrap", "0",
                                   "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    said = [s for s in res.output.splitlines() if "its SED fits do not match" in s]
    assert len(said) == 1 and said[0].startswith(f"warning: {p}: its SED fits do not match its F814W"), said


@pytest.mark.skipif(not LEGUS.is_dir(), reason="needs ../shared/data/legus")
def test_the_fields_warning_names_a_renamed_files_path(tmp_path):
    d = tmp_path / "legus"
    d.mkdir()
    copy = d / "field2.tab"
    shutil.copy(next(LEGUS.glob("*_ngc1433_*.tab")), copy)
    res = CliRunner().invoke(app, ["evaluate", "--catalogs", str(copy), "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    (line,) = [s for s in res.output.splitlines() if s.startswith("warning: SED fits")]
    assert f"ngc1433 ({copy}) F814W +0.4" in line, line
    assert line.endswith(f"(starclass info {copy} says more)"), line
