"""Speed of ``explain``'s probabilities and Grad-CAM maps: one pass of the explained member, against three.

Until 2026-12-06 :func:`starclass.explain.run.explain_inputs` ran a saved model's every member through
classify's :func:`starclass.learn.classify.predict_inputs` for the probabilities, then the first member again
over every stamp for a softmax it threw away (only its width was checked), then again in the Grad-CAM pass of
the maps: three passes of that member. Now the Grad-CAM pass's outputs give that member's probabilities
(``predict_inputs(..., member_probs={0: ...})``) and the model's class is chosen from them before the pass's
backward, as :func:`starclass.science.gradcam.gradcam` takes a callable target. And the Grad-CAM pass's
backward went on below the explained layer to the inputs and filled every weight's ``.grad``; it stops at the
layer now (``torch.autograd.grad``).

In one process, on the same stamps and members (random weights: speed does not depend on training), the
script times three ways of getting the probabilities, classes and Grad-CAM maps, chunk by chunk as explain
does (``--chunk``): as before 2026-12-06 (three passes, backward to the inputs), one pass with the old
backward, and now; it checks that they agree (probabilities to 1e-6, classes and maps exactly), then times
the whole of ``explain_inputs`` (maps, class means, profiles) for reference. Each way runs ``--repeat``
times after a warm-up, alternating, and the median is printed with the ratios to the first.

    .venv/bin/python benchmarks/explain_speed.py [--preset legus4] [--members 3] [--n 64] [--repeat 3]

The machine is shared with other jobs: absolute times vary from run to run; the ratio of the two ways
measured in one process is the more stable number.
"""

from __future__ import annotations

import argparse
import contextlib
import statistics
import tempfile
import time
from pathlib import Path

import numpy as np
import torch


def untrained(cfg, outdir: Path) -> Path:
    """A model folder of every member of ``cfg`` with random weights (for timing only)."""
    from starclass.learn.checkpoint import make_checkpoint, member_filename, save_checkpoint, write_manifest
    from starclass.models import build_model

    outdir.mkdir(parents=True)
    members = []
    for m in cfg.members():
        net = build_model(cfg, member=m["index"])
        save_checkpoint(make_checkpoint(cfg, net.state_dict(), member=m["index"], architecture=m["architecture"],
                                        seed=m["seed"]), outdir / member_filename(m["index"]))
        members.append({"file": member_filename(m["index"]), "architecture": m["architecture"], "seed": m["seed"]})
    write_manifest(outdir, cfg, members)
    return outdir


def _backward_to_inputs(model, layer, inputs, target):
    """The Grad-CAM pass as it was until 2026-12-06: ``score.backward()``, the layer's gradient kept by a hook."""
    store = {}

    def fwd(_m, _i, out):
        store["act"] = out
        out.register_hook(lambda g: store.__setitem__("grad", g))

    h = layer.register_forward_hook(fwd)
    try:
        out = model(*inputs)
        if callable(target):
            target = torch.as_tensor(np.asarray(target(out.detach())), dtype=torch.long)
        score = out.gather(1, target.view(-1, 1)).sum()
        model.zero_grad(set_to_none=True)
        score.backward()
    finally:
        h.remove()
    weights = store["grad"].mean(dim=(2, 3), keepdim=True)
    return torch.relu((weights * store["act"]).sum(dim=1, keepdim=True)).detach()


@contextlib.contextmanager
def old_backward(on: bool):
    """Grad-CAM's pass with the backward of before 2026-12-06 while ``on``."""
    import starclass.science.gradcam as G

    now = G._gradcam_hooks
    if on:
        G._gradcam_hooks = _backward_to_inputs
    try:
        yield
    finally:
        G._gradcam_hooks = now


def old_way(model, x: np.ndarray, layer, chunk: int):
    """Before 2026-12-06: predict_inputs over everything, then per chunk the member's softmax and its Grad-CAM."""
    from starclass.learn.classify import predict_inputs
    from starclass.science.gradcam import gradcam

    ens = predict_inputs(model, x, device="cpu")
    where = {int(c): j for j, c in enumerate(model.classes)}
    targets = np.array([where[int(c)] for c in ens.class_pred], dtype=np.int64)
    net = model.members[0]
    maps = []
    for s in range(0, len(x), chunk):
        xt = torch.from_numpy(x[s:s + chunk])
        net.eval()
        with torch.no_grad():  # the softmax explain computed and, given a model, did not use
            torch.softmax(net(xt).float(), dim=1)
        maps.append(gradcam(net, xt, targets[s:s + chunk], layer=layer, backend="hooks"))
    return ens.prob_mean, ens.class_pred, np.concatenate(maps)


