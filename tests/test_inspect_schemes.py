"""Label schemes in ``starclass inspect``: values per task, summed scores of two inspectors, their
agreement (checked against scikit-learn and hand counts), and databases made before schemes."""

import json
import warnings
from pathlib import Path

import numpy as np
import pytest
import sqlalchemy as sa
from sklearn.metrics import cohen_kappa_score, confusion_matrix

with warnings.catch_warnings():  # the installed starlette warns about httpx at import
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient
from typer.testing import CliRunner

from starclass.datasets.labelling import make_demo_field
from starclass.errors import StarclassError
from starclass.inspect import db
from starclass.inspect.app import create_app, load_field
from starclass.inspect.export import export_labels
from starclass.inspect.schemes import SCHEMES, TASK_SCHEMES, get_scheme, scheme_for_task
from starclass.io.catalog import read_catalog

pytestmark = pytest.mark.usefixtures("cheap_argon2")  # many accounts: cheap hashes (conftest.py)

PASSWORDS = {"ann": "ann-password", "bob": "bob-password", "boss": "boss-password"}
PRESET_DIR = Path(__file__).resolve().parents[1] / "src" / "starclass" / "learn" / "presets"


@pytest.fixture(scope="module")
def field_dir(tmp_path_factory):
    return make_demo_field(tmp_path_factory.mktemp("field"), n=12, size=200, seed=3)


def _engine(tmp_path, name="labels.sqlite"):
    engine = db.make_engine(f"sqlite:///{tmp_path / name}")
    db.init_db(engine)
    for person, pw in PASSWORDS.items():
        db.add_user(engine, person, pw, admin=(person == "boss"))
    return engine


def _login(app, name):
    c = TestClient(app)
    c.get("/login")
    r = c.post("/api/login", json={"name": name, "password": PASSWORDS[name]},
               headers={"X-CSRF-Token": c.cookies.get("sc_csrf")})
    assert r.status_code == 200, r.text
    c.headers["X-CSRF-Token"] = r.json()["csrf"]
    return c


# ------------------------------------------------------------------------------------------
# the schemes themselves


def test_scheme_values_and_refusals():
    m31, phangs, gc = SCHEMES["m31-check"], SCHEMES["phangs"], SCHEMES["galaxy-cluster"]
    assert m31.allowed == (0, 1, 2) and m31.consensus == "sum" and m31.sum_range == (0, 4)
    assert m31.cluster_cut == 3  # the paper's final catalogue: summed scores 3 and 4
    assert phangs.allowed == (1, 2, 3, 4) and phangs.consensus == "mode" and phangs.subclass_of == 4
    assert gc.allowed == (1, 2, 3, 4, 5) and [v.name for v in gc.values] == [
        "low-z cluster", "high-z cluster", "nearby galaxy", "point source", "other"]
    for scheme, bad in ((m31, 3), (m31, -1), (phangs, 0), (phangs, 5), (gc, 0), (gc, 6),
                        (m31, True), (m31, 1.0), (m31, "1")):
        with pytest.raises(StarclassError, match="cls"):
            scheme.check(bad)
    assert m31.check(0) == 0 and phangs.check(4) == 4 and gc.check(5) == 5
    # the database refuses the same values, and subclasses where the scheme has none
    with pytest.raises(StarclassError, match="m31-check"):
        db.check_label(3, None, "m31-check")
    with pytest.raises(StarclassError, match="no subclasses"):
        db.check_label(2, "4.1", "m31-check")
    with pytest.raises(StarclassError, match="cluster cut 5"):
        m31.check_cut(5)
    with pytest.raises(StarclassError, match="every candidate"):
        m31.check_cut(0)
    with pytest.raises(StarclassError, match="score schemes"):
        phangs.check_cut(3)
    with pytest.raises(StarclassError, match="unknown label scheme"):
        get_scheme("stars")


def test_task_presets_choose_their_scheme():
    presets = sorted(p.stem for p in PRESET_DIR.glob("*.yaml"))
    for family in TASK_SCHEMES:  # every family names real presets: the map does not rot
        assert any(p == family or p.startswith(family + "-") for p in presets), family
    assert scheme_for_task("legus4").name == "phangs"
    assert scheme_for_task("phangs4-compact").name == "phangs"
    assert scheme_for_task("m31-binary").name == "m31-check"
    assert scheme_for_task("m31-real").name == "m31-check"
    assert scheme_for_task("galaxy-cluster-compact").name == "galaxy-cluster"
    with pytest.raises(StarclassError, match="--scheme"):
        scheme_for_task("cool-core")


