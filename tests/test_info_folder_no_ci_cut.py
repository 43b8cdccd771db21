"""``info DIR`` prints "--" for the CI cut of a field with no inspected source, not "nan".

Found walking docs/io.md (2026-12-06): ``starclass info ../shared/data/legus/`` showed NGC 3351, NGC 4242 and NGC 45
(no class column) with ``ci_cut`` ``nan``, which reads as a cut that came out wrong; they have none.
"""

from __future__ import annotations

from typer.testing import CliRunner

from starclass.cli import app
from starclass.datasets.catalogs import write_fake_legus_folder

runner = CliRunner()


def test_a_field_without_inspected_sources_has_no_cut_printed(tmp_path):
    legus = write_fake_legus_folder(tmp_path / "legus", n=40)
    (p,) = legus.glob("*ngc1433*.tab")
    rows = [line.split() for line in p.read_text().splitlines() if line.strip()]
    # column 34 (the class) to 0 on every row: nobody inspected any source of the field
    p.write_text("\n".join(" ".join(r[:33] + ["0"] + r[34:]) for r in rows) + "\n")
    res = runner.invoke(app, ["info", str(legus)])
    assert res.exit_code == 0, res.output
    (row,) = [s for s in res.output.splitlines() if s.strip().startswith("ngc1433 ")]
    assert "nan" not in row and " -- " in row, row
    others = [s for s in res.output.splitlines() if s.strip().startswith(("ngc628-c ", "ngc7793-w "))]
    assert len(others) == 2 and all("--" not in s for s in others), others  # their cuts as before
