"""``starclass info`` options of one catalogue on what is none: refused, not ignored (2026-12-05).

``info pandas-m31 --bands f275w,...`` (a cutout folder), ``info legus --format phangs`` (a folder of
catalogues, each read in its own format whatever --format said) and ``info pandas-m31 --one-based``
printed the summary, exit 0, as if the option had been used. --ds9 was refused there already
(tests/test_info_not_a_catalogue.py); --format, --bands, --one-based/--zero-based and --map now are too,
in the same words, exit 2 and before any summary. --map still applies to a folder of catalogues.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from conftest import SHARED_DATA  # tests/ is on sys.path under pytest
from starclass.cli import app

BANDS = "f275w,f336w,f435w,f555w,f814w"


def _info(*args):
    return CliRunner().invoke(app, ["info", *map(str, args)])


def _refused(r, message: str) -> None:
    """Exit 2 and the one error line: no summary printed before it."""
    out = " ".join(r.output.split())
    assert r.exit_code == 2 and out == f"error: {message}", (r.exit_code, out)


def _cutout_folder(d):
    (d / "cluster").mkdir(parents=True)
    np.save(d / "cluster" / "a.npy", np.arange(64.0).reshape(8, 8))
    return d


def _catalogue_folder(d):
    d.mkdir()
    Table({"id": [1, 2], "x": [5.0, 9.0], "y": [3.0, 4.0], "class_ref": [1, 4]}).write(d / "cat.csv")
    Table({"id": [3], "x": [1.0], "y": [2.0], "class_ref": [2]}).write(d / "other.csv")
    return d


def test_options_of_a_catalogue_on_a_cutout_folder_are_refused(tmp_path):
    cut = _cutout_folder(tmp_path / "cut")
    kind = f"{cut} is a cutout folder (images, no positions)"
    _refused(_info(cut, "--bands", BANDS), f"--bands needs a catalogue; {kind}")
    _refused(_info(cut, "--one-based"), f"--one-based needs a catalogue; {kind}")
    _refused(_info(cut, "--zero-based"), f"--zero-based needs a catalogue; {kind}")
    _refused(_info(cut, "--format", "csv", "--map", "NUM=id"), f"--format and --map need a catalogue; {kind}")
    _refused(_info(cut, "-f", "csv", "--map", "NUM=id", "--one-based"),
             f"--format, --map and --one-based need a catalogue; {kind}")
    # --ds9 keeps its own words, first
    _refused(_info(cut, "--bands", BANDS, "--ds9", tmp_path / "r.reg"),
             f"--ds9 writes the regions of one catalogue with positions; {kind}")
    assert not (tmp_path / "r.reg").exists()
    assert _info(cut).exit_code == 0


def test_a_list_of_cutouts_given_itself_is_said_to_be_one(tmp_path):
    (tmp_path / "a.png").write_bytes(b"")  # not read: refused before the list is summarised
    (tmp_path / "labels.csv").write_text("file,label\na.png,cluster\n")
    _refused(_info(tmp_path / "labels.csv", "--format", "csv"),
             f"--format needs a catalogue; {tmp_path / 'labels.csv'} is a list of cutouts (images, no positions)")


def test_format_bands_and_positions_on_a_folder_of_catalogues_are_refused_map_applies(tmp_path):
    cats = _catalogue_folder(tmp_path / "cats")
    kind = f"{cats} is a folder: give one catalogue in it (starclass info {cats} lists them)"
    _refused(_info(cats, "--format", "phangs"),
             f"--format needs one catalogue (in a folder each file is read in its own format); {kind}")
    _refused(_info(cats, "--bands", BANDS),
             f"--bands needs one catalogue (in a folder each LEGUS .tab takes its own filters); {kind}")
    _refused(_info(cats, "--one-based"),
             f"--one-based needs one catalogue (in a folder the table shows no positions); {kind}")
    _refused(_info(cats, "--format", "csv", "--bands", BANDS, "--zero-based"),
             "--format, --bands and --zero-based need one catalogue (in a folder each file is read in its own "
             "format, each LEGUS .tab takes its own filters and the table shows no positions); " + kind)
    # --map is applied to each catalogue of the folder (documented in docs/io.md): read, not refused
    (tmp_path / "named").mkdir()
    Table({"NUM": [1, 2], "x": [5.0, 9.0], "y": [3.0, 4.0], "Class": [1, 4]}).write(tmp_path / "named" / "a.csv")
    r = _info(tmp_path / "named", "--map", "NUM=id,Class=class_ref")
    assert r.exit_code == 0 and "NUM->id, Class->class_ref" in r.output, r.output
    # and one catalogue in it takes the options
    r = _info(cats / "cat.csv", "--format", "csv", "--one-based")
    assert r.exit_code == 0 and "positions (0-based px): x 4.0 .. 8.0" in r.output, r.output


def test_options_of_a_catalogue_on_a_model_a_store_and_mosaics_are_refused(tmp_path):
    from astropy.wcs import WCS

    from starclass.bands import BANDS as BAND_INFO
    from starclass.io.mosaic import write_mosaic
    from starclass.stamps.store import write_stamp_store

    model = tmp_path / "m"
    model.mkdir()
    (model / "manifest.json").write_text("{}")  # refused before the model is read
    _refused(_info(model, "--bands", BANDS), f"--bands needs a catalogue; {model} is a trained model")

    store = tmp_path / "s.h5"
    write_stamp_store(store, np.zeros((2, 1, 1, 8, 8), np.float32), np.ones((2, 8, 8), bool),
                      {"id": np.arange(1, 3)}, channels=["f555w"], normalisation="zscore", bands=["f555w"])
    _refused(_info(store, "--format", "ecsv"),
             f"--format needs a catalogue; {store} is a stamp store (starclass cutouts)")

    w = WCS(naxis=2)
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    w.wcs.crval, w.wcs.crpix, w.wcs.cdelt = [10.0, 20.0], [10.0, 10.0], [-1.1e-5, 1.1e-5]
    (tmp_path / "mos").mkdir()
    image = tmp_path / "mos" / "f_f555w.fits"
    write_mosaic(image, np.ones((20, 20), "f4"), "f555w", w, photflam=BAND_INFO["f555w"].photflam,
                 photplam=BAND_INFO["f555w"].photplam)
    _refused(_info(image, "--one-based"), f"--one-based needs a catalogue; {image} is a FITS image, not a catalogue")
    _refused(_info(tmp_path / "mos", "--map", "NUM=id"),
             f"--map needs a catalogue; {tmp_path / 'mos'} holds FITS mosaics only, no catalogue")
    assert _info(tmp_path / "mos").exit_code == 0


def test_positions_option_on_what_starclass_wrote_is_refused(tmp_path):
    from starclass.report.sections import TABLE_META

    ev = tmp_path / "ev"
    ev.mkdir()
    (ev / "summary.json").write_text('{"headline": {"truth": {"4class": 0.5}}, "tables": [], "figures": []}')
    r = _info(ev, "--one-based")
    assert r.exit_code == 2 and "error: --one-based needs a catalogue; " in r.output, r.output
    assert "is not one" in r.output and "truth: accuracy" not in r.output, r.output

    table = tmp_path / "per_class.ecsv"
    Table({"class": [1, 2], "recall": [0.5, 0.7]}, meta={TABLE_META: {"written_by": "starclass evaluate"}}).write(
        table)
    _refused(_info(table, "--zero-based"), f"--zero-based needs a catalogue; {table} is a table starclass evaluate "
                                           f"wrote into {tmp_path}, not a catalogue of candidates")

    out = tmp_path / "out.ecsv"
    Table({"file": ["a.png", "b.png"], "class_pred": [1, 2]}).write(out)
    _refused(_info(out, "--one-based"),
             # said of it as of the same list as CSV (a list of cutouts) since 2026-12-07
             f"--one-based needs a catalogue; {out} is a list of cutouts (images, no positions)")


@pytest.mark.parametrize(("folder", "opts", "said"), [
    ("pandas-m31", ["--bands", BANDS], "--bands needs a catalogue; {p} is a cutout folder (images, no positions)"),
    ("pandas-m31", ["--one-based"], "--one-based needs a catalogue; {p} is a cutout folder (images, no positions)"),
    ("legus", ["--format", "phangs"], "--format needs one catalogue (in a folder each file is read in its own "
                                      "format); {p} is a folder: give one catalogue in it (starclass info {p} lists "
                                      "them)"),
])
def test_shared_folders(folder, opts, said):
    p = SHARED_DATA / folder
    if not p.is_dir():
        pytest.skip(f"../shared/data/{folder} not available")
    _refused(_info(p, *opts), said.format(p=p))


def test_positions_option_on_a_catalogue_of_sky_positions_is_refused(tmp_path):
    """``info radec.csv --one-based`` (no x, y: nothing to count from 0 or 1) was described, exit 0."""
    cat = tmp_path / "radec.csv"
    Table({"id": [1, 2], "ra": [10.0, 10.1], "dec": [20.0, 20.1], "class_ref": [1, 4]}).write(cat)
    for opt in ("--one-based", "--zero-based"):
        _refused(_info(cat, opt, "--ds9", tmp_path / "r.reg"),
                 f"{opt} says how a catalogue's x, y count; {cat} has no x, y (its positions are ra, dec)")
        assert not (tmp_path / "r.reg").exists()
    r = _info(cat, "--ds9", tmp_path / "r.reg", "--ds9-coords", "fk5")
    assert r.exit_code == 0 and (tmp_path / "r.reg").read_text().count("circle") == 2, r.output
