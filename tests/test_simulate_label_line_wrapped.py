"""``simulate``'s ``label:`` line is folded at a terminal's width and kept whole in a pipe or file (2026-12-07).

``simulate cc --preset cool-core`` printed ``label: 1 (cool core) ..., ... (named as task cool-core-compact
names its classes)``, ~140 characters on one line, running off an 80-column terminal where every warning
was folded (``_app.wrap_to_width``).
"""

from __future__ import annotations

from typer.testing import CliRunner

from starclass.cli import app

runner = CliRunner()


def _label_lines(output: str) -> list[str]:
    lines = output.splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.strip().startswith("label: "))
    # the line and its folds (indented past it)
    out = [lines[start]]
    for ln in lines[start + 1:]:
        if not ln.startswith(" " * 7) or ln.strip().startswith(("next", "train")):
            break
        out.append(ln)
    return out


def test_the_label_line_is_folded_at_a_terminal_and_whole_in_a_pipe(tmp_path, monkeypatch):
    import starclass.cli._app as app_module

    args = ["simulate", "--preset", "cool-core", "--n", "12", "--size", "32", "--no-progress"]
    piped = runner.invoke(app, [*args[:1], str(tmp_path / "a"), *args[1:]])
    assert piped.exit_code == 0, piped.output
    whole = _label_lines(piped.output)
    assert len(whole) == 1 and len(whole[0]) > 80, piped.output  # a log keeps it on one line, for grep

    monkeypatch.setenv("COLUMNS", "80")
    monkeypatch.setattr(app_module, "_is_terminal", lambda stream: True)  # as at a terminal
    shown = runner.invoke(app, [*args[:1], str(tmp_path / "b"), *args[1:]])
    assert shown.exit_code == 0, shown.output
    folded = _label_lines(shown.output)
    assert len(folded) > 1 and all(len(ln) <= 80 for ln in folded), shown.output
    assert " ".join(ln.strip() for ln in folded) == whole[0].strip()  # the same words, folded
