"""``info`` of a LEGUS ``.tab`` says what its columns 26-32 hold (``sed_chi2_<band>``, ``sed_chi2_reduced``, ``sed_q``).

Found walking docs/io.md (2026-12-06): ``starclass info ...ngc1566...tab`` listed ``legus_col26`` ...
``legus_col32`` among its columns with no word of what they are (the readme: the SED fit's residual in each band,
positive where the observed flux is above the best-fit model, the reduced chi2 and the Q probability), though the
reader knows the residuals' bands (``meta['fit_residuals']``, which the SED check uses).
"""

from __future__ import annotations

from typer.testing import CliRunner

from starclass.cli import app
from starclass.datasets.catalogs import write_fake_legus_folder

runner = CliRunner()


def test_info_of_a_legus_file_names_its_fit_columns(tmp_path):
    legus = write_fake_legus_folder(tmp_path / "legus", n=60)
    (p,) = legus.glob("*ngc7793-w*.tab")
    res = runner.invoke(app, ["info", str(p)])
    assert res.exit_code == 0, res.output
    (line,) = [s for s in res.output.splitlines() if s.startswith("SED-fit columns")]
    assert ("sed_chi2_f275w, sed_chi2_f336w, sed_chi2_f435w, sed_chi2_f555w, sed_chi2_f814w the fit "
            "residuals (positive where the observed flux is above the best-fit model)") in line, line
    assert "sed_chi2_reduced the reduced chi2" in line and "sed_q the fit's Q probability" in line, line


def test_a_catalogue_without_them_has_no_such_line(tmp_path):
    p = tmp_path / "cat.csv"
    p.write_text("id,x,y,age,sed_chi2_reduced\n1,10,10,1e7,0.5\n2,20,20,2e7,0.7\n")
    res = runner.invoke(app, ["info", str(p)])
    assert res.exit_code == 0, res.output
    assert "SED-fit columns" not in res.output, res.output
