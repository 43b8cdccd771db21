"""Toy inputs take the task's ``softening_mag``, and ``auto`` measures it on the toy stamps.

Until 2026-12-07 ``starclass.datasets.stamps.stamps_to_inputs`` (what ``make_synthetic`` builds its
inputs with) normalised with ``normalise``'s default softening (28 mag) whatever the task said: a toy set
of ``get_preset("legus4", softening_mag=25)`` was the same as one of 28, and ``softening_mag: auto``
was not resolved at all. Found while tracing why docs/models.md's 4-epoch compact row no longer
reproduced (the ``legus4`` presets' normalisation is ``flux`` since 2026-11-23).
"""

from __future__ import annotations

import numpy as np
import pytest

from starclass.bands import BANDS, vega_zeropoint
from starclass.datasets.stamps import make_synthetic_stamps, stamps_to_inputs
from starclass.learn.config import get_preset
from starclass.stamps.multiscale import multiscale
from starclass.stamps.normalise import normalise


@pytest.fixture(scope="module")
def stamps():
    return make_synthetic_stamps(get_preset("legus4"), 6, seed=4)[0]


def test_the_task_s_softening_mag_reaches_the_inputs(stamps):
    cfg = get_preset("legus4", softening_mag=25.0)
    assert cfg.normalisation == "flux"
    got = stamps_to_inputs(stamps, cfg)
    by_hand, _ = multiscale(normalise(np.asarray(stamps, np.float32), "flux", bands=list(cfg.bands),
                                      softening_mag=25.0), cfg.scales, size=stamps.shape[-1])
    np.testing.assert_allclose(got, by_hand.reshape(got.shape), rtol=1e-5, atol=1e-5)
    assert not np.allclose(got, stamps_to_inputs(stamps, get_preset("legus4", softening_mag=28.0)))


def test_auto_is_the_toy_stamps_own_noise(stamps):
    cfg = get_preset("legus4", softening_mag="auto")
    got = stamps_to_inputs(stamps, cfg)
    assert np.isfinite(got).all()
    # the toy stamps' sky noise is 1 count per pixel in every band: a pixel of 1 count is the zeropoint's
    # magnitude, and auto is their median over the bands (a few hundredths for the clipped sigma)
    noise_mag = float(np.median([vega_zeropoint(b, BANDS[b].photflam, BANDS[b].photplam) for b in cfg.bands]))
    candidates = {m: stamps_to_inputs(stamps, get_preset("legus4", softening_mag=m))
                  for m in np.round(np.arange(noise_mag - 0.3, noise_mag + 0.3, 0.01), 2)}
    nearest = min(candidates, key=lambda m: float(np.abs(candidates[m] - got).max()))
    assert abs(nearest - noise_mag) < 0.1, (nearest, noise_mag)
    assert float(np.abs(candidates[nearest] - got).max()) < 1e-3
