"""core.rnn, core.rnn_inputs, core.rnn_task, core.rnn_gradients: the worked example number for
number, the written-out cells equal to nn.RNN / nn.LSTM / nn.GRU, the task, the gradients."""
import math

import pytest
import torch
from torch import nn

from core import rnn
from core.errors import StudioError
from core.rnn_gradients import gradient_norms
from core.rnn_inputs import format_matrix, parse_matrix
from core.rnn_task import (NONE_CLASS, RecallConfig, encode, evaluate, parse_sequence, targets,
                           train_steps, trace)

D64 = torch.float64


def curriculum():
    return (torch.tensor(rnn.CURRICULUM_W, dtype=D64), torch.tensor(rnn.CURRICULUM_U, dtype=D64),
            torch.tensor(rnn.CURRICULUM_V, dtype=D64), torch.tensor(rnn.CURRICULUM_X, dtype=D64),
            torch.tensor(rnn.CURRICULUM_H0, dtype=D64))


# ------------------------------------------------------------------ worked example
def test_curriculum_first_step_number_for_number():
    W, U, V, xs, h0 = curriculum()
    s1 = rnn.rnn_walkthrough(W, U, V, xs, h0)[0]
    assert s1["Ux"].tolist() == pytest.approx([0.094, 0.135], abs=1e-15)      # U's first column
    assert s1["Wh"].tolist() == [0.0, 0.0]
    assert [round(v, 4) for v in s1["h"].tolist()] == [0.0937, 0.1342]
    assert [round(v, 4) for v in s1["o"].tolist()] == [-0.0081, -0.0089, 0.0118]
    assert [round(v, 4) for v in s1["y"].tolist()] == [0.3312, 0.3309, 0.3379]
    # the slide's rounding of h1 and its slip in the third output
    assert [round(v, 3) for v in s1["h"].tolist()] == [0.094, 0.134]
    assert round(float(s1["o"][2]), 3) != rnn.SLIDE_O1[2]
    assert [round(v, 3) for v in s1["o"][:2].tolist()] == rnn.SLIDE_O1[:2]


def test_walkthrough_equals_nn_rnn_and_softmax():
    W, U, V, xs, h0 = curriculum()
    steps = rnn.rnn_walkthrough(W, U, V, xs, h0)
    layer = nn.RNN(3, 2, bias=False, nonlinearity="tanh").double()
    with torch.no_grad():
        layer.weight_ih_l0.copy_(U)
        layer.weight_hh_l0.copy_(W)
    out, _ = layer(xs[:, None], h0[None, None])                 # (T, 1, H)
    ours = torch.stack([s["h"] for s in steps])
    assert torch.allclose(ours, out[:, 0], atol=1e-14)
    y = torch.softmax(out[:, 0] @ V.T, dim=-1)
    assert torch.allclose(torch.stack([s["y"] for s in steps]), y, atol=1e-14)
    assert len(steps) == 3 and all(torch.equal(s["a"], s["Wh"] + s["Ux"]) for s in steps)


def test_walkthrough_rejects_mismatched_shapes():
    W, U, V, xs, h0 = curriculum()
    with pytest.raises(ValueError, match="shapes do not fit"):
        rnn.rnn_walkthrough(W, U[:, :2], V, xs, h0)


# ----------------------------------------------------------------------- cells
def test_lstm_cell_equals_nn_lstm_over_a_sequence():
    torch.manual_seed(3)
    layer = nn.LSTM(5, 7).double()
    xs = torch.randn(9, 4, 5, dtype=D64)
    h0, c0 = torch.randn(4, 7, dtype=D64), torch.randn(4, 7, dtype=D64)
    out, (hT, cT) = layer(xs, (h0[None], c0[None]))
    tr = rnn.lstm_trace(xs, rnn.lstm_from_torch(layer), h0, c0)
    assert torch.allclose(tr["h"], out, atol=1e-12)
    assert torch.allclose(tr["c"][-1], cT[0], atol=1e-12)
    assert set(tr) == set("figoch") and tr["f"].shape == (9, 4, 7)
    assert (tr["f"] > 0).all() and (tr["f"] < 1).all() and (tr["g"].abs() < 1).all()


