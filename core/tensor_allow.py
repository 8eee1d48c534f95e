"""What the Tensor Ops interpreter lets a snippet touch: explicit allowlists, nothing else.

A name not listed here is unreachable from a snippet, whatever Python would allow: no
imports, no dunder attributes, no file or network access, no torch.load/save.
"""
from __future__ import annotations

# torch.<name> callables (dotted for sub-namespaces).
TORCH_FUNCTIONS = frozenset("""
abs absolute acos add addmm all allclose amax amin any arange argmax argmin argsort argwhere asin atan atan2
bmm broadcast_shapes broadcast_tensors broadcast_to cat ceil chunk clamp clip clone column_stack concat
concatenate cos cosh count_nonzero cross cummax cummin cumprod cumsum det diag diag_embed diagonal diff div
divide dot dsplit dstack einsum empty empty_like eq equal erf exp expm1 eye flatten flip fliplr flipud
float_power floor floor_divide fmod frac full full_like gather ge gt hstack hsplit index_select inner isclose
isfinite isinf isnan kron kthvalue le lerp linspace log log10 log1p log2 logical_and logical_not logical_or
logical_xor logspace logsumexp lt manual_seed masked_fill masked_select matmul max maximum mean median meshgrid
min minimum mm movedim mul multiply mv nan_to_num narrow ne neg negative nonzero norm numel ones ones_like
outer permute pow prod rand randint randn randperm ravel reciprocal relu remainder repeat_interleave reshape
roll rot90 round rsqrt sigmoid sign sin sinh softmax sort split sqrt square squeeze stack std std_mean sub
subtract sum swapaxes t take tan tanh tensor tensordot tile topk trace transpose tril triu true_divide trunc
unbind unique unsqueeze var var_mean vsplit vstack where zeros zeros_like is_tensor result_type promote_types
can_cast device get_default_dtype
FloatTensor LongTensor IntTensor ByteTensor BoolTensor DoubleTensor HalfTensor ShortTensor CharTensor
cuda.is_available cuda.device_count
nn.functional.relu nn.functional.softmax nn.functional.log_softmax nn.functional.sigmoid nn.functional.tanh
nn.functional.gelu nn.functional.pad nn.functional.one_hot nn.functional.normalize nn.functional.cross_entropy
nn.functional.mse_loss nn.functional.linear
linalg.norm linalg.inv linalg.det linalg.matmul linalg.vector_norm linalg.matrix_norm linalg.solve
linalg.eigvalsh linalg.svdvals
""".split())

# Namespaces a snippet may walk through on the way to an allowed function.
TORCH_NAMESPACES = frozenset({"cuda", "nn", "nn.functional", "linalg"})

# torch.<name> values that are not callables a snippet calls (dtypes and friends).
TORCH_CONSTANTS = frozenset("""
float32 float float64 double float16 half bfloat16 uint8 int8 int16 short int32 int int64 long bool
complex64 pi e inf nan
""".split())

# Tensor methods and properties.
TENSOR_METHODS = frozenset("""
abs abs_ add add_ all amax amin any argmax argmin argsort argwhere bfloat16 bool byte ceil char chunk clamp
clamp_ clip clone contiguous cos count_nonzero cpu cuda cumprod cumsum detach diag diagonal dim div div_ dot
double element_size eq exp exp_ expand expand_as fill_ flatten flip float floor gather ge gt half
index_select int is_contiguous is_floating_point item le log log_softmax logsumexp long lt masked_fill
matmul max mean median min mm movedim mul mul_ mv narrow ne neg neg_ nelement new_full new_ones new_tensor
new_zeros nonzero norm numel outer permute pow prod ravel relu repeat reshape reshape_as roll round short
sigmoid sign sin size softmax sort split sqrt sqrt_ square squeeze squeeze_ std stride sub sub_ sum swapaxes
t tanh tile to tolist topk transpose tril triu type unbind unique unsqueeze unsqueeze_ var view view_as
where zero_
""".split())
TENSOR_PROPERTIES = frozenset({"shape", "dtype", "device", "ndim", "T", "mT", "is_cuda", "itemsize", "nbytes",
                               "requires_grad", "is_leaf", "layout"})
# Fields of the named tuples torch returns (torch.return_types.max(values=..., indices=...)).
RESULT_FIELDS = frozenset({"values", "indices", "mean", "std", "var", "eigenvalues", "eigenvectors"})
# Attributes of dtypes and devices.
MISC_ATTRIBUTES = frozenset({"is_floating_point", "is_signed", "itemsize", "type", "index"})

# Functions that create a tensor from sizes: they get the chosen device, and random ones the
# snippet's own generator (so `torch.manual_seed(0)` reproduces a slide without touching
# the server's global random state).
FACTORIES = frozenset({"tensor", "ones", "zeros", "empty", "full", "arange", "linspace", "logspace", "eye"})
RANDOM_FACTORIES = frozenset({"rand", "randn", "randint", "randperm"})
# Legacy typed constructors accept data only (a list), never sizes.
LEGACY_CONSTRUCTORS = frozenset({"FloatTensor", "LongTensor", "IntTensor", "ByteTensor", "BoolTensor",
                                 "DoubleTensor", "HalfTensor", "ShortTensor", "CharTensor"})
# Keyword arguments no snippet may pass.
FORBIDDEN_KWARGS = frozenset({"out", "generator", "pin_memory", "memory_format", "non_blocking"})

# Operations the picture explains specially.
REDUCTIONS = frozenset({"sum", "mean", "max", "min", "prod", "std", "var", "argmax", "argmin", "amax", "amin",
                        "median", "all", "any", "norm", "logsumexp", "count_nonzero", "std_mean", "var_mean"})
SHAPE_OPS = frozenset({"view", "reshape", "squeeze", "unsqueeze", "flatten", "permute", "transpose", "t",
                       "view_as", "reshape_as", "ravel", "movedim", "swapaxes", "squeeze_", "unsqueeze_"})
JOINS = frozenset({"cat", "concat", "concatenate", "stack", "hstack", "vstack", "dstack", "column_stack"})
ELEMENTWISE = frozenset({"add", "sub", "subtract", "mul", "multiply", "div", "divide", "true_divide", "pow",
                         "maximum", "minimum", "remainder", "fmod", "eq", "ne", "lt", "le", "gt", "ge", "atan2",
                         "floor_divide", "add_", "sub_", "mul_", "div_"})


def allowed_summary() -> dict[str, list[str]]:
    """The allowlists as sorted lists, for the tab's "what is allowed" panel."""
    return {
        "torch": sorted(f"torch.{n}" for n in TORCH_FUNCTIONS | TORCH_CONSTANTS),
        "tensor": sorted(f".{n}()" for n in TENSOR_METHODS) + sorted(f".{n}" for n in TENSOR_PROPERTIES),
    }
# Operations whose output size comes from their arguments' values: they must pass the
# meta-device size check, never run unchecked.
SIZE_GROWING = FACTORIES | RANDOM_FACTORIES | frozenset({
    "empty_like", "ones_like", "zeros_like", "full_like", "repeat", "expand", "expand_as", "tile", "kron",
    "outer", "einsum", "tensordot", "cdist", "meshgrid", "broadcast_to", "broadcast_tensors", "repeat_interleave",
    "one_hot", "pad", "new_full", "new_ones", "new_zeros", "new_tensor", "diag_embed", "matmul", "mm", "bmm",
    "@", "+", "-", "*", "/", "//", "%", "**", "&", "|", "^"})
MATMULS = frozenset({"matmul", "mm", "bmm", "@", "einsum", "tensordot", "mv", "dot", "inner", "addmm", "linear"})
