"""Which torch optimizer settings keep ``torch._dynamo`` out of a training process, and what it costs.

    PYTHONPATH=src .venv/bin/python benchmarks/optimizer_dynamo.py [--json out.json]

``fit`` holds about 160 MiB more once ``torch._dynamo`` is imported (sympy, triton and ~900 modules), and
it is imported by the optimizer's constructor (``benchmarks/fit_memory.py``'s imports). Each line here is
a fresh interpreter (one torch thread) that imports torch, makes the optimizer ``fit`` can make (adam,
adamw, sgd, adadelta: :func:`starclass.learn.train._make_optimizer`) with one of the settings torch
offers (``foreach``, ``differentiable``, ``maximize``, ``fused``), or with ``TORCHDYNAMO_DISABLE=1``,
and says whether ``torch._dynamo`` is then in ``sys.modules`` and which frame of torch imported it. The
last line imports ``torch._dynamo`` alone after torch: the resident memory and the time it adds.

Found (torch 2.14, 2026-12-06): every optimizer with every setting imports it in its constructor:
``Optimizer.__init__`` calls ``add_param_group``, which torch wraps in ``torch._disable_dynamo``
(torch/_compile.py), whose wrapper imports ``torch._dynamo`` on its first call; ``step`` is wrapped by
``_use_grad_for_differentiable``, which imports it too, and the lr schedulers accept nothing but a
``torch.optim.Optimizer``. So no setting keeps it out; only an optimizer of our own would (its state dict
then not torch's, which the epoch checkpoints store for resuming).

Since 2026-12-07 ``fit`` makes torch's classes without those guards
(:func:`starclass.learn.train.eager_optimizer`: the functions they wrap, their ``__wrapped__``; state
dicts and schedulers torch's own): ``benchmarks/fit_dynamo.py`` measures what that saves.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

CHILD = r"""
import builtins, json, os, sys, time, traceback
kind, name, options = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
def rss():
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
import torch
torch.set_num_threads(1)
if kind == "import":
    before, t = rss(), time.perf_counter()
    n = len(sys.modules)
    import torch._dynamo  # noqa: F401
    print(json.dumps({"rss": rss() - before, "seconds": time.perf_counter() - t, "modules": len(sys.modules) - n}))
    sys.exit()
where = []
plain = builtins.__import__
def spy(mod, *a, **k):
    if mod.startswith("torch._dynamo") and "torch._dynamo" not in sys.modules and not where:
        # the two innermost frames of torch itself: the import and what called it
        frames = [f for f in traceback.extract_stack()[:-1] if "torch" + os.sep in f.filename][-2:]
        where.append(" <- ".join(f"{f.filename.split('site-packages' + os.sep)[-1]}:{f.lineno} ({f.name})"
                                 for f in reversed(frames)) or "?")
    return plain(mod, *a, **k)
builtins.__import__ = spy
cls = getattr(torch.optim, name)
try:
    opt = cls([torch.nn.Parameter(torch.zeros(3))], lr=0.1, **options)
except Exception as exc:
    print(json.dumps({"refused": f"{type(exc).__name__}: {exc}"}))
    sys.exit()
print(json.dumps({"dynamo": "torch._dynamo" in sys.modules, "imported_at": where[0] if where else None}))
"""

OPTIMIZERS = ("Adam", "AdamW", "SGD", "Adadelta")
SETTINGS = ({}, {"foreach": False}, {"foreach": True}, {"differentiable": True}, {"maximize": True},
            {"fused": True})


def _child(kind: str, name: str, options: dict, env: dict[str, str] | None = None) -> dict:
    out = subprocess.run([sys.executable, "-c", CHILD, kind, name, json.dumps(options)], capture_output=True,
                         text=True, env=dict(os.environ, OMP_NUM_THREADS="1", **(env or {})))
    if out.returncode:
        sys.exit(f"{kind} {name} {options}: exit {out.returncode}\n{out.stderr[-2000:]}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--json", help="write the findings here")
    a = ap.parse_args()
    rows = []
    for name in OPTIMIZERS:
        for options in SETTINGS:
            r = _child("optimizer", name, options)
            rows.append({"optimizer": name, "options": options, **r})
            said = r.get("refused") or (f"torch._dynamo imported: {r['dynamo']}"
                                        + (f", by {r['imported_at']}" if r["imported_at"] else ""))
            print(f"{name:9s} {json.dumps(options):24s} {said}")
    r = _child("optimizer", "SGD", {}, env={"TORCHDYNAMO_DISABLE": "1"})
    rows.append({"optimizer": "SGD", "options": {}, "env": "TORCHDYNAMO_DISABLE=1", **r})
    print(f"{'SGD':9s} {'TORCHDYNAMO_DISABLE=1':24s} torch._dynamo imported: {r['dynamo']}")
    cost = _child("import", "", {})
    print(f"import torch._dynamo after torch: +{cost['rss'] / 2 ** 20:.0f} MiB resident, {cost['seconds']:.2f} s, "
          f"{cost['modules']} modules")
    if a.json:
        import torch

        Path(a.json).write_text(json.dumps({"torch": torch.__version__, "optimizers": rows, "import_cost": cost},
                                           indent=1) + "\n")


if __name__ == "__main__":
    main()
