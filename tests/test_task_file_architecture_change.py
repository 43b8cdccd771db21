"""A task file that changes the network is told where the refused arch_options came from (2026-12-05).

Found walking the X-ray galaxy-cluster task with a ResNet-18 as a user: ``extends: galaxy-cluster`` and
``architecture: resnet18`` keeps the small CNN's ``arch_options`` (``widths``, ``dense``: every field but
``recipe`` is replaced whole, docs/models.md), and ``train`` stopped (exit 2) with "architecture 'resnet18'
has no options ['dense', 'widths']; its options: [...]", options the file never wrote. The message now says
they are the preset's and what to write (``arch_options: {}``), which then trains.
"""

from __future__ import annotations

import pytest

pytest.importorskip("torch")

from starclass.errors import StarclassError
from starclass.learn.config import get_preset, load_config
from starclass.models.registry import build_model


def test_inherited_options_of_another_network_are_explained(tmp_path):
    path = tmp_path / "gc_r18.yaml"
    path.write_text("extends: galaxy-cluster\narchitecture: resnet18\n")
    with pytest.raises(StarclassError) as err:
        build_model(load_config(path), pretrained=False)
    msg = str(err.value)
    assert "has no options ['dense', 'widths']" in msg
    assert "keeps the arch_options of the preset it extends" in msg and "'arch_options: {}'" in msg


def test_the_advice_builds_the_network(tmp_path):
    path = tmp_path / "gc_r18.yaml"
    path.write_text("extends: galaxy-cluster\narchitecture: resnet18\narch_options: {}\n")
    net = build_model(load_config(path), pretrained=False)
    assert net.architecture == "resnet18"


def test_a_preset_given_bad_options_in_python_gets_no_task_file_advice():
    cfg = get_preset("galaxy-cluster", arch_options={"nonsense": 1})
    with pytest.raises(StarclassError) as err:
        build_model(cfg, pretrained=False)
    assert "has no option ['nonsense']" in str(err.value) and "task file" not in str(err.value)

