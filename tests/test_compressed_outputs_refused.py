"""An output named as a compressed text table (``classify --stamps ... -o out.csv.gz``) is refused before any work.

The readers take ``labels.csv.gz`` and ``out.ecsv.xz`` (2026-12-06), so a user names an output so too. The
writers write text catalogues uncompressed: such a name is refused, exit 2, before torch loads and with nothing
written, saying why and what to give (the name inside, or ``.fits.gz``, which is written gzip-compressed). Before,
the refusal was "cannot tell the catalogue format of out.csv.gz: use one of ...", as if ``.csv.gz`` were unknown.
``evaluate -o`` names a folder, and ``inspect --export`` takes ``.csv`` only (said in its own words).
"""

from __future__ import annotations

import gzip

import pytest
from astropy.table import Table

from starclass.io.catalog import write_catalog
from test_first_line_before_torch import refused_all  # tests/ is on sys.path under pytest


@pytest.mark.parametrize("name, inner", [("out.csv.gz", "out.csv"), ("out.ecsv.xz", "out.ecsv"),
                                         ("out.parquet.bz2", "out.parquet")])
def test_classify_refuses_a_compressed_text_output_before_torch(tmp_path, name, inner):
    stamps = tmp_path / "pool"
    (stamps / "cluster").mkdir(parents=True)
    out = tmp_path / name
    said = (f"cannot write {out} compressed: catalogues are written uncompressed, but for FITS (.fits.gz); give "
            f"{tmp_path / inner} (then compress it, e.g. gzip {inner}) or a .fits.gz name")
    refused_all([(["classify", "--stamps", stamps, "--model", tmp_path / "model", "-o", out], said),
                 (["classify", tmp_path / "field", "-c", tmp_path / "cands.ecsv", "--model", tmp_path / "model",
                   "-o", out], said)])
    assert not out.exists() and not (tmp_path / inner).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pool"]


def test_suggest_refuses_a_compressed_text_output_before_torch(tmp_path):
    base = ["suggest", tmp_path / "model", tmp_path / "classified.ecsv"]
    refused_all([([*base, "-o", tmp_path / "s.csv.gz"], f"cannot write {tmp_path / 's.csv.gz'} compressed"),
                 ([*base, "-o", tmp_path / "s.ecsv", "--pseudo-labels", tmp_path / "p.ecsv.gz"],
                  f"cannot write {tmp_path / 'p.ecsv.gz'} compressed")])
    assert list(tmp_path.iterdir()) == []


def test_a_fits_gz_output_is_written_gzip_compressed_and_reads_back(tmp_path):
    # the one compressed name the writers take: real gzip, not a plain FITS under a .gz name
    p = write_catalog(Table({"id": [1, 2], "x": [1.0, 2.0], "y": [3.0, 4.0]}), tmp_path / "c.fits.gz")
    assert p.read_bytes()[:2] == b"\x1f\x8b"
    assert gzip.decompress(p.read_bytes())[:6] == b"SIMPLE"
    assert Table.read(p)["id"].tolist() == [1, 2]
