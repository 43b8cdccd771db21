"""train --stamps on an inspect --export with ties says so, naming the rows and what to do.

The export gives a tied candidate (two people, two classes) the label scheme's tie rule as its
label and marks it ``tie`` True; it says "N ties to adjudicate", and the docs say to adjudicate
them before training. ``train --stamps round1/labels.csv`` then trained on those labels as on
any other without a word (the PAndAS loop: 3 of 12 labels were ties, two catalogue clusters
trained as galaxies).
"""

from __future__ import annotations

import numpy as np
from typer.testing import CliRunner

from starclass.cli import app


def _export(tmp_path, ties, with_n_labels=True):
    rng = np.random.default_rng(0)
    rows = []
    for i, tie in enumerate(ties):
        np.save(tmp_path / f"c{i}.npy", rng.normal(size=(16, 16)).astype(np.float32))
        label = ("cluster", "galaxy")[i % 2]
        cells = [str(i), f"c{i}.npy", label, label, *(["2"] if with_n_labels else []), tie]
        rows.append(",".join(cells) + "\n")
    head = "id,file,label,label_catalogue,n_labels,tie\n" if with_n_labels else "id,file,label,label_catalogue,tie\n"
    (tmp_path / "round1.csv").write_text(head + "".join(rows))
    (tmp_path / "t.yaml").write_text("extends: m31-real\nname: t16\nstamp_size: 16\nrecipe: {epochs: 1}\n")


def _train(tmp_path):
    return CliRunner().invoke(app, ["train", "--stamps", str(tmp_path / "round1.csv"), "--task",
                                    str(tmp_path / "t.yaml"), "--no-progress", "--device", "cpu",
                                    "-o", str(tmp_path / "m")])


def test_ties_of_an_export_are_named_before_training(tmp_path):
    ties = [False] * 16
    ties[2] = ties[9] = True
    _export(tmp_path, ["True" if t else "False" for t in ties])
    r = _train(tmp_path)
    assert r.exit_code == 0, r.output
    assert "round1.csv: 2 rows are ties of the people who labelled them" in r.output, r.output
    assert "rows 3, 10)" in r.output and "--label-model soft" in r.output


def test_no_tie_or_no_export_says_nothing(tmp_path):
    _export(tmp_path, ["False"] * 16)
    r = _train(tmp_path)
    assert r.exit_code == 0 and "are ties" not in r.output and "is a tie" not in r.output, r.output
    # a column named tie in a list that is no export (no n_labels) is the user's own
    (tmp_path / "m").rename(tmp_path / "m_first")
    _export(tmp_path, ["True"] * 16, with_n_labels=False)
    r = _train(tmp_path)
    assert r.exit_code == 0 and "ties of the people" not in r.output, r.output


def test_with_the_labels_so_far_the_warning_offers_no_vote_training_that_is_refused(tmp_path):
    """``train --stamps SO_FAR.csv --stamps round1.csv`` (the loop as docs/real_images.md runs it)
    warned about round1's ties and offered "--labels round1.csv --label-model soft"; given with the
    two lists, that is refused at once (votes are read from one --stamps list). The warning now
    offers it only where it runs: one list."""
    ties = [False] * 16
    ties[4] = True
    _export(tmp_path, ["True" if t else "False" for t in ties])
    rng = np.random.default_rng(1)
    rows = []
    for i in range(12):
        np.save(tmp_path / f"s{i}.npy", rng.normal(size=(16, 16)).astype(np.float32))
        rows.append(f"s{i}.npy,{('cluster', 'galaxy')[i % 2]}\n")
    (tmp_path / "so_far.csv").write_text("file,label\n" + "".join(rows))
    both = ["train", "--stamps", str(tmp_path / "so_far.csv"), "--stamps", str(tmp_path / "round1.csv"), "--task",
            str(tmp_path / "t.yaml"), "--no-progress", "--device", "cpu"]
    r = CliRunner().invoke(app, [*both, "-o", str(tmp_path / "m2")])
    said = " ".join(r.output.split())
    assert r.exit_code == 0, r.output
    assert "round1.csv: 1 row is a tie of the people who labelled it" in said, said
    offered = f"--labels {tmp_path / 'round1.csv'} --label-model soft"
    assert offered not in said and "reads the votes of one --stamps list, not of several" in said, said
    # what the old warning offered, added to the same command: refused
    r = CliRunner().invoke(app, [*both, *offered.split(), "-o", str(tmp_path / "m3")])
    assert r.exit_code == 2 and "several cutout lists" in r.output, r.output
    # one list: still offered (there it trains: run on the PAndAS round of 2026-12-06, 20 rows, exit 0)
    r = _train(tmp_path)
    assert r.exit_code == 0 and offered in " ".join(r.output.split()), r.output
