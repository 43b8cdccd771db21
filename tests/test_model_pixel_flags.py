"""A model remembers the mask and DQ flags its training stamps were cut with (2026-12-03).

``train --mask-extension BPM`` set the flagged pixels to NaN in the training stamps, but the model
kept no word of it: ``classify`` on the same mosaics without the option (or with other flags) fed
the network stamps prepared otherwise than those it learnt on, in silence. The manifest now
records the flags (and whether any pixel was flagged), ``info`` shows them, and classify,
calibrate, suggest, report and survey warn in one line when the flags given differ.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from astropy.io import fits
from astropy.table import Table
from astropy.wcs import WCS
from typer.testing import CliRunner

from starclass.bands import BANDS
from starclass.cli import app

pytestmark = pytest.mark.usefixtures("single_thread")
SHAPE = (120, 120)
TASK = "m31-binary-compact"  # bands g, i; classes 1, 2; a small network


def _write_field(folder, bpm: np.ndarray) -> None:
    """One file per band (g, i) of noise: SCI, a BPM extension and an empty DQ one."""
    folder.mkdir(parents=True)
    w = WCS(naxis=2)
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    w.wcs.crval = [10.7, 41.3]
    w.wcs.crpix = [60.0, 60.0]
    w.wcs.cdelt = [-0.1 / 3600, 0.1 / 3600]
    rng = np.random.default_rng(5)
    for band in ("g", "i"):
        h = w.to_header()
        h["FILTER"], h["PHOTFLAM"], h["PHOTPLAM"] = band.upper(), BANDS[band].photflam, BANDS[band].photplam
        h["EXPTIME"] = 1000.0
        img = rng.normal(1.0, 0.1, SHAPE).astype(np.float32)
        hdus = [fits.PrimaryHDU(), fits.ImageHDU(img, h, name="SCI"), fits.ImageHDU(bpm, w.to_header(), name="BPM"),
                fits.ImageHDU(np.zeros(SHAPE, np.uint16), w.to_header(), name="DQ")]
        fits.HDUList(hdus).writeto(folder / f"f_{band}.fits")


def _run(args):
    res = CliRunner().invoke(app, [str(a) for a in args])
    return res, res.output


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A model trained one epoch with --mask-extension BPM on 16 candidates, a BPM flagging 9 pixels of one."""
    root = tmp_path_factory.mktemp("model_flags")
    bpm = np.zeros(SHAPE, np.int16)
    bpm[39:42, 39:42] = 1
    _write_field(root / "field", bpm)
    xs, ys = np.meshgrid([40.0, 55.0, 70.0, 85.0], [40.0, 55.0, 70.0, 85.0])
    cat = root / "cat.ecsv"
    Table({"id": np.arange(1, 17), "x": xs.ravel(), "y": ys.ravel(),
           "class_ref": np.tile([1, 3], 8)}).write(cat)
    res, out = _run(["train", "--task", TASK, "--mosaics", root / "field", "--catalog", cat, "-o", root / "m",
                     "--epochs", "1", "--batch-size", "8", "--val-fraction", "0.25", "--patience", "0",
                     "--split", "random",
                     "--mask-extension", "bpm", "--no-progress", "--device", "cpu", "--seed", "0"])
    assert res.exit_code == 0, out
    return root, cat


def test_the_manifest_and_info_record_the_flags_of_the_training_stamps(trained):
    root, _ = trained
    rec = json.loads((root / "m" / "manifest.json").read_text())["pixel_flags"]
    assert rec == {"mask_extension": "BPM", "dq_good_bits": None, "mask_file": None, "flagged": True,
                   "flagged_pixels": {"g": 9, "i": 9}}
    res, out = _run(["info", root / "m"])
    assert res.exit_code == 0, out
    assert "pixel flags of the training stamps: --mask-extension BPM; 18 pixels flagged (g 9, i 9)" in out


