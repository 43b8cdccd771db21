"""inspect --export keeps the catalogue's own columns that the labels fill (2026-12-03).

A user served a catalogue that already had ``class_mean`` (and a truth ``class_ref``) and got an
export whose ``class_mean`` was the people's, the catalogue's own values gone without a word.
They are now kept as ``<name>_catalogue`` and the CLI says so.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.datasets.labelling import make_demo_field
from starclass.inspect import db
from starclass.io.catalog import read_catalog

pytestmark = pytest.mark.usefixtures("cheap_argon2")  # many accounts: cheap hashes (conftest.py)


def _served_with_a_labeller(field, tmp_path, monkeypatch, user: str = "dana") -> tuple[str, CliRunner]:
    """A SQLite labelling database for FIELD with one account USER: its URL and a CLI runner."""
    from starclass.cli import app

    url = f"sqlite:///{tmp_path / 'l.sqlite'}"
    runner = CliRunner()
    monkeypatch.setenv("STARCLASS_INSPECT_PASSWORD", f"{user}-password")
    r = runner.invoke(app, ["inspect", str(field), "--db", url, "--init", "--add-user", user])
    assert r.exit_code == 0, r.output
    return url, runner


def test_export_keeps_the_catalogues_class_mean_and_class_ref(tmp_path, monkeypatch):
    """A classified catalogue served and exported: classify's class_mean (the class of the members' mean
    probability) keeps its name, the people's mean is class_human_mean (the LEGUS reader's name). Until
    2026-12-07 the export wrote the people's mean as class_mean and renamed classify's class_mean_catalogue."""
    from starclass.cli import app

    field = make_demo_field(tmp_path / "field", n=8, size=200, seed=3)
    cat_path = field / "candidates.ecsv"
    cat = Table.read(cat_path)
    cat["class_mean"] = (np.arange(len(cat)) % 4 + 1).astype(np.int16)[::-1]  # classify's, a class
    cat["class_ref"] = (np.arange(len(cat)) % 4 + 1).astype(np.int16)  # a truth class
    cat.write(cat_path, overwrite=True)
    own = {str(i): (int(m), int(r)) for i, m, r in zip(cat["id"], cat["class_mean"], cat["class_ref"])}
    url, runner = _served_with_a_labeller(field, tmp_path, monkeypatch)
    engine = db.make_engine(url)
    for cid in ("2", "5"):
        db.save_label(engine, "", cid, 1, 3)
    engine.dispose()
    out = tmp_path / "labels.ecsv"
    r = runner.invoke(app, ["inspect", str(field), "--db", url, "--export", str(out)])
    assert r.exit_code == 0, r.output
    assert "class_ref is kept as class_ref_catalogue" in r.output, r.output
    assert "class_mean is kept" not in r.output, r.output
    t = read_catalog(out)
    assert t["class_human_mean"].tolist() == [3.0, 3.0]  # the people's
    assert t["class_mean"].tolist() == [own[str(i)][0] for i in t["id"]]  # classify's, under its own name
    assert t["class_ref_catalogue"].tolist() == [own[str(i)][1] for i in t["id"]]
    assert "class_mean_catalogue" not in t.colnames
    assert t.meta["catalogue_columns_renamed"] == {"class_ref": "class_ref_catalogue"}
    # exported again from its own export with its meta lost (as a CSV loses it): known by its columns, its
    # label columns are replaced by the database's (they were kept as class_ref_catalogue_2, ...); the
    # catalogue's own copy keeps its name, once, and classify's class_mean is not taken for a label column
    t2 = Table.read(out)
    t2.meta.clear()
    t2.write(cat_path, overwrite=True)
    out2 = tmp_path / "again.ecsv"
    r = runner.invoke(app, ["inspect", str(field), "--db", url, "--export", str(out2)])
    assert r.exit_code == 0, r.output
    t3 = read_catalog(out2)
    assert "earlier 'inspect --export'" in r.output, r.output
    assert t3["class_ref_catalogue"].tolist() == t["class_ref_catalogue"].tolist()
    assert t3["class_mean"].tolist() == t["class_mean"].tolist()
    assert t3["class_human_mean"].tolist() == t["class_human_mean"].tolist()
    assert not [c for c in t3.colnames if c.endswith("_catalogue_2")]


@pytest.mark.parametrize("keeps_meta", [True, False])
def test_an_export_from_before_the_rename_served_again_loses_its_class_mean(tmp_path, monkeypatch, keeps_meta):
    """An export written before 2026-12-07 has the people's mean as class_mean: served again as the
    catalogue (the active-learning loop), that column is the labels as they were, replaced by today's
    class_human_mean, not kept as a class_mean that reads as classify's."""
    from starclass.cli import app

    field = make_demo_field(tmp_path / "field", n=8, size=200, seed=3)
    url, runner = _served_with_a_labeller(field, tmp_path, monkeypatch)
    engine = db.make_engine(url)
    db.save_label(engine, "", "2", 1, 3)
    engine.dispose()
    out = tmp_path / "round0.ecsv"
    r = runner.invoke(app, ["inspect", str(field), "--db", url, "--export", str(out), "--include-unlabelled"])
    assert r.exit_code == 0, r.output
    old = Table.read(out)  # as the export wrote it before the rename
    old.rename_column("class_human_mean", "class_mean")
    if keeps_meta:
        old.meta["labels_columns"] = ["class_mean" if c == "class_human_mean" else c
                                      for c in old.meta["labels_columns"]]
    else:
        old.meta.clear()
    old.write(field / "candidates.ecsv", overwrite=True)
    out1 = tmp_path / "round1.ecsv"
    r = runner.invoke(app, ["inspect", str(field), "--db", url, "--export", str(out1), "--include-unlabelled"])
    assert r.exit_code == 0, r.output
    t = read_catalog(out1)
    assert "class_mean" not in t.colnames and not [c for c in t.colnames if c.endswith("_catalogue")]
    assert dict(zip(t["id"].tolist(), t["class_human_mean"].tolist()))[2] == 3.0


