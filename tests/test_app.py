"""The whole studio: it builds, launches, and answers through gradio_client."""
import pytest

import app
from demos import TABS

TAB_ORDER = ["tensor_ops", "optim_race", "cnn_filters", "rnn_gates", "attention", "vit", "vae", "ddpm"]


def test_tabs_follow_the_curriculum_order():
    assert TABS == [name for name in TAB_ORDER if name in TABS]
    assert TABS[0] == "tensor_ops"


def test_flags_parse(monkeypatch):
    seen = {}
    monkeypatch.setattr(app, "launch", lambda demo, **kw: seen.update(kw))
    monkeypatch.setattr(app, "build_app", lambda lang=None: seen.update(lang=lang))
    app.main(["--host", "0.0.0.0", "--port", "7999", "--lang", "ko", "--share"])
    assert seen == {"lang": "ko", "server_name": "0.0.0.0", "server_port": 7999, "share": True}


def test_every_event_has_an_api_name(app_url):
    from gradio_client import Client

    api = Client(app_url, verbose=False).view_api(print_info=False, return_format="dict")
    names = set(api["named_endpoints"])
    assert "/tensor_eval" in names
    assert not api["unnamed_endpoints"], api["unnamed_endpoints"].keys()


def test_tensor_eval_through_the_api(client):
    text, table, _, image = client.predict("t.float().mean(dim=0)", "auto", "en", api_name="/tensor_eval")
    assert "tensor([5.5000, 6.5000, 7.5000])" in text
    assert "(4, 3) → (3,)" in text
    assert table["data"][0][2] == "(3,)"
    assert image


def test_tensor_eval_hostile_input_gets_a_message_in_korean(client):
    from gradio_client.exceptions import AppError

    with pytest.raises(AppError) as err:
        client.predict("open('/etc/passwd').read()", "auto", "ko", api_name="/tensor_eval")
    assert "정의되지 않은 이름" in str(err.value)
    text = client.predict("t.shape", "auto", "en", api_name="/tensor_eval")[0]
    assert "torch.Size([4, 3])" in text  # the app still answers


def test_tensor_example_graph_and_batch(client):
    snippet, text, *_ = client.predict(5, "auto", "en", api_name="/tensor_example")
    assert "m1 + m2" in snippet and "tensor([[4., 5.]])" in text
    code = client.predict("x = torch.zeros(3)\ny = x.clone()\ny.add_(1)", "auto", "en", api_name="/tensor_graph")
    assert "aten.add.Tensor(clone, 1)" in code
    assert "**200**" in client.predict(640, 32, 10, False, "en", api_name="/batch_math")
