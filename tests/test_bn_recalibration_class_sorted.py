"""Batch norm recalibrated on training rows sorted by class gets the spread of all of them, not one class's.

The PAndAS ``labels.csv`` lists 467 clusters, then 9 extended clusters, then 393 galaxies. The recalibration
(:func:`starclass.learn.train.recalibrate_batchnorm`) took the training rows in that order, so each batch held
one class, and the mean of the batches' variances left out the spread between the classes: the running variance
came out smaller than that of the training rows, and every inference-mode output was scaled up. It now takes
them in a seeded random order, as training draws its batches.
"""

from __future__ import annotations

import numpy as np
import torch

from starclass import models
from starclass.learn.config import get_preset
from starclass.learn.data import StampDataset
from starclass.learn.train import recalibrate_batchnorm


def _net_and_rows():
    cfg = get_preset("galaxy-cluster-compact", stamp_size=16)
    torch.manual_seed(0)
    net = models.build_model(cfg, pretrained=False)
    rng = np.random.default_rng(1)
    # two classes 6 sigma apart, sorted by class: the first 32 rows one, the last 32 the other
    x = rng.normal(size=(64, cfg.n_channels, 16, 16)).astype(np.float32)
    x[:32] += 3.0
    x[32:] -= 3.0
    return net, StampDataset(x, targets=[0] * 32 + [1] * 32)


def _first_bn(net: torch.nn.Module) -> torch.nn.modules.batchnorm._BatchNorm:
    # the first layer's statistics depend on the stamps alone, not on how earlier layers were normalised
    return next(m for m in net.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm))


def test_class_sorted_rows_give_the_variance_of_all_training_rows():
    net, rows = _net_and_rows()
    exact = _first_bn(net)
    recalibrate_batchnorm(net, rows, len(rows), "cpu")  # one batch of every row: the statistics of them all
    want = exact.running_var.clone()
    assert float(want.min()) > 0
    recalibrate_batchnorm(net, rows, 32, "cpu")  # two batches of 32: one per class in the rows' own order
    ratio = (_first_bn(net).running_var / want).numpy()
    # in the rows' order the ratio was the within-class part alone, far below 1 where the classes differ
    assert ratio.min() > 0.8, ratio.round(3).tolist()
    assert ratio.max() < 1.25, ratio.round(3).tolist()


def test_the_recalibration_is_the_same_on_every_call():
    net, rows = _net_and_rows()
    recalibrate_batchnorm(net, rows, 16, "cpu")
    first = [t.clone() for t in net.state_dict().values()]
    # the order is drawn from its own seed, not from the global generator a caller may have moved
    torch.manual_seed(5)
    recalibrate_batchnorm(net, rows, 16, "cpu")
    assert all(torch.equal(a, b) for a, b in zip(first, net.state_dict().values()))
    # another seed, another order of the same rows: statistics close, not equal (the order really is drawn)
    recalibrate_batchnorm(net, rows, 16, "cpu", seed=1)
    other = _first_bn(net).running_var
    want = first[list(net.state_dict()).index(next(k for k in net.state_dict() if k.endswith("running_var")))]
    assert not torch.equal(other, want)
    assert torch.allclose(other, want, rtol=0.2)
