"""``evaluate`` / ``report`` name ``--distance`` and ``--radius`` when their values are no numbers to use.

``--distance -1`` (or ``inf``) was refused after the catalogues were read, as ``distance must be a
positive number of Mpc`` (the distance modulus's words, no option), and ``--radius inf`` passed the
option's own check to be refused by the matcher as ``matching radius must be ...``, an option no
command has. Both are now refused by the option's name before any file is read.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()


@pytest.mark.parametrize("command", ["evaluate", "report"])
@pytest.mark.parametrize("option, value, said", [
    ("--distance", "-1", "--distance must be between 0.01 and 1000 Mpc, got -1.0"),
    ("--distance", "inf", "--distance must be between 0.01 and 1000 Mpc, got inf"),
    ("--radius", "inf", "--radius must be a positive number of pixels, at most 50, got inf"),
])
def test_the_option_is_named_before_any_file_is_read(tmp_path, command, option, value, said):
    # the catalogue does not exist: refused for the option first, before any reading
    res = runner.invoke(app, [command, str(tmp_path / "pred.ecsv"), "-r", "self", option, value,
                              "-o", str(tmp_path / ("out.html" if command == "report" else "out"))])
    assert res.exit_code == 2, res.output
    assert said in " ".join(res.output.split()), res.output
    assert not any(tmp_path.iterdir())
