"""An input table with a header and no rows is refused by its reader, naming the file (2026-12-06).

A votes table of column names alone (``train --labels``, ``classify --votes``) passed its reader and
was refused later as "vote column 'class_h1' is empty (...); give --label-columns without it", which
no ``--label-columns`` mends; ``evaluate`` of a classified cutout list of no rows said "0 objects pair
up but none is classified in both". The readers that did refuse one each said it in their own words
("the CSV has no rows", "has no candidates", "no rows", "no fields (expected a header ...)"). Every one
now says ``FILE has a header but no rows`` (one check, :func:`starclass.errors.refuse_no_rows`),
exits 2 and writes nothing.
"""

from __future__ import annotations

import pytest
from astropy.table import Table
from typer.testing import CliRunner

from conftest import write_noise_cutout_folder, write_untrained_model  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.errors import StarclassError
from starclass.learn.config import get_preset

runner = CliRunner()
SAID = "has a header but no rows"


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """A labelled cutout folder, an untrained model of its task, a demo field, and a header-only copy of each table."""
    from starclass.datasets.labelling import make_demo_field

    root = tmp_path_factory.mktemp("header_only")
    labels = write_noise_cutout_folder(root / "cut", 16, n=4)
    write_untrained_model(root / "model", get_preset("m31-real", stamp_size=16, scales=[1.0]))
    data = make_demo_field(root / "demo", n=4, size=100)
    (root / "cut" / "empty.csv").write_text("file,label\n")
    Table.read(labels)[:0].write(root / "cut" / "empty.ecsv")
    Table.read(data / "candidates.ecsv")[:0].write(root / "cands_empty.ecsv")
    (root / "votes_empty.csv").write_text("id,class_h1,class_h2\n")
    # what classify --stamps writes, cut to its header: evaluate's and suggest's input
    out = root / "classified.csv"
    res = runner.invoke(app, ["classify", "--stamps", str(labels), "--model", str(root / "model"), "-o", str(out)])
    assert res.exit_code == 0, res.output
    Table.read(out)[:0].write(root / "classified_empty.csv")
    (root / "fields_empty.csv").write_text("name,mosaics,catalog\n")
    (root / "plan_empty.csv").write_text("name,mosaics\n")
    return root


def _refused(root, args, culprit, written):
    """Run a command; it must exit 2 naming ``culprit`` as a header with no rows, without a traceback or output."""
    res = runner.invoke(app, [str(a) for a in args])
    said = " ".join(res.output.split())
    assert res.exit_code == 2, (res.exit_code, said)
    assert f"{culprit} {SAID}" in said, said
    assert "Traceback" not in res.output
    assert not (root / written).exists(), f"{written} was written"
    return said


def test_train_labels_of_a_header_only_votes_table(world):
    # it said "vote column 'class_h1' is empty (...); give --label-columns without it"
    said = _refused(world, ["train", "--task", "phangs4-compact", "-m", world / "demo", "-c",
                            world / "demo" / "candidates.ecsv", "--labels", world / "votes_empty.csv",
                            "--label-columns", "class_h1,class_h2", "--epochs", "1", "-o", world / "m1"],
                    world / "votes_empty.csv", "m1")
    assert "--label-columns without it" not in said and "train --labels" in said, said


def test_classify_votes_of_a_header_only_votes_table(world):
    _refused(world, ["classify", world / "demo", "-c", world / "demo" / "candidates.ecsv", "--model",
                     world / "model", "--votes", world / "votes_empty.csv", "-o", world / "c1.ecsv"],
             world / "votes_empty.csv", "c1.ecsv")


def test_evaluate_of_a_header_only_classified_cutout_list(world):
    # it said "prediction and prediction class_ref: 0 objects pair up but none is classified in both"
    said = _refused(world, ["evaluate", world / "classified_empty.csv", "-o", world / "e1"],
                    world / "classified_empty.csv", "e1")
    assert "pair up" not in said, said


@pytest.mark.parametrize("name", ["empty.csv", "empty.ecsv"])
def test_classify_stamps_of_a_header_only_list(world, name):
    _refused(world, ["classify", "--stamps", world / "cut" / name, "--model", world / "model", "-o",
                     world / "c2.csv"], world / "cut" / name, "c2.csv")


def test_classify_of_a_header_only_catalogue(world):
    said = _refused(world, ["classify", world / "demo", "-c", world / "cands_empty.ecsv", "--model",
                            world / "model", "-o", world / "c3.ecsv"], world / "cands_empty.ecsv", "c3.ecsv")
    assert "nothing to classify" in said, said


def test_suggest_of_header_only_candidates(world):
    _refused(world, ["suggest", world / "model", world / "classified_empty.csv", "-o", world / "s1.ecsv"],
             world / "classified_empty.csv", "s1.ecsv")
    _refused(world, ["suggest", "--check-labels", world / "classified_empty.csv", "-o", world / "s2.ecsv"],
             world / "classified_empty.csv", "s2.ecsv")


def test_inspect_of_header_only_candidates(world):
    _refused(world, ["inspect", "--stamps", world / "cut" / "empty.csv", "--task", "m31-real", "--init"],
             world / "cut" / "empty.csv", "cut/inspect.sqlite")
    _refused(world, ["inspect", world / "demo", "--catalogue", world / "cands_empty.ecsv", "--init", "--db",
                     f"sqlite:///{world / 'i.sqlite'}"], world / "cands_empty.ecsv", "i.sqlite")


def test_header_only_fields_list_and_plan(world):
    from starclass.io.fields import read_fields_list
    from starclass.survey.plan import read_plan

    # a header alone was "no fields (expected a header and one row per field)", as a blank file is
    with pytest.raises(StarclassError, match=f"fields list .*fields_empty.csv {SAID}"):
        read_fields_list(world / "fields_empty.csv")
    with pytest.raises(StarclassError, match=f"plan .*plan_empty.csv {SAID}"):
        read_plan(world / "plan_empty.csv")


@pytest.mark.filterwarnings("ignore:empty.tab. neither the file name")  # which LEGUS field: not what is tested
def test_a_file_without_a_header_is_not_said_to_have_one(tmp_path):
    from starclass.io.catalog import read_catalog

    tab = tmp_path / "empty.tab"  # a LEGUS .tab has no header
    tab.write_text("")
    with pytest.raises(StarclassError, match="empty.tab has no rows") as err:
        read_catalog(tab)
    assert SAID not in str(err.value)
