"""Recurrent cells written out, step by step, as the study group writes them.

- Vanilla (Elman 1990) RNN without biases, the curriculum's hand-computed example:
  ``h_t = tanh(W h_{t-1} + U x_t)``, ``o_t = V h_t``, ``y_t = softmax(o_t)``.
- LSTM (Hochreiter & Schmidhuber 1997, forget gate of Gers et al. 2000), on the
  concatenation ``[h_{t-1}, x_t]``::

      f_t = sigmoid(W_f [h_{t-1}, x_t] + b_f)      forget gate
      i_t = sigmoid(W_i [h_{t-1}, x_t] + b_i)      input gate
      g_t = tanh(W_g [h_{t-1}, x_t] + b_g)         candidate cell
      o_t = sigmoid(W_o [h_{t-1}, x_t] + b_o)      output gate
      c_t = f_t * c_{t-1} + i_t * g_t;   h_t = o_t * tanh(c_t)

- GRU (Cho et al. 2014) as the curriculum writes it::

      z_t = sigmoid(W_z [h_{t-1}, x_t]);  r_t = sigmoid(W_r [h_{t-1}, x_t])
      h~_t = tanh(W [r_t * h_{t-1}, x_t]);  h_t = (1 - z_t) * h_{t-1} + z_t * h~_t

  PyTorch's ``nn.GRU`` differs in two ways: its update gate sits on the other side,
  ``h_t = (1 - z) * n + z * h_{t-1}`` (so z_torch = 1 - z_ours: negate the z weights and
  biases, since sigmoid(-a) = 1 - sigmoid(a)), and it applies the reset gate *after* the
  hidden matrix, ``n = tanh(W_in x + b_in + r * (W_hn h + b_hn))`` (cuDNN's variant,
  Keras ``reset_after=True``). ``gru_cell(..., reset_after=True)`` is that variant;
  ``gru_from_torch`` maps an ``nn.GRU`` layer onto our weights exactly.

Shapes: x (B, D), h and c (B, H); the [h, x] matrices are (H, H + D).
"""
from __future__ import annotations

from typing import NamedTuple

import torch
from torch import Tensor, nn

# The curriculum's worked example (../shared/CURRICULUM.md, weeks 7-8).
CURRICULUM_W = [[-0.011, 0.13], [-0.133, 0.014]]            # hidden -> hidden (2, 2)
CURRICULUM_U = [[0.094, -0.02, 0.135], [0.135, -0.069, -0.009]]  # input -> hidden (2, 3)
CURRICULUM_V = [[-0.141, 0.038], [0.055, -0.105], [-0.132, 0.18]]  # hidden -> output (3, 2)
CURRICULUM_H0 = [0.0, 0.0]
CURRICULUM_X = [[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]]  # one-hot x1, x2, x3
SLIDE_O1 = [-0.008, -0.009, 0.006]     # what the slide prints for O1 (third entry is a slip)
SLIDE_Y1 = [0.332, 0.332, 0.337]


# ---------------------------------------------------------------- vanilla RNN walk-through
def rnn_walkthrough(W: Tensor, U: Tensor, V: Tensor, xs: Tensor, h0: Tensor) -> list[dict[str, Tensor]]:
    """Every intermediate of a bias-free tanh RNN with a softmax read-out.

    W (H, H), U (H, D), V (K, H), xs (T, D), h0 (H,). Returns T dicts with the (1-D)
    tensors ``Wh`` = W h_{t-1}, ``Ux`` = U x_t, ``a`` = their sum, ``h`` = tanh(a),
    ``o`` = V h_t and ``y`` = softmax(o_t). Computed in the dtype of W (use float64 for
    hand-checked numbers). Raises ValueError when the shapes do not fit together.
    """
    H, D, K = W.shape[0], U.shape[1], V.shape[0]
    if W.shape != (H, H) or U.shape != (H, D) or V.shape != (K, H) or xs.shape[-1] != D or h0.shape != (H,):
        raise ValueError(f"shapes do not fit: W {tuple(W.shape)}, U {tuple(U.shape)}, V {tuple(V.shape)}, "
                         f"xs {tuple(xs.shape)}, h0 {tuple(h0.shape)}")
    steps, h = [], h0
    for x in xs:                         # x: (D,)
        Wh = W @ h                       # (H,)  memory of the past
        Ux = U @ x                       # (H,)  the new input
        a = Wh + Ux
        h = torch.tanh(a)                # h_t
        o = V @ h                        # (K,)  scores
        y = torch.softmax(o, dim=0)      # probabilities over the K symbols
        steps.append({"Wh": Wh, "Ux": Ux, "a": a, "h": h, "o": o, "y": y})
    return steps


