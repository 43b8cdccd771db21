"""What a trained model is, in words: ``starclass info MODEL``.

An astronomer handed a model directory needs to know which task and classes it answers, which
networks it holds, whether they stand on ImageNet weights or were trained from scratch, what
was frozen, how long they trained, and how their probabilities are calibrated and decided,
without reading ``manifest.json`` and the member files by hand.
"""

from __future__ import annotations

import os
from pathlib import Path

from starclass.errors import StarclassError, counted, figure, model_word, recorded, shell_word

__all__ = ["is_model_path", "model_summary", "cv_folder_summary", "FEW_VALIDATION_ROWS", "few_validation_rows"]

#: Under this many validation rows train and info say how few rows the validation accuracy rests on.
#: At 30 rows the binomial standard error of an accuracy near 0.7 is 0.08 (a 95% interval of about
#: +-0.17), and one row more or less right moves it by 0.033; below that a difference of 0.1 between
#: two models is within chance (a fine-tune on 20 labels printed 0.667 and 0.500 from 3 rows, unqualified).
FEW_VALIDATION_ROWS = 30


def is_model_path(path: str | os.PathLike) -> bool:
    """Whether ``path`` looks like a starclass model: a directory with ``manifest.json`` (or the
    member checkpoints of an unfinished training), the manifest itself, or a member ``.pt`` file.

    Examples
    --------
    >>> is_model_path("no/such/dir")
    False
    """
    p = Path(path)
    if p.is_dir():
        # checkpoints without a manifest: a training stopped before its end, which model_summary names
        # (it was read as a folder of catalogues: "no catalogue could be read in m")
        return (p / "manifest.json").is_file() or any(p.glob("member_*.pt"))
    # .joblib/.pkl: a baseline's file, which load_model refuses with a message saying what it is
    # (info read it as an ASCII table: "UnicodeDecodeError")
    return p.is_file() and (p.name == "manifest.json" or p.suffix.lower() in (".pt", ".pth", ".joblib", ".pkl"))


def few_validation_rows(n_val: int | None) -> str:
    """How few rows a validation accuracy rests on, in words; empty from :data:`FEW_VALIDATION_ROWS` rows up.

    Parameters
    ----------
    n_val : int or None
        The validation rows (None or 0: no such figure; nothing is said).

    Returns
    -------
    str
        ``"only N validation rows (too few to trust: one row moves the accuracy by 1/N)"``, or ``""``.

    Examples
    --------
    >>> few_validation_rows(3)
    'only 3 validation rows (too few to trust: one row moves the accuracy by 0.333)'
    >>> few_validation_rows(500)
    ''
    """
    if not n_val or n_val >= FEW_VALIDATION_ROWS:
        return ""
    return (f"only {counted(int(n_val), 'validation row')} (too few to trust: one row moves the accuracy by "
            f"{1 / int(n_val):.3f})")


def _start(ck: dict) -> str:
    src = ck.get("init_weights")
    if src is None:
        # member files written before 2026-12-03 did not record it
        return "initial weights not recorded (trained before starclass recorded them)"
    src = str(src)
    if src.startswith("imagenet:"):
        return f"started from ImageNet weights ({src[len('imagenet:'):]})"
    if src.startswith("model:"):
        return f"fine-tuned from the model {src[len('model:'):]}"
    return "trained from scratch (random initial weights)"


def _not_frozen(cfg, ck: dict) -> str:
    """``, the N layer(s) asked to be frozen NOT frozen (...)`` for a member that froze none it was asked to.

    ``train`` freezes layers only over weights that hold something and says so on stderr; ``info`` showed
    such a member (``open-globular``'s VGG16 without ImageNet weights) as "trained from scratch" only, as
    if the task had asked for no frozen layers. Empty for members that asked for none, and for member files
    that did not record their initial weights (written before 2026-12-03: nothing is known then).

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> _not_frozen(get_preset("open-globular"), {"member": 0, "init_weights": "scratch", "frozen_layers": 0})
    ', the 10 layers asked to be frozen NOT frozen (no pretrained weights to freeze)'
    >>> _not_frozen(get_preset("cool-core"), {"member": 0, "init_weights": "scratch", "frozen_layers": 0})
    ''
    """
    if ck.get("init_weights") is None:
        return ""
    try:
        options = cfg.member(int(ck.get("member") or 0))["arch_options"]
    except StarclassError:  # a member index the task does not have: nothing to compare with
        return ""
    asked = int(options.get("frozen_layers", 0) or 0)
    if not asked:
        return ""
    return f", the {counted(asked, 'layer')} asked to be frozen NOT frozen (no pretrained weights to freeze)"


