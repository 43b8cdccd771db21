"""Simulating a whole field: :func:`simulate_field`, :func:`write_field`, :func:`simulate_to_disk`.

The field is a pure function of its :class:`SimConfig`: every random stream is a
``numpy.random.default_rng`` seeded from ``(seed, stage)`` with a stable stage key, so the same
seed gives identical pixels and catalogues, and a band's noise does not depend on which other
bands are rendered.
"""

from __future__ import annotations

import json
import os
import zlib
from dataclasses import dataclass
from dataclasses import field as dc_field
from pathlib import Path

import numpy as np
from astropy import units as u
from astropy.table import Table
from astropy.wcs import WCS
from scipy.spatial import cKDTree

from starclass.bands import BANDS
from starclass.errors import OutputExistsError, StarclassError
from starclass.io.atomic import atomic_path
from starclass.io.mosaic import ArrayMosaics, write_mosaic
from starclass.io.progress import Progress
from starclass.schema import (
    CLASS_REF,
    DEC,
    ID,
    MASS_KIND,
    R_GAL,
    RA,
    X_LIGHT,
    Y_LIGHT,
    X,
    Y,
    mag_true_col,
    subclass_label,
)
from starclass.simulate.config import SimConfig
from starclass.simulate.footprint import (  # noqa: F401  re-exported: the CLI's checks before its first line
    FIELD_ENTRIES,
    READBACK_BYTES_PER_PIXEL_BAND,
    RENDER_BYTES_PER_PIXEL,
    estimate_memory,
)
from starclass.simulate.galaxy import GalaxyMaps, build_galaxy
from starclass.simulate.humans import simulate_humans
from starclass.simulate.objects import Components, make_objects
from starclass.simulate.render import BandNoise, noise_models, render_band

#: Radius (px) of the truth catalogue's crowding count (same as detect's default).
CROWDING_RADIUS = 10.0

#: The truth catalogue's count of other candidates within :data:`CROWDING_RADIUS`. Not
#: ``crowding``, the schema's measured column: a truth given as a survey field's positions (every
#: plan of ``simulate --fields``) had its ``crowding`` kept renamed ``crowding_input`` with a
#: warning on every run, as a catalogue's own photometry is, though the user had done nothing
#: wrong (the true magnitudes are ``mag_true_<band>`` for the same reason).
CROWDING_TRUE = "crowding_true"


def stage_rng(seed: int, stage: str) -> np.random.Generator:
    """The random generator of one stage (stable across runs, platforms and band choices).

    Examples
    --------
    The same seed and stage give the same draws; another stage, other ones:

    >>> stage_rng(1, "galaxy").integers(100, size=3).tolist(), stage_rng(1, "galaxy").integers(100, size=3).tolist()
    ([32, 94, 23], [32, 94, 23])
    >>> stage_rng(1, "objects").integers(100, size=3).tolist() != [32, 94, 23]
    True
    """
    return np.random.default_rng(np.random.SeedSequence([int(seed) & 0xFFFFFFFF, zlib.crc32(stage.encode())]))


def make_wcs(config: SimConfig) -> WCS:
    """TAN WCS centred on the field, north up, east left, ``pixel_scale`` arcsec/px.

    Examples
    --------
    >>> w = make_wcs(SimConfig(shape=(128, 128)))
    >>> list(w.wcs.ctype), w.wcs.crpix.tolist(), (w.wcs.cd * 3600).round(3).tolist()  # 0.04"/px, east left
    (['RA---TAN', 'DEC--TAN'], [64.5, 64.5], [[-0.04, 0.0], [0.0, 0.04]])
    """
    ny, nx = config.shape
    w = WCS(naxis=2)
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    w.wcs.crval = [config.ra, config.dec]
    w.wcs.crpix = [(nx + 1) / 2.0, (ny + 1) / 2.0]
    s = config.pixel_scale / 3600.0
    w.wcs.cd = [[-s, 0.0], [0.0, s]]
    w.wcs.radesys = "ICRS"
    w.wcs.equinox = 2000.0
    return w


