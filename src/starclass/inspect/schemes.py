"""Label schemes: which values people may give, on which keys, what they mean, how they combine.

A :class:`LabelScheme` is defined once here and used by the database (which values a label
may hold), the page (buttons and keys), the label route (422 for a value outside the scheme)
and the export (the consensus and the agreement between people).

==================  ========  ==========================================  =====================
scheme              values    meaning                                     consensus
==================  ========  ==========================================  =====================
``phangs``          1-4       PHANGS/LEGUS classes (Whitmore+ 2021);      ``mode`` of the votes
                              class 4 has subclasses 4.1-4.12
``m31-check``       0, 1, 2   the M31 search's visual check (seed 002,    ``sum`` of the scores
                              sect. 5.2): 0 not a cluster, 1 possible     of two inspectors,
                              cluster, 2 confirmed cluster                0-4
``galaxy-cluster``  1-5       expert classes of galaxy-cluster            ``mode`` of the votes
                              candidates: low-z cluster, high-z cluster,
                              nearby galaxy, point source, other
==================  ========  ==========================================  =====================

For ``m31-check`` a higher sum is more cluster-like; a candidate is a **cluster** when both
inspectors scored it and the sum is at least :attr:`LabelScheme.cluster_cut` (default 3, the
paper's "scores of 3 and 4" that made its final catalogue of 1,057 candidates); the cut is a
setting (``starclass inspect --export ... --cluster-cut N``).

A task picks its scheme by name (:func:`scheme_for_task`): ``legus4*`` and ``phangs4*`` ->
``phangs``, ``m31*`` -> ``m31-check``, ``galaxy-cluster*`` -> ``galaxy-cluster``.

Cutout folders (``inspect --stamps``) are labelled in the classes of their task instead
(:func:`task_scheme`, named ``task:<task>``: ``m31-real`` gives 1 = cluster, 2 = galaxy), so
that the export's label strings are what ``train --stamps`` reads back.
"""

from __future__ import annotations

import hashlib
import json
import numbers
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from starclass.errors import StarclassError

if TYPE_CHECKING:
    from starclass.io.task_like import TaskLike

#: Consensus rules: the most common value, or the sum of the scores.
CONSENSUS_RULES = ("mode", "sum")


@dataclass(frozen=True)
class LabelValue:
    """One value of a scheme: the number stored, the key that gives it, its name.

    Parameters
    ----------
    value : int
        What is stored in the database and exported.
    key : str
        The keyboard key that gives it on the page.
    name : str
        A few words shown on its button.

    Examples
    --------
    >>> LabelValue(2, "2", "confirmed cluster").name
    'confirmed cluster'
    """

    value: int
    key: str
    name: str


