"""Browser test: Playwright drives Debian's Chromium against a real server on 127.0.0.1.

Log in, classify 20 candidates by keyboard (classes 1-3 and class-4 subclasses), reload and
see them kept, then log in as someone else and fail to change them. A screenshot of the page
is saved (to ``$STARCLASS_SCREENSHOT`` when set, e.g. ``docs/img/inspect.png``).
"""

import os
import shutil
from pathlib import Path

import pytest

from starclass.datasets.labelling import make_demo_field
from starclass.inspect import db
from starclass.inspect.app import create_app, load_field
from webtools import running_server

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run"]

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("cheap_argon2")]


@pytest.fixture(scope="module")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"Debian's Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        pytest.skip(f"playwright is not installed: {exc}")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        yield b
        b.close()


def _log_in(page, base, name, password):
    page.goto(f"{base}/login")
    page.fill("#name", name)
    page.fill("#password", password)
    page.click("#login-button")
    page.wait_for_url(f"{base}/")
    page.wait_for_function("document.body.dataset.candidate !== undefined && document.body.dataset.loading === '0'")


def _wait_saved(page):
    page.wait_for_function("document.getElementById('status').dataset.pending === '0' && "
                           "document.getElementById('status').textContent === 'saved'")


def test_classify_twenty_by_keyboard(browser, tmp_path):
    data = make_demo_field(tmp_path / "field", n=26, size=240, seed=11)
    engine = db.make_engine(f"sqlite:///{tmp_path / 'labels.sqlite'}")
    db.init_db(engine)
    db.add_user(engine, "ann", "ann-password")
    db.add_user(engine, "bob", "bob-password")
    field = load_field(data, cache_dir=tmp_path / "cache")
    app = create_app(field, engine)
    # keys to press and the label they mean: classes 1-3 move on; 4 then a number-row key picks
    # a subclass (0 = 4.10, - = 4.11, = = 4.12) and moves on
    plan = [("1", 1, None), ("2", 2, None), ("3", 3, None), ("4", 4, "0"), ("4", 4, "="),
            ("1", 1, None), ("4", 4, "2"), ("3", 3, None), ("2", 2, None), ("4", 4, "-")] * 2
    sub_of = {"0": "4.10", "=": "4.12", "2": "4.2", "-": "4.11"}
    expected = {}
    with running_server(app) as base:
        # bypass_csp lets Playwright evaluate its predicates; the page itself needs no eval
        ctx = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
        page = ctx.new_page()
        urls: list[str] = []
        page.on("request", lambda r: urls.append(r.url))
        _log_in(page, base, "ann", "ann-password")
        assert page.is_hidden("#prediction")           # the model is hidden by default
        for key, cls, sub in plan:
            cid = page.evaluate("document.body.dataset.candidate")
            page.keyboard.press(key)
            if sub is not None:
                page.wait_for_selector("#subclasses:not(.hidden)")
                page.keyboard.press(sub)
            page.wait_for_function(f"document.body.dataset.candidate !== '{cid}' && "
                                   "document.body.dataset.loading === '0'")
            expected[cid] = (cls, sub_of.get(sub))
        _wait_saved(page)
        assert len(expected) == 20
        got = {lab.candidate_id: (lab.cls, lab.subclass) for lab in db.labels_of(engine, "")}
        assert got == expected

        # reload: the labels are kept, the queue resumes at the first unlabelled candidate
        page.reload()
        page.wait_for_function("document.body.dataset.loading === '0'")
        assert "you labelled 20" in page.text_content("#position")
        first_free = field.ids[20]
        assert page.evaluate("document.body.dataset.candidate") == first_free
        page.keyboard.press("ArrowLeft")
        page.wait_for_function(f"document.body.dataset.candidate === '{field.ids[19]}' && "
                               "document.body.dataset.loading === '0'")
        cls, sub = expected[field.ids[19]]
        assert page.get_attribute("#current-label", "data-cls") == str(cls)
        assert (page.get_attribute("#current-label", "data-subclass") or None) == sub
        # comment by keyboard
        before = db.labels_of(engine, "", candidate_ids=[field.ids[19]])[0].revision
        page.keyboard.press("c")
        page.keyboard.type("wide wings in the contrast test")
        page.keyboard.press("Enter")
        _wait_saved(page)
        lab = db.labels_of(engine, "", candidate_ids=[field.ids[19]])[0]
        assert lab.comment == "wide wings in the contrast test" and lab.revision == before + 1
        # show the model, stretch the contrast, and keep a picture of the page
        page.keyboard.press("m")
        page.wait_for_selector("#prediction:not(.hidden)")
        page.keyboard.press("]")
        page.wait_for_timeout(300)
        shot = tmp_path / "inspect.png"
        page.screenshot(path=str(shot), full_page=True)
        assert shot.stat().st_size > 10_000
        target = os.environ.get("STARCLASS_SCREENSHOT")
        if target:
            Path(target).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(shot, target)
        page.click("#logout")
        page.wait_for_url(f"{base}/login")

        # someone else cannot change them
        _log_in(page, base, "bob", "bob-password")
        assert page.evaluate("document.body.dataset.candidate") == field.ids[0]
        assert page.get_attribute("#current-label", "data-cls") == ""   # ann's label is not shown
        status = page.evaluate("""async (cid) => {
            const csrf = document.querySelector('meta[name="csrf-token"]').content;
            const r = await fetch('/api/label', {method: 'POST', credentials: 'same-origin',
              headers: {'Content-Type': 'application/json', 'X-CSRF-Token': csrf},
              body: JSON.stringify({candidate_id: cid, cls: 3, user: 'ann'})});
            return r.status; }""", str(field.ids[0]))
        assert status == 403
        no_csrf = page.evaluate("""async (cid) => (await fetch('/api/label', {method: 'POST',
              credentials: 'same-origin', headers: {'Content-Type': 'application/json'},
              body: JSON.stringify({candidate_id: cid, cls: 3})})).status""", str(field.ids[0]))
        assert no_csrf == 403
        page.keyboard.press("3")                      # bob's own label
        page.wait_for_function(f"document.body.dataset.candidate === '{field.ids[1]}'")
        _wait_saved(page)
        ctx.close()
    away = [u for u in urls if not u.startswith((base, "data:", "blob:"))]
    assert urls and not away, f"requests left {base}: {away[:5]}"
    final = {(lab.user, lab.candidate_id): (lab.cls, lab.subclass) for lab in db.labels_of(engine, "")}
    for cid, val in expected.items():
        if cid == field.ids[19]:
            continue
        assert final[("ann", cid)] == val
    assert final[("bob", field.ids[0])] == (3, None)
    assert sum(1 for (u, _) in final if u == "bob") == 1
    engine.dispose()


