"""``train --label-column NAME`` absent from the catalogue: the message names the catalogue's file.

Before: "catalogue has no label column 'klass'": with several fields (``--fields``) the user
could not tell which catalogue lacked it.
"""

from __future__ import annotations

import pytest
from astropy.table import Table

from starclass.cli.train_cmd import training_inputs
from starclass.errors import StarclassError
from starclass.learn.config import get_preset


def test_missing_label_column_names_the_catalogue_file():
    t = Table({"id": [1, 2], "x": [3.0, 4.0], "y": [5.0, 6.0], "class_ref": [1, 2]},
              meta={"source": "fields/ngc628/truth.ecsv"})
    with pytest.raises(StarclassError, match=r"catalogue fields/ngc628/truth.ecsv has no label column 'klass'"):
        training_inputs(get_preset("legus4-compact"), t, mosaics=None, label_column="klass", progress=False)
