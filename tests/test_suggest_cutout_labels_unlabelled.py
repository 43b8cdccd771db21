"""``suggest --labels`` on a classified cutout folder counts only the rows that carry a label.

Walking the active-learning loop on the PAndAS cutouts (2026-12-05): ``inspect --stamps pool.csv
--export sofar.csv --include-unlabelled`` writes every cutout of the pool, the 538 nobody labelled with
an empty ``label``, ``class_ref`` 0 and votes of 0; ``suggest MODEL classified.ecsv --labels sofar.csv``
counted all 578 as labelled and refused ("every one of the 578 candidates already has a label"), as
it did for ids before (``tests/test_suggest.py``). The unlabelled pool's own list (no label column) was
refused the same way without a word of why, and the note on a classification that carries labels of
its own offered that list (the first CSV in sorted order naming the files) as the ``--labels`` to give.
"""

from __future__ import annotations

import numpy as np
from astropy.table import Table
from scipy.stats import entropy
from typer.testing import CliRunner

from starclass.cli import app
from starclass.learn.checkpoint import write_untrained_model
from starclass.learn.config import get_preset

runner = CliRunner()
P1 = np.array([0.95, 0.52, 0.70, 0.49, 0.10, 0.60])
FILES = [f"c{i}.png" for i in range(6)]


def _run(args):
    res = runner.invoke(app, [str(a) for a in args])
    return res, res.output


def _classified(tmp_path, *, with_labels: bool = False):
    """An untrained binary model and a classification of six cutouts of tmp_path/pool, recording that folder."""
    model = write_untrained_model(tmp_path / "m", get_preset("m31-binary-compact"), seed=0)
    pool = tmp_path / "pool"
    pool.mkdir()
    cols = {"file": FILES, "class_pred": np.where(P1 >= 0.5, 1, 2), "prob_1": P1, "prob_2": 1 - P1,
            "cutout_root": [str(pool)] * 6, "model": [str(model)] * 6}
    if with_labels:
        cols["class_ref"] = [1, 1, 2, 2, 2, 1]
    Table(cols).write(tmp_path / "classified.csv", format="ascii.csv")
    return model, pool


def _expected(left_out: set[int], n: int) -> list[str]:
    """The n most uncertain files by entropy (scipy), the rows ``left_out`` excluded."""
    order = np.argsort(-entropy(np.c_[P1, 1 - P1].T), kind="stable")
    return [FILES[i] for i in order if i not in left_out][:n]


def test_an_export_with_unlabelled_rows_leaves_out_only_the_labelled(tmp_path):
    model, pool = _classified(tmp_path)
    # inspect --stamps pool.csv --export sofar.csv --include-unlabelled: c3 and c1 labelled, the rest not
    (pool / "sofar.csv").write_text(
        "id,file,label,object_id,class_h1,n_labels,class_ref,tie\n"
        + "".join(f"{f},{f},{lab},o{i},{h},{int(h > 0)},{h},False\n"
                  for i, (f, lab, h) in enumerate(zip(FILES, ["", "galaxy", "", "cluster", "", ""],
                                                      [0, 2, 0, 1, 0, 0]))))
    out = tmp_path / "sugg.csv"
    res, text = _run(["suggest", model, tmp_path / "classified.csv", "-o", out, "-n", 3, "--mag-bins", 1,
                      "--labels", pool / "sofar.csv"])
    assert res.exit_code == 0, text
    assert "2 of the 6 cutouts are labelled there and left out" in text, text
    assert list(Table.read(out, format="ascii.csv")["file"]) == _expected({1, 3}, 3)


def test_a_label_column_with_blank_cells_counts_only_the_filled_ones(tmp_path):
    model, pool = _classified(tmp_path)
    (pool / "done.csv").write_text("file,label\n" + "".join(f"{f},{'galaxy' if i == 4 else ''}\n"
                                                            for i, f in enumerate(FILES)))
    out = tmp_path / "sugg.csv"
    res, text = _run(["suggest", model, tmp_path / "classified.csv", "-o", out, "-n", 4, "--mag-bins", 1,
                      "--labels", pool / "done.csv"])
    assert res.exit_code == 0, text
    assert "1 of the 6 cutouts is labelled there" in text, text
    assert list(Table.read(out, format="ascii.csv")["file"]) == _expected({4}, 4)


def test_the_pools_own_list_without_labels_is_named_as_such(tmp_path):
    model, pool = _classified(tmp_path)
    (pool / "pool.csv").write_text("file,object_id\n" + "".join(f"{f},o{i}\n" for i, f in enumerate(FILES)))
    out = tmp_path / "sugg.csv"
    res, text = _run(["suggest", model, tmp_path / "classified.csv", "-o", out, "-n", 3,
                      "--labels", pool / "pool.csv"])
    assert res.exit_code == 2, text
    assert "already has a label in --labels" in text and "no label, class_ref or class_h<k> column" in text, text
    assert "Traceback" not in text and not out.exists()


def test_the_note_offers_the_list_that_labels_the_cutouts_not_the_unlabelled_pool(tmp_path):
    model, pool = _classified(tmp_path, with_labels=True)
    # the unlabelled pool list sorts before the labelled one; both name every cutout
    (pool / "a_pool.csv").write_text("file,object_id\n" + "".join(f"{f},o{i}\n" for i, f in enumerate(FILES)))
    (pool / "b_truth.csv").write_text("file,label\n" + "".join(f"{f},cluster\n" for f in FILES))
    res, text = _run(["suggest", model, tmp_path / "classified.csv", "-o", tmp_path / "s.csv", "-n", 3])
    assert res.exit_code == 0, text
    assert f"give --labels {pool / 'b_truth.csv'} to leave them out" in text, text
