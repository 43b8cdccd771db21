"""What evaluation needs to know about a task: its classes, positive class and merges.

Evaluation never guesses the class scheme when the task is known. The task comes, in this
order, from

1. ``--task NAME`` (or ``task=`` in Python): a preset or YAML config read by
   :func:`starclass.learn.config.load_config`; else ``--model MODEL``: the task config saved
   with a trained model (:func:`model_task`);
2. the classified catalogue's ``meta``, written by ``starclass classify`` (keys ``task``,
   ``classes``, ``class_names``, ``positive_class``, ``threshold``, ``eval_merges``,
   ``eval_merges_given``, ``reference_merge`` and ``label_map``; see :meth:`EvalTask.to_meta` and
   :meth:`starclass.learn.config.TaskConfig.eval_merges_meta`);
3. the catalogue's ``prob_<k>`` columns (classes 1..K; a note says the task was inferred);
4. otherwise the PHANGS four classes, as before (with a note).

A task whose classes are exactly 1-4, named as the PHANGS classes or not named
(:func:`phangs_named`), is read as the PHANGS scheme and is also scored on the PHANGS merges
(``12v34``, ``123v4``, ``12_3_4``) and on the PHANGS agreement fractions, unless its config lists
``eval_merges`` (``{}``: none); any other task (four classes of its own names included) is scored on
its own classes only, and on the ``eval_merges`` its config lists.

Reference labels (``class_ref``, ``class_h<k>``) are read in the task's reference scheme and
mapped through its ``merge`` exactly as training maps its labels
(:meth:`starclass.learn.config.TaskConfig.map_classes`); predicted labels (``class_pred``) are
already output classes. Label *strings* (the ``label`` column of a cutout folder, kept by
``starclass classify --stamps``) become reference classes through the task's ``label_map``
first (:meth:`EvalTask.label_classes`), as training turns them.
"""

from __future__ import annotations

import dataclasses
import os
import warnings
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from astropy.table import Table

from starclass.errors import StarclassError, model_word
from starclass.evaluate.metrics import MERGE_TITLES, MERGES
from starclass.learn.config import TaskConfig, load_config
from starclass.schema import CLASS_NAMES, CLASSES, MODEL_PATH, label_key, prob_classes, prob_col, row_name

# re-exported: its home is the core schema module, so that learn (which may not import evaluate) names
# classes the same way
from starclass.schema import class_labels as class_labels


def _all_classes_merge(classes: tuple[int, ...]) -> tuple[str, dict[str, tuple[int, ...]]]:
    return f"{len(classes)}class", {str(k): (k,) for k in classes}


#: Names of the PHANGS / LEGUS classes 1-4: the schema's, the legus4 and phangs4 presets', and the
#: unnamed ``class k`` a task without class_names gets.
_PHANGS_NAMES = (tuple(CLASS_NAMES[c] for c in CLASSES),
                 ("symmetric cluster", "asymmetric cluster", "compact association", "non-cluster"),
                 tuple(f"class {c}" for c in CLASSES))


def phangs_named(class_names: Sequence[str] | None) -> bool:
    """Whether four class names are those of the PHANGS classes (or none are given).

    The PHANGS merges (``12v34``, ``123v4``, ``12_3_4``), agreement fractions and science checks
    are a default for the PHANGS classes, not for any task that happens to number four classes 1-4:
    a task of one's own (cluster, galaxy, star, artefact) was scored on "1+2 vs 3+4", i.e. cluster
    and galaxy against star and artefact, which it never defined.

    Examples
    --------
    >>> phangs_named(None), phangs_named(["symmetric cluster", "asymmetric cluster", "compact association",
    ...                                    "non-cluster"])
    (True, True)
    >>> phangs_named(["cluster", "galaxy", "star", "artefact"])
    False
    """
    if class_names is None:
        return True
    names = tuple(str(n).strip().lower() for n in class_names)
    return any(names == tuple(n.lower() for n in known) for known in _PHANGS_NAMES)


def _is_nan(value: object) -> bool:
    """Whether a cell is a float NaN (a missing value in a numeric column), not text.

    Examples
    --------
    >>> _is_nan(float("nan")), _is_nan(np.float32("nan")), _is_nan("nan"), _is_nan(2.0)
    (True, True, False, False)
    """
    return isinstance(value, (float, np.floating)) and bool(np.isnan(value))

