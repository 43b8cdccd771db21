"""explain runs the explained member once for its Grad-CAM maps and its share of the model's probability.

Until 2026-12-06 explain_inputs ran the model through classify's predict_inputs for the probabilities (every
member once), then the first member again over every stamp for a softmax it threw away (the class count was
all it checked), then once more for the Grad-CAM maps: three passes of that member (122 stamps through it for
40 stamps, the other members 40). Now the Grad-CAM pass's outputs give that member's probabilities, and the
model's class (predict_inputs with ``member_probs``) is chosen from them before the pass's backward. The
probabilities, classes and maps are those of classify and of Grad-CAM drawn for that class, as before.
"""

from __future__ import annotations

import numpy as np
import pytest

pytestmark = pytest.mark.usefixtures("single_thread")

N = 40  # chunks of 16, 16 and 8 stamps: no pass of one stamp but the layer's probes


@pytest.fixture(scope="module")
def model_and_stamps(tmp_path_factory):
    """A two-member binary model trained one epoch on toy stamps, and 40 stamps."""
    from starclass.datasets.stamps import make_synthetic
    from starclass.learn.checkpoint import load_model
    from starclass.learn.config import get_preset
    from starclass.learn.train import fit

    cfg = get_preset("m31-real", stamp_size=16, normalisation="none",
                     recipe={"epochs": 1, "batch_size": 8, "val_fraction": 0.25, "early_stopping_patience": None})
    toy = make_synthetic(cfg, N, seed=1)
    out = tmp_path_factory.mktemp("one_pass") / "model"
    fit(cfg, toy.inputs, toy.class_ref, outdir=out, seed=0, progress=False, device="cpu", ensemble=2)
    return load_model(out, "cpu"), toy.inputs, np.asarray(toy.class_ref)


def _counted(nets) -> list[list[int]]:
    """The stamps of each forward call of each network, as they come."""
    calls: list[list[int]] = [[] for _ in nets]
    for i, net in enumerate(nets):
        net.register_forward_pre_hook(lambda _m, inp, i=i: calls[i].append(int(inp[0].shape[0])))
    return calls


def test_explain_runs_each_member_once_over_the_stamps(model_and_stamps):
    from starclass.explain.run import explain_inputs

    model, x, ref = model_and_stamps
    calls = _counted(model.members)
    try:
        explain_inputs(model, x, ref, model.classes, methods=("gradcam",))
    finally:
        for net in model.members:
            net._forward_pre_hooks.clear()
    # the first member's passes over the stamps (its layer's one-stamp probes aside): one, where there were three
    assert sum(n for n in calls[0] if n > 1) == N, calls[0]
    assert sum(calls[1]) == N, calls[1]


def test_a_network_alone_runs_once_for_its_probabilities_and_maps(model_and_stamps):
    from starclass.explain.run import explain_inputs

    model, x, ref = model_and_stamps
    net = model.members[0]
    calls = _counted([net])
    try:
        res = explain_inputs(net, x, ref, model.classes, methods=("gradcam",))
    finally:
        net._forward_pre_hooks.clear()
    assert sum(n for n in calls[0] if n > 1) == N, calls[0]
    from starclass.learn.classify import member_probabilities

    own = member_probabilities([net], x)[0]
    assert np.allclose(res.prob_pred, own.max(axis=1), atol=1e-6)


def test_the_one_pass_gives_classify_s_numbers_and_the_same_maps(model_and_stamps):
    from starclass.explain.run import explain_inputs
    from starclass.learn.classify import predict_inputs
    from starclass.science.gradcam import gradcam

    model, x, ref = model_and_stamps
    res = explain_inputs(model, x, ref, model.classes, methods=("gradcam", "guided-backprop", "guided-gradcam"))
    ens = predict_inputs(model, x, device="cpu")
    k = np.array([model.classes.index(int(c)) for c in ens.class_pred])
    assert np.array_equal(res.class_pred, ens.class_pred)
    assert len(set(res.class_pred.tolist())) == 2  # both classes: a wrong target would show in the maps below
    assert np.allclose(res.prob_pred, ens.prob_mean[np.arange(N), k], atol=1e-6)
    assert ens.prob_raw is not None and "calibrated" in res.prob_from  # the model's calibration applied
    # Grad-CAM of the first member for the model's class, drawn as before (targets given, a pass of its own)
    before = gradcam(model.members[0], x, k, layer=res.layer.module, backend="hooks")
    assert np.allclose(res.maps["gradcam"], before, atol=1e-6)


