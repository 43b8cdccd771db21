"""The docs are the contract: every ``starclass ...`` command README.md and docs/*.md show parses.

A new user copies the command lines of the README and the docs. An option renamed or removed in
the code, with the doc left as it was, gives them ``No such option`` at the first try. Here every
documented command (fenced code blocks; inline code that starts with ``starclass`` or names a
subcommand and its options, ``classify --batch-size``) is split
the way a shell would and checked against the typer app itself: the subcommand exists and each
option it gives is one of that subcommand's options. Nothing is run, so the test takes well under
a second.

The docs' own placeholders are understood: ``[--opt VALUE]`` (optional), ``A|B`` (either),
``--masks/--no-masks`` (a boolean pair), ``...`` (more of the same), ``# comments``, ``\\``
continuations, a ``$ `` prompt and ``python -m starclass``.

Every task file the docs show (a fenced ``yaml`` block with ``extends:``, ``classes:`` or
``label_map:``, such as real_images.md's paper.yaml and five.yaml, and the ``printf '...' > x.yaml``
lines of seeds.md) is read with ``load_config`` as written: a key renamed in the code, or an example
edited by hand, would refuse the file a user copies.

The code paths the docs name (``src/...``, ``tests/...``, ``benchmarks/*.py``) must exist too: a
module that moved (``src/starclass/train.py`` -> ``src/starclass/learn/train.py``) left the
training docs pointing at files that were gone.
"""

from __future__ import annotations

import functools
import re
import shlex
from pathlib import Path

import pytest
import typer

from starclass.cli import app

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

#: Shell words that end one command and start another.
_SEPARATORS = {";", "&&", "||", "&", "do", "then", "else"}


def _shell_words(line: str) -> list[str]:
    """``line`` split like a shell, comments dropped; a line shlex cannot split is split on spaces.

    A stray apostrophe in a comment (``# the model's ...``) makes shlex give up; the command before
    the ``#`` is still worth checking.
    """
    try:
        return shlex.split(line, comments=True)
    except ValueError:
        return re.sub(r"(^|\s)#.*", "", line).split()


def _commands_in(words: list[str]) -> list[list[str]]:
    """The argument lists of each ``starclass`` command among shell words (after the script name)."""
    found: list[list[str]] = []
    current: list[str] | None = None
    for i, word in enumerate(words):
        nxt = words[i + 1] if i + 1 < len(words) else ""
        # a pipe into another program ends the command; "[--task NAME | --model MODEL]" does not
        ends = word in _SEPARATORS or (word == "|" and not nxt.lstrip("[").startswith("-"))
        if ends:
            current = None
        elif word == "starclass" and (i == 0 or words[i - 1] not in ("from", "import")):
            current = []
            found.append(current)
        elif current is not None:
            current.append(word)
    return found


def documented_commands(path: Path) -> list[tuple[int, list[str]]]:
    """``(line number, arguments)`` of every ``starclass`` command shown in one Markdown file.

    Fenced code blocks give whole lines (``\\`` continuations joined, and indented lines of options
    under a command, as a usage line wraps); inline code gives the spans that start with
    ``starclass`` or ``python -m starclass``, and those that name a subcommand and its options
    (``classify --batch-size``).
    """
    out: list[tuple[int, list[str]]] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    in_block = after_command = False
    i = 0
    while i < len(lines):
        line, number = lines[i], i + 1
        if line.lstrip().startswith("```"):
            in_block, after_command = not in_block, False
        elif in_block:
            while line.rstrip().endswith("\\") and i + 1 < len(lines):
                i += 1
                line = line.rstrip()[:-1] + " " + lines[i].strip()
            if after_command and line[:1].isspace() and line.lstrip().startswith(("[-", "-")):
                out[-1][1].extend(_shell_words(line))  # a usage line wrapped without "\\"
            else:
                found = _commands_in(_shell_words(line))
                out += [(number, args) for args in found]
                after_command = bool(found)
        else:
            for span in re.findall(r"`([^`]+)`", line):
                span = span.replace("\\|", "|")  # a "|" inside a Markdown table cell
                if re.match(r"(python3? -m )?starclass \w", span):
                    out += [(number, args) for args in _commands_in(_shell_words(span))]
                elif re.match(r"(\w+) -", span) and span.split()[0] in _commands():
                    out.append((number, _shell_words(span)))  # "`classify --batch-size`": one command's option
        i += 1
    return out


