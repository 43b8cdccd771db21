"""argon2id password hashes of the inspection app's accounts.

Both :mod:`starclass.inspect.db` (which stores the hashes of new accounts) and
:mod:`starclass.inspect.auth` (which checks them at login) use this module, so neither needs the
other's functions: the imports run ``auth -> db -> passwords``, one way.

Hashes use ``argon2-cffi``'s :class:`~argon2.PasswordHasher` defaults; a hash carries its own
parameters, so hashes made with other parameters still verify, and :func:`needs_rehash` tells
when a stored hash should be upgraded.
"""

from __future__ import annotations

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from starclass.errors import StarclassError

#: Shortest and longest passwords accepted (characters). The upper bound caps the work of one
#: check: a longer password sent at login is refused without hashing it.
MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 1024

_hasher = PasswordHasher()
#: A hash to verify against when the user does not exist, so timing does not tell.
_DUMMY_HASH = _hasher.hash("not-a-real-password")


def configure_hasher(**params: int) -> None:
    """Replace the argon2 parameters (``time_cost``, ``memory_cost``, ``parallelism``...).

    For tests only: cheaper hashes keep a test suite that makes many accounts fast. Hashes
    made with other parameters still verify (argon2 hashes carry their parameters). No
    parameters: back to the defaults.

    Parameters
    ----------
    **params
        Keyword arguments of :class:`argon2.PasswordHasher`.

    Examples
    --------
    >>> configure_hasher(time_cost=1, memory_cost=8192, parallelism=1)
    >>> verify_password(hash_password("correct horse"), "correct horse")
    True
    >>> configure_hasher()
    """
    global _hasher
    _hasher = PasswordHasher(**params) if params else PasswordHasher()


def check_new_password(name: str, password: str) -> None:
    """Refuse a new password shorter or longer than the limits.

    Parameters
    ----------
    name
        The account (for the message).
    password
        The new password.

    Raises
    ------
    StarclassError
        Fewer than :data:`MIN_PASSWORD_LENGTH` or more than :data:`MAX_PASSWORD_LENGTH`
        characters.

    Examples
    --------
    >>> check_new_password("ann", "correct horse")
    >>> check_new_password("ann", "short")
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: password for 'ann': use at least 8 characters
    """
    if len(password) < MIN_PASSWORD_LENGTH:
        raise StarclassError(f"password for {name!r}: use at least {MIN_PASSWORD_LENGTH} characters")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise StarclassError(f"password for {name!r}: use at most {MAX_PASSWORD_LENGTH} characters")


def hash_password(password: str) -> str:
    """argon2id hash of a password.

    Parameters
    ----------
    password
        The password as typed.

    Returns
    -------
    str
        The encoded hash (algorithm, parameters, salt and digest).

    Examples
    --------
    >>> hash_password("correct horse").startswith("$argon2id$")
    True
    """
    return _hasher.hash(password)


def verify_password(password_hash: str, password: str) -> bool:
    """True when ``password`` matches ``password_hash``.

    Parameters
    ----------
    password_hash
        A hash made by :func:`hash_password` (any argon2 parameters).
    password
        The password to check.

    Returns
    -------
    bool
        False also for a malformed hash, and, without hashing it, for a password longer than
        :data:`MAX_PASSWORD_LENGTH` (no account has one).

    Examples
    --------
    >>> h = hash_password("correct horse")
    >>> verify_password(h, "correct horse"), verify_password(h, "battery staple")
    (True, False)
    """
    if len(password) > MAX_PASSWORD_LENGTH:
        return False
    try:
        return _hasher.verify(password_hash, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


def verify_nobody(password: str) -> None:
    """Spend the time of one verification for a name that has no account.

    A login for an unknown name then takes as long as one with a wrong password, so the
    answer time does not tell which names exist.

    Parameters
    ----------
    password
        The password that was sent.

    Examples
    --------
    >>> verify_nobody("anything")
    """
    verify_password(_DUMMY_HASH, password)


def needs_rehash(password_hash: str) -> bool:
    """True when ``password_hash`` was made with other parameters than the current ones.

    Parameters
    ----------
    password_hash
        A stored hash.

    Returns
    -------
    bool
        Whether to store a new hash of the password (at the next successful login).

    Examples
    --------
    >>> needs_rehash(hash_password("correct horse"))
    False
    """
    return _hasher.check_needs_rehash(password_hash)
