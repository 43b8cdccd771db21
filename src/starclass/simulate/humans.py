"""Simulated human classifiers.

Each of K people labels every candidate by drawing from a per-object confusion row:

    P(label | object) = (1 - h) * onehot(true class) + h * partner(true class, subclass)

where ``h`` (the object's ambiguity, times the person's own noise level) grows with what
makes real objects hard: faintness near the magnitude limit, class 1/2 borderline asymmetry,
associations of only 4-5 stars or with little diffuse light, pairs and triplets on diffuse
light, crowding. ``partner`` spreads the mistakes the way the LEGUS classifiers made them
(StarcNet paper, section 2): mostly 1 <-> 2 and 3 <-> 4, pairs and triplets called 2 or 3,
single stars called compact clusters, background galaxies called 1 or 2, fluff called 3.

Because ambiguity is a property of the object, people disagree on the same objects, as real
classifiers do. The defaults were first tuned to the published LEGUS averages (two people agree
57.3% over four classes, 78.1% on clusters 1+2 against the rest). Checked against what 25 real
LEGUS catalogues show when their class mode and class mean bound the votes (issue 14,
``benchmarks/legus_disagreement.py``), the rate was right (people disagree on 57% of the sources,
real and simulated) but not where the minority votes went: against a final class 3 real votes go
to 2 about as often as to 4 (the old partners, :data:`PARTNERS_PUBLISHED`, sent two thirds to 4),
against a final class 1 mostly to 2. :data:`PARTNERS` holds the re-tuned partners of classes 1-3.

People classify on colour composites, so what a class-4 object looks like in colour can matter as
well: in the real NGC 628-C catalogue the class-4 sources the people all agreed on are red (median
V-I 1.13) and those some of them called 1, 2 or 3 are bluer (0.74-0.90). ``colour_link``
(:func:`ambiguity`, ``SimConfig.human_colour_link``; off by default) makes a blue class-4 object
more ambiguous than a red one, with the same mean ambiguity over class 4.

People vote only the classes the field's task has (``classes``; ``SimConfig.human_classes``): all
four on the LEGUS and PHANGS presets, whose tasks (``legus4``, ``phangs4``) are the four classes;
1, 2 and 4 on the ``m31`` preset, whose task (``m31-binary``) is clusters (1 + 2) against
non-clusters (3 + 4) and which draws no class 3. A mistake that would go to a class the people do
not vote goes to the other class on its side of that merge (:data:`MERGE_SIBLING`: 3 to 4, 4 to 3,
1 to 2, 2 to 1), so that their cluster / non-cluster confusion is the four-class one merged,
unchanged, and only the class within a side moves. The ``m31`` preset's ``human_noise`` then sets
how often two of its people agree on cluster against non-cluster to the documented LEGUS figure,
78.1 % (StarcNet paper, section 4 and its Figure 3; the M31 paper gives no such figure: its two
inspectors scored candidates the network had already selected).

The consensus ``class_ref`` is the mode of the K labels. Ties (e.g. three people, three
different labels) go to the label of person 1, the "senior classifier" (the PHANGS and LEGUS
teams resolved ties with their most experienced classifier); if person 1's label is not among
the tied ones, the smallest tied class wins.
"""

from __future__ import annotations

import numpy as np
from astropy.table import Table

from starclass.bands import ubvi_bands
from starclass.errors import StarclassError
from starclass.schema import CLASS_REF, CLASSES, ID, X_LIGHT, Y_LIGHT, X, Y, human_col, mag_true_col, subclass_number

#: Baseline ambiguity and the weights of its sources (tuned on a default field; the rate of
#: disagreement it gives matches the real LEGUS one, issue 14).
HUMAN_BASE = 0.05
W_FAINT = 0.20
W_BORDER = 0.30
W_CROWD = 0.04

