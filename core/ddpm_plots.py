"""Pictures for the DDPM tab: the schedules (linear vs cosine), image strips, sampling frames,
the final gallery and the chain as a GIF. Images in model space [-1, 1] are shown as [0, 1]
grey (white digit on black); the noise eps ~ N(0, I) is shown as eps/6 + 0.5 (so +-3 sigma spans
black to white).
"""
from __future__ import annotations

import math

import numpy as np
import torch
from PIL import Image, ImageDraw

from core.ddpm import Schedule
from core.plots import figure, pil_font, save_gif, to_image

GAP = 4  # pixels between cells, in 28-pixel units before enlarging


def to_pixels(x: torch.Tensor, noise: bool = False) -> torch.Tensor:
    """(…, H, W) in [-1, 1] (or N(0, I) noise with noise=True) -> same shape in [0, 1]."""
    return (x / 6 + 0.5).clamp(0, 1) if noise else ((x + 1) / 2).clamp(0, 1)


def grid(images: torch.Tensor, cols: int, gap: int = 2, fill: float = 0.35) -> torch.Tensor:
    """(N, 1, H, W) in [0, 1] -> one (rows*H + gaps, cols*W + gaps) picture, row-major."""
    N, _, H, W = images.shape
    rows = math.ceil(N / cols)
    out = torch.full((rows * H + (rows - 1) * gap, cols * W + (cols - 1) * gap), fill)
    for i in range(N):
        r, c = divmod(i, cols)
        out[r * (H + gap):r * (H + gap) + H, c * (W + gap):c * (W + gap) + W] = images[i, 0].cpu()
    return out


def enlarge(picture: torch.Tensor, scale: int) -> np.ndarray:
    """(H, W) in [0, 1] -> (H*scale, W*scale) uint8, nearest neighbour (pixels stay visible)."""
    arr = (picture.detach().cpu().clamp(0, 1).numpy() * 255).round().astype(np.uint8)
    return np.repeat(np.repeat(arr, scale, axis=0), scale, axis=1)


def side_by_side(parts: list[torch.Tensor], gap: int = GAP, fill: float = 1.0) -> torch.Tensor:
    """Pictures (H, W_i) of equal height -> one (H, sum W_i + gaps) picture."""
    H = max(p.shape[0] for p in parts)
    cols = []
    for k, p in enumerate(parts):
        if p.shape[0] < H:
            p = torch.cat([p, torch.full((H - p.shape[0], p.shape[1]), fill)])
        cols.append(p)
        if k < len(parts) - 1:
            cols.append(torch.full((H, gap), fill))
    return torch.cat(cols, dim=1)


def forward_picture(x0: torch.Tensor, eps: torch.Tensor, x_t: torch.Tensor, scale: int = 7) -> np.ndarray:
    """x_0 | eps | x_t for one digit ((1, 1, 28, 28) each, model space) -> uint8 picture."""
    parts = [to_pixels(x0[0, 0]), to_pixels(eps[0, 0], noise=True), to_pixels(x_t[0, 0])]
    return enlarge(side_by_side(parts), scale)


CAPTION = 26  # px: the band under each digit of a captioned picture


def captioned_cells(images: torch.Tensor, captions: list[str], colours: list[tuple[int, int, int]],
                    cols: int, top: int, margin: int = 0, scale: int = 4, gap: int = 8,
                    font_size: int = 16) -> np.ndarray:
    """Digits in a grid, each with a caption under it: (N, 1, 28, 28) in [0, 1] -> (H, W, 3) uint8.
    Cells are 28*scale px, ``gap`` apart, ``margin`` px from the sides and the bottom; the first
    row starts ``top`` px down (white space where the page puts its label)."""
    n, cell = images.shape[0], 28 * scale
    rows = math.ceil(n / cols)
    width = cols * cell + (cols - 1) * gap + 2 * margin
    height = top + rows * (cell + CAPTION) + (rows - 1) * gap + margin
    img = Image.new("RGB", (width, height), "white")
    draw, font = ImageDraw.Draw(img), pil_font(font_size)
    for i in range(n):
        r, c = divmod(i, cols)
        left, y = margin + c * (cell + gap), top + r * (cell + CAPTION + gap)
        img.paste(Image.fromarray(enlarge(images[i, 0], scale)).convert("RGB"), (left, y))
        draw.text((left + cell / 2, y + cell + CAPTION / 2), captions[i], fill=colours[i], font=font, anchor="mm")
    return np.asarray(img)


STRIP_TOP = 28  # px of white above the forward strip


def forward_strip(schedule: Schedule, x0: torch.Tensor, eps: torch.Tensor, ts: list[int]) -> np.ndarray:
    """x_t at the paper's timesteps ``ts`` (0 = data) with one fixed eps, left to right at 4x,
    't = …' under each (captioned_cells, one row, cells from STRIP_TOP down)."""
    cells = [to_pixels((x0 if t == 0 else schedule.q_sample(x0, torch.tensor([t - 1]), eps))[0])
             for t in ts]
    return captioned_cells(torch.stack(cells), [f"t = {t}" for t in ts], [(60, 60, 60)] * len(ts),
                           cols=len(ts), top=STRIP_TOP)