def test_train_refuses_an_exports_human_mean_as_votes_naming_the_vote_columns():
    """--label-columns class_human_mean of an inspect --export: the people's mean, not one person's votes
    (the LEGUS message, 'the LEGUS catalogues hold no individual votes', would be wrong there)."""
    from starclass.errors import StarclassError
    from starclass.learn.config import get_preset
    from starclass.learn.labels import votes_for_catalogue

    t = Table({"id": [1, 2], "class_h1": [1, 3], "class_h2": [1, 4], "class_ref": [1, 4],
               "class_human_mean": [1.0, 3.5]}, meta={"label_scheme": "phangs"})
    with pytest.raises(StarclassError, match="is the mean of the people's classes") as exc:
        votes_for_catalogue(get_preset("legus4"), t, columns="class_h1,class_h2,class_human_mean", model="soft",
                            name="labels.ecsv")
    assert "LEGUS catalogues" not in str(exc.value) and "the vote columns are class_h1, class_h2" in str(exc.value)


def test_inspect_serves_and_exports_a_catalogue_of_ra_dec_only(tmp_path):
    """A candidates.ecsv of ra, dec (no x, y) was refused by inspect, though the mosaics have a WCS."""
    from astropy.io import fits
    from astropy.wcs import WCS

    from starclass.inspect.app import load_field
    from starclass.inspect.export import export_labels

    field = make_demo_field(tmp_path / "field", n=6, size=200, seed=4)
    cat = Table.read(field / "candidates.ecsv")
    w = WCS(fits.getheader(sorted(field.glob("*.fits"))[0])).celestial
    sky = w.pixel_to_world(np.asarray(cat["x"], float), np.asarray(cat["y"], float))
    Table({"id": cat["id"], "ra": sky.ra.deg, "dec": sky.dec.deg}).write(field / "candidates.ecsv", overwrite=True)
    loaded = load_field(field, cache_dir=tmp_path / "cache")
    np.testing.assert_allclose(np.asarray(loaded.table["x"]), np.asarray(cat["x"]), atol=1e-6)
    np.testing.assert_allclose(np.asarray(loaded.table["y"]), np.asarray(cat["y"]), atol=1e-6)
    engine = db.make_engine(f"sqlite:///{tmp_path / 'l.sqlite'}")
    db.init_db(engine)
    db.add_user(engine, "ann", "ann-password")
    db.save_label(engine, "", str(cat["id"][0]), 1, 2)
    out = export_labels(engine, "", loaded.table, tmp_path / "l.ecsv")
    assert out["class_ref"].tolist() == [2]
    engine.dispose()


