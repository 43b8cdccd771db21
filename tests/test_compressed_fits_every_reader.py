"""Every reader of a FITS file refuses a compression astropy cannot open here, naming the file (exit 2).

io.mosaic.open_fits is the one opener that asks io.mosaic.unopenable_compression first (a ``.fits.Z``
without uncompresspy, a zip of several files). Before, ``info DIR`` of a folder holding such a mosaic
described the other bands and exited 0 (its image scan passed over files it could not open, and the
catalogue scan looks at no ``.fits.Z`` or ``.fits.zip``), ``inspect DIR --init --predictions P.fits.Z``
said "cannot read (ModuleNotFoundError: The optional package uncompresspy ...)", and the header-only
helpers (io.mosaic.weight_extension, quantised_zeros) raised astropy's ModuleNotFoundError, past the
``except OSError`` of their callers.
"""

from __future__ import annotations

import shutil
import zipfile

import pytest
from astropy.table import Table
from typer.testing import CliRunner

import starclass.io.mosaic as mosaic
from conftest import write_toy_mosaics
from starclass.cli import app
from webtools import free_port  # tests/ is on sys.path under pytest

runner = CliRunner()


def _compress(src, dst):
    # the LZW magic and the start of the file: astropy tells the compression by these bytes, not the name
    dst.write_bytes(b"\x1f\x9d\x90" + src.read_bytes()[:200])


def _zip_two(dst, files):
    with zipfile.ZipFile(dst, "w") as zf:
        for f in files:
            zf.write(f, arcname=f.name)


def _snapshot(folder):
    return sorted((p.relative_to(folder), p.stat().st_size) for p in folder.rglob("*"))


@pytest.fixture()
def no_lzw(monkeypatch):
    monkeypatch.setattr(mosaic, "_astropy_reads_lzw", lambda: False)


def _packed_field(tmp_path, kind):
    """A toy field whose f555w mosaic is a ``.fits.Z`` (kind "Z") or a zip of both mosaics (kind "zip")."""
    plain = tmp_path / "plain"
    plain.mkdir()
    names = write_toy_mosaics(plain)
    field = tmp_path / "field é x"
    field.mkdir()
    shutil.copy(plain / names[1], field / names[1])
    packed = field / f"{names[0]}.{kind}"
    if kind == "Z":
        _compress(plain / names[0], packed)
    else:
        _zip_two(packed, [plain / n for n in names])
    return field, packed


def _refusal(packed, kind=None):
    """What the readers say of ``packed``; ``kind`` ("Z", "zip") where its name does not say it."""
    return (f"{packed} is compressed with Unix compress (.Z)" if (kind or packed.suffix.lstrip(".")) == "Z"
            else f"{packed} is a zip archive of 2 files")


@pytest.mark.parametrize("kind", ["Z", "zip"])
def test_info_of_a_folder_refuses_the_mosaic_it_cannot_open(tmp_path, no_lzw, kind):
    field, packed = _packed_field(tmp_path, kind)
    before = _snapshot(tmp_path)
    res = runner.invoke(app, ["info", str(field)])
    assert res.exit_code == 2, res.output
    out = " ".join(res.output.split())
    assert _refusal(packed) in out, out
    assert "mosaics: 1 band:" not in out and "Traceback" not in out
    assert _snapshot(tmp_path) == before
    # the same folder with the mosaic plain is described in both bands
    (tmp_path / "plain" / "candidates.ecsv").unlink(missing_ok=True)
    res = runner.invoke(app, ["info", str(tmp_path / "plain")])
    assert res.exit_code == 0 and "mosaics: 2 bands: f555w, f814w" in res.output, res.output


