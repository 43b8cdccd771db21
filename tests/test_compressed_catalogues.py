"""A catalogue kept compressed (``cat.csv.gz``, ``.ecsv.bz2``, ``.txt.xz``, a LEGUS ``.tab.xz``) is read as the table
inside, its format told by the name inside, a bad row named by the same line, nothing written beside it.

Archives hand catalogues out gzipped. Until 2026-12-07 the catalogue readers refused them with the command that
decompresses them ("X is a text table compressed with gzip, which starclass does not read compressed ...;
decompress it first"); a LEGUS ``.tab.gz`` alone was read. Now every look of the readers at a file's lines goes
through :func:`starclass.io.compressed_text.open_table_file`, and a file cut short or damaged is refused naming it.
"""

from __future__ import annotations

import bz2
import gzip
import lzma
import os

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.io.catalog import guess_format, read_catalog, read_table

runner = CliRunner()

_PACK = {".gz": gzip.compress, ".bz2": bz2.compress, ".xz": lzma.compress}

#: Each text format as a user brings it: its name, its text
_TEXTS = {
    "cat.csv": "# VizieR\nid,x,y,mag_f555w,class_ref\n1,10.5,20.0,21.3,1\n2,30.0,40.0,,2\n3,5.0,6.0,22.0,4\n",
    "cat.ecsv": None,  # written by astropy below
    "cat.txt": "# id x y mag_f555w class_ref\nid x y mag_f555w class_ref\n1 10.5 20.0 21.3 1\n2 30.0 40.0 nan 2\n"
               "3 5.0 6.0 22.0 4\n",
    "cat.tsv": "id\tx\ty\tmag_f555w\tclass_ref\n1\t10.5\t20.0\t21.3\t1\n2\t30.0\t40.0\t\t2\n3\t5.0\t6.0\t22.0\t4\n",
    "cat_semicolon.csv": "id;x;y;mag_f555w;class_ref\n1;10,5;20,0;21,3;1\n2;30,0;40,0;;2\n3;5,0;6,0;22,0;4\n",
}


def _plain(tmp_path, name):
    path = tmp_path / "plain" / name
    path.parent.mkdir(exist_ok=True)
    if _TEXTS[name] is None:
        Table({"id": [1, 2, 3], "x": [10.5, 30.0, 5.0], "y": [20.0, 40.0, 6.0],
               "mag_f555w": [21.3, np.nan, 22.0], "class_ref": [1, 2, 4]}).write(path)
    else:
        path.write_text(_TEXTS[name])
    return path


def _packed(tmp_path, plain, suffix):
    folder = tmp_path / "packed"
    folder.mkdir(exist_ok=True)
    path = folder / f"{plain.name}{suffix}"
    path.write_bytes(_PACK[suffix](plain.read_bytes()))
    return path


@pytest.mark.parametrize("suffix", list(_PACK))
@pytest.mark.parametrize("name", list(_TEXTS))
def test_a_compressed_catalogue_is_read_as_the_one_inside(tmp_path, name, suffix):
    import warnings

    plain = _plain(tmp_path, name)
    packed = _packed(tmp_path, plain, suffix)
    before = (packed.read_bytes(), os.stat(packed).st_mtime_ns)
    assert guess_format(packed) == guess_format(plain)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the decimal commas' note, said of both
        want, got = read_catalog(plain), read_catalog(packed)
    assert got.colnames == want.colnames and len(got) == 3
    for col in want.colnames:
        assert np.array_equal(np.asarray(got[col]), np.asarray(want[col]), equal_nan=got[col].dtype.kind == "f"), col
    assert got.meta["format"] == want.meta["format"] and got.meta.get("text_separator") == want.meta.get(
        "text_separator")
    assert got.meta["source"] == str(packed)
    assert read_table(packed).colnames == read_table(plain).colnames
    # the input as it was, nothing beside it
    assert (packed.read_bytes(), os.stat(packed).st_mtime_ns) == before
    assert [p.name for p in packed.parent.iterdir()] == [packed.name]
    res = runner.invoke(app, ["info", str(packed)])
    assert res.exit_code == 0 and "rows: 3" in res.output, res.output


@pytest.mark.parametrize("suffix", list(_PACK))
@pytest.mark.parametrize("name, text", [
    ("rows.csv", "# note\nid,x,y\n1,2,3\n4,5\n"),
    ("rows.txt", "id x y\n1 2 3\n\n4 5 6 7\n"),
])
def test_a_bad_row_is_named_by_the_same_line(tmp_path, name, suffix, text):
    plain = tmp_path / name
    plain.write_text(text)
    packed = tmp_path / f"{name}{suffix}"
    packed.write_bytes(_PACK[suffix](text.encode()))
    said = {}
    for path in (plain, packed):
        with pytest.raises(StarclassError) as caught:
            read_catalog(path)
        said[path] = str(caught.value).replace(str(path), "F")
    assert said[plain] == said[packed] and "line 4" in said[plain], said


