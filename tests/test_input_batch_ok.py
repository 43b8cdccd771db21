"""One name for one thing: an :class:`~starclass.stamps.InputBatch`'s per-candidate validity is ``ok``.

It was ``valid``, the name that ``extract_stamps``, the stamp store's ``/valid`` and ``normalise_scales(valid=)``
give each pixel's validity (``[n, S, S]``), where make_inputs' and the store's per-candidate one is ``ok``
(``[n]``). ``batch.valid`` (documented in docs/stamps.md) still reads it, with a DeprecationWarning.
"""

from __future__ import annotations

import numpy as np
import pytest

from starclass.learn.config import get_preset
from starclass.stamps import InputBatch, iter_inputs, make_inputs


def test_a_batch_names_each_candidates_validity_ok():
    cfg = get_preset("galaxy-cluster-compact", stamp_size=16)
    images = {b: np.random.default_rng(0).random((64, 64)).astype(np.float32) for b in cfg.bands}
    x, y = [10.0, 90.0, 50.0], [20.0, 20.0, 20.0]  # the second one off the image
    _, ok = make_inputs(images, x, y, cfg)
    batches = list(iter_inputs(images, x, y, cfg, batch_size=2))
    assert "ok" in InputBatch._fields and "valid" not in InputBatch._fields
    assert np.concatenate([b.ok for b in batches]).tolist() == ok.tolist() == [True, False, True]
    with pytest.warns(DeprecationWarning, match="InputBatch.ok"):
        old = batches[0].valid
    assert old.tolist() == [True, False]
