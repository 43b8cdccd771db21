"""A LEGUS readme that states its cameras (NGC 628-C: ACS/WFC's F435W, F555W, F814W) puts the SSP
model on those cameras' Vega system in the many-field mass limits and completeness curves.

Before, the reader took the readme's filter names but not its cameras, and ``read_legus_field`` kept
no ``cameras``: NGC 628-C's F555W took WFC3/UVIS's AB - Vega offset (-0.03, ACS/WFC's is -0.006), so its
mass limits were 0.4 x 0.024 = 0.0096 dex high (real file: beta -2.02 +- 0.07 over 240 clusters where
the readme's cameras give -2.01 +- 0.06 over 244).
"""
from pathlib import Path

import numpy as np
import pytest

from starclass.datasets.catalogs import write_fake_legus_folder
from starclass.science.many import field_mass_completeness, field_mass_slopes, field_mv_limit, load_fields
from starclass.science.massfunc import mass_completeness, mass_limit

ACS_V = [("WFC3", "F275W"), ("WFC3", "F336W"), ("ACS", "F435W"), ("ACS", "F555W"), ("ACS", "F814W")]


def _readme(path: Path, cams=ACS_V) -> None:
    lines = ["# Distance modulus used 29.98 mag (9.9 Mpc)", "Order of the columns"]
    lines += [f"{6 + 2 * k}. final total mag in {c}/{b}" for k, (c, b) in enumerate(cams)]
    lines += ["16. CI=mag(1px)-mag(3px) measured in the F555W. This catalogue contains only sources with CI>=1.4."]
    path.with_suffix(".readme").write_text("\n".join(lines) + "\n")


@pytest.fixture()
def folder(tmp_path):
    d = write_fake_legus_folder(tmp_path / "legus")
    tab = next(Path(d).glob("*ngc628-c*.tab"))
    _readme(tab)
    return Path(d), tab


def test_readme_cameras_are_kept_by_the_many_field_reader(folder):
    d, tab = folder
    fields = load_fields(d)[0]
    cams = fields["ngc628-c"].meta.get("cameras")
    assert cams == {"f275w": "wfc3/uvis", "f336w": "wfc3/uvis", "f435w": "acs/wfc", "f555w": "acs/wfc",
                    "f814w": "acs/wfc"}
    # a field without a readme: its WFC3-only file name states WFC3/UVIS for every band (io.legus.legus_cameras;
    # until 2026-12-07 none, and the filter-only offsets)
    assert set(fields["ngc1433"].meta["cameras"].values()) == {"wfc3/uvis"}


def test_mass_limits_of_an_acs_v_field_use_acs_offsets(folder):
    d, _ = folder
    fields = load_fields(d)[0]
    t = fields["ngc628-c"]
    lim = field_mv_limit(t)
    acs = mass_limit(8.0, lim, band="f555w", cameras={"f555w": "acs/wfc"})
    uvis = mass_limit(8.0, lim, band="f555w")
    assert abs((uvis - acs) - 0.4 * 0.024) < 1e-9  # the two offsets, -0.03 and -0.006
    c = field_mass_completeness({"ngc628-c": t})
    dm = 5 * np.log10(9.9e6 / 10)
    want = np.log10(mass_completeness(c["log_age"], lim + dm, 9.9, cameras={"f555w": "acs/wfc"},
                                      mass_kind="stellar").value)  # LEGUS's masses are stellar
    np.testing.assert_allclose(c["log_mass_limit"], want, atol=1e-9)
    # the slope's mass limit is the same ACS one (rounded to 2 decimals as the table prints it), in stellar mass
    s = field_mass_slopes({"ngc628-c": t})
    acs_stellar = mass_limit(8.0, lim, band="f555w", cameras={"f555w": "acs/wfc"}, mass_kind="stellar")
    assert float(s["log_mass_min"][0]) == round(acs_stellar, 2)
    m = np.asarray(t["mass"], float)
    age = np.asarray(t["age"], float)
    cls = np.asarray(t["class_ref"], int)
    sel = np.isin(cls, (1, 2)) & (age > 0) & (age < 1e8) & np.isfinite(m)
    assert int(s["n"][0]) == int(np.sum(m[sel] >= 10 ** acs_stellar))


def test_a_readme_naming_an_unknown_camera_states_none(tmp_path):
    from starclass.io.legus import readme_cameras

    tab = tmp_path / "x.tab"
    _readme(tab, [("WFC3", "F275W"), ("WFC3", "F336W"), ("WFPC2", "F439W"), ("ACS", "F555W"), ("ACS", "F814W")])
    assert readme_cameras(tab) is None
    assert readme_cameras(tmp_path / "none.tab") is None
