"""Attention Maps tab (week 9): a pretrained transformer's attention, head by head.

Views (core/attention_model.py, core/attention_plots.py): head view, model view (click a
cell), one head or the mean as a heatmap with threshold and [CLS]/[SEP] hiding; the Q.K
arithmetic of one query token recomputed from the model's weights; a from-scratch toy
(core/attention.py); the O(n^2) vs O(n) cost (core/attention_cost.py).
"""
from __future__ import annotations

import gradio as gr
import torch
from PIL import Image

from core import attention as att
from core import attention_cost as cost
from core import attention_model as am
from core import attention_plots as plots
from demos.common.i18n import L, guarded, t

EXAMPLES = [
    "The animal didn't cross the street because it was too tired.",
    "The cat sat on the mat, and then it fell asleep.",
    "Attention is all you need.",
    "나는 오늘 도서관에서 트랜스포머 논문을 읽었다.",
]
TOY_Q = "1 0\n0 1\n1 1"
TOY_K = "1 0\n0 1\n1 1"
TOY_V = "1 2\n3 4\n5 6"
MAX_HEADS_SHOWN = 64


def _head_choices(n_heads: int):
    return [(L("attention.head_mean"), 0)] + [(str(h), h) for h in range(1, n_heads + 1)]


def _query_choices(tokens: list[str]):
    return [(L("attention.query_all"), -1)] + [(f"{i + 1}: {tok}", i) for i, tok in enumerate(tokens)]


def _png(image):
    """A view as a 256-colour PIL image: its PNG encodes 2-3x faster than 24-bit RGB (largest
    colour error 14/255, not visible), which matters for a roomful of people moving a slider."""
    return Image.fromarray(image).quantize(256, method=Image.Quantize.FASTOCTREE, dither=Image.Dither.NONE)


def _int(value, default: int) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def render(model_id, text, layer, head, heads, threshold, hide_special, query, lang):
    """All three views for one sentence; also returns the controls' updated choices."""
    enc = am.encode(model_id, text)
    L_, H, T, _ = enc.attentions.shape
    layer = min(max(_int(layer, 1), 1), L_)
    head = min(max(_int(head, 0), 0), H)
    heads = sorted({int(h) for h in (heads or []) if 1 <= _int(h, 0) <= H}) or list(range(1, H + 1))
    query = _int(query, -1)
    query = query if 0 <= query < T else -1
    try:
        threshold = min(max(float(threshold or 0.0), 0.0), 1.0)
    except (TypeError, ValueError):
        threshold = 0.0
    a_layer = enc.attentions[layer - 1]                                   # (H, T, T)
    one = att.head_average(enc.attentions)[layer - 1] if head == 0 else a_layer[head - 1]
    # the views: the same filter (threshold, hidden specials) for all three
    lay_f, toks = att.view_matrix(a_layer, enc.tokens, enc.special, threshold, bool(hide_special))
    one_f, _ = att.view_matrix(one, enc.tokens, enc.special, threshold, bool(hide_special))
    all_f, _ = att.view_matrix(enc.attentions, enc.tokens, enc.special, threshold, bool(hide_special))
    focus = None
    if query >= 0 and not (hide_special and enc.special[query]):
        focus = query - sum(enc.special[:query]) if hide_special else query
    head_img = plots.head_view(lay_f, toks, [h - 1 for h in heads], focus=focus, threshold=threshold,
                               title=t("attention.head_view_title", lang, layer=layer, heads=_span(heads, H)))
    title = (t("attention.heatmap_title_mean", lang, layer=layer, n=H) if head == 0
             else t("attention.heatmap_title", lang, layer=layer, head=head))
    heat_img = plots.heatmap(one_f, toks, title, xlabel=t("attention.axis_key", lang),
                             ylabel=t("attention.axis_query", lang))
    model_img = plots.model_view(all_f, selected=(layer - 1, max(head, 1) - 1))
    # the summary line
    share = float(att.special_share(a_layer, enc.special).mean()) if any(enc.special) else 0.0
    specials = ", ".join(sorted({tok for tok, s in zip(enc.tokens, enc.special) if s})) or "-"
    kind = t("attention.kind_decoder" if enc.causal else "attention.kind_encoder", lang)
    lines = [t("attention.summary", lang, model=enc.model, n=T, layers=L_, heads=H, kind=kind, layer=layer,
               share=share, specials=specials)]
    if hide_special:
        lines.append(t("attention.hidden_note", lang))
    if threshold > 0:
        lines.append(t("attention.threshold_note", lang, threshold=threshold))
    if am.korean_split(text, enc.tokens):
        lines.append(t("attention.korean_note", lang))
    return (
        "\n\n".join(lines), _png(head_img), _png(model_img), _png(heat_img),
        gr.Slider(maximum=L_, value=layer),
        gr.Dropdown(choices=_head_choices(H), value=head),
        gr.CheckboxGroup(choices=[(str(h), h) for h in range(1, min(H, MAX_HEADS_SHOWN) + 1)], value=heads),
        gr.Dropdown(choices=_query_choices(enc.tokens), value=query),
    )


