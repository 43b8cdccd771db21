"""Issue 13, points 7-9: inputs are never overwritten, existing outputs kept unless --overwrite,
multi-file outputs replaced as a whole, hidden temporary files never read, SIGTERM cleans up."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pytest
from astropy.table import Table
from PIL import Image
from typer.testing import CliRunner

import starclass
from starclass.bands import BANDS
from starclass.cli import app
from starclass.errors import StarclassError
from starclass.io.atomic import atomic_dir, atomic_path
from starclass.io.catalog import write_catalog
from starclass.io.cutout_folders import read_cutout_folder
from starclass.io.mosaic import mosaic_inputs, read_mosaics, write_mosaic
from starclass.io.paths import check_output, input_clash

runner = CliRunner()
# the subprocess must import the starclass these tests import, wherever that is
SRC = Path(starclass.__file__).resolve().parents[1]


def _mosaics(folder: Path, size: int = 48) -> list[Path]:
    """Two small bands with a few point sources, written as drizzled-style FITS."""
    rng = np.random.default_rng(3)
    yy, xx = np.mgrid[:size, :size]
    img = rng.normal(0.0, 0.01, (size, size))
    for x, y in ((12, 14), (30, 33), (20, 40)):
        img = img + np.exp(-((xx - x) ** 2 + (yy - y) ** 2) / 4.0)
    paths = []
    for band in ("f555w", "f814w"):
        info = BANDS[band]
        paths.append(write_mosaic(folder / f"toy_{band}.fits", img.astype(np.float32), band, None,
                                  photflam=info.photflam, photplam=info.photplam))
    return paths


def _catalogue(path: Path) -> Path:
    write_catalog(Table({"id": [1, 2, 3], "x": [12.0, 30.0, 20.0], "y": [14.0, 33.0, 40.0]}), path)
    return path


def _run(args):
    res = runner.invoke(app, [str(a) for a in args])
    return res.exit_code, res.output


# --- point 9: temporary names ------------------------------------------------------------------

def test_250_character_output_name_has_a_legal_temporary_name(tmp_path):
    # the old temporary name was "." + the whole name + "." + 8 random: 260 characters, ENAMETOOLONG
    target = tmp_path / ("c" * 245 + ".ecsv")
    assert len(target.name) == 250
    with atomic_path(target) as tmp:
        assert tmp.name.startswith(".") and len(tmp.name) < 100
        tmp.write_text("done")
    assert target.read_text() == "done"
    folder = tmp_path / ("d" * 250)
    with atomic_dir(folder) as tmp:
        (tmp / "a.txt").write_text("x")
    assert (folder / "a.txt").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted([target.name, folder.name])


def test_mosaic_folder_scan_skips_hidden_files(tmp_path):
    paths = _mosaics(tmp_path)
    # what a killed atomic write and macOS leave beside the real file
    shutil.copy(paths[0], tmp_path / ".toy_f555w.fits.k3j2h1g0.fits")
    shutil.copy(paths[0], tmp_path / "._toy_f555w.fits")
    ms = read_mosaics(tmp_path)  # was: "band f555w appears twice"
    assert sorted(ms.bands) == ["f555w", "f814w"]
    assert all(not p.name.startswith(".") for p in mosaic_inputs(tmp_path))


def test_imagefolder_scan_skips_hidden_files(tmp_path):
    for label in ("cluster", "galaxy"):
        for i in range(3):
            (tmp_path / label).mkdir(exist_ok=True)
            Image.fromarray(np.full((16, 16), 40 * i, np.uint8)).save(tmp_path / label / f"{i}.png")
    (tmp_path / "cluster" / "._0.png").write_bytes(b"\x00\x05\x16\x07 mac resource fork")
    shutil.copy(tmp_path / "cluster" / "1.png", tmp_path / "cluster" / ".1.png.a1b2c3d4.png")
    cs = read_cutout_folder(tmp_path, require_group=False)
    assert len(cs) == 6
    assert not any(Path(f).name.startswith(".") for f in cs.files)


def test_sigterm_during_a_cli_write_removes_the_temporary_file(tmp_path):
    target = tmp_path / "out.ecsv"
    script = textwrap.dedent(f"""
        import sys, time
        from starclass.cli import app, main
        from starclass.io.atomic import atomic_path

        @app.command("hang")
        def hang(path: str):
            with atomic_path(path) as tmp:
                tmp.write_text("partial")
                print("ready", flush=True)
                time.sleep(60)

        sys.argv = ["starclass", "hang", {str(target)!r}]
        main()
    """)
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    proc = subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, env=env, text=True)
    try:
        assert proc.stdout.readline().strip() == "ready"
        assert [p.name for p in tmp_path.iterdir()][0].startswith(".out.ecsv.")
        proc.send_signal(signal.SIGTERM)
        rc = proc.wait(timeout=30)
    finally:
        if proc.poll() is None:
            proc.kill()
    assert rc == 128 + signal.SIGTERM
    assert list(tmp_path.iterdir()) == []  # neither the target nor a hidden temporary file


# --- the helpers ------------------------------------------------------------------------------

def test_check_output_same_file_by_identity_and_containment(tmp_path):
    a = _catalogue(tmp_path / "a.ecsv")
    (tmp_path / "link.ecsv").symlink_to(a)
    os.link(a, tmp_path / "hard.ecsv")
    for alias in (tmp_path / "link.ecsv", tmp_path / "hard.ecsv", tmp_path / "sub" / ".." / "a.ecsv"):
        assert input_clash(alias, [a]) == a
        with pytest.raises(StarclassError, match=r"--output .* is one of the command's inputs"):
            check_output(alias, [a], option="--output", overwrite=True)
    with pytest.raises(StarclassError, match=r"-o .* contains one of the command's inputs"):
        check_output(tmp_path, [a], option="-o", overwrite=True)
    with pytest.raises(StarclassError, match=r"--output .*b.ecsv exists; give --overwrite"):
        check_output(_catalogue(tmp_path / "b.ecsv"), [a], option="--output")
    check_output(tmp_path / "b.ecsv", [a], option="--output", overwrite=True)
    (tmp_path / "empty").mkdir()
    check_output(tmp_path / "empty", [a], option="-o")  # an empty folder is as good as none


def test_atomic_dir_keeps_the_old_set_on_failure_and_refuses_foreign_files(tmp_path):
    out = tmp_path / "ev"
    out.mkdir()
    (out / "summary.json").write_text("old")
    with pytest.raises(StarclassError, match="give overwrite=True"):  # a Python call's argument
        with atomic_dir(out, own=["summary.json"]):
            pass
    with pytest.raises(RuntimeError):
        with atomic_dir(out, overwrite=True, own=["summary.json"]) as tmp:
            (tmp / "summary.json").write_text("half")
            raise RuntimeError("killed")
    assert (out / "summary.json").read_text() == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ev"]  # no temporary folder left
    (out / "notes.txt").write_text("mine")
    with pytest.raises(StarclassError, match="notes.txt"):
        with atomic_dir(out, overwrite=True, own=["summary.json"]):
            pass


# --- point 7: an output is never an input ------------------------------------------------------

def test_detect_cutouts_classify_info_refuse_an_input_as_output(tmp_path):
    paths = _mosaics(tmp_path / "field")
    cat = _catalogue(tmp_path / "cands.ecsv")
    cat_html = tmp_path / "cands.html"  # a page named like its input: only the path matters here
    shutil.copy(cat, cat_html)
    labels = tmp_path / "labels.csv"  # a cutout folder's list is an input of classify --stamps
    labels.write_text("file,label\nfield/toy_f555w.fits,cluster\n")
    before = {p: p.read_bytes() for p in (*paths, cat, cat_html, labels)}
    cases = [
        ["detect", tmp_path / "field", "-o", paths[1], "--no-progress"],
        ["detect", *paths, "-o", paths[0], "--overwrite", "--no-progress"],
        ["detect", tmp_path / "field", "-o", tmp_path / "field", "--no-progress"],
        ["detect", tmp_path / "field", "-o", tmp_path / "new.ecsv", "--positions", cat, "--regions", cat],
        ["cutouts", tmp_path / "field", "-c", cat, "-o", paths[0], "--overwrite", "--no-progress"],
        ["cutouts", tmp_path / "field", "-c", cat, "-o", cat, "--overwrite", "--no-progress"],
        # the model is never opened: the output check comes first
        ["classify", tmp_path / "field", "-c", cat, "--model", tmp_path / "nomodel", "-o", cat, "--overwrite"],
        ["classify", "--stamps", tmp_path, "--model", tmp_path / "nomodel", "-o", tmp_path / "labels.csv",
         "--overwrite"],
        ["info", cat, "--ds9", cat, "--overwrite"],
        ["evaluate", cat, "-o", tmp_path, "--overwrite"],
        ["report", cat_html, "-o", cat_html, "--overwrite"],
    ]
    for args in cases:
        code, out = _run(args)
        assert code == 2, (args, out)
        assert "error: " in out and "inputs" in out and "Traceback" not in out, (args, out)
    assert {p: p.read_bytes() for p in (*paths, cat, cat_html, labels)} == before
    assert not (tmp_path / "new.ecsv").exists()


def test_train_refuses_a_model_directory_holding_its_inputs(tmp_path):
    _mosaics(tmp_path / "field")
    cat = _catalogue(tmp_path / "field" / "cands.ecsv")
    code, out = _run(["train", "--mosaics", tmp_path / "field", "-c", cat, "-o", tmp_path / "field"])
    assert code == 2 and "--output" in out and "inputs" in out, out


# --- point 8: existing outputs are kept unless --overwrite ------------------------------------

def test_detect_keeps_an_existing_catalogue_without_overwrite(tmp_path):
    _mosaics(tmp_path / "field")
    out = tmp_path / "cands.ecsv"
    out.write_text("precious")
    args = ["detect", tmp_path / "field", "-o", out, "--no-progress", "--aperture-correction", "none"]
    code, msg = _run(args)
    assert code == 2 and f"--output {out} exists; give --overwrite" in msg
    assert out.read_text() == "precious"
    code, msg = _run([*args, "--overwrite"])
    assert code == 0, msg
    assert out.read_text() != "precious"


def test_simulate_into_an_existing_field_never_mixes_two_galaxies(tmp_path):
    field = tmp_path / "field"
    base = ["simulate", field, "--size", "64", "--n-candidates", "10", "--bands", "f555w,f814w", "--quiet"]
    assert _run([*base, "--galaxy", "one"])[0] == 0
    truth = (field / "truth.ecsv").read_bytes()
    code, out = _run([*base, "--galaxy", "two"])
    assert code == 2 and "OUTDIR" in out and "--overwrite" in out
    assert (field / "truth.ecsv").read_bytes() == truth and not list(field.glob("two_*"))
    code, out = _run([*base, "--galaxy", "two", "--overwrite"])
    assert code == 0, out
    names = sorted(p.name for p in field.iterdir())
    assert names == ["humans.ecsv", "simulation.json", "truth.ecsv", "two_f555w.fits", "two_f814w.fits"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["field"]  # no temporary folder left
    (field / "my_notes.txt").write_text("keep")
    code, out = _run([*base, "--overwrite"])
    assert code == 2 and "my_notes.txt" in out
    assert (field / "my_notes.txt").exists()


def test_evaluate_overwrite_clears_its_own_older_results(tmp_path):
    rng = np.random.default_rng(0)
    ref = rng.integers(1, 5, 200)
    pred = np.where(rng.random(200) < 0.7, ref, rng.integers(1, 5, 200))
    t = Table({"id": np.arange(200), "x": rng.uniform(0, 100, 200), "y": rng.uniform(0, 100, 200),
               "class_ref": ref, "class_pred": pred})
    write_catalog(t, tmp_path / "pred.ecsv")
    ev = tmp_path / "ev"
    args = ["evaluate", tmp_path / "pred.ecsv", "-o", ev, "--bootstrap", "5", "--no-science"]
    assert _run(args)[0] == 0
    (ev / "tables" / "summary_oldreference.ecsv").write_text("stale")
    summary = (ev / "summary.json").read_text()
    code, out = _run(args)
    assert code == 2 and "--out" in out and "--overwrite" in out
    assert (ev / "summary.json").read_text() == summary
    code, out = _run([*args, "--overwrite"])
    assert code == 0, out
    assert not (ev / "tables" / "summary_oldreference.ecsv").exists()
    recorded = json.loads((ev / "summary.json").read_text())["tables"]
    assert recorded and all(Path(p).parent == ev / "tables" for p in recorded)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ev", "pred.ecsv"]


def test_inspect_export_never_onto_the_catalogue_or_the_database(tmp_path, monkeypatch):
    pytest.importorskip("sqlalchemy")
    pytest.importorskip("fastapi")
    from starclass.inspect import db

    cat = _catalogue(tmp_path / "candidates.ecsv")
    dbfile = tmp_path / "labels.sqlite3"
    url = f"sqlite:///{dbfile}"
    monkeypatch.setenv("STARCLASS_INSPECT_PASSWORD", "dana-password")
    assert _run(["inspect", tmp_path, "--db", url, "--init", "--add-user", "dana"])[0] == 0
    db.save_label(db.make_engine(url), "", "2", 1, 3)
    before = cat.read_bytes()
    for target, option in ((cat, "--export"), (dbfile, "--export")):
        code, out = _run(["inspect", tmp_path, "--db", url, option, target, "--overwrite"])
        assert code == 2 and f"{option} {target} is one of the command's inputs" in out, out
    code, out = _run(["inspect", tmp_path, "--db", url, "--export", tmp_path / "l.ecsv", "--summary", cat])
    assert code == 2 and "--summary" in out, out
    # opening the database checkpoints it, so its bytes may change; its content must not
    assert cat.read_bytes() == before
    assert dbfile.read_bytes().startswith(b"SQLite format 3") and db.labels_of(db.make_engine(url), "")
    assert not (tmp_path / "l.ecsv").exists()
    code, out = _run(["inspect", tmp_path, "--db", url, "--export", tmp_path / "l.ecsv"])
    assert code == 0, out  # no mosaics in the folder: the export needs none
    code, out = _run(["inspect", tmp_path, "--db", url, "--export", tmp_path / "l.ecsv"])
    assert code == 2 and "give --overwrite" in out
    # write_catalog's default became overwrite=False: --overwrite must still replace the export and summary
    (tmp_path / "s.json").write_text("old")
    code, out = _run(["inspect", tmp_path, "--db", url, "--export", tmp_path / "l.ecsv", "--summary",
                      tmp_path / "s.json", "--overwrite"])
    assert code == 0, out
    assert json.loads((tmp_path / "s.json").read_text())


def test_a_folder_that_cannot_be_made_is_an_error_naming_the_path(tmp_path):
    blocker = tmp_path / "afile"
    blocker.write_text("a file where a folder should be")
    with pytest.raises(StarclassError, match=r"cannot write .*afile/x.ecsv"):
        with atomic_path(blocker / "x.ecsv"):
            pass
    with pytest.raises(StarclassError, match=r"cannot write .*afile/ev"):
        with atomic_dir(blocker / "ev"):
            pass
    code, out = _run(["info", _catalogue(tmp_path / "c.ecsv"), "--ds9", blocker / "c.reg"])
    assert code == 2 and "cannot write" in out and "Traceback" not in out


def test_cutouts_phangs_folder_is_replaced_as_a_whole(tmp_path):
    _mosaics(tmp_path / "field")
    cat = _catalogue(tmp_path / "cands.ecsv")
    fitsdir = tmp_path / "phangs"
    fitsdir.mkdir()
    (fitsdir / "cand_000099.fits").write_text("from an older export")
    args = ["cutouts", tmp_path / "field", "-c", cat, "-o", tmp_path / "st.h5", "--phangs-fits-dir", fitsdir,
            "--phangs-size", "9", "--no-progress"]
    code, out = _run(args)
    assert code == 2 and "--phangs-fits-dir" in out and "--overwrite" in out
    assert not (tmp_path / "st.h5").exists()
    code, out = _run([*args, "--overwrite"])
    assert code == 0, out
    assert sorted(p.name for p in fitsdir.iterdir()) == ["cand_000001.fits", "cand_000002.fits", "cand_000003.fits"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cands.ecsv", "field", "phangs", "st.h5"]


@pytest.mark.parametrize("size", ["0", "-5", "1025"])
def test_cutouts_bad_phangs_size_is_refused_before_the_store_is_written(tmp_path, size):
    """--phangs-size 0 failed ("size: stamp size must be >= 1") only after st.h5 had been written; 100000
    asked numpy for 5.8 TiB at once after the store's work (a MemoryError traceback): 1-1024, as --size."""
    _mosaics(tmp_path / "field")
    cat = _catalogue(tmp_path / "cands.ecsv")
    code, out = _run(["cutouts", tmp_path / "field", "-c", cat, "-o", tmp_path / "st.h5", "--phangs-fits-dir",
                      tmp_path / "phangs", "--phangs-size", size, "--no-progress"])
    assert code == 2 and "--phangs-size" in out and "Traceback" not in out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cands.ecsv", "field"]


