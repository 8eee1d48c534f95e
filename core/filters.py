"""Hand-made convolution filters on photos: what a conv layer's kernel does to an image.

The classic image-processing kernels (Gonzalez & Woods, "Digital Image Processing", ch. 3):
box blur and Gaussian (smoothing), sharpen (identity + Laplacian), Sobel x / y (first
derivatives, Sobel & Feldman 1968), Laplacian (second derivative), emboss and outline.
A conv layer applies them as cross-correlation, exactly like ``torch.nn.functional.conv2d``:

    y[c, i, j] = sum_{a, b} x_pad[c, i*s + a, j*s + b] * w[a, b]

on a grayscale image (one channel) or on each RGB channel separately (a depthwise
convolution, ``groups=3``), then optional ReLU and 2 x 2 max / average pooling.
Pixel values are 0..255 floats, so the output's numbers read like pixel values.

Photos: scikit-image's bundled images (no download) or a visitor's upload, read with PIL.
"""
from __future__ import annotations

import functools

import numpy as np
import torch
import torch.nn.functional as F

from core.errors import StudioError

MAX_SIDE = 1024          # larger photos are downscaled to this many pixels on the long side
REJECT_SIDE = 6000       # uploads beyond this on a side are refused before decoding
PHOTOS = ("camera", "astronaut", "coffee", "chelsea", "brick", "coins", "moon", "rocket", "text",
          "checkerboard")
PRESETS: dict[str, list[list[float]]] = {
    "identity": [[0, 0, 0], [0, 1, 0], [0, 0, 0]],
    "box_blur": [[1 / 9] * 3] * 3,
    "box_blur_5": [[1 / 25] * 5] * 5,
    "gaussian": [[1 / 16, 2 / 16, 1 / 16], [2 / 16, 4 / 16, 2 / 16], [1 / 16, 2 / 16, 1 / 16]],
    # binomial 5x5: outer product of [1, 4, 6, 4, 1] / 16
    "gaussian_5": [[a * b / 256 for b in (1, 4, 6, 4, 1)] for a in (1, 4, 6, 4, 1)],
    "sharpen": [[0, -1, 0], [-1, 5, -1], [0, -1, 0]],
    "sobel_x": [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]],
    "sobel_y": [[-1, -2, -1], [0, 0, 0], [1, 2, 1]],
    "laplacian": [[0, 1, 0], [1, -4, 1], [0, 1, 0]],
    "emboss": [[-2, -1, 0], [-1, 1, 1], [0, 1, 2]],
    "outline": [[-1, -1, -1], [-1, 8, -1], [-1, -1, -1]],
}
# ITU-R BT.709 luma, as skimage.color.rgb2gray
LUMA = (0.2125, 0.7154, 0.0721)


@functools.cache
def _bundled(name: str) -> np.ndarray:
    import skimage.data

    img = getattr(skimage.data, name)()
    img = np.asarray(img)
    if img.dtype == bool:
        img = img.astype(np.uint8) * 255
    if img.ndim == 3 and img.shape[2] == 4:
        img = img[..., :3]
    img.setflags(write=False)
    return img


def load_photo(name: str) -> np.ndarray:
    """One of scikit-image's bundled photos (PHOTOS) as uint8 (H, W) or (H, W, 3), read-only.
    Raises StudioError cnn_filters.unknown_photo for another name."""
    if name not in PHOTOS:
        raise StudioError("cnn_filters.unknown_photo", name=str(name)[:40])
    return _bundled(name)


def load_upload(path: str, max_side: int = MAX_SIDE, reject_side: int = REJECT_SIDE):
    """A visitor's image file -> (uint8 (H, W, 3) RGB array, note or None).

    The header is read first: more than ``reject_side`` pixels on a side raises
    StudioError common.image_too_large before anything is decoded; an unreadable file raises
    common.not_an_image. Photos beyond ``max_side`` are downscaled (Lanczos) and the note is
    ('common.image_downscaled', {width, height, new_width, new_height}).
    """
    from PIL import Image, ImageOps, UnidentifiedImageError

    try:
        with Image.open(path) as im:
            width, height = im.size
            if max(width, height) > reject_side:
                raise StudioError("common.image_too_large", width=width, height=height, max_side=reject_side)
            im.draft("RGB", (max_side, max_side))  # JPEG: decode at a reduced scale when possible
            im = ImageOps.exif_transpose(im)
            im = im.convert("RGB")
            note = None
            if max(im.size) > max_side or max(width, height) > max_side:
                im.thumbnail((max_side, max_side), Image.Resampling.LANCZOS)
                note = ("common.image_downscaled",
                        dict(width=width, height=height, new_width=im.size[0], new_height=im.size[1]))
            return np.asarray(im, dtype=np.uint8), note
    except StudioError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise StudioError("common.not_an_image") from None


