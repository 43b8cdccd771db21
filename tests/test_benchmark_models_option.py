"""The benchmarks' ``--models``: a name that is no model is refused at once, exit 2, naming it.

``models_accuracy.py --models compct`` made its synthetic sets, ran nothing and printed only its
footer, exit 0; ``accuracy.py --models compct`` simulated its fields and printed ``total 2 s``,
exit 0; ``classify_speed.py --models compct`` simulated its field and ended in ``KeyError: 'compct'``,
its temporary folder left behind. (real_pandas.py's: tests/test_real_pandas_models_option.py.)
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.mark.parametrize(("script", "small", "listed"), [
    ("models_accuracy.py", ["--n-train", "50", "--n-test", "50"], "compact, trees, boosting, starcnet"),
    ("accuracy.py", ["--n-train", "50", "--n-test", "50", "--shape", "256", "--train-fields", "1",
                     "--test-fields", "1"], "starcnet, resnet18, compact, trees, boosting"),
    ("classify_speed.py", ["--n", "50", "--shape", "256", "--repeat", "1"], "compact, starcnet"),
])
def test_an_unknown_model_name_is_refused_naming_it(script, small, listed):
    # small sizes: the old code ran to its end (or its KeyError) in seconds, so the test fails there quickly
    res = subprocess.run([sys.executable, str(ROOT / "benchmarks" / script), "--models", "compct", *small],
                         capture_output=True, text=True, timeout=300, cwd=ROOT,
                         env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin", "OMP_NUM_THREADS": "1"})
    assert res.returncode == 2, (res.returncode, res.stdout[-500:], res.stderr[-500:])
    assert f"--models 'compct' is no model of this benchmark (the models: {listed})" in res.stderr
    assert "Traceback" not in res.stderr and res.stdout == ""  # refused before any work
