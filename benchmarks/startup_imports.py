"""What ``starclass --help`` and ``starclass info FILE`` import, and what each heavy package costs them.

    PYTHONPATH=src .venv/bin/python benchmarks/startup_imports.py [--repeats 5] [--json out.json]

Runs ``python -X importtime -m starclass --help`` and ``python -X importtime -m starclass info t.ecsv`` (a 3-row
ECSV catalogue written in a temporary folder), each ``--repeats`` times in turn (one of each per round, so a load
change on a shared machine falls on both alike), in fresh interpreters. For each it prints the median wall time,
the median of the whole import time (the sum of the top-level imports' cumulative times), and for each package
of :data:`PACKAGES` the median of what its imports cost the command (:func:`costs`) where the command imports it,
and its share of the command's import time; ``-`` where the command never imports it. :func:`importers` says,
from one run's trace, which module first imported each package. The figures nest: a package imported by another
counts in both (``typer``'s includes the pydantic its ``_adapters`` imports), so the shares do not add up.

Benchmarks/startup.py times the commands whole (and their first lines); this says where their imports go.
Figures of 2026-12-07 (typer 0.29.2, pydantic 2, torch 2): neither command imports torch; ``--help`` imports
no pydantic either, ``info`` does (typer 0.29 coerces every parameter of the command it runs through a pydantic
``TypeAdapter``: typer._adapters, imported in typer's ``_TyperParameter.get_runtime_param``), and ``--help`` pays
for rich's markdown and traceback modules (typer.rich_utils imports them at its top to draw the help).

Neither can be taken off from starclass's side without changing an output (checked 2026-12-07, typer 0.29.3,
rich 15, 5 runs on the shared 2-core machine under load, so read the shares, not the milliseconds): ``--help``
imported 587 ms, typer 59% of it and rich 57% (nested: rich.markdown about 43 ms and rich.traceback about 23 ms
of one run's trace, both from typer.rich_utils' top, which imports them whatever the markup mode; the help's
panels are rich's, so a help drawn without typer.rich_utils is another output). ``info`` imported 2811 ms,
pydantic 7.5% of it: typer builds a pydantic ``TypeAdapter`` for every parameter it coerces
(``typer._coercion.build_runtime_param``; only a bool flag given as a bool skips it), so any command with a path
argument loads pydantic. Those are typer's to change. ``info``'s largest share is astropy (43.5%, first imported
by starclass.io.catalog), which reading the catalogue needs.

``info`` of a catalogue imports ``starclass.io.cutout_folders`` and ``starclass.io.mosaic`` (checked 2026-12-07, 3
runs each, loaded machine; ``-X importtime`` of ``info t.ecsv``): both are needed there, and cost little once
their bytecode is cached. ``info`` asks cutout_folders whether the file is a list of cutouts before reading it as a
catalogue (``cutout_list_path``, ``cutout_list_format`` and ``csv_header`` for an ECSV, ``is_hdf5``: a stamp
store), and cutout_folders imports mosaic at its top. Their ~100 ms each in this machine's traces is compiling
(5,500 and 3,500 lines): this environment sets PYTHONDONTWRITEBYTECODE, so every run compiles starclass again,
where an installed package has its ``.pyc``. With a bytecode cache (``env -u PYTHONDONTWRITEBYTECODE
PYTHONPYCACHEPREFIX=/tmp/pyc``) io.mosaic took 9-16 ms and io.cutout_folders 7-13 ms (41-60 and 59-103 ms without),
together 1-2% of the command's ~1.6 s of imports: not worth moving functions out of cutout_folders for. Left.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

#: The packages whose import cost is reported (top-level names, as importtime names them)
PACKAGES = ("torch", "pydantic", "typer", "rich", "click", "astropy", "numpy", "scipy", "yaml",
            "matplotlib", "sklearn", "pandas")

_LINE = re.compile(r"import time:\s+(\d+) \|\s+(\d+) \| ( *)(\S+)")


def parse(trace: str) -> list[tuple[int, int, str]]:
    """``(cumulative us, indent, module)`` of each line of a ``-X importtime`` trace, in its order.

    Examples
    --------
    >>> parse("import time: self [us] | cumulative | imported package\\nimport time:   5 |   7 |   numpy\\n")
    [(7, 2, 'numpy')]
    """
    out = []
    for line in trace.splitlines():
        m = _LINE.match(line)
        if m:
            out.append((int(m.group(2)), len(m.group(3)), m.group(4)))
    return out


def _parents(records: list[tuple[int, int, str]]) -> list[str | None]:
    """The module whose import ran each line's (the next line of a smaller indent: importtime prints children
    first); None for a top-level import."""
    out: list[str | None] = []
    for i, (_, indent, _) in enumerate(records):
        out.append(next((n for _, ind, n in records[i + 1:] if ind < indent), None))
    return out


def costs(records: list[tuple[int, int, str]]) -> dict[str, float]:
    """Milliseconds: ``"total"`` (the top-level imports' cumulative times) and each of :data:`PACKAGES` imported.

    A package's figure is the sum of the cumulative times of its modules imported from outside it (``rich.markdown``
    by ``typer.rich_utils``, ``pydantic`` by ``typer._adapters``): what the command paid for it, the other packages
    it imported included.

    Examples
    --------
    >>> costs([(3000, 4, "numpy.core"), (5000, 2, "numpy"), (1000, 2, "numpy.fft"), (9000, 0, "starclass")])
    {'total': 9.0, 'numpy': 6.0}
    """
    parents = _parents(records)
    base = min((indent for _, indent, _ in records), default=0)
    out = {"total": sum(c for c, indent, _ in records if indent == base) / 1000}
    for (cumulative, _, name), parent in zip(records, parents):
        pkg = name.split(".")[0]
        if pkg in PACKAGES and (parent is None or parent.split(".")[0] != pkg):
            out[pkg] = out.get(pkg, 0.0) + cumulative / 1000
    return out


def importers(records: list[tuple[int, int, str]]) -> dict[str, str]:
    """The module that first imported each of :data:`PACKAGES` (or one of its modules).

    Examples
    --------
    >>> importers([(5000, 4, "pydantic.main"), (9000, 2, "typer._adapters"), (9500, 0, "typer._coercion")])
    {'pydantic': 'typer._adapters', 'typer': '(top level)'}
    """
    out = {}
    for (_, _, name), parent in zip(records, _parents(records)):
        pkg = name.split(".")[0]
        if pkg in PACKAGES and pkg not in out and (parent is None or parent.split(".")[0] != pkg):
            out[pkg] = parent or "(top level)"
    return out


def run(args: list[str], env: dict) -> tuple[float, str]:
    """Wall seconds of ``python -X importtime -m starclass ARGS`` and its trace."""
    start = time.perf_counter()
    res = subprocess.run([sys.executable, "-X", "importtime", "-m", "starclass", *args], env=env,
                         capture_output=True, text=True, timeout=300)
    wall = time.perf_counter() - start
    if res.returncode != 0:
        raise SystemExit(f"starclass {' '.join(args)} failed ({res.returncode}): {res.stdout[-500:]}")
    return wall, res.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--json", type=Path, help="write the figures here as well")
    opts = parser.parse_args()
    src = Path(__file__).resolve().parents[1] / "src"
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(src), os.environ.get("PYTHONPATH", "")]))
    with tempfile.TemporaryDirectory() as tmp:
        from astropy.table import Table

        cat = Path(tmp) / "t.ecsv"
        Table({"id": [1, 2, 3], "x": [1.0, 2.0, 3.0], "y": [4.0, 5.0, 6.0]}).write(cat)
        commands = {"starclass --help": ["--help"], "starclass info t.ecsv": ["info", str(cat)]}
        walls: dict[str, list[float]] = {k: [] for k in commands}
        figures: dict[str, list[dict[str, float]]] = {k: [] for k in commands}
        who: dict[str, dict[str, str]] = {}
        for r in range(opts.repeats):
            for name, args in commands.items():
                wall, trace = run(args, env)
                records = parse(trace)
                walls[name].append(wall)
                figures[name].append(costs(records))
                who.setdefault(name, importers(records))
                print(f"round {r + 1}/{opts.repeats} {name}: {wall:.2f} s", flush=True)
    result = {}
    for name in commands:
        row = {"wall_s": statistics.median(walls[name]),
               "imports_ms": statistics.median(f["total"] for f in figures[name])}
        for pkg in PACKAGES:
            got = [f[pkg] for f in figures[name] if pkg in f]
            if got:
                row[f"{pkg}_ms"] = statistics.median(got)
        row["imported_by"] = who[name]
        result[name] = row
        print(f"\n{name}: median wall {row['wall_s']:.2f} s, imports {row['imports_ms']:.0f} ms "
              f"({opts.repeats} runs)")
        for pkg in PACKAGES:
            if f"{pkg}_ms" in row:
                share = row[f"{pkg}_ms"] / row["imports_ms"]
                print(f"  {pkg:14s} {row[f'{pkg}_ms']:7.0f} ms  {share:6.1%} of the imports  "
                      f"(first imported by {who[name][pkg]})")
            else:
                print(f"  {pkg:14s}       -")
    if opts.json:
        opts.json.write_text(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
