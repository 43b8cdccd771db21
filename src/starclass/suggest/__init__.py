"""Active learning: which unlabelled candidates people should classify next (``starclass suggest``).

:mod:`starclass.suggest.pick` scores candidates by how much a label would teach the model
(the entropy of its predicted probabilities, or the size of its conformal prediction set) and
picks the most informative ones spread over magnitude bins, so that not all are faint. The
suggestions are a catalogue that ``starclass inspect --catalogue`` serves as the queue; the
labels people give go back into ``starclass train --labels ... --resume-from MODEL``.
:mod:`starclass.suggest.pseudo` gives the candidates the model is very sure of its own class
(pseudo-labels, trained on beside people's labels but never counted or validated on).
:mod:`starclass.suggest.typical` picks for a small budget the most typical candidate of each
unlabelled k-means cluster of an embedding (TypiClust), instead of the most uncertain.
:mod:`starclass.suggest.relabel` ranks the *labelled* rows whose label out-of-fold probabilities
contradict (confident learning; ``starclass suggest --check-labels``): labels worth a second look.
"""

from starclass.suggest.pick import BY, entropy, informativeness, pick, suggest
from starclass.suggest.pseudo import pseudo_labels
from starclass.suggest.relabel import label_issues
from starclass.suggest.typical import typical_pick, typicality

__all__ = ["BY", "entropy", "informativeness", "label_issues", "mutual_information", "pick", "pseudo_labels",
           "suggest", "typical_pick", "typicality"]


def __getattr__(name: str):
    """``mutual_information`` (BALD) on first use, from :mod:`starclass.learn.ensemble`."""
    if name == "mutual_information":
        from starclass.learn.ensemble import mutual_information

        return mutual_information
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
