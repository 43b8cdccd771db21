"""``starclass info`` on the folders evaluate, report and explain write, and on their main files (2026-12-05).

Before: ``starclass evaluate cls.csv -o ev; starclass info ev`` said "no catalogue could be read in ev
(looked for .tab, ...)" (exit 2), as did ``info`` of a report's and explain's folder; ``info
ev/summary.json`` and ``info ex/explain.json`` said only "it is JSON ... not a catalogue"; ``info
report.html`` read the page with astropy's format guesses, still running after 7 minutes on the
demo's 1.7 MB page.
"""

from __future__ import annotations

import json
import shlex
import time

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from conftest import write_two_class_classified, write_untrained_model  # tests/ is on sys.path under pytest
from starclass.cli import app

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("single_thread")


@pytest.fixture(scope="module")
def classified(tmp_path_factory):
    """A classified two-class catalogue of 40 rows with its reference column, as in test_info_results_tables."""
    root = tmp_path_factory.mktemp("outputs")
    write_two_class_classified(root / "cls.csv")
    return root


def test_info_on_an_evaluation_folder_gives_its_task_rows_and_headline(classified):
    ev = classified / "ev"
    res = runner.invoke(app, ["evaluate", str(classified / "cls.csv"), "-o", str(ev)])
    assert res.exit_code == 0, res.output
    doc = json.loads((ev / "summary.json").read_text())
    (ref, acc), = doc["headline"].items()
    (merge, value), = acc.items()
    n = int(max(Table.read(ev / "tables" / f"summary_{ref}.ecsv")["n"]))
    for given in (ev, ev / "summary.json"):
        res = runner.invoke(app, ["info", str(given)])
        assert res.exit_code == 0, res.output
        assert "no catalogue could be read" not in res.output and "it is JSON" not in res.output
        assert f"evaluation folder {ev} (starclass evaluate)" in res.output
        assert f"classes 1 ({doc['task']['class_names'][0]}), 2" in res.output
        assert f"{ref}: {n} rows scored, accuracy ({merge}) {value:.3f}" in res.output, res.output
        assert f"ECE {doc['trust'][ref]['ece']:.3f}" in res.output
        assert f"tables: {len(doc['tables'])} in {ev / 'tables'}; figures: {len(doc['figures'])}" in res.output
    assert res.output.startswith(f"{ev / 'summary.json'} holds the headline numbers")
    # its parts: "no catalogue could be read in ev/tables", the figures read as cutouts ("all cutouts must have
    # one size"), a figure "line 1 is not UTF-8 text"
    figure = sorted((ev / "figures").glob("*.png"))[0]
    for part, said in ((ev / "tables", f"{ev / 'tables'} holds the tables (ECSV); its folder:"),
                       (ev / "figures", f"{ev / 'figures'} holds the figures (PNG); its folder:"),
                       (figure, f"{figure} is a figure (PNG): open it in an image viewer; its folder:")):
        res = runner.invoke(app, ["info", str(part)])
        assert res.exit_code == 0, res.output
        assert res.output.startswith(said) and f"evaluation folder {ev} (starclass evaluate)" in res.output
    # not a catalogue: the options of one are refused saying what it is
    res = runner.invoke(app, ["info", str(ev), "--ds9", str(classified / "ev.reg")])
    assert res.exit_code == 2 and "not a catalogue with positions" in res.output, res.output
    assert not (classified / "ev.reg").exists()
    res = runner.invoke(app, ["info", str(ev), "--out-format", "csv"])
    assert res.exit_code == 2 and f"not to evaluation folder {ev}; starclass info {ev} describes it" in res.output


def test_info_on_a_report_folder_and_its_page_says_where_the_page_is(classified):
    rep = classified / "rep"
    res = runner.invoke(app, ["report", str(classified / "cls.csv"), "-o", str(rep / "page.html")])
    assert res.exit_code == 0, res.output
    n_tables = len(list((rep / "tables").glob("*.ecsv")))
    for given in (rep, rep / "page.html"):
        t0 = time.perf_counter()
        res = runner.invoke(app, ["info", str(given)])
        assert time.perf_counter() - t0 < 10, "the page was read as a table"
        assert res.exit_code == 0, res.output
        assert f"report folder {rep} (starclass report): open {rep / 'page.html'} in a browser" in res.output
        assert f"tables: {n_tables} in {rep / 'tables'}" in res.output


