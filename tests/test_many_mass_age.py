"""``report --catalogs DIR`` / ``evaluate --catalogs DIR``: a mass-age figure per field with its completeness curve.

Before (2026-12-05): the many-field report drew no mass-age diagram at all, so the mass-completeness
curve that ``report CAT -r TRUTH --distance D`` draws for one catalogue never appeared for LEGUS
fields, although their catalogues carry the SED fit's ages and masses and the distances are known.
Now each field gets a panel (class 1+2 mass against age) with its curve at its own distance, down
to the field's V limit (the inspection cut M_V = -6, or the 90th percentile of its inspected M_V
where brighter, the limit its mass-function slope is fitted above), and
``tables/mass_completeness.ecsv`` holds the curves.

Two small generated LEGUS-like files (the standard 35-column layout, as tests/test_science_many.py
writes them): NGC 7793-W at 3.44 Mpc, limited by the inspection cut, and NGC 1433 at 8.3 Mpc,
limited by its sources (brighter than M_V = -6). One point of each curve is computed here by hand
from the SSP table's row.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.science import many
from starclass.science.ssp import load_ssp

#: file name part -> (field, distance in Mpc, range of M_V drawn, seed)
FIELDS = {
    "acs-wfc3_ngc7793-w": ("ngc7793-w", 3.44, (-9.0, -5.0), 1),
    "wfc3_ngc1433": ("ngc1433", 8.3, (-10.0, -7.5), 2),
}
N = 40


def _field_rows(mv_range, seed):
    rng = np.random.default_rng(seed)
    cls = np.resize([1, 2, 3, 4], N)  # every source inspected
    mv = rng.uniform(*mv_range, N)
    age = np.where(cls <= 2, 10 ** rng.uniform(6.2, 9.0, N), 0.0)
    mass = np.where(cls <= 2, 10 ** rng.uniform(3.0, 5.5, N), 0.0)
    return cls, mv, age, mass


def write_tab(path: Path, cls, mag_v, age, mass) -> None:
    """A standard-layout LEGUS file: 35 columns, 1-based x, y; V in column 12, age 17, mass 20, class 34."""
    rows = []
    for i, (k, v, a, m) in enumerate(zip(cls, mag_v, age, mass)):
        mags = [v + 0.5, v - 0.3, v + 0.2, v, v - 0.6]
        pairs = [x for mg in mags for x in (mg, 0.05)]
        ci = 1.8 if k <= 2 else 1.4
        row = [i + 1, 10.0 + i, 20.0 + i, 24.1, 15.8, *pairs, ci, a, a, a, m, m, m, 0.1, 0.1, 0.1,
               *[0.0] * 7, 5, int(k), float(k)]
        rows.append(" ".join(f"{x:.5f}" if isinstance(x, float) else str(x) for x in row))
    path.write_text("\n".join(rows) + "\n")


@pytest.fixture
def two_fields(tmp_path):
    d = tmp_path / "legus"
    d.mkdir()
    for part, (_, dist, mv_range, seed) in FIELDS.items():
        cls, mv, age, mass = _field_rows(mv_range, seed)
        dm = 5 * np.log10(dist * 1e6 / 10)
        write_tab(d / f"hlsp_legus_hst_{part}_multiband_v1_padagb-mwext-avgapcor.tab", cls, mv + dm, age, mass)
    return d


def _by_hand(dist_mpc: float, mv_limit: float, log_age: float) -> tuple[float, float]:
    """(log M_lim, log age) at the SSP table's row nearest ``log_age``: M_ssp_mass 10^(-0.4 (m_lim - DM - M_ssp)).

    M_ssp_mass is the table's Mstars, the stars left at the age of its 10^6 Msun formed: LEGUS's masses are
    stellar (Mconverted, the mass formed, until 2026-12-06: 0.046 dex high at 10 Myr, test_mass_kind.py).
    """
    ssp = load_ssp()
    k = int(np.argmin(np.abs(np.asarray(ssp["log_age"], float) - log_age)))
    dm = 5 * np.log10(dist_mpc * 1e6 / 10)
    m_lim = mv_limit + dm  # the field's apparent V limit
    return float(np.log10(ssp["mstars"][k]) - 0.4 * (m_lim - dm - ssp["mag_f555w"][k])), float(ssp["log_age"][k])


def test_each_field_gets_its_curve_at_its_distance_checked_by_hand(two_fields):
    tables = many.many_field_tables(two_fields, min_inspected=10, ladder=False)
    comp = tables["mass_completeness"]
    assert sorted(set(comp["field"])) == ["ngc1433", "ngc7793-w"]
    # NGC 7793-W: M_V drawn to -5, so its 90th percentile is fainter than the cut: the limit is M_V = -6
    c = comp[comp["field"] == "ngc7793-w"]
    assert set(c["band"]) == {"f555w"} and set(c["limit_from"]) == {"inspection cut"}
    assert float(c["mv_limit"][0]) == -6.0
    assert float(c["mag_limit"][0]) == pytest.approx(-6.0 + 27.6828, abs=1e-3)
    hand, la = _by_hand(3.44, -6.0, 7.0)
    # the packaged model: M_V(10 Myr) = -14.013 for 10^6 Msun formed, 0.899 10^6 in stars at 10 Myr (10^7.0004 yr),
    # so log M = log 0.899e6 + 0.4 (-14.013 + 6) = 2.749 (2.795 in mass formed)
    assert hand == pytest.approx(2.7486, abs=1e-4)
    got = c[np.isclose(c["log_age"], la)]
    assert len(got) == 1 and float(got["log_mass_limit"][0]) == pytest.approx(hand, abs=1e-6)
    # NGC 1433: all sources brighter than M_V = -7.5, so its limit is their 90th percentile
    _, mv, _, _ = _field_rows(FIELDS["wfc3_ngc1433"][2], FIELDS["wfc3_ngc1433"][3])
    p90 = float(np.percentile(mv, 90))
    assert p90 < -7.5
    c = comp[comp["field"] == "ngc1433"]
    assert set(c["limit_from"]) == {"90th pct of inspected M_V"}
    assert float(c["mv_limit"][0]) == pytest.approx(p90, abs=0.006)  # stored to 0.01 mag
    assert float(c["mag_limit"][0]) == pytest.approx(p90 + 29.5954, abs=1e-3)
    hand, la = _by_hand(8.3, p90, 8.0)
    got = c[np.isclose(c["log_age"], la)]
    # 1e-4: the file holds the magnitudes to 1e-5 mag, so its 90th percentile differs from ours by that
    assert float(got["log_mass_limit"][0]) == pytest.approx(hand, abs=1e-4)
    # the same limit as the field's mass-function slope: at 10^8 yr the curve is its log_mass_min
    slopes = tables["mass_slopes"]
    assert float(slopes[slopes["field"] == "ngc1433"]["log_mass_min"][0]) == pytest.approx(hand, abs=0.01)
    # the curve rises with age (clusters fade): more mass is needed to be seen when old
    assert np.all(np.diff(np.asarray(c["log_mass_limit"])[np.asarray(c["log_age"]) > 7.2]) > -0.05)


def test_the_figure_draws_every_fields_clusters_and_its_curve(two_fields):
    import matplotlib.pyplot as plt

    from starclass.report.many import mass_age_figure

    tables = many.many_field_tables(two_fields, min_inspected=10, ladder=False)
    fig = mass_age_figure(tables)
    try:
        axes = [ax for ax in fig.axes if ax.get_visible()]
        assert [ax.get_title().split(" (n=")[0] for ax in axes] == ["ngc7793-w (3.44 Mpc)", "ngc1433 (8.3 Mpc)"]
        for ax, (field, _, mv_range, seed) in zip(axes, FIELDS.values()):
            cls, _, age, mass = _field_rows(mv_range, seed)
            keep = cls <= 2
            pts = np.asarray(ax.collections[0].get_offsets())
            assert np.allclose(pts, np.column_stack([np.log10(age[keep]), np.log10(mass[keep])]))
            assert ax.get_title().endswith(f"(n={int(keep.sum())})")
            c = tables["mass_completeness"][tables["mass_completeness"]["field"] == field]
            assert np.allclose(ax.lines[0].get_ydata(), c["log_mass_limit"])
            assert ax.get_legend().get_texts()[0].get_text().startswith(
                f"mass at f555w = {float(c['mag_limit'][0]):.2f}\n(M_V = {float(c['mv_limit'][0]):.2f}")
    finally:
        plt.close(fig)


def test_evaluate_and_report_catalogs_write_the_figure_and_the_curves(two_fields, tmp_path):
    from astropy.table import Table

    runner = CliRunner()
    out = tmp_path / "many"
    res = runner.invoke(app, ["evaluate", "--catalogs", str(two_fields), "-o", str(out), "--min-inspected", "10"])
    assert res.exit_code == 0, res.output
    assert (out / "figures" / "mass_age_fields.png").is_file()
    t = Table.read(out / "tables" / "mass_completeness.ecsv")
    hand, la = _by_hand(3.44, -6.0, 7.0)
    row = t[(t["field"] == "ngc7793-w") & np.isclose(t["log_age"], la, atol=1e-3)]
    assert float(row["log_mass_limit"][0]) == pytest.approx(hand, abs=1e-3)
    page = tmp_path / "rep" / "legus.html"
    res = runner.invoke(app, ["report", "--catalogs", str(two_fields), "-o", str(page), "--min-inspected", "10"])
    assert res.exit_code == 0, res.output
    html = page.read_text()
    assert "mass-completeness curve at its distance" in html
    # which mass the curve is in, beside it: LEGUS's are stellar
    assert "in stellar mass at the age (Yggdrasil" in html and "as the catalogues" in html
    assert (page.parent / "tables" / "mass_completeness.ecsv").is_file()


def test_an_f606w_fields_slope_is_fitted_above_its_own_v_band_limit(tmp_path):
    """NGC 5474's V is F606W (io.legus.KNOWN_FILTERS): its slope's log_mass_min was F555W's (0.05 dex high)."""
    from starclass.science.massfunc import mass_limit

    d = tmp_path / "legus"
    d.mkdir()
    cls, mv, age, mass = _field_rows((-9.0, -5.0), 3)  # drawn to -5: the limit is the inspection cut, -6
    dm = 5 * np.log10(6.8e6 / 10)
    write_tab(d / "hlsp_legus_hst_acs-wfc3_ngc5474_multiband_v1_padagb-mwext-avgapcor.tab", cls, mv + dm, age, mass)
    fields = many.load_fields(d, min_inspected=10)[0]
    assert fields["ngc5474"].meta["bands"][3] == "f606w"
    slopes = many.field_mass_slopes(fields)
    got = float(slopes["log_mass_min"][0])
    assert float(slopes["mv_limit"][0]) == -6.0
    # by hand: the mass visible at M_V = -6 at 10^8 yr in F606W, stored to 0.01 dex
    assert got == round(mass_limit(8.0, -6.0, band="f606w", mass_kind="stellar"), 2)
    assert abs(got - mass_limit(8.0, -6.0, band="f555w", mass_kind="stellar")) > 0.03  # the old code's F555W limit
    # the same band as the field's completeness curve: at 10^8 yr the curve is the slope's limit
    comp = many.field_mass_completeness(fields)
    assert set(comp["band"]) == {"f606w"}
    ssp = load_ssp()
    la = float(ssp["log_age"][int(np.argmin(np.abs(np.asarray(ssp["log_age"], float) - 8.0)))])
    assert float(comp[np.isclose(comp["log_age"], la)]["log_mass_limit"][0]) == pytest.approx(got, abs=0.01)


