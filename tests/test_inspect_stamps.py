"""``starclass inspect --stamps``: the classification page on cutout folders, its export, and the
active-learning loop on cutouts (suggest -> inspect -> export -> train --resume-from)."""

import io
import warnings
from pathlib import Path

import numpy as np
import pytest
from astropy.table import Table
from PIL import Image

with warnings.catch_warnings():  # the installed starlette warns about httpx at import
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient
from typer.testing import CliRunner

from starclass.cli import app as cli
from starclass.errors import StarclassError
from starclass.inspect import db
from starclass.inspect.app import create_app
from starclass.inspect.cutouts import load_cutout_field, read_cutout_list, stamps_scheme, task_scheme
from starclass.io.cutout_folders import label_classes, read_cutout_folder
from starclass.learn.config import get_preset, save_config

pytestmark = pytest.mark.usefixtures("cheap_argon2")  # many accounts: cheap hashes (conftest.py)

runner = CliRunner()
PASSWORDS = {"ann": "ann-password", "bob": "bob-password", "cat": "cat-password"}


def make_folder(root: Path, n: int = 4, size: int = 16, seed: int = 0) -> Path:
    """A labelled folder of 8-bit PNGs: compact blobs (cluster) and wide ones (galaxy), two per object."""
    rng = np.random.default_rng(seed)
    rows = ["file,label,object_id"]
    yy, xx = np.mgrid[:size, :size]
    c = (size - 1) / 2
    for lab, width in (("cluster", 1.5), ("galaxy", 4.0)):
        (root / lab).mkdir(parents=True, exist_ok=True)
        for i in range(n):
            a = 40 + 180 * np.exp(-0.5 * ((xx - c) ** 2 + (yy - c) ** 2) / width ** 2) + rng.normal(0, 4, xx.shape)
            Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).save(root / lab / f"o{i}.png")
            rows.append(f"{lab}/o{i}.png,{lab},{lab}{i // 2}")
    (root / "labels.csv").write_text("\n".join(rows) + "\n")
    return root / "labels.csv"


def login(app, name):
    c = TestClient(app)
    c.get("/login")
    r = c.post("/api/login", json={"name": name, "password": PASSWORDS[name]},
               headers={"X-CSRF-Token": c.cookies.get("sc_csrf")})
    assert r.status_code == 200, r.text
    c.headers["X-CSRF-Token"] = r.json()["csrf"]
    return c


@pytest.fixture()
def served(tmp_path):
    labels = make_folder(tmp_path / "data")
    cfg = get_preset("m31-real")
    engine = db.make_engine(f"sqlite:///{tmp_path / 'labels.sqlite'}")
    db.init_db(engine)
    for name, pw in PASSWORDS.items():
        db.add_user(engine, name, pw)
    field = load_cutout_field(labels, cfg, cache_dir=tmp_path / "cache")
    app = create_app(field, engine, scheme=stamps_scheme(cfg))
    yield labels, cfg, engine, app
    engine.dispose()


def test_a_cutout_row_is_served_as_its_own_picture(served):
    labels, _, _, app = served
    # one asymmetric cutout: its top-left corner bright, to see the picture is not turned over
    a = np.full((16, 16), 30, np.uint8)
    a[:3, :3] = 250
    Image.fromarray(a).save(labels.parent / "galaxy" / "o3.png")
    field = load_cutout_field(labels, get_preset("m31-real"), cache_dir=labels.parent.parent / "cache2")
    app = create_app(field, app.state.engine, scheme=app.state.scheme)
    c = login(app, "ann")
    q = c.get("/api/queue").json()
    assert q["ids"][:2] == ["cluster/o0.png", "cluster/o1.png"] and len(q["ids"]) == 8  # one candidate per row
    r = c.get("/api/candidate/galaxy%2Fo3.png")
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["values"] == {"file": "galaxy/o3.png", "object_id": "galaxy1"}  # no label shown: bias
    stamp = np.array(body["stamp"]["values"], dtype=float)  # rows bottom to top, as the page draws them
    assert stamp.shape == (16, 16) and stamp[-1, 0] > 0.9 and stamp[0, 0] < 0.2
    png = Image.open(io.BytesIO(c.get(body["images"]["composite"]).content))
    assert png.size == (16 * 15, 16 * 15)  # zoomed to about the page's 246 px
    pix = np.asarray(png.convert("L"))
    # an 8-bit PNG is shown as stored: the bright corner is at the top left, grey 250 and 30
    assert abs(int(pix[5, 5]) - 250) <= 1 and abs(int(pix[-5, -5]) - 30) <= 1
    for kind in ("profile", "context"):
        r = c.get(body["images"][kind])
        assert r.status_code == 200 and r.content[:4] == b"\x89PNG"
    fit = c.get("/api/fit/galaxy%2Fo3.png").json()["fit"]
    assert fit["source"] == "fit"  # the page's profile fit, from the cutout's centre
    page = c.get("/").text
    assert "the whole cutout" in page and "neighbours in magenta" not in page
    assert 'data-cutouts="1"' in page  # the page leaves out the x, y row (only the cutout's centre)
    assert 'data-key="1"> 1</kbd>' not in page and "cluster" in page and "galaxy (non-cluster)" in page


