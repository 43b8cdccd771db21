"""The FastAPI application of ``starclass inspect``: :func:`create_app` and :func:`serve`.

:func:`create_app` assembles the routers of :mod:`starclass.inspect.routes` (one module per
thing served) around a :class:`~starclass.inspect.field.Field` and a database engine, which it
keeps in ``app.state``. Routes (all but the login page and ``/static`` need a logged-in person; every POST needs the
CSRF header, see :mod:`starclass.inspect.auth`):

=====================================  ===========================================================
``GET  /login``                        login page
``POST /api/login`` / ``/api/logout``  JSON ``{"name", "password"}``; sets the session cookie
``GET  /``                             the classification page
``GET  /api/me``                       who is logged in
``GET  /api/scheme``                   the label scheme: values, keys, meanings, consensus rule
``GET  /api/queue?order=``             candidate ids in ``catalogue``, ``random`` (fixed per
                                       person), ``brightest`` (V magnitude) or ``uncertain``
                                       (lowest top model probability first) order, and which of
                                       them this person has labelled
``GET  /api/candidate/{id}``           catalogue values, this person's label, the V stamp as
                                       numbers, image URLs; ``?prediction=1`` adds the model's
                                       prediction (left out by default, to avoid bias)
``GET  /img/{id}/{kind}.png``          ``composite``, ``profile`` or ``context`` (cached PNG)
``POST /api/label``                    ``{"candidate_id", "cls", "subclass", "comment"}``: writes
                                       the logged-in person's label (a ``user`` field naming
                                       anyone else is refused with 403; a ``cls`` outside the
                                       label scheme with 422)
``GET  /api/history/{id}``             the label history of a candidate (own; all for admins)
``GET  /api/consensus``                agreement summary (admins)
``GET  /data/{path}``                  a file inside the data directory (e.g. a FITS mosaic for
                                       DS9); nothing outside it
=====================================  ===========================================================
"""


from __future__ import annotations

import contextlib
import logging
import signal
import socket
import sys
import threading
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from pathlib import Path

import anyio
import anyio.to_thread
import uvicorn
from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, Response
from fastapi.staticfiles import StaticFiles
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError
from starlette.middleware.trustedhost import TrustedHostMiddleware

from starclass.errors import StarclassError, counted, row_noun
from starclass.inspect import db, listen
from starclass.inspect.field import (
    CATALOGUE_NAMES,
    ORDERS,
    PREDICTION_NAMES,
    SHOWN_COLUMNS,
    Field,
    load_field,
    prerender,
)
from starclass.inspect.limits import (
    MAX_BODY_BYTES,
    BodySizeLimit,
    HashSlots,
    LoginThrottle,
)
from starclass.inspect.listen import DEFAULT_PORT, listening_socket
from starclass.inspect.routes import candidates, datafiles, labels, pages, sessions
from starclass.inspect.routes.datafiles import safe_path
from starclass.inspect.routes.pages import SUBCLASS_KEYS
from starclass.inspect.schemes import TASK_SCHEME_PREFIX, LabelScheme, get_scheme, task_of
from starclass.schema import SUBCLASS_NAMES

# names that lived here before the routers and the field moved out, kept for importers
__all__ = [
    "CATALOGUE_NAMES", "LOOPBACK_HOSTS", "ORDERS", "PREDICTION_NAMES", "SHOWN_COLUMNS",
    "SUBCLASS_KEYS", "SUBCLASS_NAMES", "Field", "create_app", "load_field", "prerender",
    "listening_socket", "safe_path", "serve",
]

STATIC = Path(__file__).resolve().parent / "static"
LOOPBACK_HOSTS = ["127.0.0.1", "localhost", "::1", "[::1]"]
#: Seconds the server waits at shutdown for the background pre-render to finish the picture it is drawing.
PRERENDER_STOP_S = 30.0

#: Headers of every answer: no framing, no sniffing, no referrer, scripts from here only.
SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; script-src 'self'; style-src 'self'; "
        "frame-ancestors 'none'; form-action 'self'"),
}


