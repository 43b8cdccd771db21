"""User-facing fixes from the QA of cutout folders (2026-12-02): messages, options and figures.

Each test reproduces what a user saw with real PAndAS cutouts rewritten in many forms, on a
small synthetic folder and an untrained (or one-epoch) model.
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import write_untrained_model  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.learn.config import get_preset

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("single_thread")

LABELS = ["cluster", "galaxy", "extended_cluster", "galaxy", "cluster", "galaxy", "cluster", "galaxy"]


def _untrained_model(root: Path, **overrides) -> tuple[Path, object]:
    """An m31-real model with random weights (no training: the tests only need its decisions)."""
    cfg = get_preset("m31-real", stamp_size=16, **overrides)
    return write_untrained_model(root / "model", cfg), cfg


def _folder(root: Path, column: str = "label", labels=LABELS, size: int = 16) -> Path:
    """One-band NPY cutouts with their label strings in ``column``."""
    rng = np.random.default_rng(1)
    root.mkdir(parents=True, exist_ok=True)
    with open(root / "labels.csv", "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["file", column, "object_id"])
        for i, lab in enumerate(labels):
            np.save(root / f"c{i}.npy", rng.normal(0.5, 0.1, (size, size)).astype("f4"))
            w.writerow([f"c{i}.npy", lab, f"OBJ{i}"])
    return root / "labels.csv"


def test_classify_stamps_label_column_scores_the_named_column(tmp_path):
    """`classify --stamps` had no --label-column: labels in a column 'klass' gave no accuracy line."""
    from astropy.table import Table

    model, cfg = _untrained_model(tmp_path)
    p = _folder(tmp_path / "cut", column="klass")
    out = tmp_path / "out.ecsv"
    res = runner.invoke(app, ["classify", "--stamps", str(p), "--model", str(model), "-o", str(out),
                              "--device", "cpu", "--no-progress", "--label-column", "klass"])
    assert res.exit_code == 0, res.output
    t = Table.read(out, format="ascii.ecsv")
    ref = np.array([cfg.label_map[lab] for lab in LABELS])
    np.testing.assert_array_equal(np.asarray(t["class_ref"]), ref)
    shown = float(re.search(r"accuracy against the labels: ([0-9.]+)", res.output).group(1))
    assert shown == pytest.approx(np.mean(np.asarray(t["class_pred"]) == ref), abs=5e-4)
    # a column named and absent is an error naming the file and the columns there, nothing written
    res = runner.invoke(app, ["classify", "--stamps", str(p), "--model", str(model), "-o", str(tmp_path / "x.csv"),
                              "--device", "cpu", "--no-progress", "--label-column", "kind"])
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert "no label column 'kind' (--label-column)" in res.output and "klass" in res.output
    assert str(p) in res.output and not (tmp_path / "x.csv").exists()
    # without the option the folder is unlabelled ('label' is absent): no accuracy line, as before
    res = runner.invoke(app, ["classify", "--stamps", str(p), "--model", str(model), "-o", str(tmp_path / "u.csv"),
                              "--device", "cpu", "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "accuracy" not in res.output


def test_two_band_model_on_a_one_band_folder_names_the_folder_and_the_bands(tmp_path):
    """A g+i model on one-band cutouts said "cutouts have 1 channel(s) but task 'm31-real' has 2
    band(s)": neither the folder nor the model was named."""
    model, _ = _untrained_model(tmp_path, bands=["g", "i"])
    p = _folder(tmp_path / "cut")
    for cmd in (["classify", "--stamps", str(p), "--model", str(model), "-o", str(tmp_path / "o.csv"),
                 "--device", "cpu", "--no-progress"],
                ["explain", str(model), str(p), "-o", str(tmp_path / "ex")]):
        res = runner.invoke(app, cmd)
        assert res.exit_code == 2 and "Traceback" not in res.output, res.output
        text = " ".join(res.output.split())
        assert str(p) in text and "1 channel" in text and "2 bands ['g', 'i']" in text, text
        assert "file_g, file_i" in text
        assert (f"model {model}" if cmd[0] == "classify" else "the model's task 'm31-real'") in text
    assert not (tmp_path / "o.csv").exists() and not (tmp_path / "ex").exists()


