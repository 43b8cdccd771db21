"""A docs block that simulates its data reads only folders it simulated (2026-12-07).

docs/seed_simulators.md's first block made ``cc`` with ``starclass simulate cc --preset cool-core``, trained
on ``cc/labels.csv`` and then classified and explained ``cc_test/labels.csv``, which nothing made: a user
copying the block got ``error: --stamps cc_test/labels.csv: no such file or directory``. In every fenced block
of the docs that runs ``starclass simulate``, each ``X/labels.csv`` a later command reads must be in a folder
an earlier ``simulate`` line of the block wrote (or ``--overwrite``s), or one the block says comes from
elsewhere (``../shared``).
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]


def _blocks(text: str) -> list[tuple[int, list[str]]]:
    """(first line number, command lines) of each fenced block, ``\\`` continuations joined."""
    out, lines, start, inside = [], [], 0, False
    for i, line in enumerate(text.splitlines(), 1):
        if line.startswith("```"):
            if inside:
                out.append((start, lines))
            inside, lines, start = not inside, [], i + 1
        elif inside:
            if lines and lines[-1].endswith("\\"):
                lines[-1] = lines[-1][:-1] + " " + line.strip()
            else:
                lines.append(line)
    return out


def unmade_inputs(text: str) -> list[str]:
    """``line: folder`` of each ``FOLDER/labels.csv`` a simulating block reads before any line makes it."""
    problems = []
    for start, lines in _blocks(text):
        made: set[str] = set()
        if not any(re.match(r"\s*starclass simulate ", ln) for ln in lines):
            continue
        for k, line in enumerate(lines):
            try:
                words = shlex.split(line, comments=True)
            except ValueError:
                continue
            if words[:2] == ["starclass", "simulate"] and len(words) > 2:
                made.add(words[2].rstrip("/"))
                continue
            for w in words:
                if w.endswith("/labels.csv") and not w.startswith(("../", "/")):
                    folder = w[: -len("/labels.csv")]
                    if folder not in made:
                        problems.append(f"line {start + k}: {folder}/labels.csv is read, no simulate line made it")
    return problems


def test_the_checker_finds_a_folder_no_line_made():
    block = ("```bash\nstarclass simulate cc --preset cool-core\n"
             "starclass train --task cool-core --stamps cc/labels.csv -o m\n"
             "starclass classify --stamps cc_test/labels.csv --model m -o p.csv\n```\n")
    assert unmade_inputs(block) == ["line 4: cc_test/labels.csv is read, no simulate line made it"]
    assert unmade_inputs(block.replace("starclass train", "starclass simulate cc_test --seed 1\nstarclass train")) \
        == []


def test_every_simulating_block_reads_only_what_it_made():
    problems = [f"{p.relative_to(ROOT)} {said}" for p in DOCS for said in unmade_inputs(p.read_text())]
    assert not problems, "\n".join(problems)