def test_labels_through_the_api_in_the_tasks_classes(served):
    _, _, engine, app = served
    c = login(app, "ann")
    assert [v["name"] for v in c.get("/api/scheme").json()["values"]] == ["cluster", "galaxy (non-cluster)"]
    r = c.post("/api/label", json={"candidate_id": "cluster/o0.png", "cls": 1})
    assert r.status_code == 200, r.text
    r = c.post("/api/label", json={"candidate_id": "cluster/o0.png", "cls": 3})
    assert r.status_code == 422 and "task:m31-real" in r.text
    assert [(lab.candidate_id, lab.cls) for lab in db.labels_of(engine, "")] == [("cluster/o0.png", 1)]
    assert db.dataset_scheme(engine, "") == "task:m31-real"


def test_export_is_a_cutout_csv_train_reads(served, tmp_path):
    labels, cfg, engine, app = served
    for who, votes in (("ann", {"cluster/o0.png": 1, "galaxy/o1.png": 2, "galaxy/o2.png": 1}),
                       ("bob", {"cluster/o0.png": 1, "galaxy/o1.png": 2, "galaxy/o2.png": 2}),
                       ("cat", {"galaxy/o2.png": 2})):
        c = login(app, who)
        for cid, k in votes.items():
            assert c.post("/api/label", json={"candidate_id": cid, "cls": k}).status_code == 200
    out = tmp_path / "elsewhere" / "round1.csv"
    out.parent.mkdir()
    res = runner.invoke(cli, ["inspect", "--stamps", str(labels), "--task", "m31-real", "--db",
                              f"sqlite:///{tmp_path / 'labels.sqlite'}", "--export", str(out)])
    assert res.exit_code == 0, res.output
    assert "--resume-from" in res.output
    cs = read_cutout_folder(out, group_column="object_id")  # as train --stamps reads it
    assert cs.files == ["../data/cluster/o0.png", "../data/galaxy/o1.png", "../data/galaxy/o2.png"]
    assert cs.labels.tolist() == ["cluster", "galaxy", "galaxy"]  # the mode, as the task's label strings
    assert label_classes(cs, cfg.label_map).tolist() == [1, 2, 2]
    assert cs.groups.tolist() == ["cluster0", "galaxy0", "galaxy1"]
    t = Table.read(out, format="ascii.csv")
    assert t.colnames[:3] == ["id", "file", "label"]
    assert t["label_catalogue"].tolist() == ["cluster", "galaxy", "galaxy"]  # the list's own labels, kept aside
    assert t["class_h1"].tolist() == [1, 2, 1] and t["class_h3"].tolist() == [0, 0, 2]
    assert np.allclose(t["agree_frac"], [1.0, 1.0, 2 / 3])
    assert "cutout_root" not in t.colnames



def test_info_reads_an_export_as_the_cutout_list_train_reads(served, tmp_path):
    """``info`` of a cutout export (an ``id`` beside ``file``: the candidate's id is its file as listed) read it as a
    catalogue of candidates: "bands: none", class_ref counted by number, no image read, nothing of the labels
    train takes (found by s64audit on a PAndAS round). It is read as the cutout list it is, with its labels,
    the people's votes and the ties to adjudicate."""
    labels, cfg, engine, app = served
    for who, votes in (("ann", {"cluster/o0.png": 1, "galaxy/o1.png": 2, "galaxy/o2.png": 1}),
                       ("bob", {"cluster/o0.png": 1, "galaxy/o1.png": 2, "galaxy/o2.png": 2})):
        c = login(app, who)
        for cid, k in votes.items():
            assert c.post("/api/label", json={"candidate_id": cid, "cls": k}).status_code == 200
    out = tmp_path / "round1.csv"
    res = runner.invoke(cli, ["inspect", "--stamps", str(labels), "--task", "m31-real", "--db",
                              f"sqlite:///{tmp_path / 'labels.sqlite'}", "--export", str(out)])
    assert res.exit_code == 0, res.output
    t = Table.read(out, format="ascii.csv")
    assert "id" in t.colnames and "file" in t.colnames
    res = runner.invoke(cli, ["info", str(out)])
    assert res.exit_code == 0, res.output
    assert res.output.startswith(f"cutout folder: {out} (a CSV of cutouts)"), res.output
    assert "cutouts: 3, images 1 x 16 x 16" in res.output
    # the mode; the tie (ann 1, bob 2 on galaxy/o2.png) takes the scheme's tie rule, the higher class
    assert "labels: cluster 1, galaxy 2" in res.output
    assert "bands: none" not in res.output
    assert ("people's votes (inspect --export): 2 people (class_h1 3, class_h2 3 cutouts labelled); 1 tie of the "
            "people (column tie, rows labelled by the scheme's tie rule)") in res.output, res.output
    # a catalogue with positions and an id keeps being read as one, a file column beside them or not
    Table({"id": [1, 2], "x": [1.0, 2.0], "y": [1.0, 2.0], "file": ["cluster/o0.png", "galaxy/o1.png"]}).write(
        labels.parent / "cat.csv")
    res = runner.invoke(cli, ["info", str(labels.parent / "cat.csv")])
    assert res.exit_code == 0 and res.output.startswith("catalogue:"), res.output

