"""``train --stamps`` says each label of the folder with its count, in words, before training.

It printed Python's list of the labels, ``labels ['cluster', 'extended_cluster', 'galaxy']`` on the
PAndAS folder, without how many of each (9 extended clusters among 869 cutouts), where ``info``
of the same folder says ``labels: cluster 467, extended_cluster 9, galaxy 393``.
"""

import numpy as np
from typer.testing import CliRunner

import starclass.learn.cutouts as learn_cutouts
from starclass.cli import app
from starclass.errors import StarclassError

runner = CliRunner()


def test_the_labels_line_counts_each_label_in_words(tmp_path, monkeypatch):
    rows = ["file,label"]
    rng = np.random.default_rng(0)
    for i, lab in enumerate(["cluster", "cluster", "galaxy", "extended_cluster", "cluster"]):
        np.save(tmp_path / f"c{i}.npy", rng.random((16, 16)).astype("f4"))
        rows.append(f"c{i}.npy,{lab}")
    (tmp_path / "labels.csv").write_text("\n".join(rows) + "\n")
    (tmp_path / "small.yaml").write_text("extends: m31-real\nstamp_size: 16\n")

    def stop(*args, **kwargs):
        raise StarclassError("stopped before training (test)")

    # the line is said before training: no network needs to train for it
    monkeypatch.setattr(learn_cutouts, "fit_cutouts", stop)
    res = runner.invoke(app, ["train", "--task", str(tmp_path / "small.yaml"), "--stamps",
                              str(tmp_path / "labels.csv"), "-o", str(tmp_path / "m")])
    said = " ".join(res.output.split())
    assert "stopped before training" in said, res.output
    assert "labels cluster 3, extended_cluster 1, galaxy 1" in said, res.output
    assert "['" not in said, res.output
