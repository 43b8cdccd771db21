"""starclass explain: CAM, guided backprop and layer choice against hand computations; the CLI."""

from __future__ import annotations

import json

import numpy as np
import pytest
import torch
import torch.nn.functional as F
import torchvision
from astropy.table import Table
from torch import nn
from typer.testing import CliRunner

from starclass.cli import app
from starclass.errors import StarclassError
from starclass.explain.maps import cam, choose_layer, guided_backprop, guided_gradcam, normalise_maps
from starclass.science.gradcam import gradcam, radial_profile

pytestmark = pytest.mark.usefixtures("single_thread")
runner = CliRunner()


def _gap_net(k: int = 5, n_classes: int = 3) -> nn.Module:
    torch.manual_seed(0)
    return nn.Sequential(nn.Conv2d(2, k, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                         nn.Dropout(0.3), nn.Linear(k, n_classes))


def test_cam_is_the_weighted_sum_of_the_pooled_maps():
    net = _gap_net().eval()
    x = torch.randn(4, 2, 9, 9)
    target = np.array([0, 2, 1, 2])
    maps, raw = cam(net, x, target, return_raw=True)
    with torch.no_grad():
        feats = torch.relu(net[0](x)).numpy()  # [N, K, h, w]
    w = net[5].weight.detach().numpy()
    for i, t in enumerate(target):
        hand = np.tensordot(w[t], feats[i], axes=1)
        assert np.allclose(raw[i], hand, atol=1e-5)
        with torch.no_grad():
            logit = net(x[i:i + 1])[0, t].item()
        assert hand.mean() + net[5].bias[t].item() == pytest.approx(logit, abs=1e-5)
    assert maps.shape == (4, 9, 9) and maps.max() <= 1 and maps.min() >= 0


def test_cam_refuses_a_network_without_a_gap_linear_head():
    vgg_like = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(2 * 8 * 8, 2))
    with pytest.raises(StarclassError, match="global average pooling"):
        cam(vgg_like, torch.randn(2, 1, 8, 8))
    # pooling and a linear layer, but a hidden layer between: the logit check catches it
    deep = nn.Sequential(nn.Conv2d(1, 4, 3, padding=1), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(4, 4),
                         nn.ReLU(), nn.Linear(4, 2))
    with pytest.raises(StarclassError, match="CAM"):
        cam(deep, torch.randn(2, 1, 8, 8))


def test_guided_backprop_matches_the_hand_rule():
    torch.manual_seed(1)
    net = nn.Sequential(nn.Flatten(), nn.Linear(16, 6), nn.ReLU(inplace=True), nn.Linear(6, 2)).eval()
    x = torch.randn(3, 1, 4, 4)
    relu_before = F.relu
    got = guided_backprop(net, x, 1)
    assert F.relu is relu_before  # the guided activations are put back
    w1, w2 = net[1].weight.detach().numpy(), net[3].weight.detach().numpy()
    pre = x.reshape(3, 16).numpy() @ w1.T + net[1].bias.detach().numpy()
    # guided: only positive gradients flow back, only through units with positive input
    g = (np.clip(w2[1], 0, None) * (pre > 0)) @ w1
    hand = normalise_maps(np.abs(g).reshape(3, 4, 4))
    assert np.allclose(got, hand, atol=1e-5)
    # the plain gradient differs (negative weights pass too), so the test can fail
    plain = normalise_maps(np.abs((w2[1] * (pre > 0)) @ w1).reshape(3, 4, 4))
    assert not np.allclose(plain, hand, atol=1e-3)


