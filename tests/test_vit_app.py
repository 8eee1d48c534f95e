"""The ViT Patches tab through gradio_client (every api_name) and in a real browser (en, ko)."""
import numpy as np
import pytest
from PIL import Image

from tests.conftest import drawn_one, open_tab, screenshot, set_number

DIGIT = ("sample", 0, None, "chelsea", None)  # MNIST test image #0, a 7


def _error(client, *args, api_name):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError) as err:
        client.predict(*args, api_name=api_name)
    return str(err.value)


def test_api_names_are_listed(client):
    names = set(client.view_api(print_info=False, return_format="dict")["named_endpoints"])
    assert {"/vit_patches", "/vit_attention", "/vit_position", "/vit_source"} <= names


def test_patches_of_a_digit_with_the_users_numbers(client):
    grid, seq, text = client.predict(*DIGIT, 7, 64, "en", api_name="/vit_patches")
    assert "N = HW / P² = 28·28 / 7² = 16" in text and "P²C = 7²·1 = 49" in text
    assert "| (49, 64), 3,200 parameters" in text and "(17, 64) = z₀" in text
    assert Image.open(grid).size[0] > 300 and Image.open(seq).size[0] > 600
    text = client.predict("photo", 0, None, "astronaut", None, 16, 768, "ko", api_name="/vit_patches")[2]
    assert "224·224 / 16² = 196" in text and "(197, 768) = z₀" in text and "패치" in text


def test_patch_size_that_does_not_divide_gets_a_clear_message(client):
    msg = _error(client, *DIGIT, 5, 64, "en", api_name="/vit_patches")
    assert "does not divide the 28 × 28 image" in msg and "1, 2, 4, 7, 14, 28" in msg
    msg = _error(client, *DIGIT, 10, 64, "ko", api_name="/vit_patches")
    assert "나누어떨어지게" in msg
    assert "between 1 and 8192" in _error(client, *DIGIT, 7, 1e9, "en", api_name="/vit_patches")


def test_attention_view_predicts_the_digit_and_shows_rollout(client):
    mosaic, overlay, label, note = client.predict(*DIGIT, "mnist", "max", 0.9, "en", api_name="/vit_attention")
    assert label["label"] == "7" and label["confidences"][0]["confidence"] > 0.5
    assert "Prediction: 7" in note and "Strongest patch: #" in note
    assert Image.open(mosaic).size[0] > 300 and Image.open(overlay).size[0] > 300


def test_attention_bad_input_gets_clear_messages(client, tmp_path):
    assert "0.99" in _error(client, *DIGIT, "mnist", "mean", 1.5, "en", api_name="/vit_attention")  # gradio's slider check
    assert "median" in _error(client, *DIGIT, "mnist", "median", 0.0, "en", api_name="/vit_attention")
    from gradio_client import handle_file

    fake = tmp_path / "digit.png"
    fake.write_text("this is not a picture")
    msg = _error(client, "upload", 0, None, "chelsea", handle_file(str(fake)), "mnist", "mean", 0.0, "ko",
                 api_name="/vit_attention")
    assert "이미지 파일이 아닙니다" in msg
    msg = _error(client, "sample", 0, None, "chelsea", None, "hub", "mean", 0.0, "en", api_name="/vit_attention")
    assert "not in this machine's Hugging Face cache" in msg
    # the app keeps answering
    assert client.predict(*DIGIT, "mnist", "mean", 0.0, "en", api_name="/vit_attention")[2]["label"] == "7"


def test_uploaded_dark_on_light_digit_is_read(client, tmp_path):
    from gradio_client import handle_file

    from core.data import load_sample

    images, labels = load_sample()
    i = int((labels == 3).nonzero()[0])
    paper = np.kron(255 - images[i].numpy(), np.ones((8, 8), np.uint8))  # 224 x 224, black ink on white
    path = tmp_path / "three.png"
    Image.fromarray(paper).save(path)
    label = client.predict("upload", 0, None, "chelsea", handle_file(str(path)), "mnist", "mean", 0.0, "en",
                           api_name="/vit_attention")[2]
    assert label["label"] == "3"


def test_position_similarity(client):
    image, note = client.predict("mnist", "ko", api_name="/vit_position")
    assert Image.open(image).size[0] > 300 and "격자 이웃 4개" in note


