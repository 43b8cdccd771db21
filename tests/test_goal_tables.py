"""The "Where it stands" tables of docs/real_images.md and docs/uncertainty.md against their results files.

Each figure of those tables is copied by hand from a later section; these tests recompute a few
of them from the stored results (benchmarks/results_*: per-cutout predictions where the files hold
them, with scikit-learn) and check that the table still says so. A results file that is not
there skips its test; the PAndAS ones also need the labels in ../shared/data/pandas-m31.

Found by recomputing (2026-12-05): the fifth-pass compact network's four-seed mean with TTA read
0.897 ± 0.003 (the mean and sd of rounded per-seed values); the files give 0.896 ± 0.002.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import numpy as np
import pytest

from conftest import ROOT, SHARED_DATA

BENCH = ROOT / "benchmarks"
PANDAS_LABELS = SHARED_DATA / "pandas-m31" / "labels.csv"


def _stands_row(doc: str, goal_start: str) -> str:
    """The row of the doc's "Where it stands" table whose goal cell starts with ``goal_start``."""
    text = (ROOT / "docs" / doc).read_text(encoding="utf-8")
    table = text.split("## Where it stands", 1)[1].split("\n## ", 1)[0]
    rows = [r for r in table.splitlines() if r.startswith("| " + goal_start)]
    assert len(rows) == 1, f"{doc}: no single row starting {goal_start!r}"
    return rows[0]


def _need(*paths: Path) -> None:
    for p in paths:
        if not p.exists():
            pytest.skip(f"{p} not available")


def _pandas_truth() -> np.ndarray:
    """1 for a cluster (extended ones included, as m31-real's label_map), 0 for a galaxy, in labels.csv order."""
    import csv

    with open(PANDAS_LABELS, newline="", encoding="utf-8") as fh:
        return np.array([0 if row["label"] == "galaxy" else 1 for row in csv.DictReader(fh)])


def _pooled(run: str, key: str, keep: np.ndarray | None = None) -> tuple[np.ndarray, np.ndarray]:
    """A run's pooled out-of-fold rows and P(cluster); with ``keep`` (bool per cutout), those rows only."""
    files = sorted((BENCH / "results_real_pandas").glob(f"{run}_fold[0-9].json"))
    if len(files) != 5:
        pytest.skip(f"{run}: {len(files)} of 5 fold files")
    folds = [json.loads(f.read_text()) for f in files]
    idx = np.concatenate([f["test"] for f in folds]).astype(int)
    p = np.concatenate([f[key] for f in folds]).astype(float)
    if keep is not None:
        idx, p = idx[keep[idx]], p[keep[idx]]
    return idx, p


@pytest.fixture(scope="module")
def pandas_kept() -> np.ndarray:
    """The PAndAS cutouts classify --stamps classifies (the package's rule at 64 and 128 px, the runs' sizes)."""
    _need(PANDAS_LABELS)
    from starclass.io.cutout_folders import read_cutout_folder
    from starclass.learn.config import get_preset
    from starclass.learn.cutouts import unclassified_cutouts

    images = read_cutout_folder(PANDAS_LABELS).images
    keep = np.ones(len(images), bool)
    for size in (64, 128):
        keep &= ~np.logical_or(*unclassified_cutouts(images, get_preset("m31-real", stamp_size=size)))
    return keep


def _summary_row(path: Path, row: str) -> list[str]:
    """The cells (accuracy, AUC, F1, ...) of a ``real_pandas.py --summarise`` row starting ``| row |``."""
    line = next(r for r in path.read_text(encoding="utf-8").splitlines() if r.startswith(f"| {row} |"))
    return [c.strip() for c in line.split("|")[4:9]]


