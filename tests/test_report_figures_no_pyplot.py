"""The figures starclass returns are in no pyplot state: a notebook calling them 30 times keeps none open.

The report functions built their figures with ``plt.subplots`` and returned them open, for notebooks: a
notebook that called them 20+ times got matplotlib's "More than 20 figures have been opened" warning, and
every figure stayed in memory (pyplot holds it) until ``plt.close``. report.figures and explain.figures also
called ``matplotlib.use("Agg")`` on import, which changes pyplot's backend for the whole session. Each figure
is now a ``matplotlib.figure.Figure`` of its own (report.figures.new_figure / new_subplots), freed with its
last reference, and src imports pyplot nowhere.
"""

from __future__ import annotations

import ast
import gc
import io
import os
import subprocess
import sys
import warnings
import weakref
from pathlib import Path

import matplotlib.pyplot as plt
import numpy as np
from astropy.table import Table

SRC = Path(__file__).resolve().parents[1] / "src" / "starclass"


def _calls():
    """One call of each kind of public figure function: report grids, panels, a gallery, explain's profiles."""
    from starclass.explain.figures import fig_profiles
    from starclass.report import figures as rf

    panel = ("class 1", np.array([-1.0, -0.5, 0.3]), np.array([0.2, 0.5, 0.1]))
    profile = Table(rows=[("cam", 1, 0.5, 0.5, 1.0, 3)],
                    names=("method", "class", "radius_px", "radius_arcsec", "mean", "n_stamps"))
    return [
        lambda: rf.fig_confusion(np.array([[5, 1], [2, 4]]), np.array([[0.83, 0.17], [0.33, 0.67]]),
                                 ["cluster", "non-cluster"], "truth vs prediction"),
        lambda: rf.fig_score_cdf({1: np.array([0.6, 0.9]), 2: np.array([0.7])}, "scores"),
        lambda: rf.fig_colour_colour([panel, panel], title="colours"),
        lambda: rf.fig_mass_age([("class 1", np.array([1e4, 1e5]), np.array([1e7, 1e8]))], "mass vs age"),
        lambda: rf.fig_gallery(np.zeros((3, 8, 8), np.float32), ["a", "b", "c"], "gallery"),
        lambda: fig_profiles(profile, {1: "a"}, "profiles"),
    ]


def test_thirty_calls_in_a_notebook_leave_no_figure_open_and_no_warning():
    plt.close("all")
    calls = _calls()
    refs = []
    with warnings.catch_warnings():
        # matplotlib's "More than 20 figures have been opened" is a RuntimeWarning: an error here
        warnings.simplefilter("error", RuntimeWarning)
        for i in range(30):
            fig = calls[i % len(calls)]()
            assert fig.axes, i
            refs.append(weakref.ref(fig))
    assert plt.get_fignums() == []
    del fig
    gc.collect()
    # nothing else holds them: the memory a notebook's loop used is given back
    assert [r for r in refs if r() is not None] == []


def test_a_returned_figure_still_saves_and_shows(tmp_path):
    from starclass.report.figures import fig_confusion, save_png, to_png_base64

    fig = fig_confusion(np.array([[5, 1], [2, 4]]), np.array([[0.83, 0.17], [0.33, 0.67]]), ["a", "b"], "t")
    # a notebook displays a figure through its PNG (IPython's formatter calls print_figure)
    buf = io.BytesIO()
    fig.canvas.print_figure(buf, format="png")
    assert buf.getvalue()[1:4] == b"PNG"
    assert to_png_base64(fig)
    save_png(fig, tmp_path / "c.png")
    assert (tmp_path / "c.png").read_bytes()[1:4] == b"PNG"
    fig.savefig(tmp_path / "c.pdf")
    assert (tmp_path / "c.pdf").read_bytes()[:4] == b"%PDF"
    assert plt.get_fignums() == []


def test_a_figure_made_with_pyplot_is_still_closed_when_saved(tmp_path):
    from starclass.report.figures import save_png

    fig, _ = plt.subplots()
    save_png(fig, tmp_path / "mine.png")
    assert not plt.fignum_exists(fig.number)


def test_importing_the_figure_modules_keeps_the_sessions_backend():
    code = ("import matplotlib; matplotlib.use('svg'); import matplotlib.pyplot; "
            "import starclass.report.figures, starclass.report.many; print(matplotlib.get_backend())")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300,
                         env={**os.environ, "PYTHONPATH": str(SRC.parent)})
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "svg"


def test_no_module_of_src_uses_pyplot():
    used = []
    for path in sorted(SRC.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import) and any(a.name == "matplotlib.pyplot" for a in node.names):
                used.append(f"{path.relative_to(SRC)}:{node.lineno}")
            elif isinstance(node, ast.ImportFrom) and (node.module == "matplotlib.pyplot" or (
                    node.module == "matplotlib" and any(a.name == "pyplot" for a in node.names))):
                used.append(f"{path.relative_to(SRC)}:{node.lineno}")
            elif (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "use"
                  and isinstance(node.func.value, ast.Name) and node.func.value.id == "matplotlib"):
                used.append(f"{path.relative_to(SRC)}:{node.lineno} matplotlib.use")
    assert not used, used
