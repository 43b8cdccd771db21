"""suggest given a stamp store says how to rank it (classify it, then suggest from that), as for a cutout folder.

``suggest MODEL stamps.h5 -o S.ecsv`` was told what every catalogue reader tells a store ("not a catalogue ...; give
the catalogue its stamps were cut from"), though suggest ranks a classification and ``classify --stamps`` reads
the store as it is. ``suggest --check-labels stamps.h5`` (and any table without MODEL or --task) stopped with a
TypeError traceback, exit 1.
"""

from __future__ import annotations

import re
import shlex

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from conftest import one_band_model
from starclass.cli import app
from test_docs_commands import problems

runner = CliRunner()


@pytest.fixture(scope="module")
def store_and_model(tmp_path_factory):
    from starclass.learn.checkpoint import load_model
    from starclass.stamps.store import write_stamp_store

    root = tmp_path_factory.mktemp("store")
    model = one_band_model(root / "model")
    cfg = load_model(model, "cpu").config
    rng = np.random.default_rng(1)
    store = write_stamp_store(root / "stamps.h5", rng.normal(0, 1, (6, cfg.n_channels, 16, 16)).astype(np.float32),
                              np.ones((6, 16, 16), bool), {"id": np.arange(1, 7), "x": np.arange(6.0) + 20,
                                                          "y": np.arange(6.0) + 20},
                              channels=list(cfg.bands), scales=list(cfg.scales), normalisation=cfg.normalisation)
    return root, store, model


def test_a_store_as_candidates_is_told_to_be_classified_first(store_and_model, tmp_path):
    root, store, model = store_and_model
    out = tmp_path / "s.ecsv"
    res = runner.invoke(app, ["suggest", str(model), str(store), "-o", str(out), "-n", "3"])
    assert res.exit_code == 2, res.output
    assert "Traceback" not in res.output and "required column" not in res.output
    assert f"{store} is a stamp store (written by 'starclass cutouts'), not classified candidates" in res.output
    lines = [ln.strip() for ln in res.output.splitlines() if ln.strip().startswith("starclass ")]
    assert len(lines) == 2 and lines[0].startswith(f"starclass classify --stamps {store} --model {model} -o ")
    assert not out.exists()
    # the two commands, run as printed, rank the store
    for line in lines:
        words = shlex.split(line)[1:]
        res = runner.invoke(app, words + (["--no-progress"] if words[0] == "classify" else []))
        assert res.exit_code == 0, res.output
    ranked = Table.read(out)
    assert len(ranked) == 3 and set(ranked["id"]) <= set(range(1, 7))


def test_check_labels_of_a_store_names_the_table_it_wants(store_and_model, tmp_path, monkeypatch):
    _, store, _ = store_and_model
    monkeypatch.chdir(tmp_path)
    (tmp_path / "cv").mkdir()  # an earlier cross-validation
    res = runner.invoke(app, ["suggest", "--check-labels", str(store), "-o", str(tmp_path / "l.ecsv")])
    assert res.exit_code == 2, res.output
    said = " ".join(res.output.split())
    assert f"--check-labels {store} is a stamp store" in said and "cv_predictions.ecsv" in said, said
    # the cross-validation it names writes to a folder not there yet (old code: '-o CV', a placeholder)
    (train,) = re.findall(r"'(starclass train [^']*)'", said)
    assert shlex.split(train)[-2:] == ["-o", "cv_1"] and "writes cv_1/cv_predictions.ecsv" in said, said
    assert not problems(shlex.split(train)[1:]), train
    assert not (tmp_path / "l.ecsv").exists()


