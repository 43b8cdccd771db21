"""A survey tile off ONE band's footprint measures the other bands there, as detect on the whole mosaic does.

Until 2026-12-06 a tile where one band was all NaN (HST bands cover different areas) lost every band: given
positions there were kept with NaN photometry in all bands ("no usable pixel in band i ...: kept unmeasured"),
and in detection the tiles partly on that band's NaN area failed on every retry (IndexError in the annulus
median: no candidate of the tile had a usable annulus pixel in that band), so the survey failed. Now the band
without data reads NaN there, the others are measured, and the field's catalogue equals the whole-image
``measure_on_image`` / ``detect`` on the same mosaics, with one note naming the band (and the tile and ids of
given positions); a tile off the detection band's footprint yields no detection, as the whole image gives
none there.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
from astropy.table import Table

pytest.importorskip("distributed")
pq = pytest.importorskip("pyarrow.parquet")

SHAPE = (260, 260)  # (ny, nx)
NAN = 125  # the top-left NAN x NAN px of ONE band are NaN: tile r000_c000's whole window
#: the second lies in the NaN corner
XY = [(200.0, 50.0), (20.0, 20.0), (180.0, 180.0), (240.0, 230.0), (50.0, 210.0)]
COLS = ["mag_g", "magerr_g", "mag_i", "magerr_i", "ci", "masked_frac", "masked_frac_g", "masked_frac_i", "bkg", "fwhm"]


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    from starclass.bands import BANDS
    from starclass.io.mosaic import write_mosaic
    from starclass.learn.checkpoint import write_untrained_model
    from starclass.learn.config import get_preset
    from starclass.simulate import preset
    from starclass.simulate.field import make_wcs

    d = tmp_path_factory.mktemp("footprint")
    write_untrained_model(d / "model", get_preset("m31-binary-compact"))  # bands g, i; g is V
    yy, xx = np.mgrid[0:SHAPE[0], 0:SHAPE[1]]
    for off in ("g", "i"):
        rng = np.random.default_rng(7)
        (d / f"{off}_off").mkdir()
        for b in ("g", "i"):
            img = rng.normal(0.0, 0.05, SHAPE).astype("f4")
            for x, y in XY:
                img += (40.0 * np.exp(-((xx - x) ** 2 + (yy - y) ** 2) / (2 * 1.5 ** 2))).astype("f4")
            if b == off:
                img[:NAN, :NAN] = np.nan
            write_mosaic(d / f"{off}_off" / f"f_{b}.fits", img, b, make_wcs(preset("m31", shape=SHAPE)),
                         photflam=BANDS[b].photflam, photplam=BANDS[b].photplam)
    Table({"id": np.arange(11, 11 + len(XY)), "x": [p[0] for p in XY], "y": [p[1] for p in XY]}).write(d / "pos.ecsv")
    return d


_RUNS: dict[tuple[str, bool], tuple] = {}


def _survey(root: Path, off: str, given: bool):
    """The field's merged catalogue and the warnings said, of the survey of mosaics ``{off}_off``."""
    if (off, given) in _RUNS:
        return _RUNS[off, given]
    from distributed import LocalCluster

    from starclass.survey import read_plan, run_survey

    name = f"{off}_{'given' if given else 'detect'}"
    field = f"{{name: A, mosaics: {off}_off{', positions: pos.ecsv' if given else ''}}}"
    plan = root / f"plan_{name}.yaml"
    plan.write_text(f"model: model\ntile_size: 64\noverlap: 56\nphotometry: ci\nretries: 0\nfields:\n  - {field}\n")
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None,
                      silence_logs=40) as cluster:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = run_survey(read_plan(plan), root / f"out_{name}", cluster=cluster, progress=False,
                                echo=lambda s: None)
    assert result.ok, result.summary
    table = pq.read_table(root / f"out_{name}" / "fields" / "A" / "catalogue.parquet")
    _RUNS[off, given] = (table, [str(w.message) for w in caught])
    return _RUNS[off, given]


