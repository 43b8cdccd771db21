"""The seed-paper simulators behind ``starclass simulate --preset cool-core|galaxy-cluster|open-globular``.

Each writes a labelled cutout folder (``labels.csv`` with ``file`` or ``file_<band>`` and
``label``) that ``starclass train --task <same name> --stamps OUT/labels.csv`` reads as it is.
"""

from __future__ import annotations

import csv
import json
import os
from collections import Counter
from pathlib import Path

from starclass.errors import StarclassError
from starclass.schema import CONSENSUS, CONSENSUS_FRACTION, GOLD, VOLUNTEER_IDS, VOLUNTEER_VOTES, VOTE_FRACTION

__all__ = ["SEED_PRESETS", "write_seed_preset"]

#: Preset -> (module, task trained on it, one line).
SEED_PRESETS: dict[str, tuple[str, str, str]] = {
    "cool-core": ("starclass.simulate.coolcore", "cool-core",
                  "Chandra-like X-ray images of clusters, CC / WCC / NCC by central cooling time (Su et al. 2020)"),
    "galaxy-cluster": ("starclass.simulate.xray_candidates", "galaxy-cluster",
                       "XMM-like X-ray + DSS2-like optical images of X-ray cluster candidates (Kosiba et al. 2020)"),
    "open-globular": ("starclass.simulate.star_clusters_dss", "open-globular",
                      "open and globular clusters on DSS2-like colour plates (Stipp & Montana-Lopez)"),
}


def write_seed_preset(name: str, outdir: str | os.PathLike, *, n: int | None = None, size: int | None = None,
                      seed: int = 0, overwrite: bool = False, progress: bool | None = False,
                      volunteers: int | None = None) -> tuple[Path, dict]:
    """Simulate a seed-paper sample into ``outdir``; returns ``labels.csv`` and the label counts.

    Parameters
    ----------
    name : {"cool-core", "galaxy-cluster", "open-globular"}
        The preset.
    outdir : path
        Output folder.
    n, size : int or None
        Number of cutouts and their side in pixels (None: the preset's default).
    seed : int
        Random seed.
    overwrite : bool
        Replace an existing folder of this form.
    progress : bool or None
        Show a progress bar (None: a few timed lines, :class:`starclass.io.progress.Progress`).
    volunteers : int or None
        ``galaxy-cluster`` only: simulated volunteers per candidate (None: the preset's 10;
        0: none); :mod:`starclass.simulate.volunteers`.

    Examples
    --------
    >>> import tempfile
    >>> p, counts = write_seed_preset("cool-core", tempfile.mkdtemp() + "/cc", n=3, size=32)
    >>> p.name, sum(counts.values())
    ('labels.csv', 3)
    """
    if name not in SEED_PRESETS:
        raise StarclassError(f"unknown seed preset {name!r}; known: {', '.join(SEED_PRESETS)}")
    if volunteers is not None and name != "galaxy-cluster":
        raise StarclassError(f"--volunteers applies to --preset galaxy-cluster only, not {name}")
    over = {k: v for k, v in (("n", n), ("size", size), ("seed", seed)) if v is not None}
    if name == "cool-core":
        from starclass.simulate.coolcore import CoolCoreSimConfig, write_coolcore

        path = write_coolcore(CoolCoreSimConfig(**over), outdir, overwrite=overwrite, progress=progress)
    elif name == "galaxy-cluster":
        from starclass.simulate.xray_candidates import CandidateSimConfig, write_candidates

        if volunteers is not None:
            over["volunteers"] = volunteers
        path = write_candidates(CandidateSimConfig(**over), outdir, overwrite=overwrite, progress=progress)
    else:
        from starclass.simulate.star_clusters_dss import DSSSimConfig, write_open_globular

        path = write_open_globular(DSSSimConfig(**over), outdir, overwrite=overwrite, progress=progress)
    from starclass.io.catalog import CsvLines

    with open(path, newline="") as fh:
        rows = list(csv.DictReader(CsvLines(fh)))  # '#' lines are comments, as every CSV reader skips them
    key = "class_name" if rows and "class_name" in rows[0] else ("expert_name" if rows and "expert_name" in rows[0]
                                                                 else "label")
    number = {"class_name": "label", "expert_name": "expert"}.get(key)
    counts = Counter(r[key] for r in rows)
    # in class order (CC, WCC, NCC as classes 1, 2, 3), not alphabetical (CC, NCC, WCC)
    first = {}
    for r in rows:
        if number and str(r.get(number, "")).strip().lstrip("-").isdigit():
            first[r[key]] = min(first.get(r[key], int(r[number])), int(r[number]))
    return path, dict(sorted(counts.items(), key=lambda kv: (first.get(kv[0], float("inf")), kv[0])))


