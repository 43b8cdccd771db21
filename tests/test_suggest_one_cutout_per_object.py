"""``suggest`` on a classified cutout folder picks one cutout of an object, not two.

The PAndAS folder has objects on two CCDs (two cutouts, one ``object_id``). ``suggest m0 pool.ecsv -n 10``
on 46 pool cutouts of 40 objects listed both cutouts of one object (found by s64audit): ten labels asked of
people for nine objects, without a word. The object column is the one ``classify --stamps`` records (ECSV
meta), else the model's (a CSV keeps no meta); each object is ranked on its most informative cutout.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("single_thread")


def _entropy(t: Table) -> np.ndarray:
    p = np.stack([np.asarray(t["prob_1"], float), np.asarray(t["prob_2"], float)], axis=1)
    return -(p * np.log(p)).sum(axis=1)


@pytest.mark.parametrize("suffix", ["ecsv", "csv"])
def test_suggest_lists_each_object_once_on_its_most_informative_cutout(tmp_path, suffix):
    rng = np.random.default_rng(4)
    data = tmp_path / "data"
    data.mkdir()
    rows = []
    for obj in range(10):
        base = rng.normal(size=(16, 16)).astype(np.float32)
        for ccd in range(2):  # an object on two CCDs: two cutouts, alike but not equal
            name = f"o{obj}_{ccd}.npy"
            np.save(data / name, base + rng.normal(0, 0.5, size=(16, 16)).astype(np.float32))
            rows.append(f"{name},{('cluster', 'galaxy')[obj % 2]},OBJ{obj}\n")
    (data / "labels.csv").write_text("file,label,object_id\n" + "".join(rows))
    (tmp_path / "t.yaml").write_text("extends: m31-real\nname: t16\nstamp_size: 16\nrecipe: {epochs: 1}\n")
    base_opts = ["--no-progress", "--device", "cpu"]
    r = runner.invoke(app, ["train", "--stamps", str(data / "labels.csv"), "--task", str(tmp_path / "t.yaml"),
                            *base_opts, "-o", str(tmp_path / "m")])
    assert r.exit_code == 0, r.output
    cls = tmp_path / f"classified.{suffix}"
    r = runner.invoke(app, ["classify", "--stamps", str(data / "labels.csv"), "--model", str(tmp_path / "m"),
                            *base_opts, "-o", str(cls)])
    assert r.exit_code == 0, r.output
    r = runner.invoke(app, ["suggest", str(tmp_path / "m"), str(cls), "-n", "6", "-o", str(tmp_path / "s.csv")])
    assert r.exit_code == 0, r.output
    got = Table.read(tmp_path / "s.csv", format="ascii.csv")
    assert len(got) == 6 and len(set(got["object_id"])) == 6, list(got["object_id"])
    # by hand: each object's cutout of the highest entropy, then the six highest of those
    t = Table.read(cls, format="ascii.ecsv" if suffix == "ecsv" else "ascii.csv")
    h = _entropy(t)
    best = {}
    for i, obj in enumerate(t["object_id"]):
        if obj not in best or h[i] > h[best[obj]]:
            best[obj] = i
    expected = sorted(best.values(), key=lambda i: -h[i])[:6]
    assert list(got["file"]) == [t["file"][i] for i in expected]
    assert ("suggested 6 of the 10 cutouts that can be ranked (of 20: 10 other cutouts of an object (object_id) "
            "ranked on its best one) by entropy") in r.output, r.output


def test_without_an_object_column_every_cutout_is_its_own():
    from starclass.suggest.pick import one_per_group, suggest

    t = Table({"file": ["a", "b", "c"], "prob_1": [0.5, 0.45, 0.9], "prob_2": [0.5, 0.55, 0.1],
               "object_id": ["X", "X", "Y"]})
    assert list(suggest(t, 2, key="file")["file"]) == ["a", "b"]
    assert list(suggest(t, 2, key="file", group_column="object_id")["file"]) == ["a", "c"]
    # an empty object cell is an object of its own
    assert one_per_group(np.array([0.9, 0.8, 0.7]), ["", "", "Z"], np.ones(3, bool)).tolist() == [True, True, True]


def test_numeric_object_ids_with_an_empty_cell_are_grouped_too(tmp_path):
    """A CSV's numeric object ids with one empty cell read as a masked integer column: one_per_group stopped
    with numpy's "Cannot set fill value of string with array of dtype int64" (its first version, 77c3f45b)."""
    from astropy.table import MaskedColumn, Table

    from starclass.suggest.pick import suggest

    t = Table({"file": ["a", "b", "c", "d"], "prob_1": [0.5, 0.45, 0.9, 0.52], "prob_2": [0.5, 0.55, 0.1, 0.48],
               "object_id": MaskedColumn([101, 101, 102, 0], mask=[False, False, False, True])})
    # a and b are one object (101): a, the more uncertain, is kept; d has no object, so it is its own
    assert list(suggest(t, 3, key="file", group_column="object_id")["file"]) == ["a", "d", "c"]
    p = tmp_path / "t.csv"
    p.write_text("file,prob_1,prob_2,object_id\na,0.5,0.5,101\nb,0.45,0.55,101\nc,0.9,0.1,102\nd,0.52,0.48,\n")
    t = Table.read(p, format="ascii.csv")
    assert list(suggest(t, 3, key="file", group_column="object_id")["file"]) == ["a", "d", "c"]
