"""A message offering a task file offers one that loads: ``extends:`` a preset, else the task's own file.

``extends:`` takes a preset only. Until 2026-12-05 the warning that 3-plane cutouts are averaged for a
one-band task, and the refusal of mosaics without one of a model's bands, wrote ``'extends: <the task's
name>'`` whatever the task was: for a model trained with a task file of the user's (``name: m31-real-2ep``,
``extends: m31-real``) the file offered was refused, "'extends: m31-real-2ep' is not a preset".
"""

from __future__ import annotations

import re

import numpy as np
import pytest
from PIL import Image
from typer.testing import CliRunner

from conftest import write_untrained_model  # tests/ is on sys.path under pytest
from starclass.cli import app
from starclass.errors import StarclassError
from starclass.learn.classify import check_bands
from starclass.learn.config import get_preset, load_config

pytestmark = pytest.mark.usefixtures("single_thread")


def _rgb_folder(root):
    rng = np.random.default_rng(0)
    for i, lab in enumerate(["cluster", "galaxy"] * 2):
        (root / lab).mkdir(parents=True, exist_ok=True)
        # three planes of their own: a grey picture saved as RGB is said to be grey, with no task file (2026-12-06)
        planes = rng.integers(0, 256, (16, 16, 3), dtype=np.uint8)
        Image.fromarray(planes).save(root / lab / f"o{i}.png")
    return root


@pytest.mark.parametrize("name", ["m31-real", "m31-real-2ep"])
def test_averaged_colour_warning_offers_a_task_file_that_loads(tmp_path, name):
    cfg = get_preset("m31-real").copy(name=name, stamp_size=16)
    model = write_untrained_model(tmp_path / "model", cfg)
    res = CliRunner().invoke(app, ["classify", "--stamps", str(_rgb_folder(tmp_path / "rgb")), "--model",
                                   str(model), "-o", str(tmp_path / "out.csv")])
    said = " ".join(res.output.split())
    assert res.exit_code == 0, said
    assert "averaged into one grey plane" in said
    offered = re.search(r"'extends: ([\w-]+)'", said)
    if name == "m31-real":
        assert offered and offered.group(1) == "m31-real"
        (tmp_path / "three.yaml").write_text(f"extends: {offered.group(1)}\nbands: [b1, b2, b3]\n")
        assert list(load_config(tmp_path / "three.yaml").bands) == ["b1", "b2", "b3"]
    else:
        assert offered is None, said
        assert "the task file of task 'm31-real-2ep' with 'bands: [b1, b2, b3]'" in said


def test_missing_band_offers_the_task_file_of_a_task_that_is_no_preset():
    with pytest.raises(StarclassError) as err:
        check_bands(["f336w", "f555w"], ["f555w"], "model runs/m", task="my-two-band")
    said = str(err.value)
    assert "extends: my-two-band" not in said
    assert "the task file of task 'my-two-band' with 'bands: [f555w]'" in said
    with pytest.raises(StarclassError) as err:
        check_bands(["f336w", "f555w"], ["f555w"], "model runs/m", task="legus4")
    assert "a task file with 'extends: legus4' and 'bands: [f555w]'" in str(err.value)