def _span(heads: list[int], n: int) -> str:
    if len(heads) == n:
        return f"1-{n}"
    return ", ".join(map(str, heads)) if len(heads) <= 6 else f"{len(heads)}/{n}"


@guarded
def show(model_id, text, layer, head, heads, threshold, hide_special, query, lang):
    return render(model_id, text, layer, head, heads, threshold, hide_special, query, lang)


@guarded
def select_cell(model_id, text, heads, threshold, hide_special, query, lang, evt: gr.SelectData = None):
    """A click on the model view: the cell under it becomes the layer and head shown."""
    enc = am.encode(model_id, text)
    L_, H = enc.attentions.shape[:2]
    cell = None
    if evt is not None and isinstance(evt.index, (list, tuple)) and len(evt.index) == 2:
        cell = plots.model_view_cell(float(evt.index[0]), float(evt.index[1]), L_, H)
    layer, head = (cell[0] + 1, cell[1] + 1) if cell else (1, 0)
    return render(model_id, text, layer, head, heads, threshold, hide_special, query, lang)


@guarded
def qk(model_id, text, layer, head, query, lang):
    """Q.K for one query token, recomputed from the model's weights."""
    enc = am.encode(model_id, text)
    notes = []
    head = _int(head, 0)
    if head == 0:
        head = 1
        notes.append(t("attention.qk_mean_note", lang))
    query = _int(query, -1)
    if query < 0:
        query = next((i for i, s in enumerate(enc.special) if not s), 0)
        notes.append(t("attention.qk_all_note", lang))
    row = am.qk_for_token(model_id, text, _int(layer, 1) - 1, head - 1, query)
    dk = row.q.shape[0]
    diff = float((row.weights - row.model).abs().max())
    k = min(64, dk)
    values = ", ".join(f"{v:.3f}" for v in row.q[:k].tolist())
    md = [t("attention.qk_summary", lang, layer=_int(layer, 1), head=head, token=enc.tokens[query], index=query + 1,
            dk=dk, scale=row.scale, diff=diff),
          t("attention.qk_q", lang, k=k, dk=dk, values=values, norm=float(row.q.norm()))] + notes
    masked = t("attention.qk_masked", lang)
    table = [[f"{j + 1}: {tok}", round(float(row.dots[j]), 4),
              round(float(row.scaled[j]), 4) if torch.isfinite(row.scaled[j]) else masked,
              round(float(row.weights[j]), 6), round(float(row.model[j]), 6),
              ", ".join(f"{v:.2f}" for v in row.keys[j, :4].tolist()) + (", ..." if dk > 4 else "")]
             for j, tok in enumerate(enc.tokens)]
    headers = [t(f"attention.{k}", lang) for k in ("qk_key", "qk_dot", "qk_scaled", "qk_softmax", "qk_model")]
    headers.append(t("attention.qk_k", lang, dk=dk))
    img = plots.qk_bars(enc.tokens, row.scaled, row.weights, row.model,
                        titles=(t("attention.qk_scaled", lang), t("attention.qk_softmax", lang)),
                        legend=(t("attention.qk_recomputed", lang), t("attention.qk_model", lang)))
    return "\n\n".join(md), gr.Dataframe(value=table, headers=headers), img


def _matrix_table(m: torch.Tensor, row_prefix: str = "") -> list[list]:
    return [[f"{row_prefix}{i + 1}"] + [("-inf" if v == float("-inf") else round(v, 4)) for v in r]
            for i, r in enumerate(m.tolist())]


