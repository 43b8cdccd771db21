"""``starclass info MODEL`` names the fields the model learnt from (its manifest's ``training_fields``).

``survey`` marks those fields (their figures are no held-out test); ``info`` said nothing of them, so a
user could not see which fields a model, or a fold model of ``train --cv``, was trained on.
"""

from pathlib import Path

from typer.testing import CliRunner

from starclass.cli import app
from starclass.learn.checkpoint import set_training_fields, write_untrained_model
from starclass.learn.config import get_preset

runner = CliRunner()


def test_info_of_a_model_names_its_training_fields(tmp_path):
    cfg = get_preset("galaxy-cluster-compact", stamp_size=16)
    model = write_untrained_model(tmp_path / "model", cfg)
    (tmp_path / "south").mkdir()
    (tmp_path / "south" / "xray.fits").write_bytes(b"")
    set_training_fields(model, [([tmp_path / "south" / "xray.fits"], tmp_path / "south.ecsv")])
    res = runner.invoke(app, ["info", str(model)])
    assert res.exit_code == 0, res.output
    said = " ".join(res.output.split())
    assert "training fields (survey marks them: not held out)" in said, res.output
    assert str((tmp_path / "south.ecsv").resolve()) in said and str((tmp_path / "south").resolve()) in said, said


def test_info_of_a_model_without_the_record_says_it_is_not_recorded(tmp_path):
    model = write_untrained_model(tmp_path / "model", get_preset("galaxy-cluster-compact", stamp_size=16))
    res = runner.invoke(app, ["info", str(Path(model))])
    assert res.exit_code == 0, res.output
    assert "training fields: not recorded" in " ".join(res.output.split()), res.output