def test_an_html_page_given_as_a_catalogue_is_refused_at_once(tmp_path):
    # any HTML page (not a starclass report): said in one line, without minutes of format guesses
    page = tmp_path / "page.html"
    page.write_text("<!DOCTYPE html><html><body>" + "<p>" + "x" * 200_000 + "</p>" * 1 + "</body></html>\n")
    t0 = time.perf_counter()
    res = runner.invoke(app, ["info", str(page)])
    assert time.perf_counter() - t0 < 10
    assert res.exit_code == 2 and f"cannot read {page} as a table: it is an HTML page" in res.output, res.output


@pytest.fixture(scope="module")
def explained(tmp_path_factory):
    """An explain -o folder of a one-epoch compact model on twelve 32 px toy stamps."""
    from starclass.datasets.stamps import make_synthetic
    from starclass.learn.config import get_preset
    from starclass.learn.train import fit

    root = tmp_path_factory.mktemp("explain")
    cfg = get_preset("galaxy-cluster-compact", stamp_size=32,
                     recipe={"epochs": 1, "batch_size": 12, "val_fraction": 0.25, "early_stopping_patience": None})
    toy = make_synthetic(cfg, 12, seed=0)
    fit(cfg, toy.inputs, toy.class_ref, outdir=root / "model", seed=0, progress=False, device="cpu")
    (root / "cut").mkdir()
    lines = ["file_xray,file_optical,label"]
    for i, (img, c) in enumerate(zip(toy.inputs, toy.class_ref)):
        for k, band in enumerate(("xray", "optical")):
            np.save(root / "cut" / f"s{i:02d}_{band}.npy", img[k].astype(np.float32))
        lines.append(f"s{i:02d}_xray.npy,s{i:02d}_optical.npy,{int(c)}")
    (root / "cut" / "labels.csv").write_text("\n".join(lines) + "\n")
    res = runner.invoke(app, ["explain", str(root / "model"), str(root / "cut" / "labels.csv"), "-o",
                              str(root / "ex"), "--method", "gradcam"])
    assert res.exit_code == 0, res.output
    return root / "ex"


def test_info_on_an_explain_folder_gives_its_model_stamps_and_methods(explained):
    doc = json.loads((explained / "explain.json").read_text())
    for given in (explained, explained / "explain.json"):
        res = runner.invoke(app, ["info", str(given)])
        assert res.exit_code == 0, res.output
        assert f"explain folder {explained} (starclass explain): model {doc['model']}" in res.output
        assert f"{doc['n_stamps']} stamps of {doc['stamps']} explained" in res.output
        assert "methods: gradcam;" in res.output
        assert f"saliency maps: {explained / 'maps.npz'}" in res.output
        # the tables named (it said "tables: 2 in ex/tables"), and the hint to one of them said as one
        said = " ".join(res.output.split())
        assert f"tables: 2 in {explained / 'tables'} (profiles.ecsv, stamps.ecsv)" in said, res.output
        assert f"a table with its rows: starclass info {explained / 'tables' / 'profiles.ecsv'}" in said, res.output
    res = runner.invoke(app, ["info", str(explained / "maps.npz")])  # was "line 1 is not UTF-8 text"
    assert res.exit_code == 0, res.output
    assert res.output.startswith(f"{explained / 'maps.npz'} holds the saliency maps (NumPy .npz")


