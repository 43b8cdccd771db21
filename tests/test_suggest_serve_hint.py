"""suggest's closing hint names the folder of --mosaics: inspect serves the list from it.

``suggest MODEL cands.ecsv --mosaics d1 -o sug1.ecsv`` ended with ``serve them: starclass inspect
DATA_DIR --catalogue sug1.ecsv``, a placeholder for a folder the command had just been given.
"""

from __future__ import annotations

import shlex

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from conftest import write_untrained_model  # tests/ is on sys.path under pytest
from starclass.bands import BANDS
from starclass.cli import app
from starclass.io.catalog import write_catalog
from starclass.io.mosaic import write_mosaic
from starclass.learn.config import get_preset

runner = CliRunner()


@pytest.fixture()
def toy(tmp_path, monkeypatch, single_thread):
    """An untrained two-band model and its mosaics in 'my d1' (a space, to see the quoting)."""
    from starclass.datasets.stamps import make_synthetic_field

    monkeypatch.chdir(tmp_path)
    cfg = get_preset("legus4-compact", stamp_size=16, scales=[1.0])
    images, table = make_synthetic_field(cfg, 8, seed=5)
    data = tmp_path / "my d1"
    for band, img in images.items():
        info = BANDS[band]
        write_mosaic(data / f"toy_{band}.fits", img, band, None, photflam=info.photflam, photplam=info.photplam)
    cand = table["id", "x", "y"]
    cand["mag_f555w"] = np.linspace(20, 25, len(table))
    write_catalog(cand, tmp_path / "cands.ecsv")
    model = write_untrained_model(tmp_path / "m", cfg, seed=0)
    return model, data, sorted(data.glob("*.fits"))


def _hint(args) -> str:
    res = runner.invoke(app, [str(a) for a in args])
    assert res.exit_code == 0, res.output
    return [line for line in res.output.splitlines() if line.startswith("serve them:")][0]


def test_suggest_hint_names_the_mosaics_folder(toy):
    model, data, files = toy
    base = ["suggest", model, "cands.ecsv", "-n", 3, "--mag-bins", 1, "--device", "cpu", "--no-progress"]
    line = _hint([*base, "--mosaics", "my d1", "-o", "sug1.ecsv"])
    assert line.startswith("serve them: starclass inspect 'my d1' --catalogue sug1.ecsv; "), line
    assert shlex.split(line.split(": ", 1)[1])[2] == "my d1"
    # the mosaics given one by one: their folder
    line = _hint([*base, *[w for f in files for w in ("--mosaics", f)], "-o", "sug2.ecsv"])
    assert line.startswith(f"serve them: starclass inspect {shlex.quote(str(data))} --catalogue sug2.ecsv; "), line


def test_suggest_hint_without_mosaics_keeps_the_placeholder(tmp_path, monkeypatch):
    from starclass.learn.checkpoint import write_untrained_model as write

    monkeypatch.chdir(tmp_path)
    model = write(tmp_path / "m", get_preset("m31-binary-compact"), seed=0)
    p1 = np.linspace(0.1, 0.9, 6)
    cand = Table({"id": np.arange(1, 7), "x": np.arange(6.0), "y": np.arange(6.0), "prob_1": p1, "prob_2": 1 - p1,
                  "class_pred": np.where(p1 > 0.5, 1, 2)})
    cand.meta.update({"model": str(model), "task": "m31-binary-compact"})
    write_catalog(cand, tmp_path / "cand.ecsv")
    line = _hint(["suggest", model, "cand.ecsv", "-o", "s.ecsv", "-n", 2, "--mag-bins", 1])
    assert line.startswith("serve them: starclass inspect DATA_DIR --catalogue s.ecsv; "), line


def test_the_first_round_is_told_to_make_the_label_database_and_an_account(toy, cheap_argon2):
    """The serve line failed as printed on a field with no inspect.sqlite yet ('no label database ...; pass
    --init'), and the page then had no account to log in with; the next round (database there) is not told."""
    model, data, _ = toy
    base = ["suggest", model, "cands.ecsv", "-n", 3, "--mag-bins", 1, "--device", "cpu", "--no-progress",
            "--mosaics", "my d1"]
    res = runner.invoke(app, [str(a) for a in [*base, "-o", "sug1.ecsv"]])
    assert res.exit_code == 0, res.output
    first = [line for line in res.output.splitlines() if line.startswith("first round:")]
    assert len(first) == 1, res.output
    command = shlex.split(first[0].split("before serving: ", 1)[1].split(" (once")[0])
    assert command == ["starclass", "inspect", "my d1", "--catalogue", "sug1.ecsv", "--init", "--add-user", "NAME"]
    pytest.importorskip("sqlalchemy")
    made = runner.invoke(app, command[1:], env={"STARCLASS_INSPECT_PASSWORD": "a-long-password"})
    assert made.exit_code == 0 and "created user NAME" in made.output, made.output  # it runs as printed
    assert (data / "inspect.sqlite").is_file()
    res = runner.invoke(app, [str(a) for a in [*base, "-o", "sug2.ecsv"]])
    assert res.exit_code == 0, res.output
    assert "first round:" not in res.output and "serve them:" in res.output
