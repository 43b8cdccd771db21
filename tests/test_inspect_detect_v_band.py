"""inspect shows as V the band ``detect --bands`` measured the catalogue with, where the catalogue records it.

Until 2026-12-06, on a field without F555W detected with ``--bands f814w,f275w,f336w,f438w`` (the
catalogue's meta ``detect_v_band: f814w``), ``inspect DIR --init --add-user ann`` and serving said
"f275w, the first, is shown as V ... inspect has no option to choose another" and showed f275w's
profile, contours and typical star, while the catalogue's CI, background and magnitude order were
f814w's. Now the recorded band is shown, and said; a catalogue without it (or recording a band the
mosaics lack) keeps the old choice and its note, which now says that detect --bands chooses another.
"""

from __future__ import annotations

import shutil
import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

from starclass.cli import app as cli
from starclass.io.catalog import read_catalog, write_catalog

pytestmark = pytest.mark.usefixtures("cheap_argon2")


def _said(r) -> str:
    return " ".join(r.output.split())


@pytest.fixture(scope="module")
def field(tmp_path_factory) -> Path:
    """A simulated field without its f555w mosaic, detected with f814w as V."""
    root = tmp_path_factory.mktemp("vband")
    r = CliRunner().invoke(cli, ["simulate", str(root / "sim"), "--seed", "3", "--size", "128",
                                 "--n-candidates", "20", "--quiet"])
    assert r.exit_code == 0, _said(r)
    d = root / "x2"
    d.mkdir()
    for p in (root / "sim").glob("*.fits"):
        if "f555w" not in p.name:
            shutil.copy(p, d / p.name)
    r = CliRunner().invoke(cli, ["detect", str(d), "--bands", "f814w,f275w,f336w,f438w", "-o",
                                 str(d / "candidates.ecsv")])
    assert r.exit_code == 0, _said(r)
    assert read_catalog(d / "candidates.ecsv").meta["detect_v_band"] == "f814w"
    return d


def _copy(field: Path, folder: Path, v_band: str | None) -> Path:
    """The field with its catalogue's ``detect_v_band`` set to ``v_band`` (None: removed)."""
    shutil.copytree(field, folder, ignore=shutil.ignore_patterns("inspect.sqlite*", ".inspect_cache"))
    t = read_catalog(folder / "candidates.ecsv")
    t.meta.pop("detect_v_band")
    if v_band is not None:
        t.meta["detect_v_band"] = v_band
    write_catalog(t, folder / "candidates.ecsv", overwrite=True)
    return folder


def _loaded(folder: Path):
    from starclass.inspect.field import load_field

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        f = load_field(folder)
    return f, [str(w.message) for w in caught if "as V" in str(w.message)]


def test_init_and_add_user_say_the_band_detect_used(field, tmp_path, monkeypatch):
    monkeypatch.setenv("STARCLASS_INSPECT_PASSWORD", "dana-password")
    folder = _copy(field, tmp_path / "x2", "f814w")
    r = CliRunner().invoke(cli, ["inspect", str(folder), "--init", "--add-user", "ann"])
    said = _said(r)
    assert r.exit_code == 0 and "created user ann" in said, said
    assert (f"catalogue {folder / 'candidates.ecsv'} was measured with f814w as V (its meta detect_v_band): "
            "f814w is shown as V") in said, said
    assert "f275w, the first, is shown as V" not in said and "no V band" not in said


def test_the_page_shows_the_band_detect_used_as_v(field, tmp_path):
    f, notes = _loaded(_copy(field, tmp_path / "x2", "f814w"))
    assert f.v_band == "f814w" and f.cache.settings.v_band == "f814w"
    # f814w is the picture's red: green goes to the band nearest V, not to f814w a second time
    assert f.cache.settings.rgb == ("f814w", "f438w", "f336w")
    assert len(notes) == 1 and notes[0].endswith("; green is f438w unless --rgb, f814w being red"), notes


def test_a_catalogue_without_the_record_keeps_the_first_band_and_its_note(field, tmp_path):
    f, notes = _loaded(_copy(field, tmp_path / "none", None))
    assert f.v_band == "f275w"
    assert len(notes) == 1 and "f275w, the first, is shown as V" in notes[0], notes
    assert notes[0].endswith("to show another, give detect --bands with it first: inspect shows the band the "
                             "catalogue was measured with (its detect_v_band)"), notes

    f, notes = _loaded(_copy(field, tmp_path / "lacks", "f555w"))
    assert f.v_band == "f275w"
    assert len(notes) == 1 and notes[0].endswith("(the catalogue was measured with f555w as V, which these "
                                                 "mosaics lack)"), notes
