"""``evaluate --catalogs DIR --map``: the LEGUS fields whose layout the reader calls uncertain can be scored.

Until 2026-12-06 ``--map`` was ``info``'s alone: NGC 3351, NGC 4242 and NGC 45 (class in column 35), NGC 5474
and ESO 486-G021 (columns of unknown meaning after the class) and NGC 4449 (one expert's class) were left out
of ``evaluate --catalogs`` and ``report --catalogs`` with no way to name their class column. The map has
``info``'s meaning (a LEGUS column number, applied to the files of uncertain layout only), and ``FIELD:`` before
it names one field's.
"""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import SHARED_DATA  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.datasets.catalogs import write_fake_legus_folder
from starclass.errors import StarclassError
from starclass.science import many
from test_io_legus import _line, _standard_row

runner = CliRunner()

UNCERTAIN = "hlsp_legus_hst_acs-wfc3_ngc3351_multiband_v1_padagb-mwext-avgapcor.tab"


def _folder(tmp_path, seed=1):
    folder = write_fake_legus_folder(tmp_path / "legus", n=60)
    rng = np.random.default_rng(seed)
    classes = rng.integers(0, 5, 40)
    # NGC 3351's layout: column 34 a 0/1 flag, the classes in column 35, two flags after them (37 columns)
    rows = [_standard_row(i, int(c > 0), float(c), mag=21.0 + 0.05 * i, extra=(0, 1))
            for i, c in enumerate(classes, 1)]
    (folder / UNCERTAIN).write_text("\n".join(_line(r) for r in rows) + "\n")
    return folder, classes


def test_a_map_reads_the_uncertain_field_and_leaves_the_others_as_read(tmp_path):
    folder, classes = _folder(tmp_path)
    fields, skipped = many.load_fields(folder, min_inspected=1)
    assert "ngc3351" not in fields and "ngc3351" in list(skipped["field"])  # without a map, as before
    plain = {k: np.asarray(t["class_ref"]).tolist() for k, t in fields.items()}
    fields, skipped = many.load_fields(folder, min_inspected=1, column_maps={"": {"35": "class_ref"}})
    assert len(skipped) == 0
    assert np.asarray(fields["ngc3351"]["class_ref"]).tolist() == classes.tolist()
    # the standard files keep their own column 34 (class_ref=35 on them would read the people's means)
    assert {k: np.asarray(t["class_ref"]).tolist() for k, t in fields.items() if k != "ngc3351"} == plain
    assert fields["ngc3351"].meta["mapped"] == {"col35": "class_ref"}


def test_a_field_map_takes_the_place_of_the_map_for_every_field(tmp_path):
    folder, classes = _folder(tmp_path)
    maps = many.parse_field_maps(["class_ref=34", "NGC3351:class_ref=35"])
    fields, _ = many.load_fields(folder, min_inspected=1, column_maps=maps)
    assert np.asarray(fields["ngc3351"]["class_ref"]).tolist() == classes.tolist()
    with pytest.raises(StarclassError, match="no catalogue in .* is of field 'ngc3315'"):
        many.load_fields(folder, min_inspected=1, column_maps=many.parse_field_maps(["ngc3315:class_ref=35"]))


@pytest.mark.parametrize("command", ["evaluate", "report"])
def test_the_commands_hand_the_maps_to_the_study(command, tmp_path, monkeypatch):
    import starclass.report.many as report_many

    def study(directory, **kwargs):  # the study itself is tested above and below: here what it is given
        raise StarclassError(f"given {kwargs.get('column_maps')}")

    monkeypatch.setattr(report_many, "many_field_tables", study)
    folder, _ = _folder(tmp_path)
    res = runner.invoke(app, [command, "--catalogs", str(folder), "--map", "class_ref=34", "--map",
                              "ngc3351:class_ref=35", "-o", str(tmp_path / "o")])
    assert "given {'': {'34': 'class_ref'}, 'ngc3351': {'35': 'class_ref'}}" in res.output, res.output


@pytest.mark.slow
def test_evaluate_catalogs_takes_map(tmp_path):
    folder, classes = _folder(tmp_path)
    res = runner.invoke(app, ["evaluate", "--catalogs", str(folder), "--min-inspected", "1", "--map", "class_ref=35",
                              "-o", str(tmp_path / "many")])
    assert res.exit_code == 0, res.output
    assert f"4 fields from {folder}" in res.output and "left out" not in res.output
    assert "--map read ngc3351 with col35 -> class_ref" in res.output
    assert "not applied to 3 fields of a certain layout" in res.output


@pytest.mark.parametrize("command", ["evaluate", "report"])
def test_map_refused_as_it_must_be(command, tmp_path):
    folder, _ = _folder(tmp_path)
    res = runner.invoke(app, [command, "--catalogs", str(folder), "--map", "X_IMAGE=x", "-o", str(tmp_path / "o")])
    assert res.exit_code == 2 and "no column number" in res.output, res.output
    assert not (tmp_path / "o").exists()
    (tmp_path / "p.ecsv").write_text("# %ECSV 1.0\n# ---\n# datatype:\n# - {name: id, datatype: int64}\nid\n1\n")
    res = runner.invoke(app, [command, str(tmp_path / "p.ecsv"), "--map", "class_ref=35", "-o", str(tmp_path / "o")])
    assert res.exit_code == 2 and "or to --catalogs DIR, and none of p.ecsv is one" in res.output, res.output


LEGUS = SHARED_DATA / "legus"


@pytest.mark.slow
@pytest.mark.skipif(not LEGUS.is_dir(), reason="needs ../shared/data/legus")
def test_every_real_legus_field_can_be_read_with_maps():
    # the class of NGC 3351, NGC 4242 and NGC 45 in column 35, of the other three of uncertain layout in 34
    # (the folder's README and layouts.csv)
    maps = many.parse_field_maps(["class_ref=34", *(f"{f}:class_ref=35" for f in ("ngc3351", "ngc4242", "ngc45"))])
    fields, skipped = many.load_fields(LEGUS, min_inspected=1, column_maps=maps)
    assert len(fields) == 35 and len(skipped) == 0, list(skipped)
    for name in ("ngc3351", "ngc4242", "ngc45", "ngc4449", "ngc5474", "eso486-g021"):
        assert fields[name].meta["mapped"], name
    assert not fields["ngc628-c"].meta["mapped"] and fields["ngc628-c"].meta["map_not_applied"]