@dataclass(frozen=True)
class LabelScheme:
    """The values people give in one task, their keys and meanings, and how they combine.

    Parameters
    ----------
    name : str
        The scheme's name (``--scheme NAME``).
    description : str
        One line for people: what is labelled and where the scheme comes from.
    values : tuple of LabelValue
        The allowed values, in the order of the buttons.
    consensus : {"mode", "sum"}
        ``mode``: classes, the most common vote wins (ties flagged); ``sum``: ordinal scores,
        added over the inspectors.
    ordinal : bool
        Whether the values are ordered; agreement then adds weighted kappas.
    cluster_values : tuple of int
        Class schemes: the values that count as a cluster (binary agreement, e.g. PHANGS 1+2).
    n_inspectors : int or None
        Sum schemes: how many people score each candidate (the sum's range is
        ``n_inspectors * max(values)``).
    cluster_cut : int or None
        Sum schemes: the smallest sum that makes a cluster (the default of the setting).
    subclass_of : int or None
        The value whose labels may carry a subclass (PHANGS class 4), None for none.
    tie_rule : {"nearest-mean", "highest"}
        Class schemes: which tied class a tie gets until adjudicated. ``nearest-mean``: the one
        nearest the mean label, the higher when equally near (PHANGS, ordered by
        cluster-likeness); ``highest``: the highest value (nominal classes ordered so that
        higher is less cluster-like).
    classes : str
        Task schemes (:func:`task_scheme`): each class and the label string ``--export`` writes for
        it (``"1 = cluster, 2 = galaxy"``), recorded in the label database beside the name, since a
        task file may change its classes and keep its name; ``""`` for the named schemes.
    task_config : str
        Task schemes: the whole task (its config as JSON, ``TaskConfig.to_dict``) the scheme was
        made from, recorded by the label database with the scheme (``label_task_configs``) so that
        a later ``inspect --stamps --export`` makes the same task again without ``--task``, a task
        file or model folder that has gone too; ``""`` for the named schemes. Not compared.

    Examples
    --------
    >>> s = SCHEMES["m31-check"]
    >>> [v.value for v in s.values], s.consensus, s.sum_range
    ([0, 1, 2], 'sum', (0, 4))
    >>> s.check(2)
    2
    """

    name: str
    description: str
    values: tuple[LabelValue, ...]
    consensus: str = "mode"
    ordinal: bool = False
    cluster_values: tuple[int, ...] = ()
    n_inspectors: int | None = None
    cluster_cut: int | None = None
    subclass_of: int | None = None
    tie_rule: str = "highest"
    classes: str = ""
    task_config: str = field(default="", compare=False, repr=False)

    def __post_init__(self) -> None:
        if self.consensus not in CONSENSUS_RULES:
            raise StarclassError(f"label scheme {self.name}: consensus must be one of {CONSENSUS_RULES}")
        vals = [v.value for v in self.values]
        if len(set(vals)) != len(vals) or len({v.key for v in self.values}) != len(vals):
            raise StarclassError(f"label scheme {self.name}: values and keys must be distinct")
        if self.consensus == "sum":
            # a sum of scores needs ordered, non-negative scores and a fixed number of people
            if not self.ordinal or min(vals) < 0 or not self.n_inspectors:
                raise StarclassError(f"label scheme {self.name}: a sum needs ordinal scores >= 0 "
                                     "and n_inspectors")
            self.check_cut(self.cluster_cut)
        elif min(vals) < 1:
            # class columns (class_h<k>, class_ref) keep 0 for "no class"
            raise StarclassError(f"label scheme {self.name}: classes must be >= 1")

    @property
    def allowed(self) -> tuple[int, ...]:
        """The allowed values, in button order.

        Examples
        --------
        >>> SCHEMES["phangs"].allowed, SCHEMES["m31-check"].allowed
        ((1, 2, 3, 4), (0, 1, 2))
        """
        return tuple(v.value for v in self.values)

    @property
    def sum_range(self) -> tuple[int, int] | None:
        """Sum schemes: the smallest and largest possible sum; None for class schemes.

        Examples
        --------
        Two inspectors' scores of 0-2 sum to 0-4; classes are not summed:

        >>> SCHEMES["m31-check"].sum_range, SCHEMES["m31-check"].n_inspectors, SCHEMES["phangs"].sum_range
        ((0, 4), 2, None)
        """
        if self.consensus != "sum":
            return None
        return (self.n_inspectors * min(self.allowed), self.n_inspectors * max(self.allowed))

    @property
    def heading(self) -> str:
        """What the page's header says the labels are, for a person: the task and its classes, or the scheme.

        A task scheme's name (``task:pool3-labels``) is how the database records it, no words for the
        person labelling: the header names the task (whole, where its name was cut), its classes and the
        task's own description where the scheme carries it; a named scheme gives its name and
        description.

        Examples
        --------
        >>> from starclass.learn.config import get_preset
        >>> task_scheme(get_preset("m31-real")).heading  # doctest: +ELLIPSIS
        'task m31-real: 1 = cluster, 2 = galaxy (Real PAndAS g-band cutouts ...)'
        >>> SCHEMES["m31-check"].heading  # doctest: +ELLIPSIS
        'm31-check: ...'
        """
        if not self.name.lower().startswith(TASK_SCHEME_PREFIX):
            return f"{self.name}: {self.description}"
        about = ""
        if self.task_config:
            try:
                about = str(json.loads(self.task_config).get("description") or "")
            except (ValueError, AttributeError):  # a record another version wrote: the classes say enough
                about = ""
        classes = self.classes or self.describe_values()
        return f"task {task_of(self.name)}: {classes}" + (f" ({about})" if about else "")

    def meaning(self, value: int) -> str:
        """The name of ``value`` (``"?"`` when it is not in the scheme)."""
        return next((v.name for v in self.values if v.value == value), "?")

    def describe_values(self) -> str:
        """The values and their names in one line, for messages: ``0 (not a cluster), ...``."""
        return ", ".join(f"{v.value} ({v.name})" for v in self.values)

    def check(self, value: object, field: str = "cls") -> int:
        """The value as an ``int`` if the scheme allows it.

        Parameters
        ----------
        value
            The value as sent; only integers are taken (``1.9``, ``True``, ``"2"`` are refused,
            not coerced).
        field
            The name of the field, for the message.

        Returns
        -------
        int

        Raises
        ------
        StarclassError
            Naming the field, the scheme and its values.

        Examples
        --------
        >>> SCHEMES["phangs"].check(0)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        starclass.errors.StarclassError: cls: 0 is not a value of label scheme phangs; use 1 (symmetric ...
        """
        if isinstance(value, bool) or not isinstance(value, numbers.Integral):
            raise StarclassError(f"{field}: must be an integer of label scheme {self.name} "
                                 f"({self.describe_values()}), not {value!r}")
        if int(value) not in self.allowed:
            raise StarclassError(f"{field}: {value!r} is not a value of label scheme {self.name}; "
                                 f"use {self.describe_values()}")
        return int(value)

    def check_cut(self, cut: object) -> int | None:
        """A cluster cut for this scheme: within the sum's range (sum schemes only).

        Examples
        --------
        >>> SCHEMES["m31-check"].check_cut(5)
        Traceback (most recent call last):
        ...
        starclass.errors.StarclassError: cluster cut 5 is outside the sums 0-4 of label scheme m31-check
        """
        if cut is None:
            return None
        if self.consensus != "sum":
            raise StarclassError(f"a cluster cut applies to score schemes; {self.name} takes the mode "
                                 "of classes")
        if isinstance(cut, bool) or not isinstance(cut, numbers.Integral):
            raise StarclassError(f"cluster cut must be an integer, not {cut!r}")
        lo = self.n_inspectors * min(self.allowed)
        hi = self.n_inspectors * max(self.allowed)
        if not lo <= int(cut) <= hi:
            raise StarclassError(f"cluster cut {cut} is outside the sums {lo}-{hi} of label scheme "
                                 f"{self.name}")
        if int(cut) == lo:
            # every scored candidate would be a cluster: surely a mistake
            raise StarclassError(f"cluster cut {cut} would make every candidate a cluster; use "
                                 f"{lo + 1}-{hi}")
        return int(cut)

    def to_dict(self) -> dict:
        """The scheme as JSON for the page and ``GET /api/scheme``.

        Examples
        --------
        >>> SCHEMES["galaxy-cluster"].to_dict()["values"][0]
        {'value': 1, 'key': '1', 'name': 'low-z cluster'}
        """
        return {"name": self.name, "description": self.description,
                "values": [{"value": v.value, "key": v.key, "name": v.name} for v in self.values],
                "consensus": self.consensus, "ordinal": self.ordinal,
                "cluster_values": list(self.cluster_values), "n_inspectors": self.n_inspectors,
                "cluster_cut": self.cluster_cut, "sum_range": self.sum_range,
                "subclass_of": self.subclass_of}


