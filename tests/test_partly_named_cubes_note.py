"""A folder mixing FITS cubes whose headers name their planes (BAND0 = 'g'...) with cubes that do not.

Planes are taken by name only when every cube names them, so such a folder is averaged to grey for a one-band
task. train, classify, calibrate, explain and ``inspect --stamps`` warned "N cutout files have 3 planes ...
averaged into one grey plane" without a word of the names: the user whose cubes mostly name g, r, z could not tell
why the g plane was not taken. The line now counts the named cubes and says to give the others the same headers.
"""

from __future__ import annotations

import pytest
from astropy.io import fits
from typer.testing import CliRunner

from starclass.cli import app as cli
from starclass.io.cutout_folders import read_cutout_folder
from starclass.learn.config import get_preset
from starclass.learn.cutouts import colour_note
from test_named_cube_planes import SIZE, _cube

pytestmark = pytest.mark.usefixtures("single_thread")

HINT = ("4 of the 6 FITS cubes name their planes g, r, z in their headers (BAND0...), but planes are taken by name "
        "only when every cube does: give the other 2 the same BAND0, BAND1, BAND2 headers and task 'm31-real' takes "
        "plane 0 (g) of each")


def _mixed_folder(root, named=(True, True, False, True, False, True)):
    root.mkdir(parents=True, exist_ok=True)
    rows = ["file,label"]
    for i, has in enumerate(named):
        header = fits.Header({"BANDS": "grz", "BAND0": "g", "BAND1": "r", "BAND2": "z"}) if has else None
        fits.writeto(root / f"o{i}.fits", _cube(i), header)
        rows.append(f"o{i}.fits,{'cluster' if i % 2 else 'galaxy'}")
    (root / "labels.csv").write_text("\n".join(rows) + "\n")
    return root / "labels.csv"


def test_the_averaged_planes_warning_counts_the_named_cubes_and_says_what_to_do(tmp_path):
    cs = read_cutout_folder(_mixed_folder(tmp_path / "d"), bands=["g"])
    assert cs.images.shape[1] == 3 and cs.named_cubes == 4 and not cs.all_planes_named
    note = colour_note(cs, get_preset("m31-real"))
    assert note.startswith("warning: 6 cutout files have 3 planes (6 FITS cubes)"), note
    assert HINT in note, note


def test_plain_or_all_named_folders_are_said_as_before(tmp_path):
    plain = read_cutout_folder(_mixed_folder(tmp_path / "plain", named=(False,) * 4), bands=["g"])
    note = colour_note(plain, get_preset("m31-real"))
    assert plain.named_cubes == 0 and "name their planes" not in note and "averaged into one grey plane" in note
    named = read_cutout_folder(_mixed_folder(tmp_path / "named", named=(True,) * 4), bands=["g"])
    assert named.named_cubes == 4 and colour_note(named, get_preset("m31-real")).startswith("note: the headers")
    # named cubes that do not name the task's band: no hint to name the others (it would change nothing)
    other = get_preset("m31-real")
    other.bands = ["F814W"]
    mixed = read_cutout_folder(_mixed_folder(tmp_path / "other"), bands=["F814W"])
    assert "name their planes" not in colour_note(mixed, other)


def test_classify_says_it_once(tmp_path):
    from conftest import write_untrained_model  # tests/ is on sys.path under pytest

    labels = _mixed_folder(tmp_path / "d")
    model = write_untrained_model(tmp_path / "model", get_preset("m31-real", stamp_size=SIZE))
    res = CliRunner().invoke(cli, ["classify", "--model", str(model), "--stamps", str(labels), "-o",
                                   str(tmp_path / "out.csv"), "--no-progress", "--device", "cpu"])
    assert res.exit_code == 0, res.output
    said = [ln for ln in res.output.splitlines() if "3 planes" in ln]
    assert len(said) == 1 and HINT in said[0], res.output


def test_inspect_stamps_says_it_of_the_page(tmp_path, monkeypatch):
    pytest.importorskip("fastapi")
    from starclass.inspect import app as app_module

    labels = _mixed_folder(tmp_path / "d")
    monkeypatch.setenv("STARCLASS_INSPECT_PASSWORD", "ann-password")
    monkeypatch.setattr(app_module, "serve", lambda *a, **k: print("SERVING"))  # serving would block the test
    res = CliRunner().invoke(cli, ["inspect", "--stamps", str(labels), "--task", "m31-real", "--init",
                                   "--db", f"sqlite:///{tmp_path / 'labels.sqlite'}", "--no-prerender"])
    assert res.exit_code == 0 and "SERVING" in res.output, res.output
    said = [ln for ln in res.output.splitlines() if "3 planes" in ln]
    assert len(said) == 1 and "the page's grey stamp and profile show the mean" in said[0] and HINT in said[0], \
        res.output


def test_a_classified_list_of_the_folder_counts_them_as_the_folder_does(tmp_path):
    """``inspect --stamps OUT.ecsv`` (classify's list of the folder) reads the files itself: the same count."""
    from astropy.table import Table

    from starclass.inspect.cutouts import read_cutout_list

    labels = _mixed_folder(tmp_path / "d", named=(False, True, True, False))
    listed = Table({"file": [f"o{i}.fits" for i in range(4)], "class_pred": [1, 2, 1, 2]})
    listed.meta["cutout_root"] = str(labels.parent)
    listed.write(tmp_path / "pred.ecsv")
    for source in (labels, tmp_path / "pred.ecsv"):
        lst = read_cutout_list(source, get_preset("m31-real"))
        assert lst.named_cubes == 2 and lst.plane_bands == ["g", "r", "z"] and lst.task_planes == [], source
