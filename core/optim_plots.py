"""Figures of the optimizer race: the contour with trails, loss curves, the replay GIF.

The contour figure has a fixed pixel layout (FIG_SIZE at DPI, axes at AX_RECT), so a click
on the picture maps back to (x, y) with `pixel_to_xy`. Texts arrive translated in ``text``
(core knows no language). Inspector and homework figures live in core/optim_plots2.py.
"""
from __future__ import annotations

import functools
import io

import numpy as np
from matplotlib.colors import LogNorm
from matplotlib.ticker import LogFormatter, LogLocator, NullLocator

from core.plots import figure, plt, to_image
from core.surfaces import Surface, grid

DPI = 100
FIG_SIZE = (7.6, 5.6)  # inches -> 760 x 560 px
AX_RECT = (0.08, 0.08, 0.62, 0.81)  # left, bottom, width, height (figure fraction)
COLORS = {"sgd": "#1f77b4", "momentum": "#ff7f0e", "nesterov": "#2ca02c", "adagrad": "#d62728",
          "adadelta": "#9467bd", "rmsprop": "#8c564b", "adam": "#e377c2", "adamw": "#17becf",
          "nadam": "#bcbd22", "radam": "#7f7f7f", "adamax": "#000000"}


def pixel_to_xy(surface: Surface, px: float, py: float) -> tuple[float, float] | None:
    """Image pixel (px right, py down) of the contour figure -> (x, y); None outside the axes."""
    W, H = FIG_SIZE[0] * DPI, FIG_SIZE[1] * DPI
    l, b, w, h = AX_RECT
    u = (px - l * W) / (w * W)
    v = ((H - py) - b * H) / (h * H)
    if not (0 <= u <= 1 and 0 <= v <= 1):
        return None
    x0, x1, y0, y1 = surface.box
    return x0 + u * (x1 - x0), y0 + v * (y1 - y0)


@functools.cache
def _background(key: str) -> np.ndarray:
    """The surface's filled contour (log scale of f - f_min; linear when unbounded) with
    contour lines, rendered once per surface at the contour axes' pixel size: (h, w, 3) uint8.
    Drawing this picture is much cheaper than re-contouring for every figure."""
    from core.surfaces import SURFACES

    s = SURFACES[key]
    X, Y, F = (a.numpy() for a in grid(s, 220))
    w_px, h_px = round(AX_RECT[2] * FIG_SIZE[0] * DPI), round(AX_RECT[3] * FIG_SIZE[1] * DPI)
    fig = plt.figure(figsize=(w_px / DPI, h_px / DPI), dpi=DPI)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_axis_off()
    if s.f_min is None:
        levels = np.linspace(F.min(), F.max(), 25)
        ax.contourf(X, Y, F, levels=levels, cmap="viridis", alpha=0.45)
        ax.contour(X, Y, F, levels=levels, colors="k", linewidths=0.3, alpha=0.5)
    else:
        G = np.maximum(F - s.f_min, 1e-6)
        norm = LogNorm(vmin=max(G.min(), 1e-3), vmax=G.max())
        levels = np.geomspace(norm.vmin, norm.vmax, 30)
        ax.contourf(X, Y, np.clip(G, norm.vmin, None), levels=levels, norm=norm, cmap="viridis", alpha=0.45)
        ax.contour(X, Y, G, levels=levels, norm=norm, colors="k", linewidths=0.3, alpha=0.5)
    ax.set_xlim(s.box[0], s.box[1])
    ax.set_ylim(s.box[2], s.box[3])
    return to_image(fig)


def draw_surface(ax, surface: Surface, text: dict):
    """The cached contour picture, minima (gold stars) and stationary points, on ``ax``."""
    x0, x1, y0, y1 = surface.box
    ax.imshow(_background(surface.key), extent=(x0, x1, y0, y1), origin="upper", aspect="auto", zorder=0)
    for i, (mx, my) in enumerate(surface.minima):
        ax.plot(mx, my, marker="*", ms=16, mfc="gold", mec="k", ls="none", zorder=5,
                label=text.get("minimum") if i == 0 else None)
    for i, (sx, sy) in enumerate(surface.stationary):
        ax.plot(sx, sy, marker="P", ms=12, mfc="white", mec="k", ls="none", zorder=5,
                label=text.get("saddle_point") if i == 0 else None)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_xlabel("x")
    ax.set_ylabel("y")


def _end(tr, b: int, upto: int) -> tuple[int, bool]:
    """Last step to draw for point b up to step ``upto`` and whether it has diverged by then."""
    d = int(tr.diverged_at[b])
    if 0 <= d <= upto:
        return max(d - 1, 0), True
    return upto, False


