"""``info`` names a missing path in the words every command uses, a link's target included.

``info LOOP`` (a link loop) said ``catalogue file not found: loop`` where ``evaluate LOOP`` said
``PRED loop: no such file or directory (a link to loop)``; both now come from
:func:`starclass.io.paths.no_such_path`, which also says when the links loop.
"""

from __future__ import annotations

import os

import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError

runner = CliRunner()

LOOP = "in a loop of links that never reaches a file"


@pytest.fixture()
def links(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    os.symlink("loop", "loop")  # a link to itself
    os.symlink("b", "a")
    os.symlink("a", "b")  # two links to each other
    os.symlink("nothere.ecsv", "dangling")
    return tmp_path


@pytest.mark.parametrize("name, says", [
    ("loop", f"loop: no such file or directory (a link to loop, {LOOP})"),
    ("a", f"a: no such file or directory (a link to b, {LOOP})"),
    ("dangling", "dangling: no such file or directory (a link to nothere.ecsv)"),
    ("nothere.ecsv", "nothere.ecsv: no such file or directory"),
])
def test_info_and_evaluate_name_a_missing_path_alike(links, name, says):
    info = runner.invoke(app, ["info", name])
    assert info.exit_code == 2 and "Traceback" not in info.output, info.output
    assert " ".join(info.output.split()) == f"error: {says}", info.output
    ev = runner.invoke(app, ["evaluate", name, "-r", "self", "-o", "ev"])
    assert ev.exit_code == 2 and f"error: PRED {says}" in " ".join(ev.output.split()), ev.output
    assert sorted(p.name for p in links.iterdir()) == ["a", "b", "dangling", "loop"]  # nothing written


def test_read_catalog_of_a_link_loop_says_it_is_a_link(links):
    from starclass.io.catalog import read_catalog

    with pytest.raises(StarclassError,
                       match=rf"^catalogue loop: no such file or directory \(a link to loop, {LOOP}\)$"):
        read_catalog("loop")