def _col(table, name: str) -> np.ndarray:
    return table.column(name).to_numpy(zero_copy_only=False).astype(float)


def _whole(root: Path, off: str, given: bool) -> Table:
    """The same mosaics measured whole: measure_on_image at the positions, or detect."""
    from starclass.detect import detect
    from starclass.detect.photometry import measure_on_image
    from starclass.io.mosaic import read_mosaics

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        mosaics = read_mosaics(root / f"{off}_off")
        if given:
            return measure_on_image(mosaics, Table.read(root / "pos.ecsv"), aperture_correction="ci")[0]
        return detect(mosaics, aperture_correction="ci", progress=False)


@pytest.mark.parametrize("off", ["i", "g"])
def test_given_positions_in_a_tile_off_one_band_are_measured_in_the_others_as_on_the_whole_mosaic(root, off):
    table, said = _survey(root, off, given=True)
    assert table.column("id").to_pylist() == [11, 12, 13, 14, 15]
    corner = np.array([False, True, False, False, False])
    other = "g" if off == "i" else "i"
    assert np.isfinite(_col(table, f"mag_{other}")).all()  # every band was NaN for id 12 before
    assert np.isnan(_col(table, f"mag_{off}")[corner]).all() and np.isfinite(_col(table, f"mag_{off}")[~corner]).all()
    whole = _whole(root, off, given=True)
    for c in COLS:
        np.testing.assert_allclose(_col(table, c), np.asarray(whole[c], dtype=float), atol=1e-3, err_msg=c)
    # the model needs both bands: the row without one is unclassified, said once by the tile, not by classify
    assert table.column("class_pred").to_numpy(zero_copy_only=False)[corner].tolist() == [0]
    assert np.isfinite(_col(table, "prob_1")[~corner]).all()
    # the band off the footprint: its whole aperture masked, as the warning says (masked_frac_<band> 1)
    assert _col(table, f"masked_frac_{off}")[corner].tolist() == [1.0]
    notes = [s for s in said if "no usable pixel" in s]
    if off == "i":
        assert notes == ["field 'A', tile r000_c000: no usable pixel in band i (all NaN or masked): its 1 given "
                         "position (ids 12) is measured in band g only (mag_i, magerr_i NaN; masked_frac_i 1) and left "
                         "unclassified "
                         "(class_pred 0, NaN probabilities): the model needs band i"], said
    else:  # the V band: no CI there, its aperture all on NaN
        assert _col(table, "masked_frac")[corner].tolist() == [1.0] and np.isnan(_col(table, "ci")[corner]).all()
        assert notes == ["field 'A', tile r000_c000: no usable pixel in band g (all NaN or masked): its 1 given "
                         "position (ids 12) is measured in band i only (mag_g, magerr_g NaN; masked_frac_g 1; ci, "
                         "mci_*, bkg, fwhm NaN too, measured in g, the V band; masked_frac 1) and left unclassified "
                         "(class_pred 0, NaN probabilities): the model needs band g"], said
    assert [s for s in said if "no usable stamp" in s] == [], said


