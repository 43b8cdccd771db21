"""The classification page's header names the task and its classes, not the database's scheme name (2026-12-07).

A cutout list's page said ``Your label task:pool3-labels``: the scheme's name as the label database
records it (``task:`` and the task), no words for the person labelling and no space after the colon.
The header now reads ``Your label`` over ``task NAME: 1 = cluster, 2 = galaxy (the task's description)``;
a named scheme gives its name and description.
"""

from __future__ import annotations

import re

import pytest

from starclass.inspect import db
from starclass.inspect.app import create_app
from starclass.inspect.cutouts import load_cutout_field, stamps_scheme
from starclass.learn.config import get_preset
from test_inspect_stamps import PASSWORDS, login, served  # noqa: F401  (a fixture; tests/ is on sys.path under pytest)

pytestmark = pytest.mark.usefixtures("cheap_argon2")  # accounts: cheap hashes (conftest.py)


def _heading(page: str) -> str:
    found = re.search(r'id="scheme-name">([^<]*)<', page)
    assert found, "the page has no scheme heading"
    return found.group(1)


def test_the_header_names_the_task_and_its_classes(served):  # noqa: F811
    _, cfg, _, app = served
    page = login(app, "ann").get("/").text
    said = _heading(page)
    assert said.startswith("task m31-real: 1 = cluster, 2 = galaxy"), said
    assert cfg.description in said  # what the task is, in its own words
    assert "task:m31-real" not in said


def test_a_renamed_task_is_named_whole_with_its_classes(served, tmp_path):  # noqa: F811
    labels, _, _, _ = served
    cfg = get_preset("m31-real", name="pool3-labels", description="pool 3 of the PAndAS cutouts")
    engine = db.make_engine(f"sqlite:///{tmp_path / 'pool3.sqlite'}")  # its own: the served one is m31-real's
    db.init_db(engine)
    db.add_user(engine, "bob", PASSWORDS["bob"])
    field = load_cutout_field(labels, cfg, cache_dir=tmp_path / "cache3")
    try:
        said = _heading(login(create_app(field, engine, scheme=stamps_scheme(cfg)), "bob").get("/").text)
    finally:
        engine.dispose()
    assert said == "task pool3-labels: 1 = cluster, 2 = galaxy (pool 3 of the PAndAS cutouts)"
