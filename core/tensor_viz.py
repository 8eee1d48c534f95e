"""Pictures and facts for one line of a Tensor Ops snippet.

``facts(value)`` gives shape, dtype, device, elements and bytes; ``explain(op)`` what the
line's outermost operation did to shapes (which axis a reduction collapsed, how broadcasting
aligned the operands, what cat/stack joined, shape before and after a view);
``picture(line)`` draws it: each tensor as an annotated grid (dim 0 down, dim 1 across,
3-D as stacked slices), operands and result side by side.
"""
from __future__ import annotations

import numpy as np
import torch

from core.plots import plt, to_image
from core.tensor_interp import LineResult, OpInfo

MAX_CELLS = 12  # a grid larger than this on a side is drawn as a heatmap without numbers
MAX_SLICES = 4
PALETTE = ["#cfe3ff", "#ffd9b3", "#d4f5d4", "#f3d1f7", "#fff3b0", "#d0f0f0"]


def facts(value) -> dict | None:
    """{'shape', 'dtype', 'device', 'numel', 'bytes'} of a tensor, else None."""
    if not isinstance(value, torch.Tensor):
        return None
    return {"shape": tuple(value.shape), "dtype": str(value.dtype), "device": str(value.device),
            "numel": value.numel(), "bytes": value.numel() * value.element_size()}


def _shape(x) -> tuple:
    return tuple(x.shape) if isinstance(x, torch.Tensor) else ()


def explain(op: OpInfo | None, value) -> dict | None:
    """Shape facts of the line's outermost op, by kind; None when there is nothing to add.

    reduction: {'dim', 'size', 'before', 'after'}; broadcast: {'shapes', 'aligned', 'after'}
    (aligned = shapes right-aligned with 1s prepended, as broadcasting does); join:
    {'shapes', 'dim', 'after'}; shape: {'before', 'after'}.
    """
    if op is None:
        return None
    out = value.values if hasattr(value, "values") and not isinstance(value, torch.Tensor) else value
    if op.kind == "reduction" and op.operands:
        x = op.operands[0]
        dim = op.dim
        if dim is None:
            return {"kind": "reduction", "name": op.name, "dim": None, "size": x.numel(), "before": _shape(x),
                    "after": _shape(out)}
        dims = dim if isinstance(dim, (tuple, list)) else (dim,)
        sizes = [x.shape[d] for d in dims] if x.dim() else [1]
        return {"kind": "reduction", "name": op.name, "dim": dim, "size": sizes[0] if len(sizes) == 1 else sizes,
                "before": _shape(x), "after": _shape(out)}
    if op.kind == "broadcast":
        shapes = [_shape(v) for v in op.operands]
        n = max(len(s) for s in shapes)
        aligned = [(1,) * (n - len(s)) + s for s in shapes]
        return {"kind": "broadcast", "name": op.name, "shapes": shapes, "aligned": aligned, "after": _shape(out)}
    if op.kind == "join":
        return {"kind": "join", "name": op.name, "shapes": [_shape(v) for v in op.operands], "dim": op.dim,
                "after": _shape(out)}
    if op.kind == "shape" and op.operands:
        return {"kind": "shape", "name": op.name, "before": _shape(op.operands[0]), "after": _shape(out)}
    return None


def _cell_text(v) -> str:
    if isinstance(v, (bool, np.bool_)):
        return "T" if v else "F"
    if float(v).is_integer() and abs(v) < 1e6:
        return str(int(v))
    return f"{v:.3g}"


def _grid(ax, x: np.ndarray, title: str, colors: np.ndarray | None = None, dim_labels=True):
    """Draw a 0-, 1- or 2-D array as cells with their values; colors: per-cell palette index."""
    arr = np.atleast_2d(x) if x.ndim < 2 else x
    rows, cols = arr.shape
    ax.set_title(title, fontsize=9)
    ax.set_xticks([]), ax.set_yticks([])
    if rows > MAX_CELLS or cols > MAX_CELLS:
        ax.imshow(arr.astype(float), cmap="viridis", aspect="auto")
        return
    if colors is None:
        colors = np.zeros(arr.shape, dtype=int)
    rgb = np.array([[plt.matplotlib.colors.to_rgb(PALETTE[c % len(PALETTE)]) for c in row]
                    for row in np.atleast_2d(colors)])
    ax.imshow(rgb, aspect="equal")
    for (i, j), v in np.ndenumerate(arr):
        ax.text(j, i, _cell_text(v), ha="center", va="center", fontsize=8 if cols < 8 else 6)
    ax.set_xticks(np.arange(-0.5, cols, 1), minor=True), ax.set_yticks(np.arange(-0.5, rows, 1), minor=True)
    ax.grid(which="minor", color="white", linewidth=1.5)
    ax.tick_params(which="minor", length=0)
    if dim_labels and x.ndim >= 1:
        ax.set_xlabel("dim 0 →" if x.ndim == 1 else "dim 1 →", fontsize=7)
        if x.ndim == 2:
            ax.set_ylabel("dim 0 ↓", fontsize=7)


