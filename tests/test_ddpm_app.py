"""DDPM Denoising tab through its API (gradio_client) and in a real browser (en and ko).

Needs the committed checkpoints weights/ddpm (this tab) and weights/cnn (the judge)."""
from __future__ import annotations

import math

import numpy as np
import pytest
import torch
from PIL import Image

from core.checkpoint import WEIGHTS_DIR
from tests.conftest import drawn_one, open_tab, screenshot, set_number

pytestmark = pytest.mark.skipif(not (WEIGHTS_DIR / "ddpm" / "model.safetensors").is_file()
                                or not (WEIGHTS_DIR / "cnn" / "model.safetensors").is_file(),
                                reason="weights/ddpm or weights/cnn not committed yet")


def _pixels(path) -> np.ndarray:
    with Image.open(path) as im:
        return np.asarray(im.convert("L"), dtype=np.int16)


def test_forward_shows_the_closed_form_with_its_numbers(client):
    from core.data import load_sample, to_float
    from core.ddpm import Schedule

    picture, numbers, strip, plot = client.predict("sample", 3, None, "linear", 250, 7, "en",
                                                   api_name="/ddpm_forward")
    abar = Schedule(1000, "linear").alphas_cumprod[249].item()   # the paper's t = 250
    assert f"{math.sqrt(abar):.4f}\\cdot x_0 + {math.sqrt(1 - abar):.4f}" in numbers
    assert f"ᾱ_t = {abar:.6f}" in numbers and f"β_t = {1e-4 + 249 * (0.02 - 1e-4) / 999:.6f}" in numbers
    pix = _pixels(picture)
    scale = pix.shape[0] // 28
    x0 = to_float(load_sample()[0][3:4])[0, 0]
    np.testing.assert_array_equal(pix[::scale, :28 * scale:scale], (x0.numpy() * 255).round().astype(np.int16))
    eps = torch.randn((1, 1, 28, 28), generator=torch.Generator().manual_seed(7))
    x_t = math.sqrt(abar) * (x0 * 2 - 1) + math.sqrt(1 - abar) * eps[0, 0]
    right = pix[::scale, -28 * scale::scale]
    expect = (((x_t + 1) / 2).clamp(0, 1).numpy() * 255).round()
    assert np.abs(right - expect).max() <= 1
    from core.ddpm_plots import STRIP_TOP
    cells = _pixels(strip)                                               # eight cells, 4x, 8 px apart
    assert cells.shape[1] == 8 * 112 + 7 * 8
    np.testing.assert_array_equal(cells[STRIP_TOP:STRIP_TOP + 112:4, :112:4],      # t = 0: the digit
                                  (x0.numpy() * 255).round().astype(np.int16))
    assert cells[STRIP_TOP:STRIP_TOP + 112, -112:].std() > 50                      # t = 1000: noise
    ko = client.predict("sample", 3, None, "cosine", 1000, 7, "ko", api_name="/ddpm_forward")[1]
    assert "코사인" in ko and "분산이 1로" in ko
    assert "x_t = x_0" in client.predict("sample", 0, None, "linear", 0, 0, "en", api_name="/ddpm_forward")[1]


def test_sample_streams_to_the_same_digits_as_the_core_loop(client):
    from core import ddpm_sample as ds
    from core.checkpoint import load
    from core.cnn import judge
    from core.ddpm import Schedule

    frame, status, gallery, summary, gif = client.predict(3, 5, "ddim", 10, 0.0, "en", api_name="/ddpm_sample")
    assert status.startswith("Done: 10 steps") and "seed 5" in status
    assert "The CNN reads" in summary
    model, info = load(WEIGHTS_DIR / "ddpm")
    cfg = info["config_obj"]
    x0 = ds.run(model, Schedule(cfg.num_timesteps, cfg.schedule), 3, 5, "ddim", 10)
    expect = (((x0 + 1) / 2).clamp(0, 1).numpy() * 255).round().astype(np.int16)
    from core.ddpm_plots import GALLERY_TOP
    pix = _pixels(gallery)                    # one labelled picture: 3 digits in a row, 4x, 8 px apart
    cell, gap, top = 28 * 4, 8, GALLERY_TOP
    assert pix.shape[1] == 3 * cell + 4 * gap
    for k in range(3):
        left = gap + k * (cell + gap)
        assert np.abs(pix[top:top + cell:4, left:left + cell:4] - expect[k, 0]).max() <= 1
    labels, conf = judge(ds.to_unit(x0))
    for digit, count in enumerate(torch.bincount(labels, minlength=10).tolist()):
        assert (f"{digit}×{count}" in summary) == (count > 0)
    with Image.open(gallery) as im:
        rgb = np.asarray(im.convert("RGB"), dtype=np.int16)
    for k in range(3):                        # each reading is written in green (sure) or orange
        left = gap + k * (cell + gap)
        band = rgb[top + cell:top + cell + 26, left:left + cell].reshape(-1, 3)
        colour = (22, 130, 60) if conf[k] >= ds.SURE else (214, 110, 0)
        assert (np.abs(band - colour).sum(axis=1) < 30).sum() > 20
    with Image.open(gif) as g:
        assert g.n_frames >= 10
    from core.ddpm_plots import FRAME_TOP
    pix = _pixels(frame)
    assert pix.shape[1] > 2 * pix.shape[0]                              # x_t | x0_hat side by side
    assert pix[:FRAME_TOP].mean() > 200 and (pix[:FRAME_TOP] < 100).sum() > 50   # headings, dark on white


