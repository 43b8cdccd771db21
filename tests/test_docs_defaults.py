"""The defaults and commands the docs quote are the CLI's own.

docs/cli.md's tables give each shared option's default per command (``simulate 0, train the task's
recipe, explain 0, demo 1``); tests/test_cli_help_truth.py checks which commands take each name,
not the defaults. README.md's demo paragraph quotes the demo's field size, objects, epochs and
output folder, which a user reads to know what the two minutes (now one) are spent on. And the
command lists (README's table of stages, docs/architecture.md's table of packages) are where a
user learns which commands there are: a command added without a row there is one nobody finds.
A default changed in the code, or a command added, fails here until the docs say so.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer

from starclass.cli import app

ROOT = Path(__file__).resolve().parents[1]
pytestmark = pytest.mark.skipif(not (ROOT / "docs").is_dir(), reason="docs/ not shipped with this copy")

#: A value a default cell states: a number, a word in backticks, on/off/none, or one plain word.
_VALUE = r"(-?\d+(?:\.\d+)?|`[^`]+`|[a-z][\w.-]*)"


def _commands() -> dict:
    return dict(typer.main.get_command(app).commands)


def _param(command, option: str):
    for p in command.params:
        if option in p.opts or option in p.secondary_opts:
            return p
    return None


def stated_defaults(cell: str, commands: list[str]) -> dict[str, str]:
    """The default a docs/cli.md cell states for each of the row's commands, where it states a value.

    ``CMD VALUE`` or ``CMD: VALUE`` names one command's; a value that opens the cell is that of the
    commands the cell does not name. Prose (``the task's recipe``) gives its first word, which only a
    default the code resolves at run time (None) can have, and those are not compared.

    >>> stated_defaults("simulate 0, train the task's recipe, explain 0, demo 1",
    ...                 ["simulate", "train", "explain", "demo"])
    {'simulate': '0', 'train': 'the', 'explain': '0', 'demo': '1'}
    >>> stated_defaults("2048 (simulate: the preset's)", ["simulate", "demo"])
    {'simulate': 'the', 'demo': '2048'}
    """
    out: dict[str, str] = {}
    for command in commands:
        named = re.search(rf"(?<![\w-]){command}:? {_VALUE}", cell)
        if named and named.group(1) not in commands:
            out[command] = named.group(1)
    opening = re.match(_VALUE + r"(?:\s|\(|$)", cell)
    if opening:
        for command in commands:
            if not re.search(rf"(?<![\w-]){command}\b", cell):
                out[command] = opening.group(1)
    return out


def default_problem(stated: str, default) -> str | None:
    """Why ``stated`` (a cell's value) is not ``default`` (the parameter's), or None (equal, or not comparable).

    >>> default_problem("200", 200), default_problem("off", False), default_problem("`evaluation`", Path("evaluation"))
    (None, None, None)
    >>> default_problem("5", 3.0)
    'says 5, the code 3.0'
    """
    value = stated.strip("`")
    if default is None or default == ():
        # resolved at run time (the task's, the preset's): only "none" can be checked, and it is then true
        return None
    if re.fullmatch(r"-?\d+(?:\.\d+)?", value):
        ok = isinstance(default, (int, float)) and not isinstance(default, bool) and float(value) == float(default)
    elif value in ("on", "off"):
        ok = default is (value == "on")
    elif value == "none":
        ok = default in (False, "")
    else:
        ok = value == str(default)
    return None if ok else f"says {stated}, the code {default!r}"


def cli_md_rows() -> list[tuple[int, list[str], list[str], str]]:
    """docs/cli.md's option rows: (line number, spellings, commands, default cell)."""
    rows = []
    for number, line in enumerate((ROOT / "docs" / "cli.md").read_text(encoding="utf-8").splitlines(), 1):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if line.startswith("| `") and len(cells) == 4:
            rows.append((number, re.findall(r"`(-[\w-]+)`", cells[0]),
                         [c.strip() for c in cells[1].split(",")], cells[3]))
    return rows


def test_the_default_reader_catches_a_stated_default_that_is_not_the_codes():
    # the checker itself: a cell per command, a cell for all, a prose cell left alone
    assert default_problem(stated_defaults("simulate 0, explain 1", ["simulate", "explain"])["explain"], 0) == (
        "says 1, the code 0")
    assert default_problem(stated_defaults("on", ["demo"])["demo"], False) == "says on, the code False"
    assert default_problem(stated_defaults("the task's recipe", ["train"])["train"], None) is None
    assert default_problem("`legus4`", "legus4-compact") == "says `legus4`, the code 'legus4-compact'"


def test_the_defaults_docs_cli_states_are_the_codes():
    commands = _commands()
    compared, bad = 0, []
    for number, names, row_commands, cell in cli_md_rows():
        for command, stated in stated_defaults(cell, row_commands).items():
            param = _param(commands[command], names[0]) if command in commands else None
            if param is None:
                continue  # a command or option the row should not name: test_cli_help_truth says so
            compared += param.default is not None
            why = default_problem(stated, param.default)
            if why:
                bad.append(f"docs/cli.md:{number}: {names[0]} in {command}: {why}")
    # 5, 512, temperature, 200, 10, 2, 100, legus4, 0.8, the offs and ons of many commands, ... (the ten
    # --progress ons went to None on 2026-12-05, the terminal deciding: tests/test_progress_tty.py checks that row)
    assert compared > 45, f"only {compared} stated defaults compared"
    assert not bad, "defaults docs/cli.md states that the code does not have:\n" + "\n".join(bad)


def test_readme_quotes_the_demos_own_defaults():
    # "two 2048 x 2048 px fields of 3000 objects; the compact CNN for up to 40 epochs", into demo_output/
    text = " ".join((ROOT / "README.md").read_text(encoding="utf-8").split())
    quoted = re.search(r"into `([\w./-]+?)/?`: about .*? \(two (\d+) x (\d+) px fields of (\d+) objects; "
                       r"the compact CNN for up to (\d+) epochs", text)
    assert quoted, "README's demo paragraph no longer says the fields, objects and epochs it runs"
    demo = {p.name: p.default for p in _commands()["demo"].params}
    assert (quoted.group(1), int(quoted.group(2)), int(quoted.group(3)), int(quoted.group(4)),
            int(quoted.group(5))) == (str(demo["outdir"]), demo["size"], demo["size"], demo["n_candidates"],
                                      demo["epochs"])
    assert demo["task"].endswith("compact")


def _table_commands(path: Path, column: int) -> set[str]:
    """The command names (``starclass NAME`` or ``NAME`` in backticks) in the ``command`` column of a file's tables."""
    found: set[str] = set()
    header: list[str] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("|"):
            header = []
        elif not header:
            header = cells  # a table's first row names its columns
        elif len(header) > column and header[column] == "command" and len(cells) > column:
            found.update(re.findall(r"`(?:starclass )?([a-z]+)\b[^`]*`", cells[column]))
    return found


@pytest.mark.parametrize("doc, column", [("README.md", 0), ("docs/architecture.md", 1)])
def test_the_command_lists_name_every_command_and_only_those(doc, column):
    # README's table of stages and architecture.md's table of packages are where a user learns which
    # commands there are; architecture.md left out calibrate and demo
    listed = _table_commands(ROOT / doc, column)
    commands = set(_commands())
    assert commands - listed == set(), f"{doc} does not list: {sorted(commands - listed)}"
    assert listed - commands == set(), f"{doc} lists what starclass --help does not: {sorted(listed - commands)}"


def test_the_examples_in_this_file_run():
    # pytest collects no doctests under tests/: the examples above show the readers' answers
    import doctest
    import sys

    result = doctest.testmod(sys.modules[__name__])
    assert result.attempted >= 4 and not result.failed


def preset_table() -> list[tuple[int, str, dict[str, str]]]:
    """docs/models.md's table of shipped presets: (line number, preset, {column: cell})."""
    rows, header = [], []
    for number, line in enumerate((ROOT / "docs" / "models.md").read_text(encoding="utf-8").splitlines(), 1):
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if not line.startswith("|"):
            header = []
        elif not header:
            header = cells
        elif header[0] == "preset" and re.fullmatch(r"`[\w-]+`", cells[0]):
            rows.append((number, cells[0].strip("`"), dict(zip(header, cells))))
    return rows


def preset_problems(name: str, row: dict[str, str]) -> list[str]:
    """What a docs/models.md row says of a preset's geometry and recipe that the preset does not have."""
    from starclass.learn.config import get_preset

    cfg, bad = get_preset(name), []
    recipe = cfg.recipe
    # "128 px resampled to 64": cutouts of 128 px, stamps of 64
    stamp = re.match(r"\d+ px resampled to (\d+)", row["stamp"]) or re.match(r"(\d+) px", row["stamp"])
    if stamp and int(stamp.group(1)) != cfg.stamp_size:
        bad.append(f"stamp {stamp.group(1)} px, the preset {cfg.stamp_size}")
    resized = re.match(r"\d+ px -> (\d+)", row["stamp"])
    if resized and int(resized.group(1)) != cfg.input_size:
        bad.append(f"input {resized.group(1)} px, the preset {cfg.input_size}")
    architectures = ([m["architecture"] for m in cfg.architecture] if isinstance(cfg.architecture, list)
                     else [cfg.architecture])
    named = re.findall(r"`(\w+)`", row["architecture"].split(";")[0])
    if named[:len(architectures)] != architectures:
        bad.append(f"architecture {named}, the preset {architectures}")
    optimizer = re.match(r"(Adam|SGD|Adadelta)(?: Nesterov 0\.9,)? (?:lr )?([\d.e-]+)", row["recipe"])
    if optimizer and (optimizer.group(1).lower() != recipe.optimizer or float(optimizer.group(2)) != recipe.lr):
        bad.append(f"{optimizer.group(0)}, the preset {recipe.optimizer} {recipe.lr}")
    batch = re.search(r"batch (\d+)", row["recipe"])
    if batch and int(batch.group(1)) != recipe.batch_size:
        bad.append(f"batch {batch.group(1)}, the preset {recipe.batch_size}")
    epochs = re.search(r"(\d+) epochs(?! without)", row["recipe"])  # not "x0.75 after 14 epochs without ..."
    if epochs and int(epochs.group(1)) != recipe.epochs:
        bad.append(f"{epochs.group(0)}, the preset {recipe.epochs}")
    return bad


def test_the_preset_table_of_docs_models_is_the_presets():
    # a user picks a preset from this table by its batch, epochs, optimizer and geometry
    rows = preset_table()
    assert len(rows) >= 10, f"only {len(rows)} preset rows found"
    bad = [f"docs/models.md:{n}: {name}: {p}" for n, name, row in rows for p in preset_problems(name, row)]
    assert not bad, "\n".join(bad)
    # and the check can fail: a row that says other figures
    said = {"stamp": "64 px", "architecture": "`resnet18`", "recipe": "Adam 1e-3, batch 64, 20 epochs"}
    assert preset_problems("legus4", said) == [
        "stamp 64 px, the preset 32", "architecture ['resnet18'], the preset ['starcnet']",
        "Adam 1e-3, the preset adam 0.0001", "batch 64, the preset 128", "20 epochs, the preset 15"]
