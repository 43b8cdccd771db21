"""``checkpoint._on_device`` copies the modules, not the weights: a model already on the device shares them.

It deep-copied every network and then moved the copy (``copy.deepcopy(net).to(dev)``): a model on the GPU in
training mode took twice its memory there just to be switched to eval mode, and a CPU model going to the GPU
was copied on the CPU first. There is no GPU here: the device that is "already there" is the CPU, and "meta"
(a device every machine has) stands for another one, as in tests/test_notebook_api.py.
"""

from __future__ import annotations

import copy
import dataclasses

import pytest
import torch

from starclass.learn.checkpoint import _on_device, load_model, write_untrained_model
from starclass.learn.config import get_preset


@pytest.fixture(scope="module")
def model(tmp_path_factory):
    cfg = get_preset("galaxy-cluster-compact", stamp_size=16)
    return load_model(write_untrained_model(tmp_path_factory.mktemp("m"), cfg))


class Tied(torch.nn.Module):
    """A head tied to the body's weight and a second name for the dropout: both must stay one module/weight."""

    def __init__(self):
        super().__init__()
        self.body = torch.nn.Linear(4, 4)
        self.head = torch.nn.Linear(4, 4)
        self.head.weight = self.body.weight
        self.norm = torch.nn.BatchNorm1d(4)
        self.drop = torch.nn.Dropout(0.5)
        self.steps = [self.drop]  # a plain attribute naming a submodule, as some networks keep lists

    def forward(self, x):
        return self.steps[0](self.head(self.norm(self.body(x))))


def _training(model):
    loaded = dataclasses.replace(model, members=[copy.deepcopy(net).train() for net in model.members] + [Tied()])
    for net in loaded.members:
        net.train()
    return loaded


def test_a_training_model_on_the_device_is_put_in_eval_mode_sharing_its_weights(model):
    loaded = _training(model)
    nets = loaded.members
    flags = [[m.training for m in net.modules()] for net in nets]
    stats = [b.clone() for net in nets for b in net.buffers()]
    ready = _on_device(loaded, "cpu")
    assert ready is not loaded and ready.members is not nets
    for net, copied in zip(nets, ready.members):
        # the same tensors, not a second copy of them (the old deepcopy gave every weight new storage)
        assert [p.data_ptr() for p in copied.parameters()] == [p.data_ptr() for p in net.parameters()]
        assert [b.data_ptr() for b in copied.buffers()] == [b.data_ptr() for b in net.buffers()]
        assert not any(m.training for m in copied.modules())
    assert [[m.training for m in net.modules()] for net in nets] == flags  # the caller's flags as they were
    tied = ready.members[-1]
    assert tied.head.weight is tied.body.weight and tied.steps[0] is tied.drop and not tied.steps[0].training
    x = torch.randn(8, 4)
    assert torch.equal(tied(x), tied(x))  # eval mode all through: no dropout reached through the plain attribute
    # a batch norm in eval mode reads the running statistics it shares and does not update them
    with torch.no_grad():
        for net in ready.members[:-1]:
            net(torch.randn(4, *_input_shape(model)))
    assert all(torch.equal(a, b) for a, b in zip(stats, [b for net in nets for b in net.buffers()]))


def _input_shape(model):
    cfg = model.config
    return (len(cfg.bands), cfg.stamp_size, cfg.stamp_size)


def test_a_model_going_to_another_device_is_not_copied_where_it_is_first(model, monkeypatch):
    loaded = _training(model)
    before = [(p.device, p.detach().clone()) for net in loaded.members for p in net.parameters()]

    def refused(self, memo):
        raise AssertionError("a tensor was deep-copied where it lies")

    # deepcopy of a module copies each weight and buffer through these; the memo hands it the placed ones instead
    monkeypatch.setattr(torch.nn.Parameter, "__deepcopy__", refused)
    monkeypatch.setattr(torch.Tensor, "__deepcopy__", refused)
    moved = _on_device(loaded, "meta")
    monkeypatch.undo()
    assert all(t.device.type == "meta" for net in moved.members for t in [*net.parameters(), *net.buffers()])
    assert all(isinstance(p, torch.nn.Parameter) for net in moved.members for p in net.parameters())
    after = [(p.device, p) for net in loaded.members for p in net.parameters()]
    assert all(d == a_d and torch.equal(a, b) for (d, a), (a_d, b) in zip(before, after))
    assert all(m.training for net in loaded.members for m in net.modules())
    assert not any(m.training for net in moved.members for m in net.modules())
    tied = moved.members[-1]
    assert tied.head.weight is tied.body.weight and tied.steps[0] is tied.drop
