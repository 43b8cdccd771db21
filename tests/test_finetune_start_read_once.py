"""A fine-tune's cross-validation reads its starting model's member checkpoints once, not once per fold.

Each fold's members took their starting weights from ``finetune.initial_state``, which read the member file
again (``torch.load`` of the whole checkpoint): a ``train --cv K --resume-from M`` of an ensemble of E members
read M's checkpoints K x E times besides the load that checked its calibration. Now the starting model as
loaded (by the command, or once by ``cross_validate``) gives every fold its weights.
"""

from __future__ import annotations

from pathlib import Path

import pytest
import torch


def _counting_loads(monkeypatch, folder: Path) -> list[str]:
    """The member files of ``folder`` that ``torch.load`` reads from now on (one entry per read)."""
    reads: list[str] = []
    real = torch.load

    def load(f, *args, **kwargs):
        if isinstance(f, (str, Path)) and Path(f).parent.resolve() == folder.resolve():
            reads.append(Path(f).name)
        return real(f, *args, **kwargs)

    monkeypatch.setattr(torch, "load", load)
    return reads


@pytest.fixture
def start(tmp_path):
    """A two-member model trained one epoch without a validation split (so without a calibration)."""
    from starclass.datasets.stamps import make_synthetic
    from starclass.learn.config import get_preset
    from starclass.learn.train import fit

    torch.set_num_threads(1)
    cfg = get_preset("galaxy-cluster-compact", stamp_size=8, recipe={"epochs": 1, "val_fraction": 0.25,
                                                                     "ensemble_size": 2})
    toy = make_synthetic(cfg, 16, seed=5)
    fit(cfg.copy(recipe={"val_fraction": 0.0}), toy.inputs, toy.class_ref, outdir=tmp_path / "m0", progress=False,
        device="cpu")
    return cfg, tmp_path / "m0"


@pytest.mark.slow  # trains two folds of two members: 10 s on the loaded 2-core machine
def test_cross_validation_reads_the_starting_members_once(start, tmp_path, monkeypatch):
    from starclass.datasets.stamps import make_synthetic
    from starclass.learn.crossval import cross_validate

    torch.set_num_threads(1)
    cfg, m0 = start
    toy = make_synthetic(cfg, 24, seed=0)
    reads = _counting_loads(monkeypatch, m0)
    cv = cross_validate(cfg, toy.inputs, toy.class_ref, scheme=2, outdir=tmp_path / "cv", progress=False,
                        device="cpu", init_from=m0)
    assert len(cv.folds) == 2
    assert sorted(reads) == ["member_01.pt", "member_02.pt"], reads  # once each, not once per fold (4 + 2)


def test_the_loaded_model_gives_the_weights_of_the_files_named(start):
    from starclass.learn.checkpoint import load_checkpoint, load_model
    from starclass.learn.finetune import initial_state
    from starclass.models import build_model

    cfg, m0 = start
    loaded = load_model(m0)
    net = build_model(cfg, member=0, pretrained=False)
    second = load_checkpoint(m0 / "member_02.pt")["state_dict"]
    # the folder's model: member 1 from member_01, read from what was loaded
    got = initial_state(m0, cfg, 1, "compact", net, loaded)
    assert all(torch.equal(got[k], second[k]) for k in second)
    # one member file named: its weights for every member, not the loaded folder's first member's
    got = initial_state(m0 / "member_02.pt", cfg, 0, "compact", net, loaded)
    assert all(torch.equal(got[k], second[k]) for k in second)
    first = load_checkpoint(m0 / "member_01.pt")["state_dict"]
    assert not all(torch.equal(first[k], second[k]) for k in first)  # the two members differ: the check can fail
