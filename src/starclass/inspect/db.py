"""Database of the inspection app: people, sessions, labels and their history.

SQLAlchemy 2.0 on SQLite (default: ``inspect.sqlite`` beside the data) or PostgreSQL
(``--db postgresql://user@host/name``; the ``psycopg`` driver is used when the URL names none).

Schema versions
---------------
The ``schema_version`` table holds one row per version applied; the database's version is the
largest. :func:`init_db` creates a new database at :data:`SCHEMA_VERSION` or upgrades an older
one step by step with the functions in :data:`MIGRATIONS`, each in one transaction, so a later
change migrates the labels rather than losing them.

* version 1 (the first release): ``users`` (no admin flag), ``labels`` with the subclass as an
  integer code 1-12 (meaning 4.1-4.12), no comment, no dataset, no history.
* version 2 (current): ``users.is_admin``; ``labels`` keyed by (dataset, candidate, person)
  with the subclass as text (``"4.10"`` is not ``"4.1"``, which a float cannot tell apart), a
  comment, created/updated times and an edit counter; ``label_history`` keeps every version of
  every label (who, when, class, subclass, comment); ``sessions`` for logins.
* version 2 + ``label_schemes`` (additive: no version change, older code ignores the table):
  which label scheme (:mod:`starclass.inspect.schemes`) each dataset's labels are in. The
  table is created on the first :func:`bind_scheme`; a dataset without a row is in the
  ``phangs`` scheme when it has labels (the only scheme before) and free otherwise
  (:func:`dataset_scheme`), so databases made before it open and keep their meaning.
* version 2 + ``label_scheme_classes`` (additive, likewise): the classes of a task's scheme
  (``1 = cluster, 2 = galaxy``: each class and the label string ``--export`` writes) a dataset's
  labels were given in, recorded by the first server or label (:func:`bind_scheme`); a task
  file of the same name with other classes is refused (:func:`check_scheme_classes`). A dataset
  bound before it records its classes on its next server.
* version 2 + ``label_scheme_tasks`` (additive, likewise): the whole name of the task of each
  task scheme (``task:<task>``, held in 32 characters: a longer name is cut, with a digest),
  recorded by :func:`bind_scheme` and read back wherever the task is named or made again
  (``inspect --stamps`` without ``--task``, the messages refusing another scheme). A scheme bound
  before it records its task's name on its next server.
* version 2 + ``label_task_configs`` (additive, likewise): the whole task (its config as JSON) a
  dataset's task scheme was made from, recorded by :func:`bind_scheme` (``inspect --stamps --init``,
  the first server or label) and read back by :func:`dataset_task_config`, so that ``inspect
  --stamps`` serves and exports the labels without ``--task``, also for a task file or model folder
  that has gone. A database without it is read as before (a preset's task by its name); the table
  is made only by a write (a server, ``--init``, a label), never by ``--export``.
* version 2 with ``candidate_id`` of :data:`CANDIDATE_ID_CHARS` (1024) characters, not 64 (a
  cutout folder's ids are file paths): a PostgreSQL database made before is widened when opened
  (:func:`init_db`); the code before reads it alike, so no version changes.
* version 2 + ``dataset_fields`` (additive, likewise): which field (its mosaics' file names)
  each dataset's labels belong to, recorded by the first server (:func:`bind_field`); another
  field under the same dataset is refused. A dataset made before it is bound by its next server.

Writes
------
:func:`save_label` changes only the row of the person given; the app passes the logged-in
person, so nobody can change another person's label. On SQLite every transaction starts with
``BEGIN IMMEDIATE`` and waits up to 30 s for the lock (WAL journal), so parallel writers queue
instead of failing; on PostgreSQL the row is locked with ``SELECT ... FOR UPDATE`` and a
unique-key race on the first insert is retried. A scheme that takes a fixed number of people
(``m31-check``) locks the candidate itself (``pg_advisory_xact_lock``) before counting its labels.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import numbers
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.exc import IntegrityError

from starclass.errors import StarclassError
from starclass.inspect.passwords import check_new_password, hash_password
from starclass.inspect.schemes import (
    DEFAULT_SCHEME,
    PHANGS,
    TASK_NAMES,
    TASK_SCHEME_PREFIX,
    LabelScheme,
    get_scheme,
    option_for,
)

#: Version of the schema this code writes.
SCHEMA_VERSION = 2

#: Subclasses as stored (text), PHANGS Table 3.
SUBCLASSES: tuple[str, ...] = tuple(f"4.{k}" for k in range(1, 13))
#: Longest comment kept (characters); longer ones are refused, not cut.
MAX_COMMENT_LENGTH = 2000


class UTCDateTime(sa.types.TypeDecorator):
    """A time stamp stored as UTC and read back as an aware UTC :class:`datetime.datetime`.

    SQLite keeps no time zone: a label's ``updated_at`` came back naive from it, so
    ``GET /api/candidate`` showed ``2026-12-04T21:00:00`` where the POST that saved it had
    answered ``2026-12-04T21:00:00+00:00``. Every stamp this code writes is UTC
    (:func:`utcnow`), old rows included, so a naive value read back is UTC; PostgreSQL's
    ``timestamptz`` comes back in the session's zone and is turned to UTC.

    Examples
    --------
    >>> import datetime as dt
    >>> UTCDateTime().process_result_value(dt.datetime(2026, 1, 2, 3, 4, 5), None).isoformat()
    '2026-01-02T03:04:05+00:00'
    """

    impl = sa.DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: _dt.datetime | None, dialect: sa.Dialect) -> _dt.datetime | None:
        if value is not None and value.tzinfo is not None:
            value = value.astimezone(_dt.UTC)  # SQLite would drop another offset without converting
        return value

    def process_result_value(self, value: _dt.datetime | None, dialect: sa.Dialect) -> _dt.datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=_dt.UTC)
        return value.astimezone(_dt.UTC)


metadata = sa.MetaData()

schema_version = sa.Table(
    "schema_version", metadata,
    sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
    sa.Column("applied_at", UTCDateTime(), nullable=False),
)

users = sa.Table(
    "users", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(64), nullable=False, unique=True),
    sa.Column("password_hash", sa.String(255), nullable=False),
    sa.Column("is_admin", sa.Boolean, nullable=False, server_default=sa.false()),
    sa.Column("created_at", UTCDateTime(), nullable=False),
)

sessions = sa.Table(
    "sessions", metadata,
    sa.Column("token_hash", sa.String(64), primary_key=True),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id", ondelete="CASCADE"), nullable=False),
    sa.Column("csrf", sa.String(64), nullable=False),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.Column("expires_at", UTCDateTime(), nullable=False),
)

#: Longest candidate id the label database holds: a cutout folder's id is the file's path, longer than the
#: 64 characters of before (PostgreSQL refused every label of ``survey/field_NGC0224_ccd17/cluster/...png``).
CANDIDATE_ID_CHARS = 1024
#: Longest dataset key (``--dataset``) the label database holds.
DATASET_CHARS = 255

labels = sa.Table(
    "labels", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("dataset", sa.String(DATASET_CHARS), nullable=False, server_default=""),
    sa.Column("candidate_id", sa.String(CANDIDATE_ID_CHARS), nullable=False),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("cls", sa.Integer, nullable=False),
    sa.Column("subclass", sa.String(8), nullable=True),
    sa.Column("comment", sa.Text, nullable=False, server_default=""),
    sa.Column("created_at", UTCDateTime(), nullable=False),
    sa.Column("updated_at", UTCDateTime(), nullable=False),
    sa.Column("revision", sa.Integer, nullable=False, server_default="1"),
    sa.UniqueConstraint("dataset", "candidate_id", "user_id", name="uq_label_person"),
)

label_history = sa.Table(
    "label_history", metadata,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("label_id", sa.Integer, sa.ForeignKey("labels.id"), nullable=False),
    sa.Column("dataset", sa.String(DATASET_CHARS), nullable=False, server_default=""),
    sa.Column("candidate_id", sa.String(CANDIDATE_ID_CHARS), nullable=False),
    sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
    sa.Column("cls", sa.Integer, nullable=False),
    sa.Column("subclass", sa.String(8), nullable=True),
    sa.Column("comment", sa.Text, nullable=False, server_default=""),
    sa.Column("revision", sa.Integer, nullable=False),
    sa.Column("changed_at", UTCDateTime(), nullable=False),
    sa.Column("action", sa.String(16), nullable=False),  # create | update | migrate
)
#: Which field each dataset's labels belong to (additive, as ``label_schemes``): the mosaics'
#: file names (:func:`starclass.inspect.field.mosaic_key`), recorded by the first server.
dataset_fields = sa.Table(
    "dataset_fields", metadata,
    sa.Column("dataset", sa.String(255), primary_key=True),
    sa.Column("field", sa.Text, nullable=False),
    sa.Column("bound_at", UTCDateTime(), nullable=False),
)

label_schemes = sa.Table(
    "label_schemes", metadata,
    sa.Column("dataset", sa.String(255), primary_key=True),
    sa.Column("scheme", sa.String(32), nullable=False),
    sa.Column("chosen_at", UTCDateTime(), nullable=False),
)
#: The classes of a task scheme (``task:<task>``) each dataset's labels were given in (additive, as
#: ``label_schemes``): its name alone did not tell a task file whose classes changed under the same name.
label_scheme_classes = sa.Table(
    "label_scheme_classes", metadata,
    sa.Column("dataset", sa.String(255), primary_key=True),
    sa.Column("scheme", sa.String(32), nullable=False),
    sa.Column("classes", sa.Text, nullable=False),
    sa.Column("recorded_at", UTCDateTime(), nullable=False),
)
#: The whole task name of each task scheme (additive, as ``label_schemes``): the scheme's name holds 32
#: characters, so a longer task was named "mytask-pandas-round2-... (a longer name)" when read back.
label_scheme_tasks = sa.Table(
    "label_scheme_tasks", metadata,
    sa.Column("scheme", sa.String(32), primary_key=True),
    sa.Column("task", sa.Text, nullable=False),
    sa.Column("recorded_at", UTCDateTime(), nullable=False),
)
#: The whole task each dataset's task scheme was made from (additive, as ``label_schemes``): its config as JSON
#: (``TaskConfig.to_dict``). The scheme's name alone made a preset's task again, but not a task file's or a
#: model's, so an export of a database made with one needed ``--task`` again.
label_task_configs = sa.Table(
    "label_task_configs", metadata,
    sa.Column("dataset", sa.String(255), primary_key=True),
    sa.Column("scheme", sa.String(32), nullable=False),
    sa.Column("config", sa.Text, nullable=False),
    sa.Column("recorded_at", UTCDateTime(), nullable=False),
)
sa.Index("ix_labels_dataset_candidate", labels.c.dataset, labels.c.candidate_id)
sa.Index("ix_history_label", label_history.c.label_id)


def utcnow() -> _dt.datetime:
    """The time now, in UTC with its time zone (what every timestamp of the database holds).

    Examples
    --------
    >>> utcnow().tzinfo
    datetime.timezone.utc
    """
    return _dt.datetime.now(_dt.UTC)


# --------------------------------------------------------------------------------------------
# engines


def normalise_url(url: str) -> str:
    """A database URL as SQLAlchemy takes it: ``sqlite:///file``, a bare file path, ``postgresql://``.

    Parameters
    ----------
    url : str
        A URL, or a file path (a SQLite database); ``postgres://`` and ``postgresql://`` get the
        psycopg 3 driver.

    Returns
    -------
    str

    Examples
    --------
    >>> normalise_url("labels.sqlite")
    'sqlite:///labels.sqlite'
    >>> normalise_url("postgres://ann@db/labels")
    'postgresql+psycopg://ann@db/labels'
    """
    if "://" not in url:
        return f"sqlite:///{url}"
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://"):]
    if url.startswith("postgresql://"):
        url = "postgresql+psycopg://" + url[len("postgresql://"):]
    return url


def redact(url: str) -> str:
    """The URL with any password replaced by ``***`` (for printing).

    Parameters
    ----------
    url : str
        A database URL.

    Returns
    -------
    str

    Examples
    --------
    >>> redact("postgresql://ann:s3cret@db.example.org/labels")
    'postgresql://ann:***@db.example.org/labels'
    """
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", url)


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite database URL; None for PostgreSQL, in-memory and ``file:`` URIs.

    Parameters
    ----------
    url
        A database URL or bare file path, as ``--db`` takes it.

    Returns
    -------
    pathlib.Path or None
        The database file (absolute), or None when there is no plain file to look at.

    Examples
    --------
    >>> sqlite_path("sqlite:////data/labels.sqlite")
    PosixPath('/data/labels.sqlite')
    >>> sqlite_path("postgresql://ann@db/labels") is None
    True
    """
    url = normalise_url(url)
    if not url.startswith("sqlite"):
        return None
    path = sa.engine.make_url(url).database
    if path in (None, "", ":memory:") or path.startswith("file:"):
        return None
    return Path(path).absolute()