# ------------------------------------------------------------------------------------------
# through the web API


def test_api_validates_values_against_the_scheme(field_dir, tmp_path):
    field = load_field(field_dir, cache_dir=tmp_path / "cache")
    m31_app = create_app(field, _engine(tmp_path, "m31.sqlite"), scheme="m31-check")
    ann = _login(m31_app, "ann")
    r = ann.post("/api/label", json={"candidate_id": "1", "cls": 3})
    assert r.status_code == 422 and r.json()["detail"].startswith("cls:") and "m31-check" in r.json()["detail"]
    assert ann.post("/api/label", json={"candidate_id": "1", "cls": 0}).json()["cls"] == 0
    assert ann.get("/api/candidate/1").json()["label"]["cls"] == 0
    assert ann.get("/api/scheme").json()["values"][2] == {"value": 2, "key": "2", "name": "confirmed cluster"}
    html = ann.get("/").text
    assert html.count('class="cls ') == 3 and 'data-key="0"' in html and 'data-key="4"' not in html
    assert 'class="sub"' not in html and "possible cluster" in html

    ph_app = create_app(field, _engine(tmp_path, "ph.sqlite"))  # no scheme: phangs
    bob = _login(ph_app, "bob")
    r = bob.post("/api/label", json={"candidate_id": "1", "cls": 0})
    assert r.status_code == 422 and r.json()["detail"].startswith("cls:")
    assert bob.post("/api/label", json={"candidate_id": "1", "cls": 4, "subclass": "4.10"}).status_code == 200
    assert bob.get("/").text.count('class="sub"') == 12

    gc_app = create_app(field, _engine(tmp_path, "gc.sqlite"), scheme="galaxy-cluster")
    cat = _login(gc_app, "ann")
    assert cat.post("/api/label", json={"candidate_id": "2", "cls": 5}).status_code == 200
    assert cat.post("/api/label", json={"candidate_id": "2", "cls": 6}).status_code == 422
    assert cat.post("/api/label", json={"candidate_id": "2", "cls": 3, "subclass": "4.1"}).status_code == 422
    assert cat.get("/").text.count('class="cls ') == 5


def test_two_inspectors_score_the_same_candidates(field_dir, tmp_path):
    field = load_field(field_dir, cache_dir=tmp_path / "cache")
    engine = _engine(tmp_path)
    app = create_app(field, engine, scheme="m31-check")
    clients = {"ann": _login(app, "ann"), "bob": _login(app, "bob")}
    rng = np.random.default_rng(15)
    posted: dict[str, dict[str, int]] = {"ann": {}, "bob": {}}
    for cid in field.ids:
        for name, client in clients.items():
            if name == "bob" and cid == field.ids[-1]:
                continue  # one candidate scored by ann only: not complete
            score = int(rng.integers(0, 3))
            assert client.post("/api/label", json={"candidate_id": cid, "cls": score}).status_code == 200
            posted[name][cid] = score
    # ann changes her mind once: the export uses the latest score, the history keeps both
    first = field.ids[0]
    new = (posted["ann"][first] + 1) % 3
    assert clients["ann"].post("/api/label", json={"candidate_id": first, "cls": new}).status_code == 200
    posted["ann"][first] = new
    assert [h["cls"] for h in db.history_of(engine, "", first) if h["user"] == "ann"][-1] == new

    out = tmp_path / "scores.ecsv"
    export_labels(engine, "", field.table, out, summary_path=tmp_path / "summary.json")
    t = read_catalog(out)
    assert t.meta["people"] == {"score_h1": "ann", "score_h2": "bob"}
    assert t.meta["label_scheme"] == "m31-check" and t.meta["cluster_cut"] == 3
    ids = [str(v) for v in t["id"]]
    assert ids == field.ids  # everyone scored by someone, catalogue order
    for k, cid in enumerate(ids):
        a, b = posted["ann"][cid], posted["bob"].get(cid)
        assert t["score_h1"][k] == a and t["score_h2"][k] == (-1 if b is None else b)
        if b is None:
            assert not t["complete"][k] and t["class_ref"][k] == 0 and t["score_sum"][k] == a
        else:
            assert t["complete"][k] and t["score_sum"][k] == a + b
            assert t["class_ref"][k] == (1 if a + b >= 3 else 2)

    both = [cid for cid in field.ids if cid in posted["bob"]]
    a = np.array([posted["ann"][c] for c in both])
    b = np.array([posted["bob"][c] for c in both])
    pair = t.meta["agreement"]["inspectors"][0]
    assert (pair["person_a"], pair["person_b"], pair["n"]) == ("ann", "bob", len(both))
    assert pair["agree_frac"] == pytest.approx(np.mean(a == b))
    assert pair["kappa"] == pytest.approx(cohen_kappa_score(a, b, labels=[0, 1, 2]))
    assert pair["kappa_linear"] == pytest.approx(cohen_kappa_score(a, b, labels=[0, 1, 2], weights="linear"))
    assert pair["kappa_quadratic"] == pytest.approx(
        cohen_kappa_score(a, b, labels=[0, 1, 2], weights="quadratic"))
    assert pair["cross_table"] == confusion_matrix(a, b, labels=[0, 1, 2]).tolist()
    summary = json.loads((tmp_path / "summary.json").read_text())
    sums = a + b
    assert summary["sum_counts"] == {str(v): int((sums == v).sum()) for v in range(5)}
    assert summary["n_clusters"] == int((sums >= 3).sum()) and summary["n_incomplete"] == 1
    # the cut is a setting
    t4 = export_labels(engine, "", field.table, tmp_path / "cut4.ecsv", cluster_cut=4)
    assert int((t4["class_ref"] == 1).sum()) == int((sums == 4).sum())
    # the admins' summary route reads the same numbers
    j = _login(app, "boss").get("/api/consensus").json()
    assert j["inspectors"][0]["kappa"] == pytest.approx(pair["kappa"], abs=1e-5)  # JSON: 5 decimals


