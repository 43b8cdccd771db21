"""Speed of the simulator's pixel sums: ``np.add.at`` with a (row, column) index against flat indices.

    PYTHONPATH=src .venv/bin/python benchmarks/simulate_render_speed.py [--size 1024] [--n-candidates 1500]
        [--repeats 3] [--seed 1]

Simulates a field's galaxy and objects (``SimConfig(shape=(size, size), n_candidates=...)``), then renders
every band without noise twice per round: with :func:`reference_add_gaussians` (the renderer's
``_add_gaussians`` as it was until 2026-12-06, ``np.add.at(image, (iy, ix), values)``) and with the
current :func:`starclass.simulate.render.render_band` (:func:`~starclass.simulate.render.add_at_pixels`,
``np.add.at`` on one flat index). Both run in this process, alternating, so a shared machine's load falls on
both alike. Prints the median seconds of each, the ratio new / reference, and whether the images are the
same bit for bit (the same float32 additions in the same order: they should be) and the largest relative
difference. ``tests/test_simulate_add_at.py`` checks the same equality on a small field.
"""

from __future__ import annotations

import argparse
import statistics
import time
from unittest import mock

import numpy as np

from starclass.simulate import render
from starclass.simulate.config import SimConfig
from starclass.simulate.field import stage_rng
from starclass.simulate.galaxy import build_galaxy
from starclass.simulate.objects import make_objects