#: Name endings of a file that ``--init`` may make the label database of while it is empty (0 bytes): a
#: placeholder made for it (``touch labels.sqlite``), not a catalogue, a note or a log named by a slip.
SQLITE_SUFFIXES = (".sqlite", ".sqlite3", ".db")


def refuse_empty_foreign_file(url: str) -> None:
    """Refuse ``--init`` on an existing empty file whose name is not a database's (``notes.txt``, ``cat.csv``).

    SQLite takes a 0-byte file for a new database: ``inspect DIR --init --db sqlite:///cat.csv`` turned
    an empty ``cat.csv`` into a 77 kB label database without a word. A non-empty file that is no
    database is refused where it is opened (:func:`open_error_message`).

    Parameters
    ----------
    url
        The ``--db`` URL or path.

    Raises
    ------
    StarclassError
        The file exists, is empty, and its name does not end with one of :data:`SQLITE_SUFFIXES`.

    Examples
    --------
    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> (folder / "labels.sqlite").touch()
    >>> refuse_empty_foreign_file(f"sqlite:///{folder / 'labels.sqlite'}")  # made for it: fine
    >>> (folder / "notes.txt").touch()
    >>> try:
    ...     refuse_empty_foreign_file(f"sqlite:///{folder / 'notes.txt'}")
    ... except StarclassError as exc:
    ...     print(str(exc).replace(str(folder), "DIR").split(";")[0])  # doctest: +NORMALIZE_WHITESPACE
    --db sqlite:///DIR/notes.txt: DIR/notes.txt is an empty file (0 bytes) whose name is not a database's
    (.sqlite, .sqlite3, .db)
    """
    path = sqlite_path(url)
    if path is None or path.name.lower().endswith(SQLITE_SUFFIXES) or not _empty_file(path):
        return
    raise StarclassError(
        f"--db {redact(url)}: {path} is an empty file (0 bytes) whose name is not a database's "
        f"({', '.join(SQLITE_SUFFIXES)}); --init would make it the label database: name a new file "
        f"(e.g. {path.with_suffix('.sqlite')}), or one made for it (nothing was changed)")


def _empty_file(path: Path) -> bool:
    try:
        return path.is_file() and path.stat().st_size == 0
    except OSError:
        return False


def open_error_message(url: str, exc: BaseException) -> str:
    """What to tell someone whose ``--db`` could not be opened, and what to do about it.

    A SQLite file that is not a database (another kind of file, or a damaged one) and a path in
    a folder that does not exist are named as such; other errors keep the driver's message
    without SQLAlchemy's pointer to its website.

    Examples
    --------
    >>> import sqlite3
    >>> msg = open_error_message("sqlite:////tmp/x.sqlite", sqlite3.DatabaseError("file is not a database"))
    >>> print(msg.split(" (")[0])
    --db sqlite:////tmp/x.sqlite: /tmp/x.sqlite is not a SQLite database
    """
    orig = getattr(exc, "orig", None) or exc
    text = str(orig).strip()
    head = f"--db {redact(url)}"
    path = sqlite_path(url)
    if path is not None:
        if "file is not a database" in text:
            return (f"{head}: {path} is not a SQLite database (another kind of file, or a damaged one); give "
                    "the label database's path, or restore a backup (docs/inspect.md, \"Backup and restore\")")
        if not path.parent.is_dir():
            return f"{head}: there is no folder {path.parent} for the database; create it, or give another --db"
        if "readonly database" in text and not os.access(path.parent, os.W_OK | os.X_OK, effective_ids=True):
            # --export and --list-users of a read-only copy said 'attempt to write a readonly database', for a
            # command that only reads: SQLite makes the -shm file of a WAL database (as inspect keeps it) to read it
            return (f"{head}: {path} cannot be opened, even to read it: its folder {path.parent} is read-only, and "
                    f"SQLite must create {path.name}-shm beside a database in WAL mode (as inspect keeps it) to read "
                    f"it; copy {path.name} (with {path.name}-wal, if there is one) to a folder you can write and give "
                    "that --db, or make the folder writable")
    return f"{head}: {type(orig).__name__}: {text}"


def make_engine(url: str, *, create: bool = True) -> Engine:
    """An engine for ``url`` set up for several concurrent writers (see the module notes).

    Parameters
    ----------
    url
        ``sqlite:///path``, a bare path, or ``postgresql://user:pw@host/name``.
    create
        Whether a missing SQLite file may be created. With False a missing file is an error,
        so a database deleted or moved away is never silently replaced by an empty one.

    Returns
    -------
    sqlalchemy.engine.Engine
        The engine (nothing is connected yet, except that a new SQLite file is made 0600).

    Raises
    ------
    StarclassError
        No engine for this URL, or (``create=False``) no SQLite file at the path.

    Examples
    --------
    >>> make_engine("sqlite:////no/such/labels.sqlite", create=False)
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: no label database at /no/such/labels.sqlite; pass --init to create a new one there
    """
    path = sqlite_path(url)
    if not create and path is not None and not path.exists():
        raise StarclassError(f"no label database at {path}; pass --init to create a new one there")
    url = normalise_url(url)
    try:
        if url.startswith("sqlite"):
            _create_private(sa.engine.make_url(url).database)
            engine = sa.create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})
            _sqlite_setup(engine)
        else:
            engine = sa.create_engine(url, pool_pre_ping=True, pool_size=10, max_overflow=10)
    except (ImportError, sa.exc.ArgumentError) as exc:
        raise StarclassError(f"--db {redact(url)}: cannot create a database engine ({exc})") from exc
    return engine


def _create_private(path: str | None) -> None:
    """Create a new SQLite file readable by its owner only (0600), before SQLite creates it.

    SQLite would create it with the umask's permissions (usually 0644: everyone on the machine
    could read the password hashes and sessions); its ``-wal`` and ``-shm`` files take the
    database file's permissions. An existing file is left as it is.
    """
    if path in (None, "", ":memory:") or path.startswith("file:"):
        return
    try:
        os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    except FileExistsError:
        return  # an existing database keeps the permissions it has
    except FileNotFoundError:
        # no such folder: nothing to create here; connecting fails next, and open_error_message names the
        # missing folder ('there is no folder ... for the database'), exit 2
        return
    except PermissionError:
        # 'inspect DATA --db sqlite:///ro/new.sqlite --init' in a folder one cannot write: a PermissionError traceback
        raise StarclassError(f"cannot create the label database {path}: its folder {Path(path).parent} is read-only; "
                             "make the folder writable or give another --db") from None


def _holds_a_database(path: str | None) -> bool:
    """Whether ``path`` is a SQLite file with something in it (a new or empty file, or memory: False)."""
    if path in (None, "", ":memory:") or str(path).startswith("file:"):
        return False
    try:
        return os.path.getsize(path) > 0
    except OSError:
        return False


