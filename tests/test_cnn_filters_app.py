"""CNN Filters through gradio_client: the worksheet numbers, a photo filter, parameter counts,
feature maps, and bad input answered in the visitor's language."""
import numpy as np
import pytest
from gradio_client import handle_file
from gradio_client.exceptions import AppError
from PIL import Image

from core import conv, filters
from demos.cnn_filters import GRID_DEFAULT, KERNEL_DEFAULT

SOBEL = conv.grid_text(filters.PRESETS["sobel_x"])


def arith(client, grid=GRID_DEFAULT, kernel=KERNEL_DEFAULT, s=1, p=0, d=1, cell=0, lang="en"):
    return client.predict(grid, kernel, s, p, d, cell, 2, 2, "input", lang, api_name="/conv_arithmetic")


def photo(client, name="camera", upload=None, kernel=SOBEL, mode="gray", s=1, p=1, relu=False, pool="none",
          lang="en"):
    return client.predict(name, upload, kernel, mode, s, p, relu, pool, "auto", lang, api_name="/conv_photo")


def test_worksheet_through_the_api(client):
    picture, size, table, cell_text, pooled, slider = arith(client, cell=1)
    assert "| **0** | 4 | 3 | 4 |" in table and "| **2** | 2 | 3 | 4 |" in table
    assert "⌊(5 + 2·0 − 1·(3 − 1) − 1) / 1⌋ + 1 = ⌊2 / 1⌋ + 1 = 3" in size
    assert cell_text == "y[0, 1] = 1·1 + 1·0 + 0·1 + 1·0 + 1·1 + 1·0 + 0·1 + 1·0 + 1·1 = 3"
    assert "| **0** | 1 | 1 |" in pooled   # 2x2 max pooling of the binary image
    assert np.asarray(Image.open(picture)).shape[2] in (3, 4)
    _, size, table, cell_text, _, _ = arith(client, s=2, cell=3)
    assert "| **1** | 2 | 4 |" in table and cell_text.endswith("= 4")
    steps = client.predict(GRID_DEFAULT, KERNEL_DEFAULT, 2, 0, 1, 2, "en", api_name="/conv_step")
    assert steps[1].startswith("y[1, 0] = ") and steps[1].endswith("= 2")


def test_leftover_note_and_korean(client):
    grid = "\n".join(" ".join(["1"] * 8) for _ in range(8))
    _, size, *_ = arith(client, grid=grid, s=3, lang="ko")
    assert "2개 행과 2개 열은 한 번도 방문되지 않습니다" in size


@pytest.mark.parametrize("kwargs,en,ko", [
    (dict(kernel="1 0 1\n0 x 0\n1 0 1"), "row 2, column 2: 'x' is not a number", "2행 2열: 'x'은(는) 숫자가 아닙니다"),
    (dict(s=0), "Stride s must be between 1 and 8; got 0.", "스트라이드 s은(는) 1부터 8 사이여야 합니다. 입력값: 0"),
    (dict(s=1.5), "Stride s must be a whole number; got 1.5.", "스트라이드 s은(는) 정수여야 합니다. 입력값: 1.5"),
    (dict(d=3), "spans d(k − 1) + 1 = 7 cells", "윈도우는 d(k − 1) + 1 = 7칸"),
    (dict(grid="1 2\n3"), "row 2 has 1 numbers", "2행에는 숫자가 1개"),
    (dict(kernel="nan 1\n1 1"), "'nan' is not a number", "'nan'은(는) 숫자가 아닙니다"),
])
def test_bad_arithmetic_input(client, kwargs, en, ko):
    for lang, text in (("en", en), ("ko", ko)):
        with pytest.raises(AppError) as err:
            arith(client, lang=lang, **kwargs)
        assert text in str(err.value)
    assert "= 3" in arith(client, cell=1)[3]   # still answering


