"""An empty cell in a text ``id`` column: refused naming its row, as an empty numeric id already was.

It was kept as a masked id, matched to nothing (or to another empty one) without a word.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.io.catalog import read_catalog


@pytest.mark.parametrize("cell", ["", "  "])
def test_read_catalog_refuses_an_empty_text_id(tmp_path, cell):
    p = tmp_path / "cat.csv"
    p.write_text(f"id,x,y\nc1,1,1\n{cell},2,2\nc3,3,3\n")
    with pytest.raises(StarclassError, match=r"column 'id' in .*cat.csv: no valid id in row 2"):
        read_catalog(p)


def test_evaluate_names_the_row_of_an_empty_text_id(tmp_path):
    (tmp_path / "pred.csv").write_text("id,x,y,class_pred\nc1,1,1,1\n,2,2,2\nc3,3,3,1\n")
    (tmp_path / "ref.csv").write_text("id,x,y,class_ref\nc1,1,1,1\nc2,2,2,2\nc3,3,3,1\n")
    res = CliRunner().invoke(app, ["evaluate", str(tmp_path / "pred.csv"), "--reference", str(tmp_path / "ref.csv"),
                                   "-o", str(tmp_path / "ev")])
    assert res.exit_code == 2, res.output
    assert "pred.csv: no valid id in row 2" in res.output, res.output
    assert not (tmp_path / "ev").exists()
