"""Passwords, sessions and CSRF protection of the inspection app.

* Passwords are hashed with argon2id (``argon2-cffi``'s :class:`~argon2.PasswordHasher`
  defaults); hashes are upgraded on login when the parameters change.
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

import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError
from sqlalchemy.engine import Engine

from starclass.inspect import db

SESSION_COOKIE = "sc_session"
CSRF_COOKIE = "sc_csrf"
CSRF_HEADER = "x-csrf-token"
SESSION_HOURS = 12

_hasher = PasswordHasher()
#: A hash to verify against when the user does not exist, so timing does not tell.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def configure_hasher(**params) -> None:
    """Replace the argon2 parameters (``time_cost``, ``memory_cost``, ``parallelism``...).

    For tests only: cheaper hashes keep a test suite that makes many accounts fast. Hashes
    made with other parameters still verify (argon2 hashes carry their parameters)."""
    global _hasher
    _hasher = PasswordHasher(**params) if params else PasswordHasher()


def hash_password(password: str) -> str:
    """argon2id hash of a password."""
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches ``password_hash``."""
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def tokens_equal(a: str | None, b: str | None) -> bool:
    """Constant-time comparison; False when either is missing."""
    return bool(a) and bool(b) and hmac.compare_digest(str(a), str(b))


def login(engine: Engine, name: str, password: str) -> tuple[str, str, dict] | None:
    """Check a name and password; on success create a session.

    Returns
    -------
    (session token, csrf token, user dict) or None when the name or password is wrong.
    """
    with engine.connect() as conn:
        row = conn.execute(sa.select(db.users).where(db.users.c.name == name)).mappings().first()
    if row is None:
        verify_password(_DUMMY_HASH, password)
        return None
    if not verify_password(row["password_hash"], password):
        return None
    token, csrf = new_token(), new_token()
    now = db.utcnow()
    with engine.begin() as conn:
        if _hasher.check_needs_rehash(row["password_hash"]):
            conn.execute(db.users.update().where(db.users.c.id == row["id"])
                         .values(password_hash=hash_password(password)))
        conn.execute(db.sessions.delete().where(db.sessions.c.expires_at < now))
        conn.execute(db.sessions.insert().values(
            token_hash=token_hash(token), user_id=row["id"], csrf=csrf, created_at=now,
            expires_at=now + _dt.timedelta(hours=SESSION_HOURS)))
    return token, csrf, {"id": int(row["id"]), "name": row["name"], "is_admin": bool(row["is_admin"])}


def session_user(engine: Engine, token: str | None) -> dict | None:
    """The person a session token belongs to (with its ``csrf``), or None if unknown/expired."""
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
        expires = expires.replace(tzinfo=_dt.timezone.utc)
    if expires < db.utcnow():
        return None
    return {"id": int(row["id"]), "name": row["name"], "is_admin": bool(row["is_admin"]),
            "csrf": row["csrf"]}


def logout(engine: Engine, token: str | None) -> None:
    if token:
        with engine.begin() as conn:
            conn.execute(db.sessions.delete().where(db.sessions.c.token_hash == token_hash(token)))