def test_photo_filter_through_the_api(client):
    shown_in, shown, line, hist = photo(client)
    out = np.asarray(Image.open(shown))
    assert out.shape[:2] == (512, 512)
    assert "**512 × 512 × 1** → conv 3×3, s = 1, p = 1 → **512 × 512**" in line
    assert "min–max" in line       # Sobel output is signed, so it is stretched for display
    plot = hist.get("value", hist)
    count_col = plot["columns"].index("count")
    assert sum(row[count_col] for row in plot["data"]) == 512 * 512   # every output number counted once
    shown_in, shown, line, _ = photo(client, name="astronaut", kernel=conv.grid_text(filters.PRESETS["gaussian_5"]),
                                     mode="rgb", s=2, p=0, relu=True, pool="max")
    assert np.asarray(Image.open(shown)).shape == (127, 127, 3)
    assert "→ **254 × 254** → pool → **127 × 127**" in line


def test_uploads(client, tmp_path):
    big = tmp_path / "wide.png"
    Image.new("RGB", (1600, 400), (200, 30, 30)).save(big)
    _, shown, line, _ = photo(client, name="upload", upload=handle_file(str(big)), lang="ko")
    assert "1024 x 256로 줄였습니다" in line
    assert np.asarray(Image.open(shown)).shape[:2] == (256, 1024)
    huge = tmp_path / "huge.png"
    Image.new("1", (10_000, 10_000)).save(huge)
    with pytest.raises(AppError) as err:
        photo(client, name="upload", upload=handle_file(str(huge)))
    assert "10000 x 10000 pixels" in str(err.value)
    fake = tmp_path / "fake.png"
    fake.write_bytes(b"%PDF-1.4 definitely not a picture")
    with pytest.raises(AppError) as err:
        photo(client, name="upload", upload=handle_file(str(fake)), lang="ko")
    assert "이미지 파일이 아닙니다" in str(err.value)
    with pytest.raises(AppError) as err:
        photo(client, kernel="1 2\n3 4")
    assert "3×3 or 5×5" in str(err.value)


def test_kernel_preset(client):
    assert client.predict("laplacian", "en", api_name="/conv_kernel_preset") == "0 1 0\n1 -4 1\n0 1 0"


def test_params_through_the_api(client):
    layer, compare = client.predict(128, 64, 3, True, 56, 56, 1, 1, 256, "en", api_name="/conv_params")
    assert "3·3·128·64 + 64 = **73,792**" in layer
    assert "**73,728**" in layer
    assert "**69,632**" in compare and "**1,179,648**" in compare
    assert "16.9×" in compare
    with pytest.raises(AppError) as err:
        client.predict(128, 64, 3, True, 56, 56, 0, 1, 256, "ko", api_name="/conv_params")
    assert "스트라이드 s은(는) 1부터 8 사이여야 합니다. 입력값: 0" in str(err.value)


def test_feature_maps_of_a_sample_digit(client):
    pytest.importorskip("safetensors")
    from core import checkpoint  # noqa: F401

    try:
        digit, probs, line, gallery, kernels = client.predict(0, "en", api_name="/cnn_feature_maps")
    except AppError as err:
        pytest.skip(f"CNN weights not available yet: {err}")
    assert probs["label"] == "7" and "true label 7" in line   # test image 0 is a 7
    assert len(gallery) == 6 and "block1.relu" in gallery[0]["caption"]
    assert kernels


def test_feature_map_probabilities_equal_the_judge():
    """The tab reads the class probabilities off the last pooled maps (one forward pass);
    they must equal core.cnn.probabilities on the same image."""
    import torch

    from core import cnn
    from core.data import load_sample, to_float
    from demos.cnn_filters import cnn_sample

    try:
        cnn.judge_model()
    except Exception as err:  # noqa: BLE001
        pytest.skip(f"CNN weights not available: {err}")
    images, labels = load_sample()
    for i in (0, 57, 199):
        _, probs, line, gallery, _ = cnn_sample(i, "en")
        ref = cnn.probabilities(to_float(images[i:i + 1]))[0]
        assert torch.allclose(torch.tensor([probs[str(c)] for c in range(10)]), ref, atol=1e-6)
        assert [g[1].split(" · ")[0] for g in gallery] == [n for n, _ in cnn.feature_maps(
            cnn.judge_model(), to_float(images[i:i + 1]))]


def test_worksheet_reset(client):
    grid, kernel, s, p, d, cell = client.predict("ko", api_name="/conv_worksheet")
    assert grid.splitlines()[0] == "1 1 1 0 0" and kernel == "1 0 1\n0 1 0\n1 0 1"
    assert (s, p, d, cell) == (1, 0, 1, 0)
