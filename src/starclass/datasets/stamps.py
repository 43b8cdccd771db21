"""Small synthetic data sets of each task's shape, for tests and smoke runs.

The simulator (:mod:`starclass.simulate`) renders realistic HST and ground-based fields;
the tasks from outside star-cluster work (open/globular DSS images, X-ray galaxy clusters,
cool cores) have no simulator, and tests need something quick for every preset. These
generators draw toy stamps whose classes differ the way the real ones do, so that a model
trained for a few epochs beats chance clearly:

``hst4`` (``legus4``, ``phangs4``; any merge of the four classes)
    class 1: round, centred, slightly extended source (sigma 1.3-2.1 px), red-ish colours;
    class 2: elongated source (axis ratio 0.35-0.7) plus an off-centre knot;
    class 3: four to eight point sources within 5 px, blue;
    class 4: a single star, or a pair or triplet of stars 2-5 px apart.
``ground2`` (``m31-binary``: g, i; cluster / non-cluster)
    cluster: extended profile a bit wider than the seeing, with a few resolved stars;
    non-cluster: a star, or an elongated exponential background galaxy.
``rgb`` (``open-globular``: r, g, b; open / globular)
    open: 15-40 scattered blue-ish stars; globular: a bright concentrated yellowish core and
    many faint stars in a Plummer profile. Both over a field of random stars.
``xray_optical`` (``galaxy-cluster``: xray, optical; cluster / non-cluster)
    cluster: an extended beta-model X-ray blob and an optical overdensity of small
    galaxies; non-cluster: an X-ray point source with a single bright optical counterpart,
    or a faint blob with no galaxies. For a task of five classes (``galaxy-cluster-experts``, the
    experts' kinds): 1 and 2 clusters (2 smaller and fainter), 3 and 4 point sources (3 with a wider
    optical counterpart), 5 the faint blob.
``coolcore`` (``cool-core``: xray; cool core / weak cool core / non-cool core)
    beta-model X-ray surface brightness with Poisson noise; the core radius and central
    peak set the class (small and peaked, intermediate, large and flat with an offset).

Every generator works at any stamp size (sizes are scaled from a reference size), uses only
numpy, and is seeded. :func:`make_synthetic` returns model inputs ready for
:func:`starclass.models.build_model` (normalised with :func:`starclass.stamps.normalise`,
scales stacked scale-major with :func:`starclass.stamps.multiscale.multiscale`);
:func:`make_synthetic_field` paints the same objects on a grid in per-band images with a
candidate table, for end-to-end runs through ``make_inputs``, ``train`` and ``classify``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
from astropy.table import Table

from starclass.bands import BANDS
from starclass.errors import StarclassError
from starclass.schema import CLASS_REF, ID, X, Y
from starclass.stamps.multiscale import multiscale
from starclass.stamps.normalise import normalise

KINDS = ("hst4", "ground2", "rgb", "xray_optical", "coolcore")

# classes each kind draws (the reference classes of its task)
_KIND_CLASSES = {"hst4": 4, "ground2": 2, "rgb": 2, "xray_optical": 2, "coolcore": 3}
# kinds that also draw another number of classes: xray_optical the galaxy-cluster experts' five
_OTHER_CLASSES = {"xray_optical": (5,)}


@dataclass
class SyntheticSet:
    """A synthetic data set.

    Attributes
    ----------
    inputs : numpy.ndarray
        float32 ``[N, C, S, S]`` model inputs (normalised, scales stacked scale-major;
        S = the stamp size: models resample to ``input_size`` themselves).
    labels : numpy.ndarray
        Output class labels (values of ``config.classes``).
    targets : numpy.ndarray
        Output indices 0..K-1 (loss targets).
    class_ref : numpy.ndarray
        Reference classes, always with ``labels == config.map_classes(class_ref)``: for
        ``hst4`` the classes 1-4 drawn; the other generators draw the task's output classes
        and, when the task merges classes, report the lowest reference class merged into
        each (``m31-binary``: 1 for cluster, 3 for non-cluster).
    stamps : numpy.ndarray
        float32 ``[N, B, S, S]`` raw stamps in image units (background 0).
    bands : list of str
        Band names of ``stamps``.
    kind : str
        Generator used.

    Examples
    --------
    Made by :func:`make_synthetic`:

    >>> from starclass.learn.config import get_preset
    >>> toy = make_synthetic(get_preset("galaxy-cluster-compact", stamp_size=16), 6, seed=0)
    >>> type(toy).__name__, toy.stamps.shape, toy.bands
    ('SyntheticSet', (6, 2, 16, 16), ['xray', 'optical'])
    """

    inputs: np.ndarray
    labels: np.ndarray
    targets: np.ndarray
    class_ref: np.ndarray
    stamps: np.ndarray
    bands: list[str]
    kind: str


def synthetic_kind(config: Any) -> str:
    """The generator for a task config: its ``toy_kind``, else one chosen by its shape.

    Parameters
    ----------
    config : TaskConfig
        The task (presets name their generator in ``toy_kind``).

    Returns
    -------
    str
        One of :data:`KINDS`.

    Raises
    ------
    StarclassError
        When ``toy_kind`` is not a known generator, or no generator fits the shape.

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> synthetic_kind(get_preset("cool-core-compact"))
    'coolcore'
    """
    name = str(getattr(config, "name", ""))
    kind = getattr(config, "toy_kind", None)
    if kind is not None:
        if kind not in KINDS:
            raise StarclassError(f"task {name!r}: toy_kind={kind!r}; generators: {', '.join(KINDS)}")
        return kind
    nb, nc = len(config.bands), config.n_classes
    merged = set(config.merge.values()) if config.merge else set()
    if set(config.merge) >= {1, 2, 3, 4} or (nc == 4 and nb >= 3):
        return "hst4"
    if nc == 3 and nb == 1:
        return "coolcore"
    if nc == 2 and nb == 3:
        return "rgb"
    if nc == 2 and nb == 2:
        return "ground2" if not merged else "hst4"
    raise StarclassError(
        f"synthetic data: no generator for task {name!r} ({nb} bands, {nc} classes); "
        f"generators: {', '.join(KINDS)}"
    )


# ---------------------------------------------------------------------- drawing helpers
def _grid(size: int) -> tuple[np.ndarray, np.ndarray]:
    """Pixel coordinates relative to the stamp centre (index size // 2)."""
    c = size // 2
    yy, xx = np.mgrid[0:size, 0:size].astype(np.float64)
    return xx - c, yy - c


def _gauss(xx, yy, x0, y0, sx, sy=None, theta=0.0, flux=1.0) -> np.ndarray:
    """Sum of elliptical Gaussians (arrays of parameters broadcast), total flux ``flux``."""
    x0, y0, sx, flux = (np.atleast_1d(np.asarray(v, dtype=float)) for v in (x0, y0, sx, flux))
    sy = sx if sy is None else np.atleast_1d(np.asarray(sy, dtype=float))
    if sy is sx or np.array_equal(*np.broadcast_arrays(sx, sy)):
        # round Gaussians are separable: two 1-D profiles and a matrix product
        sx, x0, y0, flux = np.broadcast_arrays(sx, x0, y0, flux)
        xs, ys = xx[0], yy[:, 0]
        gx = np.exp(-0.5 * ((xs[None] - x0[:, None]) / sx[:, None]) ** 2) / (np.sqrt(2 * np.pi) * sx[:, None])
        gy = np.exp(-0.5 * ((ys[None] - y0[:, None]) / sx[:, None]) ** 2) / (np.sqrt(2 * np.pi) * sx[:, None])
        return (gy * flux[:, None]).T @ gx
    th = np.atleast_1d(np.asarray(theta, dtype=float))
    dx = xx[None] - x0[:, None, None]
    dy = yy[None] - y0[:, None, None]
    ct, st = np.cos(th)[:, None, None], np.sin(th)[:, None, None]
    u = dx * ct + dy * st
    v = -dx * st + dy * ct
    sxx, syy = sx[:, None, None], sy[:, None, None]
    g = np.exp(-0.5 * ((u / sxx) ** 2 + (v / syy) ** 2)) / (2 * np.pi * sxx * syy)
    return (g * flux[:, None, None]).sum(axis=0)


def _beta(xx, yy, x0, y0, rc, beta=0.67, q=1.0, theta=0.0) -> np.ndarray:
    ct, st = np.cos(theta), np.sin(theta)
    u = (xx - x0) * ct + (yy - y0) * st
    v = (-(xx - x0) * st + (yy - y0) * ct) / q
    return (1.0 + (u * u + v * v) / rc**2) ** (-3 * beta + 0.5)


def _noisy(rng, img: np.ndarray, sky_sigma: float, gain: float = 1.0) -> np.ndarray:
    var = sky_sigma**2 + np.clip(img, 0, None) / gain
    return img + rng.normal(size=img.shape) * np.sqrt(var)


# ---------------------------------------------------------------------- generators
def _draw_hst4(rng, n: int, size: int, nb: int, classes: np.ndarray) -> np.ndarray:
    xx, yy = _grid(size)
    out = np.empty((n, nb, size, size), dtype=np.float32)
    waves = np.linspace(0, 1, nb)  # 0 = bluest band, 1 = reddest
    psf = 0.9  # PSF sigma in px (HST: FWHM ~2 px at 0.04"/px, whatever the stamp size)
    for i in range(n):
        cls = classes[i]
        flux = np.exp(rng.uniform(np.log(150), np.log(2500)))
        if cls == 1:
            s = rng.uniform(1.3, 2.1)
            img = _gauss(xx, yy, rng.normal(0, 0.3), rng.normal(0, 0.3), s, s * rng.uniform(0.85, 1.0),
                         rng.uniform(0, np.pi), flux)
            slope = rng.uniform(0.2, 0.9)  # red
        elif cls == 2:
            s = rng.uniform(1.3, 2.3)
            img = _gauss(xx, yy, 0, 0, s, s * rng.uniform(0.35, 0.7), rng.uniform(0, np.pi), 0.75 * flux)
            ang, r = rng.uniform(0, 2 * np.pi), rng.uniform(2.0, 4.0)
            img += _gauss(xx, yy, r * np.cos(ang), r * np.sin(ang), psf * 1.2, None, 0, 0.25 * flux)
            slope = rng.uniform(-0.4, 0.5)
        elif cls == 3:
            k = rng.integers(4, 9)
            r = 5.0 * np.sqrt(rng.uniform(0, 1, k))
            a = rng.uniform(0, 2 * np.pi, k)
            w = rng.dirichlet(np.ones(k))
            img = _gauss(xx, yy, r * np.cos(a), r * np.sin(a), np.full(k, psf), None, 0, flux * w)
            img += _gauss(xx, yy, 0, 0, 4.0, None, 0, 0.15 * flux)
            slope = rng.uniform(-1.0, -0.3)  # blue
        else:
            k = rng.choice([1, 2, 2, 3])
            if k == 1:
                pos = np.zeros((1, 2))
            else:
                step = rng.uniform(2.0, 5.0, (k, 1))
                a = rng.uniform(0, 2 * np.pi, k)
                steps = step * np.c_[np.cos(a), np.sin(a)]
                pos = np.cumsum(steps, axis=0)
                pos -= pos[0]  # the first star sits on the candidate, companions 2-5 px apart
            w = rng.dirichlet(np.ones(k) * 2)
            img = _gauss(xx, yy, pos[:, 0], pos[:, 1], np.full(k, psf), None, 0, flux * w)
            slope = rng.uniform(-1.0, 1.0)
        colour = np.exp(slope * (waves - 0.5) * 1.5)
        bands = img[None] * colour[:, None, None]
        out[i] = _noisy(rng, bands, 1.0, gain=2.0)
    return out


def _draw_ground2(rng, n: int, size: int, classes: np.ndarray) -> np.ndarray:
    xx, yy = _grid(size)
    f = size / 56.0
    seeing = 1.8 * f
    out = np.empty((n, 2, size, size), dtype=np.float32)
    for i in range(n):
        flux = np.exp(rng.uniform(np.log(800), np.log(8000)))
        if classes[i] == 1:  # cluster: extended + resolved stars
            s = np.hypot(seeing, rng.uniform(1.2, 3.0) * f)
            img = _gauss(xx, yy, 0, 0, s, s * rng.uniform(0.8, 1.0), rng.uniform(0, np.pi), 0.8 * flux)
            k = rng.integers(3, 9)
            r = 2.5 * s * np.sqrt(rng.uniform(0, 1, k))
            a = rng.uniform(0, 2 * np.pi, k)
            img += _gauss(xx, yy, r * np.cos(a), r * np.sin(a), np.full(k, seeing), None, 0,
                          0.2 * flux * rng.dirichlet(np.ones(k)))
            gi = rng.uniform(0.5, 1.1)
        elif rng.uniform() < 0.6:  # star
            img = _gauss(xx, yy, 0, 0, seeing, None, 0, flux)
            gi = rng.uniform(0.0, 2.5)
        else:  # background galaxy: exponential disc, elongated
            rs = rng.uniform(1.5, 4.0) * f
            q = rng.uniform(0.25, 0.6)
            th = rng.uniform(0, np.pi)
            u = xx * np.cos(th) + yy * np.sin(th)
            v = (-xx * np.sin(th) + yy * np.cos(th)) / q
            img = np.exp(-np.hypot(u, v) / rs)
            img = flux * img / img.sum()
            gi = rng.uniform(0.8, 1.6)
        # a few unrelated field stars
        m = rng.poisson(2)
        if m:
            img = img + _gauss(xx, yy, rng.uniform(-size / 2, size / 2, m), rng.uniform(-size / 2, size / 2, m),
                               np.full(m, seeing), None, 0, np.exp(rng.uniform(np.log(100), np.log(2000), m)))
        ratio = 10 ** (0.4 * gi)  # i brighter than g for red objects
        out[i, 0] = _noisy(rng, img, 3.0)
        out[i, 1] = _noisy(rng, img * ratio / (1 + ratio) * 2, 3.0)
    return out


def _draw_rgb(rng, n: int, size: int, classes: np.ndarray) -> np.ndarray:
    xx, yy = _grid(size)
    f = size / 64.0
    psf = max(1.0, 1.2 * f)
    out = np.empty((n, 3, size, size), dtype=np.float32)
    for i in range(n):
        rgb = np.zeros((3, size, size))
        if classes[i] == 1:  # open: scattered, blue-ish stars
            k = rng.integers(15, 41)
            r = (size / 4) * np.sqrt(rng.uniform(0, 1, k))
            a = rng.uniform(0, 2 * np.pi, k)
            fl = np.exp(rng.uniform(np.log(80), np.log(800), k))
            col = np.stack([rng.uniform(0.6, 1.0, k), rng.uniform(0.8, 1.0, k), rng.uniform(0.9, 1.3, k)])
            for b in range(3):
                rgb[b] += _gauss(xx, yy, r * np.cos(a), r * np.sin(a), np.full(k, psf), None, 0, fl * col[b])
        else:  # globular: concentrated bright core + Plummer-distributed faint stars
            core = np.exp(rng.uniform(np.log(3000), np.log(12000)))
            s = rng.uniform(1.5, 3.5) * f
            k = rng.integers(40, 120)
            a_pl = rng.uniform(3.0, 6.0) * f
            u = rng.uniform(0, 0.95, k)
            r = np.minimum(a_pl / np.sqrt(u ** (-2.0 / 3.0) - 1.0), size / 2)
            a = rng.uniform(0, 2 * np.pi, k)
            fl = np.exp(rng.uniform(np.log(30), np.log(200), k))
            body = _gauss(xx, yy, 0, 0, s, None, 0, core)
            body += _gauss(xx, yy, r * np.cos(a), r * np.sin(a), np.full(k, psf), None, 0, fl)
            for b, c in enumerate((1.2, 1.0, 0.7)):
                rgb[b] += body * c
        m = rng.poisson(8)  # field stars everywhere
        if m:
            px, py = rng.uniform(-size / 2, size / 2, (2, m))
            field = _gauss(xx, yy, px, py, np.full(m, psf), None, 0, np.exp(rng.uniform(np.log(50), np.log(1500), m)))
            for b in range(3):
                rgb[b] += field * rng.uniform(0.7, 1.2)
        out[i] = _noisy(rng, rgb, 2.0)
    return out


def _draw_xray_optical(rng, n: int, size: int, classes: np.ndarray, five: bool = False) -> np.ndarray:
    xx, yy = _grid(size)
    f = size / 64.0
    out = np.empty((n, 2, size, size), dtype=np.float32)
    # classes 1-2 (binary) or, with five, 1-5 (the experts' kinds); the binary draw is kept as it was (its random
    # stream too)
    for i in range(n):
        c = int(classes[i])
        if c == 1 or (five and c == 2):  # cluster (five: 2 is the smaller, fainter high-z one)
            shrink = 0.5 if c == 2 else 1.0
            rc = rng.uniform(3.0, 8.0) * f * shrink
            counts = rng.uniform(150, 600) * shrink
            xr = _beta(xx, yy, rng.normal(0, 1), rng.normal(0, 1), rc, 0.67, rng.uniform(0.7, 1.0),
                       rng.uniform(0, np.pi))
            xr = counts * xr / xr.sum()
            k = rng.integers(8, 21)
            r = rng.uniform(2, 12) * f * np.sqrt(rng.uniform(0, 1, k))
            a = rng.uniform(0, 2 * np.pi, k)
            opt = _gauss(xx, yy, r * np.cos(a), r * np.sin(a), np.full(k, 1.5 * max(f, 0.5)), None, 0,
                         np.exp(rng.uniform(np.log(100), np.log(600), k)))
        elif (c in (3, 4)) if five else rng.uniform() < 0.6:  # point source (AGN / star), one optical counterpart
            counts = rng.uniform(80, 400)
            xr = _gauss(xx, yy, 0, 0, 1.6 * max(f, 0.5), None, 0, counts)
            # five: a nearby galaxy (3) is a wide optical source
            wide = 3.0 if five and c == 3 else 1.3
            opt = _gauss(xx, yy, 0, 0, wide * max(f, 0.5), None, 0, rng.uniform(800, 3000))
        else:  # spurious faint blob, nothing optical
            counts = rng.uniform(40, 120)
            xr = _beta(xx, yy, 0, 0, rng.uniform(2.0, 6.0) * f)
            xr = counts * xr / xr.sum()
            opt = np.zeros_like(xx)
        bgx = 0.02
        out[i, 0] = rng.poisson(np.clip(xr, 0, None) + bgx).astype(np.float32) - bgx
        m = rng.poisson(3)
        if m:
            opt = opt + _gauss(xx, yy, *rng.uniform(-size / 2, size / 2, (2, m)), np.full(m, 1.3 * max(f, 0.5)),
                               None, 0, np.exp(rng.uniform(np.log(100), np.log(1500), m)))
        out[i, 1] = _noisy(rng, opt, 2.0)
    return out


def _draw_coolcore(rng, n: int, size: int, classes: np.ndarray) -> np.ndarray:
    xx, yy = _grid(size)
    out = np.empty((n, 1, size, size), dtype=np.float32)
    frac = {1: (0.02, 0.045), 2: (0.05, 0.09), 3: (0.11, 0.22)}
    for i in range(n):
        cls = int(classes[i])
        rc = rng.uniform(*frac[cls]) * size
        off = rng.normal(0, 0.02 * size, 2) if cls == 3 else rng.normal(0, 0.005 * size, 2)
        q = rng.uniform(0.6, 0.9) if cls == 3 else rng.uniform(0.85, 1.0)
        img = _beta(xx, yy, off[0], off[1], rc, rng.uniform(0.6, 0.75), q, rng.uniform(0, np.pi))
        counts = rng.uniform(4000, 15000) * (size / 64.0) ** 2
        img = counts * img / img.sum()
        out[i, 0] = rng.poisson(img + 0.05).astype(np.float32)
    return out


def make_synthetic_stamps(
    config: Any, n: int, seed: int = 0, size: int | None = None, kind: str | None = None
) -> tuple[np.ndarray, np.ndarray, str]:
    """Raw stamps ``[N, B, S, S]`` (background 0) and reference classes of a task's shape.

    Classes are drawn uniformly (balanced). Returns ``(stamps, class_ref, kind)``.

    Examples
    --------
    Five LEGUS bands at 32 px, four classes drawn evenly:

    >>> from starclass.learn.config import get_preset
    >>> stamps, class_ref, kind = make_synthetic_stamps(get_preset("legus4"), 8, seed=0)
    >>> stamps.shape, sorted(class_ref.tolist()), kind
    ((8, 5, 32, 32), [1, 1, 1, 2, 2, 3, 3, 4], 'hst4')
    """
    kind = kind or synthetic_kind(config)
    if kind not in KINDS:
        raise StarclassError(f"synthetic data: unknown kind {kind!r}; kinds: {', '.join(KINDS)}")
    n = int(n)
    if n < 0:
        raise StarclassError(f"synthetic data: n={n} must be >= 0")
    size = int(size or config.stamp_size)
    rng = np.random.default_rng(seed)
    if kind == "hst4":
        # draw the reference classes so that the *output* classes come out balanced
        groups: dict[int, list[int]] = {}
        for ref in (1, 2, 3, 4):
            lab = int(config.map_classes([ref])[0])
            if lab >= 0:
                groups.setdefault(lab, []).append(ref)
        if not groups:
            raise StarclassError(f"synthetic data: task {config.name!r} maps none of the classes 1-4")
        labs = sorted(groups)
        out_lab = rng.choice(labs, n)
        ref = np.array([rng.choice(groups[lab]) for lab in out_lab], dtype=int)
        nb = len(config.bands)
        return _draw_hst4(rng, n, size, nb, ref), ref, kind
    k = _KIND_CLASSES[kind]
    if config.n_classes in _OTHER_CLASSES.get(kind, ()):
        k = config.n_classes
    if config.n_classes != k:
        raise StarclassError(
            f"synthetic data: generator {kind!r} draws {k} classes, task {config.name!r} has {config.n_classes}"
        )
    nb_expected = {"ground2": 2, "rgb": 3, "xray_optical": 2, "coolcore": 1}[kind]
    # a one-band ground-based task (m31-real, g) takes the first band of the pair
    one_of_two = kind == "ground2" and len(config.bands) == 1
    if len(config.bands) != nb_expected and not one_of_two:
        raise StarclassError(
            f"synthetic data: generator {kind!r} draws {nb_expected} bands, task {config.name!r} has {config.bands}"
        )
    idx = rng.integers(0, k, n)
    out_lab = np.asarray(config.classes)[idx] if n else np.zeros(0, dtype=int)
    draw = {"ground2": _draw_ground2, "rgb": _draw_rgb, "xray_optical": _draw_xray_optical,
            "coolcore": _draw_coolcore}[kind]
    stamps = (_draw_xray_optical(rng, n, size, idx + 1, five=True) if kind == "xray_optical" and k == 5
              else draw(rng, n, size, idx + 1))
    return (stamps[:, :1] if one_of_two else stamps), _reference_for(config, out_lab), kind


def _reference_for(config: Any, out_lab: np.ndarray) -> np.ndarray:
    """A reference class per output label such that ``config.map_classes`` gives it back.

    With a merge, each output class takes the lowest reference class merged into it
    (``m31-binary``: cluster -> 1, non-cluster -> 3), so ``class_ref`` means the same for
    every generator and may always be passed to ``fit`` or ``map_classes``.
    """
    out_lab = np.asarray(out_lab, dtype=int)
    if not config.merge:
        return out_lab
    back: dict[int, int] = {}
    for src, dst in sorted(config.merge.items()):
        back.setdefault(int(dst), int(src))
    missing = sorted(set(out_lab.tolist()) - set(back))
    if missing:
        raise StarclassError(
            f"synthetic data: task {config.name!r} merges no reference class into class(es) {missing}"
        )
    return np.array([back[c] for c in out_lab.tolist()], dtype=int)


def stamps_to_inputs(stamps: np.ndarray, config: Any) -> np.ndarray:
    """Normalise raw stamps as the config says and stack its scales (scale-major).

    Examples
    --------
    Three scales of five bands become 15 channels:

    >>> from starclass.learn.config import get_preset
    >>> cfg = get_preset("legus4")
    >>> stamps, _, _ = make_synthetic_stamps(cfg, 2, seed=0)
    >>> x = stamps_to_inputs(stamps, cfg)
    >>> x.shape, x.dtype.name
    ((2, 15, 32, 32), 'float32')
    """

    bands = list(config.bands)
    zps = None
    if config.normalisation == "rgb" and any(b not in BANDS for b in bands):
        zps = {b: 25.0 for b in bands}
    stamps = np.asarray(stamps, dtype=np.float32)
    # the task's own softening_mag: toy inputs took normalise's default (28 mag) whatever the task said, so a toy
    # set of a task with softening_mag: 25 was the same as one of 28
    softening_mag = config.softening_mag
    if config.normalisation == "flux" and softening_mag == "auto":
        softening_mag = _stamps_softening(stamps, bands)
    normed = normalise(stamps, config.normalisation, zps, bands=bands, softening_mag=float(softening_mag))
    n, s = normed.shape[0], normed.shape[-1]
    if list(config.scales) == [1.0]:
        return np.ascontiguousarray(normed, dtype=np.float32)
    ms, _ = multiscale(normed, config.scales, size=s)
    return np.ascontiguousarray(ms.reshape(n, -1, s, s), dtype=np.float32)


def _stamps_softening(stamps: np.ndarray, bands: list[str]) -> float:
    """``softening_mag: auto`` of toy stamps: the median over bands of their per-pixel noise magnitude.

    As ``train --softening-mag auto`` measures it on mosaics (:func:`starclass.stamps.noise.measured_softening`),
    here on the stamps laid side by side, in the bands' table zeropoints (those ``flux`` uses by default).
    """
    from starclass.bands import vega_zeropoint
    from starclass.stamps.noise import measured_softening

    zps = {b: vega_zeropoint(BANDS[b].name, BANDS[b].photflam, BANDS[b].photplam) for b in bands}
    side = {b: stamps[:, k].reshape(-1, stamps.shape[-1]) for k, b in enumerate(bands)}
    return measured_softening(side, bands, zps)[0]


def _indices(labels: np.ndarray, classes: list[int]) -> np.ndarray:
    idx = np.full(len(labels), -1, dtype=np.int64)
    for k, c in enumerate(classes):
        idx[np.asarray(labels) == c] = k
    return idx


def make_synthetic(
    config: Any, n: int, seed: int = 0, size: int | None = None, kind: str | None = None
) -> SyntheticSet:
    """A labelled synthetic set of a task's shape (see the module docstring).

    Parameters
    ----------
    config : starclass.learn.config.TaskConfig
        The task (bands, classes, merge, stamp size, scales, normalisation).
    n : int
        Number of candidates.
    seed : int
        Random seed (the same seed gives the same set).
    size : int or None
        Stamp size (default ``config.stamp_size``; a smaller one keeps tests fast).
    kind : str or None
        Force a generator (default: :func:`synthetic_kind`).

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> toy = make_synthetic(get_preset("galaxy-cluster-compact", stamp_size=16), 6, seed=0)
    >>> toy.inputs.shape, sorted(set(toy.class_ref.tolist()))  # X-ray + optical; classes 1, 2
    ((6, 2, 16, 16), [1, 2])
    """
    stamps, ref, kind = make_synthetic_stamps(config, n, seed=seed, size=size, kind=kind)
    labels = config.map_classes(ref)
    return SyntheticSet(
        inputs=stamps_to_inputs(stamps, config),
        labels=np.asarray(labels, dtype=np.int64),
        targets=_indices(labels, config.classes),
        class_ref=ref,
        stamps=stamps,
        bands=list(config.bands),
        kind=kind,
    )


def make_synthetic_field(
    config: Any, n: int, seed: int = 0, size: int | None = None, spacing: int | None = None
) -> tuple[dict[str, np.ndarray], Table]:
    """Paint ``n`` synthetic objects on a grid of per-band images, with a candidate table.

    Returns ``(images, table)``: ``images`` maps band -> 2-D float32 array (background 0,
    noise included), ``table`` is an astropy Table with ``id``, ``x``, ``y`` (0-based pixel
    of each object's centre) and ``class_ref`` (reference classes: see
    :class:`SyntheticSet`). Objects sit
    ``spacing`` px apart (default: the stamp size plus 8 px), so stamps do not overlap.

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> images, table = make_synthetic_field(get_preset("legus4"), 4, seed=0)
    >>> sorted(images), images["f555w"].shape, table.colnames
    (['f275w', 'f336w', 'f438w', 'f555w', 'f814w'], (120, 120), ['id', 'x', 'y', 'class_ref'])
    """
    from astropy.table import Table

    size = int(size or config.stamp_size)
    stamps, ref, _ = make_synthetic_stamps(config, n, seed=seed, size=size)
    spacing = int(spacing or size + 8)
    if spacing < size:
        raise StarclassError(f"synthetic field: spacing={spacing} is smaller than the stamp size {size}")
    ncol = max(1, int(np.ceil(np.sqrt(max(n, 1)))))
    nrow = max(1, int(np.ceil(n / ncol)))
    margin = spacing // 2
    ny, nx = nrow * spacing + 2 * margin, ncol * spacing + 2 * margin
    rng = np.random.default_rng(seed + 1)
    images = {b: np.zeros((ny, nx), dtype=np.float32) for b in config.bands}
    xs = np.zeros(n, dtype=float)
    ys = np.zeros(n, dtype=float)
    for i in range(n):
        r, c = divmod(i, ncol)
        cy = margin + r * spacing + spacing // 2
        cx = margin + c * spacing + spacing // 2
        y0, x0 = cy - size // 2, cx - size // 2
        for b, band in enumerate(config.bands):
            images[band][y0 : y0 + size, x0 : x0 + size] = stamps[i, b]
        xs[i], ys[i] = cx, cy
    # background noise where no stamp was painted
    painted = np.zeros((ny, nx), dtype=bool)
    for i in range(n):
        y0, x0 = int(ys[i]) - size // 2, int(xs[i]) - size // 2
        painted[y0 : y0 + size, x0 : x0 + size] = True
    for b, band in enumerate(config.bands):
        sigma = float(np.median(np.abs(stamps[:, b, :2, :] - np.median(stamps[:, b, :2, :])))) * 1.4826 if n else 1.0
        noise = rng.normal(0.0, sigma or 1.0, size=(ny, nx)).astype(np.float32)
        images[band][~painted] = noise[~painted]
    table = Table({ID: np.arange(1, n + 1), X: xs, Y: ys, CLASS_REF: ref.astype(int)})
    return images, table
