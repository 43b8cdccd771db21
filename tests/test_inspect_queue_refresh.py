"""The labelling page notices labels given after it opened: in another tab, by the others.

The page kept what ``/api/queue`` said when it was loaded. Ann labelling candidate 5 in one tab left
her second tab counting 5 as "not labelled yet" and serving it again after her next label there;
under ``m31-check`` (two inspectors' scores, summed) a third inspector was served candidates two had
scored, and a third score makes the sum incomplete (``class_ref`` 0). ``/api/progress`` says now what
``/api/queue`` said at load (``labelled``, and ``done``: finished by the others as the scheme counts);
the page asks it after each label, every 15 s and when it comes back to the front, and a label moves
on past the candidates labelled meanwhile elsewhere and those done.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import warnings
from pathlib import Path

import pytest

with warnings.catch_warnings():  # the installed starlette warns about httpx at import
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

import starclass.inspect
from conftest import PAGE_DOM_STUB
from starclass.datasets.labelling import make_demo_field
from starclass.inspect import db
from starclass.inspect.app import create_app, load_field

pytestmark = pytest.mark.usefixtures("cheap_argon2")  # several accounts: cheap hashes (conftest.py)

PAGE = Path(starclass.inspect.__file__).parent / "static" / "inspect.js"
PEOPLE = ("ann", "bob", "cy")


@pytest.fixture(scope="module")
def field(tmp_path_factory):
    d = make_demo_field(tmp_path_factory.mktemp("field"), n=8, size=160, seed=2)
    return load_field(d, cache_dir=tmp_path_factory.mktemp("cache"))


def _app(field, tmp_path, scheme=None):
    engine = db.make_engine(f"sqlite:///{tmp_path / 'labels.sqlite'}")
    db.init_db(engine)
    for name in PEOPLE:
        db.add_user(engine, name, f"{name}-password")
    return create_app(field, engine, scheme=scheme), engine


def _tab(app, name):
    """A logged-in browser tab of ``name`` (each tab of the same person its own session)."""
    c = TestClient(app)
    c.get("/login")
    r = c.post("/api/login", json={"name": name, "password": f"{name}-password"},
               headers={"X-CSRF-Token": c.cookies.get("sc_csrf")})
    assert r.status_code == 200, r.text
    c.headers["X-CSRF-Token"] = r.json()["csrf"]
    return c


def test_a_label_given_in_another_tab_is_in_the_other_tabs_progress(field, tmp_path):
    app, engine = _app(field, tmp_path)
    tab1, tab2 = _tab(app, "ann"), _tab(app, "ann")
    five = field.ids[4]
    q = tab2.get("/api/queue").json()
    assert five not in q["labelled"] and q["done"] == [] and q["needed"] is None
    assert tab1.post("/api/label", json={"candidate_id": five, "cls": 2}).status_code == 200
    assert tab2.get("/api/progress").json() == {"labelled": [five], "done": [], "needed": None}
    assert tab2.get("/api/queue").json()["labelled"] == [five]
    # phangs counts every vote in the mode: ann's label finishes nothing for bob
    bob = _tab(app, "bob")
    assert bob.get("/api/progress").json() == {"labelled": [], "done": [], "needed": None}
    assert bob.get("/api/queue?order=random").json()["done"] == []
    engine.dispose()


def test_a_candidate_two_inspectors_scored_is_done_for_a_third(field, tmp_path):
    app, engine = _app(field, tmp_path, scheme="m31-check")
    ann, bob, cy = (_tab(app, n) for n in PEOPLE)
    five, six = field.ids[4], field.ids[5]
    assert cy.get("/api/queue").json()["needed"] == 2
    for tab in (ann, bob):
        assert tab.post("/api/label", json={"candidate_id": five, "cls": 2}).status_code == 200
    assert ann.post("/api/label", json={"candidate_id": six, "cls": 0}).status_code == 200
    # five has the two scores the sum takes: done for cy; six has one, so cy is still wanted there
    assert cy.get("/api/progress").json() == {"labelled": [], "done": [five], "needed": 2}
    q = cy.get("/api/queue?order=random").json()
    assert q["done"] == [five] and q["labelled"] == [] and sorted(q["ids"]) == sorted(field.ids)
    # for the two who scored it, it is their own label, not "done by others"
    assert ann.get("/api/progress").json() == {"labelled": [five, six], "done": [], "needed": 2}
    assert bob.get("/api/progress").json() == {"labelled": [five], "done": [], "needed": 2}
    engine.dispose()


#: The page's script on stubbed DOM and fetch: tab 2, opened before the labels of ``progress`` were given (in tab 1,
#: or by the others), comes back to the front and labels the candidate it opened on; prints where it went, the
#: counts and the queue note.
HARNESS = PAGE_DOM_STUB + r"""
const scenario = JSON.parse(process.argv[3]);
const listeners = globalThis.listeners = {};
globalThis.window = {addEventListener(type, f) { (listeners[type] = listeners[type] || []).push(f); }, location: {}};
globalThis.Image = function () {};
globalThis.Option = function () {};
globalThis.fetch = async (path) => {
  let body;
  if (path.startsWith("/api/queue")) body = scenario.queue;
  else if (path.startsWith("/api/progress")) body = scenario.progress;
  else if (path.startsWith("/api/label")) body = {cls: 1, subclass: null, comment: "", revision: 1};
  else if (path.startsWith("/api/candidate/")) {
    const cid = decodeURIComponent(path.slice("/api/candidate/".length).split("?")[0]);
    body = {id: cid, label: scenario.progress.labelled.includes(cid) && cid !== "a" ? {cls: 3, revision: 1} : null,
            images: {}, values: {}, stamp: {size: 0, values: []}, fit: {fwhm: 2.0, rms: 0.1}, star_fwhm: 1.9,
            x: 0, y: 0};
  } else body = {};
  return {ok: true, status: 200, json: async () => body};
};
const harness = `
;(async () => {
  const settle = async () => { await state.saveChain; await new Promise((r) => setTimeout(r, 50)); };
  await settle();
  const opened = state.current.id;
  for (const f of listeners.focus || []) f();   // the window back at the front (the person returns from tab 1)
  await settle();
  classify(1);                        // a label on the candidate it opened on: saved, on to the next
  await settle();
  console.log(JSON.stringify({opened, now: state.current.id, position: $("position").textContent,
                              note: $("queue-note").textContent, left: $("queue-note").dataset.left}));
})();`;
(0, eval)(src + harness);
"""


def _page(tmp_path, queue, progress) -> dict:
    (tmp_path / "harness.js").write_text(HARNESS)
    run = subprocess.run(["node", str(tmp_path / "harness.js"), str(PAGE),
                          json.dumps({"queue": queue, "progress": progress})],
                         capture_output=True, text=True, timeout=60)
    assert run.returncode == 0, run.stderr
    return json.loads(run.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_page_moves_on_past_a_candidate_labelled_meanwhile_in_another_tab(tmp_path):
    ids = ["a", "b", "c", "d"]
    queue = {"order": "catalogue", "ids": ids, "labelled": [], "done": [], "needed": None}
    out = _page(tmp_path, queue, {"labelled": ["b"], "done": [], "needed": None})
    assert out["opened"] == "a"
    assert out["now"] == "c"                                   # b, labelled in the other tab, is not served again
    assert out["position"] == "3 / 4 · you labelled 2" and out["left"] == "2"


@pytest.mark.skipif(shutil.which("node") is None, reason="node is not installed")
def test_the_page_passes_over_candidates_the_others_finished(tmp_path):
    ids = ["a", "b", "c", "d"]
    # c was done when the page opened, b got its second score meanwhile; d was labelled meanwhile in another tab
    queue = {"order": "catalogue", "ids": ids, "labelled": [], "done": ["c"], "needed": 2}
    out = _page(tmp_path, queue, {"labelled": ["d"], "done": ["b", "c"], "needed": 2})
    assert out["opened"] == "a" and out["now"] == "a"          # nothing left to go to: it says so
    assert out["position"] == "1 / 4 · you labelled 2 · 2 done by others" and out["left"] == "0"
    assert out["note"] == ("nothing left in this queue: you labelled 2, the others finished 2 "
                           "(← → to look again or change a label)")


def test_a_third_score_of_a_candidate_two_inspectors_scored_is_refused(field, tmp_path):
    """The page passes over such candidates, but one reached by the arrow keys, or scored in the seconds before
    the page heard of the second score, was kept: three scores made the sum incomplete (``class_ref`` 0,
    ``score_sum`` 6 outside 0-4), taking a decided cluster out of the export. Now 409, nothing saved; the two
    inspectors still change their own scores."""
    app, engine = _app(field, tmp_path, scheme="m31-check")
    ann, bob, cy = (_tab(app, n) for n in PEOPLE)
    five = field.ids[4]
    for tab in (ann, bob):
        assert tab.post("/api/label", json={"candidate_id": five, "cls": 2}).status_code == 200
    r = cy.post("/api/label", json={"candidate_id": five, "cls": 1})
    assert r.status_code == 409, r.text
    assert r.json()["detail"] == (f"candidate {five}: already has the 2 scores label scheme m31-check takes, from "
                                  "other inspectors; another would leave its sum incomplete (class_ref 0): the score "
                                  "was not saved")
    assert sorted(lab.user for lab in db.labels_of(engine, "", candidate_ids=[five])) == ["ann", "bob"]
    assert db.history_of(engine, "", five)[-1]["user"] == "bob"
    assert bob.post("/api/label", json={"candidate_id": five, "cls": 1}).status_code == 200   # a change of one's own
    assert cy.post("/api/label", json={"candidate_id": field.ids[5], "cls": 1}).status_code == 200
    engine.dispose()