@functools.cache
def _commands() -> dict:
    """The CLI's subcommands by name (built once: typer builds the click commands on each call)."""
    return dict(typer.main.get_command(app).commands)


def _option_names(command) -> set[str]:
    """Every spelling of every option of a click/typer command, ``--help`` included."""
    names = {"--help"}
    for param in command.params:
        names.update(o for o in (*param.opts, *param.secondary_opts) if o.startswith("-"))
    return names


def _takes_value(command, option: str) -> bool:
    """Whether ``option`` consumes the next word (not a flag, not a boolean pair)."""
    for param in command.params:
        if option in param.opts or option in param.secondary_opts:
            return not (getattr(param, "is_flag", False) or getattr(param, "count", False))
    return False


def problems(args: list[str]) -> list[str]:
    """What does not parse in one documented ``starclass`` command line (its words after ``starclass``).

    >>> problems(["train", "--task", "legus4", "-o", "model/"])
    []
    >>> problems(["train", "--no-such-option", "3"])
    ["train: no option '--no-such-option'"]
    """
    commands = _commands()
    words = [w.strip("[]") for w in args]
    words = [w for w in words if w and w != "|" and not w.endswith("...")]
    if not words or words[0] in ("--help", "--version"):
        return []
    name, rest = words[0], words[1:]
    if name not in commands:
        return [f"no subcommand {name!r} (known: {', '.join(sorted(commands))})"]
    command = commands[name]
    known = _option_names(command)
    out: list[str] = []
    j = 0
    while j < len(rest):
        word = rest[j]
        j += 1
        if not word.startswith("-") or re.match(r"-\d", word) or word == "-":
            continue  # a positional argument, a negative number, stdin
        option = word.split("=", 1)[0]
        spellings = option.split("/") if option.startswith("--") else [option]  # --masks/--no-masks
        for spelling in spellings:
            if spelling not in known:
                out.append(f"{name}: no option {spelling!r}")
        if "=" not in word and len(spellings) == 1 and _takes_value(command, option):
            j += 1  # its value, which may itself start with "-"
    return out


def test_the_checker_catches_a_made_up_option_and_subcommand(tmp_path):
    # the checker itself: a doc line with an option the CLI lacks must be reported, the real ones not
    doc = tmp_path / "doc.md"
    doc.write_text("Run `starclass detect field/ -o c.ecsv --no-such-option 3`, `info --dss9 r.reg`.\n\n"
                   "```bash\nstarclass train --task legus4 \\\n    --made-up 1 -o m  # a comment\n"
                   "starclass frobnicate x\nstarclass cutouts a.fits --catalog c.ecsv -o s.h5 "
                   "[--masks/--no-masks] [--task NAME | --frob F]\n"
                   "starclass explain MODEL STAMPS -o OUT\n                  [--per-class 6] [--glow 2]\n```\n")
    found = {n: problems(a) for n, a in documented_commands(doc)}
    assert [problems(a) for n, a in documented_commands(doc) if n == 1] == [
        ["detect: no option '--no-such-option'"], ["info: no option '--dss9'"]]
    assert found[4] == ["train: no option '--made-up'"]
    assert found[6][0].startswith("no subcommand 'frobnicate'")
    assert found[7] == ["cutouts: no option '--frob'"]
    assert found[8] == ["explain: no option '--glow'"]


