"""``starclass.learn.checkpoint.write_untrained_model``: a model folder with random weights, no training.

Ten docstring examples and tests/conftest.py built the same one-member model in five lines each;
notebooks had no public way to try classify, explain or calibrate without a training run.
"""

from __future__ import annotations

import pytest
import torch

from starclass.errors import StarclassError
from starclass.learn import checkpoint
from starclass.learn.checkpoint import load_checkpoint, load_model, read_manifest, write_untrained_model
from starclass.learn.config import get_preset, save_config

CFG = get_preset("galaxy-cluster-compact", stamp_size=16)


def _weights(folder):
    return load_checkpoint(folder / "member_01.pt")["state_dict"]


def test_writes_a_model_every_tool_loads(tmp_path):
    out = write_untrained_model(tmp_path / "a" / "model", CFG, seed=3)
    assert out == tmp_path / "a" / "model"
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "member_01.pt"]
    loaded = load_model(out)
    assert loaded.config.classes == [1, 2] and loaded.calibration is None
    assert read_manifest(out)["members"] == [{"file": "member_01.pt", "architecture": "compact", "seed": 3}]
    assert load_checkpoint(out / "member_01.pt")["seed"] == 3
    probs = torch.softmax(loaded.members[0](torch.zeros(2, CFG.n_channels, 16, 16)), dim=1)
    assert probs.shape == (2, 2)


def test_the_seed_fixes_the_weights_and_leaves_the_callers_random_state(tmp_path):
    torch.manual_seed(123)
    expected_next = torch.rand(3)
    torch.manual_seed(123)
    a = write_untrained_model(tmp_path / "a", CFG, seed=0)
    # a notebook's next random draw is what it would have been without the call
    assert torch.equal(torch.rand(3), expected_next)
    b = write_untrained_model(tmp_path / "b", CFG, seed=0)
    c = write_untrained_model(tmp_path / "c", CFG, seed=1)
    wa, wb, wc = _weights(a), _weights(b), _weights(c)
    assert all(torch.equal(wa[k], wb[k]) for k in wa)
    assert not all(torch.equal(wa[k], wc[k]) for k in wa)


def test_a_preset_name_or_a_task_file_is_a_task(tmp_path):
    by_name = write_untrained_model(tmp_path / "n", "galaxy-cluster-compact")
    assert load_model(by_name).config.name == "galaxy-cluster-compact"
    task = save_config(CFG.copy(name="small"), tmp_path / "small.yaml")
    by_file = write_untrained_model(tmp_path / "f", task)
    assert load_model(by_file).config.stamp_size == 16


def test_an_existing_model_is_refused_without_overwrite_and_replaced_with_it(tmp_path):
    out = write_untrained_model(tmp_path / "m", CFG, seed=0)
    before = (out / "member_01.pt").read_bytes()
    with pytest.raises(StarclassError, match=r"m exists and is not empty; give overwrite=True"):
        write_untrained_model(out, CFG, seed=1)
    assert (out / "member_01.pt").read_bytes() == before
    write_untrained_model(out, CFG, seed=1, overwrite=True)
    assert load_checkpoint(out / "member_01.pt")["seed"] == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["m"]  # no temporary folder left beside it


def test_an_empty_folder_is_used_and_a_folder_of_other_files_is_never_replaced(tmp_path):
    (tmp_path / "empty").mkdir()
    assert (write_untrained_model(tmp_path / "empty", CFG) / "manifest.json").is_file()
    (tmp_path / "notes").mkdir()
    (tmp_path / "notes" / "notes.txt").write_text("mine")
    with pytest.raises(StarclassError, match=r"holds files this command did not write \(notes.txt\)"):
        write_untrained_model(tmp_path / "notes", CFG, overwrite=True)
    assert sorted(p.name for p in (tmp_path / "notes").iterdir()) == ["notes.txt"]
    (tmp_path / "file").write_text("x")
    with pytest.raises(StarclassError, match=r"file exists and is not a folder"):
        write_untrained_model(tmp_path / "file", CFG)


@pytest.mark.parametrize("seed", [-1, 1.5, True, "0", None])
def test_a_seed_that_is_not_a_whole_number_is_refused_by_name(tmp_path, seed):
    with pytest.raises(StarclassError, match=rf"write_untrained_model: seed must be a whole number >= 0, not {seed!r}"):
        write_untrained_model(tmp_path / "m", CFG, seed=seed)
    assert list(tmp_path.iterdir()) == []


def test_a_task_of_another_type_or_an_unknown_preset_is_refused(tmp_path):
    with pytest.raises(StarclassError, match=r"task must be a TaskConfig, a preset name or a task file, not dict"):
        write_untrained_model(tmp_path / "m", {"classes": [1, 2]})
    with pytest.raises(StarclassError, match=r"'no-such-task' is neither a file nor a preset"):
        write_untrained_model(tmp_path / "m", "no-such-task")
    assert list(tmp_path.iterdir()) == []


def test_a_failure_half_way_writes_nothing(tmp_path, monkeypatch):
    def broken_manifest(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(checkpoint, "write_manifest", broken_manifest)
    with pytest.raises(OSError, match="disk full"):
        write_untrained_model(tmp_path / "m", CFG)
    # the member was written into the temporary folder only, which is gone
    assert list(tmp_path.iterdir()) == []
