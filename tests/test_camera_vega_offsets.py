"""Vega magnitudes per camera, and the ACS/WFC bands F475W, F625W, F775W, F850LP.

Before: ``starclass.bands`` held one AB - Vega offset per filter name, WFC3/UVIS's for F555W
(-0.03), so an ACS/WFC F555W mosaic (LEGUS and PHANGS-HST mix ACS F435W/F555W/F814W with WFC3
F275W/F336W/F438W) got a Vega zeropoint 0.024 mag too faint (25.741 where the STScI ACS table
gives 25.717), and ``detect --magsys ab`` magnitudes were put on Vega with the same wrong offset.
ACS F475W, F625W, F775W and F850LP (PHAT, GOODS) had no offset at all: ``detect`` on an F475W +
F814W mosaic pair exited 2 ("no AB - Vega offset known for band 'f475w'"), ``info`` showed a NaN
zeropoint, detection ran in F814W, and the mass limit of F475W was refused. Now the offset is
keyed by (camera, filter) from INSTRUME/DETECTOR (or the file name), with the filter-only value
as the fallback, and the four bands are in ``BANDS`` with the STScI ACS values.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from astropy.wcs import WCS
from typer.testing import CliRunner

from starclass.bands import BANDS, ab_zeropoint, v_band, vega_zeropoint
from starclass.cli import app
from starclass.io.mosaic import read_mosaics, write_mosaic
from starclass.science.colour import ab_bands_note, vega_mag

runner = CliRunner()

#: STScI ACS zeropoint calculator, ACS/WFC on 2010-01-01, infinite aperture (Sirianni et al. 2005
#: revised after SM4): PHOTFLAM, PHOTPLAM, ABmag and VEGAmag zeropoints, typed from the table.
ACS_2010 = {
    "f435w": (3.149e-19, 4327.3, 25.665, 25.767),
    "f475w": (1.827e-19, 4745.6, 26.056, 26.154),
    "f555w": (1.968e-19, 5360.8, 25.711, 25.717),
    "f606w": (7.844e-20, 5921.8, 26.493, 26.407),
    "f625w": (1.193e-19, 6312.1, 25.899, 25.736),
    "f775w": (9.994e-20, 7693.7, 25.662, 25.274),
    "f814w": (7.007e-20, 8059.3, 25.947, 25.523),
    "f850lp": (1.521e-19, 9033.6, 24.857, 24.338),
}


def _mosaic(path, band, photflam, photplam, header, seed=0, n=96):
    w = WCS(naxis=2)
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    w.wcs.crval, w.wcs.crpix = [10.68, 41.27], [n / 2, n / 2]
    w.wcs.cdelt = [-0.04 / 3600, 0.04 / 3600]
    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[:n, :n]
    img = rng.normal(0, 0.01, (n, n))
    for x, y in np.random.default_rng(7).uniform(12, n - 12, (12, 2)):  # the same sources in every band
        img += 2.0 * np.exp(-((xx - x) ** 2 + (yy - y) ** 2) / (2 * 1.2 ** 2))
    return write_mosaic(path, img, band, w, photflam=photflam, photplam=photplam, extra_header=header)


ACS = {"TELESCOP": "HST", "INSTRUME": "ACS", "DETECTOR": "WFC"}
WFC3 = {"TELESCOP": "HST", "INSTRUME": "WFC3", "DETECTOR": "UVIS"}


@pytest.mark.parametrize("band", sorted(ACS_2010))
def test_acs_vega_zeropoints_equal_the_published_ones(band):
    photflam, photplam, ab, vega = ACS_2010[band]
    assert ab_zeropoint(photflam, photplam) == pytest.approx(ab, abs=0.001)
    assert vega_zeropoint(band, photflam, photplam, camera="acs/wfc") == pytest.approx(vega, abs=0.005)


@pytest.mark.parametrize("band", ["f475w", "f625w", "f775w", "f850lp"])
def test_new_bands_are_known_with_their_camera_and_published_pivot(band):
    info = BANDS[band]
    assert info.camera == "acs/wfc"
    assert info.photplam == pytest.approx(ACS_2010[band][1], abs=1.0)
    # no camera in the data: the filter-only value is ACS's, so the zeropoint is the published one still
    assert vega_zeropoint(band, *ACS_2010[band][:2]) == pytest.approx(ACS_2010[band][3], abs=0.005)


def test_one_filter_name_two_cameras():
    from starclass.bands import ab_minus_vega  # new with the per-camera table

    # F555W: 0.024 mag apart, more than one value can serve; F606W and F814W within 0.01
    assert ab_minus_vega("f555w", "acs/wfc") - ab_minus_vega("f555w", "wfc3/uvis") == pytest.approx(0.024)
    for band in ("f606w", "f814w"):
        assert abs(ab_minus_vega(band, "acs/wfc") - ab_minus_vega(band, "wfc3/uvis")) < 0.01
    # the filter-only fallback is unchanged (results without a camera are as before)
    assert [ab_minus_vega(b) for b in ("f555w", "f606w", "f814w")] == [-0.03, 0.09, 0.42]
    assert ab_minus_vega("f555w", "simulated") == -0.03


def test_acs_f555w_mosaic_gets_the_acs_vega_zeropoint(tmp_path):
    photflam, photplam, _, vega = ACS_2010["f555w"]
    acs = _mosaic(tmp_path / "acs" / "j9_f555w_drc.fits", "f555w", photflam, photplam, ACS)
    ms = read_mosaics(acs)
    # 25.741 before: WFC3/UVIS's -0.03 on an ACS image, 0.024 mag too faint
    assert ms.zeropoint["f555w"] == pytest.approx(vega, abs=0.002)
    assert ms.cameras == {"f555w": "acs/wfc"}
    assert "AB - Vega -0.006, ACS/WFC" in ms.describe()
    wfc3 = _mosaic(tmp_path / "wfc3" / "ib_f555w_drc.fits", "f555w", photflam, photplam, WFC3)
    assert read_mosaics(wfc3).zeropoint["f555w"] == pytest.approx(ab_zeropoint(photflam, photplam) + 0.03)
    plain = _mosaic(tmp_path / "plain" / "m_f555w.fits", "f555w", photflam, photplam, {})
    ms = read_mosaics(plain)
    assert ms.zeropoint["f555w"] == pytest.approx(ab_zeropoint(photflam, photplam) + 0.03)
    assert "WFC3/UVIS's; no INSTRUME/DETECTOR camera" in ms.describe()


def test_camera_from_the_file_name_where_the_header_says_none():
    from starclass.io.mosaic import image_camera  # new with the per-camera table

    assert image_camera({}, "hlsp_legus_hst_acs_ngc628-c_f555w_v1_sci.fits") == "acs/wfc"
    assert image_camera({}, "hlsp_phangs-hst_hst_wfc3-uvis_ngc628_f555w_v1_drc.fits") == "wfc3/uvis"
    assert image_camera({}, "hlsp_legus_hst_acs-wfc3_ngc628-c_f555w.fits") is None  # both named: no camera
    assert image_camera({"INSTRUME": "ACS", "DETECTOR": "WFC"}, "x_wfc3_f555w.fits") == "acs/wfc"  # header first


def test_detect_on_an_f475w_f814w_pair_is_vega_and_detects_in_f475w(tmp_path):
    paths = [_mosaic(tmp_path / f"acs_{b}.fits", b, *ACS_2010[b][:2], ACS, seed=k)
             for k, b in enumerate(("f475w", "f814w"))]
    r = runner.invoke(app, ["info", *map(str, paths)])
    assert r.exit_code == 0, r.output
    assert "zeropoint      nan" not in r.output and "26.154" in r.output, r.output  # NaN before
    out = tmp_path / "c.ecsv"
    r = runner.invoke(app, ["detect", *map(str, paths), "-o", str(out), "--quiet"])
    # exit 2 before: "no AB - Vega offset known for band 'f475w' ... use AB magnitudes (--magsys ab ...)"
    assert r.exit_code == 0 and out.exists(), r.output
    t = Table.read(out)
    assert t.meta["detect_v_band"] == "f475w"  # F814W before (--magsys ab): F475W had no role
    assert t.meta["cameras"] == {"f475w": "acs/wfc", "f814w": "acs/wfc"}
    assert v_band(["f475w", "f814w"]) == "f475w"


def test_ab_catalogue_is_put_on_vega_with_its_cameras_offset(tmp_path):
    photflam, photplam, _, _ = ACS_2010["f555w"]
    path = _mosaic(tmp_path / "acs_f555w.fits", "f555w", photflam, photplam, ACS)
    ab_out, vega_out = tmp_path / "ab.ecsv", tmp_path / "vega.ecsv"
    for out, system in ((ab_out, "ab"), (vega_out, "vega")):
        r = runner.invoke(app, ["detect", str(path), "-o", str(out), "--magsys", system, "--quiet"])
        assert r.exit_code == 0, r.output
    ab, vega = Table.read(ab_out), Table.read(vega_out)
    assert ab.meta["cameras"] == {"f555w": "acs/wfc"}
    # the AB catalogue put on Vega equals the one measured on Vega (0.024 mag apart before)
    np.testing.assert_allclose(vega_mag(ab, "f555w"), vega_mag(vega, "f555w"), atol=1e-4)
    assert ab_bands_note(ab) == "AB magnitudes put on Vega (m_Vega = m_AB - (AB - Vega)): f555w -0.006"


def test_wfc3_f850lp_is_refused_on_vega_not_given_acs_offset(tmp_path):
    # another filter than ACS's (pivot 9756 A): about 0.05 mag from ACS's offset, and not tabulated
    path = _mosaic(tmp_path / "ib_f850lp_drc.fits", "f850lp", 1.6e-18, 9756.4, WFC3)
    r = runner.invoke(app, ["info", str(path)])
    assert r.exit_code == 0 and "zeropoint      nan" in r.output, r.output
    assert "no AB - Vega offset known for band 'f850lp' on WFC3/UVIS" in " ".join(r.output.split())
    out = tmp_path / "c.ecsv"
    r = runner.invoke(app, ["detect", str(path), "-o", str(out)])
    text = " ".join(r.output.split())
    assert r.exit_code == 2 and not out.exists(), r.output
    assert "on WFC3/UVIS" in text and "--magsys ab" in text and "Traceback" not in r.output
    assert read_mosaics(path, magsys="ab").zeropoint["f850lp"] == pytest.approx(ab_zeropoint(1.6e-18, 9756.4))
    ab = Table({"mag_f850lp": [22.0]}, meta={"magsys": "ab", "cameras": {"f850lp": "wfc3/uvis"}})
    with pytest.raises(Exception, match="on WFC3/UVIS"):
        vega_mag(ab, "f850lp")


def test_f475w_has_a_vega_model_magnitude_and_mass_limit():
    from starclass.science.massfunc import mass_limit
    from starclass.science.ssp import load_ssp

    ssp = load_ssp()
    for band in ("f475w", "f625w", "f775w", "f850lp"):
        np.testing.assert_allclose(ssp[f"mag_{band}"], ssp[f"mag_ab_{band}"] - BANDS[band].ab_minus_vega)
    # refused before: "the SSP model has no Vega magnitude for band f475w"
    assert np.isfinite(mass_limit(8.0, -6.0, band="f475w"))


def test_ssp_track_and_mass_limits_take_the_catalogues_cameras():
    """The SSP model beside an ACS/WFC catalogue is on ACS's Vega system, as the catalogue's magnitudes are.

    Before: the track and the mass limits took WFC3/UVIS's F555W offset (-0.03) whatever the
    catalogue's meta['cameras'] said, so beside an ACS F555W field (-0.006, put on Vega with it by
    vega_mag) the model V was 0.024 mag off.
    """
    from starclass.science.massfunc import mass_completeness, mass_limit
    from starclass.science.ssp import load_ssp, ssp_track

    acs = {b: ab - vega for b, (_, _, ab, vega) in ACS_2010.items()}  # the published ABmag - VEGAmag, by hand
    assert acs["f555w"] == pytest.approx(-0.006) and acs["f814w"] == pytest.approx(0.424)
    cams = {"F555W": "ACS/WFC", "f814w": "acs/wfc"}
    plain, on_acs = load_ssp(), load_ssp(cameras=cams)
    for b in ("f555w", "f814w"):
        np.testing.assert_allclose(on_acs[f"mag_{b}"], on_acs[f"mag_ab_{b}"] - acs[b], atol=1e-9)
    # the other bands keep the filter-only offset (WFC3/UVIS F336W's)
    np.testing.assert_allclose(on_acs["mag_f336w"], plain["mag_f336w"])
    bands = ["f336w", "f438w", "f555w", "f814w"]
    track, old = ssp_track(bands, cameras=cams), ssp_track(bands)
    # Vega = AB - (AB - Vega): against WFC3/UVIS's -0.03 and the filter-only F814W 0.42, by hand
    np.testing.assert_allclose(track["mag_v"] - old["mag_v"], -(acs["f555w"] + 0.03), atol=1e-9)
    assert -(acs["f555w"] + 0.03) == pytest.approx(-0.024)
    np.testing.assert_allclose(track["v_i"] - old["v_i"], -(acs["f555w"] + 0.03) + (acs["f814w"] - 0.42), atol=1e-9)
    # the mass at a limit: the model 0.024 mag brighter in V is 0.4 x 0.024 dex less mass
    assert mass_limit(7.0, -8.0) - mass_limit(7.0, -8.0, cameras=cams) == pytest.approx(0.4 * 0.024)
    m_old, m_acs = (mass_completeness([7.0, 8.0], 24.0, 10.0, cameras=c).value for c in (None, cams))
    np.testing.assert_allclose(np.log10(m_old) - np.log10(m_acs), 0.4 * 0.024)


def test_the_report_draws_the_model_on_the_catalogues_cameras():
    """The report's SSP track and mass-completeness curve of a catalogue whose meta names ACS/WFC."""
    from starclass.report.build import _completeness_curve, _track_texts
    from starclass.report.sections import Section
    from starclass.science.massfunc import mass_completeness
    from starclass.science.ssp import ssp_track

    dv = -((ACS_2010["f555w"][2] - ACS_2010["f555w"][3]) + 0.03)  # ACS/WFC's published offset against -0.03
    bands = ["f336w", "f438w", "f555w", "f814w"]
    t = Table({f"mag_{b}": [20.0, 21.0, 22.0] for b in bands},
              meta={"magsys": "vega", "cameras": {"f555w": "acs/wfc"}})
    s = Section("colours")
    drawn, _ = _track_texts(s, t, None, None)
    # the old code: the track's V 0.024 mag off the catalogue's (WFC3/UVIS's offset)
    np.testing.assert_allclose(drawn["mag_v"] - ssp_track(bands)["mag_v"], dv, atol=1e-9)
    assert "of the catalogue's cameras: F555W ACS/WFC" in " ".join(it.content for it in s.items)
    ms = Section("mass")
    _completeness_curve(ms, "acs", t, 10.0, 24.0, None)
    curve = ms.meta["completeness"]["acs"]
    np.testing.assert_allclose(np.log10(curve["mass"].value)
                               - np.log10(mass_completeness(curve["log_age"], 24.0, 10.0).value), 0.4 * dv)


