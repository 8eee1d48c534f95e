"""core.conv: the worksheet's numbers, the size formula and the written-out sum against torch."""
import itertools

import pytest
import torch
import torch.nn.functional as F

from core import conv
from core.errors import StudioError

X = torch.tensor(conv.WORKSHEET_INPUT, dtype=torch.float64)
K = torch.tensor(conv.WORKSHEET_KERNEL, dtype=torch.float64)


def test_worksheet_stride_1():
    assert conv.conv_grid(X, K).tolist() == [[4, 3, 4], [2, 4, 3], [2, 3, 4]]


def test_worksheet_stride_2_and_padding():
    assert conv.conv_grid(X, K, stride=2).tolist() == [[4, 4], [2, 4]]
    padded = conv.conv_grid(X, K, padding=1)
    assert padded.shape == (5, 5)  # "why pad? because the output is otherwise smaller"
    assert padded.tolist() == [[2, 2, 3, 1, 1], [1, 4, 3, 4, 1], [1, 2, 4, 3, 3], [1, 2, 3, 4, 1], [0, 2, 2, 1, 1]]


@pytest.mark.parametrize("n,k,s,p,d", [(5, 3, 1, 0, 1), (5, 3, 2, 0, 1), (7, 3, 2, 1, 1), (6, 3, 1, 0, 2),
                                       (9, 2, 3, 2, 3), (28, 5, 1, 2, 1), (8, 3, 3, 0, 1)])
def test_output_size_matches_torch(n, k, s, p, d):
    y = F.conv2d(torch.zeros(1, 1, n, n), torch.zeros(1, 1, k, k), stride=s, padding=p, dilation=d)
    assert conv.output_size(n, k, s, p, d) == y.shape[-1]


def test_size_formula_text():
    text = conv.size_formula(5, 3, 2, 0, 1)
    assert text.endswith("= ⌊2 / 2⌋ + 1 = 2")
    assert text.startswith("⌊(5 + 2·0 − 1·(3 − 1) − 1) / 2⌋ + 1")


def test_window_too_big_and_leftover():
    with pytest.raises(StudioError) as err:
        conv.output_size(3, 3, 1, 0, 2)   # dilated window spans 5 cells > 3
    assert err.value.key == "cnn_filters.window_too_big" and err.value.params["span"] == 5
    assert conv.leftover(8, 3, 3) == 2    # (8 - 3) mod 3: last two columns never covered
    assert conv.leftover(7, 3, 2) == 0


@pytest.mark.parametrize("s,p,d", list(itertools.product([1, 2, 3], [0, 1, 2], [1, 2])))
def test_terms_sum_equals_conv2d(s, p, d):
    g = torch.Generator().manual_seed(s * 100 + p * 10 + d)
    x = torch.randint(-3, 4, (6, 7), generator=g).to(torch.float64)
    w = torch.randint(-2, 3, (3, 3), generator=g).to(torch.float64)
    y = conv.conv_grid(x, w, s, p, d)
    ref = F.conv2d(x[None, None], w[None, None], stride=s, padding=p, dilation=d)[0, 0]
    assert torch.equal(y, ref)
    for i in range(y.shape[0]):
        for j in range(y.shape[1]):
            t = conv.terms(x, w, i, j, s, p, d)
            assert len(t) == 9
            assert sum(a * b for a, b, _, _ in t) == y[i, j].item()


def test_terms_text_worksheet_cell():
    t = conv.terms(X, K, 0, 1)
    assert conv.terms_text(t) == "1·1 + 1·0 + 0·1 + 1·0 + 1·1 + 1·0 + 0·1 + 1·0 + 1·1 = 3"
    assert [(r, c) for _, _, r, c in t][:3] == [(0, 1), (0, 2), (0, 3)]


def test_pooling_matches_torch():
    x = torch.arange(16, dtype=torch.float64).reshape(4, 4)
    assert conv.pool_grid(x, "max", 2).tolist() == [[5, 7], [13, 15]]
    assert conv.pool_grid(x, "avg", 2).tolist() == [[2.5, 4.5], [10.5, 12.5]]
    assert torch.equal(conv.pool_grid(X, "max", 2, 1), F.max_pool2d(X[None, None], 2, 1)[0, 0])
    with pytest.raises(StudioError):
        conv.pool_grid(x, "max", 5)


def test_parse_grid():
    g = conv.parse_grid("1 0, 2\n-1.5;3 4", "input", 16)
    assert g.tolist() == [[1, 0, 2], [-1.5, 3, 4]]
    for bad, key in [("1 x\n0 1", "cnn_filters.not_a_number"), ("1 nan", "cnn_filters.not_a_number"),
                     ("1 inf", "cnn_filters.not_a_number"), ("", "cnn_filters.grid_empty"),
                     ("1 2\n3", "cnn_filters.grid_ragged"), ("1 " * 17, "cnn_filters.grid_too_big"),
                     ("1e9", "cnn_filters.value_too_big")]:
        with pytest.raises(StudioError) as err:
            conv.parse_grid(bad, "kernel", 16)
        assert err.value.key == key
    with pytest.raises(StudioError) as err:
        conv.parse_grid("1 1\n1 x", "kernel", 7)
    assert err.value.params == {"what": "kernel", "row": 2, "col": 2, "value": "x"}