def _set_wal(engine: Engine) -> None:
    """Put a SQLite file database in WAL mode (several readers beside one writer); a no-op elsewhere.

    Done by :func:`init_db` once it has created the schema in a file that was empty, which the connect
    hook leaves as it is (so that a refused command writes nothing into it).
    """
    if engine.dialect.name != "sqlite" or not _holds_a_database(engine.url.database):
        return
    # on the driver's connection, outside any transaction (the engine's connections begin one, in which the
    # journal mode cannot change)
    raw = engine.raw_connection()
    try:
        cur = raw.driver_connection.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.close()
    finally:
        raw.close()


def _sqlite_setup(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_conn, _record):  # pragma: no cover - exercised through the engine
        dbapi_conn.isolation_level = None  # we emit BEGIN ourselves
        cur = dbapi_conn.cursor()
        if _holds_a_database(engine.url.database):
            # not on an empty file: setting WAL writes SQLite's header into it, and a refused command (an empty
            # --db without --init) turned the user's 0-byte file into a 4 KiB database; init_db sets it there
            cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA busy_timeout=30000")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn):  # pragma: no cover
        conn.exec_driver_sql("BEGIN IMMEDIATE")


# --------------------------------------------------------------------------------------------
# versions and migrations


def _v1_metadata() -> sa.MetaData:
    """The version-1 schema, frozen, as it was released (used by tests and for reference)."""
    md = sa.MetaData()
    sa.Table("schema_version", md,
             sa.Column("version", sa.Integer, primary_key=True, autoincrement=False),
             sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False))
    sa.Table("users", md,
             sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("name", sa.String(64), nullable=False, unique=True),
             sa.Column("password_hash", sa.String(255), nullable=False),
             sa.Column("created_at", sa.DateTime(timezone=True), nullable=False))
    sa.Table("labels", md,
             sa.Column("id", sa.Integer, primary_key=True),
             sa.Column("candidate_id", sa.String(64), nullable=False),
             sa.Column("user_id", sa.Integer, sa.ForeignKey("users.id"), nullable=False),
             sa.Column("cls", sa.Integer, nullable=False),
             sa.Column("subclass_code", sa.Integer, nullable=True),
             sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
             sa.UniqueConstraint("candidate_id", "user_id"))
    return md


def create_v1_schema(engine: Engine) -> None:
    """Create an empty version-1 database (for migration tests).

    Parameters
    ----------
    engine : sqlalchemy.engine.Engine
        An empty database.

    Examples
    --------
    >>> e = make_engine("sqlite://")
    >>> create_v1_schema(e)
    >>> current_version(e), init_db(e), current_version(e)   # init_db migrates it
    (1, 2, 2)
    """
    md = _v1_metadata()
    with engine.begin() as conn:
        md.create_all(conn)
        conn.execute(md.tables["schema_version"].insert().values(version=1, applied_at=utcnow()))
    _set_wal(engine)  # as a released version-1 file is: made through an engine that set WAL on connect


def _migrate_1_to_2(conn: sa.Connection) -> None:
    """v1 -> v2: admin flag; labels get dataset, text subclass, comment, times; history."""
    old = _v1_metadata().tables
    user_rows = conn.execute(sa.select(old["users"])).mappings().all()
    label_rows = conn.execute(sa.select(old["labels"])).mappings().all()
    # rebuild rather than ALTER: SQLite cannot change a column's type
    conn.execute(sa.text("DROP TABLE labels"))
    conn.execute(sa.text("DROP TABLE users"))
    for t in (users, sessions, labels, label_history):
        t.create(conn)
    if user_rows:
        conn.execute(users.insert(), [dict(r, is_admin=False) for r in user_rows])
    now = utcnow()
    for r in label_rows:
        code = r["subclass_code"]
        sub = f"4.{int(code)}" if code is not None and r["cls"] == 4 else None
        created = r["created_at"]
        values = dict(id=r["id"], dataset="", candidate_id=r["candidate_id"], user_id=r["user_id"],
                      cls=r["cls"], subclass=sub, comment="", created_at=created,
                      updated_at=created, revision=1)
        conn.execute(labels.insert().values(**values))
        conn.execute(label_history.insert().values(
            label_id=r["id"], dataset="", candidate_id=r["candidate_id"], user_id=r["user_id"],
            cls=r["cls"], subclass=sub, comment="", revision=1, changed_at=created or now,
            action="migrate"))
    _reset_sequences(conn)


def _reset_sequences(conn: sa.Connection) -> None:
    """After inserting explicit ids on PostgreSQL, move the id sequences past them."""
    if conn.dialect.name != "postgresql":
        return
    for t in (users, labels, label_history):
        conn.execute(sa.text(
            f"SELECT setval(pg_get_serial_sequence('{t.name}', 'id'), "
            f"COALESCE((SELECT MAX(id) FROM {t.name}), 0) + 1, false)"))


#: ``MIGRATIONS[v]`` upgrades a database from version ``v`` to ``v + 1``.
MIGRATIONS = {1: _migrate_1_to_2}


def current_version(engine: Engine) -> int | None:
    """The schema version of a database, or None when it has no ``schema_version`` table.

    Parameters
    ----------
    engine : sqlalchemy.engine.Engine
        The label database.

    Returns
    -------
    int or None

    Examples
    --------
    >>> e = make_engine("sqlite://")
    >>> current_version(e) is None, init_db(e) == current_version(e) == SCHEMA_VERSION
    (True, True)
    """
    insp = sa.inspect(engine)
    if not insp.has_table("schema_version"):
        return None
    with engine.connect() as conn:
        v = conn.execute(sa.select(sa.func.max(schema_version.c.version))).scalar()
    return int(v) if v is not None else None


def check_ours(engine: Engine) -> None:
    """Refuse a database with tables but no ``schema_version``: another program's, not one ``inspect`` made.

    Raises
    ------
    StarclassError
        Naming its tables and saying to use another ``--db``. A database with no tables, or ours,
        passes.

    Examples
    --------
    >>> eng = make_engine("sqlite://")
    >>> check_ours(eng)  # empty: passes
    >>> with eng.begin() as conn:
    ...     _ = conn.execute(sa.text("create table stars (x real)"))
    >>> try:
    ...     check_ours(eng)
    ... except StarclassError as exc:
    ...     print(str(exc)[:61])
    database sqlite:// has tables ['stars'] but no schema_version
    """
    if current_version(engine) is not None:
        return
    existing = {t for t in sa.inspect(engine).get_table_names() if not t.startswith("sqlite_")}
    if existing:
        raise StarclassError(
            f"database {redact(str(engine.url))} has tables {sorted(existing)} but no schema_version table: it was "
            "not made by starclass inspect; use another --db")


def check_version(engine: Engine, *, create: bool = True) -> int | None:
    """The database's schema version, refused as :func:`init_db` refuses it, without writing anything.

    ``inspect DATA_DIR`` checks its database with this before it reads the field, and upgrades it
    (:func:`init_db`) only once the field is checked against it: a refused command leaves the file
    as it was.

    Parameters
    ----------
    engine
        The label database.
    create
        Whether an empty database may get a new schema (``--init``).

    Returns
    -------
    int or None
        The version found (older ones included); None for an empty database that ``create`` allows.

    Raises
    ------
    StarclassError
        As :func:`init_db`: newer than this code, tables but no version, empty without ``create``.

    Examples
    --------
    >>> e = make_engine("sqlite://")
    >>> check_version(e) is None
    True
    >>> create_v1_schema(e)
    >>> check_version(e), current_version(e)  # found, not upgraded
    (1, 1)
    """
    version = current_version(engine)
    url = redact(str(engine.url))
    if version is None:
        # any table at all, not only ours by name: --init on another program's database (a
        # catalogue in SQLite, a typo'd --db) used to add the label tables to it
        check_ours(engine)
        if not create:
            raise StarclassError(
                f"database {url} has no tables; pass --init to create them")
        return None
    if version > SCHEMA_VERSION:
        raise StarclassError(
            f"database {url} has schema version {version}, newer than this starclass "
            f"({SCHEMA_VERSION}); upgrade starclass")
    return version


def init_db(engine: Engine, *, create: bool = True, check: Callable[[sa.Connection], None] | None = None) -> int:
    """Create the schema, or migrate an older one; returns the version (= SCHEMA_VERSION).

    Parameters
    ----------
    engine
        The label database.
    create
        Whether an empty database may get a new schema. The CLI passes its ``--init`` flag:
        an empty database where labels are expected (a file that was deleted and recreated
        empty, a new PostgreSQL database) is then an error rather than a fresh start.
    check
        Run on the database at :data:`SCHEMA_VERSION` before anything is committed: in the
        transaction that creates or upgrades it, so that a refusal it raises leaves the database
        as it was (``inspect`` checks the field and scheme served, :func:`check_binding`, so); on
        a current database, on a connection that writes nothing.

    Returns
    -------
    int
        The schema version, :data:`SCHEMA_VERSION`.

    Raises
    ------
    StarclassError
        The database is newer than this code, has tables but no version (not ours), or is
        empty and ``create`` is False; or ``check`` refused it.

    Examples
    --------
    >>> init_db(make_engine("sqlite://"))
    2
    >>> init_db(make_engine("sqlite://"), create=False)
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: database sqlite:// has no tables; pass --init to create them
    >>> e = make_engine("sqlite://")
    >>> create_v1_schema(e)
    >>> def refuse(conn):
    ...     raise StarclassError("not this field")
    >>> try:
    ...     init_db(e, check=refuse)
    ... except StarclassError as exc:
    ...     print(exc, current_version(e))  # the upgrade was undone with the refusal
    not this field 1
    """
    version = check_version(engine, create=create)
    if version == SCHEMA_VERSION:
        if check is not None:
            with engine.connect() as conn:
                check(conn)
    else:
        # one transaction for the new schema or every step of an upgrade, and the check: all or nothing
        with engine.begin() as conn:
            if version is None:
                metadata.create_all(conn)
                conn.execute(schema_version.insert().values(version=SCHEMA_VERSION, applied_at=utcnow()))
            else:
                for step in range(version, SCHEMA_VERSION):
                    MIGRATIONS[step](conn)
                    conn.execute(schema_version.insert().values(version=step + 1, applied_at=utcnow()))
            if check is not None:
                check(conn)
        if version is None:
            _set_wal(engine)  # a file that was empty: its connections left the journal mode alone
            return SCHEMA_VERSION
    _widen_candidate_ids(engine)
    return SCHEMA_VERSION


