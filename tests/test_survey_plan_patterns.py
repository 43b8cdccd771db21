"""A survey plan's ``mosaics`` may be a pattern (``fields/a_*.fits``), as a shell expands one on the command line.

Until 2026-12-06 a CSV plan's cell ``fields/*.fits`` was "mosaics .../fields/*.fits not found", a file of that name,
so that a CSV plan could give one file or one folder per field only, while every other command takes the band files
a shell pattern lists. Now a pattern is expanded relative to the plan (sorted, hidden files left out), a name that
exists is taken as it is, and a pattern that matches nothing is refused naming the field, its row and the pattern.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.survey.plan import read_plan


def _files(folder: Path, *names: str) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    for n in names:
        (folder / n).write_bytes(b"")  # read_plan looks at the names only
    return [folder / n for n in names]


def test_a_csv_cell_pattern_lists_the_files_it_matches_sorted(tmp_path):
    _files(tmp_path / "fields", "a_i.fits", "a_g.fits")  # written in another order than sorted
    _files(tmp_path / "fields", "b_g.fits", ".a_x.fits")  # another field's file, a hidden one
    (tmp_path / "plan.csv").write_text("name,mosaics\na,fields/a_*.fits\nb,fields/b_g.fits\n")
    plan = read_plan(tmp_path / "plan.csv")
    assert plan.fields[0].mosaics == (tmp_path / "fields" / "a_g.fits", tmp_path / "fields" / "a_i.fits")
    assert plan.fields[1].mosaics == (tmp_path / "fields" / "b_g.fits",)


def test_a_yaml_list_mixes_patterns_and_names_and_a_name_with_brackets_is_taken_as_it_is(tmp_path):
    _files(tmp_path / "m", "x_g.fits", "x_i.fits", "x_z.fits")
    literal = _files(tmp_path / "odd[1]", "y_g.fits")[0].parent  # a folder whose name reads as a pattern
    (tmp_path / "plan.yaml").write_text("fields:\n  - name: x\n    mosaics: ['m/x_[gi].fits', m/x_z.fits]\n"
                                        "  - name: y\n    mosaics: odd[1]\n")
    plan = read_plan(tmp_path / "plan.yaml")
    assert plan.fields[0].mosaics == tuple(tmp_path / "m" / n for n in ("x_g.fits", "x_i.fits", "x_z.fits"))
    assert plan.fields[1].mosaics == (literal,)


def test_the_plan_folder_s_own_name_is_not_read_as_a_pattern(tmp_path):
    base = tmp_path / "run[2]"
    _files(base / "f", "f_g.fits")
    _files(tmp_path / "run2" / "f", "f_i.fits")  # what 'run[2]' would match as a pattern
    (base / "plan.csv").write_text("name,mosaics\nf,f/*.fits\n")
    assert read_plan(base / "plan.csv").fields[0].mosaics == (base / "f" / "f_g.fits",)


def test_a_pattern_that_matches_nothing_names_row_and_pattern(tmp_path):
    _files(tmp_path / "fields", "a_g.fits")
    (tmp_path / "plan.csv").write_text("name,mosaics\na,fields/a_*.fits\nb,fields/b_*.fits\n")
    with pytest.raises(StarclassError) as err:
        read_plan(tmp_path / "plan.csv")
    assert str(err.value) == (f"plan {tmp_path / 'plan.csv'}, field 'b' (row 2 (line 3 of the file)): mosaics pattern "
                              f"'fields/b_*.fits' matches no file (in {tmp_path}). Nothing was run; to survey the "
                              "other fields without it, delete field 'b' from the plan")
    # the command: exit 2, the same words, nothing written
    res = CliRunner().invoke(app, ["survey", str(tmp_path / "plan.csv"), "-o", str(tmp_path / "run")])
    said = " ".join(res.output.split())
    assert res.exit_code == 2 and "mosaics pattern 'fields/b_*.fits' matches no file" in said, said
    assert "Traceback" not in said and not (tmp_path / "run").exists()
    # a plain name still says "not found", as before
    (tmp_path / "plan.csv").write_text("name,mosaics\na,fields/a_r.fits\n")
    with pytest.raises(StarclassError, match=r"field 'a' \(row 1 \(line 2 of the file\)\): mosaics .*a_r\.fits not "
                                             r"found"):
        read_plan(tmp_path / "plan.csv")


def test_a_pattern_plan_is_checked_against_model_and_mosaics_as_a_folder_plan(tmp_path):
    """Through prepare (the model loaded, every mosaic read, no cluster): the field's bands come from the matched
    files, as from the folder they lie in."""
    from starclass.bands import BANDS
    from starclass.io.mosaic import write_mosaic
    from starclass.learn.checkpoint import write_untrained_model
    from starclass.learn.config import get_preset
    from starclass.simulate import preset
    from starclass.simulate.field import make_wcs
    from starclass.survey.run import prepare

    write_untrained_model(tmp_path / "model", get_preset("m31-binary-compact"))
    rng = np.random.default_rng(5)
    (tmp_path / "f").mkdir()
    for b in ("g", "i"):
        write_mosaic(tmp_path / "f" / f"f_{b}.fits", rng.normal(0.0, 0.05, (64, 64)).astype("f4"), b,
                     make_wcs(preset("m31", shape=(64, 64))), photflam=BANDS[b].photflam, photplam=BANDS[b].photplam)
    for given in ("f", "f/f_*.fits"):
        (tmp_path / "plan.csv").write_text(f"name,mosaics\nf,{given}\n")
        plan = read_plan(tmp_path / "plan.csv").with_options(model=tmp_path / "model", tile_size=64, overlap=56)
        prepared = prepare(plan, tmp_path / "run")
        assert [sorted(info.band_paths) for info in prepared.fields] == [["g", "i"]], given


def test_a_csv_cell_lists_several_files_separated_by_semicolons_as_a_fields_list_does(tmp_path):
    """'f1/a.fits;f1/b.fits' was looked for as one file of that name ('not found'), though train's and cutouts'
    --fields lists split such a cell on ';' (one helper now, io.fields.split_list_cell)."""
    from starclass.io.fields import read_fields_list

    _files(tmp_path / "f1", "b.fits", "a.fits", "c_1.fits", "c_2.fits")
    (tmp_path / "cat.ecsv").write_text("")
    (tmp_path / "plan.csv").write_text("name,mosaics\none,f1/b.fits; f1/a.fits\ntwo,f1/a.fits;f1/c_*.fits;\n")
    plan = read_plan(tmp_path / "plan.csv")
    # in the order given (the band order is the mosaics' own, read later), a pattern among them expanded
    assert plan.fields[0].mosaics == (tmp_path / "f1" / "b.fits", tmp_path / "f1" / "a.fits")
    assert plan.fields[1].mosaics == tuple(tmp_path / "f1" / n for n in ("a.fits", "c_1.fits", "c_2.fits"))
    # the same cell in a fields list gives the same files
    (tmp_path / "fields.csv").write_text("mosaics,catalog\nf1/b.fits; f1/a.fits,cat.ecsv\n")
    assert read_fields_list(tmp_path / "fields.csv")[0].mosaics == plan.fields[0].mosaics
    # one of them missing is named alone, with its field and row
    (tmp_path / "bad.csv").write_text("name,mosaics\none,f1/a.fits;f1/gone.fits\n")
    with pytest.raises(StarclassError, match=r"field 'one' \(row 1 \(line 2 of the file\)\): mosaics .*f1/gone\.fits "
                                             r"not found"):
        read_plan(tmp_path / "bad.csv")
