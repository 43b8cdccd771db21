"""Issue 13, the points left open: memory estimates, --truth columns, candidates off the image,
folders replaced as a whole, and option checks before the expensive work."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()
GIB = 1024 ** 3


def _no_render(*args, **kwargs):
    raise AssertionError("the field was rendered before the memory check")


def test_simulate_huge_size_is_refused_naming_size_and_estimate(tmp_path, monkeypatch):
    import starclass.io.memory as memory
    import starclass.simulate as simulate

    monkeypatch.setattr(memory, "available_memory", lambda: 2 * GIB)
    monkeypatch.setattr(simulate, "simulate_to_disk", _no_render)
    monkeypatch.delenv(memory.SKIP_ENV, raising=False)
    out = tmp_path / "field"
    r = runner.invoke(app, ["simulate", str(out), "--size", "16384", "--quiet"])
    assert r.exit_code == 2, r.output
    assert "--size 16384" in r.output and "GiB" in r.output and "2.0 GiB is available" in r.output
    assert "Traceback" not in r.output
    assert not out.exists() and list(tmp_path.iterdir()) == []


def test_memory_estimate_grows_with_the_field_and_the_read_back():
    from starclass.simulate import preset
    from starclass.simulate.field import estimate_memory

    small, big = preset("hst", shape=(512, 512)), preset("hst", shape=(1024, 1024))
    assert estimate_memory(big) == 4 * estimate_memory(small)
    assert estimate_memory(big, read_back=True) > estimate_memory(big)


def test_memory_check_can_be_skipped_by_environment(monkeypatch):
    from starclass.errors import StarclassError
    from starclass.io.memory import SKIP_ENV, check_memory

    monkeypatch.delenv(SKIP_ENV, raising=False)
    with pytest.raises(StarclassError, match="--size 9"):
        check_memory(10 * GIB, what="--size 9", available=GIB)
    monkeypatch.setenv(SKIP_ENV, "1")
    check_memory(10 * GIB, what="--size 9", available=GIB)  # told to try anyway


def _toy_field(folder, shape=(96, 96), n=5, seed=1):
    """Two small FITS mosaics in ``folder``; returns their paths and the truth table."""
    from starclass.bands import BANDS
    from starclass.datasets.fields import synthetic_field
    from starclass.io.mosaic import write_mosaic

    mosaics, truth = synthetic_field(shape, n, bands=("f555w", "f814w"), seed=seed)
    paths = []
    for band in mosaics.bands:
        p = folder / f"toy_{band}.fits"
        write_mosaic(p, mosaics.data[band], band, None,
                     photflam=BANDS[band].photflam, photplam=BANDS[band].photplam)
        paths.append(p)
    return paths, truth


def test_detect_truth_without_magnitudes_fails_before_detection(tmp_path, monkeypatch):
    import starclass.detect.find as find

    def no_detect(*args, **kwargs):
        raise AssertionError("detection ran before the truth columns were checked")

    monkeypatch.setattr(find, "detect", no_detect)
    paths, _ = _toy_field(tmp_path)
    (tmp_path / "t.csv").write_text("id,x,y\n1,10,12\n2,40,50\n")
    out = tmp_path / "c.ecsv"
    r = runner.invoke(app, ["detect", *map(str, paths), "-o", str(out), "--truth", str(tmp_path / "t.csv"),
                            "--no-progress"])
    assert r.exit_code == 2, r.output
    assert "t.csv" in r.output and "mag_true_f555w" in r.output and "mag_f555w" in r.output
    assert "Traceback" not in r.output and not out.exists()


def _catalogue_with_off_image_rows(path, shape=(96, 96)):
    """Five candidates, three of them (ids 101-103) outside a ``shape`` image."""
    ny, nx = shape
    path.write_text(f"id,x,y\n1,20,30\n101,-5,10\n2,50,60\n102,{nx + 3},10\n103,10,{ny}\n")
    return path


def test_cutouts_names_candidates_off_the_image(tmp_path):
    paths, _ = _toy_field(tmp_path)
    cat = _catalogue_with_off_image_rows(tmp_path / "c.csv")
    r = runner.invoke(app, ["cutouts", *map(str, paths), "--catalog", str(cat), "-o", str(tmp_path / "s.h5"),
                            "--size", "8", "--no-progress"])
    assert r.exit_code == 0, r.output
    assert "warning:" in r.output and "3 of 5 candidates lie outside the 96 x 96 px image" in r.output
    assert "ids 101, 102, 103" in r.output


class _FakeModel:
    """Enough of a loaded model for classify's checks (the classification itself is patched)."""

    def __init__(self):
        from types import SimpleNamespace

        self.config = SimpleNamespace(bands=("f555w", "f814w"), normalisation="zscore", name="toy",
                                      classes=(1, 2, 3, 4), n_classes=4, threshold=None, positive_class=None,
                                      is_binary=False, class_names=("class 1", "class 2", "class 3", "class 4"))
        self.members = [object()]