def _widen_candidate_ids(engine: Engine) -> None:
    """Widen ``candidate_id`` of a PostgreSQL database made with 64 characters to :data:`CANDIDATE_ID_CHARS`.

    Additive, as the tables added to version 2: a wider varchar is read and written alike by the code
    before, so no version changes. SQLite enforces no length and is left as it is. A role that may not
    alter the tables keeps the old width; :func:`save_label` then refuses a longer id by name.
    """
    if engine.dialect.name != "postgresql":
        return
    insp = sa.inspect(engine)
    narrow = [t for t in ("labels", "label_history") if insp.has_table(t)
              and any(c["name"] == "candidate_id" and (getattr(c["type"], "length", None) or CANDIDATE_ID_CHARS)
                      < CANDIDATE_ID_CHARS for c in insp.get_columns(t))]
    if not narrow:
        return
    try:
        with engine.begin() as conn:
            for t in narrow:  # widening a varchar rewrites no row in PostgreSQL
                conn.execute(sa.text(f"ALTER TABLE {t} ALTER COLUMN candidate_id TYPE VARCHAR({CANDIDATE_ID_CHARS})"))
    except sa.exc.DBAPIError:
        pass  # no ALTER permission: labels of ids up to the old width go on as before
    _WIDTHS.pop(str(engine.url), None)


#: Candidate-id width of each PostgreSQL database seen, by URL (read once: a column is widened only by init_db).
_WIDTHS: dict[str, int] = {}


def _stored_width(engine: Engine | sa.Connection) -> int:
    """The candidate-id width of this database: :data:`CANDIDATE_ID_CHARS`, or a PostgreSQL column left narrower."""
    if engine.dialect.name != "postgresql":
        return CANDIDATE_ID_CHARS
    key = str(engine.engine.url if isinstance(engine, sa.Connection) else engine.url)
    if key not in _WIDTHS:
        width = CANDIDATE_ID_CHARS
        for c in sa.inspect(engine).get_columns("labels"):
            if c["name"] == "candidate_id":
                width = int(getattr(c["type"], "length", None) or CANDIDATE_ID_CHARS)
        _WIDTHS[key] = width
    return _WIDTHS[key]


def check_keys(dataset: str, candidate_id: str | None = None, width: int = CANDIDATE_ID_CHARS) -> None:
    """Refuse a dataset key or candidate id longer than the label database holds (PostgreSQL: a DataError).

    Parameters
    ----------
    dataset
        The dataset key (``--dataset``); at most :data:`DATASET_CHARS` characters.
    candidate_id
        A candidate's id (a cutout folder's: the file's path); at most ``width`` characters.
    width
        The longest id the database holds (:data:`CANDIDATE_ID_CHARS`).

    Raises
    ------
    StarclassError
        Naming the value, its length and the limit (refused, never cut: two ids cut alike would be one).

    Examples
    --------
    >>> check_keys("m31", "cluster/a.png")
    >>> check_keys("x" * 300)
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: --dataset is 300 characters long; the label database holds at most 255
    """
    if len(dataset) > DATASET_CHARS:
        raise StarclassError(f"--dataset is {len(dataset)} characters long; the label database holds at most "
                             f"{DATASET_CHARS}")
    if candidate_id is not None and len(candidate_id) > width:
        raise StarclassError(f"candidate_id: {candidate_id[:40]}... is {len(candidate_id)} characters long; the "
                             f"label database holds ids of at most {width} (name the cutouts' files with shorter "
                             "paths, e.g. list them in a labels.csv beside them)")


# --------------------------------------------------------------------------------------------
# the database file while serving, and writability


@dataclass(frozen=True)
class FileIdentity:
    """Which file a SQLite database is: its path and the (device, inode) it had at start.

    Attributes
    ----------
    path : Path
        The database file.
    dev, ino : int
        Its device and inode when the server started: a file replaced under the same name
        (a restored backup) has another inode.

    Examples
    --------
    >>> import tempfile, os
    >>> e = make_engine(os.path.join(tempfile.mkdtemp(), "labels.sqlite"))
    >>> ident = file_identity(e)
    >>> ident.path.name, ident.ino == os.stat(ident.path).st_ino
    ('labels.sqlite', True)
    """

    path: Path
    dev: int
    ino: int


def file_identity(engine: Engine) -> FileIdentity | None:
    """Record the identity of the engine's SQLite file, to notice later if it is deleted or replaced.

    Open connections keep writing to a deleted file's inode, so without this check a server whose
    database was removed answers 200 to every label and the labels vanish with the last connection.

    Parameters
    ----------
    engine
        The label database.

    Returns
    -------
    FileIdentity or None
        None for PostgreSQL and in-memory databases (nothing on disk to watch).

    Examples
    --------
    >>> file_identity(make_engine("sqlite://")) is None
    True
    """
    path = sqlite_path(str(engine.url))
    if path is None:
        return None
    st = path.stat()
    return FileIdentity(path, st.st_dev, st.st_ino)


def check_identity(identity: FileIdentity | None) -> None:
    """Check that the database file is still the one recorded by :func:`file_identity` (one stat).

    Parameters
    ----------
    identity
        What :func:`file_identity` returned; None checks nothing.

    Raises
    ------
    StarclassError
        The file is gone, or another file (another inode) is at its path.

    Examples
    --------
    >>> import tempfile, os
    >>> path = os.path.join(tempfile.mkdtemp(), "labels.sqlite")
    >>> engine = make_engine(path)
    >>> init_db(engine)
    2
    >>> identity = file_identity(engine)
    >>> check_identity(identity)
    >>> os.remove(path)
    >>> check_identity(identity)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: the label database .../labels.sqlite was deleted while serving; ...
    """
    if identity is None:
        return
    try:
        st = os.stat(identity.path)
    except FileNotFoundError:
        what = "was deleted"
    else:
        if (st.st_dev, st.st_ino) == (identity.dev, identity.ino):
            return
        what = "was replaced by another file"
    raise StarclassError(
        f"the label database {identity.path} {what} while serving; labels are not saved. "
        "Stop the server, put the database back (or restore a backup) and start it again.")


def check_writable(engine: Engine) -> None:
    """Refuse a database that cannot be written, before anyone logs in to a server that cannot save.

    For SQLite the file and its folder must be writable (SQLite creates its ``-wal``, ``-shm``
    or ``-journal`` files beside the database). For every database a trivial write (a table
    created and dropped again by rolling the transaction back) must succeed, which also catches
    read-only mounts, read-only PostgreSQL roles and servers in recovery.

    Parameters
    ----------
    engine
        The label database.

    Raises
    ------
    StarclassError
        Naming what is read-only and what to do.

    Examples
    --------
    >>> check_writable(make_engine("sqlite://"))
    """
    path = sqlite_path(str(engine.url))
    if path is not None:
        # effective ids: what the server's own writes will be checked against
        if path.exists() and not os.access(path, os.W_OK, effective_ids=True):
            raise StarclassError(
                f"the label database {path} is read-only: logins and labels could not be saved; "
                "make it writable (chmod u+w) or use another --db")
        if not path.parent.is_dir():
            # os.access is False for a missing folder too: it was called read-only
            raise StarclassError(open_error_message(str(engine.url), FileNotFoundError(str(path.parent))))
        if not os.access(path.parent, os.W_OK | os.X_OK, effective_ids=True):
            raise StarclassError(
                f"the folder {path.parent} of the label database is read-only: SQLite needs to create "
                f"{path.name}-wal and {path.name}-shm (or -journal) beside it; make the folder writable "
                "or use another --db")
    try:
        with engine.connect() as conn:
            trans = conn.begin()
            try:
                conn.execute(sa.text("CREATE TABLE starclass_write_check (x INTEGER)"))
            finally:
                trans.rollback()
    except sa.exc.SQLAlchemyError as exc:
        reason = str(getattr(exc, "orig", exc)).strip().splitlines()[0]
        if "file is not a database" in reason:
            # a --db that is no SQLite file: named as --export and --backup name it, not as a permission
            # problem ('cannot be written (file is not a database) ... use a writable database')
            raise StarclassError(open_error_message(str(engine.url), exc)) from None
        if "database is locked" in reason:
            # writable, but another program held its write lock past the busy wait: "use a writable database"
            # sent whoever ran --add-user or the server after permissions that were fine
            raise StarclassError(
                f"the label database {redact(str(engine.url))} is locked by another program ({reason}), for longer "
                "than the 30 s starclass waits: nothing was changed; close what holds the lock (a sqlite3 shell or a "
                "database browser left in a transaction) and run this again") from None
        raise StarclassError(
            f"the label database {redact(str(engine.url))} cannot be written ({reason}): logins and "
            "labels could not be saved; use a writable database or --db") from None


# --------------------------------------------------------------------------------------------
# people


#: characters of a user name besides letters, digits and combining marks (of any script)
NAME_PUNCTUATION = "_.@-'"


