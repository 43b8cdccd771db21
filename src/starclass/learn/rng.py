"""Seeding for training that leaves the caller's global random states as it found them.

Training seeds torch's generator (the network's initial weights, dropout) and numpy's global one (a
sampler or augmentation a user plugs in may draw from it) so that the same seed gives the same model
bit for bit. Until 2026-12-07 those seeds stayed behind: a notebook that called ``fit`` (or the
estimator's ``fit``, or classified, which builds its networks from torch's generator before loading
their weights) found its own ``torch.manual_seed(0)`` / ``np.random.seed(0)`` sequence reseeded or moved
on. :func:`global_rng_kept` puts back python's ``random``, numpy's global state and torch's generators
(the CPU's, and those of the accelerator a run uses) when the block ends, and :func:`seed_torch`
seeds only the generators of the device in use (``torch.manual_seed`` also queues a seed for every
CUDA device not yet started, which the block could not undo).

Importing a library can move them too (rich, which scikit-learn and crepes import, draws from python's
generator as it is first imported): :func:`starclass.quiet_import` keeps them around such an import. It is the
one helper for both: :func:`global_rng_kept` is it with torch's accelerator generators added.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

import numpy as np  # noqa: F401  (loaded: quiet_import keeps the global states of the libraries loaded)
import torch

from starclass import quiet_import


def _accelerator(device: torch.device | str | None) -> tuple[str | None, list[int]]:
    """The accelerator kind of ``device`` and the device indices whose generators a run may draw from."""
    dev = torch.device("cpu" if device is None else device)
    if dev.type == "cuda" and torch.cuda.is_available():
        # every CUDA device: seed_torch seeds them all, as torch.manual_seed did (bit for bit as before)
        return "cuda", list(range(torch.cuda.device_count()))
    if dev.type == "mps":
        return "mps", [0]  # one MPS generator; torch.mps.get_rng_state takes no index
    return None, []


@contextlib.contextmanager
def global_rng_kept(device: torch.device | str | None = None) -> Iterator[None]:
    """Inside the block, draw and seed as you like; after it, the global random states are as before.

    Kept: python's :mod:`random`, numpy's global generator (``np.random.seed``'s), torch's CPU generator
    and, where ``device`` is a CUDA or MPS device, that accelerator's generators.

    Parameters
    ----------
    device
        The torch device the block runs on (None: the CPU only).

    Examples
    --------
    >>> import random
    >>> _ = torch.manual_seed(1); np.random.seed(1); random.seed(1)  # noqa: NPY002
    >>> expected = (torch.rand(1).item(), np.random.rand(), random.random())  # noqa: NPY002
    >>> _ = torch.manual_seed(1); np.random.seed(1); random.seed(1)  # noqa: NPY002
    >>> with global_rng_kept("cpu"):
    ...     seed_torch(7, "cpu"); np.random.seed(7); _ = torch.rand(3), random.random()  # noqa: NPY002
    >>> (torch.rand(1).item(), np.random.rand(), random.random()) == expected  # noqa: NPY002
    True
    """
    kind, devices = _accelerator(device)
    with quiet_import(), torch.random.fork_rng(devices=devices, device_type=kind or "cuda"):
        yield


def seed_torch(seed: int, device: torch.device | str | None = None) -> None:
    """Seed torch's CPU generator and those of ``device``'s accelerator, as ``torch.manual_seed`` does there.

    ``torch.manual_seed`` seeds every device kind: on a machine with an unstarted GPU, a CPU run queued
    a seed that CUDA takes when it starts, after the run, replacing the caller's. The generators a run
    draws from get the same seed as from ``torch.manual_seed``, so its weights are the same.

    Parameters
    ----------
    seed
        The seed (0 to 2**64 - 1).
    device
        The device the run draws on (None: the CPU only).

    Examples
    --------
    >>> seed_torch(3, "cpu"); a = torch.rand(2)
    >>> _ = torch.manual_seed(3); bool(torch.equal(a, torch.rand(2)))
    True
    """
    torch.random.default_generator.manual_seed(int(seed))
    kind, _ = _accelerator(device)
    if kind == "cuda":
        torch.cuda.manual_seed_all(int(seed))
    elif kind == "mps":
        torch.mps.manual_seed(int(seed))
