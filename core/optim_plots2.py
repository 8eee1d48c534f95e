"""Figures of the optimizer tab beyond the race: the inspector, many start points, homework.

Texts arrive translated in ``text``; every function returns an (H, W, 3) uint8 image.
"""
from __future__ import annotations

import numpy as np

from core.optim_inspect import carried_arrows
from core.optim_plots import COLORS, draw_surface
from core.plots import plt, to_image
from core.surfaces import Surface

MAX_ARROWS = 40
# State buffers plotted in the inspector, in order, with their textbook names.
STATE_NAMES = {"momentum_buffer": "b_t", "exp_avg": "m_t", "exp_avg_sq": "v_t", "sum": "G_t",
               "square_avg": "v_t", "acc_delta": "u_t", "exp_inf": "u_t"}


def inspect_image(surface: Surface, trace, t: int, text: dict) -> np.ndarray:
    """Left: the racer's trail, arrows of the momentum it carries (core.optim_inspect.carried_arrows)
    at up to MAX_ARROWS points, step t highlighted. Right: each state buffer (x and y
    components) against the step, a line at t; second moments on a log scale."""
    names = [n for n in STATE_NAMES if n in trace.state]
    fig = plt.figure(figsize=(11.0, 4.6), dpi=100)
    ax = fig.add_axes((0.05, 0.11, 0.40, 0.76))
    draw_surface(ax, surface, text)
    T = trace.path.shape[0] - 1
    d = int(trace.diverged_at[0])
    last = T if d < 0 else max(d - 1, 0)
    p = trace.path[: last + 1, 0]
    c = COLORS[trace.key]
    ax.plot(p[:, 0], p[:, 1], "-", color=c, lw=1.5, alpha=0.8)
    ax.plot(p[:, 0], p[:, 1], ".", color=c, ms=3)
    arrows = carried_arrows(trace)
    if arrows is not None and last >= 1:
        idx = np.unique(np.linspace(1, last, min(MAX_ARROWS, last)).round().astype(int))
        base = trace.path[idx - 1, 0]
        vec = arrows[idx - 1]
        x0, x1, y0, y1 = surface.box
        cap = 0.25 * max(x1 - x0, y1 - y0)  # a wild first step should not hide the rest
        norm = np.linalg.norm(vec, axis=-1, keepdims=True)
        vec = np.where(norm > cap, vec * cap / np.maximum(norm, 1e-300), vec)
        ax.quiver(base[:, 0], base[:, 1], vec[:, 0], vec[:, 1], angles="xy", scale_units="xy", scale=1,
                  color="k", width=0.004, alpha=0.75, label=text["arrows"], zorder=6)
    t = int(min(max(t, 1), max(last, 1)))
    if t <= last:
        x_prev, x_t = trace.path[t - 1, 0], trace.path[t, 0]
        ax.annotate("", xy=x_t, xytext=x_prev, arrowprops=dict(arrowstyle="-|>", color="red", lw=2.5), zorder=8)
        ax.plot(*x_t, "o", mfc="red", mec="k", ms=8, zorder=9)
    ax.set_title(text["title"], fontsize=10)
    if arrows is not None:
        ax.legend(loc="lower left", fontsize=8)
    rows = max(len(names), 1)
    for i, n in enumerate(names):
        sub = fig.add_axes((0.54, 0.11 + (rows - 1 - i) * 0.8 / rows + 0.04, 0.43, 0.8 / rows - 0.08))
        series = trace.state[n][: last + 1]
        steps = np.arange(len(series))
        for j, comp in enumerate("xy"):
            sub.plot(steps, series[:, j], lw=1.5, color=("#1f77b4", "#d62728")[j], label=f"{STATE_NAMES[n]} [{comp}]")
        tail = series[1:]
        if n in ("exp_avg_sq", "sum", "square_avg", "acc_delta") and tail.size and np.all(tail >= 0) and tail.max() > 0:
            sub.set_yscale("symlog", linthresh=max(float(tail[tail > 0].min()), 1e-12))
        sub.axvline(t, color="k", lw=1, ls="--")
        sub.set_ylabel(f"{STATE_NAMES[n]}  ({n})", fontsize=8)
        sub.legend(fontsize=7, loc="upper right")
        sub.tick_params(labelsize=7)
        sub.grid(alpha=0.3)
        if i == rows - 1:
            sub.set_xlabel(text["step"])
    if not names:
        sub = fig.add_axes((0.54, 0.15, 0.43, 0.72))
        g = np.linalg.norm(trace.grad[: last, 0], axis=-1)
        sub.semilogy(np.arange(1, len(g) + 1), np.maximum(g, 1e-300), color=c, label="|g_t|")
        sub.axvline(t, color="k", lw=1, ls="--")
        sub.set_xlabel(text["step"])
        sub.legend(fontsize=8)
        sub.grid(alpha=0.3)
    return to_image(fig)


def many_image(surface: Surface, trace, rows: list[dict], text: dict, tol: float) -> np.ndarray:
    """All B trails of one racer (trace.path (T+1, B, 2)), start dots coloured by outcome."""
    fig = plt.figure(figsize=(7.6, 5.6), dpi=100)
    ax = fig.add_axes((0.08, 0.08, 0.62, 0.81))
    draw_surface(ax, surface, text)
    c = COLORS[trace.key]
    B = trace.path.shape[1]
    for b in range(B):
        d = int(trace.diverged_at[b])
        p = trace.path[: (d if d >= 0 else None), b]
        ax.plot(p[:, 0], p[:, 1], "-", color=c, lw=0.9, alpha=0.7)
    ok = np.array([r["distance"] is not None and r["distance"] <= tol for r in rows])
    start = trace.path[0]
    ax.plot(start[ok, 0], start[ok, 1], "o", mfc="limegreen", mec="k", ms=6, ls="none", label=text["converged"], zorder=6)
    ax.plot(start[~ok, 0], start[~ok, 1], "o", mfc="white", mec="k", ms=6, ls="none", label=text["not_converged"],
            zorder=6)
    ax.set_title(text["title"], fontsize=10)
    ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=9, frameon=False)
    return to_image(fig)


HW_COLORS = {"sgd": COLORS["sgd"], "momentum": COLORS["momentum"], "adam": COLORS["adam"]}


def regression_images(result: dict, text: dict) -> tuple[np.ndarray, np.ndarray]:
    """(fitted curves over the data, training MSE against epoch on a log scale) of one
    core.optim_regression.fit snapshot."""
    fig, ax = plt.subplots(figsize=(6.0, 4.2), dpi=100)
    ax.scatter(result["x"], result["y"], s=10, color="0.55", label=text["data"])
    if "truth" in result:
        ax.plot(result["x_plot"], result["truth"], "k--", lw=1, label=text["truth"])
    for k, pred in result["pred"].items():
        ax.plot(result["x_plot"], pred, color=HW_COLORS[k], lw=2.2, label=text["labels"][k])
    ax.set_title(text["fit_title"], fontsize=10)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    fit = to_image(fig)
    fig, ax = plt.subplots(figsize=(6.0, 4.2), dpi=100)
    for k, losses in result["loss"].items():
        ax.semilogy(np.arange(1, len(losses) + 1), losses, color=HW_COLORS[k], lw=2, label=text["labels"][k])
    ax.set_xlabel(text["epoch"])
    ax.set_ylabel(text["mse"])
    ax.set_title(text["loss_title"], fontsize=10)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3, which="both")
    fig.tight_layout()
    return fit, to_image(fig)