def test_ancestral_sampling_streams_its_progress(client):
    """T = 1000 ancestral steps: the page gets frames with the step and t while it runs, then the samples."""
    import re

    job = client.submit(2, 3, "ancestral", 50, 0.0, "en", api_name="/ddpm_sample")
    final = job.result(timeout=240)
    updates = job.outputs()
    running = [u[1] for u in updates[:-1]]
    assert len(running) >= 3 and all(re.match(r"Step \d+ / 1000 \(t = \d+\)", s) for s in running)
    steps = [int(re.match(r"Step (\d+)", s).group(1)) for s in running]
    assert steps == sorted(steps) and steps[0] == 1 and steps[-1] < 1000
    assert final[1].startswith("Done: 1000 steps") and "seed 3" in final[1]
    assert updates[0][2] is None and updates[0][3] == ""              # the first frame clears the last samples
    assert final[2] and final[4]                                        # the samples picture and the GIF


def test_forward_view_of_a_drawn_digit(client, tmp_path):
    """A drawing (what the Sketchpad sends) is the x_0 that gets noised: at t = 0 it comes back as drawn."""
    from core.sketch import to_mnist

    canvas, sketch = drawn_one(tmp_path)
    picture, numbers, _, _ = client.predict("sketch", 3, sketch, "linear", 0, 0, "en", api_name="/ddpm_forward")
    pix = _pixels(picture)
    scale = pix.shape[0] // 28
    x0 = to_mnist({"composite": canvas})[0, 0]
    np.testing.assert_array_equal(pix[::scale, :28 * scale:scale], (x0.numpy() * 255).round().astype(np.int16))
    assert x0.max() == 1.0 and x0.mean() < 0.2                         # a thin white stroke on black
    assert "x_t = x_0" in numbers


@pytest.mark.parametrize("api,args,fragment", [
    ("/ddpm_sample", (17, 0, "ddim", 50, 0.0, "en"), "greater than maximum value 16"),
    ("/ddpm_sample", (4, 0, "ddim", 5000, 0.0, "en"), "greater than maximum value 100"),
    ("/ddpm_sample", (4, 0, "euler", 50, 0.0, "en"), "is not in the list of choices"),
    ("/ddpm_sample", (2.5, 0, "ddim", 10, 0.0, "ko"), "샘플 수은(는) 정수여야 합니다. 입력값: 2.5"),
    ("/ddpm_forward", ("sample", 3, None, "linear", 10**9, 0, "en"), "greater than maximum value 1000"),
    ("/ddpm_forward", ("sample", 3, None, "linear", 12.5, 0, "ko"), "타임스텝 t은(는) 정수여야 합니다. 입력값: 12.5"),
    ("/ddpm_forward", ("sketch", 3, None, "linear", 100, 0, "ko"), "스케치가 비어 있습니다"),
    ("/ddpm_forward", ("sample", 3, None, "quadratic", 100, 0, "en"), "is not in the list of choices"),
])
def test_bad_input_gets_a_clear_message(client, api, args, fragment):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError) as err:
        client.predict(*args, api_name=api)
    assert fragment in str(err.value)
    assert client.predict("sample", 3, None, "linear", 10, 0, "en", api_name="/ddpm_forward")[1]   # still running


