"""Atomic output: write to a temporary file (or folder) beside the target, then rename.

A crash or an error half-way leaves the previous file (or nothing), never half a catalogue;
a multi-file output (a simulated field, an evaluation folder) is written to a temporary
folder and moved into place as a whole, so a kill leaves the old set or the new set.

Temporary names start with a dot (``.name.XXXXXXXX.ext``) so that folder scans, which skip
hidden files, never read one, and they are kept short so that a 250-character target name,
legal on every common file system (255 bytes), still has a legal temporary name.

A SIGKILL (or a power cut) cannot be caught, so its temporaries stay; the next writer of the
same output says so (:func:`is_leftover`), and never deletes them: another process may be
writing them. An old set that a replacement could not delete (a read-only folder) is renamed
``.name.XXXXXXXX.replaced``: no process writes there, so the next :func:`atomic_dir` of the same
output deletes it, and says so only where it still cannot, as what it is, not as a run's leftover.
"""

from __future__ import annotations

import contextlib
import errno
import fnmatch
import os
import re
import shutil
import sys
import tempfile
import threading
import warnings
from collections.abc import Iterable, Iterator
from pathlib import Path

from starclass.errors import OutputExistsError, StarclassError, counted

#: Characters of the target's name kept in a temporary name: ``.`` + 32 + ``.`` + 8 random
#: + a suffix of at most ``_MAX_SUFFIX`` stays far below the 255-byte limit of a name.
_NAME_KEEP = 32
_MAX_SUFFIX = 32


def temp_prefix(target: str | os.PathLike) -> str:
    """The hidden prefix of a temporary name for ``target``: a dot and at most 32 of its characters.

    Parameters
    ----------
    target
        The final path; only its name is used.

    Returns
    -------
    str
        ``"." + name[:32] + "."``.

    Examples
    --------
    >>> temp_prefix("out/candidates.ecsv")
    '.candidates.ecsv.'
    >>> len(temp_prefix("a" * 250))
    34
    """
    return f".{Path(target).name[:_NAME_KEEP]}."


#: The characters of the 8 random ones in a name made by :func:`tempfile.mkstemp` and
#: :func:`tempfile.mkdtemp` (CPython's ``tempfile._RandomNameSequence``).
_RANDOM_CHARS = frozenset("abcdefghijklmnopqrstuvwxyz0123456789_")
_RANDOM_LEN = 8
#: What may follow the random part: a suffix of one extension (``.h5``; atomic_path keeps only the
#: target's last), and ``.old`` for the aside-folder of :func:`atomic_dir`.
_TAIL = re.compile(r"(\.[^.]*)?(\.old)?")


def _made_for(name: str, prefix: str) -> bool:
    # prefix + 8 random characters + at most one extension (and .old)
    rest = name[len(prefix):] if name.startswith(prefix) else None
    return (rest is not None and len(rest) >= _RANDOM_LEN and set(rest[:_RANDOM_LEN]) <= _RANDOM_CHARS
            and _TAIL.fullmatch(rest[_RANDOM_LEN:]) is not None)


#: Characters of the target's name the old ``inspect --backup`` kept in its own temporary
#: (``tempfile.mkstemp(prefix="." + name[:40] + ".", suffix=".tmp")``, before it wrote through
#: :func:`atomic_path`).
_LEGACY_BACKUP_KEEP = 40


def _legacy_backup(name: str, target_name: str) -> bool:
    # A backup killed by the old code left ".NAME[:40].XXXXXXXX.tmp", a copy of the password hashes;
    # for a name of at most 32 characters that is also atomic_path's pattern, but a longer one kept
    # 8 characters more than temp_prefix and would never be named, so the old pattern is matched too.
    rest = name.removeprefix(f".{target_name[:_LEGACY_BACKUP_KEEP]}.")
    return (rest != name and len(rest) == _RANDOM_LEN + len(".tmp") and rest.endswith(".tmp")
            and set(rest[:_RANDOM_LEN]) <= _RANDOM_CHARS)


