"""Unit tests of augmentation, splits, ensemble aggregation and checkpoints (no training)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
import torch

from starclass.errors import StarclassError
from starclass.learn.augment import augment_batch, dihedral, dihedral_inverse, rescale
from starclass.learn.checkpoint import (
    load_checkpoint,
    make_checkpoint,
    member_paths,
    save_checkpoint,
    state_digest,
    write_manifest,
)
from starclass.learn.ensemble import aggregate, decide
from starclass.learn.splits import (
    galaxy_split,
    leave_one_galaxy_out,
    random_split,
    spatial_split,
    split_indices,
)

# ----------------------------------------------------------------------------- augmentation


def _pattern(size: int = 7) -> torch.Tensor:
    # distinct values everywhere: no non-trivial symmetry
    return torch.arange(2 * size * size, dtype=torch.float32).reshape(1, 2, size, size)


def test_dihedral_group_has_eight_distinct_elements():
    x = _pattern()
    images = [dihedral(x, d) for d in range(8)]
    for a, b in itertools.combinations(range(8), 2):
        assert not torch.equal(images[a], images[b]), (a, b)
    # every image is a permutation of the pixels (nothing lost, nothing invented)
    for im in images:
        assert torch.equal(torch.sort(im.flatten()).values, torch.sort(x.flatten()).values)


def test_dihedral_inverse_and_closure():
    x = _pattern()
    images = {d: dihedral(x, d) for d in range(8)}
    for d in range(8):
        back = dihedral(dihedral(x, d), dihedral_inverse(d))
        assert torch.equal(back, x), d
        # closure: composing two elements gives one of the eight
        for e in range(8):
            comp = dihedral(dihedral(x, d), e)
            assert any(torch.equal(comp, im) for im in images.values())


def test_dihedral_matches_numpy_rotations():
    x = _pattern()
    a = x.numpy()[0, 0]
    assert np.array_equal(dihedral(x, 1).numpy()[0, 0], np.rot90(a, 1))
    assert np.array_equal(dihedral(x, 6).numpy()[0, 0], np.fliplr(np.rot90(a, 2)))


def test_rescale_keeps_centre_and_magnifies():
    size = 33
    yy, xx = np.mgrid[:size, :size]
    c = size // 2
    img = np.exp(-((xx - c) ** 2 + (yy - c) ** 2) / (2 * 3.0**2)).astype(np.float32)
    x = torch.from_numpy(img)[None, None]
    out = rescale(x, 1.07)[0, 0].numpy()
    assert np.argmax(out) == np.argmax(img)  # centre stays put
    assert out[c, c] == pytest.approx(img[c, c], rel=1e-5)
    # magnified: the profile at a given radius is higher (wider source)
    assert out[c, c + 5] > img[c, c + 5]
    assert torch.equal(rescale(x, 1.0), x)


def test_augment_batch_is_reproducible_and_per_sample():
    x = _pattern(8).repeat(64, 1, 1, 1)
    a = augment_batch(x, torch.Generator().manual_seed(3), rescale_p=0.0)
    b = augment_batch(x, torch.Generator().manual_seed(3), rescale_p=0.0)
    assert torch.equal(a, b)
    # 64 stamps: several different transforms were drawn, each one of the eight
    distinct = {tuple(im.flatten().tolist()) for im in a}
    assert 4 <= len(distinct) <= 8
    group = [dihedral(x[:1], d)[0] for d in range(8)]
    assert all(any(torch.equal(im, g) for g in group) for im in a)


# ----------------------------------------------------------------------------- splits


def test_random_split_is_stratified_and_disjoint():
    labels = np.repeat([0, 1, 2, 3], [100, 50, 30, 20])
    tr, va = random_split(labels, 0.2, seed=1)
    assert np.intersect1d(tr, va).size == 0
    assert tr.size + va.size == labels.size
    for c, n in zip(range(4), [100, 50, 30, 20]):
        assert np.sum(labels[va] == c) == round(0.2 * n)
    tr2, va2 = random_split(labels, 0.2, seed=1)
    assert np.array_equal(va, va2)


def test_spatial_split_separates_regions():
    rng = np.random.default_rng(0)
    x, y = rng.uniform(0, 1000, 2000), rng.uniform(0, 1000, 2000)
    x[:2], y[:2] = [0, 1000], [0, 1000]  # bounding box exactly 0-1000
    tr, va = spatial_split(x, y, 0.25, seed=2, tiles=4)
    assert 0.2 <= va.size / 2000 <= 0.45
    assert np.intersect1d(tr, va).size == 0
    # whole tiles: the validation set lives in tiles with no training candidate
    tile = lambda i: (min(int(y[i] / 250), 3), min(int(x[i] / 250), 3))  # noqa: E731
    assert not {tile(i) for i in va} & {tile(i) for i in tr}


def test_galaxy_split_and_errors():
    gal = np.array(["a"] * 5 + ["b"] * 3 + ["c"] * 4)
    tr, va = galaxy_split(gal, "b")
    assert set(gal[va]) == {"b"} and "b" not in set(gal[tr])
    folds = list(leave_one_galaxy_out(gal))
    assert [f[0] for f in folds] == ["a", "b", "c"]
    assert sorted(np.concatenate([f[2] for f in folds]).tolist()) == list(range(gal.size))
    with pytest.raises(StarclassError, match="at least two galaxies"):
        galaxy_split(np.array(["a"] * 4))
    with pytest.raises(StarclassError, match="not among"):
        galaxy_split(gal, "zzz")
    with pytest.raises(StarclassError, match="positions"):
        split_indices("spatial", np.zeros(4), fraction=0.1, seed=0)
    with pytest.raises(StarclassError, match="unknown split"):
        split_indices("diagonal", np.zeros(4), fraction=0.1, seed=0)


def test_one_galaxy_split_says_how_fields_become_galaxies():
    """Two fields simulated with seeds 1 and 2 (both galaxy 'SIM-1' in their catalogues) with
    --split galaxy --holdout B were refused naming only ['SIM-1']: not that the catalogues' galaxy
    column wins over the fields' names, nor how to tell them apart."""
    from starclass.learn.crossval import cv_folds

    with pytest.raises(StarclassError, match=r"found \['SIM-1'\]; the catalogues' 'galaxy' column .*galaxy column"):
        galaxy_split(np.array(["SIM-1"] * 4), "B")
    with pytest.raises(StarclassError, match=r"--cv logo .*found \['SIM-1'\]; .*--fields list a galaxy column"):
        cv_folds("logo", np.zeros(4, int), galaxies=np.array(["SIM-1"] * 4))