def test_real_images_pandas_rows_are_the_fold_files(pandas_kept):
    from sklearn.metrics import f1_score, roc_auc_score

    _need(PANDAS_LABELS, BENCH / "results_real_pandas")
    y = _pandas_truth()
    # since 2026-12-06 the 2 blank cutouts classify --stamps leaves unclassified are not scored
    assert np.flatnonzero(~pandas_kept).tolist() == [231, 551]
    idx, p = _pooled("resnet18-n128-long-x3-gpu", "p_tta", pandas_kept)
    assert idx.size == 867
    auc, f1 = roc_auc_score(y[idx], p), f1_score(y[idx], p >= 0.5)
    # the figures with their intervals, as the summary of that day (intervals over cutouts, as before) has them
    cutouts = BENCH / "results_real_pandas" / "summary_headline_cutouts_2026-12-06.md"
    _need(cutouts)
    text = cutouts.read_text(encoding="utf-8")
    assert "left out 2 of 869 cutouts that classify --stamps leaves unclassified: 2 blank (rows 231, 551" in text
    assert "resample the 867 cutouts one by one" in text
    best = _summary_row(cutouts, "resnet18-n128-long-x3-gpu (3 members) | 0,1,2,3,4 | 8x")
    assert best[1].startswith(f"{auc:.3f} [") and best[2].startswith(f"{f1:.3f} [")
    assert f"| {best[1]} (`resnet18-n128-long-x3-gpu`, 8x TTA, five grouped folds, 867 cutouts)" in \
        _stands_row("real_images.md", "real PAndAS cutouts, cluster vs non-cluster (galaxy)")
    assert f"| {best[2]} (same run)" in _stands_row("real_images.md", "... and F1")
    row = _stands_row("real_images.md", "ahead of both baselines")
    for run, words in (("trees", "bagged trees on pixels AUC"), ("morph", "boosting on morphology")):
        i, q = _pooled(run, "p", pandas_kept)
        base = roc_auc_score(y[i], q)
        cell = _summary_row(cutouts, f"{run} | 0,1,2,3,4 | no")[1]
        assert cell.startswith(f"{base:.3f} [") and f"{words} {cell}" in row, (run, row)
        # and the best run is ahead of it
        assert auc > base


def test_real_images_blank_cutouts_section_is_the_summaries():
    """The dated section's before (869) and after (867) figures are those of the summaries of each day."""
    folder = BENCH / "results_real_pandas"
    files = {(day, unit): folder / f"summary_headline_{unit}_{day}.md" for day in ("2026-12-05", "2026-12-06")
             for unit in ("cutouts", "objects")}
    _need(*files.values())
    text = (ROOT / "docs" / "real_images.md").read_text(encoding="utf-8")
    section = text.split("### Blank cutouts left out (2026-12-06)", 1)[1].split("\n### ", 1)[0]

    def interval(cell: str) -> str:
        return cell[cell.index("["):]

    for run, label in (("resnet18-n128-long-x3-gpu (3 members) | 0,1,2,3,4 | 8x", "`resnet18-n128-long-x3-gpu` +TTA"),
                       ("resnet18-n128-e20 | 0,1,2,3,4 | 8x", "`resnet18-n128-e20` +TTA"),
                       ("trees | 0,1,2,3,4 | no", "`trees`"), ("morph | 0,1,2,3,4 | no", "`morph`")):
        cells = {k: _summary_row(f, run) for k, f in files.items()}
        before = (f"{cells['2026-12-05', 'cutouts'][1]} / {interval(cells['2026-12-05', 'objects'][1])}")
        after = (f"{cells['2026-12-06', 'cutouts'][1]} / {interval(cells['2026-12-06', 'objects'][1])}")
        assert f"| {label}, AUC | {before} | {after} |" in section, (label, before, after)
    ttacal = {day: folder / f"summary_resnet18-n128-e20-ttacal_{day}.md" for day in ("2026-12-05_night", "2026-12-06")}
    _need(*ttacal.values())
    b, a = (_summary_row(f, "resnet18-n128-e20-ttacal | 0,1,2,3,4 | 8x") for f in ttacal.values())
    assert f"| `resnet18-n128-e20-ttacal` +TTA, AUC (objects) | {b[1]} | {a[1]} |" in section
    assert "left out 2 of 869" in ttacal["2026-12-06"].read_text(encoding="utf-8")


