"""``starclass.datasets.catalogs.write_fake_legus_folder``: synthetic LEGUS ``.tab`` files the many-field tools read.

The docstring examples of :mod:`starclass.science.many` and :mod:`starclass.report.many` were skipped
(``+SKIP``) because they needed the LEGUS archive in ``../shared``; they run on these files now.
"""

from __future__ import annotations

import numpy as np
import pytest

from starclass.datasets.catalogs import FAKE_LEGUS_FIELDS, write_fake_legus_folder
from starclass.errors import StarclassError
from starclass.io.catalog import read_catalog
from starclass.science import many


def test_three_fields_in_the_archive_layout_read_as_the_real_ones(tmp_path):
    folder = write_fake_legus_folder(tmp_path / "legus", n=120, seed=4)
    assert folder == tmp_path / "legus"
    files = sorted(folder.iterdir())
    assert [p.name for p in files] == sorted(f"hlsp_legus_hst_{part}_multiband_v1_padagb-mwext-avgapcor.tab"
                                             for part in FAKE_LEGUS_FIELDS)
    for p in files:
        raw = np.loadtxt(p)
        assert raw.shape == (120, 34)  # the standard layout: 34 columns
        t = read_catalog(p)
        assert t.meta["legus_layout"] == "standard" and t.meta["layout_certain"]
        # the human class of column 34, 0 = not inspected, and 1-based positions read 0-based
        assert np.array_equal(np.asarray(t["class_ref"]), raw[:, 33].astype(int))
        assert set(np.unique(raw[:, 33])) <= {0, 1, 2, 3, 4} and (raw[:, 33] == 0).any()
        assert np.allclose(t["x"], raw[:, 1] - 1)
    fields, skipped = many.load_fields(folder, min_inspected=50)
    assert list(fields) == ["ngc7793-w", "ngc1433", "ngc628-c"] and len(skipped) == 0  # nearest first
    assert fields["ngc1433"].meta["bands"] == ["f275w", "f336w", "f438w", "f555w", "f814w"]


def test_the_known_answers_come_back(tmp_path):
    fields, _ = many.load_fields(write_fake_legus_folder(tmp_path / "legus", n=600))
    # clusters have CI near 1.8, the rest near 1.4: the CI tree separates them in every left-out galaxy
    _, pooled = many.logo_ladder(fields, rules=("ci_tree",))
    assert float(pooled[pooled["task"] == "binary"]["accuracy"][0]) > 0.98
    # masses drawn from dN/dM ~ M^-2
    beta = np.asarray(many.field_mass_slopes(fields)["beta"], float)
    assert np.all(np.abs(beta + 2) < 0.4), beta


def test_the_same_seed_writes_the_same_files_and_another_seed_others(tmp_path):
    a = write_fake_legus_folder(tmp_path / "a", n=30, seed=1)
    b = write_fake_legus_folder(tmp_path / "b", n=30, seed=1)
    c = write_fake_legus_folder(tmp_path / "c", n=30, seed=2)
    for p in a.iterdir():
        assert (b / p.name).read_bytes() == p.read_bytes()
        assert (c / p.name).read_bytes() != p.read_bytes()


def test_an_existing_folder_is_replaced_only_with_overwrite_and_never_with_other_files(tmp_path):
    folder = write_fake_legus_folder(tmp_path / "legus", n=20)
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    with pytest.raises(StarclassError, match=r"legus exists and is not empty; give overwrite=True"):
        write_fake_legus_folder(folder, n=30)
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before
    write_fake_legus_folder(folder, n=30, overwrite=True)
    assert all(len(p.read_text().splitlines()) == 30 for p in folder.iterdir())
    (folder / "notes.txt").write_text("mine")
    with pytest.raises(StarclassError, match=r"holds files this command did not write \(notes.txt\)"):
        write_fake_legus_folder(folder, overwrite=True)
    assert (folder / "notes.txt").read_text() == "mine"


@pytest.mark.parametrize("n", [9, 0, 12.5, True, "100"])
def test_too_few_rows_or_not_a_number_is_refused_by_name(tmp_path, n):
    with pytest.raises(StarclassError, match=rf"write_fake_legus_folder: n must be a whole number >= 10 .*not {n!r}"):
        write_fake_legus_folder(tmp_path / "legus", n=n)
    assert list(tmp_path.iterdir()) == []
