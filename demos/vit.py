"""ViT Patches tab (week 9): an image becomes 16x16 words, and we watch where the class token looks.

Views: patchify any image at any patch size (core/patches.py), the learned position
embeddings' cosine similarity (core/rollout.py, the ViT paper's Fig. 7), the class token's
attention per layer and head and attention rollout with head fusion and discard ratio
(core/rollout.py), for the studio's MNIST ViT (core/vit.py, weights/vit) or a cached
pretrained ViT-Base. Figures: core/vit_plots.py; input handling: core/vit_inputs.py.
"""
from __future__ import annotations

import functools

import gradio as gr
import numpy as np
import torch

from core import patches as pt
from core import rollout as ro
from core import vit as vm
from core import vit_inputs as vi
from core import vit_plots as vp
from core.errors import StudioError, check_number
from demos.common.i18n import L, guarded, norm_lang, t

SOURCES = ("sample", "draw", "photo", "upload")
MODELS = ("mnist", "hub")
MAX_HIDDEN = 8192
N_SAMPLES = 200


# ---- input parsing -------------------------------------------------------------------------
def _picture(source, index, sketch, photo, upload, lang) -> tuple[np.ndarray, bool, str]:
    """The visitor's image: (pixels, is_digit, caption). Digits: float (28, 28) in [0, 1]
    (MNIST-preprocessed); photos/uploads: RGB uint8 (224, 224, 3)."""
    if source == "sample":
        from core.data import load_sample, to_float

        i = check_number(t("vit.sample_index", lang), index, 0, N_SAMPLES - 1, integer=True)
        images, labels = load_sample()
        return to_float(images[i:i + 1])[0, 0].numpy(), True, f"MNIST #{i} ({int(labels[i])})"
    if source == "draw":
        return vi.to_digit(vi.sketch_rgb(sketch)), True, t("vit.source_draw", lang)
    if source == "photo":
        return vi.to_photo(vi.bundled_photo(str(photo))), False, str(photo)
    if source == "upload":
        if not upload:
            raise StudioError("vit.no_upload")
        return vi.to_photo(vi.read_upload(upload)), False, t("vit.source_upload", lang)
    raise StudioError("vit.bad_source", source=str(source)[:40])


def _model_input(model_name, source, index, sketch, photo, upload, lang):
    """(model, pixels for it (1, C, H, W), image to draw, label names) for the chosen model."""
    if model_name == "mnist":
        if source in ("sample", "draw"):
            digit = _picture(source, index, sketch, photo, upload, lang)[0]
        elif source == "photo":
            digit = vi.to_digit(vi.bundled_photo(str(photo)))
        else:
            if not upload:
                raise StudioError("vit.no_upload")
            digit = vi.to_digit(vi.read_upload(upload))
        return vm.committed(), torch.from_numpy(np.ascontiguousarray(digit))[None, None], digit, \
            [str(d) for d in range(10)]
    if model_name == "hub":
        model, mean, std, size = vm.load_hub(vm.hub_name())
        image, is_digit, _ = _picture(source, index, sketch, photo, upload, lang)
        rgb = vi.to_photo(vi.as_rgb(image), size)
        x = torch.from_numpy(rgb.astype(np.float32) / 255.0).permute(2, 0, 1)[None]  # (1, 3, H, W)
        x = (x - mean[:, None, None]) / std[:, None, None]
        names = [model.config.id2label.get(i, str(i)) for i in range(model.config.num_labels)]
        return model, x, rgb, names
    raise StudioError("vit.bad_model", model=str(model_name)[:40])


def _hf(model):
    return model.hf if isinstance(model, vm.MnistViT) else model


def _grid(model) -> tuple[int, int]:
    emb = _hf(model).vit.embeddings
    H, W = emb.patch_embeddings.image_size
    P = emb.patch_embeddings.patch_size[0]
    return H // P, W // P


# ---- callbacks -----------------------------------------------------------------------------
@guarded
def show_source(source, lang):
    return [gr.update(visible=source == s) for s in SOURCES]


