"""``inspect --stamps LIST --export X`` without ``--task`` when the database's scheme is a task file's.

Before: the database records the scheme's name only (``task:m31-real-2ep``), which cannot rebuild
a task that is no preset, so the export was refused ("task m31-real-2ep is no preset; give --task
with its task file or model folder") even when the list is a ``classify --stamps`` output whose
meta names the model it was classified with (``model: /path/m2ep``), a model of that very task.
Now that model is used (said in one line) while it is still there and its task is the recorded
one; otherwise the refusal stays, saying what the list named and why it cannot be used.
"""

from __future__ import annotations

import gzip
import shutil
import warnings

import pytest
from typer.testing import CliRunner

with warnings.catch_warnings():  # the installed starlette warns about httpx at import
    warnings.simplefilter("ignore")
    from starclass.inspect import db

from starclass.cli import app as cli
from starclass.learn.config import get_preset, save_config
from test_inspect_stamps import make_folder  # tests/ is on sys.path under pytest

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("single_thread")


def test_export_without_task_takes_the_model_the_classified_list_names(tmp_path):
    labels = make_folder(tmp_path / "pool", n=6)
    cfg = get_preset("m31-real", name="m31-real-2ep", stamp_size=16,
                     recipe={"epochs": 1, "batch_size": 8, "val_fraction": 0.0})
    task = save_config(cfg, tmp_path / "m31-real-2ep.yaml")
    model = tmp_path / "m2ep"
    res = runner.invoke(cli, ["train", "--task", str(task), "--stamps", str(labels), "-o", str(model),
                              "--no-progress"])
    assert res.exit_code == 0, res.output
    listed = tmp_path / "pool" / "classified.ecsv"
    res = runner.invoke(cli, ["classify", "--stamps", str(labels), "--model", str(model), "-o", str(listed)])
    assert res.exit_code == 0, res.output

    from starclass.inspect.cutouts import task_scheme

    url = f"sqlite:///{tmp_path / 'pool' / 'inspect.sqlite'}"
    engine = db.make_engine(url)
    db.init_db(engine)
    scheme = task_scheme(cfg)  # what the first server, given --task m31-real-2ep.yaml, records
    db.bind_scheme(engine, "", scheme.name)
    uid = db.add_user(engine, "ann", "ann-password")
    db.save_label(engine, "", "cluster/o0.png", uid, 1, scheme=scheme)
    db.save_label(engine, "", "galaxy/o1.png", uid, 2, scheme=scheme)
    with engine.begin() as conn:
        # a database of before 2026-12-07, which records no whole task (label_task_configs): the list's model
        # gives it (tests/test_inspect_stamps_init_records_task.py: one that records it needs none)
        db.label_task_configs.drop(conn, checkfirst=True)
    engine.dispose()

    res = runner.invoke(cli, ["inspect", "--stamps", str(listed), "--db", url, "--export", str(tmp_path / "a.csv")])
    assert res.exit_code == 0, res.output
    assert (f"--task {model}: the model {listed} was classified with (its meta 'model'), whose task is the label "
            "scheme the database records (task:m31-real-2ep)") in " ".join(res.output.split())
    res = runner.invoke(cli, ["inspect", "--stamps", str(listed), "--db", url, "--task", str(task),
                              "--export", str(tmp_path / "b.csv")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "a.csv").read_text() == (tmp_path / "b.csv").read_text()
    # the list kept compressed, as archives hand lists out: its meta read as the list is read (astropy alone told
    # no format from the name, so its model was not found and the export refused)
    packed = listed.with_name("classified.ecsv.gz")
    packed.write_bytes(gzip.compress(listed.read_bytes()))
    res = runner.invoke(cli, ["inspect", "--stamps", str(packed), "--db", url, "--export", str(tmp_path / "z.csv")])
    assert res.exit_code == 0, res.output
    assert f"--task {model}: the model {packed} was classified with" in " ".join(res.output.split())
    assert (tmp_path / "z.csv").read_text() == (tmp_path / "a.csv").read_text()

    # a plain CSV records no model: the refusal stays and names what to give, nothing written
    res = runner.invoke(cli, ["inspect", "--stamps", str(labels), "--db", url, "--export", str(tmp_path / "c.csv")])
    assert res.exit_code == 2 and "Traceback" not in res.output, res.output
    assert "task m31-real-2ep is no preset; give --task with its task file or model folder" in res.output
    assert not (tmp_path / "c.csv").exists()
    # the model moved away: refused, saying so
    shutil.move(model, tmp_path / "elsewhere")
    res = runner.invoke(cli, ["inspect", "--stamps", str(listed), "--db", url, "--export", str(tmp_path / "d.csv")])
    assert res.exit_code == 2, res.output
    assert f"names model {model}, which is no longer there" in " ".join(res.output.split())
    assert not (tmp_path / "d.csv").exists()
