"""``inspect --list-users`` prints a header over its rows.

The walk of 2026-12-07 read ``   1  dana  (admin)`` and ``   2  Ann Lee``: rows with no header, the number
unnamed. A header line (``id``, ``name``, ``admin``) now comes first and the rows keep its columns.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from starclass.cli import app as cli
from starclass.datasets.labelling import make_demo_field
from starclass.inspect import db

pytestmark = pytest.mark.usefixtures("cheap_argon2")  # accounts: cheap hashes (conftest.py)


def test_the_accounts_come_under_a_header(tmp_path):
    demo = make_demo_field(tmp_path / "field", n=4, size=100, seed=2)
    path = tmp_path / "labels.sqlite"
    engine = db.make_engine(f"sqlite:///{path}")
    db.init_db(engine)
    ids = {"dana": db.add_user(engine, "dana", "dana-password", admin=True),
           "Ann Lee": db.add_user(engine, "Ann Lee", "ann-password-1")}
    engine.dispose()
    r = CliRunner().invoke(cli, ["inspect", str(demo), "--db", f"sqlite:///{path}", "--list-users"])
    assert r.exit_code == 0, r.output
    lines = r.output.splitlines()
    assert lines[0].split() == ["id", "name", "admin"], lines
    assert len(lines) == 3, lines
    rows = {}
    for ln in lines[1:]:
        # each row's fields start where the header's do
        assert ln[:4].strip().isdigit() and ln[4:6] == "  ", ln
        name_at, admin_at = lines[0].index("name"), lines[0].index("admin")
        rows[ln[name_at:admin_at].strip()] = (int(ln[:4]), ln[admin_at:].strip())
    assert rows == {"dana": (ids["dana"], "yes"), "Ann Lee": (ids["Ann Lee"], "no")}, lines