def test_check_labels_without_a_model_reads_the_tables_own_classes(tmp_path):
    # MODEL is optional with --check-labels: a catalogue of out-of-fold probabilities without it was a TypeError
    t = Table({"id": [1, 2, 3, 4], "x": [1.0, 2, 3, 4], "y": [1.0, 2, 3, 4], "class_ref": [1, 2, 1, 2],
               "prob_1": [0.9, 0.1, 0.2, 0.8], "prob_2": [0.1, 0.9, 0.8, 0.2]})
    t.write(tmp_path / "cv_predictions.ecsv")
    res = runner.invoke(app, ["suggest", "--check-labels", str(tmp_path / "cv_predictions.ecsv"),
                              "-o", str(tmp_path / "look.ecsv")])
    assert res.exit_code == 0, res.output
    # rows 3 and 4: labelled 1 and 2, their probabilities point to the other class
    assert sorted(Table.read(tmp_path / "look.ecsv")["id"]) == [3, 4]


@pytest.fixture(scope="module")
def labelled_store(tmp_path_factory, store_and_model):
    """A store cut from a labelled catalogue: rows 1 and 2 have a class_ref, which classify --stamps copies."""
    from starclass.learn.checkpoint import load_model
    from starclass.stamps.store import write_stamp_store

    _, _, model = store_and_model
    cfg = load_model(model, "cpu").config
    rng = np.random.default_rng(2)
    out = write_stamp_store(tmp_path_factory.mktemp("labelled") / "stamps.h5",
                            rng.normal(0, 1, (6, cfg.n_channels, 16, 16)).astype(np.float32),
                            np.ones((6, 16, 16), bool), {"id": np.arange(1, 7), "x": np.arange(6.0) + 20,
                                                        "y": np.arange(6.0) + 20, "class_ref": [1, 2, 0, 0, 0, 0]},
                            channels=list(cfg.bands), scales=list(cfg.scales), normalisation=cfg.normalisation)
    return out, model


def _printed_commands(output: str) -> list[str]:
    return [ln.strip() for ln in output.splitlines() if ln.strip().startswith("starclass ")]


def test_a_store_as_labels_is_not_carried_into_the_rerun(labelled_store, tmp_path):
    # suggest M x.h5 --labels x.h5: the printed rerun said '--labels x.h5', which suggest refused again
    store, model = labelled_store
    out = tmp_path / "s.ecsv"
    res = runner.invoke(app, ["suggest", str(model), str(store), "--labels", str(store), "-o", str(out), "-n", "2"])
    assert res.exit_code == 2, res.output
    said = " ".join(res.output.split())
    assert "--labels takes the labels given so far" in said, said
    lines = _printed_commands(res.output)
    assert len(lines) == 2 and f"--labels {store}" not in lines[1], lines
    for line in lines:
        words = shlex.split(line)[1:]
        res = runner.invoke(app, words + (["--no-progress"] if words[0] == "classify" else []))
        assert res.exit_code == 0, res.output
    # the store's own labels (ids 1, 2) are left out, through the classification that carries them
    assert set(Table.read(out)["id"]) <= {3, 4, 5, 6}


def test_a_store_without_labels_as_labels_says_it_holds_none(store_and_model, tmp_path):
    _, store, model = store_and_model
    res = runner.invoke(app, ["suggest", str(model), str(store), "--labels", str(store),
                              "-o", str(tmp_path / "s.ecsv")])
    assert res.exit_code == 2, res.output
    said = " ".join(res.output.split())
    assert f"--labels {store} is a stamp store, not labels" in said and f"{store} holds none" in said, said
    assert all("--labels" not in ln for ln in _printed_commands(res.output))


def test_a_store_as_labels_of_a_catalogue_says_what_labels_wants(labelled_store, tmp_path):
    store, model = labelled_store
    classified = tmp_path / "classified.ecsv"
    res = runner.invoke(app, ["classify", "--stamps", str(store), "--model", str(model), "-o", str(classified),
                              "--no-progress"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["suggest", str(model), str(classified), "--labels", str(store),
                              "-o", str(tmp_path / "s.ecsv")])
    assert res.exit_code == 2, res.output
    said = " ".join(res.output.split())
    assert f"--labels {store} is a stamp store" in said and "--labels takes the labels given so far" in said, said
    assert "the 2 labelled rows" in said and "not a catalogue" not in said, said
    assert not (tmp_path / "s.ecsv").exists()