# ----------------------------------------------------------------------------- ensemble


def test_aggregate_hand_made_members():
    classes = [1, 2, 3, 4]
    # 5 members, 2 candidates
    p = np.array([
        [[0.7, 0.1, 0.1, 0.1], [0.1, 0.2, 0.3, 0.4]],
        [[0.6, 0.2, 0.1, 0.1], [0.1, 0.2, 0.6, 0.1]],
        [[0.2, 0.6, 0.1, 0.1], [0.1, 0.1, 0.1, 0.7]],
        [[0.5, 0.3, 0.1, 0.1], [0.2, 0.2, 0.2, 0.4]],
        [[0.1, 0.1, 0.1, 0.7], [0.1, 0.1, 0.7, 0.1]],
    ])
    r = aggregate(p, classes)
    votes0 = np.array([1, 1, 2, 1, 4])
    votes1 = np.array([4, 3, 4, 4, 3])
    assert np.array_equal(r.votes[:, 0], votes0)
    assert np.array_equal(r.votes[:, 1], votes1)
    assert r.class_pred.tolist() == [1, 4]
    assert r.quality.tolist() == [pytest.approx(3 / 5), pytest.approx(3 / 5)]
    assert np.allclose(r.prob_mean, p.mean(axis=0))
    assert r.class_mean[0] == pytest.approx(votes0.mean())
    assert r.class_median[0] == pytest.approx(np.median(votes0))
    assert r.class_std[1] == pytest.approx(votes1.std())
    assert r.prob_std[0] == pytest.approx(p[:, 0, 0].std())
    cols = r.columns()
    assert [c for c in cols if c[7:].isdigit() and c.startswith("class_m")] == [f"class_m{i}" for i in range(1, 6)]
    assert "prob_4" in cols and "quality" in cols


def test_aggregate_tie_broken_by_mean_probability():
    # two members disagree 1 vs 2; the mean probability favours class 2
    p = np.array([[[0.51, 0.49]], [[0.10, 0.90]]])
    r = aggregate(p, [1, 2])
    assert r.class_pred[0] == 2 and r.quality[0] == pytest.approx(0.5)


def test_binary_threshold_applied():
    p = np.array([[[0.6, 0.4]], [[0.7, 0.3]], [[0.65, 0.35]]])  # P(class 1) 0.6-0.7
    plain = aggregate(p, [1, 2])
    assert plain.class_pred[0] == 1
    strict = aggregate(p, [1, 2], threshold=0.669, positive_class=1)
    assert strict.votes[:, 0].tolist() == [2, 1, 2]
    assert strict.class_pred[0] == 2
    assert decide(np.array([[0.669, 0.331]]), [1, 2], 0.669, 1).tolist() == [0]


