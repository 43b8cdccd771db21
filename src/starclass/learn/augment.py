"""Training-time augmentation on batched torch tensors.

A cluster candidate is centred in its stamp, so the eight elements of the dihedral group of
the square (four rotations by 90 degrees, each with or without a mirror flip) are exact
symmetries of the classification problem (StarcNet paper, section 4: "full rotational and
mirror symmetry"; the PHANGS appendix rotates by multiples of 90 degrees and flips with
probability 0.5). StarcNet's best recipe also magnifies the stamp by 1.07x with probability
0.5 (its table 2c); :func:`rescale` does that about the stamp centre with bilinear sampling.

All functions work on ``[N, C, H, W]`` tensors on any device, one call per batch (no Python
loop over candidates); the random draws come from an explicit :class:`torch.Generator` so
that training is reproducible.

Element ``d`` of the group (``0 <= d < 8``) is "rotate by ``d % 4`` quarter turns
counter-clockwise, then mirror left-right if ``d >= 4``".
"""

from __future__ import annotations

import torch
import torch.nn.functional as F

#: The eight dihedral transforms, by index (see the module docstring).
DIHEDRAL: tuple[int, ...] = tuple(range(8))


def dihedral(x: torch.Tensor, d: int) -> torch.Tensor:
    """Apply dihedral element ``d`` to the last two axes of ``x``.

    Parameters
    ----------
    x
        Tensor ``[..., H, W]`` with ``H == W``.
    d
        Group element, 0-7: ``d % 4`` counter-clockwise quarter turns, then a left-right
        mirror when ``d >= 4``.

    Returns
    -------
    torch.Tensor
        The transformed tensor (a new tensor; ``x`` is not modified).
    """
    if not 0 <= d < 8:
        raise ValueError(f"dihedral element must be 0-7, got {d}")
    if x.shape[-1] != x.shape[-2]:
        raise ValueError(f"dihedral transforms need square stamps, got {tuple(x.shape[-2:])}")
    y = torch.rot90(x, d % 4, dims=(-2, -1)) if d % 4 else x.clone()
    if d >= 4:
        y = torch.flip(y, dims=(-1,))
    return y


def dihedral_inverse(d: int) -> int:
    """Index of the inverse of dihedral element ``d``.

    Mirrored elements are their own inverses; a pure rotation by ``k`` quarter turns is
    undone by ``4 - k``.
    """
    if not 0 <= d < 8:
        raise ValueError(f"dihedral element must be 0-7, got {d}")
    return d if d >= 4 else (4 - d) % 4


def rescale(x: torch.Tensor, factor: float = 1.07) -> torch.Tensor:
    """Magnify ``[N, C, H, W]`` stamps by ``factor`` about their centre pixel (bilinear).

    The fixed point is pixel ``(H // 2, W // 2)``, the pixel a stamp extractor centres the
    candidate on, so the candidate does not move.
    """
    if x.ndim != 4:
        raise ValueError(f"rescale expects [N, C, H, W], got shape {tuple(x.shape)}")
    n, _, h, w = x.shape
    if n == 0 or factor == 1.0:
        return x.clone()
    inv = 1.0 / float(factor)
    # Normalised coordinate (align_corners=False) of the centre pixel on each axis.
    cx = (2 * (w // 2) + 1) / w - 1.0
    cy = (2 * (h // 2) + 1) / h - 1.0
    theta = torch.tensor(
        [[inv, 0.0, cx * (1.0 - inv)], [0.0, inv, cy * (1.0 - inv)]],
        dtype=torch.float32, device=x.device,
    ).expand(n, 2, 3)
    grid = F.affine_grid(theta, [n, x.shape[1], h, w], align_corners=False)
    out = F.grid_sample(x.float(), grid, mode="bilinear", padding_mode="border", align_corners=False)
    return out.to(x.dtype)


def augment_batch(
    x: torch.Tensor,
    generator: torch.Generator,
    *,
    rescale_p: float = 0.5,
    factor: float = 1.07,
) -> torch.Tensor:
    """Random dihedral transform per stamp, then a ``factor`` magnification with ``rescale_p``.

    Parameters
    ----------
    x
        Batch ``[N, C, H, W]`` (square stamps).
    generator
        CPU generator for the random draws (one transform index and one coin per stamp).
    rescale_p
        Probability of the magnification (StarcNet: 0.5). 0 disables it.
    factor
        Magnification (StarcNet: 1.07).

    Returns
    -------
    torch.Tensor
        Augmented batch, same shape, dtype and device.
    """
    n = x.shape[0]
    which = torch.randint(0, 8, (n,), generator=generator)
    coins = torch.rand(n, generator=generator) < rescale_p
    out = torch.empty_like(x)
    which_dev = which.to(x.device)
    for d in DIHEDRAL:
        sel = which_dev == d
        if bool(sel.any()):
            out[sel] = dihedral(x[sel], d)
    if rescale_p > 0 and bool(coins.any()):
        sel = coins.to(x.device)
        out[sel] = rescale(out[sel], factor)
    return out
