"""What ``--help`` says is what the commands do: its lists of choices, its defaults.

Each entry below pairs an option's help with the code that decides: the tuple of values the
command accepts (a help that names only some sends users to the docs, or to guess), or the value
the code falls back on when the option is not given (typer shows nothing for those: the help's
"default ..." is all a user sees). ``cutouts --normalisation`` listed five methods of six (no
``zstd``, which ``--task m31-resnet50`` and docs/seeds.md use).
"""

from __future__ import annotations

import re

import pytest
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
        # not a choice, but what it applies: it said "the model's temperature" of every calibration
        ("classify", "--calibration", CALIBRATION_METHODS),
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


def _stated_defaults() -> list[tuple[str, str, str]]:
    """(command, option, the words its help must hold), the numbers taken from the code that falls back on them."""
    from starclass.inspect.schemes import SCHEMES
    from starclass.simulate import preset
    from starclass.simulate.coolcore import CoolCoreSimConfig
    from starclass.simulate.cutouts_m31 import CutoutSimConfig
    from starclass.simulate.star_clusters_dss import DSSSimConfig
    from starclass.simulate.xray_candidates import CandidateSimConfig
    from starclass.stamps.inputs import InputSpec
    from starclass.survey.batch import BatchSpec
    from starclass.survey.plan import DEFAULT_OVERLAP, SurveyPlan

    hst, spec, plan = preset("hst", seed=0), InputSpec(), SurveyPlan(fields=())
    batch = BatchSpec("slurm")
    seed_configs = {"cool-core": CoolCoreSimConfig(), "galaxy-cluster": CandidateSimConfig(),
                    "open-globular": DSSSimConfig()}
    return [
        ("simulate", "--size", f"default {hst.shape[0]}"),
        *[("simulate", "--size", f"{name} {cfg.size}") for name, cfg in seed_configs.items()],
        ("simulate", "--n", f"pandas-cutouts: default {CutoutSimConfig().n}"),
        *[("simulate", "--n", f"{name} {cfg.n}") for name, cfg in seed_configs.items()],
        ("simulate", "--n-candidates", f"default {hst.n_candidates}"),
        ("simulate", "--humans", f"default {hst.n_humans}"),
        ("simulate", "--distance", f"{hst.distance_mpc:g} for hst"),
        # it gave an example of five bands and no default: the preset's, which differ (m31: g, i)
        ("simulate", "--bands", f"hst {','.join(hst.bands)}, m31 {','.join(preset('m31', seed=0).bands)}"),
        ("simulate", "--galaxy", f"hst: {hst.galaxy}"),
        ("simulate", "--volunteers", f"default {seed_configs['galaxy-cluster'].volunteers}"),
        ("cutouts", "--size", f"default {spec.stamp_size}"),
        ("cutouts", "--normalisation", f"default {spec.normalisation}"),
        ("cutouts", "--softening-mag", f"or {spec.softening_mag:g}"),
        ("survey", "--tile-size", f"the plan's, else {plan.tile_size}"),
        ("survey", "--overlap", f"max({DEFAULT_OVERLAP}, stamp)"),
        ("survey", "--photometry", f"else {plan.photometry}"),
        ("survey", "--retries", f"the plan's, else {plan.retries}"),
        # where dask-jobqueue's configuration gives none (survey.batch.configured_sizes)
        ("survey", "--cores", f"configuration, else {batch.cores}"),
        ("survey", "--memory", f"configuration, else {batch.memory}"),
        ("survey", "--walltime", f"configuration, else {batch.walltime}"),
        ("survey", "--threads-per-worker", f"default {batch.threads_per_worker}"),
        ("inspect", "--cluster-cut", f"m31-check: default {SCHEMES['m31-check'].cluster_cut}"),
    ]


def test_the_defaults_a_help_states_are_the_codes():
    helps = _helps()
    wrong = [f"{command} {option}: says {helps[(command, option)]!r}, the code's default is {words!r}"
             for command, option, words in _stated_defaults() if words not in helps[(command, option)]]
    assert not wrong, "\n".join(wrong)


def test_the_commands_that_score_a_cutout_folder_against_a_model_state_its_label_column_default():
    # classify, calibrate and explain read a cutout folder's labels through model_label_column: the
    # model's training column (train --label-column) first, else label. calibrate said "label" only.
    helps = _helps()
    wrong = [command for command in ("classify", "calibrate", "explain")
             if not re.search(r"the column the model was trained on \(?train --label-column\)?,? else label",
                              helps[(command, "--label-column")])]
    assert not wrong, {c: helps[(c, "--label-column")] for c in wrong}


