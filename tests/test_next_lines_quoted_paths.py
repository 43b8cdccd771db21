"""A next: line whose command quotes a path (spaces, a name in another script) shows it in double quotes.

detect, cutouts, classify and simulate put their next command in single quotes whatever its words:
``next: classify them with 'starclass classify 'fïeld x' -c 'cänds x.ecsv' --model MODEL ...'``, which
copied with its quotes (as the line shows it) splits at every quote. They now show it as evaluate's
and the errors' commands are shown (:func:`starclass.errors.shown_command`): in double quotes where
it quotes a word, in single quotes otherwise (unchanged for ordinary paths).
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

from starclass.cli.classify_cmd import next_after_classifying, next_after_classifying_mosaics
from starclass.cli.detect_cmd import next_after_detecting


def _commands(line: str) -> list[str]:
    """The commands a line shows, each between its own outer quotes."""
    return re.findall(r"\"(starclass [^\"]+)\"|'(starclass [^']+)'(?=[ ,;)]|$)", line)


def _whole(line: str, *paths: str) -> None:
    found = [a or b for a, b in _commands(line)]
    assert found, line
    for command in found:
        words = shlex.split(command)  # the command, copied from between its quotes, is one shell line
        assert words[0] == "starclass", (command, line)
    joined = " ".join(found)
    for p in paths:
        assert shlex.quote(p) in joined, (p, line)
    assert not re.search(r"'starclass [^']*'[^ ,;)]", line), line  # no single quotes inside single quotes


def test_detect_next_line_with_a_spaced_folder():
    line = next_after_detecting([Path("fïeld x/a_f555w.fits"), Path("fïeld x/a_f814w.fits")], Path("cänds x.ecsv"))
    assert "\"starclass classify 'fïeld x' -c 'cänds x.ecsv'" in line, line
    _whole(line, "fïeld x", "cänds x.ecsv")


def test_classify_next_lines_with_spaced_paths():
    for labelled in (True, False):
        line = next_after_classifying("cls ñ.ecsv", "my model", "stamps x", labelled=labelled)
        assert "'starclass " not in line.replace("\"starclass ", ""), line
        _whole(line, "cls ñ.ecsv")
        line = next_after_classifying_mosaics("cls ñ.ecsv", "my model", None, labelled=labelled, store=True)
        assert "\"starclass evaluate 'cls ñ.ecsv'" in line, line
        _whole(line, "cls ñ.ecsv")


def test_ordinary_paths_keep_single_quotes():
    line = next_after_classifying_mosaics("out.ecsv", "m", None, labelled=True)
    assert line == "next: score it with 'starclass evaluate out.ecsv', or as one page with 'starclass report out.ecsv'"