@pytest.mark.skipif(not (ROOT / "docs").is_dir(), reason="docs/ not shipped with this copy")
def test_every_documented_starclass_command_parses():
    checked, bad = 0, []
    for path in DOCS:
        for number, args in documented_commands(path):
            checked += 1
            bad += [f"{path.relative_to(ROOT)}:{number}: {p}" for p in problems(args)]
    # the README and docs show well over a hundred commands; far fewer means the extraction broke
    assert checked > 100, f"only {checked} documented starclass commands found"
    assert not bad, "documented commands that do not parse:\n" + "\n".join(bad)


@pytest.mark.skipif(not (ROOT / "docs").is_dir(), reason="docs/ not shipped with this copy")
def test_code_paths_named_in_the_docs_exist():
    pattern = re.compile(r"(?<![\w./-])((?:src|tests)/[\w./*-]+|benchmarks/[\w*-]+\.py)")
    missing = []
    for path in DOCS:
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            for named in pattern.findall(line):
                named = named.rstrip(".,")
                if not list(ROOT.glob(named.rstrip("/"))):
                    missing.append(f"{path.relative_to(ROOT)}:{number}: {named}")
    assert not missing, "paths the docs name that do not exist:\n" + "\n".join(missing)


@pytest.mark.skipif(not (ROOT / "docs").is_dir(), reason="docs/ not shipped with this copy")
def test_architecture_names_every_top_level_module():
    # docs/architecture.md lists the modules at the top of src/starclass/ ("holds only ..."); it left
    # out __main__.py, which tests/test_layout.py allows there
    text = (ROOT / "docs" / "architecture.md").read_text(encoding="utf-8")
    holds = re.search(r"The top of `src/starclass/` holds only (.*?); new code", text, re.S)
    assert holds, "docs/architecture.md no longer says what the top of src/starclass/ holds"
    named = set(re.findall(r"`([\w.]+\.py)`", holds.group(1)))
    assert named == {p.name for p in (ROOT / "src" / "starclass").glob("*.py")}


#: Top-level keys that make a YAML example a task file (a survey plan has ``fields``).
_TASK_KEYS = {"extends", "preset", "classes", "label_map"}


def documented_task_files(path: Path) -> list[tuple[int, str, str]]:
    """``(line number, file name, text)`` of every task file one Markdown file shows.

    A fenced ``yaml`` block whose top level has ``extends``/``preset``/``classes``/``label_map``
    (and no ``fields``: a survey plan) is one; its name is that of its first-line comment
    (``# five.yaml: ...``), else ``task_<line>.yaml``. So is a ``printf '...' > NAME.yaml`` of a
    shell line (seeds.md writes its task files so).
    """
    import yaml

    out: list[tuple[int, str, str]] = []
    lines = path.read_text(encoding="utf-8").splitlines()
    i = 0
    while i < len(lines):
        fence = re.match(r"\s*```(\w*)", lines[i])
        if not fence:
            for text, name in re.findall(r"printf '([^']*)' > ([\w.-]+\.ya?ml)", lines[i]):
                out.append((i + 1, name, text.replace("\\n", "\n")))
            i += 1
            continue
        j = i + 1
        while j < len(lines) and not lines[j].lstrip().startswith("```"):
            for text, name in re.findall(r"printf '([^']*)' > ([\w.-]+\.ya?ml)", lines[j]):
                out.append((j + 1, name, text.replace("\\n", "\n")))
            j += 1
        if fence.group(1) in ("yaml", "yml"):
            text = "\n".join(lines[i + 1:j]) + "\n"
            try:
                doc = yaml.safe_load(text)
            except yaml.YAMLError:
                doc = {"extends": None}  # not YAML at all: load_config says where
            if isinstance(doc, dict) and _TASK_KEYS & set(doc) and "fields" not in doc:
                named = re.match(r"#\s*([\w.-]+\.ya?ml)", text.strip())
                out.append((i + 2, named.group(1) if named else f"task_{i + 2}.yaml", text))
        i = j + 1
    return out


