"""A masked x or y in a Table given in Python is no position, not the value under the mask.

``np.asarray`` of an astropy ``MaskedColumn`` returns the hidden value, so a candidate whose
position was masked (an empty cell, a notebook's ``t["x"].mask[i] = True``) was cut, normalised
and classified at that pixel as if it had one.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import MaskedColumn, Table

from conftest import write_untrained_model  # tests/ is on sys.path under pytest
from starclass.datasets.stamps import make_synthetic_field
from starclass.errors import StarclassError
from starclass.learn.config import get_preset
from starclass.stamps import extract_stamps, iter_inputs, make_inputs

pytestmark = pytest.mark.usefixtures("single_thread")

TASK = get_preset("galaxy-cluster-compact", stamp_size=16)


@pytest.fixture(scope="module")
def field():
    images, table = make_synthetic_field(TASK, 6, seed=0)
    # the hidden value is the object's own position: a mask the code ignores gives a good stamp
    x = MaskedColumn(np.asarray(table["x"], float), mask=[False, True, False, False, False, False])
    return images, table, x


def test_make_inputs_gives_no_stamp_for_a_masked_position(field):
    images, table, x = field
    _, ok = make_inputs(images, x, table["y"], TASK)
    assert ok.tolist() == [True, False, True, True, True, True]
    batches = list(iter_inputs(images, x, table["y"], TASK))
    assert np.concatenate([b.ok for b in batches]).tolist() == ok.tolist()
    _, valid = extract_stamps(images, x, table["y"], size=16)
    assert not valid[1].any() and valid[0].all()


def test_classify_refuses_a_masked_position_naming_its_row(field, tmp_path):
    from starclass.learn.classify import classify

    images, table, x = field
    model = write_untrained_model(tmp_path / "model", TASK)
    cands = Table({"id": table["id"], "x": x, "y": table["y"]}, masked=True)
    with pytest.raises(StarclassError, match=r"row 2 .*masked x or y"):
        classify(images, cands, model, progress=False, device="cpu")
    # the unmasked rows still classify
    out = classify(images, cands[[0, 2]], model, progress=False, device="cpu")
    assert len(out) == 2 and np.isfinite(out["prob_1"]).all()