def test_info_on_a_survey_folder_gives_its_summary_and_catalogues(tmp_path, monkeypatch):
    from starclass.learn.config import get_preset

    monkeypatch.chdir(tmp_path)  # the survey line's output is named from here

    # an untrained compact model of the HST bands (as tests/test_survey.py's): the plumbing only
    model = write_untrained_model(tmp_path / "model", get_preset("legus4-compact"))
    res = runner.invoke(app, ["simulate", str(tmp_path / "flds"), "--fields", "1", "--size", "128",
                              "--n-candidates", "10", "--quiet"])
    assert res.exit_code == 0, res.output
    flds = tmp_path / "flds"
    for given in (flds, flds / "plan.yaml"):
        # simulate --fields' folder: "no catalogue could be read in flds"
        res = runner.invoke(app, ["info", str(given)])
        assert res.exit_code == 0, res.output
        assert f"fields folder {flds} (a survey plan, {flds / 'plan.yaml'};" in res.output
        # an output not there yet, and the model said to be one to give (until 2026-12-07: '-o OUT' unsaid)
        assert (f"survey them: starclass survey {flds / 'plan.yaml'} --model MODEL -o run (MODEL: give your model, "
                "a folder starclass train wrote; the plan names none)") in res.output, res.output
    line = [ln for ln in res.output.splitlines() if "survey them: " in ln][0]
    (fdir,) = [p for p in flds.iterdir() if p.is_dir()]
    res = runner.invoke(app, ["info", str(fdir / "simulation.json")])
    assert res.exit_code == 0 and f"the simulated data: starclass info {fdir}" in res.output, res.output
    # the line run as printed, the model it asks for given
    words = shlex.split(line.split("survey them: ", 1)[1].split(" (MODEL:", 1)[0])
    words[words.index("MODEL")] = str(model)
    res = runner.invoke(app, [*words[1:], "--workers", "1", "--no-progress"])
    assert res.exit_code == 0, res.output
    out = tmp_path / "run"
    doc = json.loads((out / "summary.json").read_text())
    (name, field), = doc["fields"].items()
    for given in (out, out / "summary.json"):
        res = runner.invoke(app, ["info", str(given)])
        assert res.exit_code == 0, res.output
        assert f"survey folder {out} (starclass survey):" in res.output
        assert f"survey complete: {doc['n_candidates']} candidates in 1 field" in res.output, res.output
        assert f"  {name}: {field['n_candidates']} candidates" in res.output
        assert f"merged catalogue: {out / 'catalogue'}" in res.output
        assert f"starclass info {out / 'fields' / name / 'catalogue.parquet'}" in res.output
    res = runner.invoke(app, ["info", str(out / "tiles")])
    assert res.exit_code == 0 and f"survey folder {out}" in res.output, res.output
    # the merged catalogue (one field=<name>/part-0.parquet each) and a field's evaluation.json
    res = runner.invoke(app, ["info", str(out / "catalogue")])
    assert res.exit_code == 0, res.output
    assert f"merged catalogue {out / 'catalogue'} of the survey in {out}" in res.output
    assert f"  {name}: {field['n_candidates']} rows" in res.output
    res = runner.invoke(app, ["info", str(out / "fields" / name / "evaluation.json")])
    assert res.exit_code == 0 and f"evaluation of field {name} against its truth" in res.output, res.output
    # the field's folder: its evaluation.json was "1 file not read as a catalogue" (until 2026-12-07)
    res = runner.invoke(app, ["info", str(out / "fields" / name)])
    assert res.exit_code == 0 and f"note: evaluation.json: the evaluation of field {name} (" in res.output, res.output
    assert "not read" not in res.output, res.output


@pytest.mark.usefixtures("cheap_argon2")  # two accounts: cheap hashes (conftest.py), the test needs no security
def test_info_on_the_agreement_summary_of_an_export_says_what_it_holds(tmp_path, monkeypatch):
    from starclass.datasets.labelling import make_demo_field
    from starclass.inspect import db

    field = make_demo_field(tmp_path / "field", n=8, size=200, seed=3)
    url = f"sqlite:///{tmp_path / 'l.sqlite'}"
    monkeypatch.setenv("STARCLASS_INSPECT_PASSWORD", "a-password")
    for i, user in enumerate(("dana", "eli")):
        res = runner.invoke(app, ["inspect", str(field), "--db", url, *(["--init"] if i == 0 else []),
                                  "--add-user", user])
        assert res.exit_code == 0, res.output
    engine = db.make_engine(url)
    for cid, a, b in (("1", 1, 1), ("2", 3, 3), ("5", 2, 4)):
        db.save_label(engine, "", cid, 1, a)
        db.save_label(engine, "", cid, 2, b)
    engine.dispose()
    res = runner.invoke(app, ["inspect", str(field), "--db", url, "--export", str(tmp_path / "labels.ecsv"),
                              "--summary", str(tmp_path / "agree.json")])
    assert res.exit_code == 0, res.output
    doc = json.loads((tmp_path / "agree.json").read_text())
    (pair,) = doc["inspectors"]
    res = runner.invoke(app, ["info", str(tmp_path / "agree.json")])
    assert res.exit_code == 0, res.output  # it was "cannot read ... it is JSON ..., not a catalogue", exit 2
    assert "the agreement summary starclass inspect --export --summary wrote" in res.output
    assert f"candidates labelled: {doc['n_labelled']}" in res.output
    assert (f"{pair['person_a']} vs {pair['person_b']}: {pair['n']} candidates, agreeing {pair['agree_frac']:.3f}"
            in res.output), res.output


