"""Labels in the database -> a catalogue that ``train`` and ``evaluate`` read.

The exported table has the candidate catalogue's columns (positions, magnitudes, CI, ...) and,
from the labels:

* ``class_h<k>``: person k's class (0 = did not label it); ``meta['people']`` names them,
  in the order of the accounts;
* ``class_ref``: the mode with the tie rule of :mod:`starclass.inspect.consensus`, and ``tie``
  (True = to adjudicate);
* ``subclass``: for ``class_ref`` 4, the most common subclass among the class-4 labels, as the
  schema's text label (``"4.1"``..``"4.12"``, empty when none; ties go to the lower number);
* ``n_labels``, ``class_human_mean`` (the mean of the people's classes, the LEGUS reader's name for
  it; written ``class_mean`` until 2026-12-07, classify's name for another thing), ``agree_frac``,
  ``class_weighted``, ``weighted_frac`` (votes weighted by agreement with the majority), and
  ``comments`` (``person: text`` joined by `` | ``).

``meta['agreement']`` holds the pairwise and individual-vs-mode agreement (4-class and
1+2 vs 3+4) and each person's weight; the full summary with confusion matrices can be written
beside it as JSON.

Which of these columns there are depends on the dataset's label scheme
(:mod:`starclass.inspect.schemes`, recorded in the database): class schemes (``phangs``,
``galaxy-cluster``) get the columns above (``subclass`` for PHANGS only); the score scheme
``m31-check`` gets ``score_h<k>`` (-1 = not scored), ``score_sum``, ``complete`` and
``class_ref`` from the cluster cut (:func:`starclass.inspect.consensus.score_table`). Every
scheme's summary has ``inspectors``: for each pair of people the fraction agreeing, Cohen's
kappa (weighted kappas for ordinal scores) and the cross-table.
"""

from __future__ import annotations

import contextlib
import json
from collections import Counter
from pathlib import Path

import numpy as np
from astropy.table import Table, join
from sqlalchemy.engine import Engine

from starclass.errors import OutputExistsError, StarclassError, counted, exists_refusal
from starclass.inspect import consensus, db
from starclass.inspect.schemes import DEFAULT_SCHEME, LabelScheme, get_scheme
from starclass.io.atomic import atomic_path
from starclass.io.catalog import catalog_format, write_catalog
from starclass.schema import CLASS_HUMAN_MEAN, CLASS_MEAN, CLASS_REF, ID

#: The label-string column of a cutout folder (``train --stamps`` reads it).
LABEL = "label"


def people_path(path: str | Path) -> Path:
    """The file beside a CSV export naming whose ``class_h<k>`` column is whose (a CSV keeps no meta).

    ``inspect --export labels.csv`` writes it; ``train --labels labels.csv`` reads it
    (:func:`starclass.learn.labels.read_votes`), so Dawid-Skene's ``annotators.ecsv`` names the people.

    Examples
    --------
    >>> people_path("out/labels.csv").as_posix()
    'out/labels.people.json'
    """
    return Path(path).with_suffix(".people.json")


def resolve_scheme(engine: Engine, dataset: str, scheme: LabelScheme | str | None = None) -> LabelScheme:
    """The scheme of a dataset's labels, checked against the one asked for.

    Parameters
    ----------
    engine
        The label database (only read).
    dataset
        The dataset key.
    scheme
        The scheme asked for (``--scheme``/``--task``), or None for the dataset's own.

    Returns
    -------
    LabelScheme
        The dataset's recorded scheme; else ``scheme``; else ``phangs``.

    Raises
    ------
    StarclassError
        The dataset's labels are in another scheme than the one asked for.

    Examples
    --------
    >>> engine = db.make_engine("sqlite://")
    >>> db.init_db(engine)
    2
    >>> resolve_scheme(engine, "").name, resolve_scheme(engine, "", "m31-check").name
    ('phangs', 'm31-check')
    """
    have = db.dataset_scheme(engine, dataset)
    asked = get_scheme(scheme) if scheme is not None else None
    if have is not None and asked is not None and asked.name != have:
        raise StarclassError(db.scheme_conflict(dataset, have, asked.name))
    if asked is not None:
        # a task file of the recorded name whose classes changed: the labels were written with its label strings
        db.check_scheme_classes(engine, dataset, asked)
        return asked  # a task's own scheme (inspect --stamps) is made from the task, not looked up by name
    return get_scheme(have or DEFAULT_SCHEME)