@pytest.mark.parametrize("act", ["relu6", "hardswish"])
def test_guided_backprop_guides_the_mobilenet_activations(act):
    # nn.ReLU6 calls F.hardtanh and nn.Hardswish F.hardswish, which were not guided: through a MobileNetV2
    # (ReLU6 only) the "guided" map was the plain gradient until 2026-12-05
    torch.manual_seed(1)
    module = nn.ReLU6(inplace=True) if act == "relu6" else nn.Hardswish()
    net = nn.Sequential(nn.Flatten(), nn.Linear(16, 6), module, nn.Linear(6, 2)).eval()
    with torch.no_grad():
        net[1].weight.mul_(8.0)  # inputs on both sides of ReLU6's 6 and hard-swish's 3
    x = torch.randn(3, 1, 4, 4)
    before = (F.hardtanh, F.relu6, F.hardswish)
    got = guided_backprop(net, x, 1)
    assert (F.hardtanh, F.relu6, F.hardswish) == before  # the guided activations are put back
    w1, w2 = net[1].weight.detach().numpy(), net[3].weight.detach().numpy()
    pre = x.reshape(3, 16).numpy() @ w1.T + net[1].bias.detach().numpy()
    if act == "relu6":
        assert (pre > 6).any() and (pre < 0).any()
        slope = ((pre > 0) & (pre < 6)).astype(float)
        plain_slope = slope
    else:
        assert (pre > 3).any() and ((pre > 0) & (pre < 3)).any() and ((pre > -3) & (pre < 0)).any()
        plain_slope = np.where(pre >= 3, 1.0, np.where(pre <= -3, 0.0, (2 * pre + 3) / 6))
        slope = plain_slope * (pre > 0)
    # guided: only positive gradients flow back, through units with positive input, times their slope
    hand = normalise_maps(np.abs((np.clip(w2[1], 0, None) * slope) @ w1).reshape(3, 4, 4))
    assert np.allclose(got, hand, atol=1e-5)
    plain = normalise_maps(np.abs((w2[1] * plain_slope) @ w1).reshape(3, 4, 4))
    assert not np.allclose(plain, hand, atol=1e-3)
    # another hardtanh range is no ReLU: left as it is (its plain gradient)
    clip = nn.Sequential(nn.Flatten(), nn.Linear(16, 6), nn.Hardtanh(-1.0, 1.0), nn.Linear(6, 2)).eval()
    xg = x.clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(clip(xg)[:, 1].sum(), xg)
    assert np.allclose(guided_backprop(clip, x, 1), normalise_maps(grad.abs().sum(dim=1).numpy()), atol=1e-6)


def test_guided_backprop_of_a_mobilenet_v2_is_not_its_plain_gradient():
    torch.manual_seed(0)
    net = torchvision.models.mobilenet_v2(weights=None, num_classes=2).eval()
    x = torch.randn(2, 3, 32, 32)
    xg = x.clone().requires_grad_(True)
    (grad,) = torch.autograd.grad(net(xg)[:, 0].sum(), xg)
    plain = normalise_maps(grad.abs().sum(dim=1).numpy())
    assert np.abs(guided_backprop(net, x, 0) - plain).max() > 0.1


def test_guided_gradcam_is_the_product():
    net = _gap_net().eval()
    x = torch.randn(3, 2, 12, 12)
    lay = choose_layer(net, x)
    gc = gradcam(net, x, np.array([0, 1, 2]), layer=lay.module, backend="hooks")
    gb = guided_backprop(net, x, np.array([0, 1, 2]))
    assert np.allclose(guided_gradcam(net, x, np.array([0, 1, 2]), gradcam_maps=gc), normalise_maps(gb * gc))


