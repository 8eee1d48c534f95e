"""What an optimizer carries from step to step, read off a recorded race `Trace`.

For step t (1..T) of point 0: the gradient g_t, the state before and after the step as
`torch.optim` stored it (momentum_buffer, exp_avg = m_t, exp_avg_sq = v_t, sum, square_avg,
acc_delta, exp_inf), the update x_t - x_{t-1}, and for the Adam family the curriculum's
bias-corrected quantities recomputed by hand (core.adam), next to the library's x_t.

FORMULAS holds each update rule in LaTeX as PyTorch implements it (torch.optim docs).
"""
from __future__ import annotations

import numpy as np
import torch

from core.adam import adam_step
from core.optim_race import OPTIMIZERS, Trace

EPS = {"adam": 1e-8, "adamw": 1e-8, "nadam": 1e-8, "radam": 1e-8, "adamax": 1e-8,
       "adagrad": 1e-10, "rmsprop": 1e-8, "adadelta": 1e-6}

FORMULAS = {
    "sgd": [r"x_t = x_{t-1} - \eta\, g_t"],
    "momentum": [r"b_t = \mu\, b_{t-1} + g_t", r"x_t = x_{t-1} - \eta\, b_t"],
    "nesterov": [r"b_t = \mu\, b_{t-1} + g_t", r"x_t = x_{t-1} - \eta\,(g_t + \mu\, b_t)"],
    "adagrad": [r"G_t = G_{t-1} + g_t^2", r"x_t = x_{t-1} - \eta\, \frac{g_t}{\sqrt{G_t} + \epsilon}"],
    "adadelta": [r"v_t = \rho\, v_{t-1} + (1-\rho)\, g_t^2",
                 r"\Delta x_t = \frac{\sqrt{u_{t-1} + \epsilon}}{\sqrt{v_t + \epsilon}}\, g_t",
                 r"u_t = \rho\, u_{t-1} + (1-\rho)\, \Delta x_t^2", r"x_t = x_{t-1} - \eta\, \Delta x_t"],
    "rmsprop": [r"v_t = \alpha\, v_{t-1} + (1-\alpha)\, g_t^2",
                r"b_t = \mu\, b_{t-1} + \frac{g_t}{\sqrt{v_t} + \epsilon}", r"x_t = x_{t-1} - \eta\, b_t"],
    "adam": [r"m_t = \beta_1 m_{t-1} + (1-\beta_1)\, g_t", r"v_t = \beta_2 v_{t-1} + (1-\beta_2)\, g_t^2",
             r"\hat m_t = \frac{m_t}{1-\beta_1^t}, \quad \hat v_t = \frac{v_t}{1-\beta_2^t}",
             r"x_t = x_{t-1} - \eta\, \frac{\hat m_t}{\sqrt{\hat v_t} + \epsilon}"],
}
FORMULAS["adamw"] = [r"x_{t-1} \leftarrow x_{t-1} - \eta\, \lambda\, x_{t-1}"] + FORMULAS["adam"]
FORMULAS["nadam"] = FORMULAS["adam"][:2] + [
    r"x_t = x_{t-1} - \eta\, \frac{\mu_{t+1} m_t / (1-\prod_{i\le t+1}\mu_i) + (1-\mu_t)\, g_t / (1-\prod_{i\le t}\mu_i)}"
    r"{\sqrt{\hat v_t} + \epsilon}"]
FORMULAS["radam"] = FORMULAS["adam"][:3] + [
    r"\rho_t = \rho_\infty - \frac{2 t \beta_2^t}{1-\beta_2^t};\ \rho_t > 5:\ x_t = x_{t-1} - \eta\, r_t\, \frac{\hat m_t}{\sqrt{\hat v_t}+\epsilon},"
    r"\ \text{else}\ x_t = x_{t-1} - \eta\, \hat m_t"]
FORMULAS["adamax"] = [FORMULAS["adam"][0], r"u_t = \max(\beta_2 u_{t-1}, |g_t| + \epsilon)",
                      r"x_t = x_{t-1} - \frac{\eta}{1-\beta_1^t}\, \frac{m_t}{u_t}"]

# Which recorded state is the "carried direction" drawn as an arrow: scaled to a step.
ADAM_FAMILY = ("adam", "adamw", "nadam", "radam", "adamax")


def carried_arrows(trace: Trace) -> np.ndarray | None:
    """(T, 2) arrows drawn at x_{t-1}: what the racer's carried state makes of step t.

    SGD momentum / Nesterov / RMSprop with momentum: the momentum buffer as a step, -lr b_t.
    Adam, AdamW: the bias-corrected step -lr m^_t / (sqrt(v^_t) + eps) (Adam's whole update;
    AdamW adds its weight decay on top). None for racers that carry no momentum (SGD, Adagrad,
    Adadelta, RMSprop without momentum) or whose step is not that formula (NAdam, RAdam, Adamax).
    """
    lr = trace.hparams["lr"]
    T = trace.path.shape[0] - 1
    if "momentum_buffer" in trace.state:
        return -lr * trace.state["momentum_buffer"][1:]
    if trace.key in ("adam", "adamw") and {"exp_avg", "exp_avg_sq"} <= set(trace.state):
        t = np.arange(1, T + 1)[:, None]
        m_hat = trace.state["exp_avg"][1:] / (1 - trace.hparams["p1"] ** t)
        v_hat = trace.state["exp_avg_sq"][1:] / (1 - trace.hparams["p2"] ** t)
        return -lr * m_hat / (np.sqrt(v_hat) + EPS[trace.key])
    return None


def step_details(trace: Trace, t: int) -> dict:
    """Numbers of step t (1 <= t <= T) for point 0: x_prev, g, state_prev, state, delta, x;
    for the Adam family also the hand-written step ("manual": core.adam.AdamStep) from
    x_{t-1}, g_t, m_{t-1}, v_{t-1}. Raises ValueError when t is out of range."""
    T = trace.path.shape[0] - 1
    if not 1 <= t <= T:
        raise ValueError(f"step {t} is outside 1..{T}")
    out = {
        "t": t, "x_prev": trace.path[t - 1, 0], "x": trace.path[t, 0], "g": trace.grad[t - 1, 0],
        "state_prev": {n: v[t - 1] for n, v in trace.state.items()},
        "state": {n: v[t] for n, v in trace.state.items()},
        "hparams": dict(trace.hparams), "eps": EPS.get(trace.key),
    }
    out["delta"] = out["x"] - out["x_prev"]
    if trace.key == "adam" and {"exp_avg", "exp_avg_sq"} <= set(trace.state):
        hp = trace.hparams
        to = torch.as_tensor
        out["manual"] = adam_step(to(out["x_prev"]), to(out["g"]), to(out["state_prev"]["exp_avg"]),
                                  to(out["state_prev"]["exp_avg_sq"]), t, hp["lr"], hp["p1"], hp["p2"], EPS["adam"])
    return out


def label(key: str) -> str:
    return OPTIMIZERS[key].label
