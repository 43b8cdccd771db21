"""The camera of a LEGUS field's V band: stated where a source states it, said to be assumed where none does.

ACS/WFC's and WFC3/UVIS's F555W differ by 0.024 mag in AB - Vega (-0.006 against -0.030), 0.0096 dex
in the mass limits and completeness curves the SSP model gives. Before 2026-12-06 only a ``.readme``
beside the file put its cameras into ``meta['cameras']`` (NGC 628-C); NGC 4449's and NGC 5474's V,
which ``io.legus.KNOWN_FILTERS`` states to be ACS/WFC's (F555W and F606W), took the filter-only
offsets (WFC3/UVIS's F555W, mass limits 0.0096 dex high; F606W 0.0016 dex low), and for the other ``acs-wfc3`` fields
nothing said which camera was assumed. Now ``KNOWN_FILTERS`` holds the cameras of B and V with the
filters, the reader keeps them, and ``meta['v_camera']`` / ``meta['v_camera_source']`` say which
camera the model's V is on and whether a source says so; ``info`` prints it, ``evaluate --catalogs``
names the fields whose V camera is assumed.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import SHARED_DATA
from starclass.cli import app
from starclass.io.catalog import read_catalog
from starclass.science import many
from starclass.science.massfunc import mass_completeness, mass_limit

LEGUS = SHARED_DATA / "legus"
N = 40


def _write_tab(path: Path, seed: int = 1) -> Path:
    """A standard-layout LEGUS file (35 columns): every source inspected, class 1+2 with an SED fit."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(N):
        k = 1 + i % 4
        v = rng.uniform(19.0, 23.0)
        age, mass = (10 ** rng.uniform(6.2, 8.5), 10 ** rng.uniform(3.0, 5.5)) if k <= 2 else (0.0, 0.0)
        pairs = [x for m in (v + 0.5, v - 0.3, v + 0.2, v, v - 0.6) for x in (m, 0.05)]
        row = [i + 1, 10.0 + i, 20.0 + i, 24.1, 15.8, *pairs, 1.8 if k <= 2 else 1.4, age, age, age,
               mass, mass, mass, 0.1, 0.1, 0.1, *[0.0] * 7, 5, k, float(k)]
        rows.append(" ".join(f"{x:.6g}" if isinstance(x, float) else str(x) for x in row))
    path.write_text("\n".join(rows) + "\n")
    return path


def _readme(tab: Path, v_camera: str) -> None:
    cams = [("WFC3", "F275W"), ("WFC3", "F336W"), ("ACS", "F435W"), (v_camera, "F555W"), ("ACS", "F814W")]
    lines = ["Order of the columns"] + [f"{6 + 2 * k}. final total mag in {c}/{b}" for k, (c, b) in enumerate(cams)]
    tab.with_suffix(".readme").write_text("\n".join(lines) + "\n")


def _name(field: str, cameras: str = "acs-wfc3") -> str:
    return f"hlsp_legus_hst_{cameras}_{field}_multiband_v2_padagb-mwext-avgapcor.tab"


def test_a_known_fields_v_camera_puts_the_model_on_its_vega_system(tmp_path):
    # NGC 4449 (no readme): KNOWN_FILTERS states ACS/WFC F435W and F555W
    t = read_catalog(_write_tab(tmp_path / _name("ngc4449")), fmt="legus")
    # F275W and F336W WFC3/UVIS's, as every LEGUS field's (io.legus.LEGUS_FILTER_CAMERAS)
    assert t.meta["cameras"] == {"f275w": "wfc3/uvis", "f336w": "wfc3/uvis", "f435w": "acs/wfc", "f555w": "acs/wfc"}
    assert t.meta["v_camera"] == "acs/wfc"
    assert t.meta["v_camera_source"].startswith("stated: LEGUS HLSP image names")
    # NGC 5474: WFC3/UVIS F438W, ACS/WFC F606W
    t = read_catalog(_write_tab(tmp_path / _name("ngc5474")), fmt="legus")
    assert t.meta["cameras"] == {"f275w": "wfc3/uvis", "f336w": "wfc3/uvis", "f438w": "wfc3/uvis", "f606w": "acs/wfc"}
    # its completeness curve on ACS/WFC's F606W (0.086): 0.0016 dex above the filter-only 0.09's
    d = tmp_path / "one"
    d.mkdir()
    _write_tab(d / _name("ngc5474"))
    f = many.read_legus_field(d / _name("ngc5474"))
    c = many.field_mass_completeness({"ngc5474": f})
    m_lim = many.field_mv_limit(f) + 5 * np.log10(6.8e6 / 10)
    # in stellar mass, as LEGUS's masses are (test_mass_kind.py)
    acs = np.log10(mass_completeness(c["log_age"], m_lim, 6.8, band="f606w", cameras={"f606w": "acs/wfc"},
                                     mass_kind="stellar").value)
    plain = np.log10(mass_completeness(c["log_age"], m_lim, 6.8, band="f606w", mass_kind="stellar").value)
    np.testing.assert_allclose(c["log_mass_limit"], acs, atol=1e-9)
    assert np.allclose(acs - plain, 0.4 * 0.004)


