"""DS9 region export coloured by class."""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table

from starclass.errors import StarclassError
from starclass.io.regions import class_colour, write_regions


def table() -> Table:
    return Table({
        "id": [1, 2, 3, 4, 5],
        "x": [0.0, 10.0, 20.5, 30.0, 40.0],
        "y": [0.0, 11.0, 21.0, 31.0, 41.0],
        "ra": [65.0, 65.0001, 65.0002, 65.0003, 65.0004],
        "dec": [-54.9, -54.9001, -54.9002, -54.9003, -54.9004],
        "class_ref": np.array([1, 2, 3, 4, 0], dtype=np.int16),
    })


def region_lines(path):
    return [ln for ln in path.read_text().splitlines() if "circle" in ln]


def colours(path):
    """Colour of each circle: its own, else the file's global colour."""
    text = path.read_text().splitlines()
    glob = next((ln.split("color=")[1].split()[0] for ln in text
                 if ln.startswith("global") and "color=" in ln), None)
    return [ln.split("color=")[1].split()[0] if "color=" in ln else glob
            for ln in text if "circle" in ln]


def test_colours():
    assert [class_colour(k) for k in (1, 2, 3, 4, 0, 7)] == ["red", "green", "blue", "yellow", "white", "white"]


def test_image_regions_one_based_and_coloured(tmp_path):
    p = write_regions(table(), tmp_path / "c.reg", radius=4.0, label=True)
    lines = region_lines(p)
    assert len(lines) == 5
    assert "image" in p.read_text()
    first = lines[0]
    assert "circle(1.0" in first and ",1.0" in first  # 0-based (0, 0) -> DS9 (1, 1)
    assert "circle(21.5" in lines[2]
    assert colours(p) == ["red", "green", "blue", "yellow", "white"]
    assert "text={3}" in lines[2]


def test_class_pred_takes_precedence(tmp_path):
    t = table()
    t["class_pred"] = np.array([4, 4, 4, 4, 4], dtype=np.int16)
    assert colours(write_regions(t, tmp_path / "p.reg")) == ["yellow"] * 5


def test_fk5_regions(tmp_path):
    p = write_regions(table(), tmp_path / "s.reg", coords="fk5", radius=5.0, pixel_scale=0.04)
    text = p.read_text()
    assert "j2000" in text or "fk5" in text
    lines = region_lines(p)
    # ICRS (65.0, -54.9) in FK5 J2000, as DS9 reads an fk5 region (the frames differ by 14 mas here)
    assert "64.9999997" in lines[0] and "-54.900003" in lines[0]
    # radius 5 px * 0.04"/px = 0.2" (regions writes degrees)
    assert f"{0.2 / 3600:.6e}"[:6] in lines[0] or '0.2"' in lines[0]


def test_bad_requests(tmp_path):
    t = table()
    with pytest.raises(StarclassError, match="coords"):
        write_regions(t, tmp_path / "a.reg", coords="galactic-ish")
    t.remove_columns(["ra", "dec"])
    with pytest.raises(StarclassError, match="'ra'"):
        write_regions(t, tmp_path / "b.reg", coords="fk5")
    assert not (tmp_path / "b.reg").exists()
