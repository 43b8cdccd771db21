"""A stamp store that does not fit is told the ``cutouts`` command that fits the model (or task) as it is.

Before: ``classify --stamps`` and ``calibrate --stamps`` refused such a store with train's words, "cut a store
for it ... --task m31-binary-compact ... (CATALOGUE: the candidates with their labels), or train from the mosaics",
and named the model's preset: for a model trained with ``--stamp-size 24`` that command cut the preset's 56 px
stamps, which were refused again (docs/stamps.md walk, 2026-12-07). ``train --task T --stamp-size 24`` was sent the
same way round, and ``cutouts --task MODEL`` of such a model ended with ``next: ... train --task
m31-binary-compact --stamps S.h5``, which train refused of that store.
"""

from __future__ import annotations

import re
import shlex

import pytest
from typer.testing import CliRunner

from conftest import write_untrained_model  # tests/ is on sys.path
from starclass.bands import BANDS
from starclass.cli import app
from starclass.datasets.stamps import make_synthetic_field
from starclass.io.catalog import write_catalog
from starclass.io.mosaic import write_mosaic
from starclass.learn.config import get_preset

pytestmark = pytest.mark.usefixtures("single_thread")

runner = CliRunner()


def _field(tmp_path):
    images, table = make_synthetic_field(get_preset("legus4-compact"), 12, seed=3)
    for band, img in images.items():
        write_mosaic(tmp_path / "field" / f"toy_{band}.fits", img, band, None,
                     photflam=BANDS[band].photflam, photplam=BANDS[band].photplam)
    write_catalog(table, tmp_path / "truth.ecsv")
    return table


def _said_cutouts(text: str, fill: dict[str, str]) -> list[str]:
    said = re.search(r"'(starclass cutouts [^']*)'", text)
    assert said, text
    return [fill.get(w, w) for w in shlex.split(said.group(1))[1:]]


def test_classify_is_told_the_cutouts_of_the_models_own_stamps(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _field(tmp_path)
    # a model trained on other stamps than its preset's 32 px: its task keeps the preset's name
    write_untrained_model(tmp_path / "model", get_preset("legus4-compact", stamp_size=16))
    res = runner.invoke(app, ["cutouts", "field", "--catalog", "truth.ecsv", "--task", "legus4-compact",
                              "-o", "preset.h5", "--no-progress"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["classify", "--stamps", "preset.h5", "--model", "model", "-o", "out.ecsv",
                              "--device", "cpu", "--no-progress"])
    text = " ".join(res.output.split())
    assert res.exit_code == 2 and "stamp_size is 32 in the store, 16 in the task" in text, text
    # classify's own words: the candidates to classify, and the mosaics' classify, not train's
    assert "with their labels" not in text and "train from the mosaics" not in text, text
    assert "'starclass classify field -c CANDIDATES --model model -o classified.ecsv'" in text, text
    # the command as the message gives it, its placeholders filled in, writes a store the model classifies
    # its output a name not there yet (until 2026-12-07 '-o STORE.h5', a placeholder to edit)
    words = _said_cutouts(text, {"CANDIDATES": "truth.ecsv"})
    assert words[-2:] == ["-o", "stamps.h5"], words
    res = runner.invoke(app, [*words, "--no-progress"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["classify", "--stamps", "stamps.h5", "--model", "model", "-o", "out.ecsv",
                              "--device", "cpu", "--no-progress"])
    assert res.exit_code == 0, res.output


def test_calibrate_is_told_a_labelled_held_out_cut_and_the_mosaics_calibrate(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _field(tmp_path)
    write_untrained_model(tmp_path / "model", get_preset("legus4-compact", stamp_size=16))
    res = runner.invoke(app, ["cutouts", "field", "--catalog", "truth.ecsv", "--task", "legus4-compact",
                              "-o", "preset.h5", "--no-progress"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["calibrate", "model", "--stamps", "preset.h5", "--overwrite", "--device", "cpu",
                              "--no-progress"])
    text = " ".join(res.output.split())
    assert res.exit_code == 2 and "--task model" in text and "HELD_OUT.ecsv" in text, text
    assert "'starclass calibrate model field -c HELD_OUT.ecsv --overwrite'" in text, text
    assert "train from the mosaics" not in text, text


def test_train_with_a_stamp_size_of_its_own_is_told_the_size_too(tmp_path, monkeypatch):
    from starclass.cli.train_cmd import store_fit
    from starclass.stamps import StampStore

    monkeypatch.chdir(tmp_path)
    _field(tmp_path)
    res = runner.invoke(app, ["cutouts", "field", "--catalog", "truth.ecsv", "--task", "legus4-compact",
                              "-o", "preset.h5", "--no-progress"])
    assert res.exit_code == 0, res.output
    cfg = get_preset("legus4-compact", stamp_size=16)  # train --task legus4-compact --stamp-size 16
    with StampStore("preset.h5") as st, pytest.raises(Exception) as refused:
        store_fit(st, cfg, "preset.h5")
    words = _said_cutouts(str(refused.value), {"CATALOGUE": "truth.ecsv"})
    assert words[-2:] == ["-o", "stamps.h5"], words  # not there yet (was STORE.h5, a placeholder)
    res = runner.invoke(app, [*words, "--no-progress"])
    assert res.exit_code == 0, res.output
    with StampStore("stamps.h5") as st:
        assert store_fit(st, cfg, "stamps.h5").stamp_size == 16


def test_a_store_cut_for_such_a_model_is_sent_to_train_without_the_presets_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _field(tmp_path)
    write_untrained_model(tmp_path / "model", get_preset("legus4-compact", stamp_size=16))
    res = runner.invoke(app, ["cutouts", "field", "--catalog", "truth.ecsv", "--task", "model", "-o", "s16.h5",
                              "--no-progress"])
    text = " ".join(res.output.split())
    assert res.exit_code == 0, text
    said = re.search(r"next: .*'(starclass train [^']*)'", text)
    assert said, text
    words = shlex.split(said.group(1))
    assert "--task" not in words and "s16.h5" in words, text  # train reads the store's task: 16 px
    assert "--size 16" in text, text
    from starclass.cli.train_cmd import stores_task

    assert stores_task(["s16.h5"]).stamp_size == 16
