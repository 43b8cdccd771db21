"""CPU training and inference throughput in float32 against bfloat16 (``recipe.amp="bf16"``).

For each model (StarcNet-style at the paper's width 128, ResNet18 on 32 px stamps, the
compact model) the script times, in one process, a training step (augmentation, forward,
backward, Adam) and an inference batch, first in float32 as ``fit``/``classify`` run by
default, then with the settings :mod:`starclass.learn.precision` applies for ``"bf16"``
(bfloat16 autocast, channels-last tensors), and prints samples/s and the bf16 / fp32 ratio: fp32 and
bf16 alternate over ``--rounds`` rounds and the median of the per-round ratios is printed, so that a
loaded machine's changing load falls on both alike.
Random inputs and weights: speed does not depend on them. It also says whether this CPU has
bfloat16 matrix units (AMX / AVX512-BF16); without them bfloat16 is usually slower.

    .venv/bin/python benchmarks/cpu_precision.py [--models starcnet,resnet18,compact,m31-real] [--seconds 6]

The batch sizes are the script's (--train-batch, --infer-batch), not the task's recipe: m31-real trains
in batches of 64, so run it with ``--train-batch 64`` for the figure its ``train`` sees.

The figures of docs/training.md were taken with the machine otherwise idle.
"""

from __future__ import annotations

import argparse
import statistics
import time


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", default="starcnet,resnet18,compact")
    ap.add_argument("--train-batch", type=int, default=128)
    ap.add_argument("--infer-batch", type=int, default=512)
    ap.add_argument("--seconds", type=float, default=6.0, help="time spent per round and measurement (about)")
    ap.add_argument("--rounds", type=int, default=5, help="alternating fp32 / bf16 rounds (median reported)")
    args = ap.parse_args()

    import torch
    import torch.nn.functional as F

    from starclass.learn.augment import augment_batch
    from starclass.learn.config import get_preset
    from starclass.learn.precision import autocast, cpu_has_bf16_units, to_memory_format
    from starclass.models import build_model

    print(f"# CPU precision benchmark (torch {torch.__version__}, threads {torch.get_num_threads()}, "
          f"bfloat16 units: {'yes' if cpu_has_bf16_units() else 'no'})")
    configs = {
        "starcnet": get_preset("legus4"),
        "resnet18": get_preset("phangs4", stamp_size=32, input_size=None,
                               architecture=[{"architecture": "resnet18", "n": 1}],
                               arch_options={"adapter": "conv1x1", "pretrained": None}),
        "compact": get_preset("legus4-compact"),
        # the network train --task m31-real fits (compact, one band, 64 px), whose float32 run prints the
        # bf16 note: measured here on its own, as that note may only say what this figure shows
        "m31-real": get_preset("m31-real"),
    }

    def calls_for(fn) -> int:
        """How many calls of ``fn`` fill about ``--seconds / 6`` (after one warm-up call)."""
        fn()
        t = time.perf_counter()
        fn()
        return max(1, int(args.seconds / 6 / max(time.perf_counter() - t, 1e-4)))

    def timed(fn, calls: int) -> float:
        t = time.perf_counter()
        for _ in range(calls):
            fn()
        return time.perf_counter() - t

    def setup(cfg, dtype):
        """The training step and inference batch of ``cfg`` in ``dtype`` (None: float32), as fit/classify run."""
        c, s = cfg.n_channels, cfg.stamp_size
        torch.manual_seed(0)
        net = to_memory_format(build_model(cfg), "cpu", dtype)
        opt = torch.optim.Adam(net.parameters(), lr=1e-4)
        xb = torch.randn(args.train_batch, c, s, s)
        yb = torch.randint(0, cfg.n_classes, (args.train_batch,))
        xi = to_memory_format(torch.randn(args.infer_batch, c, s, s), "cpu", dtype)
        gen = torch.Generator().manual_seed(0)

        def train_step():
            net.train()
            x = to_memory_format(augment_batch(xb, gen), "cpu", dtype)
            with autocast("cpu", dtype):
                loss = F.cross_entropy(net(x).float(), yb)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()

        def infer():
            net.eval()
            with torch.inference_mode(), autocast("cpu", dtype):
                torch.softmax(net(xi).float(), dim=1)

        return train_step, infer

    for key in [m.strip() for m in args.models.split(",") if m.strip()]:
        cfg = configs[key]
        c, s = cfg.n_channels, cfg.stamp_size
        steps = {name: setup(cfg, dtype) for name, dtype in (("fp32", None), ("bf16", torch.bfloat16))}
        for what, i, per_call, unit in (("training", 0, args.train_batch, "samples/s"),
                                        ("inference", 1, args.infer_batch, "candidates/s")):
            calls = {name: calls_for(fns[i]) for name, fns in steps.items()}
            # fp32 and bf16 alternate, round by round: on a shared machine the load changes by the second,
            # and a ratio of two runs minutes apart measured the neighbours (0.9x to 9x on one afternoon)
            rates, ratios = {"fp32": [], "bf16": []}, []
            for _ in range(args.rounds):
                for name, fns in steps.items():
                    rates[name].append(per_call * calls[name] / timed(fns[i], calls[name]))
                ratios.append(rates["bf16"][-1] / rates["fp32"][-1])
            print(f"{key:9s} ({cfg.name}, {c}x{s}^2) {what}: fp32 {statistics.median(rates['fp32']):9,.0f} "
                  f"{unit}, bf16 {statistics.median(rates['bf16']):9,.0f}; bf16 / fp32 median "
                  f"{statistics.median(ratios):.2f}x over {args.rounds} alternating rounds "
                  f"(range {min(ratios):.2f}-{max(ratios):.2f}x)", flush=True)

if __name__ == "__main__":
    main()
