"""Refusals of an existing output name the Python argument too, not only the command-line option.

``write_cutouts(cfg, d)`` and every function writing a folder through ``atomic_dir``
(``explain``, ``simulate``'s folders, ...) told a notebook user to "give --overwrite", an option
their call does not have; ``CNNClassifier.save`` and ``write_field`` already said
``overwrite=True``.
"""

from __future__ import annotations

import pytest

from starclass.errors import StarclassError
from starclass.io.atomic import atomic_dir
from starclass.simulate.cutouts_m31 import CutoutSimConfig, write_cutouts


def test_atomic_dir_refusal_names_overwrite_true(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "old.txt").write_text("kept")
    with pytest.raises(StarclassError, match=r"give --overwrite \(overwrite=True in Python\) to replace it"):
        with atomic_dir(tmp_path / "out"):
            pass
    assert (tmp_path / "out" / "old.txt").read_text() == "kept"


def test_write_cutouts_refusal_names_overwrite_true(tmp_path):
    out = tmp_path / "set"
    (out / "galaxy").mkdir(parents=True)
    (out / "labels.csv").write_text("file,label\n")
    with pytest.raises(StarclassError, match=r"give --overwrite \(overwrite=True in Python\) to replace it"):
        write_cutouts(CutoutSimConfig(n=2), out)


def test_python_calls_name_their_parameter_beside_the_cli_option():
    # a notebook user was told "--device 'tpu'", "--label-model 'vote'", "--by 'margn'", "-n must be >= 1":
    # options of commands they never ran, for parameters called device, model, by and n
    import numpy as np
    from astropy.table import Table

    from starclass.learn.labels import vote_targets
    from starclass.learn.precision import pick_device
    from starclass.suggest.pick import informativeness, pick

    with pytest.raises(StarclassError, match=r"--device \(device= in Python\) 'tpu'"):
        pick_device("tpu")
    with pytest.raises(StarclassError, match=r"--label-model \(model= in Python\) 'vote'"):
        vote_targets(Table({"h1": [1, 2]}), ["h1"], "vote")
    with pytest.raises(StarclassError, match=r"--by \(by= in Python\) 'margn'"):
        informativeness(Table({"prob_1": [0.9], "prob_2": [0.1]}), "margn")
    with pytest.raises(StarclassError, match=r"-n \(n= in Python\) must be >= 1"):
        pick(np.array([1.0, 2.0]), 0)
    with pytest.raises(StarclassError, match=r"--mag-bins \(bins= in Python\) must be >= 1"):
        pick(np.array([1.0, 2.0]), 1, mags=np.array([20.0, 21.0]), bins=0)
