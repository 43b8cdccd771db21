"""A preset's description names its classes as its ``class_names`` do (2026-12-07).

``m31-real``'s description said "cluster vs galaxy" while its classes are ``cluster`` and ``non-cluster``
(``galaxy`` is a label its ``label_map`` maps to ``non-cluster``, as ``extended_cluster`` is mapped to
``cluster``): ``info``, ``train --help`` and the labelling page showed one wording beside the other. Every
"X vs Y" a preset's description gives must name two of its classes.
"""

from __future__ import annotations

import re

import pytest

from starclass.learn.config import get_preset, list_presets, preset_descriptions

_VS = re.compile(r"([\w-]+)(?: \([^)]*\))? vs ([\w-]+)")  # "cluster (cluster, extended_cluster) vs non-cluster"


def _class_words(name: str) -> set[str]:
    return {c.casefold() for c in get_preset(name).class_names}


@pytest.mark.parametrize("name", list_presets())
def test_each_x_vs_y_of_a_description_names_two_of_its_classes(name):
    description = preset_descriptions()[name]
    classes = _class_words(name)
    for x, y in _VS.findall(description):
        assert {x.casefold(), y.casefold()} <= classes, (
            f"preset {name}: description {description!r} says {x} vs {y}; its classes are {sorted(classes)}")


def test_m31_real_says_which_labels_each_class_takes():
    cfg = get_preset("m31-real")
    description = preset_descriptions()["m31-real"]
    # each class by its name, and the folder's labels the label_map puts in it
    for k, class_name in zip(cfg.classes, cfg.class_names):
        labels = [lab for lab, c in cfg.label_map.items() if c == k]
        assert labels and re.search(rf"\b{re.escape(class_name)} \({', '.join(map(re.escape, labels))}\)",
                                    description), (class_name, labels, description)