@guarded
def toy(q_text, k_text, v_text, causal, lang):
    """The from-scratch toy, compared with PyTorch's scaled_dot_product_attention."""
    steps = att.toy_attention(q_text, k_text, v_text, causal=bool(causal))
    q, k, v = (att.parse_matrix(x, n) for x, n in ((q_text, "Q"), (k_text, "K"), (v_text, "V")))
    ref = torch.nn.functional.scaled_dot_product_attention(q, k, v, is_causal=bool(causal))
    diff = float((steps.output - ref).abs().max())
    keys = ["q"] + [f"k{j + 1}" for j in range(k.shape[0])]
    summary = t("attention.toy_summary", lang, dk=q.shape[1], scale=steps.scale, diff=diff)
    out_headers = ["q"] + [f"out{j + 1}" for j in range(v.shape[1])]
    img = plots.heatmap(steps.weights.float(), [f"{i + 1}" for i in range(k.shape[0])],
                        t("attention.toy_weights", lang), xlabel=t("attention.axis_key", lang),
                        ylabel=t("attention.axis_query", lang)) if q.shape[0] == k.shape[0] else None
    return (summary,
            gr.Dataframe(value=_matrix_table(steps.scores, "q"), headers=keys),
            gr.Dataframe(value=_matrix_table(steps.scaled, "q"), headers=keys),
            gr.Dataframe(value=_matrix_table(steps.weights, "q"), headers=keys),
            gr.Dataframe(value=_matrix_table(steps.output, "q"), headers=out_headers),
            img)


def _bytes(x: float) -> str:
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if x < 1024 or unit == "TB":
            return f"{x:.0f} {unit}" if unit == "B" else f"{x:.1f} {unit}"
        x /= 1024


@guarded
def cost_view(n_max, d_model, n_heads, measure, lang, progress=gr.Progress()):
    """FLOPs and memory against n, and (optionally) a timing on this server."""
    n_max, d_model, n_heads = _int(n_max, 0), _int(d_model, 0), _int(n_heads, 0)
    table = cost.cost_table(n_max, d_model, n_heads)
    n = table["n"][-1]
    lines = [t("attention.cost_summary", lang, n=n, af=table["attn_flops"][-1], ab=_bytes(table["attn_bytes"][-1]),
               sf=table["scan_flops"][-1], sb=_bytes(table["scan_bytes"][-1]))]
    if measure:
        m = cost.measure(n_max, d_model=64, seed=0, progress=lambda f: progress(f))
        table.update(attn_seconds=m["attn_seconds"], scan_seconds=m["scan_seconds"], attn_seconds_n=m["n"])
        if len(m["n"]) >= 2:
            sa, ss = cost.growth(m["n"], m["attn_seconds"]), cost.growth(m["n"], m["scan_seconds"])
            lines.append(t("attention.cost_measured", lang, d=64, n0=m["n"][-2], n1=m["n"][-1], ga=2 ** sa, gs=2 ** ss,
                           sa=sa, ss=ss))
    else:
        lines.append(t("attention.cost_not_measured", lang))
    img = plots.cost_plot(table, (t("attention.cost_flops", lang), t("attention.cost_bytes", lang),
                                  t("attention.cost_seconds", lang)),
                          (t("attention.cost_attn", lang), t("attention.cost_scan", lang)))
    return img, "\n\n".join(lines)


