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
        return (self.serial if _use_serial else self.parallel)(*args)
