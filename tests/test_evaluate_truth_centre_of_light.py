"""evaluate and report pair a simulated truth as the demo does, and a reference of ids alone by id.

* ``starclass demo`` (step 5), ``detect --truth`` and ``survey`` find a simulated true object by a detection
  at its position *or* at its centre of light (``x_light``, ``y_light``: a cluster with a bright off-centre
  star is detected as one blend there, up to 3 px from its body; :func:`starclass.detect.match.match_truth`).
  ``evaluate -r truth.ecsv`` and ``report`` matched at the position only: the demo's field of 60 objects
  paired 60 in the demo and 58 in ``evaluate``, and the two scores differed. They now use ``match_truth``
  too, on the pixels and on the sky, and say so in the pairing line.
* A reference of ids and classes only (``id,class_ref``) was refused for lacking ``x``; it is paired by id
  now, and a reference with neither positions nor ids is refused naming the file and the columns it needs.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from astropy.wcs import WCS
from typer.testing import CliRunner

from starclass.cli import app
from starclass.detect.match import match_truth
from starclass.errors import StarclassError
from starclass.evaluate.compare import evaluate_catalogs, pairing
from starclass.io.catalog import write_catalog

runner = CliRunner()

#: The objects detected at their centre of light, 2.6 px from their position (outside the 2 px radius).
BLENDS = (3, 11)


def _wcs() -> WCS:
    w = WCS(naxis=2)
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    w.wcs.crval = [24.17, 15.78]
    w.wcs.crpix = [100.0, 100.0]
    w.wcs.cdelt = [-0.04 / 3600, 0.04 / 3600]  # HST-like 0.04"/px
    return w


def _field(n: int = 20, sky: bool = False, seed: int = 3) -> tuple[Table, Table]:
    """A simulated truth of ``n`` objects and a classified catalogue of their detections (every class right).

    Each object is detected 0-0.5 px from its position, except :data:`BLENDS`: detected at their centre of
    light, 2.6 px away. With ``sky`` both tables get ``ra``, ``dec`` through one WCS (the demo's tables do).
    """
    rng = np.random.default_rng(seed)
    # far apart so that no detection is within 2 px of another object
    xy = np.column_stack([np.arange(n) % 5 * 40.0 + 15, np.arange(n) // 5 * 40.0 + 15]) + rng.uniform(-3, 3, (n, 2))
    light = xy.copy()
    light[list(BLENDS), 0] += 2.6
    cls = rng.integers(1, 5, n)
    truth = Table({"id": np.arange(1, n + 1), "x": xy[:, 0], "y": xy[:, 1], "class_ref": cls,
                   "x_light": light[:, 0], "y_light": light[:, 1]})
    det = light + rng.uniform(-0.35, 0.35, (n, 2))
    order = rng.permutation(n)  # another order than the truth's, as a detection's
    probs = np.eye(4)[cls - 1][order] * 0.7 + 0.075
    cat = Table({"id": np.arange(1, n + 1), "x": det[order, 0], "y": det[order, 1], "class_pred": cls[order],
                 **{f"prob_{k}": probs[:, k - 1] for k in (1, 2, 3, 4)}})
    if sky:
        for t in (truth, cat):
            t["ra"], t["dec"] = _wcs().wcs_pix2world(t["x"], t["y"], 0)
    return cat, truth


@pytest.mark.parametrize("sky", [False, True], ids=["pixels", "sky"])
def test_evaluate_pairs_a_simulated_truth_as_the_demo_does(sky):
    """Every object is paired, the blends at their centre of light, the very pairs of the demo's match_truth."""
    cat, truth = _field(sky=sky)
    ia, ib, rule = pairing(cat, truth, False, 2.0, ("classified", "truth"))
    it, ic, _ = match_truth(truth, cat, radius=2.0)  # the demo's step 5 (on the pixels)
    assert sorted(zip(ib.tolist(), ia.tolist())) == sorted(zip(it.tolist(), ic.tolist()))
    assert len(ia) == len(truth), rule  # matched at the position only, the two blends were left out
    assert "centre of light" in rule and f"{len(BLENDS)} found at the centre of light alone" in rule, rule
    assert rule.startswith("one-to-one within 2.0 px " + ("on the sky (ra, dec)" if sky else "on the pixels (x, y)"))
    # the classes of each pair are the object's own: every class right
    np.testing.assert_array_equal(np.asarray(cat["class_pred"])[ia], np.asarray(truth["class_ref"])[ib])


def test_the_report_names_the_centre_of_light_rule():
    """report's Catalogues section said only "one-to-one matched intersection" of such a match."""
    from starclass.report.build import pairing_sentence

    cat, truth = _field(sky=True)
    ev = evaluate_catalogs(cat, {"truth": truth}, task="legus4", n_boot=0)
    (comp,) = ev.comparisons
    assert comp.n_paired == len(truth) and set(comp.accuracies().values()) == {1.0}, comp.accuracies()
    assert "truth's position or centre of light" in pairing_sentence(ev), pairing_sentence(ev)


def test_cli_evaluate_counts_the_blends_and_says_the_rule(tmp_path):
    cat, truth = _field(sky=True)
    write_catalog(cat, tmp_path / "classified.ecsv")
    write_catalog(truth, tmp_path / "truth.ecsv")
    res = runner.invoke(app, ["evaluate", str(tmp_path / "classified.ecsv"), "-r", str(tmp_path / "truth.ecsv"),
                              "--bootstrap", "0", "--task", "legus4", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    n = len(truth)
    assert (f"{n} objects paired one-to-one within 2.0 px on the sky (ra, dec) of truth's position or centre of "
            f"light (x_light, y_light: {len(BLENDS)} found at the centre of light alone), {n} classified in both"
            ) in res.output, res.output
    assert "4class: accuracy 1.000" in res.output, res.output


def test_a_truth_whose_light_cannot_go_on_the_sky_is_matched_at_its_positions_and_says_so():
    """ra, dec without x, y (nothing to fit a WCS to): the position only, and the rule says why."""
    cat, truth = _field(sky=True)
    truth.remove_columns(["x", "y"])
    ia, _, rule = pairing(cat, truth, False, 2.0, ("classified", "truth"))
    assert len(ia) == len(truth) - len(BLENDS)
    assert "of truth's position only" in rule and "not placed on the sky" in rule, rule


def test_a_catalogue_without_a_centre_of_light_is_matched_as_before():
    cat, truth = _field()
    truth.remove_columns(["x_light", "y_light"])
    ia, _, rule = pairing(cat, truth, False, 2.0, ("classified", "truth"))
    assert rule == "one-to-one within 2.0 px on the pixels (x, y)" and len(ia) == len(truth) - len(BLENDS)


# ----------------------------------------------------------------------------- references without positions


def test_cli_evaluate_pairs_an_id_and_class_reference_by_id(tmp_path):
    """``-r labels.csv`` of ``id,class_ref`` was refused: "required column 'x' missing in labels.csv"."""
    cat, truth = _field()
    write_catalog(cat, tmp_path / "classified.ecsv")
    # each catalogue id's class, in another order than the catalogue's: paired by id, every class is right
    labels = Table({"id": np.asarray(cat["id"])[::-1], "class_ref": np.asarray(cat["class_pred"])[::-1]})
    labels.write(tmp_path / "labels.csv", format="ascii.csv")
    res = runner.invoke(app, ["evaluate", str(tmp_path / "classified.ecsv"), "-r", str(tmp_path / "labels.csv"),
                              "--bootstrap", "0", "--task", "legus4", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())
    assert (f"{len(cat)} objects paired by id (the reference's ids taken as the catalogue's: one numbering), "
            f"{len(cat)} classified in both") in text, res.output
    assert "4class: accuracy 1.000" in res.output, res.output


def test_cli_evaluate_refuses_a_reference_of_neither_positions_nor_ids_naming_file_and_columns(tmp_path):
    cat, truth = _field()
    write_catalog(cat, tmp_path / "classified.ecsv")
    Table({"name": truth["id"], "class_ref": truth["class_ref"]}).write(tmp_path / "labels.csv", format="ascii.csv")
    res = runner.invoke(app, ["evaluate", str(tmp_path / "classified.ecsv"), "-r", str(tmp_path / "labels.csv"),
                              "--bootstrap", "0", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 2, res.output
    said = " ".join(res.output.split())
    assert "Traceback" not in res.output
    assert f"{tmp_path / 'labels.csv'} has neither positions (x, y or ra, dec) nor an 'id' column" in said, said
    assert "(columns: name, class_ref)" in said, said
    assert not (tmp_path / "ev").exists()


def test_tables_with_something_to_pair_by_but_nothing_shared_are_refused_not_paired_row_by_row():
    """A catalogue (id, x, y) and a list of files and classes of its length were paired row by row."""
    cat, _ = _field()
    files = Table({"file": [f"c{i}.png" for i in range(len(cat))], "class_ref": np.asarray(cat["class_pred"])})
    with pytest.raises(StarclassError) as err:
        pairing(cat, files, False, 2.0, ("classified", "labels"), sources=("out/classified.ecsv", "labels.csv"))
    msg = str(err.value)
    assert msg.startswith("cannot pair out/classified.ecsv with the reference labels.csv"), msg
    assert "give labels.csv x, y or ra, dec, or an 'id' column" in msg and "of labels.csv: file, class_ref" in msg
    # two columns of classes and nothing else are still paired row by row (tables given in Python)
    ia, ib, rule = pairing(Table({"class_pred": [1, 2]}), Table({"class_ref": [2, 2]}), False, 2.0, ("a", "b"))
    assert rule == "row by row" and ia.tolist() == ib.tolist() == [0, 1]
