"""Zero points of ground-based survey images (DES, SDSS / Legacy Surveys, Pan-STARRS1), pinned to each survey's
documentation.

Each value comes from the survey's own documentation, cited on its line; the magnitudes are computed by hand
from the documented definition, not from starclass.
"""

from __future__ import annotations

import warnings

import numpy as np
import pytest
from astropy.io import fits

from starclass.bands import BANDS
from starclass.errors import StarclassError
from starclass.io.mosaic import read_mosaics


def _image(path, header: dict, value: float = 1.0):
    fits.writeto(path, np.full((24, 24), value, np.float32), fits.Header(header))
    return path


def test_des_coadd_magzero_30_is_of_the_stored_values(tmp_path):
    # DES DR1 (Abbott et al. 2018, ApJS 239, 18): coadd images carry MAGZERO = 30, AB, of the stored pixel values
    path = _image(tmp_path / "DES0000+0000_r_coadd.fits", {"FILTER": "r", "MAGZERO": 30.0, "EXPTIME": 900.0})
    ms = read_mosaics([path], magsys="ab")
    assert ms.zeropoint["r"] == 30.0
    # by hand: 1e4 in the file is AB 30 - 10 = 20, whatever the exposure time (no 2.5 log10(EXPTIME))
    assert -2.5 * np.log10(1e4) + ms.zeropoint["r"] == pytest.approx(20.0, abs=1e-12)
    assert ms.zeropoint_origin["r"] == "MAGZERO"


def test_sdss_nanomaggies_are_ab_22_5(tmp_path):
    """An SDSS frame (or a Legacy Surveys coadd) states only BUNIT = 'nanomaggy': it was refused for photometry
    ("no zeropoint for band r"), whatever its exposure time."""
    # SDSS DR16 data model, frame files: units are nanomaggies; SDSS "Measures of flux and magnitude": 1 nanomaggy
    # is 22.5 mag (AB); EXPTIME 53.907456 s is an SDSS frame's
    path = _image(tmp_path / "frame-r-003893-4-0293.fits", {"FILTER": "r", "BUNIT": "nanomaggy",
                                                            "EXPTIME": 53.907456})
    ms = read_mosaics([path], magsys="ab")
    assert ms.zeropoint["r"] == 22.5
    assert -2.5 * np.log10(100.0) + ms.zeropoint["r"] == pytest.approx(17.5, abs=1e-12)  # 100 nmgy: 17.5 by hand
    assert "BUNIT nanomaggy (AB 22.5)" in ms.describe()
    # on the Vega system the band's AB - Vega offset applies, as for any AB zeropoint; a band without one says so
    g = _image(tmp_path / "frame-g-003893-4-0293.fits", {"FILTER": "g", "BUNIT": "nanomaggy"})
    assert read_mosaics([g]).zeropoint["g"] == pytest.approx(22.5 - BANDS["g"].ab_minus_vega, abs=1e-12)
    with pytest.raises(StarclassError, match=r"BUNIT nanomaggy = 22.5 in .*frame-r.* AB zeropoint .*band 'r'"):
        read_mosaics([path])


def test_pan_starrs1_stack_zeropoint_is_25_plus_2_5_log_exptime(tmp_path):
    # STScI PS1 archive wiki, "PS1 Stack images": stack pixels rescaled to the zeropoint 25 + 2.5 log10(exposure
    # time), the 25 in the header as FPA.ZP; AB (the PS1 photometric system)
    head = {"FILTER": "i.00000", "HIERARCH FPA.ZP": 25.0, "EXPTIME": 1290.0}
    path = _image(tmp_path / "rings.v3.skycell.1784.059.stk.i.unconv.fits", head)
    ms = read_mosaics([path], magsys="ab")
    band = ms.bands[0]
    assert ms.zeropoint[band] == pytest.approx(25.0 + 2.5 * np.log10(1290.0), abs=1e-12)  # 32.7765 by hand
    assert ms.zeropoint[band] == pytest.approx(32.7765, abs=1e-4)
    head.pop("EXPTIME")
    with pytest.raises(StarclassError, match=r"no_exp.fits: FPA.ZP = 25 .* no positive EXPTIME"):
        read_mosaics([_image(tmp_path / "no_exp.fits", head)], magsys="ab")


