"""``starclass suggest --check-labels``: labels worth a second look, as a list ``inspect --stamps`` serves.

The ranking itself is held to hand counts in tests/test_check_labels.py; here the command: the
labels read by name through the task, the list written atomically beside nothing it overwrites,
its files found from anywhere (``cutout_root``), the refusals (exit 2, nothing written), and
in-sample probabilities refused where the model's record of training rows tells.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from astropy.table import Table
from PIL import Image
from typer.testing import CliRunner

from starclass.cli import app
from starclass.learn.config import get_preset

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("cheap_argon2")  # an account for the page: a cheap hash (conftest.py)

#: hand-made out-of-fold P(cluster) of eight cutouts, four labelled cluster and four galaxy
#: clusters: 0.9, 0.8, 0.7, 0.2 -> t_cluster = 0.65; galaxies: P(galaxy) 0.9, 0.8, 0.7, 0.35 -> t_galaxy = 0.6875
#: flagged: c3 (P(galaxy) 0.8 >= 0.6875, P(cluster) 0.2 < 0.65) and g3 (P(cluster) 0.65 >= 0.65, P(galaxy) 0.35)
P_CLUSTER = [0.9, 0.8, 0.7, 0.2, 0.1, 0.2, 0.3, 0.65]
LABELS = ["cluster"] * 4 + ["galaxy"] * 4
FILES = [f"cluster/c{i}.png" for i in range(4)] + [f"galaxy/g{i}.png" for i in range(4)]


def _folder(root: Path) -> Path:
    rng = np.random.default_rng(0)
    for f in FILES:
        (root / f).parent.mkdir(parents=True, exist_ok=True)
        Image.fromarray(rng.integers(0, 255, (16, 16)).astype(np.uint8)).save(root / f)
    (root / "labels.csv").write_text("file,label,object_id\n" + "".join(
        f"{f},{lab},{Path(f).stem}\n" for f, lab in zip(FILES, LABELS)))
    return root


def _oof(root: Path, path: Path, *, meta: bool = True) -> Path:
    """An out-of-fold table of the folder: ECSV with the cross-validation's meta, or a bare CSV."""
    t = Table({"file": FILES, "label": LABELS, "object_id": [Path(f).stem for f in FILES],
               "class_pred": [1 if p >= 0.5 else 2 for p in P_CLUSTER],
               "prob_1": P_CLUSTER, "prob_2": [1 - p for p in P_CLUSTER]})
    if meta:
        t.meta.update({"cv": "5", "cutout_root": str(root.resolve()), "task": "m31-real", "classes": [1, 2],
                       "class_names": ["cluster", "non-cluster"],
                       "label_map": dict(get_preset("m31-real").label_map)})
    else:
        t["cutout_root"] = str(root.resolve())
    path.parent.mkdir(parents=True, exist_ok=True)
    t.write(path, overwrite=True)
    return path