def test_m31_check_scores_by_keyboard(browser, tmp_path):
    """The M31 check's page: keys 0, 1, 2 score and move on; 3 and 4 are no keys of the scheme."""
    data = make_demo_field(tmp_path / "field", n=8, size=200, seed=5)
    engine = db.make_engine(f"sqlite:///{tmp_path / 'labels.sqlite'}")
    db.init_db(engine)
    db.add_user(engine, "ann", "ann-password")
    field = load_field(data, cache_dir=tmp_path / "cache")
    app = create_app(field, engine, scheme="m31-check")
    expected = {}
    with running_server(app) as base:
        ctx = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
        page = ctx.new_page()
        _log_in(page, base, "ann", "ann-password")
        assert page.locator("button.cls").count() == 3 and page.locator("#subclasses").count() == 0
        for key in ("0", "2", "1", "2", "0"):
            cid = page.evaluate("document.body.dataset.candidate")
            page.keyboard.press(key)
            page.wait_for_function(f"document.body.dataset.candidate !== '{cid}' && "
                                   "document.body.dataset.loading === '0'")
            expected[cid] = int(key)
        _wait_saved(page)
        here = page.evaluate("document.body.dataset.candidate")
        for key in ("3", "4"):                        # not values of m31-check: nothing happens
            page.keyboard.press(key)
        page.keyboard.press("1")                      # ... while 1 still scores this candidate
        page.wait_for_function(f"document.body.dataset.candidate !== '{here}'")
        _wait_saved(page)
        expected[here] = 1
        ctx.close()
    got = {lab.candidate_id: lab.cls for lab in db.labels_of(engine, "")}
    assert got == expected
    engine.dispose()


