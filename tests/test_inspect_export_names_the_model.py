"""``inspect --export`` of a field names the model its catalogue records, and that model's fields, in the fine-tune.

Issue 17, point 4: after a round on a field, ``suggest`` printed the fine-tune with its model and the fields that
model was trained on, but ``inspect --export`` printed ``--mosaics SO_FAR_DIR --catalog SO_FAR.ecsv ...
--resume-from MODEL`` even where the catalogue it served was written by ``classify`` (or ``suggest``), whose meta
names the model. The export now looks the model up as ``inspect --stamps`` looks up a cutout list's
(``next_steps.catalogue_model``) and builds the fine-tune by ``suggest``'s rule (``next_steps.fine_tune_words``),
falling back to the placeholders, with why, where the model is gone, unreadable or records no field.
"""

from __future__ import annotations

import shlex
import warnings
from pathlib import Path

import numpy as np
import pytest

with warnings.catch_warnings():  # the installed starlette warns about httpx at import
    warnings.simplefilter("ignore")
    pytest.importorskip("fastapi")
from astropy.table import Table
from typer.testing import CliRunner

from conftest import write_untrained_model  # tests/ is on sys.path under pytest
from starclass.bands import BANDS
from starclass.cli import app
from starclass.cli.suggest_cmd import _mosaic_page_hint
from starclass.inspect import db
from starclass.io.catalog import write_catalog
from starclass.io.mosaic import write_mosaic
from starclass.learn.checkpoint import set_training_fields
from starclass.learn.config import get_preset

pytestmark = pytest.mark.usefixtures("cheap_argon2")
runner = CliRunner()


@pytest.fixture(scope="module")
def field(tmp_path_factory):
    """A toy field f1 classified by m (recorded as trained on field f0) and by m_plain (no record), 4 labels."""
    from starclass.datasets.stamps import make_synthetic_field

    root = tmp_path_factory.mktemp("export_model")
    cfg = get_preset("legus4-compact", stamp_size=16, scales=[1.0])
    images, table = make_synthetic_field(cfg, 12, seed=5)
    f1 = root / "f1"
    for band, img in images.items():
        info = BANDS[band]
        write_mosaic(f1 / f"toy_{band}.fits", img, band, None, photflam=info.photflam, photplam=info.photplam)
    write_catalog(table["id", "x", "y"], root / "cands.ecsv")
    f0 = root / "f0"
    f0.mkdir()
    for band in images:  # the field m learnt from: recorded only where its mosaics are files
        (f0 / f"old_{band}.fits").write_bytes(b"")
    write_untrained_model(root / "m", cfg, seed=0)
    set_training_fields(root / "m", [(sorted(f0.glob("*.fits")), f0 / "truth.ecsv")])
    write_untrained_model(root / "m_plain", cfg, seed=0)
    for name in ("m", "m_plain"):
        res = runner.invoke(app, ["classify", str(f1), "-c", str(root / "cands.ecsv"), "--model", str(root / name),
                                  "-o", str(root / f"classified_{name}.ecsv"), "--no-progress", "--device", "cpu"])
        assert res.exit_code == 0, res.output
    engine = db.make_engine(f"sqlite:///{root / 'labels.sqlite'}")
    db.init_db(engine)
    ann = db.add_user(engine, "ann", "ann-password")
    for cid, v in zip([str(i) for i in table["id"][:4]], (1, 2, 3, 4)):
        db.save_label(engine, "", cid, ann, v)
    engine.dispose()
    return root


def _fine_tune(root: Path, catalogue: str, export: str, data: str = "f1") -> tuple[list[str], str]:
    """Export the labels of ``data`` with ``--catalogue``; the fine-tune the next line gives, and the line."""
    res = runner.invoke(app, ["inspect", data, "--catalogue", catalogue, "--db", f"sqlite:///{root / 'labels.sqlite'}",
                              "--export", export])
    assert res.exit_code == 0, res.output
    line = " ".join(ln for ln in res.output.splitlines() if ln.startswith("next: "))
    tune = line.split("fine-tune one on them with ", 1)[1]
    quote = tune[0]
    return shlex.split(tune[1:tune.index(quote, 1)]), line


