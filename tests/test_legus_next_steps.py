"""A LEGUS file's dead ends say the next step, and its warnings come after the line naming it.

Found in a user walk of the LEGUS folder (2026-12-07): ``evaluate FILE.tab --pred-column class_ref`` did not
suggest ``--catalogs FILE`` as the command without ``--pred-column`` did; ``info`` of an 'expert' or
'standard+extra' file printed its layout warning above the ``catalogue:`` line, and that warning (unlike
'unknown-class''s) gave no next step.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from starclass.cli import app
from starclass.datasets.catalogs import write_fake_legus_folder

runner = CliRunner()


def _one_tab(tmp_path: Path) -> Path:
    folder = write_fake_legus_folder(tmp_path / "legus")
    return sorted(folder.glob("*.tab"))[0]


def test_pred_column_class_ref_of_a_legus_file_suggests_catalogs(tmp_path: Path) -> None:
    tab = _one_tab(tmp_path)
    plain = runner.invoke(app, ["evaluate", str(tab), "-o", str(tmp_path / "ev")])
    res = runner.invoke(app, ["evaluate", str(tab), "--pred-column", "class_ref", "-o", str(tmp_path / "ev")])
    assert plain.exit_code == 2 and res.exit_code == 2, res.output
    step = f"give it as --catalogs {tab}"
    assert step in " ".join(plain.output.split()), plain.output
    assert step in " ".join(res.output.split()), res.output
    assert "Traceback" not in res.output and not (tmp_path / "ev").exists()


def test_an_expert_layout_warning_comes_after_the_file_and_gives_a_step(tmp_path: Path) -> None:
    tab = _one_tab(tmp_path)
    raw = np.loadtxt(tab)
    raw[raw[:, 33] == 0, 33] = 5  # one expert's "not inspected" mark (NGC 4449's layout)
    raw = np.column_stack([raw, np.zeros(len(raw))])  # and a column after it: the layout is then uncertain
    np.savetxt(tab, raw, fmt="%.5f")
    res = runner.invoke(app, ["info", str(tab)])
    assert res.exit_code == 0, res.output
    lines = res.output.splitlines()
    head = next(i for i, line in enumerate(lines) if line.startswith("catalogue: "))
    warned = [i for i, line in enumerate(lines) if "LEGUS layout 'expert' is uncertain" in line]
    assert len(warned) == 1 and warned[0] > head, res.output
    # the path read, not FILE (since 2026-12-07)
    assert "--map class_ref=34" in lines[warned[0]] and f"info {tab} --map class_ref=N" in lines[warned[0]]
    # the step it gives ends the warning
    mapped = runner.invoke(app, ["info", str(tab), "--map", "class_ref=34"])
    assert mapped.exit_code == 0 and "is uncertain" not in mapped.output, mapped.output