def test_classify_cutouts_by_keyboard(browser, tmp_path):
    """inspect --stamps: a cutout folder (ids with '/': the file as listed) classified with the task's
    keys (m31-real: 1 cluster, 2 galaxy), kept over a reload. With ``$STARCLASS_SCREENSHOT_CUTOUTS``
    a screenshot of the page is saved there."""
    import numpy as np
    from PIL import Image

    from starclass.inspect.cutouts import load_cutout_field, stamps_scheme
    from starclass.learn.config import get_preset

    rng = np.random.default_rng(5)
    yy, xx = np.mgrid[:32, :32]
    rows = ["file,object_id"]
    (tmp_path / "cut" / "img").mkdir(parents=True)
    for i in range(6):
        w = 1.5 if i % 2 == 0 else 5.0
        a = 30 + 200 * np.exp(-0.5 * ((xx - 15.5) ** 2 + (yy - 15.5) ** 2) / w ** 2) + rng.normal(0, 6, xx.shape)
        # PAndAS-long names (a file per object and position): the page must still fit a 1400 px screen
        name = f"o{i}.png" if i < 5 else "cutout_m274_g_ccd_24_14.658166666666665_41.95318888888889.png"
        Image.fromarray(np.clip(a, 0, 255).astype(np.uint8)).save(tmp_path / "cut" / "img" / name)
        rows.append(f"img/{name},obj{i}")
    (tmp_path / "cut" / "labels.csv").write_text("\n".join(rows) + "\n")
    cfg = get_preset("m31-real")
    engine = db.make_engine(f"sqlite:///{tmp_path / 'labels.sqlite'}")
    db.init_db(engine)
    db.add_user(engine, "ann", "ann-password")
    field = load_cutout_field(tmp_path / "cut" / "labels.csv", cfg, cache_dir=tmp_path / "cache")
    app = create_app(field, engine, scheme=stamps_scheme(cfg))
    keys = ["1", "2", "1", "2"]
    with running_server(app) as base:
        ctx = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
        page = ctx.new_page()
        _log_in(page, base, "ann", "ann-password")
        assert page.inner_text("#cand-id") == "img/o0.png"
        for k in keys:
            cid = page.inner_text("#cand-id")
            page.keyboard.press(k)
            page.wait_for_function(f"document.body.dataset.candidate !== '{cid}' && "
                                   "document.body.dataset.loading === '0'")
        _wait_saved(page)
        page.keyboard.press("3")  # not a class of the task: nothing happens
        shot = os.environ.get("STARCLASS_SCREENSHOT_CUTOUTS")
        page.keyboard.press("ArrowLeft")
        page.wait_for_function("document.body.dataset.candidate === 'img/o3.png' && "
                               "document.body.dataset.loading === '0'")
        page.wait_for_function("document.getElementById('img-profile').complete && "
                               "document.getElementById('img-profile').naturalWidth > 0")
        assert "galaxy" in page.inner_text("#current-label")
        if shot:
            page.screenshot(path=shot, full_page=True)
        page.reload()
        page.wait_for_function("document.body.dataset.candidate !== undefined && document.body.dataset.loading === '0'")
        assert page.inner_text("#cand-id") == "img/o4.png"  # the first one not labelled yet
        page.keyboard.press("ArrowRight")
        page.wait_for_function("document.body.dataset.candidate.startsWith('img/cutout_m274') && "
                               "document.body.dataset.loading === '0'")
        # the long id wraps: before, it widened the first column and pushed the buttons off the screen
        for sel in ("#classes", "#values"):
            box = page.locator(sel).bounding_box()
            assert box["x"] + box["width"] <= 1400, (sel, box)
        ctx.close()
    got = {lab.candidate_id: lab.cls for lab in db.labels_of(engine, "")}
    assert got == {f"img/o{i}.png": int(k) for i, k in enumerate(keys)}
    engine.dispose()


