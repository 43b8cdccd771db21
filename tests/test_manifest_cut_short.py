"""A model's manifest.json that is empty or cut short is said so, with how to recover.

Before, a 0-byte manifest.json (a copy of the model interrupted, a full disk) was "ensemble
manifest .../manifest.json is not valid JSON: line 1, column 1: Expecting value", which says
nothing of what happened nor what to do. It is now "is empty (0 bytes), cut short (...)" or
"ends mid-way, after N bytes, cut short", naming how to get the model back.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from conftest import one_band_model  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.errors import StarclassError
from starclass.learn.checkpoint import read_manifest

runner = CliRunner()


@pytest.mark.parametrize("keep, says", [(0, "is empty (0 bytes), cut short"),
                                        (120, "ends mid-way, after 120 bytes, cut short")])
def test_read_manifest_says_cut_short(tmp_path, keep, says):
    model = one_band_model(tmp_path / "model")
    man = model / "manifest.json"
    man.write_bytes(man.read_bytes()[:keep])
    with pytest.raises(StarclassError) as err:
        read_manifest(model)
    msg = str(err.value)
    assert says in msg
    assert "copy the model folder again" in msg
    assert "line 1, column" not in msg


def test_bad_json_that_is_not_cut_short_keeps_its_position(tmp_path):
    """Guard: a manifest edited into invalid JSON is still 'not valid JSON' with its line and column."""
    model = one_band_model(tmp_path / "model")
    (model / "manifest.json").write_text('{"format": oops}\n')
    with pytest.raises(StarclassError, match="is not valid JSON: line 1, column 12") as err:
        read_manifest(model)
    assert "cut short" not in str(err.value)


def test_classify_with_an_empty_manifest(tmp_path):
    model = one_band_model(tmp_path / "mod èle")
    (model / "manifest.json").write_bytes(b"")
    stamps = tmp_path / "stamps"
    stamps.mkdir()
    out = tmp_path / "pred.ecsv"
    res = runner.invoke(app, ["classify", "--model", str(model), "--stamps", str(stamps), "-o", str(out),
                              "--device", "cpu"])
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output
    text = " ".join(res.output.split())
    assert "is empty (0 bytes), cut short" in text
    assert not out.exists()
