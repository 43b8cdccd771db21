"""Every --help text that names FITS suffixes names the readers' own list (io.fits_names.FITS_NAMES).

Four helps (detect, classify, cutouts, calibrate MOSAICS) said "a directory of *.fits, *.fits.gz,
*.fits.fz", spelt by hand, while the readers also took .fit, .fts, .bz2, .xz (and now .zip, .Z):
help and code had drifted. The helps are now built from the constant; this test fails when a help
lists compressed FITS names any other way, or the phrase stops saying what the readers take.
"""

from __future__ import annotations

import re

import typer

from starclass.cli import app
from starclass.io.fits_names import FITS_BASES, FITS_COMPRESSIONS, FITS_NAMES, FITS_SUFFIXES
from starclass.io.mosaic import is_fits_name

#: A FITS name with a compression after it, as a help may spell one (``*.fits.gz``, ``.fts.bz2``), or the
#: phrase's own ``compressed .gz/...``.
_COMPRESSED_NAME = re.compile(r"\.(fits|fit|fts)\.[a-z0-9]+|compressed \.", re.IGNORECASE)


def _texts() -> dict[str, str]:
    """Every help a user reads: each command's, each argument's and option's, line breaks as spaces."""
    cmd = typer.main.get_command(app)
    out = {"starclass": " ".join((cmd.help or "").split())}
    for name, sub in cmd.commands.items():
        out[name] = " ".join((sub.help or "").split())
        for p in sub.params:
            out[f"{name} {p.opts[0] if p.opts else p.name}"] = " ".join((getattr(p, "help", None) or "").split())
    return out


def test_a_help_naming_compressed_fits_names_gives_the_readers_list():
    drifted = {k: h for k, h in _texts().items() if _COMPRESSED_NAME.search(h) and FITS_NAMES not in h}
    assert not drifted, drifted


def test_the_mosaics_helps_name_the_list():
    texts = _texts()
    for command in ("detect", "classify", "cutouts", "calibrate"):
        assert FITS_NAMES in texts[f"{command} mosaics"], command


def test_the_phrase_says_exactly_what_the_readers_take():
    bases, _, comps = FITS_NAMES.partition(", compressed ")
    named_bases = tuple(bases.split(", "))
    named_comps = tuple(comps.split("/"))
    assert named_bases == FITS_BASES
    assert set(named_comps) == {*FITS_COMPRESSIONS, ".fz"}
    said = {b + c for b in named_bases for c in ("", *named_comps)} | {".fz"}
    assert said == set(FITS_SUFFIXES)
    assert all(is_fits_name(f"g_f555w{s}") for s in said)
    assert not is_fits_name("g_f555w.fits.rar")


def test_an_empty_mosaic_folder_is_refused_naming_the_readers_list(tmp_path):
    """check_image_inputs (classify, calibrate, cutouts) spelt "(*.fits, *.fits.gz, *.fits.fz)" by hand."""
    from starclass.cli._app import check_image_inputs
    from starclass.errors import StarclassError

    (tmp_path / "mos").mkdir()
    (tmp_path / "cat.ecsv").write_text("id\n1\n")
    try:
        check_image_inputs([tmp_path / "mos"], tmp_path / "cat.ecsv", None, need="give them")
    except StarclassError as e:
        assert "holds no FITS image" in str(e) and FITS_NAMES in str(e), str(e)
    else:
        raise AssertionError("an empty mosaic folder was accepted")
