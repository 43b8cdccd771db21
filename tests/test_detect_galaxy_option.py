"""``detect --galaxy`` writes the name it is given, with ``--positions`` too.

With a positions catalogue that has a ``galaxy`` column of its own, ``--galaxy NGC2`` was dropped
without a word: the output's ``galaxy`` column held the input's values. Now the option's name is
written and the input's column is kept as ``galaxy_input`` with a warning, as the input's own
photometry is (``mag_<band>`` -> ``mag_<band>_input``).
"""

from __future__ import annotations

from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.datasets.labelling import make_demo_field


def _field(tmp_path, galaxy: str | None):
    field = make_demo_field(tmp_path / "field", n=6, size=100)
    positions = Table.read(field / "candidates.ecsv")["id", "x", "y"]
    if galaxy is not None:
        positions["galaxy"] = [galaxy] * len(positions)
    positions.write(tmp_path / "pos.ecsv")
    return field, tmp_path / "pos.ecsv"


def _detect(tmp_path, field, positions, *extra):
    out = tmp_path / "out.ecsv"
    r = CliRunner().invoke(app, ["detect", str(field), "--positions", str(positions), "-o", str(out),
                                 "--no-progress", *extra])
    return r, out


def test_galaxy_option_replaces_the_positions_own_column_which_is_kept_renamed(tmp_path):
    field, positions = _field(tmp_path, "NGC1")
    r, out = _detect(tmp_path, field, positions, "--galaxy", "NGC2")
    assert r.exit_code == 0, r.output
    t = Table.read(out)
    assert set(t["galaxy"]) == {"NGC2"}, set(t["galaxy"])
    assert set(t["galaxy_input"]) == {"NGC1"}
    assert "'galaxy' -> 'galaxy_input'" in r.output
    assert set(Table.read(positions)["galaxy"]) == {"NGC1"}  # the input is never changed


def test_the_positions_own_galaxy_column_is_kept_as_it_is_without_the_option(tmp_path):
    field, positions = _field(tmp_path, "NGC1")
    r, out = _detect(tmp_path, field, positions)
    assert r.exit_code == 0, r.output
    t = Table.read(out)
    assert set(t["galaxy"]) == {"NGC1"} and "galaxy_input" not in t.colnames


def test_the_same_name_given_twice_is_not_renamed(tmp_path):
    field, positions = _field(tmp_path, "NGC1")
    r, out = _detect(tmp_path, field, positions, "--galaxy", "NGC1")
    assert r.exit_code == 0, r.output
    t = Table.read(out)
    assert set(t["galaxy"]) == {"NGC1"} and "galaxy_input" not in t.colnames


def test_galaxy_option_without_a_column_in_the_positions_is_written(tmp_path):
    field, positions = _field(tmp_path, None)
    r, out = _detect(tmp_path, field, positions, "--galaxy", "NGC2")
    assert r.exit_code == 0, r.output
    assert set(Table.read(out)["galaxy"]) == {"NGC2"}
