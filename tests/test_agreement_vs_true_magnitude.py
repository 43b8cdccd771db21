"""PHANGS agreement vs magnitude uses a simulated truth's ``mag_true_<band>``, as the trend figures do.

Until 2026-12-07 ``report classified.ecsv -r truth.ecsv`` (truth from ``simulate``: ``mag_true_*`` only, the
classified catalogue without magnitudes) drew the metrics-vs-magnitude trend from ``mag_true_f555w`` and said
beside it "agreement vs magnitude: no such column in either catalogue".
"""

from __future__ import annotations

from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()


def _write(tmp_path):
    from starclass.datasets.catalogs import fake_catalogs

    pred, truth = fake_catalogs(200, seed=2)
    for c in list(truth.colnames):
        if c.startswith("mag_"):
            truth.rename_column(c, "mag_true_" + c[len("mag_"):])
    pred.remove_columns([c for c in pred.colnames if c.startswith("mag")])
    pred.write(tmp_path / "classified.ecsv")
    truth.write(tmp_path / "truth.ecsv")


def test_agreement_vs_magnitude_reads_true_magnitudes(tmp_path):
    _write(tmp_path)
    res = runner.invoke(app, ["evaluate", str(tmp_path / "classified.ecsv"), "-r", str(tmp_path / "truth.ecsv"),
                              "--bootstrap", "0", "--no-science", "-o", str(tmp_path / "ev")])
    assert res.exit_code == 0, res.output
    names = {p.name for p in (tmp_path / "ev" / "tables").iterdir()}
    assert "agreement_vs_mag_true_f555w_truth.ecsv" in names, names
    assert "no such column" not in res.output


def test_no_magnitude_anywhere_says_which_columns_were_looked_for():
    import numpy as np
    from astropy.table import Table

    from starclass.evaluate.compare import _phangs_agreement

    t = Table({"class_pred": [1, 2, 3, 4], "class_ref": [1, 2, 3, 4]})
    idx = np.arange(4)
    out = _phangs_agreement(np.array([1, 2, 3, 4]), np.array([1, 2, 3, 4]), t, t, idx, idx, np.ones(4, bool),
                            "a", "b", ["magnitude"])
    assert any("mag_true_<band>" in n and "neither catalogue" in n for n in out.notes), out.notes
