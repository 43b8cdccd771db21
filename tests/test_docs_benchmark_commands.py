"""The benchmark commands the docs show parse: every option they give is one the script takes.

tests/test_docs_commands.py checks the ``starclass ...`` command lines of README.md and docs/*.md
against the CLI. The docs also show, as the way to reproduce each figure they quote, command lines
of the benchmark scripts (``python benchmarks/real_pandas.py --models ...``, ``benchmarks/trust.py
--parts sim ...``) and of the shell script that runs one of them many times over
(benchmarks/real_pandas_gpu.sh). An option renamed in a script left those lines as they were, and
the user who copies one gets ``unrecognized arguments`` after the doc promised a figure.

Each script's options are read from its ``add_argument`` calls with :mod:`ast`: nothing is run or
imported (real_pandas.py alone takes 5 s to import torch for ``--help``), so the test takes well
under a second. ``test_the_option_reader_agrees_with_argparse`` checks that reading against
``--help`` of two scripts that start fast.

A documented command is a script path (``benchmarks/NAME.py``) and the words after it up to the
end of the shell command (``;``, ``&&``, ``|``, ``>``, a comment): in fenced code blocks (``\\``
continuations joined) and in inline code (a span may wrap over lines of its paragraph). Shell
variables the docs set (``B=benchmarks/real_pandas.py`` in a block or in prose, ``A="--retrain
scratch ..."``) are expanded where a later line uses them (``$B --summarise``), as the shell the
user pastes into would. Each word that starts with ``-`` must be one of the script's options; the
value given to an option with literal ``choices`` must be one of them, as must the first
positional argument where it has literal choices (trust_calibrators.py's ``ece-fields``), and each
name given to real_pandas.py's ``--models`` one of its models (``NAMED_VALUES``).
"""

from __future__ import annotations

import ast
import functools
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
BENCHMARKS = ROOT / "benchmarks"
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]

#: A word that runs a benchmark script (``benchmarks/x.py``, ``$here/x.py`` inside benchmarks/*.sh).
_SCRIPT = re.compile(r"(?:^|/)(?:benchmarks/|\$here/)(\w+\.py)$")
#: ``NAME=value`` at the start of a shell word: a variable set for later lines.
_ASSIGNMENT = re.compile(r"^([A-Za-z_]\w*)=(.*)$", re.S)


#: Options whose comma-separated values must be among a script's module-level tuples of names:
#: ``real_pandas.py --models resnet-18`` trained the morphology baseline under that name until 2026-12-05.
NAMED_VALUES = {("real_pandas.py", "--models"): ("CNNS", "BASELINES", "STACKERS"),
                ("accuracy.py", "--models"): ("MODELS",), ("models_accuracy.py", "--models"): ("MODELS",),
                ("classify_speed.py", "--models"): ("MODELS",)}


def module_names(path: Path, constants: tuple[str, ...]) -> list[str]:
    """The strings of the module-level tuples or lists ``constants`` of a script, read with ast.

    >>> "resnet18" in module_names(BENCHMARKS / "real_pandas.py", ("CNNS",))
    True
    """
    out: list[str] = []
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name)
                and node.targets[0].id in constants):
            out += [str(v) for v in _literal(node.value) or ()]  # a dict gives its keys
    return out


@dataclass
class ScriptArgs:
    """What a benchmark script's argument parser accepts, as its ``add_argument`` calls say."""

    options: set[str] = field(default_factory=lambda: {"-h", "--help"})
    takes: dict[str, int | str] = field(default_factory=dict)  # option -> words it consumes (int, "?", "+")
    choices: dict[str, list[str]] = field(default_factory=dict)  # option -> its literal choices
    positional_choices: list[list[str] | None] = field(default_factory=list)


def _literal(node: ast.AST):
    try:
        return ast.literal_eval(node)
    except ValueError:
        return None


