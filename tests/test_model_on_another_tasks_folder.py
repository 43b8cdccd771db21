"""A model used on a cutout folder of another task is said so (2026-12-05).

Found walking the non-HST tasks as a user: ``starclass explain m_cc gct/labels.csv -o X`` (a ``cool-core``
model, classes 1-3, on a ``galaxy-cluster`` folder made by ``simulate --preset galaxy-cluster``) read
``file_xray`` and took the folder's cluster / non-cluster labels 1 and 2 as cool-core classes 1 and 2
without a word; ``classify --stamps``, ``calibrate --stamps``, ``report --model --stamps`` and
``train --resume-from`` did the same. Now :func:`starclass.learn.folder_task.check_folder_task` warns
when the folder records another task (its ``simulation.json``) whose numbers fit the model's classes,
and refuses (exit 2, naming the folder and both tasks) labels that are strings the task does not know.
"""

from __future__ import annotations

import json
import warnings

import numpy as np
import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.learn.config import get_preset
from starclass.learn.folder_task import check_folder_task, recorded_folder_task

pytestmark = pytest.mark.usefixtures("single_thread")


def _folder(root, labels, *, preset: str | None, size: int = 32):
    """A one-band X-ray folder (file_xray, label) as simulate writes, ``simulation.json`` naming ``preset``."""
    rng = np.random.default_rng(0)
    (root / "images").mkdir(parents=True)
    lines = ["file_xray,label"]
    for i, lab in enumerate(labels):
        np.save(root / "images" / f"s{i}.npy", rng.random((size, size)).astype(np.float32))
        lines.append(f"images/s{i}.npy,{lab}")
    (root / "labels.csv").write_text("\n".join(lines) + "\n")
    if preset is not None:
        (root / "simulation.json").write_text(json.dumps({"preset": preset, "config": {"n": len(labels)}}))
    return root / "labels.csv"


def test_the_recorded_task_is_read_and_a_family_is_one_task(tmp_path):
    src = _folder(tmp_path / "gct", [1, 2], preset="galaxy-cluster")
    assert recorded_folder_task(src) == "galaxy-cluster"
    assert recorded_folder_task(_folder(tmp_path / "own", [1, 2], preset=None)) is None
    # a model of the same family reads the folder without a word
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        check_folder_task(src, np.array(["1", "2"]), get_preset("galaxy-cluster-compact"), model="m")


def test_numbers_that_merely_fit_warn_naming_both_tasks(tmp_path):
    src = _folder(tmp_path / "gct", [1, 2, 1], preset="galaxy-cluster")
    with pytest.warns(UserWarning) as got:
        check_folder_task(src, np.array(["1", "2", "1"]), get_preset("cool-core"), model="m_cc")
    said = " ".join(str(w.message) for w in got)
    assert "made for task 'galaxy-cluster'" in said and "of task 'cool-core'" in said and "m_cc" in said


def test_strings_the_task_does_not_know_are_refused(tmp_path):
    with pytest.raises(StarclassError, match="not those of task 'm31-real'"):
        check_folder_task(tmp_path / "og.csv", np.array(["open", "globular"]), get_preset("m31-real"), model="m")
    # a folder of the task's own class names (open-globular has no label_map) is its own
    check_folder_task(tmp_path / "og.csv", np.array(["open", "globular"]), get_preset("open-globular"), model="m")


def _small_cool_core_model(tmp_path):
    from starclass.learn.checkpoint import write_untrained_model

    cfg = get_preset("cool-core-compact").copy(stamp_size=32, mixed_sizes=False)
    return write_untrained_model(tmp_path / "m_cc", cfg)


