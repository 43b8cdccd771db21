"""The pieces of a report: sections holding text, tables and figures.

The same :class:`Section` list is written by ``starclass evaluate`` as a folder of ECSV tables
and PNG figures, and by ``starclass report`` as one self-contained HTML page.
"""

from __future__ import annotations

import base64
import html
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from astropy.table import Table
from matplotlib.figure import Figure

from starclass.errors import OutputExistsError, exists_refusal
from starclass.io.atomic import atomic_path
from starclass.report.figures import alt_text, to_png_base64


@dataclass
class Item:
    """One piece of a :class:`Section`: text, a note, a table or a figure (made by its methods).

    Examples
    --------
    >>> Item("note", content="12 rows without a class left out").kind
    'note'
    """

    kind: str  # "text", "table", "figure", "note"
    name: str = ""
    content: object = None  # str, Table, or base64 PNG string
    caption: str = ""
    #: a figure's description for the page's ``alt`` text (its title): the file stem before
    alt: str = ""


@dataclass
class Section:
    """A titled part of a report; its methods add text, notes, tables and figures in order.

    Examples
    --------
    >>> s = Section("Summary")
    >>> s.text("Accuracy of the model against the truth.")
    >>> s.table("summary truth", Table({"merge": ["4class"], "accuracy": [0.8]}), "accuracy per merge")
    >>> [(it.kind, it.name) for it in s.items]
    [('text', ''), ('table', 'summary_truth')]
    """

    title: str
    items: list[Item] = field(default_factory=list)
    key: str = ""
    #: what the section's figures were drawn from, for callers and tests (the colour section: ``ssp``, the
    #: table's description, and ``tracks``, catalogue -> the SSP track drawn on its figure)
    meta: dict = field(default_factory=dict)

    def text(self, s: str) -> None:
        self.items.append(Item("text", content=s))

    def note(self, s: str) -> None:
        self.items.append(Item("note", content=s))

    def table(self, name: str, t: Table, caption: str = "") -> None:
        self.items.append(Item("table", name=slug(name), content=t, caption=caption))

    def figure(self, name: str, fig: Figure, caption: str = "") -> None:
        alt = alt_text(fig)  # before the PNG: to_png_base64 closes the figure
        self.items.append(Item("figure", name=slug(name), content=to_png_base64(fig), caption=caption, alt=alt))


def _alt(it: Item) -> str:
    """A figure's ``alt`` text: its title and caption; its file stem only where it has neither.

    Examples
    --------
    >>> _alt(Item("figure", name="score_cdf_truth", alt="per predicted class", caption="CDF of the scores."))
    'per predicted class. CDF of the scores.'
    >>> _alt(Item("figure", name="agreement_bars"))
    'agreement_bars'
    """
    return ". ".join(p.rstrip(".") for p in (it.alt, it.caption) if p) + ("." if it.caption else "") or it.name


def slug(s: str) -> str:
    """A file-name-safe lower-case name: runs of other characters become one ``_``.

    Examples
    --------
    >>> slug("Summary: truth (4 classes)"), slug("class 1+2")
    ('summary_truth_4_classes', 'class_1+2')
    """
    return re.sub(r"[^A-Za-z0-9_.+-]+", "_", s).strip("_").lower()


def _refuse_existing(path: Path) -> None:
    raise OutputExistsError(exists_refusal(path), path)


def write_table(t: Table, path: Path, *, overwrite: bool = False) -> Path:
    """Write a Table as ECSV atomically (masked values stay masked, not NaN).

    An existing file is refused unless ``overwrite`` (a notebook's second table of the same name
    replaced the first without a word).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = write_table(Table({"id": [1, 2]}), pathlib.Path(tempfile.mkdtemp()) / "t.ecsv")
    >>> Table.read(path)["id"].tolist()
    [1, 2]
    >>> write_table(Table({"id": [3]}), path)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.OutputExistsError: ...t.ecsv exists (overwrite=False); give overwrite=True to replace it
    """
    if Path(path).exists() and not overwrite:
        _refuse_existing(path)
    with atomic_path(path) as tmp:
        t.write(tmp, format="ascii.ecsv", overwrite=True)
    return path


