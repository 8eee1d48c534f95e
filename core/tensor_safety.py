"""Caps for the Tensor Ops interpreter: source size, nesting, element counts, meta dry runs.

Everything a visitor can make the interpreter do is bounded here, before memory is touched:
the snippet's length, line count and nesting depth; every tensor's element count (checked
on the ``meta`` device, which computes shapes without allocating); integer powers; matmul
work; total bytes held; wall time.
"""
from __future__ import annotations

import ast
import functools

import torch

from core.errors import StudioError

MAX_SOURCE_CHARS = 4000
MAX_STATEMENTS = 40
MAX_DEPTH = 40
MAX_NUMEL = 1_000_000
MAX_TOTAL_BYTES = 256 * 2**20
TIME_LIMIT_S = 2.0
MAX_INT_BITS = 4096
MAX_MATMUL_MACS = 300_000_000



def meta(value):
    """Replace every tensor in value (nested lists/tuples) by a same-shaped meta tensor."""
    if isinstance(value, torch.Tensor):
        return value.to("meta")
    if isinstance(value, (list, tuple)) and not isinstance(value, torch.Size):
        return type(value)(meta(v) for v in value) if not hasattr(value, "_fields") else value
    return value


def tensors_in(value):
    """All tensors inside value (nested lists/tuples/result tuples)."""
    if isinstance(value, torch.Tensor):
        return [value]
    if isinstance(value, (list, tuple)) and not isinstance(value, torch.Size):
        return [t for v in value for t in tensors_in(v)]
    return []


def _depth(tree: ast.AST) -> int:
    """Maximum nesting depth of an AST, computed without recursion."""
    best, stack = 0, [(tree, 1)]
    while stack:
        node, d = stack.pop()
        best = max(best, d)
        stack.extend((child, d + 1) for child in ast.iter_child_nodes(node))
    return best


def _paren_depth(source: str) -> int:
    depth = best = 0
    for ch in source:
        depth += ch in "([{"
        depth -= ch in ")]}"
        best = max(best, depth)
    return best


def parse(source: str) -> ast.Module:
    """Parse a snippet after the size and nesting caps. Raises StudioError."""
    if not source.strip():
        raise StudioError("tensor_ops.empty")
    if len(source) > MAX_SOURCE_CHARS:
        raise StudioError("tensor_ops.too_long", chars=len(source), max=MAX_SOURCE_CHARS)
    if _paren_depth(source) > MAX_DEPTH:
        raise StudioError("tensor_ops.too_deep", max=MAX_DEPTH)
    try:
        tree = ast.parse(source, mode="exec")
    except (SyntaxError, ValueError, MemoryError, RecursionError) as err:
        raise StudioError("tensor_ops.syntax", line=getattr(err, "lineno", "?"), detail=getattr(err, "msg", str(err)))
    if len(tree.body) > MAX_STATEMENTS:
        raise StudioError("tensor_ops.too_many_lines", n=len(tree.body), max=MAX_STATEMENTS)
    if _depth(tree) > MAX_DEPTH:
        raise StudioError("tensor_ops.too_deep", max=MAX_DEPTH)
    return tree


@functools.cache
def warm_up() -> None:
    """Load PyTorch's meta-device kernels once (several seconds, the first time only), so the
    first visitor's snippet is not charged for it against the time limit."""
    x = torch.ones(2, 2, device="meta")
    x.mean(), x.sum(dim=0), x.max(dim=0), x @ x, x + x




def snapshot(value):
    """A copy of the tensors in value, so a line shows what it computed even if a later
    in-place op changes the tensor."""
    if isinstance(value, torch.Tensor):
        return value.detach().clone()
    if isinstance(value, list):
        return [snapshot(v) for v in value]
    if isinstance(value, tuple) and not isinstance(value, torch.Size) and not hasattr(value, "_fields") \
            and type(value) is tuple:
        return tuple(snapshot(v) for v in value)
    return value
