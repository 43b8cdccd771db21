"""What a new user met walking docs/inspect.md (2026-12-07), each said plainly now.

* ``inspect DIR --add-user bob`` from a script without ``$STARCLASS_INSPECT_PASSWORD`` (no terminal) printed
  getpass's "Can not control echo on the terminal" and "Aborted.", exit status 1: refused naming the variable.
* ``inspect --stamps LIST`` before any database said "--stamps needs --task", and given ``--task`` then
  "pass --init": it says now that the first run, with ``--init``, makes the database and records the task
  (an ``--export`` there says that there are no labels to export, and how to label: since 2026-12-07, as
  ``--export`` with ``--task`` did; tests/test_inspect_export_without_database.py).
* An export labelled by one person printed "agreement: pairwise n/a ... n/a / n/a" and two notes on why a
  person agrees with nobody: one line now, saying what a second person gives.
* ``info`` of that export said "1 people".
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.inspect import db
from starclass.inspect.schemes import task_scheme
from starclass.learn.config import get_preset
from test_inspect_stamps import make_folder  # tests/ is on sys.path under pytest

pytestmark = pytest.mark.usefixtures("cheap_argon2")

runner = CliRunner()


def _said(res) -> str:
    return " ".join(res.output.split())


def test_add_user_without_a_terminal_or_the_variable_is_refused_naming_it(tmp_path, monkeypatch):
    monkeypatch.delenv("STARCLASS_INSPECT_PASSWORD", raising=False)
    labels = make_folder(tmp_path / "pool", n=1)
    res = runner.invoke(app, ["inspect", "--stamps", str(labels), "--task", "m31-real", "--init", "--add-user", "ann"])
    assert res.exit_code == 2 and "STARCLASS_INSPECT_PASSWORD" in _said(res), _said(res)  # was 1, "Aborted."
    assert "Aborted" not in res.output and "Traceback" not in res.output
    assert not (labels.parent / "inspect.sqlite").exists()  # asked for before the database is made


def test_a_list_served_before_any_database_says_to_pass_init(tmp_path):
    labels = make_folder(tmp_path / "pool", n=1)
    res = runner.invoke(app, ["inspect", "--stamps", str(labels)])  # serving: refused before any port or page
    said = _said(res)
    assert res.exit_code == 2 and "the first run, with --init, makes it and records the task" in said, said
    assert "--stamps needs --task" not in said
    res = runner.invoke(app, ["inspect", "--stamps", str(labels), "--export", str(tmp_path / "x.csv")])
    said = _said(res)
    assert res.exit_code == 2 and "no labels to export" in said and "--stamps needs --task" not in said, said


def test_one_persons_export_says_so_in_one_line_and_info_counts_one_person(tmp_path):
    labels = make_folder(tmp_path / "pool", n=2)
    engine = db.make_engine(f"sqlite:///{labels.parent / 'inspect.sqlite'}", create=True)
    try:
        db.init_db(engine)
        ann = db.add_user(engine, "ann", "ann-password")
        for cid, k in (("cluster/o0.png", 1), ("galaxy/o1.png", 2)):
            db.save_label(engine, "", cid, ann, k, scheme=task_scheme(get_preset("m31-real")))
    finally:
        engine.dispose()
    out = tmp_path / "round1.csv"
    res = runner.invoke(app, ["inspect", "--stamps", str(labels), "--task", "m31-real", "--export", str(out)])
    said = _said(res)
    assert res.exit_code == 0, said
    assert "agreement: one person labelled (ann): none to measure" in said, said
    assert "n/a" not in said and "not computed" not in said, said
    res = runner.invoke(app, ["info", str(out)])
    assert res.exit_code == 0 and "people's votes (inspect --export): 1 person (class_h1 2" in _said(res), _said(res)


def test_set_password_of_no_account_says_so_before_asking_for_a_password(tmp_path, monkeypatch):
    # the password was asked for (twice, at a terminal) and checked, and then "no user 'zed'"
    monkeypatch.delenv("STARCLASS_INSPECT_PASSWORD", raising=False)
    labels = make_folder(tmp_path / "pool", n=1)
    engine = db.make_engine(f"sqlite:///{labels.parent / 'inspect.sqlite'}", create=True)
    try:
        db.init_db(engine)
        db.add_user(engine, "ann", "ann-password")
    finally:
        engine.dispose()
    res = runner.invoke(app, ["inspect", "--stamps", str(labels), "--set-password", "zed"])
    said = _said(res)
    assert res.exit_code == 2 and "no user 'zed'" in said and "--list-users" in said, said
    assert "password" not in said.split("no user")[0], said  # nothing asked first


def test_an_export_before_any_label_says_nobody_labelled(tmp_path):
    # --include-unlabelled before the first label printed "agreement: pairwise n/a ... n/a / n/a"
    labels = make_folder(tmp_path / "pool", n=1)
    engine = db.make_engine(f"sqlite:///{labels.parent / 'inspect.sqlite'}", create=True)
    try:
        db.init_db(engine)
        db.bind_scheme(engine, "", task_scheme(get_preset("m31-real")))
    finally:
        engine.dispose()
    res = runner.invoke(app, ["inspect", "--stamps", str(labels), "--export", str(tmp_path / "all.csv"),
                              "--include-unlabelled"])
    said = _said(res)
    assert res.exit_code == 0 and "agreement: nobody has labelled these cutouts yet" in said, said
    assert "n/a" not in said, said