@pytest.mark.parametrize("extra", [
    ["--truth", "truth.ecsv", "--completeness-png", "cands.png"],  # its table is cands.ecsv
    ["--regions", "cands.ecsv"],
    ["--truth", "truth.ecsv", "--completeness-png", "cands.ecsv"],
])
def test_detect_outputs_naming_one_file_are_refused(tmp_path, monkeypatch, extra):
    """detect -o cands.ecsv --completeness-png cands.png wrote the completeness table over the catalogue."""
    monkeypatch.chdir(tmp_path)
    _mosaics(tmp_path / "field")
    write_catalog(Table({"id": [1, 2, 3], "x": [12.0, 30.0, 20.0], "y": [14.0, 33.0, 40.0],
                         "mag_true_f555w": [20.0, 21.0, 22.0]}), tmp_path / "truth.ecsv")
    code, out = _run(["detect", "field", "-o", "cands.ecsv", "--no-progress", *extra])
    assert code == 2 and "--output" in out and "cands.ecsv" in out and "Traceback" not in out, out
    assert sorted(p.name for p in tmp_path.iterdir()) == ["field", "truth.ecsv"]
    # apart, the same run writes every file
    code, out = _run(["detect", "field", "-o", "cands.ecsv", "--no-progress", "--truth", "truth.ecsv",
                      "--completeness-png", "comp.png", "--regions", "cands.reg"])
    assert code == 0, out
    assert Table.read(tmp_path / "cands.ecsv").colnames[:3] == ["id", "x", "y"]
    assert {"cands.reg", "comp.png", "comp.ecsv"} <= {p.name for p in tmp_path.iterdir()}