@functools.cache
def script_args(path: Path) -> ScriptArgs:
    """The options of ``path``'s argparse parser, read from its source (nothing is run).

    >>> args = script_args(BENCHMARKS / "trust_calibrators.py")
    >>> "--test-seeds" in args.options, args.positional_choices[0][:2]
    (True, ['methods', 'ece-fields'])
    """
    out = ScriptArgs()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                and node.func.attr == "add_argument"):
            continue
        names = [a.value for a in node.args if isinstance(a, ast.Constant) and isinstance(a.value, str)]
        kw = {k.arg: k.value for k in node.keywords}
        choices = _literal(kw["choices"]) if "choices" in kw else None
        choices = [str(c) for c in choices] if isinstance(choices, (list, tuple)) else None
        if names and not names[0].startswith("-"):
            out.positional_choices.append(choices)
            continue
        action = kw.get("action")
        action_name = action.value if isinstance(action, ast.Constant) else getattr(action, "attr", None)
        nargs = _literal(kw["nargs"]) if "nargs" in kw else None
        if action_name in ("store_true", "store_false", "store_const", "count", "append_const", "help",
                           "version", "BooleanOptionalAction"):
            takes: int | str = 0
        else:
            takes = nargs if nargs in ("?", "+", "*") or isinstance(nargs, int) else 1
        for name in names:
            out.options.add(name)
            out.takes[name] = takes
            if choices:
                out.choices[name] = choices
            if action_name == "BooleanOptionalAction" and name.startswith("--"):
                out.options.add("--no-" + name[2:])
    return out


def _is_option(word: str) -> bool:
    """Whether an argparse command line word is an option (not a value, a negative number or stdin)."""
    return word.startswith("-") and word != "-" and not re.match(r"-\.?\d", word)


def command_problems(script: str, words: list[str], *, positional: bool = True) -> list[str]:
    """What does not parse in one documented run of ``benchmarks/<script>`` (the words after it).

    ``positional=False`` skips the check of the first positional argument's choices (a shell
    function's call, whose first words are the function's own).

    >>> command_problems("trust_calibrators.py", ["ece-fields", "f.npz", "--lam", "0.1"])
    []
    >>> for problem in command_problems("trust_calibrators.py", ["ece-field", "f.npz", "--lamb", "0.1"]):
    ...     print(problem.split(" (")[0])
    trust_calibrators.py: no option '--lamb'
    trust_calibrators.py: 'ece-field' is not one of its first argument's choices
    """
    path = BENCHMARKS / script
    if not path.exists():
        return [f"no script benchmarks/{script}"]
    args = script_args(path)
    # the docs' own placeholders: "[--plot FILE]" (optional), "..." (more of the same)
    words = [w.strip("[]") for w in words]
    words = [w for w in words if w and not w.endswith("...") and w != "|"]
    out: list[str] = []
    positionals: list[str] = []
    j = 0
    while j < len(words):
        word = words[j]
        j += 1
        if not _is_option(word):
            positionals.append(word)
            continue
        option, eq, value = word.partition("=")
        if option not in args.options:
            out.append(f"{script}: no option {option!r}")
            continue
        takes = args.takes.get(option, 0)
        values = [value] if eq else []
        if not eq and takes == "?" and j < len(words) and not _is_option(words[j]):
            values, j = [words[j]], j + 1
        elif not eq and isinstance(takes, int):
            values, j = words[j:j + takes], j + takes
        elif not eq and takes in ("+", "*"):
            while j < len(words) and not _is_option(words[j]):
                values.append(words[j])
                j += 1
        for v in values:
            if option in args.choices and v not in args.choices[option] and not v.startswith("$"):
                out.append(f"{script}: {option} {v!r} is not one of its choices ({', '.join(args.choices[option])})")
            if (script, option) in NAMED_VALUES and "$" not in v:
                names = module_names(path, NAMED_VALUES[script, option])
                out += [f"{script}: {option} {n!r} is none of its {'/'.join(NAMED_VALUES[script, option])}"
                        for n in (n.strip() for n in v.split(",")) if n and n not in names]
    first = args.positional_choices[0] if args.positional_choices else None
    if positional and first and positionals and positionals[0] not in first and not positionals[0].startswith("$"):
        out.append(f"{script}: {positionals[0]!r} is not one of its first argument's choices ({', '.join(first)})")
    return out