def is_leftover(name: str, target: str | os.PathLike) -> bool:
    """Whether ``name`` is a temporary name :func:`atomic_path` or :func:`atomic_dir` gives ``target``.

    Also a temporary of such a temporary: until 2026-12-05 ``cutouts -o s.h5`` staged
    ``.s.h5.XXXXXXXX.h5`` and the stamp store wrote that through ``atomic_path`` again, as
    ``..s.h5.XXXXXXXX.h5.YYYYYYYY.h5``, and a SIGKILL left both (it now writes one temporary).
    Also the temporary of a backup killed before ``inspect --backup`` wrote through
    :func:`atomic_path`: ``.NAME[:40].XXXXXXXX.tmp``, 8 characters of a long name more.

    Parameters
    ----------
    name
        A file or folder name in the target's folder.
    target
        The output; only its name is used.

    Returns
    -------
    bool

    Examples
    --------
    >>> [is_leftover(n, "out/s.h5") for n in (".s.h5.iywx3hns.h5", "..s.h5.iywx3hns.h5.rdwi_9cl.h5",
    ...                                        ".t.h5.iywx3hns.h5", ".s.h5.notes", "s.h5")]
    [True, True, False, False, False]
    >>> is_leftover(".labels-backup-of-the-m31-campaign-2026.s.abcd1234.tmp",
    ...             "labels-backup-of-the-m31-campaign-2026.sqlite")
    True
    """
    prefix = temp_prefix(target)
    if _made_for(name, prefix):
        return True
    if _legacy_backup(name, Path(target).name):
        return True
    if not name.startswith("."):
        return False
    # one layer more: "." + the inner temporary's name (its first 32 characters) + "." + random + suffix
    for i in range(2, len(name)):
        if name[i] != "." or not _made_for(name, name[:i + 1]):
            continue
        kept = name[1:i]
        # the inner name cut at 32 characters may end inside the prefix, or after it
        cut = len(kept) == _NAME_KEEP and (kept.startswith(prefix) or prefix.startswith(kept))
        if cut or _made_for(kept, prefix):
            return True
    return False


#: Hidden names that look like any atomic temporary, per folder, read once per process: read for
#: every file, a folder written one file per candidate (cutouts --phangs-fits-dir, the page's
#: picture cache) cost a listing per file, quadratic in the number of files. Names this process
#: makes later are its own temporaries, not leftovers.
_HIDDEN: dict[str, set[str]] = {}
_HIDDEN_LOCK = threading.Lock()
_ANY_TEMP = re.compile(r"\..+\.[a-z0-9_]{8}(\.[^.]*)?(\.old)?")


def _size(path: Path) -> int:
    if path.is_dir() and not path.is_symlink():
        return sum(p.stat().st_size for p in path.rglob("*") if p.is_file() and not p.is_symlink())
    return path.lstat().st_size


def size_words(nbytes: int) -> str:
    """A size in bytes as people read it: ``96 bytes``, ``75.3 MiB``.

    Examples
    --------
    >>> size_words(1), size_words(96), size_words(75 * 2**20 + 300_000), size_words(3 * 2**30)
    ('1 byte', '96 bytes', '75.3 MiB', '3.0 GiB')
    """
    if nbytes < 1024:
        return counted(int(nbytes), "byte")
    value = float(nbytes)
    for unit in ("KiB", "MiB", "GiB", "TiB"):
        value /= 1024
        if value < 1024 or unit == "TiB":
            break
    return f"{value:.1f} {unit}"


#: Suffix of an old set that :func:`atomic_dir` replaced and could not delete (a read-only folder):
#: no run is writing it, so it is named as such and deleted by the next ``atomic_dir`` of its target.
_REPLACED_SUFFIX = ".replaced"


def _is_replaced(name: str) -> bool:
    return name.endswith(_REPLACED_SUFFIX)


