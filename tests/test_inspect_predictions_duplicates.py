"""inspect --predictions with one id given twice: refused naming both rows (the last row won silently)."""

from __future__ import annotations

import pytest

from starclass.errors import StarclassError


def test_a_predictions_file_with_an_id_twice_is_refused(tmp_path):
    from starclass.datasets.labelling import make_demo_field
    from starclass.inspect.field import load_field

    d = make_demo_field(tmp_path / "f", n=4, size=100, seed=1)
    (d / "dup.csv").write_text("id,prob_1,prob_2\n1,0.7,0.3\n2,0.6,0.4\n3,0.1,0.9\n2,0.2,0.8\n")
    with pytest.raises(StarclassError, match=r"dup.csv: id '2' is given twice \(rows 2 and 4\)"):
        load_field(d, predictions=d / "dup.csv")
    (d / "ok.csv").write_text("id,prob_1,prob_2\n1,0.7,0.3\n2,0.6,0.4\n3,0.1,0.9\n")
    assert load_field(d, predictions=d / "ok.csv").predictions[1]["top_prob"] == 0.6
