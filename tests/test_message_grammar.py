"""Messages read as English: no doubled quote after a quoted name, a count of one takes the singular."""

from __future__ import annotations

import ast
import re
import warnings
from pathlib import Path

import numpy as np
import pytest

from starclass.errors import StarclassError

SRC = Path(__file__).resolve().parents[1] / "src" / "starclass"


def test_no_possessive_after_a_quoted_name():
    """f"task {name!r}'s one band" printed "task 'm31-real''s one band g": the repr's closing
    quote and the possessive's apostrophe side by side read as a doubled quote."""
    hits = [f"{p.relative_to(SRC)}:{i}" for p in sorted(SRC.rglob("*.py"))
            for i, line in enumerate(p.read_text().splitlines(), 1) if re.search(r"!r\}'s\b", line)]
    assert hits == []


def test_colour_note_names_the_task_without_a_doubled_quote():
    from astropy.table import Table

    from starclass.learn.config import get_preset
    from starclass.learn.cutouts import CutoutSet, colour_note

    # planes of their own: grey saved as colour (equal planes) gets a note without the task file (2026-12-06)
    rgb = np.random.default_rng(0).random((2, 3, 8, 8)).astype(np.float32)
    cs = CutoutSet(images=rgb, table=Table(), files=["a", "b"], labels=None,
                   groups=np.array(["a", "b"]))
    note = colour_note(cs, get_preset("m31-real"))
    assert "''" not in note and "task 'm31-real' has one band (g)" in note and "'extends: m31-real'" in note


def test_counts_of_one_take_the_singular():
    """train's purity threshold asks for max(1, ...) objects: "at least 1 objects selected"; a
    single blank training row "1 of the 3 ... rows ... are blank (constant) images"."""
    from starclass.evaluate.threshold import threshold_for_purity
    from starclass.learn.calibration import leave_out_blank
    from starclass.learn.config import get_preset

    with pytest.raises(StarclassError, match=r"at least 1 object selected \(best purity"):
        threshold_for_purity(np.array([0, 0, 1]), np.array([0.9, 0.8, 0.1]), target=1.0, min_selected=1)
    with pytest.raises(StarclassError, match=r"at least 2 objects selected"):
        threshold_for_purity(np.array([0, 0, 1]), np.array([0.9, 0.8, 0.1]), target=1.0, min_selected=2)
    cfg = get_preset("m31-real", stamp_size=4)
    x = np.random.default_rng(0).normal(size=(3, 1, 4, 4)).astype("f4")
    x[1] = 0.0
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        leave_out_blank(x, cfg, np.ones(3, bool), "demo", what="training")
    assert "1 of the 3 labelled training rows of demo is a blank (constant) image (row 2)" in str(caught[0].message)


def test_counted():
    from starclass.errors import counted

    assert [counted(1, "row"), counted(2, "row"), counted(1, "person", "people"), counted(0, "row")] == [
        "1 row", "2 rows", "1 person", "0 rows"]


def test_one_tile_survey_and_one_candidate_off_the_image_read_in_the_singular():
    """A survey of one small field is one tile: "1 candidates in 1 field(s), 1 tiles"; one
    candidate off the image "1 of 3 candidates lie outside"."""
    from starclass.stamps.extract import off_image_message
    from starclass.survey.run import summary_lines

    summary = {"complete": True, "n_candidates": 1, "n_fields": 1, "n_tiles": 1, "n_tiles_skipped": 0,
               "candidates_per_second": 1.0, "seconds": {"wall": 1.0},
               "fields": {"f": {"n_candidates": 1, "n_tiles": 1}}}
    lines = summary_lines(summary)
    assert lines[0].startswith("survey complete: 1 candidate in 1 field, 1 tile (0 reused)"), lines
    assert lines[1].startswith("  f: 1 candidate, 1 tile"), lines
    assert off_image_message([1, 2, 3], [False, True, False], (64, 64)).startswith(
        "1 of 3 candidates lies outside the 64 x 64 px image")
    # its aside too: "lies outside ... (or have no position)" until 2026-12-05 evening
    assert "(or has no position)" in off_image_message([1, 2, 3], [False, True, False], (64, 64))
    assert "(or have no position)" in off_image_message([1, 2, 3], [False, True, True], (64, 64))


