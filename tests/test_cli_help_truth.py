"""What ``--help`` says is what the commands do: its lists of choices, its defaults.

Each entry below pairs an option's help with the code that decides: the tuple of values the
command accepts (a help that names only some sends users to the docs, or to guess), or the value
the code falls back on when the option is not given (typer shows nothing for those: the help's
"default ..." is all a user sees). ``cutouts --normalisation`` listed five methods of six (no
``zstd``, which ``--task m31-resnet50`` and docs/seeds.md use).
"""

from __future__ import annotations

import re

import typer

from starclass.cli import app


def _helps() -> dict[tuple[str, str], str]:
    """Every option's help by (command, first option name), its line breaks as spaces."""
    cmd = typer.main.get_command(app)
    return {(name, p.opts[0] if p.opts else p.name): " ".join((getattr(p, "help", None) or "").split())
            for name, sub in cmd.commands.items() for p in sub.params}


def _named(value: str, text: str) -> bool:
    """Whether ``value`` stands in ``text`` as a word of its own (``cam`` is not in ``gradcam``)."""
    return re.search(rf"(?<![\w-]){re.escape(value)}(?![\w-])", text) is not None


def _choices() -> list[tuple[str, str, tuple[str, ...]]]:
    from starclass.explain.run import METHODS as EXPLAIN_METHODS
    from starclass.inspect.schemes import SCHEMES
    from starclass.io.catalog import FORMATS
    from starclass.learn.calibration import CALIBRATION_METHODS
    from starclass.learn.labels import LABEL_MODELS
    from starclass.learn.precision import PRECISIONS
    from starclass.learn.splits import SPLITS
    from starclass.simulate.config import PRESETS as FIELD_PRESETS
    from starclass.simulate.cutouts_m31 import CUTOUT_PRESETS
    from starclass.simulate.seed_presets import SEED_PRESETS
    from starclass.stamps.normalise import METHODS as NORMALISATIONS
    from starclass.suggest.pick import BY
    from starclass.survey.plan import PHOTOMETRY

    return [
        ("cutouts", "--normalisation", NORMALISATIONS),
        ("calibrate", "--method", CALIBRATION_METHODS),
        ("train", "--calibration-method", CALIBRATION_METHODS),
        ("train", "--precision", tuple(PRECISIONS)),
        ("classify", "--precision", tuple(PRECISIONS)),
        ("train", "--split", SPLITS),
        ("train", "--label-model", LABEL_MODELS),
        ("suggest", "--by", BY),
        ("explain", "--method", EXPLAIN_METHODS),
        ("info", "--format", FORMATS),
        ("inspect", "--scheme", tuple(SCHEMES)),
        ("survey", "--photometry", PHOTOMETRY),
        ("simulate", "--preset", (*FIELD_PRESETS, *CUTOUT_PRESETS, *SEED_PRESETS)),
    ]


def test_each_list_of_choices_in_a_help_names_every_value_the_code_accepts():
    helps = _helps()
    missing = {}
    for command, option, values in _choices():
        text = helps[(command, option)]
        left_out = [v for v in values if not _named(v, text)]
        if left_out:
            missing[f"{command} {option}"] = left_out
    assert not missing, missing