@pytest.mark.parametrize("off", ["i", "g"])
def test_detecting_in_a_tile_off_one_band_finds_what_detect_on_the_whole_mosaic_finds(root, off):
    table, said = _survey(root, off, given=False)
    whole = _whole(root, off, given=False)
    order = np.lexsort((_col(table, "y"), _col(table, "x")))
    worder = np.lexsort((np.asarray(whole["y"], float), np.asarray(whole["x"], float)))
    assert len(table) == len(whole) == (5 if off == "i" else 4)
    for c in ["x", "y", *COLS]:
        np.testing.assert_allclose(_col(table, c)[order], np.asarray(whole[c], dtype=float)[worder], atol=1e-3,
                                   err_msg=c)
    notes = [s for s in said if "no usable pixel" in s]
    if off == "i":
        corner = (_col(table, "x") < NAN - 5) & (_col(table, "y") < NAN - 5)
        assert corner.sum() == 1 and np.isfinite(_col(table, "mag_g")[corner]).all()
        assert np.isnan(_col(table, "mag_i")[corner]).all()
        assert table.column("class_pred").to_numpy(zero_copy_only=False)[corner].tolist() == [0]
        assert notes == ["field 'A': band i has no usable pixel (all NaN or masked) in some of its tiles: the "
                         "candidates detected there in g are kept, with mag_i, magerr_i NaN, and left unclassified "
                         "(class_pred 0, NaN probabilities): the model needs band i"], said
        assert [s for s in said if "no usable stamp" in s] == [], said
    else:
        assert notes == ["field 'A': its tiles with no usable pixel in band g, the detection band (all NaN or "
                         "masked), yield no detection"], said


def test_a_tile_partly_off_a_band_names_its_rows_without_a_stamp_and_the_summary_counts_them(root):
    """classify's own line in a tile ("1 of 3 candidates has no usable stamp ... (ids 16)") named neither the
    field nor the tile and counted the neighbours measured beside the tile's rows; a detecting tile gave its
    own ids, which the merge renumbers. The summary printed no count of the unclassified rows."""
    from distributed import LocalCluster

    from starclass.survey import read_plan, run_survey
    from starclass.survey.run import summary_lines

    # id 16 lies on band i's NaN corner in tile r000_c001, whose window reaches beyond the corner
    xy = [*XY, (100.0, 40.0)]
    Table({"id": np.arange(11, 11 + len(xy)), "x": [p[0] for p in xy], "y": [p[1] for p in xy]}).write(
        root / "pos16.ecsv", overwrite=True)
    plan = root / "plan_partial.yaml"
    plan.write_text("model: model\ntile_size: 64\noverlap: 56\nphotometry: ci\nretries: 0\nfields:\n"
                    "  - {name: A, mosaics: i_off, positions: pos16.ecsv}\n")
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None,
                      silence_logs=40) as cluster:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = run_survey(read_plan(plan), root / "out_partial", cluster=cluster, progress=False,
                                echo=lambda s: None)
    said = [str(w.message) for w in caught]
    assert result.ok, result.summary
    assert [s for s in said if "no usable stamp" in s] == [
        "field 'A', tile r000_c001: 1 of its 1 given position has no usable stamp (centre off the image or NaN in "
        "some band, or a blank band): class_pred 0, NaN probabilities (ids 16)"], said
    table = pq.read_table(root / "out_partial" / "fields" / "A" / "catalogue.parquet")
    assert [c == 0 for c in table.column("class_pred").to_pylist()] == [False, True, False, False, False, True]
    assert "  A: 6 candidates, 25 tiles, 2 unclassified (class_pred 0: no usable stamp or off the mosaics)" in \
        summary_lines(result.summary), summary_lines(result.summary)


@pytest.mark.parametrize("mode", ["ci", "growth"])
def test_a_band_without_data_in_the_measured_square_costs_the_others_no_field_psf(mode):
    """A band with no usable pixel in the square field_psf measures (bands of HST mosaics cover different areas)
    made the whole image refused: no field PSF, and every tile estimated its own PSF on its window (the
    magnitudes jumping at tile edges that the field PSF was made to stop). Now the other bands get theirs."""
    from starclass.datasets.fields import synthetic_field
    from starclass.survey.work import field_psf

    mosaics, _ = synthetic_field((160, 160), 30, bands=("f555w", "f814w"), seed=2)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        whole = field_psf(mosaics, mode)
        mosaics.data["f814w"][:] = np.nan
        short = field_psf(mosaics, mode)
    assert short is not None and short["mode"] == mode
    assert short["fwhm"]["f555w"] == whole["fwhm"]["f555w"]
