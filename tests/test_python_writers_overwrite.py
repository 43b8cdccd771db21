"""The package's Python writers keep an existing file unless overwrite=True (astropy's habit).

make_store, write_stamp_store, StampStoreWriter, merge_stores, save_config and write_regions
replaced an existing file without a word when called from a notebook (the commands refused it
without --overwrite, but the functions under them did not).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from astropy.table import Table

from starclass.errors import StarclassError
from starclass.io.regions import write_regions
from starclass.learn.config import get_preset, load_config, save_config
from starclass.stamps import StampStore, StampStoreWriter, make_store, merge_stores, write_stamp_store

TASK = get_preset("galaxy-cluster-compact", stamp_size=8)
TABLE = Table({"x": [10.0, 20.0], "y": [12.0, 12.0], "class_ref": [1, 2]})


def _images():
    return {b: np.random.default_rng(0).random((32, 32)).astype(np.float32) for b in TASK.bands}


def _store(path: Path, n: int = 2, **kw) -> Path:
    return write_stamp_store(path, np.zeros((n, 1, 4, 4), np.float32), np.ones((n, 4, 4), bool),
                             {"x": np.zeros(n), "y": np.zeros(n)}, channels=["f555w"], **kw)


def test_make_store_keeps_an_existing_store(tmp_path):
    path = make_store(_images(), TABLE, tmp_path / "s.h5", TASK)
    before = path.read_bytes()
    with pytest.raises(StarclassError, match=r"s\.h5 exists \(overwrite=False\)"):
        make_store(_images(), TABLE[:1], path, TASK)
    assert path.read_bytes() == before
    assert len(StampStore(make_store(_images(), TABLE[:1], path, TASK, overwrite=True))) == 1


def test_the_other_stamp_store_writers_keep_an_existing_file(tmp_path):
    other = tmp_path / "notes.h5"
    other.write_text("not mine")
    with pytest.raises(StarclassError, match="exists"):
        _store(other)
    with pytest.raises(StarclassError, match="exists"):
        StampStoreWriter(other, 2, ["f555w"], 4)
    a, b = _store(tmp_path / "a.h5"), _store(tmp_path / "b.h5", n=3)
    with pytest.raises(StarclassError, match="exists"):
        merge_stores([a, b], other)
    assert other.read_text() == "not mine"
    assert len(StampStore(merge_stores([a, b], other, overwrite=True))) == 5
    assert len(StampStore(_store(a, n=4, overwrite=True))) == 4


def test_save_config_keeps_an_existing_file(tmp_path):
    path = tmp_path / "task.yaml"
    path.write_text("preset: galaxy-cluster-compact\nrecipe: {epochs: 7}\n")  # edited by hand
    with pytest.raises(StarclassError, match="exists"):
        save_config(TASK, path)
    assert "epochs: 7" in path.read_text()
    assert load_config(save_config(TASK, path, overwrite=True)) == TASK


def test_the_config_module_command_keeps_an_existing_file(tmp_path):
    path = tmp_path / "task.yaml"
    path.write_text("mine\n")
    run = [sys.executable, "-m", "starclass.learn.config", "cool-core", "--save", str(path)]
    r = subprocess.run(run, capture_output=True, text=True)
    assert r.returncode == 2 and "exists; give --overwrite to replace it" in r.stdout and not r.stderr
    assert path.read_text() == "mine\n"
    assert subprocess.run([*run, "--overwrite"], capture_output=True, text=True).returncode == 0
    assert load_config(path).name


def test_write_regions_keeps_an_existing_file(tmp_path):
    path = tmp_path / "c.reg"
    path.write_text("# my regions\n")
    with pytest.raises(StarclassError, match="exists"):
        write_regions(TABLE, path)
    assert path.read_text() == "# my regions\n"
    assert write_regions(TABLE, path, overwrite=True).read_text().count("circle") == 2


def test_export_phangs_fits_keeps_existing_files(tmp_path):
    from astropy.io import fits

    from starclass.stamps import export_phangs_fits

    images = {"f555w": np.ones((32, 32), np.float32)}
    table = Table({"id": [3, 4], "x": [10.0, 20.0], "y": [12.0, 12.0]})
    (tmp_path / "cand_000004.fits").write_text("mine")
    with pytest.raises(StarclassError, match=r"cand_000004\.fits exists"):
        export_phangs_fits(images, table, tmp_path, size=9)
    assert (tmp_path / "cand_000004.fits").read_text() == "mine"
    assert not (tmp_path / "cand_000003.fits").exists()  # refused before any file was written
    paths = export_phangs_fits(images, table, tmp_path, size=9, overwrite=True)
    assert [fits.getdata(p, 1).shape for p in paths] == [(9, 9), (9, 9)]


def test_figure_writers_keep_an_existing_file(tmp_path):
    # report.figures.save_png, explain.figures.save_png and plot_completeness replaced a file of the same
    # name without a word (and wrote it in place: a failed savefig left half a PNG)
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from starclass.detect.completeness import completeness, plot_completeness
    from starclass.explain.figures import save_png as explain_png
    from starclass.report.figures import save_png as report_png

    tab = completeness(Table({"x": [10.0], "y": [10.0], "mag_true_f555w": [21.2]}), Table({"x": [10.0], "y": [10.0]}),
                       bins=[21.0, 22.0])
    writers = {"report": lambda p, **kw: report_png(plt.figure(), p, **kw),
               "explain": lambda p, **kw: explain_png(plt.figure(), p, **kw),
               "completeness": lambda p, **kw: plot_completeness(tab, p, **kw)}
    open_before = set(plt.get_fignums())  # other tests' examples may leave figures open
    for name, write in writers.items():
        path = tmp_path / f"{name}.png"
        path.write_text("mine")
        with pytest.raises(StarclassError, match="exists"):
            write(path)
        assert path.read_text() == "mine", name
        write(path, overwrite=True)
        assert path.read_bytes()[:4] == b"\x89PNG", name
    assert set(plt.get_fignums()) <= open_before  # a refused figure is closed too


def test_write_mosaic_keeps_an_existing_file(tmp_path):
    from astropy.io import fits

    from starclass.io.mosaic import write_mosaic

    path = tmp_path / "m_f555w.fits"
    write_mosaic(path, np.ones((8, 8)), "f555w", None, photflam=1.9e-19, photplam=5361.0)
    with pytest.raises(StarclassError, match=r"m_f555w\.fits exists"):
        write_mosaic(path, np.zeros((8, 8)), "f555w", None, photflam=1.9e-19, photplam=5361.0)
    assert float(fits.getdata(path).sum()) == 64.0
    write_mosaic(path, np.zeros((8, 8)), "f555w", None, photflam=1.9e-19, photplam=5361.0, overwrite=True)
    assert float(fits.getdata(path).sum()) == 0.0


def test_simulate_and_report_writers_keep_an_existing_file(tmp_path):
    # write_composite, write_gallery, write_calibration, report.sections.write_table and write_sections
    # replaced a file of the same name without a word when a notebook called them twice
    from starclass.report.sections import Section, write_sections, write_table
    from starclass.simulate.calibration import write_calibration
    from starclass.simulate.gallery import write_composite, write_gallery

    images = {b: np.random.default_rng(1).random((48, 48)).astype(np.float32) for b in ("f435w", "f555w", "f814w")}
    truth = Table({"x": [15.0, 30.0], "y": [15.0, 30.0], "class_ref": [1, 4]})
    sec = Section("Scores")
    sec.table("per class", TABLE)
    writers = {
        "composite.png": lambda p, **kw: write_composite(images, p, **kw),
        "gallery.png": lambda p, **kw: write_gallery(images, truth, p, per_group=2, size=10, **kw),
        "t.ecsv": lambda p, **kw: write_table(TABLE, p, **kw),
        "calibration.json": lambda p, **kw: write_calibration({"n": 2, "summary": "two"}, p.parent, **kw),
        "per_class.ecsv": lambda p, **kw: write_sections([sec], p.parent.parent, **kw),
    }
    for name, write in writers.items():
        path = tmp_path / name / name if name != "per_class.ecsv" else tmp_path / name / "tables" / name
        path.parent.mkdir(parents=True)
        path.write_text("mine")
        with pytest.raises(StarclassError, match=r"exists \(overwrite=False\); give overwrite=True"):
            write(path)
        assert path.read_text() == "mine", name
        assert [p.name for p in path.parent.iterdir()] == [name], name  # refused before any other file
        write(path, overwrite=True)
        assert path.read_bytes() != b"mine", name
    # the second of write_calibration's files is refused too, before the first is written
    (tmp_path / "md").mkdir()
    (tmp_path / "md" / "calibration.md").write_text("mine")
    with pytest.raises(StarclassError, match=r"calibration\.md exists"):
        write_calibration({"n": 2, "summary": "two"}, tmp_path / "md")
    assert [p.name for p in (tmp_path / "md").iterdir()] == ["calibration.md"]


def test_simulate_survey_keeps_an_existing_plan(tmp_path):
    # simulate_survey replaced a plan.yaml already in its folder without a word (its fields were refused)
    from starclass.simulate import SimConfig
    from starclass.simulate.survey import simulate_survey

    (tmp_path / "plan.yaml").write_text("# my plan\n")
    config = SimConfig(shape=(64, 64), n_candidates=5)
    with pytest.raises(StarclassError, match=r"plan\.yaml exists \(overwrite=False\)"):
        simulate_survey(config, tmp_path, 1)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["plan.yaml"]  # refused before any field
    assert (tmp_path / "plan.yaml").read_text() == "# my plan\n"
    written = simulate_survey(config, tmp_path, 1, overwrite=True)
    assert "positions:" in (tmp_path / "plan.yaml").read_text() and len(written) == 1
    simulate_survey(config, tmp_path, 1, overwrite=True)  # its own field is replaced as well


def test_every_refusal_is_a_file_exists_error_naming_the_path(tmp_path):
    # the writers raised a plain StarclassError (a ValueError): a notebook's 'except FileExistsError' (what
    # open(path, "x") raises; astropy's writers raise an OSError) around write_catalog missed it
    from starclass.io.catalog import write_catalog
    from starclass.io.mosaic import write_mosaic
    from starclass.learn.checkpoint import write_untrained_model
    from starclass.models.baselines import CatalogBoosting

    mosaic = tmp_path / "m_f555w.fits"
    write_mosaic(mosaic, np.ones((8, 8)), "f555w", None, photflam=1.9e-19, photplam=5361.0)
    model = write_untrained_model(tmp_path / "model", TASK)
    boost = CatalogBoosting(max_iter=2).fit(Table({"ci": np.r_[np.ones(10), np.zeros(10)]}), [1] * 10 + [2] * 10)
    boost.save(tmp_path / "b.joblib")
    cases = {
        tmp_path / "c.ecsv": lambda p: write_catalog(TABLE, p),
        tmp_path / "task.yaml": lambda p: save_config(TASK, p),
        tmp_path / "c.reg": lambda p: write_regions(TABLE, p),
        tmp_path / "s.h5": lambda p: _store(p),
        mosaic: lambda p: write_mosaic(p, np.zeros((8, 8)), "f555w", None, photflam=1.9e-19, photplam=5361.0),
        model: lambda p: write_untrained_model(p, TASK),
        tmp_path / "b.joblib": lambda p: boost.save(p),
    }
    for path, write in cases.items():
        if not path.exists():
            write(path)
        before = sorted(q.name for q in tmp_path.iterdir())
        with pytest.raises(FileExistsError, match="exists") as err:
            write(path)
        assert isinstance(err.value, StarclassError) and err.value.filename == str(path), path
        assert str(path) in str(err.value), str(err.value)
        assert "Errno" not in str(err.value)
        assert sorted(q.name for q in tmp_path.iterdir()) == before  # nothing written beside it


def test_a_backup_target_made_while_copying_is_refused_as_a_file_exists_error(tmp_path, monkeypatch):
    # backup_sqlite's second check (a file that appeared at dest while the copy was made) raised an
    # OutputExistsError inside its 'except OSError' (an OutputExistsError is one): it was rewrapped as a plain
    # StarclassError 'backup to B failed: B exists ...', no FileExistsError, the path no longer its filename
    import sqlite3

    from starclass.inspect import backup as backup_module
    from starclass.inspect import db

    engine = db.make_engine(f"sqlite:///{tmp_path / 'labels.sqlite'}")
    db.init_db(engine)
    dest = tmp_path / "b.sqlite"
    real_connect = sqlite3.connect

    def connect(path, *args, **kwargs):  # the copy's target is opened: another program writes dest meanwhile
        dest.write_text("another program's")
        return real_connect(path, *args, **kwargs)

    monkeypatch.setattr(backup_module.sqlite3, "connect", connect)
    with pytest.raises(FileExistsError) as err:
        backup_module.backup_sqlite(engine, dest)
    engine.dispose()
    assert isinstance(err.value, StarclassError) and err.value.filename == str(dest)
    assert str(err.value) == f"{dest} exists (overwrite=False); give overwrite=True to replace it"
    assert dest.read_text() == "another program's"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.sqlite", "labels.sqlite"]  # the copy deleted