def user_name(name: str) -> str:
    """A person's name as accounts store it and logins look it up, or an error saying why not.

    Letters, digits and combining marks of any script (``Björn Ødegård``, ``李明``), the
    punctuation ``_ . @ - '`` and single spaces between words, 1-64 characters. The name is put
    in Unicode normal form NFC, so that a name typed as ``o`` + a combining diaeresis (as some
    keyboards send it) is the account made as ``ö``; spaces around it are dropped.

    Parameters
    ----------
    name
        The name as typed (``--add-user``, ``--set-password``, the login form).

    Returns
    -------
    str
        The name in NFC, without spaces around it.

    Raises
    ------
    StarclassError
        Empty, over 64 characters, two spaces in a row, or a character other than those above
        (``/``, ``:``, a tab, a control character), named in the message.

    Examples
    --------
    >>> user_name("  Bjo\u0308rn Ødegård ") == "Björn Ødegård"
    True
    >>> user_name("李明")
    '李明'
    >>> user_name("ann/bob")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: user name 'ann/bob': '/' is not allowed; use 1-64 letters, ...
    """
    rule = "use 1-64 letters, digits, single spaces between words or _.@-'"
    name = unicodedata.normalize("NFC", name).strip()
    if not name or len(name) > 64:
        raise StarclassError(f"user name {name!r}: {rule}")
    if "  " in name:
        raise StarclassError(f"user name {name!r}: two spaces in a row; {rule}")
    for ch in name:
        # the categories, not str.isalnum: a combining mark (Devanagari vowel signs, a decomposed accent
        # left over) is part of a letter, and isalnum refuses it
        if ch == " " or ch in NAME_PUNCTUATION or unicodedata.category(ch)[0] in "LNM":
            continue
        raise StarclassError(f"user name {name!r}: {ch!r} is not allowed; {rule}")
    return name


def add_user(engine: Engine, name: str, password: str, *, admin: bool = False) -> int:
    """Create an account (argon2 hash of the password); returns its id.

    The name is checked and put in normal form by :func:`user_name` (letters of any script,
    single spaces between words); until 2026-12-05 only ASCII letters, digits and ``_.@-`` were
    taken, so ``Björn`` or ``Ann Lee`` had no account, refused with "use letters".

    Parameters
    ----------
    engine : sqlalchemy.engine.Engine
        The label database (:func:`make_engine`, :func:`init_db`).
    name, password : str
        The account's name and password (:func:`check_new_password` says what is refused).
    admin : bool
        Whether the account may see everyone's history and the agreement summary.

    Returns
    -------
    int
        The new account's id (the ``user_id`` of :func:`save_label`).

    Examples
    --------
    >>> e = make_engine("sqlite://")
    >>> _ = init_db(e)
    >>> add_user(e, "Björn", "a-long-password")
    1
    >>> [u["name"] for u in list_users(e)]
    ['Björn']
    """
    name = user_name(name)
    check_new_password(name, password)
    try:
        with engine.begin() as conn:
            res = conn.execute(users.insert().values(
                name=name, password_hash=hash_password(password), is_admin=admin, created_at=utcnow()))
            return int(res.inserted_primary_key[0])
    except IntegrityError as exc:
        raise StarclassError(f"user {name!r} exists already") from exc


def set_password(engine: Engine, name: str, password: str) -> None:
    """Change an account's password; its open sessions end (it logs in again).

    Parameters
    ----------
    engine : sqlalchemy.engine.Engine
        The label database.
    name, password : str
        The account and its new password; an unknown name is refused (:class:`StarclassError`).

    Examples
    --------
    >>> e = make_engine("sqlite://")
    >>> _ = init_db(e)
    >>> _ = add_user(e, "ann", "first-password")
    >>> set_password(e, "ann", "second-password")
    >>> set_password(e, "bob", "second-password")
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: no user 'bob'
    """
    name = unicodedata.normalize("NFC", name).strip()  # as add_user stored it
    check_new_password(name, password)
    with engine.begin() as conn:
        n = conn.execute(users.update().where(users.c.name == name)
                         .values(password_hash=hash_password(password))).rowcount
        if n:
            conn.execute(sessions.delete().where(
                sessions.c.user_id == sa.select(users.c.id).where(users.c.name == name).scalar_subquery()))
    if not n:
        raise StarclassError(f"no user {name!r}")


def list_users(engine: Engine) -> list[dict]:
    """Every account, in the order they were made.

    Parameters
    ----------
    engine : sqlalchemy.engine.Engine
        The label database.

    Returns
    -------
    list of dict
        ``id``, ``name``, ``is_admin`` and ``created_at`` of each account (no password hash).

    Examples
    --------
    >>> e = make_engine("sqlite://")
    >>> _ = init_db(e)
    >>> _ = add_user(e, "ann", "a-long-password", admin=True)
    >>> [(u["name"], u["is_admin"]) for u in list_users(e)]
    [('ann', True)]
    """
    with engine.connect() as conn:
        rows = conn.execute(sa.select(users.c.id, users.c.name, users.c.is_admin, users.c.created_at)
                            .order_by(users.c.id)).mappings().all()
    return [dict(r) for r in rows]


# --------------------------------------------------------------------------------------------
# labels


class ScoresComplete(StarclassError):
    """A new score of a candidate that already has all the scores its label scheme takes (``m31-check``: 2).

    Examples
    --------
    >>> e = make_engine("sqlite://")
    >>> _ = init_db(e)
    >>> ids = [add_user(e, n, n + "-password") for n in ("ann", "bob", "cy")]
    >>> for who in ids[:2]:
    ...     _ = save_label(e, "m31", "7", who, 2, scheme="m31-check")
    >>> try:
    ...     save_label(e, "m31", "7", ids[2], 1, scheme="m31-check")
    ... except ScoresComplete as exc:
    ...     print(str(exc)[:60])
    candidate 7: already has the 2 scores label scheme m31-check
    """


@dataclass(frozen=True)
class Label:
    """One person's current label of one candidate, as :func:`labels_of` reads it.

    Attributes
    ----------
    candidate_id, user : str
        The candidate and the person's account name.
    cls : int
        The class (or score) given.
    subclass : str or None
        PHANGS class 4's subclass (``"4.3"``), else None.
    comment : str
        The person's note ("" when none).
    updated_at : datetime.datetime
        When it was last changed (UTC).
    revision : int
        1 when first given, one more at every change.

    Examples
    --------
    >>> Label("17", "ann", 4, "4.3", "", utcnow(), 1).subclass
    '4.3'
    """

    candidate_id: str
    user: str
    cls: int
    subclass: str | None
    comment: str
    updated_at: _dt.datetime
    revision: int


def check_class(cls: object) -> int:
    """The class as an ``int``, refusing what is not an integer rather than coercing it.

    Parameters
    ----------
    cls
        The class as sent: ``1.9``, ``True`` or ``" 2 "`` would silently become 1, 1 and 2
        under ``int()``, so only integers are taken (the range is :func:`check_label`'s).

    Returns
    -------
    int
        The class.

    Raises
    ------
    StarclassError
        ``cls`` is not an integer.

    Examples
    --------
    >>> check_class(3)
    3
    >>> check_class(1.9)
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: class must be an integer (1, 2, 3 or 4), not 1.9
    """
    if isinstance(cls, bool) or not isinstance(cls, numbers.Integral):
        raise StarclassError(f"class must be an integer (1, 2, 3 or 4), not {cls!r}")
    return int(cls)


def check_comment(comment: object) -> str:
    """A label's comment as stored: text of at most :data:`MAX_COMMENT_LENGTH` characters.

    Parameters
    ----------
    comment
        The comment as sent (None for none).

    Returns
    -------
    str
        The comment ("" for None).

    Raises
    ------
    StarclassError
        Not text, longer than the limit (refused, not cut), or not encodable as UTF-8 (a
        lone surrogate, which JSON's ``\\ud800`` escapes can carry).

    Examples
    --------
    >>> check_comment("a pair"), check_comment(None)
    ('a pair', '')
    >>> check_comment("x" * 2001)
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: comment has 2001 characters; the limit is 2000
    """
    if comment is None:
        return ""
    if not isinstance(comment, str):
        raise StarclassError(f"comment must be text, not {type(comment).__name__}")
    if len(comment) > MAX_COMMENT_LENGTH:
        raise StarclassError(f"comment has {len(comment)} characters; the limit is {MAX_COMMENT_LENGTH}")
    try:
        comment.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise StarclassError(
            f"comment is not valid text: a lone surrogate at character {exc.start}") from None
    return comment


def check_label(cls: int, subclass: str | None, scheme: LabelScheme | str = PHANGS) -> str | None:
    """Validate a label against its scheme; returns the subclass normalised (None if none).

    Parameters
    ----------
    cls
        The value (class or score).
    subclass
        PHANGS class 4 only: ``"4.1"``..``"4.12"`` as text (a number would lose the 0 of
        ``4.10``); None or "" for none.
    scheme
        The label scheme (:mod:`starclass.inspect.schemes`); default PHANGS.

    Returns
    -------
    str or None
        The subclass.

    Raises
    ------
    StarclassError
        A value outside the scheme, or a subclass where the scheme or class has none; the
        message starts with the field at fault (``cls:`` or ``subclass:``) and names the values
        allowed.

    Examples
    --------
    >>> check_label(4, "4.10"), check_label(0, None, "m31-check")
    ('4.10', None)
    >>> check_label(3, None, "m31-check")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: cls: 3 is not a value of label scheme m31-check; ...
    """
    scheme = get_scheme(scheme)
    cls = scheme.check(cls)  # refuses non-integers too, naming the scheme's values
    if subclass in (None, ""):
        return None
    if scheme.subclass_of is None:
        raise StarclassError(f"subclass: label scheme {scheme.name} has no subclasses; send none, not {subclass!r}")
    if not isinstance(subclass, str):
        # a JSON number 4.10 arrives as 4.1: taken, it would be another subclass
        raise StarclassError(f"subclass: must be text, one of {', '.join(SUBCLASSES)}, not {subclass!r}")
    sub = subclass.strip()
    if sub not in SUBCLASSES:
        raise StarclassError(f"subclass: must be one of {', '.join(SUBCLASSES)}, not {subclass!r}")
    if cls != scheme.subclass_of:
        raise StarclassError(f"subclass: {sub} belongs to class {scheme.subclass_of}, not class {cls}; send none "
                             f"for class {cls}")
    return sub