def race_figure(surface: Surface, traces: dict, text: dict, upto: int | None = None, start=None):
    """The contour with every racer's trail up to step ``upto`` (all steps if None).

    traces: {key: Trace}; text: translated {title, minimum, saddle_point, start, diverged,
    labels: {key: name}}. start: (x, y) drawn when there are no traces yet. Returns the figure.
    """
    fig = plt.figure(figsize=FIG_SIZE, dpi=DPI)
    ax = fig.add_axes(AX_RECT)
    draw_surface(ax, surface, text)
    T = next(iter(traces.values())).path.shape[0] - 1 if traces else 0
    upto = T if upto is None else max(0, min(int(upto), T))
    if start is not None:
        ax.plot(*start, marker="o", ms=10, mfc="white", mec="k", mew=2, ls="none", zorder=6, label=text.get("start"))
    for key, tr in traces.items():
        c = COLORS[key]
        end, dead = _end(tr, 0, upto)
        p = tr.path[: end + 1, 0]
        blew_up = dead and surface.f_min is not None  # on the unbounded saddle, leaving is escaping
        name = text["labels"][key] + (f" ({text['diverged']})" if blew_up else "")
        ax.plot(p[:, 0], p[:, 1], "-", color=c, lw=2, label=name, zorder=4)
        ax.plot(p[-1, 0], p[-1, 1], marker="X" if blew_up else "o", ms=11 if blew_up else 8,
                mfc=c, mec="red" if blew_up else "k", mew=1.5, ls="none", zorder=7)
    ax.set_title(text.get("title", ""), fontsize=10)
    if ax.get_legend_handles_labels()[0]:
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=9, frameon=False)
    return fig


def race_image(surface: Surface, traces: dict, text: dict, upto: int | None = None, start=None) -> np.ndarray:
    """race_figure rendered to an (560, 760, 3) uint8 array."""
    return to_image(race_figure(surface, traces, text, upto, start))


def loss_image(surface: Surface, traces: dict, text: dict) -> np.ndarray:
    """f(x_t) - f_min against step t on a log scale (symlog of f on an unbounded surface);
    a red cross where a racer diverged."""
    fig, ax = figure(7.0, 4.0)
    fig.subplots_adjust(left=0.11, right=0.97, bottom=0.13, top=0.91)
    for key, tr in traces.items():
        d = int(tr.diverged_at[0])
        gap = tr.loss[:, 0] - (surface.f_min or 0.0)
        stop = d if d >= 0 else len(gap)
        steps = np.arange(stop)
        y = np.maximum(gap[:stop], 1e-16) if surface.f_min is not None else gap[:stop]
        ax.plot(steps, y, color=COLORS[key], lw=1.8, label=text["labels"][key])
        if d >= 1:
            ax.plot(d - 1, y[-1], marker="X", ms=10, color=COLORS[key], mec="red", ls="none")
    if surface.f_min is None:
        ax.set_yscale("symlog", linthresh=1e-2)
        ax.set_ylabel("f(x_t)")
    else:
        ax.set_yscale("log")
        ax.yaxis.set_major_locator(LogLocator(numticks=8))
        ax.yaxis.set_major_formatter(LogFormatter(labelOnlyBase=True))
        ax.yaxis.set_minor_locator(NullLocator())
        ax.set_ylabel("f(x_t) − f*")
    ax.set_xlabel(text["step"])
    ax.set_title(text["loss_title"], fontsize=10)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, ncol=2)
    return to_image(fig)


def race_gif(surface: Surface, traces: dict, text: dict, frames: int = 40, ms_per_frame: int = 80) -> bytes:
    """An animated GIF of the race: ``frames`` snapshots, the last one held for a second.

    Draws the contour once and only the trails per frame (matplotlib blitting)."""
    from PIL import Image

    T = next(iter(traces.values())).path.shape[0] - 1
    fig = race_figure(surface, traces, text, upto=T, start=tuple(next(iter(traces.values())).path[0, 0]))
    ax = fig.axes[0]
    trail_lines = [ln for ln in ax.get_lines() if ln.get_linestyle() == "-"]
    end_marks = [ln for ln in ax.get_lines() if ln.get_marker() in ("o", "X") and ln.get_label().startswith("_")]
    for art in trail_lines + end_marks:
        art.set_visible(False)
    fig.canvas.draw()
    bg = fig.canvas.copy_from_bbox(fig.bbox)
    frames_rgb = []
    keys = list(traces)
    for upto in np.unique(np.linspace(0, T, frames).round().astype(int)):
        fig.canvas.restore_region(bg)
        for key, line, mark in zip(keys, trail_lines, end_marks):
            end, dead = _end(traces[key], 0, int(upto))
            p = traces[key].path[: end + 1, 0]
            line.set_data(p[:, 0], p[:, 1])
            mark.set_data([p[-1, 0]], [p[-1, 1]])
            for art in (line, mark):
                art.set_visible(True)
                ax.draw_artist(art)
        fig.canvas.blit(fig.bbox)
        frames_rgb.append(Image.fromarray(np.asarray(fig.canvas.buffer_rgba())[..., :3].copy()))
    # One palette for all frames, from the last (it holds every trail): quantizing each frame
    # on its own costs ~10x more.
    palette = frames_rgb[-1].quantize(colors=128, method=Image.Quantize.FASTOCTREE)
    images = [im.quantize(palette=palette, dither=Image.Dither.NONE) for im in frames_rgb]
    plt.close(fig)
    buf = io.BytesIO()
    durations = [ms_per_frame] * (len(images) - 1) + [1200]
    images[0].save(buf, format="GIF", save_all=True, append_images=images[1:], duration=durations, loop=0)
    return buf.getvalue()
