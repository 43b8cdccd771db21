"""A folder of label folders given one level too high, with labels of one's own (issue 12, part 1).

``DIR/data/GC/*.png`` and ``DIR/data/bg/*.png`` given as ``DIR`` are read with the one label ``data``.
``info DIR`` printed "labels: data 12" and nothing else; ``train`` offered a task file mapping ``data`` to a
class, and ``classify`` said to give ``--label-column`` (an ImageFolder has none): the hint of
``tests/test_wrapped_imagefolder.py`` came only where the inner folders bore the task's own label names.
"""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import write_untrained_model  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.learn.config import get_preset

pytestmark = pytest.mark.usefixtures("single_thread")
runner = CliRunner()


def _wrapped(root, labels=("GC", "bg")):
    rng = np.random.default_rng(0)
    for lab in labels:
        (root / "data" / lab).mkdir(parents=True)
        for i in range(3):
            np.save(root / "data" / lab / f"{lab}{i}.npy", rng.normal(size=(16, 16)).astype(np.float32))
    (root / ".DS_Store").write_bytes(b"")  # the system's clutter beside the one folder changes nothing
    return root


def _said(res) -> str:
    return " ".join(res.output.split())


def test_info_says_which_folder_was_meant_and_exits_0(tmp_path):
    root = _wrapped(tmp_path / "cutouts")
    res = runner.invoke(app, ["info", str(root)])
    assert res.exit_code == 0, res.output
    said = _said(res)
    assert "labels: data 6" in said, said
    assert (f"{root} has one folder 'data' whose sub-folders look like labels (bg, GC): did you mean "
            f"{root / 'data'}?") in said, said
    # given the folder meant, no such line
    res = runner.invoke(app, ["info", str(root / "data")])
    assert res.exit_code == 0 and "did you mean" not in res.output, res.output


def test_train_refuses_with_the_same_hint_and_offers_no_task_file_for_data(tmp_path):
    root = _wrapped(tmp_path / "cutouts")
    res = runner.invoke(app, ["train", "--task", "m31-real", "--stamps", str(root), "-o", str(tmp_path / "m")])
    assert res.exit_code == 2, res.output
    said = _said(res)
    assert f"has one folder 'data' whose sub-folders look like labels (bg, GC): did you mean {root / 'data'}?" \
        in said, said
    assert "data: N" not in said and "Traceback" not in said, said
    assert not (tmp_path / "m").exists()


def test_classify_refuses_with_the_same_hint(tmp_path):
    root = _wrapped(tmp_path / "cutouts")
    model = write_untrained_model(tmp_path / "model", get_preset("m31-real", stamp_size=16))
    out = tmp_path / "out.csv"
    res = runner.invoke(app, ["classify", "--stamps", str(root), "--model", str(model), "-o", str(out)])
    assert res.exit_code == 2, res.output
    said = _said(res)
    assert f"did you mean {root / 'data'}?" in said, said
    assert "--label-column" not in said, said
    assert not out.exists()


def test_one_known_label_sorted_into_nights_is_still_classified(tmp_path):
    """cluster/night1/, cluster/night2/: one label of the task, its images in sub-folders, is no mistake."""
    root = tmp_path / "cutouts"
    rng = np.random.default_rng(1)
    for night in ("night1", "night2"):
        (root / "cluster" / night).mkdir(parents=True)
        np.save(root / "cluster" / night / "a.npy", rng.normal(size=(16, 16)).astype(np.float32))
    model = write_untrained_model(tmp_path / "model", get_preset("m31-real", stamp_size=16))
    res = runner.invoke(app, ["classify", "--stamps", str(root), "--model", str(model), "-o", str(tmp_path / "o.csv"),
                              "--no-progress"])
    assert res.exit_code == 0, res.output


def _nights(root, label, nights):
    rng = np.random.default_rng(2)
    for night in nights:
        (root / label / night).mkdir(parents=True)
        np.save(root / label / night / "a.npy", rng.normal(size=(16, 16)).astype(np.float32))
    return root


@pytest.mark.parametrize(("label", "nights"), [
    ("cluster", ("n1", "n2")),  # a label of a packaged task (m31-real), its images in nights of any names
    ("cluster", ("north", "south")),
    ("GC", ("night1", "night2", "night10")),  # a label of one's own, its sub-folders a numbered series
    ("GC", ("2023-10-01", "2023-11-02")),
])
def test_info_asks_nothing_of_one_label_sorted_into_sub_folders(tmp_path, label, nights):
    """info asked "did you mean DIR/cluster?" of DIR/cluster/n1/, DIR/cluster/n2/: one real label, no mistake."""
    root = _nights(tmp_path / "cutouts", label, nights)
    res = runner.invoke(app, ["info", str(root)])
    assert res.exit_code == 0, res.output
    assert f"labels: {label} {len(nights)}" in _said(res) and "did you mean" not in res.output, res.output


def test_info_still_asks_where_a_sub_folder_is_named_as_a_label(tmp_path):
    # the one folder named as a label, but so is one below it: a label folder wrapped in another
    root = _nights(tmp_path / "cutouts", "cluster", ("galaxy", "n2"))
    res = runner.invoke(app, ["info", str(root)])
    assert res.exit_code == 0 and f"did you mean {root / 'cluster'}?" in _said(res), res.output
