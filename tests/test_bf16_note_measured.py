"""train's bf16 note says only what is measured (2026-12-07).

``train`` in float32 on a CPU with bfloat16 units printed "note: this CPU has bfloat16 units; --precision
bf16 trains several times faster". Measured by ``benchmarks/cpu_precision.py`` the factor depends on the
network and the CPU: 1.2-2.0x for m31-real's network on this project's AMD EPYC (AVX512-BF16, no AMX),
5.4x for legus4's StarcNet on an Intel Xeon with AMX, 1.0x for ResNet18 (docs/training.md, Precision).
"""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from starclass.cli import app
from test_cutout_folders import _make_csv_folder, _task  # tests/ is on sys.path under pytest

pytestmark = pytest.mark.usefixtures("single_thread")


def test_the_bf16_note_claims_no_unmeasured_factor(tmp_path, monkeypatch):
    import starclass.learn.precision as precision

    # the note is printed only where the CPU has the units and no --precision was given: said to have them
    # here, whatever this CPU is
    monkeypatch.setattr(precision, "cpu_has_bf16_units", lambda: True)
    labels = _make_csv_folder(tmp_path / "data", n_objects=12, twice=0, fmt="fits")
    res = CliRunner().invoke(app, ["train", "--task", str(_task(tmp_path)), "--stamps", str(labels), "-o",
                                   str(tmp_path / "model"), "--no-progress", "--epochs", "1", "--device", "cpu"])
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())
    assert "note: this CPU has bfloat16 units; --precision bf16 may train faster" in text, text
    assert "several times" not in text, text
    assert "docs/training.md, Precision" in text, text
