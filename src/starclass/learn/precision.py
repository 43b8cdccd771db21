"""Numeric precision of training and inference: float32, or mixed precision (autocast).

One setting, ``recipe.amp`` of the task config (``starclass train --precision``), decides:

* ``True`` (``"auto"``, the default): mixed precision on CUDA (bfloat16 where the GPU
  computes it natively, Ampere or later, else float16 with a gradient scaler); float32 on a CPU.
* ``"bf16"``: bfloat16 autocast on any device, **CPU included**. On CPUs with bfloat16
  units (Intel AMX, Sapphire Rapids and later; AVX512-BF16, as this project's AMD EPYC of
  2026-12-07 has) the convolutions then run faster, 1.0x to 5.4x by network and CPU; the
  tensors are also put in channels-last memory order, which oneDNN's bfloat16 convolutions
  need to be fast. Weights, optimizer state, losses and softmax stay float32 (autocast runs
  the convolutions and matrix products in bfloat16).
  Measured by ``benchmarks/cpu_precision.py``.
* ``False`` (``"fp32"``): float32 everywhere.

Inference follows the model's own recipe unless told otherwise, so a model trained in
bfloat16 is also applied in bfloat16.
"""

from __future__ import annotations

import contextlib
from typing import TYPE_CHECKING, TypeVar

from starclass.errors import StarclassError, counted

if TYPE_CHECKING:
    # torch is imported in the functions that compute: the task configs read parse_precision, and
    # every command's --help loads them; torch at this module's top was 1.2 s of starclass --help
    import torch

#: A model or a tensor: :func:`to_memory_format` gives back what it was given.
ModuleOrTensor = TypeVar("ModuleOrTensor", "torch.nn.Module", "torch.Tensor")

__all__ = ["PRECISIONS", "parse_precision", "precision_name", "compute_dtype", "dtype_name", "autocast",
           "cpu_has_bf16_units", "to_memory_format", "pick_device", "wait_for_device", "settled_clock"]

#: Values of ``recipe.amp`` and what ``--precision`` names them.
PRECISIONS = {"auto": True, "fp32": False, "bf16": "bf16"}


def parse_precision(value: bool | str | None, where: str = "precision") -> bool | str:
    """Normalise a precision setting to ``True``, ``False`` or ``"bf16"``.

    Accepts the ``recipe.amp`` values (``True``, ``False``, ``"bf16"``) and the CLI names
    (``"auto"``, ``"fp32"``, ``"bf16"``).

    Examples
    --------
    >>> parse_precision("auto"), parse_precision("fp32"), parse_precision("bf16"), parse_precision(True)
    (True, False, 'bf16', True)
    >>> parse_precision("fp16")
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: precision='fp16': use one of auto, fp32, bf16 (or true/false)
    """
    if value is True or value is False:
        return value
    if isinstance(value, str) and value.lower() in PRECISIONS:
        return PRECISIONS[value.lower()]
    raise StarclassError(f"{where}={value!r}: use one of {', '.join(PRECISIONS)} (or true/false)")


def precision_name(amp: bool | str) -> str:
    """The CLI name (``auto``, ``fp32``, ``bf16``) of a precision setting.

    Examples
    --------
    >>> precision_name(True), precision_name(False), precision_name("bf16")
    ('auto', 'fp32', 'bf16')
    """
    amp = parse_precision(amp)
    return next(name for name, value in PRECISIONS.items() if value == amp)


def dtype_name(dtype: torch.dtype | None) -> str:
    """``"float32"`` for None (no autocast), else the dtype's name (``"bfloat16"``).

    Examples
    --------
    >>> import torch
    >>> dtype_name(None), dtype_name(torch.bfloat16)
    ('float32', 'bfloat16')
    """
    import torch

    return str(dtype or torch.float32).removeprefix("torch.")


