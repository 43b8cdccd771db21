"""Training loop: determinism, resume, early stopping, ensembles and bad input."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from conftest import killed_after_epoch
from starclass.datasets.stamps import make_synthetic
from starclass.errors import StarclassError
from starclass.learn.checkpoint import load_checkpoint, read_manifest
from starclass.learn.config import get_preset
from starclass.learn.train import fit


def _tiny(name="legus4-compact", **recipe):
    r = {"epochs": 1, "batch_size": 32, "val_fraction": 0.2, "early_stopping_patience": None}
    r.update(recipe)
    return get_preset(name, stamp_size=16, scales=[1.0, 2.0], recipe=r)


@pytest.fixture(scope="module")
def toy():
    cfg = _tiny()
    data = make_synthetic(cfg, 96, seed=3)
    return cfg, data


def _weights(path):
    return load_checkpoint(path)["state_dict"]


@pytest.fixture(scope="module")
def ref_fit(toy, tmp_path_factory):
    """One member, seed 5, one epoch: the reference other runs are compared with."""
    cfg, data = toy
    return fit(cfg, data.inputs, data.class_ref, outdir=tmp_path_factory.mktemp("ref"), seed=5,
               progress=False, device="cpu")


def test_same_seed_same_weights_other_seed_differs(tmp_path, toy, ref_fit):
    cfg, data = toy
    # an ensemble of two: member 1 has seed 5 (as the reference), member 2 seed 6
    ens = fit(cfg, data.inputs, data.class_ref, outdir=tmp_path, seed=5, ensemble=2, progress=False,
              device="cpu")
    wa = _weights(ref_fit.members[0])
    wb, wc = (_weights(p) for p in ens.members)
    assert all(torch.equal(wa[k], wb[k]) for k in wa)
    assert any(not torch.equal(wa[k], wc[k]) for k in wa if wa[k].is_floating_point())
    assert [p.name for p in ens.members] == ["member_01.pt", "member_02.pt"]
    assert [load_checkpoint(p)["seed"] for p in ens.members] == [5, 6]
    man = read_manifest(tmp_path)
    assert [m["file"] for m in man["members"]] == ["member_01.pt", "member_02.pt"]
    assert man["config"]["recipe"]["ensemble_size"] == 2 and man["config"]["name"] == cfg.name
    assert ref_fit.n_train + ref_fit.n_val == 96 and ref_fit.n_val > 0
    assert len(ref_fit.histories[0]) == 1 and np.isfinite(ref_fit.histories[0][0]["train_loss"])


def test_interrupted_training_resumes_from_last_epoch(tmp_path, toy, monkeypatch):
    cfg, data = toy
    full = fit(cfg, data.inputs, data.class_ref, outdir=tmp_path / "full", seed=1, epochs=2,
               progress=False, device="cpu")

    with killed_after_epoch(monkeypatch):
        fit(cfg, data.inputs, data.class_ref, outdir=tmp_path / "cut", seed=1, epochs=2,
            progress=False, device="cpu")
    last = tmp_path / "cut" / "member_01.last.pt"
    assert last.exists() and not (tmp_path / "cut" / "member_01.pt").exists()
    assert load_checkpoint(last, kind="epoch")["epoch"] == 1
    assert "optimizer" in load_checkpoint(last, kind="epoch")

    resumed = fit(cfg, data.inputs, data.class_ref, outdir=tmp_path / "cut", seed=1, epochs=2,
                  progress=False, device="cpu")
    assert any("resumed after epoch 1" in n for n in resumed.notes)
    assert [h["epoch"] for h in resumed.histories[0]] == [1, 2]
    assert not last.exists()
    wf, wr = _weights(full.members[0]), _weights(resumed.members[0])
    assert all(torch.equal(wf[k], wr[k]) for k in wf)
    # a finished member is kept on the next run, not retrained
    again = fit(cfg, data.inputs, data.class_ref, outdir=tmp_path / "cut", seed=1, epochs=2,
                progress=False, device="cpu")
    assert any("already trained" in n for n in again.notes)
    # resuming with another seed into the same directory is refused
    with pytest.raises(StarclassError, match="another training run"):
        fit(cfg, data.inputs, data.class_ref, outdir=tmp_path / "cut", seed=9, epochs=2,
            progress=False, device="cpu")


def test_early_stopping_keeps_best_epoch(tmp_path, toy):
    cfg, data = toy
    cfg = cfg.copy(recipe={"epochs": 4, "early_stopping_patience": 1, "lr": 0.5, "optimizer": "sgd"})
    r = fit(cfg, data.inputs, data.class_ref, outdir=tmp_path, seed=0, progress=False, device="cpu")
    hist = r.histories[0]
    best = max(hist, key=lambda h: (h["val_acc"], -h["val_loss"]))
    assert r.best_epochs[0] == best["epoch"]
    # stopped as soon as one epoch failed to improve on the best
    assert len(hist) == 4 or hist[-1]["epoch"] == r.best_epochs[0] + 1


def test_class_weights_and_spatial_split(tmp_path, toy):
    cfg, data = toy
    cfg = cfg.copy(recipe={"balance": "class_weights", "split": "spatial"})
    rng = np.random.default_rng(0)
    xy = rng.uniform(0, 500, size=(96, 2))
    r = fit(cfg, data.inputs, data.class_ref, outdir=tmp_path, positions=(xy[:, 0], xy[:, 1]),
            progress=False, device="cpu")
    assert r.n_val > 0 and r.n_train > 0
    with pytest.raises(StarclassError, match="positions"):
        fit(cfg, data.inputs, data.class_ref, outdir=tmp_path / "x", progress=False, device="cpu")


def test_missing_class_is_an_error(tmp_path, toy):
    cfg, data = toy
    labels = np.where(data.class_ref == 3, 2, data.class_ref)
    with pytest.raises(StarclassError, match=r"class 3 \(compact association\) has no training example"):
        fit(cfg, data.inputs, labels, outdir=tmp_path, progress=False, device="cpu")


def test_unlabelled_left_out_and_bad_inputs(tmp_path, toy):
    cfg, data = toy
    labels = data.class_ref.astype(float).copy()
    labels[:10] = 0
    labels[10:12] = np.nan
    r = fit(cfg, data.inputs, labels, outdir=tmp_path, progress=False, device="cpu")
    assert r.n_unlabelled == 12 and r.n_train + r.n_val == 84
    with pytest.raises(StarclassError, match="channels"):
        fit(cfg, data.inputs[:, :3], data.class_ref, outdir=tmp_path / "c", progress=False)
    with pytest.raises(StarclassError, match="labels for"):
        fit(cfg, data.inputs, data.class_ref[:5], outdir=tmp_path / "d", progress=False)
    with pytest.raises(StarclassError, match="no training candidate"):
        fit(cfg, data.inputs, np.zeros(96), outdir=tmp_path / "e", progress=False)


def test_training_reads_a_stamp_store_lazily(tmp_path, toy, ref_fit):
    h5py = pytest.importorskip("h5py")
    cfg, data = toy
    path = tmp_path / "inputs.h5"
    with h5py.File(path, "w") as h:
        h["inputs"] = data.inputs
    reads = []

    class Lazy:
        """Minimal lazy store: counts reads, never loads everything."""

        def __init__(self):
            self.h = h5py.File(path, "r")
            self.shape = self.h["inputs"].shape

        def __len__(self):
            return self.shape[0]

        def __getitem__(self, idx):
            reads.append(len(idx))
            return self.h["inputs"][np.asarray(idx)], None

    r = fit(cfg, Lazy(), data.class_ref, outdir=tmp_path / "m", seed=5, progress=False, device="cpu")
    a = ref_fit  # same data and seed, from an in-memory array
    assert max(reads) <= cfg.recipe.batch_size + 1  # batch-sized reads only
    wl, wa = _weights(r.members[0]), _weights(a.members[0])
    assert all(torch.equal(wl[k], wa[k]) for k in wl)


def test_an_interrupted_ensemble_leaves_checkpoints_not_a_smaller_model(tmp_path, toy, monkeypatch):
    """Stopped (Ctrl-C, SIGTERM from a time limit) during member 2 of 2, train left a manifest.json listing
    member 1 only: the folder read as a finished one-member, uncalibrated model (info described it,
    classify used it). Until the last member is done there is no manifest now; the checkpoints say the
    training did not finish and how to resume it, and the same call resumes it into the full model."""
    import starclass.learn.train as train_mod
    from starclass.learn.checkpoint import load_model
    from starclass.learn.summary import is_model_path

    cfg, data = toy
    real_save = train_mod.save_checkpoint

    def ctrl_c_in_member_2(ckpt, path, **kw):
        out = real_save(ckpt, path, **kw)
        if ckpt["kind"] == "epoch" and path.name == "member_02.last.pt":
            raise KeyboardInterrupt
        return out

    monkeypatch.setattr(train_mod, "save_checkpoint", ctrl_c_in_member_2)
    model = tmp_path / "m"
    with pytest.raises(KeyboardInterrupt):
        fit(cfg, data.inputs, data.class_ref, outdir=model, seed=1, ensemble=2, epochs=2, progress=False,
            device="cpu")
    monkeypatch.setattr(train_mod, "save_checkpoint", real_save)
    assert sorted(p.name for p in model.iterdir()) == ["member_01.pt", "member_02.last.pt"]
    assert is_model_path(model)  # info names it as a model, not "no catalogue could be read"
    with pytest.raises(StarclassError, match=r"its training did not finish \(member_01.pt, member_02.last.pt: "
                                             r"checkpoints, no manifest.json\); rerun the same starclass train"):
        load_model(model)
    done = fit(cfg, data.inputs, data.class_ref, outdir=model, seed=1, ensemble=2, epochs=2, progress=False,
               device="cpu")
    assert any("resumed after epoch 1" in n for n in done.notes)
    assert [m["file"] for m in read_manifest(model)["members"]] == ["member_01.pt", "member_02.pt"]
