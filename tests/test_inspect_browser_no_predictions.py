"""The ``m`` key on a field served without predictions says why nothing shows (2026-12-07).

Walking docs/inspect.md on a cutout folder without a ``classify --stamps`` output, ``m`` (show the model's
prediction) did nothing and said nothing: the checkbox is disabled and the key returned early. The status
line now says there is no prediction and how to serve one.
"""

from __future__ import annotations

import pytest

from starclass.inspect import db
from starclass.inspect.app import create_app
from starclass.inspect.cutouts import load_cutout_field, stamps_scheme
from starclass.learn.config import get_preset
from test_inspect_browser import _log_in, browser  # noqa: F401 (the module's Chromium fixture)
from test_inspect_stamps import make_folder  # tests/ is on sys.path under pytest
from webtools import running_server

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("cheap_argon2")]


def test_m_without_predictions_says_there_is_none(browser, tmp_path):  # noqa: F811 (the fixture)
    labels = make_folder(tmp_path / "pool", n=2)
    cfg = get_preset("m31-real")
    engine = db.make_engine(f"sqlite:///{tmp_path / 'labels.sqlite'}")
    db.init_db(engine)
    db.add_user(engine, "ann", "ann-password")
    app = create_app(load_cutout_field(labels, cfg, cache_dir=tmp_path / "cache"), engine, scheme=stamps_scheme(cfg))
    try:
        with running_server(app) as base:
            ctx = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
            page = ctx.new_page()
            _log_in(page, base, "ann", "ann-password")
            assert page.is_disabled("#show-pred")
            page.keyboard.press("m")
            page.wait_for_function("document.getElementById('status').textContent !== ''", timeout=5000)
            assert "no model prediction to show" in page.text_content("#status")
            assert page.is_hidden("#prediction")
            ctx.close()
    finally:
        engine.dispose()
