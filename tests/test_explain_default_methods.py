"""explain's methods: one default list, and the progress names only the methods that run.

Before: ``starclass explain`` said "explain: loading the model and reading the stamps (gradcam, guided-gradcam,
cam) ..." and its bar "explain (gradcam, guided-gradcam, cam)" for a network without a GAP + linear head, then
skipped cam with a note; and Python's ``explain()`` computed all four methods where the command computed three.
"""

from __future__ import annotations

import inspect

import numpy as np
from torch import nn

import starclass.io.progress as progress_module
from starclass.explain import DEFAULT_METHODS
from starclass.explain.run import explain, explain_inputs


def test_the_command_and_explain_share_one_default():
    import starclass.cli.explain_cmd as cmd

    assert inspect.signature(explain).parameters["methods"].default == DEFAULT_METHODS
    # the command takes the same list, not a copy of its own
    assert "DEFAULT_METHODS" in inspect.getsource(cmd) and '("gradcam", "guided-gradcam", "cam")' not in \
        inspect.getsource(cmd)


def test_the_bar_does_not_name_cam_for_a_network_without_a_gap_head(monkeypatch):
    said: list[str] = []
    real = progress_module.Progress

    def recording(*args, **kwargs):
        said.append(kwargs.get("desc", ""))
        return real(*args, **kwargs)

    monkeypatch.setattr(progress_module, "Progress", recording)
    # a flatten + linear head: no global average pooling, so no CAM
    net = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(4 * 16 * 16, 2))
    x = np.random.default_rng(0).normal(size=(6, 1, 16, 16)).astype("float32")
    res = explain_inputs(net, x, np.array([1, 2, 1, 2, 1, 2]), [1, 2], methods=DEFAULT_METHODS)
    assert sorted(res.maps) == ["gradcam", "guided-gradcam"]
    assert any(n.startswith("cam skipped:") for n in res.notes)  # still said why
    assert said and "explain (gradcam, guided-gradcam)" in said and not any("cam)" in d and "cam," not in d
                                                                            and d.endswith(", cam)") for d in said)


def test_explain_inputs_defaults_to_the_same_list():
    # before: explain_inputs(net, x, ref, classes) computed all four METHODS (a guided-backprop map more) where
    # explain() and the command compute DEFAULT_METHODS
    assert inspect.signature(explain_inputs).parameters["methods"].default == DEFAULT_METHODS
    net = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                        nn.Linear(4, 2))
    x = np.random.default_rng(1).normal(size=(4, 1, 16, 16)).astype("float32")
    res = explain_inputs(net, x, np.array([1, 2, 1, 2]), [1, 2])
    assert sorted(res.maps) == sorted(DEFAULT_METHODS) and "guided-backprop" not in res.maps
