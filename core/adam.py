"""Adam written out as the study group writes it (Kingma & Ba 2015, Algorithm 1).

    g_t   = grad f(x_{t-1})
    m_t   = b1 m_{t-1} + (1 - b1) g_t            first moment (momentum of the gradient)
    v_t   = b2 v_{t-1} + (1 - b2) g_t^2          second moment (per-coordinate scale)
    m^_t  = m_t / (1 - b1^t),  v^_t = v_t / (1 - b2^t)     bias correction (m_0 = v_0 = 0)
    x_t   = x_{t-1} - lr m^_t / (sqrt(v^_t) + eps)

`adam_step` is that, line by line; tests/test_optim_race.py checks it equals
`torch.optim.Adam` step for step. `sgd_momentum_step` is PyTorch's heavy-ball form
(b_t = mu b_{t-1} + g_t, x_t = x_{t-1} - lr b_t; Nesterov uses g_t + mu b_t instead of b_t).
"""
from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor


@dataclass
class AdamStep:
    """Everything one Adam step computes; tensors have the shape of x."""

    t: int
    g: Tensor
    m: Tensor
    v: Tensor
    m_hat: Tensor
    v_hat: Tensor
    delta: Tensor  # the update x_t - x_{t-1}
    x: Tensor


def adam_step(x: Tensor, g: Tensor, m: Tensor, v: Tensor, t: int, lr: float = 1e-3,
              beta1: float = 0.9, beta2: float = 0.999, eps: float = 1e-8) -> AdamStep:
    """One Adam step at step number t (1, 2, ...) from x_{t-1}, g_t, m_{t-1}, v_{t-1}."""
    if t < 1:
        raise ValueError(f"Adam's step count starts at 1, got t={t}")
    m = beta1 * m + (1 - beta1) * g  # 1. first moment
    v = beta2 * v + (1 - beta2) * g**2  # 2. second moment
    m_hat = m / (1 - beta1**t)  # 3. bias correction
    v_hat = v / (1 - beta2**t)
    delta = -lr * m_hat / (torch.sqrt(v_hat) + eps)  # 4. the step
    return AdamStep(t, g, m, v, m_hat, v_hat, delta, x + delta)


def sgd_momentum_step(x: Tensor, g: Tensor, b: Tensor | None, lr: float, mu: float,
                      nesterov: bool = False) -> tuple[Tensor, Tensor]:
    """PyTorch's SGD with momentum (dampening 0): returns (x_t, b_t). b is None on step 1,
    where b_1 = g_1."""
    b = g.clone() if b is None else mu * b + g
    direction = g + mu * b if nesterov else b
    return x - lr * direction, b
