"""A resumed ``train`` says at once what it resumes, not only when it finishes.

Before: rerunning an interrupted ``starclass train`` said "member 1: already trained, kept" and
"member 2: resumed after epoch N" only among the notes at the end of the run (hours later for a
long one, never if it was stopped again). Now one line is printed before any training:
"resuming from the checkpoints in M: member 1 already trained, member 2 after epoch 1 of 2".
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("single_thread")


class Stopped(Exception):
    """A run stopped (Ctrl-C, a time limit) where the test says."""


def _cutouts(root: Path) -> Path:
    rng = np.random.default_rng(0)
    rows = ["file,label"]
    for i in range(24):
        a = (rng.random((16, 16)) * 200).astype(np.uint8)
        if i % 2 == 0:
            a[6:10, 6:10] = 255
        Image.fromarray(a).save(root / f"c{i}.png")
        rows.append(f"c{i}.png,{'cluster' if i % 2 == 0 else 'galaxy'}")
    (root / "labels.csv").write_text("\n".join(rows) + "\n")
    (root / "t.yaml").write_text("extends: m31-real\nbands: [g]\nstamp_size: 16\n"
                                 "recipe: {epochs: 2, batch_size: 16, ensemble_size: 2}\n")
    return root


def _stop_at(monkeypatch, when) -> None:
    import starclass.learn.train as train_mod

    real_save = train_mod.save_checkpoint

    def save(ckpt, path, **kw):
        if when(ckpt, Path(path)):
            raise Stopped
        return real_save(ckpt, path, **kw)

    monkeypatch.setattr(train_mod, "save_checkpoint", save)


def test_a_resumed_train_says_what_it_resumes_before_training(tmp_path, monkeypatch):
    root = _cutouts(tmp_path)
    args = ["train", "--task", str(root / "t.yaml"), "--stamps", str(root / "labels.csv"), "-o",
            str(root / "M"), "--no-progress", "--device", "cpu"]
    # stopped in member 2, after its first epoch's checkpoint
    _stop_at(monkeypatch, lambda ckpt, p: p.name == "member_02.last.pt" and ckpt["epoch"] == 2)
    res = runner.invoke(app, args)
    assert isinstance(res.exception, Stopped), res.output
    assert "resuming" not in res.output, res.output  # a fresh run resumes nothing
    assert sorted(p.name for p in (root / "M").iterdir()) == ["member_01.pt", "member_02.last.pt"]
    # the same command, stopped again at its first checkpoint: what it resumed was said already
    _stop_at(monkeypatch, lambda ckpt, p: True)
    res = runner.invoke(app, args)
    assert isinstance(res.exception, Stopped), res.output
    assert (f"resuming from the checkpoints in {root / 'M'}: member 1 already trained, member 2 after epoch 1 "
            "of 2") in res.output, res.output
