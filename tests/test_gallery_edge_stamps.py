"""simulate's gallery draws every stamp square: one near the field's edge is padded (no data), not clipped."""

from __future__ import annotations

import numpy as np
from astropy.table import Table
from matplotlib.axes import Axes

from starclass.simulate.gallery import write_gallery


def _drawn_shapes(monkeypatch, tmp_path, truth, size):
    shapes = []
    real = Axes.imshow

    def record(self, X, *args, **kwargs):
        shapes.append(np.shape(X))
        return real(self, X, *args, **kwargs)

    monkeypatch.setattr(Axes, "imshow", record)
    rng = np.random.default_rng(0)
    images = {b: rng.normal(size=(80, 120)) for b in ("f435w", "f555w", "f814w")}
    write_gallery(images, truth, tmp_path / "gallery.png", per_group=2, size=size)
    return shapes


def test_a_stamp_at_the_field_edge_is_as_square_as_the_rest(monkeypatch, tmp_path):
    # `simulate OUT --seed 1 --png --gallery`: the last class-1 stamp was narrower (cut at the field's edge)
    truth = Table({"x": [3.0, 60.0, 118.0], "y": [40.0, 40.0, 78.0], "class_ref": [1, 1, 2]})
    shapes = _drawn_shapes(monkeypatch, tmp_path, truth, size=40)
    assert len(shapes) == 6, shapes  # a grey and a colour panel per stamp
    assert all(s[:2] == (40, 40) for s in shapes), shapes


def test_the_padding_is_no_data_and_the_source_stays_at_the_centre():
    from starclass.simulate.gallery import gallery_stamp

    image = np.arange(100.0).reshape(10, 10)
    st = gallery_stamp(image, 1, 8, 6)
    assert st.shape == (6, 6)
    assert st[3, 3] == image[8, 1]  # the source's pixel at the stamp's centre
    assert np.isnan(st[:, :2]).all() and np.isnan(st[5:, :]).all()  # beyond the left and top edges
    assert np.isfinite(st[:5, 2:]).all()