@dataclass(frozen=True)
class EvalTask:
    """The class scheme of a classified catalogue, as evaluation uses it.

    Parameters
    ----------
    name
        Task name ("" when unknown).
    classes
        Output classes (positive integers) in the order of ``prob_<k>``.
    class_names
        One name per class.
    positive_class
        The class that thresholds, purity and binary ROC refer to (None: none declared).
    threshold
        The task's decision threshold on P(positive), if any.
    merges
        Merge name -> {group label -> member classes}. The first entry is always the task's
        own classes (``"4class"`` for PHANGS, ``"2class"`` for a binary task ...).
    reference_map
        Reference class -> output class (empty: identity), the task config's ``merge``.
    source
        Where the task came from ("--task", "--model", "meta", "probabilities" or "default").
    label_map
        Label string -> reference class (the task config's ``label_map``; empty: none).

    Examples
    --------
    >>> t = EvalTask.from_classes((1, 2), positive_class=1)
    >>> list(t.merges), t.positive, t.phangs_like
    (['2class'], 1, False)
    """

    name: str
    classes: tuple[int, ...]
    class_names: tuple[str, ...]
    positive_class: int | None = None
    threshold: float | None = None
    merges: dict[str, dict[str, tuple[int, ...]]] = field(default_factory=dict)
    reference_map: dict[int, int] = field(default_factory=dict)
    source: str = "default"
    label_map: dict[str, int] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if len(self.classes) < 2:
            raise StarclassError(f"task {self.name!r}: needs at least two classes, got {list(self.classes)}")
        if self.positive_class is not None and self.positive_class not in self.classes:
            raise StarclassError(f"task {self.name!r}: positive_class {self.positive_class} "
                                 f"not in {list(self.classes)}")
        for mname, groups in self.merges.items():
            members = [m for g in groups.values() for m in g]
            if sorted(members) != sorted(self.classes):
                raise StarclassError(f"task {self.name!r}: merge {mname!r} must use every class "
                                     f"{list(self.classes)} exactly once, got {groups}")

    # ------------------------------------------------------------------ constructors
    @classmethod
    def from_classes(cls, classes: Sequence[int], *, name: str = "", class_names: Sequence[str] | None = None,
                     positive_class: int | None = None,
                     threshold: float | None = None, eval_merges: Mapping | None = None,
                     reference_map: Mapping | None = None, source: str = "default",
                     label_map: Mapping | None = None) -> EvalTask:
        """A task from its classes; the PHANGS merges for the PHANGS classes 1-4 unless ``eval_merges`` is given.

        The PHANGS merges are the default (``eval_merges`` None) of a task whose classes are 1-4
        and whose names are the PHANGS ones or not given (:func:`phangs_named`); ``eval_merges``
        ``{}`` means no merges, and a four-class task of its own names is scored on its own classes
        and the merges it lists only.

        Examples
        --------
        >>> list(EvalTask.from_classes((1, 2, 3, 4)).merges)
        ['4class', '12v34', '123v4', '12_3_4']
        >>> list(EvalTask.from_classes((1, 2, 3, 4), class_names=["cluster", "galaxy", "star", "artefact"]).merges)
        ['4class']
        >>> list(EvalTask.from_classes((1, 2, 3, 4), eval_merges={}).merges)
        ['4class']
        """
        classes = tuple(int(c) for c in classes)
        phangs = classes == tuple(CLASSES) and eval_merges is None and phangs_named(class_names)
        if class_names is None:
            class_names = [CLASS_NAMES[c] for c in classes] if classes == tuple(CLASSES) else \
                [f"class {c}" for c in classes]
        first, groups = _all_classes_merge(classes)
        merges: dict[str, dict[str, tuple[int, ...]]] = {first: groups}
        if eval_merges:
            for mname, g in eval_merges.items():
                merges[str(mname)] = {str(lab): tuple(int(m) for m in mem) for lab, mem in dict(g).items()}
        elif phangs:
            merges = {k: dict(v) for k, v in MERGES.items()}
        return cls(str(name or ""), classes, tuple(str(n) for n in class_names),
                   None if positive_class is None else int(positive_class),
                   None if threshold is None else float(threshold), merges,
                   {int(k): int(v) for k, v in dict(reference_map or {}).items()}, source,
                   {str(k): int(v) for k, v in dict(label_map or {}).items()})

    @classmethod
    def from_config(cls, cfg: TaskConfig, *, source: str = "--task") -> EvalTask:
        """The evaluation view of a :class:`~starclass.learn.config.TaskConfig`.

        Examples
        --------
        >>> from starclass.learn.config import get_preset
        >>> EvalTask.from_config(get_preset("m31-binary")).positive
        1
        """
        return cls.from_classes(cfg.classes, name=cfg.name, class_names=cfg.class_names,
                                positive_class=cfg.positive_class, threshold=cfg.threshold,
                                eval_merges=getattr(cfg, "eval_merges", None), reference_map=cfg.merge,
                                source=source, label_map=getattr(cfg, "label_map", None))

    @classmethod
    def from_meta(cls, meta: Mapping[str, Any]) -> EvalTask | None:
        """The task recorded by ``starclass classify`` in a table's meta, or None.

        Examples
        --------
        >>> EvalTask.from_meta({"task": "t", "classes": [1, 2, 3]}).classes
        (1, 2, 3)
        """
        classes = meta.get("classes")
        if isinstance(classes, str):  # FITS headers hold lists as comma-separated text
            classes = [c for c in classes.split(",") if c.strip()]
        if not classes:
            return None
        try:
            classes = [int(c) for c in classes]
        except (TypeError, ValueError):
            raise StarclassError(
                f"catalogue meta 'classes' is not a list of integers: {meta.get('classes')!r}") from None
        names = meta.get("class_names")
        if isinstance(names, str):
            names = names.split(",")
        if names is not None and len(names) != len(classes):
            names = None
        merges = meta.get("eval_merges")
        given = meta.get("eval_merges_given")
        if isinstance(given, str):  # a header or a hand-written meta may hold it as text
            given = given.strip().lower() in ("true", "t", "1", "yes")
        # eval_merges_given (since 2026-12-04) tells "none wanted" ({}, given) from "not given"; a file
        # without it (older, or written by hand) held {} for both and is read as before: {} = not given.
        # A meta that lost the merges themselves (a FITS header keeps no dict) is "not given" too.
        if not isinstance(merges, Mapping) or (not merges and not given):
            merges = None
        return cls.from_classes(classes, name=str(meta.get("task", "") or ""), class_names=names,
                                positive_class=meta.get("positive_class"), threshold=meta.get("threshold"),
                                eval_merges=merges,
                                reference_map=meta.get("reference_merge") or None, source="meta",
                                label_map=meta.get("label_map") or None)

    # ------------------------------------------------------------------ properties
    @property
    def phangs_like(self) -> bool:
        """True for the PHANGS four classes (agreement fractions, colour boxes, merges apply).

        Examples
        --------
        >>> EvalTask.from_classes((1, 2, 3, 4)).phangs_like
        True
        >>> EvalTask.from_classes((1, 2, 3, 4), class_names=["cluster", "galaxy", "star", "artefact"]).phangs_like
        False
        """
        return self.classes == tuple(CLASSES) and "12v34" in self.merges

    @property
    def is_binary(self) -> bool:
        """True when the task has two classes (binary ROC, purity and threshold apply).

        Examples
        --------
        >>> EvalTask.from_classes((1, 2)).is_binary, EvalTask.from_classes((1, 2, 3, 4)).is_binary
        (True, False)
        """
        return len(self.classes) == 2

    @property
    def positive(self) -> int | None:
        """The declared positive class; for a binary task without one, its first class.

        Examples
        --------
        >>> EvalTask.from_classes((1, 2), positive_class=2).positive, EvalTask.from_classes((1, 2)).positive
        (2, 1)
        >>> EvalTask.from_classes((1, 2, 3, 4)).positive is None
        True
        """
        if self.positive_class is not None:
            return self.positive_class
        return self.classes[0] if self.is_binary else None

    @property
    def positive_declared(self) -> bool:
        """Whether the task names its positive class (a binary task without one takes its first class).

        Examples
        --------
        >>> EvalTask.from_classes((1, 2), positive_class=1).positive_declared
        True
        >>> t = EvalTask.from_classes((1, 2))
        >>> t.positive_declared, t.positive  # the first class, taken, not declared
        (False, 1)
        """
        return self.positive_class is not None

    def merge_title(self, merge: str) -> str:
        """One line describing a merge (for tables and captions)."""
        if self.phangs_like and merge in MERGE_TITLES:
            return MERGE_TITLES[merge]
        groups = self.merges[merge]
        if list(groups) == [str(k) for k in self.classes]:
            return " / ".join(f"{k} {n}" for k, n in zip(self.classes, self.class_names))
        return " / ".join(groups)

    def selections(self) -> list[tuple[str, tuple[int, ...]]]:
        """Positive selections for the threshold and magnitude studies: (label, member classes).

        PHANGS: clusters 1+2; a task with a positive class: that class; otherwise every class
        against the rest.
        """
        if self.phangs_like:
            return [("1+2", (1, 2))]
        if self.positive is not None:
            return [(str(self.positive), (self.positive,))]
        return [(str(k), (k,)) for k in self.classes]

    # ------------------------------------------------------------------ labels
    def reference_labels(self, labels: np.ndarray, *, what: str = "reference", note: bool = True) -> np.ndarray:
        """Reference classes -> output classes through ``reference_map`` (0 stays 0).

        With ``note`` (the default), a warning when every class of ``labels`` is one of the task's own
        classes and the map collapses two of them
        (:func:`starclass.learn.config.merge_collapse_note`): a binary reference read through
        m31-binary's merge from the PHANGS four.

        Raises
        ------
        StarclassError
            A class the map does not know, naming ``what``, the class and its first row.

        Examples
        --------
        >>> t = EvalTask.from_classes((1, 2), reference_map={1: 1, 2: 1, 3: 1, 4: 2})
        >>> t.reference_labels(np.array([4, 1, 0, 3])).tolist()
        [2, 1, 0, 1]
        """
        labels = np.asarray(labels, dtype=int)
        if not self.reference_map:
            return labels
        unknown = (labels != 0) & ~np.isin(labels, list(self.reference_map))
        if unknown.any():
            row = int(np.flatnonzero(unknown)[0])
            raise StarclassError(f"{what}: class {int(labels[row])} ({row_name(row)}) is not in the reference classes "
                                 f"{sorted(self.reference_map)} of task {self.name!r}")
        from starclass.learn.config import merge_collapse_note

        # a reference already in the task's own classes (binary 1/2 for m31-binary) went through the merge
        # from the PHANGS four, 2 -> 1, and was scored at accuracy 0.5 against itself without a word
        if note and (said := merge_collapse_note(self.reference_map, self.classes, labels, task=self.name,
                                                 what=what, class_names=self.class_names)):
            import warnings

            warnings.warn(said, UserWarning, stacklevel=2)
        out = np.zeros_like(labels)
        for src, dst in self.reference_map.items():
            out[labels == src] = dst
        return out

    def label_classes(self, values: Sequence[str] | np.ndarray, *, what: str = "label column",
                      allow_unknown: bool = False) -> np.ndarray:
        """Label strings -> reference classes through ``label_map``, as training maps them.

        The result is in the reference scheme, so it still goes through
        :meth:`reference_labels` (identity for tasks without a ``merge``). A column of integer
        classes is returned as it is when the task has no ``label_map``.

        Parameters
        ----------
        values
            One label per row (strings). A masked or empty cell, or a missing value's spelling the map does not
            name (``N/A``, ``nan``, ``--``: :data:`starclass.io.cutout_folders.MISSING_LABELS`), is an unlabelled
            row: class 0,
            which evaluation leaves out as it leaves out a catalogue's class 0 (``classify
            --stamps`` classifies a folder labelled in part and writes such rows).
        what
            Names the column in messages (e.g. ``"out.csv column 'label'"``).
        allow_unknown
            A label the map does not know is class 0 too, left out of the scores with a warning naming each such
            label and its rows (``evaluate --label-column``, as ``classify --stamps`` leaves it out of its
            accuracy); False refuses it.

        Returns
        -------
        numpy.ndarray
            int64 reference class per row.

        Raises
        ------
        StarclassError
            A label the map does not know (unless ``allow_unknown``), or a non-integer label without a map,
            naming the row (1 = first data row) and the value.

        Examples
        --------
        >>> t = EvalTask.from_classes((1, 2), label_map={"cluster": 1, "extended_cluster": 1, "galaxy": 2})
        >>> t.label_classes(["galaxy", "extended_cluster", "cluster"]).tolist()
        [2, 1, 1]
        >>> import warnings
        >>> with warnings.catch_warnings(record=True):
        ...     t.label_classes(["galaxy", "star"], allow_unknown=True).tolist()
        [2, 0]
        """
        vals = np.ma.asarray(values)
        mask = np.ma.getmaskarray(vals)
        out = np.empty(vals.shape[0], dtype=np.int64)
        unknown: dict[str, list[int]] = {}  # every unknown label with its rows: named together below
        zeros: list[int] = []  # 0-based rows whose label is 0 with no label_map: "no class"
        missing: list[int] = []  # 0-based rows with no label (empty, masked or NaN)
        from starclass.io.cutout_folders import case_matched_note, case_twin_label, is_missing_label, mapped_label

        cased: dict[tuple[str, str], int] = {}

        keyed = {label_key(k): v for k, v in (self.label_map or {}).items()}
        for i, v in enumerate(vals.data):
            # a NaN is a missing label: pandas writes a numeric column with gaps as floats ('2.0', '')
            lab = "" if mask[i] or _is_nan(v) else str(v).strip()
            # 'N/A', '--', 'null' the map does not name: no label, as classify --stamps reads them (a class named
            # so, 'none' among them, is that class)
            if is_missing_label(lab, self.label_map):
                out[i] = 0
                missing.append(i)
                continue
            if self.label_map:
                if label_key(lab) in keyed:
                    out[i] = keyed[label_key(lab)]  # in one Unicode form, as train matched them
                    continue
                # '2.0' of a numeric column with gaps is the label '2', as train reads it
                key = mapped_label(lab, self.label_map)
                if key is None:
                    unknown.setdefault(lab, []).append(i + 1)
                    out[i] = 0
                    continue
                if key == case_twin_label(lab, self.label_map):
                    cased[(lab, key)] = cased.get((lab, key), 0) + 1  # 'Cluster' for the map's 'cluster'
                out[i] = self.label_map[key]
                continue
            try:
                number = float(lab)
            except ValueError:
                raise StarclassError(f"{what}: row {i + 1} has label {lab!r}, not a class number, and task "
                                     f"{self.name or '(unnamed)'!r} has no label_map, so labels are its classes "
                                     f"{list(self.classes)}; map label strings to classes in a task file "
                                     "(label_map) and give it with --task") from None
            # '2.0' is class 2, as train reads a cutout folder (io.cutout_folders.label_classes); 2.5 is no class
            if not np.isfinite(number) or number != int(number):
                raise StarclassError(f"{what}: row {i + 1} has label {lab!r}, not a whole class number (task "
                                     f"{self.name or '(unnamed)'!r} has no label_map, so labels are its classes "
                                     f"{list(self.classes)})")
            out[i] = int(number)
            if out[i] == 0:
                zeros.append(i)
        import warnings

        from starclass.errors import counted
        from starclass.schema import rows_named

        if cased:
            warnings.warn(f"{what}: {case_matched_note(cased)}", stacklevel=2)
        if missing:
            # a folder labelled in part is scored on its labelled rows, but the count must be said: an empty
            # or NaN label left rows out of every score without a word
            warnings.warn(f"{what}: {counted(len(missing), 'row')} {'has' if len(missing) == 1 else 'have'} no "
                          f"label, left out of the scores: {rows_named(missing, limit=5)}", stacklevel=2)
        if zeros:
            # 0/1 labels: the 0 rows were left out of every score without a word (train and calibrate refuse
            # them since 3b8e3ac); a 0 that means "no label" is still read so, but said
            every = sorted({str(v).strip() for v in vals.compressed() if not _is_nan(v) and str(v).strip()})
            warnings.warn(
                f"{what}: {counted(len(zeros), 'row')} {'has' if len(zeros) == 1 else 'have'} label 0, read as no "
                f"class and left out of the scores ({rows_named(zeros, limit=5).replace(' (', '; ', 1)}: task "
                f"{self.name or '(unnamed)'!r} has no label_map, so labels are its classes {list(self.classes)}; if "
                "0 is a class, map the labels in a task file: label_map: {"
                + ", ".join(f'"{v}": N' for v in every) + "}, each N a class of the task", stacklevel=2)
        if unknown:
            from starclass.io.cutout_folders import unknown_labels_note
            from starclass.learn.config import list_presets

            note = unknown_labels_note(unknown, self.label_map,
                                       preset=self.name if self.name in list_presets() else None,
                                       classes=self.label_targets())
            if allow_unknown:
                # classify --stamps keeps such a row (class_ref 0, left out of its accuracy) and said evaluate
                # would leave it out too, but evaluate --label-column on that output refused it (exit 2)
                warnings.warn(f"{what}: rows with a label task {self.name or '(unnamed)'!r} does not know are left "
                              f"out of every score, as classify --stamps leaves them out of its accuracy{note}",
                              stacklevel=2)
                return out
            lab, rows = next(iter(unknown.items()))
            raise StarclassError(f"{what}: row {rows[0]} has label {lab!r}, which task {self.name!r} does not "
                                 f"know (its label_map: {sorted(self.label_map)})" + note)
        return out

    def label_targets(self) -> dict[int, str]:
        """The classes a ``label_map`` entry may name, each with what it becomes (as the task config's).

        Examples
        --------
        >>> EvalTask.from_classes((1, 2), class_names=["c", "n"], reference_map={1: 1, 2: 1, 3: 2}).label_targets()
        {1: 'c (through merge)', 2: 'c (through merge)', 3: 'n (through merge)'}
        """
        if not self.reference_map:
            return dict(zip(self.classes, self.class_names))
        return {int(src): (f"{self.class_names[self.classes.index(dst)]} (through merge)" if dst in self.classes
                           else "left out (merge: 0)") for src, dst in sorted(self.reference_map.items())}

    def to_meta(self) -> dict[str, Any]:
        """The meta keys ``starclass classify`` writes (JSON/YAML-safe).

        Examples
        --------
        >>> sorted(EvalTask.from_classes((1, 2)).to_meta())  # doctest: +NORMALIZE_WHITESPACE
        ['class_names', 'classes', 'eval_merges', 'eval_merges_given', 'label_map', 'positive_class',
         'reference_merge', 'task', 'threshold']
        >>> t = EvalTask.from_classes((1, 2, 3, 4), eval_merges={})
        >>> list(EvalTask.from_meta(t.to_meta()).merges)
        ['4class']
        """
        extra = {k: {lab: list(m) for lab, m in g.items()} for k, g in list(self.merges.items())[1:]}
        # the merges scored are listed in full (the PHANGS ones included): given, {} meaning none
        return {"task": self.name, "classes": list(self.classes), "class_names": list(self.class_names),
                "positive_class": self.positive_class, "threshold": self.threshold, "eval_merges": extra,
                "eval_merges_given": True,
                "reference_merge": {str(k): v for k, v in self.reference_map.items()},
                "label_map": dict(self.label_map)}