def reference_add_gaussians(image: np.ndarray, x, y, amp, cxx, cyy, cxy, threshold: float,
                            origin: tuple[int, int] = (0, 0)) -> None:
    """The renderer's ``_add_gaussians`` before 2026-12-06: the same stamps, summed with a 2-D ``np.add.at``.

    Kept line for line (only the summing differs from the current one) as the reference the
    benchmark and ``tests/test_simulate_add_at.py`` compare against.

    Examples
    --------
    >>> img = np.zeros((9, 9), dtype=np.float32)
    >>> reference_add_gaussians(img, np.array([4.0]), np.array([4.0]), np.array([10.0]), np.array([1.0]),
    ...                         np.array([1.0]), np.array([0.0]), 1e-3)
    >>> round(float(img.sum()), 2), int(np.argmax(img))  # nearly all the flux, peak at the centre
    (10.0, 40)
    """
    x = np.asarray(x, dtype=float) - origin[0]
    y = np.asarray(y, dtype=float) - origin[1]
    det = cxx * cyy - cxy * cxy
    peak = amp / (2 * np.pi * np.sqrt(det))
    keep = (peak > threshold) & (amp > 0)
    if not keep.any():
        return
    x, y, amp, cxx, cyy, cxy, det, peak = (a[keep] for a in (x, y, amp, cxx, cyy, cxy, det, peak))
    lam = 0.5 * (cxx + cyy) + np.sqrt(0.25 * (cxx - cyy) ** 2 + cxy ** 2)
    h_need = np.sqrt(2 * lam * np.log(np.maximum(peak / threshold, 1.0001))) + 1
    buckets = render._BUCKETS
    bucket = buckets[np.minimum(np.searchsorted(buckets, h_need), len(buckets) - 1)]
    ny, nx = image.shape
    ixx, iyy, ixy = cyy / det, cxx / det, -cxy / det
    norm = amp / (2 * np.pi * np.sqrt(det))
    cx, cy = np.round(x).astype(np.int64), np.round(y).astype(np.int64)
    fx, fy = x - cx, y - cy
    on = (cx + bucket >= 0) & (cx - bucket < nx) & (cy + bucket >= 0) & (cy - bucket < ny)
    for h in np.unique(bucket[on]):
        idx = np.flatnonzero(on & (bucket == h))
        d = np.arange(-h, h + 1, dtype=np.float32)
        size = (2 * h + 1) ** 2
        step = max(1, render._MAX_ELEMENTS // size)
        for s0 in range(0, len(idx), step):
            j = idx[s0:s0 + step]
            dx = d[None, None, :] - fx[j, None, None].astype(np.float32)
            dy = d[None, :, None] - fy[j, None, None].astype(np.float32)
            q = (ixx[j, None, None] * dx * dx + 2 * ixy[j, None, None] * dx * dy
                 + iyy[j, None, None] * dy * dy).astype(np.float32)
            val = norm[j, None, None].astype(np.float32) * np.exp(-0.5 * q)
            iy = cy[j, None, None] + d.astype(np.int64)[None, :, None]
            ix = cx[j, None, None] + d.astype(np.int64)[None, None, :]
            iy, ix = np.broadcast_to(iy, val.shape), np.broadcast_to(ix, val.shape)
            if (cx[j] - h >= 0).all() and (cx[j] + h < nx).all() and (cy[j] - h >= 0).all() and (cy[j] + h < ny).all():
                np.add.at(image, (iy.ravel(), ix.ravel()), val.ravel())
            else:
                ok = (iy >= 0) & (iy < ny) & (ix >= 0) & (ix < nx)
                np.add.at(image, (iy[ok], ix[ok]), val[ok])


def reference_add_at_pixels(image: np.ndarray, iy: np.ndarray, ix: np.ndarray, values: np.ndarray) -> None:
    """The 2-D ``np.add.at`` that :func:`starclass.simulate.render.add_at_pixels` replaced.

    Examples
    --------
    >>> img = np.zeros((2, 2), dtype=np.float32)
    >>> reference_add_at_pixels(img, np.array([1, 1]), np.array([0, 0]), np.array([1.0, 2.0]))
    >>> img.tolist()
    [[0.0, 0.0], [3.0, 0.0]]
    """
    np.add.at(image, (iy, ix), np.asarray(values, dtype=image.dtype))


def make_field(size: int, n_candidates: int, seed: int) -> tuple:
    """What :func:`starclass.simulate.render.render_band` needs for a field: config, galaxy, objects, noise.

    Examples
    --------
    >>> cfg, gal, comps, noise, light = make_field(64, 10, 1)
    >>> cfg.shape, sorted(noise) == sorted(cfg.bands)
    ((64, 64), True)
    """
    cfg = SimConfig(seed=seed, shape=(size, size), n_candidates=n_candidates)
    gal = build_galaxy(cfg, stage_rng(seed, "galaxy"))
    _truth, comps = make_objects(cfg, gal, stage_rng(seed, "objects"))
    noise, light = render.noise_models(cfg, gal)
    return cfg, gal, comps, noise, light


def render_all(field: tuple, reference: bool) -> dict[str, np.ndarray]:
    """Every band of ``field`` without noise, with the reference sums or the current ones.

    Examples
    --------
    >>> field = make_field(64, 10, 1)
    >>> new, old = render_all(field, False), render_all(field, True)
    >>> all(np.array_equal(new[b], old[b]) for b in new)
    True
    """
    cfg, gal, comps, noise, light = field
    out = {}
    if reference:
        with mock.patch.object(render, "_add_gaussians", reference_add_gaussians), \
                mock.patch.object(render, "add_at_pixels", reference_add_at_pixels):
            for band in cfg.bands:
                out[band] = render.render_band(cfg, band, gal, light[band], comps, noise[band], None)
    else:
        for band in cfg.bands:
            out[band] = render.render_band(cfg, band, gal, light[band], comps, noise[band], None)
    return out


def main(argv: list[str] | None = None) -> int:
    """Time the reference and the current rendering; print the figures.

    Examples
    --------
    >>> main(["--size", "64", "--n-candidates", "10", "--repeats", "1"])  # doctest: +ELLIPSIS
    field 64 x 64, ...
    0
    """
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=1024, help="side of the field (px)")
    ap.add_argument("--n-candidates", type=int, default=1500, help="objects in the truth catalogue")
    ap.add_argument("--repeats", type=int, default=3, help="rounds (one reference and one current render each)")
    ap.add_argument("--seed", type=int, default=1)
    args = ap.parse_args(argv)
    field = make_field(args.size, args.n_candidates, args.seed)
    print(f"field {args.size} x {args.size}, {args.n_candidates} candidates, {len(field[2].x)} components, "
          f"{len(field[0].bands)} bands")
    times: dict[str, list[float]] = {"reference": [], "current": []}
    images = {}
    for _ in range(args.repeats):
        for name in ("reference", "current"):
            t0 = time.perf_counter()
            images[name] = render_all(field, name == "reference")
            times[name].append(time.perf_counter() - t0)
    ref, cur = images["reference"], images["current"]
    same = all(np.array_equal(ref[b], cur[b]) for b in ref)
    rel = max(float(np.max(np.abs(ref[b] - cur[b]) / np.maximum(np.abs(ref[b]), 1e-30))) for b in ref)
    med = {k: statistics.median(v) for k, v in times.items()}
    print(f"render_band, all bands, no noise: reference {med['reference']:.3f} s, current {med['current']:.3f} s "
          f"(median of {args.repeats}); ratio current / reference {med['current'] / med['reference']:.3f}")
    print(f"images identical bit for bit: {same}; largest relative difference {rel:.3g}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
