"""Pictures for the CNN Filters tab: the worksheet grid with the receptive window lit up,
and channel mosaics (feature maps, learned kernels) drawn straight into pixel arrays.

``arithmetic_figure`` is a matplotlib figure (core.plots: Agg, Hangul font). ``mosaic`` does
not use matplotlib at all (only its colormap table), so a digit's feature maps render in a
few milliseconds.
"""
from __future__ import annotations

import numpy as np
import torch

from core import plots
from core.conv import fmt, window

WINDOW = "#ff9f1c"
PAD = "#e6e6e6"
OUT = "#2ec4b6"


def _rgb(colour: str) -> np.ndarray:
    import matplotlib.colors as mcolors

    return np.array(mcolors.to_rgb(colour))


def _grid(ax, values: np.ndarray, title: str, lit: dict[tuple[int, int], str] | None = None,
          pad_mask: np.ndarray | None = None, small: dict[tuple[int, int], str] | None = None,
          origin: int = 0):
    """Draw a table of numbers; lit cells get a colour, padding cells grey, small text in a corner.
    One imshow for the colours and two line collections for the grid keep it fast."""
    H, W = values.shape
    colours = np.ones((H, W, 3))
    if pad_mask is not None:
        colours[pad_mask] = _rgb(PAD)
    for (r, c), colour in (lit or {}).items():
        if 0 <= r < H and 0 <= c < W:
            colours[r, c] = _rgb(colour)
    ax.imshow(colours, extent=(0, W, H, 0), interpolation="nearest")
    ax.hlines(np.arange(H + 1), 0, W, colors="#999999", lw=0.6)
    ax.vlines(np.arange(W + 1), 0, H, colors="#999999", lw=0.6)
    ax.set_xlim(0, W)
    ax.set_ylim(H, 0)
    ax.set_xticks(np.arange(W) + 0.5, [str(c - origin) for c in range(W)], fontsize=7)
    ax.set_yticks(np.arange(H) + 0.5, [str(r - origin) for r in range(H)], fontsize=7)
    ax.tick_params(length=0)
    ax.set_title(title, fontsize=10)
    fs = 11 if max(H, W) <= 8 else 8 if max(H, W) <= 14 else 6
    for r in range(H):
        for c in range(W):
            padded = pad_mask is not None and pad_mask[r, c]
            ax.text(c + 0.5, r + 0.55, fmt(values[r, c]), ha="center", va="center", fontsize=fs,
                    color="#777777" if padded else "black")
    for (r, c), label in (small or {}).items():
        if 0 <= r < H and 0 <= c < W:
            ax.text(c + 0.95, r + 0.1, label, ha="right", va="top", fontsize=max(5, fs - 5), color="#a0410d")
    for s in ax.spines.values():
        s.set_visible(False)


def arithmetic_figure(x: torch.Tensor, w: torch.Tensor, y: torch.Tensor, i: int, j: int, stride: int,
                      padding: int, dilation: int, titles: tuple[str, str, str]) -> np.ndarray:
    """Padded input (window of output cell (i, j) lit, kernel weights in the corners),
    kernel, and output (cell (i, j) lit) side by side -> uint8 RGB image.
    titles: (input, kernel, output) captions in the visitor's language."""
    H, W = x.shape
    p = padding
    xp = np.zeros((H + 2 * p, W + 2 * p))
    xp[p:p + H, p:p + W] = x.numpy()
    pad_mask = np.ones_like(xp, dtype=bool)
    pad_mask[p:p + H, p:p + W] = False
    kh, kw = w.shape
    cells = window(i, j, kh, kw, stride, padding, dilation)
    weights = w.flatten().tolist()
    lit = {(r + p, c + p): WINDOW for r, c in cells}
    small = {(r + p, c + p): "×" + fmt(v) for (r, c), v in zip(cells, weights)}
    n_in, n_out = max(xp.shape), max(y.shape)
    widths = [max(n_in, 3), max(kw, 2) + 0.5, max(n_out, 2)]
    fig, axes = plots.plt.subplots(1, 3, figsize=(min(14, 1.6 + 0.62 * sum(widths)), 0.9 + 0.6 * max(xp.shape[0], 4)),
                                   gridspec_kw={"width_ratios": widths}, dpi=100)
    _grid(axes[0], xp, titles[0], lit, pad_mask, small, origin=p)
    _grid(axes[1], w.numpy(), titles[1], {(a, b): WINDOW for a in range(kh) for b in range(kw)})
    _grid(axes[2], y.numpy(), titles[2], {(i, j): OUT})
    fig.subplots_adjust(left=0.04, right=0.99, bottom=0.06, top=0.88, wspace=0.25)
    return plots.to_image(fig)


def _colormap(name: str) -> np.ndarray:
    import matplotlib

    return (matplotlib.colormaps[name](np.linspace(0, 1, 256))[:, :3] * 255).astype(np.uint8)   # (256, 3)


def mosaic(maps: torch.Tensor, cols: int | None = None, cell: int = 56, gap: int = 4, cmap: str = "viridis",
           symmetric: bool = False) -> np.ndarray:
    """maps (C, H, W) -> uint8 RGB mosaic, C tiles of cell x cell pixels (nearest upscaling).

    Each tile is normalised on its own: [min, max] -> colormap, or [-m, m] with m = max |v|
    when ``symmetric`` (kernels: a diverging colormap shows sign). A constant tile is drawn
    at the colormap's bottom (or middle, when symmetric)."""
    maps = maps.detach().float().cpu()
    C, H, W = maps.shape
    cols = cols or int(np.ceil(np.sqrt(C)))
    rows = int(np.ceil(C / cols))
    rep = max(1, cell // max(H, W))
    th, tw = H * rep, W * rep
    flat = maps.reshape(C, -1)
    if symmetric:
        m = flat.abs().amax(dim=1).clamp_min(1e-12)[:, None, None]
        z = (maps / m + 1) / 2
    else:
        lo = flat.amin(dim=1)[:, None, None]
        span = (flat.amax(dim=1)[:, None, None] - lo)
        z = torch.where(span > 0, (maps - lo) / span.clamp_min(1e-12), torch.zeros_like(maps))
    idx = (z.clamp(0, 1) * 255).round().to(torch.uint8).numpy()                # (C, H, W)
    tiles = _colormap(cmap)[idx]                                               # (C, H, W, 3)
    tiles = tiles.repeat(rep, axis=1).repeat(rep, axis=2)                      # (C, th, tw, 3)
    out = np.full((rows * th + (rows + 1) * gap, cols * tw + (cols + 1) * gap, 3), 255, np.uint8)
    for c in range(C):
        r, q = divmod(c, cols)
        y0, x0 = gap + r * (th + gap), gap + q * (tw + gap)
        out[y0:y0 + th, x0:x0 + tw] = tiles[c]
    return out