def test_few_rows_of_a_class_warn_in_our_words_once():
    """scikit-learn's "The least populated class in y has only 2 members, which is less than
    n_splits=4" reached users of small folders; now one warning names the class and its objects."""
    import warnings

    from starclass.learn.cutouts import group_validation

    labels = np.array([1] * 10 + [3] * 10 + [2] * 3)
    groups = np.array([f"o{i // 2}" if i < 20 else f"x{i}" for i in range(23)])  # class 2: 3 objects
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        tr, va = group_validation(labels, groups, 0.25, seed=0)
    texts = [str(w.message) for w in seen]
    assert not any("least populated" in t for t in texts), texts
    assert len(texts) == 1 and texts[0].startswith("validation split: class 2 has only 3 cutouts of 3 objects")
    assert "fewer than the 4 parts" in texts[0] and "may hold none of it" in texts[0]
    assert sorted(np.concatenate([tr, va]).tolist()) == list(range(23))
    # every class with enough rows: no warning at all
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        group_validation(labels[:20], groups[:20], 0.25, seed=0)
    assert not seen


def test_cli_train_says_which_class_is_too_small_for_the_split(tmp_path):
    from starclass.learn.config import save_config

    cfg = get_preset("m31-real", stamp_size=16, classes=[1, 2, 3], class_names=["cluster", "extended", "galaxy"],
                     label_map={"cluster": 1, "extended_cluster": 2, "galaxy": 3},
                     recipe={"epochs": 1, "batch_size": 16, "val_fraction": 0.25})
    task = save_config(cfg, tmp_path / "task.yaml")
    labels = ["cluster", "galaxy"] * 8 + ["extended_cluster"] * 2
    p = _folder(tmp_path / "cut", labels=labels)
    res = runner.invoke(app, ["train", "--task", str(task), "--stamps", str(p), "-o", str(tmp_path / "model"),
                              "--no-progress", "--device", "cpu"])
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())
    assert "least populated" not in text
    assert text.count("class 2 (extended_cluster) has only 2 cutouts of 2 objects") == 1, text


def test_classify_says_why_the_model_has_no_calibration(tmp_path):
    """A model whose validation split lacked a class was described by classify as "trained without
    a validation split, or a single member file": the reason training saw is now recorded and said."""
    from starclass.io.cutout_folders import read_cutout_folder
    from starclass.learn.checkpoint import load_model, read_manifest, save_calibration
    from starclass.learn.train import fit
    from starclass.stamps.images import cutout_inputs

    cfg = get_preset("m31-real", stamp_size=16, classes=[1, 2, 3], class_names=["cluster", "extended", "galaxy"],
                     label_map={"cluster": 1, "extended_cluster": 2, "galaxy": 3},
                     recipe={"epochs": 1, "batch_size": 16, "val_fraction": 0.25})
    labels = ["cluster", "galaxy"] * 6 + ["extended_cluster"] * 3
    p = _folder(tmp_path / "cut", labels=labels)
    cs = read_cutout_folder(p)
    y = np.array([cfg.label_map[lab] for lab in labels])
    val = np.array([0, 1, 2, 3])  # clusters and galaxies only: class 2 is absent from validation
    model = tmp_path / "model"
    res = fit(cfg, cutout_inputs(cs.images, cfg), y, outdir=model, val_index=val, progress=False, device="cpu")
    assert any("no row of class(es) [2]" in n for n in res.notes)

    def note(model_path) -> str:
        r = runner.invoke(app, ["classify", "--stamps", str(p), "--model", str(model_path), "-o",
                                str(tmp_path / f"o{len(list(tmp_path.iterdir()))}.csv"), "--device", "cpu",
                                "--no-progress"])
        assert r.exit_code == 0, r.output
        return next(line for line in r.output.splitlines() if "calibration" in line)

    said = note(model)
    assert "validation split (4 rows) had no row of class(es) 2 (extended)" in said, said
    assert "without a validation split" not in said
    assert "single member file" in note(model / "member_01.pt")
    # a calibration fitted later replaces the reason (it no longer applies)
    doc = read_manifest(model)
    assert "no_calibration" in doc
    loaded = load_model(model, check_calibration=False)
    digests = [c["digest"] for c in loaded.checkpoints]
    save_calibration(model, {"method": "temperature", "temperature": 1.0, "classes": [1, 2, 3]}, digests)
    assert "no_calibration" not in read_manifest(model)
    # no validation split at all: said so
    fit(cfg.copy(recipe={"val_fraction": 0.0}), cutout_inputs(cs.images, cfg), y, outdir=tmp_path / "m0",
        progress=False, device="cpu")
    assert "trained without a validation split (val_fraction 0)" in note(tmp_path / "m0")


