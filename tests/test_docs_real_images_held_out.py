"""docs/real_images.md's end-to-end run scores a held-out list, not the cutouts its model was trained on.

Its transcript (2026-12-01) trained on the PAndAS folder's labels.csv and classified the same list, and
printed the figures as if they measured the model: in-sample (744 of the 869 cutouts trained on). A reader
copies the commands, so the page's commands themselves must classify rows the training never saw.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
HEADING = "End to end on the shared folder"


def _block() -> list[list[str]]:
    text = (ROOT / "docs" / "real_images.md").read_text(encoding="utf-8")
    start = re.search(rf"^{HEADING}", text, flags=re.M).start()  # the paragraph, not a pointer to it
    fence = text.index("```", start)
    body = text[text.index("\n", fence) + 1:text.index("```", fence + 3)]
    commands = []
    for line in body.replace("\\\n", " ").splitlines():
        words = shlex.split(line, comments=True)
        if words[:1] == ["starclass"]:
            commands.append(words[1:])
    return commands


def _option(args: list[str], name: str) -> str:
    return args[args.index(name) + 1]


def test_the_end_to_end_run_classifies_a_list_it_did_not_train_on():
    commands = {c[0]: c for c in _block()}
    assert {"train", "classify", "evaluate"} <= set(commands), commands
    trained = _option(commands["train"], "--stamps")
    classified = _option(commands["classify"], "--stamps")
    assert Path(trained).name != Path(classified).name, (trained, classified)
    # evaluate scores what classify wrote
    assert commands["evaluate"][1] == _option(commands["classify"], "-o")
