"""How fast the next candidate shows in ``starclass inspect``.

Run:  .venv/bin/python benchmarks/inspect_latency.py [--n 60] [--no-browser]

Starts a real uvicorn server on 127.0.0.1 over a synthetic field (SQLite labels) and measures

1. HTTP, cold: candidate JSON + its three PNGs when nothing is cached (render on demand);
2. HTTP, warm: the same once rendered (what the server's background pre-render and the page's
   prefetch of the next three candidates give);
3. a label POST;
4. in Chromium (when /usr/bin/chromium and playwright are there): from the key press that
   classifies a candidate to the next candidate on screen with all its images loaded, after
   a 1 s look at each candidate (a person needs several) and with no look at all.

A trivial static GET is timed in the same process as the baseline, and every figure is also
printed as a ratio to it, since the machine may be shared and absolute times noisy.
The target is < 200 ms for the next candidate.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path


def pct(values, q):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


def summary(name, values_s, base_s):
    ms = [v * 1000 for v in values_s]
    med = statistics.median(ms)
    print(f"{name:<52s} median {med:7.1f} ms  p95 {pct(ms, 95):7.1f} ms  "
          f"(n={len(ms)}, x{med / (base_s * 1000):.1f} the static GET)")
    return med


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--n", type=int, default=60, help="candidates in the synthetic field")
    ap.add_argument("--no-browser", action="store_true", help="skip the Chromium measurement")
    args = ap.parse_args()

    from starclass.datasets.labelling import make_demo_field
    from starclass.inspect import db
    from starclass.inspect.app import create_app, load_field, prerender
    # the server/client helpers are test helpers, kept under tests/ so the package need not require httpx
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from webtools import login_client, running_server

    tmp = Path(tempfile.mkdtemp(prefix="inspect-bench-"))
    data = make_demo_field(tmp / "field", n=args.n, size=600, seed=2)
    engine = db.make_engine(f"sqlite:///{tmp / 'labels.sqlite'}")
    db.init_db(engine)
    db.add_user(engine, "bench", "bench-password")
    field = load_field(data, cache_dir=tmp / "cache")
    app = create_app(field, engine)
    print(f"inspect latency benchmark: {args.n} candidates, {len(field.bands)} bands, "
          f"{os.cpu_count()} CPUs (machine may be shared: compare the ratios)")
    with running_server(app) as base:
        c = login_client(base, "bench", "bench-password")
        for _ in range(5):
            c.get("/static/inspect.css")
        static = []
        for _ in range(30):
            t = time.perf_counter()
            c.get("/static/inspect.css").raise_for_status()
            static.append(time.perf_counter() - t)
        base_s = statistics.median(static)
        print(f"{'baseline: GET /static/inspect.css':<52s} median {base_s * 1000:7.1f} ms")

        def view(cid):
            t = time.perf_counter()
            j = c.get(f"/api/candidate/{cid}").json()
            for url in j["images"].values():
                c.get(url).raise_for_status()
            return time.perf_counter() - t

        half = args.n // 2
        c.get(f"/api/candidate/{field.ids[0]}")  # imports (matplotlib) outside the timing
        field.cache.get(0, "profile")
        cold = [view(cid) for cid in field.ids[1:half]]
        summary("HTTP cold (JSON + 3 PNG, rendered on demand)", cold, base_s)
        t = time.perf_counter()
        prerender(field)
        per = (time.perf_counter() - t) / max(1, args.n - half)
        print(f"{'pre-render in the server (per candidate)':<52s}        {per * 1000:7.1f} ms")
        warm = [view(cid) for cid in field.ids[half:]] + [view(cid) for cid in field.ids[1:half]]
        med_warm = summary("HTTP warm (JSON + 3 PNG, cached)", warm, base_s)
        posts = []
        for k in range(40):
            cid = field.ids[k % 5]
            t = time.perf_counter()
            c.post("/api/label", json={"candidate_id": cid, "cls": 1}).raise_for_status()
            posts.append(time.perf_counter() - t)
        summary("label POST (SQLite, history row)", posts, base_s)
        c.close()

        if args.no_browser or not os.path.exists("/usr/bin/chromium"):
            print("browser: skipped (no /usr/bin/chromium or --no-browser)")
        else:
            _browser(base, field, base_s)
    engine.dispose()
    import shutil

    shutil.rmtree(tmp, ignore_errors=True)
    print(f"target: next candidate < 200 ms; warm HTTP median {med_warm:.1f} ms")


def _browser(base, field, base_s) -> None:
    import shutil

    from playwright.sync_api import sync_playwright

    # empty the server's cache: the page's prefetch of the next candidates must do the work
    shutil.rmtree(field.cache.dir)
    field.cache.dir.mkdir()
    field.cache.fits.clear()

    args = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
            "--disable-component-update", "--disable-sync", "--no-first-run"]
    shown = ("document.body.dataset.candidate !== %r && document.body.dataset.loading === '0' && "
             "['img-composite','img-profile','img-context'].every(i => document.getElementById(i).complete)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path="/usr/bin/chromium", args=args, headless=True)
        ctx = b.new_context(viewport={"width": 1400, "height": 900}, bypass_csp=True)
        page = ctx.new_page()
        page.goto(f"{base}/login")
        page.fill("#name", "bench")
        page.fill("#password", "bench-password")
        page.click("#login-button")
        page.wait_for_url(f"{base}/")
        page.wait_for_function("document.body.dataset.loading === '0'")
        for dwell, label in ((1.0, "1 s look, no server pre-render"), (0.0, "no look at all")):
            times = []
            for _ in range(12):
                page.wait_for_timeout(dwell * 1000)
                cid = page.evaluate("document.body.dataset.candidate")
                t = time.perf_counter()
                page.keyboard.press("2")
                page.wait_for_function(shown % cid, polling=5)
                times.append(time.perf_counter() - t)
            summary(f"browser: key press -> next candidate ({label})", times, base_s)
        b.close()


if __name__ == "__main__":
    main()
