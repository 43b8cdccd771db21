"""docs/uncertainty.md's split of the PAndAS folder gives the counts the page says (2026-12-07).

The page showed a Python block that splits ``../shared/data/pandas-m31/labels.csv`` by ``object_id`` and,
beside it, "516 training, 172 calibration, 181 test cutouts": a split made on 2026-12-05 by a script that was
not kept. The block as printed gives 518 / 176 / 175, and a user running it saw other numbers than the page's
with no word why. Here the block is run as printed (its ``root`` pointed at the shared folder, the one change
a user running it from elsewhere makes) and its files' rows are compared with the counts the page states
right after it. Skips when ``../shared`` is absent.
"""

from __future__ import annotations

import csv
import os
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PANDAS = ROOT.parent / "shared" / "data" / "pandas-m31"
PAGE = ROOT / "docs" / "uncertainty.md"


def _block_and_stated() -> tuple[str, tuple[int, int, int]]:
    """The page's split block and the three counts it states after it."""
    text = PAGE.read_text()
    found = re.search(r"```python\n(.*?random\.Random\(0\)\.shuffle.*?)```\n(.*?)\n\n", text, re.S)
    assert found is not None, "docs/uncertainty.md: the split block is gone"
    stated = re.search(r"(\d+) training, (\d+) calibration and (\d+) test cutouts", found.group(2))
    assert stated is not None, f"no counts stated after the split block: {found.group(2)[:200]!r}"
    return found.group(1), tuple(int(v) for v in stated.groups())


def test_the_split_block_gives_the_counts_the_page_states(tmp_path, monkeypatch):
    if not (PANDAS / "labels.csv").is_file():
        pytest.skip(f"shared PAndAS cutouts not available at {PANDAS}")
    block, stated = _block_and_stated()
    assert 'root = "../shared/data/pandas-m31"' in block  # the one line changed below
    monkeypatch.chdir(tmp_path)
    exec(compile(block.replace("../shared/data/pandas-m31", os.fspath(PANDAS)), "uncertainty.md", "exec"), {})
    counts = []
    for name in ("train.csv", "heldout_labels.csv", "test.csv"):
        with open(tmp_path / name, newline="") as f:
            rows = list(csv.DictReader(f))
        assert rows and all(Path(r["file"]).is_file() for r in rows[:5]), name
        counts.append(len(rows))
    assert tuple(counts) == stated, f"the block writes {counts}, the page says {stated}"
    with open(PANDAS / "labels.csv", newline="") as f:
        assert sum(counts) == sum(1 for _ in csv.DictReader(f))
