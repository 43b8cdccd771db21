"""Shared test fixtures.

Tests that need the real catalogues in ``../shared/data`` use the fixtures here, which skip
(with a reason) when that folder is absent, so the suite runs anywhere.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]

# Under pytest-xdist (the README's `-n 2`) each worker is a process of its own, so the cores are
# already shared out: torch's and BLAS's default of one thread per core would put two spinning
# thread pools on each core. Set before anything imports torch; a value the user set is kept.
if os.environ.get("PYTEST_XDIST_WORKER"):
    for _var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS"):
        os.environ.setdefault(_var, "1")
SHARED_DATA = ROOT.parent / "shared" / "data"
LEGUS_TAB = SHARED_DATA / "legus" / "hlsp_legus_hst_wfc3_ngc1566_multiband_v1_padagb-mwext-avgapcor.tab"
SSP_TABLE = SHARED_DATA / "ssp" / "yggdrasil_Z0.020_kroupa_fcov1_inst_HST_AB.txt"


@pytest.fixture(autouse=True)
def _close_figures() -> Iterator[None]:
    """Close the pyplot figures a test left open (a test's own: since 2026-12-06 the report functions return
    figures pyplot does not hold, tests/test_report_figures_no_pyplot.py).

    A test's open figures stayed with its worker: past 20, matplotlib's "More than 20 figures"
    RuntimeWarning reached the next command run in that process, whose "warning:" lines a test
    counts (tests/test_merge_collapse_note.py failed so, depending on which files shared its worker).
    """
    yield
    import sys

    plt = sys.modules.get("matplotlib.pyplot")  # never imported here: most tests draw nothing
    if plt is not None:
        plt.close("all")


@pytest.fixture(scope="session")
def _user_cache_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("xdg-cache")


@pytest.fixture(autouse=True)
def _tests_cache_in_a_temporary_folder(_user_cache_home, monkeypatch) -> None:
    """``XDG_CACHE_HOME`` in a temporary folder: ``inspect``'s pictures go to the user's cache (never beside the
    data, src/starclass/inspect/render.py ``user_cache_root``), and a test must not fill the user's ``~/.cache``.
    A test that sets its own (``monkeypatch.setenv``) overrides this one."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(_user_cache_home))


#: A 1 x 1 PNG: what a report's figure becomes where a test checks the words and tables around it
TINY_PNG = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="


@pytest.fixture()
def unrendered_figures(monkeypatch) -> list[str]:
    """Evaluation and report figures built as before but not rendered to PNG: each becomes :data:`TINY_PNG`.

    Rendering (``savefig`` in ``report.sections``' ``to_png_base64``) was about half of an ``evaluate`` or
    ``report`` run in a test (test_sed_offsets_written_once: 6.9 of its 11.3 s, profiled), and the tests
    that ask for this fixture read the tables, files and words around the figures, not their pixels. The
    figures are still built (a figure that fails to build still fails the test) and closed. Returns the
    titles of the figures' first axes, in the order they were drawn.
    """
    from starclass.report import figures, sections

    drawn: list[str] = []

    def unrendered(fig, dpi: int = 85) -> str:
        drawn.append(fig.axes[0].get_title() if fig.axes else "")
        figures._close(fig)
        return TINY_PNG

    monkeypatch.setattr(sections, "to_png_base64", unrendered)
    return drawn


