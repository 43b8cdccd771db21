"""``inspect --export``'s first train names a task of the field's bands (2026-12-07).

Its line said ``starclass train --task legus4-compact --mosaics F --catalog LABELS -o model`` whatever the field's
bands: on inspect's own demo field (make_demo_field: f336w, f555w, f814w) train refused it as printed ("bands
f275w, f438w missing from the mosaics"). The task comes from the rule ``simulate`` uses
(:func:`starclass.cli.next_steps.quick_task`), and where no packaged task reads the bands the line says so, with
the task file to write (``extends:`` and ``bands:``).
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from starclass.datasets.labelling import make_demo_field
from starclass.inspect import db
from test_docs_commands import problems  # tests/ is on sys.path under pytest

pytestmark = pytest.mark.usefixtures("cheap_argon2")  # an account: a cheap hash (conftest.py)


def _first_train(output: str) -> tuple[list[str], str]:
    """The export's first-train command, split as a shell would, and the words after it."""
    text = " ".join(output.split())
    m = re.search(r"train a model on these labels with '(starclass train [^']*)'(.*)", text)
    assert m, text
    return shlex.split(m.group(1)), m.group(2)


def test_the_demo_fields_export_proposes_a_train_its_bands_allow(tmp_path, monkeypatch):
    from starclass.cli import app
    from starclass.learn.config import PRESETS, get_preset, load_config

    field = make_demo_field(tmp_path / "field", n=6, size=120, seed=2)
    have = {"f336w", "f555w", "f814w"}
    assert set(field.mosaics) == have
    url = f"sqlite:///{tmp_path / 'l.sqlite'}"
    monkeypatch.setenv("STARCLASS_INSPECT_PASSWORD", "dana-password")
    monkeypatch.chdir(tmp_path)
    runner = CliRunner()
    r = runner.invoke(app, ["inspect", "field", "--db", url, "--init", "--add-user", "dana"])
    assert r.exit_code == 0, r.output
    engine = db.make_engine(url)
    db.save_label(engine, "", "2", 1, 3)
    engine.dispose()
    r = runner.invoke(app, ["inspect", "field", "--db", url, "--export", "labels.ecsv"])
    assert r.exit_code == 0, r.output
    train, said = _first_train(r.output)
    assert not problems(train[1:]), problems(train[1:])
    task = train[train.index("--task") + 1]
    # old code: legus4-compact, whose f275w and f438w the field has not
    if task in PRESETS:
        assert set(get_preset(task).bands) <= have, (task, get_preset(task).bands)
        return
    # no packaged task reads f336w, f555w, f814w (none does today): the line says which file to write; written
    # as said, it is a task of the field's bands that train's band check takes
    assert task == "TASK", train
    m = re.search(r"write a task file with '(extends: [\w-]+)' and '(bands: \[[^]]*\])'", said)
    assert m, said
    (tmp_path / "mine.yaml").write_text(f"{m.group(1)}\n{m.group(2)}\n")
    cfg = load_config(tmp_path / "mine.yaml")
    assert set(cfg.bands) == have and list(cfg.classes) == [1, 2, 3, 4], cfg


def test_a_field_a_preset_reads_is_given_that_preset(tmp_path):
    """Five HST bands: legus4-compact, the preset of those bands; g and i with PHANGS labels (classes 1-4): no
    preset (m31-binary-compact is of classes 1 and 2), said in words."""
    from astropy.table import Table

    from starclass.cli.inspect_cmd import _field_bands, _field_export_next
    from starclass.learn.config import get_preset
    from starclass.simulate import SimConfig, simulate_to_disk

    simulate_to_disk(SimConfig(seed=1, shape=(64, 64), n_candidates=3), tmp_path / "hst")
    bands = _field_bands(tmp_path / "hst", {(tmp_path / "hst" / "truth.ecsv").resolve()})
    out = Table({"id": [1, 2], "n_labels": [1, 1]}, meta={"label_scheme": "phangs"})
    train, said = _first_train(_field_export_next(out, tmp_path / "hst", Path("labels.ecsv"), bands=bands))
    task = train[train.index("--task") + 1]
    assert task == "legus4-compact" and set(get_preset(task).bands) <= set(bands), (task, bands)
    assert not said.startswith(" (TASK"), said  # no placeholder to explain
    train, said = _first_train(_field_export_next(out, Path("gi"), Path("labels.ecsv"), bands=["g", "i"]))
    assert train[train.index("--task") + 1] == "TASK", train
    assert said.startswith(" (TASK: no packaged task reads bands g, i alone; write a task file with 'extends: "
                           "legus4-compact' and 'bands: [g, i]'"), said


def test_simulates_task_placeholder_says_what_to_write(tmp_path):
    """simulate --bands of no compact preset said '--task TASK' and nothing on what it stands for; it says the task
    file now, extending the compact preset of the field's task, and that file loads with the field's bands."""
    from starclass.cli.simulate_cmd import next_after_field
    from starclass.learn.config import load_config

    line = next_after_field(Path("f"), ["f336w", "f555w", "f814w"], "legus4")
    assert "'starclass train --task TASK -m f" in line, line
    m = re.search(r"TASK: no packaged task reads bands f336w, f555w, f814w alone; write a task file with "
                  r"'(extends: legus4-compact)' and '(bands: \[f336w, f555w, f814w\])'", line)
    assert m, line
    (tmp_path / "mine.yaml").write_text(f"{m.group(1)}\n{m.group(2)}\n")
    assert load_config(tmp_path / "mine.yaml").bands == ["f336w", "f555w", "f814w"]
