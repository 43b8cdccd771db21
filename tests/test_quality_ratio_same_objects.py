"""The Quality Ratio compares the catalogues on the objects every one of them classified.

Before, ``report``/``evaluate`` counted each catalogue in the colour-colour boxes over its own rows
and computed the QR from those counts: on LEGUS NGC 1566 (``--pred-column class_ml
--reference-column class_human_mode --distance 17.7``) 2432 machine classes were set against the
people's 1061, which gave class 3 a QR of 7.3 (box 3) and 11.1 (box 4), although the report says
pairs of catalogues are compared on their matched intersection and PHANGS compares its methods on
the objects in common. Now the QR table and ``box_counts_common`` count every catalogue on the
same objects (the rows with both columns classified; the matched intersection of separate files),
and each catalogue's own ``box_counts_<name>`` keeps its full counts.

The expected counts are made here from the box each object was put in when the catalogue was made,
not from :mod:`starclass.science.colour`.
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app

# the evaluations' and reports' figures are built but not rendered to PNG (conftest's unrendered_figures): these
# tests read the printed lines, tables and pages around them, and rendering was about half of each command
pytestmark = pytest.mark.usefixtures("unrendered_figures")

runner = CliRunner()

#: (V-I, U-B) in the middle of each PHANGS box
CENTRES = {1: (1.2, 0.3), 2: (0.5, 0.3), 3: (0.5, -0.8), 4: (0.2, -1.5)}
GROUPS = {"1": (1,), "2": (2,), "3": (3,), "1+2": (1, 2)}
LIMIT = 22.2  # m_V limit of M_V = -7.8 at 10 Mpc (distance modulus 30)


def _photometry(box: np.ndarray, v: np.ndarray) -> dict[str, np.ndarray]:
    vi = np.array([CENTRES[int(b)][0] for b in box])
    ub = np.array([CENTRES[int(b)][1] for b in box])
    b = v + 0.3
    return {"mag_f336w": b + ub, "mag_f438w": b, "mag_f555w": v, "mag_f814w": v - vi}


def _expected(box: np.ndarray, bright: np.ndarray, classes: list[np.ndarray]) -> dict[tuple[str, int], list[int]]:
    """Counts per (class group, box) of each classification, on the rows every one classifies."""
    every = np.logical_and.reduce([c > 0 for c in classes])
    return {(g, k): [int(np.sum(every & bright & (box == k) & np.isin(c, m))) for c in classes]
            for g, m in GROUPS.items() for k in CENTRES}


def _qr_counts(path) -> dict[tuple[str, int], list[int]]:
    q = Table.read(path)
    cols = [c for c in q.colnames if c.startswith("n_")]
    return {(str(r["class"]), int(r["box"])): [int(r[c]) for c in cols] for r in q}


def test_two_columns_of_one_catalogue_are_counted_on_the_rows_both_classify(tmp_path):
    rng = np.random.default_rng(7)
    n = 400
    box = rng.integers(1, 5, n)
    v = np.where(rng.random(n) < 0.85, 20.0, 23.0)  # some fainter than the limit
    ml = rng.integers(1, 5, n)  # the machine classifies every row
    people = np.where(rng.random(n) < 0.45, np.where(rng.random(n) < 0.7, ml, rng.integers(1, 5, n)), 0)
    t = Table({"id": np.arange(1, n + 1), "x": rng.uniform(0, 900, n), "y": rng.uniform(0, 900, n),
               **_photometry(box, v), "class_ml": ml.astype(np.int16),
               "class_human_mode": people.astype(np.int16), "class_ref": np.maximum(people, ml)})
    path = tmp_path / "cat.ecsv"
    t.write(path)
    out = tmp_path / "r"
    res = runner.invoke(app, ["report", str(path), "--pred-column", "class_ml", "--reference-column",
                              "class_human_mode", "--distance", "10", "--bootstrap", "0", "-o",
                              str(out / "report.html")])
    assert res.exit_code == 0, res.output
    want = _expected(box, v < LIMIT, [ml, people])
    assert _qr_counts(out / "tables" / "quality_ratio.ecsv") == want
    # the QR itself, of those counts (std with ddof = 1 over sqrt of the mean, where both have >= 12)
    q = Table.read(out / "tables" / "quality_ratio.ecsv")
    for r in q:
        c = want[(str(r["class"]), int(r["box"]))]
        if min(c) >= 12:
            assert float(r["qr"]) == pytest.approx(np.std(c, ddof=1) / np.sqrt(np.mean(c)))
        else:
            assert np.ma.is_masked(r["qr"])
    # each catalogue's own counts are still there, over all of its rows (named after the column scored since
    # 2026-12-07: box_counts_cat before, whatever --pred-column)
    own = Table.read(out / "tables" / "box_counts_cat_class_ml.ecsv")
    bright = v < LIMIT
    assert int(own["box_4"][own["class"] == "3"][0]) == int(np.sum(bright & (box == 4) & (ml == 3)))
    common = Table.read(out / "tables" / "box_counts_common.ecsv")
    assert common.meta["objects"] == int(np.sum((ml > 0) & (people > 0)))
    row = common[(common["catalogue"] == "class_ml") & (common["class"] == "3")][0]  # named by its column
    assert int(row["box_4"]) == want[("3", 4)][0]
    html = (out / "report.html").read_text()
    n_both = int(np.sum((ml > 0) & (people > 0)))
    assert f"on the same objects (the {n_both} rows of cat where both class_ml and class_human_mode are " \
           "classified" in html


def _field(n: int, seed: int):
    rng = np.random.default_rng(seed)
    box = rng.integers(1, 5, n)
    v = np.where(rng.random(n) < 0.9, 20.0, 23.0)
    x, y = rng.uniform(0, 2000, n), rng.uniform(0, 2000, n)
    return rng, box, v, x, y


def test_separate_catalogues_are_counted_on_the_objects_all_of_them_classify(tmp_path):
    n = 360
    rng, box, v, x, y = _field(n, 11)
    pred_cls = rng.integers(1, 5, n)
    pred_cls[rng.random(n) < 0.1] = 0  # rows classify left unclassified
    pred = Table({"id": np.arange(n), "x": x, "y": y, **_photometry(box, v), "class_pred": pred_cls})
    # truth: 250 of the objects (in another order, positions off by 0.3 px), 30 of them with no class,
    # and 40 objects of its own that the prediction lacks
    keep = rng.permutation(n)[:250]
    truth_cls = np.where(rng.random(n) < 0.75, pred_cls, rng.integers(1, 5, n))
    truth_cls[keep[:30]] = 0
    extra = 40
    tx = np.r_[x[keep] + 0.3, rng.uniform(2100, 2500, extra)]
    ty = np.r_[y[keep] - 0.3, rng.uniform(2100, 2500, extra)]
    truth = Table({"id": np.arange(250 + extra), "x": tx, "y": ty,
                   **_photometry(np.r_[box[keep], rng.integers(1, 5, extra)], np.r_[v[keep], np.full(extra, 20.0)]),
                   "class_ref": np.r_[truth_cls[keep], rng.integers(1, 5, extra)]})
    # a second reference of the people, without photometry: 300 of the objects
    keep2 = rng.permutation(n)[:300]
    other_cls = np.where(rng.random(n) < 0.7, pred_cls, rng.integers(1, 5, n))
    other = Table({"id": np.arange(300), "x": x[keep2], "y": y[keep2], "class_ref": other_cls[keep2]})
    for name, t in (("pred", pred), ("truth", truth), ("other ref", other)):
        t.write(tmp_path / f"{name}.ecsv")
    out = tmp_path / "ev"
    res = runner.invoke(app, ["evaluate", str(tmp_path / "pred.ecsv"), "-r", str(tmp_path / "truth.ecsv"),
                              "-r", str(tmp_path / "other ref.ecsv"), "--distance", "10", "--bootstrap", "0",
                              "-o", str(out)])
    assert res.exit_code == 0, res.output
    # by construction: the truth's and the other's class of every prediction row (0 where absent)
    t_of, o_of = np.zeros(n, int), np.zeros(n, int)
    t_of[keep] = truth_cls[keep]
    o_of[keep2] = other_cls[keep2]
    want = _expected(box, v < LIMIT, [pred_cls, t_of, o_of])
    assert _qr_counts(out / "tables" / "quality_ratio.ecsv") == want
    q = Table.read(out / "tables" / "quality_ratio.ecsv")
    assert q.colnames[2:5] == ["n_pred", "n_truth", "n_other_ref"]
    common = Table.read(out / "tables" / "box_counts_common.ecsv")
    assert common.meta["objects"] == int(np.sum((pred_cls > 0) & (t_of > 0) & (o_of > 0)))
    # the truth's own counts stay over its own rows, the 40 objects the prediction lacks among them
    own = Table.read(out / "tables" / "box_counts_truth.ecsv")
    assert int(own["n"].sum()) > int(common["n"][common["catalogue"] == "truth"].sum())


def test_table_column_names_are_identifiers(tmp_path):
    """``agreement_*.ecsv`` had ``n_prediction class_human_mode``, ``catalogues.ecsv`` ``class column``
    and a reference file with a space in its stem ``n_other ref``."""
    n = 200
    rng, box, v, x, y = _field(n, 5)
    ml = rng.integers(1, 5, n)
    people = np.where(rng.random(n) < 0.6, ml, 0)
    cat = Table({"id": np.arange(n), "x": x, "y": y, **_photometry(box, v), "class_ml": ml,
                 "class_human_mode": people, "class_ref": np.maximum(ml, people)})
    cat.write(tmp_path / "cat.ecsv")
    ref = Table({"id": np.arange(n), "x": x, "y": y, "class_ref": people})
    ref.write(tmp_path / "other ref.ecsv")
    for i, args in enumerate((["--pred-column", "class_ml", "--reference-column", "class_human_mode"],
                              ["--pred-column", "class_ml", "-r", str(tmp_path / "other ref.ecsv")])):
        out = tmp_path / f"ev{i}"
        res = runner.invoke(app, ["evaluate", str(tmp_path / "cat.ecsv"), *args, "--distance", "10",
                                  "--bootstrap", "0", "-o", str(out)])
        assert res.exit_code == 0, res.output
        tables = sorted((out / "tables").glob("*.ecsv"))
        assert any(p.name.startswith("agreement_") for p in tables) and (out / "tables" / "quality_ratio.ecsv").exists()
        spaced = {p.name: [c for c in Table.read(p).colnames if " " in c] for p in tables}
        assert not any(spaced.values()), {k: v for k, v in spaced.items() if v}
    counts = Table.read(tmp_path / "ev0" / "tables" / "catalogues.ecsv")
    assert counts["class_column"].tolist() == ["class_ml", "class_human_mode"]
    agreement = Table.read(tmp_path / "ev0" / "tables" / "agreement_cat_class_human_mode.ecsv")
    assert agreement.colnames[:3] == ["class", "n_class_ml", "n_class_human_mode"]


def test_ngc1566_machine_and_people_counted_on_the_same_objects(legus_tab):
    """NGC 1566, class_ml against class_human_mode at 17.7 Mpc, against a count made here from the raw
    columns of the file (README: U F336W col 8, B F438W col 10, V F555W col 12, I F814W col 14;
    people's mode col 36, machine col 37). Before: class 3 box 4 was 451/174 (QR 11.1)."""
    from astropy import units as u
    from astropy.coordinates import Distance

    from starclass.evaluate.compare import evaluate_catalogs
    from starclass.science.colour import matched_box_counts, qr_table

    raw = np.loadtxt(legus_tab)
    mag = {k: raw[:, c - 1].copy() for k, c in (("u", 8), ("b", 10), ("v", 12), ("i", 14))}
    for m in mag.values():
        m[np.isin(np.round(m, 3), (99.999, 66.666, 44.444))] = np.nan  # not detected, outside, no correction
    mode, ml = raw[:, 35].astype(int), raw[:, 36].astype(int)
    limit = -7.8 + Distance(17.7 * u.Mpc).distmod.value
    ub, vi = mag["u"] - mag["b"], mag["v"] - mag["i"]
    edges = {1: (0.95, 1.5, -0.4, 1.0), 2: (0.2, 0.95, -0.4, 1.0), 3: (0.1, 0.95, -1.1, -0.4),
             4: (-0.6, 0.95, -1.8, -1.1)}
    both = (ml > 0) & (mode > 0)
    with np.errstate(invalid="ignore"):
        bright = mag["v"] < limit
        inbox = {k: (vi > a) & (vi < b) & (ub > c) & (ub < d) for k, (a, b, c, d) in edges.items()}
    want = {(g, k): [int(np.sum(both & bright & inbox[k] & np.isin(c, m))) for c in (ml, mode)]
            for g, m in GROUPS.items() for k in edges}
    assert both.sum() == 1042 and want[("3", 4)] == [316, 174]

    ev = evaluate_catalogs(legus_tab, "self", pred_column="class_ml", reference_column="class_human_mode",
                           n_boot=0, quantities=())
    scored = ev.pred_name  # the file's stem (it was "prediction" until 2026-12-07)
    assert ev.common[scored].tolist() == np.flatnonzero(both).tolist()
    cats, rows = ev.catalogues, ev.common
    counts = matched_box_counts(cats[scored][rows[scored]],
                                {n: np.asarray(cats[n][ev.class_cols[n]])[rows[n]] for n in cats},
                                abs_mag_limit=-7.8, distance_mpc=17.7)
    q = qr_table(counts)
    # -r self's own catalogue is named by its column ("<stem> class_human_mode"; "reference" until 2026-12-07)
    from starclass.evaluate.compare import self_catalogue_name
    from starclass.schema import column_names

    (own,) = column_names([self_catalogue_name(scored, "class_human_mode")], prefix="n_")
    got = {(str(r["class"]), int(r["box"])): [int(r[q.colnames[2]]), int(r[own])] for r in q}
    assert got == want
    qr = {(str(r["class"]), int(r["box"])): float(r["qr"]) for r in q if not np.ma.is_masked(r["qr"])}
    assert qr[("3", 4)] == pytest.approx(np.std([316, 174], ddof=1) / np.sqrt(245), abs=1e-9)  # 6.41
