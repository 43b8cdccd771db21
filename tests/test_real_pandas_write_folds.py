"""``benchmarks/real_pandas.py --write-folds LIST.csv``: the benchmark's folds as a list's ``fold`` column.

The benchmark draws its grouped folds from ``--seed`` and gave them to no one else, so ``train --cv fold`` could not
score the same split. The written list must hold the folds the models are given (caught here from ``run_baseline``,
not recomputed), read back as ``train --cv fold`` reads it (``read_cutout_folder``, then ``cv_folds("fold")``),
with every other cell as written and the files still found; the target is refused when it exists (without
``--overwrite``), lies inside the data, or is no CSV, and a list with its own fold column is refused.
"""

from __future__ import annotations

import csv

import numpy as np
import pytest
from PIL import Image

from conftest import load_benchmark
from starclass.io.cutout_folders import label_classes, read_cutout_folder
from starclass.learn.config import get_preset
from starclass.learn.crossval import cv_folds


def _folder(d, n_obj: int = 12, extra: str = ""):
    """A PNG list of ``n_obj`` objects, every third with two cutouts, in a sub-folder (paths relative to the CSV)."""
    rng = np.random.default_rng(5)
    (d / "img").mkdir(parents=True)
    lines = [f"file,label,object_id,note{extra and ',' + extra.split('=')[0]}"]
    for j in range(n_obj):
        for c in range(2 if j % 3 == 0 else 1):
            name = f"img/o{j:02d}_{c}.png"
            Image.fromarray(rng.integers(0, 255, (16, 16), dtype=np.uint8)).save(d / name)
            cells = [name, "cluster" if j % 2 else "galaxy", f"obj{j}", f"n {j}.{c}"]
            lines.append(",".join(cells + ([extra.split("=")[1]] if extra else [])))
    (d / "labels.csv").write_text("\n".join(lines) + "\n")
    return d


def test_the_written_fold_column_is_the_split_every_model_is_given(tmp_path, monkeypatch, capsys):
    mod = load_benchmark("real_pandas")
    data = _folder(tmp_path / "data")
    given = {}

    def spy(name, cs, y, folds, k, args):  # what a model of the benchmark is handed, fold by fold
        given[k] = np.asarray(folds).copy()
        return {}

    monkeypatch.setattr(mod, "run_baseline", spy)
    common = ["--data", str(data), "--n-folds", "3", "--seed", "4"]
    assert mod.main(["--models", "trees", "--folds", "0,1,2", *common, "--out", str(tmp_path / "runs")]) == 0
    assert sorted(given) == [0, 1, 2] and all(np.array_equal(given[0], f) for f in given.values())
    listed = tmp_path / "bench" / "folds.csv"
    assert mod.main([*common, "--write-folds", str(listed)]) == 0
    assert f"wrote {listed}: 16 cutouts in 3 folds (seed 4)" in capsys.readouterr().out

    back = read_cutout_folder(listed, group_column="object_id")
    assert back.folds.tolist() == given[0].tolist()
    source = read_cutout_folder(data / "labels.csv", group_column="object_id")
    np.testing.assert_array_equal(back.images, source.images)  # the absolute file paths lead to the same images
    # every other cell as written, the fold column last
    src_rows = list(csv.DictReader((data / "labels.csv").open()))
    out_rows = list(csv.DictReader(listed.open()))
    assert list(out_rows[0]) == [*src_rows[0], "fold"]
    assert [{k: v for k, v in r.items() if k not in ("file", "fold")} for r in out_rows] == \
        [{k: v for k, v in r.items() if k != "file"} for r in src_rows]
    assert [r["file"] for r in out_rows] == [str(data / r["file"]) for r in src_rows]

    # train --cv fold's folds of the read list: each value held out in turn, the rows the benchmark tests
    target = label_classes(back, get_preset("m31-real").label_map) - 1
    folds = cv_folds("fold", target, folds=back.folds, groups=back.groups, noun="cutout")
    assert [name for name, _ in folds] == ["0", "1", "2"]
    for name, rows in folds:
        assert rows.tolist() == np.flatnonzero(given[0] == int(name)).tolist()


def test_the_target_is_refused_before_the_folder_is_read(tmp_path, monkeypatch, capsys):
    mod = load_benchmark("real_pandas")
    data = _folder(tmp_path / "data")
    existing = tmp_path / "folds.csv"
    existing.write_text("kept\n")

    def never(*a, **k):
        raise AssertionError("the folder was read")

    monkeypatch.setattr(mod, "read_cutout_folder", never)
    for target, says in [(existing, f"--write-folds {existing} exists; give --overwrite to replace it."),
                         (data / "folds.csv", f"--write-folds {data / 'folds.csv'} is inside {data}; the benchmark "
                                              "never writes into its data"),
                         (data / "img" / "f.csv", f"is inside {data};"),
                         (tmp_path / "folds.ecsv", "the list is written as CSV; give a name ending in .csv.")]:
        assert mod.main(["--data", str(data), "--write-folds", str(target)]) == 2, target
        assert says in capsys.readouterr().out, target
    assert existing.read_text() == "kept\n"
    assert sorted(p.name for p in data.iterdir()) == ["img", "labels.csv"]
    assert not (tmp_path / "folds.ecsv").exists()
    monkeypatch.undo()
    assert mod.main(["--data", str(data), "--n-folds", "3", "--write-folds", str(existing), "--overwrite"]) == 0
    assert read_cutout_folder(existing, group_column="object_id").folds is not None


@pytest.mark.filterwarnings("ignore::UserWarning")
def test_a_list_with_its_own_fold_column_is_refused(tmp_path, capsys):
    mod = load_benchmark("real_pandas")
    data = _folder(tmp_path / "data", extra="fold=0")
    out = tmp_path / "folds.csv"
    assert mod.main(["--data", str(data), "--n-folds", "3", "--write-folds", str(out)]) == 2
    assert f"{data / 'labels.csv'} has a column 'fold' already" in capsys.readouterr().out
    assert not out.exists()