def _description(cfg) -> str:
    """`` (description)`` of a model's task; a task file's inherited one says what the file changed.

    A task file that extends a preset without a ``description`` of its own keeps the preset's:
    ``info`` called an X-ray-only ResNet-18 (``extends: galaxy-cluster``, ``bands: [xray]``,
    ``architecture: resnet18``) "X-ray + optical, small CNN". The stored task is left as it is
    (the description is part of what a resumed training compares); only the line says more.
    """
    if not cfg.description:
        return ""
    if cfg.preset_name is None:
        from starclass.learn.config import get_preset, preset_descriptions

        base = next((n for n, d in preset_descriptions().items() if d == cfg.description), None)
        if base is not None:
            mine, theirs = cfg.to_dict(), get_preset(base).to_dict()
            changed = [k for k in mine if k not in ("name", "description") and mine[k] != theirs.get(k)]
            if changed:
                return (f" (a task of its own: preset {base} with its {', '.join(changed)} changed; {base}: "
                        f"{cfg.description})")
    return f" ({cfg.description})"


def _task_lines(cfg) -> list[str]:
    """The classes and inputs of a task, as ``info`` says them of a model and of a task file."""
    names = list(cfg.class_names or [])
    classes = ", ".join(f"{c} {names[i]}" if i < len(names) and names[i] else str(c)
                        for i, c in enumerate(cfg.classes))
    from starclass.schema import label_map_words

    # a folder's labels (m31-real: cluster, extended_cluster, galaxy) as the classes they are read as: the task's
    # class 2 is 'non-cluster', its folder's label 'galaxy', and nothing here joined the two
    words = label_map_words(cfg.classes, cfg.class_names, cfg.label_map)
    return [f"  classes (output order of prob_<k>): {classes}",
            *([f"  labels read as classes (label_map): {words}"] if words else []),
            f"  bands: {', '.join(map(str, cfg.bands))}; stamps {cfg.stamp_size} px, scales "
            f"{list(cfg.scales)}, normalisation {cfg.normalisation}; network input "
            f"{cfg.input_size or cfg.stamp_size} px, {counted(cfg.n_channels, 'channel')}"]


def task_summary(given: str | os.PathLike) -> list[str]:
    """Lines describing a task (a preset's name or a task file): classes, inputs, network, recipe.

    ``starclass info mine.yaml`` refused a task file as "not a catalogue", and a preset's name as no
    such file, though ``info`` describes a model's task in these words.

    Parameters
    ----------
    given : str or path-like
        A preset name or a task file (YAML or JSON), as ``--task`` takes it.

    Returns
    -------
    list of str
        Text lines for ``starclass info``.

    Raises
    ------
    starclass.errors.StarclassError
        Not a task (the message names the file and the key, as ``--task`` does).

    Examples
    --------
    >>> lines = task_summary("m31-real")
    >>> lines[0].startswith("task 'm31-real' (preset; Real PAndAS"), lines[1]
    (True, '  classes (output order of prob_<k>): 1 cluster, 2 non-cluster')
    """
    from starclass.learn.config import PRESETS, load_config

    cfg = load_config(given)
    what = "preset" if str(given).lower() in PRESETS and not Path(given).is_file() else f"task file {given}"
    desc = _description(cfg)
    head = (f"task {cfg.name!r} ({what}; {desc[2:]}" if desc else f"task {cfg.name!r} ({what})")
    members = cfg.members()
    archs: dict[str, int] = {}
    for m in members:
        archs[m["architecture"]] = archs.get(m["architecture"], 0) + 1
    r = cfg.recipe
    merged = {k: v for k, v in cfg.merge.items() if int(k) != int(v)}
    lines = [head, *_task_lines(cfg)]
    if merged:
        lines.append("  reference classes merged: " + ", ".join(f"{k} -> {v}" for k, v in merged.items()))
    if cfg.threshold is not None:
        lines.append(f"  decision: class {cfg.positive_class} when its probability >= {figure(cfg.threshold)}")
    lines += [f"  network: {counted(len(members), 'member')} ({', '.join(f'{n} {a}' for a, n in archs.items())})",
              f"  recipe: up to {counted(r.epochs, 'epoch')}, batch {r.batch_size}, {r.optimizer} lr {r.lr:g}, "
              f"validation {r.val_fraction:g} ({r.split} split"
              + (f", whole {cfg.group_column} groups of a cutout folder)" if cfg.group_column else ")"),
              f"  train it: starclass train --task {given} ... (see starclass train --help)"]
    return lines