def test_gru_cell_equals_nn_gru_with_z_flipped():
    torch.manual_seed(4)
    layer = nn.GRU(3, 6).double()
    xs = torch.randn(8, 2, 3, dtype=D64)
    h0 = torch.randn(2, 6, dtype=D64)
    out, _ = layer(xs, h0[None])
    w = rnn.gru_from_torch(layer)
    tr = rnn.gru_trace(xs, w, h0, reset_after=True)
    assert torch.allclose(tr["h"], out, atol=1e-12)
    # our z is 1 - PyTorch's z: compute PyTorch's z from its own weights
    H = 6
    hx = torch.cat([h0, xs[0]], -1)
    z_torch = torch.sigmoid(xs[0] @ layer.weight_ih_l0[H:2 * H].T + layer.bias_ih_l0[H:2 * H]
                            + h0 @ layer.weight_hh_l0[H:2 * H].T + layer.bias_hh_l0[H:2 * H])
    z_ours = rnn.gru_cell(xs[0], h0, w, reset_after=True)["z"]
    assert torch.allclose(z_ours, 1 - z_torch.detach(), atol=1e-12)
    assert hx.shape == (2, 9)


def test_gru_reset_placement_matters_except_when_reset_is_open():
    torch.manual_seed(5)
    layer = nn.GRU(3, 4).double()
    x, h = torch.randn(1, 3, dtype=D64), torch.randn(1, 4, dtype=D64)
    w = rnn.gru_from_torch(layer)
    after = rnn.gru_cell(x, h, w, reset_after=True)["h"]
    before = rnn.gru_cell(x, h, w, reset_after=False)["h"]
    assert (after - before).abs().max() > 1e-3
    open_r = w._replace(b_r=w.b_r + 50.0)       # r = 1: both placements give W_h h + b
    assert torch.allclose(rnn.gru_cell(x, h, open_r, True)["h"], rnn.gru_cell(x, h, open_r, False)["h"], atol=1e-12)


def test_curriculum_gru_formula_by_hand():
    """The slides' GRU, h = (1 - z) h + z h~ with h~ = tanh(W [r*h, x]), on tiny numbers."""
    H, D = 1, 1
    w = rnn.GRUWeights(W_z=torch.tensor([[0.5, 1.0]], dtype=D64), W_r=torch.tensor([[1.0, -1.0]], dtype=D64),
                       W=torch.tensor([[2.0, 1.0]], dtype=D64), b_z=torch.zeros(H, dtype=D64),
                       b_r=torch.zeros(H, dtype=D64), b_nx=torch.zeros(H, dtype=D64), b_nh=torch.zeros(H, dtype=D64))
    h, x = torch.tensor([[0.4]], dtype=D64), torch.tensor([[0.2]], dtype=D64)
    out = rnn.gru_cell(x, h, w)
    z = 1 / (1 + math.exp(-(0.5 * 0.4 + 0.2)))
    r = 1 / (1 + math.exp(-(0.4 - 0.2)))
    n = math.tanh(2.0 * r * 0.4 + 0.2)
    assert float(out["h"]) == pytest.approx((1 - z) * 0.4 + z * n, abs=1e-15)
    assert D == 1


@pytest.mark.parametrize("kind", ["lstm", "gru"])
def test_cell_check_matches_library(kind):
    r = rnn.cell_check(kind, 3, 4, seed=0)
    assert r["max_abs_diff"] < 1e-12
    assert torch.allclose(r["h_ours"], r["h_torch"], atol=1e-12)
    if kind == "gru":
        assert torch.allclose(r["z_torch"], 1 - r["gates"]["z"])
        assert (r["h_reset_before"] - r["h_ours"]).abs().max() > 1e-4


