"""``--by-min-rows``: what its help says of a single small group is what ``metrics_by_group`` does."""

import re

import numpy as np

from starclass.cli._app import BY_MIN_ROWS_OPTION
from starclass.evaluate.groups import metrics_by_group


def _group_names(sizes: dict[str, int], min_rows: int) -> list[str]:
    groups = np.concatenate([[g] * n for g, n in sizes.items()])
    ref = np.resize([1, 2], groups.size)
    t, _ = metrics_by_group(ref, ref.copy(), groups, (1, 2), min_rows=min_rows, n_boot=0)
    return [str(g) for g in t["group"]]


def test_help_says_a_single_small_group_keeps_its_name_as_it_does():
    # the option's one definition (evaluate and report both use it)
    text = " ".join(BY_MIN_ROWS_OPTION.help.split())
    # the help must say both halves of the rule: two or more pooled, a single one keeps its name
    assert re.search(r"two or more groups with fewer rows are pooled", text), text
    assert re.search(r"a single one keeps its name", text), text
    # and the behaviour is that: one small group (b, 3 rows) keeps its name; two (b, c) are pooled
    one = _group_names({"a": 20, "b": 3, "d": 15}, min_rows=10)
    assert "b" in one and not any(g.startswith("(other") for g in one)
    two = _group_names({"a": 20, "b": 3, "c": 4}, min_rows=10)
    assert "b" not in two and "c" not in two and "(other: 2 groups of < 10)" in two