def model_summary(path: str | os.PathLike) -> list[str]:
    """Lines describing a trained model: task, classes, inputs, members, training, decision.

    Parameters
    ----------
    path : str or path-like
        Model directory from ``starclass train``, its ``manifest.json``, or one member file.

    Returns
    -------
    list of str
        Text lines for ``starclass info``.

    Raises
    ------
    starclass.errors.StarclassError
        Not a readable starclass model (names the file).

    Examples
    --------
    >>> model_summary("no/such/model")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: model no/such/model does not exist
    """
    from starclass.learn.checkpoint import load_model

    lm = load_model(path, "cpu")
    cfg = lm.config
    lines = [f"model {model_word(path)}: task {cfg.name!r}" + _description(cfg), *_task_lines(cfg)]
    from starclass.learn.provenance import describe_flags

    # classify compares the flags it is given with these (and warns): the user needs to see them
    tc = lm.training_cutouts
    if tc is not None:
        # classify --stamps warns of cutouts of another size than these: the user needs to see them, and a
        # model trained on cutouts has no pixel flags to record (its line alone said "not recorded")
        if tc.get("field_arcsec"):
            # recorded from their FITS WCS: the field, not the pixel count, is what classify compares then
            f = float(tc["field_arcsec"])
            across = f"{f / 60:.3g}'" if f >= 120 else f'{f:.3g}"'
            lines.append(f"  training cutouts: {tc['height']} x {tc['width']} px over {across} (FITS WCS), "
                         f"{counted(tc['channels'], 'channel')} (classify --stamps warns of cutouts over another "
                         "field)")
        else:
            lines.append(f"  training cutouts: {tc['height']} x {tc['width']} px, {counted(tc['channels'], 'channel')} "
                         "(classify --stamps warns of cutouts of another size)")
    else:
        lines.append(f"  pixel flags of the training stamps: {describe_flags(lm.pixel_flags)}")
    fields = _training_fields_line(path)
    if fields is not None and (tc is None or "not recorded" not in fields):
        # what survey reads to mark a field the model learnt from: info said nothing of it, nor of a fold
        # model's (train --cv), whose fields differ fold by fold
        lines.append(fields)
    archs: dict[str, int] = {}
    params: dict[str, int] = {}  # of the first member of each architecture
    for ck, net in zip(lm.checkpoints, lm.members):
        arch = str(ck.get("architecture"))
        archs[arch] = archs.get(arch, 0) + 1
        params.setdefault(arch, sum(p.numel() for p in net.parameters()))
    # per architecture: phangs4's line gave member 1's ResNet18 (11 M) for an ensemble whose
    # VGG19-BN members have 140 M each
    sizes = (f"{next(iter(params.values())) / 1e6:.2f} M parameters in member 1" if len(params) == 1 else
             "M parameters per member: " + ", ".join(f"{a} {params[a] / 1e6:.2f}" for a in params))
    lines.append(f"  members: {len(lm.members)} ({', '.join(f'{n} {a}' for a, n in archs.items())}); {sizes}")
    from starclass.learn.checkpoint import FINAL_VAL_BALANCED_ACCURACY

    for p, ck in zip(lm.paths, lm.checkpoints):
        frozen = int(ck.get("frozen_layers", 0) or 0)
        acc = ck.get("final_val_acc")
        # soft targets (--label-model soft, dawid-skene): the expected agreement with the vote
        # distributions, not a share of rows right (0.292 on 16 rows is no k/16)
        soft = " (expected agreement with the soft targets)" if ck.get("label_model") in ("soft", "dawid-skene") else ""
        n_val = ck.get("n_val")
        bal = ck.get(FINAL_VAL_BALANCED_ACCURACY)
        # the balanced accuracy beside it, as train prints it (members written before 2026-12-07 lack it)
        bal_txt = f", balanced accuracy {bal:.3f}" if isinstance(bal, float) and bal == bal else ""
        # "on 3 rows" said the count but not that it is too few: 0.667 read as a measured figure
        few = few_validation_rows(n_val) if n_val is not None else ""
        acc_txt = (f"validation accuracy {acc:.3f}{soft} on "
                   + (few or counted(int(n_val), "row") if n_val is not None else "rows not recorded") + bal_txt
                   if isinstance(acc, float) and acc == acc else "no validation split")
        head = f"    {p.name}: {recorded(ck.get('architecture'))}, seed {recorded(ck.get('seed'))}, "
        if ck.get("epoch") == 0:
            # a model built and written without training (write_untrained_model): it has nothing else to say, and
            # "kept epoch None, trained on None (None, None)" was printed for it
            lines.append(head + "not trained (random weights, 0 epochs)")
            continue
        how = ", ".join(str(v) for v in (ck.get("device"), ck.get("precision")) if v is not None)
        lines.append(
            head + _start(ck)
            + (f", first {counted(frozen, 'convolution')} frozen" if frozen else _not_frozen(cfg, ck))
            + "; " + (counted(ck["epoch"], "epoch") if ck.get("epoch") is not None else "epochs not recorded")
            + f", kept epoch {recorded(ck.get('best_epoch'))}, {acc_txt}, "
            + (f"trained on {counted(ck['n_train'], 'row')}" if ck.get("n_train") is not None
               else "training rows not recorded")
            + (f" ({how})" if how else ""))
    if cfg.threshold is not None:
        lines.append(f"  decision: class {cfg.positive_class} when its probability >= {figure(cfg.threshold)}, "
                     "else the other class")
        tuned = getattr(lm, "tuned_threshold", None)
        if tuned and tuned.get("threshold") is not None and float(tuned["threshold"]) == float(cfg.threshold):
            from starclass.learn.classify import threshold_source

            # a stored threshold named as classify names it, with train's warning of too few rows
            from starclass.schema import class_labels

            named = class_labels(cfg.classes, cfg.class_names)
            counts = tuned.get("class_counts") or {}
            per_class = (f"; per class {', '.join(f'{named.get(int(c), c)}: {k}' for c, k in counts.items())}"
                         if counts else "")
            lines[-1] += f" ({threshold_source(cfg, None, tuned)}{per_class})"
            if tuned.get("caution"):
                lines.append(f"  WARNING: {tuned['caution']}")
    else:
        lines.append("  decision: the most probable class (class_pred: the members' mode)")
    cal = lm.calibration
    if cal:
        what = (f"temperature {cal['temperature']:.3f}" if cal.get("method") == "temperature"
                else str(cal.get("method")))
        counts = cal.get("class_counts") or {}
        from starclass.schema import class_labels

        # named as train's counts and evaluate name them ("1 (cluster): 4"); bare numbers before
        named = class_labels(cfg.classes, cfg.class_names)
        per_class = (f"; per class {', '.join(f'{named.get(int(c), c)}: {k}' for c, k in counts.items())}"
                     if counts else "")
        # a record before n and source were kept (or edited by hand) said "fitted on None rows (None; ...)": the
        # rows themselves are kept (labels), and a missing source is said as such
        n = cal.get("n", len(cal["labels"]) if isinstance(cal.get("labels"), list) else None)
        rows = counted(int(n), "row") if isinstance(n, int) else "rows (how many not recorded)"
        lines.append(f"  calibration: {what} fitted on {rows} "
                     f"({recorded(cal.get('source'), 'source not recorded')}{per_class})")
        # which TTA modes it holds: classify --tta applies the map fitted under TTA, where there is one
        tta = cal.get("with_tta")
        if isinstance(tta, dict):
            tta_what = (f"temperature {tta['temperature']:.3f}" if tta.get("method") == "temperature"
                        else str(tta.get("method")))
            lines.append(f"  calibrations held: without TTA (above) and under TTA, {tta_what} on the same rows "
                         "averaged over the 8 rotations/flips (classify --tta applies it)")
        else:
            lines.append("  calibrations held: without TTA only (fitted before 2026-12-05, or on stamps that are not "
                         "square); "
                         "classify --tta leaves its probabilities raw, with a warning: refit with 'starclass "
                         "calibrate --overwrite'")
        # the same words train and calibrate printed when it was fitted: too few rows, and a
        # temperature at an end of its search (info said neither)
        from starclass.learn.calibration import ModelCalibration

        held = ModelCalibration.from_dict(cal, f"model {model_word(path)}")
        # and the fit under TTA at an end of its search, as calibrate now says it (classify --tta alone did)
        tta_bound = held.tta_bound_caution()
        lines += [f"  WARNING: {c}" for c in held.cautions(list(cfg.class_names)) + ([tta_bound] if tta_bound else [])]
    else:
        lines.append(f"  calibration: none; {lm.no_calibration}")
    return lines


