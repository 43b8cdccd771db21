"""A server whose pictures are all cached says nothing of rendering.

Until 2026-12-06 a restarted `starclass inspect` (every picture in its cache) printed no "rendering the
pictures" line, as it should, but its background pre-render still logged "rendering: 0 of 0 candidates
(100%), 0 s". Now the pre-render logs only when there is something to draw. No ../shared needed.
"""
from __future__ import annotations

import logging

from starclass.datasets.labelling import make_demo_field
from starclass.inspect.field import load_field, prerender


def test_nothing_to_draw_logs_nothing(tmp_path, caplog):
    field = load_field(make_demo_field(tmp_path / "demo", n=3, size=100), cache_dir=tmp_path / "cache")
    with caplog.at_level(logging.INFO, logger="starclass.inspect"):
        assert prerender(field, progress=None, logger="starclass.inspect") == 3
    drawn = [r.getMessage() for r in caplog.records if r.getMessage().startswith("rendering")]
    assert drawn and drawn[-1].startswith("rendering: 3 of 3 candidates (100%)"), drawn  # the check can see lines
    caplog.clear()
    with caplog.at_level(logging.INFO, logger="starclass.inspect"):
        assert prerender(field, progress=None, logger="starclass.inspect") == 0
    assert not [r.getMessage() for r in caplog.records if "rendering" in r.getMessage()]
