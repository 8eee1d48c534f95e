"""VAE Latent Walk tab (week 10): encode, sample, decode and walk a 2-D latent space of digits.

Layout, then wiring. The model, its loss split and the reparameterization are in core/vae.py,
grids and paths in z in core/vae_latent.py, the map and pictures in core/vae_plots.py, the
drawing -> 28x28 step in core/sketch.py; the digit judge is core.cnn.
"""
from __future__ import annotations

import functools

import gradio as gr
import pandas as pd
import torch

from core import vae_latent as vl
from core.errors import StudioError
from demos.common.i18n import L, guarded, t
from demos.common.samples import sample_choices, sample_digits

DIGIT_SCALE = 8                   # 28 px -> 224 px on screen
SEED_MAX = 2**31 - 1
SKETCH = -1                       # endpoint / source value meaning "the drawing"
SURE, MAYBE = 0.9, 0.5            # CNN confidence thresholds for the verdict
LATENT16 = 16


# ------------------------------------------------------------------------- helpers

@functools.cache
def _model(name: str = "vae"):
    from core.checkpoint import load_cached

    return load_cached(name)[0]


def _seed(seed) -> int:
    return vl.check_number("seed", seed, 0, SEED_MAX, integer=True)


@torch.inference_mode()
def _decode(z: torch.Tensor, name: str = "vae") -> torch.Tensor:
    """z (B, d) -> decoded pixel means (B, 1, 28, 28) on CPU."""
    model = _model(name)
    return model.decode(z.to(next(model.parameters()).device)).cpu()


def _read(images: torch.Tensor) -> torch.Tensor:
    """CNN softmax probabilities (B, 10) of images (B, 1, 28, 28)."""
    from core.cnn import probabilities

    return probabilities(images)


def _verdict(z: list[float], probs: torch.Tensor, lang: str) -> str:
    """The CNN's reading of one decoded picture, sure / probably / not a digit."""
    conf, digit = probs.max(dim=-1)
    conf = float(conf)
    key = "vae.judge_sure" if conf >= SURE else "vae.judge_maybe" if conf >= MAYBE else "vae.judge_unsure"
    where = f"z = ({z[0]:.2f}, {z[1]:.2f})" if len(z) == 2 else f"z ({len(z)}-D)"
    return t(key, lang, where=where, digit=int(digit), conf=conf)


def _label(probs: torch.Tensor) -> dict[str, float]:
    return {str(d): float(p) for d, p in enumerate(probs.tolist())}


def _base_map():
    from core.vae_plots import cached_map

    return cached_map("vae")


def _map_with(points, style="point", labels=None):
    from core.vae_plots import draw_points

    return draw_points(_base_map(), points, style=style, labels=labels)


def _input_image(source, sample, sketch) -> torch.Tensor:
    """The digit to encode: a committed test sample (index 0..199) or the drawing, (1, 1, 28, 28)."""
    from core.sketch import to_mnist

    if source == "sketch" or sample == SKETCH:
        return to_mnist(sketch)
    if source not in ("sample", "sketch"):
        raise StudioError("vae.bad_choice", field="source", value=str(source)[:40], choices="sample, sketch")
    images, _, _ = sample_digits()
    try:
        k = vl.check_number("sample", sample, 0, len(images) - 1, integer=True)
    except StudioError:
        raise StudioError("vae.bad_sample", value=str(sample)[:40]) from None
    return images[k:k + 1]


# ------------------------------------------------------------------------ callbacks

def _decode_outputs(z1: float, z2: float, lang: str, note: str = ""):
    z = vl.check_z([z1, z2], 2)
    image = _decode(z)
    probs = _read(image)[0]
    verdict = _verdict([float(z1), float(z2)], probs, lang)
    from core.vae_plots import enlarge

    return enlarge(image, DIGIT_SCALE), (note + "\n\n" if note else "") + verdict, _label(probs), _map_with(z)