def test_predict_inputs_takes_a_member_s_probabilities_and_checks_them(model_and_stamps):
    from starclass.errors import StarclassError
    from starclass.learn.classify import member_probabilities, predict_inputs

    model, x, _ = model_and_stamps
    first = member_probabilities(model.members[:1], x)[0]
    calls = _counted(model.members)
    try:
        given = predict_inputs(model, x, device="cpu", member_probs={0: first})
    finally:
        for net in model.members:
            net._forward_pre_hooks.clear()
    assert calls == [[], [N]], calls
    plain = predict_inputs(model, x, device="cpu")
    assert np.allclose(given.prob_mean, plain.prob_mean, atol=1e-6)
    assert np.array_equal(given.class_pred, plain.class_pred)
    with pytest.raises(StarclassError, match=r"member_probs\[0\] has shape \(39, 2\); give \[N, K\] for the 40"):
        predict_inputs(model, x, device="cpu", member_probs={0: first[1:]})
    with pytest.raises(StarclassError, match="names member 2; the model has members 0-1"):
        predict_inputs(model, x, device="cpu", member_probs={2: first})
    with pytest.raises(StarclassError, match="not with tta=True"):
        predict_inputs(model, x, device="cpu", member_probs={0: first}, tta=True)


def test_inputs_with_nan_are_refused_naming_the_rows_as_classify_does(model_and_stamps):
    """The one pass asks predict_inputs chunk by chunk, whose refusal would name rows of the chunk (0-15 for 16-31)."""
    from starclass.errors import StarclassError
    from starclass.explain.run import explain_inputs

    model, x, ref = model_and_stamps
    bad = x.copy()
    bad[20, 0, 3, 3] = np.nan
    with pytest.raises(StarclassError, match=r"^model inputs 0-39 contain NaN or inf"):
        explain_inputs(model, bad, ref, model.classes, methods=("gradcam",))


def test_grad_cam_stops_at_its_layer_and_draws_the_same_maps(model_and_stamps):
    """Until 2026-12-06 the Grad-CAM pass's score.backward() went on below the layer to the inputs and filled every
    weight's .grad, which no map uses: 3x the time of the gradient at the layer (7.0 s against 2.4 s for 32 legus4
    stamps, measured), the maps the same."""
    import torch

    from starclass.science.gradcam import choose_layer, gradcam

    model, x, _ = model_and_stamps
    net = model.members[0]
    net.zero_grad(set_to_none=True)
    xt = torch.from_numpy(x)
    layer = choose_layer(net, xt[:1]).module
    k = np.arange(N) % 2
    maps = gradcam(net, xt, k, layer=layer, backend="hooks")
    assert all(p.grad is None for p in net.parameters()), [n for n, p in net.named_parameters() if p.grad is not None]
    # the maps as the full backward gives them, computed here on their own
    kept = {}
    hook = layer.register_forward_hook(lambda _m, _i, out: kept.setdefault("act", out).retain_grad())
    try:
        net.eval()
        net(xt.clone().requires_grad_(True)).gather(1, torch.as_tensor(k).view(-1, 1)).sum().backward()
    finally:
        hook.remove()
        net.zero_grad(set_to_none=True)
    act = kept["act"]
    cam = torch.relu((act.grad.mean(dim=(2, 3), keepdim=True) * act).sum(dim=1, keepdim=True)).detach()
    cam = torch.nn.functional.interpolate(cam, size=x.shape[-2:], mode="bilinear", align_corners=False)[:, 0].numpy()
    peak = cam.reshape(N, -1).max(axis=1)[:, None, None]
    want = np.divide(cam, peak, out=np.zeros_like(cam), where=peak > 0)
    assert np.allclose(maps, want, atol=1e-6)
