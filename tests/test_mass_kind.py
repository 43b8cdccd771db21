"""A mass limit is taken in the convention of the masses it is compared with.

LEGUS's SED-fit masses are the stars' mass at the fitted age (they match the Yggdrasil table's
``Mstars`` within 0.03 dex from 6 to 200 Myr, docs/legus_validation.md); the simulator's masses
are the mass formed (``ssp_abs_mag`` scales the table's magnitudes of 10^6 Msun formed). Before
2026-12-06 ``mass_limit`` and ``mass_completeness`` gave only the mass formed, so every limit and
curve drawn over LEGUS masses stood log(Mformed / Mstars) high: 0.046 dex at 10 Myr, 0.084 at
100 Myr, 0.099 at 400 Myr (section 3's 3.51 / 4.25 / 4.68). Now both take ``mass_kind``,
``io.legus`` marks its catalogues ``meta['mass_kind'] = 'stellar'``, the simulator's truth
``'formed'``, and the callers pass the catalogue's convention.

The expected numbers are worked out here from the packaged table's text, not through starclass's
SSP reader.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest

from conftest import SHARED_DATA
from starclass.bands import ab_minus_vega
from starclass.datasets.catalogs import fake_catalogs
from starclass.io.catalog import read_catalog
from starclass.report.build import _attach_physical, _completeness_curve
from starclass.report.sections import Section
from starclass.science import many
from starclass.science.massfunc import mass_completeness, mass_limit
from starclass.science.validation import massfunction_check

LEGUS = SHARED_DATA / "legus"
TABLE = (Path(__file__).resolve().parents[1] / "src" / "starclass" / "data"
         / "yggdrasil_Z0.020_kroupa_fcov1_inst_HST_AB.txt")


def _by_hand() -> dict[str, np.ndarray]:
    """The packaged table's redshift-0 rows: log age, Mstars, Mconverted, F555W (AB), read from its text."""
    lines = TABLE.read_text().splitlines()
    head = lines[0].split()
    rows = np.array([[float(x) for x in ln.split()] for ln in lines[1:] if ln.strip()])
    rows = rows[rows[:, head.index("Redshift")] == 0.0]
    return {"log_age": np.log10(rows[:, head.index("Age(yr)")]), "mstars": rows[:, head.index("Mstars")],
            "mconverted": rows[:, head.index("Mconverted")], "f555w": rows[:, head.index("F555W")]}


def _stellar_limit(log_age: float, abs_mag_limit: float, camera: str = "wfc3/uvis") -> float:
    """log10 of the stellar mass at M_V = ``abs_mag_limit``: log Mstars + 0.4 (M_V,Vega(age) - M_lim)."""
    t = _by_hand()
    mv = np.interp(log_age, t["log_age"], t["f555w"]) - ab_minus_vega("f555w", camera)
    return float(np.log10(np.interp(log_age, t["log_age"], t["mstars"])) + 0.4 * (mv - abs_mag_limit))


def _ratio(log_age: float) -> float:
    t = _by_hand()
    return float(np.interp(log_age, t["log_age"], t["mstars"]) / np.interp(log_age, t["log_age"], t["mconverted"]))


def test_stellar_limits_are_the_mass_formed_times_the_tables_mstars_over_mconverted():
    for la in (7.0, 8.0, 8.6):
        formed = mass_limit(la, -7.8)
        stellar = mass_limit(la, -7.8, mass_kind="stellar")
        assert stellar - formed == pytest.approx(np.log10(_ratio(la)), abs=1e-9)
        assert stellar == pytest.approx(_stellar_limit(la, -7.8), abs=1e-9)
    # 0.046, 0.084 and 0.099 dex: what section 3's limits stood high by
    assert [round(-np.log10(_ratio(a)), 3) for a in (7.0, 8.0, 8.6)] == [0.046, 0.084, 0.099]
    ages = np.array([6.0, 7.0, 8.0, 9.0])
    c_formed = mass_completeness(ages, 24.0, 10.0)
    c_stellar = mass_completeness(ages, 24.0, 10.0, mass_kind="stellar")
    np.testing.assert_allclose((c_stellar / c_formed).value, [_ratio(a) for a in ages], rtol=1e-9)
    with pytest.raises(Exception, match="mass_kind must be one of stellar, formed"):
        mass_limit(7.0, -7.8, mass_kind="initial")


def _write_tab(path: Path, n: int = 60, seed: int = 2) -> Path:
    """A standard-layout LEGUS file (35 columns), every source inspected, classes 1+2 with an SED fit."""
    rng = np.random.default_rng(seed)
    rows = []
    for i in range(n):
        k = 1 + i % 4
        v = rng.uniform(19.0, 23.0)
        age, mass = (10 ** rng.uniform(6.2, 7.9), 10 ** rng.uniform(3.0, 5.5)) if k <= 2 else (0.0, 0.0)
        pairs = [x for m in (v + 0.5, v - 0.3, v + 0.2, v, v - 0.6) for x in (m, 0.05)]
        row = [i + 1, 10.0 + i, 20.0 + i, 24.1, 15.8, *pairs, 1.8 if k <= 2 else 1.4, age, age, age,
               mass, mass, mass, 0.1, 0.1, 0.1, *[0.0] * 7, 5, k, float(k)]
        rows.append(" ".join(f"{x:.6g}" if isinstance(x, float) else str(x) for x in row))
    path.write_text("\n".join(rows) + "\n")
    return path


