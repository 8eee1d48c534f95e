"""core.checkpoint: round trip, allowlist, clear errors for missing or damaged files."""
import json

import pytest
import torch

from core import checkpoint
from core.cnn import CNN, CNNConfig
from core.errors import StudioError


@pytest.fixture
def saved(tmp_path):
    torch.manual_seed(0)
    config = CNNConfig(channels=(4, 8, 8), hidden=16, epochs=3, seed=7)
    model = CNN(config).eval()
    with torch.no_grad():  # non-trivial BatchNorm statistics must survive too
        model.blocks[0][1].running_mean.uniform_(-1, 1)
    folder = checkpoint.save(tmp_path / "tinycnn", model, config, {"test_accuracy": 0.5}, "random")
    return folder, model, config


def test_round_trip(saved):
    folder, model, config = saved
    x = torch.rand(5, 1, 28, 28)
    loaded, info = checkpoint.load(folder)
    assert type(loaded) is CNN and not loaded.training
    assert torch.equal(loaded(x), model(x))
    assert info["config_obj"].hidden == 16 and list(info["config_obj"].channels) == [4, 8, 8]
    assert info["model"] == "core.cnn.CNN" and info["config_class"] == "core.cnn.CNNConfig"
    assert info["epochs"] == 3 and info["seed"] == 7 and info["data"] == "random"
    assert info["metrics"] == {"test_accuracy": 0.5}
    assert info["parameters"] == sum(p.numel() for p in model.parameters())
    assert set(info["versions"]) == {"torch", "python"} and info["date"]


def _expect_clear_error(folder, fragment):
    with pytest.raises(StudioError) as err:
        checkpoint.load(folder)
    assert err.value.key == "common.weights_missing"
    assert err.value.params["model"] == "tinycnn"
    assert fragment in err.value.params["detail"]


def test_missing_weights(saved):
    folder = saved[0]
    (folder / "model.safetensors").unlink()
    _expect_clear_error(folder, "model.safetensors")


def test_missing_config(saved):
    folder = saved[0]
    (folder / "config.json").unlink()
    _expect_clear_error(folder, "config.json")


def test_damaged_json(saved):
    folder = saved[0]
    (folder / "config.json").write_text('{"model": "core.cnn.CNN", ')
    _expect_clear_error(folder, "config.json")


def test_damaged_safetensors(saved):
    folder = saved[0]
    path = folder / "model.safetensors"
    path.write_bytes(path.read_bytes()[:200])
    _expect_clear_error(folder, "model.safetensors")


def test_tensors_that_do_not_match(saved):
    folder = saved[0]
    info = json.loads((folder / "config.json").read_text())
    info["config"]["hidden"] = 32
    (folder / "config.json").write_text(json.dumps(info))
    _expect_clear_error(folder, "model.safetensors")


@pytest.mark.parametrize("path", ["os.system", "builtins.eval", "torch.nn.Linear"])
def test_only_core_classes_are_imported(saved, path):
    folder = saved[0]
    info = json.loads((folder / "config.json").read_text())
    info["model"] = path
    (folder / "config.json").write_text(json.dumps(info))
    _expect_clear_error(folder, "refusing to import")


def test_unknown_config_field(saved):
    folder = saved[0]
    info = json.loads((folder / "config.json").read_text())
    info["config"]["layers"] = 5
    (folder / "config.json").write_text(json.dumps(info))
    _expect_clear_error(folder, "config.json")