def test_real_images_simulation_only_row_is_the_seed_files():
    from sklearn.metrics import roc_auc_score

    s2r = BENCH / "results_sim_to_real"
    _need(PANDAS_LABELS, s2r)
    y = _pandas_truth()

    def aucs(stem: str, key: str = "p") -> list[float]:
        files = [s2r / f"{stem}{s}" / "sim_only.json" for s in ("", "_seed1", "_seed2", "_seed3")]
        _need(*files)
        return [roc_auc_score(y, json.loads(f.read_text())[key]) for f in files]

    r18, compact = aucs("r18n128"), aucs("halo12")
    row = _stands_row("real_images.md", "simulation-only AUC")
    assert f"{np.mean(r18):.3f} ± {np.std(r18, ddof=1):.3f} over four training seeds" in row, row
    assert f"(one seed {min(r18):.3f})" in row and f"compact network {np.mean(compact):.3f} ± " \
        f"{np.std(compact, ddof=1):.3f}" in row, row
    # the four-seed table of the fifth-pass section, with TTA (it read 0.897 ± 0.003 from rounded seeds)
    tta = aucs("halo12", "p_tta")
    text = (ROOT / "docs" / "real_images.md").read_text(encoding="utf-8")
    assert f"**{np.mean(compact):.3f} ± {np.std(compact, ddof=1):.3f} / {np.mean(tta):.3f} ± " \
        f"{np.std(tta, ddof=1):.3f}**" in text


def test_real_images_half_the_labels_row_is_the_curve_files():
    folder = BENCH / "results_sim_to_real" / "fixed_sim"
    _need(folder)

    def f1s(size: str, arm: str) -> list[float]:
        files = [folder / f"curve_fold{k}_n{size}_{arm}.json" for k in range(5)]
        _need(*files)
        return [json.loads(f.read_text())["f1"] for f in files]

    half, full = f1s("half", "finetuned"), f1s("all", "scratch")
    row = _stands_row("real_images.md", "with simulation pretraining")
    assert f"fine-tuned with half {np.mean(half):.3f} ± {np.std(half, ddof=1):.3f}" in row, row
    assert f"scratch with all {np.mean(full):.3f} ± {np.std(full, ddof=1):.3f}" in row, row
    assert np.mean(half) >= np.mean(full)  # "met"


