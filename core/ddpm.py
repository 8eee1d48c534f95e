"""DDPM math: noise schedules, the forward process, the reverse step, DDIM.

Ho, Jain & Abbeel 2020, "Denoising Diffusion Probabilistic Models" (equation numbers below
refer to it); Nichol & Dhariwal 2021, "Improved DDPM" (cosine schedule, eq. 17);
Song, Meng & Ermon 2021, "Denoising Diffusion Implicit Models" (DDIM, eq. 12 and 16).
"""
from __future__ import annotations

import math

import torch
from torch import nn

from core.errors import StudioError

SCHEDULES = ("linear", "cosine")


def linear_betas(T: int, beta_start: float = 1e-4, beta_end: float = 0.02) -> torch.Tensor:
    """Ho et al. sec. 4: beta_t rising linearly from 1e-4 to 0.02 over T steps -> (T,) float64."""
    return torch.linspace(beta_start, beta_end, T, dtype=torch.float64)


def cosine_betas(T: int, s: float = 0.008, max_beta: float = 0.999) -> torch.Tensor:
    """Nichol & Dhariwal eq. (17): abar(t) = f(t)/f(0), f(t) = cos^2(((t/T + s)/(1 + s)) pi/2);
    beta_t = 1 - abar(t)/abar(t-1), clipped at 0.999 -> (T,) float64."""
    f = lambda u: math.cos((u / T + s) / (1 + s) * math.pi / 2) ** 2  # noqa: E731
    return torch.tensor([min(1 - f(i + 1) / f(i), max_beta) for i in range(T)], dtype=torch.float64)


