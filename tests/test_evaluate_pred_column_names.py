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
        assert any(t.startswith(f"cat ({column}): U-B vs V-I") for t in titles), titles
        counts = Table.read(out / "tables" / f"box_counts_cat_{column}.ecsv")
        assert int(np.sum([counts[c] for c in counts.colnames if c.startswith("box")])) > 0
    # the class-dependent science tables of one column are not written under the other's names
    science = ("box_counts_cat", "mass_functions_cat", "age_distributions_cat")
    ml = {n for n in written["class_ml"] if n.startswith(science) and "class_human_mode" not in n}
    h1 = {n for n in written["class_h1"] if n.startswith(science) and "class_human_mode" not in n}
    assert ml and h1 and not ml & h1, (ml, h1)