@contextlib.asynccontextmanager
async def _lifespan(app: FastAPI) -> AsyncIterator[None]:
    """Render the pictures in the background while serving (when asked); stop at shutdown."""
    worker = None
    if app.state.prerender_all:
        # its start, a line at most each 10% and 30 s (and at least each 5 min) and its end, on the server's
        # logger: with progress=False the server's log never said how far it had got, nor that it ended
        worker = threading.Thread(target=prerender, args=(app.state.field,),
                                  kwargs={"stop": app.state.stop, "progress": None, "logger": log.name},
                                  daemon=True, name="inspect-prerender")
        worker.start()
    yield
    app.state.stop.set()
    if worker is not None:
        # waited for (it stops after the picture it is drawing): left running, the thread met the interpreter's
        # end inside a picture's C/C++ code and SIGTERM (or Ctrl-C) aborted the server with "terminate called
        # without an active exception" (2 of 4 tries) instead of a clean stop
        await anyio.to_thread.run_sync(worker.join, PRERENDER_STOP_S)
        if worker.is_alive():
            log.warning(f"the background pre-render did not stop within {PRERENDER_STOP_S:g} s of the server's "
                        "shutdown; leaving it drawing (the process may end abruptly; the labels are saved)")


async def _security_headers(request: Request,
                            call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    response = await call_next(request)
    for name, value in SECURITY_HEADERS.items():
        response.headers.setdefault(name, value)
    return response


#: Methods that change nothing; every other request may write to the database.
READ_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
log = logging.getLogger("starclass.inspect")


async def _database_still_there(request: Request,
                                call_next: Callable[[Request], Awaitable[Response]]) -> Response:
    """503 for any request that may write once the SQLite file was deleted or replaced.

    Connections opened before the deletion still write to the old inode and report success, so
    the labels would vanish when the server stops; one ``stat`` per write request prevents that.
    """
    if request.method not in READ_METHODS:
        try:
            db.check_identity(request.app.state.db_identity)
        except StarclassError as exc:
            log.error("refused %s %s: %s", request.method, request.url.path, exc)
            return JSONResponse({"detail": str(exc)}, status_code=503)
    return await call_next(request)


async def _database_failed(request: Request, exc: Exception) -> JSONResponse:
    """503 naming the label database when it fails while serving (read-only, full, locked, gone).

    The start-up check (:func:`starclass.inspect.db.check_writable`) cannot see a database made
    read-only afterwards (chmod, a read-only remount) or a full disk: a label then answered 500
    "Internal Server Error", which the page showed as "NOT saved: 500", and the server log a
    traceback.
    """
    url = str(request.app.state.engine.url)
    where = db.sqlite_path(url) or db.redact(url)
    reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
    log.error("%s %s: the label database %s failed: %s", request.method, request.url.path, where, reason)
    if "database is locked" in reason or "database table is locked" in reason:
        # writable, but another program held its write lock past the 30 s wait: "make the database and its folder
        # writable again" sent whoever runs the server after permissions that were fine
        detail = (f"the label database {where} is locked by another program ({reason}), for longer than the 30 s "
                  "this server waits: nothing of this request was saved (a label: give it again in a moment); "
                  "whoever runs the server must close what holds the lock (a sqlite3 shell or a database browser "
                  "left in a transaction, a copy made otherwise than with --backup)")
    elif request.method in READ_METHODS:
        detail = (f"the label database {where} cannot be read ({reason}); whoever runs the server must see to it "
                  "(the server's log says the same)")
    else:
        detail = (f"the label database {where} cannot be written ({reason}): nothing of this request was saved "
                  "(a label: give it again once the database is writable); whoever runs the server must make the "
                  "database and its folder writable again, or restart it with another --db")
    return JSONResponse({"detail": detail}, status_code=503)


async def _bad_input(_request: Request, exc: Exception) -> JSONResponse:
    """A :class:`StarclassError` (e.g. an unknown queue order) answers 400 with its message."""
    return JSONResponse({"detail": str(exc)}, status_code=400)


def create_app(field: Field, engine: Engine, *, prerender_all: bool = False,
               allowed_hosts: list[str] | None = None, force_secure_cookies: bool = False,
               max_body_bytes: int = MAX_BODY_BYTES,
               login_throttle: LoginThrottle | None = None,
               scheme: LabelScheme | str | None = None) -> FastAPI:
    """Build the FastAPI application for one field and one database engine.

    The database must already be initialised (:func:`starclass.inspect.db.init_db`).

    Parameters
    ----------
    field
        What to show (:func:`starclass.inspect.field.load_field`).
    engine
        The label database.
    prerender_all
        Render every candidate's pictures in a background thread after start-up.
    allowed_hosts
        Host names the server answers to (others get 400), against DNS rebinding; ``serve``
        passes :data:`LOOPBACK_HOSTS` when bound to 127.0.0.1. None: any.
    force_secure_cookies
        Mark cookies ``Secure`` on every answer. Without it they are ``Secure`` when the
        request came over HTTPS or with ``X-Forwarded-Proto: https`` (a TLS proxy in front).
    max_body_bytes
        Largest request body; larger ones get 413 (:class:`~starclass.inspect.limits.BodySizeLimit`).
    login_throttle
        Failed-login bookkeeping (default: a :class:`~starclass.inspect.limits.LoginThrottle`
        with its defaults).
    scheme
        The label scheme (:mod:`starclass.inspect.schemes`): its values are the buttons, keys
        and the values the label route takes. A scheme given is recorded for the field's dataset
        (:func:`starclass.inspect.db.bind_scheme`, refused when the dataset's labels are in
        another); None: the dataset's own scheme, ``phangs`` for a new one.

    Returns
    -------
    fastapi.FastAPI
        The application, with ``field``, ``engine`` and the background thread's ``stop``
        event in ``app.state``. The SQLite file's identity is recorded here: requests that may
        write get 503 once the file is deleted or replaced (:func:`starclass.inspect.db.check_identity`).

    Examples
    --------
    >>> import tempfile
    >>> from starclass.datasets.labelling import make_demo_field
    >>> from starclass.inspect import db
    >>> folder = make_demo_field(tempfile.mkdtemp(), n=3, size=100, seed=1)
    >>> engine = db.make_engine("sqlite://")
    >>> db.init_db(engine)
    2
    >>> app = create_app(load_field(folder), engine)
    >>> app.state.field.ids
    ['1', '2', '3']
    """
    app = FastAPI(title="starclass inspect", docs_url=None, redoc_url=None, openapi_url=None,
                  lifespan=_lifespan)
    app.state.field = field
    app.state.engine = engine
    app.state.stop = threading.Event()
    app.state.prerender_all = prerender_all
    app.state.force_secure_cookies = force_secure_cookies
    app.state.login_throttle = login_throttle if login_throttle is not None else LoginThrottle()
    app.state.hash_slots = HashSlots()
    app.state.db_identity = db.file_identity(engine)
    # the refusals read first (the command's own check, inspect_cmd): a refused field or scheme writes nothing
    db.check_binding(engine, field.dataset, field.field_key, scheme)
    # before the scheme: a field that is not the dataset's is refused whatever its scheme
    db.bind_field(engine, field.dataset, field.field_key)
    if scheme is not None:
        db.bind_scheme(engine, field.dataset, scheme)  # refuses a dataset whose labels are in another scheme
        # the scheme itself, not its name looked up again: a task's own (inspect --stamps) is made, not listed
        app.state.scheme = get_scheme(scheme)
    else:
        app.state.scheme = get_scheme(db.dataset_scheme(engine, field.dataset) or "phangs")
    app.add_middleware(BodySizeLimit, max_bytes=max_body_bytes)
    if allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))
    app.middleware("http")(_database_still_there)
    app.middleware("http")(_security_headers)
    app.add_exception_handler(StarclassError, _bad_input)
    app.add_exception_handler(OperationalError, _database_failed)
    app.mount("/static", StaticFiles(directory=str(STATIC)), name="static")
    for module in (pages, sessions, candidates, labels, datafiles):
        app.include_router(module.router)
    return app


