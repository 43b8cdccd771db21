"""``inspect --stamps LIST --init --add-user NAME`` records the task of the labels (2026-12-07).

The first run of the docs' cutout recipe makes the database and an account; it recorded no label scheme
(the scheme was bound only by the first server), so ``inspect --stamps LIST --export OUT.csv`` without
``--task`` was refused ("records no label scheme for the default dataset; give --task"), and a list made
without ``--task`` had no way to be labelled at all. ``--init`` now records the task (``--task``, else the
list's own labels as the classes) with its whole config (``label_task_configs``), so the export and later
servers take it from the database, a task file that has gone too; a database made before opens as before.
"""

from __future__ import annotations

import shlex

import pytest
import sqlalchemy as sa
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app as cli
from starclass.inspect import db, schemes
from starclass.inspect.schemes import task_scheme
from starclass.io.cutout_folders import label_classes, read_cutout_folder
from starclass.learn.config import TaskConfig, get_preset, load_config, save_config
from test_docs_commands import problems  # tests/ is on sys.path under pytest
from test_inspect_stamps import make_folder

pytestmark = pytest.mark.usefixtures("cheap_argon2")  # accounts: cheap hashes (conftest.py)

runner = CliRunner()


@pytest.fixture()
def new_process():
    """Forget the task schemes this process made: what the next command (another process) knows."""
    made, names = dict(schemes.TASK_SCHEMES_MADE), dict(schemes.TASK_NAMES)
    yield lambda: (schemes.TASK_SCHEMES_MADE.clear(), schemes.TASK_NAMES.clear())
    schemes.TASK_SCHEMES_MADE.clear()
    schemes.TASK_NAMES.clear()
    schemes.TASK_SCHEMES_MADE.update(made)
    schemes.TASK_NAMES.update(names)


def _add_ann(labels, *more, env=None):
    res = runner.invoke(cli, ["inspect", "--stamps", str(labels), *more, "--init", "--add-user", "ann"],
                        env={"STARCLASS_INSPECT_PASSWORD": "ann-password", **(env or {})})
    assert res.exit_code == 0, res.output
    return res.output


def _label(labels, votes: dict[str, int]) -> None:
    """Labels by ann, in the scheme of the task the database records (as the page gives them)."""
    engine = db.make_engine(f"sqlite:///{labels.parent / 'inspect.sqlite'}")
    try:
        cfg = TaskConfig.from_dict(db.dataset_task_config(engine, ""))
        ann = db.list_users(engine)[0]["id"]
        for cid, k in votes.items():
            db.save_label(engine, "", cid, ann, k, scheme=task_scheme(cfg))
    finally:
        engine.dispose()


def test_init_with_a_preset_records_it_for_the_export(tmp_path, new_process):
    labels = make_folder(tmp_path / "pool", n=2)
    _add_ann(labels, "--task", "m31-real")
    new_process()
    _label(labels, {"cluster/o0.png": 1, "galaxy/o1.png": 2})
    out = tmp_path / "round1.csv"
    res = runner.invoke(cli, ["inspect", "--stamps", str(labels), "--export", str(out)])
    assert res.exit_code == 0, res.output  # was 2: "records no label scheme for the default dataset"
    assert "--task m31-real: the label scheme the database records (task:m31-real)" in res.output
    t = Table.read(out, format="ascii.csv")
    assert dict(zip(t["file"], t["label"])) == {"pool/cluster/o0.png": "cluster", "pool/galaxy/o1.png": "galaxy"}
    assert not out.with_suffix(".task.yaml").exists()  # a preset: --task m31-real reads them