def test_export_keeps_absolute_paths_of_the_list_absolute(tmp_path):
    """A list naming its cutouts by absolute paths gets them back absolute in the export.

    They were made relative to the export's folder, a climb such as ../../../../work/data/... that
    breaks as soon as the export or the data moves; a relative path of the list stays relative."""
    rel = make_folder(tmp_path / "data")
    rows = rel.read_text().splitlines()
    # the first half absolute, the rest as written: each keeps its own form
    lines = [rows[0]] + [(f"{(rel.parent / r.split(',')[0]).as_posix()},{r.split(',', 1)[1]}" if i < 4 else r)
                         for i, r in enumerate(rows[1:])]
    listed = tmp_path / "data" / "mixed.csv"
    listed.write_text("\n".join(lines) + "\n")
    url = f"sqlite:///{tmp_path / 'labels.sqlite'}"
    engine = db.make_engine(url)
    db.init_db(engine)
    db.add_user(engine, "ann", PASSWORDS["ann"])
    cfg = get_preset("m31-real")
    app = create_app(load_cutout_field(listed, cfg, cache_dir=tmp_path / "cache"), engine, scheme=stamps_scheme(cfg))
    c = login(app, "ann")
    ids = c.get("/api/queue").json()["ids"]
    for cid in ids:
        assert c.post("/api/label", json={"candidate_id": cid, "cls": 1 if "cluster" in cid else 2}).status_code == 200
    engine.dispose()
    out = tmp_path / "elsewhere" / "round1.csv"
    out.parent.mkdir()
    res = runner.invoke(cli, ["inspect", "--stamps", str(listed), "--task", "m31-real", "--db", url,
                              "--export", str(out)])
    assert res.exit_code == 0, res.output
    files = Table.read(out, format="ascii.csv")["file"].tolist()
    want_abs = [(rel.parent / f"cluster/o{i}.png").as_posix() for i in range(4)]
    assert files[:4] == want_abs
    assert files[4:] == [f"../data/galaxy/o{i}.png" for i in range(4)]
    # the line said "file is relative to <out's folder>" of absolute paths too (2026-12-05)
    assert f"file is absolute for 4 rows and relative to {out.parent.resolve()} for 4" in res.output, res.output
    cs = read_cutout_folder(out, group_column="object_id")  # and train --stamps reads both forms
    assert cs.labels.tolist() == ["cluster"] * 4 + ["galaxy"] * 4

def test_export_keeps_absolute_paths_through_a_link_as_given(tmp_path):
    """An absolute path through a symbolic link is exported as the list wrote it, as its ``id`` is.

    ``inspect --stamps`` of a list naming ``/work/wt/shared/data/...`` (a link to /work/shared) exported
    ``file`` resolved, ``/work/shared/data/...``, beside an ``id`` of ``/work/wt/shared/data/...``: the
    export was pinned to where the link pointed then, and its two columns named the file differently."""
    rel = make_folder(tmp_path / "real" / "data")
    (tmp_path / "link").symlink_to(tmp_path / "real")
    via = tmp_path / "link" / "data"
    rows = rel.read_text().splitlines()
    listed = tmp_path / "real" / "data" / "absolute.csv"
    listed.write_text("\n".join([rows[0], *(f"{(via / r.split(',')[0]).as_posix()},{r.split(',', 1)[1]}"
                                             for r in rows[1:])]) + "\n")
    url = f"sqlite:///{tmp_path / 'labels.sqlite'}"
    engine = db.make_engine(url)
    db.init_db(engine)
    db.add_user(engine, "ann", PASSWORDS["ann"])
    cfg = get_preset("m31-real")
    app = create_app(load_cutout_field(listed, cfg, cache_dir=tmp_path / "cache"), engine, scheme=stamps_scheme(cfg))
    c = login(app, "ann")
    for cid in c.get("/api/queue").json()["ids"]:
        assert c.post("/api/label", json={"candidate_id": cid, "cls": 1 if "cluster" in cid else 2}).status_code == 200
    engine.dispose()
    out = tmp_path / "elsewhere" / "round1.csv"
    out.parent.mkdir()
    res = runner.invoke(cli, ["inspect", "--stamps", str(listed), "--task", "m31-real", "--db", url,
                              "--export", str(out)])
    assert res.exit_code == 0, res.output
    t = Table.read(out, format="ascii.csv")
    assert sorted(t["file"].tolist()) == sorted((via / f"{lab}/o{i}.png").as_posix()
                                                 for lab in ("cluster", "galaxy") for i in range(4))
    assert t["file"].tolist() == t["id"].tolist()
    cs = read_cutout_folder(out, group_column="object_id")  # train --stamps reads it as before
    assert sorted(cs.labels.tolist()) == ["cluster"] * 4 + ["galaxy"] * 4