#: Meta key of every table :func:`write_sections` writes: who wrote it, its section and caption
#: (``starclass info`` says what such a table is, where it asked for an ``id`` column before)
TABLE_META = "starclass_table"


def write_sections(sections: list[Section], outdir: Path, *, figures: bool = True,
                   tables_dir: Path | None = None, written_by: str = "",
                   overwrite: bool = False) -> dict[str, list[Path]]:
    """Every table as ``tables/<name>.ecsv`` and (if ``figures``) every figure as ``figures/<name>.png``.

    ``tables_dir`` puts the tables elsewhere than ``outdir / "tables"`` (the temporary folder
    of :func:`starclass.io.atomic.atomic_dir`, moved into place as a whole). Each table's meta
    records under :data:`TABLE_META` the command that wrote it (``written_by``, e.g.
    ``"starclass evaluate"``), its section's title and its caption. An existing file of any of
    these names is refused unless ``overwrite``, before any file is written (a notebook's second
    call into the same folder replaced the first one's files without a word).

    Examples
    --------
    >>> import tempfile, pathlib
    >>> sec = Section("Scores")
    >>> sec.table("per class", Table({"class": [1, 2], "recall": [0.9, 0.7]}))
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> [p.name for p in write_sections([sec], d, written_by="notebook")["tables"]]
    ['per_class.ecsv']
    >>> write_sections([sec], d)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    starclass.errors.OutputExistsError: ...per_class.ecsv exists (overwrite=False); give overwrite=True to replace it
    """
    outdir = Path(outdir)
    tables_dir = outdir / "tables" if tables_dir is None else Path(tables_dir)
    written: dict[str, list[Path]] = {"tables": [], "figures": []}
    seen: dict[str, set[str]] = {"table": set(), "figure": set()}
    todo: list[tuple[Section, Item, Path]] = []
    for s in sections:
        for it in s.items:
            if it.kind not in ("table", "figure"):
                continue
            name = it.name
            n = 2
            while name in seen[it.kind]:
                name = f"{it.name}_{n}"
                n += 1
            seen[it.kind].add(name)
            it.name = name
            if it.kind == "figure" and not figures:
                continue
            path = tables_dir / f"{name}.ecsv" if it.kind == "table" else outdir / "figures" / f"{name}.png"
            todo.append((s, it, path))
    if not overwrite:
        # every name is checked before the first file is written: a refusal leaves the folder as it was
        for _, _, p in todo:
            if p.exists():
                _refuse_existing(p)
    for s, it, p in todo:
        if it.kind == "table":
            t = it.content.copy(copy_data=False)  # the section's own table keeps its meta as it was
            t.meta[TABLE_META] = {"written_by": written_by, "section": s.title, "caption": it.caption}
            written["tables"].append(write_table(t, p, overwrite=True))  # checked above
        else:
            with atomic_path(p) as tmp:
                tmp.write_bytes(base64.b64decode(it.content))
            written["figures"].append(p)
    return written


def _fmt(v, fmt: str | None) -> str:
    if v is None or np.ma.is_masked(v):
        return "—"
    if isinstance(v, (float, np.floating)):
        if not np.isfinite(v):
            return "—"
        if fmt and not fmt.startswith("{"):
            try:
                return format(v, fmt)
            except (ValueError, TypeError):
                pass
        if v != 0 and abs(v) < 1e-3 or abs(v) >= 1e7:
            return f"{v:.3e}"
        return f"{v:.3g}" if abs(v) < 100 else f"{v:.1f}"
    return str(v)


def _table_html(t: Table, max_rows: int = 60) -> str:
    """An HTML table; masked cells show an em dash."""
    cols = t.colnames
    head = "".join(f"<th>{html.escape(c)}</th>" for c in cols)
    body = []
    for i, row in enumerate(t):
        if i >= max_rows:
            body.append(f"<tr><td colspan='{len(cols)}'>… {len(t) - max_rows} more rows in the ECSV file</td></tr>")
            break
        cells = "".join(f"<td>{html.escape(_fmt(row[c], t[c].format))}</td>" for c in cols)
        body.append(f"<tr>{cells}</tr>")
    return f"<table><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"


