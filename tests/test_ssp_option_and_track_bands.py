"""``report`` and ``evaluate`` take the user's SSP table (``--ssp``), and draw each catalogue's track in its bands.

Before: both commands always drew the packaged Z = 0.020 table, the caption called every track
"solar-metallicity (Z = 0.020)", and there was no way to give another table on the command line.
The track (and reddening arrow) of the first catalogue with colours was drawn on every catalogue's
colour-colour figure: a reference measured in F435W, reported against a prediction in F438W, had
the F438W track on its own figure.

No ../shared needed: the Z = 0.004 table is a copy of the packaged one under a Yggdrasil Z = 0.004
name (what the name says is all the description reads).
"""
from __future__ import annotations

import html
import re
import shutil
from importlib import resources

import numpy as np
import pytest
from typer.testing import CliRunner

import starclass.report.build as build
from starclass.cli import app as cli
from starclass.datasets.catalogs import fake_catalogs
from starclass.science.ssp import SSP_FILE, ssp_track

# the evaluations' and reports' figures are built but not rendered to PNG (conftest's unrendered_figures): these
# tests read the printed lines, tables and pages around them, and rendering was about half of each command
pytestmark = pytest.mark.usefixtures("unrendered_figures")

Z004 = "yggdrasil_Z0.004_kroupa_fcov1_inst_HST_AB.txt"


@pytest.fixture(scope="module")
def files(tmp_path_factory):
    """A prediction in F438W, a truth in F435W (as the LEGUS ACS fields) and a Z = 0.004-named SSP table."""
    d = tmp_path_factory.mktemp("ssp")
    pred, truth = fake_catalogs(80, accuracy=0.7, seed=2)
    truth.rename_column("mag_f438w", "mag_f435w")
    truth.rename_column("magerr_f438w", "magerr_f435w")
    pred.write(d / "pred.ecsv")
    truth.write(d / "truth.ecsv")
    shutil.copy(str(resources.files("starclass") / "data" / SSP_FILE), d / Z004)
    return d


def _text(page) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "\n", page.read_text()))


@pytest.fixture(scope="module")
def packaged_evaluate(files, tmp_path_factory):
    """One ``evaluate`` without ``--ssp`` (the packaged table) and the track and arrow each colour-colour figure got.

    Shared by the two tests that read it (one evaluate, not two: each is ~10 s on the loaded machine). Its
    figures are not rendered, as the module's ``unrendered_figures`` (which is per test) does for the others.
    """
    from conftest import TINY_PNG
    from starclass.report import figures, sections

    drawn = {}
    draw = build.F.fig_colour_colour

    def record(panels, track=None, title="", reddening=None):
        drawn[title.split(":")[0]] = (track, reddening)
        return draw(panels, track, title, reddening=reddening)

    def unrendered(fig, dpi: int = 85) -> str:
        figures._close(fig)
        return TINY_PNG

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(build.F, "fig_colour_colour", record)
        mp.setattr(sections, "to_png_base64", unrendered)
        res = CliRunner().invoke(cli, ["evaluate", str(files / "pred.ecsv"), "-r", str(files / "truth.ecsv"),
                                       "--bootstrap", "0", "-o", str(tmp_path_factory.mktemp("packaged") / "ev")])
    return res, drawn


def test_each_catalogue_figure_has_the_track_in_its_own_bands(packaged_evaluate):
    res, drawn = packaged_evaluate
    assert res.exit_code == 0, res.output
    f438 = ssp_track(["f336w", "f438w", "f555w", "f814w"])
    f435 = ssp_track(["f336w", "f435w", "f555w", "f814w"])
    assert not np.allclose(f438["u_b"], f435["u_b"])  # the two tracks differ: the check below can fail
    pred_track, _ = drawn["pred"]  # the figure titled by the catalogue's file, pred.ecsv
    truth_track, truth_arrow = drawn["truth"]
    np.testing.assert_allclose(pred_track["u_b"], f438["u_b"])
    np.testing.assert_allclose(truth_track["u_b"], f435["u_b"])  # the old code drew f438's here
    np.testing.assert_allclose(truth_track["v_i"], f435["v_i"])
    assert truth_track.meta["bands"]["b"] == "f435w"
    from starclass.science.colour import reddening_vector

    assert truth_arrow[:2] == pytest.approx(reddening_vector(f435.meta["bands"]))


