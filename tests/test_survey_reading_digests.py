"""A survey's finished tiles are redone for fields whose pixel values are read otherwise since they were made.

Three changes altered what a tile of some fields holds without changing those fields' tile digests: magnitude
errors of images in calibrated units (SDSS nanomaggies with NMGY and GAIN, Pan-STARRS1 stacks, MJy/sr), DES
coadds (errors from GAIN; their WGT plane the weight map) and PS1 band names. A survey resumed after them
kept the old tiles of such fields. HST-like fields, whose reading did not change, must keep theirs: a new
TILE_FORMAT would have redone every tile of every survey.

The "before" is pinned by the digest's old inputs (settings, mosaics, tile, shape), as prepare() computed it.
"""

from __future__ import annotations

import hashlib
import json
import warnings
from pathlib import Path

import numpy as np
import pytest
from astropy.io import fits

pytest.importorskip("distributed")
pytest.importorskip("pyarrow")

HST = {"BUNIT": "ELECTRONS/S", "PHOTFLAM": 1.8e-19, "PHOTPLAM": 5360.0, "EXPTIME": 400.0}
SDSS = {"BUNIT": "nanomaggy", "NMGY": 0.005, "GAIN": 4.7, "EXPTIME": 53.907456}
DES = {"MAGZERO": 30.0, "GAIN": 23.4, "EXPTIME": 540.0}
PS1 = {"HIERARCH FPA.ZP": 25.0, "EXPTIME": 1290.0}


def _model(path, bands):
    """An untrained model of ``bands`` (only its bands and stamp size matter to the plan)."""
    from starclass.learn.checkpoint import write_untrained_model
    from starclass.learn.config import get_preset

    write_untrained_model(path, get_preset("legus4-compact", bands=bands, stamp_size=16, scales=[1.0]))


def _image(rng):
    return rng.normal(0.0, 0.05, (96, 96)).astype(np.float32)


def _field(folder, kind: str) -> tuple[list[str], str]:
    """One field's band files as each survey writes them; its bands and the plan's magsys."""
    folder.mkdir()
    rng = np.random.default_rng(0)
    if kind.startswith("hst"):
        bands = ["f555w", "f814w"]
        for b in bands:
            head = fits.Header({**HST, "FILTER": b.upper()})
            if kind == "hst-drz":  # a drizzled file: SCI, WHT, CTX
                fits.HDUList([fits.PrimaryHDU(header=head), fits.ImageHDU(_image(rng), head, name="SCI"),
                              fits.ImageHDU(np.ones((96, 96), np.float32), name="WHT"),
                              fits.ImageHDU(np.ones((96, 96), np.int32), name="CTX")]).writeto(
                                  folder / f"j_{b}_drz.fits")
            elif kind in ("hst-fz1", "hst-fz0"):  # fpack'd: dithered (zeros read back since 2026-12-05) or not
                comp = fits.CompImageHDU(_image(rng), head, name="SCI", quantize_level=16,
                                         quantize_method=1 if kind == "hst-fz1" else -1)
                fits.HDUList([fits.PrimaryHDU(), comp]).writeto(folder / f"j_{b}_drc.fits.fz")
            elif kind == "hst-int16":  # int16 with BSCALE/BZERO (zeros read back since 2026-12-05)
                hdu = fits.ImageHDU(_image(rng), head, name="SCI")
                hdu.scale("int16", bzero=0.0013, bscale=1e-5)
                fits.HDUList([fits.PrimaryHDU(), hdu]).writeto(folder / f"j_{b}_drc.fits")
            elif kind == "hst-beside":  # the weight map a file of its own
                fits.writeto(folder / f"j_{b}_sci.fits", _image(rng), head)
                fits.writeto(folder / f"j_{b}_wht.fits", np.ones((96, 96), np.float32))
            else:  # hst-wgt: an HST image whose weight plane is named WGT (passed over before)
                fits.HDUList([fits.PrimaryHDU(_image(rng), head),
                              fits.ImageHDU(np.ones((96, 96), np.float32), name="WGT")]).writeto(folder / f"j_{b}.fits")
        return bands, "vega"
    bands = ["g", "i"]
    for b in bands:
        if kind == "sdss":
            fits.writeto(folder / f"frame-{b}-003893-4-0293.fits", _image(rng), fits.Header({**SDSS, "FILTER": b}))
        elif kind == "des":  # despyfits' coadd: SCI, MSK, WGT
            head = fits.Header({**DES, "FILTER": b})
            fits.HDUList([fits.PrimaryHDU(_image(rng), head), fits.ImageHDU(np.zeros((96, 96), np.int16), name="MSK"),
                          fits.ImageHDU(np.ones((96, 96), np.float32), name="WGT")]).writeto(folder / f"DES_{b}.fits")
            fits.setval(folder / f"DES_{b}.fits", "EXTNAME", value="SCI")
        else:  # ps1: a stack's filter as PS1 writes it
            fits.writeto(folder / f"rings.v3.skycell.1784.059.stk.{b}.unconv.fits", _image(rng),
                         fits.Header({**PS1, "FILTER": f"{b}.00000"}))
    return bands, "ab"


