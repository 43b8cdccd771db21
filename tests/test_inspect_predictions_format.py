"""inspect --predictions reads a zipped FITS table, and names the file in one line where astropy cannot tell a format.

``load_field(d, predictions=classified.fits.zip)`` (``inspect DIR --predictions classified.fits.zip``) said
"predictions ...: cannot read (IORegistryError: Format could not be identified ...)" and astropy's 70-line
table of formats, where the catalogue readers read a .fits.zip (the format is named, as a zip shows FITS
neither by its name nor by its first bytes); a ``.dat`` got the same 70 lines.
"""

from __future__ import annotations

import zipfile

import numpy as np
import pytest
from astropy.table import Table

from starclass.errors import StarclassError
from starclass.io.fits_names import FITS_NAMES


def _field(tmp_path):
    from starclass.datasets.labelling import make_demo_field

    d = make_demo_field(tmp_path / "f", n=4, size=100, seed=1)
    ids = list(Table.read(d / "candidates.ecsv")["id"])
    preds = Table({"id": ids, "class_pred": [1, 2, 3, 4][: len(ids)], "prob_1": np.linspace(0.1, 0.9, len(ids))})
    return d, preds


def test_a_zipped_fits_predictions_table_is_read_as_the_plain_one(tmp_path):
    from starclass.inspect.field import load_field

    d, preds = _field(tmp_path)
    plain = tmp_path / "classified.fits"
    preds.write(plain)
    packed = tmp_path / "classified.fits.zip"
    with zipfile.ZipFile(packed, "w") as zf:
        zf.write(plain, plain.name)
    want = load_field(d, predictions=plain).predictions
    got = load_field(d, predictions=packed).predictions
    assert want and got == want


def test_predictions_of_no_format_astropy_tells_are_refused_in_one_line(tmp_path):
    from starclass.inspect.field import load_field

    d, _ = _field(tmp_path)
    junk = tmp_path / "classified.dat"
    junk.write_bytes(np.random.default_rng(2).integers(0, 256, 3000, dtype=np.uint8).tobytes())
    with pytest.raises(StarclassError) as info:
        load_field(d, predictions=junk)
    said = str(info.value)
    assert "\n" not in said and said.startswith(f"predictions {junk}: cannot read"), said
    assert "IORegistryError" not in said and "CSV (.csv)" in said and f"FITS ({FITS_NAMES})" in said, said