def _listed(found: list[tuple[Path, int]]) -> str:
    shown = [f"{p} ({size_words(n)})" for p, n in found[:3]]
    if len(found) > 3:
        shown.append(f"{len(found) - 3} more ({size_words(sum(n for _, n in found[3:]))})")
    return shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]


def notice_leftovers(target: str | os.PathLike) -> list[Path]:
    """Warn, in one line, of the temporaries an interrupted run left beside ``target``; delete none.

    A SIGKILL (``kill -9``, the out-of-memory killer, a batch system's hard limit) cannot be
    caught: ``cutouts -o s.h5`` killed half-way left ``.s.h5.XXXXXXXX.h5`` and
    ``..s.h5.XXXXXXXX.h5.YYYYYYYY.h5`` (75 MB, gigabytes for a survey's store) and nothing said
    so. :func:`atomic_path` and :func:`atomic_dir` call this before they write: a
    :class:`UserWarning` names each file with its size (the command line prints
    ``warning: ...``). They are not deleted: another process may be writing the same output now.
    The folder is read once per process.

    An old set that an earlier replacement could not delete (``.name.XXXXXXXX.replaced``, see
    :func:`atomic_dir`) was called "left by an interrupted run" too, which it is not: it is named
    as the old folder that run replaced, with how to delete it.

    Parameters
    ----------
    target
        The output about to be written.

    Returns
    -------
    list of pathlib.Path
        The leftovers found (each said once per process).

    Examples
    --------
    >>> import tempfile, pathlib, warnings
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / ".s.h5.iywx3hns.h5").write_bytes(b"x" * 96)
    >>> with warnings.catch_warnings(record=True) as said:
    ...     warnings.simplefilter("always")
    ...     [p.name for p in notice_leftovers(d / "s.h5")]
    ['.s.h5.iywx3hns.h5']
    >>> str(said[0].message).split(" (")[1]
    '96 bytes) was left by an interrupted run writing s.h5; delete it unless another run is writing s.h5 now'
    """
    path = Path(target)
    folder = path.parent
    key = os.path.abspath(folder)
    with _HIDDEN_LOCK:
        if key not in _HIDDEN:
            try:
                with os.scandir(folder) as entries:
                    _HIDDEN[key] = {e.name for e in entries if _ANY_TEMP.fullmatch(e.name)}
            except OSError:  # no folder yet (or not readable): nothing was left in it
                _HIDDEN[key] = set()
        mine = sorted(n for n in _HIDDEN[key] if is_leftover(n, path))
        _HIDDEN[key].difference_update(mine)  # said once
    found: list[tuple[Path, int]] = []
    for name in mine:
        try:
            found.append((folder / name, _size(folder / name)))
        except OSError:  # deleted since the folder was read
            continue
    replaced = [(p, n) for p, n in found if _is_replaced(p.name) and p.is_dir()]
    interrupted = [(p, n) for p, n in found if (p, n) not in replaced]
    if interrupted:
        one = len(interrupted) == 1
        warnings.warn(f"{_listed(interrupted)} {'was' if one else 'were'} left by an interrupted run writing "
                      f"{path.name}; delete {'it' if one else 'them'} unless another run is writing {path.name} now",
                      UserWarning, stacklevel=3)
    if replaced:
        one = len(replaced) == 1
        how = " && ".join(f"chmod -R u+w {p} && rm -r {p}" for p, _ in replaced[:3])
        warnings.warn(f"{_listed(replaced)} {'is the old set' if one else 'are old sets'} of {path.name} that an "
                      f"earlier run replaced (overwrite) and could not delete; no run writes there: delete "
                      f"{'it' if one else 'them'} yourself ({how})", UserWarning, stacklevel=3)
    return [p for p, _ in found]


