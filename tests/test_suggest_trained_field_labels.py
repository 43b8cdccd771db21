"""``suggest`` without ``--labels`` on a field its model was trained on names the labels to give.

A walk through the docs (2026-12-07): 50 of 92 candidates labelled in ``inspect`` and exported, ``train -c
labels.ecsv``, ``classify`` of the 92, then the suggest command classify's next line offers (no ``--labels``):
11 of the 20 suggestions were candidates already labelled, without a word. ``classify`` records the model's
training field in its output (meta ``training_field``); ``suggest`` now says that the catalogue trained on labels
that many of these candidates and to give it as ``--labels``, or, where that catalogue holds no labels (a model
trained with ``train --labels``), to give the labels it was trained on.
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from conftest import write_untrained_model  # tests/ is on sys.path under pytest
from starclass.bands import BANDS
from starclass.cli import app
from starclass.io.catalog import write_catalog
from starclass.io.mosaic import write_mosaic
from starclass.learn.checkpoint import set_training_fields
from starclass.learn.config import get_preset

runner = CliRunner()


@pytest.fixture(scope="module")
def field(tmp_path_factory):
    """An untrained model recorded as trained on a toy field whose catalogue labels 5 of its 12 candidates."""
    from starclass.datasets.stamps import make_synthetic_field

    root = tmp_path_factory.mktemp("trained")
    cfg = get_preset("legus4-compact", stamp_size=16, scales=[1.0])
    images, table = make_synthetic_field(cfg, 12, seed=5)
    data = root / "data"
    for band, img in images.items():
        info = BANDS[band]
        write_mosaic(data / f"toy_{band}.fits", img, band, None, photflam=info.photflam, photplam=info.photplam)
    cand = table["id", "x", "y"]
    cand["mag_f555w"] = np.linspace(20, 25, len(table))
    write_catalog(cand, root / "cands.ecsv")
    labels = cand.copy()
    labels["class_h1"] = np.where(np.arange(len(labels)) < 5, 1 + np.arange(len(labels)) % 4, 0)
    write_catalog(labels, root / "labels.ecsv")
    plain = root / "plain"
    plain.mkdir()
    models = {}
    for name, catalog in (("m", root / "labels.ecsv"), ("m_nolabels", root / "cands.ecsv")):
        models[name] = write_untrained_model(root / name, cfg, seed=0)
        set_training_fields(models[name], [(sorted(data.glob("*.fits")), catalog)])
        res = runner.invoke(app, ["classify", str(data), "-c", str(root / "cands.ecsv"), "--model", str(models[name]),
                                  "-o", str(root / f"classified_{name}.ecsv"), "--no-progress", "--device", "cpu"])
        assert res.exit_code == 0, res.output
    write_untrained_model(root / "m_plain", cfg, seed=0)
    res = runner.invoke(app, ["classify", str(data), "-c", str(root / "cands.ecsv"), "--model", str(root / "m_plain"),
                              "-o", str(root / "classified_plain.ecsv"), "--no-progress", "--device", "cpu"])
    assert res.exit_code == 0, res.output
    return root


def _suggest(root, model, classified, *extra):
    out = root / f"s_{model}_{len(extra)}.ecsv"
    res = runner.invoke(app, ["suggest", str(root / model), str(root / classified), "-n", "3", "--mag-bins", "1",
                              "-o", str(out), "--overwrite", *extra])
    assert res.exit_code == 0, res.output
    return " ".join(res.output.split())


def test_the_note_names_the_catalogue_trained_on_and_counts_its_labels(field, monkeypatch):
    monkeypatch.chdir(field)
    text = _suggest(field, "m", "classified_m.ecsv")
    said = re.search(r"note: \S+classified_m\.ecsv was classified by a model trained on this field, whose catalogue "
                     r"(\S+) labels (\d+) of these 12 candidates; .* give --labels (\S+) to leave them out", text)
    assert said, text
    assert said.group(1) == said.group(3) == "labels.ecsv"
    labelled = Table.read(field / "labels.ecsv")
    assert int(said.group(2)) == int((np.asarray(labelled["class_h1"]) > 0).sum())
    # the note's own advice, taken: the note goes, and none of the labelled is suggested
    text = _suggest(field, "m", "classified_m.ecsv", "--labels", said.group(3))
    assert "trained on this field" not in text, text
    got = Table.read(field / "s_m_2.ecsv")
    assert not set(got["id"].tolist()) & set(labelled["id"][np.asarray(labelled["class_h1"]) > 0].tolist())


def test_a_catalogue_without_labels_is_not_offered_as_labels(field):
    text = _suggest(field, "m_nolabels", "classified_m_nolabels.ecsv")
    assert "was classified by a model trained on this field (its catalogue" in text, text
    assert "give --labels LABELS.ecsv (the labels it was trained on" in text, text


def test_no_note_for_a_model_not_trained_on_the_field(field):
    text = _suggest(field, "m_plain", "classified_plain.ecsv")
    assert "trained on this field" not in text, text
