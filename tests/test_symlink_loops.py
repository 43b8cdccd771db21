"""A loop of symbolic links (``ln -s a b; ln -s b a``) given as any input, or as a model's member, is
named like a missing file (exit 2), never a traceback from ``Path.resolve``'s RuntimeError."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from astropy.table import Table
from typer.testing import CliRunner

from conftest import write_noise_cutout_folder, write_toy_mosaics, write_untrained_model
from starclass.cli import app
from starclass.errors import StarclassError
from starclass.io.catalog import write_catalog
from starclass.io.paths import check_output, input_clash
from starclass.learn.checkpoint import member_paths
from starclass.learn.config import get_preset

runner = CliRunner()


def _loop(folder: Path, a: str = "loop_a", b: str = "loop_b") -> Path:
    os.symlink(folder / b, folder / a)
    os.symlink(folder / a, folder / b)
    return folder / a


def test_an_input_that_is_a_link_loop_is_compared_without_a_traceback(tmp_path):
    loop = _loop(tmp_path)
    # before: RuntimeError("Symlink loop from ...") out of Path.resolve in the check every command runs first
    assert input_clash(tmp_path / "out.ecsv", [loop]) is None
    check_output(tmp_path / "out.ecsv", [loop], option="--output")
    with pytest.raises(StarclassError, match="is one of the command's inputs"):
        check_output(loop, [loop], option="--output", overwrite=True)


def test_cutouts_with_a_catalogue_that_is_a_link_loop_says_so_with_exit_2(tmp_path):
    loop = _loop(tmp_path)
    write_toy_mosaics(tmp_path / "field")
    res = runner.invoke(app, ["cutouts", str(tmp_path / "field"), "-c", str(loop), "-o", str(tmp_path / "s.h5")])
    assert res.exit_code == 2, res.output
    assert "loop_a" in res.output and "Traceback" not in res.output
    assert not (tmp_path / "s.h5").exists()


def test_a_model_member_that_is_a_link_loop_is_named_as_a_link(tmp_path):
    model = write_untrained_model(tmp_path / "model", get_preset("galaxy-cluster-compact", stamp_size=16))
    member = model / "member_01.pt"
    member.unlink()
    os.symlink("member_01.pt", member)  # points at itself
    with pytest.raises(StarclassError,
                       match=r"member files missing: .*member_01\.pt \(a link to member_01\.pt, in a loop of links"):
        member_paths(model)
    cat = write_catalog(Table({"id": [1], "x": [3.0], "y": [4.0]}), tmp_path / "c.ecsv")
    res = runner.invoke(app, ["info", str(model)])
    assert res.exit_code == 2 and "a link to member_01.pt" in res.output, res.output
    res = runner.invoke(app, ["suggest", str(_loop(tmp_path, "m1", "m2")), str(cat), "-o", str(tmp_path / "s.ecsv")])
    assert res.exit_code == 2 and "Traceback" not in res.output, res.output
    assert not (tmp_path / "s.ecsv").exists()


def test_inspect_backup_to_a_link_loop_is_refused_without_a_traceback(tmp_path):
    # inspect.backup compared --backup with the database by Path.resolve: 'inspect DATA --backup LOOP' (and
    # backup_sqlite(engine, LOOP)) stopped with RuntimeError 'Symlink loop from ...', exit 1, a traceback
    from starclass.inspect import db
    from starclass.inspect.backup import backup_sqlite

    (tmp_path / "data").mkdir()
    engine = db.make_engine(f"sqlite:///{tmp_path / 'data' / 'inspect.sqlite'}")
    db.init_db(engine)
    loop = _loop(tmp_path)
    with pytest.raises(FileExistsError, match=r"loop_a exists \(overwrite=False\)"):
        backup_sqlite(engine, loop)
    engine.dispose()
    res = runner.invoke(app, ["inspect", str(tmp_path / "data"), "--backup", str(loop)])
    assert res.exit_code == 2 and "Traceback" not in res.output, res.output
    assert "loop_a exists; give --overwrite to replace it" in " ".join(res.output.split())
    assert os.readlink(loop) == str(tmp_path / "loop_b")  # the link is left as it was
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data", "loop_a", "loop_b"]


@pytest.mark.parametrize("with_images", [False, True])
def test_train_labels_that_are_a_link_loop_are_named_without_a_traceback(tmp_path, with_images):
    # train compared --labels with the catalogue by Path.resolve: 'train --catalog c.ecsv --labels LOOP
    # --label-model dawid-skene' stopped with RuntimeError 'Symlink loop from ...' (exit 1, a traceback): without
    # images since the votes are checked first (3bb5f51f), with mosaics in _vote_targets
    loop = _loop(tmp_path)
    cat = write_catalog(Table({"id": [1, 2], "x": [10.0, 20.0], "y": [12.0, 14.0]}), tmp_path / "c.ecsv")
    write_toy_mosaics(tmp_path / "field")
    images = ["--mosaics", str(tmp_path / "field")] if with_images else []
    res = runner.invoke(app, ["train", "--task", "galaxy-cluster-compact", "--catalog", str(cat), "--labels", str(loop),
                              "--label-model", "dawid-skene", *images, "-o", str(tmp_path / "m")])
    assert res.exit_code == 2, res.output
    assert "loop_a" in res.output and "Traceback" not in res.output
    assert not (tmp_path / "m").exists()


def test_inspect_with_a_database_that_is_a_link_loop_is_refused_without_a_traceback(tmp_path):
    # the default --db, DATA/inspect.sqlite, was made absolute with Path.resolve: a link loop there (a copied
    # folder whose link pointed at itself) stopped 'inspect DATA --list-users' / '--backup' with RuntimeError
    # 'Symlink loop from ...' (exit 1, a traceback)
    (tmp_path / "data").mkdir()
    os.symlink("inspect.sqlite", tmp_path / "data" / "inspect.sqlite")  # points at itself
    for extra in (["--list-users"], ["--backup", str(tmp_path / "b.sqlite")]):
        res = runner.invoke(app, ["inspect", str(tmp_path / "data"), *extra])
        assert res.exit_code == 2, res.output
        assert "no label database at" in res.output and "Traceback" not in res.output
    assert os.readlink(tmp_path / "data" / "inspect.sqlite") == "inspect.sqlite"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["data"]


# Every command whose paths went through Path.resolve (now io.paths.resolved), with a loop of links in place
# of one path argument: {loop} is a loop with no suffix (a folder or model), {loop.ecsv} one named as that file
# type (so that the command's extension checks let it through), {in} the shared inputs, {out} the case's folder.
LOOP_ARGUMENTS = {
    "classify-mosaics": ["classify", "{loop}", "-c", "{in}/cat.ecsv", "--model", "{in}/model", "-o", "{out}/o.ecsv"],
    "classify-catalog": ["classify", "{in}/field", "-c", "{loop.ecsv}", "--model", "{in}/model", "-o",
                         "{out}/o.ecsv"],
    "classify-model": ["classify", "{in}/field", "-c", "{in}/cat.ecsv", "--model", "{loop}", "-o", "{out}/o.ecsv"],
    "classify-output": ["classify", "{in}/field", "-c", "{in}/cat.ecsv", "--model", "{in}/model", "-o",
                        "{loop.ecsv}"],
    "classify-votes": ["classify", "{in}/field", "-c", "{in}/cat.ecsv", "--model", "{in}/model", "-o",
                       "{out}/o.ecsv", "--votes", "{loop.csv}"],
    "classify-stamps": ["classify", "--stamps", "{loop.csv}", "--model", "{in}/cmodel", "-o", "{out}/o.csv"],
    # before: RuntimeError 'Symlink loop' (exit 1, a traceback) from the labels.csv check and
    # check_output_outside_cutouts
    "classify-stamps-folder-output": ["classify", "--stamps", "{in}/scan", "--model", "{in}/cmodel", "-o",
                                      "{loop.csv}"],
    "classify-stamps-csv-output": ["classify", "--stamps", "{in}/cut/labels.csv", "--model", "{in}/cmodel", "-o",
                                   "{loop.csv}"],
    "suggest-model": ["suggest", "{loop}", "{in}/cat.ecsv", "-o", "{out}/s.ecsv"],
    "suggest-candidates": ["suggest", "{in}/model", "{loop.ecsv}", "-o", "{out}/s.ecsv"],
    "suggest-output": ["suggest", "{in}/model", "{in}/pred.ecsv", "-o", "{loop.ecsv}"],
    # before: RuntimeError from the '--pseudo-labels and --output name the same file' check
    "suggest-pseudo-labels": ["suggest", "{in}/model", "{in}/pred.ecsv", "-o", "{out}/s.ecsv", "--pseudo-labels",
                              "{loop.ecsv}"],
    "suggest-labels": ["suggest", "{in}/model", "{in}/pred.ecsv", "-o", "{out}/s.ecsv", "--labels", "{loop.csv}"],
    "suggest-mosaics": ["suggest", "{in}/model", "{in}/cat.ecsv", "-o", "{out}/s.ecsv", "--mosaics", "{loop}"],
    "cutouts-mosaics": ["cutouts", "{loop}", "-c", "{in}/cat.ecsv", "-o", "{out}/s.h5"],
    "cutouts-output": ["cutouts", "{in}/field", "-c", "{in}/cat.ecsv", "-o", "{loop.h5}"],
    "cutouts-merge-store": ["cutouts", "--merge", "{in}/s.h5", "{loop.h5}", "-o", "{out}/m.h5"],
    "cutouts-merge-output": ["cutouts", "--merge", "{in}/s.h5", "{in}/s2.h5", "-o", "{loop.h5}"],
    "evaluate-pred": ["evaluate", "{loop.ecsv}", "-o", "{out}/ev"],
    "evaluate-reference": ["evaluate", "{in}/pred.ecsv", "--reference", "{loop.ecsv}", "-o", "{out}/ev"],
    "evaluate-model": ["evaluate", "{in}/pred.ecsv", "--model", "{loop}", "-o", "{out}/ev"],
    "evaluate-output": ["evaluate", "{in}/pred.ecsv", "-o", "{loop}"],
    "train-stamps": ["train", "--task", "m31-real", "--stamps", "{loop.csv}", "-o", "{out}/m"],
    # before: RuntimeError from check_output_outside_cutouts
    "train-stamps-output": ["train", "--task", "m31-real", "--stamps", "{in}/scan", "-o", "{loop}"],
    "train-catalog": ["train", "--task", "m31-real", "--catalog", "{loop.ecsv}", "--mosaics", "{in}/field", "-o",
                      "{out}/m"],
    "train-mosaics": ["train", "--task", "m31-real", "--catalog", "{in}/pred.ecsv", "--mosaics", "{loop}", "-o",
                      "{out}/m"],
    "inspect-data": ["inspect", "{loop}", "--list-users"],
    "inspect-catalogue": ["inspect", "{in}/field", "--catalogue", "{loop.ecsv}", "--export", "{out}/e.csv"],
    "inspect-export": ["inspect", "{in}/field", "--export", "{loop.csv}"],
    "inspect-stamps": ["inspect", "--stamps", "{loop.csv}", "--task", "m31-real", "--export", "{out}/e.csv"],
    "inspect-stamps-export": ["inspect", "--stamps", "{in}/cut/labels.csv", "--task", "m31-real", "--export",
                              "{loop.csv}"],
    # a cutout list whose last row names a loop (listed_path): before, RuntimeError, now 'row 17 ... no such file'
    "classify-listed-file": ["classify", "--stamps", "{in}/listed/labels.csv", "--model", "{in}/cmodel", "-o",
                             "{out}/o.csv"],
    "train-listed-file": ["train", "--task", "m31-real", "--stamps", "{in}/listed/labels.csv", "-o", "{out}/m"],
    "inspect-listed-file": ["inspect", "--stamps", "{in}/listed/labels.csv", "--task", "m31-real", "--export",
                            "{out}/e.csv"],
}


@pytest.fixture(scope="module")
def loop_inputs(tmp_path_factory):
    """Tiny valid inputs for every command of LOOP_ARGUMENTS (each refuses its loop before any real work)."""
    from starclass.inspect import db

    d = tmp_path_factory.mktemp("loop_inputs")
    write_toy_mosaics(d / "field")
    t = Table({"id": [1, 2], "x": [30.0, 60.0], "y": [30.0, 50.0]})
    write_catalog(t, d / "cat.ecsv")
    write_catalog(t, d / "field" / "candidates.ecsv")
    write_catalog(Table({**{c: t[c] for c in t.colnames}, "class_pred": [1, 2], "prob_1": [0.7, 0.2],
                         "prob_2": [0.3, 0.8], "class_ref": [1, 2]}), d / "pred.ecsv")
    write_untrained_model(d / "model", get_preset("m31-real", stamp_size=16).copy(bands=["f555w", "f814w"]))
    write_untrained_model(d / "cmodel", get_preset("m31-real", stamp_size=16))  # the noise cutouts' one band
    res = runner.invoke(app, ["cutouts", str(d / "field"), "-c", str(d / "cat.ecsv"), "-o", str(d / "s.h5"),
                              "--no-progress"])
    assert res.exit_code == 0, res.output
    (d / "s2.h5").write_bytes((d / "s.h5").read_bytes())
    for name in ("cut", "scan", "listed", "rooted"):
        write_noise_cutout_folder(d / name, 16, n=4)
    (d / "scan" / "labels.csv").unlink()  # a folder read by its label sub-folders
    _loop(d / "listed", "za.npy", "zb.npy")
    with open(d / "listed" / "labels.csv", "a") as fh:
        fh.write("za.npy,cluster\n")
    root = _loop(d, "root_a", "root_b")
    rows = (d / "rooted" / "labels.csv").read_text().splitlines()
    (d / "rooted" / "labels.csv").write_text("\n".join([rows[0] + ",cutout_root", *(f"{r},{root}" for r in rows[1:])])
                                             + "\n")
    for folder in ("field", "cut", "listed", "rooted"):
        engine = db.make_engine(f"sqlite:///{d / folder / 'inspect.sqlite'}")
        db.init_db(engine)
        engine.dispose()
    return d


def _tree(folder: Path) -> list[tuple[str, int]]:
    """Every entry under ``folder`` with its modification time (a folder's own time left out: opening a label
    database makes and removes SQLite's journal beside it, which changes nothing)."""
    return sorted((str(p.relative_to(folder)), 0 if p.is_dir() and not p.is_symlink() else p.lstat().st_mtime_ns)
                  for p in folder.rglob("*"))


def _loop_arguments(template: list[str], inputs: Path, out: Path) -> tuple[list[str], str]:
    args, loop_name = [], ""
    for arg in template:
        if arg.startswith("{loop"):
            suffix = arg[len("{loop"):-1]
            loop_name = _loop(out, f"loop_a{suffix}", f"loop_b{suffix}").name
            args.append(str(out / loop_name))
        else:
            args.append(arg.format(out=out, **{"in": inputs}))
    return args, loop_name


@pytest.mark.parametrize("case", list(LOOP_ARGUMENTS))
def test_every_path_argument_that_is_a_link_loop_is_named_with_exit_2(case, loop_inputs, tmp_path):
    args, loop_name = _loop_arguments(LOOP_ARGUMENTS[case], loop_inputs, tmp_path)
    named = loop_name or {"listed-file": "za.npy"}[case.split("-", 1)[1]]
    before, mine = _tree(loop_inputs), _tree(tmp_path)
    res = runner.invoke(app, args)
    assert res.exit_code == 2, (res.output, res.exception)
    assert "Traceback" not in res.output and named in res.output, res.output
    assert res.output.startswith("error: ") or "\nerror: " in res.output, res.output
    assert _tree(loop_inputs) == before and _tree(tmp_path) == mine  # nothing written, the links left as they were


def test_a_list_whose_cutout_root_is_a_loop_is_read_from_its_own_folder(loop_inputs, tmp_path):
    # the loop is never followed (before: RuntimeError, as _csv_root_elsewhere caught only OSError); a
    # recorded cutout_root that gives no file falls back to the list's folder, where classify --stamps
    # finds these files too (io.cutout_folders.listed_file), so inspect exports them
    before = _tree(loop_inputs)
    res = runner.invoke(app, ["inspect", "--stamps", str(loop_inputs / "rooted" / "labels.csv"), "--task",
                              "m31-real", "--export", str(tmp_path / "e.csv"), "--include-unlabelled"])
    assert res.exit_code == 0, (res.output, res.exception)
    assert "Traceback" not in res.output
    assert len(Table.read(tmp_path / "e.csv", format="ascii.csv")) == 4
    assert _tree(loop_inputs) == before  # the links left as they were


OVERWRITTEN_LOOPS = {
    "inspect-stamps-export": ["inspect", "--stamps", "{in}/cut/labels.csv", "--task", "m31-real", "--export",
                              "{loop.csv}", "--include-unlabelled"],
    "cutouts-merge-output": ["cutouts", "--merge", "{in}/s.h5", "{in}/s2.h5", "-o", "{loop.h5}"],
    "classify-stamps-output": ["classify", "--stamps", "{in}/scan", "--model", "{in}/cmodel", "-o", "{loop.csv}",
                               "--no-progress"],
    "suggest-pseudo-labels": ["suggest", "{in}/model", "{in}/pred.ecsv", "-o", "{out}/s.ecsv", "--pseudo-labels",
                              "{loop.ecsv}"],
}


@pytest.mark.parametrize("case", list(OVERWRITTEN_LOOPS))
def test_an_output_that_is_a_link_loop_is_replaced_with_overwrite(case, loop_inputs, tmp_path):
    # with --overwrite the loop passed the output checks, and export_catalogue, merge_stores, classify's labels.csv
    # check and suggest's --pseudo-labels check then stopped with RuntimeError 'Symlink loop' (exit 1, a traceback)
    args, loop_name = _loop_arguments(OVERWRITTEN_LOOPS[case], loop_inputs, tmp_path)
    res = runner.invoke(app, [*args, "--overwrite"])
    assert res.exit_code == 0, (res.output, res.exception)
    out = tmp_path / loop_name
    assert not out.is_symlink() and out.is_file()  # the link replaced, not written through
    assert (tmp_path / loop_name.replace("loop_a", "loop_b")).is_symlink()


def test_a_complete_survey_is_kept_with_a_file_exists_error(tmp_path, monkeypatch):
    # 'survey output ... is complete (summary.json); give overwrite=True' was a plain StarclassError, where every
    # other refusal to replace an output is an OutputExistsError (a FileExistsError naming the path)
    import json

    import starclass.survey.plan as plan_module
    import starclass.survey.run as run_module
    from starclass.errors import OutputExistsError

    out = tmp_path / "sv"
    out.mkdir()
    (out / "summary.json").write_text(json.dumps({"complete": True}))
    for todo, words in ((0, "redo the merge and summary"), (3, "for 3 of its 4 tiles")):
        with pytest.raises(OutputExistsError, match=r"is complete \(summary\.json\)") as err:
            run_module._check_outdir(out, False, todo, 4)
        assert isinstance(err.value, FileExistsError) and err.value.filename == str(out)
        assert words in str(err.value) and "give overwrite=True" in str(err.value)
    run_module._check_outdir(out, True, 3, 4)  # overwrite=True: no refusal

    # the command line: the same words with --overwrite, exit 2 (read_plan and run_survey stand in for a cluster)
    class Plan:
        model = None

        def with_options(self, **kw):
            return self

    monkeypatch.setattr(plan_module, "read_plan", lambda path: Plan())
    monkeypatch.setattr(plan_module, "check_settings", lambda plan: "plan")  # the stand-in has no settings to check
    monkeypatch.setattr(run_module, "run_survey", lambda plan, output, overwrite, **kw: run_module._check_outdir(
        Path(output), overwrite))
    (tmp_path / "plan.yaml").write_text("fields: []\n")
    res = runner.invoke(app, ["survey", str(tmp_path / "plan.yaml"), "-o", str(out)])
    assert res.exit_code == 2 and "Traceback" not in res.output, res.output
    # the command refuses it before the plan's work (refuse_complete_output), saying what --overwrite reruns
    assert f"error: survey output {out} is complete (summary.json); give --overwrite to redo the merge and summary " \
           "(finished tiles are reused; tiles whose plan inputs, model or settings changed, or whose files are " \
           "damaged or missing, run again)" in " ".join(res.output.split())
    assert sorted(p.name for p in out.iterdir()) == ["summary.json"]
