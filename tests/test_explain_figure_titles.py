"""explain's figure titles name the task once, and its network only where the task's name leaves it out."""

from __future__ import annotations

import pytest

from starclass.explain.figures import figure_title


def test_a_task_named_after_its_network_is_not_followed_by_the_network_again():
    # `explain model_cc cc_test/labels.csv -o explained_cc` titled its mean maps
    # "cool-core-compact: compact: mean maps"
    title = figure_title("cool-core-compact", "compact", "mean maps per class")
    assert title.count("compact") == 1, title
    assert "cool-core-compact" in title and "mean maps per class" in title, title


@pytest.mark.parametrize("arch", ["starcnet", "resnet18"])
def test_a_network_the_tasks_name_does_not_say_is_named(arch):
    title = figure_title("phangs", arch, "radial profiles per class")
    assert "phangs" in title and arch in title and "radial profiles per class" in title, title


@pytest.mark.parametrize("arch", [None, "?"])
def test_an_unknown_network_is_left_out(arch):
    assert "?" not in figure_title("m31-real", arch, "mean maps per class")
