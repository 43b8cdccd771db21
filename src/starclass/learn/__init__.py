"""Learning: task configs, fitting, classification, checkpoints, ensembles and precision.

One module per job, named for what it holds:

=================  ==============================================================
module             what it holds
=================  ==============================================================
``config``         task configs (:class:`TaskConfig`, :class:`TrainRecipe`), the preset registry
``presets/``       one YAML file per task preset (a new preset is a new file there)
``estimator``      the scikit-learn-style front :class:`CNNClassifier` and the
                   :class:`Classifier` protocol the baselines share
``train``          fitting a model or an ensemble (``starclass train``), in named steps
``data``           :class:`StampDataset`: model inputs (array or stamp store) as a torch dataset
``classify``       applying a saved model to stamps (``starclass classify``)
``checkpoint``     saving and loading models with their config
``ensemble``       aggregating members: mean probability, mode, quality
``precision``      float32 / bfloat16 / mixed precision, and the device to run on
``augment``        the eight dihedral symmetries and small rescaling
``splits``         train/validation splits (random, spatial, by galaxy)
=================  ==============================================================
"""

from starclass.learn.augment import DIHEDRAL, augment_batch, dihedral, dihedral_inverse, rescale
from starclass.learn.splits import (
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
