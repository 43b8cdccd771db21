"""``starclass info DIR`` on a folder of FITS mosaics (2026-12-03).

A user ran ``starclass info`` on the folder of ``starclass simulate``'s images without the
catalogues and got "no catalogue could be read in DIR" (exit 2); on the field folder itself one
"skipped: no table HDU" note per band. The mosaics are now described: bands, shape, WCS.
"""

from __future__ import annotations

import numpy as np
from astropy.table import Table
from astropy.wcs import WCS
from typer.testing import CliRunner

from starclass.bands import BANDS
from starclass.cli import app
from starclass.io.mosaic import write_mosaic

runner = CliRunner()


def _mosaics(d, shape=(40, 50), bands=("f438w", "f555w"), prefix="f"):
    w = WCS(naxis=2)
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    w.wcs.crval, w.wcs.crpix, w.wcs.cdelt = [10.0, 20.0], [25.0, 20.0], [-1.1e-5, 1.1e-5]
    for b in bands:
        write_mosaic(d / f"{prefix}_{b}.fits", np.ones(shape, "f4"), b, w, photflam=BANDS[b].photflam,
                     photplam=BANDS[b].photplam)


def _info(*args):
    return runner.invoke(app, ["info", *[str(a) for a in args]])


def test_info_on_a_folder_of_mosaics_describes_them(tmp_path):
    _mosaics(tmp_path)
    r = _info(tmp_path)
    assert r.exit_code == 0, r.output
    assert "mosaics: 2 bands: f438w, f555w" in r.output
    assert "shape: 50 x 40 px" in r.output and "WCS: RA---TAN, DEC--TAN" in r.output
    assert "0.0396 arcsec/px" in r.output  # 1.1e-5 deg
    # a table format of a folder summary does not apply: said, not ignored
    r = _info(tmp_path, "--out-format", "csv")
    assert r.exit_code == 2 and "FITS mosaics only" in r.output, r.output


def test_info_on_a_field_folder_lists_catalogues_then_mosaics(tmp_path):
    _mosaics(tmp_path)
    Table({"id": [1, 2], "x": [3.0, 4.0], "y": [5.0, 6.0], "class_ref": [1, 2]}).write(tmp_path / "truth.ecsv")
    r = _info(tmp_path)
    assert r.exit_code == 0, r.output
    assert "inspected" in r.output and "mosaics: 2 bands" in r.output  # the catalogue row, then the mosaics
    assert "no table HDU" not in r.output and "skipped" not in r.output, r.output


def test_info_on_mosaics_of_two_grids_describes_each_file(tmp_path):
    _mosaics(tmp_path)
    _mosaics(tmp_path, shape=(30, 30), bands=("f814w",), prefix="g")
    r = _info(tmp_path)
    assert r.exit_code == 0, r.output
    assert "not one set of mosaics" in r.output
    assert "g_f814w.fits: 30 x 30 px, filter F814W, WCS RA---TAN, DEC--TAN" in r.output, r.output
    assert "f_f438w.fits: 50 x 40 px" in r.output


def test_a_folder_of_fpack_compressed_mosaics_is_a_field(tmp_path):
    """A folder of ``*.fits.fz`` mosaics (fpack, as archives ship big mosaics): ``detect DIR`` said
    "no FITS images found", ``info DIR`` "no catalogue could be read" and ``info FILE.fits.fz`` tried
    to read the image as an ASCII table (UnicodeDecodeError); each file given by name was read."""
    from astropy.io import fits

    from starclass.io.mosaic import read_mosaics

    plain = tmp_path / "plain"
    plain.mkdir()
    _mosaics(plain)
    packed = tmp_path / "packed"
    packed.mkdir()
    for f in sorted(plain.glob("*.fits")):
        with fits.open(f) as hdul:
            # lossless for float images: no quantisation
            comp = fits.CompImageHDU(hdul[0].data, hdul[0].header, compression_type="GZIP_1", quantize_level=0.0)
            fits.HDUList([fits.PrimaryHDU(), comp]).writeto(packed / f"{f.name}.fz")
    ms, ref = read_mosaics(packed), read_mosaics(plain)
    assert ms.bands == ref.bands == ["f438w", "f555w"]
    assert ms.zeropoint == ref.zeropoint
    for b in ms.bands:
        np.testing.assert_array_equal(ms.data[b], ref.data[b])
    r = _info(packed)
    assert r.exit_code == 0, r.output
    assert "mosaics: 2 bands: f438w, f555w" in r.output and "f_f555w.fits.fz" in r.output
    r = _info(packed / "f_f555w.fits.fz")
    assert r.exit_code == 0, r.output
    assert "mosaics: 1 band: f555w" in r.output


