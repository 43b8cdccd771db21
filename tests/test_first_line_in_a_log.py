"""``simulate`` and ``explain`` say what they are doing, and for how many, first, in a log file too.

Their first line (``io.progress.say_step``) was said at a terminal only: ``starclass simulate ... > log 2>&1``
was silent for 30-40 s (building the galaxy and its objects) before ``render: 0 of 5 bands``, and ``explain``
for 76 s (loading the model, reading and classifying the stamps) before its maps' first line, on a loaded
machine. Now the line comes first in a log as a timed line (``io.progress.say_start``); ``--no-progress``
still says nothing.
"""

from __future__ import annotations

import re

from typer.testing import CliRunner

from conftest import write_noise_cutout_folder, write_untrained_model  # tests/ is on sys.path under pytest
from starclass.cli import app

runner = CliRunner()

#: a timed line, as the command line writes the progress lines into a log file
TIMED = re.compile(r"^\d\d:\d\d:\d\d (?P<text>.+)$")


def timed_lines(stderr: str) -> list[str]:
    return [m["text"] for m in map(TIMED.match, stderr.splitlines()) if m]


def test_simulate_into_a_log_says_the_field_before_building_it(tmp_path):
    args = ["simulate", str(tmp_path / "f"), "--size", "64", "--n-candidates", "6"]
    res = runner.invoke(app, args)  # the runner's stderr is no terminal and no option is given: a log file
    assert res.exit_code == 0, res.output
    lines = timed_lines(res.stderr)
    assert lines and lines[0] == "simulate: SIM-1, 64 x 64 px, 5 bands, 6 candidates: building the galaxy and its " \
                                 "objects ...", res.stderr
    assert lines[1].startswith("render: 0 of 5 bands"), lines  # before the render's first line
    quiet = runner.invoke(app, ["simulate", str(tmp_path / "q"), "--size", "64", "--n-candidates", "6",
                                "--no-progress"])
    assert quiet.exit_code == 0 and "building the galaxy" not in quiet.stderr, quiet.stderr


def test_simulate_fields_into_a_log_says_how_many_first(tmp_path):
    res = runner.invoke(app, ["simulate", str(tmp_path / "s"), "--size", "64", "--n-candidates", "4", "--fields",
                              "2"])
    assert res.exit_code == 0, res.output
    lines = timed_lines(res.stderr)
    assert lines and lines[0].startswith("simulate: 2 fields from SIM-1, 64 x 64 px, 5 bands, 4 candidates each: "
                                         "building the first ..."), res.stderr
    # each field after the first is named before it is built: the render lines of two fields read alike
    second = lines.index("simulate: SIM-1-002 (field 2 of 2): building the galaxy and its objects ...")
    assert [ln.split(":")[0] for ln in lines[1:second]] == ["render", "render"], lines
    assert lines[second + 1].startswith("render: 0 of 5 bands"), lines


def test_explain_into_a_log_says_its_model_stamps_and_maps_before_loading(tmp_path, single_thread):
    """Until 2026-12-07 the line named the stamps alone ('explain: loading the model and reading the stamps of
    LIST (at most 4 explained) ...'), and the command ended at 'wrote ... under OUT' with no 'next:' line, where
    train, classify and calibrate name what follows."""
    labels = write_noise_cutout_folder(tmp_path / "cut", 16, n=6)
    from starclass.learn.config import get_preset

    model = write_untrained_model(tmp_path / "model", get_preset("m31-real").copy(name="mine", stamp_size=16))
    out = tmp_path / "ex"
    res = runner.invoke(app, ["explain", str(model), str(labels), "-o", str(out), "--max-stamps", "4",
                              "-m", "gradcam", "-m", "cam", "--per-class", "1"])
    assert res.exit_code == 0, res.output
    lines = timed_lines(res.stderr)
    assert lines and lines[0] == f"explain: loading model {model} and reading the stamps of {labels} (at most 4 " \
                                 "explained; maps: gradcam, cam if the network has a GAP + linear head) ...", res.stderr
    assert any(ln.startswith("explain (") and "0 of 4 stamps" in ln for ln in lines[1:]), lines
    # the last line names the figures written, each of which is there
    last = res.stdout.strip().splitlines()[-1]
    assert last.startswith(f"next: open the figures in {out / 'figures'} ("), res.stdout
    named = last.split(" (", 1)[1].split(")", 1)[0].split(", ")
    assert "overlays_gradcam.png" in named, named
    assert all((out / "figures" / n.split(":")[0]).is_file() for n in named), named
    assert str(out / "tables" / "stamps.ecsv") in last and (out / "tables" / "stamps.ecsv").is_file()