def _tokens(text: str) -> list[str]:
    """Shell words and operators (``;``, ``&&``, ``>``, ``(``) of a line, comments dropped.

    A line shlex cannot split (a stray apostrophe in a comment) is split on spaces after its ``#``.
    """
    lexer = shlex.shlex(text, posix=True, punctuation_chars=True)
    lexer.whitespace_split = True
    try:
        return list(lexer)
    except ValueError:
        return re.sub(r"(^|\s)#.*", "", text).split()


def _expand(text: str, env: dict[str, str]) -> str:
    """``$NAME`` and ``${NAME}`` of the variables in ``env`` replaced by their values; others kept."""
    return re.sub(r"\$\{?([A-Za-z_]\w*)\}?",
                  lambda m: env.get(m.group(1), m.group(0)) if m.group(0).startswith("${") == m.group(0).endswith("}")
                  else m.group(0), text)


def commands_in(text: str, env: dict[str, str]) -> list[tuple[str, list[str]]]:
    """``(script, words after it)`` of each benchmark script run in one shell line; ``env`` learns its assignments.

    >>> env = {}
    >>> commands_in('B=benchmarks/trust.py; R=/tmp/r  # two variables', env), env
    ([], {'B': 'benchmarks/trust.py', 'R': '/tmp/r'})
    >>> commands_in('nice -n 10 python $B --parts sim --out $R > log 2>&1 && ls', env)
    [('trust.py', ['--parts', 'sim', '--out', '/tmp/r'])]
    """
    found: list[tuple[str, list[str]]] = []
    current: list[str] | None = None
    for word in _tokens(_expand(text, env)):
        script = _SCRIPT.search(word)
        if script:
            current = []
            found.append((script.group(1), current))
        elif word and set(word) <= set("();<>|&"):
            current = None  # the shell command ends here: a pipe, a redirection, the next command
        elif current is not None:
            current.append(word)
        else:
            assignment = _ASSIGNMENT.match(word)
            if assignment:
                env[assignment.group(1)] = assignment.group(2)
    return found


def _fenced_lines(lines: list[str]) -> list[tuple[int, str, bool]]:
    """``(line number, text, in a code block)`` of a Markdown file's lines in order.

    In a code block, ``\\`` continuations are joined; out of one, each paragraph is one item (an
    inline code span may wrap over its lines), at the number of its first line.
    """
    out: list[tuple[int, str, bool]] = []
    in_block, paragraph, start = False, [], 0
    i = 0
    while i < len(lines):
        line, number = lines[i], i + 1
        if line.lstrip().startswith("```") or (not in_block and not line.strip()):
            if paragraph:
                out.append((start, "\n".join(paragraph), False))
                paragraph = []
            if line.lstrip().startswith("```"):
                in_block = not in_block
        elif in_block:
            while line.rstrip().endswith("\\") and i + 1 < len(lines):
                i += 1
                line = line.rstrip()[:-1] + " " + lines[i].strip()
            out.append((number, line, True))
        else:
            if not paragraph:
                start = number
            paragraph.append(line)
        i += 1
    if paragraph:
        out.append((start, "\n".join(paragraph), False))
    return out


def documented_script_commands(path: Path) -> list[tuple[int, str, list[str]]]:
    """``(line number, script, words after it)`` of every benchmark script run one Markdown file shows.

    Variables are set and expanded in the file's order (a block's ``B=...`` line, or inline code
    ``B=benchmarks/real_pandas.py`` in the prose before a block that uses ``$B``).
    """
    out: list[tuple[int, str, list[str]]] = []
    env: dict[str, str] = {}
    previous_was_command = False
    for number, text, in_block in _fenced_lines(path.read_text(encoding="utf-8").splitlines()):
        if in_block:
            if previous_was_command and text[:1].isspace() and text.lstrip().startswith(("[-", "-")):
                out[-1][2].extend(_tokens(_expand(text, env)))  # a usage line wrapped without "\\"
                continue
            found = commands_in(text, env)
            out += [(number, script, words) for script, words in found]
            previous_was_command = bool(found)
            continue
        previous_was_command = False
        for match in re.finditer(r"`([^`]+)`", text):
            span = match.group(1).replace("\\|", "|").replace("\n", " ")  # "|" escaped in a table cell
            at = number + text.count("\n", 0, match.start())
            out += [(at, script, words) for script, words in commands_in(span, env)]
    return out


