"""A mistakes-gallery title cut short in the figure is said whole in the rendered page (2026-12-07).

``fig_gallery`` cuts a panel title longer than ``GALLERY_TITLE_LINES`` (long class names) with an ellipsis and
keeps its full text (``cut_titles``) for the mistakes figure's caption. This reads the report.html a user opens:
every full title is in the figure's caption and in its ``alt`` text, nothing lost to the cut.
"""

from __future__ import annotations

import csv
import html
import re

import numpy as np
import pytest
from astropy.table import Table
from PIL import Image

from starclass.learn.config import get_preset
from starclass.report import build as report_build
from starclass.report import build_report

NAMES = ("symmetric compact star cluster with a long name", "background galaxy, artefact or other non-cluster")


def _folder(root, n=6):
    rng = np.random.default_rng(0)
    rows = []
    for k in range(n):
        (root / "img").mkdir(parents=True, exist_ok=True)
        Image.fromarray((rng.random((16, 16)) * 255).astype(np.uint8)).save(root / "img" / f"o{k}.png")
        rows.append({"file": f"img/o{k}.png", "label": 1 + k % 2})
    with open(root / "labels.csv", "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=["file", "label"])
        w.writeheader()
        w.writerows(rows)
    return root / "labels.csv", rows


@pytest.mark.usefixtures("single_thread")
def test_every_cut_title_is_whole_in_the_caption_and_alt_text(tmp_path, monkeypatch):
    labels, rows = _folder(tmp_path / "data")
    ref = np.array([r["label"] for r in rows])
    # every row wrong, each with its own probability: six mistakes in the gallery
    p_pred = np.linspace(0.95, 0.7, len(rows))
    pred = Table({"file": [r["file"] for r in rows], "class_ref": ref, "class_pred": 3 - ref,
                  "prob_1": np.where(ref == 1, 1 - p_pred, p_pred), "prob_2": np.where(ref == 1, p_pred, 1 - p_pred)})
    task = get_preset("m31-real").copy(class_names=list(NAMES))
    cut = []
    gallery = report_build.F.fig_gallery

    def recorded(*args, **kwargs):
        fig = gallery(*args, **kwargs)
        cut.extend(report_build.F.cut_titles(fig))
        return fig

    monkeypatch.setattr(report_build.F, "fig_gallery", recorded)
    page = build_report(pred, None, tmp_path / "rep", task=task, stamps=labels, n_boot=0, science=False).read_text()
    # the names are too long for four lines at 7 pt in a panel: every title was cut
    assert len(cut) == len(rows), cut
    figure = re.search(r"<figure><img alt='(most confident mistakes[^']*)' src='data:image/png;base64,[^']+'>"
                       r"<figcaption>(.*?)</figcaption>", page, re.S)
    alt, caption = html.unescape(figure.group(1)), html.unescape(figure.group(2))
    for i, p in enumerate(p_pred):
        # the full title as the mistakes table has it, independent of what cut_titles kept
        full = f"true {NAMES[ref[i] - 1]} pred {NAMES[2 - ref[i]]} ({p:.2f})"
        said = f"Cutout {i + 1}: {full}."
        assert said in caption, (said, caption)
        assert said in alt, (said, alt)
