"""``info`` of a labelled cutout folder names its labels as train does, not by number alone."""

from __future__ import annotations

from starclass.cli.info_cmd import cutout_summary
from starclass.simulate.seed_presets import write_seed_preset


def _labels_line(text: str) -> str:
    return next(line for line in text.splitlines() if line.startswith("labels:"))


def test_a_simulated_cool_core_folder_names_its_classes_as_the_task_does(tmp_path):
    path, _ = write_seed_preset("cool-core", tmp_path / "cc", n=6, size=32, seed=1)
    line = _labels_line(cutout_summary(tmp_path / "cc"))
    # 'labels: 1 2, 2 3, 3 1' said no class; train says '1 (cool core)'
    assert "(cool core)" in line or "(weak cool core)" in line or "(non-cool core)" in line, line
    for part in line.removeprefix("labels: ").split(", "):
        assert "(" in part, line


def test_without_the_simulators_json_a_class_name_column_names_the_labels(tmp_path):
    path, _ = write_seed_preset("open-globular", tmp_path / "og", n=6, size=32, seed=1)
    (tmp_path / "og" / "simulation.json").unlink()
    line = _labels_line(cutout_summary(tmp_path / "og"))
    assert "(open)" in line or "(globular)" in line, line
    for part in line.removeprefix("labels: ").split(", "):
        assert "(" in part, line


def test_a_stamp_store_names_its_class_ref_counts_by_the_task_it_records(tmp_path):
    import numpy as np

    from starclass.cli.info_cmd import store_lines
    from starclass.learn.config import get_preset
    from starclass.stamps.store import write_stamp_store

    task = get_preset("m31-real")
    p = tmp_path / "s.h5"
    write_stamp_store(p, np.zeros((3, 1, 1, 8, 8), np.float32), np.ones((3, 8, 8), bool),
                      {"id": np.arange(1, 4), "class_ref": np.array([1, 2, 2])}, channels=["g"],
                      normalisation="zscore", bands=["g"], extra={"task": task.to_dict()})
    line = next(x for x in store_lines(p) if x.startswith("class_ref:"))
    # 'class_ref: 1: 1  2: 2' named no class
    assert f"1 ({task.class_names[0]}): 1" in line and f"2 ({task.class_names[1]}): 2" in line, line


def _class_ref_line(path) -> str:
    from typer.testing import CliRunner

    from starclass.cli import app

    r = CliRunner().invoke(app, ["info", str(path)])
    assert r.exit_code == 0, r.output
    return next(x for x in r.output.splitlines() if x.startswith("class_ref:"))


def test_a_simulated_fields_truth_names_its_classes_from_the_simulation_json_beside_it(tmp_path):
    import shutil

    from astropy.table import Table

    from starclass.learn.config import get_preset
    from starclass.schema import CLASS_NAMES
    from starclass.simulate.config import SimConfig
    from starclass.simulate.field import simulate_field, write_field

    field = simulate_field(SimConfig(seed=1, shape=(64, 64), n_candidates=8, bands=("f555w",)))
    paths = write_field(field, tmp_path / "f")
    task = get_preset("legus4")
    for name in ("truth", "humans"):
        line = _class_ref_line(paths[name])
        # since session 80 a field's tables record its task (legus4 here): named by it, wherever they lie
        for k, text in zip(task.classes, task.class_names):
            assert f"{k} ({text}): " in line, line
    # a field written before: no task in its truth; 'class_ref: 1: 2  2: 1 ...' named no class there
    old = Table.read(paths["truth"])
    for key in get_preset("legus4").table_meta():
        old.meta.pop(key, None)
    old.write(paths["truth"], overwrite=True)
    line = _class_ref_line(paths["truth"])
    for k, text in CLASS_NAMES.items():
        assert f"{k} ({text}): " in line, line
    # nothing where unsure: the same truth away from its simulation.json is counted by number, as before
    shutil.copy(paths["truth"], tmp_path / "truth.ecsv")
    line = _class_ref_line(tmp_path / "truth.ecsv")
    assert "(" not in line.split("  (")[0], line
