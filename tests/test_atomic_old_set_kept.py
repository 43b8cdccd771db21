"""An older set that cannot be deleted after its replacement is named, not left silently.

``report --overwrite`` with a read-only ``tables/`` (``chmod a-w tables``, run as a normal user)
exited 0 with the new page and tables in place, but the old tables stayed beside them as a
hidden ``.tables.XXXXXXXX`` folder without a word: :func:`starclass.io.atomic.atomic_dir` deleted
it with ``shutil.rmtree(..., ignore_errors=True)``. Now a ``warning:`` line names the folder and
how to delete it; the new output is kept.

The tests run as root, who may delete a read-only folder's files, so the denial is made by
replacing ``shutil.rmtree`` with one that refuses the old set, as the kernel does for a user.
"""

from __future__ import annotations

import errno
import os
import shutil
import warnings
from pathlib import Path

import pytest
from typer.testing import CliRunner

from starclass.cli import app
from starclass.io import atomic
from starclass.io.atomic import atomic_dir

runner = CliRunner()
_real_rmtree = shutil.rmtree
MARK = "old_set.ecsv"  # a name the tables folder may hold (it is refused otherwise)


def _refuse_the_old_set(path, ignore_errors=False, onerror=None, *, onexc=None, **kwargs):
    """shutil.rmtree, but the folder holding ``MARK`` cannot be emptied (a read-only folder for a user)."""
    if not (Path(path) / MARK).exists():
        return _real_rmtree(path, ignore_errors=ignore_errors, onerror=onerror, **kwargs) if onexc is None \
            else _real_rmtree(path, ignore_errors=ignore_errors, onexc=onexc, **kwargs)
    exc = PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(Path(path) / MARK))
    if onexc is not None:
        onexc(os.unlink, str(Path(path) / MARK), exc)
    elif onerror is not None:
        onerror(os.unlink, str(Path(path) / MARK), (PermissionError, exc, None))
    elif not ignore_errors:
        raise exc


def _hidden(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith("."))


def test_atomic_dir_names_an_old_set_it_cannot_delete(tmp_path, monkeypatch):
    out = tmp_path / "tables"
    out.mkdir()
    (out / MARK).write_text("old")
    monkeypatch.setattr(atomic.shutil, "rmtree", _refuse_the_old_set)
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        with atomic_dir(out, overwrite=True) as tmp:
            (tmp / "new.ecsv").write_text("new")
    assert sorted(p.name for p in out.iterdir()) == ["new.ecsv"]  # the new set is in place
    kept = _hidden(tmp_path)
    assert len(kept) == 1 and (tmp_path / kept[0] / MARK).read_text() == "old"
    words = [str(w.message) for w in said]
    assert len(words) == 1, words
    assert words[0].startswith(f"the new tables folder is in place, but the old one is left in {tmp_path / kept[0]} "
                               "(permission denied); delete it yourself (chmod -R u+w"), words


def test_atomic_dir_names_it_without_the_atomic_exchange(tmp_path, monkeypatch):
    """Where renameat2 cannot swap, the old set goes to ``.tables.XXXXXXXX.old`` first: named the same way."""
    out = tmp_path / "tables"
    out.mkdir()
    (out / MARK).write_text("old")
    monkeypatch.setattr(atomic.shutil, "rmtree", _refuse_the_old_set)
    monkeypatch.setattr(atomic, "exchange_paths", lambda a, b: False)
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        with atomic_dir(out, overwrite=True) as tmp:
            (tmp / "new.ecsv").write_text("new")
    kept = _hidden(tmp_path)
    # renamed from .tables.XXXXXXXX.old: a .old folder is put back by recover_dir once the target is gone
    assert sorted(p.name for p in out.iterdir()) == ["new.ecsv"] and len(kept) == 1
    assert kept[0].endswith(".replaced") and not kept[0].endswith(".old.replaced")
    assert [f"is left in {tmp_path / kept[0]}" in str(w.message) for w in said] == [True]


def test_a_deletable_old_set_goes_without_a_word(tmp_path):
    out = tmp_path / "tables"
    out.mkdir()
    (out / MARK).write_text("old")
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        with atomic_dir(out, overwrite=True) as tmp:
            (tmp / "new.ecsv").write_text("new")
    assert [p.name for p in tmp_path.iterdir()] == ["tables"] and said == []