def _classify(root, cat, name, *extra):
    return _run(["classify", root / "field", "-c", cat, "--model", root / "m", "-o", root / f"{name}.ecsv",
                 "--device", "cpu", "--no-progress", *extra])


def test_classify_warns_when_the_flags_differ_from_the_training_ones(trained):
    root, cat = trained
    res, out = _classify(root, cat, "same", "--mask-extension", "BPM")
    assert res.exit_code == 0, out
    assert "trained on stamps cut with" not in out
    res, out = _classify(root, cat, "none")
    assert res.exit_code == 0, out
    lines = [ln for ln in out.splitlines() if "trained on stamps cut with" in ln]
    assert lines == [f"WARNING: model {root / 'm'} was trained on stamps cut with --mask-extension BPM (18 pixels "
                     "flagged), but this run applies no --mask-extension, --dq-good-bits or --mask-file: its stamps "
                     "differ from the training ones (give the training flags, or retrain)"]
    res, out = _classify(root, cat, "more", "--mask-extension", "BPM", "--dq-good-bits", "0")
    assert res.exit_code == 0, out
    assert "but this run applies --mask-extension BPM --dq-good-bits '0':" in out


def test_a_model_without_the_record_is_not_warned_about(trained, tmp_path):
    """Models trained before the record existed: nothing to compare, no warning."""
    import shutil

    root, cat = trained
    old = tmp_path / "old"
    shutil.copytree(root / "m", old)
    doc = json.loads((old / "manifest.json").read_text())
    del doc["pixel_flags"]
    (old / "manifest.json").write_text(json.dumps(doc))
    res, out = _run(["classify", root / "field", "-c", cat, "--model", old, "-o", tmp_path / "o.ecsv",
                     "--device", "cpu", "--no-progress"])
    assert res.exit_code == 0, out
    assert "trained on stamps cut with" not in out
    res, out = _run(["info", old])
    assert "pixel flags of the training stamps: not recorded" in out


def test_calibrate_suggest_report_and_survey_warn_too(trained, tmp_path, monkeypatch):
    import shutil

    import starclass.report.build as build
    import starclass.survey.run as survey_run

    root, cat = trained
    model = tmp_path / "m"
    shutil.copytree(root / "m", model)
    res, out = _run(["calibrate", model, root / "field", "-c", cat, "--overwrite", "--device", "cpu"])
    assert "WARNING: model" in out and "applies no --mask-extension, --dq-good-bits or --mask-file" in out, out
    res, out = _run(["suggest", model, cat, "--mosaics", root / "field", "-o", tmp_path / "s.ecsv", "-n", "2",
                     "--mag-bins", "1", "--device", "cpu", "--dq-good-bits", "0"])
    assert res.exit_code == 0, out
    assert "but this run applies --dq-good-bits '0':" in out
    # report and survey: the Grad-CAM and the tiles themselves replaced (minutes of work; the warning comes first)
    monkeypatch.setattr(build, "build_report", lambda pred, refs, outdir, **kw: outdir / kw["filename"])
    Table({"id": [1], "x": [40.0], "y": [40.0], "class_pred": [1]}).write(tmp_path / "p.ecsv")
    res, out = _run(["report", tmp_path / "p.ecsv", "--model", model, "--mosaics", root / "field",
                     "-o", tmp_path / "r.html"])
    assert res.exit_code == 0, out
    assert "applies no --mask-extension, --dq-good-bits or --mask-file" in out
    pytest.importorskip("distributed")

    class Stop(Exception):
        pass

    def stop(*a, **k):
        raise Stop

    monkeypatch.setattr(survey_run, "run_survey", stop)
    plan = tmp_path / "plan.yaml"
    plan.write_text(f"model: {model}\nmask_extension: BPM\ndq_good_bits: '4'\nfields:\n"
                    f"  - name: f\n    mosaics: {root / 'field'}\n")
    res, out = _run(["survey", plan, "-o", tmp_path / "survey"])
    assert isinstance(res.exception, Stop), out
    assert "but this run applies --mask-extension BPM --dq-good-bits '4':" in out