def shell_script_commands(path: Path) -> list[tuple[int, str, list[str], bool]]:
    """``(line number, script, words, whole)`` of each run of a benchmark script inside a shell script.

    real_pandas_gpu.sh keeps the command in an array (``B=("$PY" "$here/real_pandas.py" --device
    cuda ...)``) run as ``"${B[@]}" --models ...`` and through a function (``launch NAME FOLD
    --models ...``, whose body runs ``"${B[@]}" ... "$@"``): the array is expanded where it is used,
    and a call of such a function is a run of the script with the call's words (``whole`` is False:
    its first words are the function's own, not the script's positional arguments).
    """
    lines = path.read_text(encoding="utf-8").splitlines()
    arrays: dict[str, str] = {}
    functions: dict[str, str] = {}
    function: str | None = None
    out: list[tuple[int, str, list[str], bool]] = []
    i = 0
    while i < len(lines):
        number, line = i + 1, lines[i]
        while line.rstrip().endswith("\\") and i + 1 < len(lines):
            i += 1
            line = line.rstrip()[:-1] + " " + lines[i].strip()
        i += 1
        array = re.match(r"\s*(\w+)=\((.*)\)\s*$", line)
        if array:
            arrays[array.group(1)] = array.group(2)
            line = array.group(2)
        line = re.sub(r'"?\$\{(\w+)\[@\]\}"?', lambda m: arrays.get(m.group(1), m.group(0)), line)
        started = re.match(r"\s*(\w+)\s*\(\)\s*\{", line)
        if started:
            function = started.group(1)
        elif function and line.strip().startswith("}"):
            function = None
        for script, words in commands_in(line, {}):
            if function and "$@" in words:
                functions[function] = script
                words = [w for w in words if w != "$@"]
            out.append((number, script, words, True))
        call = _tokens(line)
        if call and call[0] in functions:
            out.append((number, functions[call[0]], call[1:], False))
    return out


def test_the_checker_catches_wrong_options_values_and_choices(tmp_path):
    # the checker itself: each kind of wrong line is reported at its line, the right ones are not
    doc = tmp_path / "doc.md"
    doc.write_text(
        "Run `python benchmarks/trust.py --parts sim --membres 2` or, on a GPU,\n"
        "`python benchmarks/real_pandas.py --models resnet50 --device cuda\n--threds 8`.\n\n"
        "Commands (`B=benchmarks/real_pandas.py`):\n\n```bash\n"
        "nice -n 10 .venv/bin/python $B --models compact --folds 0 --tag=-ft \\\n    --no-such 1 --out $R   # note\n"
        "$B --summarise --out R > /tmp/log 2>&1 && ls --colour R\n"
        "python benchmarks/trust_calibrators.py ece-field f.npz --lam 0.1\n"
        "python benchmarks/trust_active.py --retrain scratchh --arms entropy\n"
        "python benchmarks/trust_active.py --retrain scratch\n"
        "python benchmarks/no_such_script.py --x 1\n"
        'A="--pool-fields 2 --n-pol 2000"\n'
        "python benchmarks/trust_active.py $A --seed 1\n"
        "python benchmarks/real_pandas.py --models compact,resnet-18 --folds 0\n"
        "python benchmarks/models_flops.py\n"
        "    [--plot docs/img/models_flops.png] [--plott x]\n```\n")
    found = [(n, p) for n, script, words in documented_script_commands(doc) for p in command_problems(script, words)]
    assert found == [
        (1, "trust.py: no option '--membres'"),
        (2, "real_pandas.py: no option '--threds'"),
        (8, "real_pandas.py: no option '--no-such'"),
        (11, "trust_calibrators.py: 'ece-field' is not one of its first argument's choices "
             "(methods, ece-fields, coverage, real, histogram, large-test)"),
        (12, "trust_active.py: --retrain 'scratchh' is not one of its choices (finetune, scratch)"),
        (14, "no script benchmarks/no_such_script.py"),
        (16, "trust_active.py: no option '--n-pol'"),
        (17, "real_pandas.py: --models 'resnet-18' is none of its CNNS/BASELINES/STACKERS"),
        (18, "models_flops.py: no option '--plott'"),
    ]