def load_benchmark(name: str) -> ModuleType:
    """A fresh module from ``benchmarks/<name>.py`` (the scripts are not a package).

    Not put in ``sys.modules``: each call executes the script again, as each test file did before.
    """
    spec = importlib.util.spec_from_file_location(f"bench_{name}", ROOT / "benchmarks" / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture(scope="session")
def legus_tab() -> Path:
    """Path of the real LEGUS NGC 1566 catalogue; skips when ../shared is absent."""
    if not LEGUS_TAB.exists():
        pytest.skip(f"real LEGUS catalogue not available at {LEGUS_TAB}")
    return LEGUS_TAB


@pytest.fixture(scope="session")
def shared_ssp() -> Path:
    """Path of the shared Yggdrasil SSP table; skips when ../shared is absent."""
    if not SSP_TABLE.exists():
        pytest.skip(f"shared SSP table not available at {SSP_TABLE}")
    return SSP_TABLE


@pytest.fixture(scope="session")
def simulated_fields(tmp_path_factory) -> Callable[..., Path]:
    """``simulated_fields(size, n_candidates, seed=3)``: the folder ``starclass simulate`` writes, made once a session.

    Each set of arguments is simulated on its first call (``simulate DIR --size SIZE --n-candidates N --seed SEED``,
    the command line a user types) and its folder handed to every later call: several test files ran the same
    simulation each in its own module fixture. The folder is shared, so a test only reads it: outputs go to the
    test's own ``tmp_path``, and a test that must change the field copies it first (``shutil.copytree``).
    """
    from typer.testing import CliRunner

    from starclass.cli import app

    made: dict[tuple[int, int, int], Path] = {}

    def field(size: int, n_candidates: int, seed: int = 3) -> Path:
        key = (int(size), int(n_candidates), int(seed))
        if key not in made:
            out = tmp_path_factory.mktemp(f"sim{size}_{n_candidates}_s{seed}") / "field"
            res = CliRunner().invoke(app, ["simulate", str(out), "--size", str(size), "--n-candidates",
                                           str(n_candidates), "--seed", str(seed), "--no-progress"])
            assert res.exit_code == 0, res.output
            made[key] = out
        return made[key]

    return field


@pytest.fixture()
def sim_field(simulated_fields) -> Path:
    """The 160 px field of 30 candidates (seed 3) the detect summary tests read: :func:`simulated_fields`'s, shared."""
    return simulated_fields(160, 30)


@pytest.fixture(autouse=True)
def _default_port_any_free(monkeypatch) -> None:
    """``inspect``'s default port (8000) is bound as port 0, any free one, in every test.

    ``starclass inspect`` binds its port before it opens the label database
    (:func:`starclass.inspect.listen.listening_socket`): a test that serves through the command with
    ``serve`` stubbed and no ``--port`` bound 127.0.0.1:8000 for real, and failed ("port 8000 ...
    already in use") wherever another program or another test had it, as on this shared machine.
    A test that names a port (a free one, or one it took itself) gets that port, bound for real. A
    command run in a subprocess is out of this fixture's reach: give it ``--port`` of
    :func:`webtools.free_port`.
    """
    from starclass.inspect import listen

    bind = listen.listening_socket

    def default_to_any(host: str, port: int):
        return bind(host, 0 if port == listen.DEFAULT_PORT else port)

    monkeypatch.setattr(listen, "listening_socket", default_to_any)


@pytest.fixture(scope="module")
def cheap_argon2():
    """Cheap argon2 parameters for one module: the inspect tests make many accounts on a shared machine.

    Not autouse: a module asks for it with ``pytestmark = pytest.mark.usefixtures("cheap_argon2")``,
    so any other test hashes with the real defaults. They are back when the module ends.
    """
    from starclass.inspect import auth

    auth.configure_hasher(time_cost=1, memory_cost=8192, parallelism=1)
    yield
    auth.configure_hasher()


@pytest.fixture(scope="module")
def postgres_url():
    """URL of a throwaway PostgreSQL server for one module; skips (saying why) when none can be started."""
    from webtools import PostgresUnavailable, throwaway_postgres

    try:
        with throwaway_postgres() as url:
            yield url
    except PostgresUnavailable as exc:
        pytest.skip(f"no PostgreSQL server could be started: {exc}")


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):
    """A new, empty label database: a SQLite file, then a fresh database on :func:`postgres_url`'s server."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'labels.sqlite'}"
    from webtools import fresh_database

    return fresh_database(request.getfixturevalue("postgres_url"))


@pytest.fixture()
def single_thread():
    """One thread for torch and BLAS: spinning OpenMP threads stall on a shared 2-core machine."""
    import torch
    from threadpoolctl import threadpool_limits

    n = torch.get_num_threads()
    torch.set_num_threads(1)
    with threadpool_limits(1):
        yield
    torch.set_num_threads(n)


@pytest.fixture()
def empty_hub(tmp_path):
    """A torch hub cache with no checkpoints in it (what a machine without downloads has)."""
    import torch

    old = torch.hub.get_dir()
    torch.hub.set_dir(str(tmp_path / "hub"))
    yield tmp_path / "hub"
    torch.hub.set_dir(old)


def write_toy_held_out(cfg, folder: Path, n: int, seed: int):
    """Write a labelled held-out toy field: mosaics in ``folder / "mos"`` and ``folder / "held.ecsv"``.

    Shared by the calibration tests that run ``starclass calibrate`` on fresh labelled rows.
    """
    from starclass.bands import BANDS
    from starclass.datasets.stamps import make_synthetic_field
    from starclass.io.catalog import write_catalog
    from starclass.io.mosaic import write_mosaic

    images, table = make_synthetic_field(cfg, n, seed=seed)
    for band, img in images.items():
        info = BANDS[band]
        write_mosaic(folder / "mos" / f"toy_{band}.fits", img, band, None, photflam=info.photflam,
                     photplam=info.photplam)
    write_catalog(table, folder / "held.ecsv")


def write_toy_mosaics(folder: Path, nan_box: tuple[slice, slice] | None = None) -> list[str]:
    """Write a 96 x 96 px toy field of five objects in f555w and f814w: ``folder / "toy_<band>.fits"``.

    The mosaics the detect and cutouts option tests run on; ``nan_box`` (rows, columns) is set to
    NaN in both bands (no data there). Returns the two file names, f555w first.
    """
    from starclass.bands import BANDS
    from starclass.datasets.fields import synthetic_field
    from starclass.io.mosaic import write_mosaic

    mosaics, _ = synthetic_field((96, 96), 5, bands=("f555w", "f814w"), seed=1)
    names = []
    for band in mosaics.bands:
        data = mosaics.data[band].copy()
        if nan_box is not None:
            data[nan_box] = float("nan")
        write_mosaic(folder / f"toy_{band}.fits", data, band, None,
                     photflam=BANDS[band].photflam, photplam=BANDS[band].photplam)
        names.append(f"toy_{band}.fits")
    return names


def classified_objects(k: int, n: int, seed: int, *, signal: float = 1.3, fields: bool = False):
    """``n`` objects of a ``k``-class task, 1-3 rows (cutouts) each, classified with noise: (table, task, probs).

    The table has ``object_id`` (``M<i>``), ``class_ref``, ``class_pred`` and ``prob_<k>``; ``signal``
    is added to the true class's logit (more: fewer mistakes), and ``fields`` adds a ``field`` column
    (disc, halo, north) to split by. The task: binary with positive class 1 for ``k == 2``, the
    PHANGS-like four classes with their merges for ``k == 4``. Shared by the tests of the bootstrap
    intervals that resample whole objects.
    """
    import numpy as np
    from astropy.table import Table

    rng = np.random.default_rng(seed)
    ref_obj = np.resize(np.arange(1, k + 1), n)
    copies = rng.integers(1, 4, n)
    obj = np.repeat(np.arange(n), copies)
    ref = ref_obj[obj]
    logits = rng.normal(size=(obj.size, k))
    logits[np.arange(obj.size), ref - 1] += signal
    p = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    t = Table({"object_id": [f"M{i}" for i in obj], "class_ref": ref, "class_pred": p.argmax(axis=1) + 1})
    if fields:
        t["field"] = rng.choice(["disc", "halo", "north"], obj.size, p=[0.5, 0.3, 0.2])
    for j in range(k):
        t[f"prob_{j + 1}"] = p[:, j]
    return t, toy_task(k), p


def labelled_by_field_args(table, folder: Path) -> list[str]:
    """Write a binary classified ``table`` as labelled cutouts; return the evaluate arguments scoring it by field.

    ``class_ref`` becomes a ``label`` column (1 -> cluster, else galaxy) and each row gets a ``file``;
    the arguments score ``folder / 'out.csv'`` under ``m31-real`` with ``--by field`` and 100 resamples
    (add ``--group-column object_id`` to draw whole objects, and ``-o``). Shared by the tests of the
    intervals evaluate prints (table from ``classified_objects(..., fields=True)``).
    """
    import numpy as np

    table["label"] = np.where(table["class_ref"] == 1, "cluster", "galaxy")
    table["file"] = [f"c{i:03d}.png" for i in range(len(table))]
    del table["class_ref"]
    path = folder / "out.csv"
    table.write(path, format="ascii.csv")
    return ["evaluate", str(path), "--task", "m31-real", "--label-column", "label", "--no-science", "--by", "field",
            "--bootstrap", "100"]


def toy_task(k: int):
    """The evaluation task of classes 1..k: binary with positive class 1 for ``k == 2``, PHANGS-like merges for 4."""
    from starclass.evaluate.task import EvalTask

    if k == 2:
        return EvalTask.from_classes((1, 2), name="toy2", positive_class=1)
    if k == 4:
        return EvalTask.from_classes((1, 2, 3, 4), name="toy4")  # PHANGS classes: with their merges
    return EvalTask.from_classes(tuple(range(1, k + 1)), name=f"toy{k}")


def object_resamples(groups, n_boot: int, seed: int = 0):
    """The rows of each of ``n_boot`` cluster-bootstrap resamples, written out as the package should draw them.

    Object numbers in order of first appearance, drawn with replacement (numpy's default_rng(seed)),
    every row of each drawn object: the independent resampler the intervals are checked against.
    """
    import numpy as np

    groups = np.asarray(groups)
    order = list(dict.fromkeys(groups.tolist()))
    members = [np.flatnonzero(groups == g) for g in order]
    rng = np.random.default_rng(seed)
    for _ in range(n_boot):
        yield np.concatenate([members[j] for j in rng.integers(0, len(order), len(order))])


def bias_corrected_by_hand(values, point: float, level: float = 0.95) -> tuple[float, float]:
    """Efron's bias-corrected percentile interval written out: ``z0`` from the share of resamples below the point.

    Ties count a half, the share is kept within half a resample of 0 and 1, and the interval is widened
    to the point where it leaves it out (as ``evaluate`` gives the ECE's). The independent computation
    the ECE intervals are checked against.
    """
    import numpy as np
    from scipy.stats import norm

    values = np.asarray(values, dtype=np.float64)
    values = values[np.isfinite(values)]
    share = (np.sum(values < point) + 0.5 * np.sum(values == point)) / values.size
    z0 = norm.ppf(min(max(share, 0.5 / values.size), 1 - 0.5 / values.size))
    z = norm.ppf(0.5 + level / 2)
    lo, hi = np.quantile(values, [norm.cdf(2 * z0 - z), norm.cdf(2 * z0 + z)])
    return float(min(lo, point)), float(max(hi, point))


def basic_by_hand(values, point: float, level: float = 0.95) -> tuple[float, float]:
    """The basic bootstrap interval of a non-negative figure written out, as ``evaluate`` gives the ECE's.

    The data's value less the resamples' offset from it at each end (``2 t - q(0.975)``,
    ``2 t - q(0.025)``), each end at least 0, then widened to ``t`` where it leaves it out. The
    independent computation the ECE intervals are checked against.
    """
    import numpy as np

    values = np.asarray(values, dtype=np.float64)
    values = values[np.isfinite(values)]
    alpha = (1 - level) / 2
    q_lo, q_hi = np.quantile(values, [alpha, 1 - alpha])
    lo, hi = max(0.0, point - (q_hi - point)), max(0.0, point + (point - q_lo))
    return float(min(lo, point)), float(max(hi, point))


def debiased_ece_by_hand(p, y, n_bins: int = 15) -> float:
    """The debiased ECE written out bin by bin, ``E|N(g, s^2)|`` from scipy's folded normal.

    Rows binned by top-class confidence into ``(b/B, (b+1)/B]`` (0 in the first); each bin's gap
    ``g`` = accuracy - mean confidence, ``s`` = the binomial sd of its accuracy (never below
    ``0.5 / n``), and the bin adds ``n (2 |g| - E|N(g, s^2)|)``; divided by the rows. The independent
    computation ``reliability.debiased_ece`` and evaluate's joined ECE interval are checked against.
    """
    import numpy as np
    from scipy.stats import foldnorm

    p = np.asarray(p, dtype=np.float64)
    y = np.asarray(y)
    conf = p.max(axis=1)
    right = p.argmax(axis=1) == y
    total = 0.0
    for b in range(n_bins):
        rows = (conf > b / n_bins) & (conf <= (b + 1) / n_bins) if b else conf <= 1 / n_bins
        n = int(rows.sum())
        if n == 0:
            continue
        acc = float(right[rows].mean())
        g = acc - float(conf[rows].mean())
        s = np.sqrt(max(acc * (1 - acc), 0.25 / n) / n)
        total += n * (2 * abs(g) - foldnorm.mean(abs(g) / s, scale=s))
    return float(total / len(conf))


def debiased_interval_by_hand(values, point: float) -> tuple[float, float]:
    """The debiased ECE's part of evaluate's 95% ECE interval, written out (since 2026-12-06, late).

    Lower end: ``2 d - q(0.995)`` (the basic interval's lower end at 99%), at most ``d``; upper end:
    ``d`` plus the resamples' spread from their median to their 99th percentile.
    """
    import numpy as np

    values = np.asarray(values, dtype=np.float64)
    values = values[np.isfinite(values)]
    q_far, q_hi, q_mid = np.quantile(values, [0.995, 0.99, 0.5])
    return min(2 * point - q_far, point), point + max(q_hi - q_mid, 0.0)


def ece_interval_by_hand(ece_draws, ece: float, debiased_draws, debiased: float) -> tuple[float, float]:
    """evaluate's ECE interval written out: the ECE's basic interval joined to the debiased ECE's part, cut at 0."""
    a, b = basic_by_hand(ece_draws, ece), debiased_interval_by_hand(debiased_draws, debiased)
    return max(min(a[0], b[0]), 0.0), max(a[1], b[1], 0.0)


def write_noise_cutout_folder(root: Path, size: int, object_ids: bool = False, n: int = 16) -> Path:
    """Write ``n`` noise cutouts (``size`` x ``size`` ``.npy``) alternating cluster/galaxy under ``root``.

    Files ``<label>/objNN.npy`` and ``root / "labels.csv"`` (``file,label``, plus ``object_id``
    ``OBJ-k`` when ``object_ids``); returns the labels file. Shared by the ``train --cv`` tests
    of a cutout folder.
    """
    import csv

    import numpy as np

    rng = np.random.default_rng(0)
    rows = []
    for k in range(n):
        label = ("cluster", "galaxy")[k % 2]
        rel = f"{label}/obj{k:02d}.npy"
        (root / label).mkdir(parents=True, exist_ok=True)
        np.save(root / rel, rng.random((size, size)).astype(np.float32))
        rows.append({"file": rel, "label": label, **({"object_id": f"OBJ-{k}"} if object_ids else {})})
    with open(root / "labels.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    return root / "labels.csv"


def write_untrained_model(folder: Path, cfg, seed: int = 0) -> Path:
    """A one-member model of ``cfg`` with random weights in ``folder``: the package's own function.

    :func:`starclass.learn.checkpoint.write_untrained_model`, which notebooks and the docstring
    examples use too; imported on the call, so that collecting the tests does not load torch.
    """
    from starclass.learn.checkpoint import write_untrained_model as write

    return write(folder, cfg, seed=seed)


def one_band_model(folder: Path, size: int = 16) -> Path:
    """A one-band model (cool-core-compact) with random weights over ``size`` px stamps at one scale.

    The cutout tests' model: the classes do not matter, only what is read, said and left out.
    """
    from starclass.learn.config import get_preset

    return write_untrained_model(folder, get_preset("cool-core-compact", stamp_size=size, scales=[1.0]))


def point_source(seed: int, size: int = 16, sky: float = 0.0):
    """A ``size`` px float32 cutout: unit Gaussian noise about ``sky`` and a bright source at its centre."""
    import numpy as np

    rng = np.random.default_rng(seed)
    yy, xx = np.mgrid[:size, :size]
    c = size // 2
    return (rng.normal(sky, 1, (size, size)) + 30 * np.exp(-((xx - c) ** 2 + (yy - c) ** 2) / 4.0)).astype("f4")


def classified_m31_list(tmp_path: Path, labels: list[str]):
    """``classify --stamps`` of an untrained m31-real model on a generated list of 16 px cutouts with ``labels``.

    One cutout per label (``c<i>.npy``, object ``obj<i>``) in ``tmp_path/cut/labels.csv``; returns the output
    (``tmp_path/out.csv``) and classify's result, whose exit status is checked. The unknown-label tests of
    evaluate and suggest --check-labels read what classify wrote of labels the task does not know.
    """
    import numpy as np
    from typer.testing import CliRunner

    from starclass.cli import app
    from starclass.learn.config import get_preset

    model = write_untrained_model(tmp_path / "model", get_preset("m31-real", stamp_size=16, scales=[1.0]))
    root = tmp_path / "cut"
    root.mkdir()
    lines = ["file,label,object_id"]
    for i, label in enumerate(labels):
        np.save(root / f"c{i}.npy", point_source(i, 16, sky=float(i % 3)))
        lines.append(f"c{i}.npy,{label},obj{i}")
    (root / "labels.csv").write_text("\n".join(lines) + "\n")
    out = tmp_path / "out.csv"
    r = CliRunner().invoke(app, ["classify", "--stamps", str(root / "labels.csv"), "--model", str(model),
                                 "-o", str(out), "--no-progress"])
    assert r.exit_code == 0, r.output
    return out, r


def bn_calibrated(net, shape, seed=0):
    """``net`` in eval mode with every batch norm's running statistics taken from seeded inputs of ``shape``.

    The Grad-CAM/CAM tests' networks: fixed seeded weights whose features are of order one, as a
    trained network's, without training.
    """
    import torch

    for m in net.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.reset_running_stats()
            m.momentum = None  # the plain average over the batches seen
    gen = torch.Generator().manual_seed(seed)
    net.train()
    with torch.no_grad():
        for _ in range(3):
            net(torch.randn(*shape, generator=gen))
    return net.eval()


def blob_stamps(n, channels, size, seed=1):
    """Stamps with one Gaussian blob each, off-centre, on noise: maps with somewhere to peak."""
    import torch

    gen = torch.Generator().manual_seed(seed)
    yy, xx = torch.meshgrid(torch.arange(size, dtype=torch.float32), torch.arange(size, dtype=torch.float32),
                            indexing="ij")
    out = 0.2 * torch.randn(n, channels, size, size, generator=gen)
    for i in range(n):
        cx, cy = size * (0.3 + 0.4 * i / max(n - 1, 1)), size * (0.7 - 0.4 * i / max(n - 1, 1))
        out[i] += 3.0 * torch.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / (2 * (size / 10) ** 2))
    return out


def write_two_class_classified(path: Path) -> Path:
    """Write a classified two-class catalogue of 40 rows with its reference column to ``path``.

    ``id, x, y, class_ref`` (1, 2 alternating), ``class_pred`` and ``prob_1/prob_2`` (right for most
    rows, seed 0): what ``evaluate`` scores and ``info`` reads. Shared by the info tests.
    """
    import numpy as np
    from astropy.table import Table

    rng = np.random.default_rng(0)
    n = 40
    ref = np.tile([1, 2], n // 2)
    p1 = np.clip(np.where(ref == 1, 0.7, 0.3) + rng.normal(0, 0.2, n), 0.01, 0.99)
    Table({"id": np.arange(1, n + 1), "x": rng.uniform(0, 100, n), "y": rng.uniform(0, 100, n),
           "class_ref": ref, "class_pred": np.where(p1 >= 0.5, 1, 2), "prob_1": p1, "prob_2": 1 - p1}
          ).write(path)
    return path


def train_toy_trust_model(root: Path, **recipe):
    """Train a two-member four-class toy model for one epoch; its validation split calibrates it.

    Shared by the calibration tests (temperature and vector scaling differ by ``recipe`` only).
    Returns ``(cfg, toy, result)``; the model is written to ``root / "model"``.
    """
    import torch

    from starclass.datasets.stamps import make_synthetic
    from starclass.learn.config import get_preset
    from starclass.learn.train import fit

    threads = torch.get_num_threads()
    torch.set_num_threads(1)  # spinning OpenMP threads stall on the shared 2-core machine
    try:
        cfg = get_preset("legus4-compact", stamp_size=16, scales=[1.0],
                         recipe={"epochs": 1, "val_fraction": 0.4, "ensemble_size": 2, "batch_size": 32, **recipe})
        toy = make_synthetic(cfg, 100, seed=3)
        result = fit(cfg, toy.inputs, toy.class_ref, outdir=root / "model", progress=False, device="cpu")
    finally:
        torch.set_num_threads(threads)
    return cfg, toy, result


@pytest.fixture(scope="session")
def _toy_trust_trained(tmp_path_factory):
    """:func:`train_toy_trust_model` with its defaults, trained once for the whole session.

    Four test files trained this same model, each for itself (a full run listed the few-rows
    fixture at 7-32 s on the loaded machine); use it through :func:`toy_trust_model`, which
    gives each module its own copy.
    """
    root = tmp_path_factory.mktemp("toy_trust")
    cfg, toy, result = train_toy_trust_model(root)
    return root, cfg, toy, result


@pytest.fixture(scope="module")
def toy_trust_model(_toy_trust_trained, tmp_path_factory):
    """``(root, cfg, toy, result)`` of the session's toy model, the model copied to ``root / "model"``.

    A copy per module, so a test that edits or recalibrates the model in place (a manifest
    edited and restored, ``calibrate --overwrite``) cannot change what another module reads.
    """
    import shutil

    trained_root, cfg, toy, result = _toy_trust_trained
    root = tmp_path_factory.mktemp("toy_trust_copy")
    shutil.copytree(trained_root / "model", root / "model")
    return root, cfg, toy, result


class TrainingKilled(Exception):
    """Raised by :func:`killed_after_epoch` where a real run would have been killed."""


@contextlib.contextmanager
def killed_after_epoch(monkeypatch, epoch: int = 1) -> Iterator[None]:
    """Training in the block dies just after writing the checkpoint of ``epoch``, as a killed run.

    The block must end in that death (it is expected, as ``pytest.raises`` expects it); the
    checkpoint writer is the real one again afterwards, so the same test can then resume.
    """
    import starclass.learn.train as train_mod

    real_save = train_mod.save_checkpoint

    def save_then_die(ckpt, path, **kw):
        out = real_save(ckpt, path, **kw)
        if ckpt["kind"] == "epoch" and ckpt["epoch"] == epoch:
            raise TrainingKilled
        return out

    monkeypatch.setattr(train_mod, "save_checkpoint", save_then_die)
    try:
        with pytest.raises(TrainingKilled):
            yield
    finally:
        monkeypatch.setattr(train_mod, "save_checkpoint", real_save)


def counts_header(shape: tuple[int, int]):
    """FITS header of a photon-counting test mosaic: F555W, BUNIT COUNTS, MAGZERO 25, a 0.5"/px TAN WCS.

    What the detection, padding and labelling-page tests of counts images write beside their pixels.
    """
    from astropy.wcs import WCS

    w = WCS(naxis=2)
    w.wcs.ctype = ["RA---TAN", "DEC--TAN"]
    w.wcs.crval = [150.0, 2.0]
    w.wcs.crpix = [shape[1] / 2, shape[0] / 2]
    w.wcs.cdelt = [-0.5 / 3600, 0.5 / 3600]
    hdr = w.to_header()
    hdr["FILTER"], hdr["BUNIT"], hdr["MAGZERO"] = "F555W", "COUNTS", 25.0
    return hdr


#: The DOM the labelling page's script (``inspect.js``) needs, stubbed for node: every element found by id
#: (made on first use) and the document. A test's harness adds ``window``, ``fetch`` and its own steps; the
#: page's source is its first argument. Shared by the node tests of the page (test_inspect_page_*.py,
#: test_inspect_queue_refresh.py), which had a copy each.
PAGE_DOM_STUB = r"""
const fs = require("fs");
const src = fs.readFileSync(process.argv[2], "utf8");
const el = () => ({textContent: "", value: "", dataset: {}, style: {},
  classList: {toggle() {}, add() {}, remove() {}, contains() { return false; }},
  replaceChildren() {}, addEventListener() {}, appendChild() {}, setAttribute() {}, append() {},
  querySelector: () => null, add() {},
  getContext: () => ({createImageData: () => ({data: []}), putImageData() {}})});
const els = new Map();
globalThis.document = {
  querySelector: (q) => (q.startsWith("meta") ? {content: "tok"} : null),
  querySelectorAll: () => [],
  getElementById: (id) => { if (!els.has(id)) els.set(id, el()); return els.get(id); },
  body: {dataset: {subclassOf: ""}},
  addEventListener() {},
  createElement: () => el(),
};
"""