def _drawn(fig) -> list[tuple[str, str]]:
    """(origin, title) of every image drawn in a figure."""
    return [(im.origin, ax.get_title()) for ax in fig.axes for im in ax.get_images()]


def test_explain_panels_of_cutouts_are_drawn_as_stored_and_titled_with_class_names(tmp_path, monkeypatch):
    """explain drew its Grad-CAM panels with origin='lower' (PNG cutouts upside down, unlike the
    files and the report's gallery of mistakes) and titled a mistake with the class number."""
    import starclass.explain.figures as xf
    from starclass.explain.run import explain

    model, cfg = _untrained_model(tmp_path)
    p = _folder(tmp_path / "cut")
    drawn: dict[str, list] = {}
    monkeypatch.setattr(xf, "save_png", lambda fig, path, dpi=100, **kw: drawn.setdefault(Path(path).name, _drawn(fig)))
    info = explain(model, p, tmp_path / "ex", methods=("gradcam",), per_class=4)
    panels = drawn["overlays_gradcam.png"] + drawn["mean_maps.png"]
    assert panels and {o for o, _ in panels} == {"upper"}, panels
    titles = " ".join(t for _, t in panels)
    assert any(name in titles for name in cfg.class_names), titles
    assert "->" in titles and not re.search(r"-> \d", titles), titles  # a mistake names the predicted class
    assert info["image_origin"] == "upper"


def test_report_gradcam_of_cutouts_matches_the_gallery_and_names_the_classes(tmp_path, monkeypatch):
    """report --stamps --model: the Grad-CAM panels were drawn upside down relative to the gallery of
    mistakes beside them, and titled 'class 1', 'mean, class 2'."""
    import starclass.report.sections as rs

    model, cfg = _untrained_model(tmp_path)
    p = _folder(tmp_path / "cut")
    out = tmp_path / "out.ecsv"
    res = runner.invoke(app, ["classify", "--stamps", str(p), "--model", str(model), "-o", str(out),
                              "--device", "cpu", "--no-progress"])
    assert res.exit_code == 0, res.output
    figs: dict[str, list] = {}
    real = rs.to_png_base64

    def keep(fig, dpi: int = 85) -> str:
        figs[fig.get_suptitle()] = _drawn(fig)
        return real(fig, dpi)

    monkeypatch.setattr(rs, "to_png_base64", keep)
    res = runner.invoke(app, ["report", str(out), "--stamps", str(p), "--model", str(model), "-o",
                              str(tmp_path / "rep" / "r.html"), "--bootstrap", "0"])
    assert res.exit_code == 0, res.output
    gallery = figs["most confident mistakes"]
    cam = next(v for k, v in figs.items() if k.startswith("Grad-CAM at layer "))
    # one orientation for the cutouts everywhere: the gallery's (row 0 of the file at the top)
    assert {o for o, _ in gallery} == {"upper"} and {o for o, _ in cam} == {"upper"}, (gallery, cam)
    cam_titles = [t for _, t in cam]
    assert all(not re.search(r"class \d", t) for t in cam_titles), cam_titles
    assert any(name in t for t in cam_titles for name in cfg.class_names), cam_titles


def test_explain_refuses_a_named_label_column_absent_from_the_folder_even_label(tmp_path):
    # explain --label-column label on a folder without 'label' drew its maps as if unlabelled without
    # a word (classify --stamps refuses it): only other names than 'label' were checked
    model, _ = _untrained_model(tmp_path)
    p = _folder(tmp_path / "cut", column="klass")
    res = runner.invoke(app, ["explain", str(model), str(p), "-o", str(tmp_path / "ex"), "--label-column", "label"])
    assert res.exit_code == 2 and "Traceback" not in res.output, res.output
    assert "no label column 'label' (--label-column)" in res.output and "klass" in res.output
    assert not (tmp_path / "ex").exists()
