"""``make_demo_field``'s value compares, hashes and joins as its folder's path (2026-12-07).

It returned the folder (a ``Path``) until it said what it wrote; its ``DemoField`` stood for the folder in
``os.fspath``, ``str`` and ``/``, but ``demo == Path(folder)`` was False (a frozen dataclass compares with its
own kind only) and ``hash(demo)`` raised ``TypeError`` (its ``mosaics`` dict is not hashable), so a demo could
not be found in a list of folders, used as a dict key or put in a set.
"""

from __future__ import annotations

import os
from pathlib import Path

from starclass.datasets.labelling import make_demo_field


def test_a_demo_equals_its_folder_and_hashes_as_it(tmp_path):
    demo = make_demo_field(tmp_path / "demo", n=3, size=60, predictions=False)
    folder = tmp_path / "demo"
    assert demo == folder and folder == demo and not (demo != folder)
    assert demo != tmp_path / "other" and demo != tmp_path
    assert hash(demo) == hash(folder)
    assert folder in {demo} and demo in [folder] and {demo: 1}[folder] == 1
    # as a Path does: a string is not a path, so not equal to one
    assert (demo == str(folder)) is (folder == str(folder))
    # two demos of one folder are equal; of two folders, not
    again = make_demo_field(folder, n=3, size=60, predictions=False)
    other = make_demo_field(tmp_path / "demo2", n=3, size=60, predictions=False)
    assert demo == again and demo != other and len({demo, again, other}) == 2
    assert os.fspath(demo) == str(demo) == str(folder) and demo / "x.fits" == folder / "x.fits"
    assert Path(demo) == folder and sorted([other, demo]) == [demo, other]
