"""evaluate's warning of a prediction that puts every row in one class names the rows as they were compared.

It said "puts all 6 paired objects in class 1" of a classified cutout list scored against its own labels
(-r self, --label-column), where nothing is paired: the rows are scored against their labels. Two
catalogues matched to each other keep "paired".
"""

import warnings

from astropy.table import Table

from starclass.evaluate.compare import evaluate_catalogs


def _one_class_warnings(pred: Table, refs: dict | None = None) -> list[str]:
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        evaluate_catalogs(pred, refs, task="galaxy-cluster", n_boot=0)
    return [str(w.message) for w in said if "puts all" in str(w.message)]


def _classified(n: int = 6) -> Table:
    return Table({"file": [f"c{i}.png" for i in range(n)], "class_pred": [1] * n,
                  "prob_1": [0.9] * n, "prob_2": [0.1] * n})


def test_a_list_scored_against_its_own_labels_says_labelled_rows():
    t = _classified()
    t["class_ref"] = [1, 2, 1, 2, 2, 1]
    msgs = _one_class_warnings(t)
    assert len(msgs) == 1, msgs
    assert "puts all 6 labelled objects in class 1" in msgs[0] and "paired" not in msgs[0], msgs[0]


def test_two_catalogues_paired_by_file_keep_paired():
    ref = Table({"file": [f"c{i}.png" for i in range(6)], "class_ref": [1, 2, 1, 2, 2, 1]})
    msgs = _one_class_warnings(_classified(), {"truth": ref})
    assert len(msgs) == 1, msgs
    assert "puts all 6 paired objects in class 1" in msgs[0] and "labelled" not in msgs[0], msgs[0]
