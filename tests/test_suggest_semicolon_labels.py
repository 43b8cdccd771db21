"""suggest's note names the pool's labels CSV when a spreadsheet saved it with ';' or as UTF-16.

Before: for a classified cutout folder whose candidates carry a class_ref of their own, the note
"give --labels X to leave them out" looked for the CSV that labels the candidates' files beside
them, reading each CSV as comma-separated UTF-8: a pool_labels.csv saved by European Excel (';')
was one column naming no file, and the note offered the placeholder "LABELS.csv (the labels CSV of
the cutouts in ...)". Now ``_files_listed`` reads the CSV with its separator and encoding
(``csv_dialect``), and the note names pool_labels.csv.
"""

from __future__ import annotations

import os

import pytest

from starclass.cli.suggest_cmd import _files_listed


@pytest.mark.parametrize("sep, encoding", [(";", "utf-8-sig"), ("\t", "utf-16"), (",", "utf-8")])
def test_a_spreadsheet_labels_csv_is_counted(tmp_path, sep, encoding):
    rows = ["file", "label", "ra"], ["a.png", "cluster", "10,5"], ["b.png", "galaxy", "10,25"], ["c.png", "", "1"]
    text = "\r\n".join(sep.join(f'"{c}"' if sep == "," and "," in c else c for c in r) for r in rows) + "\r\n"
    (tmp_path / "pool_labels.csv").write_bytes(text.encode(encoding))
    files = {os.path.normpath(tmp_path / f) for f in ("a.png", "b.png", "c.png")}
    assert _files_listed(tmp_path / "pool_labels.csv", "file", files) == (2, 3)


def test_a_labels_csv_with_excels_separator_line_is_counted(tmp_path):
    """Excel's 'sep=;' line above the header (written by tools that export for Excel), which train, classify and
    --labels read: here its header was taken for 'sep=', no file was named, and the note offered the placeholder."""
    (tmp_path / "pool_labels.csv").write_text("sep=;\nfile; label\na.png;cluster\nb.png;\n")
    files = {os.path.normpath(tmp_path / f) for f in ("a.png", "b.png")}
    assert _files_listed(tmp_path / "pool_labels.csv", "file", files) == (1, 2)
