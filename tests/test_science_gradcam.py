"""Grad-CAM: library and hook implementations agree; maps point at what the model uses."""

import numpy as np
import pytest

torch = pytest.importorskip("torch")
nn = torch.nn

from starclass.errors import StarclassError  # noqa: E402
from starclass.science.gradcam import class_average_maps, gradcam, last_conv_layer, radial_profile  # noqa: E402


def _cnn(seed=0):
    torch.manual_seed(seed)
    return nn.Sequential(nn.Conv2d(5, 8, 3, padding=1), nn.ReLU(), nn.Conv2d(8, 6, 3, padding=1), nn.ReLU(),
                         nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(6, 4))


def test_captum_and_hooks_agree():
    pytest.importorskip("captum")
    m = _cnn()
    x = torch.randn(5, 5, 16, 16)
    a = gradcam(m, x, backend="captum")
    b = gradcam(m, x, backend="hooks")
    assert a.shape == (5, 16, 16)
    np.testing.assert_allclose(a, b, atol=1e-5)
    assert np.all((a >= 0) & (a <= 1))


class _BlobModel(nn.Module):
    """Class-0 score = mean of a feature map that copies the input: Grad-CAM must follow the blob."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 2, 1, bias=False)
        with torch.no_grad():
            self.conv.weight[:] = torch.tensor([1.0, -1.0]).view(2, 1, 1, 1)

    def forward(self, x):
        f = torch.relu(self.conv(x)).mean(dim=(2, 3))
        return torch.stack([f[:, 0], f[:, 1], 0 * f[:, 0], 0 * f[:, 0]], dim=1)


@pytest.mark.parametrize("backend", ["hooks", "captum"])
def test_map_follows_the_evidence(backend):
    if backend == "captum":
        pytest.importorskip("captum")
    x = torch.zeros(2, 1, 16, 16)
    yy, xx = torch.meshgrid(torch.arange(16.0), torch.arange(16.0), indexing="ij")
    for i, (cx, cy) in enumerate([(4, 5), (11, 9)]):
        x[i, 0] = torch.exp(-((xx - cx) ** 2 + (yy - cy) ** 2) / 2.0)
    maps = gradcam(_BlobModel(), x, target=0, backend=backend)
    for i, (cx, cy) in enumerate([(4, 5), (11, 9)]):
        iy, ix = np.unravel_index(np.argmax(maps[i]), maps[i].shape)
        assert (ix, iy) == (cx, cy)
        assert maps[i][0, 15] < 0.01  # far corner is dark
    # the class whose evidence is absent (negative channel) gets an all-zero map, not NaN
    zero = gradcam(_BlobModel(), x, target=1, backend=backend)
    assert np.isfinite(zero).all() and zero.max() == 0
    r, p = radial_profile(maps[0], center=(4, 5))
    assert p[0] > 5 * p[-1]


def test_radial_profile_of_constant_and_class_means():
    r, p = radial_profile(np.ones((9, 9)))
    np.testing.assert_allclose(p, 1.0)
    assert r[0] == pytest.approx(0.5)
    maps = np.stack([np.zeros((4, 4)), np.ones((4, 4)), np.ones((4, 4)) * 3])
    avg = class_average_maps(maps, np.array([1, 2, 2]))
    assert set(avg) == {1, 2} and avg[2].mean() == pytest.approx(2.0)


def test_no_conv_layer_is_a_clear_error():
    with pytest.raises(StarclassError, match="no Conv2d"):
        last_conv_layer(nn.Sequential(nn.Flatten(), nn.Linear(4, 2)))
