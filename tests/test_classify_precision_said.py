"""``classify``'s summary line says the precision it ran in, as train's does (``on cpu (float32)``).

The walk of docs/training.md (2026-12-07): ``starclass classify field/*.fits --catalog candidates.ecsv --model model/
-o classified_tta.ecsv --tta --precision bf16`` ended ``classified 5055 candidates ... in 66.3 s on cpu``, as the
float32 run did: the bfloat16 asked for was said nowhere but in the output's meta.
"""

from __future__ import annotations

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import write_untrained_model  # tests/ is on sys.path
from starclass.cli import app
from starclass.learn.config import get_preset

pytestmark = pytest.mark.usefixtures("single_thread")

runner = CliRunner()


@pytest.mark.parametrize("precision, said", [(None, "(float32)"), ("bf16", "(bfloat16)")])
def test_the_summary_names_the_precision(tmp_path, precision, said):
    model = write_untrained_model(tmp_path / "model", get_preset("m31-real").copy(name="mine", stamp_size=16))
    rng = np.random.default_rng(2)
    lines = ["file,label"]
    for i in range(4):
        np.save(tmp_path / f"c{i}.npy", rng.normal(size=(16, 16)).astype(np.float32))
        lines.append(f"c{i}.npy,{'cluster' if i % 2 else 'galaxy'}")
    (tmp_path / "cutouts.csv").write_text("\n".join(lines) + "\n")
    args = ["classify", "--stamps", str(tmp_path / "cutouts.csv"), "--model", str(model), "--device", "cpu",
            "-o", str(tmp_path / "out.csv"), "--no-progress", *(["--precision", precision] if precision else [])]
    res = runner.invoke(app, args)
    assert res.exit_code == 0, res.output
    summary = next(ln for ln in res.output.splitlines() if ln.startswith("classified "))
    assert summary.endswith(f" s on cpu {said}"), summary
