"""What one client may cost the inspection server: body size, login attempts, password work.

* :class:`BodySizeLimit`: requests with a body over the limit get 413 before it is read (by
  ``Content-Length``) or as soon as the streamed body passes it.
* :class:`LoginThrottle`: after a few wrong passwords for one account, or many from one
  address, further attempts wait (429 with ``Retry-After``), the wait doubling with each
  failure; no password is checked while waiting, so a flood costs no argon2 work.
* The argon2 work itself is bounded in :mod:`starclass.inspect.passwords` (password length)
  and in the login route (a few verifications at a time, outside the event loop).
"""

from __future__ import annotations

import asyncio
import math
import threading
import time
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field

from fastapi import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

#: Largest request body (bytes): a label with the longest comment, JSON-escaped, fits ~3 times.
MAX_BODY_BYTES = 64 * 1024


class BodySizeLimit:
    """ASGI middleware answering 413 to request bodies over ``max_bytes``.

    Parameters
    ----------
    app
        The application to wrap.
    max_bytes
        The largest body accepted.

    Examples
    --------
    >>> from fastapi import FastAPI
    >>> app = FastAPI()
    >>> app.add_middleware(BodySizeLimit, max_bytes=1024)
    """

    def __init__(self, app: ASGIApp, max_bytes: int = MAX_BODY_BYTES) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > self.max_bytes):
            await _send_413(send, self.max_bytes)
            return
        received = 0

        async def limited() -> Message:
            # a chunked body declares no length: count it as it arrives
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > self.max_bytes:
                    raise HTTPException(status_code=413, detail=_too_large(self.max_bytes))
            return message

        await self.app(scope, limited, send)


def _too_large(max_bytes: int) -> str:
    return f"request body over the limit of {max_bytes} bytes"


async def _send_413(send: Send, max_bytes: int) -> None:
    body = ('{"detail":"' + _too_large(max_bytes) + '"}').encode()
    await send({"type": "http.response.start", "status": 413,
                "headers": [(b"content-type", b"application/json"),
                            (b"content-length", str(len(body)).encode()),
                            (b"connection", b"close")]})
    await send({"type": "http.response.body", "body": body})


@dataclass
class _Failures:
    count: int = 0
    last: float = 0.0


@dataclass
class LoginThrottle:
    """Failed logins per account and per address, and how long each must wait now.

    Each key (an account name, a client address) may fail ``free`` times within ``window``
    seconds; after that every attempt waits ``delay * 2 ** (failures - free)`` seconds after
    the last failure (at most ``max_wait``). A successful login clears its account's count,
    not its address's (one's own account would otherwise reset the guesses at others').
    Counts older than ``window`` are forgotten.

    Parameters
    ----------
    free_per_account, free_per_address
        Failures allowed without waiting (the address's is higher: people behind one NAT
        share it).
    window
        Seconds after the last failure when a count is forgotten.
    delay, max_wait
        First and longest wait (s).
    clock
        Seconds, monotonic (tests pass a fake).

    Examples
    --------
    >>> now = [0.0]
    >>> throttle = LoginThrottle(free_per_account=2, clock=lambda: now[0])
    >>> for _ in range(3):
    ...     throttle.failed("ann", "10.0.0.1")
    >>> throttle.retry_after("ann", "10.0.0.2")
    2.0
    >>> now[0] = 2.0
    >>> throttle.retry_after("ann", "10.0.0.2")
    0.0
    """

    free_per_account: int = 5
    free_per_address: int = 20
    window: float = 900.0
    delay: float = 1.0
    max_wait: float = 900.0
    clock: Callable[[], float] = time.monotonic
    _failures: dict[tuple[str, str], _Failures] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    def _keys(self, name: str, address: str) -> list[tuple[tuple[str, str], int]]:
        return [(("account", name), self.free_per_account), (("address", address), self.free_per_address)]

    def retry_after(self, name: str, address: str) -> float:
        """Seconds the next attempt for ``name`` from ``address`` must wait (0: go ahead)."""
        now = self.clock()
        wait = 0.0
        with self._lock:
            for key, free in self._keys(name, address):
                f = self._failures.get(key)
                if f is None or now - f.last > self.window or f.count < free:
                    continue
                lock = min(self.delay * 2.0 ** (f.count - free), self.max_wait)
                wait = max(wait, f.last + lock - now)
        return max(wait, 0.0)

    def failed(self, name: str, address: str) -> None:
        """Count a wrong password for ``name`` from ``address``."""
        now = self.clock()
        with self._lock:
            if len(self._failures) > 10_000:  # bound the memory a name-spraying client costs
                self._failures = {k: f for k, f in self._failures.items() if now - f.last <= self.window}
            for key, _free in self._keys(name, address):
                f = self._failures.setdefault(key, _Failures())
                if now - f.last > self.window:
                    f.count = 0
                f.count += 1
                f.last = now

    def succeeded(self, name: str) -> None:
        """Clear the count of an account after a right password."""
        with self._lock:
            self._failures.pop(("account", name), None)


def retry_header(seconds: float) -> dict[str, str]:
    """The ``Retry-After`` header for a wait (whole seconds, at least 1).

    Examples
    --------
    >>> retry_header(0.2)
    {'Retry-After': '1'}
    """
    return {"Retry-After": str(max(1, math.ceil(seconds)))}


#: Password checks (argon2, 64 MiB each by default) running at once in one server.
MAX_PARALLEL_HASHES = 2


class HashSlots:
    """At most ``n`` password checks at once; the others wait without holding a thread.

    An :class:`asyncio.Semaphore` belongs to one event loop; a server has one, but a test
    client may run each request in a loop of its own, so there is one semaphore per loop.

    Parameters
    ----------
    n
        Checks allowed at once.

    Examples
    --------
    >>> async def check():
    ...     async with HashSlots(2).here():
    ...         return "checked"
    >>> asyncio.run(check())
    'checked'
    """

    def __init__(self, n: int = MAX_PARALLEL_HASHES) -> None:
        self.n = n
        self._by_loop: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, asyncio.Semaphore] = (
            weakref.WeakKeyDictionary())
        self._lock = threading.Lock()

    def here(self) -> asyncio.Semaphore:
        """The semaphore of the running event loop."""
        loop = asyncio.get_running_loop()
        with self._lock:
            sem = self._by_loop.get(loop)
            if sem is None:
                sem = self._by_loop[loop] = asyncio.Semaphore(self.n)
        return sem
