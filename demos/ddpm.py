"""DDPM Denoising tab (week 10): the forward process in closed form, the reverse process live.

Layout, then wiring. Every formula is in core/ddpm.py (schedules, q(x_t | x_0), posterior,
ancestral and DDIM steps), the sampling loop and the forward view in core/ddpm_sample.py, the
UNet in core/ddpm_unet.py, the pictures in core/ddpm_plots.py; the digit judge is core.cnn.
"""
from __future__ import annotations

import functools

import gradio as gr
import torch

from core import ddpm_sample as ds
from core.errors import StudioError, check_number
from demos.common.i18n import L, guarded, t
from demos.common.samples import sample_choices, sample_digits

STRIP_TS = [0, 50, 100, 200, 300, 500, 700, 1000]
MAX_SECONDS = 300        # a sampling run stops (with a message) after this long
FRAMES = 20              # about this many frames per run in the GIF
UI_INTERVAL = 0.5        # seconds between frames streamed to the page (each costs a round trip)
SAMPLE_LIMIT = 1         # sampling runs at once, shared pool "ddpm_sample"


# ------------------------------------------------------------------------- helpers

@functools.cache
def _schedule(kind: str):
    from core.ddpm import Schedule

    return Schedule(1000, kind)


def _input_image(source, sample, sketch) -> torch.Tensor:
    """The digit to noise: a committed test sample (index 0..199) or the drawing, (1, 1, 28, 28) in [0, 1]."""
    from core.sketch import to_mnist

    if source == "sketch":
        return to_mnist(sketch)
    if source != "sample":
        raise StudioError("ddpm.bad_source", value=str(source)[:40])
    images, _, _ = sample_digits()
    k = check_number("sample", sample, 0, len(images) - 1, integer=True)
    return images[k:k + 1]


@functools.lru_cache(maxsize=64)
def _schedules_plot(step: int, lang: str):
    from core.ddpm_plots import schedules_figure

    keys = ("beta", "alpha_bar", "snr", "timestep", "linear", "cosine")
    return schedules_figure(1000, step, {k: t(f"ddpm.plot_{k}", lang) for k in keys})


def _model():
    return ds.load_model("ddpm")


# ------------------------------------------------------------------------ callbacks

@guarded(fields="ddpm")
def ddpm_forward(source, sample, sketch, schedule, step, seed, lang: str):
    """x_t = sqrt(abar_t) x_0 + sqrt(1 - abar_t) eps for one digit: (x_0 | eps | x_t picture,
    the equation with its numbers, the strip over t, the schedules plot)."""
    from core.ddpm_plots import forward_picture, forward_strip

    x0 = _input_image(source, sample, sketch) * 2 - 1  # [0, 1] -> [-1, 1]
    if schedule not in ("linear", "cosine"):
        raise StudioError("ddpm.bad_schedule", kind=str(schedule)[:40], choices="linear, cosine")
    sched = _schedule(schedule)
    step = check_number("t", step, 0, sched.T, integer=True)
    view = ds.forward_view(sched, x0, step, check_number("seed", seed, 0, ds.SEED_MAX, integer=True))
    if step == 0:
        numbers = t("ddpm.forward_clean", lang)
    else:
        snr = f"{view['snr']:.4g}"
        numbers = t("ddpm.forward_numbers", lang, t=step, schedule=t(f"ddpm.plot_{schedule}", lang),
                    beta=view["beta"], alpha_bar=view["alpha_bar"], snr=snr, signal=view["signal"],
                    noise=view["noise"], signal_pct=view["signal"])
    return (forward_picture(x0, view["eps"], view["x_t"]), numbers,
            forward_strip(sched, x0, view["eps"], STRIP_TS), _schedules_plot(step, lang))