def _patch_model(monkeypatch, classify):
    import starclass.learn.checkpoint as checkpoint
    import starclass.learn.classify as learn_classify

    monkeypatch.setattr(checkpoint, "load_model", lambda *a, **k: _FakeModel())
    # classify checks the model's manifest before torch (d673f1a7): the fake model has none, so that check is faked too
    monkeypatch.setattr(checkpoint, "member_paths", lambda *a, **k: [])
    monkeypatch.setattr(learn_classify, "classify", classify)


def test_classify_refuses_a_catalogue_wholly_off_the_image(tmp_path, monkeypatch):
    def no_classify(*args, **kwargs):
        raise AssertionError("classified a catalogue with no candidate on the image")

    _patch_model(monkeypatch, no_classify)
    paths, _ = _toy_field(tmp_path)
    (tmp_path / "c.csv").write_text("id,x,y\n7,500,10\n8,10,-40\n")
    out = tmp_path / "p.ecsv"
    r = runner.invoke(app, ["classify", *map(str, paths), "--catalog", str(tmp_path / "c.csv"),
                            "--model", str(tmp_path), "-o", str(out), "--device", "cpu", "--no-progress"])
    assert r.exit_code == 2, r.output
    assert "2 of 2 candidates lie outside the 96 x 96 px image" in r.output and "ids 7, 8" in r.output
    assert "Traceback" not in r.output and not out.exists()


def test_classify_warns_naming_candidates_off_the_image(tmp_path, monkeypatch):
    import numpy as np

    def fake_classify(mos, table, loaded, **kwargs):
        out = table.copy()
        out["class_pred"] = np.zeros(len(out), dtype=int)
        return out

    _patch_model(monkeypatch, fake_classify)
    paths, _ = _toy_field(tmp_path)
    cat = _catalogue_with_off_image_rows(tmp_path / "c.csv")
    r = runner.invoke(app, ["classify", *map(str, paths), "--catalog", str(cat), "--model", str(tmp_path),
                            "-o", str(tmp_path / "p.ecsv"), "--device", "cpu", "--no-progress"])
    assert r.exit_code == 0, r.output
    assert "warning:" in r.output and "3 of 5 candidates lie outside" in r.output
    assert "ids 101, 102, 103" in r.output and "class_pred 0" in r.output


def _old_and_new_sets(root):
    """A folder ``root/out`` holding the old set (a.txt, b.txt)."""
    target = root / "out"
    target.mkdir()
    (target / "a.txt").write_text("old a")
    (target / "b.txt").write_text("old b")
    return target


