"""Figure helpers shared by the tabs: Agg backend, a Hangul-capable font, PNG/array export.

Figures are small matplotlib figures; callers close them (``to_image`` does). Korean text
renders with Noto Sans CJK when installed (Debian: fonts-noto-cjk; on a Space: packages.txt),
else falls back to DejaVu Sans.
"""
from __future__ import annotations

import functools
import hashlib
import io
import pathlib
import tempfile

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402

plt.rcParams["font.family"] = ["DejaVu Sans", "Noto Sans CJK KR", "Noto Sans CJK JP", "sans-serif"]
plt.rcParams["axes.unicode_minus"] = False


@functools.cache
def pil_font(size: int, bold: bool = False):
    """A PIL font at ``size`` px for pictures drawn without matplotlib: Noto Sans CJK KR (Latin
    and Hangul) when installed, else matplotlib's DejaVu Sans (always present, no Hangul)."""
    from matplotlib import font_manager
    from PIL import ImageFont

    try:
        path = font_manager.findfont("Noto Sans CJK KR:bold" if bold else "Noto Sans CJK KR", fallback_to_default=False)
    except ValueError:
        path = font_manager.findfont("DejaVu Sans:bold" if bold else "DejaVu Sans")
    return ImageFont.truetype(path, size)


def figure(width: float = 6.0, height: float = 4.0, dpi: int = 100):
    """A new (fig, ax) pair of the given size in inches."""
    return plt.subplots(figsize=(width, height), dpi=dpi)


def to_image(fig) -> np.ndarray:
    """Render a figure to an (H, W, 3) uint8 RGB array and close it."""
    fig.canvas.draw()
    rgba = np.asarray(fig.canvas.buffer_rgba())
    plt.close(fig)
    return rgba[..., :3].copy()


def to_png(fig) -> bytes:
    """Render a figure to PNG bytes and close it."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def save_gif(pictures: list, ms_per_frame: int, name: str) -> str:
    """Write PIL images as a looping GIF in the temp folder, named ``<name>-<content hash>.gif``
    so a repeated request reuses the file; returns its path."""
    buf = io.BytesIO()
    pictures[0].save(buf, format="GIF", save_all=True, append_images=pictures[1:], duration=ms_per_frame, loop=0,
                     optimize=False)  # palette optimisation: a third of the time, no smaller files here
    data = buf.getvalue()
    folder = pathlib.Path(tempfile.gettempdir()) / "deep_studio"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}-{hashlib.sha1(data).hexdigest()[:16]}.gif"
    if not path.exists():
        path.write_bytes(data)
    return str(path)
