"""A model manifest's true/false entries are read strictly: a JSON boolean, or absent; anything else is refused.

Before, ``"fitted_on_inputs": "yes"`` in a hand-edited manifest.json was read as false without a word
(only a literal true counted), ``"pixel_flags": {"flagged": "false"}`` as true (a truthy string), and a
calibration entry's ``"tta": "false"`` as true (``bool("false")``). Now learn.checkpoint.manifest_bool is
the one reader (read_manifest checks every key of MANIFEST_BOOLEANS): an error naming the manifest and the
key, exit 2 from the CLI, nothing written.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import one_band_model
from starclass.cli import app
from starclass.errors import StarclassError
from starclass.learn.calibration import ModelCalibration, fit_with_and_without_tta
from starclass.learn.checkpoint import load_model, read_manifest

runner = CliRunner()


def _edited(model, **entries):
    path = model / "manifest.json"
    doc = json.loads(path.read_text())
    doc.update(entries)
    path.write_text(json.dumps(doc))
    return path


@pytest.mark.parametrize("value", ["yes", "true", 1, None, [True]])
def test_fitted_on_inputs_not_a_boolean_is_refused_naming_the_file_and_key(tmp_path, value):
    manifest = _edited(one_band_model(tmp_path / "model"), fitted_on_inputs=value)
    with pytest.raises(StarclassError, match=r"ensemble manifest .*manifest\.json: key 'fitted_on_inputs' is "):
        load_model(tmp_path / "model")  # the old code: loaded, fitted_on_inputs False
    with pytest.raises(StarclassError, match="not true or false"):
        read_manifest(manifest)


@pytest.mark.parametrize(("value", "read"), [(True, True), (False, False), ("absent", False)])
def test_true_false_and_absent_are_read(tmp_path, value, read):
    model = one_band_model(tmp_path / "model")
    if value != "absent":
        _edited(model, fitted_on_inputs=value)
    assert load_model(model).fitted_on_inputs is read


def test_pixel_flags_flagged_as_text_is_refused(tmp_path):
    _edited(one_band_model(tmp_path / "model"),
            pixel_flags={"mask_extension": None, "dq_good_bits": None, "flagged": "false", "flagged_pixels": {}})
    with pytest.raises(StarclassError, match=r"key 'pixel_flags\.flagged' is 'false', not true or false"):
        load_model(tmp_path / "model")  # the old code: loaded, its training stamps said to have flagged pixels


def test_a_calibration_tta_as_text_is_refused():
    p = np.array([[0.95, 0.05], [0.9, 0.1], [0.2, 0.8], [0.1, 0.9]])
    entry = fit_with_and_without_tta(p, None, [0, 1, 1, 0], [1, 2]).to_dict()
    assert ModelCalibration.from_dict(entry).tta is False
    entry["tta"] = "false"
    with pytest.raises(StarclassError, match=r"model: the calibration entry is malformed \(its 'tta' is 'false'"):
        ModelCalibration.from_dict(entry)  # the old code: read as fitted under TTA (bool('false') is True)


def test_every_listed_key_is_checked(tmp_path):
    from starclass.learn.checkpoint import MANIFEST_BOOLEANS

    model = one_band_model(tmp_path / "model")
    for key in MANIFEST_BOOLEANS:
        doc = json.loads((model / "manifest.json").read_text())
        node = doc
        for k in key[:-1]:
            node = node.setdefault(k, {"mask_extension": None, "dq_good_bits": None} if k == "pixel_flags" else {})
        node[key[-1]] = "no"
        (tmp_path / "m.json").write_text(json.dumps(doc))
        with pytest.raises(StarclassError, match=rf"key '{'.'.join(key)}' is 'no'"):
            read_manifest(tmp_path / "m.json")


def test_classify_exits_2_naming_the_manifest_and_writes_nothing(tmp_path):
    manifest = _edited(one_band_model(tmp_path / "model"), fitted_on_inputs="yes")
    (tmp_path / "cuts").mkdir()
    rng = np.random.default_rng(0)
    for i in range(2):
        np.save(tmp_path / "cuts" / f"c{i}.npy", rng.random((16, 16)).astype(np.float32))
    (tmp_path / "cuts" / "labels.csv").write_text("file\nc0.npy\nc1.npy\n")
    out = tmp_path / "out.csv"
    res = runner.invoke(app, ["classify", "--stamps", str(tmp_path / "cuts" / "labels.csv"), "--model",
                              str(tmp_path / "model"), "-o", str(out)])
    assert res.exit_code == 2, res.output
    said = " ".join(res.output.split())
    assert f"ensemble manifest {manifest}: key 'fitted_on_inputs' is 'yes', not true or false" in said, said
    assert "Traceback" not in said and not out.exists()
