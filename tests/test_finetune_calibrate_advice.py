"""The calibrate command a fine-tune advises names the rows of the kind the model trains on.

``train --resume-from M`` warns when its validation rows are rows M trained on, and advises
calibrating the new model on rows neither model trained on. Until 2026-12-06 it always named
``calibrate MODEL --stamps HELD_OUT`` (a cutout folder), also for a model trained on mosaics and
a catalogue, whose held-out rows are given as ``calibrate MODEL MOSAICS -c HELD_OUT.ecsv``.
"""

from __future__ import annotations

import shutil

import numpy as np
import pytest

from finetune_setup import split_with_start_rows  # tests/ is on sys.path under pytest
from starclass.errors import cli_words

STAMPS = "'starclass calibrate MODEL --stamps HELD_OUT.csv --overwrite'"
MOSAICS = "'starclass calibrate MODEL MOSAICS -c HELD_OUT.ecsv --overwrite'"


@pytest.fixture(scope="module")
def start(toy_trust_model):
    return toy_trust_model  # conftest: a two-member four-class toy model, 100 rows, 40 of them its validation split


def _seen_warning(cfg, toy, start_model, outdir, **kwargs) -> str:
    """The fine-tune's 'validation rows are rows the starting model ...' warning (on the start's rows plus 20)."""
    from starclass.datasets.stamps import make_synthetic
    from starclass.learn.train import fit

    new = make_synthetic(cfg, 20, seed=12)
    with pytest.warns(UserWarning, match="validation rows are rows the starting model") as said:
        labels = np.concatenate([toy.class_ref, new.class_ref])
        fit(cfg, np.concatenate([toy.inputs, new.inputs]), labels, outdir=outdir, init_from=start_model,
            progress=False, device="cpu", ensemble=1, val_index=split_with_start_rows(labels, cfg), **kwargs)
    # as train says it (the library names the Python function: errors.cli_words)
    seen = "validation rows are rows the starting model"
    return next(cli_words(str(w.message)) for w in said if seen in str(w.message))


def test_a_fine_tune_cut_from_mosaics_is_told_the_mosaic_form(start, tmp_path):
    from starclass.learn.provenance import flags_record

    root, cfg, toy, _ = start
    # what train passes when it cuts the stamps from mosaics (or reads stamp stores cut from them)
    said = _seen_warning(cfg, toy, root / "model", tmp_path / "m1", pixel_flags=flags_record(None))
    assert MOSAICS in said and "--stamps" not in said


def test_the_starting_models_record_says_the_form_where_this_run_does_not(start, tmp_path):
    from starclass.learn.checkpoint import read_manifest, set_training_cutouts, write_manifest
    from starclass.learn.provenance import flags_record

    root, cfg, toy, _ = start
    # a start trained on a cutout folder (its manifest records the cutouts' size)
    cut = tmp_path / "cut"
    shutil.copytree(root / "model", cut)
    set_training_cutouts(cut, (100, len(cfg.bands), 32, 32))
    said = _seen_warning(cfg, toy, cut, tmp_path / "m1")
    assert STAMPS in said and "MOSAICS" not in said
    # a start trained on mosaics (its manifest records the pixel flags the stamps were cut with)
    mos = tmp_path / "mos"
    shutil.copytree(root / "model", mos)
    doc = read_manifest(mos)
    assert "training_cutouts" not in doc
    write_manifest(mos, cfg, doc["members"], training=doc.get("training"), training_rows=doc.get("training_rows"),
                   pixel_flags=flags_record(None), overwrite=True)
    said = _seen_warning(cfg, toy, mos, tmp_path / "m2")
    assert MOSAICS in said and "--stamps" not in said
    # neither recorded (a model made through the Python API): both forms, each for its rows
    said = _seen_warning(cfg, toy, root / "model", tmp_path / "m3")
    assert (f"{STAMPS} (a held-out cutout folder) or {MOSAICS} (a held-out catalogue on its mosaics), whichever the "
            "model was trained on") in said
