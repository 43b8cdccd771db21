"""The science checks of a ``--pred-column`` are named, and titled, after the column scored.

On a walk through the LEGUS catalogues (2026-12-07), ``evaluate NGC1566.tab --pred-column class_ml
--reference-column class_human_mode`` wrote ``box_counts_ngc1566.ecsv`` and a colour-colour figure titled
"ngc1566: U-B vs V-I" for the class_ml classes: named after the file, so an evaluation of another
--pred-column of the same file wrote the same names, and the title did not say whose classes it drew.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app

pytestmark = pytest.mark.usefixtures("unrendered_figures")  # conftest: figures built, not rendered
runner = CliRunner()


def test_two_pred_columns_of_one_file_write_their_own_science_tables(tmp_path, monkeypatch):
    from starclass.datasets.catalogs import fake_catalogs
    from starclass.report import figures

    titles: list[str] = []
    drawn = figures.fig_colour_colour

    def recorded(panels, track=None, title="", **kw):
        titles.append(title)
        return drawn(panels, track, title, **kw)

    monkeypatch.setattr(figures, "fig_colour_colour", recorded)
    cat, truth = fake_catalogs(120, seed=1)
    rng = np.random.default_rng(2)
    cat["class_ml"] = cat["class_pred"]
    cat["class_h1"] = rng.integers(1, 5, len(cat))  # one person
    cat["class_human_mode"] = truth["class_ref"]
    cat.remove_column("class_pred")
    cat.write(tmp_path / "cat.ecsv")
    written = {}
    for column in ("class_ml", "class_h1"):
        out = tmp_path / column
        res = runner.invoke(app, ["evaluate", str(tmp_path / "cat.ecsv"), "--pred-column", column,
                                  "--reference-column", "class_human_mode", "--bootstrap", "0", "-o", str(out)])
        assert res.exit_code == 0, res.output
        written[column] = {p.stem for p in (out / "tables").iterdir()}
        assert f"box_counts_cat_{column}" in written[column], written[column]
        assert "box_counts_cat" not in written[column]  # the file's name alone: the same for both columns
        assert "box_counts_cat_class_human_mode" in written[column]  # the reference, named by its column as before
        # named as the catalogue's own reference column is, "cat class_human_mode" (it said "cat (class_ml)" of the
        # one and "cat class_human_mode" of the other until 2026-12-07)
        assert any(t.startswith(f"cat {column}: U-B vs V-I") for t in titles), titles
        assert any(t.startswith("cat class_human_mode: U-B vs V-I") for t in titles), titles
        assert not any("(" in t.split(":")[0] for t in titles), titles
        counts = Table.read(out / "tables" / f"box_counts_cat_{column}.ecsv")
        assert int(np.sum([counts[c] for c in counts.colnames if c.startswith("box")])) > 0
    # the class-dependent science tables of one column are not written under the other's names
    science = ("box_counts_cat", "mass_functions_cat", "age_distributions_cat")
    ml = {n for n in written["class_ml"] if n.startswith(science) and "class_human_mode" not in n}
    h1 = {n for n in written["class_h1"] if n.startswith(science) and "class_human_mode" not in n}
    assert ml and h1 and not ml & h1, (ml, h1)


def test_the_quality_ratio_and_common_box_counts_name_the_scored_column_against_another_file(tmp_path):
    # `evaluate A.ecsv --pred-column class_ml -r B.ecsv` wrote box_counts_a_class_ml.ecsv but named the same counts
    # n_A in quality_ratio.ecsv and A in box_counts_common.ecsv: the file alone, as any other column of A would be
    from starclass.datasets.catalogs import fake_catalogs

    cat, truth = fake_catalogs(120, seed=1)
    cat["class_ml"] = cat["class_pred"]
    cat.remove_column("class_pred")
    cat.write(tmp_path / "A.ecsv")
    truth.write(tmp_path / "B.ecsv")
    out = tmp_path / "out"
    res = runner.invoke(app, ["evaluate", str(tmp_path / "A.ecsv"), "--pred-column", "class_ml", "-r",
                              str(tmp_path / "B.ecsv"), "--bootstrap", "0", "-o", str(out)])
    assert res.exit_code == 0, res.output
    tables = out / "tables"
    assert (tables / "box_counts_a_class_ml.ecsv").exists()
    qr = Table.read(tables / "quality_ratio.ecsv")
    assert "n_A_class_ml" in qr.colnames and "n_A" not in qr.colnames, qr.colnames
    assert list(qr.meta["methods"]) == ["A_class_ml", "B"]
    common = Table.read(tables / "box_counts_common.ecsv")
    assert set(common["catalogue"]) == {"A_class_ml", "B"}, set(common["catalogue"])
    # the counts are the class_ml column's, counted by hand on the objects both catalogues classify (all 120)
    assert qr.meta["objects"] == len(cat)
    mine = common[(common["catalogue"] == "A_class_ml") & (common["class"] == "1")]
    assert int(mine["n"][0]) == int(np.sum(np.asarray(cat["class_ml"]) == 1))