@pytest.mark.parametrize(("extra", "expected"), [
    ({}, (None, None, False)),  # a store cut without flags records none
    ({"pixel_flags": {"applied": "mask extension BPM (nonzero = bad)", "mask_extension": "BPM",
                      "dq_good_bits": None, "flagged_pixels": {"g": 2, "i": 0}}}, ("BPM", None, True)),
    # cut before the option values were stored: unknown, so no record (and no warning)
    ({"pixel_flags": {"applied": "mask extension BPM (nonzero = bad)", "flagged_pixels": {"g": 2}}}, None),
    # merged stores: one setting for all, the pixels summed; stores cut otherwise: unknown
    ({"merged_from": [{"path": "a.h5"}, {"path": "b.h5"}]}, (None, None, False)),
    ({"merged_from": [{"path": "a.h5", "pixel_flags": {"mask_extension": "BPM", "dq_good_bits": None,
                                                       "flagged_pixels": {"g": 1}}},
                      {"path": "b.h5"}]}, None),
])
def test_a_model_trained_on_stamp_stores_takes_their_record(extra, expected):
    from starclass.cli.train_cmd import stamp_flags_record

    class Store:
        meta = {"extra": extra}

    rec = stamp_flags_record(Store())
    assert (None if rec is None else (rec["mask_extension"], rec["dq_good_bits"], rec["flagged"])) == expected


def test_several_fields_sum_the_pixels_each_flagged(trained):
    """train --fields: the record counts the flagged pixels of every field read, not of the last one."""
    from starclass.cli.train_cmd import fields_training_inputs
    from starclass.io.fields import FieldSpec
    from starclass.io.mosaic import PixelFlags
    from starclass.learn.config import get_preset

    root, cat = trained
    specs = [FieldSpec(name=n, mosaics=(root / "field",), catalog=cat) for n in ("a", "b")]
    flagged: dict[str, int] = {}
    fields_training_inputs(get_preset(TASK), specs, progress=False, flags=PixelFlags(mask_extension="BPM"),
                           flagged=flagged)
    assert flagged == {"g": 18, "i": 18}


# -- --mask-file on every command that takes --mask-extension (detect, cutouts and classify only, before) ------
TEMPLATE = "{stem}_bpm.fits"


@pytest.fixture(scope="module")
def trained_masks(trained, tmp_path_factory):
    """A model trained one epoch with --mask-file: the field's mosaics, and a mask file beside each (4 pixels
    of the candidate at 55, 55 in g, none in i)."""
    import shutil

    root, cat = trained
    out = tmp_path_factory.mktemp("model_mask_files")
    shutil.copytree(root / "field", out / "field")
    w = WCS(naxis=2)
    for band, n in (("g", 2), ("i", 0)):
        mask = np.zeros(SHAPE, np.uint8)
        mask[54:54 + n, 54:54 + n] = 1
        fits.HDUList([fits.PrimaryHDU(), fits.ImageHDU(mask, w.to_header(), name="MASK")]).writeto(
            out / "field" / f"f_{band}_bpm.fits")
    res, said = _run(["train", "--task", TASK, "--mosaics", out / "field", "--catalog", cat, "-o", out / "m",
                      "--epochs", "1", "--batch-size", "8", "--val-fraction", "0.25", "--patience", "0",
                      "--split", "random", "--mask-file", TEMPLATE, "--no-progress", "--device", "cpu",
                      "--seed", "0"])
    assert res.exit_code == 0, said
    return out, cat


