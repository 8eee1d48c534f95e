"""A sequence task where gates mean something: recall the last marked digit.

The input is a string of digits; a ``*`` marks the digit after it, e.g. ``3 1 *4 1 5 *9 2``.
At every step the network must output the most recently marked digit, or ``-`` before the
first mark (targets for the example: ``- - 4 4 4 9 9``). To solve it an LSTM learns to open
its input gate on marked digits, keep its forget gate near 1 in between (hold the value)
and drop it at a new mark (overwrite); a GRU does the same with its update gate.
This is the "remember a value over a delay" task of Hochreiter & Schmidhuber (1997), made
small enough to train on a CPU in seconds.

Encoding: x_t = [one-hot digit (10), mark bit (1)] -> D = 11; classes 0..9 and 10 = '-'.
"""
from __future__ import annotations

import dataclasses
import math
import time
from collections.abc import Iterator

import torch
from torch import Tensor, nn

from core.errors import StudioError
from core.train import TrainConfig
from core.rnn import gru_from_torch, gru_trace, lstm_from_torch, lstm_trace

N_DIGITS = 10
INPUT_SIZE = N_DIGITS + 1          # one-hot digit + mark bit
NONE_CLASS = 10                    # '-': nothing marked yet
CLASS_LABELS = [str(d) for d in range(N_DIGITS)] + ["-"]
MAX_TEXT_STEPS = 60                # longest sequence a visitor may type
CELLS = ("lstm", "gru")


@dataclasses.dataclass
class RecallConfig(TrainConfig):
    """Model and training settings (saved next to the weights). ``epochs`` is unused: every
    step draws a fresh random batch, so ``steps`` counts the training."""
    cell: str = "lstm"             # 'lstm' or 'gru'
    hidden_size: int = 12
    steps: int = 800               # optimiser steps (one fresh random batch each)
    batch_size: int = 64
    lr: float = 0.01               # Adam
    min_len: int = 6
    max_len: int = 30
    mark_prob: float = 0.12        # chance that a digit is marked
    max_seconds: float = 60.0      # wall-clock cap of one training run
    device: str = "cpu"            # a 12-unit cell is faster on CPU than GPU launch overhead


@dataclasses.dataclass
class RecallGRUConfig(RecallConfig):
    """The same task and settings with a GRU cell."""
    cell: str = "gru"


class RecallNet(nn.Module):
    """nn.LSTM or nn.GRU (one layer) + a linear read-out at every step.

    forward(x (B, T, 11)) -> logits (B, T, 11).
    """

    def __init__(self, config: RecallConfig):
        super().__init__()
        if config.cell not in CELLS:
            raise ValueError(f"cell must be one of {CELLS}; got {config.cell!r}")
        self.config = config
        rnn_cls = nn.LSTM if config.cell == "lstm" else nn.GRU
        self.rnn = rnn_cls(INPUT_SIZE, config.hidden_size, batch_first=True)
        self.head = nn.Linear(config.hidden_size, N_DIGITS + 1)

    def forward(self, x: Tensor) -> Tensor:
        h, _ = self.rnn(x)               # (B, T, H)
        return self.head(h)              # (B, T, 11)


# -------------------------------------------------------------------------------- data
def parse_sequence(text: str, max_steps: int = MAX_TEXT_STEPS) -> tuple[list[int], list[bool]]:
    """'3 1 *4 1' -> digits [3, 1, 4, 1], marks [F, F, T, F]. Spaces and commas are ignored.

    Raises StudioError: rnn_gates.seq_empty, rnn_gates.seq_bad_char (char, position),
    rnn_gates.seq_dangling_mark, rnn_gates.seq_too_long (steps, max).
    """
    text = (text or "").strip()
    if len(text) > 4 * max_steps + 100:          # stop before walking a huge paste
        raise StudioError("rnn_gates.seq_too_long", steps=f">{max_steps}", max=max_steps)
    digits: list[int] = []
    marks: list[bool] = []
    pending = False
    for pos, ch in enumerate(text, start=1):
        if ch in " ,\t\n":
            continue
        if ch == "*":
            if pending:
                raise StudioError("rnn_gates.seq_bad_char", char="**", position=pos)
            pending = True
        elif ch in "0123456789":
            digits.append(int(ch))
            marks.append(pending)
            pending = False
        else:
            raise StudioError("rnn_gates.seq_bad_char", char=ch, position=pos)
    if pending:
        raise StudioError("rnn_gates.seq_dangling_mark")
    if not digits:
        raise StudioError("rnn_gates.seq_empty")
    if len(digits) > max_steps:
        raise StudioError("rnn_gates.seq_too_long", steps=len(digits), max=max_steps)
    return digits, marks


def encode(digits: Tensor, marks: Tensor) -> Tensor:
    """digits (..., T) int64, marks (..., T) bool -> x (..., T, 11) float32."""
    x = torch.nn.functional.one_hot(digits, N_DIGITS).float()
    return torch.cat([x, marks.unsqueeze(-1).float()], dim=-1)


def targets(digits: Tensor, marks: Tensor) -> Tensor:
    """The last marked digit so far at every step, NONE_CLASS before the first mark. (..., T)."""
    out = torch.full_like(digits, NONE_CLASS)
    current = torch.full_like(digits[..., 0], NONE_CLASS)
    for t in range(digits.shape[-1]):
        current = torch.where(marks[..., t], digits[..., t], current)
        out[..., t] = current
    return out