#: One thing, one option name: every command with an option spelt any of these ways accepts the name
#: on the left (the other spellings kept as aliases, so that no script breaks). evaluate, explain and
#: report took only -o/--out, demo --outdir, where the other commands take --output; inspect took only
#: --catalogue, where calibrate, classify, cutouts and train take --catalog.
ONE_NAME = {"--output": {"-o", "--out", "--outdir", "--output"}, "--catalog": {"--catalog", "--catalogue"}}


def test_one_thing_has_one_option_name_in_every_command():
    cmd = typer.main.get_command(app)
    lacking = []
    for name, sub in cmd.commands.items():
        for param in sub.params:
            spellings = {*param.opts, *param.secondary_opts}
            lacking += [f"{name} {'/'.join(param.opts)}: no {canon}" for canon, names in ONE_NAME.items()
                        if spellings & names and canon not in spellings]
    # the stamp side: train --stamp-size, cutouts --size (simulate's and demo's --size is a field's side)
    size = next(p for p in cmd.commands["cutouts"].params if "--size" in p.opts)
    if "--stamp-size" not in size.opts:
        lacking.append("cutouts --size: no --stamp-size")
    # -m is --mosaics wherever mosaics are an option (train, suggest; report took only --mosaics)
    lacking += [f"{name} --mosaics: no -m" for name, sub in cmd.commands.items() for p in sub.params
                if "--mosaics" in p.opts and "-m" not in p.opts]
    # the calibration method: train --calibration-method, calibrate --method (explain's --method is another thing)
    method = next(p for p in cmd.commands["calibrate"].params if "--method" in p.opts)
    if "--calibration-method" not in method.opts:
        lacking.append("calibrate --method: no --calibration-method")
    assert not lacking, lacking


def test_the_output_option_is_listed_and_named_as_output_in_every_command():
    """The help lists --output first (it listed --out, --outdir), and the messages name that one."""
    cmd = typer.main.get_command(app)
    first = {name: p.opts[0] for name, sub in cmd.commands.items() for p in sub.params
             if {*p.opts} & ONE_NAME["--output"]}
    assert first and set(first.values()) == {"--output"}, first


def test_evaluate_names_its_output_option_as_the_help_lists_it(tmp_path):
    from typer.testing import CliRunner

    pred = tmp_path / "pred.ecsv"
    pred.write_text("# %ECSV 1.0\n# ---\n# datatype:\n# - {name: id, datatype: int64}\n"
                    "# - {name: x, datatype: float64}\n# - {name: y, datatype: float64}\n"
                    "# - {name: class_pred, datatype: int16}\n# - {name: class_ref, datatype: int16}\n"
                    "id x y class_pred class_ref\n1 1.0 1.0 1 1\n")
    r = CliRunner().invoke(app, ["evaluate", str(pred), "-r", "self", "-o", str(pred)])
    # an input given as the output folder: it said '--out ...', an option the help now lists second
    assert r.exit_code == 2 and f"--output {pred}" in r.output, r.output


@pytest.mark.parametrize("command", ["evaluate", "report"])
@pytest.mark.parametrize("radius", ["0", "-1", "nan"])
def test_a_radius_that_is_not_positive_is_refused_naming_the_option(command, radius, tmp_path, monkeypatch):
    # the help says "matching radius in pixels"; the refusal said "matching radius must be ...", naming
    # no option of either command, and came after the catalogues were read
    from astropy.table import Table
    from typer.testing import CliRunner

    monkeypatch.chdir(tmp_path)
    Table({"id": [1, 2], "x": [1.0, 9.0], "y": [1.0, 9.0], "class_pred": [1, 2], "class_ref": [1, 2],
           "prob_1": [0.9, 0.2], "prob_2": [0.1, 0.8]}).write("pred.ecsv")
    r = CliRunner().invoke(app, [command, "pred.ecsv", "-r", "pred.ecsv", "--radius", radius, "-o", "out"])
    assert r.exit_code == 2, r.output
    assert "--radius must be a positive number of pixels" in r.output and not (tmp_path / "out").exists()


