"""A model's manifest edited by hand to a value of the wrong kind (``"bands": 5``) is refused naming the model,
the key and the member (exit 2), as a manifest that lists other bands is; before, list(5) was a traceback."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from conftest import write_untrained_model
from starclass.cli import app
from starclass.errors import StarclassError
from starclass.learn.checkpoint import load_model
from starclass.learn.config import get_preset

runner = CliRunner()


@pytest.mark.parametrize(("key", "value"), [("bands", 5), ("classes", 2), ("bands", None)])
def test_a_manifest_config_value_that_is_no_list_is_refused(tmp_path, key, value):
    model = write_untrained_model(tmp_path / "model", get_preset("galaxy-cluster-compact", stamp_size=16))
    doc = json.loads((model / "manifest.json").read_text())
    doc["config"][key] = value
    (model / "manifest.json").write_text(json.dumps(doc))
    # checked as a task file's value by read_manifest (every command's reader) since 2026-12-05; before, by the
    # comparison with the member: "the manifest says bands 5 but member member_01.pt has [...]"
    said = "model/manifest.json: key 'config' does not hold a valid task config"
    with pytest.raises(StarclassError, match=rf"{said} .*: {key}={value!r} must be a list"):
        load_model(model)
    res = runner.invoke(app, ["info", str(model)])
    assert res.exit_code == 2, res.output
    assert said in " ".join(res.output.split()) and f"{key}={value!r} must be a list" in res.output
