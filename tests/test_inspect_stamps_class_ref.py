"""``inspect --stamps``: the list's own ``class_ref`` is checked against the task's classes.

The candidate readers refuse a class the task does not know (file, row and column named); the
cutout list's ``class_ref`` was taken as it was: a 7 under a five-class task went through
``--init`` and out of ``--export`` as ``class_ref_catalogue``.
"""

import warnings
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

with warnings.catch_warnings():  # the installed starlette warns about httpx at import
    warnings.simplefilter("ignore")
    from starclass.cli import app as cli
from starclass.errors import StarclassError
from starclass.inspect.cutouts import read_cutout_list
from starclass.learn.config import load_config

runner = CliRunner()

FIVE = """extends: m31-real
classes: [1, 2, 3, 4, 5]
class_names: [c1, c2, c3, star, artefact]
label_map: {c1: 1, c2: 2, c3: 3, star: 4, artefact: 5}
positive_class: null
"""


def make_list(root: Path, refs: list[int]) -> Path:
    """A cutout CSV of one 16 x 16 NPY per row, with a class_ref column and no label."""
    root.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    rows = ["file,class_ref"]
    for i, k in enumerate(refs):
        np.save(root / f"c{i}.npy", rng.random((16, 16)).astype("f4"))
        rows.append(f"c{i}.npy,{k}")
    (root / "list.csv").write_text("\n".join(rows) + "\n")
    (root / "five.yaml").write_text(FIVE)
    return root / "list.csv"


def test_a_class_the_task_does_not_know_is_refused_naming_file_row_and_column(tmp_path):
    lst = make_list(tmp_path / "d", [1, 2, 7, 3])
    with pytest.raises(StarclassError, match=r"column 'class_ref' of --stamps .*list\.csv: class 7 in row 3 "
                                             r"\(id c2\.npy\)"):
        read_cutout_list(lst, load_config(tmp_path / "d" / "five.yaml"))
    # the command: exit 2, no traceback, no database made, nothing exported
    res = runner.invoke(cli, ["inspect", "--stamps", str(lst), "--task", str(tmp_path / "d" / "five.yaml"),
                              "--init", "--port", "8799"])
    assert res.exit_code == 2, res.output
    assert "class 7 in row 3" in res.output and "Traceback" not in res.output, res.output
    assert not (tmp_path / "d" / "inspect.sqlite").exists()


def test_the_tasks_own_classes_are_read(tmp_path):
    # a five-class task's 5 is one of its classes: read, not refused as "not 0-4"
    lst = make_list(tmp_path / "d", [1, 5, 0, 3])
    cl = read_cutout_list(lst, load_config(tmp_path / "d" / "five.yaml"))
    assert cl.ids == ["c0.npy", "c1.npy", "c2.npy", "c3.npy"]
    assert [int(v) for v in cl.table["class_ref"]] == [1, 5, 0, 3]
