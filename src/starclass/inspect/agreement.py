"""Agreement between two inspectors: the fraction agreeing, Cohen's kappa, the cross-table.

For two people who labelled the same objects with values ``v_1 < ... < v_K``:

* the **cross-table** ``C[i, j]`` counts the objects person A gave ``v_i`` and person B gave
  ``v_j`` (rows A, columns B);
* the **fraction agreeing** is ``trace(C) / n``;
* **Cohen's kappa** is ``1 - sum(W * O) / sum(W * E)`` with ``O = C / n`` the observed
  proportions, ``E`` the outer product of the two people's marginal proportions (agreement
  expected by chance) and ``W`` the disagreement weights: 0 on the diagonal and 1 elsewhere
  (unweighted), ``|i - j|`` (linear) or ``(i - j)**2`` (quadratic); the weighted kappas are
  for ordinal values such as the M31 check's 0/1/2 scores, where 0 against 2 is a larger
  disagreement than 1 against 2. Kappa is undefined (None) when chance agreement is perfect
  (both people gave one and the same value throughout).

This is the definition of Cohen (1960, 1968) and of ``sklearn.metrics.cohen_kappa_score`` with
``labels`` set to the scheme's values; the tests compare the two.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence

import numpy as np
from numpy.typing import ArrayLike

from starclass.errors import StarclassError

#: Disagreement weights of Cohen's kappa: unweighted, and the two weighted forms.
KAPPA_WEIGHTS = (None, "linear", "quadratic")


def cross_table(a: Sequence[int], b: Sequence[int], values: Sequence[int]) -> np.ndarray:
    """Counts of (A's value, B's value) over the objects both labelled.

    Parameters
    ----------
    a, b
        The two people's values, one per object.
    values
        The scheme's values, in order: the rows and columns of the table.

    Returns
    -------
    numpy.ndarray
        ``K x K`` integer counts, rows A, columns B.

    Examples
    --------
    >>> cross_table([0, 1, 2, 2], [0, 2, 2, 1], [0, 1, 2]).tolist()
    [[1, 0, 0], [0, 0, 1], [0, 1, 1]]
    """
    a, b = np.asarray(a, int), np.asarray(b, int)
    if a.shape != b.shape or a.ndim != 1:
        raise StarclassError(f"cross table: two 1-D arrays of one length needed, got {a.shape} and {b.shape}")
    order = list(values)
    index = {v: i for i, v in enumerate(order)}
    unknown = sorted({int(v) for v in np.concatenate([a, b]) if int(v) not in index})
    if unknown:
        raise StarclassError(f"cross table: values {unknown} are not among {order}")
    C = np.zeros((len(order), len(order)), int)
    np.add.at(C, ([index[int(v)] for v in a], [index[int(v)] for v in b]), 1)
    return C


def cohen_kappa(a: Sequence[int], b: Sequence[int], values: Sequence[int],
                weights: str | None = None) -> float | None:
    """Cohen's kappa of two people's values (see the module notes).

    Parameters
    ----------
    a, b
        The two people's values on the objects both labelled.
    values
        The scheme's values, in order (the weights use their positions).
    weights : {None, "linear", "quadratic"}
        Disagreement weights; None for the unweighted kappa.

    Returns
    -------
    float or None
        Kappa (1 = perfect agreement, 0 = chance level); None when it is undefined (no objects,
        or chance agreement is perfect).

    Examples
    --------
    >>> round(cohen_kappa([0, 1, 2, 2], [0, 2, 2, 1], [0, 1, 2]), 4)
    0.2
    >>> round(cohen_kappa([0, 1, 2, 2], [0, 2, 2, 1], [0, 1, 2], "linear"), 4)
    0.4286
    """
    if weights not in KAPPA_WEIGHTS:
        raise StarclassError(f"kappa weights must be one of {KAPPA_WEIGHTS}, not {weights!r}")
    C = cross_table(a, b, values).astype(float)
    n = C.sum()
    if n == 0:
        return None
    observed = C / n
    expected = np.outer(observed.sum(axis=1), observed.sum(axis=0))
    i, j = np.indices(C.shape)
    if weights is None:
        W = (i != j).astype(float)
    elif weights == "linear":
        W = np.abs(i - j).astype(float)
    else:
        W = ((i - j) ** 2).astype(float)
    chance = float((W * expected).sum())
    if chance <= 0:
        return None
    return float(1.0 - (W * observed).sum() / chance)


def inspector_agreement(M: ArrayLike, people: Sequence[str], values: Sequence[int], *, missing: int,
                        ordinal: bool = False) -> list[dict]:
    """Agreement of every pair of people on the objects both labelled.

    Parameters
    ----------
    M
        Label matrix (objects x people).
    people
        Its columns' names.
    values
        The scheme's values, in order.
    missing
        The entry meaning "not labelled" (0 for classes, -1 for scores).
    ordinal
        Also give the linear and quadratic weighted kappas.

    Returns
    -------
    list of dict
        One per pair with at least one object both labelled: ``person_a``, ``person_b``, ``n``,
        ``agree_frac``, ``kappa`` (and ``kappa_linear``, ``kappa_quadratic`` when ordinal),
        ``values`` and ``cross_table`` (list of rows: ``person_a``'s values, columns
        ``person_b``'s).

    Examples
    --------
    >>> pair = inspector_agreement([[2, 2], [1, 0], [0, -1]], ["ann", "bob"], [0, 1, 2],
    ...                            missing=-1, ordinal=True)[0]
    >>> pair["n"], pair["agree_frac"], pair["cross_table"]
    (2, 0.5, [[0, 0, 0], [1, 0, 0], [0, 0, 1]])
    """
    M = np.asarray(M, int)
    out = []
    for p, q in itertools.combinations(range(M.shape[1]), 2):
        both = (M[:, p] != missing) & (M[:, q] != missing)
        n = int(both.sum())
        if n == 0:
            continue
        a, b = M[both, p], M[both, q]
        C = cross_table(a, b, values)
        pair = {"person_a": people[p], "person_b": people[q], "n": n,
                "agree_frac": float(np.trace(C) / n), "kappa": cohen_kappa(a, b, values)}
        if ordinal:
            pair["kappa_linear"] = cohen_kappa(a, b, values, "linear")
            pair["kappa_quadratic"] = cohen_kappa(a, b, values, "quadratic")
        pair["values"] = [int(v) for v in values]
        pair["cross_table"] = C.tolist()
        out.append(pair)
    return out
