"""``inspect DATA_DIR`` refused by its label database prints nothing on stdout before the refusal."""
from __future__ import annotations

import pytest
from typer.testing import CliRunner

pytest.importorskip("uvicorn")

from starclass.cli import app as cli
from webtools import free_port

runner = CliRunner()


def test_a_database_in_another_scheme_is_refused_before_any_line(tmp_path):
    # serving printed "note: no accounts yet; ..." and "labels in sqlite:///... (schema version N)" on
    # stdout, then refused the --task: the database's labels are in another scheme. A script reading
    # stdout took those lines as a server starting
    from starclass.datasets.labelling import make_demo_field
    from starclass.inspect import db

    data = make_demo_field(tmp_path / "demo", n=4, size=100)
    dbfile = data / "inspect.sqlite"
    engine = db.make_engine(f"sqlite:///{dbfile}")
    db.init_db(engine)
    db.bind_scheme(engine, "", "phangs")
    engine.dispose()
    before = dbfile.read_bytes()
    res = runner.invoke(cli, ["inspect", str(data), "--task", "m31-binary", "--port", str(free_port())])
    assert res.exit_code == 2, (res.output, res.exception)
    assert "are in label scheme phangs" in res.stderr, res.stderr
    assert res.stdout == "", res.stdout
    assert "Traceback" not in res.output
    engine = db.make_engine(f"sqlite:///{dbfile}")
    try:
        assert db.dataset_scheme(engine, "") == "phangs"  # the refusal changed nothing
    finally:
        engine.dispose()
    assert len(before) > 0
