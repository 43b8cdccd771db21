"""``inspect --export``: individual-vs-mode agreement only where a mode can disagree with a person
(3+ labels), said so; and no ``class_h<k>`` column for a person who labelled none of the exported
candidates (issue 17, found by an engineer acting as a user)."""

from __future__ import annotations

import warnings

import numpy as np
import pytest

with warnings.catch_warnings():  # the installed starlette warns about httpx at import
    warnings.simplefilter("ignore")
    pytest.importorskip("fastapi")
from typer.testing import CliRunner

from starclass.datasets.labelling import make_demo_field
from starclass.inspect import consensus as cs
from starclass.inspect import db
from starclass.inspect.app import load_field
from starclass.inspect.export import export_labels
from starclass.schema import human_cols

pytestmark = pytest.mark.usefixtures("cheap_argon2")  # many accounts: cheap hashes (conftest.py)

PEOPLE = ("ann", "bob", "cat", "dan")
# candidate -> votes of ann, bob, cat (0: did not label)
VOTES = {"1": (1, 1, 1), "2": (2, 2, 3), "3": (4, 3, 3), "4": (1, 2, 3), "5": (2, 2, 0), "6": (1, 4, 0)}


@pytest.fixture(scope="module")
def field_dir(tmp_path_factory):
    return make_demo_field(tmp_path_factory.mktemp("field"), n=12, size=200, seed=3)


def _engine(tmp_path):
    url = f"sqlite:///{tmp_path / 'labels.sqlite'}"
    engine = db.make_engine(url)
    db.init_db(engine)
    ids = {p: db.add_user(engine, p, f"{p}-password") for p in PEOPLE}
    for cid, votes in VOTES.items():
        for person, v in zip(PEOPLE, votes):
            if v:
                db.save_label(engine, "", cid, ids[person], v)
    return engine, ids, url


def test_vs_mode_needs_three_labels():
    """With two labels a person agrees with the mode by construction (or it is a tie): candidate 5
    (2, 2) counted as two agreements and raised ann to 3/4 and the mean to 0.9."""
    M = np.array(list(VOTES.values()))
    vm = cs.individual_vs_mode(M, ["ann", "bob", "cat"])
    per = {r["person"]: (r["n"], r["agree"]) for r in vm["people"]}
    # by hand, candidates 1-3 (4 is a tie; 5 and 6 have two labels): modes 1, 2, 3
    assert per == {"ann": (3, pytest.approx(2 / 3)), "bob": (3, pytest.approx(1.0)), "cat": (3, pytest.approx(2 / 3))}
    assert vm["mean"] == pytest.approx(7 / 9) and vm["n_objects"] == 3 and vm["min_labels"] == 3
    # nobody with three labels: not computed, and the summary says why
    two = cs.individual_vs_mode(np.array([[1, 1, 0], [2, 0, 2]]), ["a", "b", "c"])
    assert two["mean"] is None and two["n_objects"] == 0
    t, summary = cs.consensus_table(np.array([[1, 1, 0], [2, 0, 2]]), ["x", "y"], ["a", "b", "c"])
    assert summary["vs_mode_4class"] is None and "not computed, no candidate has 3 or more" in summary["vs_mode_note"]


def test_export_drops_people_without_a_label_there_and_says_what_vs_mode_is_on(field_dir, tmp_path):
    field = load_field(field_dir, cache_dir=tmp_path / "cache")
    engine, ids, url = _engine(tmp_path)
    # dan labelled only a candidate that is not exported (an earlier round's, say)
    db.save_label(engine, "", "9", ids["dan"], 2)
    cat = field.table[np.isin(np.asarray(field.table["id"]).astype(str), list(VOTES))]
    t = export_labels(engine, "", cat, tmp_path / "labels.ecsv")
    assert human_cols(t) == ["class_h1", "class_h2", "class_h3"]
    assert t.meta["people"] == {"class_h1": "ann", "class_h2": "bob", "class_h3": "cat"}
    assert all((np.asarray(t[c]) > 0).any() for c in human_cols(t))
    assert [p["person_a"] + "-" + p["person_b"] for p in t.meta["agreement"]["inspectors"]] == [
        "ann-bob", "ann-cat", "bob-cat"]
    agr = t.meta["agreement"]
    assert agr["vs_mode_4class"] == pytest.approx(7 / 9) and agr["vs_mode_n_4class"] == 3
    assert agr["vs_mode_min_labels"] == 3 and "3 candidates with 3 or more labels" in agr["vs_mode_note"]
    # the command line says it under the figure
    from starclass.cli import app

    r = CliRunner().invoke(app, ["inspect", str(field_dir), "--db", url, "--export", str(tmp_path / "all.ecsv")])
    assert r.exit_code == 0, r.output
    assert f"individual vs mode {7 / 9:.3f}" in r.output and "with 3 or more labels and no tie" in r.output, r.output
    engine.dispose()


