"""docs/training.md's ``train --cv`` on a simulated cool-core folder trains at the folder's own stamp size.

The command read ``train --task cool-core-compact --stamps cc/labels.csv --cv 10`` on a 64 px folder: the task's
stamps are larger, so every cutout was enlarged (train's note says so, and ``simulate``'s next: line gives
``--stamp-size 64``). The block now says how its folder is made, and its train command carries the
``--stamp-size`` that simulate's next: line gives for that folder.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from starclass.learn.config import ENLARGED_FROM, get_preset

DOC = Path(__file__).resolve().parents[1] / "docs" / "training.md"


def _option(words: list[str], name: str) -> str | None:
    return words[words.index(name) + 1] if name in words else None


def test_the_cv_command_on_a_simulated_cutout_folder_keeps_its_stamp_size():
    if not DOC.exists():
        pytest.skip("docs/training.md absent")
    text = DOC.read_text()
    train = [ln for ln in text.splitlines() if ln.startswith("starclass train") and "--stamps cc/labels.csv" in ln
             and "--cv" in ln]
    assert train, "no train --cv on cc/labels.csv in docs/training.md"
    made = re.search(r"'(starclass simulate cc --preset cool-core[^']*)'", text)
    assert made, "docs/training.md does not say how its cc/ folder is simulated"
    size = int(_option(shlex.split(made.group(1)), "--size"))
    for line in train:
        words = shlex.split(line.split("#")[0])
        stamp = get_preset(_option(words, "--task")).stamp_size
        if stamp / size >= ENLARGED_FROM:
            assert _option(words, "--stamp-size") == str(size), line
