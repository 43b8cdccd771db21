"""A file that is no image is refused naming it and the kinds of image read, in a few words.

The messages listed every suffix of io.cutout_folders.IMAGE_SUFFIXES, sorted: 30 of them (``.fit.bz2``,
``.fits.zip``, ``.fts.fz``, ...), which buried the file's name at the start of a line of some 300 characters.
They now name the kinds, from the same constants (io.cutout_folders.IMAGE_KINDS over IMAGE_SUFFIXES and
io.fits_names.FITS_NAMES): "FITS (.fits, .fit, .fts, compressed .gz/...), PNG, JPEG (.jpg/.jpeg), ...".
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.io.cutout_folders import IMAGE_SUFFIXES, drawing_origin, read_image
from starclass.io.fits_names import FITS_NAMES

runner = CliRunner()

#: What each message must still let a user find: the FITS names and the other formats.
_KINDS = (f"FITS ({FITS_NAMES})", "PNG", "JPEG", "TIFF", "BMP", "WebP", "NPY")


def _says_the_kinds_briefly(text: str, path: str, root: str = "") -> None:
    assert path in text
    text = text.replace(root, "") if root else text
    for kind in _KINDS:
        assert kind in text, kind
    # no suffix list: a compressed name other than through FITS_NAMES is the old message's
    assert ".fts.fz" not in text and ".fit.bz2" not in text and ".fits.zip" not in text
    assert len(text.replace(path, "")) < 260, len(text)


def test_read_image_names_the_file_and_the_kinds(tmp_path):
    gif = tmp_path / "a.gif"
    gif.write_bytes(b"GIF89a")
    with pytest.raises(StarclassError) as err:
        read_image(gif)
    _says_the_kinds_briefly(str(err.value), str(gif))
    assert "not an image file" in str(err.value)


def test_drawing_origin_names_the_file_and_the_kinds():
    with pytest.raises(StarclassError) as err:
        drawing_origin("cut é/a.gif")
    _says_the_kinds_briefly(str(err.value), "cut é/a.gif")
    assert "nor a stamp store (.h5/.hdf5/.hdf)" in str(err.value)


def test_a_label_folder_warns_of_other_files_in_the_same_words(tmp_path):
    from starclass.io.cutout_folders import read_cutout_folder

    (tmp_path / "cluster").mkdir()
    np.save(tmp_path / "cluster" / "b.npy", np.ones((8, 8), np.float32))
    (tmp_path / "cluster" / "a.gif").write_bytes(b"GIF89a")
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        read_cutout_folder(tmp_path)
    said = [str(w.message) for w in seen if "starclass reads and" in str(w.message)]
    assert len(said) == 1, [str(w.message) for w in seen]
    _says_the_kinds_briefly(said[0], "cluster/a.gif", str(tmp_path))


def test_info_on_a_cutout_list_of_a_gif_says_it_with_exit_2(tmp_path):
    folder = tmp_path / "cuts é x"
    folder.mkdir()
    (folder / "a.gif").write_bytes(b"GIF89a")
    (folder / "cutouts.csv").write_text("file,label\na.gif,cluster\n")
    before = sorted(p.name for p in folder.iterdir())
    res = runner.invoke(app, ["info", str(folder / "cutouts.csv")])
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    _says_the_kinds_briefly(" ".join(res.output.split()), "file 'a.gif'", str(folder))
    assert sorted(p.name for p in folder.iterdir()) == before


def test_the_kinds_come_from_the_suffix_table():
    from starclass.io.cutout_folders import IMAGE_KINDS

    assert FITS_NAMES in IMAGE_KINDS
    for suffix, fmt in IMAGE_SUFFIXES.items():
        if fmt != "fits":
            # named with its format (JPEG (.jpg/.jpeg)) or said by the format's name (PNG = .png)
            assert suffix in IMAGE_KINDS or suffix.lstrip(".") in IMAGE_KINDS.lower(), suffix
