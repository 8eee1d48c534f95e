"""Walking a VAE's latent space: points, grids and paths in z, decoded to digits.

- ``interpolate(z0, z1, steps, mode)``: linear, (1 - t) z0 + t z1, or spherical (slerp,
  Shoemake 1985; for generative models White 2016, "Sampling Generative Networks"):
  sin((1 - t) W) / sin W * z0 + sin(t W) / sin W * z1, W the angle between z0 and z1.
- ``manifold_grid(n, radius, spacing)``: the n x n grid of z behind Kingma & Welling's
  figure 4 ("learned data manifold"): linear in [-r, r], or their construction, evenly
  spaced probabilities mapped through the inverse Gaussian CDF (same ends, denser centre).
- ``tile``: decoded images (N, 1, 28, 28) -> one (rows*28, cols*28) picture.

Sizes a visitor controls are checked here and raise StudioError("vae.<key>", ...).
"""
from __future__ import annotations

import math

import torch

from core.errors import StudioError, check_number

STEPS_RANGE = (2, 32)
GRID_RANGE = (2, 30)
RADIUS_RANGE = (0.5, 4.0)
Z_LIMIT = 4.0                  # the sliders and the map span [-4, 4]
MODES = ("linear", "spherical")
SPACINGS = ("linear", "gaussian")


def check_z(values, latent_dim: int, limit: float = Z_LIMIT) -> torch.Tensor:
    """A list of latent_dim numbers, each in [-limit, limit] -> float32 (1, latent_dim)."""
    values = list(values)
    if len(values) != latent_dim:
        raise StudioError("vae.z_length", expected=latent_dim, got=len(values))
    z = [check_number(f"z{i + 1}", v, -limit, limit) for i, v in enumerate(values)]
    return torch.tensor([z], dtype=torch.float32)


def interpolate(z0: torch.Tensor, z1: torch.Tensor, steps: int, mode: str = "linear") -> torch.Tensor:
    """``steps`` points from z0 to z1 (both (d,)), endpoints included exactly: (steps, d).

    mode 'linear': z_t = (1 - t) z0 + t z1.  mode 'spherical': slerp on the raw vectors,
    which keeps the norm in between when |z0| = |z1|; falls back to linear when the angle
    is below 1e-4 rad (the formula is 0/0) or a vector is zero.
    """
    steps = check_number("steps", steps, *STEPS_RANGE, integer=True)
    if mode not in MODES:
        raise StudioError("vae.bad_choice", field="mode", value=str(mode)[:40], choices=", ".join(MODES))
    t = torch.linspace(0.0, 1.0, steps, dtype=z0.dtype, device=z0.device).unsqueeze(1)  # (S, 1)
    z0, z1 = z0.reshape(1, -1), z1.reshape(1, -1)
    out = (1 - t) * z0 + t * z1
    if mode == "spherical":
        n0, n1 = z0.norm(), z1.norm()
        if n0 > 0 and n1 > 0:
            cos = torch.clamp((z0 * z1).sum() / (n0 * n1), -1.0, 1.0)
            omega = torch.arccos(cos)
            if omega > 1e-4:
                s = torch.sin(omega)
                out = torch.sin((1 - t) * omega) / s * z0 + torch.sin(t * omega) / s * z1
    out[0], out[-1] = z0[0], z1[0]  # exact endpoints (sin(W)/sin(W) can round)
    return out


def grid_axis(n: int, radius: float, spacing: str = "linear") -> torch.Tensor:
    """n coordinates from -radius to +radius, (n,).

    'linear': evenly spaced. 'gaussian' (Kingma & Welling, fig. 4): probabilities evenly
    spaced in [Phi(-r), Phi(r)] mapped through the inverse standard-normal CDF.
    """
    n = check_number("grid", n, *GRID_RANGE, integer=True)
    radius = check_number("radius", radius, *RADIUS_RANGE)
    if spacing not in SPACINGS:
        raise StudioError("vae.bad_choice", field="spacing", value=str(spacing)[:40], choices=", ".join(SPACINGS))
    if spacing == "linear":
        return torch.linspace(-radius, radius, n, dtype=torch.float64).float()
    normal = torch.distributions.Normal(torch.tensor(0.0, dtype=torch.float64), torch.tensor(1.0, dtype=torch.float64))
    lo = normal.cdf(torch.tensor(-radius, dtype=torch.float64))
    p = torch.linspace(float(lo), float(1 - lo), n, dtype=torch.float64)
    axis = normal.icdf(p)
    axis[0], axis[-1] = -radius, radius
    return axis.float()


def manifold_grid(n: int, radius: float, spacing: str = "linear") -> torch.Tensor:
    """z for an n x n manifold picture, (n*n, 2), row-major as displayed: row 0 at the top
    is z2 = +radius, column 0 at the left is z1 = -radius (the map's orientation)."""
    axis = grid_axis(n, radius, spacing)
    z2, z1 = torch.meshgrid(axis.flip(0), axis, indexing="ij")  # (n, n) each
    return torch.stack([z1.reshape(-1), z2.reshape(-1)], dim=1)


def tile(images: torch.Tensor, cols: int, gap: int = 0, fill: float = 1.0) -> torch.Tensor:
    """images (N, 1, H, W) -> one (rows*H + (rows-1)*gap, cols*W + (cols-1)*gap) picture,
    row-major, ``gap`` pixels of ``fill`` between cells (and after a short last row)."""
    N, _, H, W = images.shape
    rows = math.ceil(N / cols)
    out = torch.full((rows * H + (rows - 1) * gap, cols * W + (cols - 1) * gap), fill, dtype=images.dtype)
    for i in range(N):
        r, c = divmod(i, cols)
        out[r * (H + gap):r * (H + gap) + H, c * (W + gap):c * (W + gap) + W] = images[i, 0]
    return out
