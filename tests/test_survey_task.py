"""survey --task (and a plan's ``task:``) takes a task file, as ``train --task`` does.

The check compared the string given with the model's task name, so a task file, whose path is
never its name, was refused ("--task 'mytask.yaml' but model M was trained for task 'mytask'").
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

pytest.importorskip("distributed")

from starclass.errors import StarclassError

BANDS = {"f555w": (1.9e-19, 5308.0), "f814w": (1.5e-19, 8040.0)}
TASK = "extends: legus4-compact\nbands: [f555w, f814w]\nstamp_size: 16\ndescription: two bands\n"


@pytest.fixture(scope="module")
def trained(tmp_path_factory) -> Path:
    """A folder with mytask.yaml, an untrained model of it, one field and a plan whose task is a name."""
    from starclass.io.mosaic import write_mosaic
    from starclass.learn.checkpoint import write_untrained_model
    from starclass.learn.config import load_config

    d = tmp_path_factory.mktemp("task")
    (d / "mytask.yaml").write_text(TASK)
    cfg = load_config(d / "mytask.yaml")
    assert cfg.name == "mytask"  # named after the file, as train names the model's task
    write_untrained_model(d / "model", cfg)
    (d / "field").mkdir()
    rng = np.random.default_rng(0)
    for band, (flam, plam) in BANDS.items():
        write_mosaic(d / "field" / f"f_{band}.fits", rng.normal(1.0, 0.1, (96, 96)).astype(np.float32), band,
                     None, photflam=flam, photplam=plam)
    return d


def _plan(d: Path, where: Path, task: str | None) -> Path:
    where.mkdir(parents=True, exist_ok=True)
    plan = where / "plan.yaml"
    plan.write_text(f"model: {d / 'model'}\n" + (f"task: {task}\n" if task else "")
                    + f"tile_size: 64\noverlap: 32\nphotometry: ci\nfields:\n  - {{name: f, mosaics: {d / 'field'}}}\n")
    return plan


def _prepare(plan, out):
    from starclass.survey.run import prepare

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the field has no WCS: said elsewhere
        return prepare(plan, out)


def test_the_task_file_the_model_was_trained_with_is_accepted(trained, tmp_path, monkeypatch):
    """--task FILE (relative to the working folder) and a plan's task: FILE (relative to the plan, as its
    other paths) pass the check; the name of the model's task still does."""
    from starclass.survey.plan import read_plan

    monkeypatch.chdir(trained)
    plan = read_plan(_plan(trained, tmp_path / "a", None))
    assert _prepare(plan.with_options(task="mytask.yaml"), tmp_path / "o1").config.name == "mytask"
    assert _prepare(plan.with_options(task="mytask"), tmp_path / "o2").config.name == "mytask"
    # the plan lies in another folder than the task file: its path is the plan's, not the working folder's
    (tmp_path / "b" / "tasks").mkdir(parents=True)
    (tmp_path / "b" / "tasks" / "mytask.yaml").write_text(TASK)
    monkeypatch.chdir(tmp_path)
    from_plan = read_plan(_plan(trained, tmp_path / "b", "tasks/mytask.yaml"))
    assert from_plan.task == str(tmp_path / "b" / "tasks" / "mytask.yaml")
    assert len(_prepare(from_plan, tmp_path / "o3").jobs) == 4
    assert not any((tmp_path / o).exists() for o in ("o1", "o2", "o3"))


def test_a_task_file_of_other_classes_is_refused_naming_what_differs(trained, tmp_path):
    """Same 'name:', other classes: refused (exit 2), naming --task or the plan's task and the classes."""
    from typer.testing import CliRunner

    from starclass.cli import app

    other = tmp_path / "other.yaml"
    other.write_text(TASK + "name: mytask\nclasses: [1, 2, 3]\nclass_names: [a, b, c]\n"
                     "merge: {1: 1, 2: 2, 3: 3, 4: 3}\n")
    out = tmp_path / "out"
    plan = _plan(trained, tmp_path, None)
    r = CliRunner().invoke(app, ["survey", str(plan), "-o", str(out), "--no-progress", "--workers", "1",
                                 "--task", str(other)])
    flat = " ".join(r.output.split())
    assert r.exit_code == 2, r.output
    assert f"error: --task {other}: not the task model {trained / 'model'} was trained for (task 'mytask')" in flat
    assert "classes [1, 2, 3] in the file, [1, 2, 3, 4] in the model" in flat, flat
    assert "name " not in flat.split("(task 'mytask'):")[1], flat  # the names agree: not named as a difference
    assert "Traceback" not in r.output and not out.exists()
    plan = _plan(trained, tmp_path / "p", "../other.yaml")
    r = CliRunner().invoke(app, ["survey", str(plan), "-o", str(out), "--no-progress", "--workers", "1"])
    flat = " ".join(r.output.split())
    assert r.exit_code == 2, r.output
    # relative to the plan's folder, as its other paths are (kept as joined, as they are)
    assert f"error: plan {plan}: task {plan.parent / '..' / 'other.yaml'}: not the task" in flat, flat
    assert "classes [1, 2, 3] in the file" in flat, flat
    assert not out.exists()


def test_a_task_file_of_another_name_or_that_cannot_be_read_is_refused(trained, tmp_path):
    from starclass.survey.plan import read_plan

    plan = read_plan(_plan(trained, tmp_path, None))
    renamed = tmp_path / "renamed.yaml"
    renamed.write_text(TASK)
    with pytest.raises(StarclassError, match=r"--task .*renamed.yaml: .*name 'renamed' in the file, "
                                             r"'mytask' in the model"):
        _prepare(plan.with_options(task=str(renamed)), tmp_path / "o")
    broken = tmp_path / "broken.yaml"
    broken.write_text("extends: legus4-compact\nno_such_key: 1\n")
    with pytest.raises(StarclassError, match=r"broken.yaml: unknown keys"):
        _prepare(plan.with_options(task=str(broken)), tmp_path / "o")
