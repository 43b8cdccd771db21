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

    Examples
    --------
    >>> import torch
    >>> x = torch.arange(4.0).reshape(1, 1, 2, 2)   # [[0, 1], [2, 3]]
    >>> dihedral(x, 1).flatten().tolist()          # a quarter turn counter-clockwise
    [1.0, 3.0, 0.0, 2.0]
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

    Examples
    --------
    >>> import torch
    >>> x = torch.arange(9.0).reshape(1, 1, 3, 3)
    >>> dihedral_inverse(1), dihedral_inverse(5)
    (3, 5)
    >>> torch.equal(dihedral(dihedral(x, 1), dihedral_inverse(1)), x)
    True
    """
    if not 0 <= d < 8:
        raise ValueError(f"dihedral element must be 0-7, got {d}")
    return d if d >= 4 else (4 - d) % 4


def rescale(x: torch.Tensor, factor: float = 1.07) -> torch.Tensor:
    """Magnify ``[N, C, H, W]`` stamps by ``factor`` about their centre pixel (bilinear).

    The fixed point is pixel ``(H // 2, W // 2)``, the pixel a stamp extractor centres the
    candidate on, so the candidate does not move.

    Examples
    --------
    >>> import torch
    >>> x = torch.zeros(1, 1, 5, 5)
    >>> x[0, 0, 2, 2] = 1.0
    >>> float(rescale(x, 1.5)[0, 0, 2, 2])   # the centre pixel stays where it is
    1.0
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


def translate(x: torch.Tensor, dx: torch.Tensor, dy: torch.Tensor) -> torch.Tensor:
    """Shift each stamp of ``[N, C, H, W]`` by whole pixels ``(dx[i], dy[i])``, edges repeated.

    A positive ``dx`` moves the content to larger column indices. The edge pixels fill what
    comes in, as the sky around a stamp would (a zero fill would paint a dark band into
    normalised stamps whose background is not 0).

    Examples
    --------
    >>> x = torch.arange(4.0).reshape(1, 1, 1, 4)
    >>> translate(x, torch.tensor([1]), torch.tensor([0]))[0, 0, 0].tolist()
    [0.0, 0.0, 1.0, 2.0]
    """
    n, _, h, w = x.shape
    if n == 0:
        return x.clone()
    rows = torch.arange(h, device=x.device)[None, :] - dy.to(x.device)[:, None]
    cols = torch.arange(w, device=x.device)[None, :] - dx.to(x.device)[:, None]
    rows = rows.clamp(0, h - 1)
    cols = cols.clamp(0, w - 1)
    idx = torch.arange(n, device=x.device)[:, None, None]
    # gather [N, H, W] source positions for every channel at once
    out = x.permute(0, 2, 3, 1)[idx, rows[:, :, None], cols[:, None, :]]
    return out.permute(0, 3, 1, 2).contiguous()


def add_noise(x: torch.Tensor, sigma: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """Add Gaussian noise of ``sigma[i]`` times each stamp-channel's own standard deviation.

    Scaling by the stamp's spread makes one setting mean the same for every normalisation.

    Examples
    --------
    sigma 0 leaves a stamp as it is; 0.5 adds noise of half its spread:

    >>> x = torch.arange(32.0).reshape(2, 1, 4, 4)
    >>> out = add_noise(x, torch.tensor([0.0, 0.5]), torch.Generator().manual_seed(0))
    >>> torch.equal(out[0], x[0]), round(float((out[1] - x[1]).std() / x[1].std()), 2)
    (True, 0.56)
    """
    std = x.float().std(dim=(2, 3), keepdim=True).nan_to_num(0.0)
    eps = torch.randn(x.shape, generator=generator).to(x.device)
    return (x.float() + eps * std * sigma.to(x.device)[:, None, None, None]).to(x.dtype)


def augment_batch(
    x: torch.Tensor,
    generator: torch.Generator,
    *,
    rescale_p: float = 0.5,
    factor: float = 1.07,
    shift: int = 0,
    noise: float = 0.0,
) -> torch.Tensor:
    """Random dihedral transform per stamp, then a ``factor`` magnification with ``rescale_p``,
    then (when asked) a random translation and Gaussian noise.

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
    shift
        Largest translation in pixels on each axis (0: none); the M31 paper translates.
    noise
        Largest Gaussian noise level relative to each stamp's spread (0: none); drawn
        uniformly per stamp in ``[0, noise]``.

    Returns
    -------
    torch.Tensor
        Augmented batch, same shape, dtype and device.

    Examples
    --------
    >>> g = torch.Generator().manual_seed(0)
    >>> x = torch.zeros(2, 1, 8, 8)
    >>> augment_batch(x, g, shift=2, noise=0.1).shape
    torch.Size([2, 1, 8, 8])
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
    # drawn only when enabled, so runs without them keep the random stream they always had
    if shift > 0:
        d = torch.randint(-int(shift), int(shift) + 1, (2, n), generator=generator)
        out = translate(out, d[0], d[1])
    if noise > 0:
        out = add_noise(out, torch.rand(n, generator=generator) * float(noise), generator)
    return out
