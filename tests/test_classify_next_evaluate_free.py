"""classify's ``next:`` line runs as printed where evaluate's default folder already exists (2026-12-07).

``evaluate`` writes into ``evaluation`` whatever it scores. Walking the seed presets, a second ``classify``
in the folder (``-o c2.ecsv``) ended "next: score it with 'starclass evaluate c2.ecsv'", and that command was
refused as printed: "--output evaluation exists; give --overwrite to replace it". The line now names a free
folder (``-o evaluation_1``) there, and stays as it was where ``evaluation`` is free.
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path

import pytest

from starclass.cli.classify_cmd import next_after_classifying, next_after_classifying_mosaics


def _evaluate_args(line: str) -> list[str]:
    return shlex.split(re.search(r"'(starclass evaluate [^']*)'", line).group(1))


@pytest.mark.parametrize("which", ["stamps", "mosaics labelled", "mosaics unlabelled"])
def test_the_evaluate_of_the_next_line_writes_a_free_folder(tmp_path, monkeypatch, which):
    monkeypatch.chdir(tmp_path)

    def line() -> str:
        if which == "stamps":
            return next_after_classifying("c2.ecsv", "model", "te/labels.csv", labelled=True)
        return next_after_classifying_mosaics("c2.ecsv", "model", None, labelled=which == "mosaics labelled")

    assert "-o" not in _evaluate_args(line())  # evaluate's default is free: the line as before
    (tmp_path / "evaluation").mkdir()
    args = _evaluate_args(line())
    assert "-o" in args, line()
    out = args[args.index("-o") + 1]
    assert out == "evaluation_1" and not Path(out).exists(), line()
    (tmp_path / "evaluation_1").mkdir()
    args = _evaluate_args(line())
    assert args[args.index("-o") + 1] == "evaluation_2", line()
