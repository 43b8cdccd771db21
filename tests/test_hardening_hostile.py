"""Hostile inputs met in real data: scaled-integer FITS, spreadsheet CSVs, units that
contradict the schema, outputs that cannot be written, Ctrl-C."""

from __future__ import annotations

import numpy as np
import pytest
from astropy.io import fits
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()


def _toy_field(folder, shape=(64, 64), n=4, seed=3, bands=("f555w", "f814w")):
    """Small float32 FITS mosaics in ``folder`` (default two bands); returns their paths and the truth table."""
    from starclass.bands import BANDS
    from starclass.datasets.fields import synthetic_field
    from starclass.io.mosaic import write_mosaic

    mosaics, truth = synthetic_field(shape, n, bands=bands, seed=seed)
    paths = []
    for band in mosaics.bands:
        p = folder / f"toy_{band}.fits"
        write_mosaic(p, mosaics.data[band], band, None,
                     photflam=BANDS[band].photflam, photplam=BANDS[band].photplam)
        paths.append(p)
    return paths, truth


def _as_scaled_int16(src, dst):
    """Rewrite ``src`` as int16 with BZERO/BSCALE (how fpack-less archives store plates); returns bscale."""
    with fits.open(src) as hdul:
        data, header = hdul[0].data.astype(np.float64), hdul[0].header.copy()
    lo, hi = float(data.min()), float(data.max())
    bscale, bzero = (hi - lo) / 60000.0, (hi + lo) / 2.0
    raw = np.round((data - bzero) / bscale).astype(">i2")
    hdu = fits.PrimaryHDU(raw, header)
    hdu.header["BSCALE"], hdu.header["BZERO"] = bscale, bzero
    hdu.writeto(dst)
    return bscale


def test_int16_mosaics_with_bzero_are_read_as_scaled_floats(tmp_path):
    from starclass.io.mosaic import read_mosaics

    paths, _ = _toy_field(tmp_path)
    ints = tmp_path / "ints"
    ints.mkdir()
    scales = [_as_scaled_int16(p, ints / p.name) for p in paths]
    with fits.open(ints / paths[0].name) as hdul:  # the file really is scaled int16 on disk
        assert hdul[0].header["BITPIX"] == 16 and "BZERO" in hdul[0].header
    m = read_mosaics(ints)
    ref = read_mosaics(paths)
    for band, bscale in zip(ref.bands, scales):
        assert m.data[band].dtype == np.float32
        # rounding to the int16 grid moves a pixel by at most half a step
        assert np.max(np.abs(m.data[band] - ref.data[band])) <= bscale / 2 + 1e-4


def test_detect_runs_on_int16_mosaics_with_bzero(tmp_path):
    paths, _ = _toy_field(tmp_path)
    ints = tmp_path / "ints"
    ints.mkdir()
    for p in paths:
        _as_scaled_int16(p, ints / p.name)
    out = tmp_path / "c.ecsv"
    r = runner.invoke(app, ["detect", str(ints), "-o", str(out), "--no-progress"])
    assert r.exit_code == 0, r.output
    assert out.exists()


@pytest.mark.parametrize("name, text", [
    ("bom.csv", "\ufeffid,x,y,mag_f555w\n7,10.5,12.0,21.3\n9,40.0,50.5,22.1\n"),
    ("semicolon.csv", "id;x;y;mag_f555w\n7;10.5;12.0;21.3\n9;40.0;50.5;22.1\n"),
    ("tabs.csv", "id\tx\ty\tmag_f555w\n7\t10.5\t12.0\t21.3\n9\t40.0\t50.5\t22.1\n"),
    ("bom_semicolon.csv", "\ufeffid;x;y;mag_f555w\n7;10.5;12.0;21.3\n9;40.0;50.5;22.1\n"),
], ids=["bom", "semicolon", "tab", "bom-semicolon"])
def test_spreadsheet_csv_exports_are_read(tmp_path, name, text):
    from starclass.io.catalog import read_catalog

    path = tmp_path / name
    path.write_bytes(text.encode("utf-8"))
    t = read_catalog(path)
    assert t.colnames[:4] == ["id", "x", "y", "mag_f555w"]
    assert t["id"].tolist() == [7, 9]
    assert t["x"].tolist() == [10.5, 40.0] and t["mag_f555w"].tolist() == [21.3, 22.1]