def test_init_without_task_takes_the_lists_labels_as_the_classes(tmp_path, new_process, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "model").mkdir()  # an earlier model: the line's first train names one not there
    labels = make_folder(tmp_path / "pool", n=2)
    # the list's labels, not m31-real's: a third kind of object
    labels.write_text(labels.read_text().replace("galaxy/o1.png,galaxy", "galaxy/o1.png,star"))
    said = _add_ann(labels)
    assert "the classes of the list's labels (1 = cluster, 2 = galaxy, 3 = star), task pool-labels" in said
    new_process()
    _label(labels, {"cluster/o0.png": 1, "galaxy/o0.png": 2, "galaxy/o1.png": 3})
    out = tmp_path / "round1.csv"
    res = runner.invoke(cli, ["inspect", "--stamps", str(labels), "--export", str(out)])
    assert res.exit_code == 0, res.output
    # the task is no preset: its line gives no "--task pool-labels" to type (--task would refuse the name)
    said = " ".join(res.output.split())
    assert "--task pool-labels" not in said, said
    assert "--stamps without --task: task pool-labels (" in said and "as the label database records it" in said
    t = Table.read(out, format="ascii.csv")
    got = dict(zip(t["file"], t["label"]))
    assert got == {"pool/cluster/o0.png": "cluster", "pool/galaxy/o0.png": "galaxy", "pool/galaxy/o1.png": "star"}
    # the task is in the database alone: written beside the export, the --task a first train reads them with
    task = out.with_suffix(".task.yaml")
    assert f"train a first model on them with: starclass train --task {task}" in " ".join(res.output.split())
    # a model name not there yet, to run as printed: '-o MODEL', a placeholder, until 2026-12-07
    first = " ".join(res.output.split()).split("train a first model on them with: ", 1)[1]
    assert shlex.split(first)[-2:] == ["-o", "model_1"] and not problems(shlex.split(first)[1:]), first
    cfg = load_config(task)
    assert cfg.name == "pool-labels" and cfg.label_map == {"cluster": 1, "galaxy": 2, "star": 3}
    cs = read_cutout_folder(out, require_group=False)
    assert label_classes(cs, cfg.label_map, config=cfg).tolist() == [1, 2, 3]
    # exported again: the task file is an output like the export, kept unless --overwrite
    res = runner.invoke(cli, ["inspect", "--stamps", str(labels), "--export", str(out)])
    assert res.exit_code == 2 and "--overwrite" in res.output, res.output
    res = runner.invoke(cli, ["inspect", "--stamps", str(labels), "--export", str(out), "--overwrite"])
    assert res.exit_code == 0 and load_config(task) == cfg, res.output


def test_a_task_file_gone_since_init_is_made_again_from_the_database(tmp_path, new_process):
    labels = make_folder(tmp_path / "pool", n=2)
    task = save_config(get_preset("m31-real").copy(name="pandas-round2", class_names=["gc", "bg"],
                                                   label_map={"gc": 1, "bg": 2}), tmp_path / "round2.yaml")
    _add_ann(labels, "--task", str(task))
    task.unlink()  # the task file is gone: its name alone made no task
    new_process()
    _label(labels, {"cluster/o0.png": 1})
    out = tmp_path / "round2.csv"
    res = runner.invoke(cli, ["inspect", "--stamps", str(labels), "--export", str(out)])
    assert res.exit_code == 0, res.output
    assert Table.read(out, format="ascii.csv")["label"].tolist() == ["gc"]  # the task file's label string


def test_a_database_without_the_record_exports_as_before_and_is_not_changed(tmp_path, new_process):
    labels = make_folder(tmp_path / "pool", n=2)
    path = labels.parent / "inspect.sqlite"
    engine = db.make_engine(f"sqlite:///{path}", create=True)
    try:
        # a database of before 2026-12-07: the scheme recorded by a server, no task config
        db.init_db(engine)
        with engine.begin() as conn:
            db.label_task_configs.drop(conn, checkfirst=True)
        ann = db.add_user(engine, "ann", "ann-password")
        db.save_label(engine, "", "cluster/o0.png", ann, 1, scheme=task_scheme(get_preset("m31-real")))
        with engine.begin() as conn:
            db.label_task_configs.drop(conn, checkfirst=True)  # bind_scheme wrote one: a database of before has none
    finally:
        engine.dispose()
    new_process()
    res = runner.invoke(cli, ["inspect", "--stamps", str(labels), "--export", str(tmp_path / "a.csv")])
    assert res.exit_code == 0, res.output
    assert "--task m31-real: the label scheme the database records (task:m31-real)" in res.output
    engine = db.make_engine(f"sqlite:///{path}")
    try:
        assert not sa.inspect(engine).has_table("label_task_configs")  # an export writes nothing
    finally:
        engine.dispose()


def test_init_without_task_on_a_list_without_labels_still_asks_for_it(tmp_path):
    labels = make_folder(tmp_path / "pool", n=1)
    labels.write_text("\n".join(",".join(r.split(",")[::2]) for r in labels.read_text().splitlines()) + "\n")
    res = runner.invoke(cli, ["inspect", "--stamps", str(labels), "--init", "--export", str(tmp_path / "x.csv")])
    assert res.exit_code == 2 and "has no labels to take the classes from" in res.output, res.output
    assert not (labels.parent / "inspect.sqlite").exists()