def _prepare(tmp_path, kind: str):
    from starclass.survey.plan import read_plan
    from starclass.survey.run import prepare

    bands, magsys = _field(tmp_path / "field", kind)
    _model(tmp_path / "model", bands)
    plan = tmp_path / "plan.yaml"
    plan.write_text(f"model: model\ntile_size: 64\noverlap: 32\nphotometry: none\nmagsys: {magsys}\n"
                    "fields:\n  - {name: f, mosaics: field}\n")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # no WCS, a mask extension not applied: said elsewhere
        return prepare(read_plan(plan), tmp_path / "out")


def _digest_before(prepared, job) -> str:
    """A tile's digest as prepare() computed it before the change, for a field of float images, photometry none."""
    from starclass.survey.plan import file_digest
    from starclass.survey.run import TILE_FORMAT

    info = prepared.fields[0]
    assert not any((info.photon_counts or {}).values())  # no counts entry: the digest is the json below alone
    settings = dict(prepared.plan.settings(), overlap=prepared.overlap, format=TILE_FORMAT,
                    model=prepared.model_digest)
    mosaics = {b: file_digest(p, content=False) for b, p in sorted(info.band_paths.items())}
    return hashlib.sha256(json.dumps({"settings": settings, "mosaics": mosaics, "core": job.tile.core,
                                      "window": job.tile.window, "shape": info.shape},
                                     sort_keys=True).encode()).hexdigest()


def _finish_before(prepared) -> None:
    """Tile files as a survey finished before the change left them (only the digest is read on a rerun)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from starclass.survey.work import DIGEST_KEY

    for job in prepared.jobs:
        table = pa.table({"x": pa.array([], pa.float64())}).replace_schema_metadata(
            {DIGEST_KEY: _digest_before(prepared, job).encode()})
        job_out = Path(job.output)
        job_out.parent.mkdir(parents=True, exist_ok=True)
        pq.write_table(table, job_out)


def _to_run(prepared) -> list[str]:
    from starclass.survey.work import tile_done

    return [j.key for j in prepared.jobs if not tile_done(j.output, j.digest)]  # as run_survey picks its tiles


@pytest.mark.parametrize("kind", ["sdss", "des", "ps1", "hst-wgt", "hst-fz1", "hst-int16"])
def test_a_field_read_otherwise_since_its_tiles_were_made_is_redone(tmp_path, kind):
    """SDSS nanomaggies with NMGY and GAIN (errors in electrons), a DES coadd (GAIN; WGT the weight map), a PS1
    stack (no Poisson term; band i, was 'i.00000'), an image whose weight plane is WGT: every tile kept its
    digest, so a resumed survey kept the tiles made with the old errors and weights."""
    prepared = _prepare(tmp_path, kind)
    _finish_before(prepared)
    assert len(prepared.jobs) == 4
    assert _to_run(prepared) == [j.key for j in prepared.jobs]


@pytest.mark.parametrize("kind", ["hst-drz", "hst-beside", "hst-fz0"])
def test_a_field_read_as_before_keeps_its_tiles(tmp_path, kind):
    """HST images in e-/s with a WHT plane or a _wht file beside: read as before, their digests are those of
    main before the change, so a finished survey of them runs nothing again."""
    prepared = _prepare(tmp_path, kind)
    _finish_before(prepared)
    assert _to_run(prepared) == []


def test_what_enters_the_digest_names_the_conversion_and_the_plane(tmp_path):
    prepared = _prepare(tmp_path, "des")
    assert prepared.fields[0].reading == {b: {"electrons_per_unit": 23.4, "weight_plane": "WGT",
                                              "unit": "units of MAGZERO 30 (mag = 30 - 2.5 log10 value)"}
                                          for b in ("g", "i")}


def test_a_bunit_of_counts_read_otherwise_enters_the_digest_with_photometry():
    """'e-' and 'ct' were read as count rates before 2026-12-05 (magnitudes 6.5 mag off for 400 s)."""
    from types import SimpleNamespace

    from starclass.survey.run import _reading

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import tempfile

        p = Path(tempfile.mkdtemp()) / "j_f555w_drc.fits"
        fits.PrimaryHDU(np.zeros((4, 4), np.float32)).writeto(p)
    heads = {"e-": {**HST, "BUNIT": "e-"}, "rate": HST}
    mos = SimpleNamespace(paths={b: p for b in heads}, headers=heads)
    assert _reading(mos, photometry=True) == {"e-": {"bunit": "e-"}}
    assert _reading(mos, photometry=False) == {}
