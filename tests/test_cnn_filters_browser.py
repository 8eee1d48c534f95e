"""CNN Filters in a real browser, in English and Korean: the worksheet, a photo filter, the
parameter tables, a drawn digit's feature maps, and a bad kernel cell's message."""
import re

import pytest

from tests.conftest import open_tab, screenshot, set_number

TEXT = {
    "en": {"compute": "Compute", "stride": "Stride s", "photo": "2. Filters on photos", "max": "max",
           "params": "4. Counting parameters", "cnn": "3. What a trained CNN sees", "bad": "is not a number",
           "bottleneck": "ResNet bottleneck", "pool": "pool"},
    "ko": {"compute": "계산", "stride": "스트라이드 s", "photo": "2. 사진에 필터 적용", "max": "최대",
           "params": "4. 파라미터 세기", "cnn": "3. 학습된 CNN이 보는 것", "bad": "숫자가 아닙니다",
           "bottleneck": "ResNet 병목 블록", "pool": "풀링"},
}


def test_worksheet_stride_and_walk(page):
    txt = TEXT[page.lang]
    open_tab(page, "cnn_filters")
    page.get_by_text(txt["stride"]).first.wait_for(timeout=15_000)
    out = page.locator("#cnn-out")
    assert "4" in out.inner_text() and "3" in out.inner_text()
    set_number(page, "cnn-stride", 2)
    page.locator("#cnn-arith-run").click()
    page.wait_for_function("document.querySelector('#cnn-size').innerText.includes('⌊2 / 2⌋ + 1 = 2')",
                           timeout=30_000)
    rows = [r.inner_text().split("\t") for r in out.locator("tbody tr").all()]
    assert [[c.strip() for c in r] for r in rows] == [["0", "4", "4"], ["1", "2", "4"]]
    assert page.locator("#cnn-sum").inner_text().strip().endswith("= 4")
    set_number(page, "cnn-cell", 2)    # walk the window to y[1, 0]
    page.wait_for_function("document.querySelector('#cnn-sum').innerText.startsWith('y[1, 0] = ')",
                           timeout=30_000)
    assert page.locator("#cnn-sum").inner_text().strip().endswith("= 2")
    page.locator("#cnn-picture img").wait_for(timeout=15_000)
    assert page.locator(".toast-body").count() == 0
    screenshot(page, "cnn_filters-arithmetic")


def test_bad_kernel_cell_message(page):
    open_tab(page, "cnn_filters")
    kernel = page.locator("#cnn-kernel textarea")
    kernel.fill("1 0 1\n0 x 0\n1 0 1")
    page.locator("#cnn-arith-run").click()
    toast = page.locator(".toast-body").first
    toast.wait_for(timeout=20_000)
    assert TEXT[page.lang]["bad"] in toast.inner_text()
    screenshot(page, "cnn_filters-bad-kernel")


def test_photo_filter_with_pooling(page):
    txt = TEXT[page.lang]
    open_tab(page, "cnn_filters")
    page.locator("#cnn-photo-button").click()
    line = page.locator("#cnn-photo-line")
    line.wait_for(timeout=15_000)
    assert "512 × 512 × 1" in line.inner_text()
    page.get_by_label(txt["max"], exact=True).check()
    page.wait_for_function("document.querySelector('#cnn-photo-line').innerText.includes('256 × 256')",
                           timeout=30_000)
    assert txt["pool"] in line.inner_text()
    page.locator("#cnn-photo-out img").wait_for(timeout=15_000)
    page.locator("#cnn-preset input").click()
    page.get_by_role("option", name="Laplacian" if page.lang == "en" else "라플라시안").click()
    page.wait_for_function("document.querySelector('#cnn-photo-kernel textarea').value === '0 1 0\\n1 -4 1\\n0 1 0'",
                           timeout=30_000)
    page.wait_for_timeout(800)   # the histogram's vega view draws after the data arrives
    assert page.locator(".toast-body").count() == 0
    screenshot(page, "cnn_filters-photo")


def test_parameter_tables(page):
    txt = TEXT[page.lang]
    open_tab(page, "cnn_filters")
    page.locator("#cnn-params-button").click()
    layer = page.locator("#cnn-layer")
    layer.wait_for(timeout=15_000)
    assert "73,792" in layer.inner_text()
    set_number(page, "cnn-params-channels", 512)
    page.locator("#cnn-params-run").click()
    page.wait_for_function("document.querySelector('#cnn-compare').innerText.includes('C = 512')", timeout=30_000)
    assert txt["bottleneck"] in page.locator("#cnn-compare").inner_text()
    screenshot(page, "cnn_filters-params")


def test_drawn_digit_feature_maps(page):
    from core.checkpoint import load_cached

    try:
        load_cached("cnn")
    except Exception as err:  # noqa: BLE001
        pytest.skip(f"CNN weights not available: {err}")
    open_tab(page, "cnn_filters")
    page.locator("#cnn-net-button").click()
    sketch = page.locator("#cnn-sketch")
    sketch.get_by_role("button", name=re.compile("brush|브러시", re.I)).first.click()
    canvas = sketch.locator("canvas").first
    canvas.wait_for(timeout=15_000)
    box = canvas.bounding_box()
    x0, y0, w, h = box["x"], box["y"], box["width"], box["height"]
    # a "1": one vertical stroke down the middle
    page.mouse.move(x0 + 0.5 * w, y0 + 0.2 * h)
    page.mouse.down()
    for k in range(1, 21):
        page.mouse.move(x0 + 0.5 * w, y0 + (0.2 + 0.03 * k) * h)
    page.mouse.up()
    page.wait_for_timeout(1500)
    screenshot(page, "cnn_filters-digit-drawn")
    truth = "true label" if page.lang == "en" else "정답"
    page.wait_for_function(f"document.querySelector('#cnn-pred').innerText.includes('%') && "
                           f"!document.querySelector('#cnn-pred').innerText.includes('{truth}')", timeout=30_000)
    page.locator("#cnn-maps img").first.wait_for(timeout=15_000)
    assert page.locator(".toast-body").count() == 0
    screenshot(page, "cnn_filters-digit")


def test_upload_is_used_and_downscaled(page, tmp_path):
    from PIL import Image, ImageDraw

    path = tmp_path / "wide.png"
    im = Image.new("RGB", (1600, 400), "white")
    ImageDraw.Draw(im).rectangle((300, 100, 1300, 300), fill=(20, 40, 200))
    im.save(path)
    open_tab(page, "cnn_filters")
    page.locator("#cnn-photo-button").click()
    page.locator("#cnn-upload input[type=file]").set_input_files(str(path))
    page.wait_for_function("document.querySelector('#cnn-photo-line').innerText.includes('1024 x 256')",
                           timeout=30_000)
    assert "256 × 1024 × 1" in page.locator("#cnn-photo-line").inner_text()
    assert page.locator(".toast-body").count() == 0
    screenshot(page, "cnn_filters-upload")
