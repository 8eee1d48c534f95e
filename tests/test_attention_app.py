"""The Attention Maps tab through gradio_client (every api_name) and in a real browser (en, ko)."""
import time

import pytest
from PIL import Image

from demos.attention import TOY_K, TOY_Q, TOY_V, bench_cases
from tests.conftest import open_tab, screenshot

SENTENCE = "The animal didn't cross the street because it was too tired."
ALL_HEADS = list(range(1, 13))


def _data(df):
    """Rows of a Dataframe output (an update dict carries them under 'value')."""
    return (df.get("value") or df)["data"]


def _error(client, *args, api_name):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError) as err:
        client.predict(*args, api_name=api_name)
    return str(err.value)


def test_api_names_are_listed(client):
    names = set(client.view_api(print_info=False, return_format="dict")["named_endpoints"])
    assert {"/attention", "/attention_qk", "/attention_toy", "/attention_cost"} <= names


def test_views_of_a_sentence(client):
    summary, head_view, model_view, heat, layer, head, heads, query = client.predict(
        "", SENTENCE, 3, 0, ALL_HEADS, 0.0, False, 3, "en", api_name="/attention")
    assert "all-MiniLM-L6-v2" in summary and "16 tokens, 6 layers × 12 heads" in summary and "encoder" in summary
    assert "goes to special tokens ([CLS], [SEP])" in summary
    # the controls come back as updates: the slider's range and the query token choices
    assert (layer["maximum"], layer["value"], head["value"], heads["value"], query["value"]) == (6, 3, 0, ALL_HEADS, 3)
    assert query["choices"][1] == ["1: [CLS]", 0] and query["choices"][3] == ["3: animal", 2]
    assert Image.open(model_view).size == (34 + 12 * 60 + 4, 22 + 6 * 60 + 4)
    assert Image.open(head_view).size[1] > 300 and Image.open(heat).size[0] > 300
    # Korean: the jamo note, in Korean; threshold and hidden specials are said
    summary = client.predict("", "나는 오늘 논문을 읽었다", 1, 2, [1, 2], 0.1, True, -1, "ko", api_name="/attention")[0]
    assert "자모" in summary and "특수 토큰을 숨겼으므로" in summary and "0.10보다 작은" in summary


def test_qk_row_equals_the_models_attention(client):
    md, table, _img = client.predict("", SENTENCE, 2, 5, 2, "en", api_name="/attention_qk")
    assert "Layer 2, head 5, query **animal** (#3): d_k = 32, scale 1/√d_k = 0.17678" in md
    rows = _data(table)
    assert len(rows) == 16 and rows[0][0] == "1: [CLS]"
    assert sum(r[3] for r in rows) == pytest.approx(1.0, abs=1e-5)
    for r in rows:
        assert r[3] == pytest.approx(r[4], abs=2e-6)                     # recomputed == model
        assert r[2] == pytest.approx(r[1] / 32 ** 0.5, abs=1e-3)        # q.k / sqrt(d_k)
    md = client.predict("", SENTENCE, 1, 0, -1, "ko", api_name="/attention_qk")[0]
    assert "헤드 1을 씁니다" in md and "첫 번째 일반 토큰" in md


def test_toy_worked_example_and_pytorch_check(client):
    md, scores, scaled, weights, out, img = client.predict(TOY_Q, TOY_K, TOY_V, True, "en", api_name="/attention_toy")
    assert "d_k = 2, 1/√d_k = 0.70711" in md and "largest difference 0.0e+00" in md
    assert _data(scores) == [["q1", 1, 0, 1], ["q2", 0, 1, 1], ["q3", 1, 1, 2]]
    assert _data(scaled)[0][2] == "-inf"
    assert _data(weights) == [["q1", 1, 0, 0], ["q2", 0.3302, 0.6698, 0], ["q3", 0.2483, 0.2483, 0.5035]]
    assert _data(out)[2][1:] == [3.5105, 4.5105]   # 4 w1 + 5 w3 = 3.51046
    assert img


def test_cost_without_timing(client):
    img, md = client.predict(4096, 384, 12, False, "en", api_name="/attention_cost")
    assert "At n = 4096" in md and "780.0 MB (the h·n² scores plus K and V)" in md and "24.0 KB of state" in md
    assert Image.open(img).size[0] > 600


