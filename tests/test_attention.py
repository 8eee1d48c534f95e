"""core/attention*.py: the toy against PyTorch's SDPA, the Q.K recomputation against the
model's own attentions (MiniLM, a tiny GPT-2 and a tiny BERT), caps, offline behaviour, cost."""
from __future__ import annotations

import math
import socket
import time

import pytest
import torch

from core import attention as att
from core import attention_cost as cost
from core import attention_model as am
from core import attention_plots as plots
from core.errors import StudioError

SENTENCE = "The animal didn't cross the street because it was too tired."


# ---------------------------------------------------------------- scaled dot-product attention

@pytest.mark.parametrize("causal", [False, True])
def test_sdpa_equals_pytorch(causal):
    g = torch.Generator().manual_seed(0)
    q, k, v = (torch.randn(2, 3, 7, 5, generator=g, dtype=torch.float64) for _ in range(3))
    steps = att.scaled_dot_product_attention(q, k, v, causal=causal)
    ref = torch.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=causal)
    torch.testing.assert_close(steps.output, ref, rtol=0, atol=1e-12)
    torch.testing.assert_close(steps.weights.sum(-1), torch.ones(2, 3, 7, dtype=torch.float64))
    assert steps.scale == pytest.approx(1 / math.sqrt(5))
    if causal:
        assert torch.all(steps.weights.triu(diagonal=1) == 0)


def test_sdpa_with_bool_mask_equals_pytorch():
    g = torch.Generator().manual_seed(1)
    q, k, v = torch.randn(4, 3, generator=g), torch.randn(6, 3, generator=g), torch.randn(6, 2, generator=g)
    mask = torch.rand(4, 6, generator=g) > 0.4
    mask[:, 0] = True
    ref = torch.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=mask)
    torch.testing.assert_close(att.scaled_dot_product_attention(q, k, v, mask=mask).output, ref)


def test_toy_worked_example_number_for_number():
    # Q = K = [[1,0],[0,1],[1,1]], V = [[1,2],[3,4],[5,6]], d_k = 2, causal
    steps = att.toy_attention("1 0\n0 1\n1 1", "1, 0; 0, 1; 1, 1", "[1 2]\n[3 4]\n[5 6]", causal=True)
    assert steps.scores.tolist() == [[1, 0, 1], [0, 1, 1], [1, 1, 2]]
    # row 2: softmax([0, 1/sqrt 2]) = [1, e^0.7071] / 3.0281; row 3: softmax([.7071, .7071, 1.4142])
    expected = torch.tensor([[1, 0, 0], [0.3302, 0.6698, 0], [0.2483, 0.2483, 0.5035]], dtype=torch.float64)
    torch.testing.assert_close(steps.weights, expected, rtol=0, atol=5e-5)
    assert math.isinf(steps.scaled[0, 1]) and steps.scaled[0, 1] < 0
    torch.testing.assert_close(steps.output[2], torch.tensor([3.51046, 4.51046], dtype=torch.float64),
                               rtol=0, atol=5e-5)


@pytest.mark.parametrize("text,key", [
    ("", "attention.toy_empty"), ("1 2\nnan 3", "attention.toy_out_of_range"),
    ("1e999", "attention.toy_out_of_range"), ("1+1", "attention.toy_not_number"),
    ("__import__('os')", "attention.toy_not_number"), ("1 2\n3", "attention.toy_ragged"),
    ("1 " * 9, "attention.toy_too_big"), ("1\n" * 9, "attention.toy_too_big"), ("123456", "attention.toy_out_of_range"),
])
def test_parse_matrix_rejects_bad_input(text, key):
    with pytest.raises(StudioError) as err:
        att.parse_matrix(text, "Q")
    assert err.value.key == key


