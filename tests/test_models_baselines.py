"""Baselines: bagged trees on pixels and boosting on catalogue features beat chance; save/load."""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table

from starclass.datasets.stamps import make_synthetic
from starclass.errors import StarclassError
from starclass.learn.config import get_preset
from starclass.models.baselines import BaggedTreesPixels, CatalogBoosting, catalog_features, load_baseline

pytestmark = pytest.mark.usefixtures("single_thread")


def test_bagged_trees_on_15x15x3_pixels_beat_chance(tmp_path):
    cfg = get_preset("legus4", scales=[1.0])
    train = make_synthetic(cfg, 300, seed=1)
    test = make_synthetic(cfg, 200, seed=2)
    # the paper's three bands: F336W, F555W, F814W
    chans = [cfg.bands.index(b) for b in ("f336w", "f555w", "f814w")]
    model = BaggedTreesPixels(n_estimators=10, channels=chans, random_state=0).fit(train.inputs, train.labels)
    assert model.n_features_ == 15 * 15 * 3
    proba = model.predict_proba(test.inputs)
    assert proba.shape == (200, 4) and np.allclose(proba.sum(axis=1), 1)
    acc = model.score(test.inputs, test.labels)
    assert acc > 0.45, acc  # chance is 0.25
    p = model.save(tmp_path / "trees.joblib")
    again = load_baseline(p)
    assert np.array_equal(again.predict(test.inputs), model.predict(test.inputs))


def test_bagged_trees_refuse_wrong_inputs():
    model = BaggedTreesPixels(n_estimators=2)
    with pytest.raises(StarclassError, match="fit"):
        model.predict(np.zeros((2, 3, 32, 32)))
    with pytest.raises(StarclassError, match="smaller"):
        model.fit(np.zeros((4, 3, 8, 8)), [1, 2, 1, 2])
    with pytest.raises(StarclassError, match="single class"):
        model.fit(np.zeros((4, 3, 32, 32)), [1, 1, 1, 1])


def _catalogue(n: int, seed: int) -> tuple[Table, np.ndarray]:
    """Toy catalogue: clusters are more concentrated-extended (high CI) and redder."""
    rng = np.random.default_rng(seed)
    y = rng.integers(1, 3, n)
    ci = np.where(y == 1, rng.normal(1.6, 0.25, n), rng.normal(1.15, 0.2, n))
    v = rng.uniform(20, 25, n)
    vi = np.where(y == 1, rng.normal(0.9, 0.3, n), rng.normal(0.3, 0.4, n))
    t = Table(
        {
            "id": np.arange(n),
            "ci": ci,
            "mci_1": ci * 0.5 + rng.normal(0, 0.1, n),
            "mag_f438w": v + rng.normal(0.3, 0.2, n),
            "mag_f555w": v,
            "mag_f814w": v - vi,
        }
    )
    t["mag_f438w"][rng.uniform(size=n) < 0.1] = np.nan  # missing photometry
    return t, y


def test_catalog_boosting_beats_chance_with_missing_values(tmp_path):
    train, ytr = _catalogue(600, 1)
    test, yte = _catalogue(400, 2)
    model = CatalogBoosting(max_iter=100).fit(train, ytr)
    assert "f555w-f814w" in model.feature_names_ and "ci" in model.feature_names_
    acc = model.score(test, yte)
    assert acc > 0.75, acc  # chance is 0.5
    p = model.save(tmp_path / "boost.joblib")
    assert np.allclose(load_baseline(p).predict_proba(test), model.predict_proba(test))
    # a column used in training missing at prediction time is an error naming it
    test.remove_column("ci")
    with pytest.raises(StarclassError, match="ci"):
        model.predict(test)


def test_catalog_features_and_foreign_files(tmp_path):
    t, _ = _catalogue(10, 0)
    x, names = catalog_features(t, ["f438w", "f555w", "f814w"])
    assert x.shape == (10, len(names))
    i, j = names.index("f555w-f814w"), names.index("mag_f555w")
    assert np.allclose(x[:, i], t["mag_f555w"] - t["mag_f814w"])
    assert np.allclose(x[:, j], t["mag_f555w"])
    with pytest.raises(StarclassError, match="mag_f275w"):
        catalog_features(t, ["f275w"])
    import joblib

    joblib.dump({"a": 1}, tmp_path / "other.joblib")
    with pytest.raises(StarclassError, match="not a starclass baseline"):
        load_baseline(tmp_path / "other.joblib")


def test_save_keeps_an_existing_file_unless_overwrite(tmp_path):
    """``save(path)`` replaced a file already at ``path`` without a word, where CNNClassifier.save
    and write_catalog refuse unless told ``overwrite=True`` (astropy's habit)."""
    X, y = np.random.default_rng(0).normal(size=(20, 1, 16, 16)), [1, 2] * 10
    model = BaggedTreesPixels(n_estimators=2).fit(X, y)
    path = tmp_path / "m.joblib"
    path.write_bytes(b"someone else's model")
    with pytest.raises(StarclassError, match=r"m\.joblib exists; save\(\.\.\., overwrite=True\) replaces it"):
        model.save(path)
    assert path.read_bytes() == b"someone else's model"
    assert model.save(path, overwrite=True) == path
    assert (BaggedTreesPixels.load(path).predict(X) == model.predict(X)).all()


def test_catalog_boosting_takes_a_dataframe_so_model_selection_works():
    """scikit-learn's model selection cannot index an astropy Table ('Table' object has no
    attribute 'take'), and a pandas DataFrame, which it can, stopped fit with "'DataFrame' object
    has no attribute 'colnames'"; now table.to_pandas() works with cross_val_score."""
    from sklearn.model_selection import cross_val_score

    rng = np.random.default_rng(0)
    y = rng.integers(1, 3, 60)
    v = rng.uniform(20, 24, 60)
    t = Table({"ci": np.where(y == 1, 1.6, 1.1) + rng.normal(0, 0.1, 60), "mag_f555w": v,
               "mag_f814w": v - np.where(y == 1, 0.9, 0.3)})
    df = t.to_pandas()
    a = CatalogBoosting(max_iter=20).fit(t, y)
    b = CatalogBoosting(max_iter=20).fit(df, y)
    assert np.allclose(a.predict_proba(t), b.predict_proba(df))
    scores = cross_val_score(CatalogBoosting(max_iter=20), df, y, cv=3)
    assert scores.shape == (3,) and scores.min() > 0.5
    with pytest.raises(StarclassError, match=r"catalogue features: a ndarray, not a table"):
        catalog_features(np.zeros((4, 3)))
