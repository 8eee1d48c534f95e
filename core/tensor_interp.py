"""A safe interpreter for short PyTorch snippets (week 1: tensors), never eval/exec.

The snippet is parsed with ``ast`` and walked node by node. Only these run: literals,
names bound earlier in the snippet (plus ``torch`` and the curriculum's ``t``), arithmetic,
comparison and ``@`` operators, subscripts and slices, conditional expressions, and calls
to the allowlists in core/tensor_allow.py with keyword arguments. Everything else raises
``StudioError`` saying what is allowed.

Resource caps, checked *before* anything is allocated: every tensor an operation would
produce is first computed on the ``meta`` device (shapes only, no memory), and rejected if
it has more than MAX_NUMEL elements (core/tensor_safety.py); Python integer powers are bounded; source length,
line count, nesting depth and wall time (checked between nodes) are capped.
"""
from __future__ import annotations

import ast
import operator
import time
from dataclasses import dataclass, field

import torch

from core import tensor_allow as allow
from core.errors import StudioError
from core.tensor_safety import (MAX_INT_BITS, MAX_MATMUL_MACS, MAX_NUMEL, MAX_TOTAL_BYTES, TIME_LIMIT_S,
                                meta, parse, snapshot, tensors_in, warm_up)

BINOPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul, ast.Div: operator.truediv,
          ast.FloorDiv: operator.floordiv, ast.Mod: operator.mod, ast.Pow: operator.pow,
          ast.MatMult: operator.matmul, ast.BitAnd: operator.and_, ast.BitOr: operator.or_,
          ast.BitXor: operator.xor}
INPLACE = {ast.Add: operator.iadd, ast.Sub: operator.isub, ast.Mult: operator.imul, ast.Div: operator.itruediv}
UNARY = {ast.USub: operator.neg, ast.UAdd: operator.pos, ast.Not: operator.not_, ast.Invert: operator.invert}
COMPARE = {ast.Eq: operator.eq, ast.NotEq: operator.ne, ast.Lt: operator.lt, ast.LtE: operator.le,
           ast.Gt: operator.gt, ast.GtE: operator.ge}
OP_SYMBOL = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//", ast.Mod: "%",
             ast.Pow: "**", ast.MatMult: "@", ast.BitAnd: "&", ast.BitOr: "|", ast.BitXor: "^"}
SCALARS = (bool, int, float)
RESULT_TYPES = tuple(v for v in vars(torch.return_types).values() if isinstance(v, type))


def curriculum_t(device: torch.device | str = "cpu") -> torch.Tensor:
    """The running example of week 1: a (4, 3) int64 tensor [[1,2,3],...,[10,11,12]]."""
    return torch.tensor([[1, 2, 3], [4, 5, 6], [7, 8, 9], [10, 11, 12]], device=device)


@dataclass
class TorchRef:
    """A walk through torch's namespace, e.g. torch.nn.functional (path 'nn.functional')."""
    path: str


@dataclass
class Callee:
    """Something a snippet may call: a torch function by path, or a method bound to a value."""
    name: str
    fn: object
    self_value: object = None


@dataclass
class OpInfo:
    """The outermost operation of a line, for the picture: kind is 'reduction', 'broadcast',
    'join', 'shape' or 'call'; operands are the tensors it read; dim is the axis if given."""
    kind: str
    name: str
    operands: list = field(default_factory=list)
    dim: object = None


@dataclass
class LineResult:
    """One statement: its source, the names it bound, its value and its outermost op."""
    source: str
    lineno: int
    targets: list[str]
    value: object
    op: OpInfo | None


