"""Two fields in one label database: a second field under the same ``--dataset`` is refused."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from starclass.cli import app as cli
from starclass.datasets.labelling import make_demo_field
from starclass.errors import StarclassError
from starclass.inspect import db
from starclass.inspect.app import create_app, load_field


def _second_field(folder: Path) -> Path:
    """A demo field whose mosaics are named as another galaxy's (same ids 1, 2, 3)."""
    make_demo_field(folder, n=3, size=100, seed=2)
    for p in folder.glob("demo_*.fits"):
        p.rename(p.with_name(p.name.replace("demo_", "other_")))
    return folder


@pytest.fixture
def two_fields(tmp_path: Path) -> tuple[Path, Path, str]:
    first = make_demo_field(tmp_path / "a", n=3, size=100, seed=1)
    second = _second_field(tmp_path / "b")
    url = f"sqlite:///{tmp_path / 'labels.sqlite'}"
    engine = db.make_engine(url)
    db.init_db(engine)
    db.add_user(engine, "ann", "pw-long-enough-1")
    create_app(load_field(first), engine, prerender_all=False)
    user = db.list_users(engine)[0]["id"]
    db.save_label(engine, "", "1", user, 2)  # the first field's candidate 1
    engine.dispose()
    return first, second, url


def test_second_field_same_dataset_refused(two_fields):
    # before: the second field's candidate 1 showed the first field's label as its own, and a
    # label given on it overwrote that one
    first, second, url = two_fields
    engine = db.make_engine(url)
    with pytest.raises(StarclassError, match=r"another field.*--dataset"):
        create_app(load_field(second), engine, prerender_all=False)
    # its own dataset is fine, and starts empty; the first field opens again as before
    create_app(load_field(second, dataset="b"), engine, prerender_all=False)
    assert db.labels_of(engine, "b") == []
    create_app(load_field(first), engine, prerender_all=False)
    assert [(lab.candidate_id, lab.cls) for lab in db.labels_of(engine, "")] == [("1", 2)]
    engine.dispose()


def test_export_of_second_field_refused(two_fields, tmp_path):
    first, second, url = two_fields
    out = tmp_path / "second.ecsv"
    res = CliRunner().invoke(cli, ["inspect", str(second), "--db", url, "--export", str(out)])
    assert res.exit_code == 2, res.output
    assert "another field" in res.output and "--dataset" in res.output
    assert not out.exists()
    ok = CliRunner().invoke(cli, ["inspect", str(first), "--db", url, "--export", str(tmp_path / "a.ecsv")])
    assert ok.exit_code == 0, ok.output
