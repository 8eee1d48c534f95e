"""core.filters: preset kernels, photos, uploads, and the filter pipeline against torch/scipy."""
import numpy as np
import pytest
import torch
import torch.nn.functional as F
from PIL import Image
from scipy import ndimage

from core import filters
from core.errors import StudioError


def test_presets_are_the_textbook_kernels():
    k = {n: np.array(v, dtype=float) for n, v in filters.PRESETS.items()}
    for name in ("box_blur", "box_blur_5", "gaussian", "gaussian_5", "identity", "sharpen"):
        assert k[name].sum() == pytest.approx(1.0), name   # brightness kept
    for name in ("sobel_x", "sobel_y", "laplacian", "outline"):
        assert k[name].sum() == 0, name                     # flat regions -> 0
    assert k["gaussian_5"][2, 2] == pytest.approx(36 / 256)
    assert np.array_equal(k["sobel_y"], k["sobel_x"].T)
    assert np.array_equal(k["sharpen"], k["identity"] - k["laplacian"])


def test_photos_load_offline():
    for name in filters.PHOTOS:
        img = filters.load_photo(name)
        assert img.dtype == np.uint8 and img.ndim in (2, 3)
    assert filters.load_photo("camera").shape == (512, 512)
    with pytest.raises(StudioError):
        filters.load_photo("../etc/passwd")


def test_gray_is_skimage_rgb2gray():
    from skimage.color import rgb2gray

    img = filters.load_photo("astronaut")
    x = filters.to_channels(img, "gray")
    assert x.shape == (1, 512, 512)
    assert np.allclose(x[0].numpy() / 255, rgb2gray(img), atol=1e-5)
    assert filters.to_channels(filters.load_photo("camera"), "rgb").shape == (3, 512, 512)


def test_sobel_matches_scipy_correlate():
    img = filters.load_photo("camera")
    x = filters.to_channels(img, "gray")
    k = torch.tensor(filters.PRESETS["sobel_x"])
    y = filters.apply_filter(x, k, padding=1)
    ref = ndimage.correlate(img.astype(np.float64), np.array(filters.PRESETS["sobel_x"]), mode="constant")
    assert y.shape == (1, 512, 512)
    assert np.allclose(y[0].numpy(), ref, atol=1e-3)


def test_rgb_is_depthwise_and_pipeline_matches_torch():
    x = filters.to_channels(filters.load_photo("coffee"), "rgb")   # (3, 400, 600)
    k = torch.tensor(filters.PRESETS["emboss"], dtype=torch.float32)
    y = filters.apply_filter(x, k, stride=2, padding=0, relu=True, pool="max")
    per_channel = [F.conv2d(x[c][None, None], k[None, None], stride=2)[0, 0] for c in range(3)]
    ref = F.max_pool2d(F.relu(torch.stack(per_channel))[None], 2)[0]
    assert y.shape == (3, 99, 149) and torch.allclose(y, ref)
    avg = filters.apply_filter(x, k, pool="avg")
    assert avg.shape == (3, 199, 299)


def test_window_too_big():
    with pytest.raises(StudioError) as err:
        filters.apply_filter(torch.zeros(1, 2, 2), torch.zeros(3, 3))
    assert err.value.key == "cnn_filters.window_too_big"


def test_display_mapping_and_histogram():
    y = torch.tensor([[[-10.0, 0.0], [5.0, 30.0]]])
    img, how = filters.to_display(y)
    assert how == "rescale" and img.tolist() == [[0, 64], [96, 255]]
    img, how = filters.to_display(y, "clip")
    assert how == "clip" and img.tolist() == [[0, 0], [5, 30]]
    assert filters.to_display(y.clamp(0), "auto")[1] == "clip"
    counts, edges = filters.histogram(y, bins=4)
    assert counts.tolist() == [1, 2, 0, 1] and edges[0] == -10 and edges[-1] == 30


def test_upload_checks(tmp_path):
    big = tmp_path / "big.png"
    Image.new("L", (1500, 600), 128).save(big)
    img, note = filters.load_upload(str(big))
    assert img.shape == (410, 1024, 3)
    assert note == ("common.image_downscaled", dict(width=1500, height=600, new_width=1024, new_height=410))
    small = tmp_path / "s.jpg"
    Image.new("RGB", (40, 30), (10, 20, 30)).save(small)
    img, note = filters.load_upload(str(small))
    assert img.shape == (30, 40, 3) and note is None
    huge = tmp_path / "huge.png"
    Image.new("1", (10_000, 10_000)).save(huge)
    with pytest.raises(StudioError) as err:
        filters.load_upload(str(huge))
    assert err.value.key == "common.image_too_large" and err.value.params["width"] == 10_000
    text = tmp_path / "notes.png"
    text.write_text("not an image at all")
    with pytest.raises(StudioError) as err:
        filters.load_upload(str(text))
    assert err.value.key == "common.not_an_image"