def test_classify_train_and_calibrate_into_a_log_say_what_they_load_first(tmp_path, single_thread):
    """classify --stamps of the 869 PAndAS cutouts said nothing for 45 s into a log (torch, the model, the images)
    before its first count, train for 30 s; calibrate loads the same. Each now says its first line there too."""
    from starclass.learn.config import get_preset

    labels = write_noise_cutout_folder(tmp_path / "cut", 16, n=8)
    model = write_untrained_model(tmp_path / "model", get_preset("m31-real").copy(name="mine", stamp_size=16))
    runs = {
        f"classify: loading model {model} and reading the cutouts ...":
            ["classify", "--stamps", str(labels), "--model", str(model), "-o", str(tmp_path / "c.csv")],
        f"calibrate: reading the held-out rows and loading model {model} ...":
            ["calibrate", str(model), "--stamps", str(labels), "--overwrite"],
        "train: task m31-real: building its networks and reading the training inputs ...":
            ["train", "--task", "m31-real", "--stamps", str(labels), "--stamp-size", "16", "--epochs", "1",
             "-o", str(tmp_path / "trained")],
    }
    for first, args in runs.items():
        res = runner.invoke(app, args)
        lines = timed_lines(res.stderr)  # whether or not the run succeeds: the line comes before anything is read
        assert lines and lines[0] == first, (args, res.output)


def _pred_and_truth(tmp_path):
    """A classified catalogue and its truth, 30 objects in 4 classes."""
    rows = [(i, 10.0 + 13 * i, 20.0 + 7 * (i % 5), 1 + i % 4) for i in range(30)]
    pred, truth = tmp_path / "pred.csv", tmp_path / "truth.csv"
    pred.write_text("id,x,y,class_pred,prob_1,prob_2,prob_3,prob_4\n" + "".join(
        f"{i},{x},{y},{c},{','.join('0.7' if k == c else '0.1' for k in range(1, 5))}\n" for i, x, y, c in rows))
    truth.write_text("id,x,y,class\n" + "".join(f"{i},{x},{y},{1 + (c + i // 7) % 4}\n" for i, x, y, c in rows))
    return pred, truth


def test_evaluate_into_a_log_says_its_catalogue_first(tmp_path):
    """`evaluate classified.ecsv -r truth.ecsv > log 2>&1` was silent (report ~23 s, loaded machine) before its first
    bootstrap line: its line was said at a terminal only. report's own read-first line was taken back: its pre-read
    refused a report without a reference (Grad-CAM of the model alone) and said the folder's notes twice."""
    pred, truth = _pred_and_truth(tmp_path)
    runs = {"evaluate": ["-o", str(tmp_path / "ev"), "--no-science"]}
    for verb, out in runs.items():
        res = runner.invoke(app, [verb, str(pred), "-r", str(truth), "--bootstrap", "10", *out])
        assert res.exit_code == 0, res.output
        lines = timed_lines(res.stderr)
        assert lines and lines[0].startswith(f"{verb}: {pred}, 30 rows: pairing with the references"), res.stderr
        assert lines[1].startswith("bootstrap ("), lines


def test_report_into_a_log_says_its_catalogue_and_references_first(tmp_path):
    """`report classified.ecsv -r truth.ecsv -o DIR > log 2>&1` was silent ~23 s (loaded machine) before its first
    section: its line was said at a terminal only. The line is now said by the page builder after its own read of
    the catalogue (a pre-read in the command line refused a report of no reference, and was taken back)."""
    pred, truth = _pred_and_truth(tmp_path)
    res = runner.invoke(app, ["report", str(pred), "-r", str(truth), "--bootstrap", "10", "-o",
                              str(tmp_path / "r.html")])
    assert res.exit_code == 0, res.output
    lines = timed_lines(res.stderr)
    assert lines and lines[0] == (f"report: {pred}, 30 rows, against {truth}: pairing with the references, "
                                  "bootstrapping and drawing the report's sections ..."), res.stderr
    assert lines[1].startswith("bootstrap ("), lines
    quiet = runner.invoke(app, ["report", str(pred), "-r", str(truth), "--bootstrap", "10", "-o",
                                str(tmp_path / "q" / "q.html"), "--no-progress"])
    assert quiet.exit_code == 0 and "pairing with the references" not in quiet.stderr, quiet.stderr


