"""Simulated volunteers of galaxy-cluster candidates: votes, gold-set weights, consensus, CLI columns."""

from __future__ import annotations

import csv
import math

import numpy as np
import pytest
from astropy.io import fits
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.io.cutout_folders import read_cutout_folder
from starclass.schema import CONSENSUS, CONSENSUS_FRACTION, GOLD, VOLUNTEER_IDS, VOLUNTEER_VOTES, VOTE_FRACTION
from starclass.simulate.volunteers import (
    VolunteerConfig,
    candidate_difficulty,
    draw_skills,
    gold_weights,
    majority_weights,
    simulate_votes,
    weighted_consensus,
)

runner = CliRunner()


def _hand_weights(ids, votes, gold, truth, pool):
    # a loop over the gold candidates, counting each volunteer's agreements one vote at a time
    agree, seen = [0] * pool, [0] * pool
    for i in range(len(ids)):
        if gold[i]:
            for j, v in zip(ids[i], votes[i]):
                seen[j] += 1
                agree[j] += int(v == truth[i])
    w = []
    for j in range(pool):
        a = (agree[j] + 1) / (seen[j] + 2)
        w.append(max(math.log(a / (1 - a)), 0.0))
    with_gold = [w[j] for j in range(pool) if seen[j]]
    return [w[j] if seen[j] else float(np.median(with_gold)) for j in range(pool)]


def test_gold_weights_and_consensus_by_hand():
    rng = np.random.default_rng(3)
    pool, n, k = 7, 30, 3
    ids = np.stack([rng.choice(pool, k, replace=False) for _ in range(n)])
    votes = rng.integers(1, 3, (n, k))
    truth = rng.integers(1, 3, n)
    gold = np.zeros(n, bool)
    gold[:12] = True
    w = gold_weights(ids, votes, gold, truth, pool)
    assert np.allclose(w, _hand_weights(ids, votes, gold, truth, pool))
    vf, cf, cons = weighted_consensus(ids, votes, w)
    for i in range(n):
        assert vf[i] == pytest.approx(sum(v == 1 for v in votes[i]) / k)
        tot = sum(w[j] for j in ids[i])
        frac = sum(w[j] for j, v in zip(ids[i], votes[i]) if v == 1) / tot if tot > 0 else vf[i]
        assert cf[i] == pytest.approx(frac)
        assert cons[i] == (1 if frac > 0.5 else 2)


def test_majority_weights_by_hand():
    rng = np.random.default_rng(5)
    pool, n, k = 6, 25, 3
    ids = np.stack([rng.choice(pool, k, replace=False) for _ in range(n)])
    votes = rng.integers(1, 3, (n, k))
    agree, seen = np.zeros(pool), np.zeros(pool)
    for i in range(n):
        maj = 1 if list(votes[i]).count(1) > k / 2 else 2
        for j, v in zip(ids[i], votes[i]):
            seen[j] += 1
            agree[j] += v == maj
    assert np.allclose(majority_weights(ids, votes, pool), agree / seen)


def test_majority_weights_need_three_votes_per_candidate():
    """With two votes a candidate's majority is a voter's own vote or a tie given to one of them:
    G = C / Q came out near 1 by construction (every volunteer 'agreed')."""
    rng = np.random.default_rng(8)
    pool, n = 5, 40
    ids = np.stack([rng.choice(pool, 2, replace=False) for _ in range(n)])
    votes = rng.integers(1, 3, (n, 2))
    assert majority_weights(ids, votes, pool).tolist() == [0.0] * pool
    # all-zero weights: the paper's weighting is the plain vote
    vf, cf, cons = weighted_consensus(ids, votes, majority_weights(ids, votes, pool))
    assert np.array_equal(cf, vf)


def test_equal_weights_give_the_majority_and_ties_go_to_non_cluster():
    ids = np.array([[0, 1, 2, 3], [0, 1, 2, 3], [0, 1, 2, 3]])
    votes = np.array([[1, 1, 1, 2], [1, 1, 2, 2], [2, 2, 2, 1]])
    vf, cf, cons = weighted_consensus(ids, votes, np.ones(4))
    assert vf.tolist() == cf.tolist() == [0.75, 0.5, 0.25]
    assert cons.tolist() == [1, 2, 2]


def test_votes_follow_skill_and_difficulty():
    rng = np.random.default_rng(0)
    n, pool, k = 2000, 20, 5
    truth = rng.integers(1, 3, n)
    sens, spec = np.full(pool, 0.9), np.full(pool, 0.7)
    for d in (0.0, 0.6):
        ids, votes = simulate_votes(truth, np.full(n, d), sens, spec, k, rng)
        assert all(len(set(r)) == k for r in ids)  # distinct volunteers per candidate
        right = votes == truth[:, None]
        # unsure (probability d) means a non-cluster vote; otherwise right with the skill
        for t, expect in ((1, (1 - d) * 0.9), (2, d + (1 - d) * 0.7)):
            # binomial standard error of ~5000 votes is under 0.01
            assert abs(right[truth == t].mean() - expect) < 0.03