def _panels(x: torch.Tensor) -> list[tuple[np.ndarray, str]]:
    """A tensor as 2-D slices: one panel for <= 2-D, the leading slices of 3-D and up."""
    a = x.detach().cpu()
    a = a.float().numpy() if a.dtype in (torch.bfloat16, torch.float16) else a.numpy()
    if a.ndim <= 2:
        return [(a, "")]
    flat = a.reshape(-1, *a.shape[-2:])
    index = list(np.ndindex(*a.shape[:-2]))
    return [(flat[k], f"[{', '.join(map(str, index[k]))}]") for k in range(min(len(flat), MAX_SLICES))]


def picture(line: LineResult) -> np.ndarray | None:
    """An RGB image of a line's operands and result, or None if the line made no tensor."""
    value = line.value.values if hasattr(line.value, "values") and not isinstance(line.value, torch.Tensor) \
        else line.value
    if not isinstance(value, torch.Tensor) or value.is_complex():
        return None
    op = line.op
    items: list[tuple[torch.Tensor, str, np.ndarray | None]] = []
    if op is not None and op.kind in ("reduction", "broadcast", "join", "shape"):
        operands = [v if isinstance(v, torch.Tensor) else torch.tensor(v) for v in op.operands]
        if op.kind == "broadcast":
            expanded = torch.broadcast_tensors(*operands)
            for k, (orig, exp) in enumerate(zip(operands, expanded)):
                items.append((exp, f"{tuple(orig.shape)} → {tuple(exp.shape)}", None))
        elif op.kind == "join":
            for k, v in enumerate(operands):
                items.append((v, f"#{k} {tuple(v.shape)}", np.full(tuple(v.shape) or (1,), k)))
        elif op.kind == "shape":
            items.append((operands[0], f"{tuple(operands[0].shape)}", np.arange(operands[0].numel()).reshape(
                tuple(operands[0].shape) or (1,)) % len(PALETTE)))
        else:
            dim = op.dim
            items.append((operands[0], f"{tuple(operands[0].shape)}" + ("" if dim is None else f"  dim={dim} ✕"),
                          None))
    colors = None
    if op is not None and op.kind == "join" and value.numel() == sum(v.numel() for v in op.operands):
        src = [np.full(tuple(v.shape) or (1,), k) for k, v in enumerate(op.operands)]
        dim = op.dim if isinstance(op.dim, int) else 0
        try:
            colors = (np.stack(src, axis=dim) if op.name == "stack" else np.concatenate(src, axis=dim))
        except (ValueError, np.exceptions.AxisError):
            colors = None
    elif op is not None and op.kind == "shape":
        colors = np.arange(value.numel()).reshape(tuple(value.shape) or (1,)) % len(PALETTE)
    items.append((value, f"→ {tuple(value.shape)} {str(value.dtype).replace('torch.', '')}", colors))
    panels = []
    for tensor, title, col in items:
        slices = _panels(tensor)
        col_slices = [None] * len(slices) if col is None or col.ndim <= 2 else \
            list(col.reshape(-1, *col.shape[-2:])[:MAX_SLICES])
        if col is not None and col.ndim <= 2:
            col_slices = [col]
        for (arr, sub), c in zip(slices, col_slices):
            panels.append((arr, f"{title} {sub}".strip(), c))
    widths = [max(1.2, min(np.atleast_2d(a).shape[1], MAX_CELLS) * 0.45) for a, _, _ in panels]
    height = max(1.4, min(max(np.atleast_2d(a).shape[0] for a, _, _ in panels), MAX_CELLS) * 0.42 + 0.8)
    fig, axes = plt.subplots(1, len(panels), figsize=(min(sum(widths) + 0.4 * len(panels), 14), height), dpi=90,
                             gridspec_kw={"width_ratios": widths})
    for ax, (arr, title, c) in zip(np.atleast_1d(axes), panels):
        _grid(ax, arr, title, c)
    fig.suptitle(line.source[:80], fontsize=9, family="monospace")
    fig.tight_layout()
    return to_image(fig)