def _umask() -> int:
    # os.umask can only be read by setting it; put it straight back
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike, suffix: str | None = None, *, mode: int | None = None) -> Iterator[Path]:
    """Yield a temporary path in the target's directory; rename it onto ``path`` on success.

    Parameters
    ----------
    path
        Final destination. Its parent directory is created if needed.
    suffix
        Suffix of the temporary file (defaults to the destination's, so that writers that
        infer the format from the extension keep working).
    mode
        Permissions of the file (``0o600`` for a copy of password hashes), set on the empty
        temporary before anything is written to it. By default those a plain ``open()`` gives.

    Raises
    ------
    StarclassError
        The target's folder cannot be created or written (permissions, a file in the way).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> with atomic_path(d / "x.txt") as tmp:
    ...     _ = tmp.write_text("done")
    >>> (d / "x.txt").read_text(), sorted(p.name for p in d.iterdir())
    ('done', ['x.txt'])
    """
    target = Path(path)
    if suffix is None:
        suffix = "".join(target.suffixes[-1:])
    if len(suffix) > _MAX_SUFFIX:
        suffix = ""  # no format is named by such a suffix, and it would make the name too long
    _clear_replaced(target)  # before notice_leftovers: an old set now deletable goes without a word
    notice_leftovers(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=temp_prefix(target), suffix=suffix, dir=target.parent)
    except OSError as exc:  # an unwritable or missing folder: say which, not a traceback
        raise StarclassError(f"cannot write {target}: {exc.strerror or exc}") from None
    os.close(fd)
    tmp_path = Path(tmp)
    # mkstemp creates the file 0600; give the result the permissions a plain open() would, or the
    # ones asked for while it is still empty (a private file is never readable by others, not even briefly)
    os.chmod(tmp_path, 0o666 & ~_umask() if mode is None else mode)
    try:
        yield tmp_path
        os.replace(tmp_path, target)
    finally:
        if tmp_path.exists():
            tmp_path.unlink()


#: Files an operating system leaves in a folder by itself, lower case: Windows' thumbnail cache and folder
#: settings, the macOS Finder's. Never a user's or a command's file; ``._name`` (macOS) is one too.
OS_CLUTTER = frozenset({"thumbs.db", "ehthumbs.db", "ehthumbs_vista.db", "desktop.ini", ".ds_store", ".localized"})


def is_os_file(name: str) -> bool:
    """Whether ``name`` is a file the operating system keeps in any folder it shows (not the user's).

    Windows writes ``Thumbs.db`` and ``desktop.ini`` into a folder opened in Explorer, the macOS
    Finder ``.DS_Store`` and ``._name`` on other disks: such a file made an output folder "hold
    files this command did not write", so ``train -o``, ``evaluate --overwrite`` ... refused it.
    Other hidden names (``.git``) are not the system's.

    Examples
    --------
    >>> [is_os_file(n) for n in ("Thumbs.db", "DESKTOP.INI", ".DS_Store", "._a.png", ".git", "notes.txt")]
    [True, True, True, True, False, False]
    """
    return name.casefold() in OS_CLUTTER or name.startswith("._")


def foreign_entries(directory: str | os.PathLike, own: Iterable[str]) -> list[str]:
    """Names in ``directory`` that match none of the ``own`` glob patterns (sorted).

    The system's own files (:func:`is_os_file`: ``Thumbs.db``, ``.DS_Store`` ...) are no one's and
    never counted; a replacement of the folder may drop them.

    Parameters
    ----------
    directory
        A folder (a missing one has no entries).
    own
        Glob patterns of the names a command writes there (``"*.fits"``, ``"tables"``).

    Returns
    -------
    list of str
        The entries a replacement of the folder would destroy without having written them.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "truth.ecsv").write_text(""); _ = (d / "notes.txt").write_text("")
    >>> _ = (d / "Thumbs.db").write_text("")
    >>> foreign_entries(d, ["truth.ecsv", "*.fits"])
    ['notes.txt']
    """
    d = Path(directory)
    if not d.is_dir():
        return []
    patterns = list(own)
    return sorted(p.name for p in d.iterdir()
                  if not is_os_file(p.name) and not any(fnmatch.fnmatchcase(p.name, pat) for pat in patterns))


