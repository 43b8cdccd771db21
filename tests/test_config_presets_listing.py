"""``python -m starclass.learn.config`` says what its table is (2026-12-07).

docs/training.md and docs/models.md send users to it for the presets' names; it printed one row per preset
with no line saying what the rows are or what each column holds.
"""

from __future__ import annotations

from starclass.learn.config import PRESETS, _main


def test_the_presets_table_has_a_title_and_a_header(capsys):
    assert _main([]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"{len(PRESETS)} task presets (train --task NAME;"), lines[0]
    assert lines[1].split() == ["name", "architecture", "bands", "description"], lines[1]
    # then one row per preset, in the order of PRESETS, each under its column
    assert [line.split()[0] for line in lines[2:]] == list(PRESETS)
    assert all(line.index(" ", 0) <= 24 for line in lines[2:])