def test_layer_choice_gives_maps_of_at_least_seven_pixels():
    net = torchvision.models.resnet18(weights=None, num_classes=3).eval()
    small = choose_layer(net, torch.zeros(1, 3, 64, 64))
    assert small.last_size == (2, 2)  # the last feature map of ResNet-18 at 64 px
    assert min(small.size) >= 7 and small.name.startswith("layer2")
    big = choose_layer(net, torch.zeros(1, 3, 256, 256))
    # the last block's output, after its residual sum and ReLU (the bare layer4.1.conv2 until 2026-12-05)
    assert big.size == (8, 8) and big.name == "layer4"
    assert choose_layer(net, torch.zeros(1, 3, 64, 64), name="conv1").size == (32, 32)
    with pytest.raises(StarclassError, match="neither a feature map nor a convolution"):
        choose_layer(net, torch.zeros(1, 3, 64, 64), name="fc")


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A ResNet-18 cool-core model trained one epoch on twelve 48 px toy stamps, and a cutout folder."""
    from starclass.datasets.stamps import make_synthetic
    from starclass.learn.config import get_preset
    from starclass.learn.train import fit

    root = tmp_path_factory.mktemp("explain")
    cfg = get_preset("cool-core", stamp_size=48, normalisation="none", arch_options={"pretrained": None},
                     recipe={"epochs": 1, "batch_size": 12, "val_fraction": 0.25, "early_stopping_patience": None})
    toy = make_synthetic(cfg, 12, seed=0)
    fit(cfg, toy.inputs, toy.class_ref, outdir=root / "model", seed=0, progress=False, device="cpu")
    (root / "cut").mkdir()
    lines = ["file,label"]
    for i, (img, c) in enumerate(zip(toy.inputs, toy.class_ref)):
        np.save(root / "cut" / f"s{i:02d}.npy", img[0].astype(np.float32))
        lines.append(f"s{i:02d}.npy,{int(c)}")
    (root / "cut" / "labels.csv").write_text("\n".join(lines) + "\n")
    return root


def test_explain_cli_writes_maps_tables_and_figures(trained, tmp_path):
    out = tmp_path / "ex"
    r = runner.invoke(app, ["explain", str(trained / "model"), str(trained / "cut" / "labels.csv"), "-o", str(out),
                            "--per-class", "2"])
    assert r.exit_code == 0, r.output
    assert "Grad-CAM layer" in r.output
    # the line before the 'next:' says what the folder holds and where the class means are ("written OUT" named
    # nothing in it)
    assert r.stdout.splitlines()[-1].startswith("next: open the figures in "), r.stdout
    assert r.stdout.splitlines()[-2] == (f"wrote 2 tables, 5 figures and maps.npz under {out} (the class means: "
                                         f"{out / 'figures' / 'mean_maps.png'})"), r.stdout
    info = json.loads((out / "explain.json").read_text())
    assert min(info["layer"]["map_size"]) >= 7 and info["layer"]["last_conv_map_size"] == [2, 2]
    assert set(info["methods"]) == {"gradcam", "guided-gradcam", "cam"}
    assert any("coarse" in n for n in info["notes"])  # CAM of ResNet-18 at 48 px is 2x2 and says so
    for name in ("overlays_gradcam.png", "overlays_cam.png", "mean_maps.png", "profiles.png"):
        assert (out / "figures" / name).stat().st_size > 1000
    maps = np.load(out / "maps.npz")
    stamps = Table.read(out / "tables" / "stamps.ecsv")
    assert len(stamps) == 12 and maps["gradcam"].shape == (12, 48, 48)
    prof = Table.read(out / "tables" / "profiles.ecsv")
    # the table's profile of one class is the profile of the mean of that class's correct maps
    ok = (stamps["class_ref"] == stamps["class_pred"])
    c = int(stamps["class_ref"][ok][0])
    sel = np.asarray(ok & (stamps["class_ref"] == c))
    r_hand, p_hand = radial_profile(maps["gradcam"][sel].mean(axis=0))
    row = prof[(prof["method"] == "gradcam") & (prof["class"] == c)]
    assert np.allclose(row["mean"], p_hand, atol=1e-6) and np.allclose(row["radius_arcsec"], r_hand * 3.9)
    assert int(row["n_stamps"][0]) == int(sel.sum())
    # kept unless --overwrite; a missing stamps file is named; exit status 2
    again = runner.invoke(app, ["explain", str(trained / "model"), str(trained / "cut"), "-o", str(out)])
    assert again.exit_code == 2 and "overwrite" in again.output
    bad = runner.invoke(app, ["explain", str(trained / "model"), str(tmp_path / "nothing.csv"), "-o",
                              str(tmp_path / "ex2")])
    assert bad.exit_code == 2 and "nothing.csv" in bad.output
    wrong = runner.invoke(app, ["explain", str(trained / "model"), str(trained / "cut"), "-o", str(tmp_path / "e3"),
                                "--method", "saliency"])
    assert wrong.exit_code == 2 and "saliency" in wrong.output


def test_explain_shows_a_bar_over_the_stamps_unless_no_progress(trained, tmp_path, capsys):
    """explain computed its maps (minutes for a few hundred stamps of a 56 px model on a CPU) without a word,
    and had no --progress/--no-progress where classify, calibrate and suggest have one."""
    args = ["explain", str(trained / "model"), str(trained / "cut" / "labels.csv"), "--per-class", "1"]
    r = runner.invoke(app, [*args, "-o", str(tmp_path / "e1"), "--progress"])  # no terminal here: asked for
    assert r.exit_code == 0, r.output
    assert "explain (gradcam, guided-gradcam, cam): 100%" in r.output and "12/12" in r.output, r.output
    r = runner.invoke(app, [*args, "-o", str(tmp_path / "e2"), "--no-progress"])
    assert r.exit_code == 0, r.output
    assert "explain (" not in r.output and "explained 12 stamps" in r.output, r.output
    from starclass.explain import explain

    capsys.readouterr()
    explain(trained / "model", trained / "cut", tmp_path / "e3", per_class=1)  # quiet in Python by default
    assert "explain (" not in capsys.readouterr().err
    explain(trained / "model", trained / "cut", tmp_path / "e4", per_class=1, progress=True)
    assert "12/12" in capsys.readouterr().err


def test_explain_inputs_maps_chunk_by_chunk_equal_the_maps_of_the_whole_batch():
    # the bar steps over chunks of stamps; each map is of its own stamp, so the maps are those of one batch
    from starclass.explain.run import _CHUNK, explain_inputs

    net = _gap_net().eval()
    n = 2 * _CHUNK + 5
    x = torch.randn(n, 2, 12, 12, generator=torch.Generator().manual_seed(3))
    res = explain_inputs(net, x.numpy(), np.zeros(n, int), [1, 2, 3], progress=True)
    with torch.no_grad():
        idx = net(x).argmax(dim=1).numpy()
    lay = choose_layer(net, x)
    want = {"gradcam": gradcam(net, x, idx, layer=lay.module, backend="hooks"), "cam": cam(net, x, idx),
            "guided-gradcam": guided_gradcam(net, x, idx, layer=lay.module)}
    assert sorted(res.maps) == sorted(want)  # the default methods (DEFAULT_METHODS), no guided-backprop map
    for method, m in want.items():
        assert m.shape == (n, 12, 12) and np.allclose(res.maps[method], m, atol=1e-5), method
    assert np.array_equal(res.class_pred, np.array([1, 2, 3])[idx]) and len(res.prob_pred) == n


def test_explain_cli_takes_the_label_column_of_a_cutout_folder(trained, tmp_path):
    # explain had no --label-column: a folder labelled in another column than 'label' (as
    # classify/evaluate --label-column take) was explained as unlabelled
    lines = (trained / "cut" / "labels.csv").read_text().splitlines()
    csv_path = trained / "cut" / "klass.csv"
    csv_path.write_text("\n".join(["file,klass"] + lines[1:]) + "\n")
    labels = [int(line.split(",")[1]) for line in lines[1:]]
    out = tmp_path / "ex"
    r = runner.invoke(app, ["explain", str(trained / "model"), str(csv_path), "-o", str(out), "--label-column",
                            "klass", "--method", "gradcam"])
    assert r.exit_code == 0, r.output
    stamps = Table.read(out / "tables" / "stamps.ecsv")
    assert stamps["class_ref"].tolist() == [labels[int(i)] for i in stamps["index"]]
    assert "no labels" not in json.loads((out / "explain.json").read_text())["grouping"]
    missing = runner.invoke(app, ["explain", str(trained / "model"), str(csv_path), "-o", str(tmp_path / "e2"),
                                  "--label-column", "kind", "--method", "gradcam"])
    assert missing.exit_code == 2 and "no label column 'kind'" in missing.output and "klass" in missing.output
    assert not (tmp_path / "e2").exists()


def test_explain_leaves_blank_cutouts_out_and_names_them(trained, tmp_path):
    """A blank cutout (all zero, or an all-NaN FITS cutout off the chip, read as blank) got a
    confident class, a Grad-CAM map and a place in its class's mean map as if it held an object;
    now it is left out with a note naming the file, as classify leaves it unclassified."""
    import shutil

    from astropy.io import fits

    cut = tmp_path / "cut"
    shutil.copytree(trained / "cut", cut)
    label = (cut / "labels.csv").read_text().splitlines()[1].split(",")[1]
    np.save(cut / "zero.npy", np.zeros((48, 48), np.float32))
    fits.PrimaryHDU(np.full((48, 48), np.nan, np.float32)).writeto(cut / "offchip.fits")
    with open(cut / "labels.csv", "a") as f:
        f.write(f"zero.npy,{label}\noffchip.fits,{label}\n")
    out = tmp_path / "ex"
    r = runner.invoke(app, ["explain", str(trained / "model"), str(cut / "labels.csv"), "-o", str(out),
                            "--method", "gradcam"])
    assert r.exit_code == 0, r.output
    text = " ".join(r.output.split())
    # each kind in classify's words: the all-NaN one was said with the constant one, "blank (constant or all NaN: ...)"
    assert (f"2 of the 14 stamps of {cut / 'labels.csv'} are left out of the maps, as classify leaves them "
            "unclassified: 1 is blank (constant) (zero.npy), 1 has no data (all NaN) (offchip.fits)") in text, text
    stamps = Table.read(out / "tables" / "stamps.ecsv")
    assert len(stamps) == 12 and not {"zero.npy", "offchip.fits"} & set(stamps["file"])
    assert np.load(out / "maps.npz")["gradcam"].shape[0] == 12
    info = json.loads((out / "explain.json").read_text())
    assert info["n_stamps"] == 12 and any("zero.npy" in n for n in info["notes"])
    # a folder of blank cutouts only: refused, naming them, nothing written
    only = tmp_path / "only"
    only.mkdir()
    shutil.copy(cut / "zero.npy", only / "zero.npy")
    (only / "labels.csv").write_text(f"file,label\nzero.npy,{label}\n")
    bad = runner.invoke(app, ["explain", str(trained / "model"), str(only / "labels.csv"), "-o", str(tmp_path / "e2"),
                              "--method", "gradcam"])
    assert bad.exit_code == 2 and "every stamp is blank (constant) (zero.npy)" in bad.output, bad.output
    assert not (tmp_path / "e2").exists()
    shutil.copy(cut / "offchip.fits", only / "offchip.fits")
    (only / "labels.csv").write_text(f"file,label\nzero.npy,{label}\noffchip.fits,{label}\n")
    bad = runner.invoke(app, ["explain", str(trained / "model"), str(only / "labels.csv"), "-o", str(tmp_path / "e2"),
                              "--method", "gradcam"])
    assert bad.exit_code == 2, bad.output
    assert ("every stamp is blank (constant) (zero.npy) or has no data (all NaN) (offchip.fits); nothing to explain"
            in " ".join(bad.output.split())), bad.output
    assert not (tmp_path / "e2").exists()


def test_explain_refuses_when_every_asked_method_is_skipped():
    # `explain MODEL STAMPS --method cam` on a network without a GAP + linear head (the compact CNN, a
    # VGG) skipped cam with a note and still wrote a folder with no map at all, exit status 0 and
    # "explained 60 stamps ()"; now it names the method and the reason, and nothing is written
    from starclass.explain.run import explain_inputs

    vgg_like = nn.Sequential(nn.Conv2d(1, 2, 3, padding=1), nn.ReLU(), nn.Flatten(), nn.Linear(2 * 8 * 8, 2))
    x = np.random.default_rng(0).normal(size=(4, 1, 8, 8)).astype("float32")
    with pytest.raises(StarclassError, match=r"--method cam gives no map.*global average pooling"):
        explain_inputs(vgg_like, x, np.array([1, 2, 1, 2]), [1, 2], methods=("cam",))
    # with another method beside it, cam is still only skipped with a note
    res = explain_inputs(vgg_like, x, np.array([1, 2, 1, 2]), [1, 2], methods=("cam", "gradcam"), min_size=1)
    assert list(res.maps) == ["gradcam"] and any("cam skipped" in n for n in res.notes)
    # said once: every default explain of an m31-real model printed "cam skipped: CAM: no feature map ..."
    skipped = [n for n in res.notes if n.startswith("cam skipped: ")]
    assert skipped and not any(n.lower().startswith("cam skipped: cam") for n in skipped), skipped


def test_explain_refuses_a_store_cut_at_another_stamp_size(tmp_path):
    # guard: a stamp store cut at --stamp-size 8 for a 16 px model is refused with both sizes and the remedy
    # (the compact network's global pooling would otherwise have drawn maps of 8 px stamps)
    from starclass.explain.run import read_explain_stamps
    from starclass.learn.checkpoint import LoadedModel
    from starclass.learn.config import get_preset
    from starclass.stamps.store import write_stamp_store

    cfg = get_preset("galaxy-cluster-compact", stamp_size=16, scales=[1.0])
    store = write_stamp_store(tmp_path / "s8.h5", np.zeros((3, cfg.n_channels, 8, 8), np.float32),
                              np.ones((3, 8, 8), bool), {"id": np.arange(1, 4)}, channels=list(cfg.bands),
                              normalisation=cfg.normalisation, bands=list(cfg.bands))
    with pytest.raises(StarclassError, match=r"s8\.h5 does not fit the model's task .*stamp_size is 8 in the "
                                             r"store, 16 in the model's task.*starclass cutouts"):
        read_explain_stamps(store, LoadedModel(config=cfg, members=[]))


def test_explain_says_which_classes_have_no_mean_map(trained, tmp_path):
    """A class without a correctly classified stamp was left out of the mean maps, the profiles and the
    printed line without a word: ``--max-stamps 1`` printed "class means over ...: " and wrote neither figure."""
    out = tmp_path / "ex"
    r = runner.invoke(app, ["explain", str(trained / "model"), str(trained / "cut" / "labels.csv"), "-o", str(out),
                            "--max-stamps", "1", "--method", "gradcam"])
    assert r.exit_code == 0, r.output
    info = json.loads((out / "explain.json").read_text())
    stamps = Table.read(out / "tables" / "stamps.ecsv")
    ref, pred = int(stamps["class_ref"][0]), int(stamps["class_pred"][0])
    missing = [c for c in info["classes"] if str(c) not in info["n_per_class"]]
    assert missing and len(missing) == len(info["classes"]) - (ref == pred)
    for c in missing:
        why = ("its one labelled stamp is not predicted as it" if c == ref else "no stamp is labelled as it")
        assert any(n.startswith(f"no mean map or radial profile of class {c} (") and n.endswith(why)
                   for n in info["notes"]), info["notes"]
        assert f"note: no mean map or radial profile of class {c} (" in r.output
    if ref != pred:
        assert "none (see the notes)" in r.output and not (out / "figures" / "mean_maps.png").exists()
        assert "no class has a mean map: mean_maps.png and profiles.png are not written" in info["notes"]


def test_explain_refuses_a_file_or_a_foreign_folder_as_output_before_any_map(trained, tmp_path, monkeypatch):
    """-o afile was "--output afile exists; give --overwrite to replace it", and with --overwrite, after
    every map was computed, "output folder afile exists and is not a folder"; a folder holding a file of
    the user's was refused only after the maps too."""
    import starclass.explain as explain_pkg

    def no_work(*a, **k):
        raise AssertionError("the maps were computed before the output was checked")

    monkeypatch.setattr(explain_pkg, "explain", no_work)
    (tmp_path / "afile").write_text("kept")
    (tmp_path / "mine").mkdir()
    (tmp_path / "mine" / "notes.txt").write_text("kept")
    for out, extra, said in [("afile", [], "--output {p} exists and is not a folder; name a folder"),
                             ("afile", ["--overwrite"], "--output {p} exists and is not a folder; name a folder"),
                             ("mine", ["--overwrite"], "--output {p} holds files this command did not write "
                                                       "(notes.txt); refusing to replace it even with --overwrite")]:
        r = runner.invoke(app, ["explain", str(trained / "model"), str(trained / "cut" / "labels.csv"), "-o",
                                str(tmp_path / out), *extra])
        assert r.exit_code == 2, r.output
        assert said.format(p=tmp_path / out) in " ".join(r.output.split()), r.output
    assert (tmp_path / "afile").read_text() == "kept" and (tmp_path / "mine" / "notes.txt").read_text() == "kept"


