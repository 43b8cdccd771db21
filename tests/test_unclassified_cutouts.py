"""``starclass.learn.cutouts.unclassified_cutouts``: the one rule of which cutouts ``classify --stamps`` leaves out.

The benchmarks that score stored predictions (``real_pandas.py --summarise``, ``trust_real_crossfit.py``,
``real_pandas_stack.py``) call it to leave out what ``classify`` gives no probabilities; until 2026-12-06
the rule was written twice (inside ``classify_cutouts`` and in ``trust_real_crossfit.py``) and
``real_pandas.py`` scored every cutout.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest

from conftest import write_untrained_model


def _folder(d, n: int, blank_rows, size: int = 16, seed: int = 6) -> None:
    rng = np.random.default_rng(seed)
    lines = ["file,label,object_id"]
    for i in range(n):
        img = rng.normal(10.0, 1.0, (size, size)).astype("f4")
        if i in blank_rows:
            img[:] = 3.0
        np.save(d / f"c{i}.npy", img)
        lines.append(f"c{i}.npy,{'galaxy' if i % 2 else 'cluster'},obj{i}")
    (d / "labels.csv").write_text("\n".join(lines) + "\n")


def test_the_rows_it_finds_are_those_classify_leaves_at_class_pred_0(tmp_path):
    from starclass.io.cutout_folders import read_cutout_folder
    from starclass.learn.config import get_preset
    from starclass.learn.cutouts import classify_cutouts, unclassified_cutouts

    cfg = get_preset("m31-real", stamp_size=16, architecture="compact", scales=[1.0])
    model = write_untrained_model(tmp_path / "model", cfg)
    _folder(tmp_path, 12, [2, 9])
    cs = read_cutout_folder(tmp_path / "labels.csv")
    cs.images[5, 0, 7:9, 7:9] = np.nan  # no data at the centre of row 5
    cs.images[9, 0, 8, 8] = np.nan  # blank and without data at the centre: said as blank
    blank, centre = unclassified_cutouts(cs.images, cfg)
    assert np.flatnonzero(blank).tolist() == [2, 9] and np.flatnonzero(centre).tolist() == [5]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the blank and no-data warnings: their own tests
        out = classify_cutouts(cs, model, coverage=None)
    np.testing.assert_array_equal(np.asarray(out["class_pred"]) == 0, blank | centre)
    assert out.meta["n_blank"] == 2 and out.meta["n_unclassified"] == 3
    # the column names the blank band of the blank rows only (m31-real's one band, g)
    assert list(out["blank_bands"]) == ["g" if i in (2, 9) else "" for i in range(12)]


@pytest.mark.parametrize("given", [False, True])
def test_inputs_given_or_made_give_the_same_rows(given):
    from starclass.learn.config import get_preset
    from starclass.learn.cutouts import unclassified_cutouts
    from starclass.stamps.images import cutout_inputs

    cfg = get_preset("m31-real", stamp_size=16)
    img = np.random.default_rng(1).random((4, 1, 32, 32)).astype("f4")
    img[3] = 0.5
    kw = {"inputs": cutout_inputs(img, cfg)} if given else {}
    blank, centre = unclassified_cutouts(img, cfg, **kw)
    assert blank.tolist() == [False, False, False, True] and not centre.any()
