"""Vanishing (and exploding) gradients through time (Bengio, Simard & Frasconi 1994;
Pascanu, Mikolov & Bengio 2013).

For a recurrence h_t = F(h_{t-1}, x_t), the chain rule gives
    d h_T / d h_t = prod_{k=t+1..T} d h_k / d h_{k-1},
a product of T - t Jacobians. For a tanh RNN each factor is diag(1 - h_k^2) W, whose norm is
usually below 1, so the product shrinks geometrically; a ReLU RNN drops the saturating
factor (diag of 0/1) but still multiplies by W every step; the LSTM's cell state path
c_k = f_k * c_{k-1} + ... is additive, multiplied only by the forget gate, and the GRU's
h_k = (1 - z_k) h_{k-1} + ... likewise, so gated cells keep gradients alive much longer.

``gradient_norms`` measures the Frobenius norm of the full (H, H) Jacobian d h_T / d h_t for
every t with autograd (H vector-Jacobian products, batched), for four cells with PyTorch's
default initialisation on the same random input sequences.
"""
from __future__ import annotations

import torch
from torch import Tensor, nn

from core.errors import StudioError
from core.rnn import gru_cell, gru_from_torch, lstm_cell, lstm_from_torch

MODELS = ("rnn_tanh", "rnn_relu", "lstm", "gru")
MAX_STEPS = 200
MAX_HIDDEN = 64
INPUT_SIZE = 8


def _check(name: str, value, low, high):
    if not (low <= value <= high):
        raise StudioError("common.out_of_range", field=name, low=low, high=high, value=value)


def gradient_norms(steps: int = 50, hidden_size: int = 32, batch: int = 8, gain: float = 1.0,
                   gate_bias: float = 0.0, seed: int = 0) -> dict[str, Tensor]:
    """||d h_T / d h_t||_F for t = 0..T, averaged (geometric mean) over ``batch`` sequences.

    steps T (1..200), hidden_size H (2..64), gain: factor on every recurrent matrix W_hh
    (1 = PyTorch's default init U(-1/sqrt(H), 1/sqrt(H))). gate_bias: added to the LSTM's
    forget-gate bias and to the GRU's keep-gate bias (PyTorch's z), so the gates start open
    towards remembering (Gers et al. 2000; Jozefowicz et al. 2015 use 1). Inputs x_t ~ N(0, 1) of size 8,
    h_0 = c_0 = 0, the same for the four models; weights drawn from ``seed``.
    Returns {model: (T + 1,) float64 tensor}, index t = norm of d h_T / d h_t
    (t = T gives sqrt(H), the identity). Raises StudioError for out-of-range settings.
    """
    _check("T", steps, 1, MAX_STEPS)
    _check("H", hidden_size, 2, MAX_HIDDEN)
    _check("batch", batch, 1, 64)
    _check("gain", gain, 0.0, 10.0)
    _check("gate_bias", gate_bias, -10.0, 10.0)
    g = torch.Generator().manual_seed(seed)
    xs = torch.randn(steps, batch, INPUT_SIZE, generator=g, dtype=torch.float64)
    out = {}
    for i, name in enumerate(MODELS):
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed * 7919 + i)
            layer = _layer(name, hidden_size).double()
        with torch.no_grad():
            layer.weight_hh_l0.mul_(gain)
            if name in ("lstm", "gru"):     # forget gate f (i, f, g, o) / keep gate z' (r, z, n)
                layer.bias_ih_l0[hidden_size:2 * hidden_size] += gate_bias
        out[name] = _jacobian_norms(name, layer, xs)
    return out


def _layer(name: str, H: int) -> nn.Module:
    if name == "rnn_tanh":
        return nn.RNN(INPUT_SIZE, H, nonlinearity="tanh")
    if name == "rnn_relu":
        return nn.RNN(INPUT_SIZE, H, nonlinearity="relu")
    return (nn.LSTM if name == "lstm" else nn.GRU)(INPUT_SIZE, H)


def _jacobian_norms(name: str, layer: nn.Module, xs: Tensor) -> Tensor:
    """Run the written-out recurrence keeping every h_t, then batched VJPs from h_T."""
    T, B, _ = xs.shape
    H = layer.hidden_size
    h = xs.new_zeros(B, H, requires_grad=True)
    c = xs.new_zeros(B, H)
    hs = [h]
    if name == "lstm":
        w = lstm_from_torch(layer)
    elif name == "gru":
        w = gru_from_torch(layer)
    else:
        W_ih, W_hh = layer.weight_ih_l0.detach(), layer.weight_hh_l0.detach()
        b = (layer.bias_ih_l0 + layer.bias_hh_l0).detach()
        act = torch.tanh if name == "rnn_tanh" else torch.relu
    for x in xs:
        if name == "lstm":
            step = lstm_cell(x, h, c, w)
            h, c = step["h"], step["c"]
        elif name == "gru":
            h = gru_cell(x, h, w, reset_after=True)["h"]
        else:
            h = act(h @ W_hh.T + x @ W_ih.T + b)      # h_t = act(W h_{t-1} + U x_t + b)
        hs.append(h)
    # one VJP per output unit k: e_k broadcast over the batch -> rows of d h_T[k] / d h_t
    eye = torch.eye(H, dtype=xs.dtype).unsqueeze(1).expand(H, B, H)
    grads = torch.autograd.grad(hs[-1], hs[:-1], grad_outputs=eye, is_grads_batched=True,
                                allow_unused=True)
    norms = []
    for gt in grads:                                   # gt: (H, B, H) = J[k, b, j]
        if gt is None:
            norms.append(xs.new_zeros(B))
        else:
            norms.append(gt.pow(2).sum(dim=(0, 2)).sqrt())     # (B,) Frobenius norms
    norms.append(xs.new_full((B,), H ** 0.5))          # d h_T / d h_T = I
    per_seq = torch.stack(norms)                       # (T + 1, B)
    tiny = torch.finfo(per_seq.dtype).tiny
    return per_seq.clamp_min(tiny).log().mean(dim=1).exp()   # geometric mean over sequences