@dataclass
class SimulatedField:
    """A simulated field and its truth.

    Attributes
    ----------
    config
        The configuration it came from.
    images
        Band -> 2-D float32 image (e-/s, sky subtracted; NaN off the mosaic footprint).
    wcs
        Celestial WCS shared by the bands.
    truth
        Truth catalogue (schema columns plus class, subclass, age, mass, ebv, radius_pc,
        mag_true_<band>, crowding_true, asym, n_stars, diffuse_frac).
    humans
        Simulated human labels: id, x, y, class_h1..class_hK, class_ref (the mode).
    zeropoint
        Band -> Vega zeropoint (mag of 1 e-/s).
    noise
        Band -> noise model used.

    Examples
    --------
    >>> field = simulate_field(SimConfig(seed=1, shape=(128, 128), n_candidates=20))
    >>> field.images["f555w"].shape, len(field.truth), str(field.truth["x"].unit)
    ((128, 128), 20, 'pix')
    >>> field.mosaics().bands          # an ArrayMosaics for detect, make_inputs, classify
    ['f275w', 'f336w', 'f438w', 'f555w', 'f814w']
    """

    config: SimConfig
    images: dict[str, np.ndarray]
    wcs: WCS
    truth: Table
    humans: Table
    zeropoint: dict[str, float]
    noise: dict[str, BandNoise] = dc_field(default_factory=dict)

    def mosaics(self) -> ArrayMosaics:
        """The images as :class:`starclass.detect.ArrayMosaics` (for detect/measure in memory)."""
        return ArrayMosaics(data=self.images, zeropoint=self.zeropoint, magsys="vega", wcs=self.wcs,
                            exptime={b: n.exptime for b, n in self.noise.items()},
                            pixel_scale=self.config.pixel_scale)


@dataclass
class _Scene:
    config: SimConfig
    gal: GalaxyMaps
    comps: Components
    truth: Table
    humans: Table
    noise: dict[str, BandNoise]
    light: dict[str, np.ndarray]
    wcs: WCS


def _scene(config: SimConfig) -> _Scene:
    config.validate()
    gal = build_galaxy(config, stage_rng(config.seed, "galaxy"))
    cols, comps = make_objects(config, gal, stage_rng(config.seed, "objects"))
    wcs = make_wcs(config)
    truth = _truth_table(config, cols, wcs, gal.centre_px)
    humans = field_people(config, truth)
    humans["galaxy"] = np.full(len(humans), config.galaxy)
    _record_task(config, truth, humans)
    noise, light = noise_models(config, gal, np.column_stack([truth[X], truth[Y]]) if len(truth) else None)
    return _Scene(config, gal, comps, truth, humans, noise, light, wcs)


def field_people(config: SimConfig, truth: Table) -> Table:
    """The simulated people's labels of a field's truth, with every ``human_*`` setting of ``config``.

    The one call of :func:`starclass.simulate.humans.simulate_humans` for a field (its images,
    :func:`simulate_labels`), so that every field's people vote the classes of its task
    (``config.human_classes``) with its own noise.

    Examples
    --------
    >>> from starclass.simulate import SimConfig
    >>> cfg = SimConfig(seed=1, shape=(128, 128), n_candidates=20)
    >>> truth, humans = simulate_labels(cfg)
    >>> bool(np.all(field_people(cfg, truth)["class_ref"] == humans["class_ref"]))
    True
    """
    return simulate_humans(truth, config.n_humans, stage_rng(config.seed, "humans"),
                           noise=config.human_noise, mag_limit=config.mag_limit, v_band=config.v_band,
                           ambiguity_scale=config.human_ambiguity_scale,
                           colour_link=config.human_colour_link, classes=config.human_classes)


def simulate_labels(config: SimConfig) -> tuple[Table, Table]:
    """Truth and simulated human labels of a field, without rendering its images.

    The same objects and labels as :func:`simulate_field` with this ``config`` (same random
    stages), in a few seconds: enough to study the simulated people (e.g. how often they
    disagree, ``benchmarks/legus_disagreement.py``).

    Parameters
    ----------
    config
        The field.

    Returns
    -------
    (astropy.table.Table, astropy.table.Table)
        ``truth`` and ``humans`` (``class_h1 .. class_hK``, ``class_ref``).

    Examples
    --------
    >>> from starclass.simulate import SimConfig
    >>> truth, humans = simulate_labels(SimConfig(seed=1, shape=(256, 256), n_candidates=50))
    >>> len(humans) == len(truth), "class_h3" in humans.colnames
    (True, True)
    """
    config.validate()
    gal = build_galaxy(config, stage_rng(config.seed, "galaxy"))
    cols, _ = make_objects(config, gal, stage_rng(config.seed, "objects"))
    truth = _truth_table(config, cols, make_wcs(config), gal.centre_px)
    humans = field_people(config, truth)
    _record_task(config, truth, humans)
    return truth, humans


