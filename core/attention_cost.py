"""Why long sequences are expensive: self-attention is O(n^2) in sequence length n, a linear
recurrence (the selective state-space scan of Mamba, Gu & Dao 2023) is O(n).

Counted for the sequence-mixing step of one layer only (the Q/K/V/output projections and
the MLP cost the same 2 n d^2-type FLOPs in both designs and are left out):

    self-attention  FLOPs = 2 n^2 d (Q K^T) + 3 n^2 h (softmax: exp, sum, divide) + 2 n^2 d (A V)
                    memory = h n^2 scores + 2 n d (K and V), float32
    linear scan     FLOPs = 5 n d N   (h_t = a_t * h_{t-1} + b_t x_t: 3 per state entry;
                                       y_t = sum c_t h_t: 2 per state entry)
                    memory = d N state, float32, whatever n is

d = model width, h = heads, N = state size per channel (Mamba uses 16).
``measure`` times both on this machine, with a step and a time cap.
"""
from __future__ import annotations

import math
import time

import torch

from core.attention import scaled_dot_product_attention
from core.errors import StudioError

N_MIN, N_MAX = 16, 4096     # sequence lengths a visitor may ask for
D_MAX = 1024
TIME_CAP = 6.0              # seconds of measuring per request


def attention_flops(n: int, d_model: int, n_heads: int) -> float:
    """FLOPs of softmax(Q K^T / sqrt(d_k)) V over all heads for n tokens (see module doc)."""
    return 4.0 * n * n * d_model + 3.0 * n * n * n_heads


def attention_bytes(n: int, d_model: int, n_heads: int) -> float:
    """float32 bytes held: the h x n x n score matrix plus K and V."""
    return 4.0 * (n_heads * n * n + 2 * n * d_model)


def scan_flops(n: int, d_model: int, d_state: int = 16) -> float:
    """FLOPs of a diagonal linear recurrence with state size d_state per channel."""
    return 5.0 * n * d_model * d_state


def scan_bytes(n: int, d_model: int, d_state: int = 16) -> float:
    """float32 bytes of the recurrent state: constant in n."""
    return 4.0 * d_model * d_state


def lengths(n_max: int) -> list[int]:
    """Powers of two from N_MIN up to n_max (validated: N_MIN..N_MAX)."""
    if not N_MIN <= n_max <= N_MAX:
        raise StudioError("attention.cost_range", field="n", low=N_MIN, high=N_MAX, value=n_max)
    return [2 ** k for k in range(int(math.log2(N_MIN)), int(math.log2(n_max)) + 1)]


def cost_table(n_max: int, d_model: int, n_heads: int, d_state: int = 16) -> dict:
    """{'n': [...], 'attn_flops', 'scan_flops', 'attn_bytes', 'scan_bytes'} for n = 16..n_max."""
    if not 1 <= d_model <= D_MAX or not 1 <= n_heads <= 64 or d_model % n_heads:
        raise StudioError("attention.cost_width", d=d_model, h=n_heads, dmax=D_MAX)
    ns = lengths(n_max)
    return {
        "n": ns,
        "attn_flops": [attention_flops(n, d_model, n_heads) for n in ns],
        "scan_flops": [scan_flops(n, d_model, d_state) for n in ns],
        "attn_bytes": [attention_bytes(n, d_model, n_heads) for n in ns],
        "scan_bytes": [scan_bytes(n, d_model, d_state) for n in ns],
    }


def linear_scan(x: torch.Tensor, a: torch.Tensor, b: torch.Tensor, c: torch.Tensor) -> torch.Tensor:
    """y_t = sum_s c[:, s] * h_t[:, s], h_t = a * h_{t-1} + b * x_t[:, None] (diagonal SSM).

    x: (n, d); a, b, c: (d, N). One step per token: O(n d N) time, O(d N) state.
    """
    n, d = x.shape
    h = torch.zeros_like(a)
    ys = torch.empty_like(x)
    for t in range(n):
        h = a * h + b * x[t, :, None]      # (d, N)
        ys[t] = (c * h).sum(-1)             # (d,)
    return ys


def _best_time(fn, repeats: int) -> float:
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        fn()
        best = min(best, time.perf_counter() - t0)
    return best


def measure(n_max: int, d_model: int = 64, d_state: int = 16, seed: int = 0,
            time_cap: float = TIME_CAP, progress=None) -> dict:
    """Time one head of self-attention (written out, core.attention) and the linear scan on
    this machine for n = 16, 32, ... n_max. Best of 3 runs per length; stops early at
    ``time_cap`` seconds (after at least one length). Returns {'n': measured lengths, 'attn_seconds', 'scan_seconds'}."""
    ns = lengths(n_max)
    if not 1 <= d_model <= D_MAX:
        raise StudioError("attention.cost_width", d=d_model, h=1, dmax=D_MAX)
    gen = torch.Generator().manual_seed(seed)
    a = torch.rand(d_model, d_state, generator=gen) * 0.5 + 0.4     # decay in (0.4, 0.9)
    b = torch.randn(d_model, d_state, generator=gen)
    c = torch.randn(d_model, d_state, generator=gen)
    out = {"n": [], "attn_seconds": [], "scan_seconds": []}
    start = time.perf_counter()
    for i, n in enumerate(ns):
        if i > 0 and time.perf_counter() - start > time_cap:
            break
        x = torch.randn(n, d_model, generator=gen)
        with torch.no_grad():
            ta = _best_time(lambda: scaled_dot_product_attention(x, x, x), 3)
            ts = _best_time(lambda: linear_scan(x, a, b, c), 3 if n <= 512 else 1)
        out["n"].append(n)
        out["attn_seconds"].append(ta)
        out["scan_seconds"].append(ts)
        if progress is not None:
            progress((i + 1) / len(ns))
    return out


def growth(ns: list[int], seconds: list[float]) -> float | None:
    """Log-log slope between the last two measured lengths: ~2 for O(n^2), ~1 for O(n)."""
    if len(ns) < 2 or seconds[-2] <= 0:
        return None
    return math.log(seconds[-1] / seconds[-2]) / math.log(ns[-1] / ns[-2])
