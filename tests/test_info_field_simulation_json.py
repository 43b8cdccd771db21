"""``starclass info FIELD_DIR`` says what the simulator's ``simulation.json`` is, not "not read as a catalogue"."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from starclass.cli import app
from starclass.simulate.config import SimConfig
from starclass.simulate.field import simulate_field, write_field


def _field(tmp_path):
    field = simulate_field(SimConfig(seed=1, shape=(64, 64), n_candidates=8, bands=("f555w",)))
    return write_field(field, tmp_path / "f")


def test_a_simulated_fields_folder_names_its_simulation_json_as_the_simulators_record(tmp_path):
    paths = _field(tmp_path)
    folder = paths["truth"].parent
    assert (folder / "simulation.json").is_file()
    result = CliRunner().invoke(app, ["info", str(folder)])
    assert result.exit_code == 0, result.output
    # until 2026-12-07: "note: 1 file not read as a catalogue: simulation.json", as if it were a broken table
    assert "not read as a catalogue" not in result.output, result.output
    notes = [line for line in result.output.splitlines() if line.startswith("note: simulation.json")]
    assert len(notes) == 1, result.output
    seed = json.loads((folder / "simulation.json").read_text())["config"]["seed"]
    assert "starclass simulate" in notes[0] and f"seed {seed}" in notes[0], notes[0]
    assert "info " in notes[0] and "simulation.json shows it" in notes[0], notes[0]


def test_another_json_in_the_folder_is_still_counted_as_not_read(tmp_path):
    paths = _field(tmp_path)
    folder = paths["truth"].parent
    (folder / "notes.json").write_text(json.dumps({"comment": "mine"}))
    result = CliRunner().invoke(app, ["info", str(folder)])
    assert result.exit_code == 0, result.output
    assert "1 file not read as a catalogue: notes.json" in result.output, result.output
    assert "note: simulation.json: the settings starclass simulate drew" in result.output, result.output
