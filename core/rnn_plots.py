"""Figures of the rnn_gates tab: gate heatmaps over time, gradient norms, training curve.

Text on the figures comes in through ``labels`` dicts so core stays free of any language.
"""
from __future__ import annotations

import functools

import numpy as np

from core.plots import figure, pil_font, plt, to_image

GATE_ORDER = {"lstm": ["i", "f", "g", "o", "c", "h"], "gru": ["z", "r", "n", "h"]}
SIGNED = {"g", "c", "h", "n"}            # tanh-range values: diverging map around 0


@functools.lru_cache(maxsize=512)
def _glyph(text: str, size: int, color: str):
    """``text`` rendered once as an RGBA image (tokens and digits repeat on every request)."""
    from PIL import Image, ImageDraw

    font = pil_font(size)
    left, top, right, bottom = font.getbbox(text)
    im = Image.new("RGBA", (max(1, right - left), max(1, bottom - top)), (255, 255, 255, 0))
    ImageDraw.Draw(im).text((-left, -top), text, font=font, fill=color)
    return im


def _paste_text(canvas, text: str, x: float, y: float, size: int, color: str, anchor: str) -> None:
    """Paste a cached glyph image at (x, y); anchor as PIL's: horizontal l/m/r + vertical t/m/b."""
    im = _glyph(text, size, color)
    x0 = {"l": x, "m": x - im.width / 2, "r": x - im.width}[anchor[0]]
    y0 = {"t": y, "m": y - im.height / 2, "b": y - im.height}[anchor[1]]
    canvas.paste(im, (int(round(x0)), int(round(y0))), im)