# ---------------------------------------------------------------------------------- LSTM
class LSTMWeights(NamedTuple):
    """Per-gate matrices on [h, x] (H, H + D) and biases (H,), in the order f, i, g, o."""
    W_f: Tensor
    W_i: Tensor
    W_g: Tensor
    W_o: Tensor
    b_f: Tensor
    b_i: Tensor
    b_g: Tensor
    b_o: Tensor


def lstm_cell(x: Tensor, h: Tensor, c: Tensor, w: LSTMWeights) -> dict[str, Tensor]:
    """One LSTM step. x (B, D), h, c (B, H) -> dict f, i, g, o, c, h, each (B, H)."""
    hx = torch.cat([h, x], dim=-1)                  # (B, H + D)
    f = torch.sigmoid(hx @ w.W_f.T + w.b_f)         # what to keep of c_{t-1}
    i = torch.sigmoid(hx @ w.W_i.T + w.b_i)         # how much of the candidate to write
    g = torch.tanh(hx @ w.W_g.T + w.b_g)            # candidate values
    o = torch.sigmoid(hx @ w.W_o.T + w.b_o)         # what to show of the cell
    c_new = f * c + i * g
    h_new = o * torch.tanh(c_new)
    return {"f": f, "i": i, "g": g, "o": o, "c": c_new, "h": h_new}


def lstm_from_torch(lstm: nn.LSTM) -> LSTMWeights:
    """Weights of a one-layer ``nn.LSTM`` as LSTMWeights (exact, no approximation).

    PyTorch stacks the gates as (i, f, g, o) in weight_ih_l0 (4H, D), weight_hh_l0 (4H, H)
    and has two biases b_ih + b_hh; we concatenate [W_hh | W_ih] per gate and add the biases.
    """
    H = lstm.hidden_size
    W = torch.cat([lstm.weight_hh_l0, lstm.weight_ih_l0], dim=1).detach()   # (4H, H + D)
    if lstm.bias:
        b = (lstm.bias_ih_l0 + lstm.bias_hh_l0).detach()
    else:
        b = W.new_zeros(4 * H)
    Wi, Wf, Wg, Wo = W.split(H)
    bi, bf, bg, bo = b.split(H)
    return LSTMWeights(Wf, Wi, Wg, Wo, bf, bi, bg, bo)


# ----------------------------------------------------------------------------------- GRU
class GRUWeights(NamedTuple):
    """Curriculum GRU: W_z, W_r, W on [h, x] (H, H + D); biases b_z, b_r (H,); the
    candidate's bias is split into its x part b_nx and h part b_nh (they only differ
    when the reset gate is applied after the matrix, as PyTorch does)."""
    W_z: Tensor
    W_r: Tensor
    W: Tensor
    b_z: Tensor
    b_r: Tensor
    b_nx: Tensor
    b_nh: Tensor


def gru_cell(x: Tensor, h: Tensor, w: GRUWeights, reset_after: bool = False) -> dict[str, Tensor]:
    """One GRU step in the curriculum's convention. x (B, D), h (B, H) -> dict z, r, n, h.

    reset_after=False: h~ = tanh(W [r * h, x] + b), as Cho et al. (2014) and the slides.
    reset_after=True: h~ = tanh(W_x x + b_nx + r * (W_h h + b_nh)), PyTorch's nn.GRU.
    """
    H = h.shape[-1]
    hx = torch.cat([h, x], dim=-1)                  # (B, H + D)
    z = torch.sigmoid(hx @ w.W_z.T + w.b_z)         # update gate: how much new to take
    r = torch.sigmoid(hx @ w.W_r.T + w.b_r)         # reset gate: how much past feeds h~
    W_h, W_x = w.W[:, :H], w.W[:, H:]
    if reset_after:
        n = torch.tanh(x @ W_x.T + w.b_nx + r * (h @ W_h.T + w.b_nh))
    else:
        n = torch.tanh((r * h) @ W_h.T + x @ W_x.T + w.b_nx + w.b_nh)
    h_new = (1 - z) * h + z * n
    return {"z": z, "r": r, "n": n, "h": h_new}