# ---------------------------------------------------------------------- inputs
def test_parse_matrix_forms_and_roundtrip():
    expected = torch.tensor(rnn.CURRICULUM_U, dtype=D64)
    for text in ["0.094, -0.02, 0.135\n0.135, -0.069, -0.009", "0.094 -0.02 0.135; 0.135 -0.069 -0.009",
                 "[[0.094, -0.02, 0.135], [0.135, -0.069, -0.009]]", format_matrix(rnn.CURRICULUM_U)]:
        assert torch.equal(parse_matrix(text, "U", rows=2, cols=3), expected)
    assert parse_matrix("1e-3, -2", "h0").tolist() == [[0.001, -2.0]]


@pytest.mark.parametrize("text, key", [("", "matrix_empty"), ("1, abc", "matrix_not_a_number"),
                                       ("1, nan", "matrix_not_finite"), ("1, inf", "matrix_not_finite"),
                                       ("1, 2\n3", "matrix_ragged"), ("1, 2, 3", "matrix_wrong_shape"),
                                       ("1 " * 100, "matrix_too_big"), ("1," * 20000, "matrix_too_long")])
def test_parse_matrix_errors(text, key):
    with pytest.raises(StudioError) as err:
        parse_matrix(text, "W", rows=1, cols=2, shape_hint="H x H = 2 x 2")
    assert err.value.key == f"rnn_gates.{key}"
    if key == "matrix_wrong_shape":
        assert err.value.params == {"name": "W", "got": "1 x 3", "expected": "H x H = 2 x 2"}


# ------------------------------------------------------------------------ task
def test_parse_sequence_and_targets():
    digits, marks = parse_sequence("3 1 *4 1, 5 *9 2")
    assert digits == [3, 1, 4, 1, 5, 9, 2]
    assert marks == [False, False, True, False, False, True, False]
    y = targets(torch.tensor(digits), torch.tensor(marks))
    assert y.tolist() == [NONE_CLASS, NONE_CLASS, 4, 4, 4, 9, 9]
    x = encode(torch.tensor(digits), torch.tensor(marks))
    assert x.shape == (7, 11) and x[2, 4] == 1 and x[2, 10] == 1 and x[0, 10] == 0 and x.sum() == 9


@pytest.mark.parametrize("text, key", [("", "seq_empty"), ("3 a 4", "seq_bad_char"), ("3 4 *", "seq_dangling_mark"),
                                       ("**3", "seq_bad_char"), ("1" * 61, "seq_too_long"),
                                       ("1" * 100_000, "seq_too_long")])
def test_parse_sequence_errors(text, key):
    with pytest.raises(StudioError) as err:
        parse_sequence(text)
    assert err.value.key == f"rnn_gates.{key}"


def test_training_learns_the_task_and_is_seeded():
    torch.set_num_threads(1)
    config = RecallConfig(cell="lstm", steps=250, hidden_size=12, seed=0)
    updates = list(train_steps(config, check_every=50))
    assert [u["step"] for u in updates] == [50, 100, 150, 200, 250] and updates[-1]["done"]
    assert updates[-1]["loss"] < updates[0]["loss"] / 5
    model = updates[-1]["model"]
    assert evaluate(model)["accuracy"] > 0.95
    again = list(train_steps(RecallConfig(cell="lstm", steps=50, hidden_size=12, seed=0), check_every=50))
    assert again[0]["loss"] == updates[0]["loss"]


def test_training_caps_and_bad_settings():
    with pytest.raises(StudioError) as err:
        next(train_steps(RecallConfig(lr=5.0)))
    assert err.value.key == "common.out_of_range" and err.value.params["field"] == "lr"
    with pytest.raises(StudioError):
        next(train_steps(RecallConfig(hidden_size=10_000)))
    fast = list(train_steps(RecallConfig(steps=5000, max_seconds=0.0), check_every=100))
    assert len(fast) == 1 and fast[0]["step"] == 1 and fast[0]["done"]