def task_file_problem(name: str, text: str, folder: Path) -> str | None:
    """Why ``load_config`` refuses a documented task file written as ``folder/name``, or None."""
    from starclass.errors import StarclassError
    from starclass.learn.config import load_config

    path = folder / name
    path.write_text(text, encoding="utf-8")
    try:
        load_config(path)
    except StarclassError as exc:
        return str(exc)
    finally:
        path.unlink()
    return None


def test_the_task_file_checker_catches_a_bad_example(tmp_path):
    doc = tmp_path / "doc.md"
    doc.write_text("```yaml\n# good.yaml: fine\nextends: m31-real\n```\n\n```yaml\nextends: m31-real\nclases: [1, 2]\n"
                   "```\n\n```yaml\nfields: [{name: a, mosaics: m/}]\ntask: x.yaml\n```\n\n```bash\n"
                   "printf 'extends: m31-reall\\n' > mine.yaml\n```\n")
    found = documented_task_files(doc)
    # the survey plan (fields:) is not a task file
    assert sorted((n, name) for n, name, _ in found) == [(2, "good.yaml"), (7, "task_7.yaml"), (17, "mine.yaml")]
    said = {name: task_file_problem(name, text, tmp_path) for _, name, text in found}
    assert said["good.yaml"] is None
    assert "unknown keys ['clases']" in said["task_7.yaml"]
    assert "'extends: m31-reall' is not a preset" in said["mine.yaml"]


@pytest.mark.skipif(not (ROOT / "docs").is_dir(), reason="docs/ not shipped with this copy")
def test_every_documented_task_file_loads(tmp_path):
    """Each task file the docs show (paper.yaml, five.yaml, mine.yaml, ...) is read by load_config as written."""
    import warnings

    found, bad = 0, []
    for path in DOCS:
        for number, name, text in documented_task_files(path):
            found += 1
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # a note (kept pixel_scale) is not a refusal
                why = task_file_problem(name, text, tmp_path)
            if why:
                bad.append(f"{path.relative_to(ROOT)}:{number}: {name}: {why}")
    # paper.yaml, five.yaml, mine.yaml, galaxy-cluster-experts.yaml, the preset examples, seeds.md's printf lines
    assert found >= 8, f"only {found} documented task files found"
    assert not bad, "documented task files that do not load:\n" + "\n".join(bad)


