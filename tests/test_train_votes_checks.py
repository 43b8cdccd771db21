"""``train --labels``: mistakes in the votes are named, before the mosaics are read, and a failed
training leaves no model folder (issue 17, found by an engineer acting as a user)."""

from __future__ import annotations

import json
import re

import numpy as np
import pytest
from astropy.table import MaskedColumn, Table
from typer.testing import CliRunner

from starclass.bands import BANDS
from starclass.cli import app
from starclass.datasets.stamps import make_synthetic_field
from starclass.errors import StarclassError, cli_words
from starclass.io.catalog import write_catalog
from starclass.io.mosaic import write_mosaic
from starclass.learn.config import get_preset, save_config
from starclass.learn.labels import votes_for_catalogue

runner = CliRunner()


def _run(args):
    res = runner.invoke(app, [str(a) for a in args])
    return res, res.output


@pytest.fixture(scope="module")
def field(tmp_path_factory):
    """Toy mosaics, their candidates and three people's votes (every class voted for)."""
    root = tmp_path_factory.mktemp("votes")
    cfg = get_preset("legus4-compact", stamp_size=16, scales=[1.0],
                     recipe={"epochs": 1, "batch_size": 16, "val_fraction": 0.25})
    images, table = make_synthetic_field(cfg, 40, seed=2)
    data = root / "data"
    for band, img in images.items():
        info = BANDS[band]
        write_mosaic(data / f"toy_{band}.fits", img, band, None, photflam=info.photflam, photplam=info.photplam)
    write_catalog(table["id", "x", "y"], data / "candidates.ecsv")
    truth = np.asarray(table["class_ref"])
    rng = np.random.default_rng(1)
    votes = Table({"id": table["id"]})
    for h in (1, 2, 3):
        votes[f"class_h{h}"] = np.where(rng.random(len(truth)) < 0.2, rng.integers(1, 5, len(truth)), truth)
    save_config(cfg, root / "task.yaml")
    return root, data, cfg, votes


def _train(root, data, labels, out, *extra):
    return _run(["train", "--task", root / "task.yaml", "--mosaics", data, "--catalog", data / "candidates.ecsv",
                 "--labels", labels, "--no-progress", "--device", "cpu", "--seed", "1", "-o", out, *extra])


def _no_mosaics(monkeypatch):
    """Make reading the mosaics fail loudly: the votes must be refused before it."""
    import starclass.cli.train_cmd as train_cmd

    def fail(*args, **kwargs):
        raise AssertionError("the mosaics were read before the votes were checked")

    monkeypatch.setattr(train_cmd, "_read_field_mosaics", fail)


def test_a_vote_for_a_class_the_task_lacks_is_named(field, tmp_path):
    """A 7 in a four-class task was dropped without a word and the model trained (exit 0)."""
    root, data, cfg, votes = field
    bad = votes.copy()
    bad["class_h2"][6] = 7
    bad["class_h3"][9] = 9
    for model in ("mode", "soft", "dawid-skene"):
        with pytest.raises(StarclassError, match="column 'class_h2', row 7 .*vote 7"):
            votes_for_catalogue(cfg, bad, model=model)
    write_catalog(bad, tmp_path / "bad.ecsv")
    res, out = _train(root, data, tmp_path / "bad.ecsv", tmp_path / "m", "--label-model", "soft")
    assert res.exit_code == 2, out
    assert out.strip().splitlines()[-1].startswith(
        f"error: {tmp_path / 'bad.ecsv'}, column 'class_h2', row 7 (id {bad['id'][6]}): vote 7 is not a class of "
        f"task '{cfg.name}' (its classes: 1, 2, 3, 4); 2 such votes in all"), out
    assert "Traceback" not in out and not (tmp_path / "m").exists()