#: Where a mistaken label goes, by true class (and class-4 subclass). Classes 1-3 are tuned to
#: the minority votes of real LEGUS people per final class (benchmarks/legus_disagreement.py).
PARTNERS: dict[float, dict[int, float]] = {
    1: {2: 0.70, 4: 0.20, 3: 0.10},
    2: {1: 0.55, 3: 0.32, 4: 0.13},
    3: {4: 0.40, 2: 0.45, 1: 0.15},
    4.1: {1: 0.45, 3: 0.35, 2: 0.20},
    4.2: {3: 0.50, 2: 0.40, 1: 0.10},
    4.3: {3: 0.65, 2: 0.30, 1: 0.05},
    4.4: {1: 0.5, 2: 0.5},
    4.7: {1: 0.45, 2: 0.45, 3: 0.10},
    4.8: {3: 0.60, 2: 0.35, 1: 0.05},
    4.11: {2: 0.40, 1: 0.30, 3: 0.30},
    4.12: {1: 0.6, 2: 0.2, 3: 0.2},
}


#: The partners before issue 14, set from the StarcNet paper's description of the confusions.
PARTNERS_PUBLISHED: dict[float, dict[int, float]] = {
    **PARTNERS,
    1: {2: 0.60, 4: 0.30, 3: 0.10},
    2: {1: 0.60, 3: 0.25, 4: 0.15},
    3: {4: 0.70, 2: 0.25, 1: 0.05},
}


#: The other class on the same side of the cluster (1, 2) / non-cluster (3, 4) merge (StarcNet's
#: binary classes and the ``m31-binary`` task's merge): where a mistake goes when the people do not
#: vote the class it would have gone to.
MERGE_SIBLING: dict[int, int] = {1: 2, 2: 1, 3: 4, 4: 3}


def _partner_matrix(cls: np.ndarray, subclass: np.ndarray, partners: dict | None = None,
                    classes: tuple[int, ...] = CLASSES) -> np.ndarray:
    partners = PARTNERS if partners is None else partners
    out = np.zeros((len(cls), 4))
    dropped = np.zeros(len(cls), dtype=bool)
    for i, (c, s) in enumerate(zip(cls, subclass)):
        key = round(float(s), 2) if c == 4 and np.isfinite(s) else int(c)
        for k, p in partners.get(key, partners.get(int(c), {})).items():
            # a class the people do not vote: to its sibling when they vote that (the binary
            # confusion stays the four-class one merged), else dropped (that row renormalised)
            k = k if k in classes else MERGE_SIBLING[k]
            if k in classes:
                out[i, k - 1] += p
            else:
                dropped[i] = True
    total = out[dropped].sum(axis=1, keepdims=True)
    out[dropped] = np.divide(out[dropped], total, out=np.zeros_like(out[dropped]), where=total > 0)
    return out


def colour_factor(truth: Table, strength: float) -> np.ndarray:
    """Factor on the ambiguity of each true class-4 object from its true V-I colour rank.

    ``1 + strength * (1 - 2 p)``, where ``p`` is the object's V-I percentile among the class-4
    objects with a finite V-I (the bluest near 0, the reddest near 1): blue objects up to
    ``1 + strength``, red ones down to ``1 - strength``, mean 1 over class 4, so that the people
    make about as many mistakes on class 4 as before, on its bluer objects. Other classes, and
    class-4 objects without a V-I (e.g. cosmic rays, no I flux), keep 1.

    Parameters
    ----------
    truth
        The truth table (``class_ref`` and the ``mag_true`` columns of the V and I bands).
    strength
        Between 0 (every factor 1) and 1.

    Returns
    -------
    numpy.ndarray
        The factor per row.

    Raises
    ------
    StarclassError
        ``strength`` outside [0, 1], or no V or I band among the ``mag_true`` columns.

    Examples
    --------
    >>> from astropy.table import Table
    >>> t = Table({"class_ref": [4, 4, 4, 1], "mag_true_f555w": [22.0, 22.0, 22.0, 22.0],
    ...            "mag_true_f814w": [21.8, 21.0, 20.4, 21.0]})
    >>> colour_factor(t, 0.6).round(2).tolist()  # V-I 0.2, 1.0, 1.6; the class-1 row keeps 1
    [1.4, 1.0, 0.6, 1.0]
    """
    s = float(strength)
    if not (np.isfinite(s) and 0.0 <= s <= 1.0):
        raise StarclassError(f"human_colour_link must be between 0 and 1, got {strength}")
    n = len(truth)
    out = np.ones(n)
    if s == 0.0 or n == 0:
        return out
    bands = [c[len(mag_true_col("")):] for c in truth.colnames if c.startswith(mag_true_col(""))]
    roles = ubvi_bands(bands)
    if not roles["v"] or not roles["i"]:
        raise StarclassError(f"human_colour_link needs V and I bands among the truth magnitudes, got {bands}")
    vi = (np.asarray(truth[mag_true_col(roles["v"])], dtype=float)
          - np.asarray(truth[mag_true_col(roles["i"])], dtype=float))
    hit = (np.asarray(truth[CLASS_REF]) == 4) & np.isfinite(vi)
    m = int(hit.sum())
    if m == 0:
        return out
    from scipy.stats import rankdata

    # mid-rank percentiles (ties share their mean rank), so that 1 - 2p averages exactly 0 over class 4
    p = (rankdata(vi[hit]) - 0.5) / m
    out[hit] = 1.0 + s * (1.0 - 2.0 * p)
    return out