def test_the_export_names_the_model_the_catalogue_records_and_its_fields(field, monkeypatch):
    monkeypatch.chdir(field)
    # suggest's line for the same model after a round on the field, before the export it names is written
    hint = _mosaic_page_hint([Path("f1")], Path("classified_m.ecsv"), Path("s.ecsv"), field / "m")
    command, line = _fine_tune(field, "classified_m.ecsv", "labels.ecsv")
    # old code: --mosaics SO_FAR_DIR --catalog SO_FAR.ecsv ... --resume-from MODEL. Named from here
    # (short_path), though classify and the manifest record them absolute
    assert command == ["starclass", "train", "--mosaics", "f0", "--catalog", "f0/truth.ecsv",
                       "--mosaics", "f1", "--catalog", "labels.ecsv", "--resume-from", "m",
                       "-o", "NEW_MODEL"], line
    assert "SO_FAR" not in line and "MODEL was trained on" not in line, line
    # the very fine-tune suggest prints (one rule)
    assert shlex.split(hint.split(", then ", 1)[1]) == command, hint


def test_a_model_that_records_no_field_is_named_beside_the_placeholders_and_why(field, monkeypatch):
    monkeypatch.chdir(field)
    command, line = _fine_tune(field, "classified_m_plain.ecsv", "labels_plain.ecsv")
    assert command[2:6] == ["--mosaics", "SO_FAR_DIR", "--catalog", "SO_FAR.ecsv"], line
    assert command[command.index("--resume-from") + 1] == "m_plain", line
    assert "; model m_plain records no field it was trained on)" in line, line


def test_a_model_gone_leaves_the_placeholders_and_says_so(field, monkeypatch):
    monkeypatch.chdir(field)
    t = Table.read(field / "classified_m.ecsv")
    t.meta["model"] = str(field / "gone")
    t.write(field / "classified_gone.ecsv", overwrite=True)
    command, line = _fine_tune(field, "classified_gone.ecsv", "labels_gone.ecsv")
    assert command[2:6] == ["--mosaics", "SO_FAR_DIR", "--catalog", "SO_FAR.ecsv"], line
    assert command[command.index("--resume-from") + 1] == "MODEL", line
    assert f"; MODEL: classified_gone.ecsv names model {field / 'gone'}, which is no longer there)" in line, line


def test_an_unreadable_model_is_said_so(field, monkeypatch):
    monkeypatch.chdir(field)
    (field / "broken").mkdir(exist_ok=True)
    (field / "broken" / "manifest.json").write_text("{")
    t = Table.read(field / "classified_m.ecsv")
    t.meta["model"] = str(field / "broken")
    t.write(field / "classified_broken.ecsv", overwrite=True)
    command, line = _fine_tune(field, "classified_broken.ecsv", "labels_broken.ecsv")
    assert command[2:6] == ["--mosaics", "SO_FAR_DIR", "--catalog", "SO_FAR.ecsv"], line
    assert "; model broken cannot be read (starclass info broken says why))" in line, line


def test_a_csv_catalogue_names_its_model_in_a_column_relative_to_its_folder(field, monkeypatch):
    """A CSV keeps no meta: classify names the model in its ``model`` column. Recorded relative to the folder the
    command ran in, the model is looked for beside the catalogue too (as a cutout list's model is)."""
    t = Table.read(field / "classified_m.ecsv")
    t.meta.clear()
    t["model"] = np.array(["m"] * len(t))
    t.write(field / "classified_m.csv", overwrite=True)
    (field / "elsewhere").mkdir(exist_ok=True)
    monkeypatch.chdir(field / "elsewhere")
    command, line = _fine_tune(field, "../classified_m.csv", "labels_csv.ecsv", data="../f1")
    assert command[2:4] == ["--mosaics", str(field / "f0")], line  # not under here: absolute, as recorded
    assert command[command.index("--resume-from") + 1] == str(Path("..") / "m"), line
