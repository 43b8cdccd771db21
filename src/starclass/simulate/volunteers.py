"""Simulated citizen-science volunteers for galaxy-cluster candidates, and their weighted consensus.

Kosiba et al. (2020; seed 004) compare networks trained on the experts' labels with networks
trained on the labels of Zooniverse volunteers, who saw the same X-ray and optical images.
This module poses that setting on simulated candidates (``starclass simulate --preset
galaxy-cluster --volunteers N``).

**Volunteers.** A pool of ``pool`` volunteers; each candidate is shown to ``n_per_candidate``
distinct volunteers drawn at random from the pool (Zooniverse's retirement after a fixed number
of classifications). Volunteer ``j`` answers cluster / non-cluster with a sensitivity
``sens_j`` (cluster called cluster) and a specificity ``spec_j`` (non-cluster called
non-cluster) on an easy candidate, drawn from this skill distribution (assumed: the seed text
gives none; a majority of careful volunteers, a tail of casual ones and a few who click at
random):

* 60 % careful: skill ``a ~ Beta(12, 2)`` (mean 0.86);
* 30 % casual: ``a ~ Beta(5, 3)`` (mean 0.63);
* 10 % random clickers: ``a = 0.5``;

then ``sens_j = a + b_j``, ``spec_j = a - b_j`` with a personal bias ``b_j ~ N(0, 0.05)``
(some volunteers see clusters everywhere, some nowhere), clipped to [0.3, 0.99].

**Difficulty.** On candidate ``i`` of difficulty ``d_i`` in [0, 0.95] a volunteer is unsure
with probability ``d_i`` and then answers non-cluster; otherwise they answer with their skill
(right with probability ``s_j``, the sensitivity or specificity by the expert class). So
``P(cluster vote | cluster) = (1 - d_i) sens_j`` and ``P(non-cluster vote | non-cluster) =
d_i + (1 - d_i) spec_j``: as in the paper, volunteers preferentially call candidates
non-clusters, and the clusters they select are pure but incomplete (their weighted votes:
precision 0.99, recall 0.40 on 404 candidates, accuracy 0.62). ``d_i`` is where the experts'
own trouble lies (:data:`CLASS_DIFFICULTY`): high-redshift clusters (faint, small, little on
the plate) and "other" (blends that look extended) are hard, low-z clusters (which the paper's
volunteers also often put under a non-cluster option) less so, nearby galaxies
middling, point sources easy; faint X-ray sources add up to 0.3
(``0.3 * clip(log10(300 / counts) / log10(10), 0, 1)``: 300 counts or more add nothing,
30 or fewer add 0.3).

**Weighted consensus** (Zooniverse-style gold-standard weighting). A random ``gold_fraction``
of the candidates carries the experts' answer (the ``gold`` column). Each volunteer's
agreement with the experts on the gold candidates they saw, with Laplace's rule
``a_j = (agree + 1) / (seen + 2)``, gives the weight ``w_j = max(log(a_j / (1 - a_j)), 0)``:
the log-odds weight that makes a weighted majority the most likely answer for independent
voters (Nitzan & Paroush 1982), and zero for those no better than chance. A volunteer who saw
no gold candidate gets the median weight of those who did. The weighted fraction of votes for
cluster is ``consensus_fraction``; ``consensus`` is 1 (cluster) above one half, 2 below; a
candidate whose voters all weigh zero falls back to the unweighted ``vote_fraction``, and an
exact tie goes to 2 (not confirmed). Gold candidates keep the volunteers' consensus (not the
experts' answer) so that the consensus labels are volunteer labels throughout. The paper's
project weighted differently, by each volunteer's agreement with the majority
(``G = C / Q``, :func:`majority_weights`); ``simulation.json`` gives the agreement with the
experts of both weightings and of the plain majority.

The volunteers use their own random stream (``SeedSequence([seed, 7919])``): the images of a
sample are the same with or without volunteers.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from starclass.errors import StarclassError
from starclass.schema import CONSENSUS, CONSENSUS_FRACTION, GOLD, VOLUNTEER_IDS, VOLUNTEER_VOTES, VOTE_FRACTION

__all__ = ["CLASS_DIFFICULTY", "SKILL_MIX", "VolunteerConfig", "candidate_difficulty", "draw_skills",
           "gold_weights", "majority_weights", "simulate_votes", "volunteer_columns", "weighted_consensus"]

#: Difficulty of each expert class (1 low-z cluster, 2 high-z cluster, 3 nearby galaxy,
#: 4 point source, 5 other) for a volunteer; faint X-ray sources add up to 0.3. The cluster
#: values are set so that the volunteers match the paper's table on its 404 candidates
#: (plain majority agrees with the experts 0.54, weighted 0.62, recall 0.27 / 0.40, precision
#: 1.0 / 0.99): ours on 400 simulated candidates (seed 0, 10 volunteers each) give 0.62
#: (recall 0.28, precision 0.97), 0.66 with the paper's weighting, 0.72 with the gold weighting
#: (recall 0.48, precision 0.97).
CLASS_DIFFICULTY = {1: 0.35, 2: 0.7, 3: 0.25, 4: 0.05, 5: 0.5}

#: The skill distribution: (share, Beta a, Beta b) of careful and casual volunteers, and the
#: share of random clickers (skill 0.5).
SKILL_MIX = {"careful": (0.6, 12.0, 2.0), "casual": (0.3, 5.0, 3.0), "random": (0.1, None, None)}


@dataclass
class VolunteerConfig:
    """Settings of the simulated volunteers.

    Parameters
    ----------
    n_per_candidate : int
        Volunteers who classify each candidate (0: none).
    pool : int
        Volunteers in the project (each classifies many candidates).
    gold_fraction : float
        Share of candidates with the experts' answer, used to weight the volunteers.
    seed : int
        Random seed (the sample's).

    Examples
    --------
    >>> VolunteerConfig(n_per_candidate=5, pool=20).pool
    20
    """

    n_per_candidate: int = 10
    pool: int = 40
    gold_fraction: float = 0.1
    seed: int = 0

    def __post_init__(self) -> None:
        if self.n_per_candidate < 0:
            raise StarclassError(f"--volunteers must be >= 0, got {self.n_per_candidate}")
        if self.n_per_candidate > self.pool:
            raise StarclassError(f"--volunteers {self.n_per_candidate} is more than the pool of {self.pool} "
                                 "volunteers (each candidate is seen by distinct volunteers)")
        if not 0.0 < self.gold_fraction <= 1.0:
            raise StarclassError(f"gold_fraction must be in (0, 1], got {self.gold_fraction}")


def draw_skills(pool: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Sensitivity and specificity of ``pool`` volunteers from :data:`SKILL_MIX` (module docstring).

    Examples
    --------
    >>> sens, spec = draw_skills(500, np.random.default_rng(0))
    >>> bool(0.3 <= sens.min() and sens.max() <= 0.99), 0.7 < float(sens.mean()) < 0.85
    (True, True)
    """
    shares = np.array([v[0] for v in SKILL_MIX.values()])
    kind = rng.choice(len(shares), size=pool, p=shares / shares.sum())
    skill = np.full(pool, 0.5)
    for k, (_, a, b) in enumerate(SKILL_MIX.values()):
        if a is not None:
            m = kind == k
            skill[m] = rng.beta(a, b, m.sum())
    bias = rng.normal(0.0, 0.05, pool)
    return np.clip(skill + bias, 0.3, 0.99), np.clip(skill - bias, 0.3, 0.99)


def candidate_difficulty(expert: np.ndarray, xray_counts: np.ndarray) -> np.ndarray:
    """Difficulty in [0, 0.95] of each candidate for a volunteer (module docstring).

    Examples
    --------
    >>> candidate_difficulty(np.array([1, 2, 4]), np.array([1000.0, 1000.0, 30.0])).round(2).tolist()
    [0.35, 0.7, 0.35]
    """
    base = np.array([CLASS_DIFFICULTY[int(e)] for e in expert])
    faint = np.clip(np.log10(300.0 / np.maximum(np.asarray(xray_counts, float), 1e-3)) / np.log10(10.0), 0, 1)
    return np.clip(base + 0.3 * faint, 0.0, 0.95)


def simulate_votes(binary: np.ndarray, difficulty: np.ndarray, sens: np.ndarray, spec: np.ndarray,
                   n_per_candidate: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    """Votes (1 cluster, 2 non-cluster) of ``n_per_candidate`` distinct volunteers per candidate.

    Parameters
    ----------
    binary : numpy.ndarray
        True (expert) class per candidate, 1 or 2.
    difficulty : numpy.ndarray
        Per candidate, in [0, 1).
    sens, spec : numpy.ndarray
        Per volunteer of the pool.
    n_per_candidate : int
        Voters per candidate (at most the pool).
    rng : numpy.random.Generator

    Returns
    -------
    ids, votes : numpy.ndarray
        ``[n, n_per_candidate]`` volunteer indices and their votes.

    Examples
    --------
    >>> ids, v = simulate_votes(np.array([1, 2]), np.zeros(2), np.full(5, 0.99), np.full(5, 0.99), 3,
    ...                         np.random.default_rng(0))
    >>> ids.shape, v[1].tolist()   # skill 0.99, no doubt: the non-cluster is called so
    ((2, 3), [2, 2, 2])
    """
    n, pool = len(binary), len(sens)
    ids = np.stack([rng.choice(pool, n_per_candidate, replace=False) for _ in range(n)]) if n_per_candidate \
        else np.zeros((n, 0), int)
    truth = np.asarray(binary)[:, None]
    skill = np.where(truth == 1, sens[ids], spec[ids])
    unsure = rng.random(ids.shape) < np.asarray(difficulty, float)[:, None]
    right = rng.random(ids.shape) < skill
    # an unsure volunteer answers "not a cluster" (the paper's volunteers favoured the non-cluster options)
    votes = np.where(unsure, 2, np.where(right, truth, 3 - truth))
    return ids, votes.astype(int)


def gold_weights(ids: np.ndarray, votes: np.ndarray, gold: np.ndarray, expert_binary: np.ndarray,
                 pool: int) -> np.ndarray:
    """Each volunteer's weight from their agreement with the experts on gold candidates.

    ``w = max(log(a / (1 - a)), 0)`` with ``a = (agree + 1) / (seen + 2)``; volunteers who saw
    no gold candidate get the median weight of those who did (module docstring).

    Examples
    --------
    >>> ids = np.array([[0, 1], [0, 1], [0, 1]]); votes = np.array([[1, 2], [2, 1], [1, 2]])
    >>> w = gold_weights(ids, votes, np.array([True, True, True]), np.array([1, 2, 1]), 3)
    >>> round(float(w[0]), 3), float(w[1])   # 3 of 3 right: log(4/5 / (1/5)); 0 of 3: none
    (1.386, 0.0)
    >>> float(w[2]) == float(np.median(w[:2]))   # volunteer 2 saw no gold candidate
    True
    """
    agree = np.zeros(pool)
    seen = np.zeros(pool)
    g = np.asarray(gold, bool)
    np.add.at(seen, ids[g].ravel(), 1)
    np.add.at(agree, ids[g].ravel(), (votes[g] == np.asarray(expert_binary)[g][:, None]).ravel())
    a = (agree + 1.0) / (seen + 2.0)
    w = np.maximum(np.log(a / (1.0 - a)), 0.0)
    if (seen > 0).any():
        w[seen == 0] = np.median(w[seen > 0])
    return w


def majority_weights(ids: np.ndarray, votes: np.ndarray, pool: int) -> np.ndarray:
    """The paper's weights: each volunteer's share of votes agreeing with the plain majority.

    ``G = C / Q`` (Kosiba et al. 2020, sec. 2), ``C`` the votes agreeing with the candidate's
    unweighted majority (ties count as non-cluster), ``Q`` all the volunteer's votes; 0 for a
    volunteer without votes. With fewer than 3 votes per candidate (``--volunteers 1`` or ``2``)
    the majority is a volunteer's own vote or a tie given to one of them, so everybody would
    agree by construction (as :func:`starclass.inspect.consensus.majority_weights`, which needs 3
    labels): every weight is then 0 and :func:`weighted_consensus` falls back to the plain vote.

    Examples
    --------
    >>> ids = np.array([[0, 1, 2], [0, 1, 2]]); votes = np.array([[1, 1, 2], [2, 2, 2]])
    >>> majority_weights(ids, votes, 4).tolist()
    [1.0, 1.0, 0.5, 0.0]
    """
    if votes.ndim != 2 or votes.shape[1] < 3:
        return np.zeros(pool)
    majority = np.where((votes == 1).mean(axis=1) > 0.5, 1, 2)
    agree, seen = np.zeros(pool), np.zeros(pool)
    np.add.at(seen, ids.ravel(), 1)
    np.add.at(agree, ids.ravel(), (votes == majority[:, None]).ravel())
    return np.divide(agree, seen, out=np.zeros(pool), where=seen > 0)


def weighted_consensus(ids: np.ndarray, votes: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, np.ndarray,
                                                                                           np.ndarray]:
    """Unweighted and weighted vote fractions for class 1, and the consensus class.

    Returns
    -------
    vote_fraction, consensus_fraction, consensus : numpy.ndarray
        ``consensus`` is 1 where the weighted fraction is above one half, 2 below or on a tie;
        where all voters weigh zero the unweighted fraction decides.

    Examples
    --------
    >>> ids = np.array([[0, 1, 2]]); votes = np.array([[1, 2, 2]])
    >>> vf, cf, c = weighted_consensus(ids, votes, np.array([3.0, 1.0, 1.0]))
    >>> round(float(vf[0]), 3), float(cf[0]), int(c[0])   # one expert outweighs two novices
    (0.333, 0.6, 1)
    """
    is1 = (votes == 1).astype(float)
    vote_fraction = is1.mean(axis=1) if votes.shape[1] else np.full(len(votes), np.nan)
    w = weights[ids]
    tot = w.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        cf = np.where(tot > 0, (w * is1).sum(axis=1) / np.where(tot > 0, tot, 1.0), vote_fraction)
    consensus = np.where(cf > 0.5, 1, 2)
    return vote_fraction, cf, consensus


def volunteer_columns(expert: np.ndarray, binary: np.ndarray, xray_counts: np.ndarray,
                      cfg: VolunteerConfig) -> tuple[dict[str, list], dict]:
    """The volunteer columns of a candidate sample, and a summary for ``simulation.json``.

    Parameters
    ----------
    expert, binary, xray_counts : numpy.ndarray
        Per candidate: the expert class 1-5, its binary merge (1 cluster, 2 non-cluster) and
        the X-ray source counts.
    cfg : VolunteerConfig

    Returns
    -------
    columns : dict
        ``vote_fraction``, ``consensus_fraction``, ``consensus``, ``gold``, ``volunteer_ids``,
        ``volunteer_votes`` (schema names), one list entry per candidate.
    summary : dict
        Settings, the pool's skills and weights, and the consensus's agreement with the experts.

    Examples
    --------
    >>> cols, info = volunteer_columns(np.array([1, 4, 2]), np.array([1, 2, 1]), np.full(3, 500.0),
    ...                                VolunteerConfig(n_per_candidate=3, pool=5))
    >>> len(cols["consensus"]), len(cols["volunteer_votes"][0].split(";"))
    (3, 3)
    """
    rng = np.random.default_rng(np.random.SeedSequence([cfg.seed, 7919]))
    n = len(expert)
    sens, spec = draw_skills(cfg.pool, rng)
    diff = candidate_difficulty(expert, xray_counts)
    ids, votes = simulate_votes(np.asarray(binary), diff, sens, spec, cfg.n_per_candidate, rng)
    n_gold = max(1, int(round(cfg.gold_fraction * n)))
    gold = np.zeros(n, bool)
    gold[rng.choice(n, n_gold, replace=False)] = True
    w = gold_weights(ids, votes, gold, binary, cfg.pool)
    vf, cf, cons = weighted_consensus(ids, votes, w)
    majority = np.where(vf > 0.5, 1, 2)
    paper = weighted_consensus(ids, votes, majority_weights(ids, votes, cfg.pool))[2]
    b = np.asarray(binary)
    cols = {VOTE_FRACTION: vf.tolist(), CONSENSUS_FRACTION: cf.tolist(), CONSENSUS: cons.tolist(),
            GOLD: gold.astype(int).tolist(),
            VOLUNTEER_IDS: [";".join(str(int(k)) for k in r) for r in ids],
            VOLUNTEER_VOTES: [";".join(str(int(v)) for v in r) for r in votes]}
    summary = {"n_per_candidate": cfg.n_per_candidate, "pool": cfg.pool, "gold_fraction": cfg.gold_fraction,
               "skill_mix": {k: list(v) for k, v in SKILL_MIX.items()}, "class_difficulty": CLASS_DIFFICULTY,
               "sensitivity": sens.round(3).tolist(), "specificity": spec.round(3).tolist(),
               "weights": w.round(3).tolist(),
               "consensus_agrees_with_experts": float(np.mean(cons == b)),
               "majority_agrees_with_experts": float(np.mean(majority == b)),
               "paper_weighting_agrees_with_experts": float(np.mean(paper == b)),
               "consensus_precision": float(np.mean(b[cons == 1] == 1)) if (cons == 1).any() else None,
               "consensus_recall": float(np.mean(cons[b == 1] == 1)) if (b == 1).any() else None}
    return cols, summary
