"""The galaxy-cluster presets' plateau schedule is the one seed 004's hyperparameter table gives.

Kosiba et al. (2020) lower the learning rate by 0.75 after 14 epochs without improvement (custom
net) and by 0.85 after 4 (MobileNet). Until 2026-12-05 the custom net's preset used 0.1 after 5,
having read the table as silent. The numbers are read from the seed when ../shared is present.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from starclass.learn.config import get_preset

SEED = Path(__file__).resolve().parents[1].parent / "shared" / "seeds" / "004_4c38e0de329c6172.txt"


def _table() -> dict[str, tuple[float, float]]:
    """The seed's 'lr. red.' rows: name -> (custom net, MobileNet)."""
    if not SEED.is_file():
        pytest.skip(f"seed 004 not found at {SEED} (../shared absent)")
    rows = {}
    for line in SEED.read_text().splitlines():
        m = re.match(r"lr\. red\. (patience|factor)\s+([0-9.]+)\s+([0-9.]+)\s*$", line)
        if m:
            rows[m.group(1)] = (float(m.group(2)), float(m.group(3)))
    assert set(rows) == {"patience", "factor"}, rows
    return rows


@pytest.mark.parametrize("preset, column", [("galaxy-cluster", 0), ("galaxy-cluster-mobilenet", 1)])
def test_the_plateau_schedule_is_the_seed_s_table(preset, column):
    table = _table()
    recipe = get_preset(preset).recipe
    assert recipe.lr_schedule == "plateau"
    assert recipe.lr_factor == pytest.approx(table["factor"][column])
    assert recipe.lr_patience == table["patience"][column]


@pytest.mark.parametrize("preset", ["galaxy-cluster", "galaxy-cluster-mobilenet", "galaxy-cluster-compact"])
def test_early_stopping_leaves_room_for_a_reduction(preset):
    # stopping no later than the first reduction would make the schedule a no-op
    recipe = get_preset(preset).recipe
    if recipe.lr_schedule == "plateau":
        assert recipe.early_stopping_patience > recipe.lr_patience
