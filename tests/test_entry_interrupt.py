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
