"""Tensor Ops core: the curriculum's week-1 examples number for number, and hostile input."""
import time

import pytest
import torch

from core.errors import StudioError
from core.tensor_facts import EXAMPLES, dtype_table, iterations
from core.tensor_graph import fx_graphs
from core.tensor_interp import Interpreter
from core.tensor_safety import warm_up


def run(src):
    return [line.value for line in Interpreter().run(src)]


def test_shape_and_slicing():
    dim, shape, size, sl = run(EXAMPLES[0])
    assert dim == 2 and shape == (4, 3) and size == (4, 3)
    assert sl.tolist() == [[2, 3], [5, 6]]


def test_means():
    _, mean, mean0, mean_last = run(EXAMPLES[1])
    assert mean.item() == 6.5
    assert mean0.tolist() == [5.5, 6.5, 7.5]
    assert mean_last.tolist() == [2, 5, 8, 11]


def test_max_min_with_indices():
    mx, mn = run(EXAMPLES[2])
    assert mx.values.tolist() == [10, 11, 12] and mx.indices.tolist() == [3, 3, 3]
    assert mn.values.tolist() == [1, 2, 3] and mn.indices.tolist() == [0, 0, 0]


def test_elementwise_and_functional_forms_agree():
    v = run(EXAMPLES[3])[2:]
    add, add_f, sub, sub_f, mul, mul_f, div, div_f = v
    assert add.tolist() == add_f.tolist() == [[6, 8], [10, 12]]
    assert sub.tolist() == sub_f.tolist() == [[-4, -4], [-4, -4]]
    assert mul.tolist() == mul_f.tolist() == [[5, 12], [21, 32]]
    assert torch.equal(div, div_f) and torch.allclose(div, torch.tensor([[0.2, 1 / 3], [3 / 7, 0.5]]))


def test_matmul_mm_dot():
    _, _, matmul, mm, dot = run(EXAMPLES[4])
    assert matmul.tolist() == mm.tolist() == [[5], [11]]
    assert dot.item() == 7


def test_broadcast_scalar_plus_vector():
    assert run(EXAMPLES[5])[-1].tolist() == [[4, 5]]


def test_view_squeeze_unsqueeze():
    shape, view, view_shape = run(EXAMPLES[6])[1:]
    assert shape == (2, 2, 3) and view_shape == (6, 2) and view[0].tolist() == [0, 1]
    shape, unsq, unsq_shape, back = run(EXAMPLES[7])[1:]
    assert shape == (4,) and unsq_shape == (4, 1) and unsq.tolist() == [[0], [1], [2], [3]]
    assert back.tolist() == [0, 1, 2, 3]


def test_cat_and_stack_equivalence():
    cat0, cat1 = run(EXAMPLES[8])[2:]
    assert cat0.shape == (4, 2) and cat1.shape == (2, 4) and cat1.tolist() == [[1, 2, 5, 6], [3, 4, 7, 8]]
    stack0, stack1, cat_unsq = run(EXAMPLES[9])[3:]
    assert stack0.tolist() == [[1, 4], [2, 5], [3, 6]] and stack1.tolist() == [[1, 2, 3], [4, 5, 6]]
    assert torch.equal(stack0, cat_unsq)


def test_casting_and_inplace_and_likes():
    v = run(EXAMPLES[10])
    assert v[1].dtype == torch.float32 and v[3].dtype == torch.int64 and v[3].tolist() == [1, 0, 0, 1]
    assert v[5].dtype == torch.int32
    x0, mul, x_after_mul, mul_, x_after_mul_ = run(EXAMPLES[11])
    assert mul.tolist() == [[2, 4], [6, 8]] and x_after_mul.tolist() == [[1, 2], [3, 4]]
    assert mul_.tolist() == x_after_mul_.tolist() == [[2, 4], [6, 8]]
    _, ones, zeros = run(EXAMPLES[12])
    assert ones.tolist() == [[1, 1, 1], [1, 1, 1]] and zeros.sum().item() == 0


