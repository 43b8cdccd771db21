"""A plan's field at fault ends its refusal as every field refusal does: nothing ran, how to go on without it.

Before, a missing positions (or truth, or mosaics) file stopped at "... not found", while the same
plan's band missing from a field said "Nothing was run; to survey the other fields without it,
delete field 'a' from the plan". A CSV plan's row came after that advice; it now comes beside the field.
"""

from __future__ import annotations

import pytest

from starclass.errors import StarclassError
from starclass.survey.plan import read_plan


@pytest.mark.parametrize(("entry", "said"), [
    ("{name: a, mosaics: m, positions: nowhere.ecsv}", "positions catalogue .*nowhere.ecsv not found"),
    ("{name: a, mosaics: m, truth: nowhere.ecsv}", "truth catalogue .*nowhere.ecsv not found"),
    ("{name: a, mosaics: [m, gone.fits]}", "mosaics .*gone.fits not found"),
    ("{name: a, mosaics: []}", "no mosaics"),
])
def test_a_field_refused_by_the_plan_says_nothing_ran_and_how_to_go_on(tmp_path, entry, said):
    (tmp_path / "m").mkdir()
    plan = tmp_path / "plan.yaml"
    plan.write_text(f"model: x\nfields:\n  - {{name: b, mosaics: m}}\n  - {entry}\n")
    with pytest.raises(StarclassError, match=f"field 'a': {said}") as exc:
        read_plan(plan)
    assert str(exc.value).endswith(
        ". Nothing was run; to survey the other fields without it, delete field 'a' from the plan"), exc.value


def test_a_csv_plan_names_the_row_beside_the_field_not_after_the_advice(tmp_path):
    (tmp_path / "m").mkdir()
    plan = tmp_path / "plan.csv"
    plan.write_text("name,mosaics,positions\nb,m,\na,m,nowhere.ecsv\n")
    with pytest.raises(StarclassError) as exc:
        read_plan(plan)
    text = str(exc.value)
    assert f"plan {plan}, field 'a' (row 2 (line 3 of the file)): positions catalogue" in text, text
    assert text.endswith("delete field 'a' from the plan"), text
