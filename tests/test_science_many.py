"""Many LEGUS fields: reading a directory, per-field tables, and the leave-one-galaxy-out ladder.

Synthetic ``.tab`` files in the standard 35-column layout check the numbers against hand counts
and scikit-learn; the shared LEGUS folder (skipped when absent) checks the class counts of every
field used against ``layouts.csv``.
"""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest
from sklearn.model_selection import LeaveOneGroupOut, cross_val_predict
from sklearn.tree import DecisionTreeClassifier
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.science import many
from starclass.science.ssp import distance_modulus

SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "legus"
FIELDS = {  # file name part -> (field, distance)
    "acs-wfc3_ngc628-c": ("ngc628-c", 9.9),
    "acs-wfc3_ngc628-e": ("ngc628-e", 9.9),
    "wfc3_ngc1433": ("ngc1433", 8.3),
    "acs-wfc3_ngc7793-w": ("ngc7793-w", 3.44),
}


def write_tab(path: Path, classes: np.ndarray, ci: np.ndarray, mag_v: np.ndarray, seed: int = 0,
              u_missing: int = 0) -> None:
    """A standard-layout LEGUS file: 35 columns, 1-based x, y, sentinels where asked."""
    rng = np.random.default_rng(seed)
    rows = []
    for i, (k, c, v) in enumerate(zip(classes, ci, mag_v)):
        mags = [v + 0.5, v - 0.3 if i >= u_missing else 66.666, v + 0.2, v, v - 0.6]
        pairs = [x for m in mags for x in (m, 0.05 if m < 60 else m)]
        age, mass = (10 ** rng.uniform(6, 7.9), 10 ** rng.uniform(3.6, 5)) if k in (1, 2) else (0.0, 0.0)
        row = [i + 1, 10.0 + i, 20.0 + i, 24.1, 15.8, *pairs, c, age, age, age, mass, mass, mass, 0.1, 0.1, 0.1,
               *[0.0] * 7, 5, k, float(k)]
        rows.append(" ".join(f"{x:.5f}" if isinstance(x, float) else str(x) for x in row))
    path.write_text("\n".join(rows) + "\n")


def tab_name(part: str) -> str:
    return f"hlsp_legus_hst_{part}_multiband_v1_padagb-mwext-avgapcor.tab"


@pytest.fixture
def legus_dir(tmp_path):
    """Four fields in three galaxies; class 1+2 have CI 1.8, class 3+4 CI 1.4 (a CI tree separates them)."""
    d = tmp_path / "legus"
    d.mkdir()
    rng = np.random.default_rng(1)
    for j, part in enumerate(FIELDS):
        n = 60 + 10 * j
        cls = rng.choice([0, 1, 2, 3, 4], size=n, p=[0.1, 0.2, 0.2, 0.2, 0.3])
        ci = np.where(cls <= 2, 1.8, 1.4) + rng.normal(0, 0.02, n)
        dm = distance_modulus(FIELDS[part][1])
        write_tab(d / tab_name(part), cls, ci, dm + rng.uniform(-9, -5.5, n), seed=j, u_missing=3)
    return d


def test_reads_fields_with_hand_counts(legus_dir):
    fields, skipped = many.load_fields(legus_dir, min_inspected=10)
    assert len(skipped) == 0
    assert [f for f in fields] == ["ngc7793-w", "ngc1433", "ngc628-c", "ngc628-e"]  # by distance
    for part, (name, dist) in FIELDS.items():
        t = fields[name]
        raw = np.loadtxt(legus_dir / tab_name(part))
        assert t.meta["distance_mpc"] == dist
        assert t.meta["galaxy"] == many.galaxy_of(name)
        assert np.array_equal(np.asarray(t["class_ref"]), raw[:, 33].astype(int))
        assert np.allclose(t["x"], raw[:, 1] - 1)  # 0-based
        # 66.666 (outside the footprint) is missing, not a magnitude
        assert np.isnan(np.asarray(t["mag_f336w"])[:3]).all() and np.isfinite(np.asarray(t["mag_f336w"])[3:]).all()
    assert fields["ngc1433"].meta["bands"][2] == "f438w" and fields["ngc628-c"].meta["bands"][2] == "f435w"
    summary = many.field_summary(fields)
    row = summary[summary["field"] == "ngc1433"][0]
    raw = np.loadtxt(legus_dir / tab_name("wfc3_ngc1433"))
    assert row["n_inspected"] == int(np.isin(raw[:, 33], [1, 2, 3, 4]).sum())
    assert [row[f"n_{k}"] for k in (1, 2, 3, 4)] == [int(np.sum(raw[:, 33] == k)) for k in (1, 2, 3, 4)]


