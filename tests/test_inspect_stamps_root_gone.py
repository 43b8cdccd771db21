"""inspect --stamps reads a list whose recorded cutout_root is gone the way classify --stamps does.

A classified list moved with its cutouts to another machine records a ``cutout_root`` that no
longer exists; ``classify --stamps`` falls back to the list's own folder, ``inspect --stamps``
refused every row ("no such file (.../gone/cluster/obj00.npy)"). One rule now:
:func:`starclass.io.cutout_folders.listed_file`.
"""

from __future__ import annotations

import csv
from pathlib import Path

from astropy.table import Table
from typer.testing import CliRunner

from conftest import write_noise_cutout_folder, write_untrained_model  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.inspect import db
from starclass.inspect.cutouts import read_cutout_list
from starclass.learn.config import get_preset

runner = CliRunner()


def _rooted_elsewhere(d: Path) -> Path:
    """A 4-cutout list whose every row records ``cutout_root`` = ``d/gone`` (no such folder), and the page's
    database beside it."""
    labels = write_noise_cutout_folder(d / "rooted", 16, n=4)
    with open(labels, newline="") as fh:
        rows = list(csv.DictReader(fh))
    with open(labels, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=[*rows[0], "cutout_root"])
        w.writeheader()
        w.writerows({**r, "cutout_root": str(d / "gone")} for r in rows)
    engine = db.make_engine(f"sqlite:///{labels.parent / 'inspect.sqlite'}")
    db.init_db(engine)
    engine.dispose()
    return labels


def test_inspect_reads_a_list_whose_cutout_root_is_gone_as_classify_does(tmp_path, single_thread):
    labels = _rooted_elsewhere(tmp_path)
    # classify --stamps reads the list from its own folder (the behaviour inspect now shares)
    model = write_untrained_model(tmp_path / "model", get_preset("m31-real").copy(name="mine", stamp_size=16))
    res = runner.invoke(app, ["classify", "--stamps", str(labels), "--model", str(model), "--device", "cpu",
                              "--no-progress", "-o", str(tmp_path / "c.csv")])
    assert res.exit_code == 0, res.output
    cl = read_cutout_list(labels, get_preset("m31-real"))
    assert [p[0] for p in cl.paths] == [labels.parent / f"{lab}/obj{k:02d}.npy"
                                        for k, lab in enumerate(["cluster", "galaxy"] * 2)]
    out = tmp_path / "e.csv"
    res = runner.invoke(app, ["inspect", "--stamps", str(labels), "--task", "m31-real", "--export", str(out),
                              "--include-unlabelled"])
    assert res.exit_code == 0, res.output
    files = Table.read(out, format="ascii.csv")["file"].tolist()
    assert all((out.parent / f).is_file() for f in files), files
    assert len(files) == 4


def test_a_cutout_missing_in_both_folders_is_still_refused(tmp_path):
    labels = _rooted_elsewhere(tmp_path)
    (labels.parent / "cluster" / "obj00.npy").unlink()
    res = runner.invoke(app, ["inspect", "--stamps", str(labels), "--task", "m31-real", "--export",
                              str(tmp_path / "e.csv"), "--include-unlabelled"])
    assert res.exit_code == 2, res.output
    assert "row 1" in res.output and "obj00.npy" in res.output and "no such file" in res.output, res.output
    assert not (tmp_path / "e.csv").exists()


def test_inspect_reads_a_moved_list_saved_again_by_a_spreadsheet(tmp_path):
    """A classified list moved away from its cutouts and saved again with ';' (a European spreadsheet) is read
    from the folder it records, as the ',' one is: it was read from its own folder, every row "no such file"."""
    labels = write_noise_cutout_folder(tmp_path / "cutouts", 16, n=4)
    with open(labels, newline="") as fh:
        rows = list(csv.DictReader(fh))
    moved = tmp_path / "elsewhere" / "list.csv"
    moved.parent.mkdir()
    with open(moved, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=[*rows[0], "cutout_root"], delimiter=";")
        w.writeheader()
        w.writerows({**r, "cutout_root": str(labels.parent)} for r in rows)
    cl = read_cutout_list(moved, get_preset("m31-real"))
    assert [p[0] for p in cl.paths] == [labels.parent / f"{lab}/obj{k:02d}.npy"
                                        for k, lab in enumerate(["cluster", "galaxy"] * 2)]
