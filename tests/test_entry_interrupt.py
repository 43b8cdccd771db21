"""A Ctrl-C while the CLI is still being imported: one line and exit 130, no traceback."""

from __future__ import annotations

import builtins
import sys

import pytest

import starclass.__main__ as entry


def test_ctrl_c_during_the_cli_import_exits_130_with_one_line(monkeypatch, capsys):
    real_import = builtins.__import__

    def interrupted(name, *args, **kwargs):
        if name == "starclass.cli":
            raise KeyboardInterrupt
        return real_import(name, *args, **kwargs)

    monkeypatch.delitem(sys.modules, "starclass.cli", raising=False)
    monkeypatch.setattr(builtins, "__import__", interrupted)
    with pytest.raises(SystemExit) as exc:
        entry.main()
    assert exc.value.code == 130
    err = capsys.readouterr().err
    assert err.startswith("error: interrupted by Ctrl-C") and "Traceback" not in err


def test_console_script_points_at_the_guarded_entry():
    import tomllib
    from pathlib import Path

    pyproject = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text())
    assert pyproject["project"]["scripts"]["starclass"] == "starclass.__main__:main"


def _run_main(monkeypatch, argv):
    """Run the console script's main with argv, the SIGTERM handler restored afterwards."""
    import signal

    import starclass.cli as cli

    monkeypatch.setattr(sys, "argv", ["starclass", *argv])
    previous = signal.getsignal(signal.SIGTERM)
    try:
        with pytest.raises(SystemExit) as exc:
            cli.main()
    finally:
        signal.signal(signal.SIGTERM, previous)
    return exc.value.code


def test_ctrl_c_while_the_arguments_are_parsed_says_so(monkeypatch, capsys):
    # typer turns a Ctrl-C outside a command's body into exit 130 without a word
    import typer.core

    def interrupted(self, *args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(typer.core.TyperGroup, "make_context", interrupted)
    assert _run_main(monkeypatch, ["info", "--help"]) == 130
    err = capsys.readouterr().err
    assert "interrupted by Ctrl-C" in err and "while starting" in err and "Traceback" not in err


def test_ctrl_c_just_after_a_command_finished_says_its_outputs_are_complete(monkeypatch, capsys, tmp_path):
    import typer.core

    def interrupted(self, *args, **kwargs):
        raise KeyboardInterrupt

    # ctx.exit() is what typer calls once the command has returned (typer ships its own click)
    monkeypatch.setattr(typer.core.TyperGroup.context_class, "exit", interrupted)
    out = tmp_path / "sim"
    code = _run_main(monkeypatch, ["simulate", str(out), "--size", "128", "--n-candidates", "10",
                                   "--seed", "1", "--quiet"])
    assert code == 130
    err = capsys.readouterr().err
    assert "after the command had finished" in err and "Traceback" not in err
    assert any(out.iterdir())


def test_a_command_stopped_by_ctrl_c_prints_its_own_line_only(monkeypatch, capsys):
    import starclass.cli._app as app_mod

    def body():
        raise KeyboardInterrupt

    # a throwaway command registered the same way as the real ones
    name = "interrupt-me-test"
    before = list(app_mod.app.registered_commands)
    app_mod.command(name)(body)
    try:
        assert _run_main(monkeypatch, [name]) == 130
    finally:
        # other tests list the registered commands
        app_mod.app.registered_commands[:] = before
    err = capsys.readouterr().err
    assert err.count("interrupted by Ctrl-C") == 1
