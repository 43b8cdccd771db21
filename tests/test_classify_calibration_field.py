"""classify warns when it classifies the field the model's calibration was fitted on, as it warns of a training field.

Walking docs/uncertainty.md, ``calibrate model/ heldout/*.fits --catalog heldout/truth.ecsv`` ends with 'next:
classify with it: starclass classify heldout ...'; classified and scored so, the calibration field gave ECE 0.030
and a conformal coverage of 0.900-0.903 for every class (its own calibration rows, in-sample), where the test field
gave 0.049 and 0.881-0.909, and nothing said so. The warning names the calibration's catalogue; another field gets
none.
"""

from __future__ import annotations

from typer.testing import CliRunner

from conftest import write_toy_held_out, write_untrained_model  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.learn.config import get_preset

runner = CliRunner()


def test_classify_of_the_calibration_field_is_said_to_be_in_sample(tmp_path, single_thread) -> None:
    cfg = get_preset("legus4-compact", stamp_size=16, scales=[1.0])
    write_toy_held_out(cfg, tmp_path / "cal", 12, seed=3)
    write_toy_held_out(cfg, tmp_path / "other", 12, seed=4)
    model = write_untrained_model(tmp_path / "model", cfg, seed=0)
    held = tmp_path / "cal" / "held.ecsv"
    res = runner.invoke(app, ["calibrate", str(model), str(tmp_path / "cal" / "mos"), "--catalog", str(held),
                              "--device", "cpu", "--overwrite"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["classify", str(tmp_path / "cal" / "mos"), "-c", str(held), "--model", str(model),
                              "--device", "cpu", "-o", str(tmp_path / "self.ecsv")])
    assert res.exit_code == 0, res.output
    said = " ".join(res.stderr.split())
    assert "was calibrated on this field" in said and str(held) in said and "in-sample" in said, res.stderr
    res = runner.invoke(app, ["classify", str(tmp_path / "other" / "mos"), "-c", str(tmp_path / "other" / "held.ecsv"),
                              "--model", str(model), "--device", "cpu", "-o", str(tmp_path / "other.ecsv")])
    assert res.exit_code == 0, res.output
    assert "calibrated on this field" not in res.output, res.output
