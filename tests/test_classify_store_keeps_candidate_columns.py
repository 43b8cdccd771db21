"""``classify --stamps STORE.h5`` carries the candidates' magnitudes, ``ra``, ``dec`` ... (2026-12-07).

The store kept only ``id, x, y`` (and ``class_ref``, ``galaxy``, ``field``) of the catalogue it was cut from,
so its classification had no ``mag_<band>`` and ``suggest`` on it said "no mag_<band> column: suggestions
are not spread over magnitude", though the candidates had magnitudes. The store now keeps every
one-value-per-row column, and classify passes them through as it does a catalogue's.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import MaskedColumn, Table
from typer.testing import CliRunner

from conftest import write_untrained_model  # tests/ is on sys.path
from starclass.cli import app

pytestmark = pytest.mark.usefixtures("single_thread")

runner = CliRunner()


def test_a_stores_classification_keeps_the_candidates_magnitudes_and_suggest_spreads_over_them(tmp_path):
    from starclass.learn.config import get_preset
    from starclass.stamps import StampStore, make_store

    rng = np.random.default_rng(8)
    cfg = get_preset("m31-binary-compact", stamp_size=16, normalisation="zscore", scales=[1.0])
    images = {b: rng.normal(1.0, 0.1, (80, 80)).astype(np.float32) for b in cfg.bands}
    n = 6
    table = Table({"id": np.arange(1, n + 1), "x": np.linspace(15.0, 65.0, n), "y": np.full(n, 40.0),
                   "ra": np.linspace(10.0, 10.01, n), "dec": np.full(n, 41.2),
                   "mag_f555w": MaskedColumn([19.0, 20.0, 21.0, 22.0, 23.0, 24.0], mask=[0, 0, 0, 0, 0, 1]),
                   "note": ["a", "b", "c", "d", "e", "f"], "vec": np.zeros((n, 3))})
    store = tmp_path / "stamps.h5"
    make_store(images, table, store, cfg, progress=False)
    kept = StampStore(store).table
    assert set(kept) == {"id", "x", "y", "ra", "dec", "mag_f555w", "note"}, sorted(kept)  # no array per row
    assert np.isnan(kept["mag_f555w"][-1]) and kept["note"].tolist() == list("abcdef")

    model = write_untrained_model(tmp_path / "model", cfg)
    out = tmp_path / "classified.ecsv"
    res = runner.invoke(app, ["classify", "--stamps", str(store), "--model", str(model), "-o", str(out),
                              "--device", "cpu", "--no-progress"])
    assert res.exit_code == 0, res.output
    t = Table.read(out)
    np.testing.assert_allclose(np.asarray(t["mag_f555w"], float)[:5], [19.0, 20.0, 21.0, 22.0, 23.0])
    np.testing.assert_allclose(np.asarray(t["ra"], float), table["ra"])
    sug = runner.invoke(app, ["suggest", str(model), str(out), "-o", str(tmp_path / "suggestions.ecsv"),
                              "-n", "3"])
    assert sug.exit_code == 0, sug.output
    assert "no mag_<band> column" not in " ".join(sug.output.split()), sug.output


def test_merged_stores_keep_the_columns_every_store_keeps():
    """A merged store (cutouts -o all.h5 of several stores) keeps the candidates' columns all its stores keep."""
    import tempfile
    from pathlib import Path

    from starclass.stamps import StampStore, write_stamp_store
    from starclass.stamps.merge import StampStores, merge_stores

    d = Path(tempfile.mkdtemp())
    for name, n, extra in (("north", 3, {"note": ["a", "b", "c"]}), ("south", 2, {})):
        table = {"x": np.arange(n) * 1.0, "y": np.zeros(n), "mag_f555w": 20.0 + np.arange(n), **extra}
        write_stamp_store(d / f"{name}.h5", np.zeros((n, 1, 4, 4), np.float32), np.ones((n, 4, 4), bool), table,
                          channels=["f555w"])
    both = StampStores([d / "north.h5", d / "south.h5"])
    assert both.table["mag_f555w"].tolist() == [20.0, 21.0, 22.0, 20.0, 21.0]
    assert "note" not in both.table  # one store's alone: no value for the other's candidates
    merge_stores([d / "north.h5", d / "south.h5"], d / "all.h5")
    assert StampStore(d / "all.h5").table["mag_f555w"].tolist() == [20.0, 21.0, 22.0, 20.0, 21.0]


def test_a_masked_class_ref_keeps_its_integer_classes_in_the_store(tmp_path):
    """A catalogue with some candidates unlabelled (a masked ``class_ref``) keeps integer classes in the store.

    Keeping every candidate column (a13a0eaf) wrote masked values as NaN, also in the store's own named columns:
    ``class_ref`` came back as floats ``[1., 2., nan]`` where it had been the integers ``[1, 2, 0]``. Other
    columns still take NaN for a masked value.
    """
    from starclass.stamps.store import StampStore, StampStoreWriter

    table = Table({"id": [1, 2, 3], "x": [1.0, 2.0, 3.0], "y": [1.0, 2.0, 3.0],
                   "class_ref": MaskedColumn([1, 2, 0], mask=[False, False, True]),
                   "mag_f555w": MaskedColumn([20.0, 21.0, 22.0], mask=[False, True, False])})
    with StampStoreWriter(tmp_path / "s.h5", 3, ["f555w"], 8) as w:
        w.write(np.zeros((3, 1, 8, 8), np.float32), np.ones((3, 8, 8), bool))
        w.write_table(table)
    stored = StampStore(tmp_path / "s.h5").table
    assert stored["class_ref"].dtype.kind == "i", stored["class_ref"]
    assert stored["class_ref"][:2].tolist() == [1, 2]
    mags = np.asarray(stored["mag_f555w"], float)
    assert mags[0] == 20.0 and np.isnan(mags[1]) and mags[2] == 22.0