def _training_fields_line(path: str | os.PathLike) -> str | None:
    """The line of ``info MODEL`` naming the fields the model learnt from (its manifest's ``training_fields``).

    None where no manifest is at hand (a member file alone).

    Examples
    --------
    >>> import tempfile
    >>> from starclass.learn.checkpoint import set_training_fields, write_manifest
    >>> from starclass.learn.config import get_preset
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = write_manifest(d, get_preset("m31-real"), [{"file": "member_01.pt"}])
    >>> _training_fields_line(d).startswith("  training fields: not recorded")
    True
    >>> _ = set_training_fields(d, [([], d / "south.ecsv")])
    >>> _training_fields_line(d)  # doctest: +ELLIPSIS
    '  training fields (survey marks them: not held out): catalogue .../south.ecsv'
    """
    from starclass.learn.checkpoint import MANIFEST, read_manifest, trained_fields

    p = Path(path)
    manifest = p / MANIFEST if p.is_dir() else p if p.name == MANIFEST else p.parent / MANIFEST
    if not manifest.is_file():
        return None
    rec = trained_fields(read_manifest(manifest))
    if rec is None:
        return ("  training fields: not recorded (trained on stamp stores, in Python, or before 2026-12-07): a "
                "survey cannot tell which of its fields this model learnt from")

    def one(f: dict) -> str:
        folders = sorted({str(Path(m).parent) for m in f.get("mosaics") or []})
        where = f" (mosaics in {', '.join(folders)})" if folders else ""
        return f"catalogue {recorded(f.get('catalog'))}{where}"

    return f"  training fields (survey marks them: not held out): {'; '.join(one(f) for f in rec) or 'none'}"