def test_a_merged_task_knows_its_reference_classes(field):
    """m31-binary merges 1-4 into two classes: votes 1-4 are known, a 5 is not."""
    _, _, _, votes = field
    cfg = get_preset("m31-binary")
    vt = votes_for_catalogue(cfg, votes, model="soft")
    assert vt.targets.shape == (len(votes), 2) and np.allclose(vt.targets.sum(axis=1), 1)
    bad = votes.copy()
    bad["class_h1"][0] = 5
    with pytest.raises(StarclassError, match="row 1 .*vote 5 is not a class of task 'm31-binary'"):
        votes_for_catalogue(cfg, bad, model="mode")


@pytest.mark.parametrize("empty", ["masked", "zero", "blank"])
def test_an_empty_vote_column_is_named(field, tmp_path, empty):
    """A column without a single vote (a person who labelled nothing) trained as if it were a person."""
    root, data, _, votes = field
    t = votes.copy()
    n = len(t)
    if empty == "masked":
        t["class_h4"] = MaskedColumn(np.ones(n, dtype=int), mask=np.ones(n, dtype=bool))
    elif empty == "zero":
        t["class_h4"] = np.zeros(n, dtype=int)
    else:
        t["class_h4"] = np.full(n, "", dtype="U1")
    with pytest.raises(StarclassError, match="vote column 'class_h4' is empty"):
        votes_for_catalogue(field[2], t, columns="class_h1,class_h4", model="soft")
    write_catalog(t, tmp_path / "v.ecsv")
    res, out = _train(root, data, tmp_path / "v.ecsv", tmp_path / "m", "--label-columns",
                      "class_h1,class_h4", "--label-model", "dawid-skene")
    assert res.exit_code == 2, out
    assert "vote column 'class_h4' is empty" in out and str(tmp_path / "v.ecsv") in out, out
    assert not (tmp_path / "m").exists()
    # the default columns (every class_h<k>) include it: named as well
    res, out = _train(root, data, tmp_path / "v.ecsv", tmp_path / "m")
    assert res.exit_code == 2 and "'class_h4' is empty" in out, out


def test_the_votes_are_checked_before_the_mosaics_are_read(field, tmp_path, monkeypatch):
    """An id the catalogue lacks was named only after every mosaic had been read."""
    root, data, _, votes = field
    t = votes.copy()
    t["id"][3] = 99999
    write_catalog(t, tmp_path / "v.ecsv")
    _no_mosaics(monkeypatch)
    res, out = _train(root, data, tmp_path / "v.ecsv", tmp_path / "m")
    assert res.exit_code == 2, out
    assert "1 id is not in the catalogue" in out and "99999" in out and "mosaics" not in out, out
    res, out = _train(root, data, tmp_path / "missing.ecsv", tmp_path / "m")
    assert res.exit_code == 2 and "missing.ecsv not found" in out, out


def test_a_failed_training_leaves_no_model_folder(field, tmp_path):
    """Nobody voted class 3: training stopped ("class 3 has no training example") after the model
    folder was made, and left it behind, empty (with its new parent folders)."""
    root, data, _, votes = field
    t = votes.copy()
    for c in ("class_h1", "class_h2", "class_h3"):
        t[c][t[c] == 3] = 2
    write_catalog(t, tmp_path / "no3.ecsv")
    out_dir = tmp_path / "new" / "deeper" / "m"
    res, out = _train(root, data, tmp_path / "no3.ecsv", out_dir, "--label-model", "soft")
    assert res.exit_code == 2 and "class 3 (compact association) has no training example" in out, out
    assert not (tmp_path / "new").exists()
    # an existing folder is left in place (empty or not): only what the run made is removed
    (tmp_path / "kept").mkdir()
    res, out = _train(root, data, tmp_path / "no3.ecsv", tmp_path / "kept", "--label-model", "soft")
    assert res.exit_code == 2 and (tmp_path / "kept").is_dir()


