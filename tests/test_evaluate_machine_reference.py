"""A model scored against LEGUS NGC 1566 (``-r FILE``) is told which reference classes no person gave.

Before: `starclass evaluate pred.ecsv -r ngc1566.tab` scored the prediction against the hybrid class
(column 34) and said nothing of its 654 rows (class_method 0) that are the survey's machine-learning
class alone, though `train` and `evaluate --catalogs` said so. Now a note under the reference's
figures (and in the report) counts them among the rows scored and names --reference-column
class_human_mode, the people-only reference; with that column there is no note.
"""

from __future__ import annotations

from astropy.table import Table

from test_io_legus import _line, _standard_row, invoke

# class_ref (col 34), class_method (35), class_human_mode (36), class_ml (37), class_ml_checked (38),
# class_reclassified (39): two rows are the machine's class alone (method 0)
ROWS = [(1, 0, 0, 1, 0, 0), (2, 0, 0, 2, 0, 0), (3, 3, 3, 4, 0, 0), (4, 1, 0, 3, 4, 0), (1, 3, 1, 1, 0, 0),
        (2, 4, 2, 2, 0, 0)]


def _files(tmp_path):
    tab = tmp_path / "hlsp_legus_hst_wfc3_ngcy_multiband_v1_padagb-mwext-avgapcor.tab"
    tab.write_text("\n".join(_line(_standard_row(i, c, m, extra=rest)) for i, (c, m, *rest) in enumerate(ROWS, 1))
                   + "\n")
    # a model's classes at the same pixels (x, y 0-based: the file's 1-based 10 + i less 1), no sky positions
    pred = tmp_path / "pred.ecsv"
    Table({"id": list(range(1, 7)), "x": [9.0 + i for i in range(1, 7)], "y": [19.0 + i for i in range(1, 7)],
           "class_pred": [1, 2, 3, 3, 1, 1]}).write(pred)
    return tab, pred


def test_the_machine_classes_of_a_hybrid_reference_are_noted(tmp_path):
    tab, pred = _files(tmp_path)
    res = invoke("evaluate", str(pred), "-r", str(tab), "--bootstrap", "0", "-o", str(tmp_path / "ev"))
    assert res.exit_code == 0, res.output
    assert ("2 of the 6 reference classes scored are a machine-learning classifier's alone (class_method 0 of the "
            "LEGUS hybrid layout, NGC 1566), not a person's" in res.output), res.output
    assert "--reference-column class_human_mode" in res.output


def test_no_note_against_the_three_peoples_mode(tmp_path):
    tab, pred = _files(tmp_path)
    res = invoke("evaluate", str(pred), "-r", str(tab), "--reference-column", "class_human_mode", "--bootstrap", "0",
                 "-o", str(tmp_path / "ev"))
    assert res.exit_code == 0, res.output
    assert "3 classified in both" in res.output and "machine-learning classifier's alone" not in res.output, res.output
