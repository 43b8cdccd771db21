"""``classify MOSAICS`` ends with the command to run next, and the commands run as printed.

A new user's walk of docs/uncertainty.md (2026-12-06): ``train`` said to classify, ``classify --stamps`` said
how to score or what to label, but ``classify`` on mosaics ended with "written classified.ecsv" and nothing
more. Now a labelled catalogue is told to ``evaluate``/``report`` it, an unlabelled one to score it against a
labelled catalogue (``-r TRUTH.ecsv``) or to ``suggest`` on the same mosaics.
"""

from __future__ import annotations

import re
import shlex

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import write_untrained_model  # tests/ is on sys.path under pytest
from starclass.bands import BANDS
from starclass.cli import app
from starclass.io.catalog import write_catalog
from starclass.io.mosaic import write_mosaic
from starclass.learn.config import get_preset

runner = CliRunner()


def _next(output: str) -> list[list[str]]:
    line = next(ln for ln in output.splitlines() if ln.startswith("next: "))
    return [shlex.split(c)[1:] for c in re.findall(r"'(starclass [^']*)'", line)]


@pytest.fixture()
def field(tmp_path, monkeypatch, single_thread):
    from starclass.datasets.stamps import make_synthetic_field

    monkeypatch.chdir(tmp_path)
    cfg = get_preset("legus4-compact", stamp_size=16, scales=[1.0])
    images, table = make_synthetic_field(cfg, 12, seed=3)
    for band, img in images.items():
        info = BANDS[band]
        write_mosaic(tmp_path / "d1" / f"toy_{band}.fits", img, band, None, photflam=info.photflam,
                     photplam=info.photplam)
    truth = table["id", "x", "y", "class_ref"]
    truth["mag_f555w"] = np.linspace(20, 25, len(table))
    write_catalog(truth, tmp_path / "truth.ecsv")
    write_catalog(truth["id", "x", "y", "mag_f555w"], tmp_path / "cands.ecsv")
    return write_untrained_model(tmp_path / "m", cfg, seed=0)


def test_an_unlabelled_classification_is_told_how_to_score_it_or_what_to_label(field):
    res = runner.invoke(app, ["classify", "d1", "-c", "cands.ecsv", "--model", str(field), "-o", "out.ecsv",
                              "--device", "cpu", "--no-progress"])
    assert res.exit_code == 0, res.output
    evaluate, report, suggest = _next(res.output)
    assert evaluate == ["evaluate", "out.ecsv", "-r", "TRUTH.ecsv"] and report == ["report", "out.ecsv", "-r",
                                                                                  "TRUTH.ecsv"]
    # no --mosaics since 2026-12-07: suggest ranks the output's own prob_<k> and finds the folder in its meta; with
    # --mosaics it classified every candidate again and warned of 18 columns renamed <name>_input
    assert suggest[:3] == ["suggest", str(field), "out.ecsv"] and "--mosaics" not in suggest, suggest
    # as a user copies them, the placeholder filled in
    ran = runner.invoke(app, [*(w if w != "TRUTH.ecsv" else "truth.ecsv" for w in evaluate), "--bootstrap", "0",
                              "--no-science"])
    assert ran.exit_code == 0, ran.output
    ran = runner.invoke(app, [*suggest[:suggest.index("-n")], "-n", "3", "-o", "sug.ecsv", "--mag-bins", "1"])
    assert ran.exit_code == 0 and "serve them: starclass inspect d1" in ran.output, ran.output
    said = " ".join(ran.output.split())
    # the labels are exported from the classified catalogue, and the fine-tune reads that export on d1 beside the
    # fields the model was trained on (s84walkB's one fine-tune; it read '--catalog out.ecsv --labels ...')
    assert "starclass inspect d1 --catalogue out.ecsv --export labels.ecsv" in said, ran.output
    assert "--mosaics d1 --catalog labels.ecsv --resume-from" in said, ran.output
    assert "kept renamed" not in ran.output, ran.output
    from astropy.table import Table

    assert not [c for c in Table.read("sug.ecsv").colnames if c.endswith("_input")]


def test_a_csv_classification_keeps_the_mosaics_in_its_suggest_command(field):
    """A CSV keeps no meta: its suggest command still gives the mosaics, whose folder the hints name."""
    res = runner.invoke(app, ["classify", "d1", "-c", "cands.ecsv", "--model", str(field), "-o", "out.csv",
                              "--device", "cpu", "--no-progress"])
    assert res.exit_code == 0, res.output
    suggest = _next(res.output)[-1]
    assert suggest[:5] == ["suggest", str(field), "out.csv", "--mosaics", "d1"], suggest


def test_a_labelled_classification_is_told_to_score_it(field):
    res = runner.invoke(app, ["classify", "d1", "-c", "truth.ecsv", "--model", str(field), "-o", "out.ecsv",
                              "--device", "cpu", "--no-progress"])
    assert res.exit_code == 0, res.output
    evaluate, report = _next(res.output)
    assert evaluate == ["evaluate", "out.ecsv"] and report == ["report", "out.ecsv"]
    ran = runner.invoke(app, [*evaluate, "--bootstrap", "0", "--no-science"])
    assert ran.exit_code == 0, ran.output
