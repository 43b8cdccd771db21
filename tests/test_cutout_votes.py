"""``train --stamps LABELS.csv --label-model ...``: a cutout folder trained on people's votes.

The galaxy-cluster paper (Kosiba et al. 2020) trains on its Zooniverse volunteers' votes, and
``simulate --preset galaxy-cluster`` writes them, but ``train`` refused every vote option on a
cutout folder ("--labels, --label-columns and --label-model work with a catalogue (--catalog) or a
stamp store, not with a cutout folder"): the task's own data could not be learnt from its votes.
Now the votes are read from vote columns of the cutout CSV (``--label-columns``), from the
simulator's ``volunteer_ids`` / ``volunteer_votes`` lists, or from a ``--labels`` table matched by
``id``; a table of one row per vote is refused with the pivot that fixes it.
"""

from __future__ import annotations

import json

import numpy as np
import pytest
from astropy.io import fits
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app as cli

pytestmark = pytest.mark.usefixtures("single_thread")

N = 12
#: volunteers a, b, c; c votes at random, a and b follow the label
VOTES = [(lab, lab, 1 + (i * 7) % 2) for i, lab in enumerate([1, 2] * (N // 2))]


def _folder(root, *, columns=True, lists=False, ids=False):
    root.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(0)
    yy, xx = np.mgrid[:16, :16] - 7.5
    head = ["file_xray", "file_optical", "label"] + (["a", "b", "c"] if columns else []) + \
        (["volunteer_ids", "volunteer_votes"] if lists else []) + (["id"] if ids else [])
    rows = [",".join(head)]
    for i, (va, vb, vc) in enumerate(VOTES):
        width = 4.0 if va == 1 else 1.0  # clusters extended, the others point-like
        fits.writeto(root / f"x{i}.fits", rng.poisson(0.3 + 20 * np.exp(-0.5 * (xx ** 2 + yy ** 2) / width ** 2))
                     .astype(np.int32))
        fits.writeto(root / f"o{i}.fits", rng.normal(6000, 100, (16, 16)).astype(np.float32))
        cells = [f"x{i}.fits", f"o{i}.fits", str(va)]
        cells += [str(va), str(vb), str(vc)] if columns else []
        cells += ["7;3;12", f"{va};{vb};{vc}"] if lists else []
        cells += [f"cand{i}"] if ids else []
        rows.append(",".join(cells))
    (root / "labels.csv").write_text("\n".join(rows) + "\n")
    return root / "labels.csv"


def _train(labels, out, *extra):
    return CliRunner().invoke(cli, ["train", "--task", "galaxy-cluster-compact", "--stamps", str(labels), "-o",
                                    str(out), "--epochs", "1", *extra])


def test_vote_columns_of_the_cutout_csv_train_with_soft_targets(tmp_path):
    res = _train(_folder(tmp_path / "gc"), tmp_path / "m", "--label-columns", "a,b,c", "--label-model", "soft")
    assert res.exit_code == 0, res.output
    assert f"{N} cutouts with votes in a, b, c ({3 * N} votes), label model soft" in res.output
    manifest = json.loads((tmp_path / "m" / "manifest.json").read_text())
    assert manifest["training"]["label_model"] == "soft"
    # the printed expected class counts are the soft targets (vote shares, counted by hand) summed over
    # the training rows, the folder's rows less the validation ones
    n_train, n_val = (int(v) for v in res.output.split(" on cpu (float32): ")[1].split(" validation")[0]
                      .replace(" training,", "").split())
    assert n_train + n_val == N and n_val >= 1
    shares = np.array([[sum(v == k for v in row) / 3 for k in (1, 2)] for row in VOTES])
    printed = res.output.split("rounded): 1 (cluster): ")[1]
    n1, n2 = int(printed.split(",")[0]), int(printed.split("2 (non-cluster): ")[1].split()[0])
    assert n1 + n2 == n_train
    # every draw of n_val validation rows leaves cluster sums within these bounds
    low = np.sort(shares[:, 0])[: n_train].sum()
    high = np.sort(shares[:, 0])[::-1][: n_train].sum()
    assert round(low) <= n1 <= round(high) and n1 != n_train  # soft: the random volunteer's votes count


def test_the_simulators_volunteer_lists_train_with_dawid_skene(tmp_path):
    res = _train(_folder(tmp_path / "gc", columns=False, lists=True), tmp_path / "m", "--label-model", "dawid-skene")
    assert res.exit_code == 0, res.output
    assert "volunteer_3, volunteer_7, volunteer_12" in res.output
    ann = Table.read(tmp_path / "m" / "annotators.ecsv")
    assert len(ann) and set(ann["annotator"]) == {"volunteer_3", "volunteer_7", "volunteer_12"}


def test_a_votes_table_is_matched_by_id_and_one_row_per_vote_is_refused_with_the_pivot(tmp_path):
    labels = _folder(tmp_path / "gc", columns=False, ids=True)
    wide = tmp_path / "votes.csv"
    wide.write_text("id,p1,p2\n" + "".join(f"cand{i},{va},{vb}\n" for i, (va, vb, _) in enumerate(VOTES)))
    res = _train(labels, tmp_path / "m", "--labels", str(wide), "--label-columns", "p1,p2", "--label-model", "mode")
    assert res.exit_code == 0, res.output
    long = tmp_path / "long.csv"
    long.write_text("id,person,vote\n" + "".join(f"cand{i},p1,{va}\ncand{i},p2,{vb}\n"
                                                 for i, (va, vb, _) in enumerate(VOTES)))
    bad = _train(labels, tmp_path / "m2", "--labels", str(long), "--label-model", "mode")
    assert bad.exit_code == 2, bad.output
    assert "id 'cand0' appears 2 times" in bad.output and "pivot" in bad.output
    assert not (tmp_path / "m2").exists()


def test_a_votes_table_without_an_id_in_the_cutout_csv_is_refused_naming_it(tmp_path):
    labels = _folder(tmp_path / "gc", columns=False)
    votes = tmp_path / "votes.csv"
    votes.write_text("id,p1\n" + "".join(f"cand{i},{va}\n" for i, (va, _, _) in enumerate(VOTES)))
    res = _train(labels, tmp_path / "m", "--labels", str(votes), "--label-columns", "p1")
    assert res.exit_code == 2, res.output
    assert "has no 'id' column" in res.output and "--label-columns" in res.output
    assert not (tmp_path / "m").exists()
