"""`info FOLDER` and `report PRED --stamps FOLDER` (no --task, no --model) on a cool-core folder of mixed sizes.

Before: both stopped (exit 2) with "all cutouts must have one size", though info only describes the folder and the
report only draws the cutouts of its worst mistakes. info now counts the cutouts per size (and says which tasks take
such a folder); the report draws each cutout resampled over its whole field to one size, and says so.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from test_cutout_mixed_sizes import _folder

pytestmark = pytest.mark.usefixtures("single_thread")


def _run(*args):
    return CliRunner().invoke(app, [*map(str, args)])


def test_info_describes_a_folder_of_mixed_sizes(tmp_path):
    src = _folder(tmp_path / "f", sizes=(24, 48), n_each=3)
    # a blank cutout of the second size: counted on its own pixels
    from astropy.io import fits

    fits.writeto(src.parent / "c5.fits", np.full((48, 48), 7, np.int32), overwrite=True)
    res = _run("info", src.parent)
    assert res.exit_code == 0, res.output
    out = " ".join(res.output.split())
    assert "cutouts: 6, images of 1 channel in 2 sizes (24 x 24 px: 3, 48 x 48 px: 3)" in out, out
    assert "a task that sets mixed_sizes (cool-core does) resamples each cutout" in out
    assert "blank (constant) images: 1 (row 6 c5.fits)" in out, out
    assert "resampled over its whole field to 24 px" not in out  # the reader's note of its own resampling: not said
    # the pixel range of the cutouts as read
    lo = min(float(np.min(fits.getdata(src.parent / f"c{k}.fits"))) for k in range(6))
    hi = max(float(np.max(fits.getdata(src.parent / f"c{k}.fits"))) for k in range(6))
    assert f"pixel values: {lo:.4g} .. {hi:.4g}" in out, out


def test_info_of_a_folder_of_one_size_is_as_before(tmp_path):
    src = _folder(tmp_path / "f", sizes=(24,), n_each=3)
    res = _run("info", src)
    assert res.exit_code == 0, res.output
    assert "cutouts: 3, images 1 x 24 x 24 (channels x height x width)" in res.output
    assert "sizes: mixed" not in res.output


def _prediction(tmp_path, src):
    n = 6
    rng = np.random.default_rng(1)
    p = rng.dirichlet(np.ones(3), n)
    ref = np.array([1, 2, 3, 1, 2, 3])
    pred = np.array([2, 3, 1, 1, 2, 3])  # three mistakes to draw
    t = Table({"file": [f"c{k}.fits" for k in range(n)], "class_pred": pred, "class_ref": ref,
               "prob_1": p[:, 0], "prob_2": p[:, 1], "prob_3": p[:, 2]})
    t.meta.update({"task": "cool-core", "classes": [1, 2, 3], "cutout_root": str(src.parent)})
    t.write(tmp_path / "pred.ecsv")
    return tmp_path / "pred.ecsv"


def test_report_draws_a_folder_of_mixed_sizes_without_a_task(tmp_path):
    src = _folder(tmp_path / "f", sizes=(24, 48), n_each=3)
    pred = _prediction(tmp_path, src)
    res = _run("report", pred, "--stamps", src, "--bootstrap", "0", "-o", tmp_path / "rep" / "report.html")
    assert res.exit_code == 0, res.output
    out = " ".join(res.output.split())
    assert "of 2 sizes (24 x 24 px: 3, 48 x 48 px: 3): each is resampled over its whole field to 128 px to be " \
           "drawn in the gallery of mistakes only" in out, out
    html = (tmp_path / "rep" / "report.html").read_text()
    assert "The folder&#x27;s cutouts are of 2 sizes (24 px, 48 px), each drawn resampled" in html or \
           "The folder's cutouts are of 2 sizes (24 px, 48 px), each drawn resampled" in html
    assert "Worst mistakes" in html and html.count("data:image/png") >= 1


def test_report_with_a_task_without_mixed_sizes_still_refuses(tmp_path):
    src = _folder(tmp_path / "f", sizes=(24, 48), n_each=3)
    pred = _prediction(tmp_path, src)
    task = tmp_path / "t.yaml"
    task.write_text("extends: cool-core-compact\nstamp_size: 32\nmixed_sizes: false\n")
    res = _run("report", pred, "--stamps", src, "--task", task, "--bootstrap", "0", "-o", tmp_path / "rep.html")
    assert res.exit_code == 2 and "one size" in res.output and "Traceback" not in res.output, res.output
    assert not (tmp_path / "rep.html").exists()