def test_the_report_builder_reads_the_catalogue_once_and_then_says_it(tmp_path, monkeypatch, caplog):
    """build_report reads the catalogue itself, says the line, and hands the table to the evaluation."""
    import logging

    import starclass.evaluate.compare as compare
    import starclass.report.build as build

    pred, truth = _pred_and_truth(tmp_path)
    reads: list[str] = []
    real = compare.load_catalog

    def counted_read(obj, *args, **kwargs):
        reads.append(str(obj))
        return real(obj, *args, **kwargs)

    monkeypatch.setattr(compare, "load_catalog", counted_read)
    monkeypatch.setattr(build, "load_catalog", counted_read)
    caplog.set_level(logging.INFO, logger="starclass.progress")
    build.build_report(str(pred), [str(truth)], tmp_path / "r", n_boot=0,
                       science=False)
    assert reads.count(str(pred)) == 1, reads
    said = [r.getMessage() for r in caplog.records if r.name == "starclass.progress"]
    assert said and said[0].startswith(f"report: {pred}, 30 rows, against {truth}: "), said


def test_a_report_with_nothing_to_compare_says_its_error_first(tmp_path):
    """The builder's check comes before its line: a catalogue with no reference and no class_ref is refused first."""
    pred, _ = _pred_and_truth(tmp_path)
    res = runner.invoke(app, ["report", str(pred), "-o", str(tmp_path / "r.html")])
    assert res.exit_code == 2, res.output
    assert res.output.strip().splitlines()[0].startswith("error: no reference given"), res.output
    assert not (tmp_path / "r.html").exists()


def test_evaluate_and_report_refused_by_their_catalogue_say_the_error_first(tmp_path):
    """The line comes after the catalogue is read and checked: a refused command's first line is its error."""
    pred, truth = _pred_and_truth(tmp_path)
    ragged = tmp_path / "ragged.csv"
    ragged.write_text(pred.read_text() + "99,1.0,2.0,1,0.7\n")
    for verb, out in {"evaluate": tmp_path / "ev", "report": tmp_path / "r.html"}.items():
        res = runner.invoke(app, [verb, str(ragged), "-r", str(truth), "-o", str(out)])
        assert res.exit_code == 2, res.output
        assert res.output.strip().splitlines()[0].startswith("error:"), res.output
        assert not out.exists()


def test_calibrate_says_each_wait_before_its_bar(tmp_path, single_thread):
    """calibrate said its first line, then nothing for 11-17 s on a loaded machine (3,000 rows of a simulated field:
    torch 5 s, cutting the stamps 4 s, the model and the check of its training rows 2 s) until the classification's
    count. The stamps being cut and the model being loaded and checked are each said now, in that order, before it."""
    from conftest import write_toy_held_out
    from starclass.learn.config import get_preset

    cfg = get_preset("legus4-compact", stamp_size=16, scales=[1.0])
    write_toy_held_out(cfg, tmp_path, 40, seed=21)
    model = write_untrained_model(tmp_path / "model", cfg, seed=0)
    held = tmp_path / "held.ecsv"
    res = runner.invoke(app, ["calibrate", str(model), str(tmp_path / "mos"), "--catalog", str(held), "--device", "cpu",
                              "--overwrite"])
    assert res.exit_code == 0, res.output
    lines = timed_lines(res.stderr)
    first_count = next(i for i, line in enumerate(lines) if re.search(r": 0 of \d+ ", line))
    assert lines[:first_count] == [
        f"calibrate: reading the held-out rows and loading model {model} ...",
        f"calibrate: cutting the stamps of 40 rows of {held} from {len(cfg.bands)} bands ...",
        f"calibrate: loading model {model} and checking its training rows against the 40 held-out rows ...",
    ], res.stderr
    # --no-progress: none of them
    res = runner.invoke(app, ["calibrate", str(model), str(tmp_path / "mos"), "--catalog", str(held), "--device", "cpu",
                              "--overwrite", "--no-progress"])
    assert res.exit_code == 0 and not timed_lines(res.stderr) and "calibrate: " not in res.stderr, res.output
