"""Pictures for the VAE tab: the latent map (with markers), enlarged digits, strips, GIFs.

The map is drawn once with matplotlib at a fixed pixel geometry (``MapGeometry``), cached,
and markers are then painted onto a copy with PIL in about a millisecond; the same geometry
turns a click on the picture back into (z1, z2). Pictures are uint8 numpy arrays.
"""
from __future__ import annotations

import dataclasses
import functools

import numpy as np
import torch
from PIL import Image, ImageDraw

from core.plots import plt, save_gif

MAP_LIMIT = 4.0                       # the map shows z1, z2 in [-4, 4]
DIGIT_COLORS = plt.get_cmap("tab10").colors


@dataclasses.dataclass(frozen=True)
class MapGeometry:
    """Pixel layout of the latent map: a square plot area of ``size`` px whose top-left
    corner is at (left, top) in a width x height picture, showing [-limit, limit]^2."""

    width: int = 600
    height: int = 540
    left: int = 60
    top: int = 30
    size: int = 460
    limit: float = MAP_LIMIT

    def to_pixel(self, z1: float, z2: float) -> tuple[float, float]:
        """Latent point -> (x, y) pixel (y grows downwards), clipped to the plot area."""
        u = (np.clip(z1, -self.limit, self.limit) + self.limit) / (2 * self.limit)
        v = (np.clip(z2, -self.limit, self.limit) + self.limit) / (2 * self.limit)
        return self.left + u * self.size, self.top + (1 - v) * self.size

    def to_latent(self, x: float, y: float) -> tuple[float, float] | None:
        """Pixel (x, y) -> (z1, z2), or None when it falls outside the plot area."""
        u, v = (x - self.left) / self.size, 1 - (y - self.top) / self.size
        if not (0 <= u <= 1 and 0 <= v <= 1):
            return None
        return (u * 2 - 1) * self.limit, (v * 2 - 1) * self.limit


GEOMETRY = MapGeometry()


def render_map(mu: torch.Tensor, labels: torch.Tensor, geometry: MapGeometry = GEOMETRY) -> np.ndarray:
    """Scatter of latent means mu (N, 2) coloured by digit labels (N,) -> (H, W, 3) uint8."""
    g = geometry
    fig = plt.figure(figsize=(g.width / 100, g.height / 100), dpi=100)
    ax = fig.add_axes([g.left / g.width, 1 - (g.top + g.size) / g.height, g.size / g.width, g.size / g.height])
    mu, labels = mu.numpy(), labels.numpy()
    for digit in range(10):
        sel = labels == digit
        ax.scatter(mu[sel, 0], mu[sel, 1], s=3, color=DIGIT_COLORS[digit], alpha=0.5,
                   linewidths=0, label=str(digit), rasterized=True)
    ax.set_xlim(-g.limit, g.limit)
    ax.set_ylim(-g.limit, g.limit)
    ax.set_xlabel("z1", labelpad=2)
    ax.set_ylabel("z2", labelpad=0)
    ax.grid(True, lw=0.4, alpha=0.4)
    ax.set_axisbelow(True)
    legend = fig.legend(loc="center left", bbox_to_anchor=((g.left + g.size + 8) / g.width, 0.5),
                        markerscale=5, frameon=False, handletextpad=0.2, borderaxespad=0)
    for handle in legend.legend_handles:
        handle.set_alpha(1)
    fig.canvas.draw()
    rgba = np.asarray(fig.canvas.buffer_rgba())
    plt.close(fig)
    assert rgba.shape[:2] == (g.height, g.width), rgba.shape
    return rgba[..., :3].copy()


def draw_points(base: np.ndarray, points, style: str = "point", geometry: MapGeometry = GEOMETRY,
                labels: list[str] | None = None) -> np.ndarray:
    """A copy of the map ``base`` with markers at latent ``points`` ((K, 2) array-like).

    style 'point': rings; 'path': a line through the points with small dots, the ends
    ringed; 'rect': the rectangle spanned by the first two points. labels: text next to
    each ring (ASCII).
    """
    img = Image.fromarray(base)
    draw = ImageDraw.Draw(img)
    pts = [geometry.to_pixel(float(p[0]), float(p[1])) for p in np.asarray(points, dtype=np.float64)]

    def ring(x, y, r=8):
        draw.ellipse([x - r - 2, y - r - 2, x + r + 2, y + r + 2], outline="white", width=2)
        draw.ellipse([x - r, y - r, x + r, y + r], outline="black", width=3)

    if style == "rect" and len(pts) >= 2:
        (x0, y0), (x1, y1) = pts[0], pts[1]
        draw.rectangle([min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)], outline="black", width=2)
        return np.asarray(img)
    if style == "path" and len(pts) >= 2:
        draw.line(pts, fill="white", width=5)
        draw.line(pts, fill="black", width=2)
        for x, y in pts:
            draw.ellipse([x - 3, y - 3, x + 3, y + 3], fill="black", outline="white")
        rings = [pts[0], pts[-1]]
    else:
        rings = pts
    for i, (x, y) in enumerate(rings):
        ring(x, y)
        if labels and i < len(labels):
            draw.text((x + 12, y - 18), labels[i], fill="black", stroke_width=2, stroke_fill="white",
                      font_size=16)
    return np.asarray(img)


def enlarge(image: torch.Tensor, scale: int) -> np.ndarray:
    """(H, W) or (1, 1, H, W) float in [0, 1] -> (H*scale, W*scale) uint8, nearest
    neighbour (each pixel a visible square, as on the group's slides)."""
    arr = (image.detach().reshape(image.shape[-2], image.shape[-1]).clamp(0, 1).cpu().numpy() * 255).round()
    arr = arr.astype(np.uint8)
    return np.repeat(np.repeat(arr, scale, axis=0), scale, axis=1)


def gif_file(frames: torch.Tensor, scale: int = 6, ms_per_frame: int = 120, bounce: bool = True) -> str:
    """Decoded frames (S, 1, 28, 28) -> path of a looping GIF (forward, then back if
    ``bounce``) in the temp folder, named by its content so repeated requests reuse it."""
    pics = [Image.fromarray(enlarge(f, scale)) for f in frames]
    if bounce and len(pics) > 2:
        pics = pics + pics[-2:0:-1]
    return save_gif(pics, ms_per_frame, "interp")


@functools.cache
def cached_map(name: str = "vae") -> np.ndarray:
    """The latent map of weights/<name> (2-D latent), rendered once per process."""
    from core.vae import load_latent_map

    mu, labels = load_latent_map(name)
    return render_map(mu, labels)