def _train(args):
    res = runner.invoke(cli, ["train", *args, "--no-progress"])
    assert res.exit_code == 0, res.output
    return res


def _untrained_model(d: Path, task: Path) -> Path:
    """A model of ``task`` with random weights: suggest needs one, not its skill."""
    from starclass.learn.checkpoint import write_untrained_model

    return write_untrained_model(d, task)


def _classified_elsewhere(labels: Path, model: Path, path: Path) -> None:
    """What ``classify --stamps LABELS --model MODEL -o PATH`` writes to an ECSV in another folder: the
    cutouts' folder (cutout_root) in the meta only."""
    t = Table.read(labels, format="ascii.csv")
    p1 = np.linspace(0.05, 0.95, len(t))
    t["class_pred"] = np.where(p1 >= 0.5, 1, 2)
    t["prob_1"], t["prob_2"] = p1, 1 - p1
    t.meta.update({"model": str(model.resolve()), "cutout_root": str(labels.parent.resolve())})
    path.parent.mkdir(parents=True, exist_ok=True)
    t.write(path, format="ascii.ecsv")


def test_suggestions_written_as_csv_elsewhere_keep_their_cutouts_folder(tmp_path):
    """A classification kept as ECSV records the cutouts' folder in its meta only; suggest writing its
    list as a CSV in another folder dropped it, and the suggested files resolved from nowhere."""
    labels = make_folder(tmp_path / "data")
    task = save_config(get_preset("m31-real", stamp_size=16), tmp_path / "tiny.yaml")
    model = _untrained_model(tmp_path / "m0", task)
    _classified_elsewhere(labels, model, tmp_path / "r1" / "classified.ecsv")
    (tmp_path / "r2").mkdir()
    res = runner.invoke(cli, ["suggest", str(model), str(tmp_path / "r1" / "classified.ecsv"), "-n", "3",
                              "-o", str(tmp_path / "r2" / "suggest.csv")])
    assert res.exit_code == 0, res.output
    t = Table.read(tmp_path / "r2" / "suggest.csv", format="ascii.csv")
    # relative to the list since 2026-12-06 (a list moved with its cutouts is still served)
    assert set(t["cutout_root"]) == {"../data"}
    assert (tmp_path / "r2" / t["cutout_root"][0]).resolve() == labels.parent.resolve()
    lst = read_cutout_list(tmp_path / "r2" / "suggest.csv", get_preset("m31-real"))
    assert all(p.is_file() for ps in lst.paths for p in ps)
    assert "inspect --stamps" in res.output  # the next step names the page


def test_suggest_on_cutouts_notes_magnitudes_only_where_a_column_could_be_one(tmp_path):
    # every suggestion list of a cutout folder (docs/real_images.md's loop: 60 PAndAS cutouts) said
    # "no mag_<band> column: suggestions are not spread over magnitude (--mag-column names one;
    # --mag-bins 1 says not to spread)": cutouts have no photometry, so it asked for a flag to be quiet
    labels = make_folder(tmp_path / "data")
    task = save_config(get_preset("m31-real", stamp_size=16), tmp_path / "tiny.yaml")
    model = _untrained_model(tmp_path / "m0", task)
    _classified_elsewhere(labels, model, tmp_path / "r1" / "classified.ecsv")
    res = runner.invoke(cli, ["suggest", str(model), str(tmp_path / "r1" / "classified.ecsv"), "-n", "3",
                              "-o", str(tmp_path / "s.csv")])
    assert res.exit_code == 0, res.output
    # the folder's 8 cutouts are 4 objects of two each: one cutout per object may be suggested (since 2026-12-06)
    assert "spread over magnitude" not in res.output and ("suggested 3 of the 4 cutouts that can be ranked (of 8: "
                                                          "4 other cutouts of an object (object_id) ranked on its "
                                                          "best one)") in res.output, res.output
    # a folder whose table has a magnitude of its own is still told which column to name
    t = Table.read(tmp_path / "r1" / "classified.ecsv")
    t["g_mag"] = np.arange(len(t), dtype=float)
    t.write(tmp_path / "r1" / "with_mag.ecsv")
    res = runner.invoke(cli, ["suggest", str(model), str(tmp_path / "r1" / "with_mag.ecsv"), "-n", "3",
                              "-o", str(tmp_path / "s2.csv")])
    assert res.exit_code == 0, res.output
    assert "name one with --mag-column, e.g. g_mag" in res.output, res.output


