"""Reference facts of week 1: the dtype table and batch/epoch/iteration arithmetic."""
from __future__ import annotations

import math

import torch

from core.errors import StudioError

# (dtype, other names, legacy CPU tensor type)
DTYPES = [
    (torch.float32, "torch.float", "FloatTensor"),
    (torch.float64, "torch.double", "DoubleTensor"),
    (torch.float16, "torch.half", "HalfTensor"),
    (torch.bfloat16, "", "BFloat16Tensor"),
    (torch.uint8, "", "ByteTensor"),
    (torch.int8, "", "CharTensor"),
    (torch.int16, "torch.short", "ShortTensor"),
    (torch.int32, "torch.int", "IntTensor"),
    (torch.int64, "torch.long", "LongTensor"),
    (torch.bool, "", "BoolTensor"),
]


def dtype_table() -> list[list]:
    """Rows [dtype, alias, bits, min, max, CPU tensor type, CUDA tensor type] from torch itself."""
    rows = []
    for dtype, alias, legacy in DTYPES:
        if dtype == torch.bool:
            low, high = False, True
        elif dtype.is_floating_point:
            info = torch.finfo(dtype)
            low, high = f"{info.min:.4g}", f"{info.max:.4g}"
        else:
            info = torch.iinfo(dtype)
            low, high = info.min, info.max
        bits = torch.tensor([], dtype=dtype).element_size() * 8
        rows.append([str(dtype), alias, bits, str(low), str(high), f"torch.{legacy}", f"torch.cuda.{legacy}"])
    return rows


def iterations(n_samples: int, batch_size: int, epochs: int, drop_last: bool = False) -> dict[str, int]:
    """Iterations per epoch and in all: ceil(n / batch) (floor with drop_last) times epochs.

    The curriculum's example: 640 samples, batch 32, 10 epochs -> 20 per epoch, 200 in all.
    Raises StudioError if a count is not a positive integer.
    """
    for field, value in (("n_samples", n_samples), ("batch_size", batch_size), ("epochs", epochs)):
        if value is None or int(value) != value or value < 1:
            raise StudioError("tensor_ops.batch_positive", field=field, value=value)
    n, b, e = int(n_samples), int(batch_size), int(epochs)
    per_epoch = n // b if drop_last else math.ceil(n / b)
    return {"per_epoch": per_epoch, "total": per_epoch * e, "last_batch": n - (math.ceil(n / b) - 1) * b,
            "dropped": n % b if drop_last else 0}


# The curriculum's worked examples (shared/CURRICULUM.md, "Tensor ops"), one click each.
EXAMPLES = [
    "t.dim()\nt.shape\nt.size()\nt[0:2, 1:]",
    "t = t.float()\nt.mean()\nt.mean(dim=0)\nt.mean(dim=-1)",
    "t.max(dim=0)\nt.min(dim=0)",
    "a = torch.FloatTensor([[1, 2], [3, 4]])\nb = torch.FloatTensor([[5, 6], [7, 8]])\na + b\ntorch.add(a, b)\n"
    "a - b\ntorch.sub(a, b)\na * b\ntorch.mul(a, b)\na / b\ntorch.div(a, b)",
    "a = torch.FloatTensor([[1, 2], [3, 4]])\nb = torch.FloatTensor([[1], [2]])\ntorch.matmul(a, b)\n"
    "torch.mm(a, b)\ntorch.dot(torch.tensor([2, 3]), torch.tensor([2, 1]))",
    "m1 = torch.FloatTensor([[1, 2]])\nm2 = torch.FloatTensor([3])\nm1 + m2",
    "ft = torch.FloatTensor([[[0, 1, 2], [3, 4, 5]], [[6, 7, 8], [9, 10, 11]]])\nft.shape\nft.view([-1, 2])\n"
    "ft.view([-1, 2]).shape",
    "ft = torch.FloatTensor([0, 1, 2, 3])\nft.shape\nft.unsqueeze(1)\nft.unsqueeze(1).shape\n"
    "ft.unsqueeze(1).squeeze()",
    "x = torch.FloatTensor([[1, 2], [3, 4]])\ny = torch.FloatTensor([[5, 6], [7, 8]])\ntorch.cat([x, y], dim=0)\n"
    "torch.cat([x, y], dim=1)",
    "x = torch.FloatTensor([1, 4])\ny = torch.FloatTensor([2, 5])\nz = torch.FloatTensor([3, 6])\n"
    "torch.stack([x, y, z])\ntorch.stack([x, y, z], dim=1)\n"
    "torch.cat([x.unsqueeze(0), y.unsqueeze(0), z.unsqueeze(0)], dim=0)",
    "lt = torch.LongTensor([1, 2, 3, 4])\nlt.float()\nbt = torch.ByteTensor([True, False, False, True])\n"
    "bt.long()\nbt.float()\nlt.float().int()",
    "x = torch.FloatTensor([[1, 2], [3, 4]])\nx.mul(2.)\nx\nx.mul_(2.)\nx",
    "x = torch.FloatTensor([[0, 1, 2], [2, 1, 0]])\ntorch.ones_like(x)\ntorch.zeros_like(x)",
    "device = torch.device('cuda' if torch.cuda.is_available() else 'cpu')\nx = torch.ones(2, 3).to(device)\n"
    "x.device",
    "x = torch.zeros(3)\ny = x.clone()\ny.add_(1)",
    "n, batch, epochs = 640, 32, 10\nn // batch\nn // batch * epochs",
]
