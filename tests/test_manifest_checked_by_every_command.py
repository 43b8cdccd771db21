"""A hand-edited model manifest is checked the same way by every command that reads the model.

``config.stamp_size: -5``, ``scales: [0, -1]``, ``softening_mag: "x"`` or ``version: 99`` in
``manifest.json``: ``calibrate`` refused the model (it builds the manifest's config) while
``classify``, which builds each member's own config, exited 0 and wrote a catalogue. Now
:func:`starclass.learn.checkpoint.read_manifest`, every command's reader, refuses them, naming the
key; nothing is written.
"""

from __future__ import annotations

import json
import shutil

import pytest
from astropy.table import Table
from typer.testing import CliRunner

from conftest import write_toy_mosaics, write_untrained_model  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.errors import StarclassError
from starclass.learn.checkpoint import load_model, read_manifest
from starclass.learn.config import get_preset

runner = CliRunner()


@pytest.fixture(scope="module")
def model_and_field(tmp_path_factory):
    root = tmp_path_factory.mktemp("edited")
    write_toy_mosaics(root)
    Table({"id": [1, 2], "x": [40.0, 20.0], "y": [40.0, 60.0], "class_ref": [1, 4]}).write(root / "c.ecsv")
    cfg = get_preset("legus4-compact", bands=["f555w", "f814w"], stamp_size=16, scales=[1.0])
    return write_untrained_model(root / "model", cfg), root


def _edited(model, tmp_path, key, value):
    copy = tmp_path / "edited"
    shutil.copytree(model, copy)
    doc = json.loads((copy / "manifest.json").read_text())
    if key == "version":
        doc["version"] = value
    else:
        doc["config"][key] = value
    (copy / "manifest.json").write_text(json.dumps(doc))
    return copy


CASES = [
    ("stamp_size", -5, "stamp_size=-5 is too small"),
    ("scales", [0, -1], "scales must be >= 1.0"),
    ("softening_mag", "x", "softening_mag='x'; use a magnitude"),
    ("version", 99, "key 'version' is 99; this starclass reads versions 1 to 2: upgrade starclass"),
    ("version", "2", "key 'version' is '2'; this starclass reads versions 1 to 2"),
]


@pytest.mark.parametrize("key, value, says", CASES)
def test_classify_refuses_what_calibrate_refuses(model_and_field, tmp_path, key, value, says):
    model, field = model_and_field
    edited = _edited(model, tmp_path, key, value)
    mosaics = [str(field / "toy_f555w.fits"), str(field / "toy_f814w.fits")]
    out = tmp_path / "classified.ecsv"
    runs = {
        "classify": ["classify", *mosaics, "--model", str(edited), "-c", str(field / "c.ecsv"), "-o", str(out),
                     "--device", "cpu", "--no-progress"],
        "calibrate": ["calibrate", str(edited), *mosaics, "-c", str(field / "c.ecsv"), "--device", "cpu",
                      "--no-progress", "--overwrite"],
        "info": ["info", str(edited)],
    }
    before = {p.name: p.read_bytes() for p in edited.iterdir()}
    for command, args in runs.items():
        res = runner.invoke(app, args)
        text = " ".join(res.output.split())
        assert res.exit_code == 2 and "Traceback" not in res.output, (command, res.output)
        assert f"ensemble manifest {edited / 'manifest.json'}: key" in text and says in text, (command, res.output)
    assert not out.exists()
    assert {p.name: p.read_bytes() for p in edited.iterdir()} == before  # the model is left as it was
    with pytest.raises(StarclassError, match="ensemble manifest .*: key"):
        load_model(edited)


def test_an_untouched_manifest_and_one_of_before_the_version_key_are_read(model_and_field, tmp_path):
    model, field = model_and_field
    assert read_manifest(model)["version"] == 2
    edited = _edited(model, tmp_path, "version", None)
    doc = json.loads((edited / "manifest.json").read_text())
    del doc["version"]  # a manifest written before the key: version 1
    (edited / "manifest.json").write_text(json.dumps(doc))
    assert load_model(edited).config.stamp_size == 16
