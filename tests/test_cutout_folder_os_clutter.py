"""A cutout folder's files the operating system keeps there are skipped alike, without a word.

Windows' ``Thumbs.db`` (and ``desktop.ini``) in a label folder was warned of as "not images
starclass reads" while macOS' ``.DS_Store`` and ``._name.png`` were skipped silently; a real file
that is no image (a ``notes.txt``, a ``.gif``) is still warned of.
"""

from __future__ import annotations

import warnings

import numpy as np

from starclass.io.cutout_folders import read_cutout_folder


def _folder(root):
    rng = np.random.default_rng(0)
    for lab in ("cluster", "galaxy"):
        (root / lab).mkdir()
        for i in range(3):
            np.save(root / lab / f"{lab}{i}.npy", rng.normal(size=(8, 8)).astype(np.float32))
    for junk in ("cluster/Thumbs.db", "galaxy/desktop.ini", "cluster/.DS_Store", "galaxy/._galaxy0.npy",
                 "galaxy/THUMBS.DB"):
        (root / junk).write_bytes(b"\x00\x01junk")
    (root / "cluster" / ".ipynb_checkpoints").mkdir()
    np.save(root / "cluster" / ".ipynb_checkpoints" / "x-checkpoint.npy", np.zeros((8, 8), np.float32))
    (root / "Thumbs.db").write_bytes(b"\x00")


def test_the_systems_own_files_are_skipped_silently(tmp_path):
    _folder(tmp_path)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # any warning fails the read
        cs = read_cutout_folder(tmp_path, require_group=False)
    assert sorted(cs.files) == sorted(f"{lab}/{lab}{i}.npy" for lab in ("cluster", "galaxy") for i in range(3))


def test_a_real_file_that_is_no_image_is_still_warned_of(tmp_path):
    _folder(tmp_path)
    (tmp_path / "galaxy" / "notes.txt").write_text("seen on night 2\n")
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        cs = read_cutout_folder(tmp_path, require_group=False)
    said = [str(w.message) for w in caught if "starclass reads and" in str(w.message)]
    assert len(said) == 1 and "1 file" in said[0] and "galaxy/notes.txt" in said[0], said
    assert "Thumbs.db" not in said[0] and "desktop.ini" not in said[0]
    assert len(cs) == 6
