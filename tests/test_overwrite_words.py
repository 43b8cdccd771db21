"""Refusals of an existing output name the Python argument too, not only the command-line option.

``write_cutouts(cfg, d)`` and every function writing a folder through ``atomic_dir``
(``explain``, ``simulate``'s folders, ...) told a notebook user to "give --overwrite", an option
their call does not have; ``CNNClassifier.save`` and ``write_field`` already said
``overwrite=True``.
"""

from __future__ import annotations

import pytest

from starclass.errors import StarclassError
from starclass.io.atomic import atomic_dir
from starclass.simulate.cutouts_m31 import CutoutSimConfig, write_cutouts


def test_atomic_dir_refusal_names_overwrite_true(tmp_path):
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "old.txt").write_text("kept")
    with pytest.raises(StarclassError, match=r"give --overwrite \(overwrite=True in Python\) to replace it"):
        with atomic_dir(tmp_path / "out"):
            pass
    assert (tmp_path / "out" / "old.txt").read_text() == "kept"


def test_write_cutouts_refusal_names_overwrite_true(tmp_path):
    out = tmp_path / "set"
    (out / "galaxy").mkdir(parents=True)
    (out / "labels.csv").write_text("file,label\n")
    with pytest.raises(StarclassError, match=r"give --overwrite \(overwrite=True in Python\) to replace it"):
        write_cutouts(CutoutSimConfig(n=2), out)


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
    assert " ".join(r.output.split()) == f"error: {backup} exists; give --overwrite to replace it"
    assert (tmp_path / "labels.ecsv").read_text() == "kept"
