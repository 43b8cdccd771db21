"""The background pre-render counts the pictures it has to draw, not those an earlier run cached.

``starclass inspect`` said "rendering the pictures of 24 candidates in the background" and its timed lines
then went "rendering: 0 of 50 candidates", the 26 cached pictures among them (found walking issue 17's loop,
2026-12-06).
"""

from __future__ import annotations

import logging

from starclass.datasets.labelling import make_demo_field
from starclass.inspect.app import load_field
from starclass.inspect.field import prerender


def test_the_prerender_lines_count_only_the_pictures_to_draw(tmp_path, caplog):
    field = load_field(make_demo_field(tmp_path / "demo", n=6, size=100), cache_dir=tmp_path / "cache")
    assert prerender(field, [0, 1, 2, 3], progress=False) == 4
    with caplog.at_level(logging.INFO):
        assert prerender(field, progress=None, logger="starclass.inspect") == 2
    said = " ".join(r.getMessage() for r in caplog.records if r.name == "starclass.inspect")
    assert "2 of 2 candidates" in said, said
    assert "of 6 candidates" not in said, said
