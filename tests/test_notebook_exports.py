"""Names notebooks import from the stage packages: classify, predict_inputs, evaluate_catalogs.

``from starclass.learn import classify`` gave the submodule (calling it: "'module' object is not
callable"), ``from starclass.learn import predict_inputs`` and ``from starclass.evaluate import
evaluate_catalogs`` an ImportError, though notebooks use all three. The submodule paths keep working.
"""

from __future__ import annotations

import subprocess
import sys

from astropy.table import Table


def test_learn_exports_classify_and_predict_inputs(monkeypatch):
    import starclass.learn.classify as module
    from starclass.learn import classify, predict_inputs
    from starclass.learn.classify import classify as function

    assert predict_inputs is module.predict_inputs
    assert classify is module  # the submodule path keeps working: m.classify, m.predict_inputs, ...
    assert callable(function) and function.__name__ == "classify"
    calls = []
    monkeypatch.setattr(module, "classify", lambda *a, **kw: calls.append((a, kw)) or "table")
    assert classify("mosaics", "candidates", batch_size=4) == "table"  # calling the module calls the function
    assert calls == [(("mosaics", "candidates"), {"batch_size": 4})]


def test_learn_classify_is_callable_on_first_import():
    # a fresh interpreter: the package's own lookup, before anything imported the submodule
    code = ("from starclass.learn import classify, predict_inputs; import inspect; "
            "print(callable(classify), list(inspect.signature(classify).parameters)[:2], predict_inputs.__name__)")
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.split() == ["True", "['mosaics',", "'candidates']", "predict_inputs"]


def test_evaluate_exports_evaluate_catalogs():
    from starclass.evaluate import evaluate_catalogs
    from starclass.evaluate.compare import evaluate_catalogs as in_compare

    assert evaluate_catalogs is in_compare
    pred = Table({"id": [1, 2, 3, 4, 5, 6], "class_pred": [1, 2, 3, 4, 1, 2], "class_ref": [1, 2, 3, 4, 1, 2]})
    assert evaluate_catalogs(pred).headline()["prediction class_ref"]["4class"] == 1.0