def test_suggest_on_cutouts_says_a_typed_mag_bins_is_not_used(tmp_path):
    # the note left out for cutouts (above) also left a --mag-bins 3 typed for a cutout folder without
    # a word: the list came out unspread as if the option had been taken (PAndAS pool, 2026-12-06)
    labels = make_folder(tmp_path / "data")
    task = save_config(get_preset("m31-real", stamp_size=16), tmp_path / "tiny.yaml")
    model = _untrained_model(tmp_path / "m0", task)
    _classified_elsewhere(labels, model, tmp_path / "r1" / "classified.ecsv")
    res = runner.invoke(cli, ["suggest", str(model), str(tmp_path / "r1" / "classified.ecsv"), "-n", "3",
                              "--mag-bins", "3", "-o", str(tmp_path / "s.csv")])
    said = " ".join(res.output.split())
    assert res.exit_code == 0, res.output
    assert "--mag-bins 3: " in said and "the suggestions are not spread over magnitude" in said, said
    assert "spread over 3 bins" not in said


@pytest.mark.slow
def test_suggest_inspect_export_train_resume_chain(tmp_path, monkeypatch):
    # 12 cutouts of 6 objects: -n 6 takes one cutout of each object (since 2026-12-06; 8 cutouts of 4 objects before)
    labels = make_folder(tmp_path / "data", n=6)
    task = save_config(get_preset("m31-real", stamp_size=16, recipe={"epochs": 1, "batch_size": 8,
                                                                       "val_fraction": 0.25}),
                       tmp_path / "tiny.yaml")
    model = _untrained_model(tmp_path / "m0", task)
    work = tmp_path / "round1"  # the classification and the suggestions live away from the cutouts
    res = runner.invoke(cli, ["classify", "--stamps", str(labels), "--model", str(model),
                              "-o", str(work / "classified.ecsv"), "--no-progress"]) if work.mkdir() is None else None
    assert res.exit_code == 0, res.output
    res = runner.invoke(cli, ["suggest", str(model), str(work / "classified.ecsv"), "-n", "6",
                              "-o", str(work / "suggest.csv")])
    assert res.exit_code == 0, res.output
    monkeypatch.setenv("STARCLASS_INSPECT_PASSWORD", PASSWORDS["ann"])
    base = ["inspect", "--stamps", str(work / "suggest.csv"), "--task", str(model)]  # the model's own task
    res = runner.invoke(cli, [*base, "--init", "--add-user", "ann"])
    assert res.exit_code == 0, res.output
    engine = db.make_engine(f"sqlite:///{work / 'inspect.sqlite'}")
    cfg = get_preset("m31-real")
    field = load_cutout_field(work / "suggest.csv", cfg, cache_dir=tmp_path / "cache")
    assert len(field.ids) == 6 and field.predictions and field.order("uncertain")  # the list's prob_<k>
    app = create_app(field, engine, scheme=task_scheme(cfg))
    c = login(app, "ann")
    for cid in c.get("/api/queue?order=uncertain").json()["ids"]:
        assert c.post("/api/label", json={"candidate_id": cid, "cls": 1 if cid.startswith("cluster") else 2}
                      ).status_code == 200
        assert c.get(f"/img/{cid}/composite.png").status_code == 200
    engine.dispose()
    out = tmp_path / "new_labels.csv"
    res = runner.invoke(cli, [*base, "--export", str(out)])
    assert res.exit_code == 0, res.output
    new = read_cutout_folder(out)
    assert len(new) == 6 and set(new.labels) == {"cluster", "galaxy"}  # every object: both classes
    assert len({f.split("/")[-2] + str(int(f.split("/")[-1][1:-4]) // 2) for f in new.files}) == 6  # one per object
    assert [f.split("/")[-2] for f in new.files] == new.labels.tolist()
    _train(["--task", str(task), "--stamps", str(out), "--resume-from", str(model), "-o", str(tmp_path / "m1")])
    assert (tmp_path / "m1" / "manifest.json").is_file()


@pytest.mark.parametrize("args, says", [
    (["--task", "m99"], "--task 'm99' is neither a file nor a preset"),
    ([], "the first run, with --init, makes it and records the task"),
    (["--task", "m31-real", "--scheme", "m31-check"], "does not give the classes of task 'm31-real'"),
    (["--task", "m31-real", "--export", "x.ecsv"], "give a name ending in .csv"),
])
def test_bad_options_exit_2_naming_them(tmp_path, args, says):
    labels = make_folder(tmp_path / "data", n=1)
    res = runner.invoke(cli, ["inspect", "--stamps", str(labels), *args])
    assert res.exit_code == 2 and says in res.output and "Traceback" not in res.output, res.output
    assert not (tmp_path / "data" / "inspect.sqlite").exists() and not (tmp_path / "x.ecsv").exists()


def test_a_missing_cutout_exits_2_naming_the_file(tmp_path):
    labels = make_folder(tmp_path / "data", n=2)
    (tmp_path / "data" / "galaxy" / "o1.png").unlink()
    res = runner.invoke(cli, ["inspect", "--stamps", str(labels), "--task", "m31-real", "--init"])
    assert res.exit_code == 2 and "galaxy/o1.png" in res.output and "Traceback" not in res.output, res.output
    assert not (tmp_path / "data" / "inspect.sqlite").exists()  # nothing written
    # a suggested list whose folder is gone is named too, row and file
    t = Table({"file": ["cluster/o0.png", "galaxy/o1.png"], "prob_1": [0.5, 0.4], "prob_2": [0.5, 0.6],
               "cutout_root": [str(tmp_path / "data")] * 2})
    t.write(tmp_path / "s.csv")
    with pytest.raises(StarclassError, match=r"row 2: file .o1.png.: no such file"):
        read_cutout_list(tmp_path / "s.csv", get_preset("m31-real"))


def test_the_profile_reaches_past_the_clipped_core_of_a_large_cutout(tmp_path):
    """The mosaics' 8 px profile covered only the clipped (ZScale, 255) core of a 128 px PAndAS
    cutout: a flat line at 1.0. A quarter of the cutout shows where the light falls off."""
    cfg = get_preset("m31-real")
    big = load_cutout_field(make_folder(tmp_path / "big", n=1, size=64), cfg, cache_dir=tmp_path / "c1")
    small = load_cutout_field(make_folder(tmp_path / "small", n=1, size=12), cfg, cache_dir=tmp_path / "c2")
    assert big.cache.settings.profile_radius == 16.0
    assert big.cache.settings.value_label == "pixel value (8-bit: 255 = 1)"  # not "counts/s"
    assert small.cache.settings.profile_radius == 5.5  # within the cutout


def _pixels(client, cid: str, kind: str = "composite") -> np.ndarray:
    r = client.get(f"/img/{cid}/{kind}.png")
    assert r.status_code == 200, r.text
    return np.asarray(Image.open(io.BytesIO(r.content)).convert("RGB")).astype(int)


def test_colour_for_an_rgb_file_and_for_three_bands(tmp_path):
    """An RGB PNG is shown in colour (R, G, B as stored); three file_<band> columns by wavelength
    (the reddest red where starclass.bands knows them all, else in column order); FITS floats are
    stretched, not shown as stored."""
    from astropy.io import fits

    d = tmp_path / "rgb"
    d.mkdir()
    a = np.zeros((12, 12, 3), np.uint8)
    a[..., 0] = 200  # red everywhere
    Image.fromarray(a).save(d / "red.png")
    (d / "labels.csv").write_text("file,label\nred.png,cluster\n")
    engine = db.make_engine(f"sqlite:///{tmp_path / 'a.sqlite'}")
    db.init_db(engine)
    db.add_user(engine, "ann", PASSWORDS["ann"])
    cfg = get_preset("m31-real")
    field = load_cutout_field(d / "labels.csv", cfg, cache_dir=tmp_path / "c1")
    c = login(create_app(field, engine, scheme=stamps_scheme(cfg)), "ann")
    pix = _pixels(c, "red.png")
    assert (abs(pix[..., 0] - 200) <= 1).all() and (pix[..., 1:] == 0).all()
    assert "colour R/G/B" in c.get("/").text
    # three bands in files of their own: r is not in starclass.bands, so the column order is kept
    # (file_i red, file_r green, file_g blue)
    b = tmp_path / "bands"
    b.mkdir()
    yy, xx = np.mgrid[:12, :12]
    blob = np.exp(-0.5 * ((xx - 5.5) ** 2 + (yy - 5.5) ** 2) / 2.0 ** 2)
    fits.writeto(b / "o_i.fits", (10 * blob).astype(np.float32))
    fits.writeto(b / "o_r.fits", np.zeros((12, 12), np.float32))
    fits.writeto(b / "o_g.fits", np.zeros((12, 12), np.float32))
    (b / "labels.csv").write_text("file_i,file_r,file_g,label\no_i.fits,o_r.fits,o_g.fits,cluster\n")
    three = save_config(get_preset("m31-real", bands=["i", "r", "g"]), tmp_path / "three.yaml")
    from starclass.learn.config import load_config

    cfg3 = load_config(three)
    field = load_cutout_field(b / "labels.csv", cfg3, cache_dir=tmp_path / "c2")
    assert field.ids == ["o_i.fits"] and not field.cache.as_stored[0]  # floats: stretched, not as stored
    engine2 = db.make_engine(f"sqlite:///{tmp_path / 'b.sqlite'}")
    db.init_db(engine2)
    db.add_user(engine2, "ann", PASSWORDS["ann"])
    c = login(create_app(field, engine2, scheme=stamps_scheme(cfg3)), "ann")
    pix = _pixels(c, "o_i.fits")
    centre = pix[pix.shape[0] // 2, pix.shape[1] // 2]
    assert centre[0] > 150 and centre[1] == 0 and centre[2] == 0  # the i-band blob in red alone
    engine.dispose()
    engine2.dispose()


def test_a_fits_cutout_is_drawn_y_up(tmp_path):
    """FITS row 0 is the bottom of the picture (DS9), PNG row 0 the top: both drawn as their viewers show them."""
    from astropy.io import fits

    a = np.zeros((12, 12), np.float32)
    a[0, :] = 100.0  # row 0: the bottom in DS9
    fits.writeto(tmp_path / "a.fits", a)
    (tmp_path / "labels.csv").write_text("file,label\na.fits,cluster\n")
    field = load_cutout_field(tmp_path / "labels.csv", get_preset("m31-real"), cache_dir=tmp_path / "c")
    png = np.asarray(Image.open(io.BytesIO(field.cache.get(0, "composite"))).convert("L"))
    assert png[-1].mean() > 200 and png[0].mean() < 50


def test_an_empty_file_cell_of_a_classified_list_is_named(tmp_path):
    # a masked 'file' cell of an ECSV list was read as the text '--' and refused as
    # "file '--': no such file (.../--)", naming no empty cell
    labels = make_folder(tmp_path / "data", n=1)
    t = Table({"file": np.ma.MaskedArray(["cluster/o0.png", "galaxy/o0.png"], mask=[False, True]),
               "prob_1": [0.2, 0.9]})
    t.write(tmp_path / "data" / "classified.ecsv")
    with pytest.raises(StarclassError, match=r"row 2: empty 'file'"):
        read_cutout_list(labels.parent / "classified.ecsv", get_preset("m31-real"))


def test_two_long_task_names_get_two_label_schemes(tmp_path):
    # the scheme name was cut at the database's 32 characters: two tasks whose names differed after
    # the 27th had one name, so labels in one task's classes were taken as the other's
    cfg = get_preset("m31-real")
    a = task_scheme(cfg.copy(name="m31-real-pandas-round2-classes-a"))
    b = task_scheme(cfg.copy(name="m31-real-pandas-round2-classes-b"))
    assert a.name != b.name and len(a.name) <= 32 and len(b.name) <= 32
    engine = db.make_engine(f"sqlite:///{tmp_path / 'l.sqlite'}")
    db.init_db(engine)
    db.bind_scheme(engine, "", a)
    with pytest.raises(StarclassError):
        db.bind_scheme(engine, "", b)
    engine.dispose()


def test_labels_in_another_tasks_classes_name_the_task_to_give(tmp_path):
    # the loop of docs/real_images.md serves round 1 with --task m31-real; suggest's own line then says
    # --task MODEL, whose task file (name m31-real-2ep) has the same classes. Exporting with it said
    # only "dataset '' holds labels in label scheme task:m31-real, not task:m31-real-2ep", naming
    # neither the default dataset in words nor the --task that serves those labels
    labels = make_folder(tmp_path / "data")
    cfg = get_preset("m31-real")
    dbfile = f"sqlite:///{tmp_path / 'l.sqlite'}"
    engine = db.make_engine(dbfile)
    db.init_db(engine)
    db.bind_scheme(engine, "", task_scheme(cfg))
    other = task_scheme(cfg.copy(name="m31-real-2ep"))
    for refuse in (lambda: db.bind_scheme(engine, "", other),
                   lambda: db.save_label(engine, "", "cluster/o0.png", 1, 1, scheme=other)):
        with pytest.raises(StarclassError) as err:
            refuse()
        assert "this database (default dataset)" in str(err.value) and "dataset ''" not in str(err.value)
        assert "give --task m31-real (" in str(err.value), str(err.value)
    engine.dispose()
    task2 = save_config(cfg.copy(name="m31-real-2ep"), tmp_path / "task2.yaml")
    res = runner.invoke(cli, ["inspect", "--stamps", str(labels), "--task", str(task2), "--db", dbfile,
                              "--export", str(tmp_path / "out.csv")])
    assert res.exit_code == 2, (res.output, res.exception)
    assert "label scheme task:m31-real, not task:m31-real-2ep" in res.output, res.output
    assert "give --task m31-real (" in res.output and "default dataset" in res.output, res.output
    assert not (tmp_path / "out.csv").exists()


def test_an_export_served_and_exported_again_round_after_round(served, tmp_path):
    # an export served as the list kept its id as id_list; the export of that export's export
    # failed with KeyError 'Column id_list already exists' (exit 1, a traceback)
    labels, _, _, app = served
    c = login(app, "ann")
    assert c.post("/api/label", json={"candidate_id": "cluster/o0.png", "cls": 1}).status_code == 200
    src = labels
    for k in (1, 2, 3):
        out = labels.parent / f"round{k}.csv"
        res = runner.invoke(cli, ["inspect", "--stamps", str(src), "--task", "m31-real", "--db",
                                  f"sqlite:///{tmp_path / 'labels.sqlite'}", "--export", str(out)])
        assert res.exit_code == 0, (k, res.output, res.exception)
        t = Table.read(out, format="ascii.csv")
        assert t["id"].tolist() == ["cluster/o0.png"] and "id_list" not in t.colnames
        src = out


def test_a_csv_export_served_again_replaces_its_own_label_columns(served, tmp_path):
    """The cutout CSV of an export keeps no meta, so a re-served export's consensus columns were kept as
    <name>_catalogue, then <name>_catalogue_2, ... (34 columns by round 3); now they are known by the export's
    own columns and replaced, with a warning, and the list's own label is kept once as label_catalogue."""
    labels, _, _, app = served
    c = login(app, "ann")
    assert c.post("/api/label", json={"candidate_id": "cluster/o0.png", "cls": 1}).status_code == 200
    src, cols = labels, []
    for k in (1, 2, 3):
        out = labels.parent / f"again{k}.csv"
        res = runner.invoke(cli, ["inspect", "--stamps", str(src), "--task", "m31-real", "--db",
                                  f"sqlite:///{tmp_path / 'labels.sqlite'}", "--export", str(out)])
        assert res.exit_code == 0, (k, res.output, res.exception)
        assert ("earlier 'inspect --export'" in res.output) == (k > 1), res.output
        t = Table.read(out, format="ascii.csv")
        cols.append(t.colnames)
        src = out
    assert cols[0] == cols[1] == cols[2], cols
    assert "label_catalogue" in cols[2] and not [c for c in cols[2] if c.endswith(("_catalogue_2", "_catalogue_3"))]
    assert not [c for c in cols[2] if c.startswith(("class_ref_", "n_labels_", "class_h1_"))]


def test_inspect_stamps_names_a_stamp_store_as_one(tmp_path):
    # classify --stamps stamps.h5 says it is the store 'starclass cutouts' writes (57eafd0); inspect --stamps
    # said only "give a cutout folder ... or a classified or suggested list of one (.csv, .ecsv, ...)"
    from starclass.stamps.store import write_stamp_store

    store = tmp_path / "stamps.h5"
    write_stamp_store(store, np.zeros((2, 1, 1, 8, 8), np.float32), np.ones((2, 1, 8, 8), bool),
                      {"id": np.arange(1, 3), "x": np.ones(2), "y": np.ones(2)}, channels=["g"],
                      normalisation="flux", bands=["g"])
    with pytest.raises(StarclassError, match=r"stamps.h5 is an HDF5 stamp store .*inspect: DATA_DIR"):
        read_cutout_list(store, get_preset("m31-real"))


def test_export_without_task_takes_the_scheme_the_database_records(served, tmp_path):
    """inspect --stamps L --export X without --task was refused ('--stamps needs --task') although the
    database records the labels' scheme (task:m31-real): it is used now, said in one line; refused only
    where the database does not say (another dataset: the recorded ones named), nothing written."""
    labels, _, _, app = served
    c = login(app, "ann")
    for cid, k in (("cluster/o0.png", 1), ("galaxy/o1.png", 2)):
        assert c.post("/api/label", json={"candidate_id": cid, "cls": k}).status_code == 200
    dbarg = ["--db", f"sqlite:///{tmp_path / 'labels.sqlite'}"]
    res = runner.invoke(cli, ["inspect", "--stamps", str(labels), *dbarg, "--export", str(tmp_path / "a.csv")])
    assert res.exit_code == 0, res.output
    assert "--task m31-real: the label scheme the database records (task:m31-real)" in res.output
    res = runner.invoke(cli, ["inspect", "--stamps", str(labels), *dbarg, "--task", "m31-real",
                              "--export", str(tmp_path / "b.csv")])
    assert res.exit_code == 0, res.output
    assert (tmp_path / "a.csv").read_text() == (tmp_path / "b.csv").read_text()
    res = runner.invoke(cli, ["inspect", "--stamps", str(labels), *dbarg, "--dataset", "round9",
                              "--export", str(tmp_path / "c.csv")])
    assert res.exit_code == 2 and "Traceback" not in res.output, res.output
    assert "no label scheme for dataset 'round9' (only for the default dataset (task:m31-real))" in res.output
    assert not (tmp_path / "c.csv").exists()


def test_export_proposes_the_fine_tune_with_the_cutouts_labelled_so_far(served, tmp_path):
    """A round's export holds that round's labels only. Fine-tuned on them alone (docs/uncertainty.md's
    loop, 2026-12-07: 10 PAndAS labels, 9 clusters and 1 galaxy, 2 epochs) the model called all 175 test
    cutouts clusters (accuracy 0.566, the share of clusters), where the same fine-tune with the 518 cutouts
    the start was trained on beside them gave 0.783. The export's line proposed the round's list alone;
    suggest's line already gave SO_FAR.csv."""
    labels, _, _, app = served
    c = login(app, "ann")
    for cid, k in {"cluster/o0.png": 1, "galaxy/o1.png": 2}.items():
        assert c.post("/api/label", json={"candidate_id": cid, "cls": k}).status_code == 200
    out = tmp_path / "round1.csv"
    res = runner.invoke(cli, ["inspect", "--stamps", str(labels), "--task", "m31-real", "--db",
                              f"sqlite:///{tmp_path / 'labels.sqlite'}", "--export", str(out)])
    assert res.exit_code == 0, res.output
    line = next(ln for ln in res.output.splitlines() if "--resume-from" in ln)
    # old code: 'fine-tune with: starclass train --stamps .../round1.csv --resume-from MODEL -o NEW_MODEL'
    assert f"starclass train --stamps SO_FAR.csv --stamps {out} --resume-from MODEL -o NEW_MODEL" in line, line
    assert "SO_FAR.csv: the cutouts MODEL was trained on" in line, line