def test_report_takes_the_users_ssp_table_and_names_it(files, tmp_path):
    page = tmp_path / "r.html"
    res = CliRunner().invoke(cli, ["report", str(files / "pred.ecsv"), "-r", str(files / "truth.ecsv"),
                                   "--distance", "10", "--bootstrap", "0", "--ssp", str(files / Z004),
                                   "-o", str(page)])
    assert res.exit_code == 0, res.output
    text = _text(page)
    (first,) = re.findall(r"Black line: [^\n]*", text)
    assert "Z=0.004, Kroupa IMF" in first and Z004 in first and "AB magnitudes" in first
    assert "Z = 0.020" not in first and "solar" not in first
    assert "U-B = F336W − F438W" in first
    # the reference's own bands, said under its figure
    (second,) = re.findall(r"Black line on the figure of truth: [^\n]*", text)
    assert "U-B = F336W − F435W" in second
    assert "F438W" not in second
    # the mass functions' lower masses are the given table's too, and say so
    assert f"lower mass = visible at M_V = −7.8 at the oldest age of the SSP table {Z004}" in text


def test_evaluate_takes_the_users_ssp_table_and_prints_it(files, tmp_path):
    res = CliRunner().invoke(cli, ["evaluate", str(files / "pred.ecsv"), "-r", str(files / "truth.ecsv"),
                                   "--bootstrap", "0", "--ssp", str(files / Z004), "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    (line,) = [s for s in res.output.splitlines() if s.startswith("SSP track")]
    assert "Z=0.004, Kroupa IMF" in line and Z004 in line and "AB magnitudes" in line


def test_the_packaged_table_is_named_when_no_ssp_is_given(packaged_evaluate):
    res, _ = packaged_evaluate
    assert res.exit_code == 0, res.output
    (line,) = [s for s in res.output.splitlines() if s.startswith("SSP track")]
    assert "Z=0.020" in line and SSP_FILE in line


@pytest.mark.parametrize("command", ["report", "evaluate"])
@pytest.mark.parametrize("content, said", [
    ("a b c\n1 2 3\n", "no column 'redshift'"),
    (None, "not found"),
    (b"\x00\xf0\x9f\xff binary", "cannot read it as text"),
])
def test_a_bad_ssp_table_is_refused_naming_it(files, tmp_path, command, content, said):
    bad = tmp_path / "model.txt"
    if isinstance(content, bytes):
        bad.write_bytes(content)
    elif content is not None:
        bad.write_text(content)
    out = tmp_path / ("r.html" if command == "report" else "ev")
    res = CliRunner().invoke(cli, [command, str(files / "pred.ecsv"), "--bootstrap", "0", "--ssp", str(bad),
                                   "-o", str(out)])
    assert res.exit_code == 2, res.output
    assert "--ssp" in res.output and "model.txt" in res.output and said in res.output
    assert "Traceback" not in res.output
    assert not out.exists() and not (tmp_path / "tables").exists()  # nothing written


def test_ssp_is_not_refused_with_catalogs(files, tmp_path):
    # refused until 2026-12-07 ("--ssp applies to one classified catalogue"): the fields' mass limits and curves
    # take it (tests/test_catalogs_ssp.py); a folder without LEGUS files is refused for that, not for --ssp
    res = CliRunner().invoke(cli, ["evaluate", "--catalogs", str(files), "--ssp", str(files / Z004),
                                   "-o", str(tmp_path / "ev")])
    assert res.exit_code == 2, res.output
    assert "--ssp applies" not in res.output and "Traceback" not in res.output


def test_load_ssp_refuses_a_binary_file_without_a_traceback(tmp_path):
    # before: UnicodeDecodeError out of the header's readline
    from starclass.errors import StarclassError
    from starclass.science.ssp import load_ssp

    bad = tmp_path / "yggdrasil_Z0.004_kroupa_fcov1_inst_HST_AB.txt"
    bad.write_bytes(b"\x00\xf0\x9f\xff binary")
    with pytest.raises(StarclassError, match="cannot read it as text"):
        load_ssp(bad)
