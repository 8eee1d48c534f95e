"""VAE Latent Walk tab through its API (gradio_client) and in a real browser (en and ko).

Needs the committed checkpoints weights/vae (this tab) and weights/cnn (the judge)."""
from __future__ import annotations

import re

import numpy as np
import pytest
import torch
from PIL import Image

from core.checkpoint import WEIGHTS_DIR
from tests.conftest import drawn_one

pytestmark = pytest.mark.skipif(not (WEIGHTS_DIR / "vae" / "model.safetensors").is_file()
                                or not (WEIGHTS_DIR / "cnn" / "model.safetensors").is_file(),
                                reason="weights/vae or weights/cnn not committed yet")


def _pixels(path) -> np.ndarray:
    with Image.open(path) as im:
        return np.asarray(im.convert("L"), dtype=np.int16)


def _model():
    from core.checkpoint import load

    return load(WEIGHTS_DIR / "vae")[0]


def _decoded_u8(z) -> np.ndarray:
    with torch.inference_mode():
        img = _model().decode(torch.as_tensor(z, dtype=torch.float32).reshape(-1, 2))
    return (img.clamp(0, 1).numpy() * 255).round().astype(np.int16)   # (B, 1, 28, 28)


def test_decode_returns_the_decoder_output_and_a_verdict(client):
    picture, verdict, probs, map_path = client.predict(0.5, -1.0, "en", api_name="/vae_decode")
    pix = _pixels(picture)
    assert pix.shape == (224, 224)
    np.testing.assert_array_equal(pix[::8, ::8], _decoded_u8([0.5, -1.0])[0, 0])      # exact, 8x nearest
    assert "z = (0.50, -1.00)" in verdict and "CNN" in verdict
    assert probs["label"] in [str(d) for d in range(10)] and len(probs["confidences"]) == 3
    assert probs["label"] in verdict
    with Image.open(map_path) as im:
        assert im.size == (600, 540)


def test_sample_is_seeded_and_decoded(client):
    a = client.predict(7, "en", api_name="/vae_sample")
    b = client.predict(7, "en", api_name="/vae_sample")
    from core.vae import sample_eps

    expected = [round(v, 2) for v in sample_eps((2,), 7).tolist()]
    assert a[:2] == b[:2] and list(a[:2]) == pytest.approx(expected, abs=1e-9)
    assert f"z = ({expected[0]:.2f}, {expected[1]:.2f})" in a[3]


def test_manifold_cells_are_decoded_grid_points(client):
    picture, caption, _ = client.predict(20, 3.0, "linear", "en", api_name="/vae_manifold")
    pix = _pixels(picture)
    assert pix.shape == (560, 560)
    top_left, bottom_right = _decoded_u8([[-3.0, 3.0], [3.0, -3.0]])
    np.testing.assert_array_equal(pix[:28, :28], top_left[0])
    np.testing.assert_array_equal(pix[-28:, -28:], bottom_right[0])
    assert "20 × 20" in caption and "-3" in caption
    ko = client.predict(5, 2.0, "gaussian", "ko", api_name="/vae_manifold")[1]
    assert "가우시안 분위수" in ko and "5 × 5" in ko


def test_interpolation_endpoints_equal_the_decoded_endpoints(client):
    from core.data import load_sample, to_float

    steps = 7
    strip, gif, _, table, caption = client.predict(1, 0, None, "spherical", steps, "en",
                                                   api_name="/vae_interpolate")
    images, _ = load_sample()
    with torch.inference_mode():
        mu = _model().encode(to_float(images[[1, 0]]))[0]
    ends = _decoded_u8(mu)
    pix = _pixels(strip)
    scale = pix.shape[0] // 28
    assert pix.shape == (28 * scale, (steps * 28 + (steps - 1) * 2) * scale)
    np.testing.assert_array_equal(pix[::scale, :28 * scale:scale], ends[0, 0])
    np.testing.assert_array_equal(pix[::scale, -28 * scale::scale], ends[1, 0])
    rows = table["data"]
    assert len(rows) == steps and rows[0][1] == 0 and rows[-1][1] == 1
    assert [rows[0][2], rows[0][3]] == pytest.approx(mu[0].tolist(), abs=1e-3)
    assert [rows[-1][2], rows[-1][3]] == pytest.approx(mu[1].tolist(), abs=1e-3)
    with Image.open(gif) as g:
        assert g.n_frames == 2 * steps - 2
    assert "spherical" in caption


