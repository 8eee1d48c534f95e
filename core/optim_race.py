"""Racing `torch.optim` optimizers on a 2-D loss surface, with their internal state recorded.

Every optimizer is the library's own (SGD, SGD + momentum, Nesterov, Adagrad, Adadelta,
RMSprop, Adam, AdamW, NAdam, RAdam, Adamax). Each racer owns one parameter tensor of
shape (B, 2): B start points moved at once. All these optimizers act element by element,
so a batch of B points is exactly B independent runs for the price of one (tested).
One autograd call per step gives every racer's gradient: the loss summed over racers and
points has, for each point, the gradient of f at that point.

A point whose loss or coordinates become non-finite or exceed DIVERGE_BOUND is marked
diverged at that step and frozen there; the others go on.
"""
from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import torch

from core.errors import StudioError
from core.surfaces import Surface

MAX_STEPS = 2000
MAX_POINTS = 400  # start points per racer (a 20 x 20 grid)
DIVERGE_BOUND = 1e6  # |x| or |y| beyond this counts as diverged
MAX_NOISE = 1e3
MAX_LR = 1e12


@dataclass(frozen=True)
class OptSpec:
    """One racer: its torch.optim class, fixed keyword arguments and which of the table's
    columns (p1 = momentum or beta1, p2 = beta2 / rho / alpha, wd = weight decay) it uses."""

    key: str
    label: str
    cls: type
    uses: tuple[str, ...]  # subset of ("p1", "p2", "wd")
    fixed: dict = field(default_factory=dict)

    def kwargs(self, hp: dict) -> dict:
        """Keyword arguments for ``cls`` from a hyper-parameter row {lr, p1, p2, wd}."""
        kw = dict(self.fixed, lr=hp["lr"])
        if self.key in ("momentum", "nesterov"):
            kw["momentum"] = hp["p1"]
        elif self.key == "adadelta":
            kw["rho"] = hp["p2"]
        elif self.key == "rmsprop":
            kw.update(alpha=hp["p2"], momentum=hp["p1"])
        elif "p2" in self.uses:  # the Adam family
            kw["betas"] = (hp["p1"], hp["p2"])
        if "wd" in self.uses:
            kw["weight_decay"] = hp["wd"]
        return kw


OPTIMIZERS: dict[str, OptSpec] = {
    s.key: s
    for s in (
        OptSpec("sgd", "SGD", torch.optim.SGD, ()),
        OptSpec("momentum", "Momentum", torch.optim.SGD, ("p1",)),
        OptSpec("nesterov", "Nesterov (NAG)", torch.optim.SGD, ("p1",), {"nesterov": True}),
        OptSpec("adagrad", "Adagrad", torch.optim.Adagrad, ()),
        OptSpec("adadelta", "Adadelta", torch.optim.Adadelta, ("p2",)),
        OptSpec("rmsprop", "RMSprop", torch.optim.RMSprop, ("p1", "p2")),
        OptSpec("adam", "Adam", torch.optim.Adam, ("p1", "p2")),
        OptSpec("adamw", "AdamW", torch.optim.AdamW, ("p1", "p2", "wd")),
        OptSpec("nadam", "NAdam", torch.optim.NAdam, ("p1", "p2")),
        OptSpec("radam", "RAdam", torch.optim.RAdam, ("p1", "p2")),
        OptSpec("adamax", "Adamax", torch.optim.Adamax, ("p1", "p2")),
    )
}
DEFAULT_RACERS = ("sgd", "momentum", "nesterov", "adagrad", "adadelta", "rmsprop", "adam", "adamw")


def _row(lr, p1=0.0, p2=0.0, wd=0.0) -> dict:
    return {"lr": lr, "p1": p1, "p2": p2, "wd": wd}


