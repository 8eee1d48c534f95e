"""CNN Filters tab (weeks 4-6): convolution arithmetic on the worksheet grid, filters on photos,
a trained CNN's kernels and feature maps, and parameter counting.

The math is in core/conv.py, core/filters.py, core/conv_params.py, core/cnn.py; the pictures
in core/conv_plots.py. Callbacks here parse inputs, call core and format outputs.
"""
from __future__ import annotations

import functools

import gradio as gr
import numpy as np
import pandas as pd
import torch

from core import conv, conv_params, conv_plots, filters
from core.errors import StudioError, check_number
from demos.common.i18n import L, guarded, t

GRID_DEFAULT = conv.grid_text(conv.WORKSHEET_INPUT)
KERNEL_DEFAULT = conv.grid_text(conv.WORKSHEET_KERNEL)
MAX_CELLS = (conv.MAX_GRID + 2 * conv.MAX_PADDING) ** 2
N_SAMPLES = 200


def upload_image(**kwargs) -> gr.Image:
    """A gr.Image whose callback gets the uploaded file's path without decoding it, so the
    core can refuse non-images and huge images with a translated message (gr.Image's own
    preprocess would decode first and fail in English). The override is per instance: a
    gr.Image subclass would make Gradio write a .pyi stub next to this file at import."""
    image = gr.Image(type="filepath", **kwargs)
    default = image.preprocess

    def preprocess(payload):
        if payload is not None and payload.path:
            return str(payload.path)
        return default(payload)

    image.preprocess = preprocess
    return image


def localized(fn):
    """Translate the names a core StudioError carries ('what': 'kernel', 'field': 'stride')
    into the visitor's language before @guarded formats the message."""

    @functools.wraps(fn)
    def wrapper(*args):
        try:
            return fn(*args)
        except StudioError as err:
            lang = args[-1]
            if "what" in err.params:
                err.params["what"] = t(f"cnn_filters.what_{err.params['what']}", lang)
            if "field" in err.params and f"cnn_filters.{err.params['field']}" in _keys():
                err.params["field"] = t(f"cnn_filters.{err.params['field']}", lang)
            raise

    return wrapper


@functools.cache
def _keys() -> frozenset[str]:
    from demos.common.i18n import table

    return frozenset(table()["en"])


def _table_md(y: torch.Tensor) -> str:
    """A grid as a markdown table (column indices as header)."""
    H, W = y.shape
    head = "| | " + " | ".join(str(c) for c in range(W)) + " |\n|" + "---|" * (W + 1) + "\n"
    return head + "\n".join(f"| **{r}** | " + " | ".join(conv.fmt(v) for v in y[r].tolist()) + " |"
                            for r in range(H))


# ------------------------------------------------------------------ 1. convolution arithmetic

def _arith_inputs(grid, kernel, stride, padding, dilation):
    x = conv.parse_grid(grid, "input", conv.MAX_GRID)
    w = conv.parse_grid(kernel, "kernel", conv.MAX_KERNEL)
    s = check_number("stride", stride, 1, conv.MAX_STRIDE, integer=True)
    p = check_number("padding", padding, 0, conv.MAX_PADDING, integer=True)
    d = check_number("dilation", dilation, 1, conv.MAX_DILATION, integer=True)
    return x, w, s, p, d


def _cell_view(x, w, y, cell, s, p, d, lang):
    n = y.numel()
    cell = min(max(int(cell or 0), 0), n - 1)
    i, j = divmod(cell, y.shape[1])
    titles = (f"x  ({x.shape[0]}×{x.shape[1]}, p = {p})", f"w  ({w.shape[0]}×{w.shape[1]}, d = {d})",
              f"y  ({y.shape[0]}×{y.shape[1]}, s = {s})")
    picture = conv_plots.arithmetic_figure(x, w, y, i, j, s, p, d, titles)
    text = conv.terms_text(conv.terms(x, w, i, j, s, p, d))
    return picture, t("cnn_filters.cell_line", lang, i=i, j=j, text=text), cell


