"""Figures of the attention tab: head view, model view, one-head heatmap, the Q.K row, cost.

Layouts follow BertViz (Vig 2019, "A Multiscale Visualization of Attention in the
Transformer Model"): the head view draws queries on the left, keys on the right and a line
per (query, key) pair whose opacity is the attention weight, one colour per head; the
model view is a layers x heads grid of small heatmaps. Captions and titles come from the
caller (already translated). All functions return (H, W, 3) uint8 images.
"""
from __future__ import annotations

import functools
import math

import numpy as np
import torch
from matplotlib import colormaps
from PIL import Image, ImageDraw, ImageFont

from core.plots import pil_font, plt, to_image

HEAD_COLOURS = np.array(colormaps["tab20"].colors)[[0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 1, 3, 5, 7, 9, 11]]
MIN_LINE = 0.02   # lines fainter than this are not drawn (nearly invisible, and slow)


def head_colour(h: int) -> np.ndarray:
    """RGB in [0, 1] of head h (0-based), the same in the head view and the head choices."""
    return HEAD_COLOURS[h % len(HEAD_COLOURS)]


def _text_width(text: str, font) -> int:
    return int(math.ceil(font.getlength(text)))


@functools.lru_cache(maxsize=8192)
def _glyphs(text: str, size: int, bold: bool = False) -> tuple[Image.Image, int]:
    """(mask, ascent) of ``text`` rendered once: FreeType rendering of the CJK font costs ~1 ms
    per call, pasting a cached mask a few microseconds (a 32-token view draws ~150 labels)."""
    font = pil_font(size, bold)
    left, top, right, bottom = font.getbbox(text, anchor="ls")
    ascent = -top
    mask = Image.new("L", (max(1, right - min(left, 0)), max(1, bottom - top)), 0)
    ImageDraw.Draw(mask).text((-min(left, 0), ascent), text, fill=255, font=font, anchor="ls")
    return mask, ascent


