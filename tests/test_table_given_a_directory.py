"""A survey plan, fields list or votes table given as a directory is called a directory, not "not found".

Before: each reader tested only ``is_file()``, so a folder named as the file (``runs.csv/``, a folder chosen in a
file dialog) was "plan runs.csv not found", "fields list d.csv: no such file", "votes table d.csv not found"
though it is there. Now each says it is a directory and what file to give.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.io.fields import read_fields_list
from starclass.learn.labels import read_votes
from starclass.survey.plan import read_plan


@pytest.mark.parametrize("reader,words", [(read_plan, "plan {p} is a directory; give the plan's .yaml or .csv file"),
                                          (read_fields_list, "fields list {p} is a directory; give the CSV"),
                                          (read_votes, "votes table {p} (train --labels / classify --votes) is a "
                                                       "directory; give the table of votes")])
def test_readers_say_directory(tmp_path, reader, words):
    p = tmp_path / "given.csv"
    p.mkdir()
    with pytest.raises(StarclassError) as err:
        reader(p)
    assert str(err.value).startswith(words.format(p=p)), err.value


def test_survey_says_directory(tmp_path):
    pytest.importorskip("distributed")
    p = tmp_path / "plan.csv"
    p.mkdir()
    res = CliRunner().invoke(app, ["survey", str(p), "-o", str(tmp_path / "run"), "--no-progress"])
    assert res.exit_code == 2 and "is a directory" in res.output and "Traceback" not in res.output, res.output
    assert not (tmp_path / "run").exists()
