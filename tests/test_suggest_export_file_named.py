"""suggest's next line names the file the labels are exported into and the fine-tune reads, not a placeholder.

After ``classify --stamps STORE.h5`` (and on mosaics, and for cutouts) ``suggest`` ended with "... --export
LABELS.ecsv; then ... train --stamps STORE.h5 --labels LABELS.ecsv ...": a name in capitals, read as one to fill
in. It now names one file (``labels.ecsv`` beside the suggestions, or the first ``labels_<k>.ecsv`` not there yet,
so that the export is not refused for an existing file), the same in the export and the fine-tune.
"""

from __future__ import annotations

import shlex

import numpy as np
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.learn.config import get_preset
from starclass.stamps.store import make_store

runner = CliRunner()


def _store_classification(tmp_path, monkeypatch):
    from astropy.io import fits

    from starclass.io.mosaic import read_mosaics
    from starclass.learn.checkpoint import write_untrained_model

    cfg = get_preset("legus4-compact", stamp_size=16, scales=[1.0])
    field = tmp_path / "field"
    field.mkdir()
    rng = np.random.default_rng(2)
    for b in cfg.bands:
        fits.writeto(field / f"g_{b}.fits", rng.normal(1.0, 0.1, (60, 60)).astype(np.float32),
                     fits.Header({"ABMAGZP": 25.0}))
    n = 12
    cands = Table({"id": np.arange(1, n + 1), "x": rng.uniform(15, 45, n), "y": rng.uniform(15, 45, n)})
    monkeypatch.chdir(tmp_path)
    make_store(read_mosaics(field), cands, "s.h5", cfg)
    model = write_untrained_model(tmp_path / "m0", cfg)
    p = rng.dirichlet(np.ones(4), n)
    out = Table({"id": cands["id"], "x": cands["x"], "y": cands["y"], "class_pred": p.argmax(1) + 1,
                 **{f"prob_{k}": p[:, k - 1] for k in cfg.classes}})
    out.meta.update({"stamps": "s.h5", "model": str(model)})
    out.write("classified.ecsv")
    return model


def _exported_and_read(output: str) -> tuple[str, str]:
    """The file of the line's ``--export`` and of its ``--labels``."""
    line = next(ln for ln in output.splitlines() if ln.startswith("next: "))
    words = shlex.split(line.replace(";", " ; "))
    return words[words.index("--export") + 1], words[words.index("--labels") + 1]


def test_store_route_names_one_labels_file(tmp_path, monkeypatch):
    model = _store_classification(tmp_path, monkeypatch)
    res = runner.invoke(app, ["suggest", str(model), "classified.ecsv", "-n", "5", "-o", "sug.ecsv"])
    assert res.exit_code == 0, res.output
    exported, read = _exported_and_read(res.output)
    assert exported == read == "labels.ecsv", res.output  # was LABELS.ecsv, a placeholder
    # a second round beside the first's export: a name the export writes without --overwrite
    (tmp_path / "labels.ecsv").write_text("# the last round's export\n")
    res = runner.invoke(app, ["suggest", str(model), "classified.ecsv", "-n", "5", "-o", "sug2.ecsv"])
    assert res.exit_code == 0, res.output
    exported, read = _exported_and_read(res.output)
    assert exported == read == "labels_1.ecsv", res.output
    assert not (tmp_path / exported).exists()
