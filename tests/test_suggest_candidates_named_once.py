"""suggest names an unreadable candidates file once.

suggest reads a candidates file as a catalogue and, failing that, as a classified cutout folder,
whose reader was told to call it 'candidates PATH' and put that before its own message, which names
the file too: 'candidates x.csv: x.csv: line 1 is not UTF-8 text ...', 'candidates x.fits: x.fits is
empty (0 bytes), not a FITS file'.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = str(Path(__file__).resolve().parents[1] / "src")


@pytest.mark.parametrize("name, content, said", [
    ("cand é.csv", b"i\xe9d,x,y\n1,2,3\n", "line 1 is not UTF-8 text"),
    ("candidates.fits", b"", "is empty (0 bytes), not a FITS file"),
])
def test_an_unreadable_candidates_file_is_named_once(tmp_path, name, content, said):
    from conftest import one_band_model  # tests/ is on sys.path under pytest

    model = one_band_model(tmp_path / "model")
    candidates = tmp_path / name
    candidates.write_bytes(content)
    out = tmp_path / "suggestions.ecsv"
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", ""), "OMP_NUM_THREADS": "1"}
    done = subprocess.run([sys.executable, "-m", "starclass", "suggest", str(model), str(candidates), "-o", str(out)],
                          capture_output=True, text=True, env=env, timeout=300)
    text = " ".join(done.stderr.split())
    assert done.returncode == 2, done.stderr
    assert "Traceback" not in text, text
    assert f"candidates: {candidates}" in text and said in text, text
    assert text.count(name) == 1, text
    assert not out.exists()
