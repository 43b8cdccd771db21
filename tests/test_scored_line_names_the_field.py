"""The "scored column" line names a LEGUS catalogue by its field, as the lines around it do.

``evaluate NGC1566.tab --pred-column class_ml`` said "ngc1566 is /the/long/path/hlsp_legus_..._avgapcor.tab (the
LEGUS field its name holds)" and on the next line "scored column class_ml of /the/long/path/hlsp_legus_...tab":
the path the line before had just given a short name, twice in two lines. The path is said once, in the line
that names the field; the scored line (and the report's notes, which carry it) say ``ngc1566``.
"""

from __future__ import annotations

import numpy as np
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.evaluate.compare import evaluate_catalogs

runner = CliRunner()

LEGUS_NAME = "hlsp_legus_hst_wfc3_ngc1566_multiband_v1_padagb-mwext-avgapcor.ecsv"


def _legus_like(folder, with_pred: bool = False):
    rng = np.random.default_rng(11)
    n = 60
    ml = rng.integers(1, 5, n)
    human = np.where(rng.random(n) < 0.7, ml, rng.integers(1, 5, n))
    cols = {"id": np.arange(1, n + 1), "x": rng.uniform(0, 500, n), "y": rng.uniform(0, 500, n),
            "class_ref": human, "class_ml": ml}
    path = folder / "a" / "long" / "folder" / LEGUS_NAME
    path.parent.mkdir(parents=True)
    Table(cols).write(path)
    return path


def test_the_scored_line_names_the_field_after_the_line_that_gives_its_path(tmp_path):
    path = _legus_like(tmp_path)
    res = runner.invoke(app, ["evaluate", str(path), "--pred-column", "class_ml", "-r", "self", "--bootstrap", "0",
                              "--no-science", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    lines = res.stdout.splitlines()
    named = [ln for ln in lines if ln.startswith("ngc1566 is ")]
    assert named == [f"ngc1566 is {path} (the LEGUS field its name holds)"], lines
    scored = [ln for ln in lines if ln.startswith("scored column class_ml of ")]
    assert len(scored) == 1 and scored[0].startswith("scored column class_ml of ngc1566, "), scored
    assert lines.index(named[0]) < lines.index(scored[0]), lines
    # the path is said once on stdout: in the line that names the field (and in the closing next: line's
    # command, which must name the file to run as given)
    assert sum(str(path) in ln for ln in lines if not ln.startswith("next: ")) == 1, lines


def test_a_class_ref_scored_as_the_prediction_is_named_by_its_field(tmp_path):
    path = _legus_like(tmp_path)
    ref = Table.read(path)
    ref["class_ref"] = ref["class_ml"]
    ref.remove_column("class_ml")
    ref.write(tmp_path / "truth.ecsv")
    ev = evaluate_catalogs(str(path), [str(tmp_path / "truth.ecsv")], task="phangs4", n_boot=0)
    assert ev.scored.startswith("scored column class_ref of ngc1566 as the prediction"), ev.scored
    notes = ev.comparisons[0].notes
    assert notes[0] == f"ngc1566 is {path} (the LEGUS field its name holds)", notes
    # a file of no field keeps the name it was given: no line says which file a shorter name is
    plain = tmp_path / "plain.ecsv"
    Table.read(path).write(plain)
    ev = evaluate_catalogs(str(plain), [str(tmp_path / "truth.ecsv")], task="phangs4", n_boot=0)
    assert ev.scored.startswith(f"scored column class_ref of {plain} as the prediction"), ev.scored