def test_evaluate_of_one_row_says_one_object(tmp_path):
    """evaluate on a one-row catalogue printed '1 objects paired row by row' and 'puts all 1
    paired objects in class 1' (a catalogue scored against its own class_ref: labelled, since 2026-12-07)."""
    from astropy.table import Table
    from typer.testing import CliRunner

    from starclass.cli import app

    path = tmp_path / "one.ecsv"
    Table({"id": [1], "x": [1.0], "y": [2.0], "class_pred": [1], "class_ref": [1]}).write(path)
    res = CliRunner().invoke(app, ["evaluate", str(path), "-o", str(tmp_path / "ev"), "--bootstrap", "0",
                                   "--no-science"])
    assert res.exit_code == 0, res.output
    assert ": 1 object paired row by row" in res.output and "all 1 labelled object in class 1" in res.output
    assert "1 objects" not in res.output


def test_more_counts_of_one_read_in_the_singular():
    """Counts that f958610 / 3f49167 left in the plural: a trend of one point said '1 points', train --cv
    on one object 'only 1 groups (objects) have a class', the LEGUS hybrid note 'on 1 rows', a votes
    file with one unknown id '1 ids are not in the catalogue'."""
    from astropy.table import Table

    from starclass.evaluate.compare import hybrid_self_note
    from starclass.evaluate.trends import linear_trend
    from starclass.learn.crossval import cv_folds
    from starclass.learn.labels import _match_ids

    with pytest.raises(StarclassError) as exc:
        linear_trend(np.array([1.0, np.nan]), np.array([0.5, 0.2]), what="accuracy vs magnitude")
    assert "1 point, need at least 3" in str(exc.value)

    with pytest.raises(StarclassError) as exc:
        cv_folds(2, np.array([0, 1, 0, 1]), groups=np.array(["a", "a", "a", "a"]))
    assert "only 1 group (objects) has a class" in str(exc.value)

    t = Table({"class_ref": [1, 2], "class_method": [0, 3], "class_ml": [1, 4], "class_human_mode": [0, 2]})
    assert "class_ml itself on 1 row (class_method" in hybrid_self_note(t, "class_ml")

    cat = Table({"id": [1, 2, 3]})
    votes = Table({"id": [1, 7]})
    with pytest.raises(StarclassError) as exc:
        _match_ids(cat, votes, np.ones((2, 2)), np.ones(2, dtype=np.int64), "v.ecsv", "id")
    assert "v.ecsv: 1 id is not in the catalogue" in str(exc.value)


def test_pool_and_pairing_counts_of_one_read_in_the_singular():
    """suggest's pool line said 'the 1 candidates that can be ranked', evaluate 'p and r: 1 objects pair up
    but none is classified in both'."""
    from astropy.table import Table

    from starclass.evaluate.matching import matched_classes
    from starclass.suggest.pick import pool_text

    assert pool_text({"n_candidates": 3, "n_labelled": 2, "n_unranked": 0, "n_eligible": 1}).startswith(
        "the 1 candidate that can be ranked (of 3")
    a = Table({"x": [1.0], "y": [1.0], "class_pred": [0]})
    b = Table({"x": [1.0], "y": [1.0], "class_ref": [2]})
    with pytest.raises(StarclassError, match="1 object of a and b matches, but none"):
        matched_classes(a, b, "class_pred", "class_ref", radius=1.0, names=("a", "b"))


def test_a_pool_of_one_labelled_candidate_reads_in_the_singular():
    # suggest --labels on a pool of one labelled candidate said 'every one of the 1 candidates already has a label'
    from astropy.table import Table

    from starclass.suggest.pick import unlabelled

    with pytest.raises(StarclassError, match=r"^the one candidate already has a label in --labels l\.ecsv: "):
        unlabelled(Table({"id": [7]}), [7], labels_name="--labels l.ecsv")
    with pytest.raises(StarclassError, match=r"^every one of the 2 candidates already has a label"):
        unlabelled(Table({"id": [7, 8]}), [7, 8], labels_name="--labels l.ecsv")