def table_row_options(path: Path) -> list[tuple[int, list[str], str]]:
    """``(line number, the row's commands, option)`` of every bare option a Markdown table row names.

    README's table of stages names a command in its first cell (```starclass simulate OUT```) and
    its options bare in the others (```--preset cool-core```, ```--cv logo```): the command-line
    check above sees only spans that start with ``starclass`` or a subcommand, so an option renamed
    in the code stayed in the table. A row's bare options belong to one of the commands it names.
    """
    out: list[tuple[int, list[str], str]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.startswith("|"):
            continue
        spans = [s.replace("\\|", "|") for s in re.findall(r"`([^`]+)`", line)]
        commands = [m.group(2) for s in spans for m in [re.match(r"(python3? -m )?starclass (\w+)", s)] if m]
        if not commands:
            continue
        for span in spans:
            if span.startswith("-") and not re.match(r"-\d", span):
                out += [(number, commands, word.split("=", 1)[0]) for word in _shell_words(span)
                        if word.startswith("--")]
    return out


def table_option_problems(path: Path) -> list[str]:
    """``line: --option`` for each bare option of a table row that none of the row's commands takes."""
    commands = _commands()
    bad = []
    for number, named, option in table_row_options(path):
        known = set().union(*(_option_names(commands[c]) for c in named if c in commands))
        spellings = option.split("/") if "/" in option else [option]
        bad += [f"{number}: {s} (of {', '.join(dict.fromkeys(named))})" for s in spellings if s not in known]
    return bad


def test_the_table_checker_catches_an_option_no_command_of_the_row_takes(tmp_path):
    doc = tmp_path / "doc.md"
    doc.write_text("| command | what |\n| --- | --- |\n"
                   "| `starclass simulate OUT` | `--preset cool-core`, `--presett x` |\n"
                   "| `starclass suggest M C` / `starclass train --labels h.ecsv` | `--label-model soft` |\n"
                   "| `--cv 5` | no command named in this row |\n")
    assert table_option_problems(doc) == ["3: --presett (of simulate)"]


@pytest.mark.skipif(not (ROOT / "docs").is_dir(), reason="docs/ not shipped with this copy")
def test_every_option_a_table_row_names_is_one_of_its_commands():
    found = sum(len(table_row_options(p)) for p in DOCS)
    assert found >= 8, f"only {found} options found in tables that name a command"  # README's stages alone
    bad = [f"{p.relative_to(ROOT)}:{b}" for p in DOCS for b in table_option_problems(p)]
    assert not bad, "options named in a command's table row that the command does not take:\n" + "\n".join(bad)


def markdown_links(path: Path) -> list[tuple[int, str]]:
    """``(line number, target)`` of every relative Markdown link and image of a file (not in code blocks)."""
    out, in_block = [], False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.lstrip().startswith("```"):
            in_block = not in_block
        elif not in_block:
            line = re.sub(r"`[^`]*`", "", line)  # "[i](j)" inside inline code is no link
            out += [(number, t) for t in re.findall(r"\]\(([^)\s]+)\)", line)
                    if not re.match(r"[a-z][a-z0-9+.-]*:", t)]  # https:, mailto:
    return out


def heading_anchors(path: Path) -> set[str]:
    """The anchors GitHub makes of a Markdown file's headings (and any ``<a id=...>``)."""
    anchors, in_block = set(), False
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.lstrip().startswith("```"):
            in_block = not in_block
            continue
        heading = re.match(r"#{1,6}\s+(.*?)\s*#*\s*$", line)
        if heading and not in_block:
            anchors.add(re.sub(r"[^\w\- ]", "", heading.group(1).strip().lower()).replace(" ", "-"))
        anchors.update(re.findall(r"<a (?:name|id)=\"([^\"]+)\"", line))
    return anchors


def link_problems(path: Path) -> list[str]:
    """``line: target (why)`` for each relative link of ``path`` to a file or heading that is not there."""
    bad = []
    for number, target in markdown_links(path):
        file, _, anchor = target.partition("#")
        into = (path.parent / file) if file else path
        if not into.exists():
            bad.append(f"{number}: {target} (no such file)")
        elif anchor and into.suffix == ".md" and anchor not in heading_anchors(into):
            bad.append(f"{number}: {target} (no such heading)")
    return bad


def test_the_link_checker_catches_a_missing_file_and_heading(tmp_path):
    (tmp_path / "other.md").write_text("# Other page\n\n## Precision (bf16)\n")
    doc = tmp_path / "doc.md"
    doc.write_text("# Title\n\nSee [other](other.md#precision-bf16), [gone](gone.md), [top](#title),\n"
                   "[bad](other.md#precisions), ![fig](img/x.png) and [web](https://example.org).\n"
                   "```\n[not a link](nowhere.md)\n```\n")
    assert link_problems(doc) == ["3: gone.md (no such file)", "4: other.md#precisions (no such heading)",
                                  "4: img/x.png (no such file)"]


@pytest.mark.skipif(not (ROOT / "docs").is_dir(), reason="docs/ not shipped with this copy")
def test_every_link_in_the_readme_and_docs_leads_somewhere():
    # README links docs/training.md#precision, the docs link each other's sections and show docs/img/
    # figures: a page renamed, a heading reworded or a figure not committed leaves a dead link
    found = sum(len(markdown_links(p)) for p in DOCS)
    assert found > 20, f"only {found} relative links found"
    bad = [f"{p.relative_to(ROOT)}:{b}" for p in DOCS for b in link_problems(p)]
    assert not bad, "links to files or headings that are not there:\n" + "\n".join(bad)


def help_examples(help_text: str) -> list[str]:
    """The command lines of a command's ``Example:`` / ``Examples:`` paragraph (``; `` between them)."""
    out = []
    for paragraph in help_text.split("\n\n"):
        found = re.search(r"\bExamples?: (starclass .*)", " ".join(paragraph.split()))
        if found:
            out += [line.strip() for line in found.group(1).split("; ")]
    return out


def test_the_help_example_checker_reads_each_command_line():
    assert help_examples("Do a thing.\n\nExamples: starclass info a.ecsv; starclass info\n    b/ --format csv\n") == [
        "starclass info a.ecsv", "starclass info b/ --format csv"]
    assert problems(_shell_words(help_examples("Example: starclass info a --dss9 r.reg")[0])[1:]) == [
        "info: no option '--dss9'"]


def test_every_command_help_shows_an_example_of_itself_that_parses():
    # only detect's --help showed a command line; a user reads --help before the docs, and an example
    # there goes stale as silently as one in the docs did
    lacking, bad = [], []
    for name, command in _commands().items():
        examples = help_examples(command.help or "")
        if not any(e.startswith(f"starclass {name}") for e in examples):
            lacking.append(name)
        bad += [f"{name}: {e}: {p}" for e in examples for p in problems(_shell_words(e)[1:])]
    assert not lacking, f"--help shows no example: {lacking}"
    assert not bad, "\n".join(bad)


def python_names(path: Path) -> list[tuple[int, str]]:
    """``(line number, dotted name)`` of every starclass object a Markdown file names for Python.

    ``from starclass.x import a, b`` (in code blocks or inline) gives ``starclass.x.a`` and
    ``starclass.x.b``; inline code ```starclass.x.y``` gives itself. A line that says the name is
    gone (``... are gone: use ...``, ``removed``) is left out: it names it on purpose.
    """
    out: list[tuple[int, str]] = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if re.search(r"\b(gone|removed)\b", line):
            continue
        for module, names in re.findall(r"from (starclass[\w.]*) import ([\w, ()]+)", line):
            out += [(number, f"{module}.{n.strip(' ()')}") for n in names.split(",") if n.strip(" ()").isidentifier()]
        out += [(number, name) for name in re.findall(r"`(starclass(?:\.\w+)+)`", line)]
    return out


def resolves(dotted: str) -> bool:
    """Whether ``starclass.a.b.c`` is a module, or an attribute of the longest importable module in it."""
    import importlib

    parts = dotted.split(".")
    for k in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:k]))
        except ImportError:
            continue
        for attribute in parts[k:]:
            if not hasattr(obj, attribute):
                return False
            obj = getattr(obj, attribute)
        return True
    return False


