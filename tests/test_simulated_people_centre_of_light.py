"""The simulated people's table (``humans.ecsv``) carries the truth's centres of light, so it is paired as the truth.

``evaluate`` and ``report`` pair a simulated truth at each object's position or its centre of light
(``x_light``, ``y_light``), as the demo does. The people's table had only ``id, x, y``: a catalogue was paired
with the truth at both and with the people at the position alone, so on the demo's field (``demo --size 256
--n-candidates 60 --epochs 1``) report scored the prediction against the people on 58 objects (22.4%) while
the demo, pairing with the truth and reading the people's rows of the same objects, scored 60 (23.3%).
"""

from __future__ import annotations

import functools
import re

import numpy as np
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.evaluate.compare import pairing
from starclass.io.catalog import write_catalog
from starclass.simulate import SimConfig, simulate_labels

#: A field with four objects whose centre of light is more than 2 px from their position (blends found there).
CONFIG = SimConfig(seed=2, shape=(256, 256), n_candidates=40)


@functools.lru_cache(maxsize=1)
def _labels() -> tuple[Table, Table]:
    return simulate_labels(CONFIG)


def _field() -> tuple[Table, Table, Table]:
    """Truth, people and a catalogue detecting every object at its centre of light (each class the truth's)."""
    truth, humans = (t.copy() for t in _labels())
    cat = Table({"id": np.arange(1, len(truth) + 1), "x": np.asarray(truth["x_light"], float),
                 "y": np.asarray(truth["y_light"], float), "class_pred": np.asarray(truth["class_ref"])})
    return truth, humans, cat


def test_people_carry_the_truths_centre_of_light():
    truth, humans, _ = _field()
    far = np.hypot(truth["x_light"] - truth["x"], truth["y_light"] - truth["y"]) > 2
    assert far.sum() >= 1  # else the field shows nothing: its blends are what the position alone misses
    for c in ("x_light", "y_light"):
        assert c in humans.colnames, humans.colnames
        np.testing.assert_array_equal(np.asarray(humans[c]), np.asarray(truth[c]))


def test_a_catalogue_is_paired_with_the_people_as_with_the_truth():
    """The same pairs, every object, by the same rule (the pairs the demo scores the people on)."""
    truth, humans, cat = _field()
    it_a, it_b, rule_t = pairing(cat, truth, False, 2.0, ("classified", "truth"))
    ih_a, ih_b, rule_h = pairing(cat, humans, False, 2.0, ("classified", "humans"))
    assert len(it_a) == len(truth)
    assert sorted(zip(ih_a.tolist(), ih_b.tolist())) == sorted(zip(it_a.tolist(), it_b.tolist())), rule_h
    assert "centre of light" in rule_h, rule_h


def test_evaluate_against_the_written_people_pairs_every_object(tmp_path):
    """``evaluate cat -r humans.ecsv`` reads the written table and pairs all of the field's objects."""
    truth, humans, cat = _field()
    write_catalog(cat, tmp_path / "cat.ecsv")
    humans.write(tmp_path / "humans.ecsv")
    res = CliRunner().invoke(app, ["evaluate", str(tmp_path / "cat.ecsv"), "-r", str(tmp_path / "humans.ecsv"),
                                   "-o", str(tmp_path / "ev"), "--bootstrap", "0", "--no-science"])
    assert res.exit_code == 0, res.output
    paired = re.search(r"(\d+) objects paired one-to-one[^\n]*", res.output)
    assert paired and int(paired.group(1)) == len(truth), res.output  # at the position alone: 36 of 40
    far = int(np.count_nonzero(np.hypot(truth["x_light"] - truth["x"], truth["y_light"] - truth["y"]) > 2))
    assert f"{far} found at the centre of light alone" in paired.group(0), paired.group(0)
