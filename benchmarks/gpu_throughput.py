"""GPU throughput: training samples/s and inference candidates/s per architecture.

Models: StarcNet-style (legus4: 15 x 32 x 32 inputs), ResNet18 (phangs4 member on 32 px
stamps, no upsampling; add ``--resnet-input 224`` for the published 224 px input) and the
compact model (legus4-compact). Inputs are random tensors already on the GPU, so the
figures are the network's (the stamp extraction runs on the CPU and is measured by
``benchmarks/stamps_speed.py``). Training uses the recipe's mixed precision (bfloat16
autocast where supported), Adam, batch ``--train-batch``; inference uses autocast and
``torch.inference_mode`` with batch ``--infer-batch``. Each figure is the median of
``--repeat`` timed runs after warm-up, synchronised with ``torch.cuda.synchronize``.

Targets (issue 3): compact > 500,000 candidates/s on an H100-class GPU; StarcNet-style
about 23,000.

    .venv/bin/python benchmarks/gpu_throughput.py [--models starcnet,resnet18,compact]

Without a CUDA device the script says so and exits (status 0).
"""

from __future__ import annotations

import argparse
import statistics
import time


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--models", default="starcnet,resnet18,compact")
    ap.add_argument("--train-batch", type=int, default=256)
    ap.add_argument("--infer-batch", type=int, default=8192)
    ap.add_argument("--steps", type=int, default=20, help="iterations per timed run")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--resnet-input", type=int, default=0, help="ResNet18 input size (0: the 32 px stamp)")
    ap.add_argument("--compile", action="store_true", help="also time torch.compile'd inference")
    ap.add_argument("--channels-last", action="store_true", help="use channels_last memory format")
    args = ap.parse_args()

    import torch
    import torch.nn.functional as F

    if not torch.cuda.is_available():
        print("gpu_throughput: no CUDA device here; nothing measured (run it on a machine with a GPU)")
        return

    from starclass.learn.augment import augment_batch
    from starclass.learn.config import get_preset
    from starclass.models import build_model

    dev = torch.device("cuda")
    torch.backends.cudnn.benchmark = True
    torch.backends.cuda.matmul.allow_tf32 = True
    torch.backends.cudnn.allow_tf32 = True
    amp_dtype = torch.bfloat16 if torch.cuda.is_bf16_supported() else torch.float16
    print(f"# GPU throughput on {torch.cuda.get_device_name(0)} (torch {torch.__version__}, "
          f"autocast {amp_dtype}, train batch {args.train_batch}, inference batch {args.infer_batch})")

    configs = {
        "starcnet": get_preset("legus4"),
        "resnet18": get_preset("phangs4", stamp_size=32, input_size=args.resnet_input or None,
                               architecture=[{"architecture": "resnet18", "n": 1}],
                               arch_options={"adapter": "conv1x1", "pretrained": None}),
        "compact": get_preset("legus4-compact"),
    }

    def timed(fn, steps: int) -> float:
        times = []
        for _ in range(args.repeat):
            torch.cuda.synchronize()
            t = time.perf_counter()
            for _ in range(steps):
                fn()
            torch.cuda.synchronize()
            times.append(time.perf_counter() - t)
        return statistics.median(times)

    fmt = torch.channels_last if args.channels_last else torch.contiguous_format
    for key in [m.strip() for m in args.models.split(",") if m.strip()]:
        cfg = configs[key]
        net = build_model(cfg).to(dev).to(memory_format=fmt)
        c, s = cfg.n_channels, cfg.stamp_size
        opt = torch.optim.Adam(net.parameters(), lr=1e-4)
        xb = torch.randn(args.train_batch, c, s, s, device=dev).to(memory_format=fmt)
        yb = torch.randint(0, cfg.n_classes, (args.train_batch,), device=dev)
        gen = torch.Generator().manual_seed(0)

        def train_step():
            x = augment_batch(xb, gen)
            with torch.autocast("cuda", dtype=amp_dtype):
                loss = F.cross_entropy(net(x).float(), yb)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()

        net.train()
        for _ in range(3):
            train_step()
        t_train = timed(train_step, args.steps)
        train_rate = args.train_batch * args.steps / t_train

        net.eval()
        xi = torch.randn(args.infer_batch, c, s, s, device=dev).to(memory_format=fmt)

        def infer(model=net):
            with torch.inference_mode(), torch.autocast("cuda", dtype=amp_dtype):
                torch.softmax(model(xi).float(), dim=1)

        for _ in range(3):
            infer()
        t_inf = timed(infer, args.steps)
        inf_rate = args.infer_batch * args.steps / t_inf
        line = (f"{key:9s} ({cfg.name}, input {c}x{cfg.network_size}^2): training {train_rate:12,.0f} samples/s; "
                f"inference {inf_rate:12,.0f} candidates/s")
        if args.compile:
            comp = torch.compile(net, mode="max-autotune-no-cudagraphs")
            for _ in range(3):
                infer(comp)
            t_c = timed(lambda: infer(comp), args.steps)
            line += f"; compiled {args.infer_batch * args.steps / t_c:12,.0f} candidates/s"
        print(line, flush=True)
        torch.cuda.empty_cache()


if __name__ == "__main__":
    main()