def test_encode_shows_the_reparameterization_and_the_loss_split(client):
    from core.data import load_sample, to_float
    from core.vae import sample_eps

    seen, recon, numbers, _ = client.predict("sample", 3, None, 11, "en", api_name="/vae_encode")
    x = to_float(load_sample()[0][3:4])
    with torch.inference_mode():
        out = _model()(x, sample_eps((1, 2), 11))
    z = [float(v) for v in re.search(r"\*\*z = μ \+ σ · ε\*\* \| \*\*(-?[\d.]+)\*\* \| \*\*(-?[\d.]+)\*\*", numbers).groups()]
    assert z == pytest.approx(out["z"][0].tolist(), abs=1e-4)
    assert f"= **{float(out['recon'][0]):.2f}**" in numbers and f"= **{float(out['kl'][0]):.3f}**" in numbers
    np.testing.assert_array_equal(_pixels(recon)[::8, ::8],
                                  (torch.sigmoid(out["logits"])[0, 0].numpy() * 255).round().astype(np.int16))


@pytest.mark.skipif(not (WEIGHTS_DIR / "vae16" / "model.safetensors").is_file(), reason="weights/vae16 missing")
def test_16d_model_decodes_and_samples(client):
    from core.checkpoint import load
    from core.vae import sample_eps

    z = [0.0] * 16
    z[3] = 1.5
    picture, verdict, _ = client.predict(*z, "en", api_name="/vae16_decode")
    with torch.inference_mode():
        ref = load(WEIGHTS_DIR / "vae16")[0].decode(torch.tensor([z]))
    np.testing.assert_array_equal(_pixels(picture)[::8, ::8], (ref[0, 0].numpy() * 255).round().astype(np.int16))
    assert "z (16-D)" in verdict
    out = client.predict(5, "ko", api_name="/vae16_sample")
    expected = [round(min(max(v, -4), 4), 2) for v in sample_eps((16,), 5).tolist()]
    assert list(out[:16]) == pytest.approx(expected) and "CNN은" in out[17]


@pytest.mark.parametrize("api,args,fragment", [
    # sliders: Gradio itself refuses values outside the slider (the UI cannot send them)
    ("/vae_interpolate", (1, 0, None, "linear", 0, "en"), "less than minimum value 2"),
    ("/vae_interpolate", (1, 0, None, "linear", 10_000, "ko"), "greater than maximum value 32"),
    ("/vae_decode", (9.0, 0.0, "en"), "greater than maximum value 4"),
    ("/vae_manifold", (10_000, 3.0, "linear", "en"), "greater than maximum value 30"),
    # what gets past the slider is checked by the studio, in the visitor's language
    ("/vae_interpolate", (1, 0, None, "linear", 2.5, "en"), "Steps must be a whole number; got 2.5"),
    ("/vae_interpolate", (1, -1, None, "linear", 5, "en"), "The sketch is empty"),
    ("/vae_interpolate", (1, 0, None, "zigzag", 5, "en"), "is not in the list of choices"),
    ("/vae_decode", ("abc", 0.0, "ko"), "Could not preprocess input component"),
    ("/vae_encode", ("sketch", 3, None, 0, "ko"), "스케치가 비어 있습니다"),
    ("/vae_encode", ("sample", 3, None, -5, "en"), "less than minimum value 0"),
])
def test_bad_input_gets_a_clear_message(client, api, args, fragment):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError) as err:
        client.predict(*args, api_name=api)
    assert fragment in str(err.value)
    assert client.predict(0.0, 0.0, "en", api_name="/vae_decode")[1]      # still running


@pytest.mark.parametrize("fn,args,fragment", [
    ("vae_interpolate", (1, 0, None, "linear", 0, "en"), "Steps must be between 2 and 32; got 0"),
    ("vae_interpolate", (1, 0, None, "linear", 10_000, "ko"), "단계 수은(는) 2부터 32 사이여야 합니다. 입력값: 10000"),
    ("vae_decode", (9.0, 0.0, "en"), "z1 must be between -4 and 4; got 9"),
    ("vae_decode", (float("nan"), 0.0, "ko"), "z1: 'nan'은(는) 숫자가 아닙니다"),
    ("vae_manifold", (10_000, 3.0, "linear", "ko"), "격자 크기은(는) 2부터 30 사이여야 합니다"),
    ("vae_encode", ("sample", 200, None, 0, "en"), "Test digit '200' is not one of the 200 committed samples"),
    ("vae_encode", ("sample", 3, None, -5, "en"), "Seed must be between 0 and 2147483647; got -5"),
    ("vae_interpolate", (1, 0, None, "zigzag", 5, "ko"), "보간 방식: 'zigzag'은(는) linear, spherical 중 하나가 아닙니다"),
])
def test_callbacks_refuse_out_of_range_values_in_the_visitors_language(fn, args, fragment):
    import gradio as gr

    import demos.vae as tab

    with pytest.raises(gr.Error) as err:
        getattr(tab, fn)(*args)
    assert fragment in str(err.value)


