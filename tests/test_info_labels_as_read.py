"""``info`` counts a cutout list's labels as ``train``/``classify`` read them (issue 12: other people's lists).

Until 2026-12-06 ``info`` on a list whose label column held ``CLUSTER``, ``Cluster``, `` cluster`` and
``cluster`` said nothing of their being one label to ``m31-real``, and counted `` cluster`` apart from
``cluster`` in the CSV ("label 7") but not in the same list as ECSV ("label 5"): the reader strips each label,
and astropy strips an ECSV's cells. Now the distinct values are the labels as read, a line names the labels
that differ only in case, and the CSV and ECSV of one list are described alike. The case note of
``train`` is said once for each labels file, so a second folder with other case twins is told too.
"""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.io.cutout_folders import label_classes, read_cutout_folder

pytestmark = pytest.mark.usefixtures("single_thread")
runner = CliRunner()
LABELS = ["CLUSTER", "Cluster", " cluster", "cluster ", "cluster", "galaxy", "Galaxy", "galaxy"]


def _lists(root: Path) -> tuple[Path, Path]:
    """The same list of eight NPY cutouts as a CSV (stray blanks kept as written) and as an ECSV."""
    rng = np.random.default_rng(5)
    for i in range(len(LABELS)):
        np.save(root / f"c{i}.npy", rng.normal(0.0, 1.0, (16, 16)).astype(np.float32))
    csv = root / "list.csv"
    csv.write_text("file,label\n" + "".join(f"c{i}.npy,{lab}\n" for i, lab in enumerate(LABELS)))
    ecsv = root / "list.ecsv"
    ecsv.write_text("# %ECSV 1.0\n# ---\n# datatype:\n# - {name: file, datatype: string}\n"
                    "# - {name: label, datatype: string}\n# schema: astropy-2.0\nfile label\n"
                    + "".join(f'c{i}.npy "{lab}"\n' for i, lab in enumerate(LABELS)))
    return csv, ecsv


def _info(path: Path) -> list[str]:
    res = runner.invoke(app, ["info", str(path)])
    assert res.exit_code == 0, res.output
    return [" ".join(line.split()) for line in res.output.splitlines()]


def test_info_says_labels_as_read_and_case_twins_alike_for_csv_and_ecsv(tmp_path):
    csv, ecsv = _lists(tmp_path)
    a, b = _info(csv), _info(ecsv)
    # all but the first line (the file's name and kind) alike
    assert a[1:] == b[1:]
    said = "\n".join(a)
    assert "labels: CLUSTER 1, Cluster 1, Galaxy 1, cluster 3, galaxy 2" in said
    assert "distinct values per column: file 8, label 5" in said
    twins = [line for line in a if line.startswith("labels that differ only in case:")]
    assert len(twins) == 1, said
    assert "CLUSTER 1, Cluster 1, cluster 3 (5 in all); Galaxy 1, galaxy 2 (3 in all)" in twins[0]
    assert "reads the group as that one label" in twins[0]


def test_info_says_no_case_line_without_case_twins(tmp_path):
    np.save(tmp_path / "a.npy", np.ones((8, 8), np.float32) * np.arange(8.0))
    np.save(tmp_path / "b.npy", np.ones((8, 8), np.float32) * np.arange(8.0))
    (tmp_path / "l.csv").write_text("file,label\na.npy,cluster\nb.npy,galaxy\n")
    assert not any(line.startswith("labels that differ only in case") for line in _info(tmp_path / "l.csv"))


def test_case_note_is_said_for_each_folder_once(tmp_path):
    lab_map = {"cluster": 1, "galaxy": 2}
    sets = []
    for name, labs in (("one", ["Cluster", "cluster"]), ("two", ["GALAXY", "galaxy"])):
        root = tmp_path / name
        root.mkdir()
        for i in range(len(labs)):
            np.save(root / f"c{i}.npy", np.arange(64.0).reshape(8, 8))
        (root / "l.csv").write_text("file,label\n" + "".join(f"c{i}.npy,{lab}\n" for i, lab in enumerate(labs)))
        sets.append(read_cutout_folder(root / "l.csv", require_group=False))
    said = []
    for cs in (sets[0], sets[0], sets[1], sets[1]):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            label_classes(cs, lab_map)
        said += [str(w.message) for w in caught if "another case" in str(w.message)]
    # the first folder's note once, then the second folder's (other labels, another file) once
    assert len(said) == 2, said
    assert "one" in said[0] and "'Cluster' as 'cluster'" in said[0]
    assert "two" in said[1] and "'GALAXY' as 'galaxy'" in said[1]


def test_case_note_is_not_said_again_for_the_same_labels_in_other_counts(tmp_path):
    # train reads the labels at several steps, some with rows left out (blank cutouts): the same labels of the
    # same file in other counts are no news (said twice before, the remembered note holding its counts)
    for i in range(3):
        np.save(tmp_path / f"c{i}.npy", np.arange(64.0).reshape(8, 8))
    lst = tmp_path / "l.csv"
    said = []
    for rows in (["Cluster", "cluster", "Cluster"], ["Cluster", "cluster"]):
        lst.write_text("file,label\n" + "".join(f"c{i}.npy,{lab}\n" for i, lab in enumerate(rows)))
        cs = read_cutout_folder(lst, require_group=False)
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            label_classes(cs, {"cluster": 1, "galaxy": 2})
        said += [str(w.message) for w in caught if "another case" in str(w.message)]
    assert len(said) == 1, said