@pytest.mark.parametrize("width", [1024, 1280])
def test_a_pandas_cutout_page_fits_a_laptop_screen(browser, tmp_path, width):
    """On a 1024 or 1280 px window the page of a 128 px PAndAS-like cutout scrolled sideways: in the
    two-column layout (below 1250 px) the label panel's one-line key help ("Keys: 1 2 classify and
    move on; ...") set the first column's width, and the 512 px profile was pushed off the right."""
    import numpy as np
    from PIL import Image

    from starclass.inspect.cutouts import load_cutout_field, stamps_scheme
    from starclass.learn.config import get_preset

    rng = np.random.default_rng(2)
    (tmp_path / "cut" / "img").mkdir(parents=True)
    name = "cutout_m228_g_ccd_8_10.3033458_40.5716278.png"
    Image.fromarray(rng.integers(40, 255, (128, 128)).astype(np.uint8)).save(tmp_path / "cut" / "img" / name)
    (tmp_path / "cut" / "labels.csv").write_text(f"file,object_id\nimg/{name},G085\n")
    cfg = get_preset("m31-real")
    engine = db.make_engine(f"sqlite:///{tmp_path / 'labels.sqlite'}")
    db.init_db(engine)
    db.add_user(engine, "ann", "ann-password")
    field = load_cutout_field(tmp_path / "cut" / "labels.csv", cfg, cache_dir=tmp_path / "cache")
    with running_server(create_app(field, engine, scheme=stamps_scheme(cfg))) as base:
        ctx = browser.new_context(viewport={"width": width, "height": 768}, bypass_csp=True)
        page = ctx.new_page()
        _log_in(page, base, "ann", "ann-password")
        page.wait_for_function("document.getElementById('img-profile').complete && "
                               "document.getElementById('img-profile').naturalWidth > 0")
        scroll = page.evaluate("document.documentElement.scrollWidth")
        assert scroll <= width, f"the page is {scroll} px wide in a {width} px window"
        for sel in ("#classes", "#img-profile"):
            box = page.locator(sel).bounding_box()
            assert box["x"] + box["width"] <= width, (sel, box)
        ctx.close()
    engine.dispose()


def test_a_stored_8_bit_cutout_is_drawn_as_stored_in_the_grey_stamp(browser, tmp_path):
    """The grey stamp's contrast control stretched a ZScale 8-bit PNG again (black below its median, asinh
    above): PAndAS cutouts looked almost pure black and white. At the default contrast the canvas now
    shows the stored grey levels; the contrast control brightens it; the stretch menu (for counts) is off."""
    import numpy as np
    from PIL import Image

    from starclass.inspect.cutouts import load_cutout_field, stamps_scheme
    from starclass.learn.config import get_preset

    (tmp_path / "cut").mkdir()
    stored = np.tile(np.linspace(30, 230, 32).astype(np.uint8), (32, 1))  # a ramp of grey levels, left to right
    Image.fromarray(stored).save(tmp_path / "cut" / "ramp.png")
    (tmp_path / "cut" / "labels.csv").write_text("file\nramp.png\n")
    cfg = get_preset("m31-real")
    engine = db.make_engine(f"sqlite:///{tmp_path / 'labels.sqlite'}")
    db.init_db(engine)
    db.add_user(engine, "ann", "ann-password")
    field = load_cutout_field(tmp_path / "cut" / "labels.csv", cfg, cache_dir=tmp_path / "cache")
    read_row = "Array.from(document.getElementById('stamp').getContext('2d').getImageData(0, 16, 32, 1).data)" \
               ".filter((_, i) => i % 4 === 0)"
    with running_server(create_app(field, engine, scheme=stamps_scheme(cfg))) as base:
        ctx = browser.new_context(bypass_csp=True)
        page = ctx.new_page()
        _log_in(page, base, "ann", "ann-password")
        drawn = np.array(page.evaluate(read_row))
        assert np.abs(drawn - stored[16]).max() <= 1, (drawn, stored[16])
        assert page.evaluate("document.getElementById('stretch').disabled")
        page.keyboard.press("]")  # more contrast: brighter, the order of the grey levels kept
        brighter = np.array(page.evaluate(read_row))
        assert (brighter >= drawn).all() and brighter.max() > drawn.max() and (np.diff(brighter) >= 0).all()
        ctx.close()
    engine.dispose()