def _values(*triples: tuple[int, str, str]) -> tuple[LabelValue, ...]:
    return tuple(LabelValue(v, k, n) for v, k, n in triples)


PHANGS = LabelScheme(
    "phangs", "PHANGS-HST / LEGUS classes (Whitmore et al. 2021, sect. 3.2); class 4 has "
    "subclasses 4.1-4.12",
    _values((1, "1", "symmetric cluster"), (2, "2", "asymmetric cluster"),
            (3, "3", "compact association"), (4, "4", "not a cluster")),
    consensus="mode", cluster_values=(1, 2), subclass_of=4, tie_rule="nearest-mean")
M31_CHECK = LabelScheme(
    "m31-check", "M31 visual check (Zhang et al., seed 002, sect. 5.2): each of two inspectors "
    "scores 0-2, the sum 0-4 is higher for more cluster-like candidates",
    _values((0, "0", "not a cluster"), (1, "1", "possible cluster"), (2, "2", "confirmed cluster")),
    consensus="sum", ordinal=True, n_inspectors=2, cluster_cut=3)
GALAXY_CLUSTER = LabelScheme(
    "galaxy-cluster", "expert classes of galaxy-cluster candidates (X-ray + optical, seed 004)",
    _values((1, "1", "low-z cluster"), (2, "2", "high-z cluster"), (3, "3", "nearby galaxy"),
            (4, "4", "point source"), (5, "5", "other")),
    consensus="mode", cluster_values=(1, 2), tie_rule="highest")