def test_aggregate_nan_candidates_get_no_class():
    p = np.array([[[0.9, 0.1], [np.nan, np.nan]]])
    r = aggregate(p, [1, 2])
    assert r.class_pred.tolist() == [1, 0]
    assert r.quality[1] == 0 and np.isnan(r.prob_mean[1]).all() and r.votes[0, 1] == 0


# ----------------------------------------------------------------------------- checkpoints


class _Cfg:
    """Stand-in for a TaskConfig (to_dict only)."""

    def to_dict(self):
        return {"name": "toy", "bands": ["f555w"], "classes": [1, 2], "class_names": ["a", "b"],
                "pixel_scale": 0.04, "normalisation": "zscore", "stamp_size": 8, "scales": [1.0],
                "architecture": "toy", "merge": {"4": 2}}


def test_checkpoint_round_trip_weights_only(tmp_path):
    net = torch.nn.Sequential(torch.nn.Conv2d(1, 4, 3), torch.nn.BatchNorm2d(4))
    opt = torch.optim.Adam(net.parameters())
    net(torch.randn(2, 1, 8, 8)).sum().backward()
    opt.step()
    ck = make_checkpoint(_Cfg(), net.state_dict(), kind="epoch", seed=7,
                         history=[{"epoch": 1, "val_acc": 0.5}], epoch=1,
                         extra={"optimizer": opt.state_dict()})
    path = save_checkpoint(ck, tmp_path / "m.pt")
    raw = torch.load(path, weights_only=True)  # plain types only
    assert raw["format"] == "starclass-checkpoint"
    back = load_checkpoint(path, kind="epoch")
    for k, v in net.state_dict().items():
        assert torch.equal(back["state_dict"][k], v)
    assert back["config"]["merge"] == {"4": 2}
    assert back["bands"] == ["f555w"] and back["classes"] == [1, 2] and back["pixel_scale"] == 0.04
    assert back["history"][0]["val_acc"] == 0.5 and back["seed"] == 7
    opt2 = torch.optim.Adam(net.parameters())
    opt2.load_state_dict(back["optimizer"])
    assert opt2.state_dict()["state"][0]["step"] == opt.state_dict()["state"][0]["step"]
    with pytest.raises(StarclassError, match="expected 'member'"):
        load_checkpoint(path, kind="member")


def test_foreign_and_corrupted_checkpoints(tmp_path):
    net = torch.nn.Linear(3, 2)
    bare = tmp_path / "bare.pt"
    torch.save(net.state_dict(), bare)
    with pytest.raises(StarclassError, match="bare.pt is not a starclass checkpoint"):
        load_checkpoint(bare)
    text = tmp_path / "notes.pt"
    text.write_text("hello")
    with pytest.raises(StarclassError, match="notes.pt is not a readable"):
        load_checkpoint(text)
    good = save_checkpoint(make_checkpoint(_Cfg(), net.state_dict()), tmp_path / "good.pt")
    data = good.read_bytes()
    trunc = tmp_path / "trunc.pt"
    trunc.write_bytes(data[: len(data) // 2])
    with pytest.raises(StarclassError, match="trunc.pt"):
        load_checkpoint(trunc)
    # a file pickling arbitrary objects is refused by weights_only
    evil = tmp_path / "evil.pt"
    torch.save({"format": "starclass-checkpoint", "obj": _Cfg()}, evil)
    with pytest.raises(StarclassError, match="evil.pt"):
        load_checkpoint(evil)
    # weights altered after saving: the digest catches it
    ck = make_checkpoint(_Cfg(), net.state_dict())
    ck["state_dict"]["weight"] = ck["state_dict"]["weight"] + 1
    torch.save(ck, tmp_path / "tampered.pt")
    with pytest.raises(StarclassError, match="tampered.pt is damaged"):
        load_checkpoint(tmp_path / "tampered.pt")
    with pytest.raises(StarclassError, match="does not exist"):
        load_checkpoint(tmp_path / "absent.pt")


def test_manifest_lists_members(tmp_path):
    net = torch.nn.Linear(3, 2)
    for i in range(2):
        save_checkpoint(make_checkpoint(_Cfg(), net.state_dict(), member=i), tmp_path / f"member_0{i + 1}.pt")
    write_manifest(tmp_path, _Cfg(), [{"file": "member_01.pt"}, {"file": "member_02.pt"}])
    assert [p.name for p in member_paths(tmp_path)] == ["member_01.pt", "member_02.pt"]
    (tmp_path / "member_02.pt").unlink()
    with pytest.raises(StarclassError, match="member files missing"):
        member_paths(tmp_path)
    (tmp_path / "manifest.json").write_text("{not json")
    with pytest.raises(StarclassError, match="not valid JSON"):
        member_paths(tmp_path)
    assert state_digest(net.state_dict()) == state_digest({k: v.clone() for k, v in net.state_dict().items()})
