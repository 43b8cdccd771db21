"""``starclass simulate`` end to end on a small field."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from starclass.cli import app


def test_simulate_cli_end_to_end(tmp_path):
    out = tmp_path / "field"
    r = CliRunner().invoke(app, ["simulate", str(out), "--seed", "3", "--size", "256", "--n-candidates", "60",
                                 "--png", "--gallery", "--quiet"])
    assert r.exit_code == 0, r.output
    for b in ("f275w", "f336w", "f438w", "f555w", "f814w"):
        assert (out / f"SIM-1-s3_{b}.fits").exists()  # seed 3: the preset's name and -s3
    for name in ("truth.ecsv", "humans.ecsv", "simulation.json", "composite.png", "gallery.png"):
        assert (out / name).stat().st_size > 0, name
    from astropy.io import fits
    from astropy.table import Table

    hdr = fits.getheader(out / "SIM-1-s3_f555w.fits")
    assert hdr["FILTER"] == "F555W" and hdr["PHOTFLAM"] > 0 and hdr["BUNIT"] == "ELECTRONS/S"
    assert hdr["CTYPE1"].startswith("RA---TAN")
    truth = Table.read(out / "truth.ecsv")
    assert len(truth) == 60
    meta = json.loads((out / "simulation.json").read_text())
    assert meta["config"]["seed"] == 3
    # the same command twice gives the same pixels
    out2 = tmp_path / "again"
    r2 = CliRunner().invoke(app, ["simulate", str(out2), "--seed", "3", "--size", "256", "--n-candidates", "60",
                                  "--quiet"])
    assert r2.exit_code == 0, r2.output
    a = fits.getdata(out / "SIM-1-s3_f555w.fits")
    b = fits.getdata(out2 / "SIM-1-s3_f555w.fits")
    np.testing.assert_array_equal(a, b)


def test_simulate_seeds_are_different_galaxies_on_different_sky(tmp_path):
    """Fields of seeds 1 and 2 were both galaxy 'SIM-1' at one centre: one galaxy to --split galaxy
    (refused, naming only ['SIM-1']) and to --cv logo, and one patch of sky to a catalogue match.
    Now each seed has its own name and centre, seed 0 keeps the preset's, --galaxy still names the
    field, and the same seed still gives byte-identical files."""
    from astropy.coordinates import SkyCoord
    from astropy.io import fits
    from astropy.table import Table

    from starclass.learn.splits import galaxy_split

    common = ["--size", "64", "--n-candidates", "8", "--bands", "f555w", "--quiet"]
    for name, extra in (("s0", ["--seed", "0"]), ("s1", ["--seed", "1"]), ("s2", ["--seed", "2"]),
                        ("s2b", ["--seed", "2"]), ("named", ["--seed", "2", "--galaxy", "NGC-X"])):
        r = CliRunner().invoke(app, ["simulate", str(tmp_path / name), *extra, *common])
        assert r.exit_code == 0, r.output
    truth = {k: Table.read(tmp_path / k / "truth.ecsv") for k in ("s0", "s1", "s2", "named")}
    assert {k: t["galaxy"][0] for k, t in truth.items()} == {"s0": "SIM-1", "s1": "SIM-1-s1", "s2": "SIM-1-s2",
                                                            "named": "NGC-X"}
    assert fits.getheader(tmp_path / "s1" / "SIM-1-s1_f555w.fits")["TARGNAME"] == "SIM-1-s1"
    # on the sky: the seeds' field centres (CRVAL) at least a field's width apart
    band = {k: next((tmp_path / k).glob("*_f555w.fits")) for k in truth}
    centre = {k: SkyCoord(*(fits.getheader(p)[c] for c in ("CRVAL1", "CRVAL2")), unit="deg") for k, p in band.items()}
    width = 64 * 0.04  # arcsec: 64 px of 0.04"
    for a, b in (("s0", "s1"), ("s1", "s2"), ("s0", "s2")):
        assert centre[a].separation(centre[b]).arcsec > width, (a, b)
    assert centre["named"].separation(centre["s2"]).arcsec < 1e-6  # --galaxy renames, the seed places
    # the two seeds' catalogues are now two galaxies to a leave-one-galaxy-out split
    gal = np.concatenate([truth["s1"]["galaxy"], truth["s2"]["galaxy"]])
    train, val = galaxy_split(gal, "SIM-1-s2")
    assert len(val) == 8 and set(gal[train]) == {"SIM-1-s1"}
    # reproducible: the same seed gives the same bytes, file for file
    files = sorted(p.name for p in (tmp_path / "s2").iterdir())
    assert files == sorted(p.name for p in (tmp_path / "s2b").iterdir())
    for f in files:
        assert (tmp_path / "s2" / f).read_bytes() == (tmp_path / "s2b" / f).read_bytes(), f


def test_simulate_cli_ground_preset_and_bad_input(tmp_path):
    r = CliRunner().invoke(app, ["simulate", str(tmp_path / "m31"), "--preset", "m31", "--size", "128",
                                 "--n-candidates", "20", "--quiet"])
    assert r.exit_code == 0, r.output
    assert (tmp_path / "m31" / "SIM-M31_g.fits").exists() and (tmp_path / "m31" / "SIM-M31_i.fits").exists()
    bad = CliRunner().invoke(app, ["simulate", str(tmp_path / "x"), "--bands", "f555w,zz", "--quiet"])
    assert bad.exit_code == 2
    assert "zz" in bad.output
    assert not (tmp_path / "x").exists() or not any((tmp_path / "x").iterdir())


def test_unknown_preset_lists_every_preset_the_help_names(tmp_path):
    """The message listed the field presets only: pandas-cutouts and the seed papers' folders were missing."""
    from starclass.simulate.config import PRESETS
    from starclass.simulate.cutouts_m31 import CUTOUT_PRESETS
    from starclass.simulate.seed_presets import SEED_PRESETS

    r = CliRunner().invoke(app, ["simulate", str(tmp_path / "x"), "--preset", "nope", "--quiet"])
    assert r.exit_code == 2 and "'nope'" in r.output and "Traceback" not in r.output
    help_text = CliRunner().invoke(app, ["simulate", "--help"]).output
    for name in (*PRESETS, *CUTOUT_PRESETS, *SEED_PRESETS):
        assert name in help_text  # the help names it ...
        assert name in r.output, name  # ... and so does the message
    assert not (tmp_path / "x").exists()