def test_toy_shape_errors():
    with pytest.raises(StudioError, match="toy_dk_mismatch"):
        att.toy_attention("1 0", "1 0 0", "1")
    with pytest.raises(StudioError, match="toy_kv_mismatch"):
        att.toy_attention("1 0", "1 0\n0 1", "1")
    with pytest.raises(StudioError, match="toy_causal_square"):
        att.toy_attention("1 0", "1 0\n0 1", "1\n2", causal=True)


def test_view_matrix_threshold_and_hidden_specials():
    a = torch.tensor([[0.5, 0.3, 0.2], [0.1, 0.6, 0.3], [0.7, 0.05, 0.25]])
    m, toks = att.view_matrix(a, ["[CLS]", "hi", "[SEP]"], [True, False, True], threshold=0.0, hide_special=True)
    assert toks == ["hi"] and m.tolist() == [[pytest.approx(0.6)]]
    m, toks = att.view_matrix(a, ["a", "b", "c"], [False] * 3, threshold=0.25)
    torch.testing.assert_close(m, torch.tensor([[0.5, 0.3, 0.0], [0.0, 0.6, 0.3], [0.7, 0.0, 0.25]]))
    torch.testing.assert_close(att.special_share(a, [True, False, True]), torch.tensor([0.7, 0.4, 0.95]))
    with pytest.raises(StudioError, match="only_special"):
        att.view_matrix(a, ["x"] * 3, [True] * 3, hide_special=True)
    x = torch.rand(2, 3, 4, 4)
    torch.testing.assert_close(att.head_average(x), (x[:, 0] + x[:, 1] + x[:, 2]) / 3)


# ---------------------------------------------------------------- the pretrained model

def test_minilm_attention_shapes_tokens_and_rows():
    enc = am.encode("", SENTENCE)
    assert enc.tokens[:4] == ["[CLS]", "the", "animal", "didn"] and enc.tokens[-1] == "[SEP]"
    T = len(enc.tokens)
    assert enc.attentions.shape == (6, 12, T, T) and enc.hidden.shape == (7, T, 384)
    assert not enc.causal and enc.special[0] and enc.special[-1] and not any(enc.special[1:-1])
    torch.testing.assert_close(enc.attentions.sum(-1), torch.ones(6, 12, T))


def test_minilm_matches_a_direct_transformers_call():
    loaded = am.default_model()
    ids = loaded.tokenizer(SENTENCE, return_tensors="pt")
    with torch.no_grad():
        ref = loaded.model(**ids, output_attentions=True).attentions
    enc = am.encode("sentence-transformers/all-MiniLM-L6-v2", SENTENCE)
    torch.testing.assert_close(enc.attentions, torch.stack([a[0] for a in ref]))


def test_qk_recomputed_equals_model_attention_every_head():
    enc = am.encode("", SENTENCE)
    model = am.default_model().model
    T = len(enc.tokens)
    for layer in range(6):
        for head in range(12):
            for query in (0, 3, T - 1):
                row = am.qk_row(model, enc, layer, head, query)
                torch.testing.assert_close(row.weights, row.model, rtol=0, atol=2e-6)
    row = am.qk_for_token("", SENTENCE, 2, 5, 3)
    assert row.q.shape == (32,) and row.keys.shape == (T, 32) and row.scale == pytest.approx(1 / math.sqrt(32))
    torch.testing.assert_close(row.scaled, row.keys @ row.q / math.sqrt(32))
    with pytest.raises(StudioError, match="index_range"):
        am.qk_for_token("", SENTENCE, 6, 0, 0)


def _tiny(tmp_path, kind):
    from transformers import BertConfig, BertModel, GPT2Config, GPT2Model

    torch.manual_seed(0)
    if kind == "gpt2":
        model = GPT2Model(GPT2Config(n_layer=2, n_head=2, n_embd=16, n_positions=64, vocab_size=30522))
    else:
        model = BertModel(BertConfig(num_hidden_layers=2, num_attention_heads=4, hidden_size=32,
                                     intermediate_size=64, vocab_size=30522))
    model.save_pretrained(tmp_path)
    am.default_model().tokenizer.save_pretrained(tmp_path)
    return am._from_folder(str(tmp_path), f"tiny-{kind}")