def consensus_of(engine: Engine, dataset: str, ids: list[str] | None = None, *,
                 scheme: LabelScheme | str | None = None,
                 cluster_cut: int | None = None) -> tuple[Table, dict]:
    """Consensus table and agreement summary of the labels of one dataset.

    Parameters
    ----------
    engine, dataset
        The label database and the dataset key.
    ids
        Candidate ids (rows, in order); default those labelled.
    scheme
        The label scheme asked for (default: the dataset's, :func:`resolve_scheme`).
    cluster_cut
        Score schemes: the smallest sum that makes a cluster (default: the scheme's).

    Returns
    -------
    table, summary
        :func:`starclass.inspect.consensus.consensus_table` (class schemes) or
        :func:`~starclass.inspect.consensus.score_table` (score schemes), with ``comments``
        and, for PHANGS, ``subclass``.

    Examples
    --------
    >>> from starclass.inspect import db
    >>> e = db.make_engine("sqlite://")
    >>> _ = db.init_db(e)
    >>> ann, bob = db.add_user(e, "ann", "a-long-password"), db.add_user(e, "bob", "a-long-password")
    >>> for cid, a, b in (("1", 1, 1), ("2", 2, 3)):
    ...     _ = db.save_label(e, "", cid, ann, a)
    ...     _ = db.save_label(e, "", cid, bob, b)
    >>> table, summary = consensus_of(e, "")
    >>> table["class_ref"].tolist(), table["tie"].tolist(), summary["n_ties"]
    ([1, 3], [False, True], 1)
    """
    scheme = resolve_scheme(engine, dataset, scheme)
    if cluster_cut is not None:
        scheme.check_cut(cluster_cut)
    labs = db.labels_of(engine, dataset)
    people = [u["name"] for u in db.list_users(engine)]
    people = [p for p in people if any(lab.user == p for lab in labs)]
    if ids is None:
        ids = list(dict.fromkeys(lab.candidate_id for lab in labs))
    rows = [(lab.candidate_id, lab.user, lab.cls) for lab in labs]
    if scheme.consensus == "sum":
        ids, people, S = consensus.label_matrix(rows, ids=ids, people=people, classes=None, missing=-1)
        keep = (S >= 0).any(axis=0) | ~(S >= 0).any()  # as for classes below: nobody without a score here gets a column
        people, S = [p for p, k in zip(people, keep) if k], S[:, keep]
        table, summary = consensus.score_table(S, ids, people, scheme, cluster_cut)
    else:
        ids, people, M = consensus.label_matrix(rows, ids=ids, people=people, classes=scheme.allowed)
        # a person who labelled none of these candidates (only others of the dataset) got a
        # class_h<k> column of zeros and a row in every agreement table
        keep = (M > 0).any(axis=0) | ~(M > 0).any()  # (nobody at all: "no labels to export" says so)
        people, M = [p for p, k in zip(people, keep) if k], M[:, keep]
        table, summary = consensus.consensus_table(M, ids, people, scheme)
    row_of = {c: i for i, c in enumerate(ids)}
    subs: list[Counter] = [Counter() for _ in ids]
    comments: list[list[str]] = [[] for _ in ids]
    for lab in labs:
        i = row_of.get(lab.candidate_id)
        if i is None:
            continue
        if scheme.subclass_of is not None and lab.cls == scheme.subclass_of and lab.subclass:
            subs[i][lab.subclass] += 1
        if lab.comment:
            comments[i].append(f"{lab.user}: {lab.comment}")
    if scheme.subclass_of is not None:
        sub_col = []
        for i, cnt in enumerate(subs):
            if table[CLASS_REF][i] == scheme.subclass_of and cnt:
                best = max(cnt.values())
                sub_col.append(min((s for s, c in cnt.items() if c == best), key=lambda s: int(s[2:])))
            else:
                sub_col.append("")
        table["subclass"] = np.array(sub_col, dtype="U5")
    table["comments"] = [" | ".join(c) for c in comments]
    return table, summary


#: Columns an export wrote under another name before: old name -> today's. An earlier export served as the
#: catalogue has them replaced as today's are (else its people's mean stayed as ``class_mean``, classify's name
#: for the class of the members' mean probability).
OLD_EXPORT_NAMES = {CLASS_MEAN: CLASS_HUMAN_MEAN}


