"""A people's table written before it carried ``x_light``, ``y_light`` is paired as the truth it was drawn from.

The simulator's people's table (``humans.ecsv``) has carried the truth's centres of light since 2026-12-07.
One written before (``id, x, y`` and the votes) was paired with a catalogue at the position alone, without a
word: on the demo's field (``demo --size 256 --n-candidates 60 --epochs 1``) 58 of its 60 objects, 22.4% against
the people, where the demo pairs 60 (23.3%). Given with its truth (in either order) it now takes the truth's
centres of light, the pairing line saying whose; given alone, the pairing line says it is at the position only,
why, and what to give.
"""

from __future__ import annotations

import functools
import re

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.io.catalog import write_catalog
from starclass.simulate import SimConfig, simulate_labels

#: A field with objects whose centre of light is more than 2 px from their position (blends found there).
CONFIG = SimConfig(seed=2, shape=(256, 256), n_candidates=40)


@functools.lru_cache(maxsize=1)
def _labels() -> tuple[Table, Table]:
    return simulate_labels(CONFIG)


@pytest.fixture
def field(tmp_path):
    """cat.ecsv (every object detected at its centre of light), truth.ecsv, and humans.ecsv without x_light, y_light."""
    truth, humans = (t.copy() for t in _labels())
    humans.remove_columns(["x_light", "y_light"])
    cat = Table({"id": np.arange(1, len(truth) + 1), "x": np.asarray(truth["x_light"], float),
                 "y": np.asarray(truth["y_light"], float), "class_pred": np.asarray(truth["class_ref"])})
    write_catalog(cat, tmp_path / "cat.ecsv")
    truth.write(tmp_path / "truth.ecsv")
    humans.write(tmp_path / "humans.ecsv")
    far = int(np.count_nonzero(np.hypot(truth["x_light"] - truth["x"], truth["y_light"] - truth["y"]) > 2))
    assert far >= 1  # else the field shows nothing: its blends are what the position alone misses
    return tmp_path, len(truth), far


def _evaluate(d, *refs: str) -> str:
    args = ["evaluate", str(d / "cat.ecsv")]
    for r in refs:
        args += ["-r", str(d / r)]
    res = CliRunner().invoke(app, [*args, "-o", str(d / "ev"), "--bootstrap", "0", "--no-science", "--overwrite"])
    assert res.exit_code == 0, res.output
    return res.output


def _pairing_line(output: str, ref: str) -> str:
    line = next((ln for ln in output.splitlines() if ln.startswith(f"cat vs {ref}:")), None)
    assert line is not None, output
    return line


@pytest.mark.parametrize("order", [("truth.ecsv", "humans.ecsv"), ("humans.ecsv", "truth.ecsv")])
def test_old_people_table_paired_at_the_truths_centres_of_light(field, order):
    d, n, far = field
    out = _evaluate(d, *order)
    line = _pairing_line(out, "humans")
    paired = re.search(r"(\d+) objects paired", line)
    assert paired and int(paired.group(1)) == n, line  # at the position alone: n - far
    assert "x_light, y_light of truth" in line, line
    assert f"{far} found at the centre of light alone" in line, line
    # the same pairs as the truth's
    assert re.search(r"(\d+) objects paired", _pairing_line(out, "truth")).group(1) == paired.group(1)


def test_old_people_table_alone_says_it_is_paired_at_the_position_only(field):
    d, n, far = field
    line = _pairing_line(_evaluate(d, "humans.ecsv"), "humans")
    assert re.search(r"(\d+) objects paired", line).group(1) == str(n - far), line
    assert "at the position only (humans has no x_light, y_light" in line, line
    assert "truth with -r" in line, line


def test_light_is_not_taken_from_a_table_of_other_objects():
    from starclass.evaluate.matching import with_light_of  # here: the CLI tests above fail on old code as themselves

    truth, humans = (t.copy() for t in _labels())
    humans.remove_columns(["x_light", "y_light"])
    assert with_light_of(humans, truth) is not None
    moved = humans.copy()
    moved["x"][0] += 0.3  # a position measured on the image, not the truth's
    assert with_light_of(moved, truth) is None
    renamed = humans.copy()
    renamed["id"] = np.asarray(renamed["id"])[::-1]  # another table's ids at the truth's positions
    assert with_light_of(renamed, truth) is None