def test_export_says_what_its_class_ref_is_after_the_catalogues_description(tmp_path):
    """A simulated truth catalogue served as candidates.ecsv keeps its meta comments ("class_ref =
    true class (1-4)"): the export carried them unchanged, though its class_ref is the people's."""
    from starclass.inspect.export import export_labels

    field = make_demo_field(tmp_path / "field", n=6, size=200, seed=3)
    cat = Table.read(field / "candidates.ecsv")
    cat["class_ref"] = (np.arange(len(cat)) % 4 + 1).astype(np.int16)
    cat.meta["comments"] = ["simulated truth catalogue", "class_ref = true class (1-4)"]
    engine = db.make_engine(f"sqlite:///{tmp_path / 'l.sqlite'}")
    db.init_db(engine)
    db.add_user(engine, "dana", "dana-password")
    db.save_label(engine, "", str(cat["id"][0]), 1, 3)
    export_labels(engine, "", cat, tmp_path / "labels.ecsv")
    engine.dispose()
    t = Table.read(tmp_path / "labels.ecsv")
    comments = t.meta["comments"]
    assert comments[:2] == ["simulated truth catalogue", "class_ref = true class (1-4)"]
    assert "class_ref their consensus" in comments[-1] and "class_ref is now class_ref_catalogue" in comments[-1]
    assert t["class_ref"][0] == 3 and t["class_ref_catalogue"][0] == cat["class_ref"][0]


def test_export_with_unlabelled_says_how_many_are_labelled(tmp_path, monkeypatch):
    """--include-unlabelled: 'wrote 8 labelled candidates' when two were labelled."""
    from starclass.cli import app

    field = make_demo_field(tmp_path / "field", n=8, size=200, seed=3)
    url, runner = _served_with_a_labeller(field, tmp_path, monkeypatch)
    engine = db.make_engine(url)
    for cid in ("2", "5"):
        db.save_label(engine, "", cid, 1, 3)
    engine.dispose()
    r = runner.invoke(app, ["inspect", str(field), "--db", url, "--export", str(tmp_path / "all.ecsv"),
                            "--include-unlabelled"])
    assert r.exit_code == 0, r.output
    assert "wrote 8 candidates (2 labelled, 6 without a label)" in r.output, r.output
    r = runner.invoke(app, ["inspect", str(field), "--db", url, "--export", str(tmp_path / "some.ecsv")])
    assert "wrote 2 labelled candidates" in r.output, r.output


