"""RNN Gates tab through gradio_client: the worked example, cells, gates, training, gradients, bad input."""
import pytest
from gradio_client.exceptions import AppError

from demos.rnn_gates import DEFAULT_SEQUENCE, EXAMPLE

EX = (EXAMPLE["W"], EXAMPLE["U"], EXAMPLE["V"], EXAMPLE["h0"], EXAMPLE["xs"])


def test_rnn_step_reproduces_the_worked_example_and_flags_the_slip(client):
    md, numbers = client.predict(*EX, 4, "en", api_name="/rnn_step")
    assert numbers["shapes"] == {"H": 2, "D": 3, "K": 3, "T": 3}
    s1 = numbers["steps"][0]
    assert [round(v, 4) for v in s1["h"]] == [0.0937, 0.1342]
    assert [round(v, 4) for v in s1["o"]] == [-0.0081, -0.0089, 0.0118]
    assert [round(v, 4) for v in s1["y"]] == [0.3312, 0.3309, 0.3379]
    assert "`[0.0937, 0.1342]`" in md and "`[-0.0081, -0.0089, 0.0118]`" in md
    assert "0.006" in md and "slip" in md
    md_ko, _ = client.predict(*EX, 3, "ko", api_name="/rnn_step")
    assert "계산 실수" in md_ko and "`[0.331, 0.331, 0.338]`" in md_ko
    # edited input: not the curriculum any more, no note about the slide
    md2, numbers2 = client.predict(*EX[:4], "0, 1, 0", 4, "en", api_name="/rnn_step")
    assert "slip" not in md2 and len(numbers2["steps"]) == 1


def test_rnn_example_reloads_the_curriculum(client):
    assert tuple(client.predict("en", api_name="/rnn_example")) == EX


@pytest.mark.parametrize("args, lang, expected", [
    (("-0.011, 0.13\n-0.133, abc",) + EX[1:], "en", "W, row 2, column 2: 'abc' is not a number"),
    (EX[:1] + ("1, 2, 3\n4, 5, 6\n7, 8, 9",) + EX[2:], "en", "U has shape 3 x 3; expected H x D = 2 x D"),
    (EX[:2] + ("1, 2, 3",) + EX[3:], "en", "V has shape 1 x 3; expected K x H = K x 2"),
    (EX[:4] + ("1, 0\n0, 1",), "en", "x has shape 2 x 2; expected T x D = T x 3"),
    (EX[:4] + ("1, 0, 0\n" * 100_000,), "en", "100000 steps; the walk-through shows at most 50"),
    (EX[:3] + ("nan, 0",) + EX[4:], "ko", "h0, 1행 1열: 'nan'은(는) 유한한 숫자가 아닙니다"),
    (("1, 2, 3\n4, 5, 6",) + EX[1:], "ko", "W는 정사각 행렬이어야 합니다"),
])
def test_rnn_step_bad_input_names_the_expected_shape(client, args, lang, expected):
    with pytest.raises(AppError) as err:
        client.predict(*args, 4, lang, api_name="/rnn_step")
    assert expected in str(err.value)


@pytest.mark.parametrize("cell", ["lstm", "gru"])
def test_cell_check_matches_pytorch(client, cell):
    md, numbers = client.predict(cell, 3, 4, 0, "en", api_name="/cell_check")
    assert numbers["max_abs_diff"] < 1e-12
    assert numbers["h_ours"] == pytest.approx(numbers["h_torch"], abs=1e-12)
    assert f"nn.{cell.upper()}" in md
    if cell == "gru":
        assert numbers["z_torch"] == pytest.approx([1 - z for z in numbers["gates"]["z"]])
        assert "1 − z" in md


def test_lstm_gates_on_shipped_models(client):
    for cell in ("lstm", "gru"):
        image, summary = client.predict(DEFAULT_SEQUENCE, cell, "shipped", "en", api_name="/lstm_gates")
        assert image.endswith(".png")
        assert "20/20 steps right" in summary
        assert "output `- - 4 4 4 4 4 6 6 6 6 6 6 6 6 6 6 3 3 3`" in summary
    _, summary_ko = client.predict("*7 1 2", "lstm", "shipped", "ko", api_name="/lstm_gates")
    assert "출력 `7 7 7`" in summary_ko


@pytest.mark.parametrize("text, lang, expected", [
    ("3 x 4", "en", "Character 'x' at position 3 is not allowed"),
    ("3 4 *", "en", "ends with *"),
    ("1" * 100_000, "en", "at most 60 are accepted"),
    ("", "ko", "시퀀스가 비어 있습니다"),
])
def test_lstm_gates_bad_sequences(client, text, lang, expected):
    with pytest.raises(AppError) as err:
        client.predict(text, "lstm", "shipped", lang, api_name="/lstm_gates")
    assert expected in str(err.value)


def test_my_model_before_training_is_a_clear_error(client):
    with pytest.raises(AppError) as err:
        client.predict("1 *2 3", "gru", "mine", "en", api_name="/lstm_gates")
    assert "have not trained a GRU" in str(err.value)


def test_live_training_streams_and_is_kept_per_session(app_url):
    from gradio_client import Client

    c = Client(app_url, verbose=False)           # a session of its own
    job = c.submit("lstm", 60, 8, 0.01, 0, "3 *4 1 5", "en", api_name="/train_gates")
    curve, status, source, image, summary = job.result(timeout=120)
    assert curve.endswith(".png") and source == "mine"
    assert "Trained the LSTM (H = 8) for 60 steps" in status
    assert "**LSTM**, H = 8, 4 steps" in summary
    _, summary2 = c.predict("3 *4 1 5", "lstm", "mine", "en", api_name="/lstm_gates")
    assert summary2 == summary
    other = Client(app_url, verbose=False)       # another visitor has no trained model
    with pytest.raises(AppError):
        other.predict("3 *4 1 5", "lstm", "mine", "en", api_name="/lstm_gates")


@pytest.mark.parametrize("args, expected", [
    (("lstm", 100, 8, 50.0, 0), "lr must be between 1e-05 and 0.1"),
    (("lstm", 10**6, 8, 0.01, 0), "greater than maximum value 2000"),     # Gradio's slider check
    (("lstm", 100, 8, 0.01, -3), "seed must be between 0 and 2147483647"),
    (("gru", 100, 8, "abc", 0), "lr: 'abc' is not a number"),
])
def test_training_caps(client, args, expected):
    with pytest.raises(AppError) as err:
        client.predict(*args, "1 2", "en", api_name="/train_gates")
    assert expected in str(err.value)


def test_vanishing_gradients_through_the_api(client):
    image, table = client.predict(30, 16, 1.0, 2.0, 0, "en", api_name="/vanishing_gradients")
    assert image.endswith(".png")
    rows = {line.split("|")[1].strip(): float(line.split("|")[2]) for line in table.splitlines()[2:]}
    assert set(rows) == {"tanh RNN", "ReLU RNN", "LSTM", "GRU"}
    assert rows["tanh RNN"] < 1e-4 and rows["LSTM"] > 100 * rows["tanh RNN"]
    with pytest.raises(AppError) as err:
        client.predict(100_000, 16, 1.0, 1.0, 0, "ko", api_name="/vanishing_gradients")
    assert "greater than maximum value 200" in str(err.value)
    with pytest.raises(AppError) as err:
        client.predict(50, 16, 1.0, 1.0, "x", "ko", api_name="/vanishing_gradients")
    assert "seed: 'x'은(는) 숫자가 아닙니다" in str(err.value)
