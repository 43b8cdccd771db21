"""Real-image benchmark: clusters versus galaxies in the 869 PAndAS g-band cutouts (issue 12).

Grouped k-fold cross-validation by ``object_id`` (every cutout of one object in one fold;
the folds are drawn once from ``--seed`` and are the same for every model), out-of-fold
probabilities P(cluster) for every cutout, and per model: accuracy (P >= 0.5), ROC AUC, F1
of the cluster class, and the purity and recall at the lowest threshold that gives 90%
purity (:func:`starclass.evaluate.threshold.threshold_for_purity` on the pooled out-of-fold
scores), each with a 95% bootstrap interval over objects (every cutout of a drawn ``object_id``
comes along; ``--no-group-bootstrap``: over cutouts, as every table before 2026-12-05)
(:func:`starclass.evaluate.bootstrap.bootstrap_ci`), with and without 8-fold test-time
augmentation (the 8 rotations/flips; CNNs only), training and inference time, the mean of
the CNNs run on every fold as an ensemble, and paired bootstrap differences of the best
model against each baseline.

Models (``--models``, comma-separated):

``compact``   the ``m31-real`` preset: our compact CNN, whole 128 px field -> 64 px, z-score
``compact-ms`` the compact CNN on the full 128 px plus the central 64 px magnified 2x
``smallcnn``  Kosiba et al.'s small CNN (six conv + pool, dense 256, dropout 0.65), same input
``starcnet``  StarcNet-style with one band: central 64 px -> 32 px at scales 1, 1.6, 3.2
              (width ``--starcnet-width``, 32 on a CPU; the paper's is 128)
``resnet18``  ResNet-18 on the 64 px input (ImageNet weights only if in the torch cache)
``compact-c64`` the compact CNN on the central 64 px at the native scale (no downsampling)
``compact-c56`` the compact CNN on the paper's central 56 px, enlarged to 64 px
``resnet50``  the M31 paper's model and geometry: central 56 px, resized to 224 px inside the
              network, SGD 1e-2 (ImageNet weights only if in the torch cache)
``resnet50-n128`` ResNet-50 on the whole cutout at the native 128 px (0.187"/px, no resizing),
              Adam 1e-4 as ``resnet18`` (ImageNet weights only if in the torch cache)
``trees``     bagged decision trees on the pixels of the central 21 x 21 px of the 32 px
              stamp (:class:`starclass.models.baselines.BaggedTreesPixels`), no deep learning
``morph``     gradient boosting on morphology measured by statmorph on the central 64 px:
              concentration, asymmetry, smoothness, Gini, M20, ellipticity, Petrosian radius,
              r20, r80 and the segment area (no deep learning)

Any other name (but ``stack-lr``, ``stack-gb``: ``--stack-on``) is refused before any work, exit 2,
with the close ones (:func:`check_model_names`; until 2026-12-05 ``resnet-18`` trained ``morph``
under its own name).

Each (model, fold) is written to ``OUT/<model>_fold<k>.json`` as it finishes, so the
benchmark can be run in parts (``--models``, ``--folds``) and summarised at the end. A CNN's fold
holds P(cluster) of its test rows as ``classify --stamps`` (``p``) and ``classify --stamps --tta``
(``p_tta``) write it, each calibrated by the fold model's map of that mode; since 2026-12-05 also
the raw ones (``p_raw``, ``p_tta_raw``), the maps (``calibration``: method, temperature, rows, and
``with_tta``) and the conformal sets at 90% (``pred_set``, ``pred_set_tta``), which
``trust_real_crossfit.py`` scores::

    nice -n 10 .venv/bin/python benchmarks/real_pandas.py --models morph,trees,compact --out OUT
    nice -n 10 .venv/bin/python benchmarks/real_pandas.py --models smallcnn --folds 0,1 --out OUT
    .venv/bin/python benchmarks/real_pandas.py --summarise --out OUT     # markdown table

Every row of the table can be named in ``--best`` and ``--against``: a run as ``NAME`` (``NAME +TTA``
for its row with 8x TTA; ``NAME (3 members)`` as the table shows it is accepted too), the mean of the
CNNs as ``ensemble``, and an ``--ensemble`` row as the table shows it, ``mean(a +TTA, b)``: a comma
inside parentheses does not split a name (:func:`option_names`; until 2026-12-05 ``--against`` split
that row's name at its comma and refused the pieces).

A name given to ``--runs``, ``--ensemble``, ``--best`` or ``--against`` that OUT does not hold stops
the summary with exit status 2 before the folder is read, naming the close ones (``--best
'compact-ft-x5' is no candidate; did you mean 'compact-ft-x3', ...``); one the files allow but the
runs do not give (``NAME +TTA`` of a run stored without TTA, a run without a fold of
``--summary-folds``) stops it once the runs are read, before the paired differences.

Recipe variants of a CNN (issue 12's "push real accuracy"): ``--recipe key=value,...`` changes
fields of the training recipe (e.g. ``weight_decay=1e-4,epochs=40``), ``--members N`` trains an
ensemble of N members (recipe ``ensemble_size``; the validation split is the same for all, the
seeds differ), ``--init-from MODEL`` fine-tunes every member from a saved model (e.g. one trained
on simulated cutouts, ``benchmarks/sim_to_real.py``), and ``--tag TAG`` names the run
``<model><TAG>`` so variants sit side by side in OUT::

    nice -n 10 .venv/bin/python benchmarks/real_pandas.py --models compact --members 5 --tag=-x5 --out OUT

``--seed`` draws the folds and, unless ``--recipe seeds=N`` is given, seeds the training (the
validation draw and the network's start); ``--recipe seeds=N`` changes only the training seed, so a
run can be repeated with another training seed on the same folds. ``--write-folds LIST.csv`` writes
those folds for others and exits: the cutout list with the benchmark's fold of each row as its ``fold``
column (file paths made absolute; atomic; an existing file only with ``--overwrite``; never inside
``--data`` or the shared data folder), so that ``starclass train --cv fold`` holds out the same folds::

    .venv/bin/python benchmarks/real_pandas.py --write-folds /tmp/pandas_folds.csv
    starclass train --task m31-real --stamps /tmp/pandas_folds.csv --group-column object_id --cv fold -o m31_folds

Balancing the classes within regions of M31 (issue 12, "the disc shortcut"): every cutout
gets ``r_m31_deg`` (projected distance from M31's centre) and ``r_m31_bin`` (its quintile
region, :data:`R_M31_EDGES`), so ``--recipe balance=weighted_sampler,balance_by=r_m31_bin``
trains with the classes balanced within each region (recipe ``balance_by``, capped by
``balance_cap``)::

    nice -n 10 .venv/bin/python benchmarks/real_pandas.py --models compact --threads 1 --out OUT \
        --recipe balance=weighted_sampler,balance_by=r_m31_bin --tag=-balr

``--arch-options key=value,...`` changes the network's options (e.g. ``stem=1``: one stride-2
stem convolution on a 128 px input, so the compact network's stages see 64 px instead of 32).
``--stamp-size N`` resamples what a CNN is given to N px instead of the preset's (the
``m31-real`` preset: the whole 128 px cutout to 64 px; ``--stamp-size 128`` keeps the native
0.187"/px, where globular clusters are resolved into stars at their edges). The compact network
adds one stride-2 stem convolution per doubling of the input, so its cost grows little.

Stacking (issue 12, fifth pass): ``--inner-oof`` makes a CNN run also store, per outer fold k,
out-of-fold P(cluster) of its whole training part, from one model per other fold trained on the
remaining three (the outer folds are grouped by object, so these inner folds are too, and no
model of the inner cross-validation ever sees fold k). ``--models stack-lr`` (logistic regression)
or ``stack-gb`` (shallow gradient boosting) with ``--stack-on RUN`` then fits a second-level model
on those inner predictions (logit, with TTA unless ``--no-stack-tta``) and the statmorph
measurements of the ``morph`` baseline (``--morph-cache``, default ``OUT/morphology_features.npy``),
on the training rows of fold k only, and scores fold k from the outer model's P(cluster)::

    nice -n 10 .venv/bin/python benchmarks/real_pandas.py --models compact --init-from SIM_MODEL \
        --inner-oof --tag=-ft-oof --threads 1 --out OUT        # 5 trainings per fold
    .venv/bin/python benchmarks/real_pandas.py --models stack-lr,stack-gb --stack-on compact-ft-oof \
        --tag=-ft --out OUT

``--summarise --per-object`` scores objects instead of cutouts: each run's P(cluster) is averaged
over the cutouts of one ``object_id`` (the 869 cutouts are 755 objects; 110 have 2-3 cutouts).
That is legitimate at test time because the folds are grouped by object, so all of an object's
cutouts are in one test fold and none was seen in training; the bootstrap then resamples
objects. Report it apart from the per-cutout figures: it answers "is this object a cluster?"
rather than "is this cutout one?".

The per-cutout intervals resample objects too (``--group-bootstrap``, the default since
2026-12-05): the cutouts of one object are not independent, and resampling them one by one made
the intervals too narrow. ``--no-group-bootstrap`` resamples cutouts, as the tables made before.
The summary's first line says which.

The cutouts that ``classify --stamps`` leaves unclassified (a blank, constant, image, or no data at
the cutout's centre pixel) are left out of every row of ``--summarise`` since 2026-12-06: ``classify``
gives them no probabilities, so a fold model's P(cluster) of them is not a prediction anyone gets. The
test is the package's own (:func:`starclass.learn.cutouts.unclassified_cutouts`, which
``classify_cutouts`` calls), with the ``m31-real`` preset at each stamp size of the runs summarised
(:func:`unclassified_rows`); the summary's first paragraph says how many and which rows. On the PAndAS
folder that is 2 blank cutouts of the 869 (rows 231 and 551 of ``labels.csv``, 0-based), so the tables
made before 2026-12-06 scored 869 cutouts and those since 867. ``--keep-unclassified`` scores them too,
as before. ``trust_real_crossfit.py`` and ``real_pandas_stack.py`` leave out the same rows.

``--time-batches N`` times N training and N inference batches of each listed CNN on fold 0
instead of training it, and prints the estimated epoch and 5-fold cost (for ResNet-50 at
224 px, too slow for a loaded 2-core CPU).

On a GPU machine, ``--device cuda`` (or ``auto``) trains and predicts every CNN there, e.g. the
paper's ResNet-50 at 224 px on all five folds, which a 2-core CPU cannot (about 51 h, above)::

    python benchmarks/real_pandas.py --models resnet50,resnet18 --device cuda --threads 8 \
        --data PANDAS_FOLDER --out OUT
    python benchmarks/real_pandas.py --models resnet18 --stamp-size 128 --epochs 20 --tag=-n128-e20 \
        --device cuda --data PANDAS_FOLDER --out OUT

Each fold's JSON records the device it ran on; the baselines always run on the CPU. A device
that does not exist here stops the run before anything is read, with exit status 2.

The machine is shared: timings are indicative only.
"""