@pytest.mark.parametrize("kind", ["gpt2", "bert"])
def test_qk_recomputed_for_tiny_decoder_and_encoder(tmp_path, kind):
    loaded = _tiny(tmp_path, kind)
    assert loaded.causal == (kind == "gpt2") and loaded.n_layers == 2
    enc = am._encode(loaded, "the cat sat on the mat")
    T = len(enc.tokens)
    if kind == "gpt2":
        assert torch.all(enc.attentions.triu(diagonal=1) == 0)
    for layer in range(2):
        for head in range(loaded.n_heads):
            for query in range(T):
                row = am.qk_row(loaded.model, enc, layer, head, query)
                torch.testing.assert_close(row.weights, row.model, rtol=0, atol=2e-6)


def test_sentence_caps_and_korean_note():
    with pytest.raises(StudioError, match="attention.empty"):
        am.encode("", "   ")
    with pytest.raises(StudioError) as err:
        am.encode("", "word " * 200)
    assert err.value.key == "attention.too_many_tokens" and err.value.params == {"n": 202, "cap": 128}
    with pytest.raises(StudioError, match="too_long"):
        am.encode("", "a" * 2001)
    enc = am.encode("", "나는 오늘 논문을 읽었다")
    assert am.korean_split("나는 오늘 논문을 읽었다", enc.tokens)
    assert "ㄴ" in enc.tokens and "##ㅏ" in enc.tokens          # shown as standalone jamo
    assert not am.korean_split(SENTENCE, am.encode("", SENTENCE).tokens)


@pytest.mark.parametrize("bad", ["../etc", "/etc/passwd", "weights", "a b", "x" * 300, "owner/name/extra"])
def test_bad_model_ids_are_refused(bad):
    with pytest.raises(StudioError, match="bad_model_id"):
        am.get_model(bad)


def test_hub_model_offline_gives_a_clear_error_fast():
    t0 = time.perf_counter()
    with pytest.raises(StudioError) as err:
        am.get_model("google-bert/bert-base-uncased-not-cached-here")
    assert err.value.key in ("attention.hub_offline", "attention.hub_not_found")
    assert time.perf_counter() - t0 < 3 * am.HUB_TIMEOUT


def test_hub_download_errors(monkeypatch):
    import huggingface_hub
    from huggingface_hub.errors import RepositoryNotFoundError

    class Sib:
        def __init__(self, name, size):
            self.rfilename, self.size = name, size

    class Info:
        siblings = [Sib("config.json", 10), Sib("model.safetensors", 2_000_000_000)]

    calls = {}

    def fake_info(self, repo_id, files_metadata=False, timeout=None, **kw):
        calls["timeout"] = timeout
        return Info()

    monkeypatch.setattr(huggingface_hub.HfApi, "model_info", fake_info)
    with pytest.raises(StudioError) as err:
        am._hub_download("owner/big")
    assert err.value.key == "attention.hub_too_large" and calls["timeout"] == am.HUB_TIMEOUT

    def not_found(self, repo_id, **kw):
        raise RepositoryNotFoundError.__new__(RepositoryNotFoundError)   # (its __init__ wants an HTTP response)

    monkeypatch.setattr(huggingface_hub.HfApi, "model_info", not_found)
    with pytest.raises(StudioError, match="hub_not_found"):
        am._hub_download("owner/none")

    def timeout(self, repo_id, **kw):
        raise TimeoutError("read timed out")

    monkeypatch.setattr(huggingface_hub.HfApi, "model_info", timeout)
    with pytest.raises(StudioError, match="hub_offline"):
        am._hub_download("owner/slow")


def test_default_model_loads_without_network(monkeypatch):
    def no_network(*args, **kwargs):
        raise OSError("network used during the offline default load")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    loaded = am.default_model.__wrapped__()
    assert (loaded.n_layers, loaded.n_heads, loaded.causal) == (6, 12, False)


