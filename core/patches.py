"""Patch embedding of a Vision Transformer, eq. (1) of Dosovitskiy et al. 2021, written out.

An image x of H x W pixels and C channels is cut into N = HW / P^2 patches of P x P x C,
each flattened to a row of P^2 C numbers (channel-major, the order of a Conv2d kernel), so
x_p has shape (N, P^2 C). A linear map E: (P^2 C, D) embeds every patch, a learnable class
token goes in front and the position embeddings E_pos: (N + 1, D) are added:

    z_0 = [x_class; x_p^1 E; x_p^2 E; ...; x_p^N E] + E_pos          (N + 1, D)

Patches are numbered row by row (raster order): patch k sits at grid row k // (W/P),
column k % (W/P). ``embed`` computes z_0 by hand from a transformers ViT's weights; the tests
check it against the library's own embedding layer (a strided Conv2d).
"""
from __future__ import annotations

import torch

from core.errors import StudioError

MAX_PATCHES = 4096  # more than this is no longer a picture of patches


def check_patch_size(height: int, width: int, patch: int) -> tuple[int, int]:
    """The patch grid (rows, cols) = (H / P, W / P).

    Raises StudioError 'vit.patch_not_divisible' when P does not divide both sides,
    'vit.patch_out_of_range' when P < 1 or P > min(H, W), 'vit.too_many_patches' above MAX_PATCHES.
    """
    if not 1 <= patch <= min(height, width):
        raise StudioError("vit.patch_out_of_range", patch=patch, low=1, high=min(height, width))
    if height % patch or width % patch:
        divisors = [p for p in range(1, min(height, width) + 1) if height % p == 0 and width % p == 0]
        raise StudioError("vit.patch_not_divisible", patch=patch, height=height, width=width,
                          divisors=", ".join(map(str, divisors)))
    rows, cols = height // patch, width // patch
    if rows * cols > MAX_PATCHES:
        raise StudioError("vit.too_many_patches", n=rows * cols, cap=MAX_PATCHES, patch=patch)
    return rows, cols


def patchify(images: torch.Tensor, patch: int) -> torch.Tensor:
    """(B, C, H, W) -> (B, N, P*P*C) patches in raster order, each flattened as (C, P, P).

    N = (H / P) * (W / P). Raises StudioError when P does not divide H and W.
    """
    B, C, H, W = images.shape
    rows, cols = check_patch_size(H, W, patch)
    x = images.reshape(B, C, rows, patch, cols, patch)   # (B, C, gh, P, gw, P)
    x = x.permute(0, 2, 4, 1, 3, 5)                      # (B, gh, gw, C, P, P)
    return x.reshape(B, rows * cols, C * patch * patch)  # (B, N, P^2 C)


def unpatchify(patches: torch.Tensor, patch: int, height: int, width: int) -> torch.Tensor:
    """Inverse of patchify: (B, N, P*P*C) -> (B, C, H, W). Raises ValueError on shape mismatch."""
    B, N, K = patches.shape
    rows, cols = height // patch, width // patch
    if rows * cols != N or K % (patch * patch) or height % patch or width % patch:
        raise ValueError(f"{N} patches of {K} values do not tile a {height}x{width} image with P={patch}")
    C = K // (patch * patch)
    x = patches.reshape(B, rows, cols, C, patch, patch)  # (B, gh, gw, C, P, P)
    x = x.permute(0, 3, 1, 4, 2, 5)                      # (B, C, gh, P, gw, P)
    return x.reshape(B, C, height, width)


def shapes(height: int, width: int, channels: int, patch: int, hidden: int) -> dict:
    """The numbers of eq. (1) for one image: N, P^2 C, and the shapes of x_p, E, E_pos and z_0.

    >>> shapes(28, 28, 1, 7, 64)["N"]
    16
    """
    rows, cols = check_patch_size(height, width, patch)
    n, k = rows * cols, patch * patch * channels
    return {"H": height, "W": width, "C": channels, "P": patch, "D": hidden, "rows": rows, "cols": cols,
            "N": n, "patch_dim": k, "x_p": (n, k), "E": (k, hidden), "E_pos": (n + 1, hidden),
            "z_0": (n + 1, hidden), "E_params": k * hidden + hidden}


def projection(hf_vit) -> tuple[torch.Tensor, torch.Tensor]:
    """E (P^2 C, D) and its bias (D,) from a transformers ViT's Conv2d patch projection."""
    conv = hf_vit.vit.embeddings.patch_embeddings.projection  # weight (D, C, P, P)
    D = conv.weight.shape[0]
    return conv.weight.reshape(D, -1).T, conv.bias


@torch.no_grad()
def embed(hf_vit, pixels: torch.Tensor) -> torch.Tensor:
    """z_0 of eq. (1) by hand: pixels (B, C, H, W), already normalised -> (B, N + 1, D).

    hf_vit: transformers ViTForImageClassification (or anything with ``.vit.embeddings``).
    """
    emb = hf_vit.vit.embeddings
    P = emb.patch_embeddings.patch_size[0]
    E, bias = projection(hf_vit)
    x_p = patchify(pixels, P)                            # (B, N, P^2 C)
    tokens = x_p @ E + bias                              # (B, N, D)
    cls = emb.cls_token.expand(len(pixels), -1, -1)      # (B, 1, D)
    return torch.cat([cls, tokens], dim=1) + emb.position_embeddings  # (B, N + 1, D)