def _cv_asked_line(asked: dict, done: list[str], unfinished: list[str]) -> str:
    """What an unfinished cross-validation was asked for (its ``cv_folds.json``) and which folds are done.

    Examples
    --------
    >>> asked = {"scheme": 3, "task": "m31-real", "folds": ["1", "2", "3"]}
    >>> print(_cv_asked_line(asked, ["fold_1"], ["fold_2"]))  # doctest: +NORMALIZE_WHITESPACE
    asked for a 3-fold cross-validation of task 'm31-real' (cv_folds.json): 1 of 3 folds done (fold_1);
    fold_2 started; fold_3 not started
    """
    from starclass.learn.crossval import _safe, _scheme_words

    try:
        what = _scheme_words(asked["scheme"])
    except (TypeError, ValueError):
        what = f"a cross-validation ({asked['scheme']!r})"
    names = [f"fold_{_safe(n)}" for n in asked["folds"]]
    done_here = [n for n in names if n in done]
    parts = [f"{len(done_here)} of {len(names)} folds done" + (f" ({', '.join(done_here)})" if done_here else "")]
    begun = [n for n in names if n in unfinished]
    if begun:
        parts.append(f"{', '.join(begun)} started")
    left = [n for n in names if n not in done and n not in unfinished]
    if left:
        parts.append(f"{', '.join(left)} not started")
    task = repr(asked["task"]) if asked.get("task") else "not recorded"
    return f"asked for {what} of task {task} (cv_folds.json): " + "; ".join(parts)