def gru_from_torch(gru: nn.GRU) -> GRUWeights:
    """Weights of a one-layer ``nn.GRU`` in the curriculum's convention (use reset_after=True).

    PyTorch stacks (r, z, n) in weight_ih_l0 (3H, D) / weight_hh_l0 (3H, H) and computes
    h' = (1 - z') * n + z' * h. Our z = 1 - z' = sigmoid(-a_z'), so the z rows and biases
    are negated; r and the candidate carry over unchanged.
    """
    H = gru.hidden_size
    W = torch.cat([gru.weight_hh_l0, gru.weight_ih_l0], dim=1).detach()    # (3H, H + D)
    if gru.bias:
        b_ih, b_hh = gru.bias_ih_l0.detach(), gru.bias_hh_l0.detach()
    else:
        b_ih = b_hh = W.new_zeros(3 * H)
    Wr, Wz, Wn = W.split(H)
    bir, biz, bin_ = b_ih.split(H)
    bhr, bhz, bhn = b_hh.split(H)
    return GRUWeights(W_z=-Wz, W_r=Wr, W=Wn, b_z=-(biz + bhz), b_r=bir + bhr, b_nx=bin_, b_nh=bhn)


# ------------------------------------------------------------------------ whole sequences
def lstm_trace(xs: Tensor, w: LSTMWeights, h0: Tensor | None = None, c0: Tensor | None = None) -> dict[str, Tensor]:
    """Run lstm_cell over xs (T, B, D); return f, i, g, o, c, h stacked to (T, B, H)."""
    T, B, _ = xs.shape
    H = w.W_f.shape[0]
    h = h0 if h0 is not None else xs.new_zeros(B, H)
    c = c0 if c0 is not None else xs.new_zeros(B, H)
    out: dict[str, list[Tensor]] = {k: [] for k in "figoch"}
    for x in xs:
        step = lstm_cell(x, h, c, w)
        h, c = step["h"], step["c"]
        for k in out:
            out[k].append(step[k])
    return {k: torch.stack(v) for k, v in out.items()}


def gru_trace(xs: Tensor, w: GRUWeights, h0: Tensor | None = None, reset_after: bool = True) -> dict[str, Tensor]:
    """Run gru_cell over xs (T, B, D); return z, r, n, h stacked to (T, B, H)."""
    T, B, _ = xs.shape
    H = w.W_z.shape[0]
    h = h0 if h0 is not None else xs.new_zeros(B, H)
    out: dict[str, list[Tensor]] = {k: [] for k in "zrnh"}
    for x in xs:
        step = gru_cell(x, h, w, reset_after=reset_after)
        h = step["h"]
        for k in out:
            out[k].append(step[k])
    return {k: torch.stack(v) for k, v in out.items()}


def cell_check(kind: str, input_size: int = 3, hidden_size: int = 4, seed: int = 0) -> dict:
    """One step of the written-out cell against the library with the same random weights.

    kind: 'lstm' or 'gru'. Returns {'x', 'h0', 'c0' (lstm), 'gates': {name: (H,)},
    'h_ours', 'h_torch', 'max_abs_diff'} in float64. For the GRU, also 'z_torch'
    (= 1 - z) and 'h_reset_before' (the slides' reset placement on the same weights).
    """
    g = torch.Generator().manual_seed(seed)
    torch_cls = {"lstm": nn.LSTM, "gru": nn.GRU}[kind]
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        layer = torch_cls(input_size, hidden_size, batch_first=True).double()
    x = torch.randn(1, input_size, generator=g, dtype=torch.float64)
    h0 = torch.randn(1, hidden_size, generator=g, dtype=torch.float64) * 0.5
    with torch.no_grad():
        if kind == "lstm":
            c0 = torch.randn(1, hidden_size, generator=g, dtype=torch.float64) * 0.5
            _, (h_t, c_t) = layer(x[:, None], (h0[None], c0[None]))
            step = lstm_cell(x, h0, c0, lstm_from_torch(layer))
            out = {"c0": c0[0], "c_torch": c_t[0, 0]}
        else:
            _, h_t = layer(x[:, None], h0[None])
            w = gru_from_torch(layer)
            step = gru_cell(x, h0, w, reset_after=True)
            before = gru_cell(x, h0, w, reset_after=False)
            out = {"z_torch": 1 - step["z"][0], "h_reset_before": before["h"][0]}
    h_torch = h_t.reshape(-1)
    out.update({"x": x[0], "h0": h0[0], "gates": {k: v[0] for k, v in step.items() if k not in ("h",)},
                "h_ours": step["h"][0], "h_torch": h_torch,
                "max_abs_diff": float((step["h"][0] - h_torch).abs().max())})
    return out
