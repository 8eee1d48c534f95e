"""Pictures for the CNN Filters tab: the worksheet grid with the receptive window lit up,
and channel mosaics (feature maps, learned kernels) drawn straight into pixel arrays.

Both are drawn straight into pixels (PIL / NumPy; the font is core.plots.pil_font, matplotlib lends its
colormap tables), so walking the window or a digit's feature maps render in milliseconds.
"""
from __future__ import annotations

import numpy as np
import torch

from core.conv import fmt, window
from core.plots import pil_font

WINDOW = "#ff9f1c"
PAD = "#e6e6e6"
OUT = "#2ec4b6"


def _grid(draw, x0: int, y0: int, cell: int, values: np.ndarray, title: str,
          lit: dict[tuple[int, int], str] | None = None, pad_mask: np.ndarray | None = None,
          small: dict[tuple[int, int], str] | None = None, origin: int = 0) -> None:
    """Draw a table of numbers with its top-left corner at (x0, y0): lit cells coloured,
    padding cells grey, small text in a corner, row/column indices outside, title above."""
    H, W = values.shape
    big, tiny, idx = pil_font(max(9, int(cell * 0.4))), pil_font(max(7, int(cell * 0.24))), pil_font(max(8, int(cell * 0.26)))
    draw.text((x0 + W * cell / 2, y0 - 8), title, fill="black", font=pil_font(15), anchor="md")
    for r in range(H):
        for c in range(W):
            padded = pad_mask is not None and pad_mask[r, c]
            colour = (lit or {}).get((r, c)) or (PAD if padded else "white")
            box = (x0 + c * cell, y0 + r * cell, x0 + (c + 1) * cell, y0 + (r + 1) * cell)
            draw.rectangle(box, fill=colour, outline="#999999")
            draw.text((box[0] + cell / 2, box[1] + cell / 2 + 1), fmt(values[r, c]), font=big, anchor="mm",
                      fill="#777777" if padded else "black")
            if small and (r, c) in small:
                draw.text((box[2] - 3, box[1] + 2), small[(r, c)], font=tiny, anchor="ra", fill="#a0410d")
    for r in range(H):
        draw.text((x0 - 5, y0 + r * cell + cell / 2), str(r - origin), font=idx, anchor="rm", fill="#555555")
    for c in range(W):
        draw.text((x0 + c * cell + cell / 2, y0 + H * cell + 4), str(c - origin), font=idx, anchor="ma",
                  fill="#555555")


def arithmetic_figure(x: torch.Tensor, w: torch.Tensor, y: torch.Tensor, i: int, j: int, stride: int,
                      padding: int, dilation: int, titles: tuple[str, str, str]) -> np.ndarray:
    """Padded input (window of output cell (i, j) lit, kernel weights in the corners),
    kernel, and output (cell (i, j) lit) side by side -> uint8 RGB image, drawn with PIL
    (a few milliseconds, so walking the window stays live).
    titles: (input, kernel, output) captions."""
    from PIL import Image, ImageDraw

    H, W = x.shape
    p = padding
    xp = np.zeros((H + 2 * p, W + 2 * p))
    xp[p:p + H, p:p + W] = x.numpy()
    pad_mask = np.ones_like(xp, dtype=bool)
    pad_mask[p:p + H, p:p + W] = False
    kh, kw = w.shape
    cells = window(i, j, kh, kw, stride, padding, dilation)
    lit = {(r + p, c + p): WINDOW for r, c in cells}
    small = {(r + p, c + p): "×" + fmt(v) for (r, c), v in zip(cells, w.flatten().tolist())}
    side = max(xp.shape + y.shape)
    cell = 46 if side <= 8 else 34 if side <= 14 else 24
    margin, gap, top = 30, 60, 62   # top: room for the image label Gradio overlays on the corner
    panels = [xp.shape, (kh, kw), tuple(y.shape)]
    width = margin + sum(c * cell for _, c in panels) + gap * 2 + 20
    height = top + max(r for r, _ in panels) * cell + 28
    img = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(img)
    x0 = margin
    _grid(draw, x0, top, cell, xp, titles[0], lit, pad_mask, small, origin=p)
    x0 += xp.shape[1] * cell + gap
    _grid(draw, x0, top, cell, w.numpy(), titles[1], {(a, b): WINDOW for a in range(kh) for b in range(kw)})
    x0 += kw * cell + gap
    _grid(draw, x0, top, cell, y.numpy(), titles[2], {(i, j): OUT})
    return np.asarray(img)


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