def _with_old_names(filled: list[str], catalogue: list[str]) -> list[str]:
    """``filled`` and the old names (:data:`OLD_EXPORT_NAMES`) an earlier export in ``catalogue`` gave them.

    Only where the catalogue lacks today's name: an export of a classified catalogue has both, and its
    ``class_mean`` is then classify's own.
    """
    return list(filled) + [old for old, new in OLD_EXPORT_NAMES.items()
                           if new in filled and old in catalogue and new not in catalogue]


#: Suffix of a catalogue column kept beside the export's column of the same name.
CATALOGUE_SUFFIX = "_catalogue"


def catalogue_column_names(catalogue: list[str], labels: list[str]) -> dict[str, str]:
    """New names for the catalogue's columns that the exported label columns would replace.

    Each such column (every one of ``labels`` but ``id``) becomes ``<name>_catalogue``, or
    ``<name>_catalogue_2``, ... when that name is taken (a catalogue exported before).

    Parameters
    ----------
    catalogue : list of str
        The candidate catalogue's columns.
    labels : list of str
        The columns the export adds (:func:`consensus_of`).

    Returns
    -------
    dict
        Old name -> new name, in the catalogue's column order (empty when nothing collides).

    Examples
    --------
    >>> catalogue_column_names(["id", "x", "class_ref", "class_ref_catalogue"], ["id", "class_ref", "tie"])
    {'class_ref': 'class_ref_catalogue_2'}
    """
    taken = set(catalogue) | set(labels)
    out: dict[str, str] = {}
    for name in catalogue:
        if name == ID or name not in labels:
            continue
        new, k = f"{name}{CATALOGUE_SUFFIX}", 2
        while new in taken:
            new, k = f"{name}{CATALOGUE_SUFFIX}_{k}", k + 1
        taken.add(new)
        out[name] = new
    return out


#: How the note an export adds to ``meta['comments']`` starts: an earlier export's note, on a
#: catalogue that is itself an export, is replaced rather than kept beside the new one.
EXPORT_NOTE = "starclass inspect --export:"


def earlier_label_columns(catalogue: Table, dataset: str, filled: list[str]) -> list[str]:
    """The columns of ``catalogue`` that an earlier export of the same dataset filled from the labels.

    The active-learning loop serves an export (``--include-unlabelled``) as the next round's
    candidate catalogue. Its ``class_ref``, ``class_h<k>``, ... are then the labels of the
    database as they were, not the catalogue's own values: kept as ``<name>_catalogue`` each
    round, the table and its meta grew with every export. An export is known by its meta
    (``labels_dataset``, kept by ECSV and FITS); its ``labels_columns`` lists what it filled
    (exports before that key: the columns the labels fill now, ``filled``).

    A CSV keeps no meta (the cutout CSV of ``inspect --stamps --export`` is always one): it is
    known by its columns instead, every one the export writes whoever labelled (``n_labels``,
    ``tie`` and the rest of ``filled`` but the per-person ``class_h<k>`` / ``score_h<k>`` and
    ``label``), which no candidate catalogue has of its own. Its dataset is not recorded, so it
    is taken as this one, with a warning naming the columns replaced. Round after round, such a
    list had grown ``label_catalogue_2``, ``class_ref_catalogue_2``, ... (34 columns by round 3).

    Examples
    --------
    >>> t = Table({"id": [1], "class_ref": [3], "class_h1": [3]}, meta={"labels_dataset": ""})
    >>> earlier_label_columns(t, "", ["class_h1", "class_ref"])
    ['class_ref', 'class_h1']
    >>> earlier_label_columns(t, "other", ["class_h1", "class_ref"])
    []
    >>> earlier_label_columns(Table({"id": [1], "class_ref": [3]}), "", ["class_h1", "class_ref"])
    []
    """
    if "labels_dataset" not in catalogue.meta:
        return _export_by_columns(catalogue, filled)
    if catalogue.meta.get("labels_dataset") != dataset:
        return []
    listed = catalogue.meta.get("labels_columns")
    names = (set(listed) if isinstance(listed, (list, tuple))
             else set(_with_old_names(filled, catalogue.colnames)))
    return [c for c in catalogue.colnames if c in names and c != ID]


