"""``recipe.balance_by``: classes balanced within each group of a column (issue 12, the disc shortcut)."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch
from astropy.table import Table

import starclass.learn.train as train_mod
from starclass.errors import StarclassError
from starclass.io.cutout_folders import CutoutSet
from starclass.learn.config import get_preset
from starclass.learn.cutouts import fit_cutouts
from starclass.learn.train import fit, group_balance_weights, settings_digest


def _cfg(**recipe):
    # no validation split: every row trains, so the drawn weights are those of all rows in order
    r = {"epochs": 1, "batch_size": 16, "val_fraction": 0.0, "early_stopping_patience": None,
         "balance": "weighted_sampler"}
    r.update(recipe)
    return get_preset("m31-real", stamp_size=16, recipe=r)


def _hand_totals(w, classes, groups):
    """Weight per (group, class), summed by hand over the rows."""
    out = {}
    for wi, c, g in zip(w, classes, groups):
        out[(g, c)] = out.get((g, c), 0.0) + float(wi)
    return out


def test_weights_balance_each_group_and_keep_its_size():
    # group "disc": 8 of class 0, 2 of class 1; group "halo": 3 and 3; no cap reached
    classes = np.array([0] * 8 + [1] * 2 + [0] * 3 + [1] * 3)
    groups = np.array(["disc"] * 10 + ["halo"] * 6)
    w, left = group_balance_weights(classes, groups, np.array([0.5, 0.5]), cap=5.0)
    tot = _hand_totals(w, classes, groups)
    assert left == 0
    # each class holds half of each group, and each group keeps its own size as its weight
    assert tot[("disc", 0)] == pytest.approx(5.0) and tot[("disc", 1)] == pytest.approx(5.0)
    assert tot[("halo", 0)] == pytest.approx(3.0) and tot[("halo", 1)] == pytest.approx(3.0)
    # by hand: the two class-1 rows of the disc weigh 10 / (2 * 2) = 2.5, its class-0 rows 10 / 16
    assert w[8] == pytest.approx(2.5) and w[0] == pytest.approx(0.625)


def test_the_cap_lowers_the_whole_group_not_its_balance():
    # 7 galaxies among 174 (M31's inner disc): balanced, each galaxy would weigh 174 / 14 = 12.4
    classes = np.array([0] * 167 + [1] * 7)
    groups = np.zeros(174, int)
    w, _ = group_balance_weights(classes, groups, np.array([0.5, 0.5]), cap=3.0)
    assert w.max() == pytest.approx(3.0)
    tot = _hand_totals(w, classes, groups)
    # still balanced, at 3 x 7 = 21 per class instead of 87
    assert tot[(0, 0)] == pytest.approx(21.0) and tot[(0, 1)] == pytest.approx(21.0)


def test_a_class_mix_is_kept_in_each_group():
    classes = np.array([0] * 6 + [1] * 6)
    groups = np.array([0, 0, 0, 0, 1, 1, 0, 0, 1, 1, 1, 1])
    w, _ = group_balance_weights(classes, groups, np.array([0.25, 0.75]), cap=10.0)
    tot = _hand_totals(w, classes, groups)
    for g in (0, 1):
        share = tot[(g, 1)] / (tot[(g, 0)] + tot[(g, 1)])
        assert share == pytest.approx(0.75)


def test_a_group_without_a_class_is_left_out():
    classes = np.array([0, 1, 0, 0, 0])
    groups = np.array(["a", "a", "b", "b", "b"])
    w, left = group_balance_weights(classes, groups, np.array([0.5, 0.5]))
    assert left == 3 and w[2:].tolist() == [0.0, 0.0, 0.0] and w[:2].tolist() == [1.0, 1.0]
    with pytest.raises(StarclassError, match="no group has a training row of every class"):
        group_balance_weights(np.array([0, 0, 1]), np.array(["a", "a", "b"]), np.array([0.5, 0.5]))


def test_recipe_checks_balance_by():
    assert _cfg(balance_by="region").recipe.balance_by == "region"
    with pytest.raises(StarclassError, match="needs recipe.balance 'weighted_sampler'"):
        _cfg(balance="class_weights", balance_by="region")
    with pytest.raises(StarclassError, match="needs recipe.balance 'weighted_sampler'"):
        _cfg(balance=None, balance_by="region")
    for bad in (0.5, float("nan"), "x"):
        with pytest.raises(StarclassError, match="balance_cap"):
            _cfg(balance_cap=bad)
    with pytest.raises(StarclassError, match="name of a column"):
        _cfg(balance_by="")


def test_no_balance_by_leaves_the_settings_digest_unchanged():
    # models trained before the option resume: balance_by None and balance_cap 5 are not in the digest
    cfg = _cfg()
    d = cfg.to_dict()
    assert d["recipe"].pop("balance_by") is None
    assert d["recipe"].pop("balance_cap") == 5.0
    assert settings_digest(cfg) == settings_digest(d)
    assert settings_digest(cfg) != settings_digest(_cfg(balance_by="region"))


def _cutouts(n_per=(12, 4, 4, 12)):
    """Cutouts in two regions: the disc 12 clusters + 4 galaxies, the halo 4 clusters + 12 galaxies."""
    rng = np.random.default_rng(0)
    labels = (["cluster"] * n_per[0] + ["galaxy"] * n_per[1] + ["cluster"] * n_per[2] + ["galaxy"] * n_per[3])
    region = ["disc"] * (n_per[0] + n_per[1]) + ["halo"] * (n_per[2] + n_per[3])
    n = len(labels)
    files = [f"c{i}.png" for i in range(n)]
    table = Table({"file": files, "label": labels, "region": region})
    images = rng.uniform(0, 1, size=(n, 1, 32, 32)).astype(np.float32)
    return CutoutSet(images, table, files, np.array(labels), np.array(files), source=Path("labels.csv"))


def _drawn(monkeypatch):
    drawn = []
    real = torch.multinomial

    def spy(weights, *a, **kw):
        drawn.append(weights.detach().numpy().copy())
        return real(weights, *a, **kw)

    monkeypatch.setattr(train_mod.torch, "multinomial", spy)
    return drawn


def test_fit_cutouts_draws_balanced_regions(tmp_path, monkeypatch):
    cs = _cutouts()
    drawn = _drawn(monkeypatch)
    res = fit_cutouts(_cfg(balance_by="region"), cs, outdir=tmp_path / "m", seed=0, progress=False, device="cpu")
    assert drawn
    w = drawn[0]
    tot = _hand_totals(w, list(cs.table["label"]), list(cs.table["region"]))
    # each region half clusters, half galaxies, and each keeps its 16 rows of weight
    for region in ("disc", "halo"):
        assert tot[(region, "cluster")] == pytest.approx(8.0)
        assert tot[(region, "galaxy")] == pytest.approx(8.0)
    assert any("balanced within 2 groups" in note for note in res.notes)
    # without balance_by, the plain class-balanced draw: the disc stays mostly clusters
    drawn.clear()
    fit_cutouts(_cfg(), cs, outdir=tmp_path / "plain", seed=0, progress=False, device="cpu")
    plain = _hand_totals(drawn[0], list(cs.table["label"]), list(cs.table["region"]))
    assert plain[("disc", "cluster")] > 2 * plain[("disc", "galaxy")]


def test_missing_column_or_groups_are_named(tmp_path):
    cs = _cutouts()
    with pytest.raises(StarclassError, match=r"labels.csv has no column 'sky_region'"):
        fit_cutouts(_cfg(balance_by="sky_region"), cs, outdir=tmp_path / "m", progress=False, device="cpu")
    x = np.zeros((4, 1, 16, 16), np.float32)
    with pytest.raises(StarclassError, match="the group of every training row is needed"):
        fit(_cfg(balance_by="region"), x, [1, 2, 1, 2], outdir=tmp_path / "f", progress=False, device="cpu")
    with pytest.raises(StarclassError, match="3 groups for 4 training inputs"):
        fit(_cfg(balance_by="region"), x, [1, 2, 1, 2], outdir=tmp_path / "g", progress=False, device="cpu",
            balance_groups=np.array(["a", "b", "c"]))
