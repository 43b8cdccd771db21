"""evaluate: a reference of ids alone, paired with a catalogue of detected candidates, was scored silently.

``evaluate classified.ecsv -r ids.csv`` (``id,class_ref`` written from a simulated truth) paired the truth's
ids with the detection's, another numbering (1..N in the order found): every class was scored against
another object without a word. Pairing by id alone now says on the pairing line what it assumes (one
numbering), and where the catalogue records that it was detected (``detect_threshold_sigma`` in its meta)
and the reference has no positions, a warning says the ids are likely not the same objects'. A reference
of ids beside an undetected catalogue (a cutout list's classification and its labels) is not warned of.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.evaluate.compare import evaluate_catalogs
from starclass.io.catalog import write_catalog

pytestmark = pytest.mark.usefixtures("single_thread")

runner = CliRunner()


def _catalogue(n: int = 30, *, detected: bool) -> Table:
    rng = np.random.default_rng(4)
    cls = rng.integers(1, 3, n)
    t = Table({"id": np.arange(1, n + 1), "x": rng.uniform(0, 200, n), "y": rng.uniform(0, 200, n),
               "class_pred": cls, "prob_1": (cls == 1) * 0.8 + 0.1, "prob_2": (cls == 2) * 0.8 + 0.1})
    if detected:
        t.meta.update(detect_band="f555w", detect_threshold_sigma=5.0, n_detected=n)
    return t


def _ids(cat: Table) -> Table:
    return Table({"id": np.asarray(cat["id"])[::-1], "class_ref": np.where(np.asarray(cat["class_pred"])[::-1] == 1,
                                                                           1, 3)})


def test_a_detected_catalogue_scored_against_ids_alone_is_warned_of_on_the_command_line(tmp_path):
    cat = _catalogue(detected=True)
    write_catalog(cat, tmp_path / "classified.ecsv")
    _ids(cat).write(tmp_path / "ids.csv", format="ascii.csv")
    res = runner.invoke(app, ["evaluate", str(tmp_path / "classified.ecsv"), "-r", str(tmp_path / "ids.csv"),
                              "--bootstrap", "0", "--task", "m31-binary", "-o", str(tmp_path / "ev"),
                              "--no-science"])
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())
    assert "paired by id (the reference's ids taken as the catalogue's: one numbering)" in text, text
    assert "holds detected candidates, numbered in the order found" in text, text
    assert "unless " in text and "was made from" in text and "truth.ecsv" in text, text


def test_ids_beside_an_undetected_catalogue_or_a_positioned_reference_are_not_warned_of():
    for cat, ref in ((_catalogue(detected=False), None), (_catalogue(detected=True), "positions")):
        labels = _ids(cat)
        if ref == "positions":  # a reference with positions is paired at them: no id assumed
            labels = Table({"id": cat["id"], "x": cat["x"], "y": cat["y"],
                            "class_ref": np.where(np.asarray(cat["class_pred"]) == 1, 1, 3)})
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            ev = evaluate_catalogs(cat, {"labels": labels}, task="m31-binary", n_boot=0)
        said = [str(w.message) for w in caught]
        assert not any("detected candidates" in m for m in said), said
        (comp,) = ev.comparisons
        assert ("one numbering" in comp.paired_by) == (ref is None), comp.paired_by
        assert set(comp.accuracies().values()) == {1.0}, comp.accuracies()
