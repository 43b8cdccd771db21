"""Text tables in UTF-16 without a byte-order mark are read as UTF-16 by every CSV reader.

Before: only a file starting with a UTF-16 mark (Excel's "Unicode Text") was read as UTF-16; one written
without it (a script's or a database's export, little or big endian) was read as UTF-8 with a NUL in every
other character, and refused with words that hid why: "a CSV plan needs columns name and mosaics (has
name, mosaics)" (the NULs invisible), "no column mosaics, catalog (columns: name, mosaics, catalog)",
"line 2 has 1 field where the header (line 1) has 5". Now ``utf16_without_mark`` tells such text by its
NULs, and the readers' shared options (``csv_dialect``, the catalogue reader's) read it as UTF-16.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from starclass.cli import app
from starclass.io.catalog import read_catalog
from starclass.io.cutout_folders import read_cutout_folder
from starclass.io.fields import read_fields_list
from starclass.learn.labels import read_votes
from starclass.survey.plan import read_plan

ENCODINGS = ["utf-16-le", "utf-16-be"]


def _write(path, text, encoding):
    path.write_bytes(text.replace("\n", "\r\n").encode(encoding))
    return path


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("name,sep", [("cat.csv", ","), ("cat.csv", "\t"), ("cat.txt", " ")])
def test_a_catalogue(tmp_path, encoding, name, sep):
    rows = [["id", "x", "y", "mag_f555w"], ["1", "10.5", "20.0", "21.5"], ["2", "30.0", "40.0", "22.5"]]
    p = _write(tmp_path / name, "\n".join(sep.join(r) for r in rows) + "\n", encoding)
    assert read_catalog(p)["x"].tolist() == [10.5, 30.0]
    res = CliRunner().invoke(app, ["info", str(p)])
    assert res.exit_code == 0 and "rows: 2" in res.output and "21.500 /  22.000 /  22.500" in res.output, res.output


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_plans_fields_cutouts_and_votes(tmp_path, encoding):
    for name in ("north", "south"):
        (tmp_path / name).mkdir()
        (tmp_path / f"{name}.ecsv").touch()
    plan = _write(tmp_path / "plan.csv", "name,mosaics\nn,north\ns,south\n", encoding)
    assert read_plan(plan).field_names == ["n", "s"]
    fields = _write(tmp_path / "fields.csv", "name,mosaics,catalog\nn,north,north.ecsv\ns,south,south.ecsv\n",
                    encoding)
    assert [f.name for f in read_fields_list(fields)] == ["n", "s"]
    for name in "ab":
        Image.fromarray(np.full((8, 8), 100, np.uint8)).save(tmp_path / f"{name}.png")
    cut = _write(tmp_path / "labels.csv", "file,label\na.png,cluster\nb.png,star\n", encoding)
    assert list(read_cutout_folder(cut, require_group=False).labels) == ["cluster", "star"]
    votes = _write(tmp_path / "votes.csv", "id,class_h1\n1,2\n2,4\n", encoding)
    assert read_votes(votes)["class_h1"].tolist() == [2, 4]