def test_two_people_have_no_weights_and_the_summary_is_strict_json(tmp_path):
    """Two people per candidate: the summary said "weights": {"ann": 0.0, "bob": 0.0} (0.0 reads as "no
    trust"), the export's weighted_frac was NaN and people_4class's agree NaN, which is not JSON; the keys
    said 4class for a two-class task. The weights are now null with a note why, weighted_frac empty, the
    file strict JSON, and the keys named by the scheme's class count (old summaries still read)."""
    import json

    from astropy.table import Table

    from starclass.inspect.schemes import task_scheme
    from starclass.learn.config import get_preset

    scheme = task_scheme(get_preset("m31-real"))
    engine = db.make_engine(f"sqlite:///{tmp_path / 'l.sqlite'}")
    db.init_db(engine)
    ids = {p: db.add_user(engine, p, f"{p}-password") for p in ("ann", "bob")}
    for cid, (a, b) in {"c1": (1, 1), "c2": (2, 1), "c3": (2, 2)}.items():
        db.save_label(engine, "", cid, ids["ann"], a, scheme=scheme)
        db.save_label(engine, "", cid, ids["bob"], b, scheme=scheme)
    cat = Table({"id": ["c1", "c2", "c3"], "x": [1.0, 2.0, 3.0], "y": [1.0, 2.0, 3.0]})
    out = export_labels(engine, "", cat, tmp_path / "labels.ecsv", summary_path=tmp_path / "agreement.json",
                        scheme=scheme)
    engine.dispose()

    def refuse(name):
        raise ValueError(f"not JSON: {name}")

    summary = json.loads((tmp_path / "agreement.json").read_text(), parse_constant=refuse)
    assert summary["weights"] == {"ann": None, "bob": None}
    assert "weights: not computed, no candidate has 3 or more labels" in summary["weights_note"]
    assert summary["pairwise_2class"] == pytest.approx(2 / 3, abs=1e-4) and "pairwise_4class" not in summary
    assert [r["agree"] for r in summary["people_2class"]] == [None, None]
    assert np.ma.getmaskarray(out["weighted_frac"]).all()
    assert out["class_weighted"].tolist() == out["class_ref"].tolist()  # the mode
    assert cs.agreement_value(summary, "pairwise") == pytest.approx(2 / 3, abs=1e-4)
    assert cs.agreement_value({"pairwise_4class": 0.5}, "pairwise") == 0.5  # a summary of before
    # three labels on a candidate: weights computed, as before
    _, computed = cs.consensus_table(np.array([[1, 1, 2], [2, 2, 2]]), ["a", "b"], ["ann", "bob", "cat"])
    assert computed["weights"] == {"ann": 1.0, "bob": 1.0, "cat": 0.5} and "weights_note" not in computed


@pytest.mark.parametrize("people", [["ann"], ["ann", "bob"]])
def test_the_vs_mode_note_speaks_of_the_people_there_are(people):
    # one labeller's export said "(with 2 labels the mode is either both labels or a tie ...)": no
    # candidate had 2 labels, there being one person
    M = np.array([[1, 2][: len(people)], [3, 3][: len(people)]])
    _, summary = cs.consensus_table(M, ["x", "y"], people)
    note = summary["vs_mode_note"]
    assert "not computed, no candidate has 3 or more labels" in note
    if len(people) == 1:
        assert "one person labelled" in note and "2 labels" not in note and "both labels" not in note, note
    else:
        assert "2 people labelled" in note and "at most 2 labels" in note, note


@pytest.mark.parametrize("people", [["ann"], ["ann", "bob"]])
def test_the_weights_note_speaks_of_the_people_there_are(people):
    # one person: the note spoke of "2 labels a candidate ... both labels or a tie", which no candidate had
    votes = np.array([[1] * len(people), [3] * len(people)])
    _, summary = cs.consensus_table(votes, ["x", "y"], people)
    note = summary["weights_note"]
    assert note.startswith("weights: not computed, no candidate has 3 or more labels")
    if len(people) == 1:
        assert "one person labelled" in note and "both labels" not in note
    else:
        assert "2 people labelled" in note and "with at most 2 labels" in note