def test_zero_candidates_is_refused_naming_the_option(tmp_path):
    """``--n-candidates 0`` wrote an empty truth.ecsv that detect --truth, cutouts and train then refused."""
    out = tmp_path / "empty"
    r = CliRunner().invoke(app, ["simulate", str(out), "--size", "64", "--n-candidates", "0", "--quiet"])
    assert r.exit_code == 2, r.output
    assert "--n-candidates" in r.output and "Traceback" not in r.output
    assert not out.exists() or not any(out.iterdir())


def test_zero_candidates_is_refused_by_the_config():
    """The Python API refuses it too, before any rendering."""
    import pytest

    from starclass.errors import StarclassError
    from starclass.simulate import preset

    with pytest.raises(StarclassError, match="n_candidates must be >= 1"):
        preset("hst", shape=(64, 64), n_candidates=0)


def test_n_with_a_field_preset_names_every_cutout_preset(tmp_path):
    # the refusal said "--n applies to --preset pandas-cutouts only", although cool-core,
    # galaxy-cluster and open-globular take --n too
    r = CliRunner().invoke(app, ["simulate", str(tmp_path / "f"), "--preset", "m31", "--n", "20", "--quiet"])
    assert r.exit_code == 2
    for name in ("pandas-cutouts", "cool-core", "galaxy-cluster", "open-globular", "--n-candidates"):
        assert name in r.output, (name, r.output)
    assert not (tmp_path / "f").exists()


@pytest.mark.parametrize("preset", ["pandas-cutouts", "cool-core"])
def test_n_candidates_with_a_cutout_preset_points_to_n(tmp_path, preset):
    # --n with a field points to --n-candidates (8995f18); the reverse said "--preset cool-core writes labelled
    # cutouts; --n-candidates apply to fields only" (pandas-cutouts: "writes cutouts") without naming --n
    r = CliRunner().invoke(app, ["simulate", str(tmp_path / "f"), "--preset", preset, "--n-candidates", "20",
                                 "--quiet"])
    assert r.exit_code == 2, r.output
    text = " ".join(r.output.split())
    assert f"--preset {preset} writes a labelled cutout folder: --n-candidates applies to the field presets only; " \
           "give the number of cutouts with --n" in text, text
    assert not (tmp_path / "f").exists()
