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
``cutouts``        training and classifying labelled cutout folders (``--stamps``)
``finetune``       starting a model from a saved model's weights (``fit(init_from=...)``)
``labels``         training targets from people's votes: mode, soft, Dawid-Skene (``train --labels``)
``calibration``    temperature scaling fitted on held-out rows, stored in the manifest
``conformal``      class-conditional conformal prediction sets (crepes)
=================  ==============================================================

The main entry points are importable from here: ``from starclass.learn import CNNClassifier,
get_preset, list_presets, load_config, fit, predict_inputs``. The function ``classify`` is imported
from its module, ``from starclass.learn.classify import classify``: the module has its name, and a
package's imported submodule is what the package's attribute of that name holds.
"""

import importlib

from starclass.learn.splits import (
    galaxy_split,
    leave_one_galaxy_out,
    random_split,
    spatial_split,
    split_indices,
)

#: Names loaded on first use: they pull in torch (augment) or the models (torchvision), which
#: `import starclass.learn.config` alone (as evaluate, info and every command's --help do) should not
#: pay for: torch alone took 1.2 of starclass --help's 2.0-2.9 s.
_LAZY = {
    "DIHEDRAL": "starclass.learn.augment",
    "augment_batch": "starclass.learn.augment",
    "dihedral": "starclass.learn.augment",
    "dihedral_inverse": "starclass.learn.augment",
    "rescale": "starclass.learn.augment",
    "CNNClassifier": "starclass.learn.estimator",
    "TaskConfig": "starclass.learn.config",
    "TrainRecipe": "starclass.learn.config",
    "get_preset": "starclass.learn.config",
    "list_presets": "starclass.learn.config",
    "load_config": "starclass.learn.config",
    "fit": "starclass.learn.train",
    "predict_inputs": "starclass.learn.classify",
}


def __getattr__(name: str):
    if name in _LAZY:
        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'starclass.learn' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    *_LAZY,
    "galaxy_split", "leave_one_galaxy_out", "random_split", "spatial_split", "split_indices",
]