@pytest.mark.parametrize("column", ["class_human_mode", "class_ml", "class_ml_checked", "class_reclassified"])
def test_ngc1566_columns_36_to_39_are_not_people(field, column):
    """Columns 36-39 of the LEGUS NGC 1566 file (the mode of three people, an ML class, one
    person's check of it, a re-classification) trained as if they were four classifiers."""
    cfg = field[2]
    t = Table({"id": [1, 2, 3], "class_h1": [1, 2, 3], column: [1, 2, 4]})
    with pytest.raises(StarclassError, match=r"not one person's votes.*README of the LEGUS data"):
        votes_for_catalogue(cfg, t, columns=f"class_h1,{column}", model="dawid-skene")


def test_ngc1566_file_as_votes_is_refused_pointing_to_the_readme(field, tmp_path, legus_tab):
    root, data, _, _ = field
    cols = "class_human_mode,class_ml,class_ml_checked,class_reclassified"
    res, out = _train(root, data, legus_tab, tmp_path / "m", "--label-columns", cols, "--label-model", "dawid-skene")
    assert res.exit_code == 2, out
    last = out.strip().splitlines()[-1]
    assert "column 36 of the LEGUS NGC 1566 catalogue (the mode of three people)" in last, out
    assert "'NGC 1566 (39 columns)' in the README" in last and "Traceback" not in out
    # the same columns by number (a file whose layout was not recognised) are refused in that file
    from starclass.io.catalog import read_catalog

    tab = read_catalog(legus_tab)
    tab.rename_column("class_ml", "legus_col37")
    with pytest.raises(StarclassError, match="column 37 of the LEGUS NGC 1566"):
        votes_for_catalogue(field[2], tab, columns="legus_col37", model="soft")


def test_mode_is_not_called_soft(field, tmp_path):
    """--label-model mode trains on one-hot rows, yet training said "soft targets: each row as its
    most probable class" and stored "most probable class of the soft targets" as the calibration's
    source, which classify and the report then showed."""
    root, data, _, votes = field
    write_catalog(votes, tmp_path / "v.ecsv")
    res, out = _train(root, data, tmp_path / "v.ecsv", tmp_path / "m", "--label-model", "mode")
    assert res.exit_code == 0, out
    assert "label model mode" in out and "each row as the mode of its votes" in out
    assert not re.search(r"\bsoft\b", out, re.I), out  # (softening_mag is another word)
    manifest = json.loads((tmp_path / "m" / "manifest.json").read_text())
    assert manifest["training"]["label_model"] == "mode"
    assert manifest["calibration"]["source"] == "validation split (the mode of the votes)"
    assert not re.search(r"\bsoft\b", json.dumps({k: v for k, v in manifest.items() if k != "config"}), re.I)
    # a temperature stuck at an end of its search is called unreliable (and only then)
    from starclass.learn.calibration import ModelCalibration

    # the library's words (a notebook's), as the command says them (its options)
    unreliable = cli_words(ModelCalibration.from_dict(manifest["calibration"]).warning() or "")
    assert (f"WARNING: {unreliable}" in out) if unreliable else ("WARNING: the fitted temperature" not in out), out
    # classify prints the source with the calibration line; with 10 validation rows no class has the
    # 19 a 95% set needs: the warning names them by number and name
    res, out = _run(["classify", data, "--catalog", data / "candidates.ecsv", "--model", tmp_path / "m", "-o",
                     tmp_path / "c.ecsv", "--device", "cpu", "--no-progress", "--coverage", "0.95"])
    assert res.exit_code == 0 and "the mode of the votes" in out and not re.search(r"\bsoft\b", out, re.I), out
    assert "(need >= 19)" in out and "class 1 (symmetric cluster) has" in out and "index" not in out, out
    # soft targets are still described as such
    res, out = _train(root, data, tmp_path / "v.ecsv", tmp_path / "m2", "--label-model", "soft")
    assert res.exit_code == 0 and "soft targets: each row as its most probable class" in out, out
    # their class counts are expected counts (rounded sums of probabilities), and said to be:
    # "training counts per class" adding up to one less than the training candidates read as a lost row
    line = next(x for x in out.splitlines() if "counts per class" in x)
    assert line.startswith("expected training counts per class (sums of the soft targets, rounded): "), out
    mode_line = next(x for x in _train(root, data, tmp_path / "v.ecsv", tmp_path / "m3", "--label-model",
                                       "mode")[1].splitlines() if "counts per class" in x)
    n_train = int(re.search(r"(\d+) training, ", out).group(1))
    assert mode_line.startswith("training counts per class: ")
    assert sum(int(v) for v in re.findall(r": (\d+)", mode_line.split("class: ", 1)[1])) == n_train