def gate_heatmaps(tr: dict, labels: dict[str, str], title: str = "") -> np.ndarray:
    """Heatmaps (hidden unit x time step) of every gate and state in ``tr`` (core.rnn_task.trace).

    Drawn directly with NumPy + PIL (a few ms, versus ~10x that for a matplotlib figure with
    this many ticks): gates in viridis on [0, 1]; tanh-range values (g, h~, h) in RdBu on
    [-1, 1]; the cell state c on [-m, m], m = max(1, max|c|) written in its label. The top
    row is the model's output per step on a grey of its confidence (green: right, red:
    wrong); marked steps get a dashed orange line. labels: {gate name: caption, 'pred',
    'time', 'gates', 'values'}. Returns an (H, W, 3) uint8 RGB array.
    """
    from PIL import Image, ImageDraw

    names = GATE_ORDER[tr["cell"]]
    tokens = tr["tokens"]
    T = len(tokens)
    H = tr["gates"][names[0]].shape[0]
    cw = int(np.clip(720 // max(T, 1), 16, 32))            # pixels per time step
    rh = int(np.clip(84 // H, 3, 8))                       # pixels per hidden unit
    font = pil_font(13)
    viridis, rdbu = plt.get_cmap("viridis"), plt.get_cmap("RdBu_r")
    panels = []
    for name in names:
        values = tr["gates"][name].numpy()                 # (H, T)
        m = max(1.0, float(np.abs(values).max())) if name == "c" else 1.0
        rgb = rdbu((values / m + 1) / 2) if name in SIGNED else viridis(values)
        caption = labels[name] + (f" (±{m:.1f})" if name == "c" and m > 1 else "")
        panels.append((caption, (rgb[..., :3] * 255).astype(np.uint8)))
    measure = ImageDraw.Draw(Image.new("RGB", (1, 1)))
    left = 14 + max(measure.textlength(c, font=font) for c in [p[0] for p in panels] + [labels["pred"]])
    left = int(left)
    top, out_h, gap, bottom, right = 52, 26, 8, 44, 120
    heights = [H * rh for _ in panels]
    height = top + out_h + gap + sum(heights) + gap * (len(panels) - 1) + bottom
    width = left + T * cw + right
    canvas = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(canvas)
    if title:
        _paste_text(canvas, title, left + T * cw / 2, 4, 15, "#000000", "mt")
    # tokens above, output row
    conf = tr["probs"].max(dim=-1).values.numpy()
    pred, target = tr["pred"].tolist(), tr["target"].tolist()
    for t in range(T):
        x0 = left + t * cw
        _paste_text(canvas, tokens[t], x0 + cw / 2, top - 6, 11,
                    "#ff8c00" if tokens[t].startswith("*") else "#000000", "mb")
        grey = int(255 * (1 - 0.25 * conf[t]))
        draw.rectangle([x0, top, x0 + cw - 1, top + out_h - 1], fill=(grey, grey, grey))
        _paste_text(canvas, "-" if pred[t] == 10 else str(pred[t]), x0 + cw / 2, top + out_h / 2, 15,
                    "#1a7f37" if pred[t] == target[t] else "#cf222e", "mm")
    _paste_text(canvas, labels["pred"], left - 8, top + out_h / 2, 13, "#000000", "rm")
    # panels
    y = top + out_h + gap
    for (caption, rgb), h in zip(panels, heights):
        block = np.repeat(np.repeat(rgb, rh, axis=0), cw, axis=1)          # (H*rh, T*cw, 3)
        canvas.paste(Image.fromarray(block), (left, y))
        _paste_text(canvas, caption, left - 8, y + h / 2, 13, "#000000", "rm")
        y += h + gap
    y_end = y - gap
    for t in range(T):                                     # dashed lines on marked steps
        if tokens[t].startswith("*"):
            x = left + t * cw + cw // 2
            for y0 in range(top + out_h, y_end, 8):
                draw.line([(x, y0), (x, min(y0 + 4, y_end))], fill="#ff8c00", width=2)
    for t in range(T):
        _paste_text(canvas, tokens[t], left + t * cw + cw / 2, y_end + 4, 11,
                    "#ff8c00" if tokens[t].startswith("*") else "#000000", "mt")
    _paste_text(canvas, labels["time"], left + T * cw / 2, y_end + 22, 11, "#000000", "mt")
    # two colour bars on the right
    bar_h = min(140, max(60, (y_end - top) // 2 - 30))
    ramp = np.linspace(1, 0, bar_h)[:, None]
    for k, (cmap, low, caption) in enumerate([(viridis, "0", labels["gates"]), (rdbu, "-1", labels["values"])]):
        x0 = left + T * cw + 16
        y0 = top + out_h + gap + 16 + k * (bar_h + 40)
        bar = (cmap(np.repeat(ramp, 12, axis=1))[..., :3] * 255).astype(np.uint8)
        canvas.paste(Image.fromarray(bar), (x0, y0))
        _paste_text(canvas, caption, x0, y0 - 3, 11, "#000000", "lb")
        _paste_text(canvas, "1", x0 + 16, y0, 11, "#000000", "lt")
        _paste_text(canvas, low, x0 + 16, y0 + bar_h, 11, "#000000", "lb")
    return np.asarray(canvas)


MODEL_STYLE = {"rnn_tanh": ("#1f77b4", "-"), "rnn_relu": ("#d62728", "--"),
               "lstm": ("#2ca02c", "-"), "gru": ("#9467bd", "-.")}


def gradient_plot(norms: dict, labels: dict[str, str]) -> np.ndarray:
    """Log-scale ||d h_T / d h_t|| against t for each model. labels: model names, 'x', 'y', 'title'."""
    fig, ax = figure(7.5, 4.2, dpi=80)
    for name, values in norms.items():
        v = values.numpy()
        color, ls = MODEL_STYLE[name]
        ax.semilogy(np.arange(len(v)), v, ls, color=color, lw=2, label=labels[name])
    ax.set_xlabel(labels["x"])
    ax.set_ylabel(labels["y"])
    ax.set_title(labels["title"], fontsize=11)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=9, loc="lower right")
    fig.tight_layout()
    return to_image(fig)


def training_curve(history: list[dict], labels: dict[str, str]) -> np.ndarray:
    """Loss (log scale, left) and accuracy (right) against the step. labels: 'step', 'loss', 'acc', 'title'."""
    fig, ax = figure(6.0, 3.0, dpi=80)
    steps = [p["step"] for p in history]
    ax.semilogy(steps, [p["loss"] for p in history], color="#1f77b4", lw=2, label=labels["loss"])
    ax.set_xlabel(labels["step"])
    ax.set_ylabel(labels["loss"], color="#1f77b4")
    ax2 = ax.twinx()
    ax2.plot(steps, [p["accuracy"] for p in history], color="#2ca02c", lw=2)
    ax2.set_ylim(0, 1.02)
    ax2.set_ylabel(labels["acc"], color="#2ca02c")
    ax.set_title(labels["title"], fontsize=11)
    ax.grid(True, alpha=0.3)
    fig.tight_layout()
    return to_image(fig)