def test_pan_starrs1_asinh_scaled_pixels_are_refused_naming_the_file_and_the_fix(tmp_path):
    """A PS1 stack (or ps1images cutout) stores asinh(flux): BSOFTEN / BOFFSET. It was read as linear flux."""
    path = _image(tmp_path / "ps1_cutout_i.fits", {"FILTER": "i", "HIERARCH FPA.ZP": 25.0, "EXPTIME": 1290.0,
                                                     "BSOFTEN": 7.5, "BOFFSET": 2.1}, value=3.0)
    with pytest.raises(StarclassError) as exc:
        read_mosaics([path], magsys="ab")
    msg = str(exc.value)
    assert str(path) in msg and "asinh-scaled" in msg and "BOFFSET + BSOFTEN * 2 sinh(value / 1.0857)" in msg
    # the fix the message gives, by hand, makes a file that is read (linear values, the stack's zeropoint)
    with fits.open(path) as hdul:
        data, header = hdul[0].data, hdul[0].header.copy()
    linear = header["BOFFSET"] + header["BSOFTEN"] * 2 * np.sinh(data / (2.5 / np.log(10)))
    del header["BSOFTEN"], header["BOFFSET"]
    fits.writeto(tmp_path / "linear_i.fits", linear.astype(np.float32), header)
    assert read_mosaics([tmp_path / "linear_i.fits"], magsys="ab").zeropoint["i"] == pytest.approx(32.7765, abs=1e-4)


def _sdss_survey(tmp_path, bands: list[str], magsys: str | None = None):
    """An untrained model of ``bands``, one SDSS-like field of nanomaggy frames, and its plan."""
    from starclass.learn.checkpoint import write_untrained_model
    from starclass.learn.config import get_preset

    write_untrained_model(tmp_path / "model", get_preset("legus4-compact", bands=bands, stamp_size=16, scales=[1.0]))
    (tmp_path / "sdss").mkdir()
    rng = np.random.default_rng(0)
    for b in bands:
        fits.writeto(tmp_path / "sdss" / f"frame-{b}-003893-4-0293.fits",
                     rng.normal(0.0, 0.05, (96, 96)).astype(np.float32),
                     fits.Header({"FILTER": b, "BUNIT": "nanomaggy", "EXPTIME": 53.907456}))
    plan = tmp_path / "plan.yaml"
    plan.write_text("model: model\ntile_size: 64\noverlap: 32\nphotometry: ci\n"
                    + (f"magsys: {magsys}\n" if magsys else "") + "fields:\n  - {name: sdss, mosaics: sdss}\n")
    return plan


def _prepare(plan, out):
    from starclass.survey.run import prepare

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # no WCS: named elsewhere
        return prepare(plan, out)


def test_a_survey_of_sdss_fields_is_planned_with_their_zeropoint(tmp_path):
    """The survey's plan check read the nanomaggy mosaics with no zeropoint and refused the field."""
    pytest.importorskip("distributed")
    from starclass.survey.plan import read_plan

    prepared = _prepare(read_plan(_sdss_survey(tmp_path, ["g", "i"])), tmp_path / "out")
    assert len(prepared.jobs) == 4 and not (tmp_path / "out").exists()


def test_a_survey_of_bands_without_a_vega_offset_takes_magsys_ab(tmp_path):
    """SDSS r has no AB - Vega offset: on the survey's Vega system the field is refused, and the refusal named
    '--magsys ab', an option the survey did not have; the plan's magsys (or --magsys) now reaches every tile."""
    pytest.importorskip("distributed")
    from starclass.survey.plan import read_plan
    from starclass.survey.work import _mosaics

    plan = read_plan(_sdss_survey(tmp_path, ["g", "r"]))
    with pytest.raises(StarclassError, match=r"field 'sdss': BUNIT nanomaggy = 22.5 in .*frame-r.* use AB magnitudes "
                                             r"\(--magsys ab\)"):
        _prepare(plan, tmp_path / "out")
    for given in (read_plan(_sdss_survey(tmp_path / "p", ["g", "r"], magsys="ab")), plan.with_options(magsys="ab")):
        jobs = _prepare(given, tmp_path / "out").jobs
        assert {j.magsys for j in jobs} == {"ab"}
        # what a worker reads for its tiles: the documented AB zero point, not shifted to Vega
        assert _mosaics(jobs[0].mosaics, True, None, jobs[0].magsys).zeropoint == {"g": 22.5, "r": 22.5}
    # a plan without magsys keeps its tile digests (and finished tiles); ab is a setting of its own
    assert "magsys" not in plan.settings() and plan.with_options(magsys="ab").settings()["magsys"] == "ab"
