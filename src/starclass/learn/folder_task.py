"""Whether a labelled cutout folder can be of a model's task: one check for every command that reads both.

A ``cool-core`` model (classes 1-3) run on a ``galaxy-cluster`` folder took the folder's cluster /
non-cluster labels 1 and 2 as cool-core classes 1 and 2 without a word (explain, classify --stamps,
calibrate, report, train --resume-from). :func:`check_folder_task` says so: an error when the
folder's labels are strings the task does not know at all (none of them a key of its ``label_map``
or one of its class names), a warning when the folder records another task
(``simulation.json`` of ``starclass simulate --preset``) whose numbers merely fit the model's classes.
"""

from __future__ import annotations

import json
import os
import warnings
from pathlib import Path
from typing import Any

from starclass.errors import StarclassError, model_word
from starclass.schema import label_key

#: What ``starclass simulate --preset`` writes beside a cutout folder's ``labels.csv``: its ``preset``
#: names the folder's task.
SIMULATION_JSON = "simulation.json"


def recorded_folder_task(source: str | os.PathLike) -> str | None:
    """The task a cutout folder records it was made for, else None.

    Parameters
    ----------
    source : str or os.PathLike
        The folder's CSV (``labels.csv``) or the folder.

    Returns
    -------
    str or None
        The ``preset`` of the folder's ``simulation.json`` when it names a task preset.

    Examples
    --------
    >>> import json, pathlib, tempfile
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (d / "simulation.json").write_text(json.dumps({"preset": "galaxy-cluster"}))
    >>> recorded_folder_task(d / "labels.csv")
    'galaxy-cluster'
    >>> import shutil; shutil.rmtree(d)
    """
    from starclass.learn.config import list_presets

    src = Path(source)
    folder = src if src.is_dir() else src.parent
    try:
        info = json.loads((folder / SIMULATION_JSON).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None  # no record (a folder of one's own), or not one simulate wrote: nothing to say
    preset = info.get("preset") if isinstance(info, dict) else None
    # simulate's field presets (hst, ...) are no task: only a task preset names the folder's task
    return preset.lower() if isinstance(preset, str) and preset.lower() in list_presets() else None


def _family(name: str) -> str:
    """The preset a preset extends first of all (``galaxy-cluster-compact`` -> ``galaxy-cluster``)."""
    from starclass.learn.config import PRESETS, _read_mapping

    seen: list[str] = []
    key = name.lower()
    while key in PRESETS and key not in seen:
        seen.append(key)
        base = _read_mapping(PRESETS.path(key)).get("extends")
        if not isinstance(base, str):
            break
        key = base.lower()
    return key


def same_task_family(folder_task: str, config: Any) -> bool:
    """Whether a model of task ``config`` may read a folder made for preset ``folder_task``.

    Two presets are of one family when they extend one base (``galaxy-cluster-compact`` reads a
    ``galaxy-cluster`` folder); a task file of one's own (not a preset), when its bands are the
    preset's (a five-class task file ``extends: galaxy-cluster`` reads its folder's ``expert`` column).

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> same_task_family("galaxy-cluster", get_preset("galaxy-cluster-compact"))
    True
    >>> same_task_family("galaxy-cluster", get_preset("cool-core"))
    False
    """
    from starclass.learn.config import get_preset, list_presets

    name = str(getattr(config, "name", "") or "").lower()
    if name in list_presets():
        return _family(name) == _family(folder_task)
    theirs = [b.lower() for b in get_preset(folder_task).bands]
    return [str(b).lower() for b in getattr(config, "bands", [])] == theirs


def other_task_note(recorded: str | None, config: Any) -> str | None:
    """Why a model of task ``config`` does not fit data recorded as made for task ``recorded``, else None.

    None when nothing is recorded, when the record names no preset (a task file of one's own: nothing to
    compare), or when both are of one family (:func:`same_task_family`).

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> other_task_note("galaxy-cluster", get_preset("cool-core"))
    "made for task 'galaxy-cluster' (classes 1 (cluster), 2 (non-cluster))"
    >>> other_task_note("cool-core", get_preset("cool-core-compact")) is None
    True
    """
    from starclass.learn.config import get_preset, list_presets

    if not isinstance(recorded, str) or recorded.lower() not in list_presets():
        return None
    if same_task_family(recorded, config):
        return None
    theirs = get_preset(recorded)
    named = ", ".join(f"{c} ({n})" for c, n in zip(theirs.classes, theirs.class_names))
    return f"made for task {recorded.lower()!r} (classes {named})"


def _known(label: str, config: Any) -> bool:
    """Whether the task reads ``label``: a class number, a label_map key or one of its class names."""
    try:
        float(label)
        return True  # a number: whether it is a class of the task is label_classes' check
    except ValueError:
        pass
    from starclass.io.cutout_folders import case_twin_label

    label_map = getattr(config, "label_map", None) or {}
    keys = {label_key(k) for k in label_map}
    names = {label_key(n) for n in (getattr(config, "class_names", None) or [])}
    # 'Cluster' for a map of 'cluster' is read as it (io.cutout_folders.mapped_label)
    return label_key(label) in keys or label_key(label) in names or case_twin_label(label, label_map) is not None


def check_folder_task(source: str | os.PathLike, labels: Any, config: Any, *, model: str | os.PathLike,
                      column: str = "label", chosen: bool = False) -> None:
    """Refuse or warn of a cutout folder that cannot be of the model's task.

    Parameters
    ----------
    source : str or os.PathLike
        The folder's CSV or folder (named in the message).
    labels : sequence of str or None
        The folder's labels as read (None: an unlabelled folder, only its recorded task is checked).
    config : starclass.learn.config.TaskConfig
        The model's task.
    model : str or os.PathLike
        The model (named in the message).
    column : str
        The label column read (named in the message).
    chosen : bool
        The column was named by the user (``--label-column``) to a command that needs no labels
        (classify, explain): its strings are theirs to read, and those the task does not know are
        warned of where they are mapped (``label_classes(allow_unknown=True)``), not refused here.

    Raises
    ------
    StarclassError
        When every label is a string the task does not know (not a key of its ``label_map`` nor a
        class name): the folder is of another task. Numbers that fit the model's classes, in a folder
        that records another task, give a warning instead.

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> check_folder_task("gc/labels.csv", ["cluster", "galaxy"], get_preset("m31-real"), model="m")
    >>> try:
    ...     check_folder_task("og/labels.csv", ["open", "globular"], get_preset("m31-real"), model="m")
    ... except StarclassError as e:
    ...     print(str(e)[:72])
    og/labels.csv: its labels ('globular', 'open') in column 'label' are not
    """
    task = str(getattr(config, "name", "") or "the model's")
    folder_task = recorded_folder_task(source)
    other = other_task_note(folder_task, config) is not None
    of_folder = (f"; the folder was made for task {folder_task!r} (its {SIMULATION_JSON}): use a model of that task"
                 if other else "")
    seen = sorted({str(v).strip() for v in labels if str(v).strip()}) if labels is not None else []
    classes = ", ".join(f"{c} ({n})" for c, n in zip(config.classes, config.class_names))
    if seen and not chosen and not any(_known(v, config) for v in seen):
        shown = ", ".join(repr(v) for v in seen[:6]) + (", ..." if len(seen) > 6 else "")
        label_map = getattr(config, "label_map", None) or {}
        knows = (f"its label_map knows {', '.join(sorted(label_map))}" if label_map
                 else "it has no label_map: it reads class numbers or its class names")
        from starclass.io.cutout_folders import wrapped_labels_hint

        known = list(label_map) + list(getattr(config, "class_names", None) or [])
        if wrapped := wrapped_labels_hint(source, seen, known):
            # cutouts/data/cluster/: 'data' read as the one label, and "the folder is of another task"
            raise StarclassError(f"{source}: its labels ({shown}) are not those of task {task!r} of model "
                                 f"{model_word(model)} "
                                 f"(classes {classes}; {knows}){wrapped}")
        raise StarclassError(
            f"{source}: its labels ({shown}) in column {column!r} are not those of task {task!r} of model "
            f"{model} (classes {classes}; {knows}): the folder is of another task{of_folder}, or give "
            "--label-column the column of this task's labels")
    if other:
        assert folder_task is not None
        from starclass.learn.config import get_preset

        theirs = get_preset(folder_task)
        named = ", ".join(f"{c} ({n})" for c, n in zip(theirs.classes, theirs.class_names))
        taken = (f": its labels {', '.join(seen)} are taken as classes of task {task!r} ({classes}), not as "
                 f"those of {folder_task!r} ({named})" if seen else "")
        warnings.warn(f"{source}: a folder made for task {folder_task!r} (its {SIMULATION_JSON}), read by model "
                      f"{model} of task {task!r}{taken}; use a model of task {folder_task!r}, or ignore this if "
                      "the folder's labels are this task's classes", UserWarning, stacklevel=2)
