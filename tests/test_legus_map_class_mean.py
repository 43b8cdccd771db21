"""``--map class_ref=35`` on a standard LEGUS file reads the people's mean class (2.333) as the class.

``starclass info NGC628C.tab --map class_ref=35`` warned "964 of 3080 values outside 0-4 (1.25, 1.333,
1.5, 1.667, 1.75) read as 0": 1.25 is not outside 0-4, and nothing said that column 35 is the mean of
the people's classes (``class_human_mean``), their mode (the class) being column 34. The warning now
says "values that are not classes 0-4" and, for fractional values between 1 and 4, what they are;
integer values outside 0-4 keep the old words. ``info`` counts them as "class values not 0-4".
"""

from __future__ import annotations

import warnings

import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.io.catalog import read_catalog
from test_io_legus import _line, _standard_row, write_mean_class_file  # tests/ is on sys.path under pytest

runner = CliRunner()


def test_the_mean_class_mapped_as_the_class_is_said_to_be_a_mean(tmp_path):
    p = write_mean_class_file(tmp_path)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        t = read_catalog(p, column_map={"35": "class_ref"})
    said = " ".join(str(w.message) for w in caught)
    assert list(t["class_ref"]) == [0, 0, 1, 3] and t.meta["class_other"] == 2
    assert "column 35 (class_ref): 2 of 4 values that are not classes 0-4 (2.333, 3.667) read as 0" in said
    assert "outside 0-4" not in said
    assert "a mean of the people's classes" in said and "the class, is column 34" in said
    res = runner.invoke(app, ["info", str(p), "--map", "class_ref=35"])
    assert res.exit_code == 0, res.output
    assert "class values not 0-4 (set to 0): 2" in res.output


def test_whole_values_outside_0_4_keep_their_words_and_no_mean_hint(tmp_path):
    p = tmp_path / "hlsp_legus_hst_wfc3_ngcz_multiband_v1_x.tab"
    p.write_text("\n".join(_line(_standard_row(i, c, 0.0)) for i, c in enumerate((7, 9, 0, 10), 1)) + "\n")
    with pytest.warns(UserWarning, match=r"3 of 4 values outside 0-4 \(7, 9, 10\) read as 0, no class: the "
                                         r"class is unknown \(a value outside the scheme of classes 0-4\), at lines "
                                         r"1, 2, 4 of the file \(id 1: 7, id 2: 9, id 4: 10\);") as rec:
        read_catalog(p)
    assert not any("mean of the people" in str(w.message) for w in rec)
