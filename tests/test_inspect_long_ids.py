"""Candidate ids and dataset keys longer than the label database's columns (2026-12-05).

A cutout folder's candidate id is the file's path: ``survey_2026/field_NGC0224_ccd17/cluster/...png``
(74 characters) went past ``labels.candidate_id``'s 64. SQLite stored it; PostgreSQL refused every such
label with a ``DataError`` (``value too long for type character varying(64)``: a 500 on the page), and a
``--dataset`` over 255 characters likewise. Ids are now held up to 1024 characters (a PostgreSQL
database made before is widened when opened; additive, no version change), and anything longer, or a
longer ``--dataset``, is refused by name, never cut.
"""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner

from starclass.cli import app as cli
from starclass.errors import StarclassError
from starclass.inspect import db
from webtools import fresh_database

pytestmark = pytest.mark.usefixtures("cheap_argon2")  # many accounts: cheap hashes (conftest.py)

runner = CliRunner()
LONG_ID = "survey_2026/field_NGC0224_ccd17/cluster/obj_000123_g_band_cutout_128px.png"


def test_a_cutout_path_past_64_characters_is_labelled_and_a_longer_key_refused_by_name(db_url):
    engine = db.make_engine(db_url, create=True)
    db.init_db(engine)
    uid = db.add_user(engine, "ann", "ann-password")
    db.save_label(engine, "", LONG_ID, uid, 1)
    assert [lab.candidate_id for lab in db.labels_of(engine, "")] == [LONG_ID]
    with pytest.raises(StarclassError, match=r"candidate_id: .* is 1100 characters long; the label database holds "
                                             r"ids of at most 1024"):
        db.save_label(engine, "", "c" * 1100, uid, 1)
    with pytest.raises(StarclassError, match="--dataset is 300 characters long; the label database holds at most 255"):
        db.save_label(engine, "d" * 300, "1", uid, 1)
    assert len(db.labels_of(engine, "")) == 1
    engine.dispose()


@pytest.mark.postgres
def test_a_postgresql_database_of_64_character_ids_is_widened_when_opened(postgres_url):
    url = fresh_database(postgres_url)
    engine = db.make_engine(url, create=True)
    db.init_db(engine)
    with engine.begin() as conn:  # as the code before made it
        for t in ("labels", "label_history"):
            conn.execute(sa.text(f"ALTER TABLE {t} ALTER COLUMN candidate_id TYPE VARCHAR(64)"))
    uid = db.add_user(engine, "ann", "ann-password")
    db.save_label(engine, "", "short", uid, 2)
    engine.dispose()
    engine = db.make_engine(url)
    assert db.init_db(engine, create=False) == db.SCHEMA_VERSION
    db.save_label(engine, "", LONG_ID, uid, 1)
    assert sorted(lab.candidate_id for lab in db.labels_of(engine, "")) == sorted([LONG_ID, "short"])
    engine.dispose()


def test_a_dataset_key_past_the_column_is_refused_before_anything(tmp_path):
    (tmp_path / "data").mkdir()
    res = runner.invoke(cli, ["inspect", str(tmp_path / "data"), "--dataset", "d" * 300, "--init"])
    assert res.exit_code == 2 and "Traceback" not in res.output, (res.output, res.exception)
    assert "--dataset is 300 characters long" in res.output
    assert not any((tmp_path / "data").iterdir())