CSS = """
body{font-family:-apple-system,'Segoe UI',Helvetica,Arial,sans-serif;margin:0;background:#f6f7f9;color:#222}
header{background:#1d2b45;color:#fff;padding:18px 32px}
header h1{margin:0;font-size:22px} header p{margin:4px 0 0;color:#c9d3e6;font-size:13px}
nav{background:#fff;border-bottom:1px solid #ddd;padding:8px 32px;font-size:13px;position:sticky;top:0;z-index:2}
nav a{margin-right:14px;color:#1d4f91;text-decoration:none} nav a:hover{text-decoration:underline}
main{max-width:1150px;margin:0 auto;padding:16px 32px 48px}
section{background:#fff;border:1px solid #e1e4e8;border-radius:6px;padding:14px 22px;margin:18px 0}
h2{font-size:18px;margin:4px 0 10px;color:#1d2b45}
p{line-height:1.45;font-size:14px}
.note{background:#fff8e1;border-left:4px solid #f0b400;padding:6px 10px;font-size:13px;margin:8px 0}
figure{margin:10px 0;display:inline-block;vertical-align:top;max-width:100%}
figure img{max-width:100%;border:1px solid #eee}
figcaption{font-size:12px;color:#555;max-width:720px}
table{border-collapse:collapse;font-size:12.5px;margin:6px 0 4px}
th,td{border:1px solid #dde1e6;padding:3px 8px;text-align:right}
th{background:#eef2f7} td:first-child,th:first-child{text-align:left}
tbody tr:nth-child(even){background:#fafbfc}
.tcap{font-size:12px;color:#555;margin:2px 0 12px} .tcap a{color:#1d4f91}
"""


def render_html(sections: list[Section], *, title: str, subtitle: str = "", table_dir: str = "tables") -> str:
    """One self-contained HTML page (figures inline as base64 PNG, tables linked to their ECSV).

    Examples
    --------
    >>> s = Section("Summary")
    >>> s.note("a <b>note</b>")
    >>> s.table("summary", Table({"merge": ["4class"], "accuracy": [0.8]}))
    >>> page = render_html([s], title="My report")
    >>> "<h1>My report</h1>" in page, "a &lt;b&gt;note&lt;/b&gt;" in page, "href='tables/summary.ecsv'" in page
    (True, True, True)
    """
    nav = "".join(f"<a href='#s{i}'>{html.escape(s.title)}</a>" for i, s in enumerate(sections))
    parts = []
    for i, s in enumerate(sections):
        body = [f"<h2>{html.escape(s.title)}</h2>"]
        for it in s.items:
            if it.kind == "text":
                body.append(f"<p>{it.content}</p>")
            elif it.kind == "note":
                body.append(f"<div class='note'>{html.escape(str(it.content))}</div>")
            elif it.kind == "table":
                cap = html.escape(it.caption)
                body.append(_table_html(it.content))
                body.append(f"<div class='tcap'>{cap} <a href='{table_dir}/{it.name}.ecsv'>{it.name}.ecsv</a></div>")
            elif it.kind == "figure":
                body.append(f"<figure><img alt='{html.escape(_alt(it))}' "
                            f"src='data:image/png;base64,{it.content}'><figcaption>{html.escape(it.caption)}</figcaption></figure>")
        parts.append(f"<section id='s{i}'>{''.join(body)}</section>")
    return (f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>{html.escape(title)}</title>"
            f"<meta name='viewport' content='width=device-width, initial-scale=1'><style>{CSS}</style></head><body>"
            f"<header><h1>{html.escape(title)}</h1><p>{html.escape(subtitle)}</p></header><nav>{nav}</nav>"
            f"<main>{''.join(parts)}</main></body></html>")