def test_threshold_and_layout_skips(legus_dir):
    # one expert's class (5 = not inspected, as NGC 4449): not a human mode, left out with the reason
    raw = np.loadtxt(legus_dir / tab_name("wfc3_ngc1433"))
    raw[raw[:, 33] == 0, 33] = 5  # its not-inspected rows; one 5 alone is a hand edit
    np.savetxt(legus_dir / tab_name("wfc3_ngc1433"), raw, fmt="%.5f")
    fields, skipped = many.load_fields(legus_dir, min_inspected=10)
    assert "ngc1433" not in fields and "expert" in skipped[skipped["field"] == "ngc1433"]["reason"][0]
    n_e = int(np.isin(np.loadtxt(legus_dir / tab_name("acs-wfc3_ngc628-e"))[:, 33], [1, 2, 3, 4]).sum())
    fields, skipped = many.load_fields(legus_dir, min_inspected=n_e + 1)
    assert "ngc628-e" not in fields and "ngc628-e" in list(skipped["field"])
    with pytest.raises(StarclassError, match="no field"):
        many.load_fields(legus_dir, min_inspected=10_000)
    # a missing path (a file is one field since 2026-12-05: tests/test_catalogs_one_file.py)
    with pytest.raises(StarclassError, match="nothing: no such folder"):
        many.load_fields(legus_dir / "nothing")


def test_distributions_boxes_match_numpy(legus_dir):
    fields, _ = many.load_fields(legus_dir, min_inspected=10)
    t = fields["ngc628-c"]
    q = many.field_quantities(t)
    dist = many.class_distributions(fields)
    cls = np.asarray(t["class_ref"])
    for k in (1, 4):
        v = q["abs_mag_v"][cls == k]
        r = dist[(dist["field"] == "ngc628-c") & (dist["class"] == k) & (dist["quantity"] == "abs_mag_v")][0]
        assert r["n"] == len(v)
        assert r["median"] == pytest.approx(np.median(v)) and r["q25"] == pytest.approx(np.percentile(v, 25))
    boxes = many.field_boxes(fields)
    r = boxes[(boxes["field"] == "ngc628-c") & (boxes["class"] == "2")][0]
    # every class-2 source brighter than M_V = -6 with both colours is in a box or outside; none is lost
    want = np.sum((cls == 2) & (q["abs_mag_v"] < -6) & np.isfinite(q["abs_mag_v"]))
    assert r["n"] == want == r["box_1"] + r["box_2"] + r["box_3"] + r["box_4"] + r["outside"]


def test_logo_ladder_against_sklearn_and_hand_counts(legus_dir):
    fields, _ = many.load_fields(legus_dir, min_inspected=10)
    per, pooled = many.logo_ladder(fields, rules=("majority", "ci_tree"))
    # the same predictions from scikit-learn's own cross_val_predict with LeaveOneGroupOut
    X, y, g, fo = [], [], [], []
    for name, t in fields.items():
        cls = np.asarray(t["class_ref"])
        keep = cls > 0
        X.append(np.asarray(t["ci"])[keep])
        y.append(cls[keep])
        g += [t.meta["galaxy"]] * int(keep.sum())
        fo += [name] * int(keep.sum())
    X, y, g, fo = np.concatenate(X)[:, None], np.concatenate(y), np.asarray(g), np.asarray(fo)
    ref = cross_val_predict(DecisionTreeClassifier(max_depth=2, min_samples_leaf=10, random_state=0), X, y,
                            groups=g, cv=LeaveOneGroupOut())
    got = pooled[(pooled["task"] == "4class") & (pooled["rule"] == "ci_tree")]["accuracy"][0]
    assert got == pytest.approx(np.mean(ref == y))
    # majority: the most common class of the *other* galaxies, counted by hand
    for name in fields:
        other = y[g != fields[name].meta["galaxy"]]
        maj = np.bincount(other).argmax()
        want = np.mean(y[fo == name] == maj)
        assert per[per["field"] == name][many.ladder_column("4class", "majority")][0] == pytest.approx(want)
    # CI separates 1+2 from 3+4 here, so the CI tree is perfect on the binary task and majority is not
    b = {r["rule"]: r["accuracy"] for r in pooled[pooled["task"] == "binary"]}
    assert b["ci_tree"] == 1.0 and b["majority"] < 0.8
    assert set(pooled["n_galaxies"]) == {3}


