"""A survey says a field's missing V band once, in its plan check, in its own words.

Until 2026-12-06 ``read_mosaics`` said it in the plan check and again in each worker that read the
field (2 lines for one field on two workers), pointing to "detect --bands", which a survey has not.
Now the plan check says it once per field, naming the field and that a survey has no option to
choose another; the workers read the mosaics without it; with ``photometry: skip`` no V band is
used and nothing is said.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
from astropy.table import Table

pytest.importorskip("distributed")


def _field(root: Path) -> Path:
    from starclass.bands import BANDS
    from starclass.io.mosaic import write_mosaic
    from starclass.learn.checkpoint import write_untrained_model
    from starclass.learn.config import get_preset

    rng = np.random.default_rng(3)
    (root / "a").mkdir(parents=True)
    for b in ("f336w", "f814w"):
        write_mosaic(root / "a" / f"a_{b}.fits", rng.normal(1.0, 0.1, (96, 96)).astype("f4"), b, None,
                     photflam=BANDS[b].photflam, photplam=BANDS[b].photplam)
    Table({"id": [1, 2], "x": [30.0, 60.0], "y": [40.0, 50.0]}).write(root / "a" / "pos.ecsv")
    write_untrained_model(root / "model", get_preset("legus4-compact", bands=["f336w", "f814w"], stamp_size=16,
                                                     scales=[1.0]))
    return root


def _prepared_notes(root: Path, photometry: str, out: Path) -> list[str]:
    from starclass.survey import read_plan
    from starclass.survey.run import prepare

    (root / f"plan_{photometry}.yaml").write_text(
        f"model: model\ntile_size: 64\noverlap: 16\nphotometry: {photometry}\nfields:\n"
        "  - {name: A, mosaics: a, positions: a/pos.ecsv}\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        prepare(read_plan(root / f"plan_{photometry}.yaml"), out)
    return [str(w.message) for w in caught if "no V band" in str(w.message)]


def test_the_plan_check_says_it_once_per_field_in_a_survey_s_words(tmp_path):
    root = _field(tmp_path / "s")
    notes = _prepared_notes(root, "ci", tmp_path / "out")
    assert len(notes) == 1, notes
    assert notes[0].startswith("field 'A': no V band") and "f336w, the first, is used as V" in notes[0]
    assert notes[0].endswith("a survey has no option to choose another") and "detect --bands" not in notes[0]
    assert _prepared_notes(root, "skip", tmp_path / "out_skip") == []


def test_a_worker_reads_the_mosaics_without_saying_it_again(tmp_path):
    from starclass.survey.work import _mosaics

    root = _field(tmp_path / "s")
    paths = {b: str(root / "a" / f"a_{b}.fits") for b in ("f336w", "f814w")}
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        mos = _mosaics(paths, need_zeropoint=False)
    assert mos.v_band == "f336w"
    assert [str(w.message) for w in caught if "no V band" in str(w.message)] == []
