"""explain's CAM takes its logits and pooled maps from the pass that runs anyway, not from a pass of its own.

Until 2026-12-06 ``cam`` ran the explained network once more over each chunk of stamps, after the Grad-CAM
pass (or, with ``--method cam`` alone, after the pass for the outputs) had run it over the same stamps: 80
stamps through the network for 40 (120 for guided-gradcam and cam). Now :class:`starclass.explain.maps.CamCapture`
keeps them from that pass; the maps are the same as :func:`starclass.explain.maps.cam`'s.
"""

from __future__ import annotations

import numpy as np
import pytest
import torch
from torch import nn

pytestmark = pytest.mark.usefixtures("single_thread")

N = 40  # chunks of 16, 16 and 8 stamps


@pytest.fixture()
def net_and_stamps():
    torch.manual_seed(0)
    net = nn.Sequential(nn.Conv2d(2, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 8, 3, padding=1), nn.ReLU(),
                        nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(8, 3)).eval()
    x = np.random.default_rng(0).normal(size=(N, 2, 16, 16)).astype(np.float32)
    return net, x


@pytest.mark.parametrize("methods, passes", [(("gradcam", "cam"), N), (("cam",), N),
                                             (("guided-gradcam", "cam"), 2 * N)])
def test_cam_runs_no_pass_of_its_own_and_draws_the_same_maps(net_and_stamps, methods, passes):
    from starclass.explain.maps import cam
    from starclass.explain.run import explain_inputs

    net, x = net_and_stamps
    calls: list[int] = []
    hook = net.register_forward_pre_hook(lambda _m, inp: calls.append(int(inp[0].shape[0])))
    try:
        res = explain_inputs(net, x, np.ones(N, int), [1, 2, 3], methods=methods)
    finally:
        hook.remove()
    # the stamps through the network (Grad-CAM's one-stamp layer probes aside): one pass, plus guided backprop's
    assert sum(n for n in calls if n > 1) == passes, calls
    direct = cam(net, torch.from_numpy(x), res.class_pred - 1)
    assert np.allclose(res.maps["cam"], direct, atol=1e-6)
    assert res.cam_size == (16, 16)


def test_a_network_without_a_cam_head_is_still_said_once(net_and_stamps):
    from starclass.explain.run import explain_inputs

    _, x = net_and_stamps
    net = nn.Sequential(nn.Conv2d(2, 4, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 16 * 16, 3)).eval()
    res = explain_inputs(net, x, np.ones(N, int), [1, 2, 3], methods=("gradcam", "cam"))
    assert "cam" not in res.maps and "gradcam" in res.maps
    assert sum("cam skipped" in n for n in res.notes) == 1, res.notes
