"""Check the LEGUS NGC 1566 reader against the published counts and what columns 35-39 are.

Prints the class counts of column 34 (published: 477/404/692/878), then checks the survey's own
description of the hybrid columns (col 34 = col 37 on method flag 0, col 38 on flag 1, col 36 on
flags 3/4; columns 36-39 are not individual people), the agreement the file does support (the
three-human mode against the ML class and against one human's check; numbers in docs/io.md), and
draws the catalogue coloured by class as the DS9 export colours it
(docs/img/io_legus_ngc1566_classes.png).

    .venv/bin/python benchmarks/io_legus_check.py [path/to/legus.tab]
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import numpy as np

from starclass.io.catalog import read_catalog
from starclass.io.regions import class_colour
from starclass.schema import CLASS_REF, human_cols

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "data" / "legus" / \
    "hlsp_legus_hst_wfc3_ngc1566_multiband_v1_padagb-mwext-avgapcor.tab"


def main(path: Path = DEFAULT) -> None:
    t = read_catalog(path)
    ref = np.asarray(t[CLASS_REF])
    counts = Counter(int(v) for v in ref)
    print(f"{path.name}: {len(t)} rows")
    print("class_ref (col 34) 1/2/3/4 = " + "/".join(str(counts[k]) for k in (1, 2, 3, 4))
          + f"  ({sum(counts[k] for k in (1, 2, 3, 4))} classified; published 477/404/692/878, 2451)")

    from starclass.science.validation import hybrid_check

    flag = np.asarray(t["class_method"])
    print("method flag (col 35): " + ", ".join(f"{k}: {n}" for k, n in sorted(Counter(flag.tolist()).items())))
    res = hybrid_check(t)
    for flags, (n, same) in res.meta["class_ref_follows_method"].items():
        print(f"col 34 equals the column of flag {flags}: {same}/{n}")
    for r in res:
        print(f"{r['pair']}: {r['n_agree_4class']}/{r['n']} = {r['agree_4class']:.1%} four classes, "
              f"{r['n_agree_binary']}/{r['n']} = {r['agree_binary']:.1%} cluster (1+2) vs not, "
              f"{r['n_agree_123v4']}/{r['n']} = {r['agree_123v4']:.1%} classes 1-3 vs 4")
    print(f"individual-classifier columns (class_h<k>): {human_cols(t) or 'none'}")

    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(6.5, 6))
    for k in (4, 3, 2, 1, 0):
        s = ref == k
        col = class_colour(k) if k else "lightgrey"
        ax.scatter(t["x"][s], t["y"][s], s=4, c="gold" if col == "yellow" else col,
                   label=f"class {k} ({int(s.sum())})" if k else f"not classified ({int(s.sum())})")
    ax.set_aspect("equal")
    ax.set_xlabel("x (0-based px)")
    ax.set_ylabel("y (0-based px)")
    ax.set_title("LEGUS NGC 1566 read by starclass, DS9 class colours")
    ax.legend(markerscale=3, fontsize=8, loc="lower right")
    out = ROOT / "docs" / "img" / "io_legus_ngc1566_classes.png"
    out.parent.mkdir(parents=True, exist_ok=True)
    fig.tight_layout()
    fig.savefig(out, dpi=90)
    print(f"wrote {out}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
