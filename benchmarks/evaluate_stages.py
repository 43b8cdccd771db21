"""Where ``starclass evaluate`` spends its time on a demo-like catalogue, stage by stage, before and after a change.

``starclass evaluate`` of the demo's classified catalogue against its truth and simulated humans took 35-59 s
on the shared 2-core machine (wall clock, 2026-12-07), most of it in the figures. This runs the command
(``python -m starclass evaluate PRED -r truth -r humans --distance 10``) in a child process per source tree
and prints the CPU seconds (``time.process_time``: on a loaded machine the wall clock counts other jobs'
turns) of each stage, each counted without the stages it calls:

- ``import``: the command's imports (``starclass.cli`` up to the first stage);
- ``read``: the catalogues read (:func:`starclass.evaluate.compare.load_catalog`);
- ``cutout check``: :func:`starclass.io.cutout_folders.check_output_outside_cutouts` of each input;
- ``evaluation``: pairing, metrics and bootstraps (:func:`starclass.evaluate.compare.evaluate_catalogs`);
- ``figures built``: the ``fig_*`` functions of :mod:`starclass.report.figures` (artists made, not drawn);
- ``figures drawn``: each figure drawn into its PNG (:meth:`starclass.report.sections.Section.figure`);
- ``tables written``: :func:`starclass.report.sections.write_sections` (ECSV tables, PNG bytes);
- ``other``: the rest (science fits, sections' text, the printed lines).

With ``--before SRC`` (the ``src`` folder of other code, e.g. ``git archive HEAD~1 src | tar -x -C /tmp/old``)
both trees run in turns (``--rounds``), the best round of each is printed with the ratio now / before, and the
two runs' outputs are compared: stdout line for line (the output folder's path aside), every table, and every
PNG's pixels (Pillow), so a change that only saves time can be seen to change nothing.

Usage (from the repository root; the demo-like catalogues are made in a temporary folder)::

    OMP_NUM_THREADS=1 PYTHONPATH=src python benchmarks/evaluate_stages.py --before /tmp/old/src --rounds 2

``--demo DIR`` evaluates a ``starclass demo`` output folder's ``classified.ecsv`` against its
``test_field/truth.ecsv`` and ``test_field/humans.ecsv`` instead. ``--draw-both`` runs this tree once more,
each figure copied and drawn both as ``savefig(bbox_inches="tight")`` drew it before
:func:`starclass.report.figures.png_box` and as it is drawn now, in turns in one process: a ratio the machine's
load sways less than two processes' totals, and a byte-for-byte comparison of every PNG.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

SRC = Path(__file__).resolve().parents[1] / "src"

#: The child: the evaluate command with each stage's exclusive CPU time counted; one JSON line on stderr at its end.
CHILD = r"""
import json, os, sys, time
c0 = time.process_time()
spent, stack = {}, []

def wrap(owner, name, key):
    f = getattr(owner, name)
    def timed(*a, **k):
        stack.append(0.0)
        t = time.process_time()
        try:
            return f(*a, **k)
        finally:
            dt = time.process_time() - t
            inner = stack.pop()
            spent[key] = spent.get(key, 0.0) + dt - inner
            if stack:
                stack[-1] += dt
    setattr(owner, name, timed)

from starclass.cli import app
import starclass.evaluate.compare as C
import starclass.io.cutout_folders as CF
import starclass.report.build as B
import starclass.report.figures as F
import starclass.report.sections as S
spent["import"] = time.process_time() - c0
wrap(C, "load_catalog", "read")
wrap(CF, "check_output_outside_cutouts", "cutout check")
wrap(B, "evaluate_catalogs", "evaluation")
for n in dir(F):
    if n.startswith("fig_") and callable(getattr(F, n)):
        wrap(F, n, "figures built")