def test_the_list_holds_the_hand_counted_rows_and_inspect_serves_their_files(tmp_path):
    root = _folder(tmp_path / "data")
    oof = _oof(root, tmp_path / "cv" / "cv_predictions.ecsv")
    out = tmp_path / "elsewhere" / "review.csv"
    r = runner.invoke(app, ["suggest", "--check-labels", str(oof), "--label-column", "label", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "out-of-fold" in r.output and "2 labels worth a second look (1 of 4 cluster, 1 of 4 non-cluster)" in r.output
    assert "1 (cluster) 0.650, 2 (non-cluster) 0.688" in r.output
    t = Table.read(out, format="ascii.csv")
    assert t["file"].tolist() == ["cluster/c3.png", "galaxy/g3.png"]  # P(given) 0.2, then 0.35
    assert t["class_given"].tolist() == [1, 2] and t["class_suggested"].tolist() == [2, 1]
    assert t["check_rank"].tolist() == [1, 2] and np.allclose(t["prob_given"], [0.2, 0.35])
    assert "inspect --stamps" in r.output
    # the list lies in another folder than the cutouts: its cutout_root names them, and the page serves exactly those
    from starclass.inspect.cutouts import load_cutout_field, read_cutout_list

    lst = read_cutout_list(out, get_preset("m31-real"))
    assert [Path(ps[0]).resolve() for ps in lst.paths] == [(root / f).resolve() for f in t["file"]]
    field = load_cutout_field(out, get_preset("m31-real"), cache_dir=tmp_path / "cache", cutouts=lst)
    assert field.ids == ["cluster/c3.png", "galaxy/g3.png"] and field.kind == "cutouts"
    # and the page serves them: the queue holds the two, each picture is drawn, no given label is shown
    import warnings

    with warnings.catch_warnings():  # the installed starlette warns about httpx at import
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    from starclass.inspect import db
    from starclass.inspect.app import create_app
    from starclass.inspect.cutouts import stamps_scheme

    engine = db.make_engine(f"sqlite:///{tmp_path / 'labels.sqlite'}")
    db.init_db(engine)
    db.add_user(engine, "ann", "ann-password")
    c = TestClient(create_app(field, engine, scheme=stamps_scheme(get_preset("m31-real"))))
    c.get("/login")
    r = c.post("/api/login", json={"name": "ann", "password": "ann-password"},
               headers={"X-CSRF-Token": c.cookies.get("sc_csrf")})
    assert r.status_code == 200, r.text
    assert sorted(c.get("/api/queue").json()["ids"]) == ["cluster/c3.png", "galaxy/g3.png"]
    body = c.get("/api/candidate/galaxy%2Fg3.png").json()
    assert "label" not in body["values"] and "class_given" not in body["values"]
    assert c.get(body["images"]["composite"]).content[:4] == b"\x89PNG"
    engine.dispose()


def test_names_mapped_by_the_task_on_a_csv_without_meta_and_n(tmp_path):
    root = _folder(tmp_path / "data")
    oof = _oof(root, tmp_path / "oof.csv", meta=False)
    out = tmp_path / "review.ecsv"
    r = runner.invoke(app, ["suggest", "--check-labels", str(oof), "--task", "m31-real", "-n", "1", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "cannot tell whether the probabilities" in r.output and "out-of-fold" in r.output
    t = Table.read(out)
    assert t["file"].tolist() == ["cluster/c3.png"] and "the first 1: -n 1" in r.output


def test_refusals_exit_2_name_the_problem_and_write_nothing(tmp_path):
    root = _folder(tmp_path / "data")
    oof = _oof(root, tmp_path / "oof.csv", meta=False)
    out = tmp_path / "review.csv"
    cases = [
        (["--task", "m31-real", "--label-column", "expert"], "no label column 'expert'"),
        (["--task", "m31-real", "--by", "margin"], "--by applies to suggestions"),
        (["--task", "m31-real", "-n", "0"], "-n must be >= 1"),
        (["--label-column", "label"], "label"),  # names without a task's label_map: refused, naming the row
    ]
    for extra, said in cases:
        r = runner.invoke(app, ["suggest", "--check-labels", str(oof), *extra, "-o", str(out)])
        assert r.exit_code == 2, (extra, r.output)
        assert said in r.output and "Traceback" not in r.output, (extra, r.output)
        assert not out.exists()
    r = runner.invoke(app, ["suggest", str(tmp_path), str(oof), "--check-labels", str(oof), "--task", "m31-real",
                            "-o", str(out)])
    assert r.exit_code == 2 and "CANDIDATES" in r.output and not out.exists()
    r = runner.invoke(app, ["suggest", "-o", str(out)])
    assert r.exit_code == 2 and "give MODEL and CANDIDATES" in r.output
    # a labels CSV without probabilities: refused for what it lacks, before any word on out-of-fold
    r = runner.invoke(app, ["suggest", "--check-labels", str(root / "labels.csv"), "--task", "m31-real",
                            "-o", str(out)])
    assert r.exit_code == 2 and "needs out-of-fold probabilities" in r.output and "cannot tell" not in r.output
    assert not out.exists()
    # an unknown label is named with its row
    t = Table.read(oof, format="ascii.csv")
    t["label"][5] = "star"
    t.write(tmp_path / "odd.csv", overwrite=True)
    r = runner.invoke(app, ["suggest", "--check-labels", str(tmp_path / "odd.csv"), "--task", "m31-real",
                            "-o", str(out)])
    assert r.exit_code == 2 and "row 6" in r.output and "'star'" in r.output and not out.exists()
    # an existing list is kept without --overwrite, replaced with it
    out.write_text("keep me\n")
    r = runner.invoke(app, ["suggest", "--check-labels", str(oof), "--task", "m31-real", "-o", str(out)])
    assert r.exit_code == 2 and "--overwrite" in r.output and out.read_text() == "keep me\n"
    r = runner.invoke(app, ["suggest", "--check-labels", str(oof), "--task", "m31-real", "-o", str(out),
                            "--overwrite"])
    assert r.exit_code == 0 and len(Table.read(out, format="ascii.csv")) == 2


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A tiny task trained on a folder, its classification (in-sample) and a two-fold cross-validation."""
    tmp = tmp_path_factory.mktemp("trained")
    root = _folder(tmp / "data")
    (tmp / "t.yaml").write_text("extends: m31-real\nname: t16\nstamp_size: 16\nrecipe: {epochs: 1}\n")
    base = ["--no-progress", "--device", "cpu"]
    for args in (["train", "--stamps", str(root / "labels.csv"), "--task", str(tmp / "t.yaml"), "-o", str(tmp / "m")],
                 ["classify", "--stamps", str(root / "labels.csv"), "--model", str(tmp / "m"), "-o",
                  str(tmp / "classified.csv")],
                 ["train", "--stamps", str(root / "labels.csv"), "--task", str(tmp / "t.yaml"), "--cv", "2", "-o",
                  str(tmp / "cv")]):
        r = runner.invoke(app, [*args, *base])
        assert r.exit_code == 0, r.output
    return tmp


def test_in_sample_probabilities_of_the_model_that_trained_on_the_rows_are_refused(trained, tmp_path):
    out = tmp_path / "review.csv"
    r = runner.invoke(app, ["suggest", "--check-labels", str(trained / "classified.csv"), "-o", str(out)])
    assert r.exit_code == 2, r.output
    assert "model" in r.output and "was trained on" in r.output and "in-sample" in r.output and "--cv" in r.output
    assert not out.exists()


def test_cross_validation_records_the_cutout_folder_and_its_list_is_served(trained, tmp_path):
    cv = Table.read(trained / "cv" / "cv_predictions.ecsv")
    # before: cv_predictions.ecsv named its files relative to a folder it did not record
    assert cv.meta.get("cutout_root") == str((trained / "data").resolve())
    out = tmp_path / "review.csv"
    r = runner.invoke(app, ["suggest", "--check-labels", str(trained / "cv" / "cv_predictions.ecsv"), "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "out-of-fold: " in r.output and "--cv 2" in r.output and "warning" not in r.output
    # the page's task: t16 is a task file's name, no preset inspect could load by that name
    assert "--task TASK (the task file or model folder of task t16)" in r.output
    t = Table.read(out, format="ascii.csv")
    assert set(t["cutout_root"]) <= {str((trained / "data").resolve())}
