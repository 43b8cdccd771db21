"""Finish a ``sim_to_real.py --parts sim`` run that was stopped by hand (issue 12, fourth pass).

The sim model of the fourth pass (16,000 simulated cutouts) ran about 3 min per epoch on the
loaded 2-core machine, so it was stopped after epoch 8 of at most 30. Its last epoch checkpoint
(``OUT/sim_model/member_01.last.pt``) holds the best epoch's weights; this keeps them with the
library's own writers (``member_01.pt`` and ``manifest.json``, so ``load_model`` and
``--init-from`` read it), then scores every real cutout as ``sim_to_real.py --parts sim`` does and
writes ``OUT/sim_only.json`` with the epoch history. Unlike a finished run it does **not**
recalibrate batch norm or fit the validation calibration (the kept epoch's running statistics are
used as they are)::

    python benchmarks/finish_stopped_sim_model.py /tmp/acc12b/s2r --sim /tmp/acc12b/sim20k

The machine is shared: timings are indicative only.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))
import sim_to_real as s2r

from starclass.io.cutout_folders import label_classes, read_cutout_folder
from starclass.learn.checkpoint import make_checkpoint, save_checkpoint, write_manifest
from starclass.learn.config import get_preset


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("out", help="the stopped run's --out (sim_model/member_01.last.pt inside)")
    ap.add_argument("--sim", required=True, help="the simulated folder it trained on (labels.csv inside)")
    ap.add_argument("--data", default=str(s2r.DEFAULT_REAL), help="the real pandas-m31 folder")
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    out = Path(args.out)
    mdir = out / "sim_model"
    last_path = mdir / "member_01.last.pt"
    if not last_path.is_file():
        print(f"error: {last_path}: no such checkpoint", file=sys.stderr)
        return 2
    last = torch.load(last_path, map_location="cpu", weights_only=False)
    hist, best = last["history"], int(last["best_epoch"])
    ident = {"data_digest": last["data_digest"], "settings_digest": last["settings_digest"]}
    best_acc = float(last["early_stopping"]["best_acc"])
    ck = make_checkpoint(last["config"], last["best_state_dict"], kind="member", member=0,
                         architecture=last["architecture"], seed=last["seed"], history=hist, epoch=len(hist),
                         best_epoch=best, extra={"final_val_acc": best_acc, "stopped_by_hand": True, **ident})
    save_checkpoint(ck, mdir / "member_01.pt")
    write_manifest(mdir, last["config"], [{"file": "member_01.pt", "architecture": last["architecture"],
                                           "seed": last["seed"]}], training=ident)
    # kept aside, not deleted: the run can still be inspected (or resumed by hand)
    last_path.rename(mdir / "stopped.last.pt")
    labels = [r.split(",")[1] for r in (Path(args.sim) / "labels.csv").read_text().splitlines()[1:]]
    real = read_cutout_folder(Path(args.data) / "labels.csv", group_column="object_id")
    yb = (label_classes(real, get_preset("m31-real").label_map) == 1).astype(int)
    doc = {"sim": str(args.sim), "n_sim": len(labels),
           "sim_labels": {k: labels.count(k) for k in sorted(set(labels))},
           "train_s": float(sum(h["seconds"] for h in hist)), "epochs_run": len(hist), "best_epoch": best,
           "sim_val_acc": best_acc, "epochs_max": int(last["config"]["recipe"]["epochs"]),
           "loadavg": os.getloadavg()[0], "n_real": int(yb.size), "model": "compact",
           "note": "stopped by hand after the last epoch of the history; best epoch kept "
                   "(benchmarks/finish_stopped_sim_model.py; no batch-norm recalibration)",
           "history": [{k: h[k] for k in ("epoch", "val_acc", "val_loss", "seconds")} for h in hist]}
    for tta in (False, True):
        doc["p_tta" if tta else "p"] = s2r.p_cluster(mdir, real.images, tta=tta).tolist()
    s2r.write_json(out / "sim_only.json", doc)
    sc = s2r.scores(yb, np.asarray(doc["p"]))
    print(f"finished: {len(hist)} epochs, kept {best} (val acc {best_acc:.3f}); real AUC {sc['auc']:.3f} "
          f"F1 {sc['f1']:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