@guarded(fields="vae")
def vae_decode(z1, z2, lang: str):
    """Decode z = (z1, z2): (picture 224x224, CNN verdict, CNN probabilities, map with the point)."""
    return _decode_outputs(z1, z2, lang)


@guarded(fields="vae")
def vae_sample(seed, lang: str):
    """z ~ N(0, I) from ``seed`` (rounded to the sliders' 0.01, clamped to the map's range, said so), then decoded:
    (z1, z2, picture, verdict, probabilities, map)."""
    from core.vae import sample_eps

    raw = sample_eps((2,), _seed(seed)).tolist()
    lim = vl.Z_LIMIT
    clamped = any(abs(v) > lim for v in raw)
    z = [round(min(max(v, -lim), lim), 2) for v in raw]         # on the sliders' 0.01 grid
    note = t("vae.clamped", lang, seed=int(seed), raw1=raw[0], raw2=raw[1], limit=lim) if clamped else ""
    return (z[0], z[1], *_decode_outputs(z[0], z[1], lang, note))


@guarded
def vae_map_click(evt: gr.SelectData, lang: str):
    """A click on the map (pixel x, y) -> the sliders and the decoded point."""
    from core.vae_plots import GEOMETRY

    z = GEOMETRY.to_latent(*evt.index[:2]) if evt is not None and evt.index else None
    if z is None:
        return (gr.update(),) * 6
    z1, z2 = round(float(z[0]), 2), round(float(z[1]), 2)
    return (z1, z2, *_decode_outputs(z1, z2, lang))