def test_semicolon_csv_with_decimal_commas_names_the_cell(tmp_path):
    """A ';' file whose column is all decimal commas is numbers (European Excel, since 3af8c67); one that
    mixes them with text is still refused, naming the cell."""
    from starclass.errors import StarclassError
    from starclass.io.catalog import read_catalog

    path = tmp_path / "c.csv"
    path.write_text("id;x;y\n1;10,5;12\n")
    assert read_catalog(path)["x"].tolist() == [10.5]
    path.write_text("id;x;y\n1;10,5;12\n2;ten;13\n")
    with pytest.raises(StarclassError, match=r"column 'x' in .*c\.csv row 1 \(id 1\) is '10,5', not a number"):
        read_catalog(path)


def _ecsv_with_units(path, **units):
    """A three-row ECSV catalogue whose columns carry the given units (others: the schema's)."""
    import astropy.units as u
    from astropy.table import Table

    t = Table({"id": [1, 2, 3], "x": [10.0, 20.0, 30.0], "y": [5.0, 6.0, 7.0],
               "ra": [np.pi / 2, np.pi, 1.5 * np.pi], "dec": [0.1, 0.2, 0.3],
               "mag_f555w": [21.0, 22.0, 23.0], "age": [1.0, 10.0, 100.0]})
    for name, unit in units.items():
        t[name].unit = u.Unit(unit)
    t.write(path)
    return path


def test_ecsv_units_that_convert_are_converted(tmp_path):
    from starclass.io.catalog import read_catalog

    t = read_catalog(_ecsv_with_units(tmp_path / "c.ecsv", ra="rad", dec="rad", age="Myr"))
    # the numbers follow the unit, not only the label: pi/2 rad is 90 deg, 10 Myr is 1e7 yr
    assert np.allclose(t["ra"], [90.0, 180.0, 270.0]) and str(t["ra"].unit) == "deg"
    assert np.allclose(t["dec"], np.degrees([0.1, 0.2, 0.3]))
    assert np.allclose(t["age"], [1e6, 1e7, 1e8]) and str(t["age"].unit) == "yr"
    assert t.meta["units_converted"]["ra"] == "rad -> deg"


@pytest.mark.parametrize("column, unit", [("x", "arcsec"), ("mag_f555w", "Jy")])
def test_ecsv_units_of_another_kind_are_refused_naming_the_column(tmp_path, column, unit):
    path = _ecsv_with_units(tmp_path / "c.ecsv", **{column: unit})
    r = runner.invoke(app, ["info", str(path)])
    assert r.exit_code == 2, r.output
    assert f"column '{column}'" in r.output and "c.ecsv" in r.output and f"is in {unit}" in r.output
    assert "Traceback" not in r.output


def test_ecsv_magnitudes_in_a_named_system_and_schema_units_are_kept(tmp_path):
    from starclass.io.catalog import read_catalog

    t = read_catalog(_ecsv_with_units(tmp_path / "c.ecsv", mag_f555w="mag(AB)", x="pix", ra="deg"))
    assert t["mag_f555w"].tolist() == [21.0, 22.0, 23.0] and t["x"].tolist() == [10.0, 20.0, 30.0]
    assert "units_converted" not in t.meta


def _read_only(monkeypatch, folder):
    """Make ``folder`` read as unwritable to ``os.access`` (tests run as root, where chmod does not stop writes)."""
    import os

    real = os.access
    target = os.path.realpath(folder)

    def access(path, mode, *args, **kwargs):
        if os.path.realpath(path) == target and mode & os.W_OK:
            return False
        return real(path, mode, *args, **kwargs)

    monkeypatch.setattr(os, "access", access)


def _no_detection(monkeypatch):
    import starclass.detect.find as find

    def detect(*args, **kwargs):
        raise AssertionError("detection ran before the outputs were checked")

    monkeypatch.setattr(find, "detect", detect)


@pytest.mark.parametrize("option", ["-o", "--regions"])
def test_detect_refuses_an_unwritable_output_folder_before_detecting(tmp_path, monkeypatch, option):
    paths, _ = _toy_field(tmp_path)
    ro = tmp_path / "ro"
    ro.mkdir()
    _read_only(monkeypatch, ro)
    _no_detection(monkeypatch)
    out = tmp_path / "c.ecsv" if option == "--regions" else ro / "c.ecsv"
    args = ["detect", *map(str, paths), "-o", str(out), "--no-progress"]
    if option == "--regions":
        args += ["--regions", str(ro / "c.reg")]
    r = runner.invoke(app, args)
    assert r.exit_code == 2, r.output
    assert "no permission to write in" in r.output and str(ro) in r.output
    # nothing half done: the catalogue beside the unwritable regions file was not written either
    assert not out.exists() and list(ro.iterdir()) == []


