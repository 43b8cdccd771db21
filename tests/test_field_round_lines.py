"""After a round on a field, suggest's lines run as printed in a later round, and propose inspect's fine-tune.

Walking docs/uncertainty.md's loop on a simulated field (2026-12-07):

- suggest's line ``starclass inspect F --catalogue C --export LABELS.ecsv`` was refused as printed in the second
  round ("exists; give --overwrite"): the first round had written LABELS.ecsv. It now names one file beside the
  suggestions (``suggest_cmd.export_file``: labels.ecsv, else the first free labels_<k>.ecsv), which loses nothing:
  the earlier export stays, and the new one holds every label so far.
- suggest proposed ``train --mosaics F --catalog C --labels LABELS.ecsv --resume-from M`` and ``inspect --export``
  ``train --mosaics F --catalog LABELS.ecsv --resume-from MODEL``: two fine-tunes for one step, both on the field's
  labels alone. One function builds the one both print now, with the fields the model was trained on beside the
  export (on cutouts a fine-tune on a round's labels alone forgot what its start learnt: 0.566 against 0.783).
"""

from __future__ import annotations

import shlex
from pathlib import Path

from astropy.table import Table

from starclass.cli.inspect_cmd import _field_export_next
from starclass.cli.suggest_cmd import _mosaic_page_hint, _store_page_hint


def _commands(line: str) -> tuple[list[str], list[str]]:
    """The export and fine-tune commands of suggest's line on mosaics, as a shell splits them."""
    rest = line.split("fine-tune: ", 1)[1]
    export, train = rest.split(", then ", 1)
    return shlex.split(export), shlex.split(train.split(" (SO_FAR_DIR")[0])


def test_a_second_round_export_runs_as_printed(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "f1").mkdir()
    export, _ = _commands(_mosaic_page_hint([Path("f1")], Path("f1/c.ecsv"), Path("s1.ecsv"), Path("m0")))
    assert export[-2:] == ["--export", "labels.ecsv"]
    Path("labels.ecsv").write_text("round 1\n")  # what round 1's inspect --export wrote
    export, train = _commands(_mosaic_page_hint([Path("f1")], Path("f1/c.ecsv"), Path("s2.ecsv"), Path("m0")))
    # old code: '--export LABELS.ecsv' again, refused as printed since the file exists
    assert export[-2:] == ["--export", "labels_1.ecsv"] and not Path("labels_1.ecsv").exists(), export
    assert train[train.index("--mosaics", 3) + 3] == "labels_1.ecsv", train  # the fine-tune reads the new one
    line = _store_page_hint(Path("s.h5"), Path("c.ecsv"), Path("s2.ecsv"), Path("m0"))
    assert "--export labels_1.ecsv;" in line and "--labels labels_1.ecsv " in line, line


