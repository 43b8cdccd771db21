"""``make_demo_field`` says what it wrote (2026-12-07).

The docs' first command, ``python -c "...; make_demo_field('DATA_DIR')"``, printed nothing and returned the
folder alone: nothing told a new user what was made. It now returns the folder and each file it wrote
(``DemoField``), with a line for people (``describe``), and still stands for the folder where a path is taken.
"""

from __future__ import annotations

import os
from pathlib import Path

from astropy.io import fits
from astropy.table import Table

from starclass.datasets.labelling import make_demo_field


def test_the_value_names_each_file_written(tmp_path):
    demo = make_demo_field(tmp_path / "demo", n=5, size=64)
    assert sorted(demo.mosaics) == ["f336w", "f555w", "f814w"]
    for band, path in demo.mosaics.items():
        assert path.parent == tmp_path / "demo" and fits.getdata(path).shape == (64, 64), band
    assert len(Table.read(demo.candidates)) == 5 == demo.n
    assert len(Table.read(demo.predictions)) == 5
    written = {p.name for p in (tmp_path / "demo").iterdir()}
    assert written == {p.name for p in (*demo.mosaics.values(), demo.candidates, demo.predictions)}
    said = demo.describe()
    assert said.startswith(f"wrote a demo field to {tmp_path / 'demo'}: 3 mosaics of 64 x 64 px"), said
    assert "5 candidates (candidates.ecsv)" in said and "predictions.ecsv" in said
    assert f"starclass inspect {tmp_path / 'demo'} --init --add-user NAME --admin" in said


def test_without_predictions_none_is_named_and_it_stands_for_the_folder(tmp_path):
    demo = make_demo_field(tmp_path / "demo", n=3, size=60, predictions=False)
    assert demo.predictions is None and "predictions.ecsv" not in demo.describe()
    # the value was the folder before: code that took it as one keeps working
    assert Path(demo) == tmp_path / "demo" and os.fspath(demo) == str(demo) == str(tmp_path / "demo")
    assert demo / "candidates.ecsv" == demo.candidates and demo.name == "demo"