def test_survey_refuses_an_unwritable_output_folder_before_the_cluster(tmp_path, monkeypatch):
    from starclass.errors import StarclassError
    from starclass.survey.run import _check_outdir

    _read_only(monkeypatch, tmp_path)
    with pytest.raises(StarclassError, match=r"cannot write .*sv \(--output\): no permission to write in"):
        _check_outdir(tmp_path / "sv", overwrite=False)


@pytest.mark.parametrize("command", ["detect", "cutouts", "classify"])
def test_a_file_output_naming_an_existing_folder_is_refused_first(tmp_path, monkeypatch, command):
    paths, truth = _toy_field(tmp_path)
    cat = tmp_path / "cat.ecsv"
    truth[["id", "x", "y"]].write(cat)
    _no_detection(monkeypatch)
    out = tmp_path / ("out.h5" if command == "cutouts" else "out.ecsv")
    out.mkdir()  # empty: an empty folder counts as absent for folder outputs, never for a file
    args = {"detect": ["detect", *map(str, paths), "-o", str(out), "--no-progress"],
            "cutouts": ["cutouts", *map(str, paths), "-c", str(cat), "-o", str(out), "--size", "8",
                        "--no-progress"],
            "classify": ["classify", *map(str, paths), "-c", str(cat), "--model", str(tmp_path / "no-model"),
                         "-o", str(out), "--no-progress"]}[command]
    for extra in ([], ["--overwrite"]):
        r = runner.invoke(app, args + extra)
        assert r.exit_code == 2, r.output
        assert f"--output {out} is a folder" in r.output and "Traceback" not in r.output
        assert out.is_dir() and list(out.iterdir()) == []


def _sigint_disposition() -> str:
    import signal

    handler = signal.getsignal(signal.SIGINT)
    return "ignored" if handler is signal.SIG_IGN else "default" if handler is signal.default_int_handler else "other"


def test_survey_worker_processes_leave_ctrl_c_to_the_main_process():
    # Ctrl-C signals the whole process group: workers that did not ignore it each died printing a
    # KeyboardInterrupt traceback; the main process alone must see it, stop and close the cluster
    pytest.importorskip("distributed")
    import signal

    from starclass.survey.run import make_client

    before = signal.getsignal(signal.SIGINT)
    client, cluster = make_client(n_workers=1, threads_per_worker=1, processes=True)
    try:
        assert set(client.run(_sigint_disposition).values()) == {"ignored"}
    finally:
        client.close()
        cluster.close()
    assert signal.getsignal(signal.SIGINT) is before  # this process still turns Ctrl-C into KeyboardInterrupt


def _interrupt_simulation(monkeypatch, stop):
    import starclass.simulate as simulate

    def render(*args, **kwargs):
        stop()

    monkeypatch.setattr(simulate, "simulate_to_disk", render)


def _ctrl_c():
    raise KeyboardInterrupt


def _sigterm():
    import signal

    from starclass.cli import _exit_on_sigterm

    _exit_on_sigterm(signal.SIGTERM, None)  # what the handler main() installs does on SIGTERM


@pytest.mark.parametrize("stop, status, says", [(_ctrl_c, 130, "interrupted by Ctrl-C (SIGINT)"),
                                                (_sigterm, 143, "stopped by SIGTERM")], ids=["sigint", "sigterm"])
def test_an_interrupted_command_says_so_and_leaves_nothing(tmp_path, monkeypatch, stop, status, says):
    _interrupt_simulation(monkeypatch, stop)
    out = tmp_path / "field"
    r = runner.invoke(app, ["simulate", str(out), "--size", "64", "--n-candidates", "5", "--quiet"])
    assert r.exit_code == status, r.output
    assert f"error: {says}; no output is left half-written" in r.output and "Traceback" not in r.output
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_an_interrupted_training_says_its_checkpoints_resume_it(tmp_path, monkeypatch):
    import starclass.learn.train as learn_train

    monkeypatch.setattr(learn_train, "fit", lambda *a, **k: _ctrl_c())
    paths, truth = _toy_field(tmp_path, n=8, bands=("f275w", "f336w", "f438w", "f555w", "f814w"))
    cat = tmp_path / "cat.ecsv"
    truth["class_ref"] = np.arange(len(truth)) % 4 + 1
    truth[["id", "x", "y", "class_ref"]].write(cat)
    mosaics = [a for p in paths for a in ("-m", str(p))]
    r = runner.invoke(app, ["train", "--task", "legus4-compact", *mosaics, "-c", str(cat),
                            "-o", str(tmp_path / "model"), "--epochs", "1", "--no-progress", "--device", "cpu"])
    assert r.exit_code == 130, r.output
    assert "interrupted by Ctrl-C" in r.output and "the same command resumes the training" in r.output