FRAME_TOP = 26  # px: headings over the two grids (and room for the page's label)


def sampling_frame(x_t: torch.Tensor, x0: torch.Tensor, headings: tuple[str, str] = ("", ""),
                   scale: int | None = None) -> np.ndarray:
    """The chain at one step: grid of x_t | grid of predicted x_0, (n, 1, 28, 28) each in model
    space -> uint8 greyscale (FRAME_TOP + grid height, width), ``headings`` written over the
    two grids (so every GIF frame says which t it shows). Scale (default) 2 for a 4 x 4 grid keeps
    the GIF of a 16-sample chain near 1 MB (noise compresses badly), up to 8 for a single digit,
    so a small run is as large on screen; the page enlarges it further without blurring it."""
    cols = min(4, x_t.shape[0])
    if scale is None:
        scale = max(2, 8 // max(cols, math.ceil(x_t.shape[0] / cols)))
    left, right = grid(to_pixels(x_t), cols), grid(to_pixels(x0), cols)
    body = enlarge(side_by_side([left, right], gap=GAP * 2, fill=1.0), scale)
    img = Image.new("L", (body.shape[1], FRAME_TOP + body.shape[0]), 255)
    img.paste(Image.fromarray(body), (0, FRAME_TOP))
    draw, half = ImageDraw.Draw(img), left.shape[1] * scale
    for text, x in zip(headings, (half / 2, body.shape[1] - half / 2)):
        draw.text((x, FRAME_TOP / 2), text, fill=0, font=pil_font(15), anchor="mm")
    return np.asarray(img)


GALLERY_TOP = 36  # px of white above the grid, where the page puts its label


def gallery(x0: torch.Tensor, labels: list[int], confidences: list[float], sure: float,
            cols: int = 4) -> np.ndarray:
    """Final samples as one labelled picture: (n, 1, 28, 28) in model space -> (H, W, 3) uint8,
    ``cols`` digits a row at 4x with the judge's reading under each, 'digit · 97%', green when
    the confidence is at least ``sure``, orange below it (captioned_cells, 8 px margin, cells
    from GALLERY_TOP down). One image, not n: a single file for the page to fetch."""
    captions = [f"{d} · {c:.0%}" for d, c in zip(labels, confidences)]
    colours = [(22, 130, 60) if c >= sure else (214, 110, 0) for c in confidences]
    return captioned_cells(to_pixels(x0), captions, colours, cols=min(cols, x0.shape[0]), top=GALLERY_TOP,
                           margin=8, font_size=17)


def gif_file(frames: list[np.ndarray], ms_per_frame: int = 90, hold_last: int = 12) -> str:
    """uint8 frames (same size) -> path of a looping GIF in the temp folder (named by content);
    the final frame is held ``hold_last`` times so the result stays on screen."""
    pics = [Image.fromarray(f) for f in frames] + [Image.fromarray(frames[-1])] * hold_last
    return save_gif(pics, ms_per_frame, "chain")


def schedules_figure(T: int, t: int, labels: dict[str, str]) -> np.ndarray:
    """beta_t, alpha_bar_t and SNR = abar / (1 - abar) (log scale) against the paper's t = 1..T,
    linear (Ho et al.) against cosine (Nichol & Dhariwal), with a marker at ``t``.
    labels: 'beta', 'alpha_bar', 'snr', 'timestep', 'linear', 'cosine' (translated)."""
    fig, axes = figure(11.0, 3.2)
    fig.clf()
    axes = fig.subplots(1, 3)
    steps = np.arange(1, T + 1)
    for kind, color in (("linear", "#1f77b4"), ("cosine", "#d62728")):
        s = Schedule(T, kind)
        abar = s.alphas_cumprod.double().numpy()
        series = (s.betas.numpy(), abar, abar / np.maximum(1 - abar, 1e-12))
        for ax, y in zip(axes, series):
            ax.plot(steps, y, color=color, lw=1.8, label=labels[kind])
    for ax, key in zip(axes, ("beta", "alpha_bar", "snr")):
        ax.set_title(labels[key], fontsize=11)
        ax.set_xlabel(labels["timestep"])
        ax.grid(alpha=0.3)
        if t > 0:
            ax.axvline(t, color="black", lw=1, ls="--")
    axes[0].set_yscale("log")  # cosine beta reaches 0.999 at t = T, linear stays below 0.02
    axes[2].set_yscale("log")
    axes[0].legend(loc="upper left", fontsize=9)
    fig.tight_layout(rect=(0, 0, 1, 0.9))  # room above the titles for the page's label
    return to_image(fig)