def ambiguity(truth: Table, mag_limit: float, v_band: str,
              scale: dict[float, float] | None = None, colour_link: float = 0.0) -> np.ndarray:
    """Per-object ambiguity ``h`` in [0, 0.9] from the truth columns (see module docstring).

    Parameters
    ----------
    truth
        The simulator's truth table (``class_ref``, ``subclass``, the V ``mag_true`` column,
        ``asym``, ``n_stars``, ``diffuse_frac`` and optionally ``crowding_true``, or
        ``crowding`` in a truth written before 2026-12-06).
    mag_limit
        Faintest candidate magnitude in V: the faintness term grows over the last 1.5 mag.
    v_band
        The V band's name.
    scale
        True class (1-4) or class-4 subclass (e.g. 4.1, single stars) -> factor on ``h``
        before the clip; a subclass key wins over its class. None or empty: every factor 1
        (``SimConfig.human_ambiguity_scale``).
    colour_link
        Strength of the link between a class-4 object's colour and its ambiguity
        (:func:`colour_factor`, ``SimConfig.human_colour_link``); 0: none.

    Returns
    -------
    numpy.ndarray
        ``h`` per row.

    Examples
    --------
    >>> from astropy.table import Table
    >>> t = Table({"class_ref": [1, 4], "subclass": [1.0, 4.1], "mag_true_f555w": [22.0, 22.0],
    ...            "asym": [0.0, 0.0], "n_stars": [0, 1], "diffuse_frac": [0.0, 0.0]})
    >>> h = ambiguity(t, 24.5, "f555w")
    >>> hs = ambiguity(t, 24.5, "f555w", scale={4.1: 0.5})
    >>> bool(hs[0] == h[0]), round(float(hs[1] / h[1]), 2)
    (True, 0.5)
    """
    n = len(truth)
    cls = np.asarray(truth[CLASS_REF])
    sub = subclass_number(truth["subclass"])
    mv = np.asarray(truth[mag_true_col(v_band)], dtype=float)
    mv = np.where(np.isfinite(mv), mv, mag_limit)
    faint = np.clip((mv - (mag_limit - 1.5)) / 1.5, 0, 1)
    asym = np.asarray(truth["asym"], dtype=float)
    nst = np.asarray(truth["n_stars"])
    dif = np.asarray(truth["diffuse_frac"], dtype=float)
    border = np.zeros(n)
    border = np.where(cls == 1, np.exp(-((asym - 0.3) / 0.1) ** 2), border)
    border = np.where(cls == 2, np.exp(-((asym - 0.2) / 0.15) ** 2), border)
    border = np.where(cls == 3, np.where(nst <= 5, 0.5, 0.15) + 0.4 * (dif < 0.3), border)
    subr = np.round(np.nan_to_num(sub), 2)
    border = np.where((cls == 4) & np.isin(subr, [4.2, 4.3]), np.where(dif > 0, 0.8, 0.25), border)
    border = np.where((cls == 4) & (subr == 4.1), 0.1, border)
    border = np.where((cls == 4) & np.isin(subr, [4.7, 4.8]), 0.5, border)
    # crowding_true since 2026-12-06; a truth.ecsv written before names it crowding
    crowd_col = next((c for c in ("crowding_true", "crowding") if c in truth.colnames), None)
    crowd = np.asarray(truth[crowd_col], dtype=float) if crowd_col else np.zeros(n)
    h = HUMAN_BASE + W_FAINT * faint + W_BORDER * border + W_CROWD * np.minimum(crowd, 5)
    if scale:
        # per class first, then per class-4 subclass (which overrides its class's factor)
        factor = np.ones(n)
        keys = sorted(scale, key=lambda k: round(float(k), 2) not in (1, 2, 3, 4))  # classes, then subclasses
        for key in keys:
            k = round(float(key), 2)
            hit = (cls == int(k)) if k in (1, 2, 3, 4) else ((cls == 4) & (subr == k))
            factor = np.where(hit, float(scale[key]), factor)
        h = h * factor
    if colour_link:
        h = h * colour_factor(truth, colour_link)
    return np.clip(h, 0.0, 0.9)