def test_class_scheme_mode_and_kappa(field_dir, tmp_path):
    field = load_field(field_dir, cache_dir=tmp_path / "cache")
    engine = _engine(tmp_path)
    users = {u["name"]: u["id"] for u in db.list_users(engine)}
    votes = {"1": (1, 1), "2": (5, 5), "3": (2, 4), "4": (3, 5), "5": (1, 2), "6": (4, 4)}
    for cid, (x, y) in votes.items():
        db.save_label(engine, "", cid, users["ann"], x, scheme="galaxy-cluster")
        db.save_label(engine, "", cid, users["bob"], y)  # the dataset's scheme is recorded now
    t = export_labels(engine, "", field.table, tmp_path / "gc.ecsv")
    assert t.meta["label_scheme"] == "galaxy-cluster" and "subclass" not in t.colnames
    # mode by hand; a tie takes the highest (least cluster-like) tied class
    assert t["class_ref"].tolist() == [1, 5, 4, 5, 2, 4]
    assert t["tie"].tolist() == [False, False, True, True, True, False]
    a = [v[0] for v in votes.values()]
    b = [v[1] for v in votes.values()]
    pair = t.meta["agreement"]["inspectors"][0]
    assert pair["kappa"] == pytest.approx(cohen_kappa_score(a, b, labels=[1, 2, 3, 4, 5]))
    assert "kappa_linear" not in pair  # nominal classes: no weighted kappa
    # clusters (1, 2) against the rest, by hand: pairs 1, 2, 4, 5, 6 agree -> 5 of 6
    assert t.meta["agreement"]["pairwise_binary"] == pytest.approx(5 / 6)
    with pytest.raises(StarclassError, match="galaxy-cluster"):
        db.save_label(engine, "", "7", users["ann"], 2, scheme="phangs")


# ------------------------------------------------------------------------------------------
# databases made before schemes, and the CLI


def _database_of_today(path: Path) -> sa.Engine:
    """A database as the code before label schemes made it: schema version 2, no label_schemes.

    That code created every table of the version-2 schema but ``label_schemes`` and wrote labels
    of classes 1-4; its tables are the current ones minus the new one (an additive change).
    """
    engine = db.make_engine(f"sqlite:///{path}")
    with engine.begin() as conn:
        db.metadata.create_all(conn, tables=[t for t in db.metadata.sorted_tables if t.name != "label_schemes"])
        conn.execute(db.schema_version.insert().values(version=2, applied_at=db.utcnow()))
    for person, pw in PASSWORDS.items():
        db.add_user(engine, person, pw)
    for cid, (x, y) in {"1": (1, 2), "2": (4, 4), "3": (3, 3)}.items():
        db.save_label(engine, "", cid, 1, x, "4.2" if x == 4 else None)
        db.save_label(engine, "", cid, 2, y)
    assert "label_schemes" not in sa.inspect(engine).get_table_names()
    return engine