wrap(S.Section, "figure", "figures drawn")
wrap(B, "write_sections", "tables written")
if os.environ.get("STAGES_DRAW_BOTH"):
    # each figure copied (pickled) and drawn as savefig(bbox_inches=png_bbox) drew it before png_box, and as
    # to_png_base64 draws it now, in turns: the ratio of the two in one process, and whether the bytes agree
    import io, pickle
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    both = {"before": 0.0, "now": 0.0, "same": 0, "n": 0}
    drawn = S.to_png_base64
    def to_png_base64(fig, dpi=85):
        copies = []
        for _ in range(2):
            c = pickle.loads(pickle.dumps(fig))
            FigureCanvasAgg(c)
            if fig in F._PLACED:
                F._PLACED.add(c)
            copies.append(c)
        buf = io.BytesIO()
        # which goes first alternates: the first drawing of a figure fills caches the second finds
        for way in (("before", "now") if both["n"] % 2 else ("now", "before")):
            t = time.process_time()
            if way == "before":
                copies[0].savefig(buf, format="png", dpi=dpi, bbox_inches=F.png_bbox(copies[0]))
            else:
                now = drawn(copies[1], dpi)
            both[way] += time.process_time() - t
        both["same"] += base64.b64decode(now) == buf.getvalue()
        both["n"] += 1
        return now
    import base64
    S.to_png_base64 = to_png_base64
try:
    app(sys.argv[1:], standalone_mode=False)
except SystemExit as exc:
    if exc.code:
        raise
total = time.process_time() - c0
spent["other"] = total - sum(spent.values())
spent["total"] = total
if os.environ.get("STAGES_DRAW_BOTH"):
    spent["draw both"] = both
print("STAGES " + json.dumps(spent), file=sys.stderr)
"""

STAGES = ("import", "read", "cutout check", "evaluation", "figures built", "figures drawn", "tables written",
          "other", "total")


def demo_like(folder: Path, n: int = 5236, seed: int = 1) -> list[Path]:
    """A classified catalogue of ``n`` rows as the demo's, its truth and a simulated human consensus (ECSV files).

    :func:`starclass.datasets.catalogs.fake_catalogs` gives the prediction and the truth (magnitudes in the
    five HST bands, masses, ages, crowding, background); the humans are the truth with a quarter of the
    classes moved to a neighbouring one, as the demo's simulated consensus disagrees with it.
    """
    import numpy as np

    from starclass.datasets.catalogs import fake_catalogs

    pred, truth = fake_catalogs(n, seed=seed)
    rng = np.random.default_rng(seed + 1)
    humans = truth.copy()
    moved = rng.uniform(size=n) < 0.25
    humans["class_ref"] = np.where(moved, np.array([0, 2, 1, 4, 3])[truth["class_ref"]], truth["class_ref"])
    paths = [folder / "classified.ecsv", folder / "truth.ecsv", folder / "humans.ecsv"]
    for t, p in zip((pred, truth, humans), paths):
        t.write(p, format="ascii.ecsv")
    return paths


def run(src: Path, inputs: list[Path], out: Path, draw_both: bool = False) -> tuple[dict, list[str]]:
    """The child on one source tree: its stages and its stdout lines."""
    pred, truth, humans = inputs
    env = dict(os.environ, PYTHONPATH=str(src), OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
    if draw_both:
        env["STAGES_DRAW_BOTH"] = "1"
    args = ["evaluate", str(pred), "-r", str(truth), "-r", str(humans), "--distance", "10", "-o", str(out),
            "--no-progress", "--overwrite"]
    done = subprocess.run([sys.executable, "-c", CHILD, *args], env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"evaluate failed with {src}:\n{done.stderr[-3000:]}")
    line = next(x for x in done.stderr.splitlines() if x.startswith("STAGES "))
    return json.loads(line[len("STAGES "):]), [x.replace(str(out), "OUT") for x in done.stdout.splitlines()]


def same_outputs(a: Path, b: Path) -> list[str]:
    """What differs between two evaluation folders: files present, tables' text, PNG pixels and sizes."""
    import numpy as np
    from PIL import Image

    diffs = []
    names_a = {p.relative_to(a) for p in a.rglob("*") if p.is_file()}
    names_b = {p.relative_to(b) for p in b.rglob("*") if p.is_file()}
    diffs += [f"only in one: {n}" for n in sorted(names_a ^ names_b)]
    for n in sorted(names_a & names_b):
        if n.suffix == ".png":
            ia, ib = (np.asarray(Image.open(d / n).convert("RGBA")) for d in (a, b))
            if ia.shape != ib.shape:
                diffs.append(f"{n}: {ia.shape[1]} x {ia.shape[0]} px, before {ib.shape[1]} x {ib.shape[0]}")
            elif (ia != ib).any():
                diffs.append(f"{n}: {int((ia != ib).any(axis=2).sum())} pixels differ")
        elif n.suffix == ".ecsv":
            if (a / n).read_text() != (b / n).read_text():
                diffs.append(f"{n}: text differs")
        elif n.name == "summary.json":
            ja, jb = (json.loads((d / n).read_text().replace(str(d), "OUT")) for d in (a, b))
            if ja != jb:
                diffs.append(f"{n}: differs")
    return diffs


