"""inspect --predictions of an empty (0-byte) file says it is empty, as the catalogue readers do.

It said astropy's "predictions x.ecsv: cannot read (InconsistentTableError: ECSV header line like
'# %ECSV <version>' not found as first line ...)" (an ECSV), "... (OSError: Empty or corrupt FITS file)"
(a FITS table).
"""

from __future__ import annotations

import pytest

from starclass.errors import StarclassError


@pytest.mark.parametrize("name", ["classified.ecsv", "classified.fits", "classified.csv"])
def test_an_empty_predictions_file_is_said_to_be_empty(tmp_path, name):
    from starclass.datasets.labelling import make_demo_field
    from starclass.inspect.field import load_field

    d = make_demo_field(tmp_path / "f", n=4, size=100, seed=1)
    empty = d / name
    empty.write_bytes(b"")
    with pytest.raises(StarclassError) as info:
        load_field(d, predictions=empty)
    assert str(info.value) == f"predictions {empty} is empty (0 bytes), not a table"
    assert empty.read_bytes() == b""