def cv_folder_summary(path: str | os.PathLike) -> list[str] | None:
    """What a cross-validation folder (``train --cv``) holds, in words; None for any other path.

    The task, the folds and their models, the pooled and per-fold metrics of ``cv_summary.json``
    (or that it is not there yet: an unfinished run, resumed by the same command) and the tables
    to read next.

    Examples
    --------
    >>> cv_folder_summary("no/such/dir") is None
    True
    """
    p = Path(path)
    # before the import: learn.checkpoint loads torch, and info asks this of every catalogue and folder
    # it reads; without a fold_* folder or cv_folds.json no folder is a cross-validation one
    if not p.is_dir() or not ((p / "cv_folds.json").is_file()
                              or any(f.name.startswith("fold_") and f.is_dir() for f in p.iterdir())):
        return None
    import json

    from starclass.learn.checkpoint import MANIFEST, cv_fold_models
    from starclass.schema import FOLD

    started = cv_fold_models(path, started=True)
    asked = None
    if started or (p / "cv_folds.json").is_file():
        from starclass.learn.crossval import read_cv_folds

        asked = read_cv_folds(p)
    if not started and asked is None:
        return None
    folds = [f for f in started if (f / MANIFEST).is_file()]
    unfinished = [f.name for f in started if f not in folds]
    if folds:
        lines = [f"cross-validation folder {p} (train --cv): {counted(len(folds), 'fold model')}, "
                 f"{folds[0].name} .. {folds[-1].name}, each trained without its fold's rows; no model of its own"]
    else:
        # stopped in its first fold: the folder was read as one of catalogues ("no catalogue could be read")
        lines = [f"cross-validation folder {p} (train --cv): no fold model yet; no model of its own"]
    if unfinished:
        lines.append(f"  {', '.join(unfinished)}: training did not finish (checkpoints, no {MANIFEST})")
    try:
        doc = json.loads((p / "cv_summary.json").read_text())
    except (OSError, ValueError):
        doc = None
    if not isinstance(doc, dict) or unfinished:
        if asked is not None:
            # stopped before its summary: it said neither how many folds were asked for nor which were left
            lines.append("  " + _cv_asked_line(asked, [f.name for f in folds], unfinished))
        lines.append("  the cross-validation has not finished (no cv_summary.json): rerun the same starclass "
                     "train command to resume it")
        # the tables are written with cv_summary.json, at the end: they were named though not there
        if folds:
            lines.append(f"  one finished fold's model: starclass info {shell_word(folds[0])}")
        return lines
    scheme = doc.get("scheme")
    # --cv fold's folds are a column's: "fold-fold" was said of them
    split = ("leave one galaxy (field) out" if scheme == "logo" else
             f"the ready-made folds of a {FOLD!r} column" if scheme == FOLD else f"{scheme}-fold")
    positive = doc.get("positive_class")
    # named as the table of classes names it ("positive class 1" of cluster vs non-cluster); summaries before 2026-12-05
    # record no names
    names = dict(zip(doc.get("classes") or [], doc.get("class_names") or []))
    shown = f"{positive} ({names[positive]})" if positive in names else f"{positive}"
    # a task of three classes or more has no positive class: "positive class None" was printed for it
    said = f", positive class {shown}" if positive is not None else ""
    lines.append(f"  task {repr(doc['task']) if doc.get('task') else 'not recorded'}, {split}{said}")
    pooled, mean, std = (doc.get(k) or {} for k in ("pooled", "mean", "std"))
    names = [k for k in ("accuracy", "macro_f1", "purity", "recall", "f1") if pooled.get(k) is not None]
    if names:
        n = pooled.get("n")
        rows = f"{n} held-out rows" if n is not None else "held-out rows (how many not recorded)"
        lines.append(f"  pooled over {rows}: "
                     + ", ".join(f"{k} {pooled[k]:.3f}" for k in names))
    names = [k for k in names if mean.get(k) is not None and std.get(k) is not None]
    if names:
        lines.append("  per fold, mean +- std: " + ", ".join(f"{k} {mean[k]:.3f} +- {std[k]:.3f}" for k in names))
    lines.append(f"  held-out predictions: {p / 'cv_predictions.ecsv'}; per fold: {p / 'cv_metrics.ecsv'}")
    lines.append(f"  one fold's model: starclass info {shell_word(folds[0])}")
    return lines
