"""Convolution arithmetic on small grids (Dumoulin & Visin 2016, "A guide to convolution
arithmetic for deep learning"), the study group's week-4 worksheet.

A 2-D convolution layer in deep learning is a cross-correlation (the kernel is not flipped):

    y[i, j] = sum_{a, b} x_pad[i*s + a*d, j*s + b*d] * w[a, b]

with stride s, zero padding p and dilation d. Along each axis the output has

    out = floor((n + 2p - d(k - 1) - 1) / s) + 1

cells (PyTorch's nn.Conv2d "Shape" formula; with d = 1 it is the worksheet's
floor((n + 2p - k) / s) + 1). The numbers come from ``torch.nn.functional.conv2d`` /
``max_pool2d`` / ``avg_pool2d``; ``terms`` writes one output cell out term by term, and the
tests check that its sum equals conv2d's cell.

Grids are float64 (H, W) tensors so a worksheet's integers stay exact.
"""
from __future__ import annotations

import math
import re

import torch
import torch.nn.functional as F

from core.errors import StudioError

MAX_GRID = 16       # input grid: at most 16 x 16 cells
MAX_KERNEL = 7      # kernel: at most 7 x 7
MAX_STRIDE = 8
MAX_PADDING = 8
MAX_DILATION = 6
MAX_ABS_VALUE = 1e6

# The worksheet's binary image and kernel (the classic 5x5 example; stride 1 gives
# [[4, 3, 4], [2, 4, 3], [2, 3, 4]]).
WORKSHEET_INPUT = [[1, 1, 1, 0, 0],
                   [0, 1, 1, 1, 0],
                   [0, 0, 1, 1, 1],
                   [0, 0, 1, 1, 0],
                   [0, 1, 1, 0, 0]]
WORKSHEET_KERNEL = [[1, 0, 1],
                    [0, 1, 0],
                    [1, 0, 1]]

_SPLIT = re.compile(r"[\s,;]+")


def grid_text(grid) -> str:
    """[[1, 0], [0, 1]] -> '1 0\\n0 1' (the text form the UI edits)."""
    return "\n".join(" ".join(fmt(v) for v in row) for row in grid)


def fmt(v: float) -> str:
    """A number as a worksheet writes it: 3 rather than 3.0, else up to 4 significant digits."""
    v = float(v)
    if v == int(v) and abs(v) < 1e15:
        return str(int(v))
    return f"{v:.4g}"


def parse_grid(text: str, what: str, max_side: int) -> torch.Tensor:
    """Rows of numbers (one row a line, separated by spaces, commas or semicolons) -> (H, W) float64.

    what: 'input', 'kernel' or 'photo_kernel' (names the grid in error messages).
    Raises StudioError cnn_filters.<what>_not_a_number (row, col, value), .grid_empty,
    .grid_ragged (row, got, expected), .grid_too_big (rows, cols, max_side),
    .value_too_big (value, cap): NaN and infinity count as not a number.
    """
    text = "" if text is None else str(text)
    if len(text) > 20_000:
        raise StudioError("cnn_filters.grid_too_big", what=what, rows="?", cols="?", max_side=max_side)
    lines = [ln.strip().strip("[]").strip() for ln in text.strip().splitlines()]
    rows = [[tok for tok in _SPLIT.split(ln.strip("[], ")) if tok] for ln in lines if ln.strip("[], ")]
    if not rows:
        raise StudioError("cnn_filters.grid_empty", what=what)
    width = len(rows[0])
    if len(rows) > max_side or width > max_side:
        raise StudioError("cnn_filters.grid_too_big", what=what, rows=len(rows), cols=width, max_side=max_side)
    values = []
    for r, row in enumerate(rows, start=1):
        if len(row) != width:
            raise StudioError("cnn_filters.grid_ragged", what=what, row=r, got=len(row), expected=width)
        out = []
        for c, tok in enumerate(row, start=1):
            try:
                v = float(tok)
            except ValueError:
                v = math.nan
            if not math.isfinite(v):
                raise StudioError("cnn_filters.not_a_number", what=what, row=r, col=c, value=tok[:20])
            if abs(v) > MAX_ABS_VALUE:
                raise StudioError("cnn_filters.value_too_big", what=what, value=tok[:20], cap=f"{MAX_ABS_VALUE:g}")
            out.append(v)
        values.append(out)
    return torch.tensor(values, dtype=torch.float64)