def test_weighting_beats_the_plain_majority_when_many_click_at_random():
    rng = np.random.default_rng(1)
    n, pool, k = 600, 30, 5
    sens = spec = np.where(np.arange(pool) < 10, 0.95, 0.5)  # a third careful, the rest random
    truth = rng.integers(1, 3, n)
    ids, votes = simulate_votes(truth, np.zeros(n), sens, spec, k, rng)
    gold = rng.random(n) < 0.2
    w = gold_weights(ids, votes, gold, truth, pool)
    assert w[:10].mean() > 3 * w[10:].mean()
    vf, _, cons = weighted_consensus(ids, votes, w)
    majority = np.where(vf > 0.5, 1, 2)
    assert np.mean(cons == truth) > np.mean(majority == truth) + 0.05


def test_skills_and_difficulty_ranges():
    sens, spec = draw_skills(2000, np.random.default_rng(0))
    assert sens.min() >= 0.3 and spec.max() <= 0.99
    # 10 % random clickers: skill exactly 0.5, so sens + spec = 1 (the bias cancels)
    assert 0.08 < np.mean(np.abs((sens + spec) / 2 - 0.5) < 1e-9) < 0.12
    d = candidate_difficulty(np.array([2, 2, 5]), np.array([3000.0, 30.0, 5.0]))
    assert d.tolist() == pytest.approx([0.7, 0.95, 0.8])  # 0.7 + 0.3 capped at 0.95
    with pytest.raises(StarclassError):
        VolunteerConfig(n_per_candidate=50, pool=40)


def test_one_band_task_reads_a_one_band_folder_whatever_its_band_name(tmp_path):
    fits.PrimaryHDU(np.arange(16, dtype=np.float32).reshape(4, 4)).writeto(tmp_path / "a.fits", overwrite=True)
    (tmp_path / "labels.csv").write_text("file_r,label\na.fits,1\n")
    cut = read_cutout_folder(tmp_path / "labels.csv", require_group=False, bands=["xray"])
    assert cut.images.shape == (1, 1, 4, 4) and cut.images[0, 0, 1, 2] == 6


def test_simulate_cli_volunteer_columns(tmp_path):
    pytest.importorskip("reproject")
    out, plain = tmp_path / "gc", tmp_path / "gc0"
    args = ["--preset", "galaxy-cluster", "--n", "6", "--size", "32", "--seed", "4", "--quiet"]
    r = runner.invoke(app, ["simulate", str(out), *args, "--volunteers", "3"])
    assert r.exit_code == 0, r.output
    with open(out / "labels.csv", newline="") as fh:
        rows = list(csv.DictReader(fh))
    for row in rows:
        ids = row[VOLUNTEER_IDS].split(";")
        votes = row[VOLUNTEER_VOTES].split(";")
        assert len(ids) == len(set(ids)) == len(votes) == 3
        assert float(row[VOTE_FRACTION]) == pytest.approx(votes.count("1") / 3, abs=1e-5)
        assert row[CONSENSUS] == ("1" if float(row[CONSENSUS_FRACTION]) > 0.5 else "2")
    assert sum(int(row[GOLD]) for row in rows) == 1  # 10 % of 6, at least one
    cut = read_cutout_folder(out / "labels.csv", require_group=False, bands=["xray"], label_column=CONSENSUS)
    assert [str(v) for v in cut.labels] == [row[CONSENSUS] for row in rows]
    # the X-ray-only ablation reads one channel, the X-ray file's
    assert cut.images.shape[1] == 1
    assert np.allclose(cut.images[0, 0], fits.getdata(out / rows[0]["file_xray"]))
    with pytest.raises(StarclassError, match="no column for band"):
        read_cutout_folder(out / "labels.csv", require_group=False, bands=["g"])
    # the volunteers' own random stream: the images are those of a run without them
    r0 = runner.invoke(app, ["simulate", str(plain), *args, "--volunteers", "0"])
    assert r0.exit_code == 0, r0.output
    with open(plain / "labels.csv", newline="") as fh:
        assert VOTE_FRACTION not in fh.readline()
    a = fits.getdata(out / rows[2]["file_optical"])
    b = fits.getdata(plain / rows[2]["file_optical"])
    assert np.array_equal(a, b)
    bad = runner.invoke(app, ["simulate", str(tmp_path / "cc"), "--preset", "cool-core", "--volunteers", "3"])
    assert bad.exit_code == 2 and "--volunteers" in bad.output