# ---------------------------------------------------------------- cost and plots

def test_cost_formulas():
    assert cost.attention_flops(16, 384, 12) == 4 * 256 * 384 + 3 * 256 * 12 == 402_432
    assert cost.scan_flops(16, 384, 16) == 5 * 16 * 384 * 16 == 491_520
    table = cost.cost_table(4096, 384, 12)
    assert table["n"] == [16, 32, 64, 128, 256, 512, 1024, 2048, 4096]
    ratios = [b / a for a, b in zip(table["attn_bytes"][-3:], table["attn_bytes"][-2:])]
    assert all(3.8 < r < 4.0 for r in ratios)                        # n^2 dominates: x4 per doubling
    assert len(set(table["scan_bytes"])) == 1                          # the state does not grow
    assert table["attn_bytes"][-1] == 4 * (12 * 4096 ** 2 + 2 * 4096 * 384)
    for bad in [(8, 384, 12), (8192, 384, 12), (64, 384, 5), (64, 0, 1)]:
        with pytest.raises(StudioError):
            cost.cost_table(*bad)


def test_linear_scan_equals_closed_form():
    g = torch.Generator().manual_seed(0)
    n, d, N = 6, 3, 4
    x, a, b, c = torch.randn(n, d, generator=g), torch.rand(d, N, generator=g), torch.randn(d, N, generator=g), torch.randn(d, N, generator=g)
    # h_t = sum_{s<=t} a^(t-s) b x_s ;  y_t = sum_N c h_t
    ref = torch.stack([sum(a ** (t - s) * b * x[s, :, None] for s in range(t + 1)).mul(c).sum(-1) for t in range(n)])
    torch.testing.assert_close(cost.linear_scan(x, a, b, c), ref)


def test_measure_respects_the_time_cap():
    out = cost.measure(4096, d_model=16, time_cap=0.0)
    assert out["n"] == [16] and len(out["attn_seconds"]) == 1 and out["attn_seconds"][0] > 0
    assert cost.growth([16, 32], [1.0, 4.0]) == pytest.approx(2.0)


def test_model_view_click_maps_back_to_cells():
    attn = torch.rand(6, 12, 9, 9).softmax(-1)
    img = plots.model_view(attn, selected=(2, 3))
    g = plots.model_view_layout(6, 12)
    assert img.shape == (g["top"] + 6 * (g["cell"] + g["gap"]) + 4, g["left"] + 12 * (g["cell"] + g["gap"]) + 4, 3)
    step = g["cell"] + g["gap"]
    for layer in range(6):
        for head in range(12):
            x, y = g["left"] + head * step + g["cell"] / 2, g["top"] + layer * step + g["cell"] / 2
            assert plots.model_view_cell(x, y, 6, 12) == (layer, head)
    assert plots.model_view_cell(2, 2, 6, 12) is None
    assert tuple(img[g["top"] + 2 * step - 2, g["left"] + 3 * step + 10]) == (220, 30, 30)   # the red frame


def test_hub_flow_cache_miss_then_download(tmp_path, monkeypatch):
    """Not cached -> metadata and download (patched here: no network in tests) -> loaded, once."""
    folder = tmp_path / "snapshot"
    _tiny(folder, "gpt2")
    calls = []

    def fake_download(mid):
        calls.append(mid)
        return str(folder)

    monkeypatch.setattr(am, "_hub_download", fake_download)
    am._hub_model.cache_clear()
    try:
        loaded = am.get_model("someone/tiny-gpt2")
        assert loaded.causal and loaded.name == "someone/tiny-gpt2" and calls == ["someone/tiny-gpt2"]
        assert am.get_model("someone/tiny-gpt2") is loaded and len(calls) == 1          # cached
        enc = am.encode("someone/tiny-gpt2", "the cat sat")
        assert enc.causal and enc.attentions.shape[:2] == (2, 2)
    finally:
        am._hub_model.cache_clear()