class Interpreter:
    """Runs snippets against an environment holding ``torch`` and ``t``.

    device: where factory functions put new tensors (and ``t``); seed: the snippet's own
    random generator (``torch.manual_seed(s)`` in a snippet re-seeds it).
    """

    def __init__(self, device: torch.device | str = "cpu", seed: int = 0, check_meta: bool = True,
                 record: bool = True, env: dict | None = None):
        self.device = torch.device(device)
        self.record_values = record  # False while tracing: no snapshot copies in the graph
        self.generator = torch.Generator().manual_seed(seed)
        self.check_meta = check_meta
        self.env: dict[str, object] = {"t": curriculum_t(self.device)} if env is None else dict(env)
        self.deadline = float("inf")
        self.last_op: OpInfo | None = None
        self.lineno = 0

    # --- statements -------------------------------------------------------------------
    def run(self, source: str) -> list[LineResult]:
        """Run every statement; returns one LineResult each. Raises StudioError on the first problem."""
        tree = parse(source)
        warm_up()
        self.deadline = time.monotonic() + TIME_LIMIT_S
        return [self.statement(stmt, ast.get_source_segment(source, stmt) or "") for stmt in tree.body]

    def statement(self, stmt: ast.stmt, text: str) -> LineResult:
        self.lineno, self.last_op = stmt.lineno, None
        if isinstance(stmt, ast.Expr):
            return LineResult(text, stmt.lineno, [], self.keep(self.evaluate(stmt.value)), self.last_op)
        if isinstance(stmt, ast.Assign) and len(stmt.targets) == 1:
            value = self.evaluate(stmt.value)
            names = self.bind(stmt.targets[0], value)
            return LineResult(text, stmt.lineno, names, self.keep(value), self.last_op)
        if isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name) and type(stmt.op) in INPLACE:
            left, right = self.evaluate(stmt.target), self.evaluate(stmt.value)
            value = self.operate(INPLACE[type(stmt.op)], OP_SYMBOL[type(stmt.op)] + "=", left, right)
            self.env[self.name_target(stmt.target)] = value
            return LineResult(text, stmt.lineno, [stmt.target.id], self.keep(value), self.last_op)
        raise StudioError("tensor_ops.statement_not_allowed", kind=type(stmt).__name__, line=stmt.lineno)

    def keep(self, value):
        return snapshot(value) if self.record_values else value

    def name_target(self, target: ast.expr) -> str:
        if not isinstance(target, ast.Name) or target.id.startswith("_") or target.id == "torch":
            raise StudioError("tensor_ops.bad_target", line=self.lineno)
        return target.id

    def bind(self, target: ast.expr, value) -> list[str]:
        if isinstance(target, ast.Tuple):
            names = [self.name_target(t) for t in target.elts]
            if not isinstance(value, (tuple, list)) or len(value) != len(names):
                raise StudioError("tensor_ops.unpack", n=len(names), line=self.lineno)
            self.env.update(zip(names, value))
            return names
        name = self.name_target(target)
        self.env[name] = value
        self.check_memory()
        return [name]

    def check_memory(self):
        total = sum(t.element_size() * t.numel() for v in self.env.values() for t in tensors_in(v))
        if total > MAX_TOTAL_BYTES:
            raise StudioError("tensor_ops.memory", mb=total // 2**20, max_mb=MAX_TOTAL_BYTES // 2**20)

    # --- expressions ------------------------------------------------------------------
    def evaluate(self, node: ast.expr):
        if time.monotonic() > self.deadline:
            raise StudioError("common.timeout", seconds=TIME_LIMIT_S)
        method = getattr(self, "eval_" + type(node).__name__, None)
        if method is None:
            raise StudioError("tensor_ops.expr_not_allowed", kind=type(node).__name__, line=self.lineno)
        return method(node)

    def eval_Constant(self, node):
        value = node.value
        if isinstance(value, str) and len(value) > 64 or isinstance(value, (bytes, complex)):
            raise StudioError("tensor_ops.expr_not_allowed", kind=type(value).__name__, line=self.lineno)
        return value

    def eval_Name(self, node):
        if node.id == "torch":
            return TorchRef("")
        if node.id.startswith("_") or node.id not in self.env:
            raise StudioError("tensor_ops.unknown_name", name=node.id, line=self.lineno)
        return self.env[node.id]

    def eval_List(self, node):
        return [self.evaluate(e) for e in node.elts]

    def eval_Tuple(self, node):
        return tuple(self.evaluate(e) for e in node.elts)

    def eval_Slice(self, node):
        parts = [None if p is None else self.evaluate(p) for p in (node.lower, node.upper, node.step)]
        return slice(*parts)

    def eval_IfExp(self, node):
        test = self.evaluate(node.test)
        if isinstance(test, torch.Tensor):
            raise StudioError("tensor_ops.expr_not_allowed", kind="tensor-if", line=self.lineno)
        return self.evaluate(node.body) if test else self.evaluate(node.orelse)

    def eval_UnaryOp(self, node):
        return self.operate(UNARY[type(node.op)], type(node.op).__name__, self.evaluate(node.operand))

    def eval_BinOp(self, node):
        if type(node.op) not in BINOPS:
            raise StudioError("tensor_ops.expr_not_allowed", kind=type(node.op).__name__, line=self.lineno)
        left, right = self.evaluate(node.left), self.evaluate(node.right)
        return self.operate(BINOPS[type(node.op)], OP_SYMBOL[type(node.op)], left, right)

    def eval_Compare(self, node):
        if len(node.ops) != 1:
            raise StudioError("tensor_ops.expr_not_allowed", kind="chained comparison", line=self.lineno)
        left, right = self.evaluate(node.left), self.evaluate(node.comparators[0])
        return self.operate(COMPARE[type(node.ops[0])], type(node.ops[0]).__name__, left, right)

    def eval_Subscript(self, node):
        value, index = self.evaluate(node.value), self.evaluate(node.slice)
        if not isinstance(value, (torch.Tensor, torch.Size, tuple, list)):
            raise StudioError("tensor_ops.expr_not_allowed", kind="subscript", line=self.lineno)
        if isinstance(value, torch.Tensor):
            return self.guard("[]", lambda v, i: v[i], [value, index], {})
        try:
            return value[index]
        except (IndexError, TypeError) as err:
            raise StudioError("tensor_ops.torch_error", line=self.lineno, detail=str(err))

    def eval_Attribute(self, node):
        obj, attr = self.evaluate(node.value), node.attr
        if attr.startswith("_"):
            raise StudioError("tensor_ops.private_attr", name=attr, line=self.lineno)
        if isinstance(obj, TorchRef):
            path = f"{obj.path}.{attr}" if obj.path else attr
            if path in allow.TORCH_NAMESPACES:
                return TorchRef(path)
            if path in allow.TORCH_CONSTANTS:
                return getattr(torch, path)
            if path in allow.TORCH_FUNCTIONS:
                fn = torch
                for part in path.split("."):
                    fn = getattr(fn, part)
                return Callee(path, fn)
            raise StudioError("tensor_ops.torch_not_allowed", name=f"torch.{path}", line=self.lineno)
        if isinstance(obj, torch.Tensor):
            if attr in allow.TENSOR_PROPERTIES:
                return getattr(obj, attr)
            if attr in allow.TENSOR_METHODS:
                return Callee(attr, getattr(torch.Tensor, attr), obj)
            raise StudioError("tensor_ops.method_not_allowed", name=attr, line=self.lineno)
        if isinstance(obj, RESULT_TYPES) and attr in allow.RESULT_FIELDS or \
                isinstance(obj, (torch.dtype, torch.device)) and attr in allow.MISC_ATTRIBUTES:
            return getattr(obj, attr)
        raise StudioError("tensor_ops.method_not_allowed", name=attr, line=self.lineno)

    def eval_Call(self, node):
        callee = self.evaluate(node.func)
        if not isinstance(callee, Callee):
            raise StudioError("tensor_ops.not_callable", line=self.lineno)
        if any(isinstance(a, ast.Starred) for a in node.args) or any(k.arg is None for k in node.keywords):
            raise StudioError("tensor_ops.expr_not_allowed", kind="*args/**kwargs", line=self.lineno)
        args = [self.evaluate(a) for a in node.args]
        kwargs = {k.arg: self.evaluate(k.value) for k in node.keywords}
        return self.call(callee, args, kwargs)

    # --- guarded operations -----------------------------------------------------------
    def operate(self, op, symbol: str, *operands):
        """Apply a Python operator to numbers or tensors, with the int and size caps."""
        if not all(isinstance(v, SCALARS + (torch.Tensor,)) for v in operands):
            raise StudioError("tensor_ops.operand_type", op=symbol, line=self.lineno)
        if not any(isinstance(v, torch.Tensor) for v in operands):
            if op is operator.pow and all(isinstance(v, int) for v in operands):
                base, exp = operands
                if exp > MAX_INT_BITS or abs(base) > 1 and exp * abs(base).bit_length() > MAX_INT_BITS:
                    raise StudioError("tensor_ops.int_too_big", bits=MAX_INT_BITS, line=self.lineno)
            try:
                return op(*operands)
            except (ZeroDivisionError, OverflowError, ValueError) as err:
                raise StudioError("tensor_ops.torch_error", line=self.lineno, detail=str(err))
        tensors = [v for v in operands if isinstance(v, torch.Tensor)]
        if len(operands) == 2:
            kind = "broadcast" if len(tensors) == 2 and tensors[0].shape != tensors[1].shape else "call"
            self.last_op = OpInfo(kind, symbol, list(operands))
        elif tensors:
            self.last_op = OpInfo("call", symbol, tensors)
        return self.guard(symbol, op, list(operands), {})

    def call(self, callee: Callee, args: list, kwargs: dict):
        """Call an allowed torch function or tensor method after injecting device/generator."""
        name = callee.name
        bad = allow.FORBIDDEN_KWARGS.intersection(kwargs) | {k for k in kwargs if k.startswith("_")}
        if bad:
            raise StudioError("tensor_ops.kwarg_not_allowed", name=sorted(bad)[0], line=self.lineno)
        if callee.self_value is not None:
            args = [callee.self_value, *args]
            if name in ("cuda", "to") and not torch.cuda.is_available() and \
                    (name == "cuda" or any("cuda" in str(a) for a in [*args[1:], *kwargs.values()])):
                raise StudioError("common.device_unavailable", device="cuda", available="cpu")
        elif name == "manual_seed":
            self.generator.manual_seed(int(args[0]) if args else 0)
            return None
        elif name in allow.LEGACY_CONSTRUCTORS:
            if len(args) != 1 or not isinstance(args[0], (list, tuple)) or kwargs:
                raise StudioError("tensor_ops.legacy_data_only", name=name, line=self.lineno)
            return self.guard(name, lambda data: callee.fn(data).to(self.device), args, {})
        elif name in allow.RANDOM_FACTORIES:
            # drawn on the CPU from the snippet's generator, then moved: reproducible anywhere
            device = kwargs.pop("device", self.device)
            kwargs.update(device="cpu", generator=self.generator)
            return self.guard(name, callee.fn, args, kwargs).to(device)
        elif name in allow.FACTORIES:
            kwargs.setdefault("device", self.device)
        self.record(name, args, kwargs)
        return self.guard(name, callee.fn, args, kwargs)

    def record(self, name: str, args: list, kwargs: dict):
        base = name.rsplit(".", 1)[-1]
        tensors = [a for a in args if isinstance(a, torch.Tensor)]
        dim = kwargs.get("dim", next((a for a in args[1:2] if isinstance(a, (int, tuple))), None))
        if base in allow.REDUCTIONS and tensors:
            self.last_op = OpInfo("reduction", base, tensors[:1], dim)
        elif base in allow.JOINS and args and isinstance(args[0], (list, tuple)):
            self.last_op = OpInfo("join", base, list(args[0]), kwargs.get("dim", args[1] if len(args) > 1 else 0))
        elif base in allow.SHAPE_OPS and tensors:
            self.last_op = OpInfo("shape", base, tensors[:1])
        elif base in allow.ELEMENTWISE and len(args) >= 2:
            pair = [a for a in args[:2] if isinstance(a, torch.Tensor)]
            kind = "broadcast" if len(pair) == 2 and pair[0].shape != pair[1].shape else "call"
            self.last_op = OpInfo(kind, base, list(args[:2]))
        elif tensors:
            self.last_op = OpInfo("call", base, tensors)

    def guard(self, name: str, fn, args: list, kwargs: dict):
        """Dry-run fn on meta tensors, check every output's size, then run it for real."""
        if self.check_meta:
            meta_kwargs = {k: ("meta" if k == "device" else meta(v)) for k, v in kwargs.items() if k != "generator"}
            try:
                shaped = fn(*meta(args), **meta_kwargs)
            except Exception as err:  # noqa: BLE001 - data-dependent ops have no meta kernel
                if name.rsplit(".", 1)[-1] in allow.SIZE_GROWING:  # these must be sized before they run
                    raise StudioError("tensor_ops.torch_error", line=self.lineno, detail=str(err).split("\n")[0][:300])
                shaped = None
            self.check_sizes(shaped)
            if name.rsplit(".", 1)[-1] in allow.MATMULS and isinstance(shaped, torch.Tensor) and args:
                inner = args[0].shape[-1] if isinstance(args[0], torch.Tensor) and args[0].dim() else 1
                if shaped.numel() * inner > MAX_MATMUL_MACS:
                    raise StudioError("tensor_ops.too_much_work", macs=f"{shaped.numel() * inner:,}",
                                      max=f"{MAX_MATMUL_MACS:,}", line=self.lineno)
        try:
            result = fn(*args, **kwargs)
        except StudioError:
            raise
        except (RuntimeError, TypeError, ValueError, IndexError, NotImplementedError, OverflowError) as err:
            raise StudioError("tensor_ops.torch_error", line=self.lineno, detail=str(err).split("\n")[0][:300])
        self.check_sizes(result)
        return result

    def check_sizes(self, value):
        for tensor in tensors_in(value):
            if tensor.numel() > MAX_NUMEL:
                raise StudioError("tensor_ops.too_many_elements", n=f"{tensor.numel():,}", max=f"{MAX_NUMEL:,}",
                                  line=self.lineno)