def _record_task(config: SimConfig, *tables: Table) -> None:
    """Record the field's task (its classes and merges) in each table's meta, as classify records a model's.

    Without it an ``m31`` field's tables were read for the PHANGS four classes (evaluate listed a class 3
    of n 0, info counted it); the truth's ``class_ref`` stays in the reference classes the task merges from.
    """
    meta = config.field_meta()
    for t in tables:
        t.meta.update(meta)


def _truth_table(config: SimConfig, cols: dict, wcs: WCS, centre: tuple[float, float] | None = None) -> Table:
    n = len(cols[X])
    t = Table()
    t[ID] = np.arange(1, n + 1, dtype=np.int64)
    t[X] = np.asarray(cols[X], dtype=float)
    t[Y] = np.asarray(cols[Y], dtype=float)
    if n:
        sky = wcs.pixel_to_world(t[X], t[Y])
        t[RA] = sky.ra.deg * u.deg
        t[DEC] = sky.dec.deg * u.deg
    else:
        t[RA] = np.zeros(0) * u.deg
        t[DEC] = np.zeros(0) * u.deg
    for b in config.bands:
        t[mag_true_col(b)] = np.asarray(cols[mag_true_col(b)]) * u.mag
    t[CLASS_REF] = np.asarray(cols[CLASS_REF], dtype=np.int64)
    # text labels: 4.1 and 4.10 are the same float (schema.SUBCLASS_NAMES)
    t["subclass"] = np.array([subclass_label(v) for v in np.asarray(cols["subclass"], dtype=float)], dtype="U5")
    t["age"] = np.asarray(cols["age"]) * u.yr
    t["mass"] = np.asarray(cols["mass"]) * u.Msun
    t["ebv"] = np.asarray(cols["ebv"]) * u.mag
    t["radius_pc"] = np.asarray(cols["radius_pc"]) * u.pc
    t["asym"] = np.asarray(cols["asym"], dtype=float)
    t["n_stars"] = np.asarray(cols["n_stars"], dtype=np.int64)
    t["diffuse_frac"] = np.asarray(cols["diffuse_frac"], dtype=float)
    if X_LIGHT in cols:
        # the V-band centre of light, where a blend of the object's parts is detected (match.match_truth)
        t[X_LIGHT] = np.asarray(cols[X_LIGHT], dtype=float)
        t[Y_LIGHT] = np.asarray(cols[Y_LIGHT], dtype=float)
    if n > 1:
        tree = cKDTree(np.column_stack([t[X], t[Y]]))
        near = tree.query_ball_point(np.column_stack([t[X], t[Y]]), CROWDING_RADIUS)
        t[CROWDING_TRUE] = np.array([len(v) - 1 for v in near], dtype=np.int64)
    else:
        t[CROWDING_TRUE] = np.zeros(n, dtype=np.int64)
    if centre is not None:
        # projected (on-sky) distance from the simulated galaxy's centre, as catalogues of M31's
        # clusters give it (schema.R_GAL): the selection trends of evaluate/report use it
        t[R_GAL] = np.hypot(t[X] - centre[0], t[Y] - centre[1]) * config.pc_per_px / 1000.0 * u.kpc
    t["galaxy"] = np.full(n, config.galaxy)
    # the schema's unit, as detect's catalogue and io.catalog's tables carry it (set last: the
    # WCS, the crowding tree and r_gal above use the plain numbers)
    for c in (X, Y, X_LIGHT, Y_LIGHT):
        if c in t.colnames:
            t[c].unit = u.pix
    t.meta["comments"] = [
        "starclass simulated truth catalogue; x, y 0-based pixels; magnitudes Vega",
        f"seed={config.seed} distance_mpc={config.distance_mpc} pixel_scale={config.pixel_scale}",
        "class_ref = true class (1-4); subclass 4.1-4.12 for class 4 only",
    ]
    # the masses drawn are the mass formed: cluster_mags scales the SSP table's magnitudes of its Mconverted
    # (10^6 Msun formed) by them, so a mass limit drawn over them is in mass formed (massfunc.catalog_mass_kind)
    t.meta[MASS_KIND] = "formed"
    return t