@pytest.mark.parametrize("kind", ["one-pixel-wide", "header-only"])
def test_a_band_file_without_a_usable_image_in_a_folder_is_named_not_skipped(tmp_path, kind):
    # skipped as if it were a catalogue, a broken f555w file left detection to run in f814w
    paths, _ = _toy_field(tmp_path)
    v = next(p for p in paths if "f555w" in p.name)
    with fits.open(v) as hdul:
        header, data = hdul[0].header.copy(), hdul[0].data.copy()
    v.unlink()
    hdu = fits.PrimaryHDU(data[:, :1].copy(), header) if kind == "one-pixel-wide" else fits.PrimaryHDU(header=header)
    hdu.writeto(v)
    out = tmp_path / "c.ecsv"
    r = runner.invoke(app, ["detect", str(tmp_path), "-o", str(out), "--no-progress"])
    assert r.exit_code == 2, r.output
    assert f"no 2-D image found in any HDU of {v}" in r.output and "Traceback" not in r.output
    assert ("HDU 0: 1 x 64 px" if kind == "one-pixel-wide" else "no HDU holds data") in r.output
    assert not out.exists()


def test_a_fits_catalogue_among_the_mosaics_is_still_skipped(tmp_path):
    from astropy.table import Table

    from starclass.io.mosaic import read_mosaics

    paths, _ = _toy_field(tmp_path)
    Table({"id": [1], "x": [3.0], "y": [4.0]}).write(tmp_path / "cands_f555w.fits")
    assert read_mosaics(tmp_path).bands == ["f555w", "f814w"]


def test_misaligned_bands_are_refused_with_readable_numbers(tmp_path):
    from astropy.wcs import WCS

    from starclass.bands import BANDS
    from starclass.datasets.fields import synthetic_field
    from starclass.errors import StarclassError
    from starclass.io.mosaic import read_mosaics, write_mosaic

    mosaics, _ = synthetic_field((32, 32), 2, bands=("f555w", "f814w"), seed=1)
    paths = []
    for band, shift in (("f555w", 0.0), ("f814w", 3.0)):
        w = WCS(naxis=2)
        w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
        w.wcs.crval, w.wcs.cdelt = [10.0, -20.0], [-1e-5, 1e-5]
        w.wcs.crpix = [16.5 + shift, 16.5]
        paths.append(write_mosaic(tmp_path / f"m_{band}.fits", mosaics.data[band], band, w,
                                  photflam=BANDS[band].photflam, photplam=BANDS[band].photplam))
    with pytest.raises(StarclassError) as err:
        read_mosaics(paths)
    message = str(err.value)
    assert "m_f555w.fits and" in message and "offset by up to 3 px" in message
    assert "CRPIX (16.5, 16.5) vs (19.5, 16.5)" in message and "np.float64" not in message


@pytest.mark.parametrize("content", [b"garbage\n" * 20, b"id,x,y\n1,2,3\n"], ids=["garbage", "a-csv"])
def test_a_file_that_is_no_checkpoint_gets_the_reason_not_torchs_advice(tmp_path, content):
    from starclass.errors import StarclassError
    from starclass.learn.checkpoint import load_checkpoint

    path = tmp_path / "member_01.pt"
    path.write_bytes(content)
    with pytest.raises(StarclassError) as err:
        load_checkpoint(path)
    message = str(err.value)
    assert f"{path} is not a readable starclass checkpoint" in message
    # torch's advice to retry with weights_only=False would run arbitrary code from a foreign file
    assert "file an issue" not in message and "weights_only" not in message


@pytest.mark.parametrize("command", ["explain", "classify", "calibrate"])
def test_a_table_given_as_the_model_is_named_as_such(tmp_path, command):
    """``explain heldout.csv model/`` (the arguments swapped) said "heldout.csv is not a readable starclass checkpoint
    (damaged, or not written by starclass): Unsupported operand 102": a damaged model, not a CSV in the wrong
    place. Now every command that loads a model says what the file is."""
    table = tmp_path / "heldout.csv"
    table.write_text("file,label\na.png,cluster\n")
    stamps, out = tmp_path / "stamps", tmp_path / "out"
    stamps.mkdir()
    argv = {"explain": ["explain", str(table), str(stamps), "-o", str(out)],
            "classify": ["classify", "--stamps", str(stamps), "--model", str(table), "-o", str(out) + ".csv"],
            "calibrate": ["calibrate", str(table), "--stamps", str(stamps)]}[command]
    res = runner.invoke(app, argv)
    said = " ".join(res.output.split())
    assert res.exit_code == 2 and "Traceback" not in res.output, res.output
    assert f"{table} is a CSV table, not a model" in said or f"model {table}: give the model directory" in said, said
    assert "damaged" not in said and not out.exists() and not (tmp_path / "out.csv").exists()


