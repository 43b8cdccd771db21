"""What ``inspect DIR --init`` pays for checking the web server's modules before it makes the database.

    PYTHONPATH=src .venv/bin/python benchmarks/inspect_init_probe.py [--repeats 7] [--size 256] [--n 40] [--existing]

``inspect DIR --init`` on a new database imports FastAPI, uvicorn and Jinja2 in a child interpreter
while it reads the field (:class:`starclass.cli._app.ImportProbe`), and waits for it before it makes
the database: a broken uvicorn is refused before anything is created. The command's first line
("note: no accounts yet") comes after that wait. This times, in fresh interpreters, from start to
that first line, with the probe and with it stubbed out (the code before it), alternately in each
round so a change of load falls on both, and prints the medians, their ratio and the CPU seconds
(this process's children: the command and its probe) each took. Each run stops at its first line
(nothing serves); each uses a database of its own. The field is a ``make_demo_field`` one (``--size``
px, ``--n`` candidates), made in a temporary folder. ``--existing``: serving an existing database without
``--init`` instead (since 2026-12-06 it probes too, checked before the database is upgraded: a broken uvicorn
was found after the notes); the database is made once, before the runs, and every run serves it.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time
from pathlib import Path

#: The child: ``inspect`` with ``typer.echo`` replaced by a stop at its first line (printing the time it took);
#: argv[1] the command line (JSON), argv[2] "probe" or "none" (ImportProbe stubbed: nothing checked).
CHILD = textwrap.dedent("""
    import json, os, sys, time
    t0 = time.perf_counter()
    import typer

    def first(message=None, *args, **kwargs):
        sys.__stdout__.write(json.dumps({"s": time.perf_counter() - t0, "text": str(message)}) + "\\n")
        sys.__stdout__.flush()
        os._exit(0)

    typer.echo = first
    import starclass.cli.inspect_cmd as cmd
    if sys.argv[2] == "none":
        class NoProbe:
            def __init__(self, *args, **kwargs):
                pass

            def check(self, timeout=0):
                pass

            def close(self):
                pass

        cmd.ImportProbe = NoProbe
    from typer.testing import CliRunner
    from starclass.cli import app
    res = CliRunner().invoke(app, json.loads(sys.argv[1]))
    print(json.dumps({"exit": res.exit_code, "output": res.output[-2000:]}))
""")


def _cpu() -> float:
    use = resource.getrusage(resource.RUSAGE_CHILDREN)
    return use.ru_utime + use.ru_stime


def _run(field: Path, db: Path, variant: str, init: bool = True) -> tuple[float, float]:
    """Seconds to the first line, and the CPU seconds of the run (its probe included)."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
    from webtools import free_port

    argv = ["inspect", str(field), *(["--init"] if init else []), "--db", f"sqlite:///{db}", "--no-prerender",
            "--port", str(free_port())]
    cpu = _cpu()
    out = subprocess.run([sys.executable, "-c", CHILD, json.dumps(argv), variant], capture_output=True, text=True,
                         timeout=600)
    line = json.loads(out.stdout.strip().splitlines()[-1])
    if not str(line.get("text", "")).startswith("note: no accounts yet"):
        raise SystemExit(f"{variant}: not the first line expected: {line} {out.stderr[-2000:]}")
    return float(line["s"]), _cpu() - cpu


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--repeats", type=int, default=7)
    ap.add_argument("--size", type=int, default=256)
    ap.add_argument("--n", type=int, default=40)
    ap.add_argument("--existing", action="store_true", help="serve an existing database without --init")
    args = ap.parse_args()
    from starclass.datasets.labelling import make_demo_field

    with tempfile.TemporaryDirectory() as tmp:
        field = make_demo_field(Path(tmp) / "field", n=args.n, size=args.size, seed=1)
        if args.existing:
            from starclass.inspect import db

            engine = db.make_engine(f"sqlite:///{Path(tmp) / 'existing.sqlite'}")
            db.init_db(engine)
            engine.dispose()
        times: dict[str, list[float]] = {"probe": [], "none": []}
        cpus: dict[str, list[float]] = {"probe": [], "none": []}
        start = time.perf_counter()
        for i in range(args.repeats):
            for variant in (("probe", "none") if i % 2 == 0 else ("none", "probe")):
                dbfile = Path(tmp) / ("existing.sqlite" if args.existing else f"{variant}{i}.sqlite")
                s, c = _run(field, dbfile, variant, init=not args.existing)
                times[variant].append(s)
                cpus[variant].append(c)
        what = "inspect DIR (existing database)" if args.existing else "inspect DIR --init (new database)"
        print(f"{what}, {args.size} px, {args.n} candidates, {args.repeats} rounds "
              f"({time.perf_counter() - start:.0f} s):")
        for variant, what in (("none", "without the probe"), ("probe", "with the probe")):
            print(f"  {what:18s} first line median {statistics.median(times[variant]):.2f} s (fastest "
                  f"{min(times[variant]):.2f}), CPU median {statistics.median(cpus[variant]):.2f} s")
        med = {v: (statistics.median(times[v]), statistics.median(cpus[v])) for v in times}
        print(f"  ratio with / without: first line {med['probe'][0] / med['none'][0]:.2f}, "
              f"CPU {med['probe'][1] / med['none'][1]:.2f}")


if __name__ == "__main__":
    main()
