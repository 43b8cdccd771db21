"""The "no accounts yet" note of ``inspect`` gives the ``--db`` it serves from, so its command adds the account there.

Found by a new user's walk through the active-learning loop of docs/real_images.md (2026-12-06): ``suggest``
says to serve the suggestions with ``--db sqlite:///POOL/inspect.sqlite`` ("keep this --db in every round");
served so, ``inspect`` said "note: no accounts yet; create one with: starclass inspect --stamps suggest.csv
--task m31-real --add-user NAME". That command, without the --db, went to the default database beside the
list: it was refused ("no label database at .../inspect.sqlite; pass --init"), and with --init it made a second
database, whose account the page served from the pool's database never saw.
"""

from __future__ import annotations

import shlex

import numpy as np
import pytest
from typer.testing import CliRunner

import starclass.inspect.app as inspect_app
from starclass.cli import app

pytestmark = pytest.mark.usefixtures("cheap_argon2")  # conftest.py: cheap password hashes
runner = CliRunner()


@pytest.fixture()
def pool(tmp_path, monkeypatch):
    """A list of four cutouts in a folder of its own and a --db elsewhere; serving is replaced by a no-op."""
    rng = np.random.default_rng(0)
    (tmp_path / "round1").mkdir()
    lines = ["file,label"]
    for i, label in enumerate(["cluster", "galaxy"] * 2):
        np.save(tmp_path / "round1" / f"c{i}.npy", rng.normal(size=(16, 16)).astype(np.float32))
        lines.append(f"c{i}.npy,{label}")
    listed = tmp_path / "round1" / "suggest.csv"
    listed.write_text("\n".join(lines) + "\n")
    (tmp_path / "pool").mkdir()
    url = f"sqlite:///{tmp_path / 'pool' / 'inspect.sqlite'}"
    monkeypatch.setattr(inspect_app, "serve", lambda *a, **k: None)
    monkeypatch.setenv("STARCLASS_INSPECT_PASSWORD", "ann-password-long")
    return listed, url


def _note(output: str) -> str:
    return next(line for line in output.splitlines() if line.startswith("note: no accounts yet"))


def test_the_note_names_the_db_and_its_command_adds_the_account_there(pool):
    listed, url = pool
    res = runner.invoke(app, ["inspect", "--stamps", str(listed), "--task", "m31-real", "--db", url, "--init",
                              "--no-prerender"])
    assert res.exit_code == 0, res.output
    note = _note(res.output)
    assert f"--db {url}" in note, note
    # the command the note gives, as a user copies it, with NAME filled in
    words = shlex.split(note.split("create one with: ", 1)[1].replace("NAME", "ann"))
    assert words[:2] == ["starclass", "inspect"]
    res = runner.invoke(app, words[1:])
    assert res.exit_code == 0, res.output
    assert "created user ann" in res.output and url in res.output
    assert not (listed.parent / "inspect.sqlite").exists()  # no second database beside the list
    res = runner.invoke(app, ["inspect", "--stamps", str(listed), "--task", "m31-real", "--db", url,
                              "--no-prerender"])
    assert res.exit_code == 0, res.output
    assert "no accounts yet" not in res.output  # served from the database the account went to


def test_without_db_the_note_stays_as_it_was(pool):
    """Guard: served from the default database, the note gives no --db (the default is found again)."""
    listed, _ = pool
    res = runner.invoke(app, ["inspect", "--stamps", str(listed), "--task", "m31-real", "--init", "--no-prerender"])
    assert res.exit_code == 0, res.output
    note = _note(res.output)
    assert "--db" not in note and note.endswith(f"starclass inspect --stamps {listed} --task m31-real --add-user NAME")


@pytest.mark.parametrize("task_given", [True, False])
def test_adding_an_account_ends_with_the_command_that_serves_the_page(pool, monkeypatch, task_given):
    # 'inspect --init --add-user ann' ended at "created user ann ...": how to serve the page the account logs in to
    # was left to the docs. The next: line's command, as copied, serves the same list from the same database
    listed, url = pool
    task = ["--task", "m31-real"] if task_given else []  # without it the database records the list's own classes
    res = runner.invoke(app, ["inspect", "--stamps", str(listed), *task, "--db", url, "--init", "--add-user", "ann"])
    assert res.exit_code == 0, res.output
    said = [line for line in res.output.splitlines() if line.startswith("next: ")]
    assert len(said) == 1 and " and log in as ann " in said[0], res.output
    quoted = said[0].split(" with ", 1)[1].split(" and log in as ", 1)[0]
    words = shlex.split(shlex.split(quoted)[0])  # the command in quotes, as every next: line gives it
    assert words[:2] == ["starclass", "inspect"] and "--add-user" not in words and "--init" not in words
    served = []
    monkeypatch.setattr(inspect_app, "serve", lambda *a, **k: served.append(True))
    res = runner.invoke(app, [*words[1:], "--no-prerender"])
    assert res.exit_code == 0, res.output
    assert served and url in res.output and "no accounts yet" not in res.output, res.output
