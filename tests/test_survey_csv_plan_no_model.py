"""A CSV plan without ``--model`` is told to give ``--model``: a CSV plan has no place for ``model:``.

Walking docs/survey.md (2026-12-07), ``starclass survey plan.csv -o run/`` said ``no model (give 'model:' in
the plan or --model)``, the first half of which a CSV plan (rows of fields; its settings come from the
options) cannot follow. A YAML plan is told both, as before.
"""

from __future__ import annotations

import pytest

from starclass.errors import StarclassError
from starclass.survey.plan import check_settings, read_plan


@pytest.mark.parametrize(("name", "body", "said", "not_said"), [
    ("plan.csv", "name,mosaics\nA,a\n", "no model (give --model: a CSV plan's settings come from the options)",
     "'model:'"),
    ("plan.yaml", "fields:\n  - {name: A, mosaics: a}\n", "no model (give 'model:' in the plan or --model)", None),
])
def test_the_missing_model_is_asked_for_as_the_plan_can_give_it(tmp_path, name, body, said, not_said):
    (tmp_path / "a").mkdir()
    (tmp_path / name).write_text(body)
    with pytest.raises(StarclassError) as info:
        check_settings(read_plan(tmp_path / name))
    assert said in str(info.value) and name in str(info.value), str(info.value)
    if not_said:
        assert not_said not in str(info.value), str(info.value)