def _read_task_names(conn: sa.Connection) -> None:
    """Learn the whole task names the database records (``label_scheme_tasks``) into :data:`TASK_NAMES`.

    Read only (a database made before the table has none): :func:`~starclass.inspect.schemes.task_of`
    then names a task whose scheme name was cut by its whole name.
    """
    if sa.inspect(conn).has_table("label_scheme_tasks"):
        for scheme, task in conn.execute(sa.select(label_scheme_tasks.c.scheme, label_scheme_tasks.c.task)):
            TASK_NAMES[str(scheme).lower()] = str(task)


def _record_task_name(conn: sa.Connection, name: str) -> None:
    """Record the whole name of the task of scheme ``name`` (known to this process) if not yet recorded."""
    task = TASK_NAMES.get(name.lower())
    if not name.lower().startswith(TASK_SCHEME_PREFIX) or task is None:
        return
    label_scheme_tasks.create(conn, checkfirst=True)
    if conn.execute(sa.select(label_scheme_tasks.c.scheme).where(label_scheme_tasks.c.scheme == name)).first() is None:
        conn.execute(label_scheme_tasks.insert().values(scheme=name, task=task, recorded_at=utcnow()))


def _record_task_config(conn: sa.Connection, dataset: str, scheme: LabelScheme) -> None:
    """Record the task a dataset's task scheme was made from, if the scheme knows it and none is recorded yet.

    The first one stays: the classes are checked apart (:func:`_classes_conflict`), and a task file edited
    later (its recipe) does not change the labels given.
    """
    if not scheme.task_config:
        return
    label_task_configs.create(conn, checkfirst=True)
    if conn.execute(sa.select(label_task_configs.c.dataset)
                    .where(label_task_configs.c.dataset == dataset)).first() is None:
        conn.execute(label_task_configs.insert().values(dataset=dataset, scheme=scheme.name,
                                                        config=scheme.task_config, recorded_at=utcnow()))


def dataset_task_config(engine: Engine | sa.Connection, dataset: str) -> dict | None:
    """The task (its config as a dict, ``TaskConfig.to_dict``) a dataset's labels were given in, if recorded.

    Read only: a database made before the table (or a dataset in a named scheme) gives None, and
    the table is not made.

    Parameters
    ----------
    engine
        The label database, or a connection to it.
    dataset
        The dataset key (``--dataset``).

    Returns
    -------
    dict or None
        The recorded config, for :meth:`starclass.learn.config.TaskConfig.from_dict`; None when
        none is recorded for the dataset's scheme.

    Examples
    --------
    >>> from starclass.inspect.schemes import task_scheme
    >>> from starclass.learn.config import get_preset
    >>> engine = make_engine("sqlite://")
    >>> _ = init_db(engine)
    >>> dataset_task_config(engine, "") is None
    True
    >>> bind_scheme(engine, "", task_scheme(get_preset("m31-real")))
    'task:m31-real'
    >>> dataset_task_config(engine, "")["label_map"]
    {'cluster': 1, 'extended_cluster': 1, 'galaxy': 2}
    """
    with _connected(engine) as conn:
        if not sa.inspect(conn).has_table("label_task_configs"):
            return None
        row = conn.execute(sa.select(label_task_configs.c.scheme, label_task_configs.c.config)
                           .where(label_task_configs.c.dataset == dataset)).first()
        if row is None or dataset_scheme(conn, dataset) != row.scheme:
            return None  # no config, or one of a scheme the dataset is no longer in
        try:
            config = json.loads(row.config)
        except ValueError:
            return None  # written by hand or cut short: the task is asked for, as before the table
        return config if isinstance(config, dict) else None


def dataset_scheme(engine: Engine | sa.Connection, dataset: str) -> str | None:
    """The label scheme a dataset's labels are in, or None when it is free to choose.

    The recorded one (:func:`bind_scheme`); else ``phangs`` when the dataset has labels (made
    before schemes were recorded: 1-4 was then the only scheme); else None.

    Examples
    --------
    >>> engine = make_engine("sqlite://")
    >>> init_db(engine)
    2
    >>> dataset_scheme(engine, "") is None
    True
    >>> bind_scheme(engine, "", "m31-check")
    'm31-check'
    >>> dataset_scheme(engine, "")
    'm31-check'
    """
    def read(conn: sa.Connection) -> str | None:
        # the table is additive: a database made before it has none, and reading must not write
        if sa.inspect(conn).has_table("label_schemes"):
            name = conn.execute(sa.select(label_schemes.c.scheme)
                                .where(label_schemes.c.dataset == dataset)).scalar()
            if name is not None:
                _read_task_names(conn)  # a task's whole name, where the scheme's is cut
                return str(name)
        any_label = conn.execute(sa.select(labels.c.id).where(labels.c.dataset == dataset).limit(1)).first()
        return DEFAULT_SCHEME if any_label is not None else None

    if isinstance(engine, sa.Connection):
        return read(engine)
    with engine.connect() as conn:
        return read(conn)


def dataset_schemes(engine: Engine) -> dict[str, str]:
    """Every dataset's recorded label scheme (``label_schemes``), by dataset key; empty without the table.

    Examples
    --------
    >>> engine = make_engine("sqlite://")
    >>> init_db(engine)
    2
    >>> bind_scheme(engine, "m31", "m31-check")
    'm31-check'
    >>> dataset_schemes(engine)
    {'m31': 'm31-check'}
    """
    with engine.connect() as conn:
        if not sa.inspect(conn).has_table("label_schemes"):
            return {}
        _read_task_names(conn)
        return {str(d): str(s) for d, s in conn.execute(sa.select(label_schemes.c.dataset, label_schemes.c.scheme))}


def scheme_conflict(dataset: str, have: str, asked: str) -> str:
    """The message refusing labels in scheme ``asked`` for a dataset whose labels are in ``have``.

    It names the dataset (the default one, key ``''``, in words) and the two ways on: the option
    that serves the labels as they were given, or another ``--dataset``/``--db``.

    Examples
    --------
    >>> print(scheme_conflict("", "task:m31-real", "task:m31-real-2ep"))  # doctest: +NORMALIZE_WHITESPACE
    the labels of this database (default dataset) are in label scheme task:m31-real, not
    task:m31-real-2ep: give --task m31-real (its task file or model folder if it is no preset) to
    use them, or another --dataset (or --db) for the new scheme, so that no label changes meaning
    """
    # "dataset ''" was all it said of the default dataset, with no word of the option that fits
    which = f"dataset {dataset!r}" if dataset else "this database (default dataset)"
    return (f"the labels of {which} are in label scheme {have}, not {asked}: give {option_for(have)} to use "
            "them, or another --dataset (or --db) for the new scheme, so that no label changes meaning")


def _classes_conflict(conn: sa.Connection, dataset: str, scheme: LabelScheme) -> str | None:
    """Why ``scheme``'s classes are not those the dataset's labels were given in; None when they are.

    Only task schemes record classes; a dataset without a recorded row (none yet, or bound before
    the table) has nothing to differ from.
    """
    if not scheme.classes or not sa.inspect(conn).has_table("label_scheme_classes"):
        return None
    had = conn.execute(sa.select(label_scheme_classes.c.classes)
                       .where(label_scheme_classes.c.dataset == dataset)).scalar()
    if had is None or had == scheme.classes:
        return None
    which = f"dataset {dataset!r}" if dataset else "this database (default dataset)"
    return (f"the labels of {which} were given in the classes {had} of label scheme {scheme.name}; the task given "
            f"now has that name but the classes {scheme.classes}, so labels of the two would mix and change "
            "meaning: give the task file the labels were given with, or another --dataset (or --db) for the new "
            "classes")


def check_scheme_classes(engine: Engine | sa.Connection, dataset: str, scheme: LabelScheme | str) -> None:
    """Refuse a task scheme whose classes are not those the dataset's labels were given in (nothing written).

    Parameters
    ----------
    engine
        The label database (read only).
    dataset
        The dataset key (``--dataset``).
    scheme
        The scheme asked for; a named scheme (no recorded classes) always passes.

    Raises
    ------
    StarclassError
        The dataset's labels were given in a task scheme of the same name and other classes.

    Examples
    --------
    >>> from starclass.inspect.schemes import LabelScheme, LabelValue
    >>> engine = make_engine("sqlite://")
    >>> init_db(engine)
    2
    >>> two = (LabelValue(1, "1", "cluster"), LabelValue(2, "2", "galaxy"))
    >>> a = LabelScheme("task:mine", "", two, classes="1 = cluster, 2 = galaxy")
    >>> bind_scheme(engine, "", a)
    'task:mine'
    >>> try:
    ...     check_scheme_classes(engine, "", LabelScheme("task:mine", "", two[::-1], classes="1 = galaxy, 2 = cluster"))
    ... except StarclassError as exc:
    ...     print(str(exc)[:77])
    the labels of this database (default dataset) were given in the classes 1 = c
    """
    scheme = get_scheme(scheme)
    if isinstance(engine, sa.Connection):
        why = _classes_conflict(engine, dataset, scheme)
    else:
        with engine.connect() as conn:
            why = _classes_conflict(conn, dataset, scheme)
    if why:
        raise StarclassError(why)


