"""The labelling page's radial profile names the unit of the V band's values.

Its y axis said "counts/s" for every mosaic: one in counts (BUNIT COUNTS, photon counting), in
nanomaggies (SDSS), in MJy/sr (JWST, Spitzer) or on a DES coadd's MAGZERO scale was labelled as a
count rate. HST's e-/s mosaics keep "counts/s" and the cache key of their pictures.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from dataclasses import asdict

import numpy as np
import pytest
from astropy.io import fits
from astropy.table import Table
from astropy.wcs import WCS

from starclass.bands import BANDS
from starclass.io.mosaic import write_mosaic

SIZE = 80
#: Header cards of each kind of mosaic; "hst" is what write_mosaic writes (BUNIT ELECTRONS/S, PHOTFLAM).
HEADERS = {
    "hst": None,
    "counts": {"BUNIT": "COUNTS", "EXPTIME": 400.0, "PHOTFLAM": BANDS["f555w"].photflam,
               "PHOTPLAM": BANDS["f555w"].photplam},
    "nanomaggies": {"BUNIT": "nanomaggy", "NMGY": 0.005, "GAIN": 4.7},
    "mjy_sr": {"BUNIT": "MJy/sr"},
    "des": {"MAGZERO": 30.0, "GAIN": 23.4, "EXPTIME": 540.0},
    "nothing": {},
}


def _wcs() -> WCS:
    w = WCS(naxis=2)
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    w.wcs.crval = [150.0, 2.0]
    w.wcs.crpix = [SIZE / 2, SIZE / 2]
    w.wcs.cdelt = [-0.04 / 3600, 0.04 / 3600]
    return w


def _star(counts: bool = False) -> np.ndarray:
    """A 3 px star at (40, 40) on a sky of 2 (Poisson integers with ``counts``)."""
    yy, xx = np.mgrid[:SIZE, :SIZE]
    lam = 2.0 + 300.0 * np.exp(-0.5 * ((xx - 40) ** 2 + (yy - 40) ** 2) / (3.0 / 2.3548) ** 2)
    rng = np.random.default_rng(3)
    img = rng.poisson(lam) if counts else lam + rng.normal(0, 0.2, lam.shape)
    return img.astype(np.float32)


def _field(folder, kind: str, image: np.ndarray | None = None, header: dict | None = None):
    """A one-band (F555W) field of that kind of mosaic (or with ``header``), its pictures cached beside it."""
    from starclass.inspect.field import load_field

    folder.mkdir()
    img = _star() if image is None else image
    header = HEADERS[kind] if header is None else header
    if header is None:
        write_mosaic(folder / "m_f555w.fits", img, "f555w", _wcs(), photflam=BANDS["f555w"].photflam,
                     photplam=BANDS["f555w"].photplam, exptime=400.0)
    else:
        hdr = _wcs().to_header()
        hdr["FILTER"] = "F555W"
        hdr.update(header)
        fits.writeto(folder / "m_f555w.fits", img, hdr)
    Table({"id": [1], "x": [40.0], "y": [40.0]}).write(folder / "candidates.ecsv")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # no zeropoint for some kinds: not what this is about
        return load_field(folder, cache_dir=folder / "cache")


def _profile_ylabel(field, monkeypatch) -> str:
    """The y label of the radial profile drawn for the field's first candidate."""
    from matplotlib.figure import Figure

    labels = []
    save = Figure.savefig

    def record(fig, *a, **k):
        labels.extend(ax.get_ylabel() for ax in fig.axes if ax.get_title() == "radial profile")
        return save(fig, *a, **k)

    monkeypatch.setattr(Figure, "savefig", record)
    assert field.cache.get(0, "profile").startswith(b"\x89PNG")
    assert len(labels) == 1, labels
    return labels[0]


def test_a_counts_mosaics_profile_axis_says_counts(tmp_path, monkeypatch):
    """Fails on the old code: the axis said counts/s of a mosaic in BUNIT COUNTS."""
    field = _field(tmp_path / "f", "counts")
    assert field.cache.settings.value_label == "counts"
    assert _profile_ylabel(field, monkeypatch) == "counts"


def test_an_hst_mosaic_keeps_counts_s_and_its_cache_key(tmp_path, monkeypatch):
    field = _field(tmp_path / "f", "hst")
    assert _profile_ylabel(field, monkeypatch) == "counts/s"
    # the key as it was before value_label, pixel_flags and counts were settings: the pictures keep their cache
    s = asdict(field.cache.settings)
    assert (s.pop("value_label"), s.pop("pixel_flags"), s.pop("counts")) == ("counts/s", "", ())
    old_key = hashlib.sha256(json.dumps(s, sort_keys=True, default=str).encode()).hexdigest()[:12]
    assert field.cache.settings.key() == old_key


@pytest.mark.parametrize(("kind", "label"), [
    ("nanomaggies", "nanomaggies"), ("mjy_sr", "MJy/sr"), ("des", "units of MAGZERO 30"), ("nothing", "pixel value"),
])
def test_calibrated_and_unknown_units_are_named(tmp_path, kind, label):
    """Fails on the old code: each of these said counts/s; their pictures are cached apart from those that did."""
    field = _field(tmp_path / "f", kind)
    assert field.cache.settings.value_label == label
    assert field.cache.settings.key() != _field(tmp_path / "hst", "hst").cache.settings.key()


def test_photon_counts_without_bunit_are_counts(tmp_path):
    """Fails on the old code: integers with a Poisson sky (X-ray, UV photon counting) are counts, not counts/s,
    whatever PHOTFLAM's convention."""
    field = _field(tmp_path / "f", "counts", image=_star(counts=True))
    assert field.cache.settings.value_label == "counts"
    no_bunit = {k: v for k, v in HEADERS["counts"].items() if k != "BUNIT"}
    field = _field(tmp_path / "g", "counts", image=_star(counts=True), header=no_bunit)
    assert field.cache.settings.counts == ("f555w",)
    assert field.cache.settings.value_label == "counts"


@pytest.mark.parametrize("bunit, label", [("DN/sr", "DN/sr"), ("ADU/SR", "ADU/SR"), ("e-/s", "counts/s"),
                                          ("COUNTS/SEC", "counts/s")])
def test_per_steradian_is_not_per_second(bunit, label):
    """'/SR' (per steradian) was read as '/S' (per second): a DN/sr mosaic's profile said counts/s."""
    from starclass.io.mosaic import in_counts, value_unit

    assert value_unit(fits.Header({"BUNIT": bunit})) == label
    # a count per steradian is a surface brightness, not counts whose Poisson noise can be taken as they stand
    assert not in_counts({"BUNIT": "COUNTS/SR"}) and in_counts({"BUNIT": "COUNTS"})