class Schedule(nn.Module):
    """beta_t, alpha_t = 1 - beta_t, alpha_bar_t = prod_{s<=t} alpha_s as (T,) float32 buffers.

    Timesteps are 0-based (t = 0 .. T-1) as in diffusers; the paper's t = 1 .. T.
    """

    def __init__(self, num_timesteps: int = 1000, kind: str = "linear"):
        super().__init__()
        if kind not in SCHEDULES:
            raise StudioError("ddpm.bad_schedule", kind=kind, choices=", ".join(SCHEDULES))
        self.T, self.kind = int(num_timesteps), kind
        betas = linear_betas(self.T) if kind == "linear" else cosine_betas(self.T)
        alphas = 1.0 - betas
        self.register_buffer("betas", betas.float())
        self.register_buffer("alphas", alphas.float())
        self.register_buffer("alphas_cumprod", torch.cumprod(alphas, 0).float())

    def _at(self, buf: torch.Tensor, t: torch.Tensor, like: torch.Tensor) -> torch.Tensor:
        """buf[t] shaped (B, 1, 1, 1) to broadcast against images like `like`."""
        t = torch.as_tensor(t, device=buf.device).long()
        v = buf[t].to(like.dtype)
        return v.reshape(-1, *([1] * (like.dim() - 1)))

    def q_sample(self, x0: torch.Tensor, t: torch.Tensor, eps: torch.Tensor) -> torch.Tensor:
        """Eq. (4), closed form: x_t = sqrt(abar_t) x_0 + sqrt(1 - abar_t) eps. Shapes (B, ...)."""
        abar = self._at(self.alphas_cumprod, t, x0)
        return abar.sqrt() * x0 + (1 - abar).sqrt() * eps

    def coefficients(self, t: int) -> dict[str, float]:
        """The scalars of eq. (4) at one timestep: beta_t, alpha_t, alpha_bar_t, sqrt(abar_t),
        sqrt(1 - abar_t) and the signal-to-noise ratio abar_t / (1 - abar_t)."""
        t = self.check_t(t)
        abar = float(self.alphas_cumprod[t])
        return {"t": t, "beta": float(self.betas[t]), "alpha": float(self.alphas[t]), "alpha_bar": abar,
                "signal": math.sqrt(abar), "noise": math.sqrt(1 - abar), "snr": abar / (1 - abar)}

    def check_t(self, t) -> int:
        """t as an int in 0 .. T-1, else StudioError('ddpm.bad_t')."""
        try:
            ti = int(t)
        except (TypeError, ValueError, OverflowError):
            raise StudioError("ddpm.bad_t", value=t, high=self.T - 1) from None
        if ti != t or not 0 <= ti < self.T:
            raise StudioError("ddpm.bad_t", value=t, high=self.T - 1)
        return ti

    def predict_x0(self, x_t: torch.Tensor, t: torch.Tensor, eps: torch.Tensor) -> torch.Tensor:
        """Eq. (15) solved for x_0: x0_hat = (x_t - sqrt(1 - abar_t) eps_theta) / sqrt(abar_t)."""
        abar = self._at(self.alphas_cumprod, t, x_t)
        return (x_t - (1 - abar).sqrt() * eps) / abar.sqrt()

    def abar_prev(self, t: torch.Tensor, like: torch.Tensor) -> torch.Tensor:
        """alpha_bar_{t-1} with alpha_bar_{-1} = 1 (no noise before the first step), (B, 1, 1, 1)."""
        t = torch.as_tensor(t, device=self.alphas_cumprod.device).long().reshape(-1)
        padded = torch.cat([self.alphas_cumprod.new_ones(1), self.alphas_cumprod])
        return self._at(padded, t, like)

    def posterior(self, x0: torch.Tensor, x_t: torch.Tensor, t: torch.Tensor):
        """Eq. (6)-(7): q(x_{t-1} | x_t, x_0) = N(mu_tilde, beta_tilde I) with
        mu_tilde = sqrt(abar_{t-1}) beta_t / (1 - abar_t) x_0 + sqrt(alpha_t) (1 - abar_{t-1}) / (1 - abar_t) x_t,
        beta_tilde = (1 - abar_{t-1}) / (1 - abar_t) beta_t.  Returns (mean, variance), both (B, ...)-broadcastable.
        """
        abar, abar_prev = self._at(self.alphas_cumprod, t, x_t), self.abar_prev(t, x_t)
        beta = 1 - abar / abar_prev  # = beta_t
        mean = abar_prev.sqrt() * beta / (1 - abar) * x0 + (1 - beta).sqrt() * (1 - abar_prev) / (1 - abar) * x_t
        var = (1 - abar_prev) / (1 - abar) * beta
        return mean, var

    def ddpm_step(self, x_t: torch.Tensor, t: int, eps: torch.Tensor, noise: torch.Tensor | None,
                  clip: bool = True):
        """One ancestral step, Algorithm 2 line 4: x_{t-1} = mu_theta(x_t, t) + sigma_t z, with
        mu_theta the posterior mean (eq. 7) at x0_hat (eq. 15) and sigma_t^2 = beta_tilde_t; z = noise,
        ignored at t = 0. clip=True clamps x0_hat to [-1, 1] (the data range), as diffusers does.
        Without clipping mu_theta equals eq. (11): (x_t - beta_t / sqrt(1 - abar_t) eps) / sqrt(alpha_t).
        Returns (x_{t-1}, x0_hat).
        """
        x0 = self.predict_x0(x_t, t, eps)  # eq. (15)
        if clip:
            x0 = x0.clamp(-1, 1)
        mean, var = self.posterior(x0, x_t, t)  # eq. (7)
        if int(t) == 0 or noise is None:
            return mean, x0
        return mean + var.clamp_min(1e-20).sqrt() * noise, x0

    def ddim_step(self, x_t: torch.Tensor, t: int, t_prev: int, eps: torch.Tensor, eta: float = 0.0,
                  noise: torch.Tensor | None = None, clip: bool = True):
        """One DDIM step (Song et al. eq. 12) from t to t_prev < t (t_prev = -1: to the data):
        x_prev = sqrt(abar_prev) x0_hat + sqrt(1 - abar_prev - sigma^2) eps + sigma z, with
        sigma = eta sqrt((1 - abar_prev)/(1 - abar_t)) sqrt(1 - abar_t/abar_prev) (eq. 16).
        eta = 0: deterministic DDIM; eta = 1: DDPM's posterior noise. Returns (x_prev, x0_hat).
        """
        abar = self._at(self.alphas_cumprod, t, x_t)
        abar_prev = self.abar_prev(torch.tensor([t_prev + 1]), x_t) if t_prev >= 0 else abar.new_ones(1)
        abar_prev = abar_prev.reshape(-1, *([1] * (x_t.dim() - 1)))
        x0 = self.predict_x0(x_t, t, eps)  # eq. (12), "predicted x_0"
        if clip:
            x0 = x0.clamp(-1, 1)
        sigma = eta * ((1 - abar_prev) / (1 - abar) * (1 - abar / abar_prev)).sqrt()  # eq. (16)
        x_prev = abar_prev.sqrt() * x0 + (1 - abar_prev - sigma**2).sqrt() * eps  # "direction pointing to x_t"
        if eta > 0 and noise is not None:
            x_prev = x_prev + sigma * noise
        return x_prev, x0


def ddim_timesteps(T: int, steps: int, spacing: str = "leading") -> list[int]:
    """The sub-sequence tau of Song et al. sec. 4.2, descending.

    'leading' (diffusers' default): tau_i = i * (T // steps), i = steps-1 .. 0 (980, 960, ..., 0 for 50);
    'trailing' (Lin et al. 2024, table 2): round(T - i T/steps) - 1, i = 0 .. steps-1 (999, 979, ..., 19).
    Raises StudioError('ddpm.bad_steps') unless 1 <= steps <= T.
    """
    if not 1 <= steps <= T:
        raise StudioError("ddpm.bad_steps", value=steps, low=1, high=T)
    if spacing == "leading":
        return [i * (T // steps) for i in range(steps - 1, -1, -1)]
    if spacing == "trailing":
        ratio = T / steps
        return [int(round(T - i * ratio)) - 1 for i in range(steps)]
    raise ValueError(f"spacing must be 'leading' or 'trailing'; got {spacing!r}")
