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