def test_the_stretch_menu_reads_as_stored_on_an_8_bit_picture_and_keeps_the_choice_for_counts(browser, tmp_path):
    """Greyed out on a stored 8-bit picture, the stretch menu still read "asinh" (the user's choice, not what
    was done). It now reads "as stored" there, the s key leaves it alone, and the user's choice ("log")
    comes back on a stamp of counts (a float cutout) and is drawn with."""
    import numpy as np
    from PIL import Image

    from starclass.inspect.cutouts import load_cutout_field, stamps_scheme
    from starclass.learn.config import get_preset

    (tmp_path / "cut").mkdir()
    Image.fromarray(np.tile(np.linspace(30, 230, 32).astype(np.uint8), (32, 1))).save(tmp_path / "cut" / "ramp.png")
    rng = np.random.default_rng(5)
    counts = rng.normal(0, 1, (32, 32)).astype(np.float32)
    counts[12:20, 12:20] += 40
    np.save(tmp_path / "cut" / "deep.npy", counts)
    (tmp_path / "cut" / "labels.csv").write_text("file\nramp.png\ndeep.npy\n")
    cfg = get_preset("m31-real")
    engine = db.make_engine(f"sqlite:///{tmp_path / 'labels.sqlite'}")
    db.init_db(engine)
    db.add_user(engine, "ann", "ann-password")
    field = load_cutout_field(tmp_path / "cut" / "labels.csv", cfg, cache_dir=tmp_path / "cache")
    assert field.cache.as_stored.tolist() == [True, False]
    menu = ("(() => { const s = document.getElementById('stretch'); "
            "return [s.options[s.selectedIndex].text, s.disabled]; })()")
    pixels = "Array.from(document.getElementById('stamp').getContext('2d').getImageData(0, 0, 32, 32).data)"

    def go(page, button):
        cid = page.evaluate("document.body.dataset.candidate")
        page.click(button)
        page.wait_for_function(f"document.body.dataset.candidate !== '{cid}' && document.body.dataset.loading === '0'")

    with running_server(create_app(field, engine, scheme=stamps_scheme(cfg))) as base:
        ctx = browser.new_context(bypass_csp=True)
        page = ctx.new_page()
        _log_in(page, base, "ann", "ann-password")
        assert page.evaluate(menu) == ["as stored", True]
        page.keyboard.press("s")  # greyed out: the key changes nothing
        assert page.evaluate(menu) == ["as stored", True]
        go(page, "#next")
        assert page.evaluate(menu) == ["asinh", False]  # counts: the default stretch, the menu back on
        page.select_option("#stretch", "log")
        log_drawn = page.evaluate(pixels)
        go(page, "#prev")
        assert page.evaluate(menu) == ["as stored", True]
        go(page, "#next")
        assert page.evaluate(menu) == ["log", False]  # the user's choice, kept
        assert page.evaluate(pixels) == log_drawn  # and drawn with
        assert page.evaluate("document.getElementById('stretch').options.length") == 3  # no "as stored" left
        ctx.close()
    engine.dispose()