def test_atomic_dir_never_leaves_the_final_path_empty(tmp_path, monkeypatch):
    import os

    from starclass.io import atomic

    probe = tmp_path / "probe"
    probe.mkdir()
    (tmp_path / "probe2").mkdir()
    if not atomic.exchange_paths(probe, tmp_path / "probe2"):
        pytest.skip("this system or file system cannot exchange two paths atomically")
    target = _old_and_new_sets(tmp_path)
    real_replace = os.replace

    def replace(src, dst):
        # renaming the final folder away is the moment a reader or a kill would find nothing there
        assert os.path.abspath(src) != os.path.abspath(target), "the final folder was renamed away"
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", replace)
    with atomic.atomic_dir(target, overwrite=True) as tmp:
        (tmp / "c.txt").write_text("new c")
    assert sorted(p.name for p in target.iterdir()) == ["c.txt"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out", "probe", "probe2"]  # nothing hidden left


def test_atomic_dir_killed_between_renames_keeps_the_old_set_and_puts_it_back(tmp_path, monkeypatch):
    import os

    from starclass.errors import StarclassError
    from starclass.io import atomic

    monkeypatch.setattr(atomic, "exchange_paths", lambda a, b: False)  # a system without renameat2
    target = _old_and_new_sets(tmp_path)
    real_replace = os.replace
    calls = []

    def killed_on_second(src, dst):
        calls.append((src, dst))
        if len(calls) == 2:  # the old set has been moved aside; the new one is not yet in place
            raise KeyboardInterrupt
        return real_replace(src, dst)

    monkeypatch.setattr(os, "replace", killed_on_second)
    with pytest.raises(KeyboardInterrupt), atomic.atomic_dir(target, overwrite=True) as tmp:
        (tmp / "c.txt").write_text("new c")
    monkeypatch.setattr(os, "replace", real_replace)
    # the old set is whole in the hidden .old folder ...
    (aside,) = [p for p in tmp_path.iterdir() if p.name.endswith(".old")]
    assert sorted(p.name for p in aside.iterdir()) == ["a.txt", "b.txt"]
    # ... and the next command finds it back in place, and keeps it without --overwrite
    with pytest.raises(StarclassError, match="exists and is not empty"), atomic.atomic_dir(target):
        pass
    assert (target / "a.txt").read_text() == "old a" and (target / "b.txt").read_text() == "old b"
    assert not aside.exists()


def test_report_replaces_its_tables_folder_as_a_whole(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    pred = tmp_path / "pred.ecsv"
    from astropy.table import Table

    Table({"id": [1, 2, 3, 4, 5, 6], "x": [1.0, 2, 3, 4, 5, 6], "y": [1.0, 2, 3, 4, 5, 6],
           "class_pred": [1, 2, 2, 1, 2, 1], "class_ref": [1, 2, 1, 1, 2, 2]}).write(pred, format="ascii.ecsv")
    args = ["report", str(pred), "-r", "self", "-o", "rep/report.html", "--task", "galaxy-cluster",
            "--bootstrap", "0"]
    r = runner.invoke(app, args)
    assert r.exit_code == 0, r.output
    tables = tmp_path / "rep" / "tables"
    first = sorted(p.name for p in tables.iterdir())
    assert first and all(n.endswith(".ecsv") or n == ".page" for n in first)  # .page: whose tables
    (tables / "from_an_older_report.ecsv").write_text("# stale\n")
    (tmp_path / "rep" / "report.html").unlink()
    # the page is gone but its tables are not: they are an output too, kept without --overwrite
    r = runner.invoke(app, args)
    assert r.exit_code == 2 and "tables" in r.output and "--overwrite" in r.output, r.output
    assert (tables / "from_an_older_report.ecsv").exists()
    r = runner.invoke(app, [*args, "--overwrite"])
    assert r.exit_code == 0, r.output
    assert sorted(p.name for p in tables.iterdir()) == first  # the older report's table went with the set
    assert not [p for p in (tmp_path / "rep").iterdir() if p.name.startswith(".")]


def test_a_second_report_in_the_folder_never_replaces_the_first_ones_tables(tmp_path, monkeypatch):
    """``report -o rep/b.html --overwrite`` beside rep/a.html replaced a's tables/ (every page puts its
    tables there): a's links then opened b's tables, a's were gone. Now refused, even with --overwrite."""
    monkeypatch.chdir(tmp_path)
    from astropy.table import Table

    pred = tmp_path / "pred.ecsv"
    Table({"id": [1, 2, 3, 4, 5, 6], "x": [1.0, 2, 3, 4, 5, 6], "y": [1.0, 2, 3, 4, 5, 6],
           "class_pred": [1, 2, 2, 1, 2, 1], "class_ref": [1, 2, 1, 1, 2, 2]}).write(pred, format="ascii.ecsv")

    def report(page, *extra):
        return runner.invoke(app, ["report", str(pred), "-r", "self", "-o", f"rep/{page}", "--task",
                                   "galaxy-cluster", "--bootstrap", "0", *extra])

    assert report("a.html").exit_code == 0
    tables = tmp_path / "rep" / "tables"
    before = {p.name: p.read_bytes() for p in tables.iterdir()}
    r = report("b.html", "--overwrite")
    text = " ".join(r.output.split())
    assert r.exit_code == 2 and "holds the tables of the page a.html" in text and "another folder" in text, text
    assert {p.name: p.read_bytes() for p in tables.iterdir()} == before and not (tmp_path / "rep" / "b.html").exists()
    assert report("a.html", "--overwrite").exit_code == 0  # the page's own tables are replaced with it
    (tmp_path / "rep" / "a.html").unlink()
    assert report("b.html", "--overwrite").exit_code == 0  # a page gone: its tables may go too


def test_a_second_report_in_the_folder_is_told_of_the_first_page_before_overwrite(tmp_path, monkeypatch):
    """Found walking docs/evaluation.md (2026-12-07): its synopsis' ``report ... -o report.html`` then ``report
    --catalogs DIR -o legus.html`` in one folder said "tables exists; give --overwrite to replace it", and the run
    with --overwrite was refused ("holds the tables of the page report.html"). The first refusal now says that."""
    monkeypatch.chdir(tmp_path)
    from astropy.table import Table

    pred = tmp_path / "pred.ecsv"
    Table({"id": [1, 2, 3, 4, 5, 6], "x": [1.0, 2, 3, 4, 5, 6], "y": [1.0, 2, 3, 4, 5, 6],
           "class_pred": [1, 2, 2, 1, 2, 1], "class_ref": [1, 2, 1, 1, 2, 2]}).write(pred, format="ascii.ecsv")
    args = ["report", str(pred), "-r", "self", "--task", "galaxy-cluster", "--bootstrap", "0", "-o"]
    assert runner.invoke(app, [*args, "report.html"]).exit_code == 0
    r = runner.invoke(app, [*args, "other.html"])
    text = " ".join(r.output.split())
    assert r.exit_code == 2 and "holds the tables of the page report.html" in text, text
    assert "give --overwrite" not in text and not (tmp_path / "other.html").exists(), text


@pytest.mark.parametrize("args, option", [
    (["classify", "m.fits", "-c", "c.csv", "--model", "m", "-o", "p.ecsv", "--batch-size", "0"], "--batch-size"),
    (["classify", "m.fits", "-c", "c.csv", "--model", "m", "-o", "p.ecsv", "--batch-size", "-5"], "--batch-size"),
    (["cutouts", "m.fits", "-c", "c.csv", "-o", "s.h5", "--batch-size", "0"], "--batch-size"),
])
def test_batch_size_below_one_is_refused_by_name(args, option, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(app, args)
    assert r.exit_code == 2 and "Invalid value" in r.output and option in r.output, r.output
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("extra, named", [
    (["--precision", "fp64"], "--precision"),
    (["--threshold", "7"], "--threshold"),
])
def test_classify_options_are_checked_before_the_mosaics_are_read(extra, named, tmp_path, monkeypatch):
    import starclass.io.mosaic as mosaic

    def no_reading(*args, **kwargs):
        raise AssertionError("the mosaics were read before the option was checked")

    _patch_model(monkeypatch, lambda *a, **k: None)
    monkeypatch.setattr(mosaic, "read_mosaics", no_reading)
    paths, _ = _toy_field(tmp_path)
    (tmp_path / "c.csv").write_text("id,x,y\n1,20,30\n")
    out = tmp_path / "p.ecsv"
    r = runner.invoke(app, ["classify", *map(str, paths), "--catalog", str(tmp_path / "c.csv"),
                            "--model", str(tmp_path), "-o", str(out), "--device", "cpu", *extra])
    assert r.exit_code == 2, r.output
    assert "error:" in r.output and named.lstrip("-") in r.output and "Traceback" not in r.output
    assert not out.exists()


def _pred_table(path):
    from astropy.table import Table

    Table({"id": [1, 2, 3, 4], "x": [1.0, 2, 3, 4], "y": [1.0, 2, 3, 4], "class_pred": [1, 2, 2, 1],
           "class_ref": [1, 2, 1, 1]}).write(path, format="ascii.ecsv")
    return path


@pytest.mark.parametrize("what", ["a file", "a folder of other files"])
def test_evaluate_out_that_cannot_be_replaced_fails_before_the_evaluation(what, tmp_path, monkeypatch):
    import starclass.report.build as build

    def no_evaluation(*args, **kwargs):
        raise AssertionError("evaluated before the output folder was checked")

    monkeypatch.setattr(build, "run_evaluation", no_evaluation)
    pred = _pred_table(tmp_path / "pred.ecsv")
    out = tmp_path / "out"
    if what == "a file":
        out.write_text("not an evaluation")
    else:
        out.mkdir()
        (out / "notes.txt").write_text("mine")
    r = runner.invoke(app, ["evaluate", str(pred), "-r", "self", "-o", str(out), "--overwrite"])
    assert r.exit_code == 2, r.output
    assert str(out) in r.output and ("not a folder" in r.output or "notes.txt" in r.output)
    assert "Traceback" not in r.output
    assert (out.read_text() if what == "a file" else (out / "notes.txt").read_text()) in ("not an evaluation", "mine")


def test_simulate_into_a_file_fails_before_rendering(tmp_path, monkeypatch):
    import starclass.simulate as simulate

    monkeypatch.setattr(simulate, "simulate_to_disk", _no_render)
    target = tmp_path / "field"
    target.write_text("a file")
    r = runner.invoke(app, ["simulate", str(target), "--size", "64", "--overwrite", "--quiet"])
    assert r.exit_code == 2 and "not a folder" in r.output and "Traceback" not in r.output, r.output
    assert target.read_text() == "a file"


def test_train_into_an_unwritable_folder_fails_before_reading_data(tmp_path, monkeypatch):
    import starclass.io.catalog as catalog

    def no_reading(*args, **kwargs):
        raise AssertionError("the catalogue was read before the model directory was checked")

    monkeypatch.setattr(catalog, "read_catalog", no_reading)
    blocker = tmp_path / "notes.txt"
    blocker.write_text("a file where a folder should be")
    (tmp_path / "c.csv").write_text("id,x,y,class_ref\n1,2,3,1\n")
    r = runner.invoke(app, ["train", "--task", "legus4-compact", "--mosaics", str(tmp_path), "--catalog",
                            str(tmp_path / "c.csv"), "-o", str(blocker / "model"), "--device", "cpu"])
    assert r.exit_code == 2, r.output
    assert "cannot write" in r.output and "notes.txt" in r.output and "Traceback" not in r.output
    assert blocker.read_text() == "a file where a folder should be"


def test_library_warnings_read_as_warning_lines_on_the_command_line(tmp_path):
    from astropy.io import fits

    paths, _ = _toy_field(tmp_path)
    with fits.open(paths[1], mode="update") as hdul:  # f814w all zero
        next(h for h in hdul if h.data is not None).data[...] = 0
    r = runner.invoke(app, ["detect", *map(str, paths), "-o", str(tmp_path / "c.ecsv"), "--no-progress",
                            "--aperture-correction", "none"])
    assert r.exit_code == 0, r.output
    lines = [ln for ln in r.output.splitlines() if "f814w" in ln and "constant" in ln]
    assert lines and lines[0].startswith("warning: "), r.output
    assert "UserWarning" not in r.output