def test_uncertainty_ece_rows_are_their_jsons():
    large = BENCH / "results_trust_large_test_sim_2026-12-02.json"
    # since 2026-12-06 the cutouts classify --stamps leaves unclassified (2 blank) are not scored
    real = BENCH / "results_trust_real_crossfit_2026-12-06.json"
    _need(large, real)
    by = json.loads(large.read_text())["by_calibration_fields"]
    hist = [d["histogram"][0] for v in by.values() for d in v["per_draw"]]
    temp = [v["temperature"]["ece_mean_sd"][0] for v in by.values()]
    row = _stands_row("uncertainty.md", "ECE <= 0.02 after calibration")
    assert f"histogram binning {min(hist):.3f}-{max(hist):.3f}" in row and f"all {len(hist)} draws" in row, row
    assert f"one temperature (the default) {min(temp):.3f}-{max(temp):.3f}" in row, row
    r = json.loads(real.read_text())
    tta, plain = r["resnet18-n128-e20 +TTA"], r["resnet18-n128-e20"]
    row = _stands_row("uncertainty.md", "ECE <= 0.03, real PAndAS")
    assert f"{tta['as_trained']['ece']:.3f} as trained, {tta['cross_fitted']['temperature']['ece']:.3f} " \
           "cross-fitted" in row, row
    no_tta = sorted([plain["as_trained"]["ece"], plain["cross_fitted"]["temperature"]["ece"]])
    assert f"without TTA {no_tta[0]:.3f}-{no_tta[1]:.3f}" in row, row
    assert tta["n"] == 867 and tta["left_out"]["blank"] == [231, 551]
    cov = tta["cross_fitted"]["temperature"]["coverage"]
    crow = _stands_row("uncertainty.md", "conformal coverage at 90%")
    assert f"real: {cov[0]:.3f} and {cov[1]:.3f}" in crow, crow
    # the rerun with today's code (its map fitted under TTA), beside the old code's figures
    rerun = BENCH / "results_trust_real_crossfit_ttacal_2026-12-06.json"
    before = BENCH / "results_trust_real_crossfit_ttacal_2026-12-05_night.json"
    _need(rerun, before)
    n = json.loads(rerun.read_text())
    new_tta, new_plain = n["resnet18-n128-e20-ttacal +TTA"], n["resnet18-n128-e20-ttacal"]
    floor = new_tta["as_trained"]["ece_floor_mean_p95"]
    assert f"{new_tta['as_trained']['ece']:.3f} as trained, at a perfectly calibrated model's floor on those " \
           f"{new_tta['n']} rows ({floor[0]:.3f}, 95th percentile {floor[1]:.3f})" in row, row
    # the figures of before (all 869 cutouts, the blank ones scored) stay visible
    b = json.loads(before.read_text())
    b_tta, b_plain = b["resnet18-n128-e20-ttacal +TTA"], b["resnet18-n128-e20-ttacal"]
    assert f"869 rows): {b_tta['as_trained']['ece']:.3f} as trained, cross-fitted temperature " \
           f"{b_tta['cross_fitted']['temperature']['ece']:.3f}, without TTA " \
           f"{b_plain['as_trained']['ece']:.3f}" in row, row
    assert f"cross-fitted temperature {new_tta['cross_fitted']['temperature']['ece']:.3f}, vector scaling " \
           f"{new_tta['cross_fitted']['vector']['ece']:.3f}; without TTA {new_plain['as_trained']['ece']:.3f} " \
           "as trained" in row, row
    assert f"gives {new_tta['as_trained_one_view_map']['ece']:.3f}" in row, row
    # the maps cross-fitted on the raw rows (not on rows each fold's own map had moved), since 2026-12-06
    raw_t, raw_plain = (r["cross_fitted_on_raw"]["temperature"]["ece"] for r in (new_tta, new_plain))
    assert f"temperature {raw_t:.3f} with TTA (raw {new_tta['raw']['ece']:.3f}), {raw_plain:.3f} without" in row, row
    assert f"met by the temperature cross-fitted on the raw rows ({raw_t:.3f} with TTA, {raw_plain:.3f} without)" \
        in row, row
    assert max(raw_t, raw_plain) <= 0.03
    # a temperature under TTA on as many rows as one fold's validation split, and on 400
    curve = new_tta["raw_rows_curve"]
    c99, c400 = curve["99"], curve["400"]
    assert f"gives {c99['ece_mean']:.3f} ± {c99['ece_sd']:.3f} ({c99['draws']} draws; worse than raw in " \
           f"{100 * (1 - c99['share_ece_below_raw']):.0f}%), on 400 rows {c400['ece_mean']:.3f} ± " \
           f"{c400['ece_sd']:.3f}" in row, row
    # "met as trained, with TTA and without"; the cross-fitted temperature under TTA is said not to
    assert max(new_tta["as_trained"]["ece"], new_plain["as_trained"]["ece"]) <= 0.03
    assert new_tta["cross_fitted"]["temperature"]["ece"] > 0.03 and "not by the cross-fitted temperature" in row
    for key, run in (("with TTA", new_tta), ("without", new_plain)):
        c = run["as_trained"]["coverage"]
        assert f"{c[0]:.3f} / {c[1]:.3f} {key}" in crow, (key, crow)
    share = by["2"]["temperature"]["coverage"]["share_all_within_2pts"]
    assert f"with 3,000 in {100 * share:.0f}% of draws" in crow, crow


