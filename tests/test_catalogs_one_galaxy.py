"""``--catalogs`` on a folder of one galaxy's fields, or of fields none of which can be used.

A folder of NGC 628-C and -E (one galaxy, two pointings) wrote nothing: the command stopped with
"leave-one-galaxy-out needs at least two galaxies", naming neither the galaxy nor its fields, though
every per-field table (class counts, quartiles, boxes, mass slopes) stands without the ladder. Now
the tables and the figure are written and a note says why there is no ladder. A folder whose files
were all left out for their layout (NGC 3351: no class column known) was refused as having no field
"with 100 or more inspected sources", which pointed at --min-inspected; the error now lists each
file's reason. Two catalogues of one field in the folder (LEGUS publishes fields in several versions) are
refused naming both: the later file replaced the earlier one without a word.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.science.ssp import distance_modulus
from test_science_many import tab_name, write_tab  # tests/ is on sys.path under pytest

runner = CliRunner()


@pytest.fixture
def legus_dir(tmp_path):
    """Synthetic standard-layout files of NGC 628-C, NGC 628-E (one galaxy) and NGC 1433."""
    d = tmp_path / "legus"
    d.mkdir()
    rng = np.random.default_rng(2)
    for j, (part, dist) in enumerate((("acs-wfc3_ngc628-c", 9.9), ("acs-wfc3_ngc628-e", 9.9),
                                      ("wfc3_ngc1433", 8.3))):
        cls = rng.choice([0, 1, 2, 3, 4], size=60)
        ci = np.where(cls <= 2, 1.8, 1.4) + rng.normal(0, 0.02, 60)
        write_tab(d / tab_name(part), cls, ci, distance_modulus(dist) + rng.uniform(-9, -5.5, 60), seed=j)
    return d


def _one_galaxy(folder):
    (folder / tab_name("wfc3_ngc1433")).unlink()


def test_evaluate_catalogs_of_one_galaxy_writes_the_field_tables_and_says_why_no_ladder(legus_dir, tmp_path):
    _one_galaxy(legus_dir)
    out = tmp_path / "many"
    res = runner.invoke(app, ["evaluate", "--catalogs", str(legus_dir), "--min-inspected", "10", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert ("note: no leave-one-galaxy-out ladder: the fields used (ngc628-c, ngc628-e) are all of one galaxy, "
            "ngc628, and it needs two galaxies or more") in res.output
    # then no "open first: ... (... leave-one-galaxy-out accuracies ...)" right after saying there are none
    first = [line for line in res.output.splitlines() if line.startswith("open first: ")]
    assert len(first) == 1 and "many_fields_summary.png (class mix" in first[0], res.output
    assert "leave-one-galaxy-out" not in first[0]
    tables = sorted(p.name for p in (out / "tables").iterdir())
    assert "fields.ecsv" in tables and "boxes.ecsv" in tables and not any(t.startswith("ladder") for t in tables)
    summary = json.loads((out / "summary.json").read_text())
    assert summary["fields"] == ["ngc628-c", "ngc628-e"] and summary["ladder_pooled"] == {}
    # the counts are the files' own
    n = sum(int(np.isin(np.loadtxt(legus_dir / tab_name(p))[:, 33], [1, 2, 3, 4]).sum())
            for p in ("acs-wfc3_ngc628-c", "acs-wfc3_ngc628-e"))
    assert summary["n_inspected"] == n


def test_report_catalogs_of_one_galaxy_says_why_no_ladder(legus_dir, tmp_path):
    _one_galaxy(legus_dir)
    page = tmp_path / "rep" / "legus.html"
    res = runner.invoke(app, ["report", "--catalogs", str(legus_dir), "--min-inspected", "10", "-o", str(page)])
    assert res.exit_code == 0, res.output
    html = page.read_text()
    assert "no leave-one-galaxy-out ladder: the fields used (ngc628-c, ngc628-e) are all of one galaxy" in html
    assert "Naive-rule ladder" not in html
    assert "leave-one-galaxy-out accuracies" not in html  # the summary figure's caption: it has none


def test_a_folder_of_unusable_layouts_names_each_reason(legus_dir, tmp_path):
    # every field made one expert's (5 = not inspected in column 34, as NGC 4449): none is a human mode
    for p in legus_dir.iterdir():
        raw = np.loadtxt(p)
        raw[raw[:, 33] == 0, 33] = 5  # its not-inspected rows; one 5 alone is a hand edit
        np.savetxt(p, raw, fmt="%.5f")
    res = runner.invoke(app, ["evaluate", "--catalogs", str(legus_dir), "--min-inspected", "10",
                              "-o", str(tmp_path / "many")])
    assert res.exit_code == 2, res.output
    assert f"error: --catalogs: no field in {legus_dir} can be used" in res.output
    assert "ngc1433: layout 'expert' (one expert's class, not a human mode)" in res.output
    assert "Traceback" not in res.output and not (tmp_path / "many").exists()


def test_two_catalogues_of_one_field_are_refused_naming_both(legus_dir, tmp_path):
    # a second version of NGC 1433 (LEGUS publishes fields in several versions): the later file replaced
    # the earlier one without a word, and the field was scored on whichever sorted last
    first = legus_dir / tab_name("wfc3_ngc1433")
    second = legus_dir / "hlsp_legus_hst_wfc3_ngc1433_multiband_v1_padagb-mwext-cibasedapcor.tab"
    second.write_text("".join(first.read_text().splitlines(keepends=True)[:30]))
    for command, out in (("evaluate", tmp_path / "many"), ("report", tmp_path / "rep" / "legus.html")):
        res = runner.invoke(app, [command, "--catalogs", str(legus_dir), "--min-inspected", "10", "-o", str(out)])
        assert res.exit_code == 2, res.output
        assert (f"error: --catalogs: {legus_dir} holds two catalogues of field ngc1433: {first.name} and "
                f"{second.name}") in res.output
        assert "keep one of them in the folder" in res.output and not out.exists()
