"""Grey pictures saved as RGB (every plane the same) are said to be grey, not told to become three bands.

Other people's cutouts often arrive as RGB JPEGs of a grey picture (a viewer's or a web service's export).
For a one-band task the three planes are averaged, which loses nothing there; until 2026-12-06 ``train``,
``classify`` and ``explain`` still warned "each file's planes are averaged into one grey plane, so the model
sees no colour; to use the planes as bands, give a task of 3 bands", advice that would train a network
on three copies of one picture.
"""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from starclass.cli import app

pytestmark = pytest.mark.usefixtures("single_thread")


def _jpegs(root, colour: bool):
    rng = np.random.default_rng(4)
    for lab in ("cluster", "galaxy"):
        (root / lab).mkdir(parents=True)
        for i in range(3):
            g = (rng.random((24, 24)) * 200).astype(np.uint8)
            planes = [g, np.roll(g, 5, axis=1), 255 - g] if colour else [g, g, g]
            Image.fromarray(np.stack(planes, -1)).save(root / lab / f"c{i}.jpg", quality=90)
    return root


@pytest.mark.parametrize("colour", [False, True])
def test_train_says_grey_pictures_in_colour_are_grey(tmp_path, colour):
    src = _jpegs(tmp_path / "cuts", colour)
    task = tmp_path / "small.yaml"
    task.write_text("extends: m31-real\nstamp_size: 16\nrecipe: {epochs: 1, batch_size: 4}\n")
    res = CliRunner().invoke(app, ["train", "--task", str(task), "--stamps", str(src), "-o", str(tmp_path / "m")])
    said = " ".join(res.output.split())
    assert res.exit_code == 0, res.output
    if colour:
        assert "the model sees no colour; to use the planes as bands" in said and "grey saved as colour" not in said
    else:
        assert "6 cutout files with 3 planes hold the same picture in each plane (grey saved as colour)" in said
        assert "to use the planes as bands" not in said and "sees no colour" not in said