#: Suffix of the folder an older set is moved to while a replacement is renamed into place.
_OLD_SUFFIX = ".old"
#: ``renameat2`` arguments (linux/fs.h, fcntl.h): swap two paths; paths relative to the cwd.
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


def exchange_paths(a: str | os.PathLike, b: str | os.PathLike) -> bool:
    """Swap two existing paths in one atomic step, where the system can; False where it cannot.

    Linux's ``renameat2(..., RENAME_EXCHANGE)`` (kernel 3.15, glibc 2.28) exchanges the two
    names at once, so a reader (or a kill) never sees neither. Other systems, older C
    libraries and file systems without the flag return False and change nothing.

    Parameters
    ----------
    a, b
        Two existing paths on one file system.

    Returns
    -------
    bool
        True when swapped.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "a").write_text("A"); _ = (d / "b").write_text("B")
    >>> if exchange_paths(d / "a", d / "b"):
    ...     assert (d / "a").read_text() == "B"
    """
    import ctypes
    import sys

    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):  # no C library to ask, or one older than glibc 2.28
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    rc = renameat2(_AT_FDCWD, os.fsencode(os.fspath(a)), _AT_FDCWD, os.fsencode(os.fspath(b)), _RENAME_EXCHANGE)
    return rc == 0  # ENOSYS, EINVAL (file system without the flag) ...: the caller renames twice


def recover_dir(path: str | os.PathLike) -> Path | None:
    """Put back the old set of a folder whose replacement was killed between its two renames.

    :func:`atomic_dir` without :func:`exchange_paths` moves the old folder to
    ``.name.XXXXXXXX.old`` before renaming the new one in. When ``path`` is missing and such a
    folder exists beside it, the old set is complete and is renamed back to ``path``.

    Parameters
    ----------
    path
        The output folder.

    Returns
    -------
    pathlib.Path or None
        The folder that was put back, or None when there was nothing to recover.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> (d / ".field.abcd1234.old").mkdir()
    >>> recover_dir(d / "field").name, (d / "field").is_dir()
    ('.field.abcd1234.old', True)
    """
    target = Path(path)
    if target.exists() or target.is_symlink() or not target.parent.is_dir():
        return None
    left = [p for p in target.parent.glob(glob_escape(temp_prefix(target)) + "*" + _OLD_SUFFIX) if p.is_dir()]
    if not left:
        return None
    newest = max(left, key=lambda p: p.stat().st_mtime)
    os.replace(newest, target)
    return newest


def glob_escape(text: str) -> str:
    """``text`` with glob wildcards escaped, for a literal prefix in :meth:`pathlib.Path.glob`.

    Examples
    --------
    >>> glob_escape("a[1]*.fits")
    'a[[]1[]][*].fits'
    """
    return "".join(f"[{c}]" if c in "[]*?" else c for c in text)


def _discard(folder: Path, what: str, *, replaced: bool = False) -> None:
    """Delete ``folder`` (an older set moved aside, or an unfinished one); warn, naming it, if it stays.

    ``shutil.rmtree(..., ignore_errors=True)`` left an old set that the user had made read-only
    (``chmod a-w tables``) as a hidden ``.tables.XXXXXXXX`` folder beside the new one, without a
    word. The new output is already in place: this is said, not raised. An old set (``replaced``)
    that stays is renamed ``.tables.XXXXXXXX.replaced``: under its old name the next run called it
    "left by an interrupted run"; now that run deletes it (:func:`_clear_replaced`), or names it
    as the old set.
    """
    failed = _rmtree(folder)
    if not folder.exists() and not folder.is_symlink():
        return
    if replaced:
        # a name no run writes to: the next atomic_dir of this target deletes it, or names it as what it is
        kept = folder.with_name(folder.name.removesuffix(_OLD_SUFFIX) + _REPLACED_SUFFIX)
        with contextlib.suppress(OSError):  # renaming needs the parent's permission only; kept as it is if not
            os.replace(folder, kept)
            folder = kept
    warnings.warn(f"{what} is left in {folder} ({_why(failed)}); delete it yourself ({_how(folder, failed)})",
                  UserWarning, stacklevel=4)


