"""Parallel numba kernels that stay usable in forked child processes.

numba's default threading layer here is GNU OpenMP, which cannot be used again in a child
forked after the parent ran a parallel region (the child is terminated with "fork() called
from a process already using GNU OpenMP"). That happens with fork-based multiprocessing
and torch DataLoader workers. :func:`dual_kernel` compiles each kernel twice, parallel and
serial, and a fork hook switches a child of such a parent to the serial versions (each
worker process is then one thread, which is what process-level parallelism wants anyway).
"""

from __future__ import annotations

import os
import types

import numba
from numba import njit

_use_serial = False


def _after_fork_in_child() -> None:
    global _use_serial
    try:
        if numba.threading_layer() == "omp":
            _use_serial = True
    except ValueError:  # no parallel region ran in the parent: the child may start its own
        pass


os.register_at_fork(after_in_child=_after_fork_in_child)


class dual_kernel:
    """Wrap a kernel function as ``njit(parallel=True)`` and a serial ``njit`` twin."""

    def __init__(self, func):
        self.parallel = njit(parallel=True, cache=True)(func)
        twin = types.FunctionType(func.__code__, func.__globals__, func.__name__ + "_serial",
                                  func.__defaults__, func.__closure__)
        twin.__qualname__ = func.__qualname__ + "_serial"  # its own on-disk cache entry
        twin.__module__ = func.__module__
        self.serial = njit(cache=True)(twin)
        self.__doc__ = func.__doc__
        self.__name__ = func.__name__

    def __call__(self, *args):
        if _use_serial:
            return self.serial(*args)
        if _launched:
            return self.parallel(*args)
        return _first_parallel_call(self.parallel, args)


#: Whether a parallel kernel has run in this process (numba starts its threads then, once).
_launched = False


def _first_parallel_call(kernel, args):
    """Run the process's first parallel kernel, keeping OpenMP's number of threads (torch's) as it was.

    numba's OpenMP threading layer, as it starts its threads, sets OpenMP's number of threads to its
    own (``NUMBA_NUM_THREADS``, every core) in the calling thread, and torch shares that OpenMP: a
    notebook's ``torch.set_num_threads(1)`` (or ``OMP_NUM_THREADS=1``) read 2 after its first
    ``make_inputs`` (the demo's step 3 on 2 cores). Read and set back with threadpoolctl, which sees
    OpenMP whether or not torch is loaded yet; only here, as numba does it once. An OpenMP that numba
    loads itself (torch not yet imported) is given what it would have started with, ``OMP_NUM_THREADS``
    (unset: OpenMP's default, every core, which is numba's too).
    """
    global _launched
    from threadpoolctl import ThreadpoolController

    def openmp() -> dict:
        return {c.filepath: c for c in ThreadpoolController().select(internal_api="openmp").lib_controllers}

    before = {path: c.num_threads for path, c in openmp().items()}
    try:
        return kernel(*args)
    finally:
        _launched = True
        start = os.environ.get("OMP_NUM_THREADS", "").split(",")[0].strip()
        for path, c in openmp().items():
            n = before.get(path, int(start) if start.isdigit() and int(start) > 0 else None)
            if n is not None and c.num_threads != n:
                c.set_num_threads(n)