def bind_scheme(engine: Engine, dataset: str, scheme: LabelScheme | str) -> str:
    """Record that a dataset's labels are in ``scheme``; refuse if they are in another one.

    Parameters
    ----------
    engine
        The label database (written: the ``label_schemes`` table is created if missing).
    dataset
        The dataset key (``--dataset``).
    scheme
        The scheme asked for.

    Returns
    -------
    str
        The scheme's name.

    Raises
    ------
    StarclassError
        The dataset's labels are in another scheme: mixing them would change their meaning
        (a PHANGS 2 is not an M31 score 2), so another ``--dataset`` (or ``--db``) is needed.

    Examples
    --------
    >>> e = make_engine("sqlite://")
    >>> _ = init_db(e)
    >>> bind_scheme(e, "m31", "m31-check"), dataset_scheme(e, "m31")
    ('m31-check', 'm31-check')
    >>> try:
    ...     bind_scheme(e, "m31", "phangs")
    ... except StarclassError as exc:
    ...     print(str(exc)[:69])
    the labels of dataset 'm31' are in label scheme m31-check, not phangs
    """
    scheme = get_scheme(scheme)
    name = scheme.name
    why = None
    for attempt in range(3):
        try:
            with engine.begin() as conn:
                label_schemes.create(conn, checkfirst=True)
                have = conn.execute(sa.select(label_schemes.c.scheme)
                                    .where(label_schemes.c.dataset == dataset)).scalar()
                if have is None:
                    have = dataset_scheme(conn, dataset)  # labels made before the table: phangs
                    if have is None or have == name:
                        conn.execute(label_schemes.insert().values(dataset=dataset, scheme=name,
                                                                   chosen_at=utcnow()))
                        have = name
                if have == name and scheme.classes:
                    # the name alone took a task file whose classes changed under it (1 = cluster, then
                    # 1 = galaxy) as the same scheme: the labels of both were mixed and exported alike
                    label_scheme_classes.create(conn, checkfirst=True)
                    why = _classes_conflict(conn, dataset, scheme)
                    if why is None and conn.execute(
                            sa.select(label_scheme_classes.c.dataset)
                            .where(label_scheme_classes.c.dataset == dataset)).first() is None:
                        # the first time (or a dataset bound before the table): what it is recorded now
                        conn.execute(label_scheme_classes.insert().values(
                            dataset=dataset, scheme=name, classes=scheme.classes, recorded_at=utcnow()))
                if have != name:
                    _read_task_names(conn)  # the refusal names the recorded task whole
                if have == name:
                    # the task's whole name: a scheme name holds 32 characters, and a longer task read back
                    # from it was "mytask-pandas-round2-... (a longer name)"
                    _record_task_name(conn, name)
                    _record_task_config(conn, dataset, scheme)
            break
        except (IntegrityError, sa.exc.ProgrammingError):
            # another server created the table or bound the dataset meanwhile: read again
            if attempt == 2:
                raise
    if have != name:
        raise StarclassError(scheme_conflict(dataset, have, name))
    if why:
        raise StarclassError(why)
    return name


#: The first key of the PostgreSQL advisory locks :func:`save_label` takes on a candidate (the second is a hash of
#: its dataset and id), apart from other programs' advisory locks on the same server.
CANDIDATE_LOCK_SPACE = 0x5C1A55


def save_label(engine: Engine, dataset: str, candidate_id: str, user_id: int, cls: int,
               subclass: str | None = None, comment: str = "", *,
               scheme: LabelScheme | str | None = None) -> dict:
    """Create or change the label of one person for one candidate; the old version stays in ``label_history``.

    ``scheme`` (default: the dataset's, :func:`dataset_scheme`, else ``phangs``) decides which
    values are allowed; a scheme other than the dataset's is refused, and one that is not the
    default is recorded (:func:`bind_scheme`) before the first label, so that the labels are
    always read in the scheme they were given in.

    A scheme that takes a fixed number of people (``n_inspectors``: ``m31-check``'s two) refuses a
    new label of a candidate that many others have labelled (:class:`ScoresComplete`); those people
    may still change theirs. A third score made the sum incomplete (``class_ref`` 0, ``score_sum``
    6 outside 0-4) and took a decided cluster out of the export. The count is race-free: SQLite
    serialises writers, and on PostgreSQL a new label of such a scheme first takes a transaction's
    advisory lock on the candidate, so people giving its first scores at the same instant are
    counted one after the other.

    Parameters
    ----------
    engine : sqlalchemy.engine.Engine
        The label database.
    dataset, candidate_id : str
        The dataset's key ("" for one field) and the candidate's id.
    user_id : int
        The person (:func:`add_user`'s id).
    cls : int
        The class (or score) of ``scheme``.
    subclass : str, optional
        PHANGS class 4's subclass, e.g. ``"4.3"`` (:func:`check_label`).
    comment : str
        A note (:func:`check_comment` bounds it).
    scheme : LabelScheme or str, optional
        The label scheme (default: the dataset's, else ``phangs``).

    Returns
    -------
    dict
        The stored label: ``candidate_id``, ``cls``, ``subclass``, ``comment``, ``revision``
        (1 for a new label) and ``updated_at`` (ISO 8601).

    Examples
    --------
    >>> e = make_engine("sqlite://")
    >>> _ = init_db(e)
    >>> ann = add_user(e, "ann", "a-long-password")
    >>> save_label(e, "", "17", ann, 2)["revision"]
    1
    >>> saved = save_label(e, "", "17", ann, 4, "4.3", "a pair of stars")
    >>> saved["cls"], saved["subclass"], saved["revision"]
    (4, '4.3', 2)
    """
    # PostgreSQL refused a longer one with a DataError (a 500 on the page); SQLite stored it
    check_keys(dataset, candidate_id, _stored_width(engine))
    have = dataset_scheme(engine, dataset)
    use = get_scheme(scheme if scheme is not None else (have or DEFAULT_SCHEME))
    if have != use.name and (have is not None or use.name != DEFAULT_SCHEME):
        bind_scheme(engine, dataset, use)  # refuses a scheme other than the dataset's
    sub = check_label(cls, subclass, use)
    cls = int(cls)
    comment = check_comment(comment or "")
    for attempt in range(5):
        try:
            with engine.begin() as conn:
                # again inside the write transaction: another server may have bound the dataset
                # to another scheme since the check above (SQLite serialises these transactions)
                now_in = dataset_scheme(conn, dataset)
                if now_in is not None and now_in != use.name:
                    raise StarclassError(f"{scheme_conflict(dataset, now_in, use.name)}; the label was not saved")
                if why := _classes_conflict(conn, dataset, use):  # a task file of the same name, other classes
                    raise StarclassError(f"{why}; the label was not saved")
                now = utcnow()
                q = sa.select(labels).where(labels.c.dataset == dataset,
                                            labels.c.candidate_id == candidate_id,
                                            labels.c.user_id == user_id)
                if conn.dialect.name == "postgresql":
                    q = q.with_for_update()
                row = conn.execute(q).mappings().first()
                if row is None and use.n_inspectors:
                    others = sa.select(labels.c.id).where(labels.c.dataset == dataset,
                                                          labels.c.candidate_id == candidate_id)
                    if conn.dialect.name == "postgresql":
                        # the candidate locked until this transaction ends, then the others' rows: locking only
                        # the rows there are let three people giving a candidate's first scores at once each
                        # count none, and all three were saved (SQLite's BEGIN IMMEDIATE serialises writers)
                        conn.execute(sa.text("SELECT pg_advisory_xact_lock(:space, hashtext(:key))"),
                                     {"space": CANDIDATE_LOCK_SPACE, "key": f"{dataset}\x1f{candidate_id}"})
                        conn.execute(others.with_for_update()).all()
                    n = conn.execute(sa.select(sa.func.count()).select_from(others.subquery())).scalar_one()
                    if n >= use.n_inspectors:
                        raise ScoresComplete(
                            f"candidate {candidate_id}: already has the {use.n_inspectors} scores label scheme "
                            f"{use.name} takes, from other inspectors; another would leave its sum incomplete "
                            "(class_ref 0): the score was not saved")
                if row is None:
                    label_id = conn.execute(labels.insert().values(
                        dataset=dataset, candidate_id=candidate_id, user_id=user_id, cls=int(cls),
                        subclass=sub, comment=comment, created_at=now, updated_at=now, revision=1,
                    )).inserted_primary_key[0]
                    revision, action = 1, "create"
                else:
                    label_id, revision, action = row["id"], row["revision"] + 1, "update"
                    conn.execute(labels.update().where(labels.c.id == label_id).values(
                        cls=int(cls), subclass=sub, comment=comment, updated_at=now, revision=revision))
                conn.execute(label_history.insert().values(
                    label_id=label_id, dataset=dataset, candidate_id=candidate_id, user_id=user_id,
                    cls=int(cls), subclass=sub, comment=comment, revision=revision, changed_at=now,
                    action=action))
            return {"candidate_id": candidate_id, "cls": int(cls), "subclass": sub, "comment": comment,
                    "revision": revision, "updated_at": now.isoformat()}
        except IntegrityError:
            if attempt == 4:
                raise
    raise AssertionError("unreachable")


def labels_of(engine: Engine, dataset: str, *, user_id: int | None = None,
              candidate_ids: Iterable[str] | None = None) -> list[Label]:
    """Current labels (one per person and candidate), optionally of one person or of some candidates.

    Parameters
    ----------
    engine : sqlalchemy.engine.Engine
        The label database.
    dataset : str
        The dataset's key.
    user_id : int, optional
        Only this person's labels.
    candidate_ids : iterable of str, optional
        Only these candidates' labels.

    Returns
    -------
    list of Label
        In the order they were first given.

    Examples
    --------
    >>> e = make_engine("sqlite://")
    >>> _ = init_db(e)
    >>> ann, bob = add_user(e, "ann", "a-long-password"), add_user(e, "bob", "a-long-password")
    >>> _ = save_label(e, "", "17", ann, 1)
    >>> _ = save_label(e, "", "17", bob, 2)
    >>> [(lab.user, lab.cls) for lab in labels_of(e, "")]
    [('ann', 1), ('bob', 2)]
    >>> [lab.user for lab in labels_of(e, "", user_id=bob)]
    ['bob']
    """
    q = (sa.select(labels.c.candidate_id, users.c.name, labels.c.cls, labels.c.subclass,
                   labels.c.comment, labels.c.updated_at, labels.c.revision)
         .join(users, users.c.id == labels.c.user_id)
         .where(labels.c.dataset == dataset).order_by(labels.c.id))
    if user_id is not None:
        q = q.where(labels.c.user_id == user_id)
    if candidate_ids is not None:
        q = q.where(labels.c.candidate_id.in_(list(candidate_ids)))
    with engine.connect() as conn:
        rows = conn.execute(q).all()
    return [Label(str(r[0]), r[1], int(r[2]), r[3], r[4] or "", r[5], int(r[6])) for r in rows]


