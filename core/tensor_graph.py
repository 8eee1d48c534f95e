"""The FX graph of a snippet, as PyTorch's tracer sees it (week 1's "graph view").

The curriculum traces ``y = x.clone(); y.add_(1)`` with
``make_fx(functionalize(f))(x)`` and prints ``.code``: the in-place ``add_`` becomes an
out-of-place ``add``. Here a snippet becomes ``f``: statements that build a tensor from
literals only (``x = torch.zeros(3)``) are its inputs (placeholders), the rest its body,
and its output is the last line's tensor. Both graphs are returned: as written and
functionalized (torch.func.functionalize; functorch.functionalize is its old name).
"""
from __future__ import annotations

import ast

import torch
from torch.fx.experimental.proxy_tensor import make_fx
from torch.func import functionalize

from core.errors import StudioError
from core.tensor_interp import Interpreter
from core.tensor_safety import parse


def _user_names(node: ast.AST) -> set[str]:
    return {n.id for n in ast.walk(node) if isinstance(n, ast.Name) and n.id != "torch"}


def split_inputs(tree: ast.Module) -> tuple[list[ast.stmt], list[ast.stmt]]:
    """Leading assignments of a single name from literals only (the inputs), and the rest."""
    inputs: list[ast.stmt] = []
    for stmt in tree.body:
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1 and isinstance(stmt.targets[0], ast.Name) \
                and not _user_names(stmt.value):
            inputs.append(stmt)
        else:
            break
    return inputs, tree.body[len(inputs):]


def fx_graphs(source: str, device: torch.device | str = "cpu") -> dict[str, str]:
    """Trace a snippet with make_fx. Returns {'inputs': 'x', 'graph': code, 'functional': code}.

    Raises StudioError if the snippet fails to run, uses no tensor, or cannot be traced
    (for example a line that reads a value with .item() or branches on data).
    """
    tree = parse(source)
    Interpreter(device).run(source)  # validates the snippet with every cap before tracing
    input_stmts, body = split_inputs(tree)
    setup = Interpreter(device)
    for stmt in input_stmts:
        setup.statement(stmt, "")
    names = [s.targets[0].id for s in input_stmts if isinstance(setup.env[s.targets[0].id], torch.Tensor)]
    if "t" in set().union(*(_user_names(s) for s in body)) and "t" not in names:
        names.append("t")
    inputs = [setup.env[n] for n in names]
    if not inputs:
        raise StudioError("tensor_ops.graph_no_tensor")

    def f(*args):
        interp = Interpreter(device, check_meta=False, record=False, env=dict(zip(names, args)))
        out = None
        for stmt in body:
            result = interp.statement(stmt, "")
            value = result.value if not result.targets else interp.env[result.targets[-1]]
            out = value if isinstance(value, torch.Tensor) else out
        return out if out is not None else tuple(args)

    try:
        graph = make_fx(f)(*inputs).code.strip()
        functional = make_fx(functionalize(f))(*inputs).code.strip()
    except StudioError:
        raise
    except Exception as err:  # noqa: BLE001 - tracing errors are reported, not raised
        raise StudioError("tensor_ops.graph_failed", detail=str(err).split("\n")[0][:200])
    return {"inputs": ", ".join(names), "graph": graph, "functional": functional}