def _rmtree(folder: Path) -> list[BaseException]:
    """``shutil.rmtree(folder)``, returning the errors it met instead of raising them."""
    failed: list[BaseException] = []
    if sys.version_info >= (3, 12):
        shutil.rmtree(folder, onexc=lambda _f, _p, exc: failed.append(exc))
    else:  # onexc is 3.12's; onerror (deprecated there) gets the exception as sys.exc_info()
        shutil.rmtree(folder, onerror=lambda _f, _p, info: failed.append(info[1]))
    return failed


def _why(failed: list[BaseException]) -> str:
    errors = [e for e in failed if isinstance(e, OSError)]
    return (next((e.strerror for e in errors if e.strerror), None) or "it could not be deleted").lower()


def _how(folder: Path, failed: list[BaseException]) -> str:
    denied = any(isinstance(e, OSError) and e.errno in (errno.EACCES, errno.EPERM) for e in failed)
    return f"chmod -R u+w {folder} && rm -r {folder}" if denied else f"rm -r {folder}"


def _clear_replaced(target: Path) -> None:
    """Delete the old sets of ``target`` that an earlier :func:`atomic_dir` replaced and could not delete.

    No run writes to a ``.name.XXXXXXXX.replaced`` folder (unlike an interrupted run's
    temporaries, which another run may be writing now): once the user made it deletable, it goes
    without a word; one that still cannot be deleted is named as the old set by
    :func:`notice_leftovers`, which :func:`atomic_dir` calls next.
    """
    try:
        with os.scandir(target.parent) as entries:
            names = [e.name for e in entries if _is_replaced(e.name) and e.is_dir(follow_symlinks=False)]
    except OSError:  # no folder yet: nothing to clear
        return
    for name in names:
        if is_leftover(name, target):
            _rmtree(target.parent / name)


def holds_working_dir(path: str | os.PathLike) -> bool:
    """Whether the folder ``path`` is the current working directory or a folder above it.

    Such a folder cannot be written as a whole by :func:`atomic_dir`: ``.`` cannot be renamed at
    all (``simulate . --size 64`` ended, after the whole field was rendered, in
    ``OSError: [Errno 16] Device or resource busy: '.' -> '..XXXXXXXX.old'``), and a folder above
    the working directory, swapped for its new copy, would leave the shell in a deleted folder.

    Examples
    --------
    >>> holds_working_dir(".")
    True
    >>> holds_working_dir("a-folder-below-the-working-directory")
    False
    """
    try:
        here = Path.cwd().resolve()
        there = Path(os.path.abspath(path)).resolve()
    except (OSError, RuntimeError):  # a deleted working directory, a loop of links: not the case here
        return False
    return here == there or there in here.parents


def working_dir_message(path: str | os.PathLike, what: str) -> str:
    """The refusal of a folder output that is the working directory or above it (see :func:`holds_working_dir`).

    Examples
    --------
    >>> working_dir_message(".", "OUTDIR").split(";")[0]
    'OUTDIR . is the current folder'
    """
    same = Path(os.path.abspath(path)).resolve() == Path.cwd().resolve()
    where = "the current folder" if same else "a folder above the current folder"
    return (f"{what} {path} is {where}; an output folder is replaced as a whole, which cannot be done to the "
            "folder the shell is in: name a folder in it (e.g. 'out') or run the command from the folder above")


