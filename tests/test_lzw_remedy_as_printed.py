"""The remedy said of a Unix ``compress`` (LZW) file works as printed, whatever the file is named.

astropy tells a compression by the first bytes, so a ``compress`` file saved as ``f555w.fits`` is refused (without
uncompresspy) as a ``.fits.Z`` is. Until 2026-12-06 both were told "uncompress it first ('gzip -d f555w.fits' or
'uncompress f555w.fits' writes the FITS file beside it)", and for a name not ending in ``.Z`` both commands refuse:
"gzip: f555w.fits: unknown suffix -- ignored" (exit 2), and ncompress's uncompress looks for ``f555w.fits.Z``.
"""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest
from typer.testing import CliRunner

import starclass.io.mosaic as mosaic
from compress_z import lzw_compress
from conftest import write_toy_mosaics
from starclass.cli import app

runner = CliRunner()

pytestmark = pytest.mark.skipif(not (shutil.which("gzip") and shutil.which("uncompress")),
                                reason="needs gzip and uncompress")


def _commands(text: str) -> list[str]:
    return [c for c in re.findall(r"'([^']+)'", text) if c.split()[0] in ("mv", "gzip", "uncompress")]


@pytest.mark.parametrize("tool", ["uncompress", "gzip"])
@pytest.mark.parametrize("suffix", ["", ".Z", ".gz", "+Z beside"])
def test_the_printed_remedy_makes_the_field_readable(tmp_path, monkeypatch, suffix, tool):
    monkeypatch.setattr(mosaic, "_astropy_reads_lzw", lambda: False)
    field = tmp_path / "field"
    field.mkdir()
    names = write_toy_mosaics(field)
    plain = field / names[0]
    original = plain.read_bytes()
    packed = field / (names[0] + suffix.split("+")[0])
    packed.write_bytes(lzw_compress(original))
    if packed != plain:
        plain.unlink()
    if suffix.startswith("+"):
        # a file already under the name the rename would take: the remedy must not replace it
        (field / (names[0] + ".Z")).write_bytes(b"not mine")
    res = runner.invoke(app, ["info", str(field)])
    assert res.exit_code == 2, res.output
    said = " ".join(res.output.split())
    assert f"{packed} is compressed with Unix compress (.Z)" in said, said
    commands = _commands(said)
    assert commands, said
    if commands[0].startswith("mv "):
        run = [commands[0], next(c for c in commands[1:] if c.startswith(tool))]
    else:
        run = [next(c for c in commands if c.startswith(tool))]
    for command in run:
        done = subprocess.run(command, shell=True, cwd=tmp_path, capture_output=True, text=True)
        assert done.returncode == 0, (command, done.stderr)
    if suffix.startswith("+"):
        # the other file is untouched and the FITS file was written under a new name; the compressed one is
        # moved away as the message says
        assert (field / (names[0] + ".Z")).read_bytes() == b"not mine"
        (field / (names[0] + ".Z")).unlink()
        shutil.move(packed, tmp_path / packed.name)
    written = [p for p in field.iterdir() if p.name.startswith(names[0].split(".")[0])]
    assert len(written) == 1 and written[0].read_bytes() == original, written
    res = runner.invoke(app, ["info", str(field)])
    assert res.exit_code == 0 and "mosaics: 2 bands: f555w, f814w" in res.output, res.output


@pytest.mark.parametrize("tool", ["uncompress", "gzip"])
@pytest.mark.parametrize("suffix", ["", ".Z"])
def test_the_remedy_says_what_the_command_does_to_the_file(tmp_path, monkeypatch, suffix, tool):
    """``gzip -d X.fits.Z`` replaces the .Z file by X.fits; the remedy said it "writes the FITS file beside it",
    and a user looked for the .Z file afterwards. What it says is checked against what the command does."""
    monkeypatch.setattr(mosaic, "_astropy_reads_lzw", lambda: False)
    field = tmp_path / "field"
    field.mkdir()
    names = write_toy_mosaics(field)
    plain = field / names[0]
    packed = field / (names[0] + suffix)
    packed.write_bytes(lzw_compress(plain.read_bytes()))
    if packed != plain:
        plain.unlink()
    res = runner.invoke(app, ["info", str(field)])
    said = " ".join(res.output.split())
    assert f"replaces it with the FITS file {plain}" in said, said
    assert "beside it" not in said, said
    commands = _commands(said)
    run = ([commands[0]] if commands[0].startswith("mv ") else []) + [
        next(c for c in commands if c.startswith(tool))]
    for command in run:
        assert subprocess.run(command, shell=True, cwd=tmp_path, capture_output=True).returncode == 0, command
    # as said: the FITS file in the compressed one's place, no .Z left beside it
    assert plain.is_file() and not (field / (names[0] + ".Z")).exists()
