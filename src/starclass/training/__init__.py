"""Building blocks of :mod:`starclass.train`: augmentation, splits and stamp datasets.

The public entry point is :func:`starclass.train.fit`; the pieces here are importable for
notebooks and tests.
"""

from starclass.training.augment import DIHEDRAL, augment_batch, dihedral, dihedral_inverse, rescale
from starclass.training.splits import (
    galaxy_split,
    leave_one_galaxy_out,
    random_split,
    spatial_split,
    split_indices,
)

__all__ = [
    "DIHEDRAL", "augment_batch", "dihedral", "dihedral_inverse", "rescale",
    "galaxy_split", "leave_one_galaxy_out", "random_split", "spatial_split", "split_indices",
]