def model_catalogue_classes(model: str | os.PathLike) -> tuple[int, ...]:
    """Class values a catalogue read for a model's task may hold beyond 0-4, or () when unknown.

    The task's classes and those its merge maps from (the ``classes`` of
    :func:`starclass.io.catalog.read_catalog`), from the model's saved config alone: a model
    that cannot be read gives () here and is said by whoever loads it.

    Examples
    --------
    >>> model_catalogue_classes("no-such-model")
    ()
    """
    try:
        task = model_task(model)
    except StarclassError:
        return ()
    return tuple(dict.fromkeys((*task.classes, *task.reference_map)))


def model_task(model: str | os.PathLike) -> EvalTask:
    """The task saved with a trained model (its manifest, or one member's checkpoint).

    Only the config is read; no network is built.

    Parameters
    ----------
    model
        Model directory from ``starclass train``, its ``manifest.json``, or one member ``.pt``.

    Returns
    -------
    EvalTask
        With ``source="--model"``.

    Raises
    ------
    StarclassError
        The path is not a model, or its config cannot be read.

    Examples
    --------
    A model's manifest is enough (its member checkpoints are not read):

    >>> import shutil, tempfile
    >>> from starclass.learn.checkpoint import write_manifest
    >>> from starclass.learn.config import get_preset
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = write_manifest(d / "model", get_preset("m31-real"), [{"file": "member_01.pt", "architecture": "compact",
    ...                                                           "seed": 0}])
    >>> task = model_task(d / "model")
    >>> task.source, task.classes, task.label_map["extended_cluster"], task.label_map["galaxy"]
    ('--model', (1, 2), 1, 2)
    >>> shutil.rmtree(d)
    """
    # starclass.learn.checkpoint imports torch (13-19 s measured on the shared machine): only --model pays
    from starclass.learn.checkpoint import load_checkpoint, member_paths, read_manifest

    path = Path(model)
    if not path.exists():
        raise StarclassError(f"--model {path}: no such model")
    if path.is_dir() or path.suffix == ".json":
        cfg_dict = read_manifest(path).get("config")
    else:
        cfg_dict = load_checkpoint(member_paths(path)[0]).get("config")
    if not isinstance(cfg_dict, Mapping):
        raise StarclassError(f"--model {path}: no task config saved with the model")
    try:
        cfg = TaskConfig.from_dict(dict(cfg_dict))
    except StarclassError:
        raise
    except (TypeError, ValueError, KeyError) as exc:
        raise StarclassError(f"--model {path}: its task config cannot be read: {exc}") from None
    return EvalTask.from_config(cfg, source="--model")


