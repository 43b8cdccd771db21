"""Backups of the label database: ``starclass inspect DATA_DIR --backup FILE``.

SQLite is copied with its online backup API (:meth:`sqlite3.Connection.backup`), which gives a
consistent snapshot even while the server writes, into a temporary file beside ``FILE``
(:func:`starclass.io.atomic.atomic_path`) that is renamed into place only when complete: a crash
leaves the old ``FILE`` or none, never half a copy, and the temporary a ``kill -9`` leaves is named
by the next backup to ``FILE``. PostgreSQL has its own tools; :func:`postgres_commands` says which to run.

Restoring is a copy: stop the server, copy the backup to the ``--db`` path, start it again
(docs/inspect.md, "Backup and restore").
"""

from __future__ import annotations

import os
import shlex
import sqlite3
from pathlib import Path

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from starclass.errors import OutputExistsError, StarclassError, exists_refusal
from starclass.inspect.db import sqlite_path
from starclass.io.atomic import atomic_path
from starclass.io.paths import resolved


def backup_sqlite(engine: Engine, dest: str | os.PathLike, *, overwrite: bool = False) -> Path:
    """Write a consistent copy of a SQLite label database to ``dest``, atomically.

    Parameters
    ----------
    engine
        The label database (SQLite, a file).
    dest
        The backup file. Its folder must exist.
    overwrite
        Replace an existing ``dest``; without it an existing file is refused.

    Returns
    -------
    pathlib.Path
        ``dest``. It is readable by its owner only (0600): it holds the password hashes.

    Raises
    ------
    StarclassError
        Not a SQLite file database, ``dest`` exists (without ``overwrite``), is the database
        itself, or cannot be written.

    Examples
    --------
    >>> import tempfile, os
    >>> from starclass.inspect import db
    >>> folder = tempfile.mkdtemp()
    >>> engine = db.make_engine(os.path.join(folder, "labels.sqlite"))
    >>> db.init_db(engine)
    2
    >>> backup_sqlite(engine, os.path.join(folder, "backup.sqlite")).name
    'backup.sqlite'
    """
    src = sqlite_path(str(engine.url))
    if src is None:
        raise StarclassError(f"--backup copies a SQLite file; {engine.url.render_as_string()} is not one")
    dest = Path(dest).absolute()
    # resolved, not Path.resolve: a loop of links given as --backup was a RuntimeError traceback
    if resolved(dest) == resolved(src):
        raise StarclassError(f"--backup {dest} is the database itself; name another file")
    # a link counts as there even where it leads nowhere (a loop, a missing target): the backup's rename
    # would replace it, as io.paths.check_output refuses for every other output
    if (dest.exists() or dest.is_symlink()) and not overwrite:
        # a notebook's call has overwrite=True, not the --overwrite it was told of; inspect --backup says that one
        raise OutputExistsError(exists_refusal(dest), dest)
    if not dest.parent.is_dir():
        raise StarclassError(f"folder {dest.parent} does not exist (for --backup {dest.name})")
    try:
        # atomic_path names its temporary as every output's (a kill's leftover is named by the next
        # backup) and makes it 0600 while empty: the copy of the password hashes is private from the start
        with atomic_path(dest, mode=0o600) as tmp:
            raw = engine.raw_connection()
            try:
                target = sqlite3.connect(tmp)
                try:
                    raw.driver_connection.backup(target)
                finally:
                    target.close()
            finally:
                raw.close()
            with open(tmp, "rb+") as fh:  # on disk before the rename makes it the backup
                os.fsync(fh.fileno())
            if dest.exists() and not overwrite:  # appeared while copying; atomic_path deletes the copy
                raise OutputExistsError(exists_refusal(dest), dest)
    except StarclassError:
        # an OutputExistsError is an OSError too: caught below it was said as 'backup to B failed: B exists',
        # no longer a FileExistsError; atomic_path's own 'cannot write' names the file already
        raise
    except (OSError, sqlite3.Error, sa.exc.SQLAlchemyError) as exc:
        raise StarclassError(f"backup to {dest} failed: {exc}") from None
    return dest


def postgres_commands(engine: Engine, dest: str | os.PathLike) -> list[str]:
    """The ``pg_dump`` and ``pg_restore`` commands that back up and restore a PostgreSQL database.

    The password is left out of the printed URL: ``pg_dump`` takes it from ``PGPASSWORD`` or
    ``~/.pgpass``, so it does not end up in a shell history. Arguments are quoted for a POSIX
    shell (the commands are meant to be pasted).

    Parameters
    ----------
    engine
        The label database (PostgreSQL).
    dest
        The dump file named on the command line.

    Returns
    -------
    list of str
        The backup command, then the restore command.

    Examples
    --------
    An engine connects to nothing until it is used, so no server is needed here (only the
    ``postgres`` extra's driver, psycopg); the password stays out of the commands:

    >>> from starclass.inspect import db
    >>> engine = db.make_engine("postgresql://ann:secret@dbhost/labels")
    >>> for command in postgres_commands(engine, "my labels.dump"):
    ...     print(command)
    pg_dump --format=custom --file 'my labels.dump' postgresql://ann@dbhost/labels
    pg_restore --clean --if-exists --dbname postgresql://ann@dbhost/labels 'my labels.dump'
    """
    u = engine.url
    # URL.set() treats password=None as "unchanged", so the URL is built afresh without it
    url = sa.engine.URL.create("postgresql", username=u.username, host=u.host, port=u.port,
                               database=u.database, query=u.query).render_as_string(hide_password=False)
    return [f"pg_dump --format=custom --file {shlex.quote(str(dest))} {shlex.quote(url)}",
            f"pg_restore --clean --if-exists --dbname {shlex.quote(url)} {shlex.quote(str(dest))}"]