@guarded
def patchify_view(source, index, sketch, photo, upload, patch, hidden, lang):
    """Patch grid, token sequence and the shapes of eq. (1) for the visitor's image and P."""
    P = check_number(t("vit.patch_size", lang), patch, 1, 1024, integer=True)
    D = check_number(t("vit.hidden", lang), hidden, 1, MAX_HIDDEN, integer=True)
    image, is_digit, caption = _picture(source, index, sketch, photo, upload, lang)
    x = torch.from_numpy(np.ascontiguousarray(image, np.float32))
    x = x[None, None] if is_digit else x.permute(2, 0, 1)[None] / 255.0      # (1, C, H, W) in [0, 1]
    C, H, W = x.shape[1:]
    s = pt.shapes(H, W, C, P, D)                                            # raises for a bad P
    x_p = pt.patchify(x, P)[0].numpy()                                      # (N, P^2 C)
    grid = vp.patch_grid(image, P, {"title": f"{caption}: " + t("vit.grid_title", lang, rows=s["rows"],
                                                                 cols=s["cols"], n=s["N"], p=P)})
    seq = vp.sequence(x_p, P, C, {"tokens": t("vit.seq_tokens", lang, n=s["N"], t=s["N"] + 1),
                                  "matrix": t("vit.seq_matrix", lang, n=s["N"], k=s["patch_dim"]),
                                  "index": t("vit.seq_index", lang), "value": t("vit.seq_value", lang),
                                  "cls": t("vit.cls", lang)})
    text = t("vit.shapes", lang, H=H, W=W, C=C, P=P, D=D, N=s["N"], K=s["patch_dim"], rows=s["rows"],
             cols=s["cols"], T=s["N"] + 1, params=f"{s['E_params']:,}", pairs=f"{(s['N'] + 1) ** 2:,}")
    return grid, seq, text


@guarded
def position_view(model_name, lang):
    """The cosine-similarity grid of the model's learned position embeddings."""
    if model_name not in MODELS:
        raise StudioError("vit.bad_model", model=str(model_name)[:40])
    return _position_figure(model_name, vm.hub_name() if model_name == "hub" else "", norm_lang(lang))


@functools.lru_cache(maxsize=8)
def _position_figure(model_name: str, hub: str, lang: str):
    """Static per model and language (the weights are read-only), so drawn once."""
    model = vm.committed() if model_name == "mnist" else vm.load_hub(hub)[0]
    rows, cols = _grid(model)
    sim = ro.position_similarity(_hf(model).vit.embeddings.position_embeddings[0].detach())
    near, far = ro.neighbour_similarity(sim, rows, cols)
    fig = vp.similarity_grid(sim, rows, cols, {
        "title": t("vit.position_title", lang, rows=rows, cols=cols), "row": t("vit.position_row", lang),
        "col": t("vit.position_col", lang), "colorbar": t("vit.position_cbar", lang)})
    fig.flags.writeable = False
    return fig, t("vit.position_note", lang, near=near, far=far)