def arithmetic(grid, kernel, stride, padding, dilation, cell, pool_k, pool_s, pool_on, lang):
    """-> picture, size formula, output table, the cell's sum, pooling tables, cell slider."""
    x, w, s, p, d = _arith_inputs(grid, kernel, stride, padding, dilation)
    y = conv.conv_grid(x, w, s, p, d)
    (H, W), (kh, kw) = x.shape, w.shape
    size = t("cnn_filters.size_line", lang, rows=conv.size_formula(H, kh, s, p, d),
             cols=conv.size_formula(W, kw, s, p, d), out_h=y.shape[0], out_w=y.shape[1], h=H, w=W)
    left_r, left_c = conv.leftover(H, kh, s, p, d), conv.leftover(W, kw, s, p, d)
    if left_r or left_c:
        size += "\n\n" + t("cnn_filters.leftover_note", lang, rows=left_r, cols=left_c, s=s)
    elif tuple(y.shape) == (H, W) and p > 0:
        size += "\n\n" + t("cnn_filters.same_note", lang, p=p)
    picture, cell_text, cell = _cell_view(x, w, y, cell, s, p, d, lang)
    k = check_number("pool_size", pool_k, 1, conv.MAX_KERNEL, integer=True)
    ps = check_number("pool_stride", pool_s, 1, conv.MAX_STRIDE, integer=True)
    src = y if pool_on == "output" else x
    pooled = "\n\n".join(f"**{t(f'cnn_filters.pool_{kind}', lang, k=k, s=ps)}**\n\n"
                         + _table_md(conv.pool_grid(src, kind, k, ps)) for kind in ("max", "avg"))
    slider = gr.update(maximum=y.numel() - 1, value=cell)
    return picture, size, _table_md(y), cell_text, pooled, slider


def arithmetic_step(grid, kernel, stride, padding, dilation, cell, lang):
    """Walk the window: -> picture and the written-out sum of output cell ``cell`` (row-major)."""
    x, w, s, p, d = _arith_inputs(grid, kernel, stride, padding, dilation)
    y = conv.conv_grid(x, w, s, p, d)
    picture, cell_text, _ = _cell_view(x, w, y, cell, s, p, d, lang)
    return picture, cell_text


def worksheet(lang):
    """The worksheet's example back in the inputs: grid, kernel, stride 1, padding 0, dilation 1, cell 0."""
    return GRID_DEFAULT, KERNEL_DEFAULT, 1, 0, 1, 0


# ------------------------------------------------------------------ 2. filters on photos

def _photo(photo, upload):
    if photo == "upload":
        if not upload:
            raise StudioError("cnn_filters.no_upload")
        return filters.load_upload(upload)
    return filters.load_photo(photo), None


def photo_filter_values(photo, upload, kernel, mode, stride, padding, relu, pool, scale, lang):
    """-> input as used, output image, sizes/values line, histogram table (value, count)."""
    w = conv.parse_grid(kernel, "photo_kernel", 5).to(torch.float32)
    if tuple(w.shape) not in ((3, 3), (5, 5)):
        raise StudioError("cnn_filters.kernel_size", rows=w.shape[0], cols=w.shape[1])
    s = check_number("stride", stride, 1, conv.MAX_STRIDE, integer=True)
    p = check_number("padding", padding, 0, conv.MAX_PADDING, integer=True)
    img, note = _photo(photo, upload)
    x = filters.to_channels(img, "rgb" if mode == "rgb" else "gray")            # (C, H, W)
    c_h = conv.output_size(x.shape[1], w.shape[0], s, p)
    c_w = conv.output_size(x.shape[2], w.shape[1], s, p)
    y = filters.apply_filter(x, w, s, p, bool(relu), pool if pool in ("max", "avg") else "none")
    shown, how = filters.to_display(y, scale if scale in ("clip", "rescale") else "auto")
    C, H, W = x.shape
    after = t("cnn_filters.after_pool", lang, h=y.shape[1], w=y.shape[2]) if pool in ("max", "avg") else ""
    line = t("cnn_filters.photo_line", lang, in_h=H, in_w=W, in_c=C, k_h=w.shape[0], k_w=w.shape[1], s=s, p=p,
             c_h=c_h, c_w=c_w, after=after, lo=conv.fmt(y.min()), hi=conv.fmt(y.max()),
             mean=conv.fmt(round(float(y.mean()), 3)), scale=t(f"cnn_filters.shown_{how}", lang))
    if note:
        line = t(note[0], lang, **note[1]) + "  \n" + line
    counts, edges = filters.histogram(y, bins=48)
    hist = pd.DataFrame({"value": np.round((edges[:-1] + edges[1:]) / 2, 2), "count": counts})
    shown_in = x[0].round().to(torch.uint8).numpy() if C == 1 else np.asarray(img)
    return shown_in, shown, line, hist