def queue_progress(engine: Engine, dataset: str, user_id: int, needed: int | None = None) -> tuple[set[str], set[str]]:
    """The candidates one person has labelled, and those the others have finished.

    Parameters
    ----------
    engine, dataset
        The label database and the dataset's key.
    user_id
        The person.
    needed
        How many people label a candidate under the label scheme (``m31-check``: 2 inspectors, its
        ``n_inspectors``); None where any number may (class schemes: every vote counts in the mode).

    Returns
    -------
    mine : set of str
        Ids this person has labelled.
    done : set of str
        Ids this person has not labelled that ``needed`` others have (empty when ``needed`` is None):
        another score would only make the candidate's sum incomplete.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> e = make_engine(f"sqlite:///{pathlib.Path(tempfile.mkdtemp()) / 'l.sqlite'}")
    >>> _ = init_db(e)
    >>> ann, bob, cy = (add_user(e, n, n + "-password") for n in ("ann", "bob", "cy"))
    >>> for who in (ann, bob):
    ...     _ = save_label(e, "", "5", who, 2, scheme="m31-check")
    >>> _ = save_label(e, "", "6", ann, 1, scheme="m31-check")
    >>> [sorted(ids) for ids in queue_progress(e, "", cy, needed=2)]   # five is done: two scores
    [[], ['5']]
    >>> [sorted(ids) for ids in queue_progress(e, "", ann, needed=2)]
    [['5', '6'], []]
    """
    with engine.connect() as conn:
        mine = {str(r[0]) for r in conn.execute(
            sa.select(labels.c.candidate_id).where(labels.c.dataset == dataset, labels.c.user_id == user_id))}
        done: set[str] = set()
        if needed:
            # counted in the database (one row per candidate), not by loading every label at every poll
            q = (sa.select(labels.c.candidate_id).where(labels.c.dataset == dataset)
                 .group_by(labels.c.candidate_id).having(sa.func.count() >= int(needed)))
            done = {str(r[0]) for r in conn.execute(q)} - mine
    return mine, done


def history_of(engine: Engine, dataset: str, candidate_id: str) -> list[dict]:
    """Every version of every label of one candidate, oldest first.

    Parameters
    ----------
    engine : sqlalchemy.engine.Engine
        The label database.
    dataset, candidate_id : str
        The dataset's key and the candidate.

    Returns
    -------
    list of dict
        ``user``, ``cls``, ``subclass``, ``comment``, ``revision``, ``changed_at`` and ``action``
        (``create`` or ``update``) of each version.

    Examples
    --------
    >>> e = make_engine("sqlite://")
    >>> _ = init_db(e)
    >>> ann = add_user(e, "ann", "a-long-password")
    >>> _ = save_label(e, "", "17", ann, 2)
    >>> _ = save_label(e, "", "17", ann, 1)
    >>> [(h["cls"], h["action"]) for h in history_of(e, "", "17")]
    [(2, 'create'), (1, 'update')]
    """
    q = (sa.select(users.c.name.label("user"), label_history.c.cls, label_history.c.subclass,
                   label_history.c.comment, label_history.c.revision, label_history.c.changed_at,
                   label_history.c.action)
         .join(users, users.c.id == label_history.c.user_id)
         .where(label_history.c.dataset == dataset, label_history.c.candidate_id == candidate_id)
         .order_by(label_history.c.id))
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(q).mappings().all()]


def _field_refusal(dataset: str, have: str, key: str) -> StarclassError:
    return StarclassError(
        f"dataset {dataset!r} of this database holds the labels of another field (mosaics {have}), not of "
        f"this one (mosaics {key}): candidates with the same id would share labels. Give this field its own "
        "--dataset NAME (or its own --db); the other field's labels stay as they are.")


def dataset_field(engine: Engine | sa.Connection, dataset: str) -> str | None:
    """The field a dataset's labels belong to (:func:`bind_field`), or None when none is recorded.

    Examples
    --------
    >>> engine = make_engine("sqlite://")
    >>> init_db(engine)
    2
    >>> dataset_field(engine, "") is None
    True
    """
    def read(conn: sa.Connection) -> str | None:
        # the table is additive: reading must not create it (--export works on a read-only copy)
        if not sa.inspect(conn).has_table("dataset_fields"):
            return None
        have = conn.execute(sa.select(dataset_fields.c.field).where(dataset_fields.c.dataset == dataset)).scalar()
        return None if have is None else str(have)

    if isinstance(engine, sa.Connection):
        return read(engine)
    with engine.connect() as conn:
        return read(conn)


@contextlib.contextmanager
def _connected(engine: Engine | sa.Connection) -> Iterator[sa.Connection]:
    """A connection of ``engine``, or ``engine`` itself when it is one (a transaction the caller holds)."""
    if isinstance(engine, sa.Connection):
        yield engine
    else:
        with engine.connect() as conn:
            yield conn


def check_field(engine: Engine | sa.Connection, dataset: str, key: str) -> None:
    """Refuse ``key`` when the dataset's labels belong to another field (reads only).

    Raises
    ------
    StarclassError
        Another field is recorded for ``dataset``.

    Examples
    --------
    >>> engine = make_engine("sqlite://")
    >>> init_db(engine)
    2
    >>> bind_field(engine, "", "a_f555w.fits")
    >>> try:
    ...     check_field(engine, "", "b_f555w.fits")
    ... except StarclassError as exc:
    ...     print(str(exc).split(" (")[0])
    dataset '' of this database holds the labels of another field
    """
    have = dataset_field(engine, dataset)
    if key and have is not None and have != key:
        raise _field_refusal(dataset, have, key)


def bind_field(engine: Engine, dataset: str, key: str) -> None:
    """Record that a dataset's labels belong to field ``key``; refuse another field.

    Parameters
    ----------
    engine
        The label database (written: the ``dataset_fields`` table is created if missing).
    dataset
        The dataset key (``--dataset``).
    key
        The field's key (:func:`starclass.inspect.field.mosaic_key`); empty: nothing checked.

    Raises
    ------
    StarclassError
        Another field is recorded for the dataset: its candidate ids (``1``, ``2``, ...) would
        take that field's labels as their own, and labels given here would overwrite them.

    Examples
    --------
    >>> engine = make_engine("sqlite://")
    >>> init_db(engine)
    2
    >>> bind_field(engine, "", "a_f555w.fits")
    >>> dataset_field(engine, "")
    'a_f555w.fits'
    """
    if not key:
        return
    for attempt in range(3):
        try:
            with engine.begin() as conn:
                dataset_fields.create(conn, checkfirst=True)
                have = dataset_field(conn, dataset)
                if have is None:
                    conn.execute(dataset_fields.insert().values(dataset=dataset, field=key, bound_at=utcnow()))
                    have = key
            break
        except (IntegrityError, sa.exc.ProgrammingError):
            # another server created the table or bound the dataset meanwhile: read again
            if attempt == 2:
                raise
    if have != key:
        raise _field_refusal(dataset, have, key)


def check_binding(engine: Engine | sa.Connection, dataset: str, key: str, scheme: LabelScheme | str | None) -> None:
    """Refuse a field or label scheme the dataset's labels are not in, as serving would (reads only).

    The refusals of :func:`bind_field` and :func:`bind_scheme`, in their order (the field first:
    another field is refused whatever its scheme), without writing. ``inspect DATA_DIR --task
    m31-binary`` on a database whose labels are in ``phangs`` printed "no accounts yet" and
    "labels in ..." on stdout, then the server's :func:`~starclass.inspect.app.create_app` refused
    it; the command calls this before those lines, and before the web app is imported.

    Parameters
    ----------
    engine
        The label database (read only: a refusal leaves it as it was), or a connection to it (the
        transaction of :func:`init_db`'s upgrade, which a refusal rolls back).
    dataset
        The dataset key (``--dataset``).
    key
        The field's key (:func:`starclass.inspect.field.mosaic_key`); empty: the field is not checked.
    scheme
        The scheme asked for; None: the dataset's own, so nothing to refuse.

    Raises
    ------
    StarclassError
        Another field is recorded for the dataset, its labels are in another scheme, or in a task
        scheme of the same name with other classes.

    Examples
    --------
    >>> engine = make_engine("sqlite://")
    >>> init_db(engine)
    2
    >>> bind_scheme(engine, "", "phangs")
    'phangs'
    >>> check_binding(engine, "", "", "phangs")
    >>> try:
    ...     check_binding(engine, "", "", "m31-check")
    ... except StarclassError as exc:
    ...     print(str(exc)[:80])
    the labels of this database (default dataset) are in label scheme phangs, not m3
    """
    check_field(engine, dataset, key)
    if scheme is None:
        return
    scheme = get_scheme(scheme)
    with _connected(engine) as conn:
        # what bind_scheme finds: the recorded scheme, else phangs for labels made before the table
        have = dataset_scheme(conn, dataset)
        if have is not None and have != scheme.name:
            _read_task_names(conn)  # the refusal names the recorded task whole, as bind_scheme's does
            raise StarclassError(scheme_conflict(dataset, have, scheme.name))
        if have is not None:
            check_scheme_classes(conn, dataset, scheme)
