"""classify --stamps STORE warns when the store was cut from the model's own training field, as on its mosaics.

docs/training.md's 'starclass cutouts field/ -c field/truth.ecsv --task MODEL -o stamps.h5' then 'starclass
classify --stamps stamps.h5 --model MODEL -o classified.ecsv', walked with the model trained on field/: classify
on field's mosaics warned "model 'model' was trained on this field ...: ... in-sample", the store of the same
field said nothing and recorded nothing, so evaluate scored the training rows as held out.
"""

from __future__ import annotations

from typer.testing import CliRunner

from starclass.cli import app


def test_a_store_of_the_training_field_is_said_in_sample(tmp_path, monkeypatch):
    from conftest import write_toy_held_out  # tests/ is on sys.path under pytest
    from starclass.io.catalog import read_catalog
    from starclass.learn.checkpoint import set_training_fields, write_untrained_model
    from starclass.learn.config import get_preset
    from starclass.schema import TRAINING_FIELD

    cfg = get_preset("legus4-compact", stamp_size=16, scales=[1.0])
    write_toy_held_out(cfg, tmp_path, 20, seed=21)
    model = write_untrained_model(tmp_path / "m", cfg)
    set_training_fields(model, [(sorted(str(p) for p in (tmp_path / "mos").glob("*.fits")), tmp_path / "held.ecsv")])
    monkeypatch.chdir(tmp_path)  # cutouts records the mosaics as given, relative to where it runs
    runner = CliRunner()
    res = runner.invoke(app, ["cutouts", "mos", "-c", "held.ecsv", "--task", "m", "-o", "s.h5", "--no-progress"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["classify", "--stamps", "s.h5", "--model", "m", "-o", "out.ecsv", "--device", "cpu",
                              "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "warning: model m was trained on this field (its record of training fields: catalogue " in res.output, \
        res.output
    assert TRAINING_FIELD in read_catalog(tmp_path / "out.ecsv").meta
