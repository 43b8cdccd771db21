"""Configuration of a simulated field: :class:`SimConfig` and named presets.

Numbers and their sources (see also ``docs/simulator.md``):

* HST WFC3/UVIS + ACS drizzled mosaics at 0.04"/px in F275W, F336W, F438W, F555W, F814W
  (LEGUS / PHANGS-HST; PHANGS paper, section 2).
* Depth: a point source of m_V = 24.5 has S/N about 10 (PHANGS paper, section 5.5). The other
  bands' depths (magnitude at S/N 10) are read off the LEGUS NGC 1566 catalogue's error-magnitude
  relation (magerr ~ 0.11 mag): F275W 22.5, F336W 22.6, F438W 24.2, F555W 24.5, F814W 23.7.
* Class mix of human-classified LEGUS candidates 16/20/20/44 % (StarcNet paper, section 2);
  the class-4 subclass mix follows the PHANGS NGC 1566 counts (112 single stars, 302 pairs,
  132 triplets, 10 saturated stars, 5 background galaxies, 26 fluff, 13 edge, 11 bad pixels),
  keeping only the subclasses a simulation can make (no 4.5, 4.6, 4.9, 4.10).
* Ground-based preset ``m31``: PAndAS MegaCam g and i at 0.187"/px, seeing 0.67" (g) and
  0.60" (i), M31 at 0.78 Mpc (Zhang et al., seed paper 002, section 2.1). It poses the M31
  search's problem: clusters (classes 1 and 2, :data:`M31_CLUSTER_CLASSES`) against the
  paper's contaminants at its imbalance (:data:`M31_CLUSTER_FRACTION`,
  :data:`M31_CONTAMINANT_COUNTS`).
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from starclass.bands import BANDS, HST_BANDS, ubvi_bands, v_band, vega_zeropoint
from starclass.errors import StarclassError, agreeing
from starclass.schema import CLASSES, check_distance_mpc, check_distinct_bands
from starclass.schema import DISTANCE_RANGE_MPC as _DISTANCE_RANGE_MPC

#: PHANGS NGC 1566 class-4 subclass counts kept by the simulator (Whitmore et al., table of
#: subclasses; see DESIGN.md "Facts for a realistic simulator").
PHANGS_SUBCLASS_COUNTS: dict[float, float] = {
    4.1: 112, 4.2: 302, 4.3: 132, 4.4: 10, 4.7: 5, 4.8: 26, 4.11: 13, 4.12: 11,
}

#: The distances the simulator renders, the bound of every ``--distance`` (:data:`starclass.schema.DISTANCE_RANGE_MPC`).
DISTANCE_RANGE_MPC = _DISTANCE_RANGE_MPC


def check_distance(distance_mpc: float, source: str = "distance_mpc") -> None:
    """Refuse a distance outside :data:`DISTANCE_RANGE_MPC`, naming where it came from.

    The message named "the command's --distance" whatever gave the value: a Python call
    (``SimConfig(distance_mpc=...)``, ``preset(..., distance_mpc=...)``) was sent to an option it
    never used. :meth:`SimConfig.validate` names the parameter; ``simulate`` and ``demo`` check
    their ``--distance`` first, naming it.

    Parameters
    ----------
    distance_mpc : float
        The distance (Mpc); NaN is refused.
    source : str
        Where the value came from, as the user gave it: ``"--distance"``, ``"distance_mpc"``, or a
        file and key (``"sim.yaml: distance_mpc"``).

    Raises
    ------
    StarclassError
        Outside the range, naming ``source``.

    Examples
    --------
    >>> check_distance(10.0)
    >>> check_distance(1e6, "--distance")
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: --distance must be between 0.01 and 1000 Mpc, got 1000000.0
    """
    # inf, 1e30 or 1e-9 Mpc reached numpy deep in the rendering ("Probabilities contain NaN",
    # "lam value too large", a 46 GiB array) as a traceback
    check_distance_mpc(distance_mpc, source)

#: Depth: magnitude (Vega) of a point source with S/N = 10 in an r = 3 px aperture.
HST_DEPTH: dict[str, float] = {
    "f225w": 22.3, "f275w": 22.5, "f336w": 22.6, "f435w": 24.2, "f438w": 24.2,
    "f555w": 24.5, "f606w": 24.7, "f814w": 23.7,
}

#: Exposure times (s): only the Poisson statistics use them (images are in e-/s).
#: These are *effective* times, about 40% of a LEGUS visit: real catalogue errors carry more
#: than Poisson noise (drizzle-correlated noise, flat fields, aperture corrections), and with
#: the full times the depth above would need an implausibly bright background.
HST_EXPTIME: dict[str, float] = {
    "f225w": 1000.0, "f275w": 1000.0, "f336w": 450.0, "f435w": 360.0, "f438w": 360.0,
    "f555w": 400.0, "f606w": 360.0, "f814w": 360.0,
}


#: The one definition of "cluster" in the M31 problem: reference classes 1 (compact: young
#: massive and old globular clusters) and 2 (extended or asymmetric clusters). The simulator's
#: ``m31`` preset draws no class 3 (LEGUS-style multi-peak associations); the ``m31-binary``
#: task merges exactly these classes into its cluster class, and the docs and the report's
#: threshold study use the same pair (tests/test_m31_problem.py checks all three).
M31_CLUSTER_CLASSES: tuple[int, ...] = (1, 2)

#: The task (a :mod:`starclass.learn.config` preset) whose classes a field's truth and people are
#: read in (``SimConfig.task``): the LEGUS four classes for the HST and LEGUS-like presets, the M31
#: search's cluster / non-cluster for ``m31``. Recorded in ``truth.ecsv`` and ``humans.ecsv``
#: (:data:`starclass.schema.TASK`), so evaluate, report and info read an m31 field as binary.
FIELD_TASK: str = "legus4"
M31_TASK: str = "m31-binary"

#: Cluster fraction of the M31 search's test set after its catalogue cuts: 490 clusters among
#: 5,963 sources (1 : 11.2; Zhang et al., seed 002, section 2.3). Before the cuts the ratio was 1 : 355.
M31_CLUSTER_FRACTION: float = 490 / (490 + 5473)

#: Pairwise cluster / non-cluster agreement of two human classifiers: 78.1 % for LEGUS (StarcNet
#: paper, seed 001, section 4 and Figure 3; 87.2 % between a person and the mode). The M31 paper
#: (seed 002, section 5.2) gives none: its two inspectors scored only the network's candidates.
BINARY_PAIR_AGREEMENT: float = 0.781

#: A LEGUS classifier's cluster / non-cluster agreement with the mode of all of them, 87.2 % (same
#: source): the nearest documented figure to a person's agreement with the truth.
BINARY_MODE_AGREEMENT: float = 0.872

#: The ``m31`` preset's ``human_noise``: its simulated people agree with each other on cluster
#: against non-cluster as often as :data:`BINARY_PAIR_AGREEMENT` on the preset's field.
M31_HUMAN_NOISE: float = 0.85

#: The paper's non-clusters of its training and validation sets (seed 002, section 2.3), and the
#: class-4 subclass the simulator draws each as. At 0.78 Mpc and 0.6-0.7" seeing, planetary nebulae
#: and symbiotic stars are unresolved point sources (their emission-line colours are not modelled);
#: Milky Way foreground stars brighter than the saturation limit bleed (4.4); H II regions are
#: faint diffuse knots (4.8, "fluff"); galaxies are background galaxies (4.7). The 11,151
#: "remaining" catalogue sources (in no catalogue) are M31 and foreground stars and chance groupings
#: of them at ground-based resolution (asterisms); they are split 50 / 35 / 15 % into single
#: stars, pairs and triplets (4.1, 4.2, 4.3), an assumption: the paper does not say.
M31_CONTAMINANT_COUNTS: dict[str, tuple[float, float]] = {
    # name: (count in the paper, subclass drawn)
    "foreground or M31 star": (751 * 0.95, 4.1),
    "saturated foreground star": (751 * 0.05, 4.4),
    "background galaxy": (72, 4.7),
    "HII region": (143, 4.8),
    "planetary nebula": (41, 4.1),
    "symbiotic star": (3, 4.1),
    "asterism: single blend": (11151 * 0.50, 4.1),
    "asterism: pair": (11151 * 0.35, 4.2),
    "asterism: triplet": (11151 * 0.15, 4.3),
}


def m31_subclass_mix() -> dict[float, float]:
    """The ``m31`` preset's class-4 subclass weights, summed from :data:`M31_CONTAMINANT_COUNTS`.

    Examples
    --------
    >>> mix = m31_subclass_mix()
    >>> sorted(mix), round(mix[4.7])
    ([4.1, 4.2, 4.3, 4.4, 4.7, 4.8], 72)
    """
    mix: dict[float, float] = {}
    for count, sub in M31_CONTAMINANT_COUNTS.values():
        mix[sub] = mix.get(sub, 0.0) + float(count)
    return mix


def mix_with_cluster_fraction(class_mix: Sequence[float], fraction: float) -> tuple[float, float, float, float]:
    """Rescale a four-class mix so that classes 1 + 2 make up ``fraction`` of the candidates.

    Classes 1 and 2 keep their ratio, and so do classes 3 and 4 (a mix without clusters gets
    them half and half).

    Examples
    --------
    >>> mix_with_cluster_fraction((0.2, 0.2, 0.0, 0.6), 0.1)
    (0.05, 0.05, 0.0, 0.9)
    """
    f = float(fraction)
    if not 0.0 <= f <= 1.0:
        raise StarclassError(f"cluster_fraction must be between 0 and 1, got {fraction}")
    a, b, c, d = (float(v) for v in class_mix)
    cl, rest = a + b, c + d
    a, b = (a / cl, b / cl) if cl > 0 else (0.5, 0.5)
    c, d = (c / rest, d / rest) if rest > 0 else (0.0, 1.0)
    return (round(f * a, 12), round(f * b, 12), round((1 - f) * c, 12), round((1 - f) * d, 12))


#: The largest field side in pixels (a square field's; ``simulate --size``): 16384 px needs ~50 GiB to render.
MAX_FIELD_SIDE = 16384


@dataclass
class SimConfig:
    """Everything that defines a simulated field; the field is a pure function of it.

    Attributes
    ----------
    seed
        Seed of every random draw (``numpy.random.default_rng`` streams spawned from it).
    shape
        ``(ny, nx)`` pixels.
    bands
        Filter names (lower case); V (detection) is :func:`starclass.bands.v_band` of them.
    pixel_scale
        Arcsec per pixel.
    distance_mpc
        Distance of the galaxy (Mpc): sets the distance modulus and the pc per pixel;
        within :data:`DISTANCE_RANGE_MPC` (0.01-1000).
    n_candidates
        Objects in the truth catalogue (the "human-classified candidates"), at least 1: every later
        stage works per candidate and refuses an empty catalogue.
    class_mix
        Fractions of classes 1, 2, 3, 4 among the candidates.
    subclass_mix
        Relative frequency of the class-4 subclasses.
    n_humans
        Number of simulated human classifiers.
    human_noise
        Scale of the simulated humans' confusion (1 = tuned to the LEGUS agreement figures).
    human_ambiguity_scale
        True class (1-4) or class-4 subclass (e.g. 4.1, single stars) -> factor on the
        simulated people's ambiguity of such objects (:func:`starclass.simulate.humans.ambiguity`;
        a subclass key wins over its class); empty (the default): every factor 1. NGC 7793-W's
        real people disagree on 38 % of the sources with CI < 1.40 (mostly class 4) and on 76 %
        of those with CI 1.40-2.00, where the simulated people disagreed on 79 % and 73 %
        (docs/legus_validation.md, "NGC 7793-W: who the people agree on").
    human_colour_link
        Between 0 (the default: off) and 1: a true class-4 object's ambiguity to the simulated
        people is multiplied by ``1 + s (1 - 2 p)``, ``p`` its true V-I percentile among the
        class-4 objects (:func:`starclass.simulate.humans.colour_factor`): the blue ones are
        mistaken more often, the red ones less, as many mistakes on class 4 in all. The real
        NGC 628-C people agreed on the red class-4 sources (median V-I 1.13) and split on the
        bluer ones (0.74-0.90; docs/legus_validation.md, "NGC 628-C: modes 3 and 4").
    human_classes
        The classes the simulated people vote: the field's task's (two or more of 1-4, every class
        of ``class_mix`` above 0 among them). All four (the default) for the LEGUS and PHANGS
        tasks; 1, 2, 4 for ``m31``, whose task is clusters (1 + 2) against non-clusters and which
        draws no class 3: a mistake towards a class not voted goes to the other class on its side
        of the cluster / non-cluster merge (:func:`starclass.simulate.humans.simulate_humans`).
    task
        The task preset the field's classes are read in (:data:`FIELD_TASK`, ``legus4``, by
        default; :data:`M31_TASK` for ``m31``): recorded with its classes and merges in the meta
        of ``truth.ecsv`` and ``humans.ecsv`` (:meth:`field_meta`). Its reference classes (those
        its merge maps from, else its classes) hold ``human_classes``.
    galaxy
        Name of the field (FITS ``TARGNAME``, output file prefix, ``galaxy`` column).
    depth
        Band -> magnitude of a point source with S/N 10 (r = 3 px aperture, typical background).
    exptime
        Band -> exposure time (s).
    read_noise
        Read noise per output pixel (e-).
    psf_fwhm
        Band -> PSF FWHM (px); default from :data:`starclass.bands.BANDS` scaled to the pixel
        scale (HST) or ``seeing / pixel_scale``.
    psf_beta
        Moffat beta of the PSF.
    mag_limit
        Faintest V magnitude of a candidate (humans classify to about m_V 24-24.5).
    mag_bright
        Brightest V magnitude of a candidate cluster.
    field_stars
        Number of faint field stars (fainter than ``mag_limit``) per candidate: texture and
        crowding that is not in the truth catalogue.
    sky_fraction
        Share of the V-band background (at the depth calibration) that is sky; the rest is
        the galaxy's diffuse light at the field median (other bands follow its colours).
    diffuse_light
        Multiplies the galaxy's diffuse light (0 = none; the depth is kept by a brighter sky).
    ebv_scale
        Multiplies all dust (the lanes of the galaxy and the objects' own reddening).
    footprint_edge
        Blank (NaN) a corner of the field as a mosaic edge; objects near it are class 4.11.
    saturation
        Full well (e-) at which saturated stars clip and bleed.
    saturation_exptime
        Band -> time (s) in which a pixel collects its full well: one sub-exposure of the visit,
        since a detector saturates per readout, not in the combined image. Default (empty): the
        band's ``exptime``. Presets that reach their depth with a long *effective* exposure
        (:data:`LEGUS_EXPOSURE_DEPTH`) keep the default exposures here, so that their stars
        saturate where they do in the other presets rather than 3 mag fainter.
    cluster_reff_pc
        Median effective radius (pc) of class 1 and 2 clusters (log-normal, 0.25 dex).
    class_mag_shift
        Per class 1-4, magnitudes added to ``mag_limit`` for that class's candidates (negative:
        the class ends brighter); all zero: every class is drawn to ``mag_limit``.
    class_companions
        Per class 1-4, mean number of faint stars (like the field stars) placed 5-14 px around
        each candidate of that class: the resolved stars of the star-forming complex it sits in,
        which raise its background noise (``objects.COMPANION_RADII``); all zero: none.
    class_complex_share
        Per class 1-4, the share of candidates that sit in a star-forming complex and so get the
        ``class_companions`` (Poisson, that mean); the others get none and are isolated. All one
        (the default): every candidate of a class with companions gets them. In the real
        catalogues 37-40 % of classes 3 and 4 have no other row within 25 px (NGC 628-C).
    assoc_radius_px
        Range (px) of the radius within which a class-3 association's stars are drawn (uniform);
        the default (1.2, 3.8) px is the simulator's original one. In a near field a given
        physical size spans more pixels, so that the real associations are more extended
        (NGC 7793-W at 3.44 Mpc: 2 % of class 3 below CI 1.4, docs/legus_validation.md).
    assoc_stars_by_age
        False (default): a class-3 association's member stars take temperatures whatever its age
        (about 10 % red supergiants, hot stars 9000-40 000 K). True: they follow its age
        (:func:`starclass.simulate.ssp.draw_member_teff`): no red or yellow supergiants before
        ``ssp.RSG_ONSET_YR`` (7 Myr), hot stars within a factor 2 below the main-sequence turnoff
        temperature.
    assoc_ebv
        None (default): a class-3 association's E(B-V) is a random share of the galaxy's dust
        screen plus its own (exponential, mean 0.10). A number: its total E(B-V) is exponential with
        this mean, as measured by the SED fits of the field's real associations (the LEGUS
        catalogues' E(B-V) column; docs/legus_validation.md, "Class-3 colours").
    age_box_counts
        Class (1, 2, 3) -> relative numbers in the age boxes < 10 Myr, 10-100 Myr, 0.1-1 Gyr,
        > 1 Gyr; a class not given uses the PHANGS NGC 1566 mix (``objects.AGE_BOX_COUNTS``).
    ra, dec
        Field centre (deg).
    galaxy_offset_kpc
        Projected distance (kpc) from the field's centre to the galaxy's centre; None: the
        centre falls within the inner 70% of the field. M31 fields at a few offsets make a
        survey across galactocentric radius (the truth column ``r_gal`` follows it).
    telescope
        Written as TELESCOP.

    Examples
    --------
    >>> cfg = SimConfig(seed=1, shape=(128, 128), n_candidates=20)
    >>> cfg.bands, cfg.v_band
    (('f275w', 'f336w', 'f438w', 'f555w', 'f814w'), 'f555w')
    >>> cfg.replace(seed=2).seed        # configs are frozen: replace makes a changed copy
    2
    """

    seed: int = 0
    shape: tuple[int, int] = (2048, 2048)
    bands: tuple[str, ...] = HST_BANDS
    pixel_scale: float = 0.04
    distance_mpc: float = 10.0
    n_candidates: int = 3000
    class_mix: tuple[float, float, float, float] = (0.16, 0.20, 0.20, 0.44)
    subclass_mix: dict[float, float] = field(default_factory=lambda: dict(PHANGS_SUBCLASS_COUNTS))
    n_humans: int = 3
    human_noise: float = 1.0
    human_ambiguity_scale: dict[float, float] = field(default_factory=dict)
    human_colour_link: float = 0.0
    human_classes: tuple[int, ...] = CLASSES
    task: str = FIELD_TASK
    galaxy: str = "SIM-1"
    depth: dict[str, float] = field(default_factory=dict)
    exptime: dict[str, float] = field(default_factory=dict)
    read_noise: float = 3.5
    psf_fwhm: dict[str, float] = field(default_factory=dict)
    psf_beta: float = 1.9
    seeing_arcsec: dict[str, float] = field(default_factory=dict)
    mag_limit: float = 24.5
    mag_bright: float = 18.5
    field_stars: float = 3.0
    sky_fraction: float = 0.3
    diffuse_light: float = 1.0
    ebv_scale: float = 1.0
    footprint_edge: bool = True
    saturation: float = 80000.0
    saturation_exptime: dict[str, float] = field(default_factory=dict)
    cluster_reff_pc: float = 2.5
    class_mag_shift: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    class_companions: tuple[float, float, float, float] = (0.0, 0.0, 0.0, 0.0)
    class_complex_share: tuple[float, float, float, float] = (1.0, 1.0, 1.0, 1.0)
    assoc_radius_px: tuple[float, float] = (1.2, 3.8)
    assoc_stars_by_age: bool = False
    assoc_ebv: float | None = None
    age_box_counts: dict[int, tuple[float, float, float, float]] = field(default_factory=dict)
    ra: float = 65.0017
    dec: float = -54.9380
    galaxy_offset_kpc: float | None = None
    telescope: str = "HST"
    preset: str = "hst"

    def __post_init__(self) -> None:
        self.bands = tuple(b.lower() for b in self.bands)
        self.class_mag_shift = tuple(float(v) for v in self.class_mag_shift)
        self.class_companions = tuple(float(v) for v in self.class_companions)
        self.class_complex_share = tuple(float(v) for v in self.class_complex_share)
        self.assoc_radius_px = tuple(float(v) for v in self.assoc_radius_px)
        self.human_classes = tuple(sorted({int(c) for c in self.human_classes}))
        self.shape = (int(self.shape[0]), int(self.shape[1]))
        self.validate()

    # -- derived ---------------------------------------------------------------------------
    @property
    def v_band(self) -> str:
        """The band used as V (detection, CI): F555W, else F606W, else g, else the first.

        Examples
        --------
        >>> SimConfig().v_band, SimConfig(bands=("f438w", "f814w")).v_band
        ('f555w', 'f438w')
        """
        return v_band(list(self.bands))

    @property
    def pc_per_px(self) -> float:
        """Parsecs per pixel at the field's distance.

        Examples
        --------
        >>> cfg = SimConfig(distance_mpc=10.0, pixel_scale=0.04)
        >>> round(cfg.pc_per_px, 3), round(cfg.replace(distance_mpc=20.0).pc_per_px, 3)  # twice as far: twice the pc
        (1.939, 3.879)
        """
        return self.distance_mpc * 1e6 * self.pixel_scale / 206264.806

    def band_depth(self, band: str) -> float:
        if band in self.depth:
            return float(self.depth[band])
        if band in HST_DEPTH:
            return HST_DEPTH[band]
        return 24.0

    def zeropoint(self, band: str) -> float:
        """Vega zeropoint of ``band`` (mag of 1 e-/s) from its PHOTFLAM / PHOTPLAM."""
        info = BANDS[band]
        return vega_zeropoint(band, info.photflam, info.photplam)

    def band_exptime(self, band: str) -> float:
        return float(self.exptime.get(band, HST_EXPTIME.get(band, 1000.0)))

    def band_saturation_rate(self, band: str) -> float:
        """Count rate (e-/s/px) at which a pixel of ``band`` saturates.

        The full well divided by :attr:`saturation_exptime` of the band (default: its exposure).

        Examples
        --------
        >>> SimConfig().band_saturation_rate("f555w")  # 80000 e- in 400 s
        200.0
        >>> SimConfig(exptime={"f555w": 8000.0}, saturation_exptime={"f555w": 400.0}).band_saturation_rate("f555w")
        200.0
        """
        return float(self.saturation) / self.band_saturation_exptime(band)

    def band_saturation_exptime(self, band: str) -> float:
        """Time (s) in which a pixel of ``band`` fills its full well: :attr:`saturation_exptime`, else the exposure."""
        t = self.saturation_exptime.get(band)
        return float(self.band_exptime(band) if t is None else t)

    def band_fwhm(self, band: str) -> float:
        """PSF FWHM in pixels."""
        if band in self.psf_fwhm:
            return float(self.psf_fwhm[band])
        if band in self.seeing_arcsec:
            return float(self.seeing_arcsec[band]) / self.pixel_scale
        return BANDS[band].psf_fwhm_px * 0.04 / self.pixel_scale if self.telescope == "HST" else (
            BANDS[band].psf_fwhm_px)

    def validate(self) -> None:
        """Raise :class:`StarclassError` naming the first bad parameter."""
        ny, nx = self.shape
        if ny < 64 or nx < 64:
            raise StarclassError(f"shape must be at least 64 x 64 px, got {nx} x {ny} (nx x ny)")
        if ny * nx > MAX_FIELD_SIDE * MAX_FIELD_SIDE:
            raise StarclassError(f"shape {nx} x {ny} is too large (at most {MAX_FIELD_SIDE} x {MAX_FIELD_SIDE})")
        if not self.bands:
            raise StarclassError("bands: at least one band is needed")
        unknown = [b for b in self.bands if b not in BANDS]
        if unknown:
            raise StarclassError(f"bands: unknown {agreeing(len(unknown), 'band')} {', '.join(unknown)}; "
                                 f"known: {', '.join(BANDS)}")
        # the one check of --bands and the functions ("bands: duplicated band in ..." was its own copy)
        check_distinct_bands(self.bands)
        if not self.pixel_scale > 0:
            raise StarclassError(f"pixel_scale must be positive, got {self.pixel_scale}")
        # the parameter's name: simulate and demo name their --distance before a config is made
        check_distance(self.distance_mpc)
        # an empty truth catalogue is refused by every reader (detect --truth, cutouts, train, evaluate):
        # refuse it here, before minutes of rendering, rather than write a field nothing can use
        if self.n_candidates < 1:
            raise StarclassError(f"n_candidates must be >= 1, got {self.n_candidates}")
        if len(self.class_mix) != 4 or min(self.class_mix) < 0 or sum(self.class_mix) <= 0:
            raise StarclassError(f"class_mix must be four non-negative fractions, got {self.class_mix}")
        if self.diffuse_light < 0:
            raise StarclassError(f"diffuse_light must be >= 0, got {self.diffuse_light}")
        if self.n_humans < 1:
            raise StarclassError(f"n_humans must be >= 1 (simulate --humans), got {self.n_humans}")
        if self.mag_bright >= self.mag_limit:
            raise StarclassError(f"mag_bright ({self.mag_bright}) must be brighter than mag_limit ({self.mag_limit})")
        if self.galaxy_offset_kpc is not None and not (math.isfinite(self.galaxy_offset_kpc)
                                                        and 0 <= self.galaxy_offset_kpc <= 1000):
            raise StarclassError(f"galaxy_offset_kpc must be between 0 and 1000 kpc, got {self.galaxy_offset_kpc}")
        if not self.cluster_reff_pc > 0:
            raise StarclassError(f"cluster_reff_pc must be positive, got {self.cluster_reff_pc}")
        if len(self.class_mag_shift) != 4 or not all(math.isfinite(v) and abs(v) <= 3.0
                                                      for v in self.class_mag_shift):
            raise StarclassError(f"class_mag_shift must be four magnitudes between -3 and 3, "
                                 f"got {self.class_mag_shift}")
        if len(self.class_companions) != 4 or not all(math.isfinite(v) and 0.0 <= v <= 50.0
                                                       for v in self.class_companions):
            raise StarclassError(f"class_companions must be four numbers between 0 and 50, got {self.class_companions}")
        if len(self.class_complex_share) != 4 or not all(math.isfinite(v) and 0.0 <= v <= 1.0
                                                          for v in self.class_complex_share):
            raise StarclassError(f"class_complex_share must be four shares between 0 and 1, "
                                 f"got {self.class_complex_share}")
        lo_r, hi_r = (self.assoc_radius_px + (math.nan, math.nan))[:2]
        if len(self.assoc_radius_px) != 2 or not (0.5 <= lo_r <= hi_r <= 20.0):
            raise StarclassError(f"assoc_radius_px must be two radii (px) with 0.5 <= low <= high <= 20, "
                                 f"got {self.assoc_radius_px}")
        if self.assoc_ebv is not None and not (math.isfinite(self.assoc_ebv) and 0.0 < self.assoc_ebv <= 2.0):
            raise StarclassError(f"assoc_ebv must be a mean E(B-V) between 0 and 2 mag (or None), got {self.assoc_ebv}")
        bad_sat = {b: t for b, t in self.saturation_exptime.items() if not (math.isfinite(float(t)) and float(t) > 0)}
        if bad_sat:
            raise StarclassError(f"saturation_exptime must be positive times (s) per band, got {bad_sat}")
        for k, counts in self.age_box_counts.items():
            if int(k) not in (1, 2, 3) or len(counts) != 4 or min(counts) < 0 or sum(counts) <= 0:
                raise StarclassError(f"age_box_counts: class {k} needs four non-negative numbers (classes 1-3), "
                                     f"got {counts}")
        bad_sub = [k for k in self.subclass_mix if round(k, 2) not in (4.1, 4.2, 4.3, 4.4, 4.7, 4.8, 4.11, 4.12)]
        if bad_sub:
            raise StarclassError(f"subclass_mix: the simulator cannot make subclass(es) {bad_sub}")
        for k, f in self.human_ambiguity_scale.items():
            if round(float(k), 2) not in (1, 2, 3, 4, 4.1, 4.2, 4.3, 4.4, 4.7, 4.8, 4.11, 4.12):
                raise StarclassError(f"human_ambiguity_scale: {k} is not a class (1-4) or a class-4 subclass the "
                                     "simulator makes (4.1, 4.2, 4.3, 4.4, 4.7, 4.8, 4.11, 4.12)")
            if not (math.isfinite(float(f)) and 0.0 <= float(f) <= 10.0):
                raise StarclassError(f"human_ambiguity_scale: the factor of {k} must be between 0 and 10, got {f}")

        if not (math.isfinite(float(self.human_colour_link)) and 0.0 <= float(self.human_colour_link) <= 1.0):
            raise StarclassError(f"human_colour_link must be between 0 and 1, got {self.human_colour_link}")
        if self.human_colour_link and not ubvi_bands(self.bands)["i"]:
            raise StarclassError(f"human_colour_link needs an I band (V-I colour), bands are {self.bands}")
        if len(self.human_classes) < 2 or not set(self.human_classes) <= set(CLASSES):
            raise StarclassError(f"human_classes must be two or more of the classes {list(CLASSES)}, "
                                 f"got {list(self.human_classes)}")
        # people who cannot vote a class the field draws would be wrong on every such object by construction
        unvoted = [c for c, f in zip(CLASSES, self.class_mix) if f > 0 and c not in self.human_classes]
        if unvoted:
            raise StarclassError(f"human_classes {list(self.human_classes)} leaves out class {unvoted[0]}, which "
                                 f"class_mix draws ({self.class_mix[unvoted[0] - 1]})")
        task = self.task_config()
        # the classes a table of the task may hold in class_ref: those its merge maps from, else its own
        reference = sorted(int(k) for k in task.merge) if task.merge else [int(c) for c in task.classes]
        if not set(self.human_classes) <= set(reference):
            raise StarclassError(f"task {self.task!r} reads the classes {reference}, not the human_classes "
                                 f"{list(self.human_classes)} its people vote")

    def task_config(self) -> Any:
        """The :class:`starclass.learn.config.TaskConfig` of ``task`` (a preset name).

        Examples
        --------
        >>> SimConfig(shape=(64, 64), n_candidates=1).task_config().classes
        [1, 2, 3, 4]
        """
        # here, not at the top: the simulator is imported where no task is (starclass --help)
        from starclass.learn.config import get_preset

        try:
            return get_preset(str(self.task))
        except StarclassError as exc:
            raise StarclassError(f"SimConfig task: {exc}") from None

    def field_meta(self) -> dict[str, Any]:
        """The meta of a field's ``truth.ecsv`` and ``humans.ecsv``: the task their classes are of.

        The same keys ``starclass classify`` writes (:meth:`starclass.learn.config.TaskConfig.table_meta`):
        ``evaluate FIELD/humans.ecsv -r FIELD/truth.ecsv`` of an ``m31`` field read it for the PHANGS
        four classes without them (a class 3 of n 0 listed), and ``info`` counted class 3.

        Examples
        --------
        >>> m = preset("m31", shape=(64, 64), n_candidates=1).field_meta()
        >>> m["task"], m["classes"], m["class_names"]
        ('m31-binary', [1, 2], ['cluster', 'non-cluster'])
        """
        return self.task_config().table_meta()

    def replace(self, **changes: Any) -> SimConfig:
        """A copy with some fields changed."""
        return dataclasses.replace(self, **changes)

    def to_dict(self) -> dict:
        d = dataclasses.asdict(self)
        d["shape"] = list(self.shape)
        d["bands"] = list(self.bands)
        d["subclass_mix"] = {str(k): v for k, v in self.subclass_mix.items()}
        d["age_box_counts"] = {str(k): list(v) for k, v in self.age_box_counts.items()}
        for key in ("class_mag_shift", "class_companions"):
            if any(getattr(self, key)):
                d[key] = list(getattr(self, key))
            else:  # the default: not written, so that simulation.json of the default fields stays as it was
                del d[key]
        if self.human_ambiguity_scale:
            d["human_ambiguity_scale"] = {str(k): v for k, v in self.human_ambiguity_scale.items()}
        else:  # the default: not written, as above
            del d["human_ambiguity_scale"]
        if not self.human_colour_link:  # the default: not written, as above
            del d["human_colour_link"]
        if self.human_classes == CLASSES:  # the default: not written, as above
            del d["human_classes"]
        else:
            d["human_classes"] = list(self.human_classes)
        if self.task == FIELD_TASK:  # the default: not written, as above
            del d["task"]
        if self.class_complex_share == (1.0, 1.0, 1.0, 1.0):  # the default: not written
            del d["class_complex_share"]
        else:
            d["class_complex_share"] = list(self.class_complex_share)
        if not self.saturation_exptime:  # the default: not written, as the settings above
            del d["saturation_exptime"]
        if self.assoc_radius_px == (1.2, 3.8):  # the default: not written either
            del d["assoc_radius_px"]
        else:
            d["assoc_radius_px"] = list(self.assoc_radius_px)
        for key, default in (("assoc_stars_by_age", False), ("assoc_ebv", None)):
            if getattr(self, key) == default:  # nor these
                del d[key]
        return d


def preset(name: str, **overrides: Any) -> SimConfig:
    """A named configuration, with fields overridden.

    * ``hst``: the default (five HST bands, 0.04"/px, 10 Mpc).
    * ``ngc1566``: like LEGUS NGC 1566: 17.9 Mpc (StarcNet paper), candidates to m_V = 24.1, a
      class mix that makes the simulated human mode near the LEGUS NGC 1566 mix 477/404/692/878
      (19/16/28/36 %) after a LEGUS-like CI >= 1.35 selection (:data:`NGC1566_PRESELECTION_MIX`),
      depths fitted to its real errors (:data:`NGC1566_DEPTH`) and :data:`LEGUS_FIELD_STARS`
      field stars per candidate, as the other LEGUS presets, and association members of their age
      (``assoc_stars_by_age``).
    * ``m31``: ground-based PAndAS-like g and i at 0.187"/px, seeing 0.67"/0.60", 0.78 Mpc,
      no UV; candidates to g = 21 (Zhang et al. use g < 21 for their best model); clusters
      (classes 1 and 2, young and old, compact and extended) make up the paper's 1 in 11.2
      (:data:`M31_CLUSTER_FRACTION`) and the rest are its contaminants
      (:data:`M31_CONTAMINANT_COUNTS`); no class 3, no mosaic edge, no cosmic rays.
    * ``ngc7793w``, ``ngc5474``, ``ngc1433``, ``ngc628c``: more LEGUS fields spanning the
      distances (:data:`LEGUS_FIELD_PRESETS`): NGC 7793-W at 3.44 Mpc and NGC 628-C at 9.9 Mpc
      with ACS F435W, NGC 5474 at 6.8 Mpc with F438W and F606W, NGC 1433 at 8.3 Mpc with WFC3
      F438W; candidates to the field's m_V at M_V ~ -6. Presets in :data:`LEGUS_EXPOSURE_DEPTH`
      (NGC 628-C) get each band's effective exposure from its depth
      (:func:`starclass.simulate.render.exptime_at_background`) unless ``exptime`` is given.

    ``cluster_fraction`` (an override like any other, or ``--cluster-fraction``) rescales the
    class mix so that classes 1 + 2 are that share of the candidates.

    Examples
    --------
    >>> cfg = preset("ngc628c", shape=(256, 256), n_candidates=50)
    >>> cfg.distance_mpc, cfg.bands[2], round(cfg.pc_per_px, 2)
    (9.9, 'f435w', 1.92)
    """
    fraction = overrides.pop("cluster_fraction", None)
    key = name.lower()
    if key == "hst":
        base = SimConfig()
    elif key == "ngc1566":
        # associations' members follow their age; their reddening needs no setting here: the default
        # draw's class-3 E(B-V) (median 0.13) is the real SED fits' (0.13)
        base = SimConfig(distance_mpc=17.9, class_mix=NGC1566_PRESELECTION_MIX, mag_limit=24.1,
                         depth=dict(NGC1566_DEPTH), field_stars=LEGUS_FIELD_STARS, assoc_stars_by_age=True,
                         galaxy="SIM-NGC1566", ra=65.0017, dec=-54.9380, preset="ngc1566")
    elif key == "m31":
        base = SimConfig(
            bands=("g", "i"), pixel_scale=0.187, distance_mpc=0.78, telescope="CFHT",
            seeing_arcsec={"g": 0.67, "i": 0.60}, psf_beta=3.0, depth={"g": 25.5, "i": 24.5},
            exptime={"g": 3450.0, "i": 3410.0}, read_noise=5.0, mag_limit=21.0, mag_bright=14.0,
            galaxy="SIM-M31", ra=10.6847, dec=41.2690, sky_fraction=0.6,
            footprint_edge=False, saturation=60000.0, preset="m31",
            class_mix=mix_with_cluster_fraction((0.5, 0.5, 0.0, 0.5), M31_CLUSTER_FRACTION),
            subclass_mix=m31_subclass_mix(),
            # the task's classes: clusters (1, 2) against non-clusters, of which the preset draws class 4 only
            human_classes=(*M31_CLUSTER_CLASSES, 4), human_noise=M31_HUMAN_NOISE, task=M31_TASK,
        )
    elif key in LEGUS_FIELD_PRESETS:
        base = SimConfig(**LEGUS_FIELD_PRESETS[key], preset=key)
    else:
        raise StarclassError(f"unknown simulator preset {name!r}; known: {', '.join(PRESETS)}")
    cfg = base.replace(**overrides) if overrides else base
    if key in LEGUS_EXPOSURE_DEPTH and "exptime" not in overrides:
        # the depth is reached by a longer effective exposure on the default background, not by a
        # fainter background: the galaxy's diffuse light (bright in the arms and clumps, where
        # associations and stars sit) stays, and with it the errors' link to where a source is
        from starclass.simulate.render import exptime_at_background

        # ... but a detector fills its full well per sub-exposure, not in the effective time (8 000-56 000 s
        # here, longer than an HST orbit): the stars saturate at the rate of the exposures they had before
        sat = {b: cfg.band_exptime(b) for b in cfg.bands}
        if "saturation_exptime" in overrides:
            sat.update(overrides["saturation_exptime"])
        cfg = cfg.replace(exptime={b: round(exptime_at_background(cfg, b)) for b in cfg.bands}, saturation_exptime=sat)
    if fraction is not None:
        cfg = cfg.replace(class_mix=mix_with_cluster_fraction(cfg.class_mix, fraction))
    return cfg


#: Faint field stars per candidate in the LEGUS presets (the default is 3). In the real
#: catalogues the V error at a given magnitude tells clusters from the rest (ROC AUC of classes
#: 3+4 about 0.77 inside half-magnitude bins, NGC 628-C): clusters sit at the lower envelope of
#: the error-magnitude relation, associations and stars above it, where the background annulus
#: holds the resolved young stars of the star-forming regions. With 3 field stars per candidate
#: (and each source's own aperture correction) the simulated errors were nearly blind to the
#: class (AUC 0.56); with 12, drawn where the young light is, and the LEGUS average aperture
#: correction, 0.65 (benchmarks/realism_errors.py; docs/legus_validation.md, "The simulator
#: across distances").
LEGUS_FIELD_STARS: float = 12.0

#: LEGUS fields across the distance range, beside ``ngc1566`` (17.9 Mpc). Distances from
#: Calzetti et al. 2015, Table 1 (:data:`starclass.science.many.FIELD_DISTANCES_MPC`); the five
#: bands as the field's file name implies (ACS fields have F435W, WFC3-only fields F438W). The
#: candidates reach the field's m_V at the LEGUS inspection limit M_V ~ -6 (``mag_limit``: the
#: 95th percentile of the real inspected m_V), and the brightest cluster candidate scales with
#: the distance (``mag_bright``). ``class_mix`` is the mix *before* the LEGUS-like CI selection,
#: set so that after it the simulated human *mode* is near the field's classes
#: (benchmarks/realism_fields.py). ``depth`` is fitted to the field's real error-magnitude relation
#: (benchmarks/realism_errors.py, ``effective_depth``, fitted twice: 0.6-2.5 mag deeper than
#: :data:`HST_DEPTH`; most bands are then at the background floor of ``render.required_background``,
#: i.e. with almost no diffuse light: docs/legus_validation.md, "What was tuned"; NGC 628-C reaches
#: it by exposure instead, :data:`LEGUS_EXPOSURE_DEPTH`), and ``human_noise`` to how often its real
#: people disagreed (benchmarks/legus_disagreement.py: NGC 7793-W 70 %, NGC 628-C 68 %; NGC 5474's
#: file has no class mean: 1.3, fitted to its naive-rule ladder), with NGC 7793-W's single stars
#: less ambiguous than its other sources, as its real people's agreement per CI shows
#: (``human_ambiguity_scale``). ``class_mag_shift`` (NGC 628-C,
#: NGC 5474) follows the field's real per-class m_V medians, and NGC 628-C's ``class_companions``,
#: ``field_stars`` and ``sky_fraction`` the real link between class, neighbours and V error
#: (docs/legus_validation.md, "The class-error link"). ``assoc_stars_by_age`` (NGC 7793-W, NGC 1433,
#: NGC 5474, and the ``ngc1566`` preset) gives associations the member stars of their age, and
#: ``assoc_ebv`` (NGC 7793-W, NGC 1433, NGC 5474) their reddening the mean E(B-V) of the field's real
#: class-3 SED fits (docs/legus_validation.md, "Class-3 colours"). NGC 628-C's ``class_mix`` is
#: solved from the simulated people's measured confusion (mode given true class, and each class's
#: selection rate, seeds 1-3 of two mixes pooled) so that the mode after the cut has the real class
#: shares 334/357/326/542, and its share of saturated stars (4.4) follows the real count of class-4
#: rows brighter than m_V 19 (docs/legus_validation.md, "NGC 628-C: class mix, density and
#: saturation"). Its simulated people confuse blue class-4 objects more than red ones
#: (``human_colour_link``), as its real people agree on the red class-4 sources and split on the
#: blue ones (docs/legus_validation.md, "NGC 628-C: modes 3 and 4").
#: docs/legus_validation.md, "The simulator across distances", gives the numbers.
LEGUS_FIELD_PRESETS: dict[str, dict] = {
    "ngc7793w": dict(distance_mpc=3.44, bands=("f275w", "f336w", "f435w", "f555w", "f814w"), mag_limit=22.1,
                     mag_bright=16.5, class_mix=(0.16, 0.08, 0.39, 0.37), cluster_reff_pc=0.8, human_noise=1.9,
                     depth={"f275w": 24.0, "f336w": 24.0, "f435w": 25.1, "f555w": 25.9, "f814w": 25.0},
                     # the real class 4 lies at both ends of the CI range (33 % below 1.4, 18 % above 1.9)
                     # and class 3 above it (2 % below 1.4): more single stars, fluff and background
                     # galaxies than the NGC 1566 subclass mix, and wider associations (0.67 pc per px);
                     # human_noise stays 1.9, fitted to the real disagreement (70 %): 1.7 brought one
                     # more ladder rule within 5 points but people who disagree less than the real
                     # ones (docs/legus_validation.md, "The simulator across distances").
                     # The real people agree on the point sources: 38 % disagreement at CI < 1.40 (mostly
                     # class 4), 76 % at CI 1.40-2.00; simulated people 79 % and 73 %. Single stars'
                     # ambiguity x 0.1 gives 41 % and 71 % (docs/legus_validation.md, "NGC 7793-W: who
                     # the people agree on"); class_mix re-set for the real mode 51/84/86/78 with it
                     human_ambiguity_scale={4.1: 0.1},
                     subclass_mix={4.1: 550, 4.2: 150, 4.3: 60, 4.4: 10, 4.7: 40, 4.8: 110, 4.11: 13, 4.12: 11},
                     assoc_radius_px=(2.5, 4.5),
                     age_box_counts={1: (20, 9, 15, 2), 2: (38, 18, 15, 5), 3: (47, 14, 10, 3)}, galaxy="SIM-NGC7793W",
                     # associations: members of their age, E(B-V) of the real class 3's SED fits (mean 0.147)
                     assoc_stars_by_age=True, assoc_ebv=0.147,
                     field_stars=LEGUS_FIELD_STARS,
                     ra=359.4577, dec=-32.5914),
    "ngc628c": dict(distance_mpc=9.9, bands=("f275w", "f336w", "f435w", "f555w", "f814w"), mag_limit=24.1,
                    mag_bright=18.0, class_mix=(0.1077, 0.0582, 0.0388, 0.7953), human_noise=1.4,
                    # saturated stars (4.4) 1.7 instead of NGC 1566's 10: the real file has 7 class-4 rows
                    # brighter than m_V 19, the NGC 1566 weight gave 35-47 per simulated field
                    subclass_mix={**PHANGS_SUBCLASS_COUNTS, 4.4: 1.7},
                    depth={"f275w": 23.9, "f336w": 25.3, "f435w": 27.0, "f555w": 26.2, "f814w": 25.8},
                    age_box_counts={1: (36, 99, 86, 73), 2: (123, 100, 75, 17), 3: (169, 61, 23, 17)},
                    class_mag_shift=(-0.55, -0.6, -0.45, 0.45), class_companions=(0.0, 0.5, 9.0, 9.0),
                    field_stars=3.0, sky_fraction=0.9,
                    # the real people agreed on the red class-4 sources and split on the blue ones (mode-4
                    # V-I, unanimous against not, AUC 0.60; simulated 0.52 without the link, 0.62 with 0.5:
                    # docs/legus_validation.md, "NGC 628-C: modes 3 and 4")
                    human_colour_link=0.5,
                    galaxy="SIM-NGC628C",
                    ra=24.1739, dec=15.7836),
    "ngc1433": dict(distance_mpc=8.3, bands=("f275w", "f336w", "f438w", "f555w", "f814w"), mag_limit=23.6,
                    mag_bright=18.0, class_mix=(0.165, 0.155, 0.165, 0.515), cluster_reff_pc=0.6, human_noise=0.7,
                    depth={"f275w": 23.8, "f336w": 23.7, "f438w": 25.2, "f555w": 26.3, "f814w": 25.1},
                    subclass_mix={4.1: 40, 4.2: 302, 4.3: 132, 4.4: 5, 4.7: 20, 4.8: 80, 4.11: 13, 4.12: 5},
                    age_box_counts={1: (17, 9, 1, 16), 2: (43, 5, 1, 2), 3: (49, 1, 1, 0)}, galaxy="SIM-NGC1433",
                    # associations: members of their age, E(B-V) of the real class 3's SED fits (mean 0.079)
                    assoc_stars_by_age=True, assoc_ebv=0.079,
                    field_stars=LEGUS_FIELD_STARS,
                    ra=55.5062, dec=-47.2219),
    # the one field with a stated F606W V band (LEGUS HLSP image names; io.legus.KNOWN_FILTERS)
    "ngc5474": dict(distance_mpc=6.8, bands=("f275w", "f336w", "f438w", "f606w", "f814w"), mag_limit=23.6,
                    mag_bright=17.5, class_mix=(0.086, 0.152, 0.025, 0.737), human_noise=1.3,
                    class_mag_shift=(-0.12, 0.22, -0.4, -0.15),
                    depth={"f275w": 24.1, "f336w": 24.3, "f438w": 25.8, "f606w": 27.0, "f814w": 26.3},
                    age_box_counts={1: (5, 6, 29, 2), 2: (27, 21, 29, 4), 3: (20, 6, 3, 0)}, galaxy="SIM-NGC5474",
                    # associations: members of their age, E(B-V) of the real class 3's SED fits (mean 0.073)
                    assoc_stars_by_age=True, assoc_ebv=0.073,
                    field_stars=LEGUS_FIELD_STARS,
                    ra=211.2567, dec=53.6622),
}

PRESETS: tuple[str, ...] = ("hst", "ngc1566", "m31", *LEGUS_FIELD_PRESETS)

#: Presets reachable with ``starclass simulate OUT --preset ...`` that write cutout folders (here, not in the
#: cutout simulator, which loads matplotlib and scipy.signal: ``simulate`` checks every preset's name first)
CUTOUT_PRESETS: tuple[str, ...] = ("pandas-cutouts",)


def seed_suffix(seed: int) -> str:
    """What a field of ``seed`` adds to its preset's galaxy name: nothing for seed 0, else ``-s<seed>``.

    Examples
    --------
    >>> seed_suffix(0), seed_suffix(7)
    ('', '-s7')
    """
    return "" if int(seed) == 0 else f"-s{int(seed)}"


def place_by_seed(config: SimConfig, *, rename: bool = True) -> SimConfig:
    """A copy of ``config`` that other seeds cannot be mistaken for: its own sky centre and name.

    Every field of a preset used to share the preset's name (``SIM-1``) and centre whatever its
    seed, so that two fields' catalogues held one galaxy (``--split galaxy``, ``--cv logo``,
    ``info``, merged catalogues) and matched each other on the sky. Seed ``s`` now moves the
    centre ``s`` field widths (plus 5 %) east in RA, wrapping at 360 deg, so fields of seeds less
    than a whole turn apart never overlap (:func:`seed_turn`), and with ``rename`` appends
    :func:`seed_suffix` to the galaxy name. Seed 0 is left as it was; the result depends on the
    seed alone, so the same seed still gives byte-identical files.

    Parameters
    ----------
    config
        The field's configuration (seed, shape, pixel scale and centre are read).
    rename
        Also name the galaxy after the seed; False keeps a name the user chose.

    Returns
    -------
    SimConfig
        The moved (and renamed) copy.

    Examples
    --------
    >>> cfg = place_by_seed(SimConfig(seed=2, shape=(256, 256)))
    >>> cfg.galaxy, round(cfg.ra - SimConfig().ra, 4), cfg.dec == SimConfig().dec
    ('SIM-1-s2', 0.0104, True)
    >>> place_by_seed(SimConfig(seed=0)) == SimConfig(seed=0)
    True
    """
    if int(config.seed) == 0:
        return config
    ra = (config.ra + int(config.seed) * _ra_step(config)) % 360.0
    name = config.galaxy + seed_suffix(config.seed) if rename else config.galaxy
    return config.replace(ra=ra, galaxy=name)


def seed_turn(config: SimConfig) -> int:
    """How many seeds :func:`place_by_seed` fits around the sky at ``config``'s declination.

    Fields whose seeds differ by a multiple of this share a centre (their names still differ).

    Examples
    --------
    >>> seed_turn(SimConfig())  # 2048 px of 0.04" at dec -55
    8655
    """
    return max(1, int(360.0 // _ra_step(config)))


def _ra_step(config: SimConfig) -> float:
    # one field width plus 5 % (as simulate --fields steps north), in RA degrees at the field's dec;
    # cos(dec) floored so that a field at a pole still gets a finite step
    width = 1.05 * config.shape[1] * config.pixel_scale / 3600.0
    return width / max(math.cos(math.radians(config.dec)), 1e-3)

#: LEGUS presets that reach their fitted ``depth`` with a longer effective exposure on the default
#: background (:func:`starclass.simulate.render.exptime_at_background`, computed by :func:`preset`
#: unless ``exptime`` is overridden) instead of a fainter background: a background at the 1e-4
#: e-/s/px floor of ``render.required_background`` holds no diffuse galaxy light, and without it
#: the errors of sources in the bright arms and clumps are not larger than those of the old
#: clusters in the smooth disk (docs/legus_validation.md, "The class-error link").
LEGUS_EXPOSURE_DEPTH: frozenset[str] = frozenset({"ngc628c"})

#: Class mix of the ``ngc1566`` preset *before* the LEGUS-like CI >= 1.35 selection: after it
#: (single stars and compact pairs mostly fail the cut, clusters mostly pass) the simulated human
#: *mode* comes out near the LEGUS NGC 1566 mix 477/404/692/878 (19/16/28/36 %): 18/18/27/38 %
#: (benchmarks/realism_fields.py, seeds 1-3). The earlier mix (0.150, 0.110, 0.200, 0.540) gave
#: the LEGUS mix in the truth, and 20/21/27/32 % in the mode.
NGC1566_PRESELECTION_MIX = (0.137, 0.081, 0.199, 0.583)

#: Depth of the ``ngc1566`` preset, fitted like the other LEGUS presets' to the real NGC 1566
#: error-magnitude relation (benchmarks/realism_errors.py, ``effective_depth``).
NGC1566_DEPTH: dict[str, float] = {"f275w": 24.4, "f336w": 24.5, "f438w": 25.6, "f555w": 26.4, "f814w": 25.2}
