"""``inspect DATA_DIR --export`` where nobody has labelled yet says so, and how to label, not "pass --init".

Walking docs/uncertainty.md ("Learning from votes": ``starclass inspect DATA_DIR --export labels.ecsv``) on a
field served never: the command said "no label database at DATA_DIR/inspect.sqlite; pass --init to create a new
one there", and with --init the export of the new, empty database was refused as holding no labels. The
refusal now says that there are no labels, that --db names a database kept elsewhere, and the commands that make
and serve one; nothing is written and no database is made.
"""

from __future__ import annotations

from typer.testing import CliRunner

from conftest import write_noise_cutout_folder, write_toy_held_out  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.learn.config import get_preset

runner = CliRunner()


def test_export_of_a_field_without_a_label_database_says_how_to_label(tmp_path) -> None:
    write_toy_held_out(get_preset("legus4-compact", stamp_size=16, scales=[1.0]), tmp_path, 6, seed=1)
    (tmp_path / "held.ecsv").rename(tmp_path / "mos" / "candidates.ecsv")
    out = tmp_path / "labels.ecsv"
    res = runner.invoke(app, ["inspect", str(tmp_path / "mos"), "--export", str(out)])
    assert res.exit_code == 2, res.output
    said = " ".join(res.output.split())
    assert "no labels to export" in said and "--db" in said, said
    assert f"'starclass inspect {tmp_path / 'mos'} --init --add-user NAME'" in said, said
    assert "pass --init to create a new one" not in said, said
    assert "Traceback" not in res.output
    assert not out.exists() and not (tmp_path / "mos" / "inspect.sqlite").exists()


def test_export_of_a_cutout_list_without_task_or_database_says_how_to_label(tmp_path) -> None:
    """``inspect --stamps L --db sqlite:///nope.sqlite --export x.csv``, no --task: the same refusal, with the --db.

    Without --task the task is read from the database, and its absence was refused first in the older words
    of a server: "no label database at ...: the first run, with --init, makes it and records the task ..."
    (until 2026-12-07). The commands it gives carry the --db named, else they made a database beside the list.
    """
    listed = write_noise_cutout_folder(tmp_path / "cut", 8, n=4)
    db = f"sqlite:///{tmp_path / 'nope.sqlite'}"
    out = tmp_path / "x.csv"
    res = runner.invoke(app, ["inspect", "--stamps", str(listed), "--db", db, "--export", str(out)])
    assert res.exit_code == 2, res.output
    said = " ".join(res.output.split())
    assert "no labels to export" in said and "the first run, with --init" not in said, said
    # a labelled list needs no --task: --init records its labels' classes, and the server takes them from the
    # database (it said '--task TASK' in both commands until 2026-12-07)
    assert f"'starclass inspect --stamps {listed} --db {db} --init --add-user NAME'" in said, said
    assert f"serve the page ('starclass inspect --stamps {listed} --db {db}')" in said, said
    assert "--task TASK" not in said and "these cutouts" in said and "these candidates" not in said, said
    assert "Traceback" not in res.output
    assert not out.exists() and not (tmp_path / "nope.sqlite").exists()
    assert not (tmp_path / "cut" / "inspect.sqlite").exists()


def test_the_export_refusal_asks_for_a_task_only_where_none_is_known(tmp_path, monkeypatch) -> None:
    """'--task TASK' was in both commands whatever was given: with --task, and for a list with labels."""
    import numpy as np

    (tmp_path / "cut").mkdir()
    for k in range(3):
        np.save(tmp_path / "cut" / f"o{k}.npy", np.random.default_rng(k).random((8, 8)).astype(np.float32))
    listed = tmp_path / "cut" / "list.csv"
    listed.write_text("file\no0.npy\no1.npy\no2.npy\n")  # no labels: --init needs the task
    out = tmp_path / "x.csv"
    res = runner.invoke(app, ["inspect", "--stamps", str(listed), "--export", str(out)])
    said = " ".join(res.output.split())
    assert res.exit_code == 2 and "no labels to export" in said, said
    assert f"'starclass inspect --stamps {listed} --task TASK --init --add-user NAME'" in said, said
    # the server takes the task --init recorded
    assert f"serve the page ('starclass inspect --stamps {listed}')" in said, said
    # the task given is the one named
    res = runner.invoke(app, ["inspect", "--stamps", str(listed), "--task", "m31-real", "--export", str(out)])
    said = " ".join(res.output.split())
    assert res.exit_code == 2 and "--task TASK" not in said, said
    assert f"'starclass inspect --stamps {listed} --task m31-real --init --add-user NAME'" in said, said
    assert not out.exists() and not (tmp_path / "cut" / "inspect.sqlite").exists()
    # the commands work as said: --init with the task, then the export finds the database (no labels yet)
    monkeypatch.setenv("STARCLASS_INSPECT_PASSWORD", "a long passphrase 1")
    res = runner.invoke(app, ["inspect", "--stamps", str(listed), "--task", "m31-real", "--init", "--add-user", "ann"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["inspect", "--stamps", str(listed), "--export", str(out)])
    said = " ".join(res.output.split())
    assert res.exit_code == 2 and "none of the 3 cutouts has a label" in said, said
