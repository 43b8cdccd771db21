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
    # an unknown label is left out, named with its row, as classify --stamps and evaluate leave it out
    # (tests/test_suggest_check_labels_unknown_label.py); it was refused
    t = Table.read(oof, format="ascii.csv")
    t["label"][5] = "star"
    t.write(tmp_path / "odd.csv", overwrite=True)
    odd = tmp_path / "odd_review.csv"
    r = runner.invoke(app, ["suggest", "--check-labels", str(tmp_path / "odd.csv"), "--task", "m31-real",
                            "-o", str(odd)])
    said = " ".join(r.output.split())
    assert r.exit_code == 0 and "'star' (row 6)" in said and "1 with a label the task does not know" in said, said
    assert "star" not in Table.read(odd, format="ascii.csv")["label"].tolist()
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
    # relative to the table (a folder moved whole) and absolute (the table moved alone)
    assert (trained / "cv" / cv.meta.get("cutout_root")).resolve() == (trained / "data").resolve()
    assert cv.meta.get("cutout_root_abs") == str((trained / "data").resolve())
    out = tmp_path / "review.csv"
    r = runner.invoke(app, ["suggest", "--check-labels", str(trained / "cv" / "cv_predictions.ecsv"), "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "out-of-fold: " in r.output and "--cv 2" in r.output and "warning" not in r.output
    # the page's task: t16 is a task file's name, no preset inspect could load by that name
    assert "--task TASK (the task file or model folder of task t16)" in r.output
    t = Table.read(out, format="ascii.csv")
    # relative to the list, where a relative path leads to the cutouts (a list moved with them is still served)
    assert {(out.parent / c).resolve() for c in t["cutout_root"]} <= {(trained / "data").resolve()}


def _add_unseen(root: Path, n: int = 4) -> list[str]:
    """Cutouts the fixture's model never saw (other pixels), beside the ones it trained on."""
    rng = np.random.default_rng(7)
    files = [f"cluster/n{i}.png" for i in range(n // 2)] + [f"galaxy/n{i}.png" for i in range(n - n // 2)]
    for f in files:
        if not (root / f).exists():
            Image.fromarray(rng.integers(0, 255, (16, 16)).astype(np.uint8)).save(root / f)
    return files


def test_held_out_only_drops_the_rows_the_model_trained_on_and_ranks_the_others(trained, tmp_path):
    from astropy.table import vstack

    from starclass.cli.suggest_cmd import _training_rows_found

    seen = Table.read(trained / "classified.csv", format="ascii.csv")
    # the rows the model trained on (train kept some of the eight for validation: those are held out already)
    n_in, rows = _training_rows_found(seen, trained / "classified.csv", trained / "m")
    assert n_in == len(rows) >= 4
    seen = seen[rows]
    files = _add_unseen(trained / "data")
    # held out: clusters P(cluster) 0.9, 0.3 -> t_cluster 0.6; galaxies P(galaxy) 0.9, 0.25 -> t_galaxy 0.575
    # flagged: galaxy/n1 (P(cluster) 0.75 >= 0.6, own 0.25), then cluster/n1 (P(galaxy) 0.7 >= 0.575, own 0.3)
    p1 = [0.9, 0.3, 0.1, 0.75]
    new = Table({c: [seen[c][0]] * len(files) for c in seen.colnames})
    new["file"], new["label"] = files, ["cluster", "cluster", "galaxy", "galaxy"]
    new["class_ref"] = [1, 1, 2, 2]
    new["object_id"] = [f.replace("/", "_") for f in files]
    new["prob_1"], new["prob_2"] = p1, [1 - p for p in p1]
    new["class_pred"] = [1 if p >= 0.5 else 2 for p in p1]
    table = tmp_path / "mixed.csv"
    vstack([seen, new]).write(table, format="ascii.csv")
    out = tmp_path / "review.csv"
    # before: all or nothing, the table refused for its in-sample rows
    r = runner.invoke(app, ["suggest", "--check-labels", str(table), "-o", str(out)])
    assert r.exit_code == 2 and "--held-out-only" in r.output and not out.exists(), r.output
    r = runner.invoke(app, ["suggest", "--check-labels", str(table), "--held-out-only", "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert f"--held-out-only: dropped {n_in} of the {n_in + 4} rows" in r.output, r.output
    assert "4 held-out rows remain" in r.output
    assert "1 (cluster) 0.600, 2 (non-cluster) 0.575" in r.output  # thresholds of the held-out rows alone
    t = Table.read(out, format="ascii.csv")
    assert t["file"].tolist() == ["galaxy/n1.png", "cluster/n1.png"]
    assert np.allclose(t["prob_given"], [0.25, 0.3]) and t["check_rank"].tolist() == [1, 2]
    # every row trained on: nothing remains, refused, nothing written
    seen.write(tmp_path / "trained_rows.csv", format="ascii.csv")
    out2 = tmp_path / "none.csv"
    r = runner.invoke(app, ["suggest", "--check-labels", str(tmp_path / "trained_rows.csv"), "--held-out-only",
                            "-o", str(out2)])
    assert r.exit_code == 2 and "no held-out row remains" in r.output and not out2.exists(), r.output


def test_held_out_only_where_it_cannot_tell_or_need_not(trained, tmp_path):
    root = _folder(tmp_path / "data")
    out = tmp_path / "review.csv"
    # no model recorded: which rows were trained on cannot be told, so none can be dropped: refused
    bare = _oof(root, tmp_path / "oof.csv", meta=False)
    r = runner.invoke(app, ["suggest", "--check-labels", str(bare), "--task", "m31-real", "--held-out-only",
                            "-o", str(out)])
    assert r.exit_code == 2 and "--held-out-only: cannot tell which rows" in r.output and not out.exists(), r.output
    # a cross-validation: every row held out already
    r = runner.invoke(app, ["suggest", "--check-labels", str(trained / "cv" / "cv_predictions.ecsv"),
                            "--held-out-only", "-o", str(out)])
    assert r.exit_code == 0 and "every row is held out, none dropped" in r.output, r.output
    # not an option of the suggestions
    r = runner.invoke(app, ["suggest", str(trained / "m"), str(trained / "classified.csv"), "--held-out-only",
                            "-o", str(tmp_path / "s.csv")])
    assert r.exit_code == 2 and "--held-out-only applies to --check-labels" in r.output, r.output


@pytest.mark.parametrize("where, recorded", [("lists/review.csv", "../data"), ("review.csv", "data")])
def test_a_list_moved_with_its_cutouts_is_still_served(tmp_path, where, recorded):
    """Before: the list recorded this machine's absolute folder, gone once list and cutouts moved together."""
    import shutil

    from starclass.evaluate.compare import TABLE_FOLDER, load_catalog
    from starclass.inspect.cutouts import read_cutout_list
    from starclass.io.cutout_folders import cutout_rows, read_cutout_folder

    here = tmp_path / "here"
    root = _folder(here / "data")
    oof = _oof(root, here / "cv" / "cv_predictions.ecsv")  # records the absolute folder, as train --cv does
    out = here / where
    r = runner.invoke(app, ["suggest", "--check-labels", str(oof), "--label-column", "label", "-o", str(out)])
    assert r.exit_code == 0, r.output
    moved = tmp_path / "there"
    shutil.move(here, moved)
    lst_path = moved / where
    want = [(moved / "data" / f).resolve() for f in ["cluster/c3.png", "galaxy/g3.png"]]
    # inspect --stamps
    lst = read_cutout_list(lst_path, get_preset("m31-real"))
    assert [Path(ps[0]).resolve() for ps in lst.paths] == want
    # classify --stamps, info, train: the cutout folders' reader
    cut = read_cutout_folder(lst_path, require_labels=False)
    assert len(cut.files) == 2 and np.asarray(cut.images).shape[0] == 2
    # evaluate, report: the table read from the file pairs by the files it names, report --stamps finds its rows
    t = load_catalog(lst_path, classes=("class_pred",))
    assert Path(t.meta[TABLE_FOLDER]) == lst_path.parent.resolve()
    full = read_cutout_folder(moved / "data" / "labels.csv")
    rows = cutout_rows(t, full)
    assert [full.files[i] for i in rows] == ["cluster/c3.png", "galaxy/g3.png"]
    # what made it so: the folder recorded relative to the list
    assert set(Table.read(lst_path, format="ascii.csv")["cutout_root"]) == {recorded}


REPO = Path(__file__).resolve().parents[1]
REVIEWS = REPO / "benchmarks" / "results_real_pandas_check_labels_2026-12-06"


@pytest.mark.parametrize("name", ["review_best.csv", "review_strong7.csv"])
def test_the_committed_pandas_review_lists_are_served_from_the_checkout(name):
    """Their cutout_root held this machine's /work/shared/...; now relative, through the checkout's ../shared."""
    if not (REPO.parent / "shared" / "data" / "pandas-m31" / "labels.csv").is_file():
        pytest.skip("the PAndAS cutouts (../shared/data/pandas-m31) are not here")
    from starclass.inspect.cutouts import read_cutout_list

    t = Table.read(REVIEWS / name, format="ascii.csv")
    assert not any(Path(c).is_absolute() for c in t["cutout_root"])
    lst = read_cutout_list(REVIEWS / name, get_preset("m31-real"))
    assert len(lst.paths) == len(t) and all(Path(ps[0]).is_file() for ps in lst.paths)