def test_votes_match_a_catalogue_whose_integer_ids_were_written_as_floats():
    # pandas and spreadsheets write an int id column as 1.0, 2.0 ... once a cell was empty
    from astropy.table import Table

    from starclass.learn.config import get_preset
    from starclass.learn.labels import joint_with_votes

    cat = Table({"id": [1.0, 2.0, 3.0, 4.0]})
    votes = Table({"id": [4, 1], "class_h1": [2, 3], "class_h2": [2, 3]})
    prob = np.full((4, 4), 0.25)
    joint = joint_with_votes(get_preset("legus4"), cat, prob, votes, name="votes.ecsv")
    assert joint.n_votes.tolist() == [2, 0, 0, 2]
    assert joint.classes[[0, 3]].tolist() == [3, 2]


def test_suggest_leaves_out_labelled_ids_written_as_floats():
    from astropy.table import Table

    from starclass.suggest.pick import suggest

    t = Table({"id": [1.0, 2.0, 3.0], "prob_1": [0.5, 0.5, 0.9], "prob_2": [0.5, 0.5, 0.1]})
    assert suggest(t, 3, labelled=[1, 2])["id"].tolist() == [3.0]


def test_detect_interrupted_while_writing_leaves_no_output_and_the_rerun_needs_no_overwrite(tmp_path, monkeypatch):
    import importlib

    # the module, not the function of the same name that starclass.detect exports
    completeness = importlib.import_module("starclass.detect.completeness")
    paths, truth = _toy_field(tmp_path, n=6)
    truth_path = tmp_path / "truth.ecsv"
    truth.write(truth_path)
    out = tmp_path / "out"
    out.mkdir()
    args = ["detect", *map(str, paths), "-o", str(out / "c.ecsv"), "--regions", str(out / "c.reg"),
            "--truth", str(truth_path), "--no-progress"]
    real_plot = completeness.plot_completeness

    def interrupted_plot(*args, **kwargs):
        raise KeyboardInterrupt  # Ctrl-C while the last output, the completeness figure, is drawn

    monkeypatch.setattr(completeness, "plot_completeness", interrupted_plot)
    r = runner.invoke(app, args)
    assert r.exit_code == 130, r.output
    assert sorted(p.name for p in out.iterdir()) == []  # not the catalogue, regions or table of the set
    monkeypatch.setattr(completeness, "plot_completeness", real_plot)
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.iterdir()) == ["c.ecsv", "c.reg", "c_completeness.ecsv", "c_completeness.png"]


def test_cutouts_interrupted_during_the_phangs_export_leaves_no_store(tmp_path, monkeypatch):
    import starclass.stamps.export as export

    paths, truth = _toy_field(tmp_path, n=6)
    cat = tmp_path / "cat.ecsv"
    truth[["id", "x", "y"]].write(cat)
    out = tmp_path / "out"
    out.mkdir()
    args = ["cutouts", *map(str, paths), "-c", str(cat), "-o", str(out / "s.h5"), "--size", "8",
            "--phangs-fits-dir", str(out / "fits"), "--no-progress"]
    real_export = export.export_phangs_fits

    def interrupted_export(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(export, "export_phangs_fits", interrupted_export)
    r = runner.invoke(app, args)
    assert r.exit_code == 130, r.output
    assert list(out.iterdir()) == []  # neither the store nor a part of the export
    monkeypatch.setattr(export, "export_phangs_fits", real_export)
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in out.iterdir()) == ["fits", "s.h5"] and any((out / "fits").iterdir())


def test_zero_padded_ids_stay_text_and_match_the_votes(tmp_path):
    from starclass.io.catalog import read_catalog
    from starclass.learn.labels import check_votes, read_votes

    cat = tmp_path / "cat.csv"
    cat.write_text("id,x,y\n00042,10.0,12.0\n00043,20.0,22.0\n00044,30.0,32.0\n")
    votes = tmp_path / "votes.csv"
    votes.write_bytes("\ufeffid;class_h1;class_h2\n00043;1;2\n00042;3;3\n".encode("utf-8"))
    t = read_catalog(cat)
    assert t["id"].tolist() == ["00042", "00043", "00044"]  # not 42, 43, 44: the ids other tables use
    v = read_votes(votes)
    assert v["id"].tolist() == ["00043", "00042"] and v.colnames == ["id", "class_h1", "class_h2"]
    assert check_votes(t, v, name="votes.csv") == ["class_h1", "class_h2"]