from __future__ import annotations

import argparse
import csv
import dataclasses
import difflib
import importlib.util
import json
import os
import re
import tempfile
import time
import warnings
from pathlib import Path

import numpy as np
import torch
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.metrics import f1_score, roc_auc_score

from starclass.errors import StarclassError
from starclass.evaluate.bootstrap import bootstrap_ci
from starclass.evaluate.threshold import threshold_for_purity
from starclass.io.atomic import atomic_path
from starclass.io.cutout_folders import CutoutSet, label_classes, read_csv_rows, read_cutout_folder
from starclass.learn.checkpoint import load_model
from starclass.learn.classify import predict_inputs, trust_columns
from starclass.learn.config import get_preset
from starclass.learn.cutouts import fit_cutouts, group_folds, unclassified_cutouts
from starclass.learn.precision import pick_device
from starclass.learn.provenance import library_versions, row_digests
from starclass.models import build_model
from starclass.models.baselines import BaggedTreesPixels
from starclass.models.torchvision_nets import find_cached_weights
from starclass.schema import FOLD, PRED_SET
from starclass.stamps.images import cutout_inputs

ROOT = Path(__file__).resolve().parents[1]
CNNS = ("compact", "compact-ms", "compact-c64", "compact-c56", "smallcnn", "starcnet", "resnet18", "resnet50",
        "resnet50-n128")
BASELINES = ("trees", "morph")
#: second-level models on a CNN run's P(cluster) and the morphology measurements (``--stack-on``)
STACKERS = ("stack-lr", "stack-gb")
#: edges (deg) of the regions of ``r_m31_bin``: the quintiles of the 869 cutouts' projected distance
#: from M31's centre, as in docs/real_images.md "Where the best models fail" (0.28 deg: the disc)
R_M31_EDGES = (0.28, 0.71, 1.36, 2.11)


def add_regions(cs: CutoutSet) -> CutoutSet:
    """Add ``r_m31_deg`` and its region ``r_m31_bin`` (:data:`R_M31_EDGES`) to the cutouts' table.

    The region is a column a recipe can balance the classes within (``--recipe
    balance=weighted_sampler,balance_by=r_m31_bin``). Positions only, no labels: a test fold's
    rows get their region without anything being learnt from them.

    Examples
    --------
    >>> from astropy.table import Table
    >>> cs = CutoutSet(np.zeros((2, 1, 4, 4), np.float32), Table({"ra": ["10.68", "12.0"], "dec": ["41.27", "40.0"]}),
    ...                ["a", "b"], None, np.array(["a", "b"]))
    >>> add_regions(cs).table["r_m31_bin"].tolist()
    ['0.00-0.28', '1.36-2.11']
    """
    if "ra" not in cs.table.colnames or "dec" not in cs.table.colnames:
        return cs
    here = Path(__file__).with_name("real_pandas_errors.py")
    spec = importlib.util.spec_from_file_location("real_pandas_errors", here)
    errors = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(errors)
    # the same distance the error analysis splits by (its M31 centre)
    from astropy.coordinates import SkyCoord

    c = SkyCoord(np.asarray(cs.table["ra"], float), np.asarray(cs.table["dec"], float), unit="deg")
    r = c.separation(errors.M31_CENTRE).deg
    edges = (0.0, *R_M31_EDGES)
    names = [f"{lo:.2f}-{hi:.2f}" for lo, hi in zip(edges, edges[1:])] + [f">{edges[-1]:.2f}"]
    cs.table["r_m31_deg"] = r
    cs.table["r_m31_bin"] = [names[i] for i in np.searchsorted(R_M31_EDGES, r, side="right")]
    return cs


#: the PAndAS cutouts' own pixel scale (arcsec; shared/data/pandas-m31/README.md)
PANDAS_ARCSEC_PER_PX = 0.187


def check_fold_list_target(path: str | os.PathLike, *, overwrite: bool, protected: list[Path]) -> Path:
    """Refuse a ``--write-folds`` target before the folder is read: not a CSV, existing, or inside the data.

    Parameters
    ----------
    path : str or os.PathLike
        Where the list is to be written.
    overwrite : bool
        Whether an existing file may be replaced (``--overwrite``).
    protected : list of pathlib.Path
        Folders nothing is written into: the ``--data`` folder and the shared data folder.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    StarclassError
        Naming the path and what is wrong with it.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> check_fold_list_target(d / "out.csv", overwrite=False, protected=[d / "data"]).name
    'out.csv'
    >>> try:
    ...     check_fold_list_target(d / "data" / "folds.csv", overwrite=False, protected=[d / "data"])
    ... except StarclassError as exc:
    ...     print(str(exc).split(" is inside ")[1].split(";")[0] == str(d / "data"))
    True
    """
    p = Path(path)
    if p.suffix.lower() != ".csv":
        raise StarclassError(f"--write-folds {p}: the list is written as CSV; give a name ending in .csv.")
    where = Path(os.path.abspath(p))
    for folder in protected:
        # abspath keeps a symlinked shared folder's own name, resolve() finds it under another name too
        for a, b in ((where, Path(os.path.abspath(folder))), (where.resolve(), folder.resolve())):
            if a == b or b in a.parents:
                raise StarclassError(f"--write-folds {p} is inside {folder}; the benchmark never writes into its "
                                     "data, so give a path outside it.")
    if p.is_dir():
        raise StarclassError(f"--write-folds {p} is a folder; give the path of the CSV to write.")
    if p.exists() and not overwrite:
        raise StarclassError(f"--write-folds {p} exists; give --overwrite to replace it.")
    return p


