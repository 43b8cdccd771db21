"""train's blank-cutout warning names a row as the other row messages do: its list's row and line, and its file.

Walking docs/uncertainty.md's cutout loop (2026-12-07), ``train --stamps SO_FAR.csv --stamps LABELS.csv`` warned
that a training row "is a blank (constant) image (row 332)": row 332 of the two lists joined, a row of neither file,
and no line or file to find it by, where a cutout list's errors say "row N (line L of the file)" and the file.
"""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from starclass.cli import app
from test_cutout_folders import _make_csv_folder, _task, _write  # tests/ is on sys.path under pytest

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("single_thread")


def test_a_blank_row_of_the_second_list_is_named_in_that_list(tmp_path):
    first = _make_csv_folder(tmp_path / "start", n_objects=12, twice=0)
    second = _make_csv_folder(tmp_path / "round1", n_objects=6, twice=0, seed=1)
    rel = second.read_text().splitlines()[2].split(",")[0]  # data row 2, line 3 of the file
    _write(second.parent / rel, np.full((24, 24), 0.5), "png8")
    res = runner.invoke(app, ["train", "--task", str(_task(tmp_path)), "--stamps", str(first), "--stamps",
                              str(second), "-o", str(tmp_path / "model"), "--no-progress", "--epochs", "1"])
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())
    # old code: "... is a blank (constant) image (row 14): left out" (12 rows of the first list + 2)
    assert "(row 14)" not in text, text
    said = f"row 2 (line 3 of the file) of {second}, file "
    assert said in text and rel in text.split(said)[1][:200], text