def test_explain_inputs_refuses_stamps_of_another_size_than_the_loaded_models():
    """16 px stamps given to a 32 px model's ``explain_inputs`` gave maps without a word (the compact network's
    global pooling takes any size), where ``explain()`` and the CLI refuse a stamp store of the wrong size."""
    from starclass.explain.run import explain_inputs
    from starclass.learn.checkpoint import LoadedModel
    from starclass.learn.config import get_preset
    from starclass.models import build_model

    cfg = get_preset("galaxy-cluster-compact", stamp_size=32, scales=[1.0])
    loaded = LoadedModel(config=cfg, members=[build_model(cfg)])
    rng = np.random.default_rng(0)
    ref = np.array([1, 2, 1, 2])
    with pytest.raises(StarclassError, match=r"inputs are 16 x 16 px \(H x W\) but the model's task "
                                             r"'galaxy-cluster-compact' takes 32 x 32 px stamps .*cutout_inputs"):
        explain_inputs(loaded, rng.normal(size=(4, cfg.n_channels, 16, 16)).astype("float32"), ref,
                       loaded.classes, methods=("gradcam",), min_size=1)
    with pytest.raises(StarclassError, match=rf"do not fit task 'galaxy-cluster-compact': expected \[N, "
                                             rf"{cfg.n_channels}, H, W\]"):
        explain_inputs(loaded, rng.normal(size=(4, cfg.n_channels + 1, 32, 32)).astype("float32"), ref,
                       loaded.classes, methods=("gradcam",), min_size=1)
    # stamps of the model's size are explained; a bare network (no task to check against) takes any size
    res = explain_inputs(loaded, rng.normal(size=(4, cfg.n_channels, 32, 32)).astype("float32"), ref,
                         loaded.classes, methods=("gradcam",), min_size=1)
    assert res.maps["gradcam"].shape == (4, 32, 32)
    res = explain_inputs(loaded.members[0], rng.normal(size=(4, cfg.n_channels, 16, 16)).astype("float32"), ref,
                         loaded.classes, methods=("gradcam",), min_size=1)
    assert res.maps["gradcam"].shape == (4, 16, 16)