def test_vit_tab_in_the_browser(page):
    ko = page.lang == "ko"
    open_tab(page, "vit")
    page.locator("#vit-attend").click()
    page.locator("#vit-position-btn").click()
    page.locator("#vit-patchify").click()
    page.wait_for_selector("#vit-shapes table", timeout=60_000)
    page.wait_for_selector("#vit-attn-note strong", timeout=60_000)
    page.wait_for_selector("#vit-position img", timeout=60_000)
    page.wait_for_timeout(500)
    shapes = page.locator("#vit-shapes").inner_text()
    assert "28·28 / 7² = 16" in shapes
    assert ("패치" in shapes) if ko else ("patches" in shapes)
    note = page.locator("#vit-attn-note").inner_text()
    assert ("예측: 7" in note) if ko else ("Prediction: 7" in note)
    pred = page.locator("#vit-pred").inner_text().split("\n")
    assert pred[0] == ("예측" if ko else "Prediction") and pred[1] == "7"
    assert ("패치 크기" if ko else "Patch size") in page.locator("#vit-patch").inner_text()
    assert page.locator(".toast-body").count() == 0
    screenshot(page, "vit")
    # a patch size that does not divide 28: a translated error toast, the page stays usable
    set_number(page, "vit-patch", 5)
    page.locator("#vit-patchify").click()
    toast = page.locator(".toast-body")
    toast.first.wait_for(timeout=30_000)
    assert ("나누어떨어지게" if ko else "does not divide") in toast.first.inner_text()
    screenshot(page, "vit-error")


def test_drawn_digit_through_the_api(client, tmp_path):
    _, sketch = drawn_one(tmp_path)
    _, _, text = client.predict("draw", 0, sketch, "chelsea", None, 7, 64, "en", api_name="/vit_patches")
    assert "28·28 / 7² = 16" in text
    label = client.predict("draw", 0, sketch, "chelsea", None, "mnist", "mean", 0.0, "en",
                           api_name="/vit_attention")[2]
    assert label["label"] == "1"
    msg = _error(client, "draw", 0, None, "chelsea", None, 7, 64, "ko", api_name="/vit_patches")
    assert "스케치가 비어 있습니다" in msg


def test_too_many_patches_is_refused(client):
    msg = _error(client, "photo", 0, None, "coffee", None, 1, 64, "en", api_name="/vit_patches")
    assert "50176 patches" in msg and "at most 4096" in msg


def test_hub_model_views_from_a_local_folder(monkeypatch, tmp_path):
    """The 'hub' choice with $DEEP_STUDIO_VIT_HUB pointing at a saved (tiny, random) ViT."""
    import torch
    from transformers import ViTConfig, ViTForImageClassification

    from core import vit as vm
    from demos import vit as dv

    torch.manual_seed(0)
    config = ViTConfig(image_size=32, patch_size=8, hidden_size=24, num_hidden_layers=2, num_attention_heads=2,
                       intermediate_size=32, num_labels=3, id2label={0: "cat", 1: "dog", 2: "rocket"},
                       label2id={"cat": 0, "dog": 1, "rocket": 2})
    ViTForImageClassification(config).save_pretrained(tmp_path)
    monkeypatch.setenv(vm.HUB_ENV, str(tmp_path))
    mosaic, overlay, label, note = dv.attention_view("photo", 0, None, "chelsea", None, "hub", "min", 0.5, "en")
    assert set(label) == {"cat", "dog", "rocket"} and abs(sum(label.values()) - 1) < 1e-5
    assert mosaic.shape[2] == 3 and overlay.shape[2] == 3
    image, text = dv.position_view.__wrapped__("hub", "en")
    assert image.shape[2] == 3 and "4 grid neighbours" in text


def test_vit_drawn_seven_in_the_browser(page):
    import re

    ko = page.lang == "ko"
    open_tab(page, "vit")
    page.locator("#vit-source label").nth(1).click()  # "Draw a digit"
    sketch = page.locator("#vit-sketch")
    sketch.get_by_role("button", name=re.compile("brush|브러시", re.I)).first.click()
    canvas = sketch.locator("canvas").first
    canvas.wait_for(timeout=15_000)
    box = canvas.bounding_box()
    x0, y0, w, h = box["x"], box["y"], box["width"], box["height"]
    page.mouse.move(x0 + 0.3 * w, y0 + 0.25 * h)  # a "7": the bar, then the diagonal
    page.mouse.down()
    page.mouse.move(x0 + 0.7 * w, y0 + 0.25 * h, steps=20)
    page.mouse.move(x0 + 0.45 * w, y0 + 0.8 * h, steps=25)
    page.mouse.up()
    page.wait_for_timeout(800)
    screenshot(page, "vit-drawing")
    page.locator("#vit-attend").click()
    page.wait_for_function("document.querySelector('#vit-attn-note').innerText.includes('%')", timeout=60_000)
    note = page.locator("#vit-attn-note").inner_text()
    screenshot(page, "vit-drawn")
    assert (("예측: 7" in note) if ko else ("Prediction: 7" in note)), note
    assert page.locator(".toast-body").count() == 0
