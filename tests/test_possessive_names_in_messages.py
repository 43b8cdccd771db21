"""Messages name a catalogue, a file or a column as "the X of NAME", not "NAME's X".

Before, the report's colour-colour captions said "Black line on out's figure: the same SSP track in
out's own bands" for a reference file out.ecsv (and printed a name with a space bare), a list of
cutouts trained with another said "but round1.csv's are", and evaluate's same-column note said
"class_hybrid holds class_ref's class". Now they read "on the figure of out", "in the bands of
'my out'", "but those of round1.csv are" and "holds the class of class_ref".
No ../shared needed.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app as cli
from starclass.datasets.catalogs import fake_catalogs
from starclass.errors import StarclassError
from starclass.io.cutout_folders import CutoutSet, concat_cutout_sets


def _lines(page: Path) -> list[str]:
    return html.unescape(re.sub(r"<[^>]+>", "\n", page.read_text())).splitlines()


@pytest.mark.parametrize("stem, shown", [("out", "out"), ("my out", "'my out'")])
def test_the_track_caption_names_the_reference_without_a_possessive(tmp_path, stem, shown):
    pred, truth = fake_catalogs(80, accuracy=0.7, seed=2)
    # the reference in other bands than the prediction: its figure gets a track (and caption) of its own
    truth.rename_column("mag_f438w", "mag_f435w")
    truth.rename_column("magerr_f438w", "magerr_f435w")
    pred.write(tmp_path / "pred.ecsv")
    truth.write(tmp_path / f"{stem}.ecsv")
    page = tmp_path / "r.html"
    res = CliRunner().invoke(cli, ["report", str(tmp_path / "pred.ecsv"), "-r", str(tmp_path / f"{stem}.ecsv"),
                                   "--distance", "10", "--bootstrap", "0", "-o", str(page)])
    assert res.exit_code == 0, res.output
    lines = _lines(page)
    (black,) = [s for s in lines if s.startswith("Black line on")]
    (red,) = [s for s in lines if s.startswith("Red arrow on")]
    assert black.startswith(f"Black line on the figure of {shown}: the same SSP track in the bands of {shown}, ")
    assert "U-B = F336W − F435W" in black
    assert red.startswith(f"Red arrow on the figure of {shown}: reddening by A_V = 1 mag")
    assert not [s for s in lines if "'s figure" in s or "'s own bands" in s]


def test_lists_of_other_cutout_sizes_name_the_first_list_without_a_possessive():
    def one(size: int, source: str) -> CutoutSet:
        return CutoutSet(images=np.zeros((1, 1, size, size), np.float32), table=Table({"file": [f"{source}.png"]}),
                         files=[f"{source}.png"], labels=np.array(["cluster"]), groups=np.array([source]),
                         root=Path("/data"), source=Path(f"{source}.csv"), label_column="label")

    with pytest.raises(StarclassError) as err:
        concat_cutout_sets([one(4, "round1"), one(6, "round2")])
    said = str(err.value)
    assert "but those of round1.csv are 1 x 4 x 4" in said, said
    assert "'s are" not in said
