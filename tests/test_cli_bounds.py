"""Out-of-range options are refused by name before any work (issue 13, points 12-13)."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()


@pytest.mark.parametrize("args, option", [
    (["cutouts", "m.fits", "--catalog", "c.ecsv", "-o", "s.h5", "--size", "0"], "--size"),
    (["cutouts", "m.fits", "--catalog", "c.ecsv", "-o", "s.h5", "--size", "-8"], "--size"),
    (["cutouts", "m.fits", "--catalog", "c.ecsv", "-o", "s.h5", "--size", "100000"], "--size"),
    (["detect", "m.fits", "-o", "c.ecsv", "--aperture-radius", "1000"], "--aperture-radius"),
    (["detect", "m.fits", "-o", "c.ecsv", "--box-size", "0"], "--box-size"),
    (["evaluate", "p.ecsv", "--target-purity", "7"], "--target-purity"),
    (["evaluate", "p.ecsv", "--bootstrap", "-1"], "--bootstrap"),
    # report took -3 silently (no resample ran; the intervals were left empty)
    (["report", "p.ecsv", "--bootstrap", "-3"], "--bootstrap"),
    (["inspect", ".", "--port", "99999"], "--port"),
    (["inspect", ".", "--star-fwhm", "-1"], "--star-fwhm"),
    # inf passed min=0.1: the page was served with a typical star of infinite FWHM (2026-12-05)
    (["inspect", ".", "--star-fwhm", "inf"], "--star-fwhm"),
    (["inspect", ".", "--star-fwhm", "nan"], "--star-fwhm"),
    # a negative --seed: numpy's generators refuse it, with a traceback after the data were read
    # (train), after both fields were simulated (demo), or when stamps were drawn (explain)
    (["train", "-m", "m.fits", "-c", "c.ecsv", "-o", "m", "--seed", "-1"], "--seed"),
    (["demo", "-o", "d", "--size", "256", "--n-candidates", "40", "--epochs", "1", "--seed", "-1"], "--seed"),
    # demo --epochs 0 was refused by training, after both fields were simulated and measured (2026-12-05)
    (["demo", "-o", "d", "--size", "256", "--n-candidates", "40", "--epochs", "0"], "--epochs"),
    (["explain", "m", "s.h5", "-o", "x", "--seed", "-1"], "--seed"),
    # 10**8 resamples ran for days (about 5 ms each for 200 objects); 10000 is far more than a 95% interval needs
    (["evaluate", "p.ecsv", "--bootstrap", "100000000"], "--bootstrap"),
    (["report", "p.ecsv", "--bootstrap", "10001"], "--bootstrap"),
])
def test_out_of_range_option_is_named(args, option, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(app, args)
    assert r.exit_code == 2, r.output
    assert "Invalid value" in r.output and option in r.output
    assert "Traceback" not in r.output
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_cutouts_store_must_be_named_as_hdf5(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "c.ecsv").write_text("x y\n1 2\n")
    r = runner.invoke(app, ["cutouts", "m.fits", "--catalog", "c.ecsv", "-o", "x.txt"])
    assert r.exit_code == 2 and "--output" in r.output and ".h5" in r.output
    assert not (tmp_path / "x.txt").exists()


def test_demo_with_an_unknown_task_fails_before_any_work(tmp_path):
    out = tmp_path / "demo"
    r = runner.invoke(app, ["demo", "-o", str(out), "--task", "nosuch"])
    assert r.exit_code == 2 and "nosuch" in r.output and "Traceback" not in r.output
    assert not out.exists()


def test_detect_output_with_an_unknown_extension_fails_before_detection(tmp_path, monkeypatch):
    from conftest import write_toy_mosaics  # tests/ is on sys.path under pytest

    monkeypatch.chdir(tmp_path)
    write_toy_mosaics(tmp_path)
    r = runner.invoke(app, ["detect", "toy_f555w.fits", "toy_f814w.fits", "-o", "cands.txt", "--no-progress"])
    assert r.exit_code == 2 and "cands.txt" in r.output and ".ecsv" in r.output
    # nothing was measured: the message is the format's, not a detection's
    assert "candidates" not in r.output.lower().replace("cands.txt", "")
    assert not (tmp_path / "cands.txt").exists()


@pytest.mark.parametrize("option, value", [("--crowding-radius", "-3"), ("--crowding-radius", "0"),
                                           ("--fwhm", "0"), ("--threshold", "-1"), ("--fwhm", "nan"),
                                           # no candidate can pass: an empty catalogue was written, exit 0
                                           ("--ci-min", "2 --ci-max 1")])
def test_detect_refuses_a_non_positive_radius_fwhm_or_threshold(option, value, tmp_path, monkeypatch):
    """--crowding-radius -3 was accepted: a crowding column counted within |r| (0-2 instead of 0-6)."""
    from conftest import write_toy_mosaics  # tests/ is on sys.path under pytest

    monkeypatch.chdir(tmp_path)
    write_toy_mosaics(tmp_path)
    r = runner.invoke(app, ["detect", "toy_f555w.fits", "toy_f814w.fits", "-o", "cands.ecsv", "--no-progress",
                            option, *value.split()])
    assert r.exit_code == 2 and option in r.output and "Traceback" not in r.output, r.output
    assert not (tmp_path / "cands.ecsv").exists()


def test_detect_positions_off_the_image_name_the_file(tmp_path, monkeypatch):
    """measure() named the catalogue "table": "error: table: positions off the 96 x 96 image ..."."""
    from conftest import write_toy_mosaics  # tests/ is on sys.path under pytest
    from starclass.io.catalog import write_catalog

    monkeypatch.chdir(tmp_path)
    write_toy_mosaics(tmp_path)
    from astropy.table import Table

    # one row off: warned of by id and kept unmeasured (refused until 2026-12-06)
    write_catalog(Table({"id": [7, 8], "x": [40.0, 400.0], "y": [40.0, 30.0]}), tmp_path / "given.ecsv")
    r = runner.invoke(app, ["detect", "toy_f555w.fits", "toy_f814w.fits", "-o", "cands.ecsv", "--no-progress",
                            "--positions", "given.ecsv"])
    said = " ".join(r.output.split())
    assert r.exit_code == 0 and "--positions given.ecsv: 1 of 2 candidates lies outside" in said and "ids 8" in said
    assert "table:" not in said and "Traceback" not in said
    # every row off: refused, named by the option and file
    write_catalog(Table({"id": [7, 8], "x": [400.0, 400.0], "y": [40.0, 30.0]}), tmp_path / "other.ecsv")
    r = runner.invoke(app, ["detect", "toy_f555w.fits", "toy_f814w.fits", "-o", "other_cands.ecsv", "--no-progress",
                            "--positions", "other.ecsv"])
    said = " ".join(r.output.split())
    assert r.exit_code == 2 and "--positions other.ecsv: 2 of 2 candidates lie outside" in said, said
    assert "table:" not in said and "Traceback" not in said
    assert not (tmp_path / "other_cands.ecsv").exists()


def test_detect_quiet_turns_progress_and_notes_off_like_simulate(tmp_path, monkeypatch):
    """simulate took --quiet and detect refused it ("No such option: --quiet")."""
    from astropy.table import Table

    from conftest import write_toy_mosaics  # tests/ is on sys.path under pytest
    from starclass.io.catalog import write_catalog

    monkeypatch.chdir(tmp_path)
    # no data under the second position's aperture: a "note:" line
    write_toy_mosaics(tmp_path, nan_box=(slice(38, 42), slice(60, 64)))
    write_catalog(Table({"id": [7, 8], "x": [40.0, 61.0], "y": [40.0, 40.0]}), tmp_path / "given.ecsv")
    args = ["detect", "toy_f555w.fits", "toy_f814w.fits", "--positions", "given.ecsv"]
    loud = runner.invoke(app, [*args, "-o", "loud.ecsv", "--no-progress"])
    assert loud.exit_code == 0 and "note:" in loud.output, loud.output
    r = runner.invoke(app, [*args, "-o", "quiet.ecsv", "--quiet"])
    assert r.exit_code == 0, r.output
    assert "note:" not in r.output and "measured 2 positions" in r.output
    assert (tmp_path / "quiet.ecsv").exists()


def test_quiet_means_the_same_in_detect_and_simulate():
    """simulate's --quiet was the off switch of --progress ("Show progress bars") while detect's also hid the
    notes; one option now, and both have --no-progress for bars off with the notes kept."""
    import typer

    helps = {}
    for name in ("detect", "simulate"):
        cmd = typer.main.get_command(app).commands[name]
        opts = {o: p for p in cmd.params for o in (*p.opts, *getattr(p, "secondary_opts", ()))}
        assert "--no-progress" in opts, name
        helps[name] = opts["--quiet"].help
    assert helps["detect"] == helps["simulate"] and "no notes" in helps["simulate"]


def test_explain_takes_mosaics_given_to_its_minus_m_as_a_method_and_says_so(tmp_path, monkeypatch):
    # -m is --mosaics in train, report and suggest but --method in explain: 'explain M S -m mosaics/'
    # loaded the model and read the stamps, then said only "--method mosaics: use any of ..."
    monkeypatch.chdir(tmp_path)
    (tmp_path / "mosaics").mkdir()
    r = runner.invoke(app, ["explain", "model", "stamps.h5", "-o", "x", "-m", "mosaics"])
    assert r.exit_code == 2, r.output
    assert "--method mosaics: use any of gradcam" in r.output and "-m is --method in explain" in r.output
    assert "Traceback" not in r.output and not (tmp_path / "x").exists()
    r = runner.invoke(app, ["explain", "model", "stamps.h5", "-o", "x", "-m", "gradcm"])
    assert r.exit_code == 2 and "--method gradcm: use any of" in r.output and "-m is" not in r.output, r.output


@pytest.mark.parametrize("seeds", ["-1", "[0, -2]"])
def test_a_negative_seed_in_a_task_file_or_python_is_refused_as_train_seed_is(seeds, tmp_path):
    # train --seed -1 is refused (min=0), but recipe: {seeds: -1} in a task file, or CNNClassifier(seed=-1),
    # reached numpy: 'ValueError: Seed must be between 0 and 2**32 - 1' traceback once the data were read
    import numpy as np

    from starclass.errors import StarclassError
    from starclass.learn.estimator import CNNClassifier

    task = tmp_path / "neg.yaml"
    task.write_text(f"extends: m31-real\nname: neg\nrecipe: {{epochs: 1, seeds: {seeds}}}\n")
    cuts = tmp_path / "cuts"
    cuts.mkdir()
    rng = np.random.default_rng(0)
    for i in range(4):
        np.save(cuts / f"c{i}.npy", rng.normal(size=(128, 128)).astype(np.float32))
    (cuts / "labels.csv").write_text("file,label\n" + "".join(f"c{i}.npy,{('cluster', 'galaxy')[i % 2]}\n"
                                                              for i in range(4)))
    r = CliRunner().invoke(app, ["train", "--task", str(task), "--stamps", str(cuts / "labels.csv"),
                                 "-o", str(tmp_path / "m")])
    assert r.exit_code == 2 and r.exception is not None and isinstance(r.exception, SystemExit), r.output
    assert f"recipe.seeds={eval(seeds)!r}: each seed must be a whole number >= 0" in r.output, r.output
    assert not (tmp_path / "m").exists()
    x = rng.normal(size=(4, 1, 128, 128)).astype(np.float32)
    with pytest.raises(StarclassError, match=r"recipe.seeds=-1: each seed must be a whole number >= 0"):
        CNNClassifier("m31-real", epochs=1, device="cpu", seed=-1).fit(x, np.array([1, 2, 1, 2]))


def test_a_negative_seed_is_refused_by_the_python_explain_and_demo_before_any_work(tmp_path):
    # explain --seed and demo --seed refuse -1 (5dc3cc9); explain(..., seed=-1) in Python reached numpy's
    # 'ValueError: expected non-negative integer' once the model and stamps were read, run_demo(seed=-1)
    # simulated both fields before training refused it
    from starclass.errors import StarclassError
    from starclass.explain.run import explain
    from starclass.pipeline import run_demo

    with pytest.raises(StarclassError, match=r"--seed \(seed= in Python\) must be >= 0, got -1"):
        explain(tmp_path / "absent", tmp_path / "absent.h5", tmp_path / "ex", seed=-1)
    with pytest.raises(StarclassError, match=r"seed \(--seed\) must be >= 0, got -1"):
        run_demo(tmp_path / "demo", seed=-1, size=64, n_candidates=5, epochs=1, progress=False)
    with pytest.raises(StarclassError, match=r"epochs \(--epochs\) must be >= 1, got 0"):
        run_demo(tmp_path / "demo", size=64, n_candidates=5, epochs=0, progress=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_whole_float_seed_in_a_task_file_is_still_taken():
    # guard for 6c46d51's check: 'seeds: 2.0' worked before (member_seed's int()) and must not be refused
    from starclass.errors import StarclassError
    from starclass.learn.config import TrainRecipe

    assert TrainRecipe(seeds=2.0).member_seed(1) == 3 and TrainRecipe(seeds=[0, 3.0]).member_seed(1) == 3
    with pytest.raises(StarclassError, match=r"recipe.seeds=2.5: each seed must be a whole number >= 0"):
        TrainRecipe(seeds=2.5)


@pytest.mark.parametrize("command", ["evaluate", "report"])
@pytest.mark.parametrize("radius", ["1e308", "50.5", "inf"])
def test_a_matching_radius_beyond_50_px_is_refused_with_its_range(command, radius, tmp_path, monkeypatch):
    """evaluate --radius 1e308 exited 0, every object paired with an unrelated one (2026-12-05)."""
    monkeypatch.chdir(tmp_path)
    r = runner.invoke(app, [command, "p.ecsv", "--radius", radius])
    assert r.exit_code == 2 and "Traceback" not in r.output, r.output
    assert "--radius must be a positive number of pixels, at most 50, got" in " ".join(r.output.split()), r.output
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_matching_radius_of_50_px_is_still_taken(tmp_path):
    from starclass.cli._app import check_radius

    check_radius(50.0)
    check_radius(0.5)


def _toy_field(tmp_path, monkeypatch):
    from astropy.table import Table

    from conftest import write_toy_mosaics  # tests/ is on sys.path under pytest

    monkeypatch.chdir(tmp_path)
    write_toy_mosaics(tmp_path)
    Table({"id": [1, 2], "x": [40.0, 20.0], "y": [40.0, 60.0]}).write("c.ecsv")
    return sorted(p.name for p in tmp_path.iterdir())


@pytest.mark.parametrize("extra, says", [
    # a store of two identical channels, exit 0
    (["--bands", "f555w,F555W"], "--bands names band f555w twice (f555w,F555W); give each band once"),
    # 10**(-0.4 * (m - zp)) overflowed: stamps of 0 and NaN, exit 0 with a RuntimeWarning
    (["--normalisation", "flux", "--softening-mag", "-1e308"], "--softening-mag must be a magnitude in 0-50"),
    (["--normalisation", "flux", "--softening-mag", "51"], "--softening-mag must be a magnitude in 0-50"),
    (["--task", "legus4-compact", "--normalisation", "flux", "--softening-mag", "-1"],
     "--softening-mag must be a magnitude in 0-50"),
])
def test_cutouts_refuses_a_band_twice_and_a_softening_out_of_range(extra, says, tmp_path, monkeypatch):
    before = _toy_field(tmp_path, monkeypatch)
    r = runner.invoke(app, ["cutouts", "toy_f555w.fits", "toy_f814w.fits", "--catalog", "c.ecsv", "-o", "s.h5",
                            "--no-progress", *extra])
    assert r.exit_code == 2 and "Traceback" not in r.output, r.output
    assert says in " ".join(r.output.split()), r.output
    assert sorted(p.name for p in tmp_path.iterdir()) == before  # nothing written


def test_cutouts_takes_a_softening_in_range(tmp_path, monkeypatch):
    _toy_field(tmp_path, monkeypatch)
    r = runner.invoke(app, ["cutouts", "toy_f555w.fits", "toy_f814w.fits", "--catalog", "c.ecsv", "-o", "s.h5",
                            "--no-progress", "--normalisation", "flux", "--softening-mag", "28", "--size", "16"])
    assert r.exit_code == 0 and (tmp_path / "s.h5").exists(), r.output


def test_detect_refuses_a_band_twice(tmp_path, monkeypatch):
    """detect --bands f555w,f555w measured the band twice, exit 0."""
    before = _toy_field(tmp_path, monkeypatch)
    r = runner.invoke(app, ["detect", "toy_f555w.fits", "toy_f814w.fits", "-o", "d.ecsv", "--no-progress",
                            "--bands", "f555w,f814w,f555w"])
    assert r.exit_code == 2 and "--bands names band f555w twice" in r.output, r.output
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_a_task_softening_out_of_range_is_refused_naming_the_key():
    from starclass.errors import StarclassError
    from starclass.learn.config import get_preset

    assert get_preset("legus4", softening_mag=28.5).softening_mag == 28.5
    for bad in (-1e308, 99, float("inf")):
        with pytest.raises(StarclassError, match=r"softening_mag=.*; use a magnitude in 0-50"):
            get_preset("legus4", softening_mag=bad)


def test_suggest_says_how_many_magnitude_bins_it_spread_over(tmp_path):
    """suggest --mag-bins 10000 on 244 candidates said "spread over 10000 bins": 9800 got no suggestion."""
    import numpy as np
    from astropy.table import Table

    from starclass.io.catalog import read_catalog, write_catalog
    from starclass.learn.checkpoint import write_untrained_model
    from starclass.learn.config import get_preset

    model = write_untrained_model(tmp_path / "m", get_preset("m31-binary-compact"), seed=0)
    rng = np.random.default_rng(0)
    p1 = rng.uniform(0.05, 0.95, 244)
    cand = Table({"id": np.arange(1, 245), "x": np.arange(244.0), "y": np.arange(244.0), "prob_1": p1,
                  "prob_2": 1 - p1, "class_pred": np.where(p1 > 0.5, 1, 2), "mag_g": rng.uniform(18, 24, 244)})
    cand.meta.update({"model": str(model), "task": "m31-binary-compact"})
    write_catalog(cand, tmp_path / "cand.ecsv")
    base = ["suggest", str(model), str(tmp_path / "cand.ecsv"), "--mag-column", "mag_g"]
    r = runner.invoke(app, [*base, "-o", str(tmp_path / "s.ecsv"), "--mag-bins", "10000"])
    out = " ".join(r.output.split())
    assert r.exit_code == 0, r.output
    assert ("spread over 200 bins of mag_g (--mag-bins 10000 capped at 200: a bin needs a suggestion and a "
            "candidate with a magnitude)") in out, out
    assert "10000 bins" not in out
    meta = read_catalog(tmp_path / "s.ecsv").meta["suggest"]
    assert meta["bins"] == 200 and meta["asked_bins"] == 10000
    r = runner.invoke(app, [*base, "-o", str(tmp_path / "s5.ecsv")])
    assert r.exit_code == 0 and "spread over 5 bins of mag_g; written" in " ".join(r.output.split()), r.output
    r = runner.invoke(app, [*base, "-o", str(tmp_path / "s1.ecsv"), "-n", "1"])
    assert "not spread over mag_g (--mag-bins 5, but one suggestion is not spread)" in " ".join(r.output.split())


def test_pick_spreads_over_no_more_bins_than_suggestions():
    """Three suggestions over five quantile bins took the best of the three brightest fifths only."""
    import numpy as np

    from starclass.suggest.pick import pick

    mags = np.arange(10.0)  # one candidate a magnitude, 0 (bright) to 9 (faint)
    scores = np.array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10.0])  # the faintest are the most informative
    rows = sorted(pick(scores, 3, mags=mags, bins=5).tolist())
    # thirds of the magnitude range, the best (faintest) of each: 0-2 -> 2, 3-5 -> 5, 6-9 -> 9
    assert rows == [2, 5, 9], rows
