"""Passwords, sessions and CSRF protection of the inspection app.

* Passwords are hashed with argon2id (:mod:`starclass.inspect.passwords`); hashes are upgraded
  on login when the parameters change.
* A login creates a server-side session: a random 256-bit token goes to the browser in an
  ``HttpOnly``, ``SameSite=Strict`` cookie; the database keeps only its SHA-256, so a copy of
  the database does not let anyone log in. Sessions expire after :data:`SESSION_HOURS`.
* CSRF: every state-changing request must carry the header ``X-CSRF-Token`` equal to the
  ``sc_csrf`` cookie (double submit) and, once logged in, equal to the token stored with the
  session. A page from another site can neither read the cookie nor set the header
  (browsers send custom headers cross-origin only after a CORS pre-flight this app refuses).
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import hmac
import secrets
import unicodedata

import sqlalchemy as sa
from sqlalchemy.engine import Engine

from starclass.inspect import db
from starclass.inspect.passwords import (
    configure_hasher,
    hash_password,
    needs_rehash,
    verify_nobody,
    verify_password,
)

# the hashing functions stay importable from here, where they were before passwords.py
__all__ = [
    "CSRF_COOKIE", "CSRF_HEADER", "SESSION_COOKIE", "SESSION_HOURS", "configure_hasher",
    "hash_password", "login", "logout", "new_token", "session_user", "token_hash", "tokens_equal",
    "verify_password",
]

SESSION_COOKIE = "sc_session"
CSRF_COOKIE = "sc_csrf"
CSRF_HEADER = "x-csrf-token"
SESSION_HOURS = 12


def new_token() -> str:
    """A new random session or CSRF token (32 bytes, URL-safe base64).

    Examples
    --------
    >>> len(new_token()), new_token() == new_token()
    (43, False)
    """
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    """The SHA-256 hex digest of a token: what the database stores, never the token itself.

    Parameters
    ----------
    token : str
        A session token (:func:`new_token`).

    Returns
    -------
    str

    Examples
    --------
    >>> token_hash("abc")[:16]
    'ba7816bf8f01cfea'
    """
    return hashlib.sha256(token.encode()).hexdigest()


def tokens_equal(a: str | None, b: str | None) -> bool:
    """Constant-time comparison of two tokens; False when either is missing.

    Parameters
    ----------
    a, b : str or None
        The tokens (a cookie's and a header's CSRF token).

    Returns
    -------
    bool

    Examples
    --------
    >>> tokens_equal("abc", "abc"), tokens_equal("abc", "abd"), tokens_equal(None, None)
    (True, False, False)
    """
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


def login(engine: Engine, name: str, password: str) -> tuple[str, str, dict] | None:
    """Check a name and password; on success create a session.

    Parameters
    ----------
    engine : sqlalchemy.engine.Engine
        The label database.
    name, password : str
        What the person typed.

    Returns
    -------
    (session token, csrf token, user dict) or None when the name or password is wrong.

    Examples
    --------
    >>> e = db.make_engine("sqlite://")
    >>> _ = db.init_db(e)
    >>> _ = db.add_user(e, "ann", "a-long-password")
    >>> login(e, "ann", "a-wrong-password") is None
    True
    >>> token, csrf, user = login(e, "ann", "a-long-password")
    >>> session_user(e, token)["name"]
    'ann'
    >>> logout(e, token)
    >>> session_user(e, token) is None
    True
    """
    # the name as add_user stored it (db.user_name): "Björn" typed with a combining diaeresis, as some
    # keyboards send it, is the account made as "Björn"
    name = unicodedata.normalize("NFC", name).strip()
    with engine.connect() as conn:
        row = conn.execute(sa.select(db.users).where(db.users.c.name == name)).mappings().first()
    if row is None:
        verify_nobody(password)
        return None
    if not verify_password(row["password_hash"], password):
        return None
    token, csrf = new_token(), new_token()
    now = db.utcnow()
    with engine.begin() as conn:
        if needs_rehash(row["password_hash"]):
            conn.execute(db.users.update().where(db.users.c.id == row["id"])
                         .values(password_hash=hash_password(password)))
        conn.execute(db.sessions.delete().where(db.sessions.c.expires_at < now))
        conn.execute(db.sessions.insert().values(
            token_hash=token_hash(token), user_id=row["id"], csrf=csrf, created_at=now,
            expires_at=now + _dt.timedelta(hours=SESSION_HOURS)))
    return token, csrf, {"id": int(row["id"]), "name": row["name"], "is_admin": bool(row["is_admin"])}


def session_user(engine: Engine, token: str | None) -> dict | None:
    """The person a session token belongs to (with its ``csrf``), or None if unknown or expired.

    Parameters
    ----------
    engine : sqlalchemy.engine.Engine
        The label database.
    token : str or None
        The session cookie's token.

    Returns
    -------
    dict or None
        ``id``, ``name``, ``is_admin`` and ``csrf`` of the person (:func:`login` has an example).

    Examples
    --------
    >>> e = db.make_engine("sqlite://")
    >>> _ = db.init_db(e)
    >>> session_user(e, None), session_user(e, "a-token-nobody-has")
    (None, None)
    """
    if not token:
        return None
    q = (sa.select(db.users.c.id, db.users.c.name, db.users.c.is_admin, db.sessions.c.csrf,
                   db.sessions.c.expires_at)
         .join(db.users, db.users.c.id == db.sessions.c.user_id)
         .where(db.sessions.c.token_hash == token_hash(token)))
    with engine.connect() as conn:
        row = conn.execute(q).mappings().first()
    if row is None:
        return None
    expires = row["expires_at"]
    if expires.tzinfo is None:  # SQLite returns naive datetimes
        expires = expires.replace(tzinfo=_dt.UTC)
    if expires < db.utcnow():
        return None
    return {"id": int(row["id"]), "name": row["name"], "is_admin": bool(row["is_admin"]),
            "csrf": row["csrf"]}


def logout(engine: Engine, token: str | None) -> None:
    """End a session: its token no longer logs anyone in (:func:`login` has an example).

    Parameters
    ----------
    engine : sqlalchemy.engine.Engine
        The label database.
    token : str or None
        The session's token; None or an unknown one does nothing.

    Examples
    --------
    >>> e = db.make_engine("sqlite://")
    >>> _ = db.init_db(e)
    >>> logout(e, "a-token-nobody-has")
    """
    if token:
        with engine.begin() as conn:
            conn.execute(db.sessions.delete().where(db.sessions.c.token_hash == token_hash(token)))