def _recorded_model(table: Table) -> Path | None:
    """The model a CSV output of ``classify`` names in its ``model`` column, if it is one and still exists."""
    if MODEL_PATH not in table.colnames or len(table) == 0:
        return None
    paths = {str(v).strip() for v in np.ma.asarray(table[MODEL_PATH]).compressed()}
    if len(paths) != 1:
        return None
    path = Path(paths.pop())
    # a model directory holds manifest.json; a single member is a .pt file
    return path if (path / "manifest.json").is_file() or (path.is_file() and path.suffix == ".pt") else None


def model_group_column(model: str | os.PathLike) -> str | None:
    """The object column a model reads a cutout folder's objects from: the one it was trained with, else its task's.

    ``classify --stamps`` groups the folder's cutouts by it and records it in the output's meta
    (``group_column``), so that ``evaluate`` resamples whole objects; a CSV output keeps no meta, and
    ``evaluate OUT.csv`` resampled its rows as independent objects (intervals too narrow for the
    PAndAS folder's objects on two CCDs) although the CSV names the model in its ``model`` column.
    Only the manifest is read (no network); a single member ``.pt``, or a model without a manifest,
    gives None.

    Parameters
    ----------
    model
        Model directory from ``starclass train``, or its ``manifest.json``.

    Returns
    -------
    str or None
        ``training_cutouts.group_column`` of the manifest, else its task's ``group_column``.

    Examples
    --------
    >>> import shutil, tempfile
    >>> from starclass.learn.checkpoint import write_manifest
    >>> from starclass.learn.config import get_preset
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = write_manifest(d / "grouped", get_preset("m31-real"), [{"file": "member_01.pt", "architecture": "compact",
    ...                                                             "seed": 0}])
    >>> model_group_column(d / "grouped")
    'object_id'
    >>> shutil.rmtree(d)
    """
    from starclass.io.cutout_folders import stored_group_column
    from starclass.learn.checkpoint import read_manifest, training_group_column_of

    path = Path(model)
    if not (path.is_dir() and (path / "manifest.json").is_file()) and path.suffix != ".json":
        return None
    try:
        doc = read_manifest(path)
    except StarclassError:
        return None  # the task is read from it first, which names what is wrong with it
    cfg = doc.get("config") if isinstance(doc.get("config"), dict) else {}
    return stored_group_column(training_group_column_of(doc) or cfg.get("group_column"))


