"""``inspect DATA_DIR --export labels.txt`` names labels.txt, not the hidden temporary the export was written to.

Walking docs/inspect.md (2026-12-07), an export to a name of no catalogue format was refused as
``error: cannot tell the catalogue format of /tmp/s80walk/.labels.txt.dd_kz4dl.txt: use one of ...``: the
writer was handed the atomic temporary and named it, a file the user never gave and cannot find. The name's
format is now checked first, by the command before the field is read and by ``export_labels`` before the
consensus, so the refusal names the file given and nothing is written.
"""

from __future__ import annotations

import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.inspect import db
from starclass.inspect.export import export_labels

pytestmark = pytest.mark.usefixtures("cheap_argon2")


def _labelled_engine(url: str):
    engine = db.make_engine(url, create=True)
    db.init_db(engine)
    ann = db.add_user(engine, "ann", "a long passphrase 1")
    db.save_label(engine, "", "1", ann, 1)
    return engine


def test_export_labels_names_the_file_given(tmp_path):
    engine = _labelled_engine(f"sqlite:///{tmp_path / 'inspect.sqlite'}")
    try:
        with pytest.raises(StarclassError) as info:
            export_labels(engine, "", Table({"id": [1, 2], "x": [1.0, 2.0], "y": [1.0, 2.0]}), tmp_path / "labels.txt")
    finally:
        engine.dispose()
    said = str(info.value)
    assert f"cannot tell the catalogue format of {tmp_path / 'labels.txt'}:" in said, said
    assert ".labels.txt." not in said, said  # the hidden temporary's name
    assert sorted(p.name for p in tmp_path.iterdir()) == ["inspect.sqlite"]


def test_the_command_names_the_file_given_and_writes_nothing(tmp_path):
    from starclass.datasets.labelling import make_demo_field

    field = tmp_path / "field"
    make_demo_field(field, n=6)
    _labelled_engine(f"sqlite:///{field / 'inspect.sqlite'}").dispose()
    before = sorted(p.name for p in tmp_path.rglob("*"))
    res = CliRunner().invoke(app, ["inspect", str(field), "--export", str(tmp_path / "labels.txt")])
    said = " ".join(res.output.split())
    assert res.exit_code == 2 and "Traceback" not in said, said
    assert "cannot tell the catalogue format of" in said and "labels.txt: use one of" in said, said
    assert ".labels.txt." not in said, said
    assert sorted(p.name for p in tmp_path.rglob("*")) == before