def test_an_export_served_again_as_the_catalogue_exports_the_same_metadata(tmp_path, monkeypatch):
    """The active-learning loop: each round's export (--include-unlabelled) is the next round's
    catalogue. Each export appended its note to meta comments again and kept the previous
    round's labels as <name>_catalogue (then _2, ...): the file grew every round."""
    import shutil

    from starclass.cli import app

    field = make_demo_field(tmp_path / "field", n=8, size=200, seed=3)
    cat_path = field / "candidates.ecsv"
    cat = Table.read(cat_path)
    cat["class_ref"] = (np.arange(len(cat)) % 4 + 1).astype(np.int16)  # a truth class, the catalogue's own
    cat.write(cat_path, overwrite=True)
    url, runner = _served_with_a_labeller(field, tmp_path, monkeypatch)
    engine = db.make_engine(url)
    db.save_label(engine, "", "2", 1, 3)
    engine.dispose()
    outs = []
    for k in range(3):
        out = tmp_path / f"round{k}.ecsv"
        r = runner.invoke(app, ["inspect", str(field), "--db", url, "--export", str(out), "--include-unlabelled"])
        assert r.exit_code == 0, r.output
        outs.append(out)
        shutil.copy(out, cat_path)  # served as the next round's catalogue
    assert outs[1].read_text() == outs[0].read_text()
    assert outs[2].read_text() == outs[0].read_text()
    t = read_catalog(outs[2])
    assert sum(str(c).startswith("starclass inspect --export:") for c in t.meta["comments"]) == 1
    assert t["class_ref_catalogue"].tolist() == cat["class_ref"].tolist()  # the truth, kept once
    assert not [c for c in t.colnames if c.endswith("_catalogue_2") or c == "class_h1_catalogue"]
    # a new label in the next round replaces the earlier one's columns, not a copy beside them
    engine = db.make_engine(url)
    db.save_label(engine, "", "5", 1, 2)
    engine.dispose()
    out = tmp_path / "round3.ecsv"
    assert runner.invoke(app, ["inspect", str(field), "--db", url, "--export", str(out),
                               "--include-unlabelled"]).exit_code == 0
    t3 = read_catalog(out)
    assert t3.colnames == t.colnames and t3.meta["comments"] == t.meta["comments"]
    assert dict(zip(t3["id"].tolist(), t3["class_ref"].tolist()))[5] == 2


def test_export_of_a_database_nobody_labelled_says_what_to_do(tmp_path, monkeypatch):
    # docs/inspect.md's quick start, run in order, exports before anyone has labelled: the message
    # was "no labels to export for dataset ''" (the default dataset's empty key); it now counts the
    # candidates and names --include-unlabelled, exit 2 and nothing written
    from starclass.cli import app

    field = make_demo_field(tmp_path / "field", n=6, size=200, seed=4)
    url, runner = _served_with_a_labeller(field, tmp_path, monkeypatch, user="erin")
    out = tmp_path / "labels.ecsv"
    r = runner.invoke(app, ["inspect", str(field), "--db", url, "--export", str(out)])
    assert r.exit_code == 2 and not out.exists()
    assert "dataset ''" not in r.output
    assert "none of the 6 candidates has a label" in r.output and "--include-unlabelled" in r.output, r.output
    # the way out it names works: every candidate, unlabelled
    r = runner.invoke(app, ["inspect", str(field), "--db", url, "--export", str(out), "--include-unlabelled"])
    assert r.exit_code == 0 and len(read_catalog(out)) == 6, r.output


def test_info_of_an_export_bounds_no_disagreement_from_its_mean(tmp_path):
    """An export's class_human_mean beside its people's votes: info's 'human disagreement (votes bounded by class
    mode + mean ...)', made for LEGUS's three unseen votes, is not given (it said two people agree 66.7% where
    they agree on 2 of 5)."""
    from typer.testing import CliRunner

    from starclass.cli import app
    from starclass.inspect.export import export_labels

    field = make_demo_field(tmp_path / "field", n=8, size=200, seed=3)
    cat = Table.read(field / "candidates.ecsv")
    engine = db.make_engine(f"sqlite:///{tmp_path / 'l.sqlite'}")
    db.init_db(engine)
    ann, bob = db.add_user(engine, "ann", "ann-password-1"), db.add_user(engine, "bob", "bob-password-1")
    for i, (x, y) in enumerate([(1, 1), (1, 2), (3, 4), (4, 4), (2, 3)]):
        db.save_label(engine, "", str(cat["id"][i]), ann, x)
        db.save_label(engine, "", str(cat["id"][i]), bob, y)
    export_labels(engine, "", cat, tmp_path / "labels.ecsv")
    engine.dispose()
    r = CliRunner().invoke(app, ["info", str(tmp_path / "labels.ecsv")])
    assert r.exit_code == 0, r.output
    assert "human classifiers: 2" in r.output and "human disagreement" not in r.output, r.output
