"""``starclass calibrate`` ends with a 'next:' line: classify with the refitted model, as it was given.

Until 2026-12-06 it ended on the fit's figures ("calibrated model on 175 rows ...: temperature 1.211, ...")
while train, classify, detect and simulate each end with what to run next; walking docs/uncertainty.md a
user was left to find the classify command. Now the line gives it, with the model as typed (quoted where a
shell would split it), mosaics or --stamps as calibrate was given, and --tta when a fit under TTA was made.
The mosaics folder is the one given (MOSAICS was printed until 2026-12-07 though the field was known), and
``train --mosaics`` says it the same way. Since 2026-12-07 (latest) the field to classify is another one, OTHER_DIR,
said to be so: the field just calibrated or trained on scores in-sample.
"""

from __future__ import annotations

import re
import shlex

import numpy as np
from typer.testing import CliRunner

from conftest import write_toy_held_out, write_untrained_model  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.learn.config import get_preset

runner = CliRunner()


def _next(output: str) -> list[str]:
    (line,) = [s for s in output.splitlines() if s.startswith("next: ")]
    assert line.startswith("next: classify with it: ")
    quoted = line[len("next: classify with it: "):]
    return shlex.split(shlex.split(quoted)[0])


def test_calibrate_on_mosaics_ends_with_the_classify_command(tmp_path, single_thread):
    cfg = get_preset("legus4-compact", stamp_size=16, scales=[1.0])
    write_toy_held_out(cfg, tmp_path, 40, seed=21)
    model = write_untrained_model(tmp_path / "my model", cfg, seed=0)
    res = runner.invoke(app, ["calibrate", str(model), str(tmp_path / "mos"), "--catalog", str(tmp_path / "held.ecsv"),
                              "--device", "cpu", "--overwrite", "--no-progress"])
    assert res.exit_code == 0, res.output
    words = _next(res.output)
    # another field than the one calibrated on (its scores there are in-sample: classify warns of that field);
    # until 2026-12-07 the line named the very mosaics calibrated on
    assert words[:2] == ["starclass", "classify"] and words[2] == "OTHER_DIR", words
    assert words[3:5] == ["-c", "CANDIDATES"]  # the held-out rows are not the ones to classify
    assert words[words.index("--model") + 1] == str(model)  # one word, though the folder has a space
    text = " ".join(res.output.split())
    # what OTHER_DIR stands for, the field calibrated on named as the one not to give
    assert (f"(OTHER_DIR: the mosaics folder of a field it was not calibrated or trained on, not {tmp_path / 'mos'}; "
            "scored there, its figures would be in-sample; --tta uses the fit under TTA)") in text, text


def test_calibrate_on_stamps_ends_with_the_classify_stamps_command(tmp_path, single_thread):
    rng = np.random.default_rng(0)
    lines = ["file,label"]
    for i, lab in enumerate(["cluster", "galaxy"] * 12):
        (tmp_path / lab).mkdir(exist_ok=True)
        np.save(tmp_path / lab / f"obj{i}.npy", rng.normal(size=(16, 16)).astype(np.float32))
        lines.append(f"{lab}/obj{i}.npy,{lab}")
    (tmp_path / "held.csv").write_text("\n".join(lines) + "\n")
    model = write_untrained_model(tmp_path / "model", get_preset("m31-real").copy(name="mine", stamp_size=16))
    res = runner.invoke(app, ["calibrate", str(model), "--stamps", str(tmp_path / "held.csv"), "--device", "cpu",
                              "--overwrite", "--no-progress"])
    assert res.exit_code == 0, res.output
    words = _next(res.output)
    assert words[:4] == ["starclass", "classify", "--stamps", "LIST"], words
    assert words[words.index("--model") + 1] == str(model)
    assert "(LIST: a folder or CSV of cutouts it was not calibrated or trained on, labelled or not" in res.output


def test_train_on_one_field_names_its_mosaics_in_the_next_line(tmp_path, single_thread, monkeypatch):
    from starclass.learn.config import save_config

    monkeypatch.chdir(tmp_path)
    cfg = get_preset("legus4-compact", stamp_size=16, scales=[1.0], recipe={"epochs": 1, "batch_size": 8})
    write_toy_held_out(cfg, tmp_path, 40, seed=3)
    task = save_config(cfg, tmp_path / "tiny.yaml")
    res = runner.invoke(app, ["train", "--task", str(task), "--mosaics", "mos", "--catalog", "held.ecsv",
                              "-o", "m1", "--device", "cpu", "--no-progress"])
    assert res.exit_code == 0, res.output
    (line,) = [s for s in res.output.splitlines() if s.startswith("next: ")]
    commands = [shlex.split(c) for c in re.findall(r"'(starclass [^']*)'", line)]
    classify = next(c for c in commands if c[1] == "classify")
    # another field than the one trained on, named in the words as the one not to give (until 2026-12-07 the
    # line proposed classifying 'mos', the field trained on: in-sample)
    assert classify[2:5] == ["OTHER_DIR", "-c", "CANDIDATES"], line
    assert ("(OTHER_DIR: the mosaics folder of a field it was not trained on, not mos; scored there, its figures "
            "would be in-sample)") in line, line
    for c in commands:
        assert "MOSAICS" not in c, line  # calibrate first (a few validation rows) names the field