def output_size(n: int, k: int, stride: int = 1, padding: int = 0, dilation: int = 1) -> int:
    """out = floor((n + 2p - d(k - 1) - 1) / s) + 1 along one axis.

    Raises StudioError cnn_filters.window_too_big when the (dilated) window, d(k - 1) + 1
    cells, is wider than the padded input n + 2p.
    """
    span = dilation * (k - 1) + 1
    if n + 2 * padding < span:
        raise StudioError("cnn_filters.window_too_big", n=n, p=padding, padded=n + 2 * padding, span=span, k=k,
                          d=dilation)
    return (n + 2 * padding - span) // stride + 1


def leftover(n: int, k: int, stride: int = 1, padding: int = 0, dilation: int = 1) -> int:
    """Padded cells at the end of an axis that no window reaches: (n + 2p - d(k-1) - 1) mod s.
    Non-zero means the stride does not fit evenly and those rows/columns are silently dropped."""
    return (n + 2 * padding - dilation * (k - 1) - 1) % stride


def size_formula(n: int, k: int, stride: int, padding: int, dilation: int) -> str:
    """The output-size formula with the numbers substituted, e.g.
    'floor((5 + 2·0 − 1·(3 − 1) − 1) / 1) + 1 = floor(2 / 1) + 1 = 3'."""
    inner = n + 2 * padding - dilation * (k - 1) - 1
    out = output_size(n, k, stride, padding, dilation)
    return (f"⌊({n} + 2·{padding} − {dilation}·({k} − 1) − 1) / {stride}⌋ + 1"
            f" = ⌊{inner} / {stride}⌋ + 1 = {out}")


def conv_grid(x: torch.Tensor, w: torch.Tensor, stride: int = 1, padding: int = 0,
              dilation: int = 1) -> torch.Tensor:
    """x (H, W), w (kh, kw) -> (H_out, W_out) via torch.nn.functional.conv2d (one channel,
    zero padding, no bias). Raises StudioError cnn_filters.window_too_big if it does not fit."""
    output_size(x.shape[0], w.shape[0], stride, padding, dilation)
    output_size(x.shape[1], w.shape[1], stride, padding, dilation)
    y = F.conv2d(x[None, None], w[None, None].to(x.dtype), stride=stride, padding=padding, dilation=dilation)
    return y[0, 0]


def window(i: int, j: int, kh: int, kw: int, stride: int, padding: int, dilation: int):
    """Input cells (row, col) read by output cell (i, j), in unpadded input coordinates
    (negative or >= H/W means a padding zero), in kernel order (row-major)."""
    return [(i * stride + a * dilation - padding, j * stride + b * dilation - padding)
            for a in range(kh) for b in range(kw)]


def terms(x: torch.Tensor, w: torch.Tensor, i: int, j: int, stride: int = 1, padding: int = 0,
          dilation: int = 1) -> list[tuple[float, float, int, int]]:
    """Output cell (i, j) written out: [(x value, w value, input row, input col), ...], one
    per kernel weight; padding cells read 0. sum(xv * wv) equals conv_grid(...)[i, j]."""
    H, W = x.shape
    kh, kw = w.shape
    out = []
    for (r, c), wv in zip(window(i, j, kh, kw, stride, padding, dilation), w.flatten().tolist()):
        xv = float(x[r, c]) if 0 <= r < H and 0 <= c < W else 0.0
        out.append((xv, wv, r, c))
    return out


def terms_text(t: list[tuple[float, float, int, int]]) -> str:
    """'1·1 + 1·0 + ... = 4': the multiply-add as the worksheet writes it."""
    total = sum(xv * wv for xv, wv, _, _ in t)
    parts = [f"{fmt(xv)}·{fmt(wv)}" if wv >= 0 else f"{fmt(xv)}·({fmt(wv)})" for xv, wv, _, _ in t]
    return " + ".join(parts) + f" = {fmt(total)}"


def pool_grid(x: torch.Tensor, kind: str, k: int, stride: int | None = None) -> torch.Tensor:
    """Max or average pooling of x (H, W) with a k x k window (stride defaults to k, no
    padding), via torch.nn.functional.max_pool2d / avg_pool2d -> (H_out, W_out).
    Raises StudioError cnn_filters.window_too_big if the window is larger than the grid,
    ValueError for another kind."""
    stride = stride or k
    output_size(x.shape[0], k, stride)
    output_size(x.shape[1], k, stride)
    if kind == "max":
        return F.max_pool2d(x[None, None], k, stride)[0, 0]
    if kind == "avg":
        return F.avg_pool2d(x[None, None], k, stride)[0, 0]
    raise ValueError(f"pool kind must be 'max' or 'avg'; got {kind!r}")
