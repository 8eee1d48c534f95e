"""Figures of the ViT tab: the patch grid, the token sequence, position similarity, attention maps.

Every function returns an RGB uint8 array (H, W, 3) ready for gr.Image; text shown on a
figure comes in through ``text`` (already translated by the caller). Maps are drawn on a
nearest-neighbour grid so one square is one patch: nothing is smoothed away.
"""
from __future__ import annotations

import numpy as np
import torch

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from core.plots import to_image

ATTN_CMAP = "inferno"
SIM_CMAP = "viridis"


def _figure(width: float, height: float) -> Figure:
    """A Figure on its own Agg canvas: no pyplot state, so concurrent requests cannot collide."""
    fig = Figure(figsize=(width, height), dpi=100)
    FigureCanvasAgg(fig)
    return fig


def _finish(fig, left: float, right: float, bottom: float, title_px: float = 26, **space) -> np.ndarray:
    """Fixed margins (tight_layout would render twice), a 36 px band on top for the image
    toolbar plus ``title_px`` for the title; then the RGB pixels."""
    height_px = fig.get_figheight() * fig.dpi
    fig.subplots_adjust(left=left, right=right, bottom=bottom, top=1 - (36 + title_px) / height_px, **space)
    return to_image(fig)


def _show(ax, image: np.ndarray, **kw):
    """imshow a grey (H, W) or RGB (H, W, 3) image in [0, 1] or uint8."""
    if image.ndim == 2:
        ax.imshow(image, cmap="gray", vmin=0, vmax=1 if image.dtype != np.uint8 else 255, **kw)
    else:
        ax.imshow(image, **kw)


def patch_grid(image: np.ndarray, patch: int, text: dict) -> np.ndarray:
    """The image with its P x P patch grid and each patch's index (raster order) at its centre.

    image: (H, W) float in [0, 1] or (H, W, 3) uint8. text: {'title': ...}.
    Indices are written when there are at most 256 patches.
    """
    H, W = image.shape[:2]
    rows, cols = H // patch, W // patch
    fig = _figure(4.6, 4.6)
    ax = fig.subplots()
    _show(ax, image)
    for r in range(1, rows):
        ax.axhline(r * patch - 0.5, color="#38bdf8", lw=1.2 if rows <= 32 else 0.4)
    for c in range(1, cols):
        ax.axvline(c * patch - 0.5, color="#38bdf8", lw=1.2 if cols <= 32 else 0.4)
    if rows * cols <= 256:
        size = max(5, min(14, 140 / max(rows, cols)))
        for k in range(rows * cols):
            r, c = divmod(k, cols)
            ax.text(c * patch + patch / 2 - 0.5, r * patch + patch / 2 - 0.5, str(k), ha="center",
                    va="center", fontsize=size, color="#facc15", fontweight="bold")
    ax.set_title(text["title"], fontsize=11)
    ax.set_xticks([]), ax.set_yticks([])
    return _finish(fig, left=0.02, right=0.98, bottom=0.02)