# Library defaults for the columns an optimizer does not get from a preset.
_BASE = {
    "sgd": _row(0.01), "momentum": _row(0.01, 0.9), "nesterov": _row(0.01, 0.9),
    "adagrad": _row(0.1), "adadelta": _row(1.0, 0.0, 0.9), "rmsprop": _row(0.01, 0.0, 0.99),
    "adam": _row(0.001, 0.9, 0.999), "adamw": _row(0.001, 0.9, 0.999, 0.01),
    "nadam": _row(0.002, 0.9, 0.999), "radam": _row(0.001, 0.9, 0.999),
    "adamax": _row(0.002, 0.9, 0.999),
}
# Learning rates per surface, chosen so that the default 500-step race is worth watching:
# each optimizer near its best on that surface, so the differences are the method's.
_PRESET_LR = {
    "rosenbrock": {"sgd": 2e-3, "momentum": 2e-3, "nesterov": 1e-3, "adagrad": 1.0, "adadelta": 3.0,
                   "rmsprop": 0.03, "adam": 0.5, "adamw": 0.3, "nadam": 0.1, "radam": 3e-3, "adamax": 0.5},
    "beale": {"sgd": 0.01, "momentum": 1e-3, "nesterov": 1e-3, "adagrad": 0.5, "adadelta": 10.0,
              "rmsprop": 0.01, "adam": 0.05, "adamw": 0.05, "nadam": 0.05, "radam": 0.01, "adamax": 0.1},
    "himmelblau": {"sgd": 0.01, "momentum": 2e-3, "nesterov": 2e-3, "adagrad": 0.5, "adadelta": 3.0,
                   "rmsprop": 0.02, "adam": 0.05, "adamw": 0.05, "nadam": 0.05, "radam": 0.1, "adamax": 0.1},
    "saddle": {"sgd": 5e-3, "momentum": 5e-3, "nesterov": 5e-3, "adagrad": 0.1, "adadelta": 3.0,
               "rmsprop": 0.01, "adam": 0.02, "adamw": 0.02, "nadam": 0.02, "radam": 0.05, "adamax": 0.02},
    "bowl": {"sgd": 0.07, "momentum": 0.02, "nesterov": 0.02, "adagrad": 0.5, "adadelta": 1.2,
             "rmsprop": 0.02, "adam": 0.05, "adamw": 0.05, "nadam": 0.05, "radam": 0.1, "adamax": 0.1},
    "rastrigin": {"sgd": 2e-3, "momentum": 1e-3, "nesterov": 1e-3, "adagrad": 0.5, "adadelta": 10.0,
                  "rmsprop": 0.05, "adam": 0.3, "adamw": 0.3, "nadam": 0.3, "radam": 0.3, "adamax": 0.5},
}


# Other columns that differ from the library default on one surface.
_PRESET_EXTRA = {("bowl", "adadelta"): {"p2": 0.7}}


def preset(surface_key: str, opt_key: str) -> dict:
    """The preset hyper-parameter row {lr, p1, p2, wd} of one optimizer on one surface."""
    return dict(_BASE[opt_key], lr=_PRESET_LR[surface_key][opt_key], **_PRESET_EXTRA.get((surface_key, opt_key), {}))


def check_hparams(opt_key: str, hp: dict) -> dict:
    """Validate one row; returns it with floats. Raises StudioError naming the bad field."""
    if opt_key not in OPTIMIZERS:
        raise StudioError("optim_race.unknown_optimizer", name=opt_key, choices=", ".join(OPTIMIZERS))
    spec = OPTIMIZERS[opt_key]
    limits = {"lr": (0.0, MAX_LR, False), "p1": (0.0, 1.0, True), "p2": (0.0, 1.0, True), "wd": (0.0, 10.0, False)}
    out = {}
    for name in ("lr", *spec.uses):
        value = hp.get(name)
        try:
            value = float(value)
        except (TypeError, ValueError):
            raise StudioError("optim_race.bad_hparam", optimizer=spec.label, field=name, value=value) from None
        low, high, open_high = limits[name]
        bad_high = value >= high if open_high else value > high
        if not math.isfinite(value) or value < low or bad_high or (name == "lr" and value == 0):
            raise StudioError("optim_race.hparam_range", optimizer=spec.label, field=name, value=value,
                              low=f"{low:g}", high=f"{high:g}")
        out[name] = value
    return dict(_row(0.0), **{k: v for k, v in _BASE[opt_key].items() if k not in out}, **out)


def check_start(surface: Surface, x: float, y: float) -> tuple[float, float]:
    """A start point must be finite and inside twice the view box."""
    x0, x1, y0, y1 = surface.box
    wx, wy = x1 - x0, y1 - y0
    for name, v, lo, hi in (("x", x, x0 - wx / 2, x1 + wx / 2), ("y", y, y0 - wy / 2, y1 + wy / 2)):
        if v is None or not math.isfinite(float(v)) or not lo <= float(v) <= hi:
            raise StudioError("optim_race.start_range", field=name, value=v, low=round(lo, 2), high=round(hi, 2))
    return float(x), float(y)


@dataclass
class Trace:
    """One racer's run. path: (T+1, B, 2) positions x_0..x_T; loss: (T+1, B) f(x_t);
    grad: (T, B, 2) the gradients g_1..g_T used (noise included);
    diverged_at: (B,) first step whose point blew up, -1 if none;
    state: {name: (T+1, 2)} the optimizer's per-parameter state for point 0 after each step
    (row 0 = zeros before the first step)."""

    key: str
    hparams: dict
    path: np.ndarray
    loss: np.ndarray
    grad: np.ndarray
    diverged_at: np.ndarray
    state: dict[str, np.ndarray]