def to_channels(img: np.ndarray, mode: str) -> torch.Tensor:
    """uint8 (H, W) or (H, W, 3) -> float32 (C, H, W) in 0..255.

    mode 'gray': one channel, BT.709 luma of RGB; 'rgb': three channels (a gray photo is
    repeated). Raises ValueError for another mode."""
    x = torch.from_numpy(np.array(img, dtype=np.float32))   # a copy: bundled photos are read-only
    if mode == "gray":
        if x.dim() == 3:
            x = x @ torch.tensor(LUMA)
        return x[None]
    if mode == "rgb":
        if x.dim() == 2:
            x = x[..., None].expand(-1, -1, 3)
        return x.permute(2, 0, 1).contiguous()
    raise ValueError(f"mode must be 'gray' or 'rgb'; got {mode!r}")


def apply_filter(x: torch.Tensor, kernel: torch.Tensor, stride: int = 1, padding: int = 0,
                 relu: bool = False, pool: str = "none", pool_size: int = 2) -> torch.Tensor:
    """The same kernel on every channel: x (C, H, W), kernel (k, k) -> (C, H', W').

    1. conv2d with groups=C (each channel convolved separately, zero padding),
    2. ReLU if asked, 3. max or average pooling (pool 'max' / 'avg', window = stride =
    pool_size) if asked. Raises StudioError cnn_filters.window_too_big when a step's
    window is larger than its (padded) input.
    """
    C, H, W = x.shape
    kh, kw = kernel.shape
    for n, k in ((H, kh), (W, kw)):
        if n + 2 * padding < k:
            raise StudioError("cnn_filters.window_too_big", n=n, p=padding, padded=n + 2 * padding, span=k, k=k, d=1)
    w = kernel.to(x.dtype).expand(C, 1, kh, kw)           # (C_out=C, C_in/groups=1, kh, kw)
    y = F.conv2d(x[None], w, stride=stride, padding=padding, groups=C)[0]   # (C, H', W')
    if relu:
        y = F.relu(y)
    if pool != "none":
        if min(y.shape[1:]) < pool_size:
            raise StudioError("cnn_filters.window_too_big", n=min(y.shape[1:]), p=0, padded=min(y.shape[1:]),
                              span=pool_size, k=pool_size, d=1)
        pool_fn = {"max": F.max_pool2d, "avg": F.avg_pool2d}[pool]
        y = pool_fn(y[None], pool_size, pool_size)[0]
    return y


def to_display(y: torch.Tensor, scale: str = "auto") -> tuple[np.ndarray, str]:
    """Filter output (C, H, W) float -> uint8 (H, W) or (H, W, 3) for the screen, and the
    mapping used: 'clip' (values clipped to 0..255) or 'rescale' (min..max stretched to
    0..255). 'auto' clips when every value already lies in 0..255, else rescales."""
    lo, hi = float(y.min()), float(y.max())
    if scale == "auto":
        scale = "clip" if lo >= 0 and hi <= 255 else "rescale"
    if scale == "rescale":
        z = (y - lo) * (255.0 / (hi - lo)) if hi > lo else torch.zeros_like(y)
    elif scale == "clip":
        z = y.clamp(0, 255)
    else:
        raise ValueError(f"scale must be 'auto', 'clip' or 'rescale'; got {scale!r}")
    img = z.round().to(torch.uint8)
    img = img[0] if img.shape[0] == 1 else img.permute(1, 2, 0)
    return img.contiguous().numpy(), scale


def histogram(y: torch.Tensor, bins: int = 64) -> tuple[np.ndarray, np.ndarray]:
    """Value histogram of every output number: (counts (bins,), edges (bins + 1,))."""
    return np.histogram(y.flatten().numpy(), bins=bins)
