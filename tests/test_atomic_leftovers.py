"""Temporaries a SIGKILL left beside an output are named by the next writer of that output, never deleted.

``kill -9`` of ``cutouts -o s.h5`` half-way left ``.s.h5.iywx3hns.h5`` and
``..s.h5.iywx3hns.h5.rdwi_9cl.h5`` (75 MB) beside the store; the next run wrote ``s.h5`` and
said nothing, so the hidden files stayed for good. The leftovers here are made by hand (no kill).
"""

from __future__ import annotations

import warnings

import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.io.atomic import atomic_dir, atomic_path

runner = CliRunner()


def _said(call) -> list[str]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        call()
    return [str(w.message) for w in caught]


def _write(target):
    with atomic_path(target) as tmp:
        tmp.write_text("new")


def test_atomic_path_names_its_own_leftovers_with_their_sizes_and_keeps_them(tmp_path):
    outer = tmp_path / ".s.h5.iywx3hns.h5"
    inner = tmp_path / "..s.h5.iywx3hns.h5.rdwi_9cl.h5"
    outer.write_bytes(b"")
    inner.write_bytes(b"x" * (3 * 2**20))
    other = tmp_path / ".t.h5.iywx3hns.h5"  # another output's: not this one's to report
    other.write_bytes(b"y")
    notes = tmp_path / ".s.h5.notes"  # a hidden file of the user's
    notes.write_bytes(b"z")

    def write():
        with atomic_path(tmp_path / "s.h5") as tmp:
            tmp.write_bytes(b"new")

    said = _said(write)
    assert len(said) == 1, said
    line = said[0]
    assert f"{inner} (3.0 MiB)" in line and f"{outer} (0 bytes)" in line, line
    assert "left by an interrupted run writing s.h5; delete them" in line, line
    assert ".t.h5" not in line and "notes" not in line, line
    assert (tmp_path / "s.h5").read_bytes() == b"new"
    # nothing deleted: another process may be writing them
    assert all(p.exists() for p in (outer, inner, other, notes))
    # said once per process, not at every write of the same file (a checkpoint per epoch)
    assert _said(write) == []


def test_a_long_name_and_a_folder_are_recognised(tmp_path):
    name = "a" * 60 + ".ecsv"
    left = tmp_path / (".a" + "a" * 31 + ".k2j_9xq0.ecsv")  # the first 32 characters are kept
    left.write_text("half")
    said = _said(lambda: _write(tmp_path / name))
    assert len(said) == 1 and f"{left} (4 bytes) was left by an interrupted run" in said[0], said

    # (in another folder: each folder is read once per process, at its first write)
    field = tmp_path / "sims" / "field"
    half = tmp_path / "sims" / ".field.ab12cd34"  # a simulate killed half-way: a hidden folder
    half.mkdir(parents=True)
    (half / "f814w.fits").write_bytes(b"0" * 2048)

    def write():
        with atomic_dir(field) as tmp:
            (tmp / "truth.ecsv").write_text("t")

    said = _said(write)
    assert len(said) == 1 and f"{half} (2.0 KiB) was left by an interrupted run writing field; delete it" in said[0]
    assert half.is_dir() and (field / "truth.ecsv").exists()


def test_a_clean_folder_says_nothing(tmp_path):
    (tmp_path / ".hidden").write_text("mine")
    assert _said(lambda: _write(tmp_path / "s.h5")) == []


@pytest.fixture()
def toy_field(tmp_path, monkeypatch):
    from conftest import write_toy_mosaics  # tests/ is on sys.path under pytest
    from starclass.io.catalog import write_catalog

    monkeypatch.chdir(tmp_path)
    write_toy_mosaics(tmp_path)
    write_catalog(Table({"id": [1, 2], "x": [40.0, 60.0], "y": [40.0, 50.0]}), tmp_path / "c.ecsv")
    return tmp_path


def test_cutouts_after_a_kill_names_the_leftovers_and_writes_the_store(toy_field):
    (toy_field / "out").mkdir()
    outer = toy_field / "out" / ".s.h5.iywx3hns.h5"
    inner = toy_field / "out" / "..s.h5.iywx3hns.h5.rdwi_9cl.h5"
    outer.write_bytes(b"")
    inner.write_bytes(b"x" * 96)
    r = runner.invoke(app, ["cutouts", "toy_f555w.fits", "toy_f814w.fits", "--catalog", "c.ecsv", "--size", "32",
                            "--no-progress", "-o", "out/s.h5"])
    assert r.exit_code == 0, r.output
    said = ("warning: out/..s.h5.iywx3hns.h5.rdwi_9cl.h5 (96 bytes) and out/.s.h5.iywx3hns.h5 (0 bytes) were left "
            "by an interrupted run writing s.h5; delete them unless another run is writing s.h5 now")
    assert said in r.output, r.output
    assert r.output.count("interrupted run") == 1, r.output
    assert (toy_field / "out" / "s.h5").exists() and outer.exists() and inner.exists()


def test_cutouts_interrupted_while_writing_keeps_the_old_store_and_one_temporary_at_most(toy_field, monkeypatch):
    """``cutouts -o s.h5`` staged its store twice: ``atomic_path(s.h5)`` in the command and the writer's own
    ``atomic_path`` of that temporary, so two temporaries stood beside the store while it was written (a
    0-byte ``.s.h5.XXXXXXXX.h5`` and the growing ``..s.h5.XXXXXXXX.h5.YYYYYYYY.h5``) and a kill left both.
    Now one write has one temporary. The interruption (an exception after the first batch) is where a kill
    would strike: the files there are what a kill leaves."""
    from starclass.stamps import store

    args = ["cutouts", "toy_f555w.fits", "toy_f814w.fits", "--catalog", "c.ecsv", "--size", "32", "--no-progress",
            "-o", "out/s.h5"]
    assert runner.invoke(app, args).exit_code == 0
    old = (toy_field / "out" / "s.h5").read_bytes()

    class Killed(Exception):
        pass

    seen: list[list[str]] = []
    write = store.StampStoreWriter.write

    def write_then_stop(self, *a, **k):
        write(self, *a, **k)
        seen.append(sorted(p.name for p in (toy_field / "out").iterdir()))
        raise Killed("interrupted after the first batch")

    monkeypatch.setattr(store.StampStoreWriter, "write", write_then_stop)
    r = runner.invoke(app, [*args, "--size", "24", "--overwrite"])
    assert r.exit_code != 0 and seen, r.output
    temporaries = [n for n in seen[0] if n != "s.h5"]
    assert len(temporaries) == 1 and temporaries[0].startswith(".s.h5."), seen   # one temporary while writing
    assert sorted(p.name for p in (toy_field / "out").iterdir()) == ["s.h5"]     # none after the interruption
    assert (toy_field / "out" / "s.h5").read_bytes() == old                      # the old store as it was

    monkeypatch.setattr(store.StampStoreWriter, "write", write)
    assert runner.invoke(app, [*args, "--size", "24", "--overwrite"]).exit_code == 0
    assert store.StampStore(toy_field / "out" / "s.h5").shape[-1] == 24
    assert sorted(p.name for p in (toy_field / "out").iterdir()) == ["s.h5"]