def test_uncertainty_votes_row_is_the_saved_probabilities():
    npz = BENCH / "results_trust_votes_full_2026-12-02.npz"
    _need(npz)
    z = np.load(npz)
    truth = z["truth"]
    mode = float(np.mean(z["mode"] == truth))
    net = {k: z[f"prob_{k}"].argmax(axis=1) + 1 == truth for k in ("truth", "mode", "dawid-skene")}
    row = _stands_row("uncertainty.md", "a model trained on three people's votes")
    assert f"people's mode {mode:.3f}" in row and f"truth itself {net['truth'].mean():.3f}" in row, row
    gain = net["dawid-skene"].mean() - net["mode"].mean()
    assert re.search(rf"ahead of `mode` training by \+{gain:.3f} \[", row), row


def test_uncertainty_active_learning_row_is_the_confirmation_runs():
    folder = BENCH / "results_trust_active_real_typical_entropy_confirm_2026-12-04"
    _need(folder)
    arm = "typical-entropy"
    at300, ref = [], []
    for k in range(5):
        runs = [json.loads((folder / f"fold{k}_o{o}_s{o}_{arm}.json").read_text())[arm][0] for o in (2, 3)]
        at300.append(np.mean([[pt["accuracy"] for pt in r if pt["labels"] == 300][0] for r in runs]))
        ref.append(np.mean([json.loads((folder / f"fold{k}_ref_s{s}.json").read_text())["reference"][0]["accuracy"]
                            for s in (0, 1)]))
    gap = np.asarray(at300) - np.asarray(ref)
    row = _stands_row("uncertainty.md", "active learning")
    assert f"{np.mean(at300):.3f} at 300 objects (half the pool) against {np.mean(ref):.3f}" in row, row
    assert f"+{gap.mean():.3f} ± {gap.std(ddof=1) / np.sqrt(gap.size):.3f}" in row, row


def test_uncertainty_sixth_run_tables_are_their_jsons():
    """The Sixth run's main table: the 867 rows of 2026-12-06's JSON, and the 869 rows of before, each from its file."""
    after, before = (BENCH / f"results_trust_real_crossfit_{d}.json" for d in ("2026-12-06", "2026-12-05"))
    _need(after, before)
    text = (ROOT / "docs" / "uncertainty.md").read_text(encoding="utf-8")
    sixth = text.split("### Sixth run", 1)[1]
    new_table = sixth.split("| run (867 out-of-fold cutouts) | ECE as trained |", 1)[1].split("\n\n", 1)[0]
    old_table = sixth.split("| run (869 out-of-fold cutouts; before) | ECE as trained |", 1)[1].split("\n\n", 1)[0]
    for path, table, n in ((after, new_table, 867), (before, old_table, 869)):
        r = json.loads(path.read_text())
        for run in ("resnet18-n128-e20 +TTA", "resnet18-n128-e20", "resnet18-n128 +TTA", "resnet18-n128",
                    "compact-ft-sim12 +TTA", "compact-ft +TTA"):
            d = r[run]
            assert d["n"] == n
            t, temp, vec = d["as_trained"], d["cross_fitted"]["temperature"], d["cross_fitted"]["vector"]
            floor, cov = t["ece_floor_mean_p95"], temp["coverage"]
            row = next(ln for ln in table.splitlines() if ln.replace("**", "").startswith(f"| {run} |"))
            cells = [c.strip().strip("*") for c in row.split("|")[1:-1]]
            assert cells[1:6] == [f"{t['ece']:.3f}", f"{floor[0]:.3f} / {floor[1]:.3f}", f"{temp['ece']:.3f}",
                                  f"{vec['ece']:.3f}", f"{cov[0]:.3f} / {cov[1]:.3f}"], (path.name, row)
            assert cells[7] == f"{temp['mean_set_size']:.2f}", (path.name, row)


