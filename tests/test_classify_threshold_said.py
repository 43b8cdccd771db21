"""classify says which decision threshold decided class_pred, and records where it came from.

``classify --stamps data/labels.csv --model m1 --threshold 0.4`` printed "(1 member(s))" and
class counts that differ from the most probable class with no word of the 0.4; the same with a
threshold the model stored from ``train --target-purity``. The meta held the number alone.
"""

from __future__ import annotations

import numpy as np
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()
BASE = ["--no-progress", "--device", "cpu"]


def _model(tmp_path):
    rng = np.random.default_rng(1)
    data = tmp_path / "data"
    data.mkdir()
    rows = []
    for i in range(16):
        np.save(data / f"c{i}.npy", rng.normal(size=(16, 16)).astype(np.float32))
        rows.append(f"c{i}.npy,{('cluster', 'galaxy')[i % 2]}\n")
    (data / "labels.csv").write_text("file,label\n" + "".join(rows))
    (tmp_path / "t.yaml").write_text("extends: m31-real\nname: t16\nstamp_size: 16\nrecipe: {epochs: 1}\n")
    r = runner.invoke(app, ["train", "--stamps", str(data / "labels.csv"), "--task", str(tmp_path / "t.yaml"),
                            *BASE, "-o", str(tmp_path / "m")])
    assert r.exit_code == 0, r.output
    return data / "labels.csv", tmp_path / "m"


def test_a_given_and_a_stored_threshold_are_said_and_recorded(tmp_path):
    labels, model = _model(tmp_path)
    out = tmp_path / "c.ecsv"
    r = runner.invoke(app, ["classify", "--stamps", str(labels), "--model", str(model), "--threshold", "0.4",
                            *BASE, "-o", str(out)])
    assert r.exit_code == 0, r.output
    assert "decision threshold 0.4 (--threshold): class_pred is 1 (cluster) where prob_1_raw >= 0.4" in r.output
    t = Table.read(out)
    assert t.meta["threshold"] == 0.4 and t.meta["threshold_source"] == "--threshold"
    # the line counts the classes the threshold changed: as many as differ from the raw argmax
    raw = np.column_stack([t["prob_1_raw"], t["prob_2_raw"]])
    changed = int(np.sum(np.array([1, 2])[raw.argmax(axis=1)] != np.asarray(t["class_pred"])))
    assert f"{changed} of the 16 classified differ from the most probable class" in r.output
    r = runner.invoke(app, ["info", str(out)])
    assert r.exit_code == 0 and "decision: class_pred 1 (cluster) where prob_1_raw >= 0.4 (--threshold)" in r.output

    # a threshold stored by train --target-purity (written here as train writes it)
    from starclass.learn.checkpoint import set_tuned_threshold

    set_tuned_threshold(model, {"threshold": 0.3, "target_purity": 0.8, "n_val": 9, "n_val_positive": 4,
                                "positive_class": 1})
    r = runner.invoke(app, ["classify", "--stamps", str(labels), "--model", str(model), *BASE,
                            "-o", str(tmp_path / "s.ecsv")])
    assert r.exit_code == 0, r.output
    said = "decision threshold 0.3 (the model's, chosen by train --target-purity 0.8 on 9 validation rows)"
    assert said in r.output
    assert Table.read(tmp_path / "s.ecsv").meta["threshold_source"].startswith("the model's, chosen by")
    # a CSV keeps no meta: the threshold was recorded nowhere ("does not record it"), and evaluate, report and info
    # of the CSV said nothing of it; its columns keep it now, and the readers say it as of an ECSV
    for given, said in ((["--threshold", "0.5"], "0.5 (--threshold)"), ([], "0.3 (the model's, chosen by")):
        csv = tmp_path / f"c{len(given)}.csv"
        r = runner.invoke(app, ["classify", "--stamps", str(labels), "--model", str(model), *given, *BASE,
                                "-o", str(csv)])
        assert r.exit_code == 0 and f"{csv} records it in its threshold, threshold_source, positive_class" \
            in r.output, r.output
        t = Table.read(csv)
        assert set(t["threshold"]) == {float(said.split()[0])} and set(t["positive_class"]) == {1}
        r = runner.invoke(app, ["info", str(csv)])
        assert r.exit_code == 0 and f"decision: class_pred 1 (cluster) where prob_1_raw >= {said}" in r.output, \
            r.output
        r = runner.invoke(app, ["evaluate", str(csv), "--bootstrap", "0", "--no-science",
                                "-o", str(tmp_path / f"ev{len(given)}")])
        assert r.exit_code == 0 and f"class_pred decided by classify's threshold {said}" in r.output, r.output
        page = tmp_path / f"r{len(given)}" / "r.html"
        r = runner.invoke(app, ["report", str(csv), "--bootstrap", "0", "-o", str(page)])
        assert r.exit_code == 0, r.output
        assert f"decision threshold {float(said.split()[0]):.3f}." in page.read_text(), r.output


def test_the_most_probable_class_says_no_threshold(tmp_path):
    labels, model = _model(tmp_path)
    r = runner.invoke(app, ["classify", "--stamps", str(labels), "--model", str(model), *BASE,
                            "-o", str(tmp_path / "n.ecsv")])
    assert r.exit_code == 0, r.output
    assert "decision threshold" not in r.output
    assert "threshold_source" not in Table.read(tmp_path / "n.ecsv").meta
