"""``info`` of a cutout list says which rows have no provenance (an empty ``source_table``).

The PAndAS README: ``source_table`` is "the published catalogue the class comes from". 11 of the 869 rows
of its ``labels.csv`` name none (4 clusters: M33-E, dTZZ-08, -13, -14; 7 galaxies: LAMOST-*). Before,
``info`` said only "source_table 9 (11 empty)" among the distinct values of every column, and nothing else
in starclass named those rows (train reads no provenance; ``evaluate --by source_table`` scores them as a
group '(missing)'). Now a line says "11 rows without provenance", which labels they are, and the first rows
and objects, so a user weighing the labels sees it before training.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from conftest import SHARED_DATA  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.evaluate.groups import MISSING, group_labels

runner = CliRunner()
PANDAS = SHARED_DATA / "pandas-m31" / "labels.csv"


def _folder(root: Path, rows: list[str]) -> Path:
    rng = np.random.default_rng(0)
    for i in range(len(rows)):
        Image.fromarray((rng.random((8, 8)) * 255).astype(np.uint8)).save(root / f"c{i}.png")
    (root / "labels.csv").write_text("file,label,object_id,source_table\n" + "".join(
        f"c{i}.png,{r}\n" for i, r in enumerate(rows)))
    return root / "labels.csv"


def _line(output: str) -> str:
    return next((ln for ln in output.splitlines() if ln.startswith("provenance (")), "")


def test_rows_without_provenance_are_counted_and_named(tmp_path):
    labels = _folder(tmp_path, ["cluster,B001,rbc", "galaxy,L-1,", "cluster,B002,huxor", "galaxy,L-2, ",
                                "cluster,B003,rbc"])
    before = labels.read_bytes()
    res = runner.invoke(app, ["info", str(labels)])
    assert res.exit_code == 0, res.output
    line = _line(res.output)
    # by hand: rows 2 and 4 (1-based data rows, as the reader names them) are empty, one a space; both galaxies
    assert line == ("provenance (source_table, the catalogue each label comes from): 2 catalogues (rbc 2, huxor 1); "
                    "2 rows without provenance (2 galaxy; row 2 c1.png, object L-1, row 4 c3.png, object L-2): where "
                    "their labels come from is not recorded; evaluate --by source_table scores them as '(missing)'"), \
        res.output
    assert labels.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir() if p.suffix != ".png") == [
        "labels.csv"]


def test_a_list_whose_every_row_names_its_catalogue_says_so(tmp_path):
    labels = _folder(tmp_path, ["cluster,B001,rbc", "galaxy,L-1,huxor"])
    res = runner.invoke(app, ["info", str(labels)])
    assert res.exit_code == 0, res.output
    assert _line(res.output).endswith("2 catalogues (huxor 1, rbc 1); every row names one"), res.output
    assert "without provenance" not in res.output


@pytest.mark.skipif(not PANDAS.is_file(), reason="needs ../shared/data/pandas-m31")
def test_the_pandas_list_says_its_eleven_rows_without_provenance():
    with open(PANDAS, newline="") as fh:
        rows = list(csv.DictReader(fh))
    empty = [i for i, r in enumerate(rows) if not r["source_table"].strip()]
    assert len(empty) == 11
    labels = sorted({r["label"] for r in (rows[i] for i in empty)})
    split = ", ".join(f"{sum(rows[i]['label'] == k for i in empty)} {k}" for k in labels)
    res = runner.invoke(app, ["info", str(PANDAS)])
    assert res.exit_code == 0, res.output
    line = _line(res.output)
    assert f"; 11 rows without provenance ({split}; row {empty[0] + 1} {rows[empty[0]]['file']}, object " \
           f"{rows[empty[0]]['object_id']}," in line, line
    # evaluate --by source_table: the same 11 rows are its '(missing)' group, not dropped
    groups, _ = group_labels(np.array([r["source_table"] for r in rows]))
    assert np.flatnonzero(groups == MISSING).tolist() == empty