def test_encode_a_drawing(client, tmp_path):
    _, sketch = drawn_one(tmp_path, rows=(50, 230))
    seen, recon, numbers, _ = client.predict("sketch", 0, sketch, 0, "en", api_name="/vae_encode")
    assert _pixels(seen).shape == (224, 224) and "The CNN reads the input as **1**" in numbers


# ------------------------------------------------------------------------- browser

def test_browser_decode_manifold_encode(page):
    from tests.conftest import open_tab, screenshot

    ko = page.lang == "ko"
    open_tab(page, "vae")
    assert page.locator("#tab-vae-button").inner_text().strip() == ("VAE 잠재 공간 산책" if ko else "VAE Latent Walk")
    verdict = page.locator("#vae-verdict")
    verdict.get_by_text("z = (0.00, 0.00)").wait_for(timeout=30_000)      # decoded on page load
    page.get_by_role("button", name="z ~ N(0, I) 샘플링" if ko else "Sample z ~ N(0, I)").click()
    verdict.get_by_text("z = (1.54, -0.29)").wait_for(timeout=30_000)     # seed 0: eps = (1.5410, -0.2934)
    assert page.locator("#vae-z1 input[type=number]").input_value() == "1.54"
    assert ("CNN은" if ko else "the CNN") in verdict.inner_text()
    page.locator("#vae-map img").wait_for(timeout=30_000)
    box = page.locator("#vae-map img").bounding_box()
    before = verdict.inner_text()
    page.mouse.click(box["x"] + box["width"] * 0.55, box["y"] + box["height"] * 0.4)   # click the map
    for _ in range(60):                                  # the verdict follows the clicked point
        if "z = (1.54, -0.29)" not in verdict.inner_text():   # (!= before: a progress overlay changes the text too)
            break
        page.wait_for_timeout(500)
    z1, z2 = (float(v) for v in re.search(r"z = \((-?[\d.]+), (-?[\d.]+)\)", verdict.inner_text()).groups())
    assert 0.5 < z1 < 0.9 and 0.5 < z2 < 1.0, (before, verdict.inner_text())   # 55% across, 40% down
    screenshot(page, "vae-decode")
    assert page.locator(".toast-body.error").count() == 0

    page.get_by_role("tab", name="매니폴드" if ko else "Manifold").click()
    page.locator("#vae-manifold-run").click()
    page.locator("#vae-manifold-caption").get_by_text("20 × 20").wait_for(timeout=30_000)
    screenshot(page, "vae-manifold")

    page.get_by_role("tab", name="보간" if ko else "Interpolation").click()
    page.locator("#vae-interp-run").click()
    page.locator("#vae-interp-caption").get_by_text("μ(A)").wait_for(timeout=30_000)
    page.locator("#vae-gif img").wait_for(timeout=30_000)
    screenshot(page, "vae-interp")

    page.get_by_role("tab", name="숫자 인코딩" if ko else "Encode a digit").click()
    page.locator("#vae-sketch button[aria-label=Brush]").click()
    canvas = page.locator("#vae-sketch canvas").first
    canvas.wait_for(timeout=30_000)
    c = canvas.bounding_box()
    page.mouse.move(c["x"] + c["width"] * 0.5, c["y"] + c["height"] * 0.2)      # a vertical stroke: "1"
    page.mouse.down()
    for k in range(1, 11):
        page.mouse.move(c["x"] + c["width"] * 0.5, c["y"] + c["height"] * (0.2 + 0.06 * k))
    page.mouse.up()
    page.wait_for_timeout(800)
    page.get_by_label("내 그림" if ko else "my drawing").check()
    page.locator("#vae-encode-run").click()
    page.locator("#vae-numbers").get_by_text("z = μ + σ · ε").wait_for(timeout=30_000)
    numbers = page.locator("#vae-numbers").inner_text()
    assert ("재구성 항" if ko else "reconstruction") in numbers
    assert ("입력을 1" if ko else "reads the input as 1") in numbers          # the drawn stroke, read as a 1
    screenshot(page, "vae-encode")
    assert page.locator(".toast-body.error").count() == 0