def write_fold_list(cs: CutoutSet, folds: np.ndarray, path: str | os.PathLike, *, overwrite: bool = False) -> Path:
    """Write the cutout list ``cs`` was read from, with the benchmark's folds as its ``fold`` column.

    Every cell is kept as the CSV has it, except the file columns, which are made absolute (the list is
    written outside the data folder, so the paths relative to it would no longer lead to the images).
    ``starclass train --cv fold --stamps LIST --group-column object_id`` then holds out these folds in
    turn: the split every model of the benchmark is scored on.

    Parameters
    ----------
    cs : CutoutSet
        The cutouts as :func:`read_cutout_folder` read them from a CSV.
    folds : numpy.ndarray
        Fold of every row of ``cs`` (:func:`group_folds`, as :func:`main` draws them).
    path : str or os.PathLike
        The CSV to write (atomically).
    overwrite : bool
        Replace an existing file.

    Returns
    -------
    pathlib.Path
        ``path``.

    Raises
    ------
    StarclassError
        When the source list already has a ``fold`` column, its rows are not those of ``cs``, or ``path``
        exists and ``overwrite`` is False.

    Examples
    --------
    >>> import tempfile
    >>> d = Path(tempfile.mkdtemp())
    >>> for k in range(4):
    ...     np.save(d / f"c{k}.npy", np.full((8, 8), float(k), np.float32))
    >>> _ = (d / "labels.csv").write_text("file,label,object_id\\n" + "".join(
    ...     f"c{k}.npy,{'cluster' if k % 2 else 'galaxy'},o{k // 2}\\n" for k in range(4)))
    >>> cs = read_cutout_folder(d / "labels.csv", group_column="object_id")
    >>> out = write_fold_list(cs, np.array([0, 0, 1, 1]), d / "out" / "folds.csv")
    >>> read_cutout_folder(out, group_column="object_id").folds.tolist()
    [0, 0, 1, 1]
    """
    p = Path(path)
    if p.exists() and not overwrite:
        raise StarclassError(f"{p} exists; give --overwrite to replace it.")
    names, rows, lines = read_csv_rows(cs.source)
    if FOLD in names:
        raise StarclassError(f"{cs.source} has a column {FOLD!r} already; the benchmark draws its own folds "
                             "and does not replace a list's.")
    folds = np.asarray(folds)
    if list(lines) != list(cs.lines or []) or folds.shape != (len(rows),):
        raise StarclassError(f"{cs.source}: {len(rows)} rows, but the cutouts read are {len(cs.lines or [])} and "
                             f"the folds {folds.size}; the list must be written from the cutouts of this CSV.")
    file_cols = [c for c in names if c == cs.file_column or c.lower().startswith("file_")]
    p.parent.mkdir(parents=True, exist_ok=True)
    with atomic_path(p) as tmp, open(tmp, "w", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        out.writerow([*names, FOLD])
        for row, fold in zip(rows, folds):
            cells = {c: (row.get(c) or "") for c in names}
            for c in file_cols:
                if cells[c].strip():
                    cells[c] = os.path.abspath(cs.root / cells[c].strip())
            out.writerow([*(cells[c] for c in names), int(fold)])
    return p


def cnn_config(name: str, starcnet_width: int = 32):
    """Task config of a CNN of the benchmark and the central crop (native px) it sees."""
    base = get_preset("m31-real")
    if name == "compact":
        return base, None
    if name == "compact-c64":
        # the central 12" at the native 0.187"/px: the cluster's resolved edge at full resolution,
        # less of the surroundings
        return base.copy(name="m31-real-c64"), 64
    if name == "compact-c56":
        # the M31 paper's central 56 px (10.5"), enlarged to the network's 64 px
        return base.copy(name="m31-real-c56"), 56
    if name == "compact-ms":
        # the full 128 px with its central 64 px magnified 2x as a second channel: the
        # resolved edges of clusters are kept at the native pixel scale
        return base.copy(name="m31-real-ms", stamp_size=128, scales=[1.0, 2.0]), None
    if name == "smallcnn":
        return base.copy(name="m31-real-smallcnn", architecture="smallcnn",
                         arch_options={"widths": [64, 32, 32, 32, 32, 32], "dense": 256, "dropout": 0.65}), None
    if name == "starcnet":
        return base.copy(name="m31-real-starcnet", architecture="starcnet", stamp_size=32,
                         scales=[1.0, 1.6, 3.2],
                         arch_options={"width": starcnet_width, "modules": 7, "pool_after": 4, "groups": 8},
                         recipe={"lr": 1e-4}), 64
    if name == "resnet18":
        # not "m31-real-resnet18": that preset is this network at 128 px with the long recipe, and a
        # config bearing a preset's name is read as that preset (TaskConfig.preset_name)
        return base.copy(name="m31-real-resnet18-bench", architecture="resnet18",
                         arch_options={"adapter": "conv1x1", "pretrained": "auto"}, recipe={"lr": 1e-4}), None
    if name == "resnet50":
        return base.copy(name="m31-real-resnet50", architecture="resnet50", stamp_size=56, input_size=224,
                         arch_options={"adapter": "conv1x1", "pretrained": "auto"},
                         recipe={"lr": 1e-2, "optimizer": "sgd", "momentum": 0.9, "weight_decay": 1e-4,
                                 "batch_size": 32}), 56
    if name == "resnet50-n128":
        # the whole field at the native pixels: ResNet-18 gained most from this (fifth pass); the
        # paper's 56 px crop enlarged 4x carries no more information than its 56 native pixels
        return base.copy(name="m31-real-resnet50-n128", architecture="resnet50", stamp_size=128,
                         arch_options={"adapter": "conv1x1", "pretrained": "auto"}, recipe={"lr": 1e-4}), None
    raise StarclassError(f"unknown CNN {name!r}; choose from {CNNS}")


def crop(cs: CutoutSet, width: int | None) -> CutoutSet:
    """The cutouts cut to their central ``width`` native pixels (None: unchanged)."""
    if width is None:
        return cs
    s = cs.images.shape[-1]
    lo = (s - width) // 2
    return dataclasses.replace(cs, images=cs.images[..., lo:lo + width, lo:lo + width])


def weights_note(cfg) -> str:
    arch = cfg.architecture
    if arch in ("resnet18", "resnet50"):
        path = find_cached_weights(arch)
        return f"ImageNet weights from {path}" if path else "from scratch (no ImageNet weights in the torch cache)"
    return "from scratch"


_NUMBER = re.compile(r"[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?")


def parse_recipe(text: str | None) -> dict:
    """``key=value,key=value`` recipe changes, values read as YAML (numbers, booleans, null)."""
    import yaml

    out: dict = {}
    for part in (text or "").split(","):
        if not part.strip():
            continue
        if "=" not in part:
            raise StarclassError(f"--recipe: {part!r} is not key=value")
        key, value = part.split("=", 1)
        v = yaml.safe_load(value)
        if isinstance(v, str) and _NUMBER.fullmatch(v.strip()):
            # YAML 1.1 reads "1e-4" (no dot) as a string; other text (e.g. "cosine") stays text
            v = float(v)
        out[key.strip()] = v
    return out


def variant_config(name: str, args):
    """:func:`cnn_config` with ``--recipe`` and ``--members`` applied."""
    cfg, width = cnn_config(name, args.starcnet_width)
    changes = parse_recipe(getattr(args, "recipe", None))
    if getattr(args, "members", None):
        changes["ensemble_size"] = int(args.members)
    if changes:
        cfg = cfg.copy(recipe=changes)
    arch = parse_recipe(getattr(args, "arch_options", None))
    if arch:
        cfg = cfg.copy(arch_options={**cfg.arch_options, **arch})
    size = getattr(args, "stamp_size", None)
    if size:
        size = int(size)
        side = width or 128  # the side of what the network is given (crop or whole cutout)
        if not 8 <= size <= side:
            raise StarclassError(f"--stamp-size {size}: must be between 8 and the {side} px the "
                                 f"{name} model is given (no enlarging past the native pixels)")
        if cfg.input_size is not None:
            raise StarclassError(f"--stamp-size: {name} resizes its input to {cfg.input_size} px inside "
                                 "the network; a stamp-size override would not change what it sees")
        # the stamp the cutout is resampled to; 128 (= the cutout) keeps the native 0.187"/px
        cfg = cfg.copy(name=f"{cfg.name}-s{size}", stamp_size=size)
    norm = getattr(args, "normalisation", None)
    if norm:
        # the M31 paper z-scores with the mean and standard deviation (zstd, its eq. 1); the
        # preset's robust zscore divides by the MAD, which a crop filled by a saturated object
        # (8-bit ZScale cutouts) shrinks to a fraction of one grey level
        cfg = cfg.copy(name=f"{cfg.name}-{norm}", normalisation=norm)
    grow = getattr(args, "input_size", None)
    if grow:
        # ResNets halve the image four times before their first block: enlarging a small stamp
        # inside the network (the M31 paper's 56 -> 224 px) keeps its detail past the stem
        if cfg.input_size is not None:
            raise StarclassError(f"--input-size: {name} already resizes its input to {cfg.input_size} px")
        cfg = cfg.copy(name=f"{cfg.name}-i{int(grow)}", input_size=int(grow))
    # pixel_scale is of a stamp pixel: what the network is given (the crop, else the whole 128 px of 0.187")
    # over stamp_size; kept from m31-real (0.374"/px, 64 px) a 128 px variant said its pixels were twice as wide
    return cfg.copy(pixel_scale=PANDAS_ARCSEC_PER_PX * (width or 128) / cfg.stamp_size), width


def inner_splits(folds: np.ndarray, k: int) -> list[tuple[int, np.ndarray, np.ndarray]]:
    """The inner cross-validation of outer fold ``k``: every other outer fold held out in turn.

    Parameters
    ----------
    folds : numpy.ndarray
        Outer fold of every cutout (grouped by object, so the inner folds are grouped too).
    k : int
        The outer test fold: none of its rows is in any inner split.

    Returns
    -------
    list of (j, train, held)
        For each other fold ``j``: the rows to train on (neither fold ``k`` nor ``j``) and the
        rows of fold ``j`` to predict. The predictions of all ``held`` parts are out-of-fold
        predictions for the whole training part of outer fold ``k`` from models that never
        saw fold ``k``: what a second-level model may be fitted on.

    Raises
    ------
    StarclassError
        When fold ``k`` is empty or fewer than three folds exist (no inner split is left).

    Examples
    --------
    >>> import numpy as np
    >>> [(j, t.tolist(), h.tolist()) for j, t, h in inner_splits(np.array([0, 1, 2, 2]), 0)]
    [(1, [2, 3], [1]), (2, [1], [2, 3])]
    """
    folds = np.asarray(folds)
    ids = np.unique(folds)
    if k not in ids or ids.size < 3:
        raise StarclassError(f"inner folds of fold {k}: need fold {k} and at least 3 folds (have {ids.tolist()})")
    out = []
    for j in ids:
        if j == k:
            continue
        out.append((int(j), np.flatnonzero((folds != k) & (folds != j)), np.flatnonzero(folds == j)))
    return out


def training_seed(args) -> int | None:
    """The seed the CNNs' training is given: ``--seed``, or None when ``--recipe`` sets ``seeds``.

    ``fit_cutouts(seed=...)`` overrides the recipe's seeds, so passing ``--seed`` there made a
    ``--recipe seeds=N`` do nothing (a "seed 1" run trained with seed 0); with None the recipe's
    seeds decide (the validation draw uses the first member's).

    Examples
    --------
    >>> import argparse
    >>> training_seed(argparse.Namespace(seed=0, recipe="seeds=3,lr=1e-4")) is None
    True
    >>> training_seed(argparse.Namespace(seed=2, recipe=None))
    2
    """
    if "seeds" in parse_recipe(getattr(args, "recipe", None)):
        return None
    return int(args.seed)


def run_cnn(name, cs, y, folds, k, args) -> dict:
    cfg, width = variant_config(name, args)
    data = crop(cs, width)
    train = np.flatnonzero(folds != k)
    test = np.flatnonzero(folds == k)
    with tempfile.TemporaryDirectory(prefix=f"realpandas_{name}_") as tmp:
        t0 = time.perf_counter()
        res = fit_cutouts(cfg, data, outdir=tmp, train_index=train, seed=training_seed(args), epochs=args.epochs,
                          progress=False, resume=False, device=args.device, init_from=args.init_from)
        t_train = time.perf_counter() - t0
        model = load_model(tmp, device=args.device)
        x = cutout_inputs(data.images[test], cfg)
        out = {"calibration": calibration_note(model.calibration)}
        for tta in (False, True):
            t0 = time.perf_counter()
            r = predict_inputs(model, x, tta=tta, device=args.device)
            out["infer_tta_s" if tta else "infer_s"] = time.perf_counter() - t0
            out["p_tta" if tta else "p"] = r.prob_mean[:, cfg.classes.index(1)].tolist()
            if r.prob_raw is not None:
                # the uncalibrated P(cluster) too: another map (e.g. the one fitted without TTA, which
                # classify --tta applied before 2026-12-05) can then be scored on the same weights
                out["p_tta_raw" if tta else "p_raw"] = r.prob_raw[:, cfg.classes.index(1)].tolist()
            # the conformal sets at 90% the fold model writes from its own validation rows, as classify does
            # (keyed by each row's input); without them the coverage "as trained" could not be measured
            raw = r.prob_raw if r.prob_raw is not None else r.prob_mean
            cols, _ = trust_columns(model, raw, coverage=0.9, keys=row_digests(x), tta=tta)
            if PRED_SET in cols:
                out["pred_set_tta" if tta else "pred_set"] = cols[PRED_SET].tolist()
    if getattr(args, "inner_oof", False):
        out["inner"] = inner_predictions(cfg, data, folds, k, args)
    weights = weights_note(cfg) if not args.init_from else f"fine-tuned from {args.init_from}"
    return dict(out, test=test.tolist(), train_s=t_train, epochs_run=float(np.mean([len(h) for h in res.histories])),
                best_epoch=res.best_epochs[0], weights=weights, members=len(res.histories),
                recipe=parse_recipe(args.recipe), epochs_max=int(args.epochs or cfg.recipe.epochs),
                stamp_size=int(cfg.stamp_size))


def calibration_note(entry: dict | None) -> dict | None:
    """The fold model's calibration as the fold's JSON keeps it: method, temperature, rows, and the same under TTA.

    ``predict_inputs`` applies the map of its TTA mode (``with_tta`` under TTA, as ``classify --tta``
    does since 2026-12-05), so ``p_tta`` of a model holding one is calibrated by it; a fold file
    without ``with_tta`` here was calibrated with the map fitted without TTA, or left raw.

    Examples
    --------
    >>> note = calibration_note({"method": "temperature", "temperature": 1.5, "n": 120, "probs": [[0.5, 0.5]],
    ...                          "with_tta": {"method": "temperature", "temperature": 1.2, "n": 120}})
    >>> note["temperature"], note["with_tta"], "probs" in note
    (1.5, {'method': 'temperature', 'temperature': 1.2, 'n': 120}, False)
    >>> calibration_note(None) is None
    True
    """
    if entry is None:
        return None
    out = {k: entry[k] for k in ("method", "temperature", "n") if k in entry}
    if entry.get("with_tta") is not None:
        out["with_tta"] = calibration_note(entry["with_tta"])
    return out


def inner_predictions(cfg, data: CutoutSet, folds: np.ndarray, k: int, args) -> dict:
    """Out-of-fold P(cluster) of the training part of outer fold ``k`` (:func:`inner_splits`).

    One model per other fold, trained with the same recipe and start as the outer model on the
    training part less that fold; fold ``k`` is never trained on nor predicted. Returns the rows
    (``index``), ``p`` and ``p_tta`` (the 8 rotations/flips) and the training seconds.
    """
    idx, p, p_tta = [], [], []
    t0 = time.perf_counter()
    for _, train, held in inner_splits(folds, k):
        with tempfile.TemporaryDirectory(prefix="realpandas_inner_") as tmp:
            fit_cutouts(cfg, data, outdir=tmp, train_index=train, seed=training_seed(args), epochs=args.epochs,
                        progress=False, resume=False, device=args.device, init_from=args.init_from)
            model = load_model(tmp, device=args.device)
            x = cutout_inputs(data.images[held], cfg)
            c = cfg.classes.index(1)
            p.extend(predict_inputs(model, x, tta=False, device=args.device).prob_mean[:, c].tolist())
            p_tta.extend(predict_inputs(model, x, tta=True, device=args.device).prob_mean[:, c].tolist())
        idx.extend(held.tolist())
    return {"index": idx, "p": p, "p_tta": p_tta, "train_s": time.perf_counter() - t0}


def time_cnn(name, cs, y, folds, args) -> None:
    """Time ``--time-batches`` training and inference batches; print epoch and 5-fold estimates."""
    cfg, width = variant_config(name, args)
    data = crop(cs, width)
    torch.manual_seed(0)
    dev = torch.device(args.device)
    net = build_model(cfg).to(dev)
    bs = int(cfg.recipe.batch_size)
    x = torch.from_numpy(cutout_inputs(data.images[:bs], cfg)).to(dev)
    t = torch.from_numpy((y[:bs] != 1).astype(np.int64)).to(dev)
    opt = torch.optim.SGD(net.parameters(), lr=1e-3)

    def wait() -> None:
        # GPU work is queued: the clock may only stop once it has run
        if dev.type == "cuda":
            torch.cuda.synchronize(dev)

    net.train()
    wait()
    t0 = time.perf_counter()
    for _ in range(args.time_batches):
        loss = torch.nn.functional.cross_entropy(net(x), t)
        opt.zero_grad()
        loss.backward()
        opt.step()
    wait()
    train_batch = (time.perf_counter() - t0) / args.time_batches
    net.eval()
    t0 = time.perf_counter()
    with torch.inference_mode():
        for _ in range(args.time_batches):
            net(x)
    wait()
    infer_batch = (time.perf_counter() - t0) / args.time_batches
    n_train = int(np.sum(folds != 0))
    epoch = train_batch * n_train / bs + infer_batch * 0.15 * n_train / bs
    epochs = int(args.epochs or cfg.recipe.epochs)
    print(f"{name}: {train_batch:.2f} s per training batch of {bs}, {infer_batch:.2f} s per inference batch "
          f"-> about {epoch / 60:.1f} min per epoch on {n_train} cutouts; {epochs} epochs x 5 folds = "
          f"{epoch * epochs * 5 / 3600:.1f} h (+ 8x inference for TTA) on {dev}; {weights_note(cfg)}")


# ----------------------------------------------------------------------------- baselines


def morphology_features(images: np.ndarray, cache: Path) -> np.ndarray:
    """statmorph measurements of every cutout's central 64 px (cached in ``cache``)."""
    import statmorph
    from astropy.stats import sigma_clipped_stats
    from photutils.segmentation import detect_sources
    from scipy import ndimage

    if cache.is_file():
        return np.load(cache)
    feats = np.full((len(images), 10), np.nan)
    s = images.shape[-1]
    lo = (s - 64) // 2
    for i, full in enumerate(images):
        img = full[0, lo:lo + 64, lo:lo + 64].astype(float)
        _, med, std = sigma_clipped_stats(img, sigma=3)
        d = img - med
        seg = detect_sources(ndimage.gaussian_filter(d, 1.0), 1.5 * max(std, 1e-6), npixels=5)
        if seg is None:
            continue
        # the segment under the centre, else the nearest one (the catalogue position is
        # within 2" = 11 px of the object)
        lab = int(seg.data[32, 32])
        if lab == 0:
            yy, xx = np.nonzero(seg.data)
            j = np.argmin((yy - 32) ** 2 + (xx - 32) ** 2)
            if (yy[j] - 32) ** 2 + (xx[j] - 32) ** 2 > 11 ** 2:
                continue
            lab = int(seg.data[yy[j], xx[j]])
        mask = (seg.data == lab).astype(np.int32)
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            m = statmorph.SourceMorphology(d, mask, 1, weightmap=np.full(d.shape, max(std, 1e-6)))
            feats[i] = [m.concentration, m.asymmetry, m.smoothness, m.gini, m.m20,
                        m.ellipticity_asymmetry, m.rpetro_circ, m.r20, m.r80, float(mask.sum())]
    feats[~np.isfinite(feats)] = np.nan
    cache.parent.mkdir(parents=True, exist_ok=True)
    np.save(cache, feats)
    return feats


def run_baseline(name, cs, y, folds, k, args) -> dict:
    train = np.flatnonzero(folds != k)
    test = np.flatnonzero(folds == k)
    yb = (y == 1).astype(int)
    t0 = time.perf_counter()
    if name == "trees":
        cfg = get_preset("m31-real", stamp_size=32)
        x = cutout_inputs(crop(cs, 64).images, cfg)
        model = BaggedTreesPixels(n_estimators=100, patch=21, random_state=args.seed, n_jobs=1).fit(x[train], yb[train])
    else:
        x = morphology_features(cs.images, Path(args.morph_cache) if getattr(args, "morph_cache", None)
                                else Path(args.out) / "morphology_features.npy")
        model = HistGradientBoostingClassifier(random_state=args.seed).fit(x[train], yb[train])
    t_train = time.perf_counter() - t0
    t0 = time.perf_counter()
    p = model.predict_proba(x[test])[:, list(model.classes_).index(1)]
    return {"test": test.tolist(), "p": p.tolist(), "train_s": t_train, "infer_s": time.perf_counter() - t0,
            "weights": "n/a"}


# ----------------------------------------------------------------------------- stacking


def second_level_model(name: str, seed: int = 0):
    """The second-level classifier of a stacker (fixed before any stacking run was scored).

    ``stack-lr``: logistic regression on the standardised features, missing morphology (no
    segment under the centre) imputed by the training median with a missing-flag column.
    ``stack-gb``: shallow gradient boosting, which takes missing values as they are.
    """
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    if name == "stack-lr":
        return make_pipeline(SimpleImputer(strategy="median", add_indicator=True), StandardScaler(),
                             LogisticRegression(C=1.0, max_iter=2000))
    if name == "stack-gb":
        return HistGradientBoostingClassifier(max_depth=3, learning_rate=0.05, max_iter=200, random_state=seed)
    raise StarclassError(f"unknown stacker {name!r}; choose from {STACKERS}")


def stack_features(p: np.ndarray, extra: np.ndarray) -> np.ndarray:
    """Second-level features: the logit of the CNN's P(cluster), then the extra columns.

    Examples
    --------
    >>> import numpy as np
    >>> stack_features(np.array([0.5, 0.9]), np.array([[1.0], [2.0]])).round(3).tolist()
    [[0.0, 1.0], [2.197, 2.0]]
    """
    q = np.clip(np.asarray(p, dtype=float), 1e-6, 1 - 1e-6)
    return np.column_stack([np.log(q / (1 - q)), np.asarray(extra, dtype=float)])


def stack_fold(model, y: np.ndarray, extra: np.ndarray, folds: np.ndarray, k: int,
               train_rows: np.ndarray, p_train: np.ndarray, test_rows: np.ndarray,
               p_test: np.ndarray) -> np.ndarray:
    """Fit a second-level model inside the training part of fold ``k`` and score fold ``k``.

    Parameters
    ----------
    model : sklearn classifier
        Unfitted second-level model (:func:`second_level_model`).
    y : numpy.ndarray
        0/1 truth of every cutout.
    extra : numpy.ndarray
        Further features of every cutout (here the morphology measurements), ``[n, m]``.
    folds : numpy.ndarray
        Outer fold of every cutout.
    k : int
        The outer test fold.
    train_rows, p_train : numpy.ndarray
        Training rows and their out-of-fold P(cluster) from the inner cross-validation
        (models that saw neither the row nor fold ``k``: :func:`inner_splits`).
    test_rows, p_test : numpy.ndarray
        The rows of fold ``k`` and P(cluster) of the outer model (trained on all training rows).

    Returns
    -------
    numpy.ndarray
        Second-level P(cluster) of ``test_rows``.

    Raises
    ------
    StarclassError
        When a training row is in fold ``k``, a test row is not, or the training rows are not
        the whole training part: the second-level model must not see test-fold rows.

    Examples
    --------
    >>> import numpy as np
    >>> from sklearn.linear_model import LogisticRegression
    >>> folds = np.array([0, 0, 1, 1, 1, 1])
    >>> y = np.array([1, 0, 1, 0, 1, 0])
    >>> p = stack_fold(LogisticRegression(), y, np.zeros((6, 1)), folds, 0, np.arange(2, 6),
    ...                np.array([0.9, 0.2, 0.8, 0.1]), np.arange(2), np.array([0.7, 0.3]))
    >>> bool(p[0] > p[1])
    True
    """
    folds = np.asarray(folds)
    train_rows = np.asarray(train_rows, dtype=int)
    test_rows = np.asarray(test_rows, dtype=int)
    leak = train_rows[folds[train_rows] == k]
    if leak.size:
        raise StarclassError(f"stacking fold {k}: {leak.size} training row(s) are in the test fold "
                             f"(first: row {leak[0]}); the second-level model must not see them")
    if not np.all(folds[test_rows] == k):
        raise StarclassError(f"stacking fold {k}: test rows outside fold {k}")
    part = np.flatnonzero(folds != k)
    if not np.array_equal(np.sort(train_rows), part):
        raise StarclassError(f"stacking fold {k}: the inner predictions cover {np.unique(train_rows).size} "
                             f"of the {part.size} training rows (run the CNN with --inner-oof)")
    model.fit(stack_features(p_train, extra[train_rows]), np.asarray(y)[train_rows])
    return model.predict_proba(stack_features(p_test, extra[test_rows]))[:, list(model.classes_).index(1)]


def run_stack(name, cs, y, folds, k, args) -> dict:
    """A stacker (``stack-lr``/``stack-gb``) on fold ``k`` of the run ``--stack-on`` (with ``--inner-oof``)."""
    if not args.stack_on:
        raise StarclassError(f"{name}: --stack-on RUN names the CNN run (made with --inner-oof) to stack on")
    src = Path(args.out) / f"{args.stack_on}_fold{k}.json"
    if not src.is_file():
        raise StarclassError(f"{name}: no {src}; run the CNN on fold {k} with --inner-oof first")
    run = json.loads(src.read_text())
    if "inner" not in run:
        raise StarclassError(f"{name}: {src} has no inner out-of-fold predictions (run it with --inner-oof)")
    key = "p_tta" if args.stack_tta else "p"
    cache = Path(args.morph_cache) if args.morph_cache else Path(args.out) / "morphology_features.npy"
    extra = morphology_features(cs.images, cache)
    yb = (y == 1).astype(int)
    t0 = time.perf_counter()
    p = stack_fold(second_level_model(name, args.seed), yb, extra, folds, k,
                   np.asarray(run["inner"]["index"]), np.asarray(run["inner"][key]),
                   np.asarray(run["test"]), np.asarray(run[key]))
    return {"test": run["test"], "p": p.tolist(), "train_s": time.perf_counter() - t0, "infer_s": 0.0,
            "weights": f"stacked on {args.stack_on} ({key}) + morphology", "stack_on": args.stack_on,
            "stack_key": key}


# ----------------------------------------------------------------------------- summary


def _metrics():
    def acc(y, p):
        return float(np.mean((p >= 0.5) == y))

    def auc(y, p):
        return float(roc_auc_score(y, p)) if 0 < y.sum() < y.size else float("nan")

    def f1(y, p):
        return float(f1_score(y, p >= 0.5))

    def at90(key):
        def f(y, p):
            try:
                return float(threshold_for_purity(y, p, 0.9)[key])
            except StarclassError:
                return float("nan")
        return f

    return {"accuracy": acc, "auc": auc, "f1": f1, "purity@90": at90("purity"), "recall@90": at90("recall")}


def stamp_size_of(results: Path, run: str) -> int:
    """The stamp size a run's models were given (``stamp_size`` of its fold files; 64, m31-real's, if not kept).

    Examples
    --------
    >>> d = Path(tempfile.mkdtemp())
    >>> _ = (d / "m_fold0.json").write_text('{"test": [0], "stamp_size": 128}')
    >>> stamp_size_of(d, "m"), stamp_size_of(d, "other")
    (128, 64)
    """
    for f in sorted(results.glob(f"{run}_fold*.json")):
        size = json.loads(f.read_text()).get("stamp_size")
        if size:
            return int(size)
    return int(get_preset("m31-real").stamp_size)


def unclassified_rows(images: np.ndarray, sizes: list[int]) -> tuple[np.ndarray, np.ndarray]:
    """The cutouts ``classify --stamps`` leaves unclassified for a model of any of these stamp sizes.

    :func:`starclass.learn.cutouts.unclassified_cutouts` (the function ``classify --stamps`` itself
    calls) with the ``m31-real`` preset at each size, as the runs' models saw the cutouts; a row left
    out at any size is left out of every run, so that all are scored on the same cutouts. Those get
    no probabilities from ``classify``, so no stored prediction of theirs is scored.

    Returns
    -------
    blank, centre : numpy.ndarray
        bool ``[N]`` each: blank (constant), and not blank but without data at the centre.

    Examples
    --------
    >>> img = np.random.default_rng(0).random((3, 1, 128, 128)).astype("f4")
    >>> img[1] = 7.0
    >>> [m.tolist() for m in unclassified_rows(img, [64, 128])]
    [[False, True, False], [False, False, False]]
    """
    blank = np.zeros(len(images), bool)
    centre = np.zeros(len(images), bool)
    for size in sorted(set(sizes)):
        b, c = unclassified_cutouts(images, get_preset("m31-real", stamp_size=int(size)))
        blank |= b
        centre |= c
    return blank, centre & ~blank


def left_out_line(blank: np.ndarray, centre: np.ndarray) -> str:
    """The line that says which cutouts were left out, as :func:`unclassified_rows` found them.

    Examples
    --------
    >>> print(left_out_line(np.array([False, True, False, True]), np.zeros(4, bool)))
    left out 2 of 4 cutouts that classify --stamps leaves unclassified: 2 blank (rows 1, 3, 0-based)
    >>> print(left_out_line(np.zeros(3, bool), np.zeros(3, bool)))
    left out 0 of 3 cutouts: classify --stamps classifies every one
    """
    n = int(blank.sum() + centre.sum())
    if n == 0:
        return f"left out 0 of {blank.size} cutouts: classify --stamps classifies every one"
    parts = [f"{int(m.sum())} {what} (rows {', '.join(str(int(i)) for i in np.flatnonzero(m))}, 0-based)"
             for m, what in ((blank, "blank"), (centre, "without data at the centre")) if m.any()]
    return (f"left out {n} of {blank.size} cutouts that classify --stamps leaves unclassified: "
            + "; ".join(parts))


def object_truth(y: np.ndarray, groups: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Object code of every cutout and the truth of every object.

    Parameters
    ----------
    y : numpy.ndarray
        0/1 truth of every cutout.
    groups : numpy.ndarray
        Object (``object_id``) of every cutout.

    Returns
    -------
    code, y_obj : numpy.ndarray
        ``code[i]`` is the object of cutout ``i`` (0 .. n_objects-1, in sorted order of the
        ids); ``y_obj[j]`` the truth of object ``j``.

    Raises
    ------
    StarclassError
        When the cutouts of one object disagree on the truth (then no object-level truth exists).

    Examples
    --------
    >>> import numpy as np
    >>> code, y_obj = object_truth(np.array([1, 1, 0]), np.array(["b", "b", "a"]))
    >>> code.tolist(), y_obj.tolist()
    ([1, 1, 0], [0, 1])
    """
    ids, code = np.unique(np.asarray(groups), return_inverse=True)
    y = np.asarray(y)
    y_obj = np.zeros(ids.size, dtype=y.dtype)
    y_obj[code] = y
    bad = np.flatnonzero(y_obj[code] != y)
    if bad.size:
        raise StarclassError(f"object {ids[code[bad[0]]]!r}: its cutouts have different labels; "
                             "no per-object truth")
    return code, y_obj


def object_mean(idx: np.ndarray, p: np.ndarray, code: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """P(cluster) averaged over the cutouts of each object a run scored.

    Parameters
    ----------
    idx : numpy.ndarray
        Cutout rows the run scored (out-of-fold).
    p : numpy.ndarray
        P(cluster) of those rows.
    code : numpy.ndarray
        Object code of every cutout (:func:`object_truth`).

    Returns
    -------
    objects, p_obj : numpy.ndarray
        The objects scored (sorted codes) and the mean P(cluster) of each.

    Examples
    --------
    >>> import numpy as np
    >>> objects, p_obj = object_mean(np.array([0, 1, 2]), np.array([0.2, 0.6, 0.9]), np.array([1, 1, 0]))
    >>> objects.tolist(), p_obj.round(2).tolist()
    ([0, 1], [0.9, 0.4])
    """
    obj = np.asarray(code)[np.asarray(idx, dtype=int)]
    objects, inv = np.unique(obj, return_inverse=True)
    # the mean of an object's cutouts: each cutout is an independent view of the same object
    total = np.bincount(inv, weights=np.asarray(p, dtype=float), minlength=objects.size)
    return objects, total / np.bincount(inv, minlength=objects.size)


#: a row's name as the table shows it for a run of several members: ``compact-ft-x3 (3 members)``
_MEMBERS_LABEL = re.compile(r"^(?P<run>.+?) \(\d+ members?\)(?P<tta> \+TTA)?$")


def option_names(text: str | None, sep: str = ",") -> list[str]:
    """The row names of a ``--runs``/``--ensemble``/``--best``/``--against`` value, split on ``sep``.

    A ``sep`` inside parentheses does not split: an ``--ensemble`` row is named ``mean(a +TTA, b)``,
    and ``--against "mean(a +TTA, b)"`` was split into ``mean(a +TTA`` and ``b)``, so that row could
    not be named at all. A row may also be given as the table's first column shows it: ``NAME (3
    members)`` is the run ``NAME`` (with `` +TTA`` after it for its TTA row), and ``ensemble
    (compact+resnet18)`` is the row ``ensemble``.

    Parameters
    ----------
    text : str or None
        The option's value.
    sep : str
        The separator: ``,`` (``--runs``, ``--against``, the runs of one ``--ensemble`` group) or
        ``;`` (``--best``, the groups of ``--ensemble``).

    Returns
    -------
    list of str
        The names, stripped, empty ones left out.

    Examples
    --------
    >>> option_names("resnet18 +TTA,mean(compact-ft +TTA, resnet18 +TTA), trees")
    ['resnet18 +TTA', 'mean(compact-ft +TTA, resnet18 +TTA)', 'trees']
    >>> option_names("compact-ft-x3 (3 members) +TTA;ensemble (compact+resnet18)", ";")
    ['compact-ft-x3 +TTA', 'ensemble']
    """
    parts, depth, start = [], 0, 0
    text = text or ""
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(depth - 1, 0)
        elif ch == sep and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    names = []
    for part in (p.strip() for p in parts):
        if not part:
            continue
        m = _MEMBERS_LABEL.match(part)
        if m:
            part = m["run"] + (m["tta"] or "")
        elif part.startswith("ensemble (") and part.endswith(")"):
            part = "ensemble"
        names.append(part)
    return names


def _ensembles(args) -> list[list[str]]:
    """The runs of each ``--ensemble`` group ("a +TTA,b +TTA;c,d")."""
    return [option_names(group) for group in option_names(getattr(args, "ensemble", None), ";")]


def check_summary_names(args) -> None:
    """Refuse an unknown ``--runs``/``--ensemble``/``--best``/``--against`` name of ``--summarise`` early.

    From OUT's file names alone (:func:`stored_names`), before the cutout folder is read and every row
    bootstrapped: ``--best nosuch`` was refused only after that (a minute at ``--n-boot 1000``), listing
    every name, and an unknown ``--against`` was skipped without a word. A name the files allow but
    the runs do not give (no TTA stored, no fold of ``--summary-folds``) is refused by
    :func:`summarise` once the runs are read.

    Parameters
    ----------
    args : argparse.Namespace
        ``out``, ``runs``, ``ensemble``, ``best``, ``against`` as ``main`` parses them.

    Raises
    ------
    StarclassError
        The first unknown name, its option and the close names (:func:`check_names`).

    Examples
    --------
    >>> import argparse
    >>> check_summary_names(argparse.Namespace(out="/nonexistent", runs=None, ensemble=None, best=None,
    ...                                        against=None))
    >>> check_summary_names(argparse.Namespace(out="/nonexistent", runs=None, ensemble=None, best="nosuch",
    ...                                        against=None))
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: --best 'nosuch' is no candidate; none is close to it (candidates of 0 runs)
    """
    names = stored_names(Path(args.out))
    runs = option_names(args.runs)
    check_names({"--runs": runs}, [n for n in names if not n.endswith(" +TTA")])
    if runs:
        keep = set(runs) | set(BASELINES)  # as summarise keeps them
        names = [n for n in names if n.split(" ")[0] in keep]
    ensembles = _ensembles(args)
    check_names({"--ensemble": [n for parts in ensembles for n in parts]}, names)
    # rows --best and --against may name besides the runs (the mean of the CNNs, each --ensemble's mean):
    # checked once the runs are read, kept out of the candidates so the count stays that of the runs
    rows = {"ensemble"} | {"mean(" + ", ".join(parts) + ")" for parts in ensembles}
    best = option_names(args.best, ";")
    against = option_names(args.against)
    check_names({"--best": [n for n in best if n not in rows], "--against": [n for n in against if n not in rows]},
                names)


def summarise(args, y_all: np.ndarray, groups: np.ndarray | None = None,
              unclassified: tuple[np.ndarray, np.ndarray] | None = None) -> str:
    """The markdown table of the runs in ``args.out``, scored on the cutouts ``classify --stamps`` classifies.

    ``unclassified``: the rows ``classify --stamps`` leaves unclassified, (blank, centre without data) as
    :func:`unclassified_rows` finds them; they are left out of every row of the table (unless
    ``args.keep_unclassified``) and the first paragraph says how many and which. Until 2026-12-06 they
    were scored with the fold models' confident probabilities (2 blank cutouts of the 869). None: every
    row is scored and nothing is said (no test was made).
    """
    out = Path(args.out)
    runs: dict[str, dict[int, dict]] = {}
    for f in sorted(out.glob("*_fold*.json")):
        name, k = f.stem.rsplit("_fold", 1)
        runs.setdefault(name, {})[int(k)] = json.loads(f.read_text())
    yb = (y_all == 1).astype(int)
    kept = np.ones(yb.size, bool)
    left_line = None
    if unclassified is not None:
        blank, centre = unclassified
        if getattr(args, "keep_unclassified", False):
            left_line = (f"scored all {yb.size} cutouts, the {int((blank | centre).sum())} that classify --stamps "
                         "leaves unclassified among them (--keep-unclassified)")
        else:
            kept = ~(blank | centre)
            left_line = left_out_line(blank, centre)
    per_object = bool(getattr(args, "per_object", False))
    grouped = bool(getattr(args, "group_bootstrap", True))
    unit = "cutouts"
    if per_object:
        if groups is None:
            raise StarclassError("--per-object needs the object of every cutout")
        code, yb = object_truth(yb, groups)
        unit = "objects"
    if grouped and not per_object and groups is None:
        raise StarclassError("--group-bootstrap needs the object of every cutout (or --no-group-bootstrap)")
    # each cutout's object, resampled whole (None: rows resampled; per object, a row is already an object)
    obj = np.asarray(groups).astype(str) if grouped and not per_object else None

    def g(rows):
        return None if obj is None else obj[np.asarray(rows, dtype=int)]

    # the rows scored: every kept cutout, or every object with a kept cutout
    units = np.unique(code[kept]) if per_object else np.flatnonzero(kept)
    n_units = units.size
    if per_object:
        said = f"95% intervals resample the {n_units} objects (one row each)"
    elif obj is not None:
        said = (f"95% intervals resample the {np.unique(obj[kept]).size} objects (object_id), every cutout of a "
                f"drawn object with it, not the {n_units} cutouts one by one")
    else:
        said = f"95% intervals resample the {n_units} cutouts one by one (--no-group-bootstrap)"
    if left_line:
        said += "\n" + left_line
    lines = [said, "", "| model | folds | TTA | accuracy | ROC AUC | F1 | purity @90% | recall @90% "
             "| train s/fold | infer s/fold | weights |",
             "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    pooled: dict[str, tuple[np.ndarray, np.ndarray]] = {}
    # the named models first, then the variants (``--tag``) in alphabetical order
    names = [n for n in list(CNNS) + list(BASELINES) if n in runs] + sorted(
        n for n in runs if n not in CNNS and n not in BASELINES)
    if args.runs:
        # a summary of a few runs only (the baselines stay: the paired differences need them)
        keep = set(option_names(args.runs)) | set(BASELINES)
        names = [n for n in names if n in keep]
    for name in names:
        folds = sorted(k for k in runs[name] if args.summary_folds is None or k in args.summary_folds)
        if not folds:
            continue
        for tta in (False, True):
            key = "p_tta" if tta else "p"
            if not all(key in runs[name][k] for k in folds):
                continue
            idx = np.concatenate([runs[name][k]["test"] for k in folds]).astype(int)
            p = np.concatenate([runs[name][k][key] for k in folds])
            idx, p = idx[kept[idx]], p[kept[idx]]
            if per_object:
                idx, p = object_mean(idx, p, code)
            pooled[name + (" +TTA" if tta else "")] = (idx, p)
            cells = score_cells(yb[idx], p, args.n_boot, groups=g(idx))
            tr = np.mean([runs[name][k]["train_s"] for k in folds])
            inf = np.mean([runs[name][k]["infer_tta_s" if tta else "infer_s"] for k in folds])
            ep = ""
            if "epochs_run" in runs[name][folds[0]]:
                ep = f" ({np.mean([runs[name][k]['epochs_run'] for k in folds]):.0f} ep)"
            members = runs[name][folds[0]].get("members", 1)
            label = name if members == 1 else f"{name} ({members} members)"
            lines.append(f"| {label} | {','.join(map(str, folds))} | {'8x' if tta else 'no'} | " + " | ".join(cells)
                         + f" | {tr:.0f}{ep} | {inf:.1f} | {runs[name][folds[0]].get('weights', '')} |")
    # ensemble: mean P(cluster) of the CNNs that cover every cutout
    full = [n for n in CNNS if n in pooled and pooled[n][0].size == n_units]
    if len(full) >= 2:
        ps = []
        for n in full:
            idx, p = pooled[n]
            v = np.full(yb.size, np.nan)
            v[idx] = p
            ps.append(v[units])
        p = np.mean(ps, axis=0)
        pooled["ensemble"] = (units, p)
        cells = score_cells(yb[units], p, args.n_boot, groups=g(units))
        lines.append(f"| ensemble ({'+'.join(full)}) | all | no | " + " | ".join(cells) + " | | | |")
    # named ensembles (--ensemble "a +TTA,b +TTA;c,d"): the mean P(cluster) of runs already made,
    # on the cutouts all of them cover
    for parts in _ensembles(args):
        check_names({"--ensemble": parts}, sorted(pooled))
        common = pooled[parts[0]][0]
        for n in parts[1:]:
            common = np.intersect1d(common, pooled[n][0])
        p = np.mean([_align(pooled[n], common) for n in parts], axis=0)
        name = "mean(" + ", ".join(parts) + ")"
        pooled[name] = (common, p)
        cells = score_cells(yb[common], p, args.n_boot, groups=g(common))
        lines.append(f"| {name} | {common.size} {unit} | - | " + " | ".join(cells) + " | | | |")
    # paired differences: the best model by AUC (or the one named by --best) against each
    # baseline and each --against model, on the cutouts both cover
    text = "\n".join(lines)
    deep = {n: v for n, v in pooled.items() if n.split(" ")[0] not in BASELINES}
    if deep:
        # several runs may be named (--best "a +TTA;b +TTA"): one block of differences each, so a
        # screen of several variants needs one summary (the bootstrap of every row is the slow part)
        bests = option_names(args.best, ";")
        extra = option_names(args.against)
        # names the files allowed but the runs read do not give (no TTA stored, no fold of --summary-folds);
        # an unknown --against was skipped without a word
        check_names({"--best": bests, "--against": extra}, sorted(pooled))
        if not bests:
            bests = [max(deep, key=lambda n: roc_auc_score(yb[deep[n][0]], deep[n][1]))]
        against = list(BASELINES) + extra
        diffs = []
        for best in bests:
            for base in against:
                if base not in pooled or base == best:  # a baseline not run here: nothing to compare
                    continue
                common = np.intersect1d(pooled[best][0], pooled[base][0])
                diffs.extend(paired_lines(best, _align(pooled[best], common), base, _align(pooled[base], common),
                                          yb[common], args.n_boot, groups=g(common)))
        if diffs:
            text += (f"\n\n| paired difference | metric | value [95% interval] | {unit} |\n| --- | --- | --- | --- |\n"
                     + "\n".join(diffs))
    return text


def check_names(wanted: dict[str, list[str]], names: list[str], skipped: list[str] = ()) -> None:
    """Refuse a ``--best``/``--against``/``--post-hoc`` name that is no candidate, suggesting the close ones.

    The one check of run names for this script's ``--summarise`` and ``real_pandas_stack.py``, each
    calling it twice: on the runs' file names before any work (``names`` the stored runs, with and
    without `` +TTA``: :func:`stored_names`), and on the runs once read. A typo was named only after
    the stacking or the bootstrap of every row (seconds to minutes), listing all of the candidates,
    and ``--summarise`` skipped an unknown ``--against`` without a word.

    Parameters
    ----------
    wanted : dict
        ``{option: [names]}``.
    names : list of str
        The candidates (``NAME``, ``NAME +TTA``).
    skipped : list of str
        The notes of runs left out (``NAME: no fold [3]``): a name of one of them says why.

    Raises
    ------
    StarclassError
        The first unknown name, its option, why its run was left out or the closest candidates.

    Examples
    --------
    >>> check_names({"--best": ["resnet18 +TTA"]}, ["resnet18", "resnet18 +TTA", "trees"])
    >>> check_names({"--against": ["resnet81"]}, ["resnet18", "resnet18 +TTA", "trees"])  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: --against 'resnet81' is no candidate; did you mean 'resnet18', 'resnet18 +TTA'? ...
    """
    known = set(names)
    for option, given in wanted.items():
        for name in given:
            if name in known:
                continue
            run = name.split(" ")[0]
            why = [note for note in skipped if note.split(":")[0] == run]
            if why:
                raise StarclassError(f"{option} {name!r}: its run was left out ({why[0].split(': ', 1)[1]})")
            # its own run's candidates first ('noise' for 'noise +TTA', stored without TTA): difflib ranked
            # 'second +TTA' above it
            close = ([n for n in names if n.split(" ")[0] == run]
                     or difflib.get_close_matches(name, names, n=3, cutoff=0.6))
            hint = (f"did you mean {', '.join(repr(c) for c in close)}?" if close
                    else "none is close to it")
            runs = len({n.split(" ")[0] for n in names})  # both phases alike: the runs, TTA or not
            raise StarclassError(f"{option} {name!r} is no candidate; {hint} (candidates of {runs} runs)")


def check_model_names(models: str) -> None:
    """Refuse a ``--models`` name that is no model of this benchmark, suggesting the close ones.

    Every name that is neither a CNN nor a stacker fell through to the morphology baseline:
    ``--models resnet-18`` trained it and wrote ``resnet-18_fold0.json``, exit 0.

    Parameters
    ----------
    models : str
        ``--models`` as given: comma-separated names (empty ones, a trailing comma, are skipped).

    Raises
    ------
    StarclassError
        The first unknown name, the close names and every model the script has.

    Examples
    --------
    >>> check_model_names("compact,trees")
    >>> check_model_names("compact,resnet-18")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.StarclassError: --models 'resnet-18' is no model; did you mean 'resnet18', ...? (the models: ...)
    """
    known = CNNS + BASELINES + STACKERS
    for name in (n.strip() for n in models.split(",")):
        if name and name not in known:
            close = difflib.get_close_matches(name, known, n=3, cutoff=0.6)
            hint = f"did you mean {', '.join(repr(c) for c in close)}?" if close else "none is close to it"
            raise StarclassError(f"--models {name!r} is no model; {hint} (the models: {', '.join(known)})")


def stored_names(runs_dir: Path) -> list[str]:
    """The names a folder of runs can give, from the file names alone: each run with and without `` +TTA``.

    Examples
    --------
    >>> stored_names(Path("/nonexistent"))
    []
    """
    runs = sorted({f.stem.rsplit("_fold", 1)[0] for f in runs_dir.glob("*_fold*.json")})
    return [n for run in runs for n in (run, run + " +TTA")]


def score_cells(y: np.ndarray, p: np.ndarray, n_boot: int, groups: np.ndarray | None = None) -> list[str]:
    """The summary's cells of one run: accuracy, AUC, F1, purity and recall at 90% purity.

    Each is the value on the pooled out-of-fold scores with its 95% bootstrap interval
    (resampling rows, or whole ``groups``, seed 0), as in every table of ``--summarise``; other
    scripts (``real_pandas_stack.py``) score their runs with the same cells.

    Parameters
    ----------
    y : numpy.ndarray
        0/1 truth (1: cluster).
    p : numpy.ndarray
        P(cluster) of the same rows.
    n_boot : int
        Bootstrap resamples.
    groups : numpy.ndarray, optional
        The object (``object_id``) of every row: each resample draws whole objects
        (:func:`starclass.evaluate.bootstrap.bootstrap_ci`). None: rows are resampled.

    Returns
    -------
    list of str
        Five cells, in the order of the table's columns.

    Examples
    --------
    >>> y = np.array([1, 0] * 10)
    >>> score_cells(y, y * 0.8 + 0.1, 20)[:3]
    ['1.000 [1.000, 1.000]', '1.000 [1.000, 1.000]', '1.000 [1.000, 1.000]']
    """
    return [_cell(*_ci(fn, y, p, n_boot=n_boot, groups=groups)) for fn in _metrics().values()]


def paired_lines(name_a: str, pa: np.ndarray, name_b: str, pb: np.ndarray, y: np.ndarray,
                 n_boot: int, groups: np.ndarray | None = None) -> list[str]:
    """Rows of the paired-difference table: ``A - B`` in AUC, F1 and accuracy on the same rows.

    The difference is bootstrapped with both runs scored on each resample (paired; seed 0).

    Parameters
    ----------
    name_a, name_b : str
        The runs' names as the table shows them.
    pa, pb : numpy.ndarray
        Their P(cluster) on the same rows, aligned.
    y : numpy.ndarray
        0/1 truth of those rows.
    n_boot : int
        Bootstrap resamples.
    groups : numpy.ndarray, optional
        The object of every row: each resample draws whole objects. None: rows are resampled.

    Returns
    -------
    list of str
        ``| A - B | metric | value [95% interval] | rows |`` for auc, f1, accuracy.

    Examples
    --------
    >>> y = np.array([1, 0] * 10)
    >>> paired_lines("a", y * 0.8 + 0.1, "b", np.full(20, 0.6), y, 20)[0]
    '| a - b | auc | +0.500 [+0.500, +0.500] | 20 |'
    """
    metrics = _metrics()
    out = []
    for mname in ("auc", "f1", "accuracy"):
        fn = metrics[mname]
        v, lo, hi = bootstrap_ci(lambda t, a, b, fn=fn: fn(t, a) - fn(t, b), y, pa, pb, n_boot=n_boot, seed=0,
                                 groups=groups)
        out.append(f"| {name_a} - {name_b} | {mname} | {v:+.3f} [{lo:+.3f}, {hi:+.3f}] | {y.size} |")
    return out


def _ci(fn, *arrays, n_boot: int, groups: np.ndarray | None = None) -> tuple[float, float, float]:
    """:func:`bootstrap_ci`, or NaNs where the metric is undefined on most resamples."""
    try:
        return bootstrap_ci(fn, *arrays, n_boot=n_boot, seed=0, groups=groups)
    except StarclassError:
        return float("nan"), float("nan"), float("nan")


def _cell(v: float, lo: float, hi: float) -> str:
    """A value with its interval; NaN (no threshold reaches 90% purity) says so.

    Examples
    --------
    >>> _cell(0.9, 0.85, 0.95)
    '0.900 [0.850, 0.950]'
    >>> _cell(float("nan"), float("nan"), float("nan"))
    'not reached (nor in most resamples)'
    """
    head = "not reached" if not np.isfinite(v) else f"{v:.3f}"
    if not (np.isfinite(lo) and np.isfinite(hi)):
        # the bootstrap gives no interval when most resamples have no value either
        return f"{head} (nor in most resamples)"
    return f"{head} [{lo:.3f}, {hi:.3f}]"


def _align(run: tuple[np.ndarray, np.ndarray], rows: np.ndarray) -> np.ndarray:
    idx, p = run
    where = {int(i): j for j, i in enumerate(idx)}
    return np.array([p[where[int(r)]] for r in rows])


def resolve_device(name: str) -> str:
    """The torch device ``--device`` names, checked before any work starts.

    Parameters
    ----------
    name : str
        ``"cpu"``, ``"cuda"``, ``"cuda:N"`` or ``"auto"`` (CUDA when this machine has it).

    Returns
    -------
    str
        The device as torch writes it (``"cpu"``, ``"cuda"``, ``"cuda:1"``).

    Raises
    ------
    StarclassError
        When the name is not a device, or names a GPU this machine does not have.

    Examples
    --------
    >>> resolve_device("cpu")
    'cpu'
    """
    return str(pick_device(None if name == "auto" else name))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    default_data = next((p for p in (ROOT.parent / "shared" / "data" / "pandas-m31",
                                     ROOT.parents[1] / "shared" / "data" / "pandas-m31") if p.is_dir()),
                        ROOT.parent / "shared" / "data" / "pandas-m31")
    ap.add_argument("--data", default=str(default_data), help="the pandas-m31 folder (labels.csv inside)")
    ap.add_argument("--models", default="trees,morph,compact",
                    help=f"comma-separated: {', '.join(CNNS + BASELINES + STACKERS)}")
    ap.add_argument("--folds", default="0,1,2,3,4", help="folds to run (0-based)")
    ap.add_argument("--n-folds", type=int, default=5)
    ap.add_argument("--seed", type=int, default=0, help="seed of the folds and of the models")
    ap.add_argument("--epochs", type=int, default=None, help="epochs of every CNN (default: the preset's)")
    ap.add_argument("--starcnet-width", type=int, default=32)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--out", default=str(ROOT / "benchmarks" / "results_real_pandas"))
    ap.add_argument("--summarise", action="store_true", help="print the table of what OUT holds")
    ap.add_argument("--n-boot", type=int, default=1000)
    ap.add_argument("--summary-folds", default=None, help="summarise only these folds (e.g. 2,3,4)")
    ap.add_argument("--best", default=None, help="the run(s) compared in the paired differences (default: highest "
                                                  "AUC), e.g. 'compact-ft-x5 +TTA' or 'a +TTA;b +TTA'")
    ap.add_argument("--runs", default=None, help="summarise only these runs (names in OUT, comma-separated; "
                                                  "the baselines are always kept)")
    ap.add_argument("--against", default=None,
                    help="more rows to compare --best with, comma-separated (a comma inside parentheses does not "
                         "split), e.g. 'resnet18 +TTA,mean(compact +TTA, resnet18 +TTA)': any row of the table, "
                         "NAME or NAME +TTA (its 8x TTA row), ensemble, or an --ensemble row's mean(...)")
    ap.add_argument("--ensemble", default=None, help="averaged runs to add as rows: 'a +TTA,b +TTA;c,d'")
    ap.add_argument("--group-bootstrap", action=argparse.BooleanOptionalAction, default=True,
                    help="with --summarise: 95%% intervals resample objects (object_id; every cutout of a drawn "
                         "object with it), the default; --no-group-bootstrap resamples cutouts one by one")
    ap.add_argument("--keep-unclassified", action="store_true",
                    help="with --summarise: score the cutouts classify --stamps leaves unclassified too (blank, or "
                         "without data at the centre), as every table before 2026-12-06 did; by default they are "
                         "left out and the summary says which")
    ap.add_argument("--per-object", action="store_true",
                    help="with --summarise: score objects, P(cluster) averaged over each object_id's cutouts")
    ap.add_argument("--recipe", default=None, help="recipe changes key=value,... for the CNNs listed")
    ap.add_argument("--members", type=int, default=None, help="ensemble members per CNN (recipe ensemble_size)")
    ap.add_argument("--init-from", default=None, help="fine-tune every member from this saved model")
    ap.add_argument("--stamp-size", type=int, default=None,
                    help="resample what each CNN is given to this many px (the m31-real preset: the 128 px "
                         "cutout to 64; 128 keeps the native 0.187\"/px)")
    ap.add_argument("--normalisation", default=None, choices=("zscore", "zstd", "asinh", "none"),
                    help="stamp normalisation of the CNNs listed (default: the preset's robust zscore; "
                         "zstd is the M31 paper's mean and standard deviation)")
    ap.add_argument("--input-size", type=int, default=None,
                    help="resize the stamp to this many px inside the network (as the paper's ResNet-50 "
                         "does, 56 -> 224), e.g. 256 for the whole 128 px cutout")
    ap.add_argument("--arch-options", default=None,
                    help="architecture options key=value,... for the CNNs listed (e.g. stem=1 for compact)")
    ap.add_argument("--inner-oof", action="store_true",
                    help="also store out-of-fold P(cluster) of each training part (one model per other fold) "
                         "for a second-level model (--models stack-lr/stack-gb)")
    ap.add_argument("--stack-on", default=None, help="stackers: the CNN run in OUT (made with --inner-oof)")
    ap.add_argument("--stack-tta", action=argparse.BooleanOptionalAction, default=True,
                    help="stackers: use the run's P(cluster) with TTA (default) or without")
    ap.add_argument("--morph-cache", default=None,
                    help="morphology features file (default OUT/morphology_features.npy; measured if absent)")
    ap.add_argument("--tag", default="", help="suffix of the run's name in OUT (variants side by side)")
    ap.add_argument("--time-batches", type=int, default=0, help="only time this many batches per CNN")
    ap.add_argument("--write-folds", default=None, metavar="LIST.csv",
                    help="write the cutout list with the benchmark's folds as its 'fold' column (for starclass train "
                         "--cv fold) and exit; never inside --data")
    ap.add_argument("--overwrite", action="store_true", help="replace an existing --write-folds file")
    ap.add_argument("--device", default="cpu",
                    help="where the CNNs train and predict: cpu (the default, as every published row), "
                         "cuda, cuda:N, or auto (CUDA when there is one); the baselines always run on the CPU")
    args = ap.parse_args(argv)
    try:
        args.device = resolve_device(args.device)
        check_model_names(args.models)
        # a bad --recipe/--arch-options value stops the run here, before any data is read or a fold trained
        for name in (n.strip() for n in args.models.split(",")):
            if name in CNNS:
                variant_config(name, args)
        if args.write_folds:
            # an existing file or a path inside the data stops here, before the folder is read
            shared = [q for q in (ROOT.parent / "shared", ROOT.parents[1] / "shared") if q.is_dir()]
            check_fold_list_target(args.write_folds, overwrite=args.overwrite,
                                   protected=[Path(args.data), *shared])
        if args.summarise:
            # a typo in a run's name stops here, before the folder is read and every row bootstrapped
            check_summary_names(args)
    except StarclassError as exc:
        print(f"real_pandas: {exc}")
        return 2
    if args.summary_folds is not None:
        args.summary_folds = {int(f) for f in args.summary_folds.split(",")}
    torch.set_num_threads(args.threads)
    try:  # a --data folder that is not there, or not a cutout folder, was read_cutout_folder's traceback
        cs = add_regions(read_cutout_folder(Path(args.data) / "labels.csv", group_column="object_id"))
        y = label_classes(cs, get_preset("m31-real").label_map)
    except StarclassError as exc:
        print(f"real_pandas: {exc}")
        return 2
    folds = group_folds(y, cs.groups, args.n_folds, seed=args.seed)
    if args.write_folds:
        try:
            path = write_fold_list(cs, folds, args.write_folds, overwrite=args.overwrite)
        except StarclassError as exc:
            print(f"real_pandas: {exc}")
            return 2
        print(f"wrote {path}: {len(folds)} cutouts in {args.n_folds} folds (seed {args.seed}); score them with "
              f"'starclass train --task m31-real --stamps {path} --group-column object_id --cv fold -o OUT'")
        return 0
    if args.summarise:
        # the rows classify --stamps leaves unclassified, at every stamp size of the runs summarised
        runs = sorted({n.split(" ")[0] for n in stored_names(Path(args.out))})
        if args.runs:
            runs = [n for n in runs if n in set(option_names(args.runs)) | set(BASELINES)]
        try:
            unclassified = unclassified_rows(cs.images, [stamp_size_of(Path(args.out), n) for n in runs] or [64])
            text = summarise(args, y, cs.groups, unclassified)
        except StarclassError as exc:  # a name the runs read do not give: was a traceback
            print(f"real_pandas: {exc}")
            return 2
        print(text)
        return 0
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    for name in args.models.split(","):
        name = name.strip()
        if args.time_batches:
            if name in CNNS:
                time_cnn(name, cs, y, folds, args)
            continue
        for k in (int(f) for f in args.folds.split(",")):
            t0 = time.perf_counter()
            if name in CNNS:
                res = run_cnn(name, cs, y, folds, k, args)
            elif name in STACKERS:
                res = run_stack(name, cs, y, folds, k, args)
            else:
                res = run_baseline(name, cs, y, folds, k, args)
            res.update(model=name + args.tag, base_model=name, fold=k, n_folds=args.n_folds, seed=args.seed,
                       loadavg=os.getloadavg()[0], device=args.device if name in CNNS else "cpu",
                       # the same command with 1 and 2 torch threads trains different weights on a CPU
                       # (fold 0 of resnet18 at 128 px, 2 epochs: P(cluster) differs by up to 0.105), so a
                       # rerun must know the count; earlier fold files did not record it
                       torch_threads=torch.get_num_threads(), versions=library_versions())
            path = out / f"{name}{args.tag}_fold{k}.json"
            tmp = path.with_suffix(".tmp")
            tmp.write_text(json.dumps(res))
            os.replace(tmp, path)  # a half-written fold never looks finished
            print(f"{name}{args.tag} fold {k}: {time.perf_counter() - t0:.0f} s, load {res['loadavg']:.1f}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
