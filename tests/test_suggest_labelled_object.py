"""``suggest --labels``: an object with one cutout labelled is labelled; its other cutouts are not suggested.

The PAndAS pool has objects on two CCDs (two cutouts, one ``object_id``). With ``--labels`` labelling one
cutout of B274D, suggest could still list B274D's other cutout (found by s64audit): a label asked of people for
an object labelled already. Those cutouts are left out and counted.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.suggest.pick import suggest

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("single_thread")


def _pool() -> Table:
    # the labelled object's other cutout is the most informative row (p = 0.5): the first one picked before
    return Table({"file": ["a1.png", "a2.png", "b1.png", "c1.png", "d1.png"],
                  "object_id": ["B274D", "B274D", "B001", "", ""],
                  "prob_1": [0.9, 0.5, 0.6, 0.7, 0.8], "prob_2": [0.1, 0.5, 0.4, 0.3, 0.2]})


def test_the_other_cutout_of_a_labelled_object_is_left_out_and_counted():
    out = suggest(_pool(), 5, labelled=["a1.png"], key="file", group_column="object_id")
    assert "B274D" not in list(out["object_id"]), list(out["file"])
    assert sorted(out["file"]) == ["b1.png", "c1.png", "d1.png"]
    meta = out.meta["suggest"]
    assert meta["n_labelled"] == 1 and meta["n_object_labelled"] == 1 and meta["n_eligible"] == 3
    # blank objects are objects of their own: one labelled blank row leaves the other blank one in
    out = suggest(_pool(), 5, labelled=["c1.png"], key="file", group_column="object_id")
    assert "d1.png" in list(out["file"]) and out.meta["suggest"]["n_object_labelled"] == 0


def test_every_other_cutout_of_labelled_objects_is_refused_by_name():
    t = _pool()[:3]
    with pytest.raises(StarclassError, match="object labelled there"):
        suggest(t, 2, labelled=["a1.png", "b1.png"], key="file", group_column="object_id")


def test_suggest_cli_says_how_many_were_left_out_for_their_object(tmp_path):
    rng = np.random.default_rng(5)
    data = tmp_path / "data"
    data.mkdir()
    rows = []
    for obj in range(6):
        base = rng.normal(size=(16, 16)).astype(np.float32)
        for ccd in range(2):
            name = f"o{obj}_{ccd}.npy"
            np.save(data / name, base + rng.normal(0, 0.5, size=(16, 16)).astype(np.float32))
            rows.append(f"{name},{('cluster', 'galaxy')[obj % 2]},OBJ{obj}\n")
    (data / "labels.csv").write_text("file,label,object_id\n" + "".join(rows))
    (tmp_path / "t.yaml").write_text("extends: m31-real\nname: t16\nstamp_size: 16\nrecipe: {epochs: 1}\n")
    opts = ["--no-progress", "--device", "cpu"]
    r = runner.invoke(app, ["train", "--stamps", str(data / "labels.csv"), "--task", str(tmp_path / "t.yaml"),
                            *opts, "-o", str(tmp_path / "m")])
    assert r.exit_code == 0, r.output
    cls = tmp_path / "pool.ecsv"
    r = runner.invoke(app, ["classify", "--stamps", str(data / "labels.csv"), "--model", str(tmp_path / "m"),
                            *opts, "-o", str(cls)])
    assert r.exit_code == 0, r.output
    # one cutout of each of two objects labelled (a list beside the cutouts: its files are relative to it)
    (data / "L.csv").write_text("file,label,object_id\no0_0.npy,cluster,OBJ0\no3_1.npy,galaxy,OBJ3\n")
    r = runner.invoke(app, ["suggest", str(tmp_path / "m"), str(cls), "--labels", str(data / "L.csv"),
                            "-n", "12", "-o", str(tmp_path / "s.csv")])
    assert r.exit_code == 0, r.output
    got = Table.read(tmp_path / "s.csv", format="ascii.csv")
    assert not {"OBJ0", "OBJ3"} & set(got["object_id"]), list(got["file"])
    assert len(got) == 4 and len(set(got["object_id"])) == 4
    assert "2 other cutouts of an object labelled there (object_id)" in " ".join(r.output.split()), r.output