def cpu_has_bf16_units() -> bool:
    """Whether this CPU has bfloat16 matrix instructions (AMX tiles or AVX512-BF16).

    Examples
    --------
    >>> isinstance(cpu_has_bf16_units(), bool)  # True or False depending on the machine
    True
    """
    import torch

    cpu = getattr(torch, "cpu", None)
    for name in ("_is_amx_tile_supported", "_is_avx512_bf16_supported"):
        fn = getattr(cpu, name, None)
        if fn is not None:
            try:
                if fn():
                    return True
            except Exception:
                continue
    return False


def compute_dtype(amp: bool | str, device: torch.device | str) -> torch.dtype | None:
    """The autocast dtype for a precision setting on a device (None: float32).

    Examples
    --------
    ``auto`` is mixed precision on CUDA only:

    >>> compute_dtype(True, "cpu"), compute_dtype(False, "cpu"), compute_dtype("bf16", "cpu")
    (None, None, torch.bfloat16)
    """
    import torch

    amp = parse_precision(amp, "recipe.amp")
    dev = torch.device(device)
    if amp is False:
        return None
    if amp == "bf16":
        return torch.bfloat16
    if dev.type == "cuda":
        return torch.bfloat16 if _native_bf16(dev) else torch.float16
    return None


def _native_bf16(device: torch.device) -> bool:
    """Whether the CUDA (or ROCm) GPU ``device`` computes bfloat16 natively (compute capability 8, Ampere, or later).

    Not ``torch.cuda.is_bf16_supported()``: it answers for the process's current device, not ``cuda:N``, and it
    says yes on an older GPU (a T4, a V100) where a bfloat16 tensor can be made but is emulated, without tensor
    cores, where "auto" is to take float16 with a gradient scaler.
    """
    import torch

    if torch.version.hip:
        return True  # every ROCm GPU torch runs on has bfloat16 (torch's own rule)
    return torch.cuda.get_device_properties(device).major >= 8


def autocast(device: torch.device | str, dtype: torch.dtype | None) -> contextlib.AbstractContextManager:
    """An autocast context for ``dtype`` on ``device`` (a no-op context for float32).

    Examples
    --------
    >>> import torch
    >>> with autocast("cpu", None):
    ...     (torch.ones(2, 2) @ torch.ones(2, 2)).dtype
    torch.float32
    >>> with autocast("cpu", torch.bfloat16):
    ...     (torch.ones(2, 2) @ torch.ones(2, 2)).dtype
    torch.bfloat16
    """
    import torch

    if dtype is None:
        return contextlib.nullcontext()
    return torch.autocast(torch.device(device).type, dtype=dtype)


def _on_cuda(device: object) -> bool:
    """Whether work may be queued on ``device``, a CUDA GPU (None: whichever CUDA has been started in this process).

    Only where CUDA has been started in this process: before that nothing can be queued, and
    ``torch.cuda.synchronize`` would start CUDA (a context of some hundred MB on the GPU, seconds) to wait for
    nothing. Apart from :func:`wait_for_device` so that a test can take a CPU for a GPU and see the waits.
    """
    import sys

    torch = sys.modules.get("torch")
    if torch is None or not torch.cuda.is_initialized():
        return False  # no tensor was ever made on a GPU: nothing can be queued
    if device is None:
        return True
    try:
        return torch.device(device).type == "cuda"
    except (RuntimeError, TypeError, ValueError):
        return False  # a name torch refuses: refused where the device is picked, nothing ran on it


def wait_for_device(device: torch.device | str | None) -> None:
    """Wait until the work queued on a CUDA ``device`` has run; return at once on any other.

    CUDA runs kernels asynchronously: a call that launches them returns before they run, so a clock
    read just after it, or a progress bar moved by it, measures the launch and not the work (and the
    next call that copies a result back pays for it). Timings a user or a benchmark reads wait here
    first. ``None``: the process's current CUDA device. Before CUDA has started in this process nothing
    can be queued: it returns at once, and does not start CUDA to wait for nothing.

    Parameters
    ----------
    device : torch.device, str or None
        The device the work was queued on.

    Examples
    --------
    >>> wait_for_device("cpu")  # nothing is queued on a CPU: returns at once
    """
    if _on_cuda(device):
        import torch

        torch.cuda.synchronize(None if device is None else torch.device(device))


