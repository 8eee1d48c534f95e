"""core.vae, core.vae_latent, core.vae_plots, core.sketch: real numbers, library equality,
and the committed checkpoint's quality (weights/vae judged by weights/cnn)."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F

from core import vae_latent as vl
from core.errors import StudioError
from core.vae import VAE, VAEConfig, loss_terms, reparameterize, sample_eps
from core.vae_plots import GEOMETRY, draw_points, enlarge, gif_file


def test_loss_terms_match_a_hand_computation():
    # two 'images' of 4 pixels; logits 0, ln 3, -ln 3, 2 give p = 1/2, 3/4, 1/4, sigmoid(2)
    x = torch.tensor([[1.0, 0.0, 0.5, 1.0], [0.0, 1.0, 1.0, 0.0]]).view(2, 1, 2, 2)
    logits = torch.tensor([0.0, math.log(3), -math.log(3), 2.0]).expand(2, 4).reshape(2, 1, 2, 2)
    p4 = 1 / (1 + math.exp(-2))
    recon0 = math.log(2) + math.log(4) + (0.5 * math.log(4) + 0.5 * math.log(4 / 3)) - math.log(p4)
    recon1 = math.log(2) - math.log(0.75) - math.log(0.25) - math.log(1 - p4)
    mu = torch.tensor([[1.0, 0.0], [0.0, 0.0]])
    logvar = torch.tensor([[0.0, math.log(4)], [0.0, 0.0]])
    # KL = 1/2 sum(mu^2 + sigma^2 - 1 - log sigma^2): (1 + 1 - 1 - 0 + 0 + 4 - 1 - ln 4) / 2 = 2 - ln 2
    recon, kl = loss_terms(x, logits, mu, logvar)
    assert recon.tolist() == pytest.approx([recon0, recon1], abs=1e-5)
    assert recon0 == pytest.approx(0.693147 + 1.386294 + 0.836988 + 0.126928, abs=1e-5)
    assert kl.tolist() == pytest.approx([2 - math.log(2), 0.0], abs=1e-6)


def test_loss_terms_equal_torch_distributions():
    g = torch.Generator().manual_seed(3)
    x = (torch.rand(5, 1, 28, 28, generator=g) > 0.5).float()
    logits = torch.randn(5, 1, 28, 28, generator=g) * 3
    mu, logvar = torch.randn(5, 16, generator=g), torch.randn(5, 16, generator=g)
    recon, kl = loss_terms(x, logits, mu, logvar)
    D = torch.distributions
    ref_recon = -D.Bernoulli(logits=logits).log_prob(x).flatten(1).sum(1)
    ref_kl = D.kl_divergence(D.Normal(mu, torch.exp(0.5 * logvar)), D.Normal(0.0, 1.0)).sum(1)
    torch.testing.assert_close(recon, ref_recon)
    torch.testing.assert_close(kl, ref_kl)
    # grey pixels: same as the library's BCE on probabilities, summed per image
    xg = torch.rand(5, 1, 28, 28, generator=g)
    ref = F.binary_cross_entropy(torch.sigmoid(logits), xg, reduction="none").flatten(1).sum(1)
    torch.testing.assert_close(loss_terms(xg, logits, mu, logvar)[0], ref, rtol=1e-4, atol=1e-3)


def test_reparameterization_numbers_and_gradients():
    mu = torch.tensor([[0.5, -1.0]], requires_grad=True)
    logvar = torch.tensor([[math.log(0.25), 0.0]], requires_grad=True)   # sigma = 0.5, 1
    eps = torch.tensor([[2.0, -0.5]])
    z = reparameterize(mu, logvar, eps)
    assert z[0].tolist() == pytest.approx([0.5 + 0.5 * 2.0, -1.0 - 0.5])
    z.sum().backward()
    assert mu.grad.tolist() == [[1.0, 1.0]]                        # dz/dmu = 1
    assert logvar.grad[0].tolist() == pytest.approx([0.5 * 0.5 * 2.0, 0.5 * 1.0 * -0.5])  # sigma eps / 2


def test_sample_eps_is_reproducible_and_standard_normal():
    a, b = sample_eps((4000, 2), seed=7), sample_eps((4000, 2), seed=7)
    assert torch.equal(a, b) and not torch.equal(a, sample_eps((4000, 2), seed=8))
    assert abs(a.mean().item()) < 0.05 and abs(a.std().item() - 1) < 0.05


def test_forward_shapes_and_loss_consistency():
    torch.manual_seed(0)
    model = VAE(VAEConfig(latent_dim=3, hidden=(32,)))
    x = torch.rand(4, 1, 28, 28)
    out = model(x, sample_eps((4, 3), 0))
    assert out["mu"].shape == (4, 3) and out["z"].shape == (4, 3) and out["logits"].shape == (4, 1, 28, 28)
    torch.testing.assert_close(out["z"], out["mu"] + out["sigma"] * out["eps"])
    torch.testing.assert_close(model.decode(out["z"]), torch.sigmoid(out["logits"]))


def test_interpolation_linear_and_spherical():
    z0, z1 = torch.tensor([1.0, 0.0]), torch.tensor([0.0, 1.0])
    lin = vl.interpolate(z0, z1, 3, "linear")
    assert lin.tolist() == [[1.0, 0.0], [0.5, 0.5], [0.0, 1.0]]
    sph = vl.interpolate(z0, z1, 3, "spherical")
    assert sph[1].tolist() == pytest.approx([math.sqrt(0.5), math.sqrt(0.5)])
    sph9 = vl.interpolate(z0 * 2, z1 * 2, 9, "spherical")
    assert sph9.norm(dim=1).tolist() == pytest.approx([2.0] * 9)          # stays on the circle
    assert torch.equal(sph9[0], z0 * 2) and torch.equal(sph9[-1], z1 * 2)
    same = vl.interpolate(z0, z0, 4, "spherical")                         # angle 0: no NaN
    assert torch.isfinite(same).all() and torch.equal(same, z0.expand(4, 2))


@pytest.mark.parametrize("steps", [0, 1, 10_000, float("nan"), "abc", 2.5])
def test_interpolation_rejects_bad_steps(steps):
    with pytest.raises(StudioError) as err:
        vl.interpolate(torch.zeros(2), torch.ones(2), steps)
    assert err.value.key in ("common.out_of_range", "common.not_a_number", "common.not_an_integer")


def test_gaussian_grid_is_the_inverse_cdf_of_even_probabilities():
    from scipy.stats import norm

    axis = vl.grid_axis(7, 2.0, "gaussian")
    p = np.linspace(norm.cdf(-2.0), norm.cdf(2.0), 7)
    np.testing.assert_allclose(axis.numpy(), norm.ppf(p), atol=1e-5)
    assert vl.grid_axis(5, 2.0, "linear").tolist() == [-2.0, -1.0, 0.0, 1.0, 2.0]


def test_manifold_grid_orientation_and_tiling():
    z = vl.manifold_grid(3, 1.0)
    assert z.shape == (9, 2)
    assert z[0].tolist() == [-1.0, 1.0] and z[2].tolist() == [1.0, 1.0] and z[8].tolist() == [1.0, -1.0]
    imgs = torch.arange(6, dtype=torch.float32).view(6, 1, 1, 1).expand(6, 1, 2, 2)
    pic = vl.tile(imgs, cols=3, gap=1, fill=-1.0)
    assert pic.shape == (5, 8)
    assert pic[0, 0] == 0 and pic[0, 3] == 1 and pic[3, 6] == 5 and pic[2, 0] == -1.0
    with pytest.raises(StudioError):
        vl.manifold_grid(1000, 2.0)
    with pytest.raises(StudioError):
        vl.manifold_grid(10, float("inf"))


def test_check_z():
    assert vl.check_z(["1.5", -2], 2).tolist() == [[1.5, -2.0]]
    for bad in (["nan", 0], [0, 99], ["x", 0]):
        with pytest.raises(StudioError):
            vl.check_z(bad, 2)
    with pytest.raises(StudioError):
        vl.check_z([0, 0, 0], 2)


def test_map_geometry_round_trip_and_markers():
    for z in [(0.0, 0.0), (1.5, -2.25), (-4.0, 4.0)]:
        assert GEOMETRY.to_latent(*GEOMETRY.to_pixel(*z)) == pytest.approx(z)
    assert GEOMETRY.to_pixel(0, 0) == (GEOMETRY.left + GEOMETRY.size / 2, GEOMETRY.top + GEOMETRY.size / 2)
    assert GEOMETRY.to_latent(2, 2) is None
    base = np.full((GEOMETRY.height, GEOMETRY.width, 3), 255, np.uint8)
    marked = draw_points(base, [[1.0, 1.0]])
    x, y = (round(v) for v in GEOMETRY.to_pixel(1.0, 1.0))
    assert (marked[y - 8:y + 9, x - 8:x + 9] < 50).any() and (base == 255).all()


def test_enlarge_and_gif():
    img = torch.tensor([[0.0, 1.0], [0.5, 0.25]])
    big = enlarge(img, 3)
    assert big.shape == (6, 6) and big[0, 3] == 255 and big[5, 0] == 128 and big[2, 2] == 0
    from PIL import Image

    path = gif_file(torch.rand(4, 1, 28, 28), scale=2)
    with Image.open(path) as gif:
        assert gif.size == (56, 56) and gif.n_frames == 6                     # 4 forward + 2 back


# ---------------------------------------------------------------- sketch -> MNIST input

def test_to_mnist_keeps_mnist_digits_and_handles_polarity():
    from core.data import load_sample, to_float
    from core.sketch import to_mnist

    images, _ = load_sample()
    x = to_mnist(images[0].numpy())
    assert x.shape == (1, 1, 28, 28) and x.max() == 1.0
    assert (x - to_float(images[:1])).abs().mean() < 0.12
    # black ink on a transparent canvas (a Sketchpad drawing): same picture as white on black
    rgba = np.zeros((280, 280, 4), np.uint8)
    rgba[60:220, 130:150, 3] = 255                      # a vertical bar, black and opaque
    drawn = to_mnist({"composite": rgba})
    assert drawn.shape == (1, 1, 28, 28)
    rows, cols = torch.nonzero(drawn[0, 0] > 0.5, as_tuple=True)
    assert rows.max() - rows.min() + 1 == 20                   # fitted into MNIST's 20-px box
    com_y = (drawn[0, 0].sum(1) * torch.arange(28)).sum() / drawn.sum()
    assert abs(com_y.item() - 13.5) <= 0.6                      # centred by centre of mass
    white_bg = np.full((280, 280, 3), 255, np.uint8)
    white_bg[60:220, 130:150] = 0
    torch.testing.assert_close(to_mnist(white_bg), drawn)


@pytest.mark.parametrize("bad,key", [
    (None, "common.empty_sketch"),
    ({"composite": np.zeros((100, 100, 4), np.uint8)}, "common.empty_sketch"),
    (np.full((50, 50), 255, np.uint8), "common.empty_sketch"),
    (np.zeros((3000, 10), np.uint8), "common.image_too_large"),
    ("not an image", "common.not_an_image"),
    (np.zeros((2, 2, 2, 2)), "common.not_an_image"),
    (np.full((5, 5), np.nan), "common.not_an_image"),
])
def test_to_mnist_bad_input(bad, key):
    from core.sketch import to_mnist

    with pytest.raises(StudioError) as err:
        to_mnist(bad)
    assert err.value.key == key


# ------------------------------------------------------- the committed checkpoint (weights/vae)

def _needs(*names):
    from core.checkpoint import WEIGHTS_DIR

    missing = [n for n in names if not (WEIGHTS_DIR / n / "model.safetensors").is_file()]
    return pytest.mark.skipif(bool(missing), reason=f"weights not committed yet: {missing}")


@_needs("vae")
def test_committed_vae_loads_and_matches_its_recorded_loss():
    from core.checkpoint import WEIGHTS_DIR, load
    from core.data import load_sample, to_float
    from core.vae import evaluate

    model, info = load(WEIGHTS_DIR / "vae")
    assert info["config"]["latent_dim"] == 2 and info["model"] == "core.vae.VAE"
    m = info["metrics"]
    assert m["test_neg_elbo"] == pytest.approx(m["test_recon"] + m["test_kl"], abs=0.01)
    assert m["test_neg_elbo"] < 150                       # a 2-D MLP VAE on MNIST: ~140-145 nats
    sample = evaluate(model, to_float(load_sample()[0]), seed=0)
    assert sample["neg_elbo"] < 170 and sample["kl"] > 3   # the latent is used (no posterior collapse)


@_needs("vae")
def test_shipped_latent_map_is_the_encoder_mean_of_the_test_set():
    from core.checkpoint import WEIGHTS_DIR, load
    from core.data import load_sample, sample_indices, to_float
    from core.vae import encode_means, load_latent_map

    mu, labels = load_latent_map("vae")
    assert mu.shape == (10_000, 2) and labels.shape == (10_000,)
    images, sample_labels = load_sample()
    idx = sample_indices()
    assert torch.equal(labels[idx], sample_labels)
    ours = encode_means(load(WEIGHTS_DIR / "vae")[0], to_float(images))
    torch.testing.assert_close(mu[idx], ours, atol=1e-5, rtol=1e-5)


@_needs("vae", "cnn")
def test_encode_decode_keeps_the_digit_for_most_samples():
    """The issue's bar: >= 70% of the 200 committed samples, encoded to mu and decoded, are
    read as the same digit by the CNN (a 2-D latent blurs; the figure is in the README)."""
    from core.checkpoint import WEIGHTS_DIR, load
    from core.cnn import judge
    from core.data import load_sample, to_float

    model = load(WEIGHTS_DIR / "vae")[0]
    images, labels = load_sample()
    x = to_float(images)
    with torch.inference_mode():
        recon = model.decode(model.encode(x)[0])
    same = (judge(recon)[0] == judge(x)[0]).float().mean().item()
    correct = (judge(recon)[0] == labels).float().mean().item()
    print(f"encode->decode judged the same digit: {same:.1%}; equal to the label: {correct:.1%}")
    assert same >= 0.70 and correct >= 0.70