def test_the_merge_note_has_no_two_parenthetical_remarks_in_a_row():
    """calibrate of binary labels through m31-binary's merge read "... calibrate the model trained with it
    (calibrate reads labels through the merge ...) (no merge: each class is itself)": two remarks in brackets
    side by side. Each of the note's forms (calibrate, classify's, the default) reads as one sentence."""
    from starclass.learn.calibration import merge_emptied_note
    from starclass.learn.config import get_preset, merge_collapse_note

    cfg = get_preset("m31-binary")
    ref = np.array([1, 2, 1, 2])
    notes = [merge_emptied_note(cfg, ref, cfg.class_indices(ref), "held.csv"),
             merge_collapse_note(cfg.merge, cfg.classes, ref, task=cfg.name, what="ref"),
             merge_collapse_note(cfg.merge, cfg.classes, ref, task=cfg.name, what="ref",
                                 how="to 'starclass evaluate out.ecsv --task' to score them as they are")]
    for note in notes:
        assert note and not re.search(r"\)\s*\(", note), note
        assert "'merge: {}' (no merge: each class is itself)" in note, note
    assert ("calibrate the model trained with it, since calibrate reads labels through the merge of its "
            "model's task; if they are") in notes[0]
    assert "The label column: its classes (1: 2, 2: 2)" in notes[0]


def test_no_count_is_followed_by_a_plural_in_brackets():
    """Messages said "(1 member(s))", "mosaics: 1 band(s)", "no valid id in row(s) 2" where the count (or the
    list) is known: each such noun now agrees with it (``counted``, ``agreeing``; 2026-12-07). A count
    placeholder followed (within two words) by ``word(s)``, or ``word(s)`` followed by a listed placeholder, in
    an f-string of the package is refused here, naming the line."""
    hits = _plural_hits(SRC)
    assert hits == [], "\n".join(hits)


#: a count (an f-string's placeholder, a logging call's %d or %s) then, within two words, ``word(s)``
COUNT_THEN = re.compile(r"(?:\}|%[ds])\s+(?:[A-Za-z-]+\s+){0,2}[A-Za-z]+\(s\)")
#: ``word(s)`` then a listed placeholder
THEN_LIST = re.compile(r"[A-Za-z]\(s\)\s+(?:\{|%[ds])")
#: a count at the end of one line's string and the noun at the start of the next's (implicit concatenation):
#: ``f"... {n} "`` then ``"channel(s)"``, each line clean to the patterns above
COUNT_ENDS = re.compile(r"(?:\}|%[ds])\s*[\"']\s*$")
NOUN_STARTS = re.compile(r"^\s*[fr]?[\"'](?:[A-Za-z-]+\s+){0,2}[A-Za-z]+\(s\)")


def _plural_hits(root: Path) -> list[str]:
    """``file:line: text`` of each count followed by a plural in brackets in the ``.py`` files under ``root``."""
    hits = []
    for p in sorted(root.rglob("*.py")):
        lines = p.read_text().splitlines()
        for i, line in enumerate(lines, 1):
            code = line.split("#", 1)[0] if line.lstrip().startswith("#") else line
            if COUNT_THEN.search(code) or THEN_LIST.search(code):
                hits.append(f"{p.relative_to(root)}:{i}: {line.strip()}")
            elif i < len(lines) and COUNT_ENDS.search(code) and NOUN_STARTS.search(lines[i]):
                hits.append(f"{p.relative_to(root)}:{i}-{i + 1}: {line.strip()} {lines[i].strip()}")
    return hits


def test_the_plural_guard_sees_logging_counts_and_counts_split_over_lines(tmp_path):
    """``info MODEL`` said "2 channel(s)", "2 epoch(s)" until s78names (677dd60c), whose guard (above) read
    f-strings one line at a time: a logging call's ``"first %d convolution(s) frozen"`` (models.torchvision_nets)
    and a count and its noun on two lines of one implicitly concatenated string passed it. It sees both now."""
    (tmp_path / "a.py").write_text('log.info("%s: first %d convolution(s) frozen", arch, k)\n')
    (tmp_path / "b.py").write_text('say(f"network input {size} px, {n} "\n    "channel(s)")\n')
    (tmp_path / "c.py").write_text('say(f"network input {size} px, {counted(n, \'channel\')}")\n')
    said = _plural_hits(tmp_path)
    assert [h.split(":")[0] + ":" + h.split(":")[1] for h in said] == ["a.py:1", "b.py:1-2"], said