def test_the_completeness_legend_stays_inside_its_panel():
    # the legend ran past the panel into the next one ("mass at f555w = 22.11 (M_V = -6.34, 90th pct of
    # inspected M_V)" on one line, at 6 pt, in report --catalogs' grid of five panels a row)
    import matplotlib.pyplot as plt

    from starclass.report.figures import fig_mass_age

    text = "f555w = 22.11 (M_V = -6.34, 90th pct of inspected M_V)"
    panels = [(f"field {k} (4.9 Mpc)", np.array([1e4, 1e5]), np.array([1e7, 1e8])) for k in range(5)]
    curve = (np.array([6.0, 8.0, 10.0]), np.array([2.5, 4.0, 5.4]), text, "")
    fig = fig_mass_age(panels, "class 1+2", curves=[curve] * 5, ncols=5)
    try:
        fig.canvas.draw()
        renderer = fig.canvas.get_renderer()
        for ax in fig.axes:
            leg = ax.get_legend()
            box, frame = leg.get_window_extent(renderer), ax.get_window_extent(renderer)
            assert frame.x0 <= box.x0 and box.x1 <= frame.x1, (box, frame)
            assert all(t.get_fontsize() >= 7 for t in leg.get_texts())
            assert leg.get_texts()[0].get_text() == "mass at f555w = 22.11\n(M_V = -6.34, 90th pct of inspected M_V)"
    finally:
        plt.close(fig)