def test_train_records_the_mask_files_and_classify_warns_without_them(trained_masks):
    """train had no --mask-file: stamps cut by detect/cutouts/classify with mask files could not be trained
    on from the mosaics. Now the manifest records the template and classify warns when it is missing."""
    root, cat = trained_masks
    rec = json.loads((root / "m" / "manifest.json").read_text())["pixel_flags"]
    assert rec == {"mask_extension": None, "dq_good_bits": None, "mask_file": TEMPLATE, "flagged": True,
                   "flagged_pixels": {"g": 4, "i": 0}}
    base = ["classify", root / "field", "-c", cat, "--model", root / "m", "--device", "cpu", "--no-progress"]
    res, out = _run([*base, "-o", root / "without.ecsv"])
    assert res.exit_code == 0, out
    assert (f"was trained on stamps cut with --mask-file '{TEMPLATE}' (4 pixels flagged), but this run applies "
            "no --mask-extension, --dq-good-bits or --mask-file") in out, out
    res, out = _run([*base, "-o", root / "with.ecsv", "--mask-file", TEMPLATE])
    assert res.exit_code == 0, out
    assert "trained on stamps cut with" not in out and "pixels flagged by mask files" in out


def test_calibrate_suggest_report_and_inspect_take_mask_files(trained_masks, tmp_path, monkeypatch):
    import shutil

    import starclass.report.build as build

    root, cat = trained_masks
    model = tmp_path / "m"
    shutil.copytree(root / "m", model)
    flags = ["--mask-file", TEMPLATE]
    res, out = _run(["calibrate", model, root / "field", "-c", cat, "--overwrite", "--device", "cpu",
                     "--allow-training-rows", *flags])
    assert res.exit_code == 0, out
    assert "trained on stamps cut with" not in out and "pixels flagged by mask files" in out, out
    res, out = _run(["suggest", model, cat, "--mosaics", root / "field", "-o", tmp_path / "s.ecsv", "-n", "2",
                     "--mag-bins", "1", "--device", "cpu", *flags])
    assert res.exit_code == 0, out
    assert "trained on stamps cut with" not in out
    res, out = _run(["suggest", model, cat, "-o", tmp_path / "t.ecsv", *flags])
    assert res.exit_code == 2 and "--mask-file applies to the mosaics the candidates are classified on" in out
    seen = {}

    def fake_report(pred, refs, outdir, **kw):
        seen["flagged"] = kw.get("mosaics").flagged if kw.get("mosaics") is not None else None
        return outdir / kw["filename"]

    monkeypatch.setattr(build, "build_report", fake_report)
    Table({"id": [1], "x": [40.0], "y": [40.0], "class_pred": [1]}).write(tmp_path / "p.ecsv")
    res, out = _run(["report", tmp_path / "p.ecsv", "--model", model, "--mosaics", root / "field",
                     "-o", tmp_path / "r.html", *flags])
    assert res.exit_code == 0, out
    assert "trained on stamps cut with" not in out and seen["flagged"] == {"g": 4, "i": 0}, (out, seen)
    res, out = _run(["report", tmp_path / "p.ecsv", "-o", tmp_path / "r2.html", *flags])
    assert res.exit_code == 2 and "--mask-file applies to --mosaics" in out
    res, out = _run(["inspect", root / "field", "--list-users", *flags])
    assert res.exit_code == 2 and "--mask-file applies to the pictures served" in out
    res, out = _run(["inspect", "--stamps", tmp_path / "p.ecsv", "--task", TASK, *flags])
    assert res.exit_code == 2 and "--mask-file applies to the mosaics of DATA_DIR, not to --stamps" in out
    for command in ("train", "calibrate", "suggest", "report", "inspect", "survey"):
        res = CliRunner().invoke(app, [command, "--help"], env={"COLUMNS": "200"})
        assert "--mask-file" in res.output, command


@pytest.mark.parametrize("cmd", [["train", "--task", TASK, "-o", "m"], ["calibrate", "m"]])
def test_mask_file_with_stamps_is_refused_naming_mask_files(cmd, tmp_path):
    """train/calibrate --stamps --mask-file said '--mask-file applies to the mosaics' FITS extensions': a mask
    file is no extension (classify's message named both)."""
    res, out = _run([*cmd, "--stamps", tmp_path / "labels.csv", "--mask-file", TEMPLATE])
    assert res.exit_code == 2 and "--mask-file applies to the mosaics' FITS extensions and mask files" in out, out