@guarded(fields="vae")
def vae_manifold(n, radius, spacing, lang: str):
    """Decode an n x n grid of z in [-r, r]^2: (picture, caption, map with the grid's rectangle)."""
    from core.vae_plots import enlarge

    z = vl.manifold_grid(n, radius, spacing)
    n, r = int(n), float(radius)
    images = _decode(z)
    sure = int((_read(images).max(dim=-1).values > SURE).sum())
    picture = enlarge(vl.tile(images, cols=n), max(1, 560 // (n * 28)))
    caption = t("vae.manifold_caption", lang, n=n, lo=f"{-r:g}", hi=f"{r:g}", sure=sure, total=n * n,
                share=sure / (n * n), spacing=t(f"vae.spacing_{spacing}", lang))
    return picture, caption, _map_with([[-r, -r], [r, r]], style="rect")


@guarded(fields="vae")
def vae_interpolate(a, b, sketch, mode, steps, lang: str):
    """Walk from mu(A) to mu(B): (strip picture, GIF path, map with the path, per-step table, caption).

    a, b: sample indices 0..199, or -1 for the drawing (``sketch``, a Sketchpad value)."""
    from core.vae_plots import enlarge, gif_file

    ends = [_input_image("sample", v, sketch) for v in (a, b)]
    model = _model()
    with torch.inference_mode():
        mu = model.encode(torch.cat(ends).to(next(model.parameters()).device))[0].cpu()   # (2, 2)
    zs = vl.interpolate(mu[0], mu[1], steps, mode)                                    # (S, 2)
    steps = len(zs)
    images = _decode(zs)
    conf, digit = _read(images).max(dim=-1)
    strip = enlarge(vl.tile(images, cols=steps, gap=2, fill=1.0), max(1, min(4, 1200 // (steps * 30))))
    ts = torch.linspace(0, 1, steps).tolist()
    rows = [[k, round(ts[k], 3), round(float(zs[k, 0]), 3), round(float(zs[k, 1]), 3), int(digit[k]),
             f"{float(conf[k]):.1%}"] for k in range(steps)]
    caption = t("vae.interp_caption", lang, mode=t(f"vae.mode_{mode}", lang).split(":")[0], steps=steps,
                a1=float(mu[0, 0]), a2=float(mu[0, 1]), b1=float(mu[1, 0]), b2=float(mu[1, 1]))
    headers = t("vae.interp_headers", lang).split("|")
    return (strip, gif_file(images), _map_with(zs, style="path", labels=["A", "B"]),
            pd.DataFrame(rows, columns=headers), caption)


@guarded(fields="vae")
def vae_encode(source, sample, sketch, seed, lang: str):
    """Encode one digit and sample z = mu + sigma * eps (eps from ``seed``):
    (input 28x28, reconstruction, numbers and loss terms, map with mu and z)."""
    from core.vae import sample_eps
    from core.vae_plots import enlarge

    x = _input_image(source, sample, sketch)
    eps = sample_eps((1, 2), _seed(seed))
    model = _model()
    device = next(model.parameters()).device
    with torch.inference_mode():
        out = {k: v.cpu() for k, v in model(x.to(device), eps.to(device)).items()}
    recon_img = torch.sigmoid(out["logits"])
    probs = _read(torch.cat([x, recon_img]))
    (c_in, d_in), (c_rec, d_rec) = [p.max(dim=-1) for p in probs]
    judge = t("vae.encode_judge", lang, inp=int(d_in), inp_conf=float(c_in), rec=int(d_rec), rec_conf=float(c_rec))
    mu, s, e, z = (out[k][0].tolist() for k in ("mu", "sigma", "eps", "z"))
    recon, kl = float(out["recon"][0]), float(out["kl"][0])
    numbers = t("vae.encode_numbers", lang, mu1=mu[0], mu2=mu[1], s1=s[0], s2=s[1], e1=e[0], e2=e[1],
                z1=z[0], z2=z[1], seed=int(seed), recon=recon, kl=kl, total=recon + kl, judge=judge)
    return (enlarge(x, DIGIT_SCALE), enlarge(recon_img, DIGIT_SCALE), numbers,
            _map_with([mu, z], labels=["mu", "z"]))


def _decode16_outputs(values, lang: str, note: str = ""):
    from core.vae_plots import enlarge

    z = vl.check_z(values, LATENT16)
    image = _decode(z, "vae16")
    probs = _read(image)[0]
    verdict = _verdict(z[0].tolist(), probs, lang)
    return enlarge(image, DIGIT_SCALE), (note + "\n\n" if note else "") + verdict, _label(probs)


@guarded(fields="vae")
def vae16_decode(*args):
    """The 16-D model: 16 latent values, then lang -> (picture, verdict, probabilities)."""
    *values, lang = args
    return _decode16_outputs(values, lang)


@guarded(fields="vae")
def vae16_sample(seed, lang: str):
    """z ~ N(0, I) in 16-D from ``seed`` (clamped to +-4): (16 values, picture, verdict, probabilities)."""
    from core.vae import sample_eps

    raw = sample_eps((LATENT16,), _seed(seed)).tolist()
    z = [round(min(max(v, -vl.Z_LIMIT), vl.Z_LIMIT), 2) for v in raw]
    return (*z, *_decode16_outputs(z, lang))


def _has_weights(name: str) -> bool:
    from core.checkpoint import MODEL_FILE, WEIGHTS_DIR

    return (WEIGHTS_DIR / name / MODEL_FILE).is_file()


# --------------------------------------------------------------------------- layout

def build(lang: gr.Radio) -> None:
    gr.Markdown(L("vae.intro"))
    map_kw = dict(type="numpy", interactive=False, format="jpeg", show_label=True)   # jpeg: 6 ms, png: 50+
    pic_kw = dict(type="numpy", interactive=False, format="png")                      # exact pixels
    digit_kw = dict(type="numpy", interactive=False, format="png", height=240, width=240)
    with gr.Tab(L("vae.sec_decode"), elem_id="vae-decode-tab"):
        with gr.Row():
            with gr.Column(scale=3):
                dmap = gr.Image(label=L("vae.map"), elem_id="vae-map", **map_kw)
                gr.Markdown(L("vae.map_help"))
            with gr.Column(scale=2):
                z1 = gr.Slider(-vl.Z_LIMIT, vl.Z_LIMIT, value=0.0, step=0.01, label=L("vae.z1"), elem_id="vae-z1")
                z2 = gr.Slider(-vl.Z_LIMIT, vl.Z_LIMIT, value=0.0, step=0.01, label=L("vae.z2"), elem_id="vae-z2")
                with gr.Row():
                    seed = gr.Number(0, label=L("vae.seed"), precision=0, minimum=0, maximum=SEED_MAX, min_width=100)
                    sample_btn = gr.Button(L("vae.sample_button"), elem_id="vae-sample")
                decoded = gr.Image(label=L("vae.decoded"), elem_id="vae-decoded", **digit_kw)
                verdict = gr.Markdown(elem_id="vae-verdict")
                probs = gr.Label(label=L("vae.cnn_probs"), num_top_classes=3)
    with gr.Tab(L("vae.sec_manifold"), elem_id="vae-manifold-tab"):
        with gr.Row():
            grid_n = gr.Slider(*vl.GRID_RANGE, value=20, step=1, label=L("vae.grid_n"))
            radius = gr.Slider(*vl.RADIUS_RANGE, value=3.0, step=0.1, label=L("vae.radius"))
            spacing = gr.Radio([(L("vae.spacing_linear"), "linear"), (L("vae.spacing_gaussian"), "gaussian")],
                               value="linear", label=L("vae.spacing"))
        manifold_btn = gr.Button(L("vae.manifold_button"), variant="primary", elem_id="vae-manifold-run")
        with gr.Row():
            manifold = gr.Image(label=L("vae.manifold_img"), elem_id="vae-manifold", scale=3, **pic_kw)
            mmap = gr.Image(label=L("vae.map"), scale=3, **map_kw)
        manifold_caption = gr.Markdown(elem_id="vae-manifold-caption")
    with gr.Tab(L("vae.sec_interp"), elem_id="vae-interp-tab"):
        choices = [(L("vae.choice_sketch"), SKETCH), *sample_choices()]
        with gr.Row():
            end_a = gr.Dropdown(choices, value=1, label=L("vae.endpoint_a"), elem_id="vae-a")
            end_b = gr.Dropdown(choices, value=0, label=L("vae.endpoint_b"), elem_id="vae-b")
            mode = gr.Radio([(L("vae.mode_linear"), "linear"), (L("vae.mode_spherical"), "spherical")],
                            value="linear", label=L("vae.mode"))
            steps = gr.Slider(*vl.STEPS_RANGE, value=10, step=1, label=L("vae.steps"))
        interp_btn = gr.Button(L("vae.interp_button"), variant="primary", elem_id="vae-interp-run")
        strip = gr.Image(label=L("vae.strip"), elem_id="vae-strip", **pic_kw)
        interp_caption = gr.Markdown(elem_id="vae-interp-caption")
        with gr.Row():
            gif = gr.Image(label=L("vae.gif"), type="filepath", interactive=False, height=240, elem_id="vae-gif")
            imap = gr.Image(label=L("vae.map"), **map_kw)
        table = gr.Dataframe(headers=t("vae.interp_headers", "en").split("|"), label=L("vae.interp_table"),
                             interactive=False)
    with gr.Tab(L("vae.sec_encode"), elem_id="vae-encode-tab"):
        with gr.Row():
            with gr.Column(scale=2):
                source = gr.Radio([(L("vae.source_sample"), "sample"), (L("vae.source_sketch"), "sketch")],
                                  value="sample", label=L("vae.source"))
                pick = gr.Dropdown(sample_choices(), value=3, label=L("vae.sample_pick"), elem_id="vae-pick")
                sketch = gr.Sketchpad(label=L("vae.sketch"), type="numpy", canvas_size=(280, 280), height=340,
                                      brush=gr.Brush(default_size=18, colors=["#000000"], color_mode="fixed"),
                                      elem_id="vae-sketch")
                with gr.Row():
                    eps_seed = gr.Number(0, label=L("vae.eps_seed"), precision=0, minimum=0, maximum=SEED_MAX)
                    encode_btn = gr.Button(L("vae.encode_button"), variant="primary", elem_id="vae-encode-run")
            with gr.Column(scale=3):
                with gr.Row():
                    seen = gr.Image(label=L("vae.input28"), **digit_kw)
                    recon = gr.Image(label=L("vae.recon"), elem_id="vae-recon", **digit_kw)
                numbers = gr.Markdown(elem_id="vae-numbers")
                emap = gr.Image(label=L("vae.map"), **map_kw)
                gr.Markdown(L("vae.map_legend_encode"))

    if _has_weights("vae16"):
        with gr.Tab(L("vae.sec_16d"), elem_id="vae-16d-tab"):
            gr.Markdown(L("vae.intro_16d"))
            with gr.Row():
                with gr.Column(scale=3):
                    with gr.Row():
                        zs16 = [gr.Slider(-vl.Z_LIMIT, vl.Z_LIMIT, value=0.0, step=0.05, label=f"z{i + 1}",
                                          min_width=160) for i in range(LATENT16)]
                with gr.Column(scale=2):
                    with gr.Row():
                        seed16 = gr.Number(0, label=L("vae.seed"), precision=0, minimum=0, maximum=SEED_MAX,
                                           min_width=100)
                        sample16 = gr.Button(L("vae.sample_button"), elem_id="vae16-sample")
                    decode16 = gr.Button(L("vae.decode16_button"), variant="primary", elem_id="vae16-decode")
                    decoded16 = gr.Image(label=L("vae.decoded"), elem_id="vae16-decoded", **digit_kw)
                    verdict16 = gr.Markdown(elem_id="vae16-verdict")
                    probs16 = gr.Label(label=L("vae.cnn_probs"), num_top_classes=3)
        out16 = [decoded16, verdict16, probs16]
        gr.on([decode16.click, *(s.release for s in zs16)], vae16_decode, [*zs16, lang], out16,
              api_name="vae16_decode")
        sample16.click(vae16_sample, [seed16, lang], [*zs16, *out16], api_name="vae16_sample")

    # ------------------------------------------------------------------ wiring
    decode_out = [decoded, verdict, probs, dmap]
    # lang.change also fires on page load (app.py sets the radio): the first picture, in the page's language
    gr.on([z1.release, z2.release, lang.change], vae_decode, [z1, z2, lang], decode_out, api_name="vae_decode")
    sample_btn.click(vae_sample, [seed, lang], [z1, z2, *decode_out], api_name="vae_sample")
    dmap.select(vae_map_click, [lang], [z1, z2, *decode_out], api_name="vae_map_click",
                api_visibility="undocumented")
    manifold_btn.click(vae_manifold, [grid_n, radius, spacing, lang], [manifold, manifold_caption, mmap],
                       api_name="vae_manifold", concurrency_limit=2, concurrency_id="vae_grid")
    interp_btn.click(vae_interpolate, [end_a, end_b, sketch, mode, steps, lang],
                     [strip, gif, imap, table, interp_caption], api_name="vae_interpolate",
                     concurrency_limit=2, concurrency_id="vae_grid")
    encode_btn.click(vae_encode, [source, pick, sketch, eps_seed, lang], [seen, recon, numbers, emap],
                     api_name="vae_encode")
    sketch.change(lambda: "sketch", None, source, api_name=False, show_progress="hidden")


def bench_cases() -> list[tuple[str, tuple]]:
    return [("vae_decode", (0.5, -1.0, "en")),
            ("vae_manifold", (20, 3.0, "linear", "en")),
            ("vae_interpolate", (1, 0, None, "spherical", 10, "ko")),
            ("vae_encode", ("sample", 3, None, 0, "en"))]
