"""Every writer of a cutout list records its cutouts' folder so that the list survives both moves.

``suggest`` wrote ``cutout_root`` relative to the list alone, so a list moved without its cutouts lost
them; ``classify --stamps`` and ``train --cv`` (``cv_predictions.ecsv``) wrote the absolute folder alone,
so a folder moved whole (list and cutouts together) lost them. Each now writes both, relative
(``cutout_root``) and absolute (``cutout_root_abs``), and the one reader (``io.cutout_folders.row_folders``)
takes whichever holds the files.
"""

from __future__ import annotations

import shutil

import numpy as np
import pytest
from astropy.table import Table
from PIL import Image
from typer.testing import CliRunner

from starclass.cli import app
from starclass.learn.config import get_preset

FILES = [f"g/o{k:03d}.png" for k in range(8)]
LABELS = ["cluster", "galaxy"] * 4


def _cutouts(folder):
    """Eight grey 16 px PNG cutouts under ``folder/g`` and their ``labels.csv``."""
    rng = np.random.default_rng(3)
    for f in FILES:
        (folder / f).parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(rng.integers(0, 255, (16, 16), dtype=np.uint8)).save(folder / f)
    (folder / "labels.csv").write_text("file,label\n" + "".join(f"{f},{lab}\n" for f, lab in zip(FILES, LABELS)))


def _model(folder):
    from starclass.learn.checkpoint import write_untrained_model

    return write_untrained_model(folder, get_preset("m31-real", stamp_size=16))


def _served(path, top):
    """The files ``inspect --stamps`` serves of the list ``path``, relative to ``top``."""
    from starclass.inspect.cutouts import read_cutout_list

    cl = read_cutout_list(path, get_preset("m31-real"))
    return sorted(p[0].relative_to(top.resolve()).as_posix() for p in cl.paths)


def _write(kind, top, runner=None):
    """The list ``kind`` writes under ``top/lists`` of the cutouts in ``top/cuts`` (the model in ``top/m``)."""
    runner = runner or CliRunner()
    cuts, lists = top / "cuts", top / "lists"
    lists.mkdir(parents=True, exist_ok=True)
    if kind in ("classify", "suggest"):
        model = _model(top / "m")
        res = runner.invoke(app, ["classify", "--stamps", str(cuts), "--model", str(model), "-o",
                                  str(lists / "c.csv"), "--no-progress"])
        assert res.exit_code == 0, res.output
        if kind == "classify":
            return lists / "c.csv"
        res = runner.invoke(app, ["suggest", str(model), str(lists / "c.csv"), "-o", str(lists / "s.csv"), "-n", "4"])
        assert res.exit_code == 0, res.output
        return lists / "s.csv"
    from starclass.learn.config import save_config

    cfg = get_preset("m31-real", stamp_size=16, recipe={"epochs": 1, "batch_size": 8, "val_fraction": 0.25})
    task = save_config(cfg, top / "task.yaml")
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(cuts), "--cv", "2", "-o",
                              str(lists / "cv"), "--no-progress"])
    assert res.exit_code == 0, res.output
    return lists / "cv" / "cv_predictions.ecsv"


WRITERS = ["classify", "suggest", pytest.param("cv", marks=pytest.mark.slow)]


@pytest.mark.parametrize("kind", WRITERS)
def test_a_list_moved_alone_still_finds_its_cutouts(tmp_path, kind):
    top = tmp_path / "top"
    _cutouts(top / "cuts")
    written = _write(kind, top)
    expected = sorted(f"cuts/{f}" for f in _served_files(written, top))
    alone = tmp_path / "elsewhere" / "deeper" / written.name
    alone.parent.mkdir(parents=True)
    shutil.copy(written, alone)
    shutil.rmtree(top / "lists")  # nothing beside the cutouts tells where the list came from
    assert _served(alone, top) == expected


@pytest.mark.parametrize("kind", WRITERS)
def test_a_folder_moved_whole_still_finds_its_cutouts(tmp_path, kind):
    top = tmp_path / "top"
    _cutouts(top / "cuts")
    written = _write(kind, top)
    expected = sorted(f"cuts/{f}" for f in _served_files(written, top))
    moved = tmp_path / "moved"
    shutil.move(top, moved)  # the absolute folder the list was written with is gone
    assert _served(moved / written.relative_to(top), moved) == expected


def _served_files(written, top):
    """The files the list names (as the cutout folder lists them), read before any move."""
    t = Table.read(written, format="ascii.csv" if written.suffix == ".csv" else "ascii.ecsv")
    files = [str(f) for f in t["file"]]
    assert _served(written, top) == sorted(f"cuts/{f}" for f in files)
    return files


def test_every_writer_records_the_folder_twice(tmp_path):
    """The relative record and the absolute one, for a CSV as columns (it keeps no meta)."""
    for kind in ("classify", "suggest"):
        top = tmp_path / kind
        _cutouts(top / "cuts")
        t = Table.read(_write(kind, top), format="ascii.csv")
        assert set(t["cutout_root"]) == {"../cuts"}, kind
        assert set(t["cutout_root_abs"]) == {str((top / "cuts").resolve())}, kind


def test_the_relative_record_wins_where_both_hold_the_files(tmp_path):
    """A copy of the whole folder serves its own cutouts, not the original's."""
    top = tmp_path / "top"
    _cutouts(top / "cuts")
    written = _write("classify", top)
    copy = tmp_path / "copy"
    shutil.copytree(top, copy)
    assert _served(copy / written.relative_to(top), copy) == sorted(f"cuts/{f}" for f in FILES)