def test_a_legus_catalogue_is_stellar_and_its_limits_and_curve_are_too(tmp_path):
    d = tmp_path / "legus"
    d.mkdir()
    tab = _write_tab(d / "hlsp_legus_hst_acs-wfc3_ugc5340_multiband_v2_padagb-mwext-avgapcor.tab")
    t = read_catalog(tab, fmt="legus")
    m = massfunction_check(t)
    assert m["log_mass_min"].tolist() == [round(_stellar_limit(a, -7.8), 2) for a in (7.0, 8.0, 8.6)]
    assert m.meta["mass_kind"] == "stellar"
    from starclass.science.massfunc import catalog_mass_kind  # after the numbers: the old code had neither

    assert catalog_mass_kind(t) == ("stellar", True)
    # the many-field study keeps the convention (its meta was rebuilt without it)
    f = many.read_legus_field(tab)
    assert f.meta["mass_kind"] == "stellar"
    s = many.field_mass_slopes({"ugc5340": f}, min_n=5)
    lim = many.field_mv_limit(f)
    assert float(s["log_mass_min"][0]) == round(_stellar_limit(8.0, lim), 2)
    c = many.field_mass_completeness({"ugc5340": f})
    assert set(c["mass_kind"]) == {"stellar"}
    dm = 5 * np.log10(many.FIELD_DISTANCES_MPC["ugc5340"] * 1e6 / 10)
    row = c[np.argmin(np.abs(c["log_age"] - 8.0))]
    assert float(row["log_mass_limit"]) == pytest.approx(
        _stellar_limit(float(row["log_age"]), float(row["mag_limit"]) - dm), abs=1e-6)


def test_the_report_draws_a_legus_curve_in_stellar_mass_and_says_so(tmp_path):
    tab = _write_tab(tmp_path / "hlsp_legus_hst_acs-wfc3_ugc5340_multiband_v2_padagb-mwext-avgapcor.tab")
    t = read_catalog(tab, fmt="legus")
    ms = Section("mass")
    la, lm, _, caption = _completeness_curve(ms, "legus", t, 10.0, 24.0, None)
    i = int(np.argmin(np.abs(la - 8.0)))
    assert lm[i] == pytest.approx(_stellar_limit(la[i], 24.0 - 30.0), abs=1e-6)
    assert "stellar mass at the age, as the catalogue's masses" in caption
    assert ms.meta["completeness"]["legus"]["mass_kind"] == "stellar"
    # a catalogue that does not say: the mass formed, and said to be assumed
    t.meta.pop("mass_kind")
    ms = Section("mass")
    _, lm2, _, caption = _completeness_curve(ms, "legus", t, 10.0, 24.0, None)
    assert lm2[i] - lm[i] == pytest.approx(-np.log10(_ratio(la[i])), abs=1e-6)
    assert "mass formed (assumed" in caption


def test_simulated_masses_are_formed_and_their_limits_do_not_move():
    from starclass.science.massfunc import catalog_mass_kind
    from starclass.simulate.config import SimConfig
    from starclass.simulate.field import simulate_labels

    truth, _ = simulate_labels(SimConfig(seed=1, shape=(256, 256), n_candidates=30))
    assert catalog_mass_kind(truth) == ("formed", True)
    m = massfunction_check(truth)
    assert m["log_mass_min"].tolist() == [round(mass_limit(a, -7.8), 2) for a in (7.0, 8.0, 8.6)]
    _, fake = fake_catalogs(50)
    assert catalog_mass_kind(fake) == ("formed", True)


def test_a_catalogue_given_another_ones_masses_takes_their_convention():
    _, truth = fake_catalogs(30)
    legus_like = truth.copy()
    legus_like.meta["mass_kind"] = "stellar"
    plain = truth.copy()
    plain.remove_columns(["age", "mass"])
    plain.meta.pop("mass_kind")
    out = _attach_physical({"legus": legus_like, "mine": plain}, "legus", 0.5)
    assert out["mine"].meta["mass_kind"] == "stellar"


@pytest.mark.skipif(not LEGUS.is_dir(), reason="needs ../shared/data/legus")
def test_real_ngc628c_limits_are_in_stellar_mass_on_its_acs_v():
    path = next(LEGUS.glob("*_ngc628-c_*.tab"))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        t = read_catalog(path, fmt="legus")
    m = massfunction_check(t)
    want = [round(_stellar_limit(a, -7.8, "acs/wfc"), 2) for a in (7.0, 8.0, 8.6)]
    assert m["log_mass_min"].tolist() == want
    assert t.meta["mass_kind"] == "stellar" and t.meta["cameras"]["f555w"] == "acs/wfc"
    # the mass formed stood 0.05 / 0.08 / 0.10 dex above
    formed = [mass_limit(a, -7.8, cameras=t.meta["cameras"]) for a in (7.0, 8.0, 8.6)]
    exact = [_stellar_limit(a, -7.8, "acs/wfc") for a in (7.0, 8.0, 8.6)]
    assert [round(f - w, 2) for f, w in zip(formed, exact)] == [0.05, 0.08, 0.1]
    f = many.read_legus_field(path)
    s = many.field_mass_slopes({"ngc628-c": f})
    assert float(s["log_mass_min"][0]) == round(_stellar_limit(8.0, many.field_mv_limit(f), "acs/wfc"), 2)
    c = many.field_mass_completeness({"ngc628-c": f})
    dm = 5 * np.log10(many.FIELD_DISTANCES_MPC["ngc628"] * 1e6 / 10)
    for row in c[::10]:
        assert float(row["log_mass_limit"]) == pytest.approx(
            _stellar_limit(float(row["log_age"]), float(row["mag_limit"]) - dm, "acs/wfc"), abs=1e-6)
