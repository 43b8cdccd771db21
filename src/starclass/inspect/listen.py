"""The listening socket of ``starclass inspect``, bound without the web stack.

The command binds its port first, before it opens the label database or prints a line: with
the port taken, ``inspect DATA_DIR`` printed ``note: no accounts yet`` and ``labels in ...``
and ``--init`` made a new database, and only then did the server refuse. This module imports
the standard library alone, so that the bind comes before FastAPI and uvicorn (~2 s) are
imported; :func:`starclass.inspect.app.serve` runs on the socket it returns.
"""

from __future__ import annotations

import errno
import socket

from starclass.errors import StarclassError

#: The port ``starclass inspect`` and :func:`starclass.inspect.app.serve` listen on unless told another.
DEFAULT_PORT = 8000


def listening_socket(host: str, port: int) -> socket.socket:
    """A TCP socket bound to ``host:port``, for :func:`starclass.inspect.app.serve` to hand to uvicorn.

    Parameters
    ----------
    host : str
        Address (or name) of this machine to bind, as ``--host`` gives it.
    port : int
        TCP port; 0 takes any free one.

    Returns
    -------
    socket.socket
        Bound, not yet listening (uvicorn listens on it), inheritable; the caller closes it.

    Raises
    ------
    StarclassError
        The port is taken or the host is not an address of this machine; names both and the
        option to change.

    Examples
    --------
    >>> s = listening_socket("127.0.0.1", 0)   # port 0: any free port
    >>> s.getsockname()[1] > 0
    True
    >>> s.close()
    """
    # IPv4 unless the host is an IPv6 address, as uvicorn bound it: a name that resolves to ::1
    # first ('localhost' on macOS) was bound on IPv6 alone, and http://127.0.0.1 reached nothing
    want = socket.AF_INET6 if ":" in host else socket.AF_INET
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, family=want, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as exc:
        raise StarclassError(f"--host {host}: not an address of this machine ({exc})") from None
    sock = socket.socket(family, kind, proto)
    # as uvicorn binds: a port left in TIME_WAIT by a stopped server is reused at once
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise StarclassError(f"port {port} on {host} is already in use (another program, or another "
                                 "'starclass inspect'): choose a free one with --port") from None
        raise StarclassError(f"cannot listen on {host}:{port} (--host, --port): {exc.strerror or exc}") from None
    sock.set_inheritable(True)
    return sock