@pytest.mark.parametrize("fn,args,fragment", [
    ("ddpm_sample", (17, 0, "ddim", 50, 0.0, None, "ko"), "샘플 수은(는) 1부터 16 사이여야 합니다"),
    ("ddpm_sample", (4, 0, "ddim", 5000, 0.0, None, "en"), "DDIM steps must be between 10 and 100; got 5000"),
    ("ddpm_sample", (4, -3, "ddim", 50, 0.0, None, "en"), "Seed must be between 0 and 2147483647; got -3"),
    ("ddpm_sample", (4, 0, "ddim", 50, float("nan"), None, "en"), "η: 'nan' is not a number"),
    ("ddpm_sample", (4, 0, "euler", 50, 0.0, None, "en"), "Unknown sampler 'euler'"),
    ("ddpm_forward", ("sample", 3, None, "linear", 1001, 0, "en"), "Timestep t must be between 0 and 1000"),
    ("ddpm_forward", ("sample", 300, None, "linear", 10, 0, "en"), "Test sample must be between 0 and 199"),
    ("ddpm_forward", ("sample", 3, None, "quadratic", 10, 0, "ko"), "알 수 없는 노이즈 스케줄 'quadratic'"),
])
def test_callbacks_refuse_bad_values_in_the_visitors_language(fn, args, fragment):
    import gradio as gr

    import demos.ddpm as tab

    with pytest.raises(gr.Error) as err:
        out = getattr(tab, fn)(*args)
        if fn == "ddpm_sample":
            next(out)
    assert fragment in str(err.value)


TEXT = {"en": {"done": "Done:", "read": "The CNN reads", "forward": "Forward process", "reverse": "Reverse process",
               "ancestral": "DDPM ancestral"},
        "ko": {"done": "완료:", "read": "CNN이", "forward": "순방향 과정", "reverse": "역방향 과정",
               "ancestral": "DDPM ancestral"}}


def test_browser_forward_and_sampling(page):
    txt = TEXT[page.lang]
    open_tab(page, "ddpm")
    page.get_by_text(txt["forward"]).first.wait_for(timeout=15_000)
    page.locator("#ddpm-forward-run").click()
    page.locator("#ddpm-forward-picture img").wait_for(timeout=60_000)
    page.locator("#ddpm-schedules img").wait_for(timeout=60_000)
    page.wait_for_function("document.querySelector('#ddpm-forward-numbers').innerText.includes('t = 250')",
                           timeout=60_000)
    assert page.locator(".toast-body").count() == 0
    screenshot(page, "ddpm-forward")
    page.locator("#ddpm-reverse-tab-button").click()
    page.locator("#ddpm-sample-run").click()
    page.wait_for_function(
        f"document.querySelector('#ddpm-status').innerText.includes({txt['done']!r})", timeout=240_000)
    page.locator("#ddpm-gallery img").wait_for(timeout=30_000)
    assert page.locator("#ddpm-gallery img").evaluate("img => img.naturalWidth") == 4 * 28 * 4 + 5 * 8
    assert txt["read"] in page.locator("#ddpm-summary").inner_text()
    page.locator("#ddpm-gif img").wait_for(timeout=30_000)
    assert page.locator(".toast-body").count() == 0
    screenshot(page, "ddpm-sample")
    # 1000 ancestral steps: the status follows the chain while it runs, the frame shows it
    set_number(page, "ddpm-n", 2)
    page.locator("#ddpm-method").get_by_text(txt["ancestral"]).click()
    page.locator("#ddpm-sample-run").click()
    page.wait_for_function("document.querySelector('#ddpm-status').innerText.includes('/ 1000')", timeout=60_000)
    assert page.locator("#ddpm-gallery img").count() == 0      # the last run's samples are gone
    assert txt["read"] not in page.locator("#ddpm-summary").inner_text()
    screenshot(page, "ddpm-ancestral-running")
    page.wait_for_function(
        f"document.querySelector('#ddpm-status').innerText.includes({txt['done']!r})", timeout=240_000)
    assert "1000" in page.locator("#ddpm-status").inner_text()
    assert page.locator("#ddpm-gallery img").evaluate("img => img.naturalWidth") == 2 * 28 * 4 + 3 * 8
    assert page.locator(".toast-body").count() == 0