def _export_by_columns(catalogue: Table, filled: list[str]) -> list[str]:
    """An export without its meta (a CSV), known by its columns: the ones it filled, with a warning; else []."""
    import warnings

    from starclass.schema import COLUMNS

    person = (COLUMNS["class_h<h>"], COLUMNS["score_h<h>"])
    # an export written before a column was renamed has it under its old name (OLD_EXPORT_NAMES)
    old = {new: o for o, new in OLD_EXPORT_NAMES.items() if o in catalogue.colnames and new not in catalogue.colnames}
    always = {"n_labels", "tie"} | {old.get(c, c) for c in filled
                                    if c != LABEL and not any(p.matches(c) for p in person)}
    if not always <= set(catalogue.colnames):
        return []
    names = set(_with_old_names(filled, catalogue.colnames))
    names |= {c for c in catalogue.colnames if any(p.matches(c) for p in person)}
    stale = [c for c in catalogue.colnames if c in names and c != ID]
    warnings.warn("the candidates are an earlier 'inspect --export' (its columns n_labels, tie, ...; the file keeps "
                  "no record of the dataset it was exported from): its label columns are replaced by this export's, "
                  f"not kept beside them: {', '.join(stale)}", stacklevel=3)
    return stale


def export_labels(engine: Engine, dataset: str, catalogue: Table, path: str | Path, *,
                  include_unlabelled: bool = False, summary_path: str | Path | None = None,
                  scheme: LabelScheme | str | None = None, cluster_cut: int | None = None,
                  overwrite: bool = False, label_strings: dict[int, str] | None = None,
                  noun: str = "candidate") -> Table:
    """Write the labelled catalogue (format by extension, atomically) and return it.

    Parameters
    ----------
    catalogue
        The candidate catalogue (its ``id`` joins the labels); its own columns of the names
        the labels fill (``class_ref``, ``class_human_mean``, ``subclass``, ``class_h<k>``, ...) are
        kept as ``<name>_catalogue`` (:func:`catalogue_column_names`; ``meta
        ['catalogue_columns_renamed']`` lists them).
    include_unlabelled
        Keep candidates nobody labelled (``class_ref`` 0); default: only labelled ones.
    summary_path
        Also write the agreement summary (with confusion matrices) as JSON here.
    scheme, cluster_cut
        As for :func:`consensus_of`.
    overwrite
        Replace an existing ``path`` / ``summary_path`` (default: refuse, as astropy does).
    label_strings
        Cutout folders (``inspect --stamps``): also write ``label``, the label string of each
        ``class_ref`` (empty for 0), after the file columns, so that ``train --stamps`` reads the
        export as it is (:func:`starclass.inspect.cutouts.label_strings`).
    noun
        What a row is called in messages: ``"cutout"`` for a cutout folder (no detected candidates).

    Examples
    --------
    Three candidates, two of them labelled by one person in a new database (SQLite in memory):

    >>> import tempfile
    >>> engine = db.make_engine("sqlite://")
    >>> _ = db.init_db(engine)
    >>> ann = db.add_user(engine, "ann", "a long passphrase 1")
    >>> _ = db.save_label(engine, "", "1", ann, 1), db.save_label(engine, "", "3", ann, 4)
    >>> out = Path(tempfile.mkdtemp()) / "labels.ecsv"
    >>> t = export_labels(engine, "", Table({"id": [1, 2, 3], "x": [10.0, 20.0, 30.0]}), out)
    >>> t["id"].tolist(), t["class_ref"].tolist(), t["n_labels"].tolist(), out.is_file()
    ([1, 3], [1, 4], [1, 1], True)
    """
    # the format of the name given, before any work: write_catalog, handed the hidden temporary the export is
    # written to, named that (cannot tell the catalogue format of /data/.labels.txt.dd_kz4dl.txt)
    catalog_format(path)
    # a CSV keeps no meta: whose class_h<k> column is whose goes beside it (train --labels reads it)
    sidecar = people_path(path) if Path(path).suffix.lower() == ".csv" else None
    if not overwrite:
        # checked before the consensus: the catalogue is never half-written next to a refused summary
        for p in (path, summary_path, sidecar):
            if p is not None and Path(p).exists():
                # the argument that replaces it, not only that it was kept
                raise OutputExistsError(exists_refusal(p), p)
    ids = [str(v) for v in catalogue[ID]]
    table, summary = consensus_of(engine, dataset, ids, scheme=scheme, cluster_cut=cluster_cut)
    if not include_unlabelled:
        table = table[table["n_labels"] > 0]
    if len(table) == 0:
        # "for dataset ''" was all it said on a fresh database (the default dataset is the empty key)
        which = f"dataset {dataset!r}" if dataset else "this database (default dataset)"
        raise StarclassError(f"no labels to export: none of the {counted(len(ids), noun)} has a label in {which} "
                             f"yet; label some on the page first, or give --include-unlabelled to write them all")
    cat = catalogue.copy()
    if label_strings is not None:
        # the label column train --stamps reads: the list's own (an old label) is kept renamed, as class_ref is
        table[LABEL] = [label_strings.get(int(k), "") for k in table[CLASS_REF]]
    filled = [c for c in table.colnames if c != ID]
    # an earlier export of these labels served as the catalogue: its label columns are replaced by
    # the database's labels (not kept as <name>_catalogue, round after round), and the renames it
    # recorded (the first catalogue's own columns) stay as they are
    stale = earlier_label_columns(cat, dataset, filled)
    earlier_renamed = dict(cat.meta.get("catalogue_columns_renamed") or {}) if stale else {}
    cat.remove_columns(stale)
    # the catalogue's own values of a column the labels fill (a truth class_ref, the class_ref of another
    # dataset's export) were dropped without a word: kept under another name, and said so
    renamed = catalogue_column_names(cat.colnames, table.colnames)
    for old, new in renamed.items():
        cat.rename_column(old, new)
    cat["_key"] = ids
    cat["_order"] = np.arange(len(cat))
    cons = table.copy()
    cons.rename_column(ID, "_key")
    out = join(cat, cons, keys="_key", join_type="inner")
    out.sort("_order")
    out.remove_columns(["_key", "_order"])
    if label_strings is not None:
        # beside the files, where a cutout CSV has it
        files = [i for i, c in enumerate(out.colnames) if c == "file" or c.lower().startswith("file_")]
        col = out[LABEL]
        out.remove_column(LABEL)
        out.add_column(col, index=files[-1] + 1 if files else 1)
    out.meta.update(table.meta)
    out.meta["agreement"] = {k: v for k, v in summary.items()
                             if isinstance(v, (int, float, dict)) or v is None}
    # the two-inspector figures are what the M31 check reports: keep them with the catalogue
    out.meta["agreement"]["inspectors"] = summary["inspectors"]
    for note in ("vs_mode_note", "weights_note"):  # what vs_mode_* were computed on; why no weights
        if note in summary:
            out.meta["agreement"][note] = summary[note]
    out.meta["labels_dataset"] = dataset
    out.meta["labels_columns"] = filled
    # the catalogue's own description came along unchanged (a simulated truth catalogue served as
    # candidates.ecsv said "class_ref = true class (1-4)" in the export, whose class_ref is the
    # people's): what the export's columns are is said after it. An earlier export's note (the
    # catalogue is an export) is replaced, not repeated: it was appended again with every round
    comments = out.meta.get("comments")
    comments = [] if comments is None else [comments] if isinstance(comments, str) else list(comments)
    if catalogue.meta.get("labels_dataset") == dataset:
        comments = [c for c in comments if not str(c).startswith(EXPORT_NOTE)]
    renamed = {**earlier_renamed, **renamed}
    note = (f"{EXPORT_NOTE} {', '.join(filled)} come from the "
            "people's labels (class_ref their consensus, class_h<k> person k: meta people)")
    if renamed:
        note += "; the catalogue's own " + ", ".join(f"{k} is now {v}" for k, v in renamed.items())
    out.meta["comments"] = comments + [note + "; any description above is the catalogue's"]
    if renamed:
        out.meta["catalogue_columns_renamed"] = renamed

    # one set: both are written under hidden temporary names and renamed into place together, so
    # an interrupt while the summary was written no longer leaves the catalogue alone in place
    from starclass.inspect.field import json_safe

    with contextlib.ExitStack() as staged:
        write_catalog(out, staged.enter_context(atomic_path(path)), overwrite=True)
        if sidecar is not None and out.meta.get("people"):
            staged.enter_context(atomic_path(sidecar)).write_text(
                json.dumps({"people": dict(out.meta["people"])}, indent=1, ensure_ascii=False), encoding="utf-8")
        if summary_path is not None:
            staged.enter_context(atomic_path(summary_path)).write_text(
                # strict JSON: an agreement nobody could compute is null (it was written NaN, which
                # JSON has not), never a number that reads as measured
                # with the people each class_h<k> / score_h<k> column is: a CSV export keeps no meta, so nothing
                # else said whose column was whose
                json.dumps(json_safe({**summary, "people": dict(table.meta.get("people") or {})}), indent=1,
                           allow_nan=False))
    return out
