"""FLOPs, parameters and CPU inference time of the networks (net alone, no stamp cutting).

Run:  .venv/bin/python benchmarks/models_flops.py [--n 3000] [--starcnet-n 300] [--threads 1 2]

Prints, for every preset at its published geometry, FLOPs per candidate (torch's
FlopCounterMode; a multiply-add = 2 FLOPs), parameters, and the ratio to the StarcNet-style
model; then times the StarcNet-style and compact networks on N candidates of 15 x 32 x 32
(StarcNet is timed on a subset and scaled to N). The machine is shared: read the ratio
measured in the same process, not the absolute seconds.
"""

from __future__ import annotations

import argparse
import logging
import time

import torch

from starclass.learn.config import PRESETS, get_preset
from starclass.models import build_model
from starclass.models.flops import count_flops


def timed(net, x, batch: int, repeats: int = 3) -> float:
    best = float("inf")
    with torch.inference_mode():
        net(x[:batch])  # warm-up
        for _ in range(repeats):
            t = time.perf_counter()
            for i in range(0, len(x), batch):
                net(x[i : i + batch])
            best = min(best, time.perf_counter() - t)
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=3000, help="candidates timed through the compact net (default 3000)")
    ap.add_argument("--starcnet-n", type=int, default=300,
                    help="candidates timed through StarcNet, scaled to --n (default 300: minutes on a CPU)")
    ap.add_argument("--batch", type=int, default=500, help="candidates per forward pass (default 500)")
    ap.add_argument("--threads", type=int, nargs="+", default=[1, 2], help="torch thread counts timed (default 1 2)")
    ap.add_argument("--no-timing", action="store_true",
                    help="only count FLOPs and parameters (seconds; the timing takes about 10 min on a busy CPU)")
    ap.add_argument("--plot", help="write a bar chart of FLOPs per candidate to this PNG")
    args = ap.parse_args()

    # no network here is trained: the 'no ImageNet weights, training FROM SCRATCH' warning of the VGG
    # presets (frozen layers) said nothing of the FLOPs, which weights do not change
    logging.getLogger("starclass.models").setLevel(logging.ERROR)
    star = build_model(get_preset("legus4")).eval()
    f_star = count_flops(star, (1, 15, 32, 32))
    rows = []
    print(f"{'preset':24s} {'architecture':10s} {'input':>14s} {'GFLOP/cand':>11s} {'params (M)':>11s} "
          f"{'StarcNet/this':>14s}")
    for name, cfg in PRESETS.items():
        member = cfg.member(0)
        net = build_model(cfg, member=0).eval()
        size = cfg.stamp_size
        f = count_flops(net, (1, cfg.n_channels, size, size))
        p = sum(q.numel() for q in net.parameters()) / 1e6
        shape = f"{cfg.n_channels}x{size}" + (f"->{cfg.input_size}" if cfg.input_size else "")
        print(f"{name:24s} {member['architecture']:10s} {shape:>14s} {f / 1e9:11.3f} {p:11.2f} {f_star / f:14.1f}")
        rows.append((name, member["architecture"], f))
        del net

    comp = build_model(get_preset("legus4-compact")).eval()
    f_comp = count_flops(comp, (1, 15, 32, 32))
    print(f"\nlegus4: StarcNet-style {f_star / 1e9:.2f} GFLOP/candidate, compact {f_comp / 1e6:.1f} MFLOP/candidate, "
          f"ratio {f_star / f_comp:.0f}x")
    if args.plot:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(7, 4))
        names = [f"{n}\n({a})" for n, a, _ in rows]
        vals = [f / 1e9 for _, _, f in rows]
        colours = ["tab:orange" if a == "compact" else "tab:blue" for _, a, _ in rows]
        ax.barh(names[::-1], vals[::-1], color=colours[::-1])
        ax.set_xscale("log")
        ax.set_xlabel("GFLOP per candidate (published geometry)")
        ax.tick_params(axis="y", labelsize=7)
        ax.set_title(f"StarcNet-style / compact on legus4: {f_star / f_comp:.0f}x fewer FLOPs")
        fig.tight_layout()
        fig.savefig(args.plot, dpi=110)
        print(f"wrote {args.plot}")
    if args.no_timing:
        return
    x = torch.randn(args.n, 15, 32, 32)
    for th in args.threads:
        torch.set_num_threads(th)
        t_comp = timed(comp, x, args.batch)
        t_star = (timed(star, x[: args.starcnet_n], min(args.batch, args.starcnet_n), repeats=1)
                  * args.n / args.starcnet_n)
        print(f"threads={th}: {args.n} candidates, net alone: compact {t_comp:.2f} s "
              f"({args.n / t_comp:,.0f}/s), StarcNet-style {t_star:.1f} s (from {args.starcnet_n}), "
              f"speed-up {t_star / t_comp:.0f}x")


if __name__ == "__main__":
    main()