def test_logo_needs_two_galaxies(legus_dir):
    fields, _ = many.load_fields(legus_dir, min_inspected=10)
    with pytest.raises(StarclassError, match="two galaxies"):
        many.logo_ladder({k: v for k, v in fields.items() if k.startswith("ngc628")}, rules=("majority",))


# the figures of these two are built but not rendered to PNG (conftest's unrendered_figures: 49 s and 32 s on the
# loaded machine, about half of it rendering): they read the tables, files and page around the figures; the
# many-field figures are rendered by test_one_galaxy_summary_says_why_its_ladder_panels_are_empty and
# tests/test_catalogs_one_galaxy.py, tests/test_many_mass_age.py
@pytest.mark.usefixtures("unrendered_figures")
def test_cli_evaluate_and_report_catalogs(legus_dir, tmp_path):
    runner = CliRunner()
    out = tmp_path / "many"
    res = runner.invoke(app, ["evaluate", "--catalogs", str(legus_dir), "-o", str(out), "--min-inspected", "10"])
    assert res.exit_code == 0, res.output
    assert (out / "tables" / "ladder_pooled.ecsv").is_file() and (out / "figures" / "many_fields_summary.png").is_file()
    before = (out / "summary.json").read_text()
    res = runner.invoke(app, ["evaluate", "--catalogs", str(legus_dir), "-o", str(out), "--min-inspected", "10"])
    assert res.exit_code == 2 and "--overwrite" in res.output and (out / "summary.json").read_text() == before
    # fields left out are counted where the number of fields is printed (the reasons: skipped.ecsv)
    _, skipped = many.load_fields(legus_dir, min_inspected=65)
    assert 0 < len(skipped) < 3
    res = runner.invoke(app, ["evaluate", "--catalogs", str(legus_dir), "-o", str(tmp_path / "m65"),
                              "--min-inspected", "65"])
    assert res.exit_code == 0, res.output
    # named as the user can open it from where the command ran (s76walk), not as "tables/skipped.ecsv"
    where = tmp_path / "m65" / "tables" / "skipped.ecsv"
    assert f"{4 - len(skipped)} fields from {legus_dir} ({len(skipped)} left out: {where} says why)" in res.output
    res = runner.invoke(app, ["evaluate", "x.ecsv", "--catalogs", str(legus_dir), "-o", str(tmp_path / "o2")])
    assert res.exit_code == 2 and "not both" in res.output
    res = runner.invoke(app, ["evaluate", "--catalogs", str(tmp_path / "none"), "-o", str(tmp_path / "o3")])
    assert res.exit_code == 2 and "none" in res.output
    page = tmp_path / "rep" / "legus.html"
    res = runner.invoke(app, ["report", "--catalogs", str(legus_dir), "-o", str(page), "--min-inspected", "10"])
    assert res.exit_code == 0, res.output
    html = page.read_text()
    assert "leave one galaxy out" in html and "ngc7793-w" in html and (page.parent / "tables" / "fields.ecsv").is_file()
    # the page and its tables are kept unless --overwrite
    res = runner.invoke(app, ["report", "--catalogs", str(legus_dir), "-o", str(page), "--min-inspected", "10"])
    assert res.exit_code == 2 and "--overwrite" in res.output and page.read_text() == html


@pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/data/legus not present")
def test_shared_fields_match_layouts():
    fields, skipped = many.load_fields(SHARED)
    with open(SHARED / "layouts.csv", newline="") as fh:
        layouts = {r["field"]: r for r in csv.DictReader(fh)}
    assert len(fields) >= 10
    for name, t in fields.items():
        cls = np.asarray(t["class_ref"])
        want = [int(layouts[name][f"n_class{k}"]) for k in (1, 2, 3, 4)]
        if name == "ngc1566":
            # less the classes of the machine-learning classifier alone (col 35 = 0): not human labels
            raw = np.loadtxt(next(SHARED.glob("*ngc1566*.tab")))
            want = [w - int(np.sum((raw[:, 34] == 0) & (raw[:, 33] == k))) for w, k in zip(want, (1, 2, 3, 4))]
            assert t.meta["machine_only"] == 654
        assert [int(np.sum(cls == k)) for k in (1, 2, 3, 4)] == want, name
    # the uncertain layouts and the expert's class are never used
    for name in ("ngc3351", "ngc4242", "ngc45", "ngc4449", "ngc5474"):
        assert name not in fields and name in list(skipped["field"])