def test_a_commands_help_keeps_no_line_break_of_its_docstring_inside_a_paragraph():
    # typer's rich help keeps single line breaks and wraps each piece: `detect --help` showed
    # "... CI =" / "m(1px) - m(3px)," / "MCI (apertures ..." at 80 columns
    cmd = typer.main.get_command(app)
    broken = {name: [p for p in (sub.help or "").split("\n\n") if "\n" in p.strip()]
              for name, sub in cmd.commands.items()}
    assert not any(broken.values()), {k: v for k, v in broken.items() if v}
    assert "CI = m(1px) - m(3px), MCI" in cmd.commands["detect"].help


def test_demo_labels_other_than_the_two_its_help_names_are_refused_naming_the_option(tmp_path):
    # the help: "Train on 'truth' or on the simulated 'humans' consensus"; --labels human was refused
    # as "labels must be 'truth' or 'humans'", a name the command line does not have
    from typer.testing import CliRunner

    r = CliRunner().invoke(app, ["demo", "-o", str(tmp_path / "d"), "--labels", "human"])
    assert r.exit_code == 2, r.output
    assert "--labels must be truth or humans, got 'human'" in r.output and not (tmp_path / "d").exists()


def test_every_option_of_a_length_in_pixels_says_so():
    # sizes, radii, FWHMs and margins are pixels in every command; train --input-size said no unit
    cmd = typer.main.get_command(app)
    silent = [f"{name} {p.opts[0]}" for name, sub in cmd.commands.items() for p in sub.params
              if p.opts and re.search(r"(size|radius|fwhm|overlap|min-map)$", p.opts[0])
              and "batch" not in p.opts[0] and not re.search(r"\bpx\b|pixel", p.help or "")]
    assert not silent, silent


def test_every_command_and_function_that_classifies_in_batches_has_one_default_batch_size():
    # calibrate --batch-size defaulted to 256 and classify's to 512, as did CNNClassifier and
    # predict_inputs (256) against classify, suggest and the survey plan (512): the number of
    # candidates a trained model scores at a time is one thing, defined once in the schema
    import inspect

    from starclass.cli.train_cmd import tune_threshold
    from starclass.learn.calibration import calibrate_model, calibration_probabilities, fit_model_calibration
    from starclass.learn.classify import classify, predict_inputs
    from starclass.learn.crossval import cross_validate
    from starclass.learn.cutouts import classify_cutouts
    from starclass.learn.estimator import CNNClassifier
    from starclass.schema import INFERENCE_BATCH_SIZE
    from starclass.suggest.pick import classified
    from starclass.survey.plan import SurveyPlan

    cmd = typer.main.get_command(app)
    defaults = {f"{name} --batch-size": p.default for name in ("classify", "calibrate")
                for p in cmd.commands[name].params if "--batch-size" in p.opts}
    for f in (calibrate_model, calibration_probabilities, fit_model_calibration, classify, predict_inputs,
              cross_validate, classify_cutouts, CNNClassifier, classified, tune_threshold):
        defaults[f.__qualname__] = inspect.signature(f).parameters["batch_size"].default
    defaults["SurveyPlan.batch_size"] = SurveyPlan(fields=()).batch_size
    helps = _helps()
    # tune_threshold (train --target-purity) classifies the validation rows: it kept 256
    assert len(defaults) == 13 and set(defaults.values()) == {INFERENCE_BATCH_SIZE}, defaults
    # the two other --batch-size options say they are other things
    assert "gradient step" in helps[("train", "--batch-size")] and "memory only" in helps[("cutouts", "--batch-size")]


