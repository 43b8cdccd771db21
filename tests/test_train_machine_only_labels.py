"""``train --catalog`` on LEGUS NGC 1566's hybrid class: the machine's classes among the labels are named.

Before: ``evaluate --catalogs`` counted NGC 1566's 654 classes from the LEGUS machine-learning
classifier alone (``class_method`` 0) as not inspected, while ``train --catalog`` trained on them
as if people had given them, without a word.
"""

from __future__ import annotations

import numpy as np
from astropy.table import Table

import starclass.stamps
from starclass.cli.train_cmd import echo_machine_only, training_inputs
from starclass.io.catalog import read_catalog
from starclass.io.legus import machine_only
from starclass.learn.config import get_preset


def test_training_inputs_name_the_machine_only_labels(monkeypatch, capsys):
    t = Table({"id": [1, 2, 3, 4, 5], "x": [10.0, 20, 30, 40, 50], "y": [10.0, 20, 30, 40, 50],
               "class_ref": [1, 2, 3, 4, 0], "class_method": [0, 0, 1, 3, 0]}, meta={"source": "ngc1566.tab"})
    # the stamps are not what is tested: any inputs of the right length
    monkeypatch.setattr(starclass.stamps, "make_inputs",
                        lambda mosaics, x, y, cfg: (np.zeros((len(x), 1, 4, 4)), np.ones(len(x), bool)))
    monkeypatch.setattr("starclass.stamps.noise.resolve_softening", lambda cfg, mosaics: (cfg, None))
    _, labels, *_ = training_inputs(get_preset("legus4-compact"), t, mosaics=[], progress=False)
    out = capsys.readouterr().out
    assert "2 training labels of the 4 in class_ref of ngc1566.tab are machine-learning classes alone" in out, out
    assert "--label-column class_human_mode" in out
    # named, not changed: the user chose the column
    assert labels.tolist() == [1, 2, 3, 4, 0]
    # another label column is the user's own choice: nothing said
    t["klass"] = t["class_ref"]
    training_inputs(get_preset("legus4-compact"), t, mosaics=[], label_column="klass", progress=False)
    assert "machine-learning" not in capsys.readouterr().out


def test_a_catalogue_without_class_method_says_nothing(capsys):
    t = Table({"class_ref": [1, 2, 3]})
    assert echo_machine_only(t) == 0 and not machine_only(t).any()
    assert capsys.readouterr().out == ""


def test_ngc1566_machine_only_classes_are_counted_as_in_the_many_field_study(legus_tab, capsys):
    t = read_catalog(legus_tab)
    assert echo_machine_only(t) == 654  # the LEGUS README's and docs/legus_validation.md's count
    done = int(np.isin(np.asarray(t["class_ref"]), (1, 2, 3, 4)).sum())
    assert f"654 training labels of the {done} in class_ref" in capsys.readouterr().out
    assert int(np.sum(machine_only(t) & (np.asarray(t["class_method"]) != 0))) == 0
