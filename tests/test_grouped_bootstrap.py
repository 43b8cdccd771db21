"""Bootstrap intervals that resample whole objects (the cluster bootstrap) where rows repeat an object.

The PAndAS folder has 869 cutouts of 755 objects (``object_id``): ``train --group-column`` kept an
object on one side of every split, but ``evaluate``'s intervals resampled rows, so the copies of one
object counted as independent evidence and the intervals were too narrow.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from conftest import toy_task
from starclass.cli import app
from starclass.evaluate.bootstrap import bootstrap_ci
from starclass.evaluate.compare import evaluate_catalogs
from starclass.evaluate.task import EvalTask

# the evaluations' and reports' figures are built but not rendered to PNG (conftest's unrendered_figures): these
# tests read the printed lines, tables and pages around them, and rendering was about half of each command
pytestmark = pytest.mark.usefixtures("unrendered_figures")

runner = CliRunner()


# ----------------------------------------------------------------------------- bootstrap_ci


@pytest.mark.parametrize("layout", ["repeat", "tile"])
def test_five_copies_of_ten_objects_give_the_interval_of_the_ten(layout):
    rng = np.random.default_rng(3)
    x = rng.normal(size=10)
    # copies side by side (repeat) or interleaved (tile): the groups are numbered by first appearance either way
    rows = np.repeat(x, 5) if layout == "repeat" else np.tile(x, 5)
    groups = np.repeat(np.arange(10), 5) if layout == "repeat" else np.tile(np.arange(10), 5)
    grouped = bootstrap_ci(np.mean, rows, n_boot=400, seed=7, groups=groups)
    unique = bootstrap_ci(np.mean, x, n_boot=400, seed=7)
    assert grouped == pytest.approx(unique, rel=1e-12, abs=1e-12)
    by_row = bootstrap_ci(np.mean, rows, n_boot=400, seed=7)
    assert by_row[0] == pytest.approx(grouped[0])
    # the rows as independent: about sqrt(5) narrower than the objects allow
    assert (grouped[2] - grouped[1]) > 1.7 * (by_row[2] - by_row[1])


def _brute_force(metric, x, groups, n_boot, seed, level=0.95):
    """The cluster bootstrap written out: the same generator draws group numbers (first appearance order)."""
    order = list(dict.fromkeys(groups.tolist()))
    members = [np.flatnonzero(groups == g) for g in order]
    rng = np.random.default_rng(seed)
    vals = []
    for _ in range(n_boot):
        drawn = rng.integers(0, len(order), len(order))
        idx = np.concatenate([members[j] for j in drawn])
        vals.append(metric(x[idx]))
    a = (1 - level) / 2
    return float(metric(x)), *np.quantile(vals, [a, 1 - a])


def test_groups_of_unequal_sizes_are_drawn_whole_as_a_hand_made_resampler_draws_them():
    rng = np.random.default_rng(0)
    sizes = rng.integers(1, 6, 25)
    groups = np.array([f"obj{g}" for g, s in enumerate(sizes) for _ in range(s)])
    perm = rng.permutation(groups.size)  # rows of one object scattered through the table
    groups = groups[perm]
    effect = dict(zip(np.unique(groups), rng.normal(0, 1, 25)))
    x = np.array([effect[g] for g in groups]) + rng.normal(0, 0.3, groups.size)
    got = bootstrap_ci(np.mean, x, n_boot=300, seed=11, groups=groups)
    assert got == pytest.approx(_brute_force(np.mean, x, groups, 300, 11), rel=1e-12)


def test_the_grouped_standard_error_of_a_mean_is_the_cluster_robust_one():
    # 40 objects of 1-8 rows sharing an object effect: the analytical cluster-robust (sandwich) standard error
    # of the mean, sqrt(sum_g (sum_{i in g} (x_i - mean))^2) / N, against the interval's width / (2 x 1.96)
    rng = np.random.default_rng(5)
    sizes = rng.integers(1, 9, 40)
    groups = np.repeat(np.arange(40), sizes)
    x = np.repeat(rng.normal(0, 1, 40), sizes) + rng.normal(0, 0.5, groups.size)
    resid = x - x.mean()
    se_cluster = np.sqrt(np.sum(np.bincount(groups, weights=resid) ** 2)) / x.size
    se_rows = x.std(ddof=0) / np.sqrt(x.size)
    assert se_cluster > 1.5 * se_rows  # the case is one where the two differ
    _, lo, hi = bootstrap_ci(np.mean, x, n_boot=4000, seed=1, groups=groups)
    assert (hi - lo) / (2 * 1.96) == pytest.approx(se_cluster, rel=0.1)
    _, lo_r, hi_r = bootstrap_ci(np.mean, x, n_boot=4000, seed=1)
    assert (hi_r - lo_r) / (2 * 1.96) == pytest.approx(se_rows, rel=0.1)


def test_group_codes_follow_first_appearance_and_bad_groups_are_refused():
    from starclass.evaluate.bootstrap import group_codes

    assert group_codes(np.array([5, 3, 5, 9, 3])).tolist() == [0, 1, 0, 2, 1]
    from starclass.errors import StarclassError

    with pytest.raises(StarclassError, match="3 groups for 4 rows"):
        bootstrap_ci(np.mean, np.arange(4.0), groups=np.arange(3))
    with pytest.raises(StarclassError, match="at least 2 objects"):
        bootstrap_ci(np.mean, np.arange(4.0), groups=np.zeros(4))


# ----------------------------------------------------------------------------- every kind of task


def _classified(k: int, n: int, copies: int, seed: int) -> tuple[Table, EvalTask]:
    """``n`` objects of a ``k``-class task, each classified ``copies`` times identically (one row per copy)."""
    rng = np.random.default_rng(seed)
    ref = np.resize(np.arange(1, k + 1), n)  # every class present
    logits = rng.normal(size=(n, k))
    logits[np.arange(n), ref - 1] += 1.2
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    t = Table({"object_id": [f"M{i}" for i in range(n)], "class_ref": ref, "class_pred": p.argmax(axis=1) + 1})
    for j in range(k):
        t[f"prob_{j + 1}"] = p[:, j]
    return t[np.repeat(np.arange(n), copies)], toy_task(k)


def _intervals(ev) -> dict:
    s = ev.comparisons[0].summary
    return {str(r["merge"]): tuple(float(r[c]) for c in ("accuracy_lo", "accuracy_hi", "balanced_accuracy_lo",
                                                          "balanced_accuracy_hi")) for r in s}


@pytest.mark.parametrize("k", [2, 3, 4, 5])
def test_objects_of_one_row_each_give_the_row_intervals_for_every_kind_of_task(k):
    t, task = _classified(k, 60, 1, seed=k)
    rows = evaluate_catalogs(t, task=task, n_boot=100)
    objects = evaluate_catalogs(t, task=task, n_boot=100, group_column="object_id")
    assert _intervals(objects) == _intervals(rows)  # identical draws: identical intervals
    c = objects.comparisons[0]
    assert c.interval_note == "95% intervals resample the 60 objects (object_id: one row each)"
    assert rows.comparisons[0].interval_note is None


@pytest.mark.parametrize("k", [2, 3, 4, 5])
def test_three_copies_of_each_object_give_the_objects_intervals_not_the_rows(k):
    one, task = _classified(k, 60, 1, seed=10 + k)
    three, _ = _classified(k, 60, 3, seed=10 + k)
    unique = _intervals(evaluate_catalogs(one, task=task, n_boot=100))
    grouped_ev = evaluate_catalogs(three, task=task, n_boot=100, group_column="object_id")
    grouped = _intervals(grouped_ev)
    by_row = _intervals(evaluate_catalogs(three, task=task, n_boot=100))
    assert grouped.keys() == unique.keys()
    for m in grouped:
        assert grouped[m] == pytest.approx(unique[m], abs=1e-9), m
    first = next(iter(grouped))
    # the row bootstrap of 180 rows is narrower than the 60 objects allow
    assert by_row[first][1] - by_row[first][0] < grouped[first][1] - grouped[first][0]
    assert "resample the 60 objects (object_id), not the 180 rows" in "\n".join(grouped_ev.comparisons[0].lines())


# ----------------------------------------------------------------------------- the command


def _classified_csv(path: Path, copies: int = 2, n: int = 40) -> Path:
    """What ``classify --stamps`` of an m31-real folder writes as CSV (no meta): two cutouts per object."""
    rng = np.random.default_rng(2)
    labels = np.resize(["cluster", "galaxy"], n)
    y = np.where(labels == "cluster", 1, 2)
    p1 = np.clip(np.where(y == 1, 0.65, 0.35) + rng.normal(0, 0.25, n), 0.01, 0.99)
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["file", "label", "object_id", "class_pred", "prob_1", "prob_2"])
        for i in range(n):
            for c in range(copies):
                w.writerow([f"{labels[i]}/o{i:02d}_{c}.png", labels[i], f"OBJ-{i}", 1 if p1[i] >= 0.5 else 2,
                            p1[i], 1 - p1[i]])
    return path


def _accuracy_interval(output: str) -> tuple[float, float]:
    line = next(ln for ln in output.splitlines() if ln.strip().startswith("2class: accuracy"))
    lo, hi = re.search(r"accuracy [0-9.]+ \[([0-9.]+), ([0-9.]+)\]", line).groups()
    return float(lo), float(hi)


def test_evaluate_group_column_resamples_objects_and_says_so(tmp_path):
    out = _classified_csv(tmp_path / "out.csv")
    base = ["evaluate", str(out), "--task", "m31-real", "--label-column", "label", "--no-science"]
    grouped = runner.invoke(app, [*base, "--group-column", "object_id", "-o", str(tmp_path / "g")])
    assert grouped.exit_code == 0, grouped.output
    assert "95% intervals resample the 40 objects (object_id), not the 80 rows" in grouped.output
    rows = runner.invoke(app, [*base, "-o", str(tmp_path / "r")])
    assert rows.exit_code == 0, rows.output
    assert "intervals resample" not in rows.output
    assert "(80 rows of 40 objects)" in grouped.output and "(80 objects)" in rows.output
    assert "80 rows paired row by row, 80 classified in both (40 objects)" in grouped.output
    lo_g, hi_g = _accuracy_interval(grouped.output)
    lo_r, hi_r = _accuracy_interval(rows.output)
    assert hi_g - lo_g > hi_r - lo_r
    # the tables written hold the objects' intervals, and the report's note says what was resampled
    summ = Table.read(tmp_path / "g" / "tables" / "summary_out_class_ref.ecsv")
    assert float(summ["accuracy_lo"][0]) == pytest.approx(lo_g, abs=5e-4)


def test_evaluate_group_column_that_is_missing_is_refused_naming_it_and_the_file(tmp_path):
    out = _classified_csv(tmp_path / "out.csv")
    res = runner.invoke(app, ["evaluate", str(out), "--task", "m31-real", "--label-column", "label",
                              "--group-column", "objectid", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 2, res.output
    assert "'objectid'" in res.output and str(out) in res.output and "Traceback" not in res.output
    # the file's own columns: not the class_ref that --label-column made
    assert "columns of" in res.output and "object_id" in res.output and "class_ref" not in res.output
    assert not (tmp_path / "ev").exists()


def _twin_cutouts_and_model(tmp_path: Path) -> tuple[Path, Path]:
    """A labelled folder of 12 objects, two cutouts each (another CCD, as in the PAndAS folder), and a model.

    Returns the labels CSV (file, label, object_id) and an untrained m31-real model (its task reads object_id).
    """
    from conftest import write_noise_cutout_folder, write_untrained_model  # tests/ is on sys.path under pytest
    from starclass.learn.config import get_preset

    labels = write_noise_cutout_folder(tmp_path / "folder", size=16, object_ids=True, n=12)
    rows = list(csv.DictReader(open(labels)))
    with open(labels, "a", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        for r in rows:
            twin = r["file"].replace(".npy", "_b.npy")
            np.save(tmp_path / "folder" / twin, np.load(tmp_path / "folder" / r["file"])[::-1].copy())
            w.writerow({**r, "file": twin})
    return labels, write_untrained_model(tmp_path / "model", get_preset("m31-real", stamp_size=16))


def test_evaluate_takes_the_group_column_classify_recorded(tmp_path):
    labels, model = _twin_cutouts_and_model(tmp_path)
    out = tmp_path / "out.ecsv"
    res = runner.invoke(app, ["classify", "--model", str(model), "--stamps", str(labels), "-o", str(out),
                              "--no-progress", "--device", "cpu"])
    assert res.exit_code == 0, res.output
    assert Table.read(out).meta["group_column"] == "object_id"
    ev = runner.invoke(app, ["evaluate", str(out), "-o", str(tmp_path / "ev"), "--no-science"])
    assert ev.exit_code == 0, ev.output
    assert "95% intervals resample the 12 objects (object_id), not the 24 rows" in ev.output


@pytest.mark.usefixtures("single_thread")
def test_evaluate_and_report_of_a_csv_take_the_group_column_of_the_model_it_names(tmp_path):
    # classify --stamps -o out.csv (the docs' command): a CSV keeps no meta, so evaluate out.csv resampled the
    # 24 rows as 24 objects, although its 'model' column names the model (whose task, m31-real, reads object_id)
    labels, model = _twin_cutouts_and_model(tmp_path)
    out = tmp_path / "out.csv"
    res = runner.invoke(app, ["classify", "--model", str(model), "--stamps", str(labels), "-o", str(out),
                              "--no-progress", "--device", "cpu"])
    assert res.exit_code == 0, res.output
    ev = runner.invoke(app, ["evaluate", str(out), "--label-column", "label", "-o", str(tmp_path / "ev"),
                             "--no-science"])
    assert ev.exit_code == 0, ev.output
    assert "95% intervals resample the 12 objects (object_id), not the 24 rows" in ev.output
    # the same intervals as the column named by hand
    named = runner.invoke(app, ["evaluate", str(out), "--label-column", "label", "--group-column", "object_id",
                                "-o", str(tmp_path / "ev2"), "--no-science"])
    assert _accuracy_interval(ev.output) == _accuracy_interval(named.output)
    page = tmp_path / "r.html"
    rep = runner.invoke(app, ["report", str(out), "--label-column", "label", "-o", str(page)])
    assert rep.exit_code == 0, rep.output
    assert "95% intervals resample the 12 objects (object_id), not the 24 rows" in page.read_text()
    # a folder without the column (label folders: every image its own object) is scored row by row, as before
    plain = Table.read(out, format="ascii.csv")
    plain.remove_column("object_id")
    plain.write(tmp_path / "plain.csv")
    ev = runner.invoke(app, ["evaluate", str(tmp_path / "plain.csv"), "--label-column", "label", "-o",
                             str(tmp_path / "ev3"), "--no-science"])
    assert ev.exit_code == 0, ev.output
    assert "intervals resample" not in ev.output


def test_cross_validation_predictions_record_their_group_column(tmp_path, single_thread):
    # train --cv of a cutout folder writes each held-out row's object in 'group': evaluate of cv_predictions.ecsv
    # resamples the objects by default, as the folds kept them whole
    from starclass.datasets.stamps import make_synthetic
    from starclass.learn.config import get_preset
    from starclass.learn.crossval import cross_validate

    cfg = get_preset("galaxy-cluster-compact", stamp_size=16, recipe={"epochs": 1, "batch_size": 16})
    data = make_synthetic(cfg, 24, seed=0)
    groups = np.repeat([f"G{i}" for i in range(12)], 2)
    cross_validate(cfg, data.inputs, data.class_ref, scheme=2, outdir=tmp_path / "cv", progress=False, device="cpu",
                   groups=groups, extra_columns={"group": groups})
    pred = Table.read(tmp_path / "cv" / "cv_predictions.ecsv")
    assert pred.meta["group_column"] == "group"
    ev = evaluate_catalogs(pred, n_boot=50)
    assert ev.comparisons[0].interval_note == "95% intervals resample the 12 objects (group), not the 24 rows"


def test_report_group_column_says_what_the_intervals_resample(tmp_path):
    out = _classified_csv(tmp_path / "out.csv")
    page = tmp_path / "r.html"
    res = runner.invoke(app, ["report", str(out), "--task", "m31-real", "--label-column", "label",
                              "--group-column", "object_id", "-o", str(page)])
    assert res.exit_code == 0, res.output
    assert "95% intervals resample the 40 objects (object_id), not the 80 rows" in page.read_text()



def test_report_counts_rows_as_rows_where_they_repeat_objects_as_evaluate_does(tmp_path):
    """The report's metrics section said "80 objects paired row by row" of 80 cutouts of 40 objects, just above
    "95% intervals resample the 40 objects", and its calibration text "on 80 objects" (found by s64audit on 46
    PAndAS cutouts of 40 objects); evaluate's terminal line has said rows since 2026-12-05. Without a group
    column the rows are the objects, and are called so, as before."""
    import html as _html

    out = _classified_csv(tmp_path / "out.csv")

    def text_of(page: Path) -> str:
        return re.sub(r"\s+", " ", _html.unescape(re.sub(r"<[^>]+>", " ", page.read_text())))

    page = tmp_path / "g" / "g.html"
    res = runner.invoke(app, ["report", str(out), "--task", "m31-real", "--label-column", "label",
                              "--group-column", "object_id", "-o", str(page)])
    assert res.exit_code == 0, res.output
    text = text_of(page)
    assert "80 rows paired row by row, 80 classified in both (40 objects)." in text, text[:2000]
    assert "80 objects paired" not in text
    assert "0 best, 2 worst), on 80 rows." in text
    page = tmp_path / "r" / "r.html"
    res = runner.invoke(app, ["report", str(out), "--task", "m31-real", "--label-column", "label", "-o", str(page)])
    assert res.exit_code == 0, res.output
    text = text_of(page)
    assert "80 objects paired row by row, 80 classified in both." in text
    assert "0 best, 2 worst), on 80 objects." in text

def test_evaluate_group_column_empty_on_a_scored_row_is_refused_naming_the_file_and_row(tmp_path):
    out = _classified_csv(tmp_path / "out.csv")
    lines = out.read_text().splitlines()
    cells = lines[5].split(",")  # data row 4 (0-based)
    cells[2] = ""
    lines[5] = ",".join(cells)
    out.write_text("\n".join(lines) + "\n")
    res = runner.invoke(app, ["evaluate", str(out), "--task", "m31-real", "--label-column", "label",
                              "--group-column", "object_id", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 2, res.output
    assert (f"{out}: group column 'object_id' (--group-column) is empty on 1 scored row (row 4, 0-based)"
            in " ".join(res.output.split()))
    assert not (tmp_path / "ev").exists()


@pytest.mark.usefixtures("single_thread")
def test_the_group_column_train_was_given_reaches_classify_and_evaluate(tmp_path):
    # train --group-column obj on a folder whose object column is not the task's (m31-real: object_id): classify read
    # the task's column, absent here, so its output named no objects and evaluate resampled the rows
    from starclass.learn.checkpoint import load_model
    from starclass.learn.config import get_preset, save_config

    rng = np.random.default_rng(0)
    root = tmp_path / "data"
    root.mkdir()
    rows = []
    for k in range(12):
        label = ("cluster", "galaxy")[k % 2]
        img = rng.normal(0, 1, (16, 16)).astype(np.float32)
        for copy in "ab":  # two cutouts of each object
            np.save(root / f"o{k}{copy}.npy", img[::-1] if copy == "b" else img)
            rows.append(f"o{k}{copy}.npy,{label},OB{k}")
    (root / "labels.csv").write_text("file,label,obj\n" + "\n".join(rows) + "\n")
    cfg = get_preset("m31-real", stamp_size=16, recipe={"epochs": 1, "batch_size": 12, "val_fraction": 0.25})
    task = save_config(cfg, tmp_path / "task.yaml")
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(root / "labels.csv"),
                              "--group-column", "obj", "-o", str(tmp_path / "m"), "--no-progress"])
    assert res.exit_code == 0, res.output
    assert load_model(tmp_path / "m").training_group_column == "obj"
    out = tmp_path / "out.ecsv"
    res = runner.invoke(app, ["classify", "--model", str(tmp_path / "m"), "--stamps", str(root / "labels.csv"),
                              "-o", str(out), "--no-progress", "--device", "cpu"])
    assert res.exit_code == 0, res.output
    assert Table.read(out).meta["group_column"] == "obj"
    ev = runner.invoke(app, ["evaluate", str(out), "-o", str(tmp_path / "ev"), "--no-science"])
    assert ev.exit_code == 0, ev.output
    assert "95% intervals resample the 12 objects (obj), not the 24 rows" in ev.output


@pytest.mark.usefixtures("single_thread")
def test_evaluate_takes_the_model_group_column_from_the_reference_when_the_output_lacks_it(tmp_path):
    # a folder classified without its labels (a CSV of files only: no object_id in OUT.csv), scored with
    # -r labels.csv --label-column label: the model (m31-real's task) reads object_id, which only the
    # reference has; the bootstrap resampled the 24 rows as 24 objects
    labels, model = _twin_cutouts_and_model(tmp_path)
    files = tmp_path / "folder" / "files.csv"
    files.write_text("file\n" + "".join(f"{r['file']}\n" for r in csv.DictReader(open(labels))))
    out = tmp_path / "out.csv"
    res = runner.invoke(app, ["classify", "--model", str(model), "--stamps", str(files), "-o", str(out),
                              "--no-progress", "--device", "cpu"])
    assert res.exit_code == 0, res.output
    assert "object_id" not in Table.read(out, format="ascii.csv").colnames
    ev = runner.invoke(app, ["evaluate", str(out), "-r", str(labels), "--label-column", "label", "-o",
                             str(tmp_path / "ev"), "--no-science"])
    assert ev.exit_code == 0, ev.output
    assert f"95% intervals resample the 12 objects (object_id of {labels}), not the 24 rows" in ev.output
    assert "(24 rows of 12 objects)" in ev.output
    # the same figures as with the column copied into the output by hand (paired by file)
    hand = Table.read(out, format="ascii.csv")
    by_file = {r["file"]: r for r in csv.DictReader(open(labels))}
    hand["object_id"] = [by_file[str(f)]["object_id"] for f in hand["file"]]
    hand["label"] = [by_file[str(f)]["label"] for f in hand["file"]]
    hand.write(tmp_path / "hand.csv")
    ref = runner.invoke(app, ["evaluate", str(tmp_path / "hand.csv"), "--label-column", "label", "-o",
                              str(tmp_path / "ev_hand"), "--no-science"])
    assert ref.exit_code == 0, ref.output
    assert "95% intervals resample the 12 objects (object_id), not the 24 rows" in ref.output
    assert _accuracy_interval(ev.output) == _accuracy_interval(ref.output)
    got = Table.read(tmp_path / "ev" / "tables" / "summary_labels.ecsv")
    want = Table.read(tmp_path / "ev_hand" / "tables" / "summary_hand_class_ref.ecsv")
    for col in ("accuracy", "accuracy_lo", "accuracy_hi", "balanced_accuracy_lo", "balanced_accuracy_hi"):
        assert float(got[col][0]) == pytest.approx(float(want[col][0]), abs=1e-12), col
    # --group-column naming a column only the reference has: the same
    named = runner.invoke(app, ["evaluate", str(out), "-r", str(labels), "--label-column", "label",
                                "--group-column", "object_id", "-o", str(tmp_path / "ev2"), "--no-science"])
    assert named.exit_code == 0, named.output
    assert _accuracy_interval(named.output) == _accuracy_interval(ev.output)


def test_an_object_column_taken_from_the_reference_and_empty_on_a_row_is_not_called_the_group_column_option(
        tmp_path):
    # the labels CSV given with -r lacks the object of one row; the user gave no --group-column, yet evaluate said
    # "group column 'object_id' (--group-column) is empty on 1 scored row": an option they never used
    labels, model = _twin_cutouts_and_model(tmp_path)
    rows = list(csv.DictReader(open(labels)))
    rows[3]["object_id"] = ""
    with open(labels, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    files = tmp_path / "folder" / "files.csv"
    files.write_text("file\n" + "".join(f"{r['file']}\n" for r in rows))
    out = tmp_path / "out.csv"
    res = runner.invoke(app, ["classify", "--model", str(model), "--stamps", str(files), "-o", str(out),
                              "--no-progress", "--device", "cpu"])
    assert res.exit_code == 0, res.output
    ev = runner.invoke(app, ["evaluate", str(out), "-r", str(labels), "--label-column", "label", "-o",
                             str(tmp_path / "ev"), "--no-science"])
    said = " ".join(ev.output.split())
    assert ev.exit_code == 2, ev.output
    assert (f"{labels}: group column 'object_id' (the object column the model reads; fill it in, or name another "
            "with --group-column) is empty on 1 scored row (row 3, 0-based)") in said, said
    assert "(--group-column)" not in said
    assert not (tmp_path / "ev").exists()


def test_report_says_rows_kept_and_rows_paired_where_rows_repeat_objects(tmp_path):
    """The page said "compared on the objects paired" and "Accuracy on the objects kept" of 80 cutouts of 40
    objects (found by s64audit), beside the metrics' "80 rows paired": rows there, as evaluate says them;
    without a group column the rows are the objects and are called so."""
    import html as _html

    out = _classified_csv(tmp_path / "out.csv")

    def text_of(page: Path) -> str:
        return re.sub(r"\s+", " ", _html.unescape(re.sub(r"<[^>]+>", " ", page.read_text())))

    base = ["report", str(out), "--task", "m31-real", "--label-column", "label"]
    page = tmp_path / "g" / "g.html"
    res = runner.invoke(app, [*base, "--group-column", "object_id", "-o", str(page)])
    assert res.exit_code == 0, res.output
    text = text_of(page)
    assert "compared on the rows paired:" in text and "Accuracy on the rows kept when" in text, text[:3000]
    assert "objects paired" not in text and "objects kept" not in text
    page = tmp_path / "r" / "r.html"
    res = runner.invoke(app, [*base, "-o", str(page)])
    assert res.exit_code == 0, res.output
    text = text_of(page)
    assert "compared on the objects paired:" in text and "Accuracy on the objects kept when" in text


def test_evaluate_names_a_column_that_may_hold_the_objects_where_the_models_is_missing(tmp_path):
    """Another team's folder names its objects in 'id' (issue 12 audit): classified by a model that reads object_id,
    evaluate resampled the 24 rows as 24 objects and said nothing of the 12 objects in 'id'."""
    labels, model = _twin_cutouts_and_model(tmp_path)
    out = tmp_path / "out.csv"
    res = runner.invoke(app, ["classify", "--model", str(model), "--stamps", str(labels), "-o", str(out),
                              "--no-progress", "--device", "cpu"])
    assert res.exit_code == 0, res.output
    theirs = Table.read(out, format="ascii.csv")
    theirs.rename_column("object_id", "id")
    theirs.write(tmp_path / "theirs.csv")
    ev = runner.invoke(app, ["evaluate", str(tmp_path / "theirs.csv"), "--label-column", "label", "-o",
                             str(tmp_path / "ev"), "--no-science"])
    assert ev.exit_code == 0, ev.output
    said = " ".join(ev.output.split())
    assert "95% intervals resample the 24 rows one by one" in said, said
    assert "its column 'id' repeats values (12 in 24 rows): if it names each row's object, give --group-column id" \
        in said, said
    # the rows may not be objects: called rows beside "resample the 24 rows" (said "24 objects paired" before)
    assert "24 rows paired row by row" in said and "objects paired" not in said, said
    assert "(24 rows)" in said and "(24 objects)" not in said, said
    named = runner.invoke(app, ["evaluate", str(tmp_path / "theirs.csv"), "--label-column", "label",
                                "--group-column", "id", "-o", str(tmp_path / "ev2"), "--no-science"])
    assert named.exit_code == 0 and "one by one" not in named.output, named.output