def test_the_python_name_checker_catches_a_name_that_is_not_there(tmp_path):
    doc = tmp_path / "doc.md"
    doc.write_text("```python\nfrom starclass.learn import fit, get_prest\n```\n"
                   "`starclass.io.catalog.read_catalog`, `starclass.io.catalog.read_catalogue`\n"
                   "`starclass.stamps.StampDataset` is gone: use `starclass.learn.data.StampDataset`.\n")
    assert [(n, name) for n, name in python_names(doc) if not resolves(name)] == [
        (2, "starclass.learn.get_prest"), (4, "starclass.io.catalog.read_catalogue")]


@pytest.mark.skipif(not (ROOT / "docs").is_dir(), reason="docs/ not shipped with this copy")
def test_every_starclass_name_the_docs_give_for_python_exists():
    # README sends users to `from starclass.learn import ...`, the docs to starclass.x.y functions by name: a
    # function renamed or moved leaves the name in the docs and an AttributeError for whoever copies it
    import warnings

    found, bad = 0, []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # an old import path, kept for a release, warns
        for path in DOCS:
            for number, name in python_names(path):
                found += 1
                if not resolves(name):
                    bad.append(f"{path.relative_to(ROOT)}:{number}: {name}")
    assert found > 100, f"only {found} names found"
    assert not bad, "names the docs give that starclass does not have:\n" + "\n".join(bad)


