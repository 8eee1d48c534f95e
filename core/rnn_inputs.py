"""Inputs of the RNN walk-through typed as text: matrices with one row per line (or rows
separated by ``;``), numbers separated by commas or spaces; optional outer brackets as in ``[[1, 2], [3, 4]]``. Parsed with
``float()`` only (never eval), checked for NaN/inf, size-capped before any work.

    parse_matrix("-0.011, 0.13\\n-0.133, 0.014", "W", rows=2, cols=2) -> (2, 2) float64
"""
from __future__ import annotations

import math
import re

import torch

from core.errors import StudioError

MAX_CHARS = 20_000
_ROW_SPLIT = re.compile(r"\]\s*,?\s*\[|[\n;]")
_CELL_SPLIT = re.compile(r"[,\s]+")


def parse_matrix(text: str, name: str, rows: int | None = None, cols: int | None = None,
                 max_rows: int = 64, max_cols: int = 64, shape_hint: str = "") -> torch.Tensor:
    """Parse ``text`` into a (R, C) float64 tensor.

    rows / cols: required sizes (None: free, up to max_rows / max_cols). shape_hint: how the
    expected shape reads to a visitor (e.g. "H x H = 2 x 2"). Raises StudioError:
    ``rnn_gates.matrix_empty``, ``rnn_gates.matrix_too_long``, ``rnn_gates.matrix_not_a_number`` (name, row, col, value),
    ``rnn_gates.matrix_not_finite``, ``rnn_gates.matrix_ragged`` (row, got, expected), ``rnn_gates.matrix_too_big``,
    ``rnn_gates.matrix_wrong_shape`` (name, got, expected).
    """
    text = (text or "").strip()
    if len(text) > MAX_CHARS:
        raise StudioError("rnn_gates.matrix_too_long", name=name, chars=len(text), max=MAX_CHARS)
    body = text.strip("[] \t\n")
    lines = [line.strip(" \t[]") for line in _ROW_SPLIT.split(body)]
    lines = [line.strip(" ,") for line in lines if line.strip(" ,\t")]
    if not lines:
        raise StudioError("rnn_gates.matrix_empty", name=name, expected=shape_hint or "?")
    if len(lines) > max_rows:
        raise StudioError("rnn_gates.matrix_too_big", name=name, rows=len(lines), cols="?", max_rows=max_rows, max_cols=max_cols)
    values: list[list[float]] = []
    for r, line in enumerate(lines, start=1):
        cells = [c for c in _CELL_SPLIT.split(line) if c]
        if len(cells) > max_cols:
            raise StudioError("rnn_gates.matrix_too_big", name=name, rows=len(lines), cols=len(cells),
                              max_rows=max_rows, max_cols=max_cols)
        row = []
        for c, cell in enumerate(cells, start=1):
            try:
                v = float(cell)
            except ValueError:
                raise StudioError("rnn_gates.matrix_not_a_number", name=name, row=r, col=c, value=cell[:20]) from None
            if not math.isfinite(v):
                raise StudioError("rnn_gates.matrix_not_finite", name=name, row=r, col=c, value=cell[:20])
            row.append(v)
        if values and len(row) != len(values[0]):
            raise StudioError("rnn_gates.matrix_ragged", name=name, row=r, got=len(row), expected=len(values[0]))
        values.append(row)
    got = (len(values), len(values[0]))
    if (rows is not None and got[0] != rows) or (cols is not None and got[1] != cols):
        raise StudioError("rnn_gates.matrix_wrong_shape", name=name, got=f"{got[0]} x {got[1]}",
                          expected=shape_hint or f"{rows if rows is not None else 'any'} x {cols if cols is not None else 'any'}")
    return torch.tensor(values, dtype=torch.float64)


def format_matrix(rows: list) -> str:
    """The text form parse_matrix reads back: one row per line, comma-separated (repr of floats)."""
    rows = rows if rows and isinstance(rows[0], (list, tuple)) else [rows]
    return "\n".join(", ".join(f"{v:g}" for v in row) for row in rows)
