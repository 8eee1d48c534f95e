"""The week-3 homework "regression with different optimizers", as a generator.

A small tanh MLP (1 -> H -> H -> 1), weights Kaiming-initialised (He et al. 2015,
``kaiming_normal_`` with the tanh gain 5/3, fan-in) and biases zero, is fitted by full-batch
MSE to a noisy 1-D curve. Three copies start from the same weights and train side by side
with SGD, SGD + momentum and Adam (all `torch.optim`), so only the optimizer differs.
"""
from __future__ import annotations

import copy
import math
from dataclasses import dataclass

import torch
from torch import nn

from core.errors import StudioError

CURVES = {
    "quadratic": lambda x: x**2,  # y = x^2 on [-1, 1]: the classic optimizer-comparison homework
    "sine": lambda x: torch.sin(math.pi * x),
    "cubic": lambda x: x**3 - 0.5 * x,
}
LIMITS = {"n_points": (10, 1000), "hidden": (2, 128), "epochs": (1, 3000), "noise": (0.0, 1.0)}
OPTIMIZERS = ("sgd", "momentum", "adam")


@dataclass(frozen=True)
class RegressionConfig:
    curve: str = "quadratic"
    n_points: int = 100
    noise: float = 0.1  # std of the Gaussian noise on y
    hidden: int = 20
    epochs: int = 300
    lr_sgd: float = 0.01  # one learning rate for all three: only the update rule differs
    lr_momentum: float = 0.01
    momentum: float = 0.9
    lr_adam: float = 0.01
    seed: int = 0


def check(cfg: RegressionConfig) -> RegressionConfig:
    """Raise StudioError('optim_race.reg_range' / 'optim_race.bad_hparam') for bad settings."""
    if cfg.curve not in CURVES:
        raise StudioError("optim_race.unknown_curve", name=cfg.curve, choices=", ".join(CURVES))
    for name, (low, high) in LIMITS.items():
        value = getattr(cfg, name)
        if not (isinstance(value, (int, float)) and math.isfinite(value) and low <= value <= high):
            raise StudioError("optim_race.reg_range", field=name, value=value, low=low, high=high)
    for name in ("lr_sgd", "lr_momentum", "lr_adam"):
        value = getattr(cfg, name)
        if not (math.isfinite(value) and 0 < value <= 1e3):
            raise StudioError("optim_race.reg_range", field=name, value=value, low=0, high=1000)
    if not (math.isfinite(cfg.momentum) and 0 <= cfg.momentum < 1):
        raise StudioError("optim_race.reg_range", field="momentum", value=cfg.momentum, low=0, high=1)
    return cfg


def make_data(cfg: RegressionConfig) -> tuple[torch.Tensor, torch.Tensor]:
    """x: (N, 1) evenly spaced on [-1, 1]; y = curve(x) + noise * N(0, 1), seeded."""
    gen = torch.Generator().manual_seed(cfg.seed)
    x = torch.linspace(-1, 1, cfg.n_points).unsqueeze(1)  # (N, 1)
    y = CURVES[cfg.curve](x) + cfg.noise * torch.randn(x.shape, generator=gen)
    return x, y


def make_mlp(hidden: int, seed: int) -> nn.Sequential:
    """1 -> hidden -> hidden -> 1 with tanh; Kaiming-normal weights (tanh gain), zero biases."""
    gen = torch.Generator().manual_seed(seed)
    net = nn.Sequential(nn.Linear(1, hidden), nn.Tanh(), nn.Linear(hidden, hidden), nn.Tanh(), nn.Linear(hidden, 1))
    for layer in net:
        if isinstance(layer, nn.Linear):
            nn.init.kaiming_normal_(layer.weight, mode="fan_in", nonlinearity="tanh", generator=gen)
            nn.init.zeros_(layer.bias)
    return net


def fit(cfg: RegressionConfig, every: int = 25):
    """Train the three copies; yields after every ``every`` epochs and at the end:
    {"epoch": e, "loss": {opt: [MSE after each epoch]}, "x_plot": (200,), "pred": {opt: (200,)},
    "truth": (200,) the noiseless curve, "x": (N,), "y": (N,)}. Loss lists grow; the dict is fresh each time."""
    cfg = check(cfg)
    x, y = make_data(cfg)
    base = make_mlp(cfg.hidden, cfg.seed)
    nets = {k: copy.deepcopy(base) for k in OPTIMIZERS}
    opts = {
        "sgd": torch.optim.SGD(nets["sgd"].parameters(), lr=cfg.lr_sgd),
        "momentum": torch.optim.SGD(nets["momentum"].parameters(), lr=cfg.lr_momentum, momentum=cfg.momentum),
        "adam": torch.optim.Adam(nets["adam"].parameters(), lr=cfg.lr_adam),
    }
    x_plot = torch.linspace(-1, 1, 200).unsqueeze(1)
    losses = {k: [] for k in OPTIMIZERS}
    for epoch in range(1, int(cfg.epochs) + 1):
        for k in OPTIMIZERS:
            opts[k].zero_grad()
            loss = nn.functional.mse_loss(nets[k](x), y)
            loss.backward()
            opts[k].step()
            value = loss.item()
            losses[k].append(value if math.isfinite(value) else float("inf"))
        if epoch % every == 0 or epoch == cfg.epochs:
            with torch.no_grad():
                pred = {k: nets[k](x_plot).squeeze(1).nan_to_num().numpy() for k in OPTIMIZERS}
            yield {"epoch": epoch, "loss": {k: list(v) for k, v in losses.items()},
                   "x_plot": x_plot.squeeze(1).numpy(), "pred": pred,
                   "truth": CURVES[cfg.curve](x_plot).squeeze(1).numpy(),
                   "x": x.squeeze(1).numpy(), "y": y.squeeze(1).numpy()}