def test_messages_of_one_and_of_several_agree():
    """One unknown label in one row: "1 row(s) carry 1 label(s)" until 2026-12-07."""
    from starclass.errors import agreeing
    from starclass.io.cutout_folders import unknown_labels_note

    assert [agreeing(1, "band"), agreeing(2, "band"), agreeing(0, "key")] == ["band", "bands", "keys"]
    one = unknown_labels_note({"star": [6]}, {"cluster": 1}, remedy=False)
    assert one.startswith("; 1 row carries 1 label the task does not know: 'star'"), one
    two = unknown_labels_note({"star": [6, 7], "blob": [9]}, {"cluster": 1}, remedy=False)
    assert two.startswith("; 3 rows carry 2 labels the task does not know:"), two


#: abbreviations whose full stop ends no sentence
ABBREVIATION = re.compile(r"\b(?:e\.g|i\.e|etc|vs|cf|approx|No)\.")
#: a sentence that ends inside a message: a full stop after a word, a bracket, a quote or a placeholder, then a
#: capital (a file name's or a number's full stop has no space after it, an ellipsis no capital)
SENTENCE_ENDS_INSIDE = re.compile(r"[a-z0-9)\]'`}]\.\s+[A-Z]")


def _message_text(node: ast.expr) -> str | None:
    """A string literal's text (an f-string's placeholders as ``{}``); None for anything else."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return node.value
    if isinstance(node, ast.JoinedStr):
        return "".join(v.value if isinstance(v, ast.Constant) else "{}" for v in node.values)
    return None


def _unclosed_sentences(root: Path) -> list[str]:
    """``file:line: end`` of each message (a StarclassError's, a warning's) of two or more sentences, under
    ``root``, whose last sentence has no full stop."""
    hits = []
    for p in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(p.read_text())):
            if not (isinstance(node, ast.Call) and node.args and (
                    getattr(node.func, "id", None) == "StarclassError" or getattr(node.func, "attr", None) == "warn")):
                continue
            text = _message_text(node.args[0])
            if (text and SENTENCE_ENDS_INSIDE.search(ABBREVIATION.sub("", text))
                    and not text.rstrip().endswith(".")):
                hits.append(f"{p.relative_to(root)}:{node.lineno}: ...{text[-60:]}")
    return hits


def test_a_message_of_several_sentences_ends_with_a_full_stop():
    """A message is one sentence without a closing full stop, as Python's own are ("error: --bands names
    band f555w twice ..."), or several sentences, each closed: "it is damaged. Delete it and run the same
    command again ... No merged catalogue was written" ended bare, and 32 more such (2026-12-07). No
    check read how a message ends, so none caught them; this one refuses each, naming its line."""
    hits = _unclosed_sentences(SRC)
    assert hits == [], "\n".join(hits)


def test_the_full_stop_guard_sees_sentences_and_not_abbreviations(tmp_path):
    (tmp_path / "a.py").write_text('raise StarclassError(f"{p} is damaged. Delete it and run again")\n')
    (tmp_path / "b.py").write_text('warnings.warn("one unit. Convert them", UserWarning)\n')
    (tmp_path / "c.py").write_text('raise StarclassError(f"{p} is damaged. Delete it and run again.")\n'
                                   'raise StarclassError("set X (e.g. X=... starclass inspect ...) or run it")\n'
                                   'raise StarclassError(f"{p}: the file v1.2 of labels.csv is empty")\n')
    said = _unclosed_sentences(tmp_path)
    assert [h.split(":")[0] + ":" + h.split(":")[1] for h in said] == ["a.py:1", "b.py:1"], said


def test_the_password_refusal_without_a_terminal_closes_its_sentences(monkeypatch):
    """ "no password for ann: there is no terminal to ask at; set ... or run the command at a terminal" had no
    closing full stop after its aside's full stops (e.g., the ellipses); two closed sentences now."""
    import io

    from starclass.cli.inspect_cmd import PASSWORD_ENV, _password

    monkeypatch.delenv(PASSWORD_ENV, raising=False)
    monkeypatch.setattr("sys.stdin", io.StringIO(""))
    with pytest.raises(StarclassError) as exc:
        _password("ann")
    said = str(exc.value)
    assert said.startswith("no password for ann: there is no terminal to ask at. Set ") and said.endswith(
        "or run it at a terminal."), said