#: Every scheme by name.
SCHEMES: dict[str, LabelScheme] = {s.name: s for s in (PHANGS, M31_CHECK, GALAXY_CLUSTER)}
#: Prefix of the label scheme made from a task (:func:`task_scheme`), as the database records it.
TASK_SCHEME_PREFIX = "task:"
#: Schemes made from a task's classes in this process (``task:<name>``,
#: :func:`task_scheme`), by name: a task file is no preset to make it from again.
TASK_SCHEMES_MADE: dict[str, LabelScheme] = {}
#: The whole task name of each task scheme name met in this process (made by :func:`task_scheme`, or
#: read from a label database's ``label_scheme_tasks``), by scheme name in lower case: a name over
#: :data:`SCHEME_NAME_CHARS` is stored cut, with a digest (:func:`task_scheme_name`).
TASK_NAMES: dict[str, str] = {}
#: The scheme of labels made before schemes existed (and of datasets that name none).
DEFAULT_SCHEME = "phangs"
#: Task-preset families and their schemes: a task ``NAME`` or ``NAME-anything`` (e.g.
#: ``m31-binary-compact``) takes the scheme of the longest family it starts with.
TASK_SCHEMES: dict[str, str] = {"legus4": "phangs", "phangs4": "phangs", "m31": "m31-check",
                                "galaxy-cluster": "galaxy-cluster"}


def get_scheme(name: str | LabelScheme) -> LabelScheme:
    """The scheme called ``name`` (a :class:`LabelScheme` is returned as it is).

    Raises
    ------
    StarclassError
        For an unknown name; the message lists the schemes.

    Examples
    --------
    >>> get_scheme("m31-check").n_inspectors
    2
    >>> get_scheme("stars")
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: unknown label scheme 'stars'; schemes: phangs, m31-check, galaxy-cluster
    """
    if isinstance(name, LabelScheme):
        return name
    key = str(name).strip().lower()
    if key in TASK_SCHEMES_MADE:
        return TASK_SCHEMES_MADE[key]
    if key.startswith(TASK_SCHEME_PREFIX):
        # the classes of a task (inspect --stamps), recorded by name in the database: made again from the preset
        return scheme_from_name(key)
    if key not in SCHEMES:
        raise StarclassError(f"unknown label scheme {name!r}; schemes: {', '.join(SCHEMES)}")
    return SCHEMES[key]


def scheme_for_task(task: str) -> LabelScheme:
    """The label scheme of a task preset, by the preset's family (see :data:`TASK_SCHEMES`).

    Parameters
    ----------
    task
        A task preset name (``starclass train --task``).

    Returns
    -------
    LabelScheme

    Raises
    ------
    StarclassError
        When no family matches (the message says to pass ``--scheme``).

    Examples
    --------
    >>> scheme_for_task("m31-binary-compact").name, scheme_for_task("legus4").name
    ('m31-check', 'phangs')
    """
    key = str(task).strip().lower()
    for family in sorted(TASK_SCHEMES, key=len, reverse=True):
        if key == family or key.startswith(family + "-"):
            return SCHEMES[TASK_SCHEMES[family]]
    raise StarclassError(
        f"task {task!r} has no label scheme for inspect; pass --scheme (one of {', '.join(SCHEMES)}); "
        f"tasks with one: {', '.join(f'{f}*' for f in TASK_SCHEMES)}")


