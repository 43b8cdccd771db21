"""A task file that changes ``classes`` but not ``class_names`` is told the names came from its base.

Before: "task config three.yaml: task config 'three': 4 class_names for 3 classes", naming
class_names the file never wrote (they were legus4's).
"""

from __future__ import annotations

import pytest

from starclass.errors import StarclassError
from starclass.learn.config import load_config


def test_inherited_class_names_are_named_as_the_bases(tmp_path):
    p = tmp_path / "three.yaml"
    p.write_text("extends: legus4-compact\nclasses: [1, 2, 3]\nmerge: {1: 1, 2: 1, 3: 2, 4: 3}\n")
    with pytest.raises(StarclassError, match=r"4 class_names for 3 classes \(the class_names of legus4-compact: "
                                             r"give class_names for the 3 classes\)"):
        load_config(p)


def test_three_classes_with_their_names_load(tmp_path):
    p = tmp_path / "three.yaml"
    p.write_text("extends: legus4-compact\nclasses: [1, 2, 3]\nclass_names: [cluster, association, spurious]\n"
                 "merge: {1: 1, 2: 1, 3: 2, 4: 3}\neval_merges: {}\n")
    assert list(load_config(p).classes) == [1, 2, 3]
