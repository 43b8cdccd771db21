"""train --help says what --label-column holds for any task, not the PHANGS classes 1-4 (2026-12-05).

Found walking the five-class galaxy-cluster task as a user (``train --task galaxy-cluster-experts.yaml
--label-column expert``, docs/seed_simulators.md): the help said "Column with the reference class (1-4;
0 = none)" and, for a cutout folder, "label strings", while that task reads class numbers 1-5.
"""

from __future__ import annotations


def test_train_help_does_not_say_the_label_column_holds_classes_1_to_4():
    # train --help said "Column with the reference class (1-4; 0 = none)": a five-class galaxy-cluster task
    # trains on its 'expert' column of classes 1-5 (docs/seed_simulators.md), cool-core on 1-3
    import typer.main

    from starclass.cli import app

    cmd = typer.main.get_command(app).commands["train"]
    text = next(p.help for p in cmd.params if "--label-column" in p.opts)
    assert "1-4" not in text and "the task's class numbers" in text
    assert "class numbers for a task without one" in text and "default there: label" in text
