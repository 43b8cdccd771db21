"""``benchmarks/real_pandas.py --data``: a folder that is not there is said, exit 2, not a traceback."""

from __future__ import annotations

from conftest import load_benchmark


def test_a_missing_data_folder_is_said_with_exit_2(tmp_path, capsys):
    # "--data /no/such" was starclass.errors.StarclassError's traceback from read_cutout_folder
    mod = load_benchmark("real_pandas")
    missing = tmp_path / "no_such_folder"
    code = mod.main(["--models", "trees", "--folds", "0", "--data", str(missing), "--out", str(tmp_path / "out")])
    assert code == 2
    out = capsys.readouterr().out
    assert out.startswith("real_pandas: ") and f"{missing / 'labels.csv'}: no such file or directory" in out, out
    assert not (tmp_path / "out").exists()