def write_hybrid_tab(path: Path, classes: np.ndarray, methods: np.ndarray, seed: int = 0) -> None:
    """A hybrid-layout file (39 columns, as NGC 1566): col 34 the final class, col 35 the method flag."""
    write_tab(path, classes, np.full(len(classes), 1.5), np.full(len(classes), 24.0), seed=seed)
    rows = []
    for line, k, m in zip(path.read_text().splitlines(), classes, methods):
        parts = line.split()[:34]  # the standard 33 columns and the class; col 35 (a mean) replaced
        human = k if m in (3, 4) else 0
        rows.append(" ".join([*parts, str(m), str(human), str(k), str(k if m == 1 else 0), "0"]))
    path.write_text("\n".join(rows) + "\n")


@pytest.mark.usefixtures("unrendered_figures")  # see test_cli_evaluate_and_report_catalogs
def test_machine_only_classes_of_a_hybrid_field_are_not_human_labels(legus_dir, tmp_path):
    # NGC 1566's col 34 is, where col 35 is 0, the ML classifier's class: the ladder and every per-field
    # table counted those 654 machine classes as human-classified sources (NGC 4449, one expert, is left out)
    rng = np.random.default_rng(3)
    n = 80
    cls = rng.choice([0, 1, 2, 3, 4], size=n)
    methods = rng.choice([0, 1, 3, 4, 6], size=n)
    path = legus_dir / tab_name("wfc3_ngc1566")
    write_hybrid_tab(path, cls, methods)
    t = many.read_legus_field(path)
    assert t.meta["legus_layout"] == "hybrid" and t.meta["skip"] is None
    machine = (methods == 0) & np.isin(cls, [1, 2, 3, 4])
    assert t.meta["machine_only"] == int(machine.sum()) > 0
    assert np.array_equal(np.asarray(t["class_ref"]), np.where(machine, 0, cls))
    fields, _ = many.load_fields(legus_dir, min_inspected=10)
    row = many.field_summary(fields)
    row = row[row["field"] == "ngc1566"][0]
    assert row["n_inspected"] == int((np.isin(cls, [1, 2, 3, 4]) & ~machine).sum())
    assert row["n_machine_only"] == int(machine.sum())
    assert [row[f"n_{k}"] for k in (1, 2, 3, 4)] == [int(np.sum((cls == k) & ~machine)) for k in (1, 2, 3, 4)]
    # the ladder scores only people's classes: its pooled count is the sum of the fields' inspected
    _, pooled = many.logo_ladder(fields)
    assert int(pooled["n"][0]) == int(sum(int(np.isin(np.asarray(f["class_ref"]), [1, 2, 3, 4]).sum())
                                          for f in fields.values()))
    res = CliRunner().invoke(app, ["evaluate", "--catalogs", str(legus_dir), "-o", str(tmp_path / "many"),
                                   "--min-inspected", "10", "--bootstrap", "0"])
    assert res.exit_code == 0, res.output
    assert f"ngc1566: {int(machine.sum())} classes from a machine-learning classifier alone" in res.output


def test_one_galaxy_summary_says_why_its_ladder_panels_are_empty(legus_dir, tmp_path):
    # a folder of NGC 628-C and -E only (one galaxy: no galaxy to leave out) drew the two ladder
    # panels as bare 0..1 axes, and one field was "1 fields" in the title and on the terminal
    from starclass.report.many import summary_figure

    for p in legus_dir.iterdir():
        if "ngc628" not in p.name:
            p.unlink()
    tables = many.many_field_tables(legus_dir, min_inspected=10)
    fig = summary_figure(tables)
    for ax in fig.axes[5:7]:
        said = " ".join(t.get_text() for t in ax.texts).replace("\n", " ")
        assert "all of one galaxy" in said and "ngc628" in said, said
        assert "leave-one-galaxy-out" in ax.get_title()
    assert fig._suptitle.get_text().startswith("LEGUS catalogues: 2 fields with")
    (legus_dir / tab_name("acs-wfc3_ngc628-e")).unlink()
    res = CliRunner().invoke(app, ["evaluate", "--catalogs", str(legus_dir), "-o", str(tmp_path / "one"),
                                   "--min-inspected", "10"])
    assert res.exit_code == 0, res.output
    assert f"1 field from {legus_dir}\n" in res.output and "1 fields" not in res.output
    fig = summary_figure(many.many_field_tables(legus_dir, min_inspected=10))
    assert fig._suptitle.get_text().startswith("LEGUS catalogues: 1 field with")