def photo_filter(*args):
    """The photo filter for the UI/API: as photo_filter_values, the histogram as a bar plot."""
    shown_in, shown, line, hist = photo_filter_values(*args)
    lang = args[-1]
    return shown_in, shown, line, gr.update(value=hist, x_title=t("cnn_filters.hist_value", lang),
                                            y_title=t("cnn_filters.hist_count", lang))


def kernel_preset(name, lang):
    """The preset's numbers as kernel text (then editable)."""
    if name not in filters.PRESETS:
        raise StudioError("cnn_filters.unknown_photo", name=str(name)[:40])
    return conv.grid_text(filters.PRESETS[name])


# ------------------------------------------------------------------ 3. what a trained CNN sees

def _cnn_view(x: torch.Tensor, label: int | None, lang):
    from core import cnn

    model = cnn.judge_model()
    maps = cnn.feature_maps(model, x.to(next(model.parameters()).device))
    with torch.inference_mode():   # the head on the last pooled maps: one forward pass, not two
        probs = torch.softmax(model.head(maps[-1][1]), dim=-1)[0].float().cpu()
    gallery = [(conv_plots.mosaic(m[0], cols=8 if m.shape[1] > 16 else 4,
                                  cell=56 if m.shape[-1] >= 14 else 42),
                f"{name} · {m.shape[1]} × {m.shape[2]} × {m.shape[3]}") for name, m in maps]
    kernels = conv_plots.mosaic(cnn.first_kernels(model)[:, 0], cols=8, cell=48, cmap="RdBu_r", symmetric=True)
    digit = conv_plots.mosaic(x[0].cpu(), cols=1, cell=168, gap=0, cmap="gray")
    pred = int(probs.argmax())
    truth = t("cnn_filters.truth", lang, label=label) if label is not None else ""
    line = t("cnn_filters.pred_line", lang, pred=pred, conf=f"{100 * float(probs[pred]):.1f}", truth=truth)
    return digit, {str(c): float(probs[c]) for c in range(10)}, line, gallery, kernels


def cnn_sample(index, lang):
    """Feature maps of test-sample digit ``index`` (0..199)."""
    from core.data import load_sample, to_float

    i = check_number("sample", index, 0, N_SAMPLES - 1, integer=True)
    images, labels = load_sample()
    return _cnn_view(to_float(images[i:i + 1]), int(labels[i]), lang)


def cnn_sample_quiet(index, lang):
    """cnn_sample for a language switch: re-labels the view, and stays silent (no toast) when
    the checkpoint is missing; the buttons then give the message."""
    try:
        return cnn_sample(index, lang)
    except Exception:  # noqa: BLE001
        return (gr.skip(),) * 5


def cnn_drawing(sketch, lang):
    """Feature maps of a drawn digit (Sketchpad value), MNIST-style preprocessing (core.sketch).
    An empty canvas (e.g. just cleared) clears the views and says so in the prediction line."""
    from core.sketch import to_mnist

    try:
        x = to_mnist(sketch)
    except StudioError as err:
        if err.key != "common.empty_sketch":
            raise
        return None, None, t("common.empty_sketch", lang), None, gr.skip()
    return _cnn_view(x, None, lang)


