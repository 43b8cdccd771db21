"""``check_device_name`` judges a --device name without torch: it must agree with torch.device and device_name."""

from __future__ import annotations

import warnings

import pytest

from starclass.errors import StarclassError
from starclass.learn.precision import _TORCH_KINDS, check_device_name, device_name, plain_device

NAMES = ("cpu", "cuda", "cuda:0", "cuda:3", "cuda:10", "mps", "cpu:0", "tpu", "cuda:", "cuda:01", "cuda:-1",
         "CUDA", " cpu", "cuda:1 ", "xla", "meta", "xpu:1", "ort", "", ":0", "cuda:१", " cuda", "cuda:001",
         "cuda:+1", "cuda:0x1", "mps:0", "Cuda:1", "cuda: 1")


def _torch_kind(torch, name):
    """The device type torch.device gives ``name``, or None where it refuses the name."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return torch.device(name).type
    except (RuntimeError, TypeError, ValueError):
        return None


def test_every_kind_listed_is_one_torch_takes():
    torch = pytest.importorskip("torch")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for kind in _TORCH_KINDS:
            assert torch.device(kind).type == kind


@pytest.mark.parametrize("name", NAMES)
def test_the_name_check_agrees_with_torch(name):
    """Taken without torch exactly where torch.device takes it as cpu, cuda or mps; 'not a device' where torch
    refuses it; 'starclass runs on ...' where torch takes a kind starclass does not run on."""
    torch = pytest.importorskip("torch")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            kind = torch.device(name).type
    except (RuntimeError, TypeError, ValueError):
        kind = None
    try:
        check_device_name(name)
        said = None
    except StarclassError as exc:
        said = str(exc)
    if kind in ("cpu", "cuda", "mps"):
        assert said is None
        assert device_name(name).type == kind
    elif kind is None:
        assert said == f"--device (device= in Python) {name!r} is not a device; use cpu, cuda or cuda:N"
    else:
        assert said == f"--device (device= in Python) {name!r}: starclass runs on cpu, cuda or mps, not {kind!r}"


@pytest.mark.parametrize("name", NAMES)
def test_plain_device_agrees_with_torch_and_the_name_check(name):
    """plain_device is True exactly where torch.device takes the name as cpu, cuda or mps. Before, "cuda:01" (torch:
    "Invalid device string") was plain, and "cpu:0", "mps:0" (which torch takes) were not."""
    torch = pytest.importorskip("torch")
    plain = _torch_kind(torch, name) in ("cpu", "cuda", "mps")
    assert plain_device(name) is plain
    if plain:
        assert device_name(name) == torch.device(name)
    else:
        with pytest.raises(StarclassError, match=r"^--device \(device= in Python\) .*(is not a device|runs on)"):
            device_name(name)