def test_validation_accuracy_on_soft_targets_is_called_expected(field, tmp_path):
    """On soft targets the validation accuracy is the expected agreement with the vote
    distributions: train and info printed 'validation accuracy 0.292 on 16', no share of 16 rows."""
    root, data, _, votes = field
    write_catalog(votes, tmp_path / "v.ecsv")
    res, out = _train(root, data, tmp_path / "v.ecsv", tmp_path / "m", "--label-model", "soft")
    assert res.exit_code == 0, out
    member = next(x for x in out.splitlines() if x.strip().startswith("member 1: kept epoch"))
    assert re.search(r"validation accuracy [0-9.]+ \(expected agreement with the soft targets\)", member), out
    info = _run(["info", tmp_path / "m"])[1]
    assert re.search(r"validation accuracy [0-9.]+ \(expected agreement with the soft targets\) on (only )?\d+",
                     info), info
    # the mode's targets are one-hot: a plain accuracy, said plainly
    res, out = _train(root, data, tmp_path / "v.ecsv", tmp_path / "m2", "--label-model", "mode")
    assert res.exit_code == 0 and "expected agreement" not in out and "expected agreement" not in _run(
        ["info", tmp_path / "m2"])[1], out


def test_a_vote_that_is_no_whole_class_is_named(field, tmp_path):
    """A vote of 1.5 (a person's 'between 1 and 2') is refused with its column and row, never rounded."""
    root, data, cfg, votes = field
    bad = votes.copy()
    bad["class_h1"] = bad["class_h1"].astype(float)
    bad["class_h1"][4] = 1.5
    write_catalog(bad, tmp_path / "half.ecsv")
    res, out = _train(root, data, tmp_path / "half.ecsv", tmp_path / "m", "--label-columns", "class_h1,class_h2",
                      "--label-model", "dawid-skene")
    assert res.exit_code == 2, out
    assert re.search(r"half\.ecsv.*column 'class_h1', row 5.*1\.5 is not an integer", out), out
    assert "Traceback" not in out and not (tmp_path / "m").exists()


def test_candidates_nobody_labelled_are_not_called_without_an_output_class(field, tmp_path):
    """train --labels with an export that labels only some candidates said "(10 without an output
    class left out)": those rows have no label at all. They are now "candidates nobody labelled",
    apart from the rows whose votes are all for a class the task leaves out (merge 4: 0)."""
    root, data, cfg, votes = field
    some = votes[:30]
    write_catalog(some, tmp_path / "v.ecsv")
    res, out = _train(root, data, tmp_path / "v.ecsv", tmp_path / "m", "--label-model", "dawid-skene")
    assert res.exit_code == 0, out
    assert "(10 candidates nobody labelled left out)" in out, out
    assert "without an output class" not in out, out
    # a task that drops class 4: rows voted 4 by everyone map to no output class
    dropped = get_preset("legus4-compact", stamp_size=16, scales=[1.0], classes=[1, 2, 3],
                         class_names=["symmetric", "asymmetric", "multi-peak"], merge={1: 1, 2: 2, 3: 3, 4: 0},
                         recipe={"epochs": 1, "batch_size": 16, "val_fraction": 0.25})
    save_config(dropped, tmp_path / "drop4.yaml")
    # rows whose mode is 4 (each voted by someone): no output class
    n_none = int((votes_for_catalogue(dropped, some, model="mode").targets.sum(axis=1) == 0).sum())
    assert n_none > 0
    res, out = _run(["train", "--task", tmp_path / "drop4.yaml", "--mosaics", data, "--catalog",
                     data / "candidates.ecsv", "--labels", tmp_path / "v.ecsv", "--no-progress", "--device", "cpu",
                     "--seed", "1", "-o", tmp_path / "m4", "--label-model", "mode"])
    assert res.exit_code == 0, out
    assert f"(10 candidates nobody labelled, {n_none} whose labels map to no output class left out)" in out, out
    # the labels line counts the candidates people voted on and their votes, not the rows left with a target
    cols = [c for c in some.colnames if c.startswith("class_h")]
    marks = np.array([[int(v) > 0 for v in some[c]] for c in cols]).T
    n_voted, n_votes = int(marks.any(axis=1).sum()), int(marks.sum())
    assert n_voted == 30 and n_none > 0
    assert f"labels: {n_voted} candidates with votes in {', '.join(cols)} ({n_votes} votes)" in out, out