def test_the_export_beside_suggestions_in_a_spaced_folder_is_quoted_once(tmp_path, monkeypatch):
    """The one export name (suggest_cmd.export_file) in the one fine-tune (next_steps.field_fine_tune): the
    merge of the two must not quote the name twice (field_fine_tune quotes what it is given)."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "f1").mkdir()
    (tmp_path / "a b").mkdir()
    export, train = _commands(_mosaic_page_hint([Path("f1")], Path("f1/c.ecsv"), Path("a b/s.ecsv"), Path("m0")))
    assert export[-2:] == ["--export", "a b/labels.ecsv"], export
    assert train[train.index("--mosaics", 3) + 3] == "a b/labels.ecsv", train


def test_suggest_and_the_export_propose_one_fine_tune(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "f1").mkdir()
    _, suggested = _commands(_mosaic_page_hint([Path("f1")], Path("f1/c.ecsv"), Path("s.ecsv"), Path("MODEL")))
    out = Table({"id": [1, 2], "n_labels": [1, 1]}, meta={"label_scheme": "phangs"})
    said = _field_export_next(out, Path("f1"), Path("labels.ecsv"))
    exported = shlex.split(said.split("fine-tune one on them with ", 1)[1].split(" (SO_FAR_DIR")[0])[0]
    # old code: '... --catalog f1/c.ecsv --labels labels.ecsv ...' against '--mosaics f1 --catalog labels.ecsv ...'
    assert suggested == shlex.split(exported), (suggested, exported)
    # with the fields the model was trained on beside the round's export
    assert suggested[:6] == ["starclass", "train", "--mosaics", "SO_FAR_DIR", "--catalog", "SO_FAR.ecsv"], suggested
    assert suggested[6:10] == ["--mosaics", "f1", "--catalog", "labels.ecsv"], suggested


def test_a_model_that_records_its_fields_names_them(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    from starclass.learn.checkpoint import set_training_fields, write_untrained_model
    from starclass.learn.config import get_preset

    for d in ("f0", "f1"):
        (tmp_path / d).mkdir()
    f0 = tmp_path / "f0"
    for band in ("f555w", "f814w"):  # recorded only where they are files
        (f0 / f"x_{band}.fits").write_bytes(b"")
    write_untrained_model(tmp_path / "m0", get_preset("legus4-compact"))
    set_training_fields(tmp_path / "m0", [([f0 / "x_f555w.fits", f0 / "x_f814w.fits"], f0 / "truth.ecsv")])
    line = _mosaic_page_hint([Path("f1")], Path("f1/c.ecsv"), Path("s.ecsv"), tmp_path / "m0")
    _, train = _commands(line)
    # named from here (short_path): the manifest records them absolute
    assert train[2:10] == ["--mosaics", "f0", "--catalog", "f0/truth.ecsv", "--mosaics", "f1",
                           "--catalog", "labels.ecsv"], train
    assert "SO_FAR" not in line, line


def test_a_second_cutout_round_names_a_new_export(tmp_path, monkeypatch):
    """The cutout case's line said '--export LABELS.csv' and '--stamps LABELS.csv' in every round as well: now
    export_file's name, labels.csv beside the suggestions or the first free labels_<k>.csv."""
    from typer.testing import CliRunner

    from starclass.cli import app
    from starclass.learn.config import get_preset, save_config
    from test_inspect_stamps import _classified_elsewhere, _untrained_model, make_folder

    labels = make_folder(tmp_path / "pool")
    task = save_config(get_preset("m31-real", stamp_size=16), tmp_path / "task.yaml")
    model = _untrained_model(tmp_path / "m", task)
    _classified_elsewhere(labels, model, tmp_path / "c.ecsv")
    monkeypatch.chdir(tmp_path)
    Path("labels.csv").write_text("file,label\n")  # round 1's export
    res = CliRunner().invoke(app, ["suggest", str(model), "c.ecsv", "-n", "2", "-o", "s.csv", "--device", "cpu"])
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())
    # old code: '--export LABELS.csv' and '--stamps SO_FAR.csv --stamps LABELS.csv', the file round 1 wrote
    assert "--export labels_1.csv" in text and "--stamps SO_FAR.csv --stamps labels_1.csv " in text, text
    assert "labels.csv " not in text, text


def test_a_second_round_fine_tune_does_not_write_onto_its_start(tmp_path, monkeypatch):
    """Round 1's fine-tune, pasted as printed, wrote NEW_MODEL; round 2's line read '--resume-from NEW_MODEL -o
    NEW_MODEL', refused by train (its output is its input). It names the first NEW_MODEL_<k> not there yet."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "f1").mkdir()
    _, train = _commands(_mosaic_page_hint([Path("f1")], Path("f1/c.ecsv"), Path("s.ecsv"), Path("m0")))
    assert train[-2:] == ["-o", "NEW_MODEL"], train
    Path("NEW_MODEL").mkdir()  # round 1's fine-tune, run as printed
    _, train = _commands(_mosaic_page_hint([Path("f1")], Path("f1/c.ecsv"), Path("s2.ecsv"), Path("NEW_MODEL")))
    # old code: '--resume-from NEW_MODEL -o NEW_MODEL'
    assert train[-4:] == ["--resume-from", "NEW_MODEL", "-o", "NEW_MODEL_1"], train
    out = Table({"id": [1, 2], "n_labels": [1, 1]}, meta={"label_scheme": "phangs", "model": "NEW_MODEL"})
    said = _field_export_next(out, Path("f1"), Path("labels.ecsv"), Path("c.ecsv"))
    assert "--resume-from NEW_MODEL -o NEW_MODEL_1'" in said, said


def test_classify_of_a_second_round_names_suggestions_not_there_yet(tmp_path, monkeypatch):
    """classify's line ends with 'suggest ... -o suggestions.ecsv': in round 2 (the loop walked by hand) round 1's
    file was there, and the line was refused as printed ("exists; give --overwrite")."""
    from starclass.cli.classify_cmd import next_after_classifying_mosaics

    monkeypatch.chdir(tmp_path)
    line = next_after_classifying_mosaics("c.ecsv", "m", None, labelled=False, recorded=True)
    assert line.endswith("-o suggestions.ecsv'"), line
    Path("suggestions.ecsv").write_text("round 1\n")
    line = next_after_classifying_mosaics("c2.ecsv", "m", None, labelled=False, recorded=True)
    # old code: '-o suggestions.ecsv' again
    assert line.endswith("'starclass suggest m c2.ecsv -n 200 -o suggestions_1.ecsv'"), line
