"""Checkpoints: ``weights/<model>/model.safetensors`` + ``config.json``, nothing pickled.

``config.json`` records everything needed to rebuild and to trust a model:

    {"model": "core.cnn.CNN",               # dotted class path, built as Model(config)
     "config_class": "core.cnn.CNNConfig",  # a dataclass
     "config": {...its fields...},
     "data": "...", "epochs": 6, "seed": 0, "metrics": {"test_accuracy": 0.99, ...},
     "parameters": 123456, "versions": {"torch": "...", "python": "..."}, "date": "..."}

``load`` imports only classes whose dotted path starts with ``core.`` (an allowlist), reads
tensors with safetensors (no pickle, unlike ``torch.load``) and fails with
``StudioError("common.weights_missing", model=..., detail=...)`` when a file is missing,
the JSON is damaged or the tensors do not match the model. The app uses ``load_cached``.
"""
from __future__ import annotations

import dataclasses
import datetime
import functools
import importlib
import json
import pathlib
import platform

import torch
from torch import nn

from core.device import default_device
from core.errors import StudioError

ROOT = pathlib.Path(__file__).resolve().parents[1]
WEIGHTS_DIR = ROOT / "weights"
MODEL_FILE = "model.safetensors"
CONFIG_FILE = "config.json"
ALLOWED_PREFIX = "core."


def _dotted(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


def parameter_count(model: nn.Module) -> int:
    """Number of trainable and frozen parameters (buffers such as BatchNorm statistics excluded)."""
    return sum(p.numel() for p in model.parameters())


def save(folder: str | pathlib.Path, model: nn.Module, config, metrics: dict,
         data: str | dict) -> pathlib.Path:
    """Write ``folder/model.safetensors`` and ``folder/config.json``; return the folder.

    model: an nn.Module built as ``type(model)(config)``, its class defined under ``core.``.
    config: a dataclass instance (its fields must be JSON-serialisable); ``epochs`` and
    ``seed`` are copied from it when present. metrics: final evaluation, JSON-serialisable.
    data: description of the training/evaluation data. Raises ValueError if config is not a
    dataclass or a class lives outside ``core.``.
    """
    if not dataclasses.is_dataclass(config) or isinstance(config, type):
        raise ValueError(f"config must be a dataclass instance; got {type(config).__name__}")
    for cls in (type(model), type(config)):
        if not _dotted(cls).startswith(ALLOWED_PREFIX):
            raise ValueError(f"{_dotted(cls)} is not under {ALLOWED_PREFIX!r}; load() would refuse it")
    from safetensors.torch import save_model

    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    save_model(model, str(folder / MODEL_FILE), metadata={"model": _dotted(type(model))})
    info = {
        "model": _dotted(type(model)),
        "config_class": _dotted(type(config)),
        "config": dataclasses.asdict(config),
        "data": data,
        "epochs": getattr(config, "epochs", None),
        "seed": getattr(config, "seed", None),
        "metrics": metrics,
        "parameters": parameter_count(model),
        "versions": {"torch": torch.__version__, "python": platform.python_version()},
        "date": datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds"),
    }
    (folder / CONFIG_FILE).write_text(json.dumps(info, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return folder


def _import_allowed(path: str) -> type:
    """Import a class from a dotted path under ``core.``; raise ValueError otherwise."""
    if not isinstance(path, str) or not path.startswith(ALLOWED_PREFIX):
        raise ValueError(f"refusing to import {path!r}: only classes under {ALLOWED_PREFIX!r} are allowed")
    module_name, _, name = path.rpartition(".")
    obj = getattr(importlib.import_module(module_name), name)
    if not isinstance(obj, type):
        raise ValueError(f"{path} is not a class")
    return obj


def read_info(folder: str | pathlib.Path) -> dict:
    """The parsed config.json of a checkpoint folder (raises StudioError like ``load``)."""
    folder = pathlib.Path(folder)
    try:
        return json.loads((folder / CONFIG_FILE).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise StudioError("common.weights_missing", model=folder.name,
                          detail=f"{CONFIG_FILE}: {type(exc).__name__}: {exc}") from exc


def load(folder: str | pathlib.Path, device: str | torch.device | None = None) -> tuple[nn.Module, dict]:
    """Rebuild a model from ``folder/config.json`` and load ``folder/model.safetensors``.

    Returns (model in eval mode on ``device`` (default: CPU), the config.json dict with the
    rebuilt dataclass under ``"config_obj"``). Raises StudioError("common.weights_missing",
    model=<folder name>, detail=...) for a missing file, damaged JSON, a class outside
    ``core.``, config fields that do not fit, or tensors that do not match the model.
    """
    folder = pathlib.Path(folder)
    name = folder.name
    device = torch.device(device) if device is not None else torch.device("cpu")
    info = read_info(folder)
    try:
        config_cls = _import_allowed(info["config_class"])
        if not dataclasses.is_dataclass(config_cls):
            raise ValueError(f"{info['config_class']} is not a dataclass")
        config = config_cls(**info["config"])
        model = _import_allowed(info["model"])(config)
    except Exception as exc:  # KeyError, ImportError, TypeError, ValueError, ...
        raise StudioError("common.weights_missing", model=name,
                          detail=f"{CONFIG_FILE}: {type(exc).__name__}: {exc}") from exc
    path = folder / MODEL_FILE
    if not path.is_file():
        raise StudioError("common.weights_missing", model=name, detail=f"{MODEL_FILE} not found")
    from safetensors.torch import load_model

    try:
        load_model(model, str(path), strict=True, device=str(device))
    except Exception as exc:  # SafetensorError (damaged file), RuntimeError (shape/key mismatch)
        raise StudioError("common.weights_missing", model=name,
                          detail=f"{MODEL_FILE}: {type(exc).__name__}: {str(exc)[:300]}") from exc
    model.to(device).eval()
    info["config_obj"] = config
    return model, info


@functools.cache
def load_cached(name: str) -> tuple[nn.Module, dict]:
    """``load(weights/<name>, default_device())``, once per process, for the app.

    The model is shared between visitors: treat it as read-only (eval mode, no training).
    """
    return load(WEIGHTS_DIR / name, device=default_device())