def test_explain_says_what_it_does_with_labels_the_task_does_not_know(trained, tmp_path):
    """``explain --label-column source_table`` printed classify's warning: rows "left out of the accuracy,
    and of evaluate unless it is given a task that maps them", then "evaluate --task my_task.yaml"; explain
    scores nothing and takes no --task. Now it says what explain does with them and how to name the labels."""
    lines = (trained / "cut" / "labels.csv").read_text().splitlines()
    csv_path = tmp_path / "src.csv"
    rows = [f"{trained / 'cut' / line.split(',')[0]},{'huxor09' if i % 2 else 'caldwell'}"
            for i, line in enumerate(lines[1:])]
    csv_path.write_text("\n".join(["file,source_table", *rows]) + "\n")
    r = runner.invoke(app, ["explain", str(trained / "model"), str(csv_path), "-o", str(tmp_path / "ex"),
                            "--label-column", "source_table", "--method", "gradcam"])
    assert r.exit_code == 0, r.output
    said = " ".join(r.output.split())
    assert ("every row is explained, but those whose label the task does not know get class_ref 0 (no reference "
            "class): the mean maps and radial profiles per class leave them out") in said, said
    assert "2 labels the task does not know: 'caldwell' (6 rows: 1, 3, 5, 7, 9, ...), 'huxor09'" in said, said
    assert ("the model's task knows the class numbers 1 (cool core), 2 (weak cool core), 3 (non-cool core): "
            "--label-column names the column that holds them (column 'source_table' was read)") in said, said
    assert "accuracy" not in said and "evaluate" not in said and "classified" not in said
    # the summary line said "predicted class (no labels)" of this folder, which has labels
    assert "(no labels)" not in said and "predicted class (no stamp has a label the task knows)" in said, said
    stamps = Table.read(tmp_path / "ex" / "tables" / "stamps.ecsv")
    assert set(stamps["class_ref"]) == {0}


def test_explain_json_names_the_layer_asked_for_and_keeps_the_last_maps_size(trained, tmp_path):
    """With ``--layer`` the map Grad-CAM explains is not the last one: ``layer.name`` and ``layer.map_size`` are the
    layer asked for, ``last_conv_map_size`` stays the network's last feature map (its meaning since it exists),
    so no key of explain.json describes a layer that was not used."""
    out = tmp_path / "ex"
    r = runner.invoke(app, ["explain", str(trained / "model"), str(trained / "cut" / "labels.csv"), "-o", str(out),
                            "--layer", "body.layer2", "--method", "gradcam", "--per-class", "1"])
    assert r.exit_code == 0, r.output
    layer = json.loads((out / "explain.json").read_text())["layer"]
    assert layer["name"] == "body.layer2" and layer["map_size"] == [6, 6] and layer["last_conv_map_size"] == [2, 2]
    assert layer["reason"] == "layer body.layer2 as asked (6x6 map)"
    assert np.load(out / "maps.npz")["gradcam"].shape[1:] == (48, 48)