def race(surface: Surface, racers: dict[str, dict], start, steps: int, noise: float = 0.0,
         seed: int = 0, record_state: bool = True) -> dict[str, Trace]:
    """Run every racer for ``steps`` steps from ``start``.

    racers: {optimizer key: hyper-parameter row}; start: (2,) or (B, 2) start points;
    noise: std of Gaussian noise added to each gradient (stochastic gradients), drawn from a
    torch.Generator seeded with ``seed`` (same noise sequence for every racer).
    Returns {key: Trace}. Raises StudioError for steps, sizes or settings beyond the caps.
    """
    if not 1 <= int(steps) <= MAX_STEPS:
        raise StudioError("optim_race.steps_range", value=steps, high=MAX_STEPS)
    if not (math.isfinite(noise) and 0 <= noise <= MAX_NOISE):
        raise StudioError("optim_race.noise_range", value=noise, high=MAX_NOISE)
    if not racers:
        raise StudioError("optim_race.no_racer")
    steps = int(steps)
    x0 = torch.as_tensor(np.asarray(start, dtype=np.float64)).reshape(-1, 2)  # (B, 2)
    B = x0.shape[0]
    if B > MAX_POINTS:
        raise StudioError("optim_race.too_many_points", value=B, high=MAX_POINTS)
    keys = list(racers)
    hps = {k: check_hparams(k, racers[k]) for k in keys}
    K = len(keys)
    params = [x0.clone().requires_grad_(True) for _ in keys]
    opts = [OPTIMIZERS[k].cls([p], **OPTIMIZERS[k].kwargs(hps[k])) for k, p in zip(keys, params)]
    gen = torch.Generator().manual_seed(int(seed))

    path = torch.empty(steps + 1, K, B, 2, dtype=torch.float64)
    loss = torch.empty(steps + 1, K, B, dtype=torch.float64)
    grads = torch.zeros(steps, K, B, 2, dtype=torch.float64)
    dead_at = torch.full((K, B), -1, dtype=torch.long)
    rec: list[dict[str, torch.Tensor]] = [{} for _ in keys]  # per racer: state name -> (T+1, 2)
    any_dead = False
    for t in range(steps + 1):
        X = torch.stack(params)  # (K, B, 2)
        f = surface(X)  # (K, B)
        with torch.no_grad():
            path[t], loss[t] = X.detach(), f.detach()
            blown = ~torch.isfinite(f) | ~torch.isfinite(X).all(-1) | (X.abs() > DIVERGE_BOUND).any(-1)
            if bool(blown.any()):
                dead_at[blown & (dead_at < 0)] = t
                any_dead = True
            if record_state and t > 0:
                for i, opt in enumerate(opts):
                    for n, v in opt.state[params[i]].items():
                        if torch.is_tensor(v) and v.dim() == 2:
                            if n not in rec[i]:
                                rec[i][n] = torch.zeros(steps + 1, 2, dtype=torch.float64)
                            rec[i][n][t] = v[0]
        if t == steps:
            break
        dead = dead_at >= 0  # (K, B)
        if any_dead and bool(dead.all()):
            path[t + 1:], loss[t + 1:] = path[t], loss[t]
            for r in rec:
                for buf in r.values():
                    buf[t + 1:] = buf[t]
            break
        g = torch.autograd.grad(f.sum(), params, allow_unused=True)
        with torch.no_grad():
            G = torch.stack(g)  # (K, B, 2)
            if noise > 0:
                G = G + noise * torch.randn(B, 2, generator=gen, dtype=torch.float64)
            if any_dead:
                G = torch.where(dead[..., None], 0.0, torch.nan_to_num(G))
            grads[t] = G
            for i, (p, opt) in enumerate(zip(params, opts)):
                p.grad = G[i].clone()
                opt.step()
                if any_dead and bool(dead[i].any()):  # frozen where it blew up (the step may make it NaN)
                    frozen = torch.nan_to_num(path[dead_at[i].clamp(min=0), i, torch.arange(B)],
                                              nan=0.0, posinf=DIVERGE_BOUND, neginf=-DIVERGE_BOUND)
                    p.copy_(torch.where(dead[i][:, None], frozen, p))
    out = {}
    for i, k in enumerate(keys):
        out[k] = Trace(k, hps[k], path[:, i].numpy(), loss[:, i].numpy(), grads[:, i].numpy(),
                       dead_at[i].numpy(), {n: v.numpy() for n, v in rec[i].items()})
    return out


def summary(surface: Surface, trace: Trace, tol: float) -> list[dict]:
    """Per start point: final x, y, loss, distance to the nearest minimum (None on a surface
    without minima), steps to tolerance = the first step from which the point stays within
    ``tol`` of a minimum to the end (None if it is not there at the end) and diverged_at."""
    rows = []
    T = trace.path.shape[0] - 1
    for b in range(trace.path.shape[1]):
        d_at = int(trace.diverged_at[b])
        end = trace.path[d_at if d_at >= 0 else T, b]
        row = {"x": float(end[0]), "y": float(end[1]), "loss": float(trace.loss[d_at if d_at >= 0 else T, b]),
               "distance": None, "steps_to_tol": None, "diverged_at": d_at if d_at >= 0 else None}
        if surface.minima and d_at < 0:
            d, _ = surface.nearest_minimum(torch.as_tensor(trace.path[:, b]))  # (T+1,)
            row["distance"] = float(d[-1])
            outside = torch.nonzero(d > tol)
            last_out = int(outside[-1]) if len(outside) else -1
            row["steps_to_tol"] = last_out + 1 if last_out + 1 < len(d) else None
        rows.append(row)
    return rows
