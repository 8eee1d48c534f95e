"""Scaled dot-product attention written out (Vaswani et al. 2017, "Attention Is All You Need", eq. 1).

    Attention(Q, K, V) = softmax(Q K^T / sqrt(d_k) + M) V

M is 0 where a query may look and -inf where it may not (the causal mask of a decoder:
query i sees keys j <= i). Everything here is plain PyTorch on whatever device the inputs
are on; ``tests/test_attention.py`` checks it against
``torch.nn.functional.scaled_dot_product_attention``.

Also the small transforms the attention views apply to a model's weights
(average over heads, threshold, hiding [CLS]/[SEP]) and a safe parser for the toy's
matrices (numbers only; nothing is evaluated).
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

import torch

from core.errors import StudioError

TOY_MAX_TOKENS = 8   # rows of Q / K / V in the toy
TOY_MAX_DIM = 8      # columns (d_k, d_v)
TOY_MAX_ABS = 1e4    # |entry| cap: keeps exp() and the display sane


def causal_mask(n_q: int, n_k: int, device=None) -> torch.Tensor:
    """(n_q, n_k) bool, True where query i may attend to key j <= i (top-left aligned, as
    PyTorch's ``is_causal``)."""
    return torch.ones(n_q, n_k, dtype=torch.bool, device=device).tril()


@dataclass
class AttentionSteps:
    """Every intermediate of one scaled dot-product attention, for display.

    scores = Q K^T (.., n_q, n_k); scaled = scores / sqrt(d_k) with masked entries -inf;
    weights = softmax(scaled, dim=-1) (rows sum to 1); output = weights V (.., n_q, d_v).
    """
    scores: torch.Tensor
    scaled: torch.Tensor
    weights: torch.Tensor
    output: torch.Tensor
    scale: float


def scaled_dot_product_attention(q: torch.Tensor, k: torch.Tensor, v: torch.Tensor,
                                 causal: bool = False, mask: torch.Tensor | None = None) -> AttentionSteps:
    """softmax(q k^T / sqrt(d_k) + M) v, step by step (Vaswani et al. 2017, eq. 1).

    q: (..., n_q, d_k), k: (..., n_k, d_k), v: (..., n_k, d_v). mask: optional bool
    (n_q, n_k), True = may attend; ``causal`` adds the lower-triangular mask. A query row
    with no allowed key would be all -inf; like PyTorch's SDPA it then yields NaN.
    """
    d_k = q.shape[-1]
    scale = 1.0 / math.sqrt(d_k)
    # 1. similarity of every query with every key
    scores = q @ k.transpose(-2, -1)                     # (..., n_q, n_k)
    # 2. scale by 1/sqrt(d_k) so the softmax does not saturate as d_k grows
    scaled = scores * scale
    # 3. mask: -inf where a query may not look (future tokens in a decoder)
    allowed = mask
    if causal:
        cm = causal_mask(q.shape[-2], k.shape[-2], device=q.device)
        allowed = cm if allowed is None else (allowed & cm)
    if allowed is not None:
        scaled = scaled.masked_fill(~allowed, float("-inf"))
    # 4. softmax over the keys: each row becomes a probability distribution
    weights = torch.softmax(scaled, dim=-1)
    # 5. weighted average of the values
    output = weights @ v                                  # (..., n_q, d_v)
    return AttentionSteps(scores=scores, scaled=scaled, weights=weights, output=output, scale=scale)


# ---------------------------------------------------------------------------------------
# transforms for the views of a model's attention: attn is (L, H, T, T) softmax weights

def head_average(attn: torch.Tensor) -> torch.Tensor:
    """(L, H, T, T) -> (L, T, T): the mean over heads of each layer."""
    return attn.mean(dim=1)


def special_share(attn: torch.Tensor, special: list[bool]) -> torch.Tensor:
    """Fraction of each row's attention that goes to special tokens ([CLS], [SEP], ...).

    attn: (..., T, T); special: T bools. Returns (..., T): sum over special keys.
    """
    cols = torch.tensor(special, dtype=torch.bool, device=attn.device)
    return attn[..., cols].sum(dim=-1)


def view_matrix(attn: torch.Tensor, tokens: list[str], special: list[bool],
                threshold: float = 0.0, hide_special: bool = False) -> tuple[torch.Tensor, list[str]]:
    """What a view draws from (..., T, T) weights: entries below ``threshold`` set to 0 and,
    with ``hide_special``, the rows and columns of special tokens dropped (the remaining rows
    are not renormalised: what is missing went to [CLS]/[SEP]). Returns (matrix, tokens).
    Raises StudioError('attention.only_special') when nothing would be left.
    """
    out = attn
    if hide_special:
        keep = [i for i, s in enumerate(special) if not s]
        if not keep:
            raise StudioError("attention.only_special")
        idx = torch.tensor(keep, device=attn.device)
        out = out.index_select(-1, idx).index_select(-2, idx)
        tokens = [tokens[i] for i in keep]
    if threshold > 0:
        out = out.masked_fill(out < threshold, 0.0)
    return out, tokens


# ---------------------------------------------------------------------------------------
# the toy's matrices: "1 0 2; 0 1 1" or one row per line, commas or spaces

_NUMBER = re.compile(r"^[+-]?((\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?|nan|inf|infinity)$", re.IGNORECASE)


def parse_matrix(text: str, name: str) -> torch.Tensor:
    """Parse a small matrix typed by a visitor: rows split by newlines or ';', entries by
    commas or spaces. Returns float64 (rows, cols). Only plain decimal numbers are accepted
    (no expressions, nothing evaluated). Raises StudioError for empty text, a non-number,
    NaN/inf, ragged rows, |x| > TOY_MAX_ABS or more than TOY_MAX_TOKENS x TOY_MAX_DIM.
    """
    text = (text or "").strip()
    if not text:
        raise StudioError("attention.toy_empty", name=name)
    if len(text) > 4000:
        raise StudioError("attention.toy_too_big", name=name, rows=TOY_MAX_TOKENS, cols=TOY_MAX_DIM)
    rows = [r for r in re.split(r"[;\n]+", text) if r.strip()]
    values = []
    for r in rows:
        cells = [c for c in re.split(r"[,\s]+", r.strip().strip("[]").strip()) if c]
        row = []
        for c in cells:
            c = c.strip("[]")
            if not _NUMBER.match(c):
                raise StudioError("attention.toy_not_number", name=name, value=c[:20])
            x = float(c)
            if not math.isfinite(x) or abs(x) > TOY_MAX_ABS:
                raise StudioError("attention.toy_out_of_range", name=name, value=c[:20], cap=TOY_MAX_ABS)
            row.append(x)
        if row:
            values.append(row)
    if not values:
        raise StudioError("attention.toy_empty", name=name)
    if len(values) > TOY_MAX_TOKENS or max(len(r) for r in values) > TOY_MAX_DIM:
        raise StudioError("attention.toy_too_big", name=name, rows=TOY_MAX_TOKENS, cols=TOY_MAX_DIM)
    if len({len(r) for r in values}) != 1:
        raise StudioError("attention.toy_ragged", name=name)
    return torch.tensor(values, dtype=torch.float64)


def toy_attention(q_text: str, k_text: str, v_text: str, causal: bool = False) -> AttentionSteps:
    """Parse Q (n_q, d_k), K (n_k, d_k), V (n_k, d_v) and run scaled_dot_product_attention.

    Raises StudioError when the shapes do not fit: Q and K need the same d_k, K and V the
    same number of rows; a causal mask needs a square score matrix (n_q == n_k).
    """
    q = parse_matrix(q_text, "Q")
    k = parse_matrix(k_text, "K")
    v = parse_matrix(v_text, "V")
    if q.shape[1] != k.shape[1]:
        raise StudioError("attention.toy_dk_mismatch", dq=q.shape[1], dk=k.shape[1])
    if k.shape[0] != v.shape[0]:
        raise StudioError("attention.toy_kv_mismatch", nk=k.shape[0], nv=v.shape[0])
    if causal and q.shape[0] != k.shape[0]:
        raise StudioError("attention.toy_causal_square", nq=q.shape[0], nk=k.shape[0])
    return scaled_dot_product_attention(q, k, v, causal=causal)
