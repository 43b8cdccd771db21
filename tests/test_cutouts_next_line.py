"""``cutouts`` of labelled candidates ends with the command that comes next, as ``simulate`` and ``detect`` do.

Walking docs/stamps.md, ``cutouts field -c field/truth.ecsv --task legus4-compact -o lab.h5`` ended with the
file written; the store trains as it is (``train --task legus4-compact --stamps lab.h5 -o model``: the task it was
cut for is named, so the command says what it trains; train reads it from the store too).
A store without classes gets no such line.
"""

from __future__ import annotations

import pytest
from astropy.table import Table
from typer.testing import CliRunner

from conftest import write_toy_mosaics  # tests/ is on sys.path
from starclass.cli import app

pytestmark = pytest.mark.usefixtures("single_thread")


def _cut(tmp_path, columns: dict):
    folder = tmp_path / "field"
    folder.mkdir()
    write_toy_mosaics(folder)
    Table({"id": [1, 2, 3], "x": [30.0, 48.0, 60.0], "y": [40.0, 48.0, 50.0], **columns}).write(tmp_path / "c.ecsv")
    out = tmp_path / "s.h5"
    res = CliRunner().invoke(app, ["cutouts", str(folder), "-c", str(tmp_path / "c.ecsv"), "-o", str(out),
                                   "--size", "16", "--no-progress"])
    assert res.exit_code == 0, res.output
    return res.stdout.strip().splitlines(), out


def test_a_labelled_store_ends_with_how_to_train_on_it(tmp_path):
    lines, out = _cut(tmp_path, {"class_ref": [1, 0, 4]})  # 0: no class
    # the toy mosaics' store records no task by name (cut for their own two bands): no --task to name
    assert lines[-1] == f"next: train a model on its 2 labelled candidates with 'starclass train --stamps {out} " \
                        "-o model'", lines


def test_the_next_line_names_the_task_the_store_was_cut_for(tmp_path):
    # train does not read the task from the store: `train --stamps s.h5` as printed trained legus4 (StarcNet) on a
    # store cut for legus4-compact until 2026-12-07
    import numpy as np

    from starclass.cli.cutouts_cmd import next_after_cutting
    from starclass.learn.config import get_preset
    from starclass.stamps import make_store

    cfg = get_preset("legus4-compact")
    img = {b: np.ones((40, 40), np.float32) for b in cfg.bands}
    out = tmp_path / "s.h5"
    make_store(img, Table({"x": [20.0, 9.0], "y": [20.0, 20.0], "class_ref": [1, 2]}), out, cfg)
    assert next_after_cutting(out) == (f"next: train a model on its 2 labelled candidates with 'starclass train "
                                       f"--task legus4-compact --stamps {out} -o model'")
    # cut with other stamps than the preset's, the store is trained as it records its task (--task legus4-compact
    # trained 32 px stamps and refused it: tests/test_store_refusal_fits_the_model.py)
    small = tmp_path / "small.h5"
    make_store(img, Table({"x": [20.0, 9.0], "y": [20.0, 20.0], "class_ref": [1, 2]}), small,
               cfg.copy(stamp_size=8, scales=[1.0]))
    assert next_after_cutting(small) == (
        f"next: train a model on its 2 labelled candidates with 'starclass train --stamps {small} -o model' (train "
        "reads the task the store records: legus4-compact, cut with --size 8 --scales 1)")


def test_a_store_without_classes_gets_no_next_line(tmp_path):
    lines, _ = _cut(tmp_path, {})
    assert not any(line.startswith("next:") for line in lines), lines
