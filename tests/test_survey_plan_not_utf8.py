"""A survey plan saved in another encoding than UTF-8 is named with its line, not a traceback.

read_plan opened a CSV plan with the encoding csv_dialect guessed (UTF-8) and read a YAML plan with
Path.read_text(): a plan saved in the Windows code page (a spreadsheet's 'CSV', an editor's 'é')
ended 'starclass survey' with a UnicodeDecodeError traceback, exit 1.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.survey.plan import read_plan

PLANS = {
    "plan.csv": ("name,mosaics\nchamp_é,field\n", "line 2 is not UTF-8 text ('champ_\\xe9,field', byte 0xe9)"),
    "plan.yaml": ("fields:\n  - name: champ_é\n    mosaics: field\n",
                  "line 2 is not UTF-8 text ('  - name: champ_\\xe9', byte 0xe9)"),
}


@pytest.mark.parametrize("name", sorted(PLANS))
def test_read_plan_names_the_line_that_is_not_utf8(tmp_path, name):
    text, said = PLANS[name]
    plan = tmp_path / name
    plan.write_bytes(text.encode("cp1252"))
    with pytest.raises(StarclassError) as info:
        read_plan(plan)
    assert str(info.value).startswith(f"plan {plan}: {said}: "), info.value


def test_survey_refuses_a_plan_not_in_utf8_with_exit_2(tmp_path):
    pytest.importorskip("distributed")
    text, said = PLANS["plan.csv"]
    plan = tmp_path / "plan été.csv"
    plan.write_bytes(text.encode("cp1252"))
    out = tmp_path / "run"
    res = CliRunner().invoke(app, ["survey", str(plan), "-o", str(out), "--no-progress"])
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output and f"plan {plan}: {said}" in " ".join(res.output.split()), res.output
    assert not out.exists()
