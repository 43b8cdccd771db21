"""``suggest`` with a classification by another task's model: refused with the way that works.

Walking the loop on PAndAS cutouts and a simulated HST field (2026-12-05): a four-class HST model given
the two-class classification of the cutout pool said "give the mosaics (--mosaics) to classify them";
``suggest ... --mosaics`` then refused the cutout folder ("leave out --mosaics"), so the advice led in a
circle. A classified cutout folder is told to be classified with the model (``classify --stamps``), and
both kinds of table name the model that classified them, where they record it.
"""

from __future__ import annotations

import numpy as np
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.io.catalog import write_catalog
from starclass.learn.checkpoint import write_untrained_model
from starclass.learn.config import get_preset

runner = CliRunner()


def _run(args):
    res = runner.invoke(app, [str(a) for a in args])
    return res, res.output


def test_a_cutout_classification_by_another_task_is_sent_to_classify_stamps(tmp_path):
    four = write_untrained_model(tmp_path / "hst", get_preset("legus4-compact"), seed=0)
    p1 = np.array([0.9, 0.4, 0.6])
    # classify --stamps of a two-class cutout model: file, prob_1, prob_2, the model's path in a column
    Table({"file": ["a.png", "b.png", "c.png"], "class_pred": [1, 2, 1], "prob_1": p1, "prob_2": 1 - p1,
           "model": ["/elsewhere/m31model"] * 3}).write(tmp_path / "pool.csv", format="ascii.csv")
    out = tmp_path / "s.csv"
    res, text = _run(["suggest", four, tmp_path / "pool.csv", "-n", 2, "-o", out])
    assert res.exit_code == 2, text
    assert "found [1, 2], classified by /elsewhere/m31model" in text, text
    assert f"starclass classify --stamps LIST --model {four}" in text, text
    assert "--mosaics" not in text and "Traceback" not in text and not out.exists()


def test_a_catalogue_classified_by_another_task_is_still_sent_to_the_mosaics(tmp_path):
    two = write_untrained_model(tmp_path / "m31", get_preset("m31-binary-compact"), seed=0)
    p = np.full((3, 4), 0.25)
    cand = Table({"id": [1, 2, 3], "x": [1.0, 2.0, 3.0], "y": [1.0, 2.0, 3.0], "class_pred": [1, 2, 3],
                  **{f"prob_{k}": p[:, k - 1] for k in range(1, 5)}})
    cand.meta["model"] = "/elsewhere/hstmodel"
    write_catalog(cand, tmp_path / "cls.ecsv")
    res, text = _run(["suggest", two, tmp_path / "cls.ecsv", "-n", 2, "-o", tmp_path / "s.ecsv"])
    assert res.exit_code == 2, text
    assert "found [1, 2, 3, 4], classified by /elsewhere/hstmodel): give the mosaics (--mosaics)" in text, text
    assert not (tmp_path / "s.ecsv").exists()