def test_the_mass_limits_of_a_known_acs_field_use_acs_offsets(tmp_path):
    d = tmp_path / "legus"
    d.mkdir()
    _write_tab(d / _name("ngc4449"))
    t = many.read_legus_field(d / _name("ngc4449"))
    assert t.meta["cameras"]["f555w"] == "acs/wfc"
    c = many.field_mass_completeness({"ngc4449": t})
    lim = many.field_mv_limit(t)
    dm = 5 * np.log10(4.31e6 / 10)
    acs = np.log10(mass_completeness(c["log_age"], lim + dm, 4.31, cameras={"f555w": "acs/wfc"},
                                     mass_kind="stellar").value)
    uvis = np.log10(mass_completeness(c["log_age"], lim + dm, 4.31, mass_kind="stellar").value)
    np.testing.assert_allclose(c["log_mass_limit"], acs, atol=1e-9)
    assert np.allclose(uvis - acs, 0.4 * 0.024)  # what the filter-only (WFC3/UVIS) offset gave before
    s = many.field_mass_slopes({"ngc4449": t})
    assert float(s["log_mass_min"][0]) == round(mass_limit(8.0, lim, cameras={"f555w": "acs/wfc"},
                                                           mass_kind="stellar"), 2)


def test_a_field_no_source_states_says_its_v_camera_is_assumed(tmp_path):
    t = read_catalog(_write_tab(tmp_path / _name("ugc5340")), fmt="legus")
    # V and I not stated (F555W and F814W are on either camera): the filter-only offsets, as before
    assert "f555w" not in t.meta["cameras"] and "f814w" not in t.meta["cameras"]
    assert t.meta["v_camera"] == "wfc3/uvis"
    src = t.meta["v_camera_source"]
    assert src.startswith("assumed") and "-0.030" in src and "0.0096 dex lower" in src, src
    r = CliRunner().invoke(app, ["info", str(tmp_path / _name("ugc5340"))])
    assert r.exit_code == 0, r.output
    assert "V camera (the SSP model's AB - Vega offset): WFC3/UVIS, assumed: no source states" in r.output
    # a WFC3-only file name states it
    t = read_catalog(_write_tab(tmp_path / _name("ngc4656", "wfc3")), fmt="legus")
    assert (t.meta["v_camera"], t.meta["v_camera_source"]) == ("wfc3/uvis", "the file name: WFC3 only")


def test_a_readme_stating_the_v_camera_is_used_and_said(tmp_path):
    tab = _write_tab(tmp_path / _name("ugc5340"))
    _readme(tab, "ACS")
    t = read_catalog(tab, fmt="legus")
    assert t.meta["v_camera"] == "acs/wfc" and t.meta["v_camera_source"] == f"stated: readme {tab.stem}.readme"
    _readme(tab, "WFC3")
    t = read_catalog(tab, fmt="legus")
    assert t.meta["v_camera"] == "wfc3/uvis" and t.meta["v_camera_source"].startswith("stated: readme")


def test_bands_given_by_the_user_take_no_stated_camera_of_another_filter(tmp_path):
    # NGC 4449 read with an F606W V: the table's F555W camera is not that filter's; F606W is ACS/WFC's by LEGUS's
    # filters (io.legus.LEGUS_FILTER_CAMERAS), not by the table's F555W
    t = read_catalog(_write_tab(tmp_path / _name("ngc4449")), fmt="legus",
                     bands=["f275w", "f336w", "f435w", "f606w", "f814w"])
    assert t.meta["cameras"] == {"f275w": "wfc3/uvis", "f336w": "wfc3/uvis", "f435w": "acs/wfc", "f606w": "acs/wfc"}
    assert t.meta["cameras_source"]["f606w"].startswith("LEGUS's filters")
    assert t.meta["v_camera_source"].startswith("stated: LEGUS's filters")
    assert "f814w" not in t.meta["cameras"]  # an F814W I is on either camera: none stated