@guarded(fields="ddpm")
def ddpm_sample(n, seed, method, steps, eta, progress=gr.Progress(), lang: str = "en"):
    """Stream the reverse chain: yields (frame x_t | x0_hat, status, labelled gallery picture,
    summary, GIF path); the first yield empties gallery, summary and GIF, the last fills them."""
    from core.cnn import judge
    from core.ddpm_plots import gallery, gif_file, sampling_frame

    model, schedule, info = _model()
    n = check_number("n", n, 1, ds.MAX_SAMPLES, integer=True)
    seed = check_number("seed", seed, 0, ds.SEED_MAX, integer=True)
    total = len(ds.plan(method, schedule.T, steps))
    every = max(1, total // FRAMES)
    frames, frame, shown = [], None, -UI_INTERVAL
    x0_heading = t("ddpm.frame_x0", lang)
    workers = ds.cpu_workers(schedule.betas.device)   # both cores for the one run in the "ddpm_sample" pool
    for frame in ds.sample(model, schedule, n, seed, method, steps, eta, every=every, max_seconds=MAX_SECONDS,
                           workers=workers):
        picture = sampling_frame(frame["x_t"].cpu(), frame["x0"].cpu(), (f"x_t   (t = {frame['t']})", x0_heading))
        frames.append(picture)  # every frame goes into the GIF; the page gets one per UI_INTERVAL
        if frame["i"] < total and frame["seconds"] - shown >= UI_INTERVAL:
            shown = frame["seconds"]
            progress((frame["i"], total), desc=f"t = {frame['t']}")
            status = t("ddpm.status_running", lang, i=frame["i"], total=total, t=frame["t"],
                       seconds=frame["seconds"])
            # the first frame clears the last run's samples, so the page never mixes two runs
            rest = (None, "", None) if frame["i"] == 1 else (gr.update(), gr.update(), gr.update())
            yield picture, status, *rest
    x0 = frame["x_t"].cpu()
    labels, conf = judge(ds.to_unit(x0))
    sure = conf >= ds.SURE
    histogram = ", ".join(f"{d}×{c}" for d, c in enumerate(torch.bincount(labels, minlength=10).tolist()) if c)
    summary = t("ddpm.summary", lang, sure=int(sure.sum()), n=n, threshold=ds.SURE, histogram=histogram)
    m = info.get("metrics", {})
    q = m.get("quality", {})
    if q:
        summary += "\n\n" + t("ddpm.model_card", lang, parameters=info["parameters"],
                              steps=m["steps"] + m.get("previous_steps", 0),
                              minutes=round(m.get("train_minutes", 0) + m.get("previous_train_minutes", 0), 1),
                              share=q["confident_share"], samples=q["samples"], seed=q["seed"])
    method_name = t(f"ddpm.method_{method}", lang).split(" (")[0]
    done = t("ddpm.status_done", lang, total=total, seconds=frame["seconds"], method=method_name, seed=seed)
    yield (frames[-1], done, gallery(x0, labels.tolist(), conf.tolist(), ds.SURE), summary, gif_file(frames))


# --------------------------------------------------------------------------- layout

def build(lang: gr.Radio) -> None:
    gr.Markdown(L("ddpm.intro"), latex_delimiters=[{"left": "$", "right": "$", "display": False}])
    pic_kw = dict(type="numpy", interactive=False, format="png", elem_classes=["pixels"])
    with gr.Tab(L("ddpm.sec_forward"), elem_id="ddpm-forward-tab"):
        with gr.Row():
            with gr.Column(scale=2):
                source = gr.Radio([(L("ddpm.source_sample"), "sample"), (L("ddpm.source_sketch"), "sketch")],
                                  value="sample", label=L("ddpm.source"), elem_id="ddpm-source")
                pick = gr.Dropdown(sample_choices(), value=3, label=L("ddpm.sample_pick"), elem_id="ddpm-pick")
                sketch = gr.Sketchpad(label=L("ddpm.sketch"), type="numpy", canvas_size=(280, 280), height=320,
                                      elem_id="ddpm-sketch")
                schedule = gr.Radio([(L("ddpm.schedule_linear"), "linear"), (L("ddpm.schedule_cosine"), "cosine")],
                                    value="linear", label=L("ddpm.schedule"), elem_id="ddpm-schedule")
                step = gr.Slider(0, 1000, value=250, step=1, label=L("ddpm.t"), elem_id="ddpm-t")
                with gr.Row():
                    noise_seed = gr.Number(0, label=L("ddpm.noise_seed"), precision=0, minimum=0, maximum=ds.SEED_MAX)
                    forward_btn = gr.Button(L("ddpm.forward_button"), variant="primary", elem_id="ddpm-forward-run")
            with gr.Column(scale=3):
                fwd_picture = gr.Image(label=L("ddpm.forward_picture"), elem_id="ddpm-forward-picture", **pic_kw)
                fwd_numbers = gr.Markdown(elem_id="ddpm-forward-numbers",
                                          latex_delimiters=[{"left": "$", "right": "$", "display": False}])
                fwd_strip = gr.Image(label=L("ddpm.forward_strip"), elem_id="ddpm-forward-strip", **pic_kw)
        sched_plot = gr.Image(label=L("ddpm.schedules_plot"), elem_id="ddpm-schedules", **pic_kw)
    with gr.Tab(L("ddpm.sec_reverse"), elem_id="ddpm-reverse-tab"):
        with gr.Row():
            n = gr.Slider(1, ds.MAX_SAMPLES, value=16, step=1, label=L("ddpm.n"), elem_id="ddpm-n")
            seed = gr.Number(0, label=L("ddpm.seed"), precision=0, minimum=0, maximum=ds.SEED_MAX,
                             elem_id="ddpm-seed")
            method = gr.Radio([(L("ddpm.method_ddim"), "ddim"), (L("ddpm.method_ancestral"), "ancestral")],
                              value="ddim", label=L("ddpm.method"), elem_id="ddpm-method")
        with gr.Row():
            steps = gr.Slider(*ds.DDIM_STEPS, value=50, step=1, label=L("ddpm.steps"))
            eta = gr.Slider(0.0, 1.0, value=0.0, step=0.05, label=L("ddpm.eta"))
        sample_btn = gr.Button(L("ddpm.sample_button"), variant="primary", elem_id="ddpm-sample-run")
        with gr.Row():
            with gr.Column(scale=3):
                frame = gr.Image(label=L("ddpm.frame"), elem_id="ddpm-frame", height=300, **pic_kw)
                status = gr.Markdown(elem_id="ddpm-status")
            with gr.Column(scale=2):
                gal = gr.Image(label=L("ddpm.gallery"), elem_id="ddpm-gallery", **pic_kw)
        summary = gr.Markdown(elem_id="ddpm-summary")
        gif = gr.Image(label=L("ddpm.gif"), type="filepath", interactive=False, height=330, elem_id="ddpm-gif",
                       elem_classes=["pixels"])

    # ------------------------------------------------------------------ wiring
    gr.on([forward_btn.click, step.release, schedule.change, pick.change, lang.change], ddpm_forward,
          [source, pick, sketch, schedule, step, noise_seed, lang], [fwd_picture, fwd_numbers, fwd_strip, sched_plot],
          api_name="ddpm_forward")
    sketch.change(lambda: "sketch", None, source, api_name=False, show_progress="hidden")
    pick.change(lambda: "sample", None, source, api_name=False, show_progress="hidden")
    sample_btn.click(ddpm_sample, [n, seed, method, steps, eta, lang], [frame, status, gal, summary, gif],
                     api_name="ddpm_sample", concurrency_limit=SAMPLE_LIMIT, concurrency_id="ddpm_sample")


def bench_cases() -> list[tuple[str, tuple]]:
    return [("ddpm_forward", ("sample", 3, None, "linear", 250, 0, "en")),
            ("ddpm_sample", (16, 0, "ddim", 50, 0.0, "en")),
            ("ddpm_sample", (16, 0, "ancestral", 50, 0.0, "ko"))]
