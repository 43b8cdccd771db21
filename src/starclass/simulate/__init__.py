"""Synthetic multi-band galaxy fields with known truth (``starclass simulate``).

* :class:`SimConfig` and :func:`preset` (``hst``, ``ngc1566``, ``m31``): what to simulate.
* :func:`simulate_field` -> :class:`SimulatedField` (images, WCS, truth, human labels);
  :func:`write_field` writes it; :func:`simulate_to_disk` renders and writes band by band.

Modules: :mod:`.config`, :mod:`.ssp` (magnitudes), :mod:`.profiles` (PSF and object
profiles), :mod:`.galaxy` (disk, arms, clumps, dust), :mod:`.objects` (classes 1-4),
:mod:`.render` (images and noise), :mod:`.humans` (simulated classifiers),
:mod:`.gallery` (colour composite and stamp gallery), :mod:`.calibration` (naive-rule
difficulty check), :mod:`.cutouts_m31` (labelled PAndAS-like cutout folders, preset
``pandas-cutouts``). Positions are 0-based pixels.
"""

from starclass import lazy_exports
from starclass.simulate.config import PRESETS, SimConfig, preset  # light: dataclasses and the band tables

#: The names of :mod:`.field`, loaded on first use (PEP 562): the package imported it, so
#: ``from starclass.simulate import preset`` (a command's option check) paid for the whole simulator
#: (galaxy, objects, rendering, scipy; about 2 s measured) before its first line.
_EXPORTS = dict.fromkeys(("SimulatedField", "simulate_field", "simulate_labels", "simulate_to_disk", "write_field"),
                         ".field")

__all__ = ["SimConfig", "SimulatedField", "PRESETS", "preset", "simulate_field", "simulate_labels", "simulate_to_disk",
           "write_field"]

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS, globals())