def settled_clock(device: torch.device | str | None) -> float:
    """:func:`time.perf_counter`, read once the work queued on a CUDA ``device`` has run (:func:`wait_for_device`).

    Parameters
    ----------
    device : torch.device, str or None
        The device the timed work runs on.

    Returns
    -------
    float
        Seconds, as :func:`time.perf_counter` gives them: only differences mean anything.

    Examples
    --------
    >>> t0 = settled_clock("cpu")
    >>> settled_clock("cpu") - t0 >= 0
    True
    """
    import time

    wait_for_device(device)
    return time.perf_counter()


def to_memory_format(obj: ModuleOrTensor, device: torch.device | str, dtype: torch.dtype | None) -> ModuleOrTensor:
    """Channels-last for 4-D tensors and models when running bfloat16 on a CPU, else as is.

    oneDNN's fast bfloat16 convolutions work in channels-last order; in the default order
    most of the gain is lost (``benchmarks/cpu_precision.py`` shows both).

    Examples
    --------
    >>> import torch
    >>> x = torch.zeros(1, 2, 4, 4)
    >>> to_memory_format(x, "cpu", torch.bfloat16).is_contiguous(memory_format=torch.channels_last)
    True
    >>> to_memory_format(x, "cpu", None) is x
    True
    """
    import torch

    if dtype is None or torch.device(device).type != "cpu":
        return obj
    if isinstance(obj, torch.Tensor):
        return obj.contiguous(memory_format=torch.channels_last) if obj.dim() == 4 else obj
    return obj.to(memory_format=torch.channels_last)


def pick_device(device: str | torch.device | None = None) -> torch.device:
    """The torch device to compute on: ``device`` if given, else CUDA when available, else CPU.

    Parameters
    ----------
    device : str, torch.device or None
        ``"cpu"``, ``"cuda"``, ``"cuda:1"``, ``"mps"`` ...; None picks CUDA when available.

    Returns
    -------
    torch.device

    Raises
    ------
    StarclassError
        When ``device`` is not a device torch knows (``"tpu"``), or names a CUDA (or MPS) device
        this machine does not have; checked here, once, so that every command fails at its
        start with the option named, not in the middle of the work with a traceback.

    Examples
    --------
    >>> pick_device("cpu").type
    'cpu'
    """
    import torch

    if device is None:
        return torch.device("cuda" if torch.cuda.is_available() else "cpu")
    dev = device_name(device)
    where = f"--device (device= in Python) {device!r}"
    if dev.type == "cuda":
        n = torch.cuda.device_count() if torch.cuda.is_available() else 0
        if n == 0:
            raise StarclassError(f"{where}: no CUDA GPU is available here; use --device cpu (device=\"cpu\")")
        if dev.index is not None and dev.index >= n:
            raise StarclassError(f"{where}: this machine has {counted(n, 'CUDA GPU')}, "
                                 f"{'cuda:0' if n == 1 else f'cuda:0 to cuda:{n - 1}'}")
    elif dev.type == "mps" and not torch.backends.mps.is_available():
        raise StarclassError(f"{where}: MPS (Apple GPU) is not available here; use --device cpu (device=\"cpu\")")
    return dev


#: The device kinds torch.device takes by name (torch 2.x); starclass computes on the first three. Kept here so
#: that a name is judged without importing torch (1-4 s): tests/test_device_names.py checks it against torch.
_TORCH_KINDS = ("cpu", "cuda", "mps", "xpu", "xla", "meta", "hip", "ipu", "hpu", "mtia", "maia", "opengl", "opencl",
                "ideep", "ve", "fpga", "lazy", "vulkan", "privateuseone")


