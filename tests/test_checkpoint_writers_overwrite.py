"""The model writers of ``starclass.learn.checkpoint`` keep an existing file unless ``overwrite=True``.

``save_checkpoint``, ``write_manifest`` and ``save_calibration`` are public (no underscore, docstring
examples, used by the benchmarks and by other modules' examples to write a model by hand), yet until
2026-12-05 they replaced an existing member file, manifest or calibration without a word: a notebook's
second call lost a trained member, or a calibration fitted on held-out rows. Now each refuses as every
writer does (:class:`starclass.errors.OutputExistsError`, a FileExistsError with the path in ``filename``;
nothing written), and ``train``/``calibrate``, which decided to replace them, pass ``overwrite=True``.
"""

from __future__ import annotations

import pytest

from starclass.errors import OutputExistsError, StarclassError
from starclass.learn.checkpoint import (
    load_checkpoint,
    make_checkpoint,
    member_filename,
    read_manifest,
    save_calibration,
    save_checkpoint,
    write_manifest,
    write_untrained_model,
)
from starclass.learn.config import get_preset
from starclass.models import build_model

CFG = get_preset("galaxy-cluster-compact", stamp_size=16)


def _refused(call, path):
    before = path.read_bytes()
    with pytest.raises(FileExistsError) as info:
        call()
    assert isinstance(info.value, OutputExistsError) and isinstance(info.value, StarclassError)
    assert info.value.filename == str(path) and "give overwrite=True to replace it" in str(info.value)
    assert path.read_bytes() == before  # nothing written
    return str(info.value)


def test_save_checkpoint_keeps_an_existing_member_file(tmp_path):
    first = make_checkpoint(CFG, build_model(CFG, pretrained=False).state_dict(), seed=0)
    path = save_checkpoint(first, tmp_path / member_filename(0))
    second = make_checkpoint(CFG, build_model(CFG, pretrained=False).state_dict(), seed=1)
    said = _refused(lambda: save_checkpoint(second, path), path)
    assert said == f"checkpoint {path} exists (overwrite=False); give overwrite=True to replace it"
    save_checkpoint(second, path, overwrite=True)
    assert load_checkpoint(path)["seed"] == 1


def test_write_manifest_keeps_an_existing_manifest(tmp_path):
    model = write_untrained_model(tmp_path / "m", CFG)
    path = model / "manifest.json"
    _refused(lambda: write_manifest(model, CFG, [{"file": "other.pt"}]), path)
    write_manifest(model, CFG, [{"file": "other.pt"}], overwrite=True)
    assert read_manifest(path)["members"] == [{"file": "other.pt"}]


def test_save_calibration_keeps_a_calibration_the_model_has(tmp_path):
    model = write_untrained_model(tmp_path / "m", CFG)
    digests = [load_checkpoint(model / "member_01.pt")["digest"]]
    save_calibration(model, {"method": "temperature", "temperature": 1.5, "source": "held-out rows"}, digests)
    path = model / "manifest.json"
    said = _refused(lambda: save_calibration(model, {"method": "temperature", "temperature": 3.0}, digests), path)
    assert said == (f"model {model} already has a calibration (fitted on held-out rows); give overwrite=True to "
                    "replace it")
    save_calibration(model, {"method": "temperature", "temperature": 3.0}, digests, overwrite=True)
    assert read_manifest(path)["calibration"]["temperature"] == 3.0
