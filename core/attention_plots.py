"""Figures of the attention tab: head view, model view, one-head heatmap, the Q.K row, cost.

Layouts follow BertViz (Vig 2019, "A Multiscale Visualization of Attention in the
Transformer Model"): the head view draws queries on the left, keys on the right and a line
per (query, key) pair whose opacity is the attention weight, one colour per head; the
model view is a layers x heads grid of small heatmaps. Captions and titles come from the
caller (already translated). All functions return (H, W, 3) uint8 images.
"""
from __future__ import annotations

import numpy as np
import torch
from matplotlib import colormaps
from matplotlib.collections import LineCollection
from PIL import Image, ImageDraw, ImageFont

from core.plots import figure, plt, to_image

HEAD_COLOURS = np.array(colormaps["tab20"].colors)[[0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 1, 3, 5, 7, 9, 11]]
MIN_LINE = 0.01   # lines fainter than this are not drawn (invisible anyway, and slow)


def head_colour(h: int) -> np.ndarray:
    """RGB in [0, 1] of head h (0-based), the same in the head view and the head choices."""
    return HEAD_COLOURS[h % len(HEAD_COLOURS)]


def head_view(attn: torch.Tensor, tokens: list[str], heads: list[int], focus: int | None = None,
              threshold: float = 0.0, title: str = "") -> np.ndarray:
    """attn: (H, T, T) one layer's weights (already filtered by the caller); heads: 0-based
    indices drawn, each in its colour; focus: a query index whose lines alone are drawn."""
    T = len(tokens)
    height = min(max(2.2, 0.24 * T + 0.9), 26.0)
    fig, ax = figure(4.6, height, dpi=90)
    fs = 10 if T <= 40 else 7 if T <= 80 else 5
    y = np.arange(T)[::-1].astype(float)
    xl, xr = 0.0, 1.0
    cut = max(threshold, MIN_LINE)
    rows = range(T) if focus is None else [focus]
    for h in heads:
        w = attn[h].numpy()
        qi, kj = np.nonzero(w >= cut)
        if focus is not None:
            keep = qi == focus
            qi, kj = qi[keep], kj[keep]
        if len(qi) == 0:
            continue
        segs = np.stack([np.stack([np.full(len(qi), xl + 0.02), y[qi]], 1),
                         np.stack([np.full(len(kj), xr - 0.02), y[kj]], 1)], 1)
        rgba = np.tile(np.append(head_colour(h), 1.0), (len(qi), 1))
        rgba[:, 3] = np.clip(w[qi, kj], 0.03, 1.0)
        ax.add_collection(LineCollection(segs, colors=rgba, linewidths=1.8))
    for i, tok in enumerate(tokens):
        bold = "bold" if focus == i else "normal"
        ax.text(xl, y[i], tok, ha="right", va="center", fontsize=fs, fontweight=bold,
                color="black" if focus in (None, i) else "grey")
        ax.text(xr, y[i], tok, ha="left", va="center", fontsize=fs)
    ax.set_xlim(-0.55, 1.55)
    ax.set_ylim(-0.8, T - 0.2)
    ax.axis("off")
    if title:
        ax.set_title(title, fontsize=11)
    fig.tight_layout()
    return to_image(fig)


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
    """(T, T) weights with query tokens down the rows and key tokens along the columns;
    the numbers are printed in the cells when T <= 14."""
    T = len(tokens)
    side = min(max(4.0, 0.26 * T + 2.2), 16.0)
    fig, ax = figure(side + 1.0, side, dpi=80)
    m = matrix.numpy()
    im = ax.imshow(m, cmap="Blues", vmin=0.0, vmax=max(float(m.max()), 1e-6), interpolation="nearest")
    fs = 10 if T <= 30 else 7 if T <= 60 else 4
    ax.set_xticks(range(T), tokens, rotation=90, fontsize=fs)
    ax.set_yticks(range(T), tokens, fontsize=fs)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if T <= 14:
        hi = 0.6 * m.max()
        for i in range(T):
            for j in range(T):
                ax.text(j, i, f"{m[i, j]:.2f}", ha="center", va="center", fontsize=7,
                        color="white" if m[i, j] > hi else "black")
    fig.colorbar(im, ax=ax, fraction=0.046, pad=0.04)
    if title:
        ax.set_title(title, fontsize=11)
    fig.tight_layout()
    return to_image(fig)


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