def test_each_offset_is_written_once():
    """A (camera, band) of the per-camera table is not the value BANDS already gives that band on that camera."""
    from starclass.bands import CAMERA_AB_MINUS_VEGA, ab_minus_vega

    again = [(cam, b) for (cam, b), v in CAMERA_AB_MINUS_VEGA.items()
             if BANDS[b].camera == cam and BANDS[b].ab_minus_vega == v]
    assert not again, again
    # the ACS/WFC-only bands still take the STScI ACS values, from BANDS
    for b in ("f475w", "f625w", "f775w", "f850lp"):
        assert ab_minus_vega(b, "acs/wfc") == pytest.approx(ACS_2010[b][2] - ACS_2010[b][3], abs=0.0015), b


def test_a_band_of_unknown_offset_stops_only_what_needs_it():
    """A catalogue with WFC3/UVIS F850LP (offset not tabulated) still gets the F555W/F814W track and mass limits."""
    from starclass.errors import StarclassError
    from starclass.science.massfunc import mass_limit
    from starclass.science.ssp import load_ssp, ssp_track

    cams = {"f555w": "acs/wfc", "f814w": "acs/wfc", "f850lp": "wfc3/uvis"}
    ssp = load_ssp(cameras=cams)
    assert "mag_f850lp" not in ssp.colnames and "f850lp" in ssp.meta["vega_refused"]
    assert len(ssp_track(["f336w", "f438w", "f555w", "f814w"], cameras=cams)) > 0
    assert np.isfinite(mass_limit(7.0, -8.0, cameras=cams))
    with pytest.raises(StarclassError, match="no AB - Vega offset known for band 'f850lp' on WFC3/UVIS"):
        mass_limit(7.0, -8.0, band="f850lp", cameras=cams)
