"""A drawn or uploaded digit -> a 28x28 MNIST-style image (LeCun et al. 1998, MNIST's own recipe).

MNIST digits are white on black; each was size-normalised to fit a 20x20 box (aspect ratio
kept, anti-aliased) and centred by its centre of mass in the 28x28 frame. ``to_mnist``
applies the same steps to a Sketchpad drawing (dark ink on a light or transparent canvas)
or an uploaded picture (either polarity), so models trained on MNIST see a familiar input:

1. ink = 1 - luminance after compositing on white (alpha respected); a mostly dark picture
   is taken as white-on-black and used as is;
2. crop to the ink's bounding box; 3. resize so the longer side is 20 px;
4. paste so the centre of mass lands on pixel (14, 14); scale so the brightest pixel is 1.
"""
from __future__ import annotations

import numpy as np
import torch
import torch.nn.functional as F

from core.errors import StudioError

MAX_SIDE = 2048      # pixels on a side a visitor may send
BOX = 20             # MNIST's size-normalisation box
SIDE = 28
EMPTY_INK = 0.1      # below this the picture counts as blank


def ink_map(image) -> np.ndarray:
    """A Sketchpad value ({'composite': ...}), or an (H, W), (H, W, 3) or (H, W, 4) array
    (uint8 0..255 or float 0..1) -> float32 (H, W) ink in [0, 1], white digit on black.

    Raises StudioError('common.empty_sketch') for None/empty, 'common.not_an_image' for
    something else, 'common.image_too_large' over MAX_SIDE pixels on a side.
    """
    if isinstance(image, dict):
        image = image.get("composite")
    if image is None:
        raise StudioError("common.empty_sketch")
    try:
        arr = np.asarray(image, dtype=np.float32)
    except (TypeError, ValueError):
        raise StudioError("common.not_an_image") from None
    if arr.ndim == 3 and arr.shape[2] in (1, 3, 4):
        pass
    elif arr.ndim == 2:
        arr = arr[:, :, None]
    else:
        raise StudioError("common.not_an_image")
    h, w = arr.shape[:2]
    if h == 0 or w == 0:
        raise StudioError("common.empty_sketch")
    if max(h, w) > MAX_SIDE:
        raise StudioError("common.image_too_large", width=w, height=h, max_side=MAX_SIDE)
    if not np.isfinite(arr).all():
        raise StudioError("common.not_an_image")
    if arr.max() > 1.0:
        arr = arr / 255.0
    arr = np.clip(arr, 0.0, 1.0)
    if arr.shape[2] == 4:
        alpha = arr[:, :, 3:4]
        rgb = arr[:, :, :3] * alpha + (1.0 - alpha)          # composite on white
    else:
        rgb = arr[:, :, :3] if arr.shape[2] == 3 else arr[:, :, :1]
    lum = rgb.mean(axis=2) if rgb.shape[2] == 1 else rgb @ np.array([0.299, 0.587, 0.114], np.float32)
    ink = 1.0 - lum
    if ink.mean() > 0.5:            # mostly dark: already white-on-black (e.g. an MNIST png)
        ink = 1.0 - ink
    return ink.astype(np.float32)


def to_mnist(image) -> torch.Tensor:
    """A drawing or picture (see ``ink_map``) -> float32 (1, 1, 28, 28) in [0, 1], MNIST-style.

    Raises StudioError('common.empty_sketch') when nothing is drawn (max ink < 0.1).
    """
    ink = ink_map(image)
    if ink.max() < EMPTY_INK:
        raise StudioError("common.empty_sketch")
    rows = np.nonzero((ink >= EMPTY_INK).any(axis=1))[0]
    cols = np.nonzero((ink >= EMPTY_INK).any(axis=0))[0]
    crop = torch.from_numpy(ink[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1].copy())
    h, w = crop.shape
    scale = BOX / max(h, w)
    nh, nw = max(1, round(h * scale)), max(1, round(w * scale))
    small = F.interpolate(crop[None, None], size=(nh, nw), mode="bilinear",
                          antialias=True, align_corners=False)[0, 0].clamp(0, 1)   # (nh, nw)
    mass = small.sum()
    cy = float((small.sum(1) * torch.arange(nh)).sum() / mass)
    cx = float((small.sum(0) * torch.arange(nw)).sum() / mass)
    top = int(np.clip(round(SIDE / 2 - 0.5 - cy), 0, SIDE - nh))
    left = int(np.clip(round(SIDE / 2 - 0.5 - cx), 0, SIDE - nw))
    out = torch.zeros(SIDE, SIDE)
    out[top:top + nh, left:left + nw] = small
    return (out / out.max()).reshape(1, 1, SIDE, SIDE)