class _StoppedServer(uvicorn.Server):
    """A uvicorn server that, stopped by a signal, returns after its graceful shutdown instead of dying of it.

    uvicorn catches SIGINT and SIGTERM, lets the requests being answered finish and the app shut down
    (the pre-render stopped), then raises the signal again with the handlers it found: under the
    ``starclass`` script SIGTERM ended ``inspect`` with exit status 143 and not a word (systemd and
    ``docker stop`` logged a failure), Ctrl-C with 130. For a server a signal is how it is stopped:
    :attr:`stopped_by` names the signal, and the caller closes the database and says so.
    """

    stopped_by: str | None = None

    def handle_exit(self, sig: int, frame: object) -> None:
        if self.stopped_by is None:
            self.stopped_by = signal.Signals(sig).name
        super().handle_exit(sig, frame)

    @contextlib.contextmanager
    def capture_signals(self) -> Iterator[None]:
        # uvicorn's own, less the signal raised again at its end
        if threading.current_thread() is not threading.main_thread():
            yield
            return
        from uvicorn.server import HANDLED_SIGNALS

        before = {sig: signal.signal(sig, self.handle_exit) for sig in HANDLED_SIGNALS}
        try:
            yield
        finally:
            for sig, handler in before.items():
                signal.signal(sig, handler)