def build(lang: gr.Radio) -> None:
    """Layout first, then the wiring. ``lang`` is the page's language radio."""
    gr.Markdown(L("attention.intro"))
    with gr.Row():
        text = gr.Textbox(label=L("attention.sentence"), value=EXAMPLES[0], lines=2, max_lines=6, scale=3,
                          max_length=am.MAX_CHARS, elem_id="attention-text")
        model_id = gr.Textbox(label=L("attention.model"), value="", placeholder=am.DEFAULT_MODEL,
                              info=L("attention.model_info"), scale=2, max_length=200)
    gr.Examples(examples=[[e] for e in EXAMPLES], inputs=[text], label=L("common.examples"))
    with gr.Row():
        layer = gr.Slider(1, 6, value=1, step=1, label=L("attention.layer"), scale=1, elem_id="attention-layer")
        head = gr.Dropdown(choices=_head_choices(12), value=0, label=L("attention.head"), scale=1,
                           allow_custom_value=True, elem_id="attention-head")
        query = gr.Dropdown(choices=[(L("attention.query_all"), -1)], value=-1, label=L("attention.query"), scale=1,
                            allow_custom_value=True, elem_id="attention-query")
        threshold = gr.Slider(0.0, 0.5, value=0.0, step=0.01, label=L("attention.threshold"), scale=1)
        hide_special = gr.Checkbox(value=False, label=L("attention.hide_special"), scale=1)
    heads = gr.CheckboxGroup(choices=[(str(h), h) for h in range(1, 13)], value=list(range(1, 13)),
                             label=L("attention.heads"))
    show_btn = gr.Button(L("attention.show"), variant="primary", elem_id="attention-show")
    summary = gr.Markdown(elem_id="attention-summary")
    with gr.Row():
        head_img = gr.Image(label=L("attention.head_view"), interactive=False, format="png", elem_id="attention-head-view")
        heat_img = gr.Image(label=L("attention.heatmap"), interactive=False, format="png", elem_id="attention-heatmap")
    model_img = gr.Image(label=L("attention.model_view"), interactive=False, format="png", elem_id="attention-model-view")

    gr.Markdown(L("attention.qk_title"))
    qk_btn = gr.Button(L("attention.qk_run"), elem_id="attention-qk-run")
    qk_md = gr.Markdown(elem_id="attention-qk-summary")
    with gr.Row():
        qk_table = gr.Dataframe(interactive=False, max_height=420, scale=1)
        qk_img = gr.Image(interactive=False, format="png", show_label=False, scale=1)

    gr.Markdown(L("attention.toy_title"))
    with gr.Row():
        toy_q = gr.Textbox(value=TOY_Q, label=L("attention.toy_q"), lines=4, max_length=4000)
        toy_k = gr.Textbox(value=TOY_K, label=L("attention.toy_k"), lines=4, max_length=4000)
        toy_v = gr.Textbox(value=TOY_V, label=L("attention.toy_v"), lines=4, max_length=4000)
    with gr.Row():
        toy_causal = gr.Checkbox(value=False, label=L("attention.toy_causal"))
        toy_btn = gr.Button(L("attention.toy_run"), elem_id="attention-toy-run")
    toy_md = gr.Markdown(elem_id="attention-toy-summary")
    with gr.Row():
        toy_scores = gr.Dataframe(label=L("attention.toy_scores"), interactive=False)
        toy_scaled = gr.Dataframe(label=L("attention.toy_scaled"), interactive=False)
    with gr.Row():
        toy_weights = gr.Dataframe(label=L("attention.toy_weights"), interactive=False)
        toy_out = gr.Dataframe(label=L("attention.toy_output"), interactive=False)
    toy_img = gr.Image(interactive=False, format="png", show_label=False, height=320)

    gr.Markdown(L("attention.cost_title"))
    with gr.Row():
        cost_n = gr.Slider(cost.N_MIN, cost.N_MAX, value=2048, step=16, label=L("attention.cost_n"))
        cost_d = gr.Number(value=384, precision=0, label=L("attention.cost_d"))
        cost_h = gr.Number(value=12, precision=0, label=L("attention.cost_heads"))
        cost_measure = gr.Checkbox(value=True, label=L("attention.cost_measure"))
        cost_btn = gr.Button(L("attention.cost_run"), elem_id="attention-cost-run")
    cost_img = gr.Image(interactive=False, format="png", show_label=False)
    cost_md = gr.Markdown(elem_id="attention-cost-summary")

    # wiring: one event per feature, many triggers; the language radio is the last input
    view_outputs = [summary, head_img, model_img, heat_img, layer, head, heads, query]
    gr.on([show_btn.click, text.submit, model_id.submit, layer.release, head.input, heads.input,
           threshold.release, hide_special.input, query.input],
          show, [model_id, text, layer, head, heads, threshold, hide_special, query, lang], view_outputs,
          api_name="attention", concurrency_id="attention_model")
    model_img.select(select_cell, [model_id, text, heads, threshold, hide_special, query, lang], view_outputs,
                     api_name="attention_select", api_visibility="undocumented", concurrency_id="attention_model")
    gr.on([qk_btn.click, show_btn.click, text.submit, query.input, layer.release, head.input],
          qk, [model_id, text, layer, head, query, lang], [qk_md, qk_table, qk_img],
          api_name="attention_qk", concurrency_id="attention_model")
    gr.on([toy_btn.click, toy_causal.input], toy, [toy_q, toy_k, toy_v, toy_causal, lang],
          [toy_md, toy_scores, toy_scaled, toy_weights, toy_out, toy_img], api_name="attention_toy")
    cost_btn.click(cost_view, [cost_n, cost_d, cost_h, cost_measure, lang], [cost_img, cost_md],
                   api_name="attention_cost", concurrency_limit=1)


def bench_cases() -> list[tuple[str, tuple]]:
    """API calls the benchmark times: a 32-token sentence's views, Q.K, the toy."""
    sentence = ("The quick brown fox jumps over the lazy dog while all twenty students in the seminar "
                "room watch every attention head light up at once, slowly.")
    return [
        ("attention", ("", sentence, 3, 0, list(range(1, 13)), 0.0, False, 5, "en")),
        ("attention_qk", ("", sentence, 3, 4, 5, "en")),
        ("attention_toy", (TOY_Q, TOY_K, TOY_V, True, "en")),
    ]
