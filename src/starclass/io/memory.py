"""Memory checks before a big allocation: refuse by name instead of being killed half-way.

A command that is about to allocate arrays whose size follows from an option (``simulate
--size``) estimates what it needs and compares it with what this process may use: the free
memory of the machine, lowered by a cgroup limit (containers, Slurm) and by ``ulimit -v``.
Asking for more fails at once with ``error: ...`` naming the option and both numbers, rather
than after minutes of work with an ``OOM`` kill that leaves nothing to read.

Set ``STARCLASS_NO_MEMORY_CHECK=1`` to skip the check (e.g. on a machine with a large swap).
"""

from __future__ import annotations

import os
import resource
from pathlib import Path

from starclass.errors import StarclassError

#: Environment variable that turns the check off.
SKIP_ENV = "STARCLASS_NO_MEMORY_CHECK"

#: cgroup files holding the memory limit of this process (v2 first, then v1).
_CGROUP_LIMITS = (Path("/sys/fs/cgroup/memory.max"), Path("/sys/fs/cgroup/memory/memory.limit_in_bytes"))


def _meminfo_available() -> int | None:
    """``MemAvailable`` of /proc/meminfo in bytes (Linux without psutil), or None."""
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemAvailable:"):
                return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _cgroup_limit() -> int | None:
    """The cgroup memory limit in bytes, or None when there is none (``max`` or a huge v1 value)."""
    for path in _CGROUP_LIMITS:
        try:
            text = path.read_text().strip()
        except OSError:
            continue
        if text.isdigit() and int(text) < 1 << 60:  # v1 writes ~2**63 for "no limit"
            return int(text)
    return None


def available_memory() -> int | None:
    """Bytes this process can still allocate, as well as can be told; None when unknown.

    The smallest of: the machine's available memory (psutil, else ``/proc/meminfo``, else
    ``os.sysconf`` free pages), the cgroup limit and the address-space limit (``ulimit -v``).

    Returns
    -------
    int or None
        Bytes, or None when no source answered.

    Examples
    --------
    >>> n = available_memory()
    >>> n is None or n > 0
    True
    """
    candidates: list[int] = []
    try:
        import psutil

        candidates.append(int(psutil.virtual_memory().available))
    except Exception:  # psutil absent or unable to read: fall back to the kernel's own numbers
        avail = _meminfo_available()
        if avail is None:
            try:
                avail = os.sysconf("SC_AVPHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
            except (ValueError, OSError, AttributeError):
                avail = None
        if avail is not None:
            candidates.append(int(avail))
    limit = _cgroup_limit()
    if limit is not None:
        candidates.append(limit)
    soft, _ = resource.getrlimit(resource.RLIMIT_AS)
    if soft not in (resource.RLIM_INFINITY, -1) and soft > 0:
        candidates.append(int(soft))
    return min(candidates) if candidates else None


def format_bytes(n: float) -> str:
    """``n`` bytes as a short human number (``"48.2 GiB"``).

    Examples
    --------
    >>> format_bytes(3 * 1024 ** 3)
    '3.0 GiB'
    >>> format_bytes(512)
    '512 B'
    """
    for unit, size in (("TiB", 1024 ** 4), ("GiB", 1024 ** 3), ("MiB", 1024 ** 2), ("KiB", 1024)):
        if n >= size:
            return f"{n / size:.1f} {unit}"
    return f"{int(n)} B"


def check_memory(needed: int, *, what: str, available: int | None = None) -> None:
    """Refuse work that needs more memory than is available, naming ``what`` and both numbers.

    Parameters
    ----------
    needed
        Estimated peak bytes of the work.
    what
        The option and value the need follows from, for the message (``"--size 16384"``).
    available
        Bytes available (default: :func:`available_memory`). Unknown availability passes.

    Raises
    ------
    StarclassError
        ``needed`` exceeds ``available`` (and ``STARCLASS_NO_MEMORY_CHECK`` is not set).

    Examples
    --------
    >>> check_memory(1024, what="--size 64", available=1 << 30)  # fits: nothing happens
    >>> check_memory(50 * 1024 ** 3, what="--size 16384", available=8 * 1024 ** 3)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: --size 16384 needs about 50.0 GiB of memory but only 8.0 GiB ...
    """
    if os.environ.get(SKIP_ENV, "").strip() not in ("", "0"):
        return
    if available is None:
        available = available_memory()
    if available is None or needed <= available:
        return
    raise StarclassError(
        f"{what} needs about {format_bytes(needed)} of memory but only {format_bytes(available)} is available; "
        f"choose a smaller value (or set {SKIP_ENV}=1 to try anyway)"
    )