def test_the_shell_script_reader_follows_the_array_and_the_function(tmp_path):
    sh = tmp_path / "run.sh"
    sh.write_text('#!/bin/bash\nhere=$(cd "$(dirname "$0")" && pwd)\n'
                  'B=("$PY" "$here/real_pandas.py" --device cuda --threds 1 --out "$OUT")\n'
                  'timeout 60 "${B[@]}" --models resnet50 --time-batches 5\n'
                  'launch() {  # name fold args...\n  local name=$1 k=$2; shift 2\n'
                  '  timeout "$BUDGET" "${B[@]}" --folds "$k" "$@" > "$OUT/logs/${name}.log" 2>&1 &\n}\n'
                  "launch resnet50 $k --models resnet50 \\\n  --recipe lr=1e-4 --tagg=-gpu\n")
    found = [(n, p) for n, script, words, whole in shell_script_commands(sh)
             for p in command_problems(script, words, positional=whole)]
    assert found == [(3, "real_pandas.py: no option '--threds'"), (4, "real_pandas.py: no option '--threds'"),
                     (7, "real_pandas.py: no option '--threds'"), (9, "real_pandas.py: no option '--tagg'")]


def _help_options(script: str) -> set[str]:
    """The options ``benchmarks/<script> --help`` lists (run for real, in a fresh interpreter)."""
    res = subprocess.run([sys.executable, str(BENCHMARKS / script), "--help"], capture_output=True, text=True,
                         timeout=60, cwd=ROOT, env={"PYTHONPATH": str(ROOT / "src"), "PATH": "/usr/bin:/bin"})
    assert res.returncode == 0, res.stderr
    options = res.stdout.split("options:", 1)[1]
    return set(re.findall(r"(?<![\w-])(--?[A-Za-z][\w-]*)", options))


@pytest.mark.parametrize("script", ["m31_search.py", "accuracy.py"])
def test_the_option_reader_agrees_with_argparse(script):
    # the source reading (ast) against the parser itself, on two scripts that start in well under a second;
    # --help text also names options inside help strings ("--make-base: fields"), so it is a superset check
    read = script_args(BENCHMARKS / script).options
    listed = _help_options(script)
    assert read <= listed, f"read from the source but not in --help: {sorted(read - listed)}"
    assert len(read) > 10, f"only {len(read)} options read"


@pytest.mark.skipif(not (ROOT / "docs").is_dir(), reason="docs/ not shipped with this copy")
def test_every_documented_benchmark_command_parses():
    checked, bad = 0, []
    for path in DOCS:
        for number, script, words in documented_script_commands(path):
            checked += 1
            bad += [f"{path.relative_to(ROOT)}:{number}: {p}" for p in command_problems(script, words)]
    # the docs show well over a hundred runs of the benchmark scripts; far fewer means the reading broke
    assert checked > 100, f"only {checked} documented benchmark commands found"
    assert not bad, "documented benchmark commands that do not parse:\n" + "\n".join(bad)


def test_the_shell_scripts_give_their_python_script_its_options():
    checked, bad = 0, []
    for path in sorted(BENCHMARKS.glob("*.sh")):
        for number, script, words, whole in shell_script_commands(path):
            checked += 1
            problems = command_problems(script, words, positional=whole)
            bad += [f"{path.relative_to(ROOT)}:{number}: {p}" for p in problems]
    assert checked >= 5, f"only {checked} runs found in benchmarks/*.sh"  # real_pandas_gpu.sh's launches
    assert not bad, "\n".join(bad)


def test_the_examples_in_this_file_run():
    # pytest collects no doctests under tests/ (test_doctests.py runs the package's): the examples above
    # show the checker's answers, so they are run here
    import doctest

    result = doctest.testmod(sys.modules[__name__])
    assert result.attempted >= 6 and not result.failed