def test_the_page_says_what_is_left_at_the_end_of_the_queue_and_when_it_is_done(browser, tmp_path):
    """A person who skipped one candidate and labelled the last is told, after "saved", how many are left
    and where the first is; a finished queue says so, on load too. Until 2026-12-05 "end of the queue" was
    replaced by the save's "saved" at once, and a finished queue opened on its first candidate without a word."""
    data = make_demo_field(tmp_path / "field", n=4, size=160, seed=3)
    engine = db.make_engine(f"sqlite:///{tmp_path / 'labels.sqlite'}")
    db.init_db(engine)
    db.add_user(engine, "ann", "ann-password")
    field = load_field(data, cache_dir=tmp_path / "cache")
    app = create_app(field, engine)
    note = "document.getElementById('queue-note')"
    with running_server(app) as base:
        ctx = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
        page = ctx.new_page()
        _log_in(page, base, "ann", "ann-password")
        assert page.text_content("#queue-note") == ""
        page.keyboard.press("n")                                     # skip the first
        page.wait_for_function(f"document.body.dataset.candidate === '{field.ids[1]}' && "
                               "document.body.dataset.loading === '0'")
        for k, key in enumerate(("1", "2")):
            page.keyboard.press(key)
            page.wait_for_function(f"document.body.dataset.candidate === '{field.ids[k + 2]}' && "
                                   "document.body.dataset.loading === '0'")
        page.keyboard.press("3")                                     # the last: labelled, no next one
        _wait_saved(page)
        assert page.text_content("#queue-note") == "end of the queue: 1 not labelled yet, the first at 1 / 4"
        assert page.text_content("#status") == "saved"
        page.keyboard.press("p")                                     # moving on clears it
        page.wait_for_function(f"document.body.dataset.candidate === '{field.ids[2]}' && {note}.textContent === ''")

        page.reload()                                                # starts at the one skipped
        page.wait_for_function(f"document.body.dataset.candidate === '{field.ids[0]}' && "
                               "document.body.dataset.loading === '0'")
        page.keyboard.press("4")                                     # class 4, then Enter: no subclass
        page.wait_for_selector("#subclasses:not(.hidden)")
        page.keyboard.press("Enter")
        _wait_saved(page)
        done = "all 4 labelled: nothing left in this queue (← → to look again or change a label)"
        page.wait_for_function(f"{note}.textContent === {done!r}")
        assert page.get_attribute("#queue-note", "data-left") == "0"
        page.reload()                                                # a finished queue says so on load
        page.wait_for_function("document.body.dataset.loading === '0'")
        page.wait_for_function(f"{note}.textContent === {done!r}")
        assert "you labelled 4" in page.text_content("#position")
        ctx.close()
    assert {lab.candidate_id: lab.cls for lab in db.labels_of(engine, "")} == {
        field.ids[0]: 4, field.ids[1]: 1, field.ids[2]: 2, field.ids[3]: 3}
    engine.dispose()


