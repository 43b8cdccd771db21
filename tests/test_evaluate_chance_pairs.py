"""evaluate: two tables that hardly overlap (another field) are scored on their few pairs, with a warning."""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table

from starclass.evaluate.compare import pairing


def test_a_few_chance_pairs_are_scored_with_a_warning():
    rng = np.random.default_rng(0)
    pred = Table({"x": rng.uniform(0, 500, 60), "y": rng.uniform(0, 500, 60)})
    ref = Table({"x": rng.uniform(1000, 1500, 60), "y": rng.uniform(0, 500, 60)})  # another field...
    ref["x"][:3], ref["y"][:3] = pred["x"][:3] + 0.5, pred["y"][:3]  # ...but for three rows
    with pytest.warns(UserWarning, match=r"only 3 of the 60 rows of prediction \(5%\) pair .*chance coincidences"):
        ia, ib, _ = pairing(pred, ref, False, 2.0, ("prediction", "truth"))
    assert len(ia) >= 3
    import warnings

    with warnings.catch_warnings():  # the same field pairs nearly every row: nothing to say
        warnings.simplefilter("error")
        ia, _, _ = pairing(pred, pred, False, 2.0, ("prediction", "truth"))
    assert len(ia) == 60


def _fields(n_shared: int, n: int = 60):
    """A prediction and a truth of n rows on two different fields but for ``n_shared`` shared positions."""
    rng = np.random.default_rng(1)
    pred = Table({"id": np.arange(1, n + 1), "x": rng.uniform(0, 500, n), "y": rng.uniform(0, 500, n),
                  "class_pred": rng.integers(1, 3, n)})
    for k in (1, 2):
        pred[f"prob_{k}"] = (pred["class_pred"] == k).astype(float)
    ref = Table({"id": np.arange(1, n + 1), "x": rng.uniform(1000, 1500, n), "y": rng.uniform(0, 500, n),
                 "class_ref": rng.integers(1, 3, n)})
    ref["x"][:n_shared], ref["y"][:n_shared] = pred["x"][:n_shared] + 0.5, pred["y"][:n_shared]
    return pred, ref


def test_under_five_percent_paired_is_refused_naming_the_counts_unless_allowed():
    """2 chance pairs of 60 rows (another field's truth) were scored, accuracy and all, with a warning only."""
    from starclass.errors import StarclassError

    pred, ref = _fields(2)
    with pytest.raises(StarclassError) as err:
        pairing(pred, ref, False, 2.0, ("cand.ecsv", "truth.ecsv"))
    msg = str(err.value)
    assert "only 2 of the 60 rows of cand.ecsv (3.3%, under 5%)" in msg
    assert "cand.ecsv: 60 rows, truth.ecsv: 60 rows" in msg and "nothing was scored" in msg
    assert "--allow-few-matches" in msg
    # allowed: scored, still with the warning that the pairs may be chance
    with pytest.warns(UserWarning, match=r"only 2 of the 60 rows of cand.ecsv \(3%\) pair"):
        ia, ib, _ = pairing(pred, ref, False, 2.0, ("cand.ecsv", "truth.ecsv"), allow_few=True)
    assert sorted(ia.tolist()) == [0, 1] and sorted(ib.tolist()) == [0, 1]


def test_cli_evaluate_exits_2_writing_nothing_and_scores_with_allow_few_matches(tmp_path):
    from typer.testing import CliRunner

    from starclass.cli import app

    pred, ref = _fields(2)
    pred.write(tmp_path / "pred.ecsv")
    ref.write(tmp_path / "truth.ecsv")
    args = ["evaluate", str(tmp_path / "pred.ecsv"), "-r", str(tmp_path / "truth.ecsv"), "--task", "m31-binary",
            "--bootstrap", "0", "--no-science", "-o", str(tmp_path / "ev")]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 2, res.output
    assert "only 2 of the 60 rows" in res.output and "--allow-few-matches" in res.output
    assert "Traceback" not in res.output and not (tmp_path / "ev").exists()
    res = CliRunner().invoke(app, [*args, "--allow-few-matches"])
    assert res.exit_code == 0, res.output
    assert "2 objects paired one-to-one" in res.output and (tmp_path / "ev" / "summary.json").is_file()
    # report refuses the same way, before anything is written
    res = CliRunner().invoke(app, ["report", str(tmp_path / "pred.ecsv"), "-r", str(tmp_path / "truth.ecsv"),
                                   "--task", "m31-binary", "--bootstrap", "0", "-o", str(tmp_path / "rep" / "r.html")])
    assert res.exit_code == 2 and "only 2 of the 60 rows" in res.output and not (tmp_path / "rep").exists()
    # --catalogs pairs nothing by position: the option is refused there rather than ignored
    res = CliRunner().invoke(app, ["evaluate", "--catalogs", str(tmp_path), "--allow-few-matches",
                                   "-o", str(tmp_path / "many")])
    assert res.exit_code == 2 and "--allow-few-matches applies to one classified catalogue" in res.output


def test_report_with_a_model_refuses_few_pairs_before_touching_the_model(tmp_path, monkeypatch):
    """report --model prepared the Grad-CAM inputs (torch, the model, every stamp: minutes) before the
    evaluation refused a reference pairing under 5% of the rows. The refusal now comes first: the model
    here cannot be loaded (a damaged manifest) and the Grad-CAM functions are replaced by ones that fail."""
    from typer.testing import CliRunner

    import starclass.science.gradcam as gradcam
    from starclass.cli import app
    from starclass.io.mosaic import write_mosaic

    touched = []

    def must_not_run(*args, **kwargs):
        touched.append(args)
        raise AssertionError("the Grad-CAM inputs were prepared before the evaluation")

    monkeypatch.setattr(gradcam, "gradcam_inputs", must_not_run)
    monkeypatch.setattr(gradcam, "cutout_gradcam_inputs", must_not_run)
    model = tmp_path / "model"
    model.mkdir()
    (model / "manifest.json").write_text("{ not json")
    for band in ("f555w", "f814w"):
        write_mosaic(tmp_path / "mosaics" / f"m_{band}.fits", np.ones((600, 1600), np.float32), band, None,
                     photflam=1e-19, photplam=5000.0)
    pred, ref = _fields(2)
    pred.write(tmp_path / "pred.ecsv")
    ref.write(tmp_path / "truth.ecsv")
    args = ["report", str(tmp_path / "pred.ecsv"), "-r", str(tmp_path / "truth.ecsv"), "--task", "m31-binary",
            "--bootstrap", "0", "--model", str(model), "--mosaics", str(tmp_path / "mosaics"),
            "-o", str(tmp_path / "rep" / "r.html")]
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 2, res.output
    assert "only 2 of the 60 rows" in res.output and "--allow-few-matches" in res.output
    assert touched == [] and not (tmp_path / "rep").exists()
    # past the evaluation (--allow-few-matches) the Grad-CAM inputs are made, as before
    res = CliRunner().invoke(app, [*args, "--allow-few-matches"])
    assert len(touched) == 1 and not (tmp_path / "rep" / "r.html").exists()
