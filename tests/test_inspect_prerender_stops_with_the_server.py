"""The server waits for its background pre-render to stop before it ends.

Until 2026-12-06 the pre-render thread (a daemon) was told to stop at shutdown and left running: on SIGTERM
(or Ctrl-C) the interpreter ended while the thread was inside a picture's C/C++ code, and ``starclass
inspect`` aborted with "terminate called without an active exception" (signal 6) in 2 of 4 tries on a
300-candidate demo field. Now the shutdown waits (up to ``PRERENDER_STOP_S``) for the thread to finish the
picture it is drawing. The picture is made slow here, so that the thread is always drawing when the server
stops: the old code left it alive every time.
"""

from __future__ import annotations

import threading
import time
import warnings


def _client():
    with warnings.catch_warnings():  # the installed starlette warns about httpx at import
        warnings.simplefilter("ignore")
        from fastapi.testclient import TestClient
    return TestClient


def test_the_server_stops_only_after_its_background_prerender(tmp_path):
    from starclass.datasets.labelling import make_demo_field
    from starclass.inspect import db
    from starclass.inspect.app import create_app
    from starclass.inspect.field import load_field

    field = load_field(make_demo_field(tmp_path / "demo", n=6, size=100), cache_dir=tmp_path / "cache")
    engine = db.make_engine(f"sqlite:///{tmp_path / 'labels.sqlite'}")
    db.init_db(engine)
    real_render = field.cache.render
    started, finished = threading.Event(), []

    def slow_render(row):
        started.set()
        time.sleep(0.5)  # a large picture: the server is stopped while it is drawn
        out = real_render(row)
        finished.append(row)
        return out

    field.cache.render = slow_render
    try:
        with _client()(create_app(field, engine, prerender_all=True)):
            assert started.wait(30)
        # the server has stopped: no pre-render thread outlives it into the interpreter's end
        alive = [t for t in threading.enumerate() if t.name == "inspect-prerender"]
        assert not alive, "the pre-render thread outlived the server"
    finally:
        engine.dispose()
    # it stopped after the picture it was drawing, not after drawing them all
    assert 1 <= len(finished) < 6 and all(field.cache.is_cached(r) for r in finished)