def simulate_humans(truth: Table, n_humans: int, rng: np.random.Generator, *, noise: float = 1.0,
                    mag_limit: float = 24.5, v_band: str = "f555w", partners: dict | None = None,
                    ambiguity_scale: dict[float, float] | None = None, colour_link: float = 0.0,
                    classes: tuple[int, ...] = CLASSES) -> Table:
    """Labels of ``n_humans`` simulated people and their consensus.

    ``partners`` replaces :data:`PARTNERS` (e.g. :data:`PARTNERS_PUBLISHED`, to compare before
    and after the tuning to real LEGUS disagreement). ``ambiguity_scale`` multiplies the
    ambiguity of some classes or class-4 subclasses (:func:`ambiguity`); it changes no random
    draw, so that None and ``{}`` give the same labels as before it existed; nor does
    ``colour_link`` (:func:`colour_factor`), whose 0 gives the labels of before it existed.
    ``classes`` are the classes the people vote (the field's task's, ``SimConfig.human_classes``):
    a mistake towards another class goes to :data:`MERGE_SIBLING`'s (module docstring); the
    default, all four, gives the labels of before it existed.

    Raises
    ------
    StarclassError
        ``classes`` not two or more of 1-4, or a true class not among them.

    Returns
    -------
    astropy.table.Table
        ``id, x, y, x_light, y_light, class_h1 .. class_hK, class_ref`` (the mode, ties as documented
        above); ``x_light``, ``y_light`` (the truth's centres of light) where the truth has them, so that
        ``evaluate`` and ``report`` pair the people's table with a catalogue as they pair the truth
        (:func:`starclass.evaluate.matching.match_objects`).

    Examples
    --------
    Three people label a simulated field's truth; their mode is ``class_ref``:

    >>> from starclass.simulate import SimConfig, simulate_labels
    >>> truth, _ = simulate_labels(SimConfig(seed=1, shape=(128, 128), n_candidates=20))
    >>> h = simulate_humans(truth, 3, np.random.default_rng(0))
    >>> h.colnames[5:], len(h)
    (['class_h1', 'class_h2', 'class_h3', 'class_ref'], 20)
    >>> bool(np.all(consensus(np.column_stack([h["class_h1"], h["class_h2"], h["class_h3"]])) == h["class_ref"]))
    True

    People of a task without class 3 (a truth without class 3) never vote it:

    >>> t2 = truth[truth["class_ref"] != 3]
    >>> h2 = simulate_humans(t2, 3, np.random.default_rng(0), classes=(1, 2, 4))
    >>> 3 in set(h2["class_h1"]) | set(h2["class_h2"]) | set(h2["class_h3"])
    False
    """
    classes = tuple(sorted({int(c) for c in classes}))
    if len(classes) < 2 or not set(classes) <= set(CLASSES):
        raise StarclassError(f"human_classes must be two or more of the classes {list(CLASSES)}, got {list(classes)}")
    n = len(truth)
    cls = np.asarray(truth[CLASS_REF], dtype=int)
    outside = sorted(set(np.unique(cls).tolist()) - set(classes))
    if outside:
        raise StarclassError(f"the truth has class {outside[0]}, which the simulated people do not vote "
                             f"(human_classes {list(classes)})")
    h = ambiguity(truth, mag_limit, v_band, ambiguity_scale, colour_link) if n else np.zeros(0)
    partner = (_partner_matrix(cls, subclass_number(truth["subclass"]), partners, classes) if n
               else np.zeros((0, 4)))
    onehot = np.zeros((n, 4))
    onehot[np.arange(n), cls - 1] = 1.0
    out = Table()
    # the centre of light with the position: at the position alone, evaluate and report paired a catalogue with
    # this table 58 of the demo field's 60 objects where the demo (and the truth) paired 60, its two blends found
    # at their centre of light, and the accuracy against the people differed (22.4% in report, 23.3% in the demo)
    for col in (ID, X, Y, X_LIGHT, Y_LIGHT):
        if col in truth.colnames:
            out[col] = truth[col]
    labels = np.zeros((n, n_humans), dtype=np.int64)
    for k in range(n_humans):
        skill = rng.uniform(0.85, 1.15) * noise
        hk = np.clip(h * skill, 0, 0.95)[:, None]
        p = (1 - hk) * onehot + hk * partner
        p /= p.sum(axis=1, keepdims=True)
        u = rng.random(n)[:, None]
        labels[:, k] = (u > np.cumsum(p, axis=1)).sum(axis=1) + 1
        out[human_col(k + 1)] = labels[:, k]
    out[CLASS_REF] = consensus(labels)
    return out