def test_evaluate_catalogs_names_the_fields_whose_v_camera_is_assumed(tmp_path):
    d = tmp_path / "legus"
    d.mkdir()
    for k, (field, cams) in enumerate((("ugc5340", "acs-wfc3"), ("ngc4449", "acs-wfc3"), ("ngc4656", "wfc3"))):
        _write_tab(d / _name(field, cams), seed=k)
    fields = many.load_fields(d, min_inspected=10)[0]
    summary = many.field_summary(fields)
    cam = dict(zip(summary["field"], summary["v_camera"]))
    # a generated NGC 4449 in the standard layout (the real file is one expert's, left out of the study)
    assert cam == {"ugc5340": "wfc3/uvis (assumed)", "ngc4449": "acs/wfc", "ngc4656": "wfc3/uvis"}
    note = summary.meta["v_camera_note"]
    assert note.startswith("V camera assumed for 1 field, which no source states: ugc5340;"), note
    out = tmp_path / "many"
    r = CliRunner().invoke(app, ["evaluate", "--catalogs", str(d), "-o", str(out), "--min-inspected", "10"])
    assert r.exit_code == 0, r.output
    assert "note: V camera assumed for 1 field, which no source states: ugc5340" in r.output


@pytest.mark.skipif(not LEGUS.is_dir(), reason="needs ../shared/data/legus")
@pytest.mark.parametrize("field, v_band", [("ngc4449", "f555w"), ("ngc5474", "f606w")])
def test_real_fields_whose_v_camera_a_source_states_are_read_with_it(field, v_band):
    import warnings

    path = next(LEGUS.glob(f"*_{field}_*.tab"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # NGC 5474's uncertain layout
        t = read_catalog(path, fmt="legus")
    assert t.meta["cameras"][v_band] == "acs/wfc"
    assert t.meta["v_camera"] == "acs/wfc" and t.meta["v_camera_source"].startswith("stated: LEGUS HLSP image names")


@pytest.mark.skipif(not LEGUS.is_dir(), reason="needs ../shared/data/legus")
def test_real_fields_say_where_their_v_camera_comes_from():
    import warnings

    got = {}
    for path in sorted(LEGUS.glob("*.tab")):
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            t = read_catalog(path, fmt="legus")
        got[t.meta["field"]] = (t.meta["v_camera"], t.meta["v_camera_source"].split(":")[0])
    assert got["ngc628-c"] == ("acs/wfc", "stated")  # its readme
    assert got["ngc1566"] == ("wfc3/uvis", "stated")
    assert got["ngc1433"] == ("wfc3/uvis", "the file name")
    assumed = sorted(f for f, (_, how) in got.items() if how == "assumed")
    # every acs-wfc3 field but NGC 628-C, NGC 4449 and NGC 5474: 21 of the 24
    assert len(assumed) == 21 and "ugc5340" in assumed and "ngc4449" not in assumed, assumed


def test_info_on_a_folder_names_the_files_whose_v_camera_is_assumed(tmp_path):
    from starclass.io.overview import summarise_dir

    d = tmp_path / "legus"
    d.mkdir()
    for k, (field, cams) in enumerate((("ugc5340", "acs-wfc3"), ("ngc4449", "acs-wfc3"), ("ngc4656", "wfc3"))):
        _write_tab(d / _name(field, cams), seed=k)
    _, notes = summarise_dir(d)
    said = [n for n in notes if n.startswith("V camera assumed")]
    assert said == ["V camera assumed for 1 LEGUS file, which no source states (ugc5340): the SSP model's V takes "
                    "the filter-only AB - Vega offset (F555W: WFC3/UVIS's -0.030, where ACS/WFC's -0.006 would put "
                    "mass limits 0.0096 dex lower); starclass info FILE says so for one file"], notes
    r = CliRunner().invoke(app, ["info", str(d)])
    assert r.exit_code == 0 and "note: V camera assumed for 1 LEGUS file" in r.output, r.output


def test_the_assumed_v_camera_note_sorts_its_fields_and_names_every_use_of_the_offset():
    # the 35-field run listed the fields in the order they were read and named "mass limits, completeness
    # curves" only, though the SED check measures every band relative to the model's V
    from astropy.table import Table

    from starclass.io.legus import v_camera

    cam, src = v_camera("f555w", None, None, False)
    t = Table(meta={"v_camera": cam, "v_camera_source": src, "bands": ["f275w", "f336w", "f435w", "f555w", "f814w"]})
    note = many.assumed_v_camera_note({"ugc7408": t, "ic4247": t, "ngc3274": t})
    assert note.startswith("V camera assumed for 3 fields, which no source states: ic4247, ngc3274, ugc7408;"), note
    assert "(SED check, mass limits, completeness curves)" in note, note
    assert "SED-check offset (relative to F555W) 0.024 mag lower" in note, note