def _inputs_and_options(args: list[str]) -> tuple[list[str], dict[str, list[str]]]:
    """A documented command's positional words and its options' values (``{"--model": ["model/"]}``)."""
    command = _commands().get(args[0])
    words = [w.strip("[]") for w in args[1:]]
    positional: list[str] = []
    options: dict[str, list[str]] = {}
    j = 0
    while j < len(words):
        word = words[j]
        j += 1
        if word.startswith("-") and word != "-":
            option, _, value = word.partition("=")
            if not value and command is not None and _takes_value(command, option) and j < len(words):
                value, j = words[j], j + 1
            options.setdefault(option, []).append(value)
        elif word and word != "|" and not word.endswith("..."):
            positional.append(word)
    return positional, options


def _place(word: str) -> str:
    """What a path names for this check: its first folder (``field`` of ``field/*.fits``), or the file itself."""
    parts = Path(word.strip("'\"")).parts
    return parts[0] if len(parts) > 1 else word.strip("'\"").rstrip("/")


#: the options through which a command reads the rows it trains, calibrates or classifies on
_DATA_OPTIONS = ("--mosaics", "-m", "--catalog", "-c", "--stamps", "--fields")


def in_sample_examples(path: Path) -> list[str]:
    """``file:line: command`` of each documented ``classify --model M`` whose data M was trained or calibrated on.

    The commands of ``path`` are read in order: ``train ... -o M`` records the folders and files it read (its
    ``--mosaics``, ``--catalog``, ``--stamps``, ``--fields``), ``calibrate M ...`` adds its own; a ``classify``
    that reads one of them again with ``--model M`` scores M on its own rows. A detected ``candidates.ecsv``
    is no labelled row and is left alone.
    """
    used: dict[str, set[str]] = {}
    hits = []
    for number, args in documented_commands(path):
        if not args or args[0] not in ("train", "calibrate", "classify"):
            continue
        positional, options = _inputs_and_options(args)
        data = {_place(v) for o in _DATA_OPTIONS if o != "-m" or args[0] == "train" for v in options.get(o, [])}
        if args[0] == "train":
            for out in options.get("-o", []) + options.get("--output", []):
                used[out.rstrip("/")] = data
        elif args[0] == "calibrate" and positional:
            used.setdefault(positional[0].rstrip("/"), set()).update(data | {_place(w) for w in positional[1:]})
        else:
            given = (data | {_place(w) for w in positional}) - {"candidates.ecsv"}
            for model in options.get("--model", []):
                if used.get(model.rstrip("/"), set()) & given:
                    hits.append(f"{path.name}:{number}: starclass {' '.join(args)}")
    return hits


def test_the_in_sample_checker_catches_a_model_classifying_its_own_rows(tmp_path):
    doc = tmp_path / "doc.md"
    doc.write_text("```bash\nstarclass train --task legus4-compact --mosaics field/ --catalog field/truth.ecsv "
                   "-o model/\n"
                   "starclass classify field/*.fits --catalog candidates.ecsv --model model/ -o a.ecsv\n"
                   "starclass calibrate model/ heldout/*.fits --catalog heldout/truth.ecsv\n"
                   "starclass classify heldout/*.fits --catalog candidates.ecsv --model model/ -o b.ecsv\n"
                   "starclass classify other/*.fits --catalog candidates.ecsv --model model/ -o c.ecsv\n"
                   "starclass train --task m31-real --stamps labels.csv -o M\n"
                   "starclass classify --stamps labels.csv --model M -o out.csv\n"
                   "starclass classify --stamps test.csv --model M -o out.csv\n```\n")
    assert [h.split(":")[1] for h in in_sample_examples(doc)] == ["3", "5", "8"], in_sample_examples(doc)


