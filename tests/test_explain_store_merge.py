"""``explain MODEL STAMPS.h5``: the store's reference classes go through the task's merge.

A three-class LEGUS task (clusters 1+2, associations 3, spurious 4) read a stamp store's
``class_ref`` (1-4) unmerged: the "labelled stamps whose predicted class is the true class"
counted a class-2 cluster predicted association (2) as right and never a spurious source (4 -> 3):
on a simulated field 10 / 6 / 41 per class where the merged classes give 19 / 4 / 110.
"""

from __future__ import annotations

from types import SimpleNamespace

import numpy as np
from astropy.table import Table

from starclass.explain.run import read_explain_stamps
from starclass.learn.config import get_preset
from starclass.stamps.store import write_stamp_store


def test_store_classes_are_merged_as_training_merges_them(tmp_path):
    cfg = get_preset("legus4-compact", classes=[1, 2, 3], class_names=["cluster", "association", "spurious"],
                     merge={1: 1, 2: 1, 3: 2, 4: 3}, eval_merges={}, scales=[1.0], stamp_size=8,
                     normalisation="zscore")
    n, c = 6, len(cfg.bands)
    refs = np.array([1, 2, 3, 4, 0, 4])
    path = write_stamp_store(tmp_path / "s.h5", np.zeros((n, 1, c, 8, 8), np.float32), np.ones((n, 8, 8), bool),
                             Table({"id": np.arange(1, n + 1), "x": np.zeros(n), "y": np.zeros(n), "class_ref": refs}),
                             channels=list(cfg.bands), scales=[1.0], normalisation="zscore")
    st = read_explain_stamps(path, SimpleNamespace(config=cfg, training_label_column=None))
    assert st.class_ref.tolist() == [1, 1, 2, 3, 0, 3]


def test_a_store_of_other_scales_is_refused_with_the_command_that_cuts_one(tmp_path):
    import pytest

    from starclass.errors import StarclassError

    cfg = get_preset("legus4-compact", stamp_size=8)  # three scales, flux: cutouts' defaults are one, zscore
    n, c = 2, len(cfg.bands)
    path = write_stamp_store(tmp_path / "s.h5", np.zeros((n, 1, c, 8, 8), np.float32), np.ones((n, 8, 8), bool),
                             Table({"id": [1, 2], "x": [0.0, 0.0], "y": [0.0, 0.0]}),
                             channels=list(cfg.bands), scales=[1.0], normalisation="zscore")
    with pytest.raises(StarclassError, match=r"scales is \[1.0\] in the store.*starclass cutouts .* --task MODEL"):
        read_explain_stamps(path, SimpleNamespace(config=cfg, training_label_column=None))


def test_the_overlays_show_every_band_of_the_finest_scale_not_the_first_channel(tmp_path):
    """The overlays and maps.npz's ``image`` were the first input channel: on a five-band HST task F275W,
    mostly noise (a simulated field's median centre contrast 1.2 sigma, 2.0 for the bands' mean)."""
    from conftest import write_untrained_model  # tests/ is on sys.path under pytest
    from starclass.explain import explain

    cfg = get_preset("legus4-compact", stamp_size=8, scales=[1.0, 2.0], normalisation="zscore")
    n, c = 4, len(cfg.bands)
    rng = np.random.default_rng(0)
    stamps = rng.normal(size=(n, 2, c, 8, 8)).astype(np.float32)
    stamps[:, 0, 3, 3:5, 3:5] += 10.0  # the object in f555w at the stamp's own scale
    path = write_stamp_store(tmp_path / "s.h5", stamps, np.ones((n, 2, 8, 8), bool),
                             Table({"id": np.arange(1, n + 1), "x": np.zeros(n), "y": np.zeros(n),
                                    "class_ref": [1, 2, 3, 4]}),
                             channels=list(cfg.bands), scales=[1.0, 2.0], normalisation="zscore")
    model = write_untrained_model(tmp_path / "model", cfg)
    explain(model, path, tmp_path / "ex", methods=("gradcam",), min_size=1)
    image = np.load(tmp_path / "ex" / "maps.npz")["image"]
    # the old code: stamps[:, 0, 0] (f275w, noise only)
    assert np.allclose(image, stamps[:, 0].mean(axis=1), atol=1e-5)
    assert image[:, 3:5, 3:5].mean() > 1.5