# ------------------------------------------------------------------ 4. counting parameters

def params(c_in, c_out, k, bias, h, w, stride, padding, channels, lang):
    """-> this layer's counts (formula substituted) and the ResNet / VGG comparison tables."""
    ci = check_number("c_in", c_in, 1, conv_params.MAX_CHANNELS, integer=True)
    co = check_number("c_out", c_out, 1, conv_params.MAX_CHANNELS, integer=True)
    kk = check_number("k", k, 1, conv_params.MAX_KERNEL, integer=True)
    hh = check_number("height", h, 1, conv_params.MAX_SIZE, integer=True)
    ww = check_number("width", w, 1, conv_params.MAX_SIZE, integer=True)
    s = check_number("stride", stride, 1, conv.MAX_STRIDE, integer=True)
    p = check_number("padding", padding, 0, conv.MAX_PADDING, integer=True)
    c = check_number("channels", channels, 4, conv_params.MAX_CHANNELS, integer=True)
    layer = conv_params.conv_count(ci, co, kk, bool(bias), hh, ww, s, p)
    layer_md = t("cnn_filters.layer_md", lang, k=kk, c_in=ci, c_out=co, bias_term=f" + {co}" if bias else "",
                 params=f"{layer.params:,}", out_h=layer.out_h, out_w=layer.out_w, s=s, p=p, macs=f"{layer.macs:,}")
    layer_md += "\n\n" + t("cnn_filters.curriculum", lang)

    def table(rows):
        head = (f"| {t('cnn_filters.col_block', lang)} | {t('cnn_filters.col_layers', lang)} | "
                f"{t('cnn_filters.col_params', lang)} | {t('cnn_filters.col_macs', lang)} | "
                f"{t('cnn_filters.col_rf', lang)} |\n|---|---|---:|---:|---:|\n")
        body = []
        for key, layers in rows:
            n, macs = conv_params.total(layers)
            desc = " → ".join(f"{x.k}×{x.k}: {x.c_in}→{x.c_out} ({x.params:,})" for x in layers)
            rf = conv_params.receptive_field([x.k for x in layers])
            body.append(f"| {t(key, lang)} | {desc} | **{n:,}** | {macs:,} | {rf}×{rf} |")
        return head + "\n".join(body)

    H, W = hh, ww   # the comparisons run on the same input size (stride 1, "same" padding)
    bott, basic = conv_params.bottleneck(c, H, W), conv_params.basic_block(c, H, W)
    pair, single = conv_params.vgg_pair(c, H, W), conv_params.single_5x5(c, H, W)
    ratio = conv_params.total(basic)[0] / conv_params.total(bott)[0]
    vgg_pct = 100 * conv_params.total(pair)[0] / conv_params.total(single)[0]
    compare = "\n\n".join([
        t("cnn_filters.resnet_head", lang, c=c, h=H, w=W),
        table([("cnn_filters.row_bottleneck", bott), ("cnn_filters.row_basic", basic)]),
        t("cnn_filters.ratio", lang, ratio=f"{ratio:.1f}"),
        t("cnn_filters.vgg_head", lang, c=c, h=H, w=W),
        table([("cnn_filters.row_vgg", pair), ("cnn_filters.row_5x5", single)]),
        t("cnn_filters.vgg_ratio", lang, ratio=f"{vgg_pct:.0f}"),
    ])
    return layer_md, compare


# ------------------------------------------------------------------ layout and wiring