# the page's figures built but not rendered (conftest): the test reads the folders and words, not pixels
@pytest.mark.usefixtures("unrendered_figures")
def test_report_overwrite_over_read_only_tables_says_where_the_old_ones_are(tmp_path, monkeypatch):
    pred = tmp_path / "pred.csv"
    pred.write_text("id,x,y,class_pred,class_ref,prob_1,prob_2,prob_3,prob_4\n"
                    + "".join(f"{i},{i}.0,{i}.0,{1 + i % 4},{1 + (i * 7) % 4},0.7,0.1,0.1,0.1\n" for i in range(1, 41)))
    page = tmp_path / "out" / "r.html"
    args = ["report", str(pred), "-r", "self", "-o", str(page), "--bootstrap", "5"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    (page.parent / "tables" / MARK).write_text("old")  # the old tables, which the user cannot delete
    old_page = page.read_text()
    (page.parent / "tables").chmod(0o555)
    monkeypatch.setattr(atomic.shutil, "rmtree", _refuse_the_old_set)
    try:
        res = runner.invoke(app, [*args, "--overwrite", "--title", "second"])
        kept = _hidden(page.parent)
        out = " ".join(res.output.split())
        assert res.exit_code == 0, res.output
        assert "Traceback" not in res.output
        assert len(kept) == 1 and (page.parent / kept[0] / MARK).exists()
        assert f"warning: the new tables folder is in place, but the old one is left in {page.parent / kept[0]}" in out
        assert page.read_text() != old_page and "second" in page.read_text()  # the new page, kept
        assert not (page.parent / "tables" / MARK).exists() and any((page.parent / "tables").glob("*.ecsv"))
    finally:
        for p in page.parent.iterdir():
            p.chmod(0o755)


def _replace(out: Path, text: str) -> list[str]:
    """One atomic_dir(out, overwrite=True) as a new process runs it (the folder read afresh); its warnings."""
    atomic._HIDDEN.clear()  # notice_leftovers reads a folder once per process
    with warnings.catch_warnings(record=True) as said:
        warnings.simplefilter("always")
        with atomic_dir(out, overwrite=True) as tmp:
            (tmp / MARK).write_text(text)
    return [str(w.message) for w in said]


def test_the_next_run_names_an_old_set_it_cannot_delete_as_the_old_set_not_an_interrupted_run(tmp_path, monkeypatch):
    """The old set a replacement could not delete was called "left by an interrupted run writing tables; delete
    it unless another run is writing tables now" by the next run: untrue (no run was interrupted, none writes
    there). Now it is named as the old set that run replaced, with how to delete it."""
    out = tmp_path / "tables"
    out.mkdir()
    (out / MARK).write_text("first")
    monkeypatch.setattr(atomic.shutil, "rmtree", _refuse_the_old_set)
    first = _replace(out, "second")
    assert len(first) == 1 and "the old one is left in" in first[0], first
    kept = _hidden(tmp_path)
    assert len(kept) == 1 and (tmp_path / kept[0] / MARK).read_text() == "first"
    words = _replace(out, "third")  # still cannot be deleted: the user has not made it writable
    assert not any("interrupted run" in w for w in words), words
    old = [w for w in words if str(tmp_path / kept[0]) in w]
    assert len(old) == 1, words
    assert old[0].startswith(f"{tmp_path / kept[0]} (") and (" is the old set of tables that an earlier run replaced "
                                                           "(overwrite) and could not delete; no run writes there: "
                                                           f"delete it yourself (chmod -R u+w {tmp_path / kept[0]} "
                                                           f"&& rm -r {tmp_path / kept[0]})") in old[0], old
    assert (tmp_path / kept[0] / MARK).read_text() == "first" and (out / MARK).read_text() == "third"


def test_the_next_run_deletes_an_old_set_that_can_be_deleted_now(tmp_path, monkeypatch):
    """Once the user made it deletable (chmod -R u+w), the next replacement deletes the old set without a word:
    it was kept, and called an interrupted run's leftover, for ever."""
    out = tmp_path / "tables"
    out.mkdir()
    (out / MARK).write_text("first")
    monkeypatch.setattr(atomic.shutil, "rmtree", _refuse_the_old_set)
    _replace(out, "second")
    assert len(_hidden(tmp_path)) == 1
    monkeypatch.setattr(atomic.shutil, "rmtree", _real_rmtree)
    assert _replace(out, "third") == []
    assert _hidden(tmp_path) == [] and (out / MARK).read_text() == "third"


def test_an_interrupted_run_s_folder_is_still_called_so_and_kept(tmp_path):
    """A temporary of a run killed while writing (no .replaced) may be another run's at work: named, not deleted."""
    out = tmp_path / "tables"
    out.mkdir()
    (tmp_path / ".tables.abcd1234").mkdir()
    words = _replace(out, "new")
    assert len(words) == 1 and "was left by an interrupted run writing tables" in words[0], words
    assert _hidden(tmp_path) == [".tables.abcd1234"]


# the page's figures built but not rendered (conftest): the test reads the folders and words, not pixels
@pytest.mark.usefixtures("unrendered_figures")
def test_report_overwrite_again_does_not_call_the_old_tables_an_interrupted_run_s(tmp_path, monkeypatch):
    """'report -o DIR --overwrite' twice over tables the user cannot delete: the second said the first's old
    tables were "left by an interrupted run writing tables"."""
    pred = tmp_path / "pred.csv"
    pred.write_text("id,x,y,class_pred,class_ref,prob_1,prob_2,prob_3,prob_4\n"
                    + "".join(f"{i},{i}.0,{i}.0,{1 + i % 4},{1 + (i * 7) % 4},0.7,0.1,0.1,0.1\n" for i in range(1, 41)))
    page = tmp_path / "out" / "r.html"
    args = ["report", str(pred), "-r", "self", "-o", str(page), "--bootstrap", "5"]
    assert runner.invoke(app, args).exit_code == 0
    (page.parent / "tables" / MARK).write_text("old")
    monkeypatch.setattr(atomic.shutil, "rmtree", _refuse_the_old_set)
    second = runner.invoke(app, [*args, "--overwrite"])
    assert second.exit_code == 0 and "the old one is left in" in " ".join(second.output.split()), second.output
    kept = _hidden(page.parent)
    atomic._HIDDEN.clear()  # a new process
    third = runner.invoke(app, [*args, "--overwrite"])
    out = " ".join(third.output.split())
    assert third.exit_code == 0, third.output
    assert "interrupted run" not in out, third.output
    assert (f"warning: {page.parent / kept[0]} (" in out
            and "is the old set of tables that an earlier run replaced (overwrite) and could not delete" in out), out
    assert _hidden(page.parent) == kept  # still not deletable: kept, the new tables in place
