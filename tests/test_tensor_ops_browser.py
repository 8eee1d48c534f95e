"""Tensor Ops in a real browser, in English and Korean."""
from tests.conftest import open_tab, screenshot

RUN_LABEL = {"en": "Run ▶", "ko": "실행 ▶"}


def result_text(page):
    return page.locator("#tensor-result textarea").input_value()


def test_example_runs_and_shows_results(page):
    open_tab(page, "tensor_ops")
    assert page.get_by_role("button", name=RUN_LABEL[page.lang]).is_visible()
    page.locator("#tensor-examples").get_by_text("m1 = torch").first.click()
    page.wait_for_function("document.querySelector('#tensor-result textarea').value.includes('tensor([[4., 5.]])')",
                           timeout=30_000)
    text = result_text(page)
    assert ("브로드캐스팅" if page.lang == "ko" else "broadcast") in text
    page.locator("#tensor-picture img").wait_for(timeout=15_000)
    screenshot(page, "tensor_ops-example")


def test_typed_snippet_error_and_language_switch(page):
    open_tab(page, "tensor_ops")
    editor = page.locator("#tensor-snippet .cm-content")
    editor.click()
    page.keyboard.press("Control+A")
    page.keyboard.type("torch.load('x')")
    page.get_by_role("button", name=RUN_LABEL[page.lang]).click()
    toast = page.locator(".toast-body").first
    toast.wait_for(timeout=20_000)
    assert ("쓸 수 없습니다" if page.lang == "ko" else "not available") in toast.inner_text()
    other = "en" if page.lang == "ko" else "ko"
    page.locator("#lang-radio").get_by_text("English" if other == "en" else "한국어").click()
    page.get_by_role("button", name=RUN_LABEL[other]).wait_for(timeout=10_000)
    screenshot(page, "tensor_ops-switched")
