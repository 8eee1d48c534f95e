"""RNN Gates tab in a real browser, in English and Korean: the walk-through, the cells, the gates, the gradients."""
from tests.conftest import open_tab, screenshot, set_number

LABELS = {
    "en": {"walk": "Walk through", "slip": "arithmetic slip", "compare": "Compare with PyTorch",
           "gates": "Show gates", "right": "20/20 steps right", "grad": "Compute gradients", "why": "why",
           "sec_gates": "3. Gates over time", "train_box": "Train live (seconds, on CPU)", "trained": "Trained the LSTM", "sec_cells": "2. LSTM and GRU cells", "sec_vanish": "4. Vanishing gradients"},
    "ko": {"walk": "단계별 계산", "slip": "계산 실수", "compare": "PyTorch와 비교",
           "gates": "게이트 보기", "right": "20 스텝 중 20 스텝 정답", "grad": "기울기 계산", "why": "이유",
           "sec_gates": "3. 시간에 따른 게이트", "train_box": "실시간 학습 (CPU에서 몇 초)", "trained": "학습했습니다", "sec_cells": "2. LSTM과 GRU 셀", "sec_vanish": "4. 기울기 소실"},
}


def error_toasts(page) -> set[str]:
    errors = page.locator(".toast-body.error")
    return {errors.nth(k).inner_text() for k in range(errors.count())}


def no_error_toast(page):
    """No error toast beyond those already shown when the tab opened (other tabs' page-load events)."""
    new = error_toasts(page) - page.baseline_errors
    assert not new, new


def test_rnn_gates_tab_end_to_end(page):
    lab = LABELS[page.lang]
    open_tab(page, "rnn_gates")
    page.wait_for_timeout(1500)
    page.baseline_errors = error_toasts(page)
    # 1. the worked example, step by step
    page.get_by_role("button", name=lab["walk"]).click()
    walk = page.locator("#rnn-walk")
    walk.get_by_text(lab["slip"]).wait_for(timeout=30_000)
    text = walk.inner_text()
    assert "[0.0937, 0.1342]" in text and "[-0.0081, -0.0089, 0.0118]" in text and "[0.3312, 0.3309, 0.3379]" in text
    no_error_toast(page)
    screenshot(page, "rnn_gates-walkthrough")
    # 2. the cells against PyTorch
    page.get_by_role("tab", name=lab["sec_cells"]).click()
    page.get_by_role("button", name=lab["compare"]).click()
    page.locator("#rnn-check").get_by_text("nn.GRU").first.wait_for(timeout=30_000)
    assert "e-1" in page.locator("#rnn-check").inner_text()       # largest difference ~1e-16
    screenshot(page, "rnn_gates-cells")
    # 3. gates over time on the shipped LSTM
    page.get_by_role("tab", name=lab["sec_gates"]).click()
    page.get_by_role("button", name=lab["gates"]).click()
    page.locator("#rnn-gates-summary").get_by_text(lab["right"]).wait_for(timeout=30_000)
    page.locator("#rnn-gates-img img").wait_for(timeout=15_000)
    assert page.locator("#rnn-gates-img img").evaluate("img => img.naturalWidth") > 500
    no_error_toast(page)
    screenshot(page, "rnn_gates-gates")
    # live training, kept in this visitor's session and shown at once
    page.get_by_text(lab["train_box"]).click()
    set_number(page, "rnn-train-steps", 60)
    page.locator("#rnn-train-run").click()
    page.locator("#rnn-train-status").get_by_text(lab["trained"]).wait_for(timeout=90_000)
    page.locator("#rnn-train-curve img").wait_for(timeout=15_000)
    assert "60" in page.locator("#rnn-train-status").inner_text()
    assert "H = 12, 20" in page.locator("#rnn-gates-summary").inner_text()
    no_error_toast(page)
    screenshot(page, "rnn_gates-training")
    # a bad sequence: a translated message, the app keeps running
    box = page.locator("#rnn-seq textarea, #rnn-seq input").first
    box.fill("3 x 4")
    page.get_by_role("button", name=lab["gates"]).click()
    toast = page.locator(".toast-body").first
    toast.wait_for(timeout=20_000)
    assert ("쓸 수 없습니다" if page.lang == "ko" else "is not allowed") in toast.inner_text()
    # 4. vanishing gradients
    page.get_by_role("tab", name=lab["sec_vanish"]).click()
    page.get_by_role("button", name=lab["grad"]).click()
    page.locator("#rnn-vanish-table").get_by_text("ReLU RNN").wait_for(timeout=60_000)
    page.locator("#rnn-vanish-img img").wait_for(timeout=15_000)
    assert lab["why"] in page.locator("#rnn-vanish-table").inner_text()
    screenshot(page, "rnn_gates-vanishing")
