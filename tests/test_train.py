"""core.train: the entry point trains a tiny configuration end to end and the result loads."""
import dataclasses
import json
import math

import pytest
import torch

from core import checkpoint, train
from core.cnn import CNN


def test_tiny_cnn_end_to_end(tmp_path):
    out = tmp_path / "cnn"
    assert train.main(["cnn", "--tiny", "--seed", "3", "--batch-size", "32", "--out", str(out),
                       "--device", "cpu", "--set", "hidden=16", "--set", "channels=[4,8,8]"]) == 0
    info = json.loads((out / "config.json").read_text())
    assert info["config"]["tiny"] is True and info["seed"] == 3
    assert info["config"]["batch_size"] == 32 and info["config"]["channels"] == [4, 8, 8]
    assert 0 <= info["metrics"]["test_accuracy"] <= 1 and info["metrics"]["device"] == "cpu"
    assert "train_seconds" in info["metrics"] and "MNIST" in info["data"]
    model, _ = checkpoint.load(out)
    assert isinstance(model, CNN)
    assert model(torch.rand(2, 1, 28, 28)).shape == (2, 10)


def test_make_config_overrides_and_errors():
    config = train.make_config("cnn", {"epochs": "2", "lr": "0.01", "tiny": "true"})
    assert (config.epochs, config.lr, config.tiny) == (2, 0.01, True)
    with pytest.raises(ValueError, match="unknown model"):
        train.make_config("resnet")
    with pytest.raises(ValueError, match="no field"):
        train.make_config("cnn", {"layers": 3})


def test_registry_entries_resolve():
    for name, recipe in train.RECIPES.items():
        assert issubclass(train._resolve(recipe.config), train.TrainConfig), name
        assert callable(train._resolve(recipe.train)), name


def test_tiny_ddpm_continues_from_a_checkpoint(tmp_path):
    first, second = tmp_path / "a", tmp_path / "b"
    small = ["--device", "cpu", "--batch-size", "4", "--set", "channels=[8,8,8]", "--set", "eval_samples=2"]
    assert train.main(["ddpm", "--tiny", "--out", str(first), *small]) == 0
    assert train.main(["ddpm", "--tiny", "--out", str(second), *small, "--set", f"init_from={first}"]) == 0
    info = json.loads((second / "config.json").read_text())
    assert info["config"]["init_from"] == str(first) and info["metrics"]["previous_steps"] == 3


def test_ddpm_learning_rate_warms_up_then_decays_by_steps_or_clock():
    from core.ddpm_unet import DDPMConfig, learning_rate

    flat = DDPMConfig(lr=1e-3, warmup_steps=10, max_steps=100, max_minutes=10.0)
    assert learning_rate(flat, 5, 0.0) == pytest.approx(5e-4)
    assert learning_rate(flat, 100, 1e6) == pytest.approx(1e-3)
    cosine = dataclasses.replace(flat, lr_decay="cosine")
    assert learning_rate(cosine, 5, 0.0) == pytest.approx(5e-4 * 0.5 * (1 + math.cos(math.pi * 0.05)))
    assert learning_rate(cosine, 50, 0.0) == pytest.approx(5e-4)          # half-way by steps
    assert learning_rate(cosine, 20, 300.0) == pytest.approx(5e-4)        # half-way by the clock
    assert learning_rate(cosine, 100, 0.0) == pytest.approx(0.0, abs=1e-15)
    with pytest.raises(ValueError, match="lr_decay"):
        learning_rate(dataclasses.replace(flat, lr_decay="step"), 20, 0.0)
