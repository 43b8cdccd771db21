"""CPU training and inference throughput in float32 against bfloat16 (``recipe.amp="bf16"``).

For each model (StarcNet-style at the paper's width 128, ResNet18 on 32 px stamps, the
compact model) the script times, in one process, a training step (augmentation, forward,
backward, Adam) and an inference batch, first in float32 as ``fit``/``classify`` run by
default, then with the settings :mod:`starclass.learn.precision` applies for ``"bf16"``
(bfloat16 autocast, channels-last tensors), and prints samples/s and the bf16 / fp32 ratio.
Random inputs and weights: speed does not depend on them. It also says whether this CPU has
bfloat16 matrix units (AMX / AVX512-BF16); without them bfloat16 is usually slower.

    .venv/bin/python benchmarks/cpu_precision.py [--models starcnet,resnet18,compact]

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
    ap.add_argument("--seconds", type=float, default=6.0, help="time spent per measurement (about)")
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
    }

    def rate(fn, per_call: int) -> float:
        """Items/s: median of 3 runs of as many calls as fit in ``--seconds / 3``."""
        fn()
        t = time.perf_counter()
        fn()
        one = max(time.perf_counter() - t, 1e-4)
        calls = max(1, int(args.seconds / 3 / one))
        runs = []
        for _ in range(3):
            t = time.perf_counter()
            for _ in range(calls):
                fn()
            runs.append(per_call * calls / (time.perf_counter() - t))
        return statistics.median(runs)

    for key in [m.strip() for m in args.models.split(",") if m.strip()]:
        cfg = configs[key]
        c, s = cfg.n_channels, cfg.stamp_size
        figures = {}
        for name, dtype in (("fp32", None), ("bf16", torch.bfloat16)):
            torch.manual_seed(0)
            net = to_memory_format(build_model(cfg), "cpu", dtype)
            opt = torch.optim.Adam(net.parameters(), lr=1e-4)
            xb = torch.randn(args.train_batch, c, s, s)
            yb = torch.randint(0, cfg.n_classes, (args.train_batch,))
            xi = to_memory_format(torch.randn(args.infer_batch, c, s, s), "cpu", dtype)
            gen = torch.Generator().manual_seed(0)

            def train_step():
                x = to_memory_format(augment_batch(xb, gen), "cpu", dtype)
                with autocast("cpu", dtype):
                    loss = F.cross_entropy(net(x).float(), yb)
                opt.zero_grad(set_to_none=True)
                loss.backward()
                opt.step()

            def infer():
                with torch.inference_mode(), autocast("cpu", dtype):
                    torch.softmax(net(xi).float(), dim=1)

            net.train()
            tr = rate(train_step, args.train_batch)
            net.eval()
            inf = rate(infer, args.infer_batch)
            figures[name] = (tr, inf)
            print(f"{key:9s} ({cfg.name}, {c}x{s}^2) {name}: training {tr:9,.0f} samples/s; "
                  f"inference {inf:9,.0f} candidates/s", flush=True)
        (t32, i32), (t16, i16) = figures["fp32"], figures["bf16"]
        print(f"{key:9s} bf16 / fp32: training {t16 / t32:.2f}x, inference {i16 / i32:.2f}x")


if __name__ == "__main__":
    main()
