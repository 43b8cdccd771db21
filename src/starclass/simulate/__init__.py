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

from starclass.simulate.config import PRESETS, SimConfig, preset
from starclass.simulate.field import SimulatedField, simulate_field, simulate_labels, simulate_to_disk, write_field

__all__ = ["SimConfig", "SimulatedField", "PRESETS", "preset", "simulate_field", "simulate_labels", "simulate_to_disk",
           "write_field"]
