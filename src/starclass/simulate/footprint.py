"""What a simulated field takes, known before it is built: the files it writes and the memory it needs.

``starclass simulate`` checks both (the output folder and the memory at hand) before it says its first
line; the simulator itself (:mod:`.field`: the galaxy, the objects, the rendering, scipy) is imported after
that line, so this module imports nothing but :mod:`.config` (dataclasses and the band
tables). :mod:`.field` gives the same names.
"""

from __future__ import annotations

from starclass.simulate.config import SimConfig  # light: dataclasses and the band tables

#: Glob patterns of what ``starclass simulate`` writes in a field folder (mosaics, tables and
#: the optional --png, --gallery, --calibrate files): a folder holding only these may be replaced.
FIELD_ENTRIES = ("*.fits", "truth.ecsv", "humans.ecsv", "simulation.json", "composite.png", "gallery.png",
                 "calibration.json", "calibration.md")

#: Peak bytes per pixel of :func:`~starclass.simulate.field.simulate_to_disk`, measured with ``tracemalloc``
#: (184 at 512 and 1024 px, the same for 1, 2 and 5 bands: bands are rendered one at a time, and the per-pixel
#: cost is the galaxy maps, the blank mask and one band's float32/float64 working copies), rounded up.
RENDER_BYTES_PER_PIXEL = 192
#: Extra bytes per pixel and band when the whole field is read back (``--png``, ``--gallery``,
#: ``--calibrate``): the float32 mosaics plus one float64 working copy, rounded up.
READBACK_BYTES_PER_PIXEL_BAND = 16


def estimate_memory(config: SimConfig, *, read_back: bool = False) -> int:
    """Peak bytes that simulating ``config`` to disk needs, estimated before any allocation.

    Parameters
    ----------
    config
        The field to simulate (its shape and bands).
    read_back
        Whether all bands are read back afterwards (composite, gallery, calibration).

    Returns
    -------
    int
        Estimated peak bytes: pixels x (rendering cost + bands x read-back cost).

    Examples
    --------
    >>> from starclass.simulate import preset
    >>> estimate_memory(preset("hst", shape=(1024, 1024))) // 2 ** 20  # MiB
    192
    >>> estimate_memory(preset("hst", shape=(1024, 1024)), read_back=True) // 2 ** 20  # 5 bands read back
    272
    """
    pixels = int(config.shape[0]) * int(config.shape[1])
    per_pixel = RENDER_BYTES_PER_PIXEL
    if read_back:
        per_pixel += READBACK_BYTES_PER_PIXEL_BAND * len(config.bands)
    return pixels * per_pixel