@pytest.mark.parametrize("kind", ["Z", "zip"])
def test_inspect_refuses_compressed_predictions_by_name(tmp_path, no_lzw, kind):
    data = tmp_path / "data"
    data.mkdir()
    write_toy_mosaics(data)
    cat = Table({"id": [1, 2], "x": [20.0, 40.0], "y": [30.0, 50.0], "prob_1": [0.2, 0.7], "prob_2": [0.8, 0.3]})
    cat[["id", "x", "y"]].write(data / "candidates.ecsv")
    cat.write(tmp_path / "pred.fits")
    packed = tmp_path / f"pred.fits.{kind}"
    if kind == "Z":
        _compress(tmp_path / "pred.fits", packed)
    else:
        _zip_two(packed, [tmp_path / "pred.fits", data / "candidates.ecsv"])
    before = _snapshot(tmp_path)
    res = runner.invoke(app, ["inspect", str(data), "--init", "--predictions", str(packed),
                              "--port", str(free_port())])
    assert res.exit_code == 2, res.output
    out = " ".join(res.output.split())
    assert f"predictions: {_refusal(packed)}" in out, out
    assert "ModuleNotFoundError" not in out and "multiple members" not in out
    # inspect's render cache was made in DATA_DIR before the predictions were read: an empty .inspect_cache/KEY
    # was left behind by any refused predictions file
    assert _snapshot(tmp_path) == before
    assert not (data / "inspect.sqlite").exists() and not (data / ".inspect_cache").exists()


def test_inspect_leaves_no_render_cache_for_unreadable_predictions(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    write_toy_mosaics(data)
    Table({"id": [1, 2], "x": [20.0, 40.0], "y": [30.0, 50.0]}).write(data / "candidates.ecsv")
    (tmp_path / "pred.ecsv").write_text("not a table\n")
    before = _snapshot(tmp_path)
    res = runner.invoke(app, ["inspect", str(data), "--init", "--predictions", str(tmp_path / "pred.ecsv"),
                              "--port", str(free_port())])
    assert res.exit_code == 2 and "predictions" in res.output, res.output
    assert _snapshot(tmp_path) == before


@pytest.mark.parametrize("reader", [mosaic.weight_extension, mosaic.quantised_zeros])
def test_header_helpers_raise_oserror_naming_the_file(tmp_path, no_lzw, reader):
    # their callers pass over a file they cannot open by catching OSError; astropy's ModuleNotFoundError went past
    field, packed = _packed_field(tmp_path, "Z")
    with pytest.raises(OSError, match="compressed with Unix compress") as err:
        reader(packed)
    assert str(packed) in str(err.value)


@pytest.mark.parametrize("kind", ["Z", "zip"])
@pytest.mark.parametrize("role", ["prediction", "reference", "--stamps"])
def test_a_fits_named_table_that_is_compressed_is_refused_by_name(tmp_path, no_lzw, kind, role):
    # astropy tells a compression by the first bytes, not the name: a Unix compress file saved as ref.fits raised
    # ModuleNotFoundError past evaluate's readers (a traceback, exit 1) and inspect --stamps said astropy's words
    t = Table({"id": [1, 2], "x": [20.0, 40.0], "y": [30.0, 50.0], "class_ref": [1, 2], "class_pred": [1, 2]})
    t.write(tmp_path / "plain.fits")
    (tmp_path / "other.fits").write_bytes((tmp_path / "plain.fits").read_bytes())
    packed = tmp_path / "table.fits"
    if kind == "Z":
        _compress(tmp_path / "plain.fits", packed)
    else:
        _zip_two(packed, [tmp_path / "plain.fits", tmp_path / "other.fits"])
    t.write(tmp_path / "ok.ecsv")
    out = tmp_path / "out"
    args = {"prediction": ["evaluate", str(packed), "-r", str(tmp_path / "ok.ecsv"), "-o", str(out)],
            "reference": ["evaluate", str(tmp_path / "ok.ecsv"), "-r", str(packed), "-o", str(out)],
            "--stamps": ["inspect", "--stamps", str(packed), "--task", "legus4", "--init",
                         "--port", str(free_port())]}[role]
    before = _snapshot(tmp_path)
    res = runner.invoke(app, args)
    assert res.exit_code == 2, res.output
    out_text = " ".join(res.output.split())
    assert f"{role}: {_refusal(packed, kind)}" in out_text, out_text
    assert "ModuleNotFoundError" not in out_text and "multiple members" not in out_text
    assert _snapshot(tmp_path) == before
