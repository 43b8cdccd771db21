"""A calibration's file stamp tells an in-place edit of a large file from a copy.

``learn.calibration.file_stamp`` held a digest of 8 blocks of 64 KiB: a mosaic edited in place between
those blocks (same size, a new modification time) read as unchanged, and a fine-tune re-scored the
starting model's calibration rows on the changed pixels without a word. It now holds the SHA-256 of
the whole file.
"""

from __future__ import annotations

import os
import shutil

import numpy as np
import pytest

from starclass.learn.calibration import file_stamp, stale_file

SIZE = 4 << 20  # 4 MiB: 8 blocks of 64 KiB sample an eighth of it


@pytest.fixture()
def big(tmp_path):
    path = tmp_path / "mosaic.fits"
    path.write_bytes(np.random.default_rng(5).integers(0, 256, SIZE, dtype=np.uint8).tobytes())
    return path


def _later(path, stamp, seconds=5):
    """Give ``path`` a modification time ``seconds`` after the recorded one."""
    os.utime(path, ns=(path.stat().st_atime_ns, int(stamp["mtime_ns"]) + seconds * 10**9))


def test_an_edit_between_the_sampled_blocks_is_caught(big):
    stamp = file_stamp(big)
    with open(big, "r+b") as fh:
        fh.seek((1 << 16) + 1000)  # just after the first sampled block, long before the second
        byte = fh.read(1)
        fh.seek(-1, os.SEEK_CUR)
        fh.write(bytes([byte[0] ^ 0xFF]))
    _later(big, stamp)
    assert big.stat().st_size == stamp["size"]
    assert stale_file(big, stamp) == f"{big} changed since (same size, other bytes)"


def test_a_copy_with_a_new_time_is_the_same_file(big, tmp_path):
    stamp = file_stamp(big)
    copy = tmp_path / "copy.fits"
    shutil.copyfile(big, copy)  # new modification time, same bytes
    _later(copy, stamp)
    assert stale_file(copy, stamp) is None
    assert stale_file(big, stamp) is None  # untouched: the time alone says so


def test_a_stamp_of_samples_only_takes_a_modified_file_as_changed(big):
    """A record made before 2026-12-06 cannot tell an edit between its blocks from a copy: it says so."""
    from starclass.learn.calibration import _file_sample

    st = big.stat()
    old = {"size": st.st_size, "mtime_ns": st.st_mtime_ns, "sample": _file_sample(big, st.st_size)}
    assert stale_file(big, old) is None
    _later(big, old)
    why = stale_file(big, old)
    assert why is not None and "holds a sample of its bytes only" in why and "cannot tell an edit from a copy" in why
