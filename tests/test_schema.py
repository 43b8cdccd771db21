"""The column registry in code and its documentation agree; the name helpers round-trip."""

from __future__ import annotations

import re

import astropy.units as u
import numpy as np
import pytest
from astropy.table import MaskedColumn, Table

from starclass import schema
from starclass.errors import StarclassError


def _documented_names() -> list[str]:
    """Column names listed in the table of schema's module docstring."""
    lines = schema.__doc__.splitlines()
    rules = [n for n, line in enumerate(lines) if re.fullmatch(r"=+(  =+)+", line)]
    assert len(rules) == 3, "schema's docstring should hold one reStructuredText table"
    return [line.split()[0] for line in lines[rules[1] + 1 : rules[2]] if line.strip()]


def test_every_registry_column_is_documented_and_every_documented_column_registered():
    documented = _documented_names()
    assert sorted(documented) == sorted(schema.COLUMNS), (
        "schema docstring and COLUMNS differ: paste starclass.schema.column_table() into the docstring"
    )
    assert schema.column_table() in schema.__doc__


def test_fixed_name_constants_are_registered():
    constants = {v for k, v in vars(schema).items() if k.isupper() and isinstance(v, str)}
    assert constants, "no constants found"
    assert {c for c in constants if c not in schema.COLUMNS} == set()


@pytest.mark.parametrize(
    ("built", "pattern"),
    [
        (schema.mag_col("F555W"), "mag_<band>"),
        (schema.magerr_col("f814w"), "magerr_<band>"),
        (schema.mag_true_col("f336w"), "mag_true_<band>"),
        (schema.mci_col(4), "mci_<r>"),
        (schema.prob_col(3), "prob_<k>"),
        (schema.human_col(2), "class_h<h>"),
        (schema.member_col(7), "class_m<i>"),
    ],
)
def test_helpers_build_names_of_their_pattern(built, pattern):
    assert schema.find_column(built) is schema.COLUMNS[pattern]
    assert schema.describe(built).name == built


def test_band_columns():
    assert schema.band_of("mag_f555w") == "f555w"
    assert schema.band_of("magerr_f438w") == "f438w"
    assert schema.band_of("mag_true_f814w") == "f814w"
    assert schema.band_of("mci_2") is None
    assert schema.is_band_column("mag_g") and not schema.is_band_column("class_ref")
    # the true magnitude is not an observed magnitude of a band called "true_f814w"
    assert schema.describe("mag_true_f814w").description.startswith("simulated true")


def test_lookups_of_unknown_names():
    assert schema.find_column("flux") is None
    assert not schema.is_known("class_hx")
    assert schema.unit_of("flux") is None
    with pytest.raises(KeyError, match="not a starclass schema column"):
        schema.describe("flux")


def test_units_and_dtypes():
    assert schema.unit_of("x") == u.pix
    assert schema.unit_of("ra") == u.deg
    assert schema.unit_of("mag_f555w") == u.mag
    assert schema.unit_of("mass_max") == u.Msun
    assert schema.unit_of("age") == u.yr
    assert schema.unit_of(schema.CLASS_REF) is None
    for col in schema.COLUMNS.values():
        assert col.dtype == "str" or np.dtype(col.dtype), col.name


def test_table_readers():
    t = Table({"mag_f814w": [1.0], "magerr_f814w": [0.1], "mag_f555w": [2.0], "mag_true_f336w": [3.0],
               "prob_2": [0.3], "prob_1": [0.7], "prob_std": [0.0], "class_h10": [1], "class_h2": [3]})
    assert schema.bands_in(t) == ["f814w", "f555w"]
    assert schema.prob_classes(t) == [1, 2]
    assert schema.prob_cols(schema.prob_classes(t)) == ["prob_1", "prob_2"]
    assert schema.human_cols(t) == ["class_h2", "class_h10"]


def test_set_units_touches_only_schema_columns():
    t = schema.set_units(Table({"y": [1.0], "mci_3": [0.2], "flux": [5.0], "class_pred": [1]}))
    assert t["y"].unit == u.pix and t["mci_3"].unit == u.mag
    assert t["flux"].unit is None and t["class_pred"].unit is None


def test_class_array_reads_masked_nan_and_rejects_subclasses():
    t = Table({"c": MaskedColumn([1.0, 2.0, np.nan, -1.0], mask=[False, True, False, False])})
    assert schema.class_array(t, "c").tolist() == [1, 0, 0, 0]
    with pytest.raises(StarclassError, match="row 2"):  # the second row, counted from 1
        schema.class_array(Table({"c": [1.0, 4.2]}), "c")
    with pytest.raises(StarclassError, match="no column 'class_ref'"):
        schema.class_array(Table({"c": [1]}), schema.CLASS_REF)


def test_class_array_old_import_path_still_works():
    from starclass.evaluate.metrics import class_array

    assert class_array is schema.class_array


@pytest.mark.parametrize("cells", [[1.0, np.inf, 2.0], [1.0, -np.inf, 2.0], ["1", "inf", "2"]])
def test_class_array_refuses_an_infinite_vote_naming_its_row(cells):
    # 'inf' in a class_h<k> vote column was read as no vote without a word
    with pytest.raises(StarclassError, match=r"votes, column 'class_h1', row 2.*not a class number"):
        schema.class_array(Table({"class_h1": cells}), "class_h1", name="votes")


@pytest.mark.parametrize("cell", ["inf", "-inf"])
def test_a_catalogues_infinite_class_is_refused_by_evaluate_naming_its_row(tmp_path, cell):
    """read_catalog's class_ref/class_pred check read 'inf' as class 0 (no class) without a word."""
    from typer.testing import CliRunner

    from starclass.cli import app

    (tmp_path / "pred.csv").write_text("id,x,y,class_pred,prob_1,prob_2\n1,1,1,1,0.9,0.1\n2,5,5,2,0.2,0.8\n")
    (tmp_path / "ref.csv").write_text(f"id,x,y,class_ref\n1,1,1,1\n2,5,5,{cell}\n")
    res = CliRunner().invoke(app, ["evaluate", str(tmp_path / "pred.csv"), "-r", str(tmp_path / "ref.csv"),
                                   "-o", str(tmp_path / "ev")])
    assert res.exit_code == 2, res.output
    assert "column 'class_ref' in " in res.output and f"class {cell} in row 2 (id 2)" in res.output, res.output
    assert not (tmp_path / "ev").exists()