def _label(img: Image.Image, xy, text: str, size: int, fill=(0, 0, 0), anchor: str = "lm", bold: bool = False):
    """Draw text from the glyph cache. anchor: horizontal l/m/r, vertical m (middle) or s (baseline)."""
    mask, ascent = _glyphs(text, size, bold)
    w, h = mask.size
    x = xy[0] - {"l": 0, "m": w // 2, "r": w}[anchor[0]]
    y = xy[1] - (h // 2 if anchor[1] == "m" else ascent)
    img.paste(fill, (int(x), int(y), int(x) + w, int(y) + h), mask)


def head_view(attn: torch.Tensor, tokens: list[str], heads: list[int], focus: int | None = None,
              threshold: float = 0.0, title: str = "") -> np.ndarray:
    """attn: (H, T, T) one layer's weights (already filtered by the caller); heads: 0-based
    indices drawn, each in its colour, line opacity = weight; focus: a query index whose
    lines alone are drawn. Drawn with PIL (alpha-blended lines), a few ms."""
    T = len(tokens)
    row = 22 if T <= 40 else 15 if T <= 80 else 11
    fs = 14 if T <= 40 else 11 if T <= 80 else 9
    font = pil_font(fs)
    label_w = max([_text_width(tok, font) for tok in tokens] + [40]) + 8
    gap = 150
    width = 2 * label_w + gap + 24
    per_row = max(1, (width - 24) // 34)                   # the legend: a coloured square per head
    legend_rows = -(-len(heads) // per_row)
    top = 56 + 20 * legend_rows                            # title, legend, room for the UI's label badge
    height = top + T * row + 12
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img, "RGBA")
    for k, h in enumerate(heads):
        x, y = 12 + (k % per_row) * 34, 52 + (k // per_row) * 20
        draw.rectangle([x, y, x + 10, y + 10], fill=tuple((head_colour(h) * 255).astype(int)))
        _label(img, (x + 13, y + 5), str(h + 1), 12)
    xl, xr = 12 + label_w, 12 + label_w + gap
    ys = top + row * np.arange(T) + row // 2
    cut = max(threshold, MIN_LINE)
    for h in heads:
        w = attn[h].numpy()
        qi, kj = np.nonzero(w >= cut)
        if focus is not None:
            keep = qi == focus
            qi, kj = qi[keep], kj[keep]
        r, g, b = (head_colour(h) * 255).astype(int)
        for i, j in zip(qi.tolist(), kj.tolist()):
            alpha = int(255 * min(1.0, max(0.06, float(w[i, j]))))
            draw.line([(xl + 4, ys[i]), (xr - 4, ys[j])], fill=(r, g, b, alpha), width=2)
    for i, tok in enumerate(tokens):
        colour = (0, 0, 0) if focus in (None, i) else (150, 150, 150)
        _label(img, (xl - 2, ys[i]), tok, fs, colour, "rm", bold=focus == i)
        _label(img, (xr + 2, ys[i]), tok, fs, (0, 0, 0), "lm")
    if title:
        draw.text((width // 2, 40), title, fill=(0, 0, 0), font=pil_font(15), anchor="ms")
    return np.asarray(img)


def model_view_layout(n_layers: int, n_heads: int) -> dict:
    """Pixel geometry of the model-view grid, so a click (x, y) maps back to (layer, head)."""
    cell = 56 if n_heads <= 12 else 40
    return {"left": 34, "top": 22, "cell": cell, "gap": 4, "layers": n_layers, "heads": n_heads}


def model_view_cell(x: float, y: float, n_layers: int, n_heads: int) -> tuple[int, int] | None:
    """(layer, head) 0-based under pixel (x, y) of the model view, or None between cells."""
    g = model_view_layout(n_layers, n_heads)
    step = g["cell"] + g["gap"]
    c, r = (x - g["left"]) / step, (y - g["top"]) / step
    if c < 0 or r < 0 or c >= n_heads or r >= n_layers:
        return None
    return int(r), int(c)


def model_view(attn: torch.Tensor, selected: tuple[int, int] | None = None) -> np.ndarray:
    """attn: (L, H, T, T) -> one image, a row per layer (L1 on top) and a column per head.
    Each thumbnail is scaled to its own maximum so faint heads still show their pattern;
    the selected (layer, head) gets a red frame. Drawn with NumPy/PIL (a few ms)."""
    L, H, T, _ = attn.shape
    g = model_view_layout(L, H)
    cell, gap, left, top = g["cell"], g["gap"], g["left"], g["top"]
    width, height = left + H * (cell + gap) + 4, top + L * (cell + gap) + 4
    canvas = np.full((height, width, 3), 255, np.uint8)
    idx = (np.arange(cell) * T // cell)                       # nearest-neighbour resize
    a = attn.numpy()[:, :, idx][:, :, :, idx]                 # (L, H, cell, cell)
    a = a / np.maximum(a.max(axis=(2, 3), keepdims=True), 1e-12)
    rgb = (colormaps["Blues"](a)[..., :3] * 255).astype(np.uint8)
    for l in range(L):
        for h in range(H):
            y0, x0 = top + l * (cell + gap), left + h * (cell + gap)
            canvas[y0:y0 + cell, x0:x0 + cell] = rgb[l, h]
    img = Image.fromarray(canvas)
    draw = ImageDraw.Draw(img)
    font = ImageFont.load_default(size=11)
    for h in range(H):
        draw.text((left + h * (cell + gap) + cell // 2, top - 4), f"H{h + 1}", fill=(40, 40, 40), font=font, anchor="mb")
    for l in range(L):
        draw.text((left - 5, top + l * (cell + gap) + cell // 2), f"L{l + 1}", fill=(40, 40, 40), font=font, anchor="rm")
    if selected is not None:
        l, h = selected
        y0, x0 = top + l * (cell + gap), left + h * (cell + gap)
        draw.rectangle([x0 - 2, y0 - 2, x0 + cell + 1, y0 + cell + 1], outline=(220, 30, 30), width=2)
    return np.asarray(img)


def heatmap(matrix: torch.Tensor, tokens: list[str], title: str = "", xlabel: str = "key",
            ylabel: str = "query") -> np.ndarray:
    """(T, T) weights with query tokens down the rows and key tokens along the columns, a
    colour bar from 0 to the maximum, and the numbers in the cells when T <= 14. PIL, a few ms."""
    T = len(tokens)
    m = matrix.detach().float().numpy()
    vmax = max(float(m.max()), 1e-6)
    cell = int(min(44, max(10, 560 // max(T, 1))))
    fs = 14 if cell >= 20 else 11 if cell >= 14 else 9
    font = pil_font(fs)
    label_w = max([_text_width(tok, font) for tok in tokens] + [20]) + 8
    top, bar_w = 58, 16
    left = 28 + label_w
    grid = cell * T
    width = left + grid + 24 + bar_w + 60
    height = top + grid + label_w + 34
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    rgb = (colormaps["Blues"](m / vmax)[..., :3] * 255).astype(np.uint8)
    block = np.repeat(np.repeat(rgb, cell, axis=0), cell, axis=1)
    img.paste(Image.fromarray(block), (left, top))
    draw.rectangle([left - 1, top - 1, left + grid, top + grid], outline=(60, 60, 60))
    for i, tok in enumerate(tokens):                       # query labels (rows)
        _label(img, (left - 5, top + i * cell + cell // 2), tok, fs, (0, 0, 0), "rm")
    labels = Image.new("RGB", (label_w + 4, grid), "white")   # key labels, drawn then rotated
    for j, tok in enumerate(tokens):
        _label(labels, (label_w, j * cell + cell // 2), tok, fs, (0, 0, 0), "rm")
    img.paste(labels.rotate(90, expand=True), (left, top + grid + 4))
    if T <= 14:
        small = pil_font(max(9, min(13, cell // 3)))
        for i in range(T):
            for j in range(T):
                colour = (255, 255, 255) if m[i, j] > 0.6 * vmax else (0, 0, 0)
                draw.text((left + j * cell + cell // 2, top + i * cell + cell // 2), f"{m[i, j]:.2f}",
                          fill=colour, font=small, anchor="mm")
    # colour bar
    bx = left + grid + 24
    ramp = (colormaps["Blues"](np.linspace(1, 0, grid))[:, :3] * 255).astype(np.uint8)
    img.paste(Image.fromarray(np.repeat(ramp[:, None], bar_w, axis=1)), (bx, top))
    draw.rectangle([bx - 1, top - 1, bx + bar_w, top + grid], outline=(60, 60, 60))
    small = pil_font(11)
    for frac in (0.0, 0.5, 1.0):
        y = top + grid - int(frac * grid)
        draw.line([(bx + bar_w, y), (bx + bar_w + 4, y)], fill=(0, 0, 0))
        draw.text((bx + bar_w + 6, y), f"{frac * vmax:.2f}", fill=(0, 0, 0), font=small, anchor="lm")
    axis = pil_font(13)
    draw.text((left + grid // 2, height - 8), xlabel, fill=(60, 60, 60), font=axis, anchor="ms")
    ylab = Image.new("RGB", (_text_width(ylabel, axis) + 6, 20), "white")
    ImageDraw.Draw(ylab).text((3, 10), ylabel, fill=(60, 60, 60), font=axis, anchor="lm")
    img.paste(ylab.rotate(90, expand=True), (4, top + grid // 2 - ylab.size[0] // 2))
    if title:
        draw.text((left + grid // 2, 42), title, fill=(0, 0, 0), font=pil_font(15), anchor="ms")
    return np.asarray(img)


def qk_bars(tokens: list[str], scaled: torch.Tensor, weights: torch.Tensor, model: torch.Tensor,
            titles: tuple[str, str] = ("q.k / sqrt(d_k)", "softmax"), legend: tuple[str, str] = ("recomputed", "model")) -> np.ndarray:
    """Two bar charts over the key tokens: the scaled scores and the softmax weights, with the
    model's own weights as dots on top of the recomputed bars."""
    T = len(tokens)
    fig, (a1, a2) = plt.subplots(2, 1, sharex=True, figsize=(min(max(6.0, 0.32 * T + 2.0), 20.0), 5.2), dpi=80)
    s = scaled.numpy().copy()
    s[~np.isfinite(s)] = 0.0
    x = np.arange(T)
    a1.bar(x, s, color=np.where(s >= 0, "#4c72b0", "#c44e52"))
    a1.axhline(0, color="black", linewidth=0.6)
    a1.set_title(titles[0], fontsize=10)
    a2.bar(x, weights.numpy(), color="#55a868", label=legend[0])
    a2.plot(x, model.numpy(), "k.", markersize=6, label=legend[1])
    a2.set_ylim(0, max(float(weights.max()) * 1.15, 0.05))
    a2.set_title(titles[1], fontsize=10)
    a2.legend(fontsize=8, loc="upper right")
    fs = 9 if T <= 40 else 6
    a2.set_xticks(x, tokens, rotation=90, fontsize=fs)
    fig.tight_layout()
    return to_image(fig)


def cost_plot(table: dict, titles: tuple[str, str, str], labels: tuple[str, str],
              xlabel: str = "n") -> np.ndarray:
    """Three log-log panels against sequence length n: FLOPs, memory (bytes), measured time
    (s) for self-attention and a linear scan. table: see core.attention_cost.cost_table."""
    fig, axes = plt.subplots(1, 3, figsize=(12.0, 3.8), dpi=80)
    n = np.asarray(table["n"])
    pairs = [("attn_flops", "scan_flops"), ("attn_bytes", "scan_bytes"), ("attn_seconds", "scan_seconds")]
    for ax, (ka, ks), title in zip(axes, pairs, titles):
        if table.get(ka) is not None:
            nn_ = np.asarray(table.get(f"{ka}_n", n))
            ax.loglog(nn_, table[ka], "o-", color="#c44e52", label=labels[0])
            ax.loglog(nn_, table[ks], "s-", color="#4c72b0", label=labels[1])
            ax.legend(fontsize=8)
        ax.set_title(title, fontsize=10)
        ax.set_xlabel(xlabel)
        ax.grid(True, which="both", alpha=0.3)
    fig.tight_layout()
    return to_image(fig)