def main(argv: list[str] | None = None) -> int:
    """Time the stages of each tree's evaluate; print them, the ratios and whether the outputs agree."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", type=Path, default=None, help="src folder of the code to compare with")
    ap.add_argument("--rounds", type=int, default=1, help="runs of each tree, taking turns; the best is shown")
    ap.add_argument("--rows", type=int, default=5236, help="rows of the demo-like catalogue (the demo's: 5236)")
    ap.add_argument("--demo", type=Path, default=None, help="a starclass demo output folder to evaluate instead")
    ap.add_argument("--draw-both", action="store_true",
                    help="one more run of this tree, each figure drawn both as before png_box and now, in turns")
    args = ap.parse_args(argv)
    trees = {"now": SRC} | ({"before": args.before.resolve()} if args.before else {})
    with tempfile.TemporaryDirectory(prefix="evaluate_stages_") as tmp:
        tmp = Path(tmp)
        if args.demo:
            inputs = [args.demo / "classified.ecsv", args.demo / "test_field" / "truth.ecsv",
                      args.demo / "test_field" / "humans.ecsv"]
        else:
            sys.path.insert(0, str(SRC))
            inputs = demo_like(tmp, args.rows)
        best: dict[str, dict] = {}
        lines: dict[str, list[str]] = {}
        for r in range(args.rounds):
            for name, src in trees.items():
                stages, lines[name] = run(src, inputs, tmp / name)
                if name not in best or stages["total"] < best[name]["total"]:
                    best[name] = stages
                print(f"round {r + 1} {name}: {stages['total']:.1f} CPU s", flush=True)
        print(f"\nCPU seconds (best of {args.rounds}), {len(inputs)} catalogues of "
              f"{'the demo ' + str(args.demo) if args.demo else str(args.rows) + ' demo-like rows'}:")
        print(f"{'stage':16s}" + "".join(f"{n:>9s}" for n in trees) + ("    now/before" if args.before else ""))
        for s in STAGES:
            row = f"{s:16s}" + "".join(f"{best[n].get(s, 0.0):9.2f}" for n in trees)
            if args.before and best["before"].get(s, 0.0) > 0.05:
                row += f"    x{best['now'].get(s, 0.0) / best['before'][s]:.2f}"
            print(row)
        if args.before:
            said = "identical" if lines["now"] == lines["before"] else "DIFFERENT"
            print(f"\nstdout: {len(lines['now'])} lines, {said}")
            for a, b in zip(lines["now"], lines["before"]):
                if a != b:
                    print(f"  now:    {a}\n  before: {b}")
            diffs = same_outputs(tmp / "now", tmp / "before")
            n_png = len(list((tmp / "now").rglob("*.png")))
            n_tab = len(list((tmp / "now").rglob("*.ecsv")))
            print(f"outputs: {n_png} PNGs and {n_tab} tables, "
                  + ("every PNG's pixels and every table identical" if not diffs else f"{len(diffs)} differ:"))
            for d in diffs:
                print(f"  {d}")
        if args.draw_both:
            both = run(SRC, inputs, tmp / "both", draw_both=True)[0]["draw both"]
            print(f"\nthe {both['n']} figures drawn in one process, in turns: savefig(bbox_inches='tight') "
                  f"{both['before']:.2f} CPU s, with png_box {both['now']:.2f} CPU s "
                  f"(x{both['now'] / both['before']:.2f}); "
                  f"{both['same']} of {both['n']} PNGs identical byte for byte")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
