"""The commands at the top of docs/uncertainty.md (and docs/survey.md) can be run in the order shown, on what they made.

Until 2026-12-06 the block used candidates.ecsv, heldout/*.fits with heldout.ecsv and `-r truth.ecsv`
that no command of it made (no simulate, no detect), and it classified before it calibrated, so the
catalogue it then evaluated carried the training split's temperature, not the refitted one (train's
own 'next:' line says to calibrate first). Now it simulates the two fields and detects the candidates
first, calibrates before it classifies, and names the files it made.
"""
from __future__ import annotations

import re
import shlex
from pathlib import Path

DOC = Path(__file__).resolve().parents[1] / "docs" / "uncertainty.md"
#: Options whose value is a catalogue the command reads.
READS = ("--catalog", "-c", "-r", "--reference")


def _first_block() -> list[list[str]]:
    text = DOC.read_text()
    block = re.search(r"```bash\n(.*?)```", text, re.S).group(1)
    lines = [ln.split("#")[0].strip() for ln in block.splitlines()]
    return [shlex.split(ln)[1:] for ln in lines if ln.startswith("starclass ")]


def _made(words: list[str]) -> list[str]:
    out = [words[i + 1] for i, w in enumerate(words[:-1]) if w in ("-o", "--output")]
    if words[0] == "simulate":
        out.append(words[1].rstrip("/") + "/")
    return out


def _read(words: list[str]) -> list[str]:
    return [words[i + 1] for i, w in enumerate(words[:-1]) if w in READS]


def test_every_catalogue_the_first_block_reads_was_made_by_a_line_above_it():
    made: list[str] = []
    for words in _first_block():
        for path in _read(words):
            assert any(path == m or (m.endswith("/") and path.startswith(m)) for m in made), \
                f"{' '.join(words)}: {path} is made by no command above it in {DOC.name}"
        made += _made(words)


def test_the_first_block_calibrates_the_model_before_it_classifies_with_it():
    verbs = [w[0] for w in _first_block()]
    assert "calibrate" in verbs and "classify" in verbs
    first_classify = verbs.index("classify")
    assert verbs.index("calibrate") < first_classify, verbs
    assert "evaluate" in verbs[first_classify:], verbs


def test_the_survey_page_makes_the_model_its_first_survey_command_uses():
    # until 2026-12-06 docs/survey.md simulated the fields and surveyed them with a model/ nothing made
    text = (DOC.parent / "survey.md").read_text()
    block = re.search(r"```bash\n(.*?)```", text, re.S).group(1)
    lines = [shlex.split(ln.split("#")[0])[1:] for ln in block.splitlines() if ln.startswith("starclass ")]
    made: list[str] = []
    for words in lines:
        if words[0] == "survey" and "--model" in words:
            model = words[words.index("--model") + 1]
            assert model in made, f"{' '.join(words)}: {model} is made by no command above it in survey.md"
            break
        made += _made(words)
    else:
        raise AssertionError("no 'starclass survey ... --model' in survey.md's first block")


def test_the_inspect_quick_start_keeps_each_folder_in_one_label_scheme():
    # until 2026-12-06 docs/inspect.md served DATA_DIR under phangs, then `inspect DATA_DIR --task m31-binary`,
    # which the tool refuses (exit 2: the folder's labels are in phangs), as it must
    text = (DOC.parent / "inspect.md").read_text()
    block = re.search(r"## Quick start\n+```bash\n(.*?)```", text, re.S).group(1)
    scheme_of: dict[tuple[str, str], str] = {}
    for ln in block.splitlines():
        if not ln.startswith("starclass inspect "):
            continue
        words = shlex.split(ln.split("#")[0])[2:]
        opts = dict(zip(words, words[1:]))
        if "--export" in words or "--backup" in words or "--add-user" in words and "--init" not in words:
            continue  # read or add accounts: the scheme is the one recorded
        folder = words[0]
        dataset = opts.get("--dataset", "")
        # a line naming no scheme serves the one its folder's database recorded (since 2026-12-07 the M31
        # lines serve with a bare 'starclass inspect M31_DIR' after '--init --task m31-binary --add-user ann')
        scheme = opts.get("--scheme") or ("m31-check" if opts.get("--task", "").startswith("m31-binary")
                                          else opts.get("--task") or scheme_of.get((folder, dataset), "phangs"))
        had = scheme_of.setdefault((folder, dataset), scheme)
        assert had == scheme, f"{ln.strip()}: {folder} (dataset {dataset!r}) was served under {had} above"
    assert len({s for s in scheme_of.values()}) >= 2  # the block shows two schemes: the check can fail


def test_the_training_page_calibrates_before_it_classifies():
    # until 2026-12-06 docs/training.md classified with the model, then refitted its calibration
    text = (DOC.parent / "training.md").read_text()
    block = re.search(r"## From the command line\n+```bash\n(.*?)```", text, re.S).group(1)
    verbs = [shlex.split(ln.split("#")[0])[1] for ln in block.splitlines() if ln.startswith("starclass ")]
    assert verbs.index("train") < verbs.index("calibrate") < verbs.index("classify"), verbs