def test_classify_stamps_of_a_galaxy_cluster_folder_with_a_cool_core_model_warns(tmp_path):
    model = _small_cool_core_model(tmp_path)
    src = _folder(tmp_path / "gct", [1, 2, 1, 2], preset="galaxy-cluster")
    res = CliRunner().invoke(app, ["classify", "--model", str(model), "--stamps", str(src),
                                   "-o", str(tmp_path / "p.csv"), "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "made for task 'galaxy-cluster'" in res.output and "of task 'cool-core" in res.output


def test_classify_stamps_of_unknown_label_strings_is_refused(tmp_path):
    model = _small_cool_core_model(tmp_path)
    src = _folder(tmp_path / "og", ["open", "globular"], preset=None)
    out = tmp_path / "p.csv"
    res = CliRunner().invoke(app, ["classify", "--model", str(model), "--stamps", str(src), "-o", str(out),
                                   "--no-progress"])
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output and "are not those of task 'cool-core" in res.output
    assert str(src) in res.output.replace("\n", "") and not out.exists()


def test_a_column_the_user_names_is_read_as_before(tmp_path):
    # explain/classify --label-column source_table: a column chosen by the user keeps the warning of
    # label_classes (class_ref 0), as tests/test_explain.py's labels the task does not know
    check_folder_task(tmp_path / "og.csv", np.array(["open", "globular"]), get_preset("cool-core"), model="m",
                      chosen=True)


def test_evaluate_model_of_another_task_than_the_classified_output_warns(tmp_path):
    from astropy.table import Table

    from starclass.learn.checkpoint import write_untrained_model

    model = write_untrained_model(tmp_path / "m_og", get_preset("open-globular-compact").copy(stamp_size=32))
    rng = np.random.default_rng(0)
    p1 = rng.random(30)
    t = Table({"file": [f"images/s{i}.fits" for i in range(30)], "class_ref": rng.integers(1, 3, 30),
               "class_pred": np.where(p1 >= 0.5, 1, 2), "prob_1": p1, "prob_2": 1 - p1})
    t.meta["task"] = "galaxy-cluster"  # what classify records
    t.write(tmp_path / "p.ecsv")
    res = CliRunner().invoke(app, ["evaluate", str(tmp_path / "p.ecsv"), "--model", str(model),
                                   "-o", str(tmp_path / "ev"), "--bootstrap", "0"])
    assert res.exit_code == 0, res.output
    said = " ".join(res.output.split())
    assert "classified with a model made for task 'galaxy-cluster'" in said, said
    assert "of task 'open-globular-compact'" in said


def test_train_resume_from_on_unknown_label_strings_is_refused(tmp_path):
    model = _small_cool_core_model(tmp_path)
    src = _folder(tmp_path / "og", ["open", "globular"] * 3, preset="open-globular")
    out = tmp_path / "m2"
    res = CliRunner().invoke(app, ["train", "--resume-from", str(model), "--stamps", str(src), "-o", str(out),
                                   "--epochs", "1", "--no-progress"])
    assert res.exit_code == 2, res.output
    said = " ".join(res.output.split())
    assert "are not those of task 'cool-core" in said and "made for task 'open-globular'" in said, said
    assert not out.exists()


@pytest.mark.parametrize("command", ["explain", "calibrate", "report"])
def test_the_other_commands_say_the_folder_is_of_another_task(tmp_path, command):
    model = _small_cool_core_model(tmp_path)
    src = _folder(tmp_path / "og", ["open", "globular"] * 3, preset="open-globular")
    out = tmp_path / "out"
    args = {"explain": ["explain", str(model), str(src), "-o", str(out), "--method", "gradcam"],
            "calibrate": ["calibrate", str(model), "--stamps", str(src)],
            "report": ["report", str(_output_csv(tmp_path)), "--model", str(model), "--stamps", str(src),
                       "-o", str(out / "r.html")]}[command]
    before = (model / "manifest.json").read_bytes()
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 2, res.output
    said = " ".join(res.output.split())
    assert "are not those of task 'cool-core" in said and "made for task 'open-globular'" in said, said
    assert not out.exists() and (model / "manifest.json").read_bytes() == before


def _output_csv(tmp_path):
    from astropy.table import Table

    rng = np.random.default_rng(0)
    p = rng.dirichlet(np.ones(3), 6)
    t = Table({"file": [f"images/s{i}.npy" for i in range(6)], "class_ref": [1, 2, 3, 1, 2, 3],
               "class_pred": p.argmax(axis=1) + 1, **{f"prob_{k + 1}": p[:, k] for k in range(3)}})
    t.write(tmp_path / "p.csv", format="ascii.csv")
    return tmp_path / "p.csv"