def sequence(patches: np.ndarray, patch: int, channels: int, text: dict, max_tokens: int = 20) -> np.ndarray:
    """The flattened sequence: [CLS] then the patches as tiles, and the matrix x_p (N, P^2 C).

    patches: (N, P*P*C) in [0, 1], each row flattened as (C, P, P). Long sequences show the first
    ``max_tokens - 3`` tiles, an ellipsis and the last 3. text: {'tokens', 'matrix', 'index', 'value', 'cls'}.
    """
    N, K = patches.shape
    shown = list(range(N)) if N <= max_tokens else list(range(max_tokens - 3)) + [None] + list(range(N - 3, N))
    gap = max(1, patch // 4)
    slots = len(shown) + 1                                    # [CLS] first
    strip = np.ones((patch, slots * (patch + gap) - gap, 3), np.float32)
    strip[:, :patch] = (0.976, 0.451, 0.086)                 # the class token: orange
    for i, k in enumerate(shown, start=1):
        if k is None:
            continue
        tile = patches[k].reshape(channels, patch, patch)
        tile = np.repeat(tile[0][..., None], 3, -1) if channels == 1 else np.moveaxis(tile, 0, -1)
        x = i * (patch + gap)
        strip[:, x:x + patch] = tile
    fig = _figure(9.0, 4.4)
    top, bottom = fig.subplots(2, 1, gridspec_kw={"height_ratios": [1, 3.2]})
    top.imshow(strip, interpolation="nearest", aspect="equal")
    for i, k in enumerate([None, *shown]):
        x = i * (patch + gap) + patch / 2 - 0.5
        label = text["cls"] if i == 0 else ("..." if k is None else str(k))
        top.text(x, -0.08 * patch - 0.5, label, ha="center", va="bottom", fontsize=7)
    top.set_axis_off()
    top.set_title(text["tokens"], fontsize=10, pad=14)
    bottom.imshow(patches, aspect="auto", cmap="gray", interpolation="nearest", vmin=0, vmax=1)
    bottom.set_title(text["matrix"], fontsize=10)
    bottom.set_ylabel(text["index"], fontsize=9)
    bottom.set_xlabel(text["value"], fontsize=9)
    bottom.yaxis.get_major_locator().set_params(integer=True)
    return _finish(fig, left=0.07, right=0.98, bottom=0.11, title_px=30, hspace=0.4)


def similarity_grid(sim: torch.Tensor, rows: int, cols: int, text: dict) -> np.ndarray:
    """ViT paper Fig. 7 (centre): panel (r, c) shows cos(E_pos of patch (r, c), every patch).

    sim: (N, N) with N = rows * cols. text: {'title', 'row', 'col', 'colorbar'}.
    """
    s = sim.detach().cpu().numpy()
    gap = 1
    mosaic = np.full((rows * (rows + gap) - gap, cols * (cols + gap) - gap), np.nan, np.float32)
    for k in range(rows * cols):
        r, c = divmod(k, cols)
        y, x = r * (rows + gap), c * (cols + gap)
        mosaic[y:y + rows, x:x + cols] = s[k].reshape(rows, cols)
    fig = _figure(5.4, 5.0)
    ax = fig.subplots()
    im = ax.imshow(mosaic, cmap=SIM_CMAP, vmin=-1, vmax=1, interpolation="nearest")
    step = rows + gap
    ticks_every = 1 if rows <= 16 else 2
    ax.set_yticks([r * step + rows / 2 - 0.5 for r in range(0, rows, ticks_every)],
                  [str(r + 1) for r in range(0, rows, ticks_every)], fontsize=7)
    ax.set_xticks([c * (cols + gap) + cols / 2 - 0.5 for c in range(0, cols, ticks_every)],
                  [str(c + 1) for c in range(0, cols, ticks_every)], fontsize=7)
    ax.tick_params(length=0)
    ax.set_ylabel(text["row"]), ax.set_xlabel(text["col"])
    ax.set_title(text["title"], fontsize=10)
    fig.colorbar(im, ax=ax, fraction=0.046, pad=0.03, label=text["colorbar"])
    return _finish(fig, left=0.1, right=0.84, bottom=0.1)


def _panel(image: np.ndarray, side: int) -> np.ndarray:
    """Grey [0, 1] (side, side) thumbnail of an image (nearest-neighbour resampling)."""
    g = image.astype(np.float32)
    if g.ndim == 3:
        g = g @ np.array([0.299, 0.587, 0.114], np.float32)
    if g.max() > 1.0:
        g = g / 255.0
    H, W = g.shape
    ys, xs = np.arange(side) * H // side, np.arange(side) * W // side
    return g[ys][:, xs]


def attention_mosaic(image: np.ndarray, cls_attn: torch.Tensor, rows: int, cols: int, text: dict) -> np.ndarray:
    """Class-token attention of every layer (rows of panels) and head (columns) over the image.

    cls_attn: (L, H, N) softmax weights of the class token on the N = rows * cols patches. Each
    panel is scaled to its own maximum (the weights of one head sum to at most 1 over patches).
    text: {'title', 'layer', 'head'}.
    """
    a = cls_attn.detach().float().cpu().numpy()
    L, Hh, N = a.shape
    side = max(rows, cols) * max(1, 56 // max(rows, cols))
    up = side // max(rows, cols)
    base = _panel(image, side)
    gap = max(1, side // 14)
    height, width = L * (side + gap) - gap, Hh * (side + gap) - gap
    grey = np.ones((height, width), np.float32)
    heat = np.full((height, width), np.nan, np.float32)
    for layer in range(L):
        for head in range(Hh):
            y, x = layer * (side + gap), head * (side + gap)
            m = a[layer, head].reshape(rows, cols)
            m = m / max(m.max(), 1e-12)
            grey[y:y + side, x:x + side] = base
            heat[y:y + rows * up, x:x + cols * up] = np.kron(m, np.ones((up, up), np.float32))
    fig = _figure(min(1.6 + 1.45 * Hh, 14), min(0.9 + 1.45 * L, 14))
    ax = fig.subplots()
    ax.imshow(grey, cmap="gray", vmin=0, vmax=1, interpolation="nearest")
    ax.imshow(heat, cmap=ATTN_CMAP, alpha=0.7, vmin=0, vmax=1, interpolation="nearest")
    ax.set_xticks([h * (side + gap) + side / 2 for h in range(Hh)], [str(h + 1) for h in range(Hh)], fontsize=8)
    ax.set_yticks([layer * (side + gap) + side / 2 for layer in range(L)], [str(i + 1) for i in range(L)], fontsize=8)
    ax.tick_params(length=0)
    ax.set_xlabel(text["head"]), ax.set_ylabel(text["layer"])
    ax.set_title(text["title"], fontsize=10)
    for spine in ax.spines.values():
        spine.set_visible(False)
    return _finish(fig, left=0.07, right=0.99, bottom=0.08)


def rollout_overlay(image: np.ndarray, heat: torch.Tensor, text: dict) -> np.ndarray:
    """The input and the rollout map (rows, cols), max 1, over it, side by side.

    text: {'input', 'rollout'}.
    """
    h = heat.detach().float().cpu().numpy()
    H, W = image.shape[:2]
    fig = _figure(6.4, 3.4)
    a, b = fig.subplots(1, 2)
    _show(a, image, interpolation="nearest")
    a.set_title(text["input"], fontsize=10)
    _show(b, image, interpolation="nearest")
    im = b.imshow(h, cmap=ATTN_CMAP, alpha=0.65, vmin=0, vmax=1, interpolation="nearest",
                  extent=(-0.5, W - 0.5, H - 0.5, -0.5))
    b.set_title(text["rollout"], fontsize=10)
    for ax in (a, b):
        ax.set_xticks([]), ax.set_yticks([])
    fig.colorbar(im, ax=b, fraction=0.046, pad=0.03)
    return _finish(fig, left=0.02, right=0.92, bottom=0.03, wspace=0.08)