def test_device_choice_and_batch_vocabulary():
    device, _, x_device = run(EXAMPLES[13])
    assert device == torch.device("cuda" if torch.cuda.is_available() else "cpu") and x_device.type == device.type
    assert run(EXAMPLES[15])[1:] == [20, 200]
    assert iterations(640, 32, 10) == {"per_epoch": 20, "total": 200, "last_batch": 32, "dropped": 0}
    assert iterations(650, 32, 10, drop_last=True)["dropped"] == 10
    with pytest.raises(StudioError):
        iterations(0, 32, 10)


def test_graph_of_the_curriculum_example_is_functionalized():
    g = fx_graphs(EXAMPLES[14])
    assert "aten.add_.Tensor(clone, 1)" in g["graph"]
    assert "aten.add.Tensor(clone, 1)" in g["functional"] and "add_" not in g["functional"]


def test_dtype_table_matches_torch():
    rows = {r[0]: r for r in dtype_table()}
    assert rows["torch.float16"][2] == 16 and rows["torch.uint8"][3:5] == ["0", "255"]
    assert rows["torch.int64"][5] == "torch.LongTensor" and rows["torch.float32"][6] == "torch.cuda.FloatTensor"


def test_snippet_random_is_seeded_and_private():
    state = torch.random.get_rng_state()
    a = run("torch.manual_seed(0)\ntorch.rand(3)")[1]
    b = run("torch.manual_seed(0)\ntorch.rand(3)")[1]
    assert torch.equal(a, b) and torch.equal(state, torch.random.get_rng_state())


HOSTILE = {
    "__import__('os').system('id')": "tensor_ops.unknown_name",
    "().__class__.__bases__[0].__subclasses__()": "tensor_ops.private_attr",
    "getattr(torch, '__builtins__')": "tensor_ops.unknown_name",
    "torch.load('x')": "tensor_ops.torch_not_allowed",
    "torch.save(t, 'x')": "tensor_ops.torch_not_allowed",
    "open('/etc/passwd').read()": "tensor_ops.unknown_name",
    "torch.ones(10**9)": "tensor_ops.too_many_elements",
    "torch.ones(10**4, 10**4)": "tensor_ops.too_many_elements",
    "2**10**10": "tensor_ops.int_too_big",
    "(" * 500 + "1" + ")" * 500: "tensor_ops.too_deep",
    "x = 1\n" * 20_000: "tensor_ops.too_long",
    "import os": "tensor_ops.statement_not_allowed",
    "lambda: 1": "tensor_ops.expr_not_allowed",
    "[x for x in range(9)]": "tensor_ops.expr_not_allowed",
    "t.numpy()": "tensor_ops.method_not_allowed",
    "torch.rand(10**9)": "tensor_ops.too_many_elements",
    "torch.ones(1000, 1) + torch.ones(1, 10**6)": "tensor_ops.too_many_elements",
    "t.repeat(1000, 1000)": "tensor_ops.too_many_elements",
    "torch.FloatTensor(10**9)": "tensor_ops.legacy_data_only",
    "torch.ones(1000, 1000) @ torch.ones(1000, 1000)": "tensor_ops.too_much_work",
    "t[torch.zeros(10**6, dtype=torch.long)].repeat(1, 100)": "tensor_ops.too_many_elements",
    "t.float() @ t.float()": "tensor_ops.torch_error",
}


@pytest.mark.parametrize("src", list(HOSTILE), ids=range(len(HOSTILE)))
def test_hostile_input_is_refused_quickly(src, tmp_path, monkeypatch):
    warm_up()
    monkeypatch.chdir(tmp_path)
    start = time.monotonic()
    with pytest.raises(StudioError) as err:
        Interpreter().run(src)
    assert err.value.key == HOSTILE[src]
    assert time.monotonic() - start < 2.0
    assert list(tmp_path.iterdir()) == []  # nothing written
