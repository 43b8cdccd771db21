"""Check the LEGUS NGC 1566 reader against the published counts and test what columns 35-39 are.

Prints the class counts of column 34 (published: 477/404/692/878), then the evidence that
columns 36-39 behave as individual human classifiers (the numbers quoted in docs/io.md), and
draws the catalogue coloured by class as the DS9 export colours it
(docs/img/io_legus_ngc1566_classes.png).

    .venv/bin/python benchmarks/io_legus_check.py [path/to/legus.tab]
"""

from __future__ import annotations

import itertools
import sys
from collections import Counter
from pathlib import Path

import numpy as np

from starclass.io.catalog import read_catalog
from starclass.io.regions import class_colour
from starclass.schema import CLASS_REF

ROOT = Path(__file__).resolve().parents[1]
DEFAULT = ROOT.parent / "shared" / "data" / "legus" / \
    "hlsp_legus_hst_wfc3_ngc1566_multiband_v1_padagb-mwext-avgapcor.tab"


def binary(c: np.ndarray) -> np.ndarray:
    """Cluster (classes 1, 2) against non-cluster (3, 4), as in the StarcNet paper."""
    return np.where(c <= 2, 1, 2)


def main(path: Path = DEFAULT) -> None:
    t = read_catalog(path)
    ref = np.asarray(t[CLASS_REF])
    counts = Counter(int(v) for v in ref)
    print(f"{path.name}: {len(t)} rows")
    print("class_ref (col 34) 1/2/3/4 = " + "/".join(str(counts[k]) for k in (1, 2, 3, 4))
          + f"  ({sum(counts[k] for k in (1, 2, 3, 4))} classified; published 477/404/692/878, 2451)")

    h = np.vstack([np.asarray(t[f"class_h{k}"]) for k in range(1, 5)]).T
    n_lab = (h > 0).sum(axis=1)
    print(f"rows with col 34 = 0 that have any label in cols 36-39: {int((n_lab[ref == 0] > 0).sum())}")
    print("labels per classified source: " + ", ".join(
        f"{k}: {int(((n_lab == k) & (ref > 0)).sum())}" for k in range(0, 5)))
    one = (ref > 0) & (n_lab == 1)
    print(f"single-labeller sources whose col 34 equals that label: "
          f"{int((h[one].max(axis=1) == ref[one]).sum())}/{int(one.sum())}")
    uniq = agree = 0
    for r in np.flatnonzero(ref > 0):
        c = Counter(v for v in h[r] if v > 0)
        top = max(c.values())
        modes = [k for k, n in c.items() if n == top]
        if len(modes) == 1:
            uniq += 1
            agree += modes[0] == ref[r]
    print(f"sources with a unique mode of cols 36-39: {uniq}; mode == col 34: {agree} ({agree / uniq:.1%})")
    n = a4 = a2 = 0
    for i, j in itertools.combinations(range(4), 2):
        m = (h[:, i] > 0) & (h[:, j] > 0)
        n += int(m.sum())
        a4 += int((h[m, i] == h[m, j]).sum())
        a2 += int((binary(h[m, i]) == binary(h[m, j])).sum())
    print(f"two individuals agree (pooled over {n} pairs): {a4 / n:.1%} four classes, {a2 / n:.1%} "
          f"cluster vs non-cluster (StarcNet paper, LEGUS: 57.3%, 78.1%)")
    m = (h > 0) & (ref[:, None] > 0)
    r = np.broadcast_to(ref[:, None], h.shape)
    print(f"an individual agrees with col 34 ({int(m.sum())} labels): {(h[m] == r[m]).mean():.1%} four "
          f"classes, {(binary(h[m]) == binary(r[m])).mean():.1%} binary (StarcNet: 75.0%, 87.2%)")
    for k in range(4):
        mk = (h[:, k] > 0) & (ref > 0)
        print(f"  class_h{k + 1}: {int(mk.sum())} labels, agrees with col 34 {(h[mk, k] == ref[mk]).mean():.1%}")
    c35 = Counter(zip(np.asarray(t["legus_col35"]).tolist(), ref.tolist()))
    print("col 35 x col 34 (value, class): " + ", ".join(f"{a},{b}:{n}" for (a, b), n in sorted(c35.items())))

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
