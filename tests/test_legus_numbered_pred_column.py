"""``evaluate --pred-column legus_colN`` takes the numbered LEGUS columns ``--reference-column`` takes.

Before: ``evaluate ngc45.tab --pred-column legus_col35 -r REF`` stopped with "legus_col35 is not a class column"
while ``--reference-column legus_col35`` was accepted and scored. Both now take a ``legus_colN`` (N >= 34) that
holds classes (whole numbers 0-4, some 1-4) and both refuse one that does not (an SED-fit figure), in the same words.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table

from conftest import SHARED_DATA  # tests/ is on sys.path under pytest
from test_legus_unknown_class_hint import CLASSES35, _prediction, _run, _unknown_class_file


def _accuracy(folder) -> float:
    summary = Table.read(next((folder / "tables").glob("summary_*.ecsv")))
    return float(summary["accuracy"][summary["merge"] == "4class"][0])


def test_pred_column_legus_col35_is_scored_as_the_reference_column_is(tmp_path):
    tab = _unknown_class_file(tmp_path)
    pred_path, pred = _prediction(tmp_path)
    ref = np.asarray(CLASSES35)
    both = ref > 0
    want = np.mean(pred[both] == ref[both])
    # the file's legus_col35 as the prediction, the classified catalogue's class_pred as the reference
    Table({"id": np.arange(1, 13), "x": 9.0 + np.arange(1, 13), "y": 19.0 + np.arange(1, 13),
           "class_ref": pred}).write(tmp_path / "ref.ecsv")
    res = _run(tab, "--pred-column", "legus_col35", "-r", tmp_path / "ref.ecsv", "-o", tmp_path / "ev")
    assert res.exit_code == 0, res.output
    assert "not a class column" not in res.output
    assert _accuracy(tmp_path / "ev") == pytest.approx(want)
    # and the other way round, --reference-column, as before: the same pairs, the same accuracy
    res = _run(pred_path, "-r", tab, "--reference-column", "legus_col35", "-o", tmp_path / "ev2")
    assert res.exit_code == 0, res.output
    assert _accuracy(tmp_path / "ev2") == pytest.approx(want)


def test_a_numbered_column_without_classes_is_refused_by_both_options_alike(tmp_path):
    """The synthetic file's col 36 (a flag, 0 here) holds no class: the reference option took such a column (col 26,
    an SED-fit figure then kept by number, now ``sed_chi2_f275w``) and stopped on "class_ref is 0 everywhere"; both
    options now say it is no class column."""
    tab = _unknown_class_file(tmp_path)
    pred_path, _ = _prediction(tmp_path)
    for col, why in (("legus_col36", "(legus_col36 is not a class column: not whole numbers 0-4, or no class 1-4)"),
                     ("sed_chi2_f275w", "(sed_chi2_f275w is not a class column")):
        for args in ((tab, "--pred-column", col, "--reference-column", "legus_col35"),
                     (pred_path, "-r", tab, "--reference-column", col)):
            res = _run(*args, "-o", tmp_path / "ev")
            assert res.exit_code == 2 and "Traceback" not in res.output, res.output
            assert why in " ".join(res.output.split()), res.output
            assert not (tmp_path / "ev").exists()
    # the file's own class columns are listed, not the class_pred of the --pred-column view
    res = _run(tab, "--pred-column", "legus_col35", "--reference-column", "legus_col36", "-o", tmp_path / "ev")
    assert res.exit_code == 2 and "its class columns: legus_col34, legus_col35, legus_col37" in \
        " ".join(res.output.split()), res.output
    # col 37, all 1 here (one class): taken by both
    res = _run(pred_path, "-r", tab, "--reference-column", "legus_col37", "-o", tmp_path / "ev1")
    assert res.exit_code == 0, res.output
    res = _run(tab, "--pred-column", "legus_col37", "--reference-column", "legus_col35", "-o", tmp_path / "ev2")
    assert res.exit_code == 0, res.output


def test_a_numbered_sed_column_is_refused_in_the_same_words(tmp_path):
    from starclass.errors import StarclassError
    from starclass.evaluate.compare import legus_class_columns, prediction_view, with_reference_column
    from starclass.evaluate.task import EvalTask

    t = Table({"legus_col26": [0.3, 1.2, 0.0], "legus_col34": [0, 1, 1], "legus_col35": [4.0, 2.0, np.nan],
               "legus_col36": [0.5, 2.0, 1.0]})
    assert legus_class_columns(t) == ["legus_col34", "legus_col35"]
    task = EvalTask.from_classes((1, 2, 3, 4))
    view, _ = prediction_view(t, "legus_col35", task, "ngc45.tab")
    assert view["class_pred"].tolist() == [4, 2, 0]
    assert with_reference_column(t, "legus_col35", "ngc45.tab")["class_ref"].tolist()[:2] == [4.0, 2.0]
    for col in ("legus_col26", "legus_col36"):
        with pytest.raises(StarclassError, match=rf"\({col} is not a class column: not whole numbers 0-4"):
            prediction_view(t, col, task, "ngc45.tab")
        with pytest.raises(StarclassError, match=rf"\({col} is not a class column: not whole numbers 0-4"):
            with_reference_column(t, col, "ngc45.tab")


@pytest.mark.skipif(not (SHARED_DATA / "legus").is_dir(), reason="needs ../shared/data/legus")
def test_ngc45_col37_scored_against_col35(tmp_path):
    tab = next((SHARED_DATA / "legus").glob("*_ngc45_*.tab"))
    res = _run(tab, "--pred-column", "legus_col37", "--reference-column", "legus_col35", "-o", tmp_path / "ev")
    assert res.exit_code == 0, res.output
    assert "160 classified in both" in res.output
