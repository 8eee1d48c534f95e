"""core.cnn: the committed judge reads the committed MNIST sample; shapes of its helpers."""
import pytest
import torch

from core import checkpoint, cnn
from core.data import load_sample, to_float


def test_committed_checkpoint_is_small_and_documented():
    info = checkpoint.read_info(checkpoint.WEIGHTS_DIR / "cnn")
    assert info["model"] == "core.cnn.CNN"
    assert info["metrics"]["test_accuracy"] >= 0.99 and info["metrics"]["test_images"] == 10_000
    assert info["parameters"] < 500_000
    assert (checkpoint.WEIGHTS_DIR / "cnn" / "model.safetensors").stat().st_size < 10 * 2**20


def test_judge_reads_the_sample():
    images, labels = load_sample()
    pred, conf = cnn.judge(to_float(images))
    assert pred.shape == (200,) and pred.dtype == torch.int64
    assert conf.shape == (200,) and conf.dtype == torch.float32
    assert ((conf > 0) & (conf <= 1)).all() and conf.min() >= 0.1  # >= 1/10 always
    assert (pred == labels).float().mean() >= 0.985


def test_probabilities_sum_to_one_and_agree_with_judge():
    x = to_float(load_sample()[0][:7])
    p = cnn.probabilities(x)
    assert p.shape == (7, 10) and torch.allclose(p.sum(-1), torch.ones(7), atol=1e-5)
    labels, conf = cnn.judge(x)
    assert torch.equal(p.argmax(-1), labels) and torch.allclose(p.max(-1).values, conf)
    assert cnn.probabilities(torch.zeros(0, 1, 28, 28)).shape == (0, 10)


def test_judge_rejects_wrong_shape():
    with pytest.raises(ValueError, match=r"\(N, 1, 28, 28\)"):
        cnn.judge(torch.rand(3, 28, 28))


def test_feature_maps_and_kernels():
    model = cnn.judge_model()
    c1, c2, c3 = model.config.channels
    maps = cnn.feature_maps(model, to_float(load_sample()[0][:2]))
    assert [(n, tuple(t.shape)) for n, t in maps] == [
        ("block1.relu", (2, c1, 28, 28)), ("block1.pool", (2, c1, 14, 14)),
        ("block2.relu", (2, c2, 14, 14)), ("block2.pool", (2, c2, 7, 7)),
        ("block3.relu", (2, c3, 7, 7)), ("block3.pool", (2, c3, 3, 3))]
    assert all((t >= 0).all() for _, t in maps)  # after ReLU
    assert cnn.first_kernels(model).shape == (c1, 1, 3, 3)


def test_feature_maps_match_forward():
    """Running the blocks by hand and then the head gives the model's own logits."""
    model = cnn.judge_model()
    x = to_float(load_sample()[0][:4])
    last = cnn.feature_maps(model, x)[-1][1]
    with torch.inference_mode():
        assert torch.allclose(model.head(last), model(x), atol=1e-5)


def test_shift_augmentation_moves_pixels():
    x = torch.zeros(3, 1, 28, 28)
    x[:, 0, 14, 14] = 1
    y = cnn._shift(x, 2, torch.Generator().manual_seed(0))
    assert y.shape == x.shape and torch.equal(y.sum((1, 2, 3)), torch.ones(3))
    pos = y[:, 0].flatten(1).argmax(1)
    assert ((pos // 28 - 14).abs() <= 2).all() and ((pos % 28 - 14).abs() <= 2).all()