def _initial(lang: str):
    """The defaults' results, so the page opens showing the worksheet, the camera photo under
    Sobel x, a test digit's feature maps and the parameter tables rather than empty boxes.
    A missing CNN checkpoint leaves section 3 empty (its buttons then explain)."""
    a = arithmetic(GRID_DEFAULT, KERNEL_DEFAULT, 1, 0, 1, 0, 2, 2, "input", lang)
    ph = photo_filter_values("camera", None, conv.grid_text(filters.PRESETS["sobel_x"]), "gray", 1, 1, False,
                             "none", "auto", lang)
    pa = params(128, 64, 3, True, 56, 56, 1, 1, 256, lang)
    try:
        cn = cnn_sample(0, lang)
    except Exception:  # noqa: BLE001 - weights not trained yet: the tab still opens
        cn = (None, None, "", None, None)
    return a, ph, pa, cn


def build(lang: gr.Radio) -> None:
    a0, ph0, pa0, cn0 = _initial(lang.value if lang.value in ("en", "ko") else "en")
    gr.Markdown(L("cnn_filters.intro"))
    with gr.Tabs():
        with gr.Tab(L("cnn_filters.sec_arith"), elem_id="cnn-arith"):
            with gr.Row():
                with gr.Column(scale=2):
                    with gr.Row():
                        grid = gr.Textbox(GRID_DEFAULT, lines=7, max_lines=18, label=L("cnn_filters.grid"),
                                          elem_id="cnn-grid", scale=3)
                        kernel = gr.Textbox(KERNEL_DEFAULT, lines=3, max_lines=8, label=L("cnn_filters.kernel"),
                                            elem_id="cnn-kernel", scale=2)
                    with gr.Row():
                        stride = gr.Number(1, label=L("cnn_filters.stride"), elem_id="cnn-stride")
                        padding = gr.Number(0, label=L("cnn_filters.padding"), elem_id="cnn-padding")
                        dilation = gr.Number(1, label=L("cnn_filters.dilation"), elem_id="cnn-dilation")
                    with gr.Row():
                        pool_k = gr.Number(2, label=L("cnn_filters.pool_size"))
                        pool_s = gr.Number(2, label=L("cnn_filters.pool_stride"))
                        pool_on = gr.Radio([(L("cnn_filters.pool_on_input"), "input"),
                                            (L("cnn_filters.pool_on_output"), "output")], value="input",
                                           label=L("cnn_filters.pool_on"))
                    with gr.Row():
                        run = gr.Button(L("cnn_filters.compute"), variant="primary", elem_id="cnn-arith-run")
                        reset = gr.Button(L("cnn_filters.worksheet"))
                with gr.Column(scale=3):
                    size_md = gr.Markdown(a0[1], label=L("cnn_filters.formula"), elem_id="cnn-size")
                    out_md = gr.Markdown(a0[2], elem_id="cnn-out")
            cell = gr.Slider(0, a0[5]["maximum"], value=0, step=1, label=L("cnn_filters.cell"), elem_id="cnn-cell")
            cell_md = gr.Markdown(a0[3], elem_id="cnn-sum")
            picture = gr.Image(a0[0], label=L("cnn_filters.picture"), interactive=False, format="png", elem_id="cnn-picture")
            pooled_md = gr.Markdown(a0[4], elem_id="cnn-pooled")

        with gr.Tab(L("cnn_filters.sec_photo"), elem_id="cnn-photo"):
            with gr.Row():
                with gr.Column(scale=2):
                    photo = gr.Dropdown([(n, n) for n in filters.PHOTOS]
                                        + [(L("cnn_filters.upload_choice"), "upload")],
                                        value="camera", label=L("cnn_filters.photo"), elem_id="cnn-photo-name")
                    upload = upload_image(label=L("cnn_filters.upload"), sources=["upload"],
                                         height=160, elem_id="cnn-upload")
                    preset = gr.Dropdown([(L(f"cnn_filters.preset_{k}"), k) for k in filters.PRESETS], value="sobel_x",
                                         label=L("cnn_filters.preset"), elem_id="cnn-preset")
                    photo_kernel = gr.Textbox(conv.grid_text(filters.PRESETS["sobel_x"]), lines=3, max_lines=5,
                                              label=L("cnn_filters.photo_kernel"), elem_id="cnn-photo-kernel")
                    mode = gr.Radio([(L("cnn_filters.mode_gray"), "gray"), (L("cnn_filters.mode_rgb"), "rgb")],
                                    value="gray", label=L("cnn_filters.mode"))
                    with gr.Row():
                        photo_stride = gr.Number(1, label=L("cnn_filters.stride"))
                        photo_padding = gr.Number(1, label=L("cnn_filters.padding"))
                    relu = gr.Checkbox(False, label=L("cnn_filters.relu"))
                    pool = gr.Radio([(L("cnn_filters.pool_none"), "none"), (L("cnn_filters.pool_max_short"), "max"),
                                     (L("cnn_filters.pool_avg_short"), "avg")], value="none",
                                    label=L("cnn_filters.pool"))
                    scale = gr.Radio([(L("cnn_filters.scale_auto"), "auto"), (L("cnn_filters.scale_clip"), "clip"),
                                      (L("cnn_filters.scale_rescale"), "rescale")], value="auto",
                                     label=L("cnn_filters.scale"))
                    apply = gr.Button(L("cnn_filters.apply"), variant="primary", elem_id="cnn-photo-run")
                with gr.Column(scale=3):
                    photo_line = gr.Markdown(ph0[2], elem_id="cnn-photo-line")
                    with gr.Row():
                        photo_in = gr.Image(ph0[0], label=L("cnn_filters.photo_in"), interactive=False, height=330,
                                            format="jpeg")
                        photo_out = gr.Image(ph0[1], label=L("cnn_filters.photo_out"), interactive=False, height=330,
                                             format="png",
                                             elem_id="cnn-photo-out")
                    hist = gr.BarPlot(ph0[3], label=L("cnn_filters.histogram"), x="value", y="count", height=220,
                                      elem_id="cnn-hist")

        with gr.Tab(L("cnn_filters.sec_cnn"), elem_id="cnn-net"):
            gr.Markdown(L("cnn_filters.cnn_intro"))
            with gr.Row():
                with gr.Column(scale=2):
                    sample = gr.Slider(0, N_SAMPLES - 1, value=0, step=1, label=L("cnn_filters.sample"),
                                       elem_id="cnn-sample")
                    show = gr.Button(L("cnn_filters.show_sample"), variant="primary", elem_id="cnn-net-run")
                    sketch = gr.Sketchpad(label=L("cnn_filters.sketch"), type="numpy", canvas_size=(280, 280),
                                          brush=gr.Brush(colors=["#000000"], color_mode="fixed", default_size=12),
                                          height=340, elem_id="cnn-sketch")
                with gr.Column(scale=3):
                    pred_md = gr.Markdown(cn0[2], elem_id="cnn-pred")
                    with gr.Row():
                        digit = gr.Image(cn0[0], label=L("cnn_filters.digit_in"), interactive=False, height=200)
                        probs = gr.Label(cn0[1], label=L("cnn_filters.prediction"), num_top_classes=5)
                    kernels = gr.Image(cn0[4], label=L("cnn_filters.kernels"), interactive=False, height=140)
            maps = gr.Gallery(cn0[3], label=L("cnn_filters.maps"), columns=3, height="auto", object_fit="contain",
                              format="png", elem_id="cnn-maps")

        with gr.Tab(L("cnn_filters.sec_params"), elem_id="cnn-params"):
            with gr.Row():
                c_in = gr.Number(128, label=L("cnn_filters.c_in"))
                c_out = gr.Number(64, label=L("cnn_filters.c_out"))
                k = gr.Number(3, label=L("cnn_filters.k"))
                bias = gr.Checkbox(True, label=L("cnn_filters.bias"))
            with gr.Row():
                height = gr.Number(56, label=L("cnn_filters.height"))
                width = gr.Number(56, label=L("cnn_filters.width"))
                p_stride = gr.Number(1, label=L("cnn_filters.stride"))
                p_padding = gr.Number(1, label=L("cnn_filters.padding"))
                channels = gr.Number(256, label=L("cnn_filters.channels"), elem_id="cnn-params-channels")
            count = gr.Button(L("cnn_filters.count"), variant="primary", elem_id="cnn-params-run")
            layer_md = gr.Markdown(pa0[0], label=L("cnn_filters.params_layer"), elem_id="cnn-layer")
            compare_md = gr.Markdown(pa0[1], label=L("cnn_filters.params_compare"), elem_id="cnn-compare")

    # ---- wiring: every event ends with the language radio; a language switch re-renders text
    arith_in = [grid, kernel, stride, padding, dilation, cell, pool_k, pool_s, pool_on, lang]
    arith_out = [picture, size_md, out_md, cell_md, pooled_md, cell]
    # always_last: a click while the language switch's re-render is running is not dropped
    gr.on([run.click, pool_on.change, lang.change], guarded(localized(arithmetic)), arith_in, arith_out,
          api_name="conv_arithmetic", trigger_mode="always_last")
    cell.change(guarded(localized(arithmetic_step)), [grid, kernel, stride, padding, dilation, cell, lang],
                 [picture, cell_md], api_name="conv_step", trigger_mode="always_last")
    reset.click(guarded(worksheet), [lang], [grid, kernel, stride, padding, dilation, cell],
                api_name="conv_worksheet").then(
        guarded(localized(arithmetic)), arith_in, arith_out, api_name=False)

    photo_in_args = [photo, upload, photo_kernel, mode, photo_stride, photo_padding, relu, pool, scale, lang]
    photo_out_args = [photo_in, photo_out, photo_line, hist]
    gr.on([apply.click, upload.upload, photo.change, mode.change, relu.change, pool.change, scale.change, lang.change],
          guarded(localized(photo_filter)), photo_in_args, photo_out_args, api_name="conv_photo",
          trigger_mode="always_last")
    upload.upload(None, None, photo, js="() => 'upload'", api_name=False)
    preset.change(guarded(kernel_preset), [preset, lang], photo_kernel, api_name="conv_kernel_preset").then(
        guarded(localized(photo_filter)), photo_in_args, photo_out_args, api_name=False)

    cnn_out = [digit, probs, pred_md, maps, kernels]
    gr.on([show.click, sample.release], guarded(localized(cnn_sample)), [sample, lang], cnn_out,
          api_name="cnn_feature_maps", trigger_mode="always_last")
    lang.change(cnn_sample_quiet, [sample, lang], cnn_out, api_name="cnn_feature_maps_relabel",
                api_visibility="private", show_progress="hidden")
    sketch.change(guarded(localized(cnn_drawing)), [sketch, lang], cnn_out, api_name="cnn_feature_maps_drawing",
                  trigger_mode="always_last", show_progress="hidden")

    params_in = [c_in, c_out, k, bias, height, width, p_stride, p_padding, channels, lang]
    gr.on([count.click, bias.change, lang.change], guarded(localized(params)), params_in, [layer_md, compare_md],
          api_name="conv_params", trigger_mode="always_last")


def bench_cases() -> list[tuple[str, tuple]]:
    """(api_name, args incl. lang) the benchmark times: a 3x3 filter on a 512 x 512 photo,
    a digit's feature maps, the worksheet arithmetic, the parameter tables."""
    sobel = conv.grid_text(filters.PRESETS["sobel_x"])
    return [
        ("conv_photo", ("camera", None, sobel, "gray", 1, 1, False, "none", "auto", "en")),
        ("cnn_feature_maps", (7, "en")),
        ("conv_arithmetic", (GRID_DEFAULT, KERNEL_DEFAULT, 1, 0, 1, 4, 2, 2, "input", "en")),
        ("conv_params", (128, 64, 3, True, 56, 56, 1, 1, 256, "en")),
    ]