def simulate_field(config: SimConfig | None = None, *, progress: bool | None = False) -> SimulatedField:
    """Simulate a multi-band galaxy field with known truth and simulated human labels.

    Parameters
    ----------
    config
        What to simulate (default :class:`SimConfig()`: five HST bands, 2048 x 2048 px).
    progress
        Show a progress bar over bands (None: a few timed lines, :class:`starclass.io.progress.Progress`).

    Returns
    -------
    SimulatedField
        Images (all bands in memory: use :func:`simulate_to_disk` for very large fields),
        WCS, truth and human tables.

    Examples
    --------
    >>> from starclass.simulate import SimConfig, simulate_field
    >>> field = simulate_field(SimConfig(seed=1, shape=(128, 128), n_candidates=10))
    >>> sorted(field.images)[:2], field.images["f555w"].shape, len(field.truth) > 0
    (['f275w', 'f336w'], (128, 128), True)
    """
    config = config or SimConfig()
    sc = _scene(config)
    blank = sc.gal.blank_mask()
    images = {}
    bar = Progress(len(config.bands), desc="render", noun="band", show=progress, unit="band")
    for band in bar.iterate(config.bands):
        images[band] = render_band(config, band, sc.gal, sc.light[band], sc.comps, sc.noise[band],
                                   stage_rng(config.seed, f"noise-{band}"), blank)
    zp = {b: config.zeropoint(b) for b in config.bands}
    return SimulatedField(config, images, sc.wcs, sc.truth, sc.humans, zp, sc.noise)


def _fits_header(config: SimConfig, band: str, noise: BandNoise) -> dict:
    return {
        "TELESCOP": config.telescope, "INSTRUME": "SIMULATED", "TARGNAME": config.galaxy,
        "ORIGIN": "starclass simulate", "SIMSEED": int(config.seed), "DISTMPC": float(config.distance_mpc),
        "MDRIZSKY": (float(noise.sky), "sky subtracted (e-/s/px)"),
        "READNSE": (float(noise.read_noise), "read noise per pixel (e-)"),
        "PSFFWHM": (float(config.band_fwhm(band)), "PSF FWHM (px)"),
    }


def _band_path(outdir: Path, galaxy: str, band: str) -> Path:
    return outdir / f"{galaxy}_{band}.fits"


def _write_tables(outdir: Path, truth: Table, humans: Table, config: SimConfig,
                  noise: dict[str, BandNoise]) -> dict[str, Path]:
    paths = {}
    for name, table in (("truth", truth), ("humans", humans)):
        p = outdir / f"{name}.ecsv"
        with atomic_path(p) as tmp:
            table.write(tmp, format="ascii.ecsv", overwrite=True)
        paths[name] = p
    meta = {
        "config": config.to_dict(),
        "zeropoint_vega": {b: config.zeropoint(b) for b in config.bands},
        "noise": {b: vars(n) for b, n in noise.items()},
        "pc_per_px": config.pc_per_px,
    }
    p = outdir / "simulation.json"
    with atomic_path(p) as tmp:
        tmp.write_text(json.dumps(meta, indent=2, default=float))
    paths["simulation"] = p
    return paths


def _refuse_existing(outdir: Path, config: SimConfig, overwrite: bool) -> None:
    """A field's files already in ``outdir`` are replaced only when asked (``overwrite=True``).

    The other simulators' writers (``write_cutouts``, ``write_candidates``, ...) refuse the same
    way; a field written over another one (its truth and people's labels) is not recoverable.
    """
    if outdir.exists() and not outdir.is_dir():
        raise StarclassError(f"output directory {outdir} exists and is not a directory")
    if overwrite:
        return
    names = [_band_path(outdir, config.galaxy, b).name for b in config.bands]
    there = [n for n in (*names, "truth.ecsv", "humans.ecsv", "simulation.json") if (outdir / n).exists()]
    if there:
        raise OutputExistsError(f"{outdir}: {', '.join(there)} already there (a simulated field); "
                                "give overwrite=True to replace it", outdir / there[0])