def check_device_name(device: object) -> None:
    """Refuse a ``--device`` name that torch or starclass would not take, without importing torch.

    Every command checks the name at once, before its first line and before torch loads (a 'tpu' was refused
    only once torch had loaded, 1-4 s); :func:`pick_device` later asks this machine whether the device is there.

    Parameters
    ----------
    device : object
        What ``--device`` (or ``device=``) gave; None (the default device) and anything not a string (a
        ``torch.device``, left to :func:`device_name`) pass.

    Raises
    ------
    StarclassError
        ``'tpu' is not a device`` for a name torch does not know (or a malformed index: ``cuda:``, ``cuda:01``),
        ``starclass runs on cpu, cuda or mps, not 'xla'`` for one it knows that starclass does not run on.

    Examples
    --------
    >>> check_device_name("cuda:1"), check_device_name("cpu"), check_device_name(None)
    (None, None, None)
    >>> check_device_name("tpu")
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: --device (device= in Python) 'tpu' is not a device; use cpu, cuda or cuda:N
    """
    if not isinstance(device, str):
        return
    refusal = _device_refusal(device)
    if refusal is not None:
        raise StarclassError(refusal)


def _device_refusal(device: str) -> str | None:
    """Why torch or starclass would not take the device name ``device``; None where both take it."""
    where = f"--device (device= in Python) {device!r}"
    kind, colon, index = device.partition(":")
    # torch's own form: a lower-case kind, then optionally ':N' with no sign, space or leading zero
    good_index = not colon or (index.isascii() and index.isdigit() and (index == "0" or not index.startswith("0")))
    if kind not in _TORCH_KINDS or not good_index:
        return f"{where} is not a device; use cpu, cuda or cuda:N"
    if kind not in ("cpu", "cuda", "mps"):
        return f"{where}: starclass runs on cpu, cuda or mps, not {kind!r}"
    return None


def plain_device(device: object) -> bool:
    """Whether ``device`` is None or a name :func:`device_name` takes as it is: ``cpu``, ``mps``, ``cuda``, ``cuda:N``.

    Found without torch, by the rule of :func:`check_device_name`, so that the two and ``torch.device`` agree: a
    command checks such a device (:func:`pick_device`: is it on this machine?) after its first line, once torch
    has loaded, and any other name at once, where the name alone refuses it. Until 2026-12-06 ``"cuda:01"``,
    which torch refuses ("Invalid device string"), was plain, and ``"cpu:0"``, which it takes, was not.

    Parameters
    ----------
    device : object
        What ``--device`` (or ``device=``) gave.

    Returns
    -------
    bool
        True for None and the plain names.

    Examples
    --------
    >>> plain_device(None), plain_device("cuda:1"), plain_device("cpu"), plain_device("tpu"), plain_device("cuda:")
    (True, True, True, False, False)
    >>> plain_device("cuda:01"), plain_device("CUDA"), plain_device("cpu:0")
    (False, False, True)
    """
    if device is None:
        return True
    return isinstance(device, str) and _device_refusal(device) is None


def device_name(device: str | torch.device) -> torch.device:
    """``device`` read as a torch device of a kind starclass runs on, without asking this machine for it.

    :func:`pick_device` checks the device on the machine that computes; a survey's workers may be
    other machines (``--scheduler``, ``--jobqueue``), so its head checks only the name, before any
    tile runs: 'tpu' failed every tile, each retried, with the same message.

    Parameters
    ----------
    device : str or torch.device
        ``"cpu"``, ``"cuda"``, ``"cuda:1"``, ``"mps"``.

    Returns
    -------
    torch.device

    Raises
    ------
    StarclassError
        When torch knows no such device, or starclass does not run on its kind.

    Examples
    --------
    >>> device_name("cuda:1").index
    1
    """
    import torch

    check_device_name(device)  # a name, in the words every command says before torch loads
    # a notebook's CNNClassifier(device=...) meets these too: the parameter is named with the option
    where = f"--device (device= in Python) {device!r}"
    try:
        dev = torch.device(device)
    except (RuntimeError, TypeError, ValueError):
        raise StarclassError(f"{where} is not a device; use cpu, cuda or cuda:N") from None
    if dev.type not in ("cpu", "cuda", "mps"):
        raise StarclassError(f"{where}: starclass runs on cpu, cuda or mps, not {dev.type!r}")
    return dev
