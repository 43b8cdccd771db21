"""member_probabilities with tta runs the eight views one at a time, with the probabilities of one batch of 8 B.

The eight dihedral views as one batch of ``8 B`` held eight copies of the stamps and the network's activations
for all of them at once: +175 MiB for 128 rows of legus4-compact against +14 MiB for one plain pass, the peak of
a whole ``fit`` (its calibration's TTA pass; ``benchmarks/fit_memory.py --phases``). The figures are the benchmark's;
here the network is asked for no more than ``B`` rows at a time, and the float32 answers are those of the one big
batch, bit for bit.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch

from starclass.learn.augment import DIHEDRAL, dihedral
from starclass.learn.checkpoint import load_model, write_untrained_model
from starclass.learn.classify import member_probabilities
from starclass.learn.config import get_preset


@pytest.fixture(scope="module")
def members(tmp_path_factory):
    cfg = get_preset("legus4-compact", stamp_size=16, scales=[1.0, 2.0])
    # two members (two seeds' random weights): each member runs its own eight views
    nets = [load_model(write_untrained_model(tmp_path_factory.mktemp("m"), cfg, seed=s), device="cpu").members[0]
            for s in (0, 1)]
    x = np.random.default_rng(4).normal(size=(6, cfg.n_channels, 16, 16)).astype(np.float32)
    return nets, x


def _batch_sizes(nets):
    sizes: list[int] = []
    hooks = [net.register_forward_pre_hook(lambda _m, args: sizes.append(int(args[0].shape[0]))) for net in nets]
    return sizes, hooks


def test_tta_asks_the_network_for_one_view_of_the_batch_at_a_time(members):
    nets, x = members
    sizes, hooks = _batch_sizes(nets)
    try:
        member_probabilities(nets, x, tta=True)
    finally:
        for h in hooks:
            h.remove()
    assert len(nets) == 2
    # eight passes of B rows per member, not one of 8 B (which held 8 copies of the stamps and their activations)
    assert sizes == [len(x)] * (len(DIHEDRAL) * len(nets))


def test_tta_probabilities_are_those_of_the_eight_views_in_one_batch(members):
    nets, x = members
    p, views = member_probabilities(nets, x, tta=True, return_views=True, per_member=True)
    xt = torch.as_tensor(x)
    big = torch.cat([dihedral(xt, d) for d in DIHEDRAL])  # the one batch of 8 B the views made before
    with torch.inference_mode():
        want_views = np.stack([torch.softmax(net(big), dim=1).reshape(len(DIHEDRAL), len(x), -1).numpy()
                               for net in nets])
    assert views.shape == (len(nets), len(DIHEDRAL), len(x), want_views.shape[-1])
    # float32 on a CPU: the same numbers, bit for bit, as the one batch gave
    assert np.array_equal(views, want_views)
    assert np.array_equal(p, torch.as_tensor(want_views).mean(dim=1).numpy())
    # and the views really differ (the test would pass vacuously on stamps every view maps to themselves)
    assert not np.array_equal(want_views[:, 0], want_views[:, 1])
