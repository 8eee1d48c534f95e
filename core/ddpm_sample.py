"""The reverse process as a loop: ancestral DDPM sampling (Ho et al. 2020, Algorithm 2) and
DDIM (Song et al. 2021), streamed step by step; the forward view; sample quality.

The math of each step is in core/ddpm.py, the network in core/ddpm_unet.py. Pixel values
live in [-1, 1] (the data scaled as in Ho et al. sec. 4); pictures are shown in [0, 1].
Randomness: one CPU torch.Generator seeded by ``seed`` draws x_T and then, step by step,
the noise z (only where a step adds noise), in that order; results are identical on any
device. ``diffusers_sample`` runs the same network through diffusers' schedulers with the
same draws, for the tests and the benchmark.
"""
from __future__ import annotations

import functools
import math
import os
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import torch

from core.ddpm import Schedule, ddim_timesteps
from core.errors import StudioError, check_number

MAX_SAMPLES = 16
DDIM_STEPS = (10, 100)
SEED_MAX = 2**31 - 1
METHODS = ("ancestral", "ddim")
SURE = 0.9  # a sample "reads as a digit" when the CNN judge is at least this confident
MAX_WORKERS = 2  # batch slices evaluated at once on a CPU (the studio's target is 2 cores)


def cpu_workers(device: torch.device | str = "cpu") -> int:
    """How many batch slices ``predict_noise`` may run side by side: on a CPU, the cores this
    process may use divided by torch's intra-op threads, at most MAX_WORKERS; 1 on an accelerator."""
    if torch.device(device).type != "cpu":
        return 1
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(MAX_WORKERS, cores // max(1, torch.get_num_threads())))


@functools.cache
def _pool(workers: int) -> ThreadPoolExecutor:
    return ThreadPoolExecutor(workers, thread_name_prefix="eps_theta")


def _eps(model, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
    with torch.inference_mode():  # inference mode is per thread
        return model(x, t)


def predict_noise(model: torch.nn.Module, x: torch.Tensor, t: torch.Tensor, workers: int = 1) -> torch.Tensor:
    """eps_theta(x_t, t) for a batch: x (B, 1, 28, 28), t (B,) -> (B, 1, 28, 28).

    workers > 1 splits the batch into that many slices evaluated in parallel threads (torch's
    kernels release the GIL), so a process that runs torch on one intra-op thread per request
    still uses both cores for one sampling run. Each sample is computed alone either way; the
    slices agree with the whole batch to float rounding (about 1e-6).
    """
    if workers <= 1 or x.shape[0] < 2:
        return model(x, t)
    futures = [_pool(workers).submit(_eps, model, xs, ts) for xs, ts in zip(x.chunk(workers), t.chunk(workers))]
    return torch.cat([f.result() for f in futures])


def forward_view(schedule: Schedule, x0: torch.Tensor, t: int, seed: int) -> dict:
    """The closed-form forward process at the paper's t in 0 .. T (t = 0: the data itself).

    x0: (B, 1, 28, 28) in [-1, 1]. eps ~ N(0, I) from ``seed``. Returns {'x_t', 'eps', 't',
    'signal' = sqrt(abar_t), 'noise' = sqrt(1 - abar_t), 'beta', 'alpha_bar', 'snr'} with
    x_t = signal * x0 + noise * eps (eq. 4); at t = 0 signal = 1, noise = 0, snr = inf.
    """
    t = check_number("t", t, 0, schedule.T, integer=True)
    eps = torch.randn(x0.shape, generator=torch.Generator().manual_seed(seed)).to(x0.device)
    if t == 0:
        return {"x_t": x0.clone(), "eps": eps, "t": 0, "signal": 1.0, "noise": 0.0, "beta": 0.0,
                "alpha_bar": 1.0, "snr": math.inf}
    c = schedule.coefficients(t - 1)  # the paper's t is index t - 1 of the 0-based buffers
    x_t = schedule.q_sample(x0, torch.tensor([t - 1]), eps)
    return {"x_t": x_t, "eps": eps, "t": t, "signal": c["signal"], "noise": c["noise"], "beta": c["beta"],
            "alpha_bar": c["alpha_bar"], "snr": c["snr"]}


def plan(method: str, T: int, steps: int | None = None) -> list[int]:
    """The (0-based) timesteps a sampler visits, descending: all T for 'ancestral',
    ddim_timesteps(T, steps) for 'ddim' (10 to 100 steps)."""
    if method == "ancestral":
        return list(range(T - 1, -1, -1))
    if method == "ddim":
        steps = check_number("steps", steps, *DDIM_STEPS, integer=True)
        return ddim_timesteps(T, steps)
    raise StudioError("ddpm.bad_method", value=str(method)[:40], choices=", ".join(METHODS))


@torch.inference_mode()
def sample(model: torch.nn.Module, schedule: Schedule, n: int, seed: int, method: str = "ddim",
           steps: int = 50, eta: float = 0.0, every: int = 1, max_seconds: float | None = None,
           clip: bool = True, workers: int = 1) -> Iterator[dict]:
    """Run the reverse process from x_T ~ N(0, I) to x_0, yielding a frame after the first step,
    every ``every`` steps and after the last: {'i': steps done, 'total', 't': timestep just denoised,
    'x_t': the new sample (n, 1, 28, 28), 'x0': the predicted x_0 at that step, 'seconds'}.

    method 'ancestral': Algorithm 2 over all T steps; 'ddim': eq. (12) on ``steps`` timesteps
    with ``eta``. n <= MAX_SAMPLES. workers: see ``predict_noise`` (the random draws do not
    depend on it). Raises StudioError('common.timeout') past max_seconds.
    """
    n = check_number("n", n, 1, MAX_SAMPLES, integer=True)
    seed = check_number("seed", seed, 0, SEED_MAX, integer=True)
    eta = check_number("eta", eta, 0.0, 1.0)
    taus = plan(method, schedule.T, steps)
    device = schedule.betas.device
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn((n, 1, 28, 28), generator=gen).to(device)  # x_T
    start = time.perf_counter()
    for i, t in enumerate(taus):
        t_batch = torch.full((n,), t, device=device, dtype=torch.long)
        eps = predict_noise(model, x, t_batch, workers)  # eps_theta(x_t, t)
        if method == "ancestral":
            z = torch.randn(x.shape, generator=gen).to(device) if t > 0 else None
            x, x0 = schedule.ddpm_step(x, t, eps, z, clip=clip)
        else:
            t_prev = taus[i + 1] if i + 1 < len(taus) else -1
            z = torch.randn(x.shape, generator=gen).to(device) if eta > 0 else None
            x, x0 = schedule.ddim_step(x, t, t_prev, eps, eta=eta, noise=z, clip=clip)
        seconds = time.perf_counter() - start
        done = i + 1
        if done == 1 or done % every == 0 or done == len(taus):
            yield {"i": done, "total": len(taus), "t": t, "x_t": x, "x0": x0, "seconds": seconds}
        if max_seconds is not None and seconds > max_seconds and done < len(taus):
            raise StudioError("common.timeout", seconds=int(max_seconds))


def run(model, schedule: Schedule, n: int, seed: int, method: str = "ddim", steps: int = 50,
        eta: float = 0.0, workers: int = 1) -> torch.Tensor:
    """The final x_0 of ``sample`` (n, 1, 28, 28) in [-1, 1]."""
    frame = None
    for frame in sample(model, schedule, n, seed, method, steps, eta, every=10**9, workers=workers):
        pass
    return frame["x_t"]


def to_unit(x: torch.Tensor) -> torch.Tensor:
    """[-1, 1] model space -> [0, 1] pictures (what the CNN judge and the screen take)."""
    return ((x + 1) / 2).clamp(0, 1)


def quality(model, schedule: Schedule, n: int = 100, seed: int = 0, method: str = "ddim",
            steps: int = 50, threshold: float = SURE) -> dict:
    """Sample quality as the studio measures it: n samples from ``seed`` (in batches of 16),
    read by the MNIST CNN (core.cnn.judge). Returns {'samples', 'seed', 'method', 'steps',
    'threshold', 'confident_share': share with confidence >= threshold, 'mean_confidence',
    'histogram': confident samples per digit 0..9, 'histogram_all': all samples per digit}.
    Batch b uses seed + b, so the figure is reproducible."""
    from core.cnn import judge

    images = []
    for b, start in enumerate(range(0, n, MAX_SAMPLES)):
        size = min(MAX_SAMPLES, n - start)
        images.append(run(model, schedule, size, seed + b, method, steps))
    labels, conf = judge(to_unit(torch.cat(images)).cpu())
    sure = conf >= threshold
    return {"samples": n, "seed": seed, "method": method, "steps": steps if method == "ddim" else schedule.T,
            "threshold": threshold, "confident_share": round(float(sure.float().mean()), 4),
            "mean_confidence": round(float(conf.mean()), 4),
            "histogram": torch.bincount(labels[sure], minlength=10).tolist(),
            "histogram_all": torch.bincount(labels, minlength=10).tolist()}


@torch.inference_mode()
def diffusers_sample(model, schedule: Schedule, n: int, seed: int, method: str = "ddim",
                     steps: int = 50) -> torch.Tensor:
    """The same network driven by diffusers' DDPMScheduler / DDIMScheduler loop (eta = 0),
    with the same random draws as ``sample``: (n, 1, 28, 28). For tests and the benchmark."""
    from diffusers import DDIMScheduler, DDPMScheduler

    kind = {"linear": "linear", "cosine": "squaredcos_cap_v2"}[schedule.kind]
    cls = DDPMScheduler if method == "ancestral" else DDIMScheduler
    sched = cls(num_train_timesteps=schedule.T, beta_schedule=kind)
    sched.set_timesteps(schedule.T if method == "ancestral" else steps)
    device = schedule.betas.device
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn((n, 1, 28, 28), generator=gen).to(device)
    for t in sched.timesteps:
        eps = model(x, torch.full((n,), int(t), device=device, dtype=torch.long))
        x = sched.step(eps, t, x, generator=gen).prev_sample
    return x


def load_model(name: str = "ddpm"):
    """The committed UNet (weights/<name>, via core.checkpoint.load_cached) and its Schedule on
    the same device: (model, schedule, info). Read-only; shared by all visitors."""
    from core.checkpoint import load_cached

    model, info = load_cached(name)
    cfg = info["config_obj"]
    schedule = Schedule(cfg.num_timesteps, cfg.schedule).to(next(model.parameters()).device)
    return model, schedule, info