def make_batch(batch: int, length: int, mark_prob: float, generator: torch.Generator) -> tuple[Tensor, Tensor]:
    """Random digits and marks: x (B, T, 11), y (B, T). One mark is forced in the first half."""
    digits = torch.randint(0, N_DIGITS, (batch, length), generator=generator)
    marks = torch.rand(batch, length, generator=generator) < mark_prob
    first = torch.randint(0, max(1, length // 2), (batch,), generator=generator)
    marks[torch.arange(batch), first] = True
    return encode(digits, marks), targets(digits, marks)


# ---------------------------------------------------------------------------- training
def train_steps(config: RecallConfig, check_every: int = 25) -> Iterator[dict]:
    """Train a RecallNet with Adam on fresh random batches; yields progress dicts.

    Every ``check_every`` steps and at the end yields {'step', 'steps', 'loss',
    'accuracy' (per-step accuracy on the last batch), 'elapsed', 'model', 'done'}.
    Stops after config.steps or config.max_seconds, whichever comes first. Deterministic
    for a given seed (on one thread). Raises StudioError for out-of-range settings.
    """
    _check_config(config)
    g = torch.Generator().manual_seed(config.seed)
    device = torch.device(config.device if config.device not in ("", "auto") else "cpu")
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(config.seed)
        model = RecallNet(config).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=config.lr)
    loss_fn = nn.CrossEntropyLoss()
    start = time.monotonic()
    step = 0
    loss = acc = math.nan
    while step < config.steps:
        length = int(torch.randint(config.min_len, config.max_len + 1, (1,), generator=g))
        x, y = make_batch(config.batch_size, length, config.mark_prob, g)
        x, y = x.to(device), y.to(device)
        logits = model(x)
        loss_t = loss_fn(logits.reshape(-1, N_DIGITS + 1), y.reshape(-1))
        opt.zero_grad()
        loss_t.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        step += 1
        loss = float(loss_t.detach())
        if not math.isfinite(loss):
            raise StudioError("rnn_gates.train_diverged", step=step)
        elapsed = time.monotonic() - start
        done = step >= config.steps or elapsed > config.max_seconds
        if done or step % check_every == 0:
            acc = float((logits.argmax(-1) == y).float().mean())
            yield {"step": step, "steps": config.steps, "loss": loss, "accuracy": acc,
                   "elapsed": elapsed, "model": model, "done": done}
        if done:
            break
    model.eval()


def _check_config(c: RecallConfig) -> None:
    limits = {"hidden_size": (2, 64), "steps": (1, 5000), "batch_size": (1, 256),
              "min_len": (1, MAX_TEXT_STEPS), "max_len": (c.min_len, MAX_TEXT_STEPS)}
    for field, (low, high) in limits.items():
        value = getattr(c, field)
        if not (low <= value <= high):
            raise StudioError("common.out_of_range", field=field, low=low, high=high, value=value)
    if not (1e-5 <= c.lr <= 0.1) or not math.isfinite(c.lr):
        raise StudioError("common.out_of_range", field="lr", low=1e-5, high=0.1, value=c.lr)
    if c.cell not in CELLS:
        raise StudioError("common.out_of_range", field="cell", low="lstm", high="gru", value=c.cell)


@torch.no_grad()
def evaluate(model: RecallNet, batch: int = 256, length: int = 40, seed: int = 1234) -> dict:
    """Per-step and last-step accuracy on fresh sequences longer than most training ones."""
    g = torch.Generator().manual_seed(seed)
    x, y = make_batch(batch, length, model.config.mark_prob, g)
    pred = model(x.to(next(model.parameters()).device)).argmax(-1).cpu()
    return {"accuracy": float((pred == y).float().mean()),
            "last_step_accuracy": float((pred[:, -1] == y[:, -1]).float().mean()),
            "eval_length": length}


def train(config: RecallConfig, progress=None) -> tuple[RecallNet, dict]:
    """Full training run for ``python -m core.train recall_lstm|recall_gru``: (model, metrics).

    progress: tqdm-like ``progress(iterable, total=, desc=)`` (core.train's contract).
    ``config.tiny`` trains 20 steps only.
    """
    if config.tiny:
        config.steps = min(config.steps, 20)
    updates = train_steps(config, check_every=1)
    if progress is not None:
        updates = progress(updates, total=config.steps, desc=f"recall {config.cell}")
    last = None
    for last in updates:
        pass
    model = last["model"].cpu().eval()
    metrics = evaluate(model) | {"train_loss": last["loss"], "steps_done": last["step"],
                                 "seconds": round(last["elapsed"], 2)}
    return model, metrics


# ------------------------------------------------------------------------------- trace
@torch.no_grad()
def trace(model: RecallNet, digits: list[int], marks: list[bool]) -> dict:
    """Gates and states of ``model`` on one sequence, with the written-out cells (core.rnn).

    Returns {'cell', 'tokens' (['3', '*4', ...]), 'gates': {name: (H, T) tensor},
    'probs' (T, 11), 'pred' (T,), 'target' (T,)}. LSTM gates: f, i, g, o, c, h;
    GRU: z (our convention, 1 = take the new candidate), r, n, h.
    """
    d = torch.tensor(digits)
    m = torch.tensor(marks)
    device = model.head.weight.device
    x = encode(d, m)[:, None].to(device)                # (T, 1, 11)
    if model.config.cell == "lstm":
        states = lstm_trace(x, lstm_from_torch(model.rnn))
    else:
        states = gru_trace(x, gru_from_torch(model.rnn), reset_after=True)
    states = {k: v.cpu() for k, v in states.items()}
    h = states["h"][:, 0]                               # (T, H)
    probs = torch.softmax(model.head(h.to(device)), dim=-1).cpu()   # (T, 11)
    tokens = [("*" if mk else "") + str(dg) for dg, mk in zip(digits, marks)]
    return {"cell": model.config.cell, "tokens": tokens,
            "gates": {k: v[:, 0].T.contiguous() for k, v in states.items()},
            "probs": probs, "pred": probs.argmax(-1), "target": targets(d, m)}