STACK_ROWS = (("stack-lr", "`stack-lr` (nested)"), ("stack-mean", "`stack-mean` (nested)"),
              ("stack-lr-raw", "`stack-lr-raw` (nested, chosen after `stack-lr`)"),
              ("resnet18-n128-long-x3-gpu +TTA", "`resnet18-n128-long-x3-gpu` +TTA (best single run)"),
              ("mean(resnet18-n128-long-x3-gpu +TTA, resnet18-n128-e20 +TTA), picked after seeing them",
               "mean of `long-x3` and `e20` +TTA (picked after seeing them)"))


def test_real_images_stacking_section_is_its_folders(pandas_kept):
    """The honest-stacking tables: 869 cutouts from the folder of 2026-12-05, 867 from the rerun of 2026-12-06.

    The rerun's stack-mean AUC and the label audit's 'left out' figure are recomputed from its fold files.
    """
    from sklearn.metrics import roc_auc_score

    before, after = (BENCH / f"results_real_pandas_stack_{day}" for day in ("2026-12-05", "2026-12-06"))
    _need(PANDAS_LABELS, before / "summary.md", after / "summary.md", after / "audit.json")
    text = (ROOT / "docs" / "real_images.md").read_text(encoding="utf-8")
    section = text.split("### Honest stacking (eighth pass", 1)[1].split("\n### ", 1)[0]

    def cells(folder: Path, name: str, n: int) -> list[str]:
        # the stacking summary's rows: combination, 'N cutouts', then accuracy, AUC, F1, purity, recall
        lines = (folder / "summary.md").read_text(encoding="utf-8").splitlines()
        line = next(r for r in lines if r.startswith(f"| {name} | {n} cutouts |"))
        return [c.strip() for c in line.split("|")[3:8]]

    for folder, n in ((before, 869), (after, 867)):
        for name, label in STACK_ROWS:
            row = cells(folder, name, n)
            assert f"| {label} | {n} | {' | '.join(row)} |" in section, (label, n, row)
    # the rerun scores the 867 cutouts classify --stamps classifies, recomputed from its fold files
    y = _pandas_truth()
    folds = [json.loads(f.read_text()) for f in sorted(after.glob("stack-mean_fold[0-9].json"))]
    idx = np.concatenate([f["test"] for f in folds]).astype(int)
    p = np.concatenate([f["p"] for f in folds]).astype(float)
    assert sorted(idx.tolist()) == np.flatnonzero(pandas_kept).tolist()
    auc = roc_auc_score(y[idx], p)
    assert cells(after, "stack-mean", 867)[1].startswith(f"{auc:.3f} [")
    # the label audit's table is the rerun's audit, and its 'left out' figures are recomputed
    audit = json.loads((after / "audit.json").read_text())
    table = section.split("| # | file | label |", 1)[1].split("\n\n", 1)[0]
    for j, r in enumerate(audit["top"], 1):
        assert (f"| {j} | {r['file']} | {r['label']} | {r['source_table']} ({r['catalogue_class']}) | "
                f"{r['object_id']} | {r['mean_p_cluster']:.3f} [{r['min_p']:.3f}, {r['max_p']:.3f}] |") in table, r
    assert len(audit["top"]) == table.count("\n| ") - 1  # every row listed, the header's rule aside
    i, q = _pooled("resnet18-n128-long-x3-gpu", "p_tta", pandas_kept)
    out = np.isin(i, [r["row"] for r in audit["top"]])
    lift = roc_auc_score(y[i[~out]], q[~out]) - roc_auc_score(y[i], q)
    best = audit["without_top"]["resnet18-n128-long-x3-gpu +TTA"]
    assert abs(best["auc"] - best["auc_all"] - lift) < 1e-9
    n_top = len(audit["top"])
    said = f"Left out, those {n_top} cutouts ({867 - n_top} left) would give: the best single run AUC {best['auc']:.3f}"
    assert said in " ".join(section.split()), said
    # and "Where it stands" says how much of the AUC they hold
    head = " ".join(text.split("## Where it stands", 1)[1].split("\n## ", 1)[0].split())
    assert f"{n_top} cutouts ({100 * n_top / 867:.1f}%) that every strong run gets confidently wrong hold " \
           f"about {lift:.3f} of AUC" in head, head
