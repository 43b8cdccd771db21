"""Refusals of an existing output name the Python argument in Python and the option on the command line.

``write_cutouts(cfg, d)`` and every function writing a folder through ``atomic_dir``
(``explain``, ``simulate``'s folders, ...) told a notebook user to "give --overwrite", an option
their call does not have; ``CNNClassifier.save`` and ``write_field`` already said
``overwrite=True``. Then both said "give --overwrite (overwrite=True in Python)", while
``errors.exists_refusal`` said "give overwrite=True to replace it" and the command line
(``errors.cli_words``) "give --overwrite", and ``calibrate`` "pass --overwrite": one wording now,
each audience its own name.
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError, cli_words
from starclass.io.atomic import atomic_dir
from starclass.simulate.cutouts_m31 import CutoutSimConfig, write_cutouts


def test_atomic_dir_refusal_names_overwrite_true(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "old.txt").write_text("kept")
    with pytest.raises(StarclassError) as exc:
        with atomic_dir(tmp_path / "out"):
            pass
    # the old code: "give --overwrite (overwrite=True in Python) to replace it"
    said = f"output folder {tmp_path / 'out'} exists and is not empty; give overwrite=True to replace it"
    assert str(exc.value) == said
    with pytest.raises(StarclassError) as exc:
        with atomic_dir(tmp_path / "out", overwrite=True, own=("new.txt",)):
            pass
    assert str(exc.value).endswith("refusing to replace it even with overwrite=True"), exc.value
    assert cli_words(str(exc.value)).endswith("refusing to replace it even with --overwrite")
    assert (tmp_path / "out" / "old.txt").read_text() == "kept"


def test_write_cutouts_refusal_names_overwrite_true(tmp_path):
    out = tmp_path / "set"
    (out / "galaxy").mkdir(parents=True)
    (out / "labels.csv").write_text("file,label\n")
    with pytest.raises(StarclassError) as exc:
        write_cutouts(CutoutSimConfig(n=2), out)
    assert str(exc.value).endswith("; give overwrite=True to replace it, or another folder"), exc.value
    assert "--overwrite" not in str(exc.value)


@pytest.mark.parametrize(("case", "said"), [
    ("a-set", "; give --overwrite to replace it, or another folder"),
    ("an-incomplete-set", "; give --overwrite to replace it, or another folder"),
    ("a-foreign-file", "which --overwrite would not replace either; give another folder"),
    ("a-labelled-folder", "which --overwrite would delete too; give another folder"),
])
def test_simulate_says_overwrite_and_not_the_python_argument(tmp_path, case, said):
    """The command line let write_cutouts' "give --overwrite (overwrite=True in Python)" through."""
    out = tmp_path / "set"
    args = ["simulate", str(out), "--preset", "pandas-cutouts", "--n", "2", "--no-progress"]
    if case == "a-labelled-folder":
        (out / "galaxy").mkdir(parents=True)
        (out / "galaxy" / "own.png").write_text("a user's cutout")
    else:
        assert CliRunner().invoke(app, args).exit_code == 0
        if case == "an-incomplete-set":
            (out / "labels.csv").unlink()
        if case == "a-foreign-file":
            (out / "notes.txt").write_text("kept")
    before = sorted(p.relative_to(out).as_posix() for p in out.rglob("*"))
    res = CliRunner().invoke(app, args)
    assert res.exit_code == 2, res.output
    text = " ".join(res.output.split())
    assert said in text and "overwrite=True" not in text, text
    assert sorted(p.relative_to(out).as_posix() for p in out.rglob("*")) == before


def test_an_atomic_dir_folder_on_the_command_line_says_overwrite(tmp_path):
    out = tmp_path / "field"
    out.mkdir()
    (out / "old.txt").write_text("kept")
    res = CliRunner().invoke(app, ["simulate", str(out), "--size", "64", "--n-candidates", "5"])
    assert res.exit_code == 2, res.output
    said = " ".join(res.output.split())
    assert "overwrite=True" not in said and "give --overwrite" in said, said
    assert (out / "old.txt").read_text() == "kept"


def test_python_calls_name_their_parameter_beside_the_cli_option():
    # a notebook user was told "--device 'tpu'", "--label-model 'vote'", "--by 'margn'", "-n must be >= 1":
    # options of commands they never ran, for parameters called device, model, by and n
    import numpy as np
    from astropy.table import Table

    from starclass.learn.labels import vote_targets
    from starclass.learn.precision import pick_device
    from starclass.suggest.pick import informativeness, pick

    with pytest.raises(StarclassError, match=r"--device \(device= in Python\) 'tpu'"):
        pick_device("tpu")
    with pytest.raises(StarclassError, match=r"--label-model \(model= in Python\) 'vote'"):
        vote_targets(Table({"h1": [1, 2]}), ["h1"], "vote")
    with pytest.raises(StarclassError, match=r"--by \(by= in Python\) 'margn'"):
        informativeness(Table({"prob_1": [0.9], "prob_2": [0.1]}), "margn")
    with pytest.raises(StarclassError, match=r"-n \(n= in Python\) must be >= 1"):
        pick(np.array([1.0, 2.0]), 0)
    with pytest.raises(StarclassError, match=r"--mag-bins \(bins= in Python\) must be >= 1"):
        pick(np.array([1.0, 2.0]), 1, mags=np.array([20.0, 21.0]), bins=0)


def test_python_writers_say_overwrite_true_and_the_command_line_says_overwrite(tmp_path):
    """``write_catalog`` and ``export_labels`` said "c.ecsv exists (overwrite=False)", not how to replace it,
    and ``backup_sqlite`` "pass --overwrite", an option a notebook's call does not have. They say
    ``overwrite=True`` now; ``inspect --backup`` (which lets backup_sqlite's message through) says --overwrite."""
    from astropy.table import Table
    from typer.testing import CliRunner

    from starclass.cli import app
    from starclass.inspect import db
    from starclass.inspect.backup import backup_sqlite
    from starclass.inspect.export import export_labels
    from starclass.io.catalog import write_catalog

    said = "exists (overwrite=False); give overwrite=True to replace it"
    table = Table({"id": [1], "x": [1.0], "y": [2.0]})
    cat = write_catalog(table, tmp_path / "c.ecsv")
    with pytest.raises(StarclassError) as exc:
        write_catalog(table, cat)
    assert str(exc.value) == f"{cat} {said}"

    data = tmp_path / "d"
    data.mkdir()
    engine = db.make_engine(str(data / "inspect.sqlite"))
    db.init_db(engine)
    (tmp_path / "labels.ecsv").write_text("kept")
    with pytest.raises(StarclassError) as exc:
        export_labels(engine, "", table, tmp_path / "labels.ecsv")
    assert str(exc.value) == f"{tmp_path / 'labels.ecsv'} {said}"
    backup = backup_sqlite(engine, tmp_path / "b.sqlite")
    with pytest.raises(StarclassError) as exc:
        backup_sqlite(engine, backup)
    assert str(exc.value) == f"{backup} {said}"
    engine.dispose()

    r = CliRunner().invoke(app, ["inspect", str(data), "--backup", str(backup)])
    assert r.exit_code == 2, r.output
    # the option named, as other outputs name theirs (it said "error: B exists; give --overwrite ...")
    assert " ".join(r.output.split()) == f"error: --backup {backup} exists; give --overwrite to replace it"
    assert (tmp_path / "labels.ecsv").read_text() == "kept"