def _cli_table() -> list[tuple[list[str], set[str], str]]:
    """docs/cli.md's rows: (the option's spellings, the commands, the meaning there)."""
    from pathlib import Path

    rows = []
    for line in (Path(__file__).parents[1] / "docs" / "cli.md").read_text().splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| `") and len(cells) == 4:
            rows.append((re.findall(r"`(-[\w-]+)`", cells[0]), {c.strip() for c in cells[1].split(",")}, cells[2]))
    return rows


def _spellings() -> dict[str, dict[str, object]]:
    """Every option spelling any command takes -> {command: its parameter}."""
    cmd = typer.main.get_command(app)
    out: dict[str, dict[str, object]] = {}
    for name, sub in cmd.commands.items():
        for p in sub.params:
            if getattr(p, "param_type_name", "") == "option":
                for spelling in {*p.opts, *p.secondary_opts}:
                    out.setdefault(spelling, {})[name] = p
    return out


def test_docs_cli_says_what_every_option_name_two_commands_share_means_in_each():
    # --threshold (detect: a S/N; classify: a probability), --by (evaluate, report: a column to split by;
    # suggest: a ranking score), -m (--mosaics; explain's --method) and --labels (a votes table; demo: a
    # word) each meant two things, written down nowhere. A command that takes a shared name, or shares a
    # new one, fails here until docs/cli.md says what it means there.
    rows = _cli_table()
    spellings = _spellings()
    missing = [f"{s} {c}" for s, by in spellings.items() if len(by) > 1 for c in by
               if not any(s in names and c in commands for names, commands, _ in rows)]
    assert not missing, f"not in docs/cli.md: {missing}"
    # and nothing there that the commands do not take (a row's first spelling is what its commands take)
    wrong = [f"{names[0]} {c}" for names, commands, _ in rows for c in commands
             if c not in spellings.get(names[0], {})]
    assert not wrong, f"docs/cli.md lists what the command does not take: {wrong}"


def test_a_name_with_two_meanings_says_in_each_help_which_it_is():
    helps = _helps()
    assert "S/N" in helps[("detect", "--threshold")] and "probability" in helps[("classify", "--threshold")]
    assert "ranked by" in helps[("suggest", "--by")] and "Split the metrics" in helps[("evaluate", "--by")]
    assert "-m is --method" in helps[("explain", "--method")]
    assert "not a votes table" in helps[("demo", "--labels")]


#: Options whose default differs between the commands that share them, and why (docs/cli.md says each).
#: A command that adds one of the shared options with another default fails below until it is here.
DEFAULTS_DIFFER = {
    "--output": "an output folder or page by default in evaluate, report and demo; a named output elsewhere",
    "--out": "--output's other spelling",
    "--calibration-method": "train: the task's recipe.calibration (temperature unless the task file says); calibrate "
                            "temperature",
    "--seed": "each command seeds its own draws (a field, the members, the stamps drawn)",
    "--task": "train and demo train a preset by default; the others read the task from a model or catalogue",
    "--label-column": "class_ref on a catalogue (train, calibrate); a model's column of label strings elsewhere",
    "--distance": "demo's 10 is simulate's hst preset's, which simulate takes from the preset",
    "--epochs": "train takes the recipe's; demo its own short run",
    "--n-candidates": "simulate's None is its preset's 3000, demo's 3000",
    "--size": "demo's 2048 is simulate's default field; cutouts' --size is a stamp's side",
    "--target-purity": "train stores no threshold unless asked; evaluate always reports one",
    "--threshold": "two meanings (docs/cli.md)", "--by": "two meanings", "--labels": "two meanings",
    "--method": "two meanings", "--batch-size": "three meanings: one default for classifying, INFERENCE_BATCH_SIZE",
    "--magsys": "survey's None keeps the plan's magsys (else vega), as its other plan settings; info's None is "
                "vega, and refused where no FITS mosaics are read",
}


def test_an_option_that_several_commands_share_has_one_default_unless_listed():
    spellings = _spellings()
    differ = {s: {c: p.default for c, p in by.items()} for s, by in spellings.items()
              if s.startswith("--") and len(by) > 1 and len({repr(p.default) for p in by.values()}) > 1}
    assert set(differ) <= set(DEFAULTS_DIFFER), {s: differ[s] for s in set(differ) - set(DEFAULTS_DIFFER)}


@pytest.mark.parametrize("option, value", [("--precision", "fp16"), ("--device", "tpu")])
def test_train_and_classify_refuse_a_bad_shared_option_in_the_same_words(option, value, tmp_path):
    # train said "--precision: recipe.amp='fp16': use one of ...", classify "--precision='fp16': use one of ..."
    from typer.testing import CliRunner

    absent = str(tmp_path / "absent")
    said = {}
    for command in (["train", "-m", absent, "-c", absent + ".ecsv", "-o", str(tmp_path / "m")],
                    ["classify", absent, "-c", absent + ".ecsv", "--model", absent, "-o", str(tmp_path / "p.ecsv")]):
        r = CliRunner().invoke(app, [*command, option, value])
        assert r.exit_code == 2, r.output
        said[command[0]] = r.output.strip()
    assert said["train"] == said["classify"] and said["train"].startswith(f"error: {option}"), said
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_every_command_with_device_refuses_a_bad_one_in_the_same_words_before_any_work(tmp_path):
    # suggest passed --device tpu to torch when it loaded the model: RuntimeError traceback ("Expected one
    # of cpu, cuda, ... device type at start of device string: tpu") after the catalogue was read
    from typer.testing import CliRunner

    absent = str(tmp_path / "absent")
    said = {}
    for command in (["train", "-m", absent, "-c", absent + ".ecsv", "-o", str(tmp_path / "m")],
                    ["classify", absent, "-c", absent + ".ecsv", "--model", absent, "-o", str(tmp_path / "p.ecsv")],
                    ["calibrate", absent, "--stamps", absent + ".csv"],
                    ["suggest", absent, absent + ".ecsv", "-o", str(tmp_path / "s.ecsv")]):
        r = CliRunner().invoke(app, [*command, "--device", "tpu"])
        assert r.exit_code == 2, r.output
        said[command[0]] = r.output.strip()
    assert len(set(said.values())) == 1 and said["train"].startswith("error: --device"), said
    assert sorted(p.name for p in tmp_path.iterdir()) == []


def test_a_value_of_a_names_other_meaning_is_told_so_in_the_message(tmp_path):
    # 9d182ea: explain -m mosaics/ says -m is --mosaics elsewhere; the other names with two meanings said only
    # 'no column 'margin' (--by) in ...' (evaluate --by margin, suggest's ranking score), "--by 'field': use one
    # of entropy, ..." (suggest --by COLUMN, evaluate's), '--threshold 5.0 must be between 0 and 1 (a
    # probability)' (classify --threshold 5, detect's S/N)
    from astropy.table import Table
    from typer.testing import CliRunner

    from starclass.errors import StarclassError
    from starclass.learn.classify import decision_threshold
    from starclass.learn.config import get_preset

    out = tmp_path / "out.ecsv"
    Table({"id": [1, 2], "x": [1.0, 2.0], "y": [1.0, 2.0], "class_pred": [1, 2], "class_ref": [1, 2]}).write(out)
    r = CliRunner().invoke(app, ["evaluate", str(out), "--by", "margin", "-o", str(tmp_path / "ev")])
    assert r.exit_code == 2 and "'margin' is a score that suggest --by ranks candidates by" in r.output, r.output
    r = CliRunner().invoke(app, ["suggest", str(tmp_path / "m"), str(out), "--by", "field",
                                 "-o", str(tmp_path / "s.ecsv")])
    assert r.exit_code == 2 and "a column to split metrics by is evaluate's and report's --by" in r.output, r.output
    with pytest.raises(StarclassError, match="a signal-to-noise is detect's --threshold"):
        decision_threshold(get_preset("m31-real"), 5.0)
    # demo --labels humans.ecsv (train's and suggest's --labels is a votes table)
    r = CliRunner().invoke(app, ["demo", "--labels", "humans.ecsv", "-o", str(tmp_path / "d")])
    assert r.exit_code == 2 and "a table of people's votes is train's and suggest's --labels" in r.output, r.output
    assert not (tmp_path / "d").exists()


def test_simulate_size_help_states_the_smallest_sizes_the_code_takes(tmp_path):
    """``simulate --size 32`` was refused 'at least 64', a limit its help did not state; nor the seed
    presets' 32 px. The numbers the help gives are the code's: one less is refused, they pass."""
    from typer.testing import CliRunner

    from starclass.errors import StarclassError
    from starclass.simulate import preset
    from starclass.simulate.coolcore import CoolCoreSimConfig
    from starclass.simulate.star_clusters_dss import DSSSimConfig
    from starclass.simulate.xray_candidates import CandidateSimConfig

    text = _helps()[("simulate", "--size")]
    stated = [int(v) for v in re.findall(r"at least (\d+)", text)]
    assert len(stated) == 2, text  # the field's, then the seed presets' cutout side
    field_min, cutout_min = stated
    r = CliRunner().invoke(app, ["simulate", str(tmp_path / "f"), "--size", str(field_min - 1)])
    assert r.exit_code == 2 and f"--size must be at least {field_min}" in r.output, r.output
    preset("hst", shape=(field_min, field_min)).validate()
    for config in (CoolCoreSimConfig, CandidateSimConfig, DSSSimConfig):
        with pytest.raises(StarclassError, match="--size must be >= "):
            config(size=cutout_min - 1)
        config(size=cutout_min)


def test_every_command_that_classifies_has_a_progress_switch():
    """calibrate classifies its held-out rows as classify does, with no bar and no --progress/--no-progress;
    explain computed its maps (minutes for a few hundred stamps on a CPU) with neither."""
    cmd = typer.main.get_command(app)
    lacking = [name for name in ("classify", "calibrate", "suggest", "cutouts", "train", "explain")
               if not any("--progress" in p.opts and "--no-progress" in p.secondary_opts
                          for p in cmd.commands[name].params)]
    assert not lacking, lacking


def test_every_survey_option_a_plan_can_set_says_the_plan_gives_its_default():
    """``survey --tile-size`` said "(default 2048)", ``--retries`` "(default 2)", ``--overlap`` "default max(64, stamp)"
    and ``--mask-extension``/``--dq-good-bits``/``--mask-file`` "Default: not applied" (the words every command shares),
    where the plan's tile_size, retries, overlap, mask_extension ... apply when the option is not given
    (``SurveyPlan.with_options`` keeps the plan's value for an option left out)."""
    from starclass.survey.plan import PLAN_KEYS, SurveyPlan

    helps = _helps()
    options = [(key, f"--{key.replace('_', '-')}") for key in PLAN_KEYS]
    taken = [(key, option) for key, option in options if ("survey", option) in helps]
    assert len(taken) >= 9, taken  # the plan keys survey takes as options (model, task, tile_size, ...)
    plan = SurveyPlan(fields=(), tile_size=512, retries=5, mask_extension="BPM")
    kept = plan.with_options(**{key: None for key, _ in taken})
    assert (kept.tile_size, kept.retries, kept.mask_extension) == (512, 5, "BPM")  # the plan's, the option left out
    silent = {option: helps[("survey", option)] for _, option in taken if "the plan's" not in helps[("survey", option)]}
    assert not silent, silent


def test_inspect_stamps_help_says_a_later_run_takes_the_recorded_task():
    """``inspect --stamps`` said "Needs --task", while ``--task`` said "(default: the database's)": a list served once
    (its task recorded by the first, --init run) is served and exported again without --task
    (``inspect_cmd._recorded_task``); --init records the task of --task, else of the list's labels
    (``inspect_cmd._labels_task``; until 2026-12-07 --init needed --task, and --init --add-user recorded none)."""
    helps = _helps()
    assert "default: the database's" in helps[("inspect", "--task")]
    stamps = helps[("inspect", "--stamps")]
    assert "--init records the task of --task, else of the list's own labels" in stamps, stamps
    assert "later runs take the recorded task" in stamps, stamps


def test_simulate_outdir_help_says_what_a_cutout_preset_writes(tmp_path):
    """OUTDIR's help named a field's files alone (<galaxy>_<band>.fits, truth.ecsv): a user of --preset cool-core
    read of no labels.csv, the file simulate's next: line and train --stamps take (walked 2026-12-07)."""
    from starclass.simulate.labelled import OWN_NAMES

    (help_,) = [" ".join(p.help.split()) for p in typer.main.get_command(app).commands["simulate"].params
                if p.name == "outdir"]
    assert all(name in help_ for name in OWN_NAMES), help_  # labels.csv, images, simulation.json
    assert "truth.ecsv" in help_, help_  # and a field's, as before


def test_precision_is_said_in_one_wording_by_train_and_classify():
    """``classify --help`` said "bf16 (bfloat16, fast on CPUs with AMX)" where ``train --help`` said "bf16 (bfloat16 on
    any device: on CPUs with bfloat16 units 1.0x to 5.4x as fast, by network)": one option, two descriptions. The
    two now share every word before their own default."""
    helps = _helps()
    said = {name: helps[(name, "--precision")] for name in ("train", "classify")}
    before_default = {name: text.split(" Default:")[0] for name, text in said.items()}
    assert all(" Default:" in text for text in said.values()), said
    assert before_default["train"] == before_default["classify"], said
    # what it defines: every precision by name, and the factor measured (docs/training.md, Precision)
    assert all(_named(p, before_default["train"]) for p in ("auto", "fp32", "bf16")), said
    assert "1.0x to 5.4x" in before_default["train"], said
