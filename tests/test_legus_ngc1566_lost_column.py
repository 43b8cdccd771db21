"""A copy of the NGC 1566 catalogue that lost a column after col 34 is not called a human mode.

Before 2026-12-06 a 38-column copy (col 39 or col 36 lost) was read as 'standard+extra' with the note
"col 34 class (mode)": the hybrid final class, a machine-learning classifier's alone on 654 rows, was
called the people's mode (``info``, the uncertain-layout warning). Now the note says what NGC 1566's
columns are and that this file does not have them.
"""

from __future__ import annotations

import numpy as np
import pytest

from starclass.datasets.catalogs import write_fake_legus_folder
from starclass.io.catalog import read_catalog

NAME = "hlsp_legus_hst_wfc3_ngc1566_multiband_v1_padagb-mwext-avgapcor.tab"


def _hybrid(tmp_path, drop=None):
    """A generated 39-column hybrid catalogue named as NGC 1566's; ``drop``: a 1-based column left out."""
    src = sorted(write_fake_legus_folder(tmp_path / "legus", n=60).glob("*.tab"))[0]
    rows = [line.split() for line in src.read_text().splitlines()]
    rng = np.random.default_rng(1)
    out = []
    for row in rows:
        flag = int(rng.choice([0, 1, 3]))
        cls = int(row[33])
        ml, human = int(rng.integers(1, 5)), (cls if flag == 3 else 0)
        hybrid = ml if flag == 0 else cls
        row = row[:33] + [str(hybrid), str(flag), str(human), str(ml), str(cls if flag == 1 else 0), "0"]
        if drop:
            del row[drop - 1]
        out.append(" ".join(row))
    path = tmp_path / NAME
    path.write_text("\n".join(out) + "\n")
    return path


def test_the_generated_hybrid_file_reads_as_hybrid(tmp_path):
    t = read_catalog(_hybrid(tmp_path), require_xy=False)
    assert t.meta["legus_layout"] == "hybrid" and "class_ml" in t.colnames


@pytest.mark.parametrize("drop", [39, 36])
def test_a_lost_column_is_not_read_as_the_people_s_mode(tmp_path, drop):
    path = _hybrid(tmp_path, drop=drop)
    with pytest.warns(UserWarning, match=r"is uncertain: the LEGUS NGC 1566 catalogue has 39 columns \(col 34 a "
                                         r"hybrid final class.*this file has 38: a column lost or added\?") as rec:
        t = read_catalog(path, require_xy=False)
    assert not t.meta["layout_certain"]
    assert "(mode)" not in t.meta["layout_note"]
    assert not any("col 34 class (mode)" in str(w.message) for w in rec)