def serve(field: Field, engine: Engine, host: str = "127.0.0.1", port: int = DEFAULT_PORT, *,
          prerender_all: bool = True, force_secure_cookies: bool = False,
          echo: Callable[[str], object] = print, scheme: LabelScheme | str | None = None,
          sock: socket.socket | None = None) -> str | None:
    """Run the app with uvicorn (blocking); prints the address first.

    SIGTERM (``kill``, systemd, ``docker stop``) and Ctrl-C stop it as uvicorn does: no new connection,
    the requests being answered finished (their labels written), the background pre-render stopped;
    then it returns the signal's name instead of ending the process with it.

    Parameters
    ----------
    field, engine
        As for :func:`create_app`.
    host, port
        Where to listen. A loopback ``host`` also restricts the ``Host`` header to
        :data:`LOOPBACK_HOSTS` (against DNS rebinding).
    prerender_all
        Render every candidate's pictures in the background after start-up.
    force_secure_cookies
        Mark cookies ``Secure`` even on plain-HTTP requests (see :func:`create_app`).
    echo
        Where the address and warnings are printed.
    scheme
        The label scheme (see :func:`create_app`).
    sock
        The socket to serve on, already bound to ``host:port``
        (:func:`starclass.inspect.listen.listening_socket`): ``starclass inspect`` binds it before it
        opens the database, so that a port in use is refused before any line. None: bound here.

    Returns
    -------
    str or None
        The signal that stopped the server (``"SIGTERM"``, ``"SIGINT"``), None when it stopped otherwise.

    Examples
    --------
    Not run as a doctest (``+SKIP``): it listens on a port and blocks, serving the page until
    Ctrl-C or SIGTERM, for a field and a label database made beforehand. ``tests/test_inspect_app.py`` drives
    :func:`create_app`, the app it serves, and runs it on a port already in use (refused at once):

    >>> serve(field, engine, port=8001)  # doctest: +SKIP
    """
    loopback = host in ("127.0.0.1", "localhost", "::1")
    # bound before anything is printed: with the port taken (another program, another
    # `starclass inspect`) the address was printed as "open http://...", then uvicorn failed
    # with "[Errno 98] ... address already in use", and the printed address served the other one
    if sock is None:
        sock = listen.listening_socket(host, port)
    app = create_app(field, engine, prerender_all=prerender_all,
                     allowed_hosts=LOOPBACK_HOSTS if loopback else None,
                     force_secure_cookies=force_secure_cookies, scheme=scheme)
    shown = f"[{host}]" if ":" in host else host
    # a cutout list's rows are cutouts, as suggest and train call them ("serving 10 candidates" of 10 cutouts)
    noun = row_noun(field.kind == "cutouts")
    echo(f"starclass inspect: serving {counted(len(field.ids), noun)} from {field.data_dir}")
    s = app.state.scheme
    # a task name over the scheme name's 32 characters is cut there, with a digest: the task named whole beside it
    whole = task_of(s.name) if s.name.lower().startswith(TASK_SCHEME_PREFIX) else ""
    task = f" (task {whole})" if whole and whole != s.name[len(TASK_SCHEME_PREFIX):] else ""
    echo(f"label scheme {s.name}{task}: " + ", ".join(f"key {v.key} = {v.value} {v.name}" for v in s.values)
         + (f"; consensus: sum of {s.n_inspectors} inspectors' scores" if s.consensus == "sum"
            else "; consensus: mode"))
    if prerender_all:
        todo = sum(not field.cache.is_cached(r) for r in range(len(field.ids)))
        if todo:
            echo(f"rendering the pictures of {counted(todo, noun)} in the background "
                 f"(cache: {field.cache.dir})")
    echo(f"open http://{shown}:{port}/ (Ctrl-C to stop)")
    if not loopback:
        echo(f"warning: bound to {host}, reachable from other machines; use HTTPS in front of it")
    server = _StoppedServer(uvicorn.Config(app, log_level="warning"))
    with _info_lines_shown(log):
        server.run(sockets=[sock])
    return server.stopped_by


@contextlib.contextmanager
def _info_lines_shown(logger: logging.Logger) -> Iterator[None]:
    """The INFO lines of ``logger`` (the pre-render's) on stderr, timed, unless a program configured it itself.

    Without a handler Python shows only warnings and errors: the pre-render's lines would be dropped.
    """
    if logger.handlers:
        yield
        return
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
    level = logger.level
    logger.addHandler(handler)
    if level == logging.NOTSET or level > logging.INFO:
        logger.setLevel(logging.INFO)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
