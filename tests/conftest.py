"""Shared fixtures: one launched studio per test session, a gradio_client, a browser page.

Browser tests need Debian's chromium at /usr/bin/chromium (or $CHROMIUM). Without it they
are skipped, unless DEEP_STUDIO_REQUIRE_BROWSER=1 (set by .ci/run), which fails instead.
Screenshots go to screenshots/ (ignored by git) so a developer can look at them.
"""
from __future__ import annotations

import os
import pathlib
import shutil
import socket

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
SCREENSHOTS = ROOT / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def app_url():
    """Launch the whole studio once, in this process, on a free port; yield its URL."""
    import app

    demo = app.build_app()
    app.launch(demo, server_name="127.0.0.1", server_port=free_port(), prevent_thread_lock=True,
               quiet=True, show_error=True)
    yield demo.local_url
    demo.close()


@pytest.fixture(scope="session")
def client(app_url):
    from gradio_client import Client

    return Client(app_url, verbose=False)


@pytest.fixture(scope="session")
def browser():
    if not (shutil.which(CHROMIUM) or os.path.exists(CHROMIUM)):
        if os.environ.get("DEEP_STUDIO_REQUIRE_BROWSER") == "1":
            pytest.fail(f"chromium not found at {CHROMIUM} but DEEP_STUDIO_REQUIRE_BROWSER=1")
        pytest.skip(f"chromium not found at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(params=["en", "ko"])
def page(request, browser, app_url):
    """A fresh page whose browser language is 'en' or 'ko' (both run), opened on the studio."""
    lang = request.param
    context = browser.new_context(locale="ko-KR" if lang == "ko" else "en-US",
                                  viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    pg.lang = lang
    pg.goto(app_url, wait_until="domcontentloaded")
    pg.wait_for_selector("#lang-radio", timeout=30_000)
    yield pg
    context.close()


def open_tab(pg, name: str):
    """Click the tab whose elem_id is tab-<name> (its button carries the id in Gradio 6)."""
    pg.locator(f"#tab-{name}-button").click()
    pg.wait_for_timeout(300)


def drawn_one(tmp_path, rows=(40, 240)):
    """A "1" drawn on the 280 x 280 Sketchpad: black ink on a transparent canvas, rows ``rows``.

    Returns (canvas as an RGBA uint8 array, the payload a Sketchpad sends through gradio_client).
    """
    import numpy as np
    from gradio_client import handle_file
    from PIL import Image

    canvas = np.zeros((280, 280, 4), np.uint8)
    canvas[rows[0]:rows[1], 130:152] = (0, 0, 0, 255)
    path = tmp_path / "one.png"
    Image.fromarray(canvas, "RGBA").save(path)
    return canvas, {"background": None, "layers": [], "composite": handle_file(str(path))}


def set_number(pg, elem_id: str, value, tries: int = 3) -> None:
    """Type ``value`` into the number box of the gr.Slider or gr.Number #elem_id, leave the box,
    and wait until the component holds it (a slider's range input follows its number box).

    Typed again if a late re-render (an accordion opening, the page language arriving) put the
    old value back, so the event that follows sends what the test typed. Fails after ``tries``.
    """
    box = pg.locator(f"#{elem_id} input[type=number]")
    box.wait_for(state="visible", timeout=15_000)
    want = float(value)
    held = """([id, want]) => [...document.querySelectorAll(`#${id} input[type=number], #${id} input[type=range]`)]
                              .every(el => el.value !== '' && Math.abs(parseFloat(el.value) - want) < 1e-9)"""
    for _ in range(tries):
        box.fill(str(value))
        box.press("Tab")
        try:
            pg.wait_for_function(held, arg=[elem_id, want], timeout=2_000)
            pg.wait_for_timeout(200)                   # still there after the component settles
            if pg.evaluate(held, [elem_id, want]):
                return
        except Exception:  # noqa: BLE001 - playwright's TimeoutError: type it again
            pass
    raise AssertionError(f"#{elem_id} did not keep the value {value!r}")


def screenshot(pg, name: str) -> pathlib.Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    path = SCREENSHOTS / f"{name}-{pg.lang}.png"
    pg.screenshot(path=str(path), full_page=True)
    return path
