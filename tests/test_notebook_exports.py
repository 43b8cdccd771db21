"""Names notebooks import from the stage packages: predict_inputs, evaluate_catalogs.

``from starclass.learn import predict_inputs`` and ``from starclass.evaluate import
evaluate_catalogs`` gave an ImportError, though notebooks use both. The submodule paths keep working;
``classify`` is imported from its module (``starclass.learn.classify`` is that module).
"""

from __future__ import annotations

import subprocess
import sys

from astropy.table import Table


def test_learn_exports_predict_inputs():
    import starclass.learn.classify as module
    from starclass.learn import predict_inputs
    from starclass.learn.classify import classify

    assert predict_inputs is module.predict_inputs
    assert callable(classify) and classify.__name__ == "classify"  # the function, from its module


def test_learn_predict_inputs_on_first_import():
    # a fresh interpreter: the package's own lookup, before anything imported the submodule
    code = "from starclass.learn import predict_inputs; print(predict_inputs.__name__)"
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["predict_inputs"]


def test_evaluate_exports_evaluate_catalogs():
    from starclass.evaluate import evaluate_catalogs
    from starclass.evaluate.compare import evaluate_catalogs as in_compare

    assert evaluate_catalogs is in_compare
    pred = Table({"id": [1, 2, 3, 4, 5, 6], "class_pred": [1, 2, 3, 4, 1, 2], "class_ref": [1, 2, 3, 4, 1, 2]})
    assert evaluate_catalogs(pred).headline()["prediction class_ref"]["4class"] == 1.0