def write_field(field: SimulatedField, outdir: str | os.PathLike, *, overwrite: bool = False) -> dict[str, Path]:
    """Write a simulated field: ``<galaxy>_<band>.fits`` per band, ``truth.ecsv``, ``humans.ecsv``.

    Also ``simulation.json`` (configuration, zeropoints, noise). Every file is written
    atomically.

    Parameters
    ----------
    field
        From :func:`simulate_field`.
    outdir
        Folder (created).
    overwrite
        Replace a field's files already there; without it they are refused.

    Returns
    -------
    dict
        ``{band: path, "truth": path, "humans": path, "simulation": path}``.

    Raises
    ------
    StarclassError
        ``outdir`` is a file, or holds a field's files and ``overwrite`` is False.

    Examples
    --------
    >>> import tempfile
    >>> field = simulate_field(SimConfig(seed=1, shape=(64, 64), n_candidates=5, bands=("f555w",)))
    >>> d = tempfile.mkdtemp()
    >>> sorted(p.name for p in write_field(field, d).values())
    ['SIM-1_f555w.fits', 'humans.ecsv', 'simulation.json', 'truth.ecsv']
    >>> write_field(field, d)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.OutputExistsError: ...: SIM-1_f555w.fits, truth.ecsv, ... already there (a simulated field); ...
    """
    outdir = Path(outdir)
    _refuse_existing(outdir, field.config, overwrite)
    outdir.mkdir(parents=True, exist_ok=True)
    cfg = field.config
    paths: dict[str, Path] = {}
    for band, img in field.images.items():
        info = BANDS[band]
        paths[band] = write_mosaic(_band_path(outdir, cfg.galaxy, band), img, band, field.wcs,
                                   photflam=info.photflam, photplam=info.photplam,
                                   exptime=cfg.band_exptime(band),
                                   extra_header=_fits_header(cfg, band, field.noise[band]),
                                   overwrite=True)  # the folder was checked above (_refuse_existing)
    paths.update(_write_tables(outdir, field.truth, field.humans, cfg, field.noise))
    return paths


def simulate_to_disk(config: SimConfig, outdir: str | os.PathLike, *, progress: bool | None = False,
                     overwrite: bool = False) -> dict[str, Path]:
    """Simulate and write band by band (one band in memory at a time, for 8192 x 8192 fields).

    The files are those of :func:`write_field`; ``overwrite`` as there.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> out = pathlib.Path(tempfile.mkdtemp()) / "field"
    >>> paths = simulate_to_disk(SimConfig(seed=1, shape=(128, 128), n_candidates=20), out)
    >>> sorted(paths)
    ['f275w', 'f336w', 'f438w', 'f555w', 'f814w', 'humans', 'simulation', 'truth']
    """
    outdir = Path(outdir)
    _refuse_existing(outdir, config, overwrite)
    outdir.mkdir(parents=True, exist_ok=True)
    sc = _scene(config)
    blank = sc.gal.blank_mask()
    paths: dict[str, Path] = {}
    bar = Progress(len(config.bands), desc="render", noun="band", show=progress, unit="band")
    for band in bar.iterate(config.bands):
        img = render_band(config, band, sc.gal, sc.light[band], sc.comps, sc.noise[band],
                          stage_rng(config.seed, f"noise-{band}"), blank)
        info = BANDS[band]
        paths[band] = write_mosaic(_band_path(outdir, config.galaxy, band), img, band, sc.wcs,
                                   photflam=info.photflam, photplam=info.photplam,
                                   exptime=config.band_exptime(band),
                                   extra_header=_fits_header(config, band, sc.noise[band]),
                                   overwrite=True)  # the folder was checked above (_refuse_existing)
        del img
    paths.update(_write_tables(outdir, sc.truth, sc.humans, config, sc.noise))
    return paths