def test_a_comment_typed_and_left_is_saved_with_the_label_or_said_not_saved(browser, tmp_path):
    """A comment typed on a labelled candidate and left with Esc and an arrow key was replaced by the next
    candidate's without a word (only Enter saved it); on a candidate not labelled yet Enter did nothing, silently.
    Now leaving saves it with the label; without a label the status says it was not saved; Enter there says a label
    takes it along, and the next class key does."""
    data = make_demo_field(tmp_path / "field", n=6, size=160, seed=4)
    engine = db.make_engine(f"sqlite:///{tmp_path / 'labels.sqlite'}")
    db.init_db(engine)
    db.add_user(engine, "ann", "ann-password")
    field = load_field(data, cache_dir=tmp_path / "cache")
    app = create_app(field, engine)
    ids = field.ids

    def at(k):
        page.wait_for_function(f"document.body.dataset.candidate === '{ids[k]}' && "
                               "document.body.dataset.loading === '0'")

    def comment_of(k):
        return {lab.candidate_id: lab.comment for lab in db.labels_of(engine, "")}.get(ids[k])

    with running_server(app) as base:
        ctx = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
        page = ctx.new_page()
        _log_in(page, base, "ann", "ann-password")
        page.keyboard.press("1")                       # label the first, then come back to comment on it
        at(1)
        page.keyboard.press("ArrowLeft")
        at(0)
        page.keyboard.press("c")
        page.keyboard.type("edge on")
        page.keyboard.press("Escape")
        page.keyboard.press("ArrowRight")              # left without Enter: saved with its label
        at(1)
        _wait_saved(page)
        assert comment_of(0) == "edge on"
        assert [lab.cls for lab in db.labels_of(engine, "", candidate_ids=[ids[0]])] == [1]

        page.keyboard.press("c")                       # not labelled yet: Enter says a label takes it along
        page.keyboard.type("faint")
        page.keyboard.press("Enter")
        assert "saved with a label" in page.text_content("#status")
        assert comment_of(1) is None
        page.keyboard.press("2")
        at(2)
        _wait_saved(page)
        assert comment_of(1) == "faint"

        page.keyboard.press("c")                       # not labelled and left: said, not silently dropped
        page.keyboard.type("two cores")
        page.keyboard.press("Escape")
        page.keyboard.press("n")
        at(3)
        assert page.text_content("#status") == (f"comment on {ids[2]} NOT saved: a comment is saved with a label "
                                                "(go back and give one)")
        assert comment_of(2) is None

        page.keyboard.press("c")                       # the model shown: the same candidate, the comment stays
        page.keyboard.type("keep me")
        page.keyboard.press("Escape")
        page.keyboard.press("m")
        page.wait_for_selector("#prediction:not(.hidden)")
        at(3)
        assert page.input_value("#comment") == "keep me"
        ctx.close()
    engine.dispose()


def test_a_label_given_in_another_tab_is_counted_and_not_served_again(browser, tmp_path):
    """Two tabs of one person: tab 1 labels the first two candidates while tab 2 shows the first. Tab 2 kept what
    it was told at load ("you labelled 0", the first "not labelled yet") and, after its own label, served the
    second again. Back at the front it now shows the first's label from tab 1, counts both, and its label moves on
    past the second (tests/test_inspect_queue_refresh.py has the API and the poll's rules)."""
    data = make_demo_field(tmp_path / "field", n=5, size=160, seed=6)
    engine = db.make_engine(f"sqlite:///{tmp_path / 'labels.sqlite'}")
    db.init_db(engine)
    db.add_user(engine, "ann", "ann-password")
    field = load_field(data, cache_dir=tmp_path / "cache")
    app = create_app(field, engine)
    ids = field.ids

    def at(page, k):
        page.wait_for_function(f"document.body.dataset.candidate === '{ids[k]}' && "
                               "document.body.dataset.loading === '0'")

    with running_server(app) as base:
        ctx = browser.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
        tab1 = ctx.new_page()
        _log_in(tab1, base, "ann", "ann-password")
        tab2 = ctx.new_page()                                        # the same session, a second tab
        tab2.goto(f"{base}/")
        at(tab2, 0)
        tab1.bring_to_front()
        tab1.keyboard.press("1")
        at(tab1, 1)
        tab1.keyboard.press("2")
        at(tab1, 2)
        _wait_saved(tab1)
        assert "you labelled 0" in tab2.text_content("#position")
        tab2.bring_to_front()
        tab2.evaluate("window.dispatchEvent(new Event('focus'))")    # what the browser sends a window coming back
        tab2.wait_for_function("document.getElementById('position').textContent.includes('you labelled 2') && "
                               "document.getElementById('current-label').dataset.cls === '1'", timeout=5000)
        assert "labelled meanwhile in another tab" in tab2.text_content("#status")
        tab2.keyboard.press("3")                                     # a change of the first: on past the second
        at(tab2, 2)
        _wait_saved(tab2)
        ctx.close()
    got = {lab.candidate_id: (lab.cls, lab.revision) for lab in db.labels_of(engine, "")}
    assert got == {ids[0]: (3, 2), ids[1]: (2, 1)}
    engine.dispose()
