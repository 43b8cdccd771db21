"""The mass-age diagram draws the mass-completeness curve: the mass of a cluster at the catalogue's faint limit.

Before 2026-12-05 ``report`` (and ``evaluate``) drew cluster mass against age with no such curve, so
nothing showed where the catalogue runs out. Now
:func:`starclass.science.massfunc.mass_completeness` gives
``M_lim(age) = M_ssp_mass * 10**(-0.4 * (m_lim - DM - M_ssp(age)))`` from the SSP table (whatever
mass its magnitudes are for), and the figure draws it for each catalogue: the limit is ``--mag-limit``
or the 90th percentile of the catalogue's V magnitudes.
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError

runner = CliRunner()
PACKAGED = Path(__file__).resolve().parents[1] / "src" / "starclass" / "data" / \
    "yggdrasil_Z0.020_kroupa_fcov1_inst_HST_AB.txt"
F555W_AB_MINUS_VEGA = -0.03  # STScI ACS zeropoints (starclass.bands.BANDS), the offset the reader uses


def _rows(path: Path, ages: tuple[float, ...]) -> dict[float, dict[str, float]]:
    """Two rows of the table read by hand: age -> {'Mconverted': ..., 'F555W': ...} (redshift 0)."""
    lines = path.read_text().splitlines()
    head = lines[0].split()
    out = {}
    for line in lines[1:]:
        v = dict(zip(head, (float(x) for x in line.split())))
        if v["Redshift"] == 0 and any(math.isclose(v["Age(yr)"], a, rel_tol=1e-6) for a in ages):
            out[v["Age(yr)"]] = v
    assert len(out) == len(ages), out.keys()
    return out


def _by_hand(row: dict[str, float], m_lim: float, distance_mpc: float) -> float:
    dm = 5 * math.log10(distance_mpc * 1e6 / 10)
    m_ssp_vega = row["F555W"] - F555W_AB_MINUS_VEGA
    return row["Mconverted"] * 10 ** (-0.4 * (m_lim - dm - m_ssp_vega))


def _check_against_two_rows(path: Path | None, table: Path) -> None:
    from starclass.science.massfunc import mass_completeness

    rows = _rows(table, (1.001e7, 1.002e8))
    ages = sorted(rows)
    got = mass_completeness(np.log10(ages), 24.0, 9.9, band="f555w", path=path)
    assert str(got.unit) == "solMass"
    want = [_by_hand(rows[a], 24.0, 9.9) for a in ages]
    np.testing.assert_allclose(got.value, want, rtol=1e-9)
    # 10 Myr: M_V = -14.013 (Vega) for 10^6 Msun; 24 mag at DM 29.98 is M_V = -5.98, 8.03 mag fainter: ~610 Msun
    assert 500 < got.value[0] < 700 and got.value[1] > got.value[0]


def test_the_curve_is_the_hand_computation_from_two_rows_of_the_packaged_table():
    _check_against_two_rows(None, PACKAGED)


def test_the_curve_is_the_hand_computation_from_two_rows_of_the_shared_table(shared_ssp):
    _check_against_two_rows(shared_ssp, shared_ssp)


def test_the_curve_does_not_depend_on_the_table_s_normalisation(tmp_path):
    from starclass.science.massfunc import mass_completeness

    # the same population per 1 Msun: masses 10^6 times smaller, magnitudes 15 mag fainter
    lines = PACKAGED.read_text().splitlines()
    head = lines[0].split()
    out = [lines[0]]
    for line in lines[1:]:
        v = [float(x) for x in line.split()]
        v = [x / 1e6 if h in ("Mstars", "Mconverted") else x + 15.0 if h.startswith("F") else x
             for h, x in zip(head, v)]
        out.append(" ".join(f"{x:.6e}" for x in v))
    per_msun = tmp_path / "yggdrasil_Z0.020_kroupa_fcov1_inst_HST_AB.txt"
    per_msun.write_text("\n".join(out) + "\n")
    la = np.array([6.5, 7.0, 8.0, 9.0])
    np.testing.assert_allclose(mass_completeness(la, 23.0, 17.9, path=per_msun).value,
                               mass_completeness(la, 23.0, 17.9).value, rtol=1e-5)


def test_the_curve_refuses_what_it_cannot_compute():
    from starclass.science.massfunc import mass_completeness

    with pytest.raises(StarclassError, match="no Vega magnitude for band xray"):
        mass_completeness([7.0], 24.0, 10.0, band="xray")
    with pytest.raises(StarclassError, match="outside the SSP model"):
        mass_completeness([11.0], 24.0, 10.0)
    with pytest.raises(StarclassError, match="mag_limit must be a finite magnitude"):
        mass_completeness([7.0], float("nan"), 10.0)


@pytest.fixture(scope="module")
def catalogues():
    from starclass.datasets.catalogs import fake_catalogs

    return fake_catalogs(120, seed=0)


def _mass_age_section(pred, truth, distance_mpc=None, mag_limit=None):
    # the science sections alone (the whole evaluation's figures took 20 s); the truth is its own catalogue
    from starclass.report.build import _science_sections

    secs = _science_sections({"truth": truth}, {"truth": "class_ref"}, distance_mpc, 2.0, "truth",
                             faint_limit=mag_limit)
    return next(s for s in secs if s.key == "massage")


def test_the_report_draws_the_curve_at_the_90th_percentile_or_the_given_limit(catalogues):
    from starclass.science.massfunc import mass_completeness

    pred, truth = catalogues
    ms = _mass_age_section(pred, truth, distance_mpc=9.9)
    curve = ms.meta["completeness"]["truth"]
    m90 = float(np.nanpercentile(np.asarray(truth["mag_f555w"], float), 90))
    assert curve["band"] == "f555w" and curve["mag_limit"] == pytest.approx(m90)
    assert curve["limit_from"] == "90th percentile of the catalogue's f555w magnitudes"
    np.testing.assert_allclose(curve["mass"].value, mass_completeness(curve["log_age"], m90, 9.9).value)
    assert curve["log_age"].min() >= 6.0 and curve["log_age"].max() <= 10.2 and len(curve["log_age"]) > 20
    fig = next(it for it in ms.items if it.kind == "figure" and it.name == "mass_age")
    assert "clusters below it are fainter than the limit" in fig.caption and "90th percentile" in fig.caption
    tab = next(it for it in ms.items if it.kind == "table" and it.name == "mass_completeness_truth")
    np.testing.assert_allclose(tab.content["mass_limit"], curve["mass"].value)

    given = _mass_age_section(pred, truth, distance_mpc=9.9, mag_limit=25.0).meta["completeness"]["truth"]
    assert given["mag_limit"] == 25.0 and given["limit_from"] == "--mag-limit"
    # 1 mag fainter than ... : the curve moves down by 0.4 dex per magnitude
    np.testing.assert_allclose(np.log10(given["mass"].value) - np.log10(curve["mass"].value), -0.4 * (25.0 - m90))


def test_without_a_distance_the_report_says_why_no_curve(catalogues):
    pred, truth = catalogues
    ms = _mass_age_section(pred, truth)
    assert "completeness" not in ms.meta
    notes = [it.content for it in ms.items if it.kind == "note"]
    assert any("no mass-completeness curve" in n and "--distance" in n for n in notes), notes


def test_the_figure_draws_the_curve_per_panel():
    from starclass.report import figures as F

    mass, age = np.array([1e4, 1e5]), np.array([1e7, 1e8])
    fig = F.fig_mass_age([("a", mass, age), ("b", mass, age)], "t",
                         curves=[(np.array([7.0, 8.0]), np.array([3.5, 4.2]), "f555w = 24.00 (90th pct)", ""), None])
    assert fig.axes[0].lines[0].get_ydata().tolist() == [3.5, 4.2] and not fig.axes[1].lines


@pytest.mark.parametrize("extra, says", [
    (["--mag-limit", "24"], "--mag-limit 24 is turned into masses at the galaxy's distance: give --distance too"),
    (["--mag-limit", "nan", "--distance", "9.9"], "--mag-limit must be an apparent magnitude in 0-50, got nan"),
])
@pytest.mark.parametrize("command", ["report", "evaluate"])
def test_the_option_is_checked_before_any_work(command, extra, says, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(app, [command, "p.ecsv", *extra])
    assert r.exit_code == 2 and says in " ".join(r.output.split()), r.output
    assert list(tmp_path.iterdir()) == []
