"""``starclass info`` describes a task: a preset's name or a task file, as ``--task`` takes it.

``info mine.yaml`` was refused as "not a catalogue" and ``info m31-real`` as no such file, though
``info MODEL`` says a model's task in these words (classes, bands, stamps) and a user writing a task
file wants to see what it makes of ``extends:`` before training.
"""

from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()


def test_info_of_a_task_file_says_its_classes_inputs_network_and_recipe(tmp_path):
    (tmp_path / "mine.yaml").write_text("preset: m31-binary\nthreshold: 0.8\nrecipe: {epochs: 20}\n")
    res = runner.invoke(app, ["info", str(tmp_path / "mine.yaml")])
    assert res.exit_code == 0, res.output
    said = " ".join(res.output.split())
    assert "task 'mine' (task file" in said and "preset m31-binary with its recipe, threshold changed" in said, said
    assert "classes (output order of prob_<k>): 1 cluster, 2 non-cluster" in said, said
    assert "decision: class 1 when its probability >= 0.8" in said and "up to 20 epochs" in said, said
    assert "1 resnet50" in said, said


def test_info_of_a_preset_name_describes_the_preset(tmp_path):
    res = runner.invoke(app, ["info", "m31-real"])
    assert res.exit_code == 0, res.output
    said = " ".join(res.output.split())
    assert "task 'm31-real' (preset;" in said and "bands: g; stamps 64 px" in said, said
    assert "whole object_id groups" in said, said


def test_a_bad_task_file_is_named_with_its_key_and_options_of_tables_are_refused(tmp_path):
    (tmp_path / "bad.yaml").write_text("extends: m31-real\nbogus: 1\n")
    res = runner.invoke(app, ["info", str(tmp_path / "bad.yaml")])
    assert res.exit_code == 2 and "bogus" in res.output and "Traceback" not in res.output, res.output
    (tmp_path / "ok.yaml").write_text("extends: m31-real\n")
    res = runner.invoke(app, ["info", str(tmp_path / "ok.yaml"), "--format", "csv"])
    assert res.exit_code == 2 and "is a task" in res.output, res.output
    # a survey plan is YAML too, and still described as one, not read as a task
    (tmp_path / "plan.yaml").write_text("model: m\nfields:\n  - name: a\n")
    res = runner.invoke(app, ["info", str(tmp_path / "plan.yaml")])
    assert "survey plan" in res.output and "task '" not in res.output, res.output