def test_trace_matches_model_forward_and_gates_open_at_marks():
    from core.checkpoint import load

    for cell in ("lstm", "gru"):
        model, info = load(f"weights/recall_{cell}")
        assert info["metrics"]["accuracy"] > 0.99
        digits, marks = parse_sequence("3 1 *4 1 5 9 2 *6 5 3 5 8")
        tr = trace(model, digits, marks)
        logits = model(encode(torch.tensor(digits), torch.tensor(marks))[None])[0]
        assert torch.allclose(tr["probs"], torch.softmax(logits, -1), atol=1e-5)
        assert tr["pred"].tolist() == tr["target"].tolist() == [10, 10, 4, 4, 4, 4, 4, 6, 6, 6, 6, 6]
        H = model.config.hidden_size
        assert all(v.shape == (H, 12) for v in tr["gates"].values())
        g = tr["gates"]
        marked, unmarked = torch.tensor(marks), ~torch.tensor(marks)
        write = g["i"] if cell == "lstm" else g["z"]      # the gate that lets a new value in
        assert write[:, marked].mean() > write[:, unmarked].mean() + 0.2


# ------------------------------------------------------------------- gradients
def test_gradient_norms_vanish_for_tanh_and_survive_with_gates():
    norms = gradient_norms(steps=40, hidden_size=16, gate_bias=2.0, seed=0)
    assert set(norms) == {"rnn_tanh", "rnn_relu", "lstm", "gru"}
    for v in norms.values():
        assert v.shape == (41,) and v[-1] == pytest.approx(4.0)    # d h_T / d h_T = I, ||I||_F = sqrt(16)
    assert norms["rnn_tanh"][0] < 1e-6
    assert norms["lstm"][0] > 1e3 * norms["rnn_tanh"][0]
    assert norms["gru"][0] > 1e3 * norms["rnn_tanh"][0]


def test_gradient_norm_is_the_jacobian_norm():
    """The batched VJPs equal torch.autograd.functional.jacobian of h_T w.r.t. h_{T-3}."""
    torch.manual_seed(0)
    layer = nn.RNN(8, 5).double()
    from core.rnn_gradients import _jacobian_norms
    xs = torch.randn(6, 1, 8, dtype=D64)
    norms = _jacobian_norms("rnn_tanh", layer, xs)

    def run_from(h):
        for x in xs[3:]:
            h = torch.tanh(h @ layer.weight_hh_l0.T + x @ layer.weight_ih_l0.T + layer.bias_ih_l0 + layer.bias_hh_l0)
        return h
    h3 = torch.zeros(1, 5, dtype=D64)
    for x in xs[:3]:
        h3 = torch.tanh(h3 @ layer.weight_hh_l0.T + x @ layer.weight_ih_l0.T + layer.bias_ih_l0 + layer.bias_hh_l0)
    J = torch.autograd.functional.jacobian(run_from, h3.detach())
    assert float(norms[3]) == pytest.approx(float(J.norm()), rel=1e-10)


def test_gradient_norms_bad_settings():
    with pytest.raises(StudioError) as err:
        gradient_norms(steps=100_000)
    assert err.value.params["field"] == "T" and err.value.params["high"] == 200


def test_gate_heatmap_draws_every_panel_and_marks():
    import numpy as np

    from core.checkpoint import load
    from core.rnn_plots import gate_heatmaps

    model, _ = load("weights/recall_lstm")
    labels = {g: f"gate {g}" for g in "ifgochzrn"} | {"pred": "output", "time": "step", "gates": "0-1", "values": "±1"}
    orange = np.array([255, 140, 0])
    counts = {}
    for text in ("3 1 *4 1 5", "3 1 4 1 5"):
        img = gate_heatmaps(trace(model, *parse_sequence(text)), labels, title="LSTM")
        assert img.dtype == np.uint8 and img.ndim == 3 and img.shape[2] == 3
        counts[text] = int((img == orange).all(axis=-1).sum())
    assert counts["3 1 4 1 5"] == 0 and counts["3 1 *4 1 5"] > 100   # dashed line + orange tokens
    long = gate_heatmaps(trace(model, *parse_sequence("1" * 60)), labels)
    assert long.shape[1] <= 160 + 60 * 16 + 400                      # width stays bounded
