"""A simulated field's tables record the field's task, which evaluate, info and Dawid-Skene read.

Found in session 80: ``simulate --preset m31`` wrote ``truth.ecsv`` and ``humans.ecsv`` with no task, so
``evaluate F/humans.ecsv -r F/truth.ecsv`` fell back to the PHANGS four classes (class 3, n 0, listed),
``info`` counted "3 (compact association): 0", and ``train --label-model dawid-skene`` on the people's
votes wrote an ``annotators.ecsv`` with a made-up row for true class 3 (nobody votes 3 on an m31 field).
"""

from __future__ import annotations

import numpy as np
import pytest
from astropy.table import Table
from typer.testing import CliRunner

from starclass.cli import app
from starclass.learn.config import get_preset
from starclass.simulate.config import PRESETS, preset
from starclass.simulate.field import simulate_labels

runner = CliRunner()


@pytest.mark.parametrize("name", PRESETS)
def test_field_tables_record_their_task(name):
    """Every field preset's truth and people's tables name the task whose classes they hold."""
    cfg = preset(name, seed=2, shape=(128, 128), n_candidates=60)
    truth, humans = simulate_labels(cfg)
    want = "m31-binary" if name == "m31" else "legus4"
    task = get_preset(want)
    for t in (truth, humans):
        assert t.meta.get("task") == want, (name, dict(t.meta))
        assert t.meta.get("classes") == [int(c) for c in task.classes]
        assert t.meta.get("class_names") == list(task.class_names)
        # class_ref stays in the reference classes the task merges from (m31: 1, 2, 4), which the meta maps
        merge = {int(k): v for k, v in (t.meta.get("reference_merge") or {}).items()}
        held = set(np.unique(t["class_ref"]).tolist()) - {0}
        assert held <= (set(merge) if merge else set(task.classes)), (name, held, merge)


def test_schema_names_the_task_key():
    """The key is one name in the schema, the one classify writes too (TaskConfig.table_meta)."""
    from starclass.schema import TASK

    meta = get_preset("m31-binary").table_meta()
    assert meta[TASK] == "m31-binary" and meta["classes"] == [1, 2]


@pytest.fixture(scope="module")
def m31_field(tmp_path_factory):
    out = tmp_path_factory.mktemp("m31") / "field"
    res = runner.invoke(app, ["simulate", str(out), "--preset", "m31", "--size", "128", "--n-candidates", "300"])
    assert res.exit_code == 0, res.output
    return out


def test_evaluate_reads_the_fields_task(m31_field, tmp_path):
    """evaluate of the people against the truth, no --task: m31-binary's two classes, no class 3."""
    res = runner.invoke(app, ["evaluate", str(m31_field / "humans.ecsv"), "-r", str(m31_field / "truth.ecsv"),
                              "-o", str(tmp_path / "ev"), "--no-science", "--bootstrap", "20", "--no-progress"])
    assert res.exit_code == 0, res.output
    assert "task m31-binary: classes 1 (cluster), 2 (non-cluster)" in res.output, res.output
    assert "class 3" not in res.output and "compact association" not in res.output, res.output
    assert "records no task" not in res.output, res.output


@pytest.mark.parametrize("table", ["truth.ecsv", "humans.ecsv"])
def test_info_counts_the_fields_task_classes(m31_field, table):
    """info counts class_ref in cluster / non-cluster, through the task's merge, and no class 3."""
    res = runner.invoke(app, ["info", str(m31_field / table)])
    assert res.exit_code == 0, res.output
    ref = np.asarray(Table.read(m31_field / table)["class_ref"])
    line = next(x for x in res.output.splitlines() if x.startswith("class_ref:"))
    assert line.startswith(f"class_ref: 1 (cluster): {int((ref <= 2).sum())}  "
                           f"2 (non-cluster): {int((ref >= 3).sum())}  ({len(ref)} labelled"), line
    assert "3 (" not in line and "compact association" not in res.output, res.output


def test_dawid_skene_lists_only_the_voted_classes(m31_field):
    """annotators.ecsv of an m31 field's people: true classes and votes 1, 2, 4 only; targets unchanged."""
    from starclass.learn.labels import dawid_skene, votes_for_catalogue
    from starclass.schema import human_cols

    humans = Table.read(m31_field / "humans.ecsv")
    cfg = get_preset("m31-binary")
    vt = votes_for_catalogue(cfg, humans, model="dawid-skene")
    voted = sorted(set(np.unique(np.column_stack([humans[c] for c in human_cols(humans)])).tolist()) - {0})
    assert voted == [1, 2, 4]
    tab = vt.annotators
    assert sorted(set(tab["true_class"].tolist())) == voted
    assert [c for c in tab.colnames if c.startswith("p_vote_")] == [f"p_vote_{c}" for c in voted]
    # each listed row is a distribution over the votes listed: nothing of it went to a class left out
    p = np.column_stack([tab[f"p_vote_{c}"] for c in voted])
    assert np.allclose(p.sum(axis=1), 1.0)
    assert len(tab) == len(human_cols(humans)) * len(voted)
    # the targets are the posteriors merged into cluster / non-cluster, as before
    fit = dawid_skene(np.column_stack([humans[c] for c in human_cols(humans)]), [1, 2, 3, 4])
    assert np.allclose(vt.targets[:, 0], fit.posterior[:, 0] + fit.posterior[:, 1])
    assert np.allclose(vt.targets[:, 1], fit.posterior[:, 2] + fit.posterior[:, 3])


def test_field_task_checked():
    """A task that is no preset, or reads other classes than the people vote, is refused naming it."""
    from starclass.errors import StarclassError
    from starclass.simulate.config import SimConfig

    with pytest.raises(StarclassError, match="SimConfig task: .*nope"):
        SimConfig(shape=(64, 64), n_candidates=1, task="nope")
    # m31-real reads the binary labels 1, 2 themselves: people voting 1-4 are not its
    with pytest.raises(StarclassError, match="task 'm31-real' reads the classes \\[1, 2\\]"):
        SimConfig(shape=(64, 64), n_candidates=1, task="m31-real")
    assert preset("m31", shape=(64, 64), n_candidates=1).to_dict()["task"] == "m31-binary"
    assert "task" not in SimConfig(shape=(64, 64), n_candidates=1).to_dict()  # the default, not written
