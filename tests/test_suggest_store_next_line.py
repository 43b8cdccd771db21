"""``suggest`` on a stamp store's classification names the store's own next steps.

Until 2026-12-07 its closing line was the mosaics' one with placeholders ("starclass inspect DATA_DIR ...,
then starclass train --mosaics MOSAICS --catalog ..."), though the classification came from a store
(``classify --stamps STORE.h5``) whose mosaics the store records, and the fine-tune reads the store
(``train --stamps STORE.h5 --labels LABELS.ecsv --resume-from MODEL``).
"""

from __future__ import annotations

import numpy as np
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.learn.config import get_preset
from starclass.stamps.store import make_store

runner = CliRunner()


def test_suggest_on_a_store_classification_says_the_store_route(tmp_path, monkeypatch):
    from astropy.io import fits

    from starclass.io.mosaic import read_mosaics
    from starclass.learn.checkpoint import write_untrained_model

    cfg = get_preset("legus4-compact", stamp_size=16, scales=[1.0])
    field = tmp_path / "field"
    field.mkdir()
    rng = np.random.default_rng(1)
    for b in cfg.bands:
        hdr = fits.Header({"ABMAGZP": 25.0})
        fits.writeto(field / f"g_{b}.fits", rng.normal(1.0, 0.1, (60, 60)).astype(np.float32), hdr)
    n = 12
    cands = Table({"id": np.arange(1, n + 1), "x": rng.uniform(15, 45, n), "y": rng.uniform(15, 45, n)})
    monkeypatch.chdir(tmp_path)
    make_store(read_mosaics(field), cands, "s.h5", cfg)  # its record names the files in field/
    model = write_untrained_model(tmp_path / "m0", cfg)
    # what classify --stamps s.h5 writes: prob_<k>, class_pred, the model and the store in its meta
    p = rng.dirichlet(np.ones(4), n)
    out = Table({"id": cands["id"], "x": cands["x"], "y": cands["y"], "class_pred": p.argmax(1) + 1,
                 **{f"prob_{k}": p[:, k - 1] for k in cfg.classes}})
    out.meta.update({"stamps": "s.h5", "model": str(model)})
    out.write("classified.ecsv")
    res = runner.invoke(app, ["suggest", str(model), "classified.ecsv", "-n", "5", "-o", "sug.ecsv"])
    assert res.exit_code == 0, res.output
    said = " ".join(res.output.split())
    assert "MOSAICS" not in said and "--mosaics" not in said and "DATA_DIR" not in said, said
    assert f"starclass inspect {field} --catalogue sug.ecsv" in said, said
    # the export's file named (it was the placeholder LABELS.ecsv), the one the fine-tune reads
    assert f"starclass inspect {field} --catalogue classified.ecsv --export labels.ecsv" in said, said
    assert f"starclass train --stamps s.h5 --labels labels.ecsv --resume-from {model} -o NEW_MODEL" in said, said
    # the store's mosaics hold no label database yet: how to make one, as for suggestions on mosaics
    assert f"starclass inspect {field} --catalogue sug.ecsv --init --add-user NAME" in said, said


def test_store_page_hint_names_the_store_and_its_mosaics(tmp_path, monkeypatch):
    from starclass.cli.suggest_cmd import _store_page_hint

    monkeypatch.chdir(tmp_path)
    line = _store_page_hint(tmp_path / "nowhere.h5", tmp_path / "c.ecsv", tmp_path / "sug.ecsv", tmp_path / "m0")
    assert line.startswith("next: ")
    assert "MOSAICS" not in line and "--mosaics" not in line and "--catalog " not in line
    # the export's file is suggest's own choice, named from the current folder (short_path, since s84walkA);
    # the store is named as it was given
    assert f"starclass train --stamps {tmp_path / 'nowhere.h5'} --labels labels.ecsv --resume-from" in line
    assert "starclass inspect DATA_DIR --catalogue" in line  # no record of its mosaics: the placeholder, said