def test_info_on_phangs_style_stamps_says_what_they_are(tmp_path):
    from starclass.bands import BANDS
    from starclass.io.catalog import write_catalog
    from starclass.io.mosaic import write_mosaic

    rng = np.random.default_rng(3)
    for band in ("f555w", "f814w"):
        write_mosaic(tmp_path / "field" / f"toy_{band}.fits", rng.normal(0, 1, (48, 48)).astype(np.float32), band,
                     None, photflam=BANDS[band].photflam, photplam=BANDS[band].photplam)
    write_catalog(Table({"id": [1, 2, 3], "x": [12.0, 30.0, 20.0], "y": [14.0, 33.0, 40.0]}), tmp_path / "c.ecsv")
    pf = tmp_path / "pf"
    res = runner.invoke(app, ["cutouts", str(tmp_path / "field"), "-c", str(tmp_path / "c.ecsv"), "-o",
                              str(tmp_path / "st.h5"), "--phangs-fits-dir", str(pf), "--phangs-size", "9",
                              "--no-progress"])
    assert res.exit_code == 0, res.output
    # the folder was "FITS images: 3, not one set of mosaics (cannot tell the band ...)", each "filter ?"
    res = runner.invoke(app, ["info", str(pf)])
    assert res.exit_code == 0, res.output
    assert f"PHANGS-style stamp folder {pf} (starclass cutouts --phangs-fits-dir): 3 candidates" in res.output
    assert "stamps 9 x 9 px, bands f555w, f814w; candidate ids 1 (cand_000001.fits) .. 3" in res.output
    assert "filter ?" not in res.output
    # one of them: "error: cannot tell the band of ...", exit 2
    res = runner.invoke(app, ["info", str(pf / "cand_000002.fits")])
    assert res.exit_code == 0, res.output
    assert "a PHANGS-style stamp starclass cutouts --phangs-fits-dir wrote" in res.output
    assert "candidate 2 at x 30.0, y 33.0 (0-based), 9 x 9 px" in res.output, res.output


def test_info_on_an_evaluate_catalogs_folder_gives_its_fields_and_pooled_accuracies(tmp_path):
    from starclass.science.ssp import distance_modulus
    from test_science_many import tab_name, write_tab  # tests/ is on sys.path under pytest

    legus = tmp_path / "legus"
    legus.mkdir()
    rng = np.random.default_rng(2)
    for j, (part, dist) in enumerate((("acs-wfc3_ngc628-c", 9.9), ("wfc3_ngc1433", 8.3))):
        cls = rng.choice([0, 1, 2, 3, 4], size=60)
        ci = np.where(cls <= 2, 1.8, 1.4) + rng.normal(0, 0.02, 60)
        write_tab(legus / tab_name(part), cls, ci, distance_modulus(dist) + rng.uniform(-9, -5.5, 60), seed=j)
    out = tmp_path / "many"
    res = runner.invoke(app, ["evaluate", "--catalogs", str(legus), "--min-inspected", "10", "-o", str(out)])
    assert res.exit_code == 0, res.output
    doc = json.loads((out / "summary.json").read_text())
    res = runner.invoke(app, ["info", str(out)])
    assert res.exit_code == 0, res.output  # it was "no catalogue could be read in many"
    assert (f"evaluation folder {out} (starclass evaluate --catalogs): 2 fields, {doc['n_inspected']} "
            "human-inspected sources") in res.output, res.output
    task, rules = next(iter(doc["ladder_pooled"].items()))
    rule, acc = next(iter(rules.items()))
    assert f"pooled, {task}: {rule} {acc:.3f}" in res.output