def label_line(labels: str | os.PathLike, name: str) -> str:
    """The ``label`` column's counts named as the task of the same name names its classes, for ``simulate``.

    ``simulate``'s ``counts:`` line names the simulator's classes (``CC``, ``WCC``, ``NCC``; the galaxy-cluster
    experts' five), while ``train`` and ``classify`` name the task's (``1 (cool core)``; galaxy-cluster's binary
    ``cluster`` / ``non-cluster``): a user saw two namings and, for galaxy-cluster, not the counts trained on.

    Examples
    --------
    >>> import tempfile
    >>> p, _ = write_seed_preset("cool-core", tempfile.mkdtemp() + "/cc", n=4, size=32)
    >>> label_line(p, "cool-core-compact")  # doctest: +ELLIPSIS
    '1 (cool core) ..., 3 (non-cool core) ... (the label column, named as task cool-core-compact names its classes)'
    """
    from starclass.io.catalog import CsvLines
    from starclass.learn.config import get_preset
    from starclass.schema import class_labels

    with open(labels, newline="") as fh:
        values = [r["label"].strip() for r in csv.DictReader(CsvLines(fh))]
    counts = Counter(int(v) for v in values if v.lstrip("-").isdigit())
    task = get_preset(name)
    named = class_labels(task.classes, task.class_names)
    shown = ", ".join(f"{named.get(k, k)} {counts.get(k, 0)}" for k in task.classes)
    return f"{shown} (the label column, named as task {name} names its classes)"


def expert_line(labels: str | os.PathLike) -> str | None:
    """The ``expert`` column's five kinds, named and counted as the task that trains on them names them.

    ``simulate --preset galaxy-cluster`` writes the experts' five kinds beside the binary ``label``: its
    ``counts:`` line named them, but no line said which task trains on them, and a task file of one's own
    for five classes that did not say ``threshold: null`` was refused for a threshold it never wrote.
    ``simulate`` follows this with the command (:data:`EXPERTS_TASK`). ``None`` for a folder of another preset.

    Parameters
    ----------
    labels
        The folder's ``labels.csv`` (``simulation.json`` beside it).

    Returns
    -------
    str or None
        ``1 (low-z cluster) 29, 2 (high-z cluster) 13, ..., 5 (other) 16``.

    Examples
    --------
    >>> import tempfile
    >>> p, _ = write_seed_preset("galaxy-cluster", tempfile.mkdtemp() + "/gc", n=10, size=32, volunteers=0)
    >>> print(expert_line(p))  # doctest: +ELLIPSIS
    1 (low-z cluster) ..., 2 (high-z cluster) ..., 3 (nearby galaxy) ..., 4 (point source) ..., 5 (other) ...
    """
    from starclass.io.catalog import CsvLines
    from starclass.learn.config import get_preset
    from starclass.schema import class_labels

    try:
        info = json.loads((Path(labels).parent / "simulation.json").read_text())
    except (OSError, ValueError):
        return None
    if not isinstance(info, dict) or info.get("preset") != "galaxy-cluster":
        return None
    with open(labels, newline="") as fh:
        values = [(r.get("expert") or "").strip() for r in csv.DictReader(CsvLines(fh))]
    counts = Counter(int(v) for v in values if v.isdigit())
    task = get_preset(EXPERTS_TASK)
    named = class_labels(task.classes, task.class_names)
    return ", ".join(f"{named.get(k, k)} {counts.get(k, 0)}" for k in task.classes)


#: the packaged task of galaxy-cluster's five expert classes (its ``expert`` column)
EXPERTS_TASK = "galaxy-cluster-experts"


def volunteers_line(labels: str | os.PathLike) -> str | None:
    """What a ``galaxy-cluster`` folder holds for its simulated volunteers, for ``simulate``'s closing lines.

    The volunteers are on by default (10 per candidate) and write six columns of ``labels.csv`` and a
    section of ``simulation.json``; ``simulate`` said nothing of them, so a user did not know that a
    ``consensus`` column was there to train on. ``None`` for a folder of another preset.

    Parameters
    ----------
    labels
        The folder's ``labels.csv`` (``simulation.json`` beside it).

    Returns
    -------
    str or None
        One line: how many volunteers per candidate from which pool, the columns written, how often the
        consensus agrees with the experts' label, and how to train on it; or that none were simulated.

    Examples
    --------
    >>> import tempfile
    >>> p, _ = write_seed_preset("galaxy-cluster", tempfile.mkdtemp() + "/gc", n=10, size=32, volunteers=3)
    >>> print(volunteers_line(p))  # doctest: +ELLIPSIS
    volunteers: 3 per candidate from a pool of 40 (--volunteers N; 0 for none): their votes in volunteer_ids, ...
    """
    folder = Path(labels).parent
    try:
        info = json.loads((folder / "simulation.json").read_text())
    except (OSError, ValueError):
        return None
    if info.get("preset") != "galaxy-cluster":
        return None
    vol = info.get("volunteers")
    if not isinstance(vol, dict):
        return ("volunteers: none simulated (--volunteers 0): no consensus, vote or gold columns in labels.csv; "
                "leave --volunteers out for the preset's 10 per candidate")
    with open(labels, newline="") as fh:
        n_gold = sum(r.get(GOLD, "").strip() == "1" for r in csv.DictReader(fh))
    agree = vol.get("consensus_agrees_with_experts")
    agrees = ("" if agree is None
              else f"; the consensus agrees with the experts' label on {100 * agree:.0f}% of candidates")
    return (f"volunteers: {vol['n_per_candidate']} per candidate from a pool of {vol['pool']} (--volunteers N; 0 for "
            f"none): their votes in {VOLUNTEER_IDS}, {VOLUNTEER_VOTES}; their consensus, each volunteer weighted by "
            f"their answers on the {n_gold} gold candidate{'s' if n_gold != 1 else ''} ({GOLD} 1), in {CONSENSUS} "
            f"(1 cluster, 2 non-cluster), {CONSENSUS_FRACTION} "
            f"and {VOTE_FRACTION}{agrees}; their skills and weights in simulation.json; train on the consensus "
            f"with --label-column {CONSENSUS}")