def check_probability_columns(table: Table, task: EvalTask, name: str = "catalogue") -> None:
    """Refuse a task whose classes are not the ones of the catalogue's ``prob_<k>`` columns.

    ``classify`` writes one ``prob_<k>`` per class of the model's task, so a ``--task`` (or
    ``--model``) with other classes is not the one the catalogue was classified for: scored
    anyway, its classes were read into the wrong columns or missing ones (a three-class task on
    a binary model's output printed an accuracy and per-class figures of nothing real). A
    catalogue without ``prob_<k>`` columns (class_pred only) is not checked.

    Parameters
    ----------
    table
        The classified catalogue.
    task
        The task it is to be scored for (:func:`resolve_task`).
    name
        The catalogue, for the message (its file).

    Raises
    ------
    StarclassError
        Naming the task, its classes and the catalogue's probability columns.

    Examples
    --------
    >>> t = Table({"class_pred": [1, 2], "prob_1": [0.9, 0.2], "prob_2": [0.1, 0.8]})
    >>> check_probability_columns(t, EvalTask.from_classes((1, 2)))
    >>> try:
    ...     check_probability_columns(t, EvalTask.from_classes((1, 2, 3), name="three"), "out.csv")
    ... except StarclassError as exc:
    ...     print(str(exc)[:74])
    task 'three' (from default) has classes [1, 2, 3] but out.csv has the prob
    """
    have = prob_classes(table)
    if not have or set(have) == set(task.classes):
        return
    raise StarclassError(
        f"task {task.name or '(unnamed)'!r} (from {task.source}) has classes {list(task.classes)} but {name} has "
        f"the probability columns {', '.join(prob_col(k) for k in have)} (classes {have}): give the task the "
        "catalogue was classified with (or no --task: the one classify recorded)")