@pytest.mark.skipif(not (ROOT / "docs").is_dir(), reason="docs/ not shipped with this copy")
def test_no_worked_example_classifies_with_a_model_the_rows_it_trained_or_calibrated_on():
    """docs/training.md's quick start trained on field/ and classified field/*.fits (2026-12-07), the README's
    table and real_images.md classified the cutout list they trained on: figures in-sample, what the
    next: lines and classify's warning steer away from. Each example classifies a field or list of its own."""
    hits = [h for path in DOCS for h in in_sample_examples(path)]
    assert hits == [], "\n".join(hits)


#: Options of other programs that the docs name in prose: pytest's, SLURM's (``sbatch``), the dask scheduler's and
#: worker's, and DES' ``coadd_assemble``. Any other bare ``--option`` in prose is starclass's or a benchmark's.
OTHER_PROGRAMS_OPTIONS = {"--doctest-modules", "--gres", "--cpus-per-task", "--scheduler-file", "--name", "--magzero"}


@functools.cache
def benchmark_options() -> frozenset[str]:
    """Every option a ``benchmarks/*.py`` script's argparse takes (``--no-X`` too where it is a boolean pair)."""
    out: set[str] = set()
    for script in (ROOT / "benchmarks").rglob("*.py"):
        for call in re.findall(r"add_argument\(([^)]*)", script.read_text(encoding="utf-8")):
            names = re.findall(r"""["'](--[\w-]+)["']""", call)
            out.update(names)
            if "BooleanOptionalAction" in call:
                out.update(f"--no-{n[2:]}" for n in names)
    return frozenset(out)


def prose_options(path: Path) -> list[tuple[int, str]]:
    """``(line number, option)`` of every ``--option`` in the inline code of a Markdown file (not in code blocks).

    Prose names options bare (```--val-fraction```, ```--keep-unclassified --no-group-bootstrap```), where neither
    the command-line check (spans that start with ``starclass`` or a subcommand) nor the table check (rows that
    name a command) sees them: an option renamed in the code stayed in the sentence that tells a user to give it.
    """
    out: list[tuple[int, str]] = []
    in_block = False
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.lstrip().startswith("```"):
            in_block = not in_block
        elif not in_block:
            out += [(number, option) for span in re.findall(r"`([^`]+)`", line)
                    for option in re.findall(r"(?<![\w-])(--[a-z][\w-]*)", span)]
    return out


def unknown_prose_options(path: Path) -> list[str]:
    """``line: --option`` for each option in prose that no subcommand, benchmark script or listed program takes."""
    known = set(OTHER_PROGRAMS_OPTIONS) | benchmark_options()
    for command in _commands().values():
        known |= _option_names(command)
    return [f"{number}: {option}" for number, option in prose_options(path) if option not in known]


def test_the_prose_option_checker_catches_an_option_nothing_takes(tmp_path):
    doc = tmp_path / "doc.md"
    doc.write_text("Give `--val-fraction 0.2` (train) or `--epochs`; `--no-group-bootstrap` is a benchmark's,\n"
                   "`pytest --doctest-modules` pytest's; `--val-fractoin` is nobody's.\n"
                   "```bash\nstarclass train --made-up 1\n```\n")
    assert unknown_prose_options(doc) == ["2: --val-fractoin"]


@pytest.mark.skipif(not (ROOT / "docs").is_dir(), reason="docs/ not shipped with this copy")
def test_every_option_named_in_prose_is_one_something_takes():
    # the README and docs name several hundred options in their sentences; far fewer means the extraction broke
    found = sum(len(prose_options(p)) for p in DOCS)
    assert found > 300, f"only {found} options found in the docs' prose"
    bad = [f"{p.relative_to(ROOT)}:{b}" for p in DOCS for b in unknown_prose_options(p)]
    assert not bad, "options named in the docs that no starclass command or benchmark takes:\n" + "\n".join(bad)
