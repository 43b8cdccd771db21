"""The pretraining offer made when no ImageNet weights are found names a task ``--task`` takes, and a fit simulator.

``train`` offers, when a torchvision member finds no pretrained weights, to pretrain on the task's own
simulator and fine-tune. Until 2026-12-05, for a task file of the user's, the commands it wrote

* named the task by the file's ``name:`` (``--task xray5`` for ``--task five.yaml``), which ``--task``
  refuses ("neither a file nor a preset");
* offered the simulator of the preset the file extends whatever the file changed: ``extends: cool-core``
  with five classes was offered cool-core's three-class cutouts (classes 4 and 5 never simulated), and
  ``extends: phangs4`` with ``bands: [xray]`` an HST field of five other bands.

Now the commands name the task as given to ``--task``, and a task whose bands or classes the simulator
does not write is told so, with no simulator offered.
"""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.learn.config import load_config

pytestmark = pytest.mark.usefixtures("single_thread")


def _notes(tmp_path, text: str) -> tuple[str, str]:
    task = tmp_path / "mine.yaml"
    task.write_text(text)
    # the note comes before the data are read: a folder that does not exist ends the run after it (exit 2)
    res = CliRunner().invoke(app, ["train", "--task", str(task), "--stamps", str(tmp_path / "none"),
                                   "-o", str(tmp_path / "m")])
    assert res.exit_code == 2, res.output
    return " ".join(res.output.split()), str(task)


def test_a_task_file_that_the_simulator_fits_is_offered_with_the_file_as_its_task(tmp_path, empty_hub):
    said, task = _notes(tmp_path, "extends: cool-core\nname: cc64\nstamp_size: 64\npixel_scale: 15.6\n")
    assert "FROM SCRATCH" in said and "starclass simulate sim_pre --preset cool-core --n 2000 --seed 7" in said
    offered = re.findall(r"starclass train --task (\S+)", said)
    assert offered and set(offered) == {task}, said
    assert "--task cc64" not in said
    assert load_config(offered[0]).name == "cc64"  # the offered --task loads


def test_a_task_with_classes_the_simulator_does_not_label_is_offered_no_simulator(tmp_path, empty_hub):
    said, task = _notes(tmp_path, "extends: cool-core\nname: xray5\nclasses: [1, 2, 3, 4, 5]\n"
                                  "class_names: [low-z, high-z, point, galaxy, other]\n")
    assert "no simulated substitute offered: the cool-core simulator labels the classes of cool-core (1, 2, 3), " \
           "which give task 'xray5' no class 4, 5" in said
    assert "simulate sim_pre" not in said and "--task xray5" not in said
    assert f"starclass train --task {task} --stamps SIM/labels.csv -o pretrained" in said


def test_a_task_of_other_bands_is_offered_no_simulator_of_the_base_s_bands(tmp_path, empty_hub):
    said, _ = _notes(tmp_path, "extends: phangs4\nname: xray-ens\nbands: [xray]\nstamp_size: 64\n"
                               "input_size: null\nnormalisation: asinh\n"
                               "architecture: [{architecture: resnet18, n: 1}]\n")
    assert "the hst simulator writes the bands of legus4 (f275w, f336w, f438w, f555w, f814w), not xray of " \
           "task 'xray-ens'" in said
    assert "--preset hst" not in said


def test_the_table_of_what_each_simulator_writes_is_that_of_its_preset():
    # models does not import learn, so the offer keeps the simulators' bands and classes in a table of its own
    from starclass.learn.config import get_preset
    from starclass.models.torchvision_nets import SIMULATE_PRESET_OF_KIND, SIMULATED_TASK_OF_KIND

    assert set(SIMULATE_PRESET_OF_KIND) | {"pandas-cutouts"} == set(SIMULATED_TASK_OF_KIND)
    for kind, (name, bands, refs) in SIMULATED_TASK_OF_KIND.items():
        cfg = get_preset(name)
        assert cfg.toy_kind == ("ground2" if kind == "pandas-cutouts" else kind), kind
        assert tuple(cfg.bands) == bands, kind
        if refs is None:
            assert cfg.label_map, kind
        else:
            assert not cfg.label_map and refs == tuple(cfg.merge or cfg.classes), kind


def test_a_task_of_the_experts_five_kinds_is_offered_the_expert_column(tmp_path, empty_hub):
    # the galaxy-cluster simulator writes the five kinds in 'expert': the offer said it gives "no class 3, 4, 5"
    said, task = _notes(tmp_path, "extends: galaxy-cluster-experts\nname: gc5-resnet\n"
                                  "architecture: [{architecture: resnet18, n: 1}]\n")
    assert "no simulated substitute offered" not in said and "no class 3" not in said, said
    assert "starclass simulate sim_pre --preset galaxy-cluster --n 2000 --seed 7" in said, said
    assert f"starclass train --task {task} --stamps sim_pre/labels.csv --label-column expert -o pretrained" in said


def test_the_simulators_other_label_columns_are_those_they_write():
    from starclass.models.torchvision_nets import SIMULATED_LABEL_COLUMNS_OF_KIND
    from starclass.simulate.xray_candidates import EXPERT_CLASSES

    assert SIMULATED_LABEL_COLUMNS_OF_KIND["xray_optical"]["expert"] == tuple(sorted(EXPERT_CLASSES))
