"""``inspect --stamps`` calls a cutout list's rows cutouts, as suggest and train do, when serving and exporting.

Walking docs/uncertainty.md's cutout loop (2026-12-07), serving a round of 10 suggested cutouts said "starclass
inspect: serving 10 candidates" and its export "wrote 10 labelled candidates": rows nobody detected, which every
other command of the loop calls cutouts (:func:`starclass.errors.row_noun`).
"""

from __future__ import annotations

import pytest

from starclass.cli import app as cli
from starclass.inspect import app as inspect_app
from starclass.inspect import db
from starclass.inspect.cutouts import load_cutout_field, stamps_scheme
from starclass.learn.config import get_preset
from test_inspect_stamps import PASSWORDS, login, make_folder, runner  # tests/ is on sys.path under pytest

pytestmark = pytest.mark.usefixtures("cheap_argon2")


def test_serving_and_export_say_cutouts(tmp_path, monkeypatch, capsys):
    labels = make_folder(tmp_path / "data")
    cfg = get_preset("m31-real")
    url = f"sqlite:///{tmp_path / 'labels.sqlite'}"
    engine = db.make_engine(url)
    db.init_db(engine)
    for name, pw in PASSWORDS.items():
        db.add_user(engine, name, pw)
    field = load_cutout_field(labels, cfg, cache_dir=tmp_path / "cache")
    # the server's loop is not run: only what serve says before it
    monkeypatch.setattr(inspect_app._StoppedServer, "run", lambda self, sockets=None: None)
    inspect_app.serve(field, engine, port=0, scheme=stamps_scheme(cfg))
    said = capsys.readouterr().out
    assert f"serving {len(field.ids)} cutouts from" in said, said  # old code: "serving 8 candidates"
    c = login(inspect_app.create_app(field, engine, scheme=stamps_scheme(cfg)), "ann")
    for cid, k in {"cluster/o0.png": 1, "galaxy/o1.png": 2}.items():
        assert c.post("/api/label", json={"candidate_id": cid, "cls": k}).status_code == 200
    engine.dispose()
    res = runner.invoke(cli, ["inspect", "--stamps", str(labels), "--task", "m31-real", "--db", url,
                              "--export", str(tmp_path / "round1.csv")])
    assert res.exit_code == 0, res.output
    assert "wrote 2 labelled cutouts to" in res.output, res.output  # old code: "wrote 2 labelled candidates"
    assert "candidate" not in res.output.split("fine-tune with")[0], res.output
