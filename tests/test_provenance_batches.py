"""row_digests and row_fingerprints read their inputs through one batch iterator (2026-12-07); their results are
unchanged: each is computed here row by row, straight from its definition (``ROW_DIGEST``, ``ROW_FINGERPRINT``),
without the batches, for rows that cross batch edges, repeat and come out of order.
"""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from starclass.learn.provenance import _FP_GRID, _FP_STEP, _block_means, row_digests, row_fingerprints

ROWS = [None, np.array([5, 0, 3, 3, 1, 6]), np.array([], dtype=np.int64)]


def _inputs() -> np.ndarray:
    x = np.random.default_rng(3).normal(size=(7, 2, 20, 20)).astype(np.float32)
    x[2, 1, 4, 5] = np.nan  # a NaN: fingerprints read it as 0
    x[4] = x[1, :, ::-1].copy() * 10 + 2  # a flipped, scaled, offset copy: one fingerprint, another digest
    return x


def _blake(data: bytes) -> int:
    return int.from_bytes(hashlib.blake2b(data, digest_size=8).digest(), "big")


def _fingerprint(row: np.ndarray) -> int:
    x = np.nan_to_num(row.astype(np.float64))[None]
    found = []
    for turn in range(4):
        for flip in (False, True):
            t = np.rot90(x, turn, axes=(2, 3))
            g = _block_means(t[..., ::-1] if flip else t, _FP_GRID)[0]
            z = np.zeros_like(g)
            for c, plane in enumerate(g):
                if plane.std() > 0:
                    z[c] = (plane - plane.mean()) / plane.std()
            found.append(_blake(np.clip(np.round(z / _FP_STEP), -127, 127).astype(np.int8).tobytes()))
    return min(found)


@pytest.mark.parametrize("rows", ROWS, ids=["all", "some", "none"])
@pytest.mark.parametrize("batch_size", [1, 2, 512])
def test_digests_and_fingerprints_are_those_of_each_row_alone(rows, batch_size):
    x = _inputs()
    idx = np.arange(len(x)) if rows is None else rows
    digests = row_digests(x, rows, batch_size=batch_size)
    prints = row_fingerprints(x, rows, batch_size=batch_size)
    assert digests.dtype == prints.dtype == np.uint64
    assert digests.tolist() == [_blake(np.ascontiguousarray(x[i]).tobytes()) for i in idx]
    assert prints.tolist() == [_fingerprint(x[i]) for i in idx]


def test_the_check_tells_rows_apart():
    """The copy shares a fingerprint with its original, not a digest; other rows share neither: a wrong row is seen."""
    x = _inputs()
    digests, prints = row_digests(x).tolist(), row_fingerprints(x).tolist()
    assert prints[1] == prints[4] and digests[1] != digests[4]
    assert len(set(digests)) == 7 and len(set(prints)) == 6