@contextlib.contextmanager
def atomic_dir(path: str | os.PathLike, *, overwrite: bool = False,
               own: Iterable[str] | None = None) -> Iterator[Path]:
    """Yield a temporary folder beside ``path``; move it onto ``path`` as a whole on success.

    On an error (or ``SystemExit`` / ``KeyboardInterrupt``, which the CLI raises on SIGTERM and
    Ctrl-C) the temporary folder is removed and ``path`` is left as it was. On success an
    existing ``path`` is first renamed aside (``.name.XXXXXXXX.old``), the new folder renamed
    into place, and the old one deleted (one that cannot be, a read-only set, stays in a hidden
    ``.name.XXXXXXXX.replaced`` folder, named by a :class:`UserWarning`; the next call for
    ``path`` deletes it, or names it as the old set, not as an interrupted run's). On Linux the
    two renames are one atomic exchange (:func:`exchange_paths`), so ``path`` always holds a
    complete set; elsewhere a kill between the two renames leaves the old set in the hidden
    ``.old`` folder, never a mix of old and new files, and the next call puts it back
    (:func:`recover_dir`).

    Parameters
    ----------
    path
        The output folder.
    overwrite
        Replace an existing non-empty ``path``; without it such a folder is refused.
    own
        Glob patterns of the names this output consists of. When given, a folder holding
        anything else is refused even with ``overwrite`` (``simulate . --overwrite`` must not
        delete the working directory's other files).

    Raises
    ------
    StarclassError
        ``path`` is a file, or is a non-empty folder and ``overwrite`` is false, or holds
        entries outside ``own``, or its parent folder cannot be written, or it is the working
        directory or a folder above it (:func:`holds_working_dir`).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp()) / "field"
    >>> with atomic_dir(d) as tmp:
    ...     _ = (tmp / "a.txt").write_text("new")
    >>> sorted(p.name for p in d.iterdir())
    ['a.txt']
    """
    target = Path(path)
    if holds_working_dir(target):  # before the work: '.' cannot be renamed (an OSError after it, until 2026-12-07)
        raise StarclassError(working_dir_message(target, "output folder"))
    recover_dir(target)  # an older replacement killed half-way: its old set counts as what exists
    if target.exists() and not target.is_dir():
        raise StarclassError(f"output folder {target} exists and is not a folder")
    if target.is_dir() and any(target.iterdir()):
        if not overwrite:
            # the Python argument: notebook users call the functions that write through here too; the
            # command line says --overwrite (errors.cli_words), one wording for both
            raise OutputExistsError(f"output folder {target} exists and is not empty; give overwrite=True to "
                                    "replace it", target)
        if own is not None:
            foreign = foreign_entries(target, own)
            if foreign:
                raise StarclassError(
                    f"output folder {target} holds files this command did not write ({', '.join(foreign[:5])}"
                    f"{', ...' if len(foreign) > 5 else ''}); refusing to replace it even with overwrite=True")
    _clear_replaced(target)  # before notice_leftovers: an old set now deletable goes without a word
    notice_leftovers(target)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=temp_prefix(target), dir=target.parent))
    except OSError as exc:  # an unwritable or missing folder: say which, not a traceback
        raise StarclassError(f"cannot write {target}: {exc.strerror or exc}") from None
    # mkdtemp creates the folder 0700; give it the permissions a plain mkdir() would.
    os.chmod(tmp, 0o777 & ~_umask())
    unfinished = True  # tmp holds the new set until it is renamed into place
    try:
        yield tmp
        if target.exists():
            # one system call swaps the two folders where the kernel can (Linux renameat2): the
            # final path never stops holding a complete set; tmp then holds the old one
            if not exchange_paths(tmp, target):
                # elsewhere two renames: a kill between them leaves the old set in the hidden
                # .old folder, which the next atomic_dir (or recover_dir) puts back
                old = tmp.with_name(tmp.name + _OLD_SUFFIX)
                os.replace(target, old)
                os.replace(tmp, target)
                tmp = old
            unfinished = False
            # tmp now holds the old set; one the user made read-only stays (renamed .replaced), and is named
            _discard(tmp, f"the new {target.name} folder is in place, but the old one", replaced=True)
        else:
            os.replace(tmp, target)
            unfinished = False
    finally:
        if unfinished and tmp.exists():
            _discard(tmp, f"the folder {target.name} was not written; its unfinished copy")
