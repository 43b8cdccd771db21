"""``classify --stamps`` and ``evaluate`` of its output propose the same ``report`` command.

On a walk through the PAndAS cutouts (2026-12-07) ``classify --stamps`` ended "or as one page with 'starclass
report out.csv --model m --stamps cut -o report'" and ``evaluate out.csv``, of the same file, "next: the same
figures as one page: 'starclass report out.csv'": a page without the gallery of the worst mistakes and Grad-CAM,
though the classification records its model and cutout folder. Both now name the model and the cutouts.
"""

from __future__ import annotations

import shlex
from pathlib import Path

import pytest
from typer.testing import CliRunner

from finetune_setup import folder_inputs, noise_folder, tiny_config  # tests/ is on sys.path under pytest
from starclass.cli import app

pytestmark = pytest.mark.usefixtures("unrendered_figures")  # conftest: figures built, not rendered
runner = CliRunner()


def _report_words(line: str) -> list[str]:
    """The report command of a next: line (quoted in it), as words."""
    quoted = [w for w in shlex.split(line.replace(",", " ")) if w.startswith("starclass report ")]
    assert len(quoted) == 1, line
    return shlex.split(quoted[0])


def _option(words: list[str], flag: str) -> Path | None:
    return Path(words[words.index(flag) + 1]).resolve() if flag in words else None


def test_classify_and_evaluate_of_a_cutout_classification_propose_one_report(tmp_path, monkeypatch):
    import torch

    from starclass.learn.train import fit

    torch.set_num_threads(1)
    cfg = tiny_config()
    listed = noise_folder(tmp_path / "cuts", 24, seed=1)
    x, y = folder_inputs(listed, cfg)
    fit(cfg, x, y, outdir=tmp_path / "m", progress=False, device="cpu")
    (tmp_path / "work").mkdir()
    monkeypatch.chdir(tmp_path / "work")
    res = runner.invoke(app, ["classify", "--stamps", str(listed), "--model", str(tmp_path / "m"), "-o",
                              "out.csv", "--device", "cpu", "--no-progress"])
    assert res.exit_code == 0, res.output
    after_classify = _report_words(next(ln for ln in res.output.splitlines() if ln.startswith("next: ")))
    res = runner.invoke(app, ["evaluate", "out.csv", "--bootstrap", "0", "--no-science", "-o", "ev",
                              "--no-progress"])
    assert res.exit_code == 0, res.output
    after_evaluate = _report_words(next(ln for ln in res.output.splitlines()
                                        if ln.startswith("next: the same figures as one page")))
    assert after_evaluate[:3] == after_classify[:3] == ["starclass", "report", "out.csv"]
    assert _option(after_evaluate, "--model") == _option(after_classify, "--model") == (tmp_path / "m").resolve()
    # classify names the list it was given, evaluate the folder the table records: the same cutouts
    stamps = _option(after_evaluate, "--stamps")
    assert stamps is not None and _option(after_classify, "--stamps") in (stamps, stamps / "labels.csv")
    assert "-o" not in after_classify and "-o" not in after_evaluate  # report's own default page, both


@pytest.mark.parametrize("own_list", [True, False], ids=["labels.csv", "label-sub-folders"])
def test_report_evaluate_proposes_for_a_list_of_some_cutouts_runs_as_printed(tmp_path, monkeypatch, own_list):
    """``classify --stamps test.csv`` (some of a folder's cutouts), then evaluate: its report command, as printed.

    The table recorded the folder alone, so evaluate proposed ``report ... --stamps .``: read through the
    folder's labels.csv (all of its cutouts, not test.csv's), or, a folder of label sub-folders, refused, the
    page lying inside the cutout folder (found by s83fields, 2026-12-07). Now the list classified is recorded
    (``cutout_list``) and proposed.
    """
    import csv

    import torch

    from starclass.learn.train import fit

    torch.set_num_threads(1)
    cfg = tiny_config()
    cut = tmp_path / "cuts"
    listed = noise_folder(cut, 24, seed=2)
    x, y = folder_inputs(listed, cfg)
    fit(cfg, x, y, outdir=tmp_path / "m", progress=False, device="cpu")
    with open(listed, newline="") as fh:
        rows = list(csv.DictReader(fh))
    with open(cut / "test.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows[:8])
    if not own_list:
        listed.unlink()  # read by its label sub-folders
    monkeypatch.chdir(cut)  # the astronomer works in the cutout folder; evaluate's figures land in it
    res = runner.invoke(app, ["classify", "--stamps", "test.csv", "--model", str(tmp_path / "m"), "-o",
                              "out.csv", "--device", "cpu", "--no-progress"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["evaluate", "out.csv", "--bootstrap", "0", "--no-science", "--no-progress"])
    assert res.exit_code == 0, res.output
    words = _report_words(next(ln for ln in res.output.splitlines()
                               if ln.startswith("next: the same figures as one page")))
    res = runner.invoke(app, words[1:])  # as printed
    assert res.exit_code == 0, res.output
    assert (cut / "out_report" / "report.html").is_file()
    # and of the cutouts classified: the folder's labels.csv (all 24) was read too, without a word
    assert _option(words, "--stamps") == (cut / "test.csv").resolve(), words


def test_commands_proposed_after_classifying_a_label_folder_from_inside_it_run_as_printed(tmp_path, monkeypatch):
    """``classify --stamps . -o out.csv`` in a folder of label sub-folders: each proposed command, as printed.

    evaluate's next: line proposed ``starclass report out.csv --model M --stamps .``, which report refused (its
    default out_report/ lies inside the cutout folder, read next time as a label); and ``evaluate out.csv``,
    which classify proposed, wrote evaluation/ there, whose figures the report then read as cutouts. Each is now
    proposed beside the cutouts (``-o ../evaluation``, ``--output ../out_report``) and runs as printed.
    """
    import torch

    from starclass.learn.train import fit

    torch.set_num_threads(1)
    cfg = tiny_config()
    cut = tmp_path / "cuts"
    listed = noise_folder(cut, 24, seed=3)
    x, y = folder_inputs(listed, cfg)
    fit(cfg, x, y, outdir=tmp_path / "m", progress=False, device="cpu")
    listed.unlink()  # read by its label sub-folders
    monkeypatch.chdir(cut)
    res = runner.invoke(app, ["classify", "--stamps", ".", "--model", str(tmp_path / "m"), "-o", "out.csv",
                              "--device", "cpu", "--no-progress"])
    assert res.exit_code == 0, res.output
    line = next(ln for ln in res.output.splitlines() if ln.startswith("next: "))
    proposed = [w for w in shlex.split(line.replace(",", " ")) if w.startswith("starclass evaluate ")]
    assert len(proposed) == 1, line
    res = runner.invoke(app, shlex.split(proposed[0])[1:])  # as printed
    assert res.exit_code == 0, res.output
    words = _report_words(next(ln for ln in res.output.splitlines()
                               if ln.startswith("next: the same figures as one page")))
    assert _option(words, "--stamps") == cut.resolve(), words
    res = runner.invoke(app, words[1:])  # as printed
    assert res.exit_code == 0, res.output
    # nothing but the classification was written among the cutouts: no folder read next time as a label
    assert sorted(p.name for p in cut.iterdir()) == ["cluster", "galaxy", "out.csv"]
    assert (tmp_path / "out_report" / "report.html").is_file()
