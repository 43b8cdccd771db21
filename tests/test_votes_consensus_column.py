"""A consensus column beside the people's votes is not one more person.

Before: ``train --labels humans.ecsv --label-columns class_h1,class_h2,class_h3,class_ref`` (the
simulator's ``class_ref`` is the people's mode), or an ``inspect --export``'s ``class_weighted``
named beside its ``class_h<k>``, trained with the consensus counted as a fourth person who always
agrees with the majority (exit 0); ``classify --votes`` likewise. Now it is refused naming the column
and what it is, exit 2, nothing written; NGC 4449's ``class_ref`` (one expert's class) stays a person.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table

from starclass.errors import StarclassError
from starclass.learn.config import get_preset
from starclass.learn.labels import check_votes, votes_for_catalogue
from starclass.schema import vote_mode
from test_io_legus import invoke


def _humans(n: int = 40) -> Table:
    """Three people and their mode, as simulate's humans.ecsv."""
    rng = np.random.default_rng(3)
    truth = rng.integers(1, 5, n)
    t = Table({"id": np.arange(1, n + 1), "x": rng.uniform(5, 90, n), "y": rng.uniform(5, 90, n)})
    for h in (1, 2, 3):
        t[f"class_h{h}"] = np.where(rng.random(n) < 0.3, rng.integers(1, 5, n), truth)
    votes = np.stack([t[f"class_h{h}"] for h in (1, 2, 3)], axis=1)
    t["class_ref"] = vote_mode(votes)[0]
    t["class_weighted"] = t["class_ref"]
    return t


@pytest.mark.parametrize("column", ["class_ref", "class_weighted"])
@pytest.mark.parametrize("model", ["mode", "soft", "dawid-skene"])
def test_a_consensus_column_named_as_votes_is_refused(column, model):
    cfg = get_preset("legus4-compact")
    with pytest.raises(StarclassError, match=f"--label-columns {column} is .*not one person's votes.*Leave it out "
                                             r"\(the vote columns are class_h1, class_h2, class_h3\)"):
        votes_for_catalogue(cfg, _humans(), columns=f"class_h1,class_h2,class_h3,{column}", model=model)
    with pytest.raises(StarclassError, match=f"--label-columns {column} is "):
        check_votes(_humans(), _humans(), columns=f"{column},class_h1,class_h2")
    # the people alone are fine
    assert votes_for_catalogue(cfg, _humans(), columns="class_h1,class_h2,class_h3", model=model).n_labelled == 40


def test_train_refuses_the_mode_column_exit_2_nothing_written(tmp_path):
    labels = tmp_path / "humans.ecsv"
    _humans().write(labels)
    res = invoke("train", "--task", "legus4-compact", "--labels", str(labels), "--label-columns",
                 "class_h1,class_h2,class_h3,class_ref", "--label-model", "dawid-skene", "-o", str(tmp_path / "m"))
    assert res.exit_code == 2, res.output
    assert "--label-columns class_ref is the reference class: the people's mode in simulate's humans.ecsv" \
        in res.output, res.output
    assert "not the images" not in res.output and "Traceback" not in res.output
    assert not (tmp_path / "m").exists()


def test_one_experts_legus_class_stays_a_person():
    """NGC 4449's col 34 (layout 'expert') is one expert's class, not a consensus."""
    t = _humans()
    t.meta["legus_layout"] = "expert"
    vt = votes_for_catalogue(get_preset("legus4-compact"), t, columns="class_ref,class_h1", model="soft")
    assert vt.columns == ["class_ref", "class_h1"] and vt.n_votes == 80


def test_a_mode_column_named_class_mode_is_refused_read_either_way(tmp_path):
    """A CSV votes table with a class_mode column: as the catalogue the reader renames it class_ref,
    and train said "no column 'class_mode'" of a file that has one; read beside --catalog it kept its
    name and was taken for a fourth person (exit 0 with mosaics)."""
    t = _humans()
    t.rename_column("class_ref", "class_mode")
    del t["class_weighted"]
    votes = tmp_path / "votes.csv"
    t.write(votes)
    cat = tmp_path / "cat.ecsv"
    t["id", "x", "y"].write(cat)
    cols = "class_h1,class_h2,class_h3,class_mode"
    for extra, read_as in (((), " (read as class_ref)"), (("--catalog", str(cat)), "")):
        res = invoke("train", "--task", "legus4-compact", "--labels", str(votes), *extra, "--label-columns", cols,
                     "--label-model", "soft", "-o", str(tmp_path / "m"))
        assert res.exit_code == 2, res.output
        assert (f"--label-columns class_mode{read_as} is the mode of the people's classes, not one person's votes"
                in res.output), res.output
        assert "the vote columns are class_h1, class_h2, class_h3" in res.output
        assert "no column" not in res.output and "not the images" not in res.output
        assert not (tmp_path / "m").exists()