def test_bad_input_gets_clear_messages_and_the_app_keeps_answering(client):
    assert "Type a sentence first" in _error(client, "", "  ", 1, 0, ALL_HEADS, 0, False, -1, "en", api_name="/attention")
    assert "최대 128개 토큰" in _error(client, "", "word " * 300, 1, 0, ALL_HEADS, 0, False, -1, "ko",
                                   api_name="/attention")
    assert "not a Hugging Face model id" in _error(client, "../../etc", SENTENCE, 1, 0, ALL_HEADS, 0, False, -1, "en",
                                                   api_name="/attention")
    t0 = time.perf_counter()
    msg = _error(client, "someone/bert-not-cached", SENTENCE, 1, 0, ALL_HEADS, 0, False, -1, "en", api_name="/attention")
    assert "cannot be reached" in msg or "has no public model" in msg
    assert time.perf_counter() - t0 < 20
    assert "not a number" in _error(client, "1 0\n0 x", TOY_K, TOY_V, False, "en", api_name="/attention_toy")
    assert "유한한 수" in _error(client, "1 0\n0 nan\n1 1", TOY_K, TOY_V, False, "ko", api_name="/attention_toy")
    assert "same length d_k" in _error(client, "1 0 0", TOY_K, TOY_V, False, "en", api_name="/attention_toy")
    assert "4096" in _error(client, 10**9, 384, 12, True, "en", api_name="/attention_cost")   # the slider's own check
    assert "divisible" in _error(client, 256, 100, 12, False, "en", api_name="/attention_cost")
    assert "query 100 is out of range: it must be between 1 and 16" in _error(
        client, "", SENTENCE, 1, 1, 99, "en", api_name="/attention_qk")
    assert "16 tokens" in client.predict("", SENTENCE, 1, 0, ALL_HEADS, 0, False, -1, "en", api_name="/attention")[0]


def test_bench_cases_run(client):
    for api_name, args in bench_cases():
        assert client.predict(*args, api_name=f"/{api_name}")


# ---------------------------------------------------------------- in a real browser

SHOW = {"en": "Show attention", "ko": "어텐션 보기"}
TOKENS = {"en": "tokens", "ko": "토큰"}


def test_views_qk_toy_and_model_view_click_in_the_browser(page):
    open_tab(page, "attention")
    page.get_by_role("button", name=SHOW[page.lang]).click()
    page.locator("#attention-model-view img").wait_for(timeout=60_000)
    page.locator("#attention-head-view img").wait_for(timeout=30_000)
    assert TOKENS[page.lang] in page.locator("#attention-summary").inner_text()
    # the Q.K panel fills in with the same click (first ordinary token, layer 1)
    page.wait_for_function("document.querySelector('#attention-qk-summary').innerText.includes('d_k = 32')",
                           timeout=30_000)
    # click the model view's cell (layer 2, head 5): the layer slider follows
    img = page.locator("#attention-model-view img")
    box = img.bounding_box()
    natural_w = img.evaluate("i => i.naturalWidth")
    s = box["width"] / natural_w
    img.click(position={"x": (34 + 4 * 60 + 28) * s, "y": (22 + 1 * 60 + 28) * s})
    page.wait_for_function("document.querySelector('#attention-layer input[type=number]').value === '2'",
                           timeout=30_000)
    page.locator("#attention-qk-run").click()
    page.wait_for_function("document.querySelector('#attention-qk-summary').innerText.includes('d_k = 32')",
                           timeout=30_000)
    page.locator("#attention-toy-run").click()
    page.wait_for_function("document.querySelector('#attention-toy-summary').innerText.includes('0.70711')",
                           timeout=30_000)
    page.locator("#attention-cost-run").click()
    page.wait_for_function("document.querySelector('#attention-cost-summary').innerText.includes('4096') || "
                           "document.querySelector('#attention-cost-summary').innerText.includes('2048')",
                           timeout=60_000)
    assert page.locator(".toast-body").count() == 0
    screenshot(page, "attention-views")


def test_empty_sentence_toast_in_the_browser(page):
    open_tab(page, "attention")
    page.locator("#attention-text textarea").fill("")
    page.get_by_role("button", name=SHOW[page.lang]).click()
    toast = page.locator(".toast-body").first
    toast.wait_for(timeout=20_000)
    assert ("먼저 문장을" if page.lang == "ko" else "Type a sentence first") in toast.inner_text()