def test_inspect_field_reads_fpack_compressed_mosaics(tmp_path):
    """``starclass inspect`` looked only for *.fits and *.fits.gz: a field of .fits.fz mosaics had
    "no FITS mosaics"."""
    from astropy.io import fits

    from starclass.inspect.field import load_field

    _mosaics(tmp_path)
    for f in sorted(tmp_path.glob("*.fits")):
        with fits.open(f) as hdul:
            comp = fits.CompImageHDU(hdul[0].data, hdul[0].header, compression_type="GZIP_1", quantize_level=0.0)
            fits.HDUList([fits.PrimaryHDU(), comp]).writeto(tmp_path / f"{f.name}.fz")
        f.unlink()
    Table({"id": [1, 2], "x": [3.0, 4.0], "y": [5.0, 6.0]}).write(tmp_path / "candidates.ecsv")
    field = load_field(tmp_path)
    assert sorted(field.bands) == ["f438w", "f555w"]
    assert {p.name for p in field.served} >= {"f_f438w.fits.fz", "f_f555w.fits.fz"}


def test_a_stray_text_file_beside_the_mosaics_does_not_hide_them(tmp_path):
    """A mosaic folder holding a pos.txt (two bare columns) or notes.txt (prose) beside the FITS files
    said "no catalogue could be read in DIR" (exit 2); the mosaics are now described and the file that
    did not read as a catalogue is named in a note."""
    for name, text in (("pos.txt", "10 20\n30 40\n"), ("notes.txt", "observed in 2019, reduced by hand\n")):
        d = tmp_path / name.split(".")[0]
        d.mkdir()
        _mosaics(d)
        (d / name).write_text(text)
        r = _info(d)
        assert r.exit_code == 0, r.output
        assert "mosaics: 2 bands: f438w, f555w" in r.output and "WCS: RA---TAN, DEC--TAN" in r.output
        assert f"note: {name}: not read as a catalogue" in r.output, r.output
        r = _info(d, "--out-format", "csv")  # a table of catalogues has no row to give: said, naming the file
        assert r.exit_code == 2 and f"no file that reads as a catalogue ({name})" in " ".join(r.output.split())


def test_info_names_the_band_of_an_acs_file_from_filter1_filter2(tmp_path):
    """Two drizzled files on different grids: an ACS one states its band only in FILTER1/FILTER2 of the
    primary header (FILTER2 CLEAR2L), not in its name. The listing said "filter ?" for it, while
    read_mosaics (and every command) read it as f555w."""
    from astropy.io import fits

    w = WCS(naxis=2)
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    w.wcs.crval, w.wcs.crpix, w.wcs.cd = [10.0, 20.0], [10.0, 10.0], [[-1.1e-5, 0.0], [0.0, 1.1e-5]]
    for name, shape, primary in (("jcdu01010_drc.fits", (40, 50), {"FILTER1": "F555W", "FILTER2": "CLEAR2L"}),
                                 ("icdu03010_drc.fits", (30, 30), {"FILTER": "F814W"})):
        sci = w.to_header()
        sci.update({"BUNIT": "ELECTRONS/S", "PHOTFLAM": 1.9e-19, "PHOTPLAM": 5308.0})
        fits.HDUList([fits.PrimaryHDU(header=fits.Header(primary)),
                      fits.ImageHDU(np.ones(shape, np.float32), sci, name="SCI"),
                      fits.ImageHDU(np.ones(shape, np.float32), w.to_header(), name="WHT"),
                      fits.ImageHDU(np.ones(shape, np.int32), w.to_header(), name="CTX")]).writeto(tmp_path / name)
    r = _info(tmp_path)
    assert r.exit_code == 0 and "not one set of mosaics" in r.output, r.output
    assert "jcdu01010_drc.fits: 50 x 40 px, filter f555w, WCS" in r.output, r.output  # "filter ?" before
    assert "icdu03010_drc.fits: 30 x 30 px, filter F814W, WCS" in r.output, r.output
