"""evaluate's "no --distance" note names a simulated field's distance, as it names a LEGUS galaxy's (2026-12-07).

On the demo's catalogue (``classified.ecsv`` against ``test_field/truth.ecsv``) the note said the box counts
take every magnitude and named no distance, though the field's ``simulation.json`` records it (10 Mpc):
the user had to look it up to give ``--distance``. It is now named, with the file it was read from.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.cli.evaluate_cmd import no_distance_note
from starclass.io.catalog import write_catalog

pytestmark = pytest.mark.usefixtures("single_thread")

runner = CliRunner()
BANDS = ("f275w", "f336w", "f438w", "f555w", "f814w")


def _field(tmp_path, distance: float = 7.5):
    field = tmp_path / "test_field"
    field.mkdir()
    (field / "simulation.json").write_text(json.dumps({"config": {"seed": 1, "distance_mpc": distance}}))
    rng = np.random.default_rng(6)
    n = 40
    cls = rng.integers(1, 5, n)
    truth = Table({"id": np.arange(1, n + 1), "x": rng.uniform(10, 240, n), "y": rng.uniform(10, 240, n),
                   "class_ref": cls})
    for i, b in enumerate(BANDS):
        truth[f"mag_{b}"] = rng.uniform(20, 24, n) - 0.3 * i
    write_catalog(truth, field / "truth.ecsv")
    cat = truth.copy()
    del cat["class_ref"]
    cat["class_pred"] = cls
    for k in range(1, 5):
        cat[f"prob_{k}"] = np.where(cls == k, 0.7, 0.1)
    write_catalog(cat, tmp_path / "classified.ecsv")
    return field, cat


def test_the_note_names_the_simulated_fields_distance_read_beside_the_truth(tmp_path):
    field, _ = _field(tmp_path)
    res = runner.invoke(app, ["evaluate", str(tmp_path / "classified.ecsv"), "-r", str(field / "truth.ecsv"),
                              "--bootstrap", "0", "--task", "legus4", "-o", str(tmp_path / "ev"), "--no-progress"])
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())
    assert "note: no --distance" in text, text
    assert f"the field's distance is 7.5 Mpc ({field / 'simulation.json'}; --distance 7.5)" in text, text


def test_the_mosaics_folder_the_catalogue_records_names_it_and_a_broken_record_names_nothing(tmp_path):
    field, cat = _field(tmp_path, distance=12.0)
    cat.meta["mosaics"] = [str(field)]
    assert "distance is 12 Mpc" in no_distance_note(cat), no_distance_note(cat)
    (field / "simulation.json").write_text("{not json")
    assert no_distance_note(cat).endswith("is not counted"), no_distance_note(cat)
    assert no_distance_note(Table({"x": [1.0]}), [tmp_path / "elsewhere" / "t.ecsv"]).endswith("is not counted")