def test_candidates_nobody_labelled_are_said_once_in_the_same_words(field, tmp_path):
    """Without --no-progress, fit's timed line said "10 candidates without an output class are left out of
    training" and the summary "(10 candidates nobody labelled left out)" of the same rows (the user walk of
    2026-12-07: a fine-tune on 200 labels of 4,902 candidates). The summary's words are said alone."""
    root, data, cfg, votes = field
    write_catalog(votes[:30], tmp_path / "v.ecsv")
    res, out = _run(["train", "--task", root / "task.yaml", "--mosaics", data, "--catalog", data / "candidates.ecsv",
                     "--labels", tmp_path / "v.ecsv", "--device", "cpu", "--seed", "1", "-o", tmp_path / "m",
                     "--label-model", "mode"])
    assert res.exit_code == 0, out
    said = res.stderr + res.stdout
    assert "(10 candidates nobody labelled left out)" in said, said
    assert "without an output class" not in said, said


def test_annotators_name_the_people_of_a_csv_export(field, tmp_path):
    """train --labels e3.csv --label-model dawid-skene wrote annotators.ecsv without a person column: a
    CSV keeps no meta. inspect --export writes e3.people.json beside it (tests/test_inspect_user_names.py),
    which train now reads."""
    root, data, _, votes = field
    csv = tmp_path / "e3.csv"
    write_catalog(votes, csv)
    people = {"class_h1": "Ann Lee", "class_h2": "Björn Ødegård", "class_h3": "李明"}
    (tmp_path / "e3.people.json").write_text(json.dumps({"people": people}, ensure_ascii=False), encoding="utf-8")
    res, out = _train(root, data, csv, tmp_path / "m", "--label-model", "dawid-skene")
    assert res.exit_code == 0, out
    ann = Table.read(tmp_path / "m" / "annotators.ecsv")
    assert dict(zip(ann["annotator"], ann["person"])) == people
    # a file beside it that is no such JSON is named, nothing written
    (tmp_path / "e3.people.json").write_text("not json", encoding="utf-8")
    res, out = _train(root, data, csv, tmp_path / "m2", "--label-model", "dawid-skene")
    assert res.exit_code == 2 and "e3.people.json" in out and "cannot be read" in out, out
    assert not (tmp_path / "m2").exists()


def test_negative_votes_are_said_as_classify_says_them(field, tmp_path):
    """A -1 (the documented "no vote") was dropped without a word by train --labels, where classify --votes
    counts such cells and names the first (2026-12-05)."""
    root, data, cfg, votes = field
    neg = votes.copy()
    neg["class_h2"][4] = -1
    neg["class_h3"][9] = -99
    write_catalog(neg, tmp_path / "v.ecsv")
    res, out = _train(root, data, tmp_path / "v.ecsv", tmp_path / "m")
    assert res.exit_code == 0, out
    said = " ".join(out.split())
    assert "2 vote cells hold a negative number, read as no vote (first: column 'class_h2', row 5, -1)" in said, said
    write_catalog(votes, tmp_path / "v0.ecsv")
    res, out = _train(root, data, tmp_path / "v0.ecsv", tmp_path / "m0")
    assert res.exit_code == 0 and "read as no vote" not in out, out