@guarded
def attention_view(source, index, sketch, photo, upload, model_name, fusion, discard, lang):
    """Class-token attention per layer/head, attention rollout, and the prediction."""
    discard = check_number(t("vit.discard", lang), discard, 0.0, 0.99)
    if fusion not in ro.HEAD_FUSIONS:
        raise StudioError("vit.bad_fusion", fusion=str(fusion)[:20], choices=", ".join(ro.HEAD_FUSIONS))
    model, x, image, names = _model_input(model_name, source, index, sketch, photo, upload, lang)
    rows, cols = _grid(model)
    logits, attn = vm.run(model, x)                                         # (1, K), (L, 1, H, T, T)
    attn = attn[:, 0]                                                        # (L, H, T, T)
    heat = ro.rollout_map(attn, rows, cols, fusion, discard)                 # (rows, cols), max 1
    mosaic = vp.attention_mosaic(image, ro.cls_attention(attn), rows, cols, {
        "title": t("vit.mosaic_title", lang), "layer": t("vit.layer", lang), "head": t("vit.head", lang)})
    overlay = vp.rollout_overlay(image, heat, {"input": t("vit.rollout_input", lang),
                                               "rollout": t("vit.rollout_map", lang, fusion=fusion, discard=discard)})
    probs = logits[0].softmax(-1)
    top = torch.topk(probs, min(10, len(names)))
    label = {names[i]: float(p) for p, i in zip(top.values.tolist(), top.indices.tolist())}
    best = int(heat.flatten().argmax())
    note = t("vit.attention_note", lang, label=names[int(top.indices[0])], prob=float(top.values[0]),
             top=best, row=best // cols + 1, col=best % cols + 1)
    return mosaic, overlay, label, note


# ---- layout and wiring ---------------------------------------------------------------------
def build(lang: gr.Radio) -> None:
    gr.Markdown(L("vit.intro"))
    with gr.Row():
        with gr.Column(scale=2, min_width=300):
            source = gr.Radio([(L(f"vit.source_{s}"), s) for s in SOURCES], value="sample",
                              label=L("vit.source"), elem_id="vit-source")
            index = gr.Slider(0, N_SAMPLES - 1, value=0, step=1, label=L("vit.sample_index"), elem_id="vit-index")
            sketch = gr.Sketchpad(label=L("vit.sketch"), canvas_size=(280, 280), height=340, visible=False,
                                  type="numpy",
                                  brush=gr.Brush(default_size=18, colors=["#000000"], color_mode="fixed"),
                                  elem_id="vit-sketch")
            photo = gr.Dropdown(list(vi.BUNDLED), value="chelsea", label=L("vit.photo"), visible=False,
                                elem_id="vit-photo")
            upload = gr.File(label=L("vit.upload"), file_types=["image"], type="filepath", visible=False,
                             elem_id="vit-upload")
            gr.Markdown(L("vit.input_note"))
        with gr.Column(scale=5):
            with gr.Accordion(L("vit.patches_section"), open=True):
                with gr.Row():
                    patch = gr.Slider(1, 64, value=7, step=1, label=L("vit.patch_size"), elem_id="vit-patch")
                    hidden = gr.Number(value=64, precision=0, label=L("vit.hidden"), elem_id="vit-hidden")
                    patch_btn = gr.Button(L("vit.patchify"), variant="primary", elem_id="vit-patchify")
                with gr.Row():
                    grid_img = gr.Image(label=L("vit.grid"), show_label=False, interactive=False, format="png",
                                        elem_id="vit-grid")
                    shapes_md = gr.Markdown(elem_id="vit-shapes")
                seq_img = gr.Image(label=L("vit.sequence"), show_label=False, interactive=False, format="png",
                                   elem_id="vit-seq")
            model = gr.Radio([(L(f"vit.model_{m}"), m) for m in MODELS], value="mnist", label=L("vit.model"),
                             elem_id="vit-model")
            with gr.Accordion(L("vit.position_section"), open=True):
                pos_btn = gr.Button(L("vit.show_position"), elem_id="vit-position-btn")
                with gr.Row():
                    pos_img = gr.Image(label=L("vit.position"), show_label=False, interactive=False, format="png",
                                       elem_id="vit-position")
                    pos_md = gr.Markdown(elem_id="vit-position-note")
            with gr.Accordion(L("vit.attention_section"), open=True):
                with gr.Row():
                    fusion = gr.Radio(list(ro.HEAD_FUSIONS), value="mean", label=L("vit.fusion"),
                                      info=L("vit.fusion_info"), elem_id="vit-fusion")
                    discard = gr.Slider(0.0, 0.99, value=0.0, step=0.01, label=L("vit.discard"),
                                        info=L("vit.discard_info"), elem_id="vit-discard")
                    attn_btn = gr.Button(L("vit.show_attention"), variant="primary", elem_id="vit-attend")
                with gr.Row():
                    mosaic_img = gr.Image(label=L("vit.mosaic"), show_label=False, interactive=False, format="png",
                                          elem_id="vit-mosaic")
                    with gr.Column():
                        rollout_img = gr.Image(label=L("vit.rollout"), show_label=False, interactive=False, format="png",
                                               elem_id="vit-rollout")
                        pred = gr.Label(num_top_classes=5, label=L("vit.prediction"), elem_id="vit-pred")
                attn_md = gr.Markdown(elem_id="vit-attn-note")

    picture = [source, index, sketch, photo, upload]
    source.change(show_source, [source, lang], [index, sketch, photo, upload], api_name="vit_source",
                  queue=False)
    gr.on([patch_btn.click, patch.release, index.release, photo.change, upload.upload],
          patchify_view, picture + [patch, hidden, lang], [grid_img, seq_img, shapes_md], api_name="vit_patches")
    gr.on([attn_btn.click, fusion.change, discard.release, model.change, index.release, photo.change,
           upload.upload],
          attention_view, picture + [model, fusion, discard, lang], [mosaic_img, rollout_img, pred, attn_md],
          api_name="vit_attention", concurrency_limit=4)
    gr.on([pos_btn.click, model.change], position_view, [model, lang], [pos_img, pos_md],
          api_name="vit_position")


def bench_cases() -> list[tuple[str, tuple]]:
    """(api_name, args incl. lang) timed by the benchmark: a digit's patch and attention views."""
    digit = ("sample", 0, None, "chelsea", None)
    return [
        ("vit_patches", (*digit, 7, 64, "en")),
        ("vit_attention", (*digit, "mnist", "mean", 0.0, "en")),
        ("vit_position", ("mnist", "en")),
    ]
