"""A data folder named DATA_DIR, as the docs name it, is a folder in the closing hints, not the placeholder.

Until 2026-12-06 the hints compared the words they print with the placeholder "DATA_DIR": walking
docs/uncertainty.md ("Active learning") with a folder called DATA_DIR, `detect DATA_DIR` ended with
"classify MOSAICS -c DATA_DIR/candidates.ecsv ..." and `suggest ... --mosaics DATA_DIR` left out the
first-round line (the folder has no inspect.sqlite: --init --add-user first), so the printed serve command
failed, and its fine-tune command said "train --mosaics MOSAICS". Now both test the folder itself. No ../shared needed.
"""
from __future__ import annotations

from pathlib import Path

import pytest

from starclass.cli.detect_cmd import next_after_detecting
from starclass.cli.suggest_cmd import _first_round_hint, _mosaic_page_hint


@pytest.mark.parametrize("name", ["DATA_DIR", "field"])
def test_a_folder_named_data_dir_is_named_in_the_hints(tmp_path, monkeypatch, name):
    monkeypatch.chdir(tmp_path)
    (tmp_path / name).mkdir()
    mosaics = [Path(name)]
    said = next_after_detecting(mosaics, Path(name) / "candidates.ecsv")
    assert f"'starclass classify {name} -c {name}/candidates.ecsv --model MODEL" in said, said
    first = _first_round_hint(mosaics, Path("suggestions.ecsv"))
    assert first is not None and first.startswith(f"first round: {name} has no label database"), first
    assert f"starclass inspect {name} --catalogue suggestions.ecsv --init --add-user NAME" in first
    page = _mosaic_page_hint(mosaics, Path(name) / "candidates.ecsv", Path("suggestions.ecsv"), Path("model"))
    assert f"--mosaics {name} --catalog labels.ecsv --resume-from" in page, page  # the field beside SO_FAR
    (tmp_path / name / "inspect.sqlite").write_bytes(b"")
    assert _first_round_hint(mosaics, Path("suggestions.ecsv")) is None


def test_the_placeholder_stays_where_there_is_no_one_folder():
    said = next_after_detecting([Path("a/x_f555w.fits"), Path("b/y_f814w.fits")], Path("c.ecsv"))
    assert "'starclass classify MOSAICS -c c.ecsv" in said
    assert _first_round_hint(None, Path("s.ecsv")) is None
    assert " --mosaics MOSAICS --catalog " in _mosaic_page_hint(None, Path("c.ecsv"), Path("s.ecsv"), Path("m"))
