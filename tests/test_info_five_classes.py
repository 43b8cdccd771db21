"""``info`` of a five-class catalogue that records no task (a CSV: class_ref 1-5, no meta, no prob_* columns).

Before: ``info FIVE.csv`` refused it, "class 5 in row 5 (id 5) is not 0-4", exit 2, and had no ``--task`` to
say its classes, although ``evaluate --task`` reads the same file. Now ``info --task TASK`` reads and counts
it for the task (its names), and without ``--task`` each class value is counted by number, with a note that
no task declares it. A value the given task does not have is still refused, naming the file, row and column.
"""

from __future__ import annotations

from typer.testing import CliRunner

from starclass.cli import app
from starclass.learn.config import get_preset, save_config

runner = CliRunner()


def _five_csv(path):
    ref = [1, 2, 3, 4, 5, 5, 5, 0]
    rows = [f"{i + 1},{10.0 + i},{20.0 + i},{21.0 + 0.1 * i:.2f},{k}" for i, k in enumerate(ref)]
    path.write_text("id,x,y,mag_f555w,class_ref\n" + "\n".join(rows) + "\n")
    return path


def test_info_counts_a_five_class_csv_without_a_task_by_number_with_a_note(tmp_path):
    cat = _five_csv(tmp_path / "five.csv")
    res = runner.invoke(app, ["info", str(cat)])
    assert res.exit_code == 0, res.output
    assert "class_ref: 1: 1  2: 1  3: 1  4: 1  5: 3  (7 labelled, 1 without a label)" in res.output, res.output
    assert "note: class_ref holds class 5," in res.output and "--task TASK" in res.output, res.output


def test_info_task_counts_a_five_class_csv_by_the_task_names(tmp_path):
    cat = _five_csv(tmp_path / "five.csv")
    task = save_config(get_preset("legus4", name="five", classes=[1, 2, 3, 4, 5],
                                  class_names=["c1", "c2", "c3", "star", "artefact"]), tmp_path / "five.yaml")
    res = runner.invoke(app, ["info", str(cat), "--task", str(task)])
    assert res.exit_code == 0, res.output
    assert "classes of --task five: 1 (c1), 2 (c2), 3 (c3), 4 (star), 5 (artefact)" in res.output, res.output
    assert ("class_ref: 1 (c1): 1  2 (c2): 1  3 (c3): 1  4 (star): 1  5 (artefact): 3  (7 labelled, "
            "1 without a label)") in res.output, res.output
    assert "note:" not in res.output


def test_info_task_refuses_a_class_the_task_does_not_have(tmp_path):
    cat = _five_csv(tmp_path / "five.csv")
    res = runner.invoke(app, ["info", str(cat), "--task", "legus4"])
    assert res.exit_code == 2
    assert f"column 'class_ref' in {cat}: class 5 in row 5 (id 5) is not 0-4" in res.output, res.output
    assert "Traceback" not in res.output


def test_info_without_task_still_refuses_a_value_that_is_no_class(tmp_path):
    cat = _five_csv(tmp_path / "five.csv")
    cat.write_text(cat.read_text().replace(",5\n", ",2.5\n", 1))
    res = runner.invoke(app, ["info", str(cat)])
    assert res.exit_code == 2
    assert "class 2.5 in row 5 (id 5)" in res.output, res.output


def test_info_task_is_refused_where_no_catalogue_is_read(tmp_path):
    _five_csv(tmp_path / "five.csv")
    res = runner.invoke(app, ["info", str(tmp_path), "--task", "legus4"])
    assert res.exit_code == 2 and "--task needs one catalogue" in res.output, res.output


def test_info_of_a_folder_whose_one_table_is_skipped_says_why(tmp_path):
    # the folder's table counts the classes 1-4: a five-class CSV is skipped there, and with no other table the
    # refusal was "no catalogue could be read in DIR (looked for .tab, ...)" without its reason
    _five_csv(tmp_path / "five.csv")
    res = runner.invoke(app, ["info", str(tmp_path)])
    assert res.exit_code == 2, res.output
    said = " ".join(res.output.split())
    assert "no catalogue could be read in" in said and "five.csv: not read as a catalogue, skipped: column " \
        "'class_ref'" in said and "class 5 in row 5 (id 5) is not 0-4" in said, said
