"""Every repository path the docs name exists, or the docs give the command that writes it.

README.md and docs/*.md name files under ``benchmarks/``, ``docs/`` and ``examples/`` (result
JSONs, figures, scripts). docs/real_images.md named ``benchmarks/results_sim_to_real/fixed_sim/sim_model``
25 times as the start of the ``compact-ft`` runs: a folder that is not committed (simulation
models are too big), written by ``benchmarks/sim_to_real.py --parts sim --out ...``, which the
user could not tell from a path that had been lost.

A named path is accounted for when

* something in the checkout matches it: ``{a,b}`` is expanded, a shell variable (``$s``,
  ``${s}``) or ``*`` matches anything, and a value given to a shell variable
  (``B=benchmarks/results_x_``) is a prefix of the names the commands build from it; or
* the same document gives the command that writes it where it names the path: the path, or a
  folder above it, is the value of ``--out``, ``-o`` or ``--output`` on a line above the mention
  or at most ``NEAR`` lines below it (a note under a table), shell variables set in the document
  (``O=benchmarks/...``) expanded. A command 2700 lines further on, which the fixed_sim one was,
  does not tell the reader of the table.

Nothing is run; the test reads text only.
"""

from __future__ import annotations

import fnmatch
import glob
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
DOCS = [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]
#: A path in the repository, as the docs write it (trailing punctuation is dropped below).
PATH = re.compile(r"(?<![\w/.$-])((?:benchmarks|docs|examples)/[\w./{},*$\[\]-]*)")
#: ``NAME=value`` in a shell line (start of the line or after ``;``), as the docs set their variables.
ASSIGN = re.compile(r"(?:^|[;\s])([A-Za-z_]\w*)=(\S+)")
#: An output option and its value.
OUTPUT = re.compile(r"(?:--out|--output|-o)[ =](\S+)")
VAR = re.compile(r"\$\{?(\w+)\}?")
#: How many lines below a mention the command that writes the path may stand.
NEAR = 15


def expand_braces(text: str) -> list[str]:
    """Every spelling ``{a,b}`` stands for, as the shell expands it."""
    m = re.search(r"\{([^{}]*)\}", text)
    if not m or "," not in m.group(1):
        return [text]
    return [s for alt in m.group(1).split(",") for s in expand_braces(text[:m.start()] + alt + text[m.end():])]


def _clean(token: str) -> str:
    token = token.rstrip(".,:;)]`'\"")
    return token.split("](")[0]  # a Markdown link's text followed by its target


def _as_glob(path: str, values: dict[str, str]) -> str:
    """The path with known shell variables put in and the other ones as ``*``."""
    for _ in range(3):  # a variable whose value names another
        path = VAR.sub(lambda m: values.get(m.group(1), "*"), path)
    return VAR.sub("*", path)


def _exists(pattern: str) -> bool:
    pattern = pattern.rstrip("/")
    if not re.search(r"[*?\[]", pattern):
        return (ROOT / pattern).exists()
    return bool(glob.glob(str(ROOT / pattern)))


def _under(path: str, folder: str) -> bool:
    """Whether ``path`` is ``folder`` or lies below it (both may hold ``*``)."""
    parts, top = path.rstrip("/").split("/"), folder.rstrip("/").split("/")
    return len(parts) >= len(top) and all(fnmatch.fnmatchcase(p, t) or fnmatch.fnmatchcase(t, p)
                                          for p, t in zip(parts, top))


def unaccounted_paths(doc: Path) -> list[str]:
    """The paths ``doc`` names that neither exist nor are written by a command it gives."""
    text = doc.read_text(encoding="utf-8")
    values: dict[str, str] = {}
    named: list[tuple[int, str, dict[str, str]]] = []
    written: list[tuple[int, str]] = []
    for n, line in enumerate(text.splitlines(), 1):
        prefixes = set()
        for m in ASSIGN.finditer(line):
            value = m.group(2).strip("\"';")
            values[m.group(1)] = _as_glob(value, values)
            prefixes.add(value)
        for m in OUTPUT.finditer(line):
            written.extend((n, _as_glob(p, values)) for p in expand_braces(_clean(m.group(1))))
        for m in PATH.finditer(line):
            token = _clean(m.group(1))
            if token.count("{") != token.count("}"):
                continue  # a brace list cut by the line's end
            for path in expand_braces(token):
                if path in prefixes:
                    path += "*"  # B=benchmarks/results_x_: the start of the names built from it
                named.append((n, path, dict(values)))
    missing = []
    told: list[str] = []  # patterns a command near an earlier mention writes: said once, said for the page
    for n, path, seen in named:
        pattern = _as_glob(path, seen)
        if _exists(pattern) or any(_under(pattern, t) for t in told):
            continue
        near = [w for line, w in written if line <= n + NEAR and _under(pattern, w)]
        if near:
            told.append(near[0])
            continue
        missing.append(f"{doc.relative_to(ROOT)}:{n}: {path}")
    return missing


def test_expand_braces_and_under():
    assert expand_braces("a_{x,y}_{1,2}.json") == ["a_x_1.json", "a_x_2.json", "a_y_1.json", "a_y_2.json"]
    assert _under("benchmarks/r/fixed_sim/sim_model", "benchmarks/r/fixed_sim")
    assert _under("benchmarks/r/halo12_seed*/sim_model", "benchmarks/r/halo12_seed1")
    assert not _under("benchmarks/r/fixed_sim", "benchmarks/r/fixed_sim/sim_model")


def test_a_missing_path_is_found_and_a_written_one_is_not(tmp_path, monkeypatch):
    monkeypatch.setattr(sys.modules[__name__], "ROOT", tmp_path)
    (tmp_path / "benchmarks").mkdir()
    (tmp_path / "benchmarks" / "results_a_1.json").write_text("{}")
    doc = tmp_path / "x.md"
    doc.write_text("Start from `benchmarks/results_run/model`, see `benchmarks/results_a_{1,2}.json`.\n"
                   "B=benchmarks/results_a_\n"
                   "ls ${B}1.json\n")
    assert unaccounted_paths(doc) == ["x.md:1: benchmarks/results_run/model", "x.md:1: benchmarks/results_a_2.json"]
    far = doc.read_text() + "\n" * NEAR + "O=benchmarks/results_run; python b.py --out $O\n"
    doc.write_text(far)
    assert unaccounted_paths(doc)[0] == "x.md:1: benchmarks/results_run/model"  # said too far below
    doc.write_text(far + "Again `benchmarks/results_run/model`.\n")
    assert unaccounted_paths(doc) == ["x.md:1: benchmarks/results_run/model", "x.md:1: benchmarks/results_a_2.json"]
    doc.write_text("O=benchmarks/results_run; python b.py --out $O\n" + doc.read_text())
    assert unaccounted_paths(doc) == ["x.md:2: benchmarks/results_a_2.json"]


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_every_named_repository_path_exists_or_is_written_by_a_named_command(doc):
    missing = unaccounted_paths(doc)
    assert not missing, ("paths named in the docs that are neither in the repository nor written by a command "
                         "the same document gives (--out / -o):\n" + "\n".join(missing))