def task_scheme(cfg: TaskLike) -> LabelScheme:
    """The label scheme of a task's classes: one key per class, named by its label string.

    Parameters
    ----------
    cfg : starclass.learn.config.TaskConfig
        The task (``--task``).

    Returns
    -------
    LabelScheme
        Named ``task:<task name>``, consensus the mode; value = class, key = the class number,
        name = :func:`label_strings`'s label (with the class name when it differs).

    Raises
    ------
    StarclassError
        A class above 9 (no single key for it).

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> s = task_scheme(get_preset("m31-real"))
    >>> s.name, [(v.key, v.name) for v in s.values]
    ('task:m31-real', [('1', 'cluster'), ('2', 'galaxy (non-cluster)')])
    >>> s.classes
    '1 = cluster, 2 = galaxy'
    """
    strings = label_strings(cfg)
    values = []
    for k, cname in zip(cfg.classes, cfg.class_names):
        if not 1 <= int(k) <= 9:
            raise StarclassError(f"task {cfg.name!r}: class {k} has no key on the page (classes 1-9 only)")
        label = strings[int(k)]
        values.append(LabelValue(int(k), str(k), label if label == cname else f"{label} ({cname})"))
    positive = cfg.positive_class if cfg.positive_class is not None else cfg.classes[0]
    scheme = LabelScheme(
        task_scheme_name(cfg.name), f"the classes of task {cfg.name} (the label strings its "
        "label_map reads back)", tuple(values), consensus="mode", cluster_values=(int(positive),),
        tie_rule="highest", classes=", ".join(f"{int(k)} = {strings[int(k)]}" for k in cfg.classes),
        task_config=_config_json(cfg))
    TASK_SCHEMES_MADE[scheme.name.lower()] = scheme  # found by name again in this process (a task file too)
    TASK_NAMES[scheme.name.lower()] = str(cfg.name)  # the whole name, where the scheme's is cut
    return scheme


def _config_json(cfg: TaskLike) -> str:
    """The task as JSON (``TaskConfig.to_dict``), as the label database records it; ``""`` for a task without one."""
    to_dict = getattr(cfg, "to_dict", None)
    if to_dict is None:  # a TaskLike that is no TaskConfig: nothing to make it again from
        return ""
    return json.dumps(to_dict(), sort_keys=True, default=str)


#: Longest scheme name the label database holds (``label_schemes.scheme``).
SCHEME_NAME_CHARS = 32


def task_scheme_name(task: str) -> str:
    """The scheme name of a task's classes: ``task:<task>``, or for a long name its start and a digest.

    The database holds 32 characters: cut there, two tasks whose names differ only after the
    27th character (``m31-real-pandas-round2-five-a`` and ``...-b``) had one scheme name, so a
    database with labels in one task's classes took labels in the other's as the same scheme.

    Examples
    --------
    >>> task_scheme_name("m31-real")
    'task:m31-real'
    >>> a = task_scheme_name("m31-real-pandas-round2-classes-a")
    >>> b = task_scheme_name("m31-real-pandas-round2-classes-b")
    >>> a != b and len(a) == len(b) == 32
    True
    """
    name = f"{TASK_SCHEME_PREFIX}{task}"
    if len(name) <= SCHEME_NAME_CHARS:
        return name
    digest = hashlib.sha256(str(task).encode()).hexdigest()[:8]
    return f"{name[: SCHEME_NAME_CHARS - 9]}~{digest}"