def test_old_database_still_opens_and_keeps_its_meaning(field_dir, tmp_path):
    path = tmp_path / "old.sqlite"
    _database_of_today(path).dispose()
    engine = db.make_engine(f"sqlite:///{path}", create=False)
    assert db.init_db(engine, create=False) == db.SCHEMA_VERSION
    assert db.dataset_scheme(engine, "") == "phangs"  # labels before schemes are PHANGS classes
    assert "label_schemes" not in sa.inspect(engine).get_table_names()  # reading wrote nothing
    t = export_labels(engine, "", load_field(field_dir, cache_dir=tmp_path / "c").table,
                      tmp_path / "old.ecsv")
    assert t["class_ref"].tolist() == [2, 4, 3] and t["subclass"].tolist()[1] == "4.2"
    field = load_field(field_dir, cache_dir=tmp_path / "cache")
    app = create_app(field, engine)
    c = _login(app, "ann")
    assert c.get("/api/candidate/2").json()["label"]["subclass"] == "4.2"
    assert c.post("/api/label", json={"candidate_id": "4", "cls": 1}).status_code == 200
    # its labels cannot be reread as M31 scores; a new dataset key can hold them
    with pytest.raises(StarclassError, match="phangs"):
        create_app(field, engine, scheme="m31-check")
    other = load_field(field_dir, cache_dir=tmp_path / "cache", dataset="m31")
    m31 = _login(create_app(other, engine, scheme="m31-check"), "bob")
    assert m31.post("/api/label", json={"candidate_id": "1", "cls": 0}).status_code == 200
    assert db.dataset_scheme(engine, "m31") == "m31-check" and db.dataset_scheme(engine, "") == "phangs"
    assert len(db.labels_of(engine, "")) == 7
    engine.dispose()


def test_cli_scheme_and_export(field_dir, tmp_path):
    from starclass.cli import app as cli

    url = f"sqlite:///{tmp_path / 'cli.sqlite'}"
    engine = _engine(tmp_path, "cli.sqlite")
    scores = {"1": (2, 2), "2": (0, 1), "3": (1, 2), "4": (2, 1), "5": (0, 0)}
    for cid, (x, y) in scores.items():
        db.save_label(engine, "", cid, 1, x, scheme="m31-check")
        db.save_label(engine, "", cid, 2, y)
    runner = CliRunner()
    base = ["inspect", str(field_dir), "--db", url]
    out = tmp_path / "out.ecsv"
    r = runner.invoke(cli, [*base, "--task", "m31-binary", "--export", str(out)])
    assert r.exit_code == 0, r.output
    # sums 4, 1, 3, 3, 0 -> clusters (>= 3): three
    assert "clusters (score_sum >= 3): 3" in r.output and "ann vs bob: 5 candidates" in r.output
    a, b = zip(*scores.values())
    assert f"Cohen's kappa {cohen_kappa_score(a, b, labels=[0, 1, 2]):.3f}" in r.output
    assert read_catalog(out)["score_sum"].tolist() == [4, 1, 3, 3, 0]
    # each run of sums with the class_ref it gives, named as evaluate names classes ("0: 1, 1: 1, ..." before)
    assert ("summed scores: 0: 1, 1: 1, 2: 0 -> class_ref 2 (not a cluster); 3: 2, 4: 1 -> class_ref 1 (cluster)"
            in r.output), r.output
    r = runner.invoke(cli, [*base, "--export", str(tmp_path / "c4.ecsv"), "--cluster-cut", "4"])
    assert r.exit_code == 0 and "clusters (score_sum >= 4): 1" in r.output
    assert "3: 2 -> class_ref 2 (not a cluster); 4: 1 -> class_ref 1 (cluster)" in r.output, r.output
    for bad, words in [(["--scheme", "phangs"], "m31-check"), (["--cluster-cut", "5"], "cluster cut 5"),
                       (["--scheme", "stars"], "unknown label scheme"), (["--task", "cool-core"], "--scheme"),
                       (["--task", "m31-binary", "--scheme", "phangs"], "differs")]:
        r = runner.invoke(cli, [*base, *bad, "--export", str(tmp_path / "x.ecsv")])
        assert r.exit_code == 2 and words in r.output, (bad, r.output)
    engine.dispose()
