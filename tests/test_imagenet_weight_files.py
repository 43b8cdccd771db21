"""ImageNet weight files as users hold them: old torchvision files, other heads, other networks.

Until 2026-12-05 a file was loaded only if it held exactly every tensor of the torchvision network,
the classification head included, so two kinds of valid weights were refused as "do not fit":

* torchvision's files saved before PyTorch 0.4.1 (2018), which hold no batch-norm counter
  ``num_batches_tracked`` (``vgg19_bn-c79401a0.pth``, the file phangs4's VGG19-BN members look for,
  dates from 2017; an older cache's ``resnet18-5c106cde.pth``): torch's ``load_state_dict`` fills the
  counter in for them, as torchvision's own loader relies on;
* a network fine-tuned on other classes (a head of 10 outputs) or saved as a feature extractor (no
  head), although the head is replaced by the task's anyway.

A file of another network (a ResNet-50 under ResNet-18's name) is still refused, now saying so.
The files here are fabricated (no download): random torchvision state dicts, edited as those files are.
"""

from __future__ import annotations

import pytest
import torch
import torchvision

from starclass.errors import StarclassError
from starclass.learn.config import get_preset
from starclass.models import build_model

pytestmark = pytest.mark.usefixtures("single_thread")


def _task():
    # cool-core's ResNet-18 (pretrained: auto) on 32 px stamps: small enough to build in a second
    return get_preset("cool-core", stamp_size=32)


def _resnet18_state(seed: int = 0) -> dict[str, torch.Tensor]:
    torch.manual_seed(seed)
    return torchvision.models.resnet18(weights=None).state_dict()


def test_a_file_saved_before_pytorch_0_4_1_without_batch_norm_counters_is_loaded(empty_hub):
    state = _resnet18_state()
    old = {k: v for k, v in state.items() if not k.endswith("num_batches_tracked")}
    assert len(old) < len(state)  # the counters are really left out
    (empty_hub / "checkpoints").mkdir(parents=True)
    torch.save(old, empty_hub / "checkpoints" / "resnet18-5c106cde.pth")  # an older cache's name
    net = build_model(_task())
    assert net.weights_source.startswith("imagenet:") and "resnet18-5c106cde.pth" in net.weights_source
    assert torch.equal(net.body.conv1.weight, old["conv1.weight"])
    assert torch.equal(net.body.layer4[1].bn2.running_var, old["layer4.1.bn2.running_var"])


@pytest.mark.parametrize("head", ["ten classes", "none"])
def test_a_file_with_another_head_or_none_gives_its_body_and_the_task_keeps_its_head(tmp_path, head):
    state = _resnet18_state()
    if head == "none":
        del state["fc.weight"], state["fc.bias"]
    else:
        state["fc.weight"], state["fc.bias"] = torch.ones(10, 512), torch.ones(10)
    torch.save(state, tmp_path / "r18_finetuned.pth")
    path = str(tmp_path / "r18_finetuned.pth")
    net = build_model(_task().copy(arch_options={"adapter": "conv1x1", "pretrained": path}))
    assert net.weights_source.startswith("imagenet:")
    assert torch.equal(net.body.layer3[0].conv1.weight, state["layer3.0.conv1.weight"])
    assert net.body.fc.out_features == 3 and not torch.all(net.body.fc.weight == 1)


def test_a_file_of_another_network_is_refused_saying_so(tmp_path):
    torch.save(torchvision.models.resnet50(weights=None).state_dict(), tmp_path / "resnet18-f37072fd.pth")
    with pytest.raises(StarclassError) as err:
        build_model(_task().copy(arch_options={"pretrained": str(tmp_path / "resnet18-f37072fd.pth")}))
    said = str(err.value)
    assert "do not fit torchvision resnet18" in said and "a file of another network" in said
    assert "missing []" not in said  # only the parts that apply
    assert "layer1.0.conv1.weight (64, 64, 1, 1) where resnet18 has (64, 64, 3, 3)" in said


def test_a_starclass_member_file_given_as_imagenet_weights_points_to_init_from(tmp_path):
    from starclass.learn.checkpoint import write_untrained_model

    model = write_untrained_model(tmp_path / "model", _task().copy(arch_options={"pretrained": None}))
    with pytest.raises(StarclassError) as err:
        build_model(_task().copy(arch_options={"pretrained": str(model / "member_01.pt")}))
    said = str(err.value)
    assert "a starclass model's member file" in said and "--init-from" in said