def new_way(model, x: np.ndarray, layer, chunk: int):
    """Now: per chunk, the member's Grad-CAM pass gives its probabilities; the other members run once."""
    from starclass.learn.classify import predict_inputs
    from starclass.science.gradcam import gradcam

    where = {int(c): j for j, c in enumerate(model.classes)}
    net = model.members[0]
    probs, classes, maps = [], [], []
    for s in range(0, len(x), chunk):
        xc = x[s:s + chunk]

        def pick(logits, xc=xc):
            ens = predict_inputs(model, xc, device="cpu",
                                 member_probs={0: torch.softmax(logits.float(), dim=1).numpy()})
            probs.append(ens.prob_mean)
            classes.append(ens.class_pred)
            return np.array([where[int(c)] for c in ens.class_pred], dtype=np.int64)

        maps.append(gradcam(net, torch.from_numpy(xc), pick, layer=layer, backend="hooks"))
    return np.concatenate(probs), np.concatenate(classes), np.concatenate(maps)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--preset", default="legus4", help="task preset of the members (default legus4, StarcNet-style)")
    ap.add_argument("--members", type=int, default=3, help="ensemble members (default 3)")
    ap.add_argument("--n", type=int, default=64, help="stamps (default 64)")
    ap.add_argument("--chunk", type=int, default=16, help="stamps per step, as explain's (default 16)")
    ap.add_argument("--repeat", type=int, default=3, help="timed runs of each way (default 3)")
    ap.add_argument("--threads", type=int, default=1, help="torch threads (default 1)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)

    from starclass.explain.run import explain_inputs
    from starclass.learn.checkpoint import load_model
    from starclass.learn.config import get_preset
    from starclass.science.gradcam import choose_layer

    cfg = get_preset(args.preset, recipe={"ensemble_size": args.members})
    with tempfile.TemporaryDirectory() as tmp:
        model = load_model(untrained(cfg, Path(tmp) / "model"), "cpu")
    rng = np.random.default_rng(0)
    x = rng.normal(size=(args.n, cfg.n_channels, cfg.stamp_size, cfg.stamp_size)).astype(np.float32)
    layer = choose_layer(model.members[0], torch.from_numpy(x[:1])).module
    print(f"{args.preset}: {len(model.members)} members, {args.n} stamps {x.shape[1:]}, chunks of {args.chunk}, "
          f"{args.threads} torch thread(s)")

    # name: (the way, with the backward of before)
    ways = {"before (3 passes of member 1, backward to the inputs)": (old_way, True),
            "one pass of member 1, backward to the inputs": (new_way, True),
            "now (one pass, gradient at the layer)": (new_way, False)}
    got = {}
    for name, (way, backward) in ways.items():  # warm-up, and the check
        with old_backward(backward):
            got[name] = way(model, x, layer, args.chunk)
    (p_old, c_old, m_old), *rest = got.values()
    for name, (p, c, m) in list(got.items())[1:]:
        print(f"{name} agrees with before: probabilities max |diff| {np.abs(p_old - p).max():.2e}, classes "
              f"{'same' if np.array_equal(c_old, c) else 'DIFFER'}, maps max |diff| {np.abs(m_old - m).max():.2e}")
    times: dict[str, list[float]] = {name: [] for name in ways}
    for _ in range(args.repeat):
        for name, (way, backward) in ways.items():
            with old_backward(backward):
                t0 = time.perf_counter()
                way(model, x, layer, args.chunk)
                times[name].append(time.perf_counter() - t0)
    med = {name: statistics.median(t) for name, t in times.items()}
    first = next(iter(med.values()))
    for name, t in times.items():
        print(f"{name}: median {med[name]:.2f} s of {', '.join(f'{v:.2f}' for v in t)}; "
              f"ratio to before {med[name] / first:.2f}")
    explain_inputs(model, x[:2], np.zeros(2, int), model.classes, methods=("gradcam",))  # its imports, untimed
    t0 = time.perf_counter()
    explain_inputs(model, x, np.zeros(args.n, int), model.classes, methods=("gradcam",))
    print(f"explain_inputs (gradcam, with class means and profiles): {time.perf_counter() - t0:.2f} s")


if __name__ == "__main__":
    main()
