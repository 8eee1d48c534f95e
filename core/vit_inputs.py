"""Images a ViT visitor can bring: an upload, a drawing, a bundled photo, made safe and sized.

- ``read_upload(path)``: any file -> RGB uint8 (H, W, 3); non-images and huge images raise
  StudioError ('common.not_an_image', 'common.image_too_large'); the header is checked
  before the pixels are decoded, so a decompression bomb is refused cheaply.
- ``sketch_rgb(value)``: a gr.Sketchpad value (dict with an RGBA 'composite') -> RGB on white.
- ``to_digit(rgb)``: MNIST's own preprocessing (LeCun et al. 1998), shared with the other
  tabs in core/sketch.py: ink box scaled to 20 x 20, centre of mass at the centre of 28 x 28.
- ``to_photo(rgb, size)``: centre crop to a square and resize to ``size`` (224 for ViT-Base).
- ``bundled_photo(name)``: photos shipped inside scikit-image (offline), RGB uint8.
"""
from __future__ import annotations

import numpy as np
from PIL import Image, UnidentifiedImageError

from core.errors import StudioError

MAX_SIDE = 4096        # larger uploads are refused before decoding
PHOTO_SIZE = 224       # ViT-Base's input size
BUNDLED = ("chelsea", "astronaut", "coffee", "rocket", "camera")


def read_upload(path: str) -> np.ndarray:
    """An uploaded file -> RGB uint8 (H, W, 3). Raises StudioError for non-images and huge images."""
    try:
        with Image.open(path) as img:
            width, height = img.size
            if max(width, height) > MAX_SIDE:
                raise StudioError("common.image_too_large", width=width, height=height, max_side=MAX_SIDE)
            img.load()
            return np.asarray(_flatten_alpha(img))
    except StudioError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError, SyntaxError):
        raise StudioError("common.not_an_image") from None


def _flatten_alpha(img: Image.Image) -> Image.Image:
    """RGB image; transparent parts become white (a drawing on a transparent canvas reads as paper)."""
    if img.mode in ("RGBA", "LA", "P"):
        img = img.convert("RGBA")
        white = Image.new("RGBA", img.size, (255, 255, 255, 255))
        return Image.alpha_composite(white, img).convert("RGB")
    return img.convert("RGB")


def as_rgb(array: np.ndarray) -> np.ndarray:
    """(H, W), (H, W, 3) or (H, W, 4) uint8/float -> RGB uint8 (H, W, 3), alpha composited on white."""
    a = np.asarray(array)
    if a.dtype != np.uint8:
        a = np.clip(a * (255.0 if a.max() <= 1.0 else 1.0), 0, 255).astype(np.uint8)
    if a.ndim == 2:
        return np.repeat(a[..., None], 3, axis=-1)
    if a.ndim == 3 and a.shape[-1] == 4:
        return np.asarray(_flatten_alpha(Image.fromarray(a, "RGBA")))
    if a.ndim == 3 and a.shape[-1] == 3:
        return a
    raise StudioError("common.not_an_image")


def sketch_rgb(value) -> np.ndarray:
    """A gr.Sketchpad/ImageEditor value (dict with 'composite', or an array) -> RGB uint8.

    Raises StudioError 'common.empty_sketch' when nothing is drawn.
    """
    composite = value.get("composite") if isinstance(value, dict) else value
    if composite is None:
        raise StudioError("common.empty_sketch")
    if isinstance(composite, str):  # a file path (type="filepath")
        return read_upload(composite)
    rgb = as_rgb(composite)
    if rgb.max() - rgb.min() < 8:
        raise StudioError("common.empty_sketch")
    return rgb


def to_digit(rgb: np.ndarray) -> np.ndarray:
    """Any picture of a digit -> float32 (28, 28) in [0, 1], preprocessed the way MNIST was
    (core.sketch.to_mnist: ink box to 20 x 20, centre of mass to the centre).

    Raises StudioError 'common.empty_sketch' when there is no ink.
    """
    from core.sketch import to_mnist

    return to_mnist(rgb)[0, 0].numpy()


def to_photo(rgb: np.ndarray, size: int = PHOTO_SIZE) -> np.ndarray:
    """Centre crop to a square, resize to size x size: RGB uint8 (size, size, 3)."""
    h, w = rgb.shape[:2]
    s = min(h, w)
    top, left = (h - s) // 2, (w - s) // 2
    square = Image.fromarray(np.ascontiguousarray(rgb[top:top + s, left:left + s]))
    return np.asarray(square.resize((size, size), Image.BICUBIC))


def bundled_photo(name: str) -> np.ndarray:
    """One of BUNDLED, from scikit-image's bundled data (no download): RGB uint8."""
    if name not in BUNDLED:
        raise StudioError("vit.unknown_photo", name=name, choices=", ".join(BUNDLED))
    import skimage.data

    return as_rgb(getattr(skimage.data, name)())