@pytest.mark.parametrize("suffix", list(_PACK))
@pytest.mark.parametrize("damage", ["cut", "flipped"])
def test_a_compressed_catalogue_cut_short_or_damaged_is_refused_naming_it(tmp_path, suffix, damage):
    rows = "".join(f"{i},{i * 1.37:.3f},{i * 2.11:.3f},{i % 5}\n" for i in range(1, 3000))
    whole = _PACK[suffix](("id,x,y,class_ref\n" + rows).encode())
    path = tmp_path / f"cat.csv{suffix}"
    if damage == "cut":
        path.write_bytes(whole[: len(whole) // 2])
    else:
        bad = bytearray(whole)
        bad[len(bad) // 2] ^= 0xFF
        path.write_bytes(bytes(bad))
    out = tmp_path / "out"
    res = runner.invoke(app, ["info", str(path)])
    said = " ".join(res.output.split())
    assert res.exit_code == 2, res.output
    assert f"cannot read {path}: a {dict(zip(_PACK, ('gzip', 'bzip2', 'xz')))[suffix]} file" in said, said
    assert ("cut short" if damage == "cut" else "copy it again") in said and "Traceback" not in res.output, said
    with pytest.raises(StarclassError, match="copy it again"):
        read_table(path)
    assert sorted(p.name for p in tmp_path.iterdir()) == [path.name] and not out.exists()


def test_a_legus_tab_compressed_with_xz_or_bzip2_is_read_as_its_gzip_copy(tmp_path, legus_tab):
    want = read_catalog(legus_tab)
    for suffix in (".gz", ".bz2", ".xz"):
        packed = tmp_path / f"{legus_tab.name}{suffix}"
        packed.write_bytes(_PACK[suffix](legus_tab.read_bytes()))
        got = read_catalog(packed)
        assert got.meta["format"] == "legus" and len(got) == len(want)
        assert np.array_equal(got["class_ref"], want["class_ref"]) and np.allclose(got["x"], want["x"])


def test_a_folder_of_compressed_catalogues_is_summarised(tmp_path):
    # info DIR of VizieR downloads kept as they came: "no catalogue could be read in DIR (looked for .tab, ...)"
    folder = tmp_path / "cats"
    folder.mkdir()
    plain = _plain(tmp_path, "cat.csv")
    for name, suffix in (("ngc1566_cands.csv", ".gz"), ("ngc628_cands.csv", ".xz")):
        (folder / f"{name}{suffix}").write_bytes(_PACK[suffix](plain.read_bytes()))
    # a plain copy beside its compressed one is one catalogue, listed once
    (folder / "ngc628_cands.csv").write_bytes(plain.read_bytes())
    res = runner.invoke(app, ["info", str(folder), "--out-format", "csv"])
    assert res.exit_code == 0, res.output
    t = Table.read(res.stdout, format="ascii.csv")
    assert list(t["field"]) == ["ngc1566", "ngc628"] and list(t["n_rows"]) == [3, 3], res.stdout


@pytest.mark.parametrize("name", ["cat.csv", "cat.ecsv", "cat_semicolon.csv"])
def test_a_compressed_catalogue_is_decompressed_once_per_read(tmp_path, monkeypatch, name):
    # every look of the readers at the file (damage, head, separator, encoding) and astropy's read of the path
    # decompressed it anew: a .csv.gz was decompressed some four times over by one read_catalog
    plain = _plain(tmp_path, name)
    packed = _packed(tmp_path, plain, ".gz")
    size = plain.stat().st_size
    given = {"bytes": 0}
    read = gzip.GzipFile.read

    def counting(self, *args):
        out = read(self, *args)
        given["bytes"] += len(out)
        return out

    monkeypatch.setattr(gzip.GzipFile, "read", counting)
    from starclass.io import compressed_text

    compressed_text._LAST.clear() if hasattr(compressed_text, "_LAST") else None  # a read of this file before
    table = read_catalog(packed)
    assert given["bytes"] == size, (given["bytes"], size)  # the text once, not once per look
    ref = read_catalog(plain)
    assert table.colnames == ref.colnames and len(table) == len(ref)
    for c in ("x", "y", "class_ref"):
        assert np.array_equal(np.asarray(table[c]), np.asarray(ref[c])), c
