"""``benchmarks/real_pandas.py --models``: a name that is no model is refused before any work.

``--models resnet-18`` (for ``resnet18``) read the 869 cutouts, trained the morphology baseline
(every name that is neither a CNN nor a stacker fell through to it) and wrote
``resnet-18_fold0.json`` with ``model: resnet-18``, exit 0: a later ``--summarise --runs resnet-18``
showed the baseline's figures under the CNN's name.
"""

from __future__ import annotations

import pytest

from conftest import load_benchmark


@pytest.mark.parametrize(("models", "says"), [
    ("resnet-18", "--models 'resnet-18' is no model; did you mean 'resnet18'"),
    ("compact,morphology", "--models 'morphology' is no model; did you mean 'morph'"),
    ("trees,xyz", "--models 'xyz' is no model; none is close to it"),
])
def test_an_unknown_model_name_is_refused_before_the_folder_is_read(tmp_path, capsys, models, says):
    mod = load_benchmark("real_pandas")
    missing = tmp_path / "no_such_folder"  # reading it would fail differently, so the order shows
    code = mod.main(["--models", models, "--folds", "0", "--data", str(missing), "--out", str(tmp_path / "out")])
    assert code == 2
    out = capsys.readouterr().out
    assert says in out, out
    assert "morph" in out and "resnet50-n128" in out and "stack-gb" in out  # the models it has, listed
    assert not (tmp_path / "out").exists()


def test_every_model_name_the_script_has_passes_the_check():
    mod = load_benchmark("real_pandas")
    mod.check_model_names(",".join(mod.CNNS + mod.BASELINES + mod.STACKERS))
    mod.check_model_names("compact, trees,")  # spaces and a trailing comma, as the run loop strips them