def consensus(labels: np.ndarray) -> np.ndarray:
    """Mode of each row of ``labels`` (N x K, classes 1-4); ties as in the module docstring.

    Examples
    --------
    Row 3 is a three-way tie: it goes to person 1:

    >>> consensus(np.array([[1, 1, 2], [3, 4, 4], [1, 2, 3], [4, 4, 4]])).tolist()
    [1, 4, 1, 4]
    """
    labels = np.asarray(labels)
    if labels.size == 0:
        return np.zeros(len(labels), dtype=np.int64)
    counts = np.stack([(labels == c).sum(axis=1) for c in (1, 2, 3, 4)], axis=1)
    best = counts.max(axis=1, keepdims=True)
    tied = counts == best
    first = labels[:, 0]
    first_tied = tied[np.arange(len(labels)), first - 1]
    smallest = np.argmax(tied, axis=1) + 1
    return np.where(first_tied, first, smallest).astype(np.int64)


def agreement_stats(labels: np.ndarray, mode: np.ndarray | None = None) -> dict[str, float]:
    """Pairwise agreement between people and each person's agreement with the mode.

    Binary: clusters (1, 2) versus non-clusters (3, 4), the StarcNet definition.

    Examples
    --------
    Pairs (1, 2), (1, 3), (2, 3) agree on 2, 1 and 2 of the 4 rows: 5 / 12 over four classes:

    >>> s = agreement_stats(np.array([[1, 1, 2], [3, 4, 4], [1, 2, 3], [4, 4, 4]]))
    >>> round(s["pair_4class"], 4), round(5 / 12, 4), round(s["pair_binary"], 4), round(s["mode_4class"], 4)
    (0.4167, 0.4167, 0.8333, 0.6667)
    """
    labels = np.asarray(labels)
    k = labels.shape[1]
    if mode is None:
        mode = consensus(labels)
    pair4, pair2 = [], []
    for a in range(k):
        for b in range(a + 1, k):
            pair4.append(np.mean(labels[:, a] == labels[:, b]))
            pair2.append(np.mean((labels[:, a] <= 2) == (labels[:, b] <= 2)))
    mode4 = [np.mean(labels[:, a] == mode) for a in range(k)]
    mode2 = [np.mean((labels[:, a] <= 2) == (mode <= 2)) for a in range(k)]
    return {
        "pair_4class": float(np.mean(pair4)) if pair4 else float("nan"),
        "pair_binary": float(np.mean(pair2)) if pair2 else float("nan"),
        "mode_4class": float(np.mean(mode4)),
        "mode_binary": float(np.mean(mode2)),
    }
