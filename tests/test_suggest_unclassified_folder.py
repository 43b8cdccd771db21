"""``suggest MODEL FOLDER`` on a cutout folder that was not classified says to classify it first.

Before: "required column 'id' missing in labels.csv ... name a column 'id' in the file" for the
folder's CSV, and "expected a catalogue file, got a directory" for the folder: neither said that
suggest ranks a folder on the probabilities ``classify --stamps`` writes.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()


@pytest.mark.parametrize("as_dir", [False, True])
def test_unclassified_cutout_folder_is_refused_with_the_command_to_run(tmp_path, as_dir):
    folder = tmp_path / "cuts"
    folder.mkdir()
    (folder / "labels.csv").write_text("file_xray,file_optical,label\na_x.fits,a_o.fits,1\n")
    model = tmp_path / "m"
    model.mkdir()
    out = tmp_path / "s.ecsv"
    cand = folder if as_dir else folder / "labels.csv"
    res = runner.invoke(app, ["suggest", str(model), str(cand), "-n", "5", "-o", str(out)])
    assert res.exit_code == 2, res.output
    assert "is not classified" in res.output and f"classify --stamps {cand}" in res.output
    assert "Traceback" not in res.output and not out.exists()


def test_a_catalogue_without_id_keeps_its_message(tmp_path):
    p = tmp_path / "noid.csv"
    p.write_text("name,x\n1,2\n")
    model = tmp_path / "m"
    model.mkdir()
    res = runner.invoke(app, ["suggest", str(model), str(p), "-n", "5", "-o", str(tmp_path / "s.ecsv")])
    assert res.exit_code == 2 and "required column 'id' missing" in res.output


def test_candidates_with_their_own_classes_get_a_note(tmp_path):
    from astropy.table import Table

    from starclass.cli import suggest_cmd

    t = Table({"id": [1, 2, 3], "x": [1.0, 2.0, 3.0], "y": [1.0, 2.0, 3.0], "class_ref": [1, 0, 4]})
    assert suggest_cmd._own_labels(t, "id", tmp_path / "c.ecsv") == str(tmp_path / "c.ecsv")
    t = Table({"file": ["a.png"], "class_ref": [2], "cutout_root": [str(tmp_path / "cuts")]})
    assert suggest_cmd._own_labels(t, "file", tmp_path / "o.csv") == str(tmp_path / "cuts" / "labels.csv")


def test_the_labels_hint_ignores_an_empty_or_nan_cutout_root():
    # a NaN cell read as text is the folder 'nan': the hint named 'nan/labels.csv'
    import numpy as np
    from astropy.table import Table

    from starclass.cli.suggest_cmd import _own_labels

    t = Table({"file": ["a.png", "b.png"], "class_ref": [2, 1], "cutout_root": [np.nan, np.nan]})
    hint = _own_labels(t, "file", Path("o.csv"))
    assert "nan" not in hint and hint.startswith("LABELS.csv")
    t = Table({"file": ["a.png"], "class_ref": [2], "cutout_root": ["/data/cuts"]})
    assert _own_labels(t, "file", Path("o.csv")) == str(Path("/data/cuts") / "labels.csv")


def test_the_labels_hint_names_a_list_that_exists(tmp_path):
    # a classified ImageFolder directory (no labels.csv there) got 'give --labels DIR/labels.csv', and
    # --labels DIR/labels.csv was then refused as no such file; a list named otherwise the same
    import numpy as np
    from astropy.table import Table

    from starclass.cli.suggest_cmd import _own_labels
    from starclass.io.cutout_folders import read_cutout_folder

    cuts = tmp_path / "cuts"
    (cuts / "cluster").mkdir(parents=True)
    np.save(cuts / "cluster" / "a.npy", np.ones((8, 8), np.float32))
    t = Table({"file": ["cluster/a.npy"], "class_ref": [1], "cutout_root": [str(cuts)]})
    hint = _own_labels(t, "file", tmp_path / "o.csv")
    assert hint == str(cuts) and read_cutout_folder(hint).files == ["cluster/a.npy"]
    (cuts / "mine.csv").write_text("file,label\ncluster/a.npy,cluster\n")
    hint = _own_labels(t, "file", tmp_path / "o.csv")
    assert hint == str(cuts / "mine.csv") and read_cutout_folder(hint).labels.tolist() == ["cluster"]


def test_the_labels_hint_names_the_list_beside_the_classification_not_the_folder(tmp_path):
    # the walk of docs/real_images.md with the list as sub.csv (absolute paths to the shared cutouts) and
    # the classification out.csv beside it, the model folder m0 too: the note said 'give --labels WALK',
    # read as an ImageFolder of m0/ and the output folders, which left 0 of the candidates out
    import numpy as np
    from astropy.table import Table

    from starclass.cli.suggest_cmd import _own_labels

    cuts = tmp_path / "shared" / "cluster"
    cuts.mkdir(parents=True)
    for name in ("a", "b"):
        np.save(cuts / f"{name}.npy", np.ones((8, 8), np.float32))
    walk = tmp_path / "walk"
    (walk / "m0").mkdir(parents=True)
    (walk / "eval" / "figures").mkdir(parents=True)
    files = [str(cuts / "a.npy"), str(cuts / "b.npy")]
    (walk / "sub.csv").write_text("file,label\n" + "".join(f"{f},cluster\n" for f in files))
    out = Table({"file": files, "label": ["cluster"] * 2, "class_ref": [1, 1], "cutout_root": [str(walk)] * 2})
    out.write(walk / "out.csv")
    Table({"file": files[:1], "class_ref": [1], "cutout_root": [str(walk)]}).write(walk / "sug.csv")
    # the list naming both candidates, not the classification itself, the one-row suggestions or the folder
    assert _own_labels(out, "file", walk / "out.csv") == str(walk / "sub.csv")
    # a folder whose CSVs name none of the candidates, and no sub-folder holding them: no file is named
    (walk / "sub.csv").unlink()
    (walk / "sug.csv").unlink()
    assert _own_labels(out, "file", walk / "out.csv") == f"LABELS.csv (the labels CSV of the cutouts in {walk})"


def test_the_labels_hint_does_not_walk_up_from_here_and_down_again(tmp_path, monkeypatch):
    # a classification in a deep working folder recording its cutouts relative to itself (classify --stamps
    # writes cutout_root so): the hint named '../../../.../data/cuts/labels.csv', from the current folder up to
    # the common one and down again, where the absolute path is shorter
    from astropy.table import Table

    from starclass.cli.suggest_cmd import _own_labels

    cuts = tmp_path / "data" / "cuts"
    cuts.mkdir(parents=True)
    (cuts / "labels.csv").write_text("file,label\na.png,cluster\n")
    here = tmp_path.joinpath("work", *("run",) * 30)
    here.mkdir(parents=True)
    monkeypatch.chdir(here)
    root = "../" * 31 + "data/cuts"
    t = Table({"file": ["a.png"], "class_ref": [2], "cutout_root": [root]})
    hint = _own_labels(t, "file", Path("o.csv"))
    assert hint == str(cuts / "labels.csv")
    assert Path(hint).resolve() == (cuts / "labels.csv").resolve()  # the same file, named shorter
    # a folder under the current one is named as it is
    (here / "c").mkdir()
    (here / "c" / "labels.csv").write_text("file,label\na.png,cluster\n")
    t = Table({"file": ["a.png"], "class_ref": [2], "cutout_root": ["c"]})
    assert _own_labels(t, "file", Path("o.csv")) == "c/labels.csv"
