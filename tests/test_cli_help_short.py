"""Every option's --help text is short (details live in docs/); the facts a user needs stay.

``train --help`` gave --task 362 characters and --resume-from 428 (``simulate --preset`` 671):
a wall of text per option. Each is now at most 300, with the rest in the docs it names.
"""

from __future__ import annotations

import re

import typer

from starclass.cli import app

#: The most characters one option's help may hold.
MAX_HELP = 300


def _helps() -> dict[tuple[str, str], str]:
    cmd = typer.main.get_command(app)
    return {(name, p.opts[0] if p.opts else p.name): getattr(p, "help", None) or ""
            for name, sub in cmd.commands.items() for p in sub.params}


def test_every_option_help_is_short():
    long = {k: len(h) for k, h in _helps().items() if len(h) > MAX_HELP}
    assert not long, long


def test_the_shortened_helps_keep_what_a_user_needs():
    h = _helps()
    task = h[("train", "--task")]
    assert "'extends: m31-real'" in task and "label_map" in task and "docs/real_images.md" in task
    resume = h[("train", "--resume-from")]
    assert "--init-from" in resume and "calibration is not kept" in resume and "starclass calibrate" in resume
    model = h[("train", "--label-model")]
    assert all(w in model for w in ("mode", "soft", "dawid-skene", "annotators.ecsv"))
    cv = h[("train", "--cv")]
    assert all(w in cv for w in ("logo", "cv_metrics.ecsv", "cv_predictions.ecsv", "cv_summary.json"))
    preset = h[("simulate", "--preset")]
    for name in ("hst", "ngc1566", "ngc7793w", "ngc5474", "ngc1433", "ngc628c", "m31", "pandas-cutouts",
                 "cool-core", "galaxy-cluster", "open-globular", "docs/simulator.md"):
        assert name in preset, name


def test_the_command_list_shows_each_summary_without_the_docstrings_line_breaks():
    # typer's rich command list shows short_help, else the help's first paragraph *with* its line
    # breaks: `starclass --help` printed info's summary as "... a folder of" / "catalogues (one ..."
    cmd = typer.main.get_command(app)
    broken = {}
    for name, sub in cmd.commands.items():
        shown = (sub.short_help or sub.help or "").split("\n\n")[0]
        if "\n" in shown.strip():
            broken[name] = shown
    assert not broken, broken
    # the summary is the docstring's first paragraph, whole
    info = cmd.commands["info"]
    assert info.short_help.startswith("Summarise a catalogue") and info.short_help.endswith("reported 0-based.")


def test_inspect_help_says_where_stamps_put_the_database_and_what_they_export():
    # `inspect --help` gave --db "default DATA_DIR/inspect.sqlite" and --export ".ecsv, .fits, .parquet,
    # .csv" only: with --stamps (no DATA_DIR) the database goes beside the list, and the export must be
    # a CSV (any other name is refused)
    h = _helps()
    assert "--stamps: inspect.sqlite beside the list" in h[("inspect", "--db")]
    assert "--stamps: a .csv that train --stamps reads" in h[("inspect", "--export")]


def test_every_overwrite_help_says_what_happens_without_it():
    # evaluate said "Replace an existing output folder's older results as a whole." and explain "Replace an
    # existing output folder.": whether the folder is kept or refused without it was left to guess, where
    # the other commands say "without it they are kept"
    silent = {name: h for (name, option), h in _helps().items() if option == "--overwrite"
              and not any(w in h for w in ("without it", "Without it", "kept without it", "the same as --no-resume",
                                           "finished tiles reused"))}
    assert not silent, silent


def test_the_top_level_help_names_every_command():
    # `starclass --help` told what each stage does, but not info, the command a new user needs first
    cmd = typer.main.get_command(app)
    unnamed = [name for name in cmd.commands if not re.search(rf"\b{name}\b", cmd.help)]
    assert not unnamed, unnamed