def label_strings(cfg: TaskLike) -> dict[int, str]:
    """The label string written for each class: the one the task's ``label_map`` maps to it.

    Where several strings map to a class (``m31-real``: ``cluster`` and ``extended_cluster``),
    the class's own name wins if it is one of them, else the first; a task without a
    ``label_map`` reads integer labels, so the class number is written.

    Examples
    --------
    >>> from starclass.learn.config import get_preset
    >>> label_strings(get_preset("m31-real")), label_strings(get_preset("legus4"))[3]
    ({1: 'cluster', 2: 'galaxy'}, '3')
    >>> label_strings(get_preset("m31-real", merge={1: 1, 2: 1, 3: 2, 4: 2},
    ...                          label_map={"cluster": 1, "extended_cluster": 2, "galaxy": 4}))
    {1: 'cluster', 2: 'galaxy'}
    >>> label_strings(get_preset("m31-binary"))  # integer labels through merge {1: 1, 2: 1, 3: 2, 4: 2}
    {1: '1', 2: '3'}
    """
    out: dict[int, str] = {}
    # a label's class is where the task sends it: label_map, then merge (a label_map number is a reference
    # class when the task merges); matched on the map's number alone, a person's 'non-cluster' of a task
    # merging {1: 1, 2: 1, 3: 2, 4: 2} was written as the label mapped to 2, which training made a cluster
    dest = {s: int(cfg.map_classes([c])[0]) for s, c in cfg.label_map.items()}
    for k, cname in zip(cfg.classes, cfg.class_names):
        mapped = [s for s, d in dest.items() if d == int(k)]
        if mapped:
            out[int(k)] = cname if cname in mapped else mapped[0]
            continue
        # no label string: integer labels are reference classes, so a merged task's class is written as the
        # first reference class the merge sends to it (m31-binary's non-cluster: 3, not 2, which is a cluster)
        refs = sorted(src for src, dst in cfg.merge.items() if dst == int(k)) if cfg.merge else [int(k)]
        out[int(k)] = str(refs[0] if refs else int(k))
    return out


def option_for(name: str) -> str:
    """The ``inspect`` option that serves labels recorded in scheme ``name``.

    ``--scheme NAME`` for a named scheme; ``--task TASK`` for a task's classes (``task:<task>``,
    a cutout folder's), whose task may be a preset, a task file or a model folder.

    Examples
    --------
    >>> option_for("m31-check")
    '--scheme m31-check'
    >>> option_for("task:m31-real")
    '--task m31-real (its task file or model folder if it is no preset)'
    """
    if not name.lower().startswith(TASK_SCHEME_PREFIX):
        return f"--scheme {name}"
    return f"--task {task_of(name)} (its task file or model folder if it is no preset)"


def task_of(name: str) -> str:
    """The task named by a ``task:<task>`` scheme name: whole where known (:data:`TASK_NAMES`), else the name's.

    A name over :data:`SCHEME_NAME_CHARS` is stored cut, with a digest; the label database records
    the whole name beside it (``label_scheme_tasks``, read into :data:`TASK_NAMES`), and a task
    scheme made in this process knows it. A database written before 2026-12-05 records the cut
    name only: its start is given, ``... (a longer name)``.

    Examples
    --------
    >>> task_of("task:m31-real")
    'm31-real'
    >>> long = "doctest-pandas-round2-" + "y" * 30  # a name no other code of this process registers
    >>> task_of(task_scheme_name(long))
    'doctest-pandas-rou... (a longer name)'
    >>> TASK_NAMES[task_scheme_name(long).lower()] = long
    >>> task_of(task_scheme_name(long)) == long
    True
    >>> del TASK_NAMES[task_scheme_name(long).lower()]
    """
    if (whole := TASK_NAMES.get(name.lower())) is not None:
        return whole
    task = name[len(TASK_SCHEME_PREFIX):]
    if len(name) == SCHEME_NAME_CHARS and name[-9:-8] == "~":
        task = f"{task[:-9]}... (a longer name)"  # task_scheme_name kept its start and a digest
    return task


def scheme_from_name(name: str) -> LabelScheme | None:
    """The task scheme recorded as ``task:<task>`` in a database, if this process made it.

    A task's scheme is made from the task itself (:func:`task_scheme`, by ``inspect --stamps
    --task``); made nowhere else (the learn package, which reads tasks, imports this one), so a
    recorded name alone is refused with what to give. None for other names.

    Examples
    --------
    >>> scheme_from_name("phangs") is None
    True
    """
    if not name.lower().startswith(TASK_SCHEME_PREFIX):
        return None
    made = TASK_SCHEMES_MADE.get(name.lower())
    if made is not None:
        return made
    task = task_of(name)
    raise StarclassError(f"the labels are in the classes of task {task!r} (a cutout folder's): give --stamps LIST "
                         f"--task {task} (the task file or model if it is no preset)")
