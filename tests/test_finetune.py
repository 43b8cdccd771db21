"""Fine-tuning: ``fit(init_from=MODEL)`` starts from a saved model's weights, or refuses clearly."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from starclass.datasets.stamps import make_synthetic
from starclass.errors import StarclassError
from starclass.learn.checkpoint import load_model
from starclass.learn.config import get_preset
from starclass.learn.train import MemberTrainer, ensemble_members, fit, prepare_data


def _cfg(**changes):
    recipe = {"epochs": 1, "batch_size": 16, "val_fraction": 0.25, "early_stopping_patience": None}
    return get_preset("galaxy-cluster-compact", **{"stamp_size": 16, "recipe": recipe, **changes})


@pytest.fixture(scope="module")
def saved(tmp_path_factory):
    """A model trained one epoch (seed 3) and the toy data it was trained on."""
    cfg = _cfg()
    toy = make_synthetic(cfg, 32, seed=1)
    out = tmp_path_factory.mktemp("saved")
    fit(cfg, toy.inputs, toy.class_ref, outdir=out, seed=3, progress=False, device="cpu")
    return cfg, toy, out


def _outputs(net: torch.nn.Module, x: np.ndarray) -> torch.Tensor:
    net.eval()
    with torch.inference_mode():
        return net(torch.from_numpy(x))


def _trainer(cfg, toy, outdir: Path, init_from=None) -> MemberTrainer:
    # seed 9, not the saved model's 3: a random start would then differ from the saved weights
    data = prepare_data(cfg, toy.inputs, toy.class_ref, seed=9)
    spec = ensemble_members(cfg.copy(recipe={"seeds": [9]}))[0]
    return MemberTrainer(cfg, spec, data, outdir=outdir, device=torch.device("cpu"), amp=None,
                         init_from=init_from)


def test_init_from_gives_the_saved_models_outputs_before_training(saved, tmp_path):
    cfg, toy, out = saved
    ref = _outputs(load_model(out).members[0], toy.inputs)
    started = _trainer(cfg, toy, tmp_path / "a", init_from=out)
    started.setup()
    assert torch.allclose(_outputs(started.model, toy.inputs), ref, atol=1e-6)
    assert any("initialised from" in n for n in started.notes)
    # without init_from the same member starts elsewhere, so the check above can fail
    fresh = _trainer(cfg, toy, tmp_path / "b")
    fresh.setup()
    assert not torch.allclose(_outputs(fresh.model, toy.inputs), ref, atol=1e-3)


def test_fit_with_init_from_trains_on_and_records_it(saved, tmp_path):
    cfg, toy, out = saved
    res = fit(cfg, toy.inputs, toy.class_ref, outdir=tmp_path, seed=9, progress=False, device="cpu",
              init_from=out / "member_01.pt")
    assert len(res.histories[0]) == 1 and any("initialised from" in n for n in res.notes)


@pytest.mark.parametrize("changes, word", [
    ({"stamp_size": 24}, "stamp_size"),
    ({"arch_options": {"widths": [8, 16, 32]}}, "do not fit"),
])
def test_init_from_refuses_another_input_or_architecture(saved, tmp_path, changes, word):
    _, _, out = saved
    other = _cfg(**changes)
    toy = make_synthetic(other, 16, seed=2)
    with pytest.raises(StarclassError, match="--init-from / --resume-from") as err:
        fit(other, toy.inputs, toy.class_ref, outdir=tmp_path, progress=False, device="cpu", init_from=out)
    assert word in str(err.value)
    # the message said "init_from PATH" (the library's argument, not an option) and for the geometry
    # not which option would make the task fit the model
    assert not str(err.value).startswith("init_from")
    if word == "stamp_size":
        assert "give --stamp-size 16" in str(err.value)


def test_init_from_refuses_what_is_not_a_model(tmp_path, saved):
    cfg, toy, _ = saved
    with pytest.raises(StarclassError, match="does not exist"):
        fit(cfg, toy.inputs, toy.class_ref, outdir=tmp_path / "m", progress=False, device="cpu",
            init_from=tmp_path / "nothing")


def test_resume_refuses_another_starting_model(saved, tmp_path):
    # a finished fine-tune is kept only when rerun from the same starting weights: the start is
    # part of the run, like its data and settings
    cfg, toy, out = saved
    other = tmp_path / "other"
    fit(cfg, toy.inputs, toy.class_ref, outdir=other, seed=5, progress=False, device="cpu")
    tuned = tmp_path / "tuned"
    fit(cfg, toy.inputs, toy.class_ref, outdir=tuned, seed=9, progress=False, device="cpu", init_from=out)
    again = fit(cfg, toy.inputs, toy.class_ref, outdir=tuned, seed=9, progress=False, device="cpu",
                init_from=out)
    assert again.n_kept == 1
    with pytest.raises(StarclassError, match="another starting model"):
        fit(cfg, toy.inputs, toy.class_ref, outdir=tuned, seed=9, progress=False, device="cpu", init_from=other)
    with pytest.raises(StarclassError, match="none now"):
        fit(cfg, toy.inputs, toy.class_ref, outdir=tuned, seed=9, progress=False, device="cpu")