def resolve_task(table: Table, task: str | TaskConfig | EvalTask | None = None, *,
                 model: str | os.PathLike | None = None) -> tuple[EvalTask, str | None]:
    """The task of a classified catalogue, and a note when it had to be inferred.

    Parameters
    ----------
    table
        The classified catalogue.
    task
        A preset name or config path, a :class:`~starclass.learn.config.TaskConfig`, an
        :class:`EvalTask`, or None (``model``'s task, else the catalogue's meta, then its
        ``prob_<k>`` columns).
    model
        A trained model whose saved task is used when ``task`` is None (:func:`model_task`).

    Returns
    -------
    task, note
        ``note`` is None when the task was given or recorded in the meta.

    Examples
    --------
    >>> t = Table({"class_pred": [1, 2], "prob_1": [0.9, 0.2], "prob_2": [0.1, 0.8]})
    >>> task, note = resolve_task(t)
    >>> task.classes, task.source
    ((1, 2), 'probabilities')
    """
    if isinstance(task, EvalTask):
        return task, None
    if task is not None and hasattr(task, "classes") and hasattr(task, "merge"):  # a TaskConfig
        return EvalTask.from_config(task), None
    if task is not None:
        return EvalTask.from_config(load_config(str(task))), None
    if model is not None:
        found = model_task(model)
        recorded = table.meta.get("task")
        if isinstance(recorded, str) and recorded.lower() != str(found.name or "").lower():
            # an open-globular model's classes (open, globular) scored a galaxy-cluster output without a word
            from starclass.learn.checkpoint import read_manifest
            from starclass.learn.folder_task import other_task_note

            try:
                saved = TaskConfig.from_dict(read_manifest(model)["config"])
            except (StarclassError, KeyError, TypeError):
                saved = None  # a member file, or a manifest without its config: nothing to compare
            if saved is not None and (note := other_task_note(recorded, saved)) is not None:
                warnings.warn(f"the catalogue was classified with a model {note} (its meta 'task'), scored with "
                              f"model {model_word(model)} of task {found.name!r} (classes "
                              f"{', '.join(f'{c} ({n})' for c, n in zip(found.classes, found.class_names))}): its "
                              f"classes are read as that task's; give the model the catalogue was classified "
                              "with, or no --model (the task classify recorded)", UserWarning, stacklevel=2)
        return found, None
    from_meta = EvalTask.from_meta(table.meta)
    if from_meta is not None:
        return from_meta, None
    recorded = _recorded_model(table)
    if recorded is not None:
        # a CSV keeps no meta: classify names its model in a column instead (cli/classify_cmd.py)
        found = dataclasses.replace(model_task(recorded), source=f"{MODEL_PATH} column")
        if table.meta.get("threshold") is not None and table.meta.get("positive_class") is not None:
            # the threshold that decided class_pred, kept in the CSV's columns (restore_csv_decision): the model's
            # own (none, or a stored one) was reported where classify --threshold 0.5 had decided
            found = dataclasses.replace(found, threshold=float(table.meta["threshold"]),
                                        positive_class=int(table.meta["positive_class"]))
        return found, f"task from the model named in the catalogue's {MODEL_PATH} column: {recorded}"
    ks = sorted(int(c[5:]) for c in table.colnames if c.startswith("prob_") and c[5:].isdigit())
    if len(ks) >= 2:
        t = EvalTask.from_classes(ks, source="probabilities")
        # the classes themselves are on evaluate's task line and in the report's tables: not listed again
        return t, ("the catalogue records no task: its classes are taken from its prob_<k> columns (give --task to "
                   "be sure)")
    return EvalTask.from_classes(CLASSES), ("the catalogue records no task and has no probabilities: the PHANGS "
                                            "four classes are assumed (give --task for another scheme)")


def positive_origin(task: EvalTask) -> str:
    """Words after a binary task's positive class when the task names none ("" when it does).

    ``evaluate`` and the report said "positive class 1 (open) (from --model)" for ``open-globular``,
    whose preset named no positive class (until 2026-12-07; a task file may still name none): the first
    class is taken for the thresholds and curves, and the model says nothing of it.

    Examples
    --------
    >>> positive_origin(EvalTask.from_classes((1, 2), class_names=["open", "globular"]))
    ' (the first class: the task names no positive class)'
    >>> positive_origin(EvalTask.from_classes((1, 2), positive_class=1))
    ''
    """
    if task.positive is None or task.positive_declared:
        return ""
    return " (the first class: the task names no positive class)"
