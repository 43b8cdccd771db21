"""train --labels without images checks the votes first, and says that the votes are not the images.

Before: `starclass train --labels ngc1566.tab --label-columns class_human_mode,class_ml` said "nothing to
train on: give FITS mosaics ..." (or, with --catalog, "holds the labels, not the images"); only once the
user had found the mosaics was the file's columns 36-39 refused as not people's votes. And `train
--labels votes.ecsv` alone was told "nothing to train on" with no word of the votes it had been given.
Now the votes are checked before (the refusal of columns 36-39 comes first), and a sound votes file
is said to hold votes, not images, with how to give them. Exit 2, nothing written.
"""

from __future__ import annotations

from astropy.table import Table

from test_evaluate_machine_reference import _files
from test_io_legus import invoke


def test_columns_that_are_not_people_are_refused_before_the_images_are_asked_for(tmp_path):
    tab, _ = _files(tmp_path)  # a hybrid (NGC 1566) layout file
    for extra in ((), ("--catalog", str(tab))):
        res = invoke("train", "--labels", str(tab), *extra, "--label-columns", "class_human_mode,class_ml",
                     "--label-model", "dawid-skene", "-o", str(tmp_path / "m"))
        assert res.exit_code == 2, res.output
        assert "class_human_mode is column 36 of the LEGUS NGC 1566 catalogue" in res.output, res.output
        assert "not the images" not in res.output and "Traceback" not in res.output
        assert not (tmp_path / "m").exists()


def test_a_votes_file_without_images_is_said_to_hold_votes(tmp_path):
    votes = tmp_path / "votes.ecsv"
    Table({"id": [1, 2, 3], "x": [5.0, 9.0, 14.0], "y": [3.0, 8.0, 12.0], "class_h1": [1, 2, 4],
           "class_h2": [1, 3, 4]}).write(votes)
    res = invoke("train", "--labels", str(votes), "-o", str(tmp_path / "m"))
    assert res.exit_code == 2, res.output
    assert f"--labels {votes} holds the people's votes, not the images: give the FITS mosaics" in res.output, \
        res.output
    assert not (tmp_path / "m").exists()
