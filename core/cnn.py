"""The studio's MNIST CNN (LeCun et al. 1998, in the modern conv-BN-ReLU-pool form of week 4).

Each block is conv 3x3 (padding 1) -> BatchNorm (Ioffe & Szegedy 2015) -> ReLU ->
MaxPool(2) -> Dropout; three blocks take 28x28 to 14, 7, 3 pixels, then Flatten -> Linear ->
ReLU -> Dropout -> Linear to 10 logits. Inputs are (N, 1, 28, 28) floats in [0, 1]; the model
normalises with MNIST's mean/std itself.

The "judge" (``judge``, ``probabilities``) is this network loaded from the committed
checkpoint ``weights/cnn/`` (retrain: ``python -m core.train cnn``); other tabs use it to
read digits (drawn sketches, VAE/DDPM samples). ``feature_maps`` and ``first_kernels`` feed
the CNN Filters tab.
"""
from __future__ import annotations

import dataclasses

import torch
import torch.nn.functional as F
from torch import nn

from core.train import TrainConfig

MNIST_MEAN, MNIST_STD = 0.1307, 0.3081


@dataclasses.dataclass
class CNNConfig(TrainConfig):
    """Architecture and training settings (stored in weights/cnn/config.json)."""

    channels: tuple[int, ...] = (16, 32, 64)   # output channels of the conv blocks
    hidden: int = 128                          # width of the hidden Linear layer
    dropout_conv: float = 0.1
    dropout_fc: float = 0.3
    epochs: int = 8
    batch_size: int = 128
    lr: float = 3e-3                           # peak of the one-cycle schedule (AdamW)
    weight_decay: float = 1e-4
    shift: int = 2                             # augmentation: random shift by up to this many px


class CNN(nn.Module):
    """(N, 1, 28, 28) float in [0, 1] -> (N, 10) logits."""

    def __init__(self, config: CNNConfig):
        super().__init__()
        self.config = config
        blocks, c_in, size = [], 1, 28
        for c_out in config.channels:
            blocks.append(nn.Sequential(
                nn.Conv2d(c_in, c_out, kernel_size=3, padding=1, bias=False),  # BN supplies the bias
                nn.BatchNorm2d(c_out),
                nn.ReLU(),
                nn.MaxPool2d(2),
                nn.Dropout(config.dropout_conv),
            ))
            c_in, size = c_out, size // 2
        self.blocks = nn.ModuleList(blocks)
        self.head = nn.Sequential(
            nn.Flatten(),
            nn.Linear(c_in * size * size, config.hidden),
            nn.ReLU(),
            nn.Dropout(config.dropout_fc),
            nn.Linear(config.hidden, 10),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = (x - MNIST_MEAN) / MNIST_STD      # (N, 1, 28, 28)
        for block in self.blocks:
            h = block(h)                      # (N, C, 14, 14), (N, C, 7, 7), (N, C, 3, 3)
        return self.head(h)                   # (N, 10)


def _check_images(images: torch.Tensor) -> None:
    if images.dim() != 4 or tuple(images.shape[1:]) != (1, 28, 28) or not images.is_floating_point():
        raise ValueError(f"expected float images (N, 1, 28, 28) in [0, 1]; got {images.dtype} {tuple(images.shape)}")


@torch.inference_mode()
def feature_maps(model: CNN, x: torch.Tensor) -> list[tuple[str, torch.Tensor]]:
    """Activations of every block for ``x`` (N, 1, 28, 28) in [0, 1], model in eval mode.

    Returns [("block1.relu", (N, C1, 28, 28)), ("block1.pool", (N, C1, 14, 14)),
    ("block2.relu", (N, C2, 14, 14)), ...]: after ReLU (before pooling) and after pooling.
    Raises ValueError for another input shape.
    """
    _check_images(x)
    h = (x.to(next(model.parameters()).device) - MNIST_MEAN) / MNIST_STD
    maps = []
    for i, block in enumerate(model.blocks, start=1):
        conv, bn, relu, pool, drop = block
        h = relu(bn(conv(h)))
        maps.append((f"block{i}.relu", h))
        h = drop(pool(h))
        maps.append((f"block{i}.pool", h))
    return maps


def first_kernels(model: CNN) -> torch.Tensor:
    """The first conv layer's kernels, (C1, 1, 3, 3), detached (the CNN Filters tab's grid)."""
    return model.blocks[0][0].weight.detach()


def judge_model() -> CNN:
    """The committed CNN (weights/cnn), loaded once on default_device(), eval mode."""
    from core.checkpoint import load_cached

    return load_cached("cnn")[0]


@torch.inference_mode()
def probabilities(images: torch.Tensor) -> torch.Tensor:
    """Softmax class probabilities (N, 10) of the committed CNN, on ``images.device``.

    images: float (N, 1, 28, 28) in [0, 1], white digit on black (like MNIST).
    Raises ValueError for another shape; StudioError("common.weights_missing") if the
    checkpoint is missing or damaged.
    """
    _check_images(images)
    model = judge_model()
    device = next(model.parameters()).device
    probs = [F.softmax(model(chunk.to(device, torch.float32)), dim=-1)
             for chunk in images.split(1024)] if len(images) else [torch.empty(0, 10, device=device)]
    return torch.cat(probs).to(images.device)


def judge(images: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Read digits: (labels int64 (N,), confidences float32 (N,) in [0, 1]) for images
    (N, 1, 28, 28) in [0, 1]. Confidence is the winning class's softmax probability."""
    conf, labels = probabilities(images).max(dim=-1)
    return labels, conf


# ---------------------------------------------------------------------------- training

def _shift(x: torch.Tensor, max_shift: int, gen: torch.Generator) -> torch.Tensor:
    """Translate each image of (N, 1, 28, 28) by its own random (dy, dx) in [-s, s] (zero fill)."""
    if max_shift <= 0:
        return x
    N, _, H, W = x.shape
    s = max_shift
    padded = F.pad(x, (s, s, s, s))                                   # (N, 1, H+2s, W+2s)
    dy, dx = (torch.randint(0, 2 * s + 1, (2, N), generator=gen)).to(x.device)
    rows = dy[:, None] + torch.arange(H, device=x.device)             # (N, H)
    cols = dx[:, None] + torch.arange(W, device=x.device)             # (N, W)
    n = torch.arange(N, device=x.device)[:, None, None]
    return padded[n, 0, rows[:, :, None], cols[:, None, :]].unsqueeze(1)


@torch.inference_mode()
def evaluate(model: nn.Module, images: torch.Tensor, labels: torch.Tensor, batch_size: int = 1000) -> dict:
    """Accuracy and mean cross-entropy of ``model`` on uint8 images (N, 28, 28), labels (N,)."""
    from core.data import to_float

    model.eval()
    device = next(model.parameters()).device
    correct, loss = 0, 0.0
    for xb, yb in zip(images.split(batch_size), labels.split(batch_size)):
        logits = model(to_float(xb).to(device))
        yb = yb.to(device)
        loss += F.cross_entropy(logits, yb, reduction="sum").item()
        correct += (logits.argmax(-1) == yb).sum().item()
    return {"accuracy": correct / len(labels), "loss": loss / len(labels)}


def train(config: CNNConfig, progress) -> tuple[CNN, dict]:
    """Train the CNN on MNIST train (AdamW, one-cycle LR, random shifts); evaluate on test.

    Registered in core.train as 'cnn'. Returns (model in eval mode, metrics with
    test_accuracy, test_loss, sample_accuracy on the committed 200-image sample,
    train_loss of the last epoch). ``config.tiny``: 3 batches and 512 test images.
    """
    from core.data import load_mnist, load_sample, to_float

    torch.manual_seed(config.seed)
    gen = torch.Generator().manual_seed(config.seed)
    device = torch.device(config.device)
    images, labels = load_mnist("train")
    test_x, test_y = load_mnist("test")
    if config.tiny:
        test_x, test_y = test_x[:512], test_y[:512]
    model = CNN(config).to(device)
    steps_per_epoch = 3 if config.tiny else (len(labels) + config.batch_size - 1) // config.batch_size
    epochs = 1 if config.tiny else config.epochs
    opt = torch.optim.AdamW(model.parameters(), lr=config.lr, weight_decay=config.weight_decay)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=config.lr, total_steps=epochs * steps_per_epoch)
    train_loss = float("nan")
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(len(labels), generator=gen)[: steps_per_epoch * config.batch_size]
        total, count = 0.0, 0
        bar = progress(order.split(config.batch_size), total=steps_per_epoch, desc=f"epoch {epoch + 1}/{epochs}")
        for idx in bar:
            x = _shift(to_float(images[idx]), config.shift, gen).to(device)   # (B, 1, 28, 28)
            y = labels[idx].to(device)                                         # (B,)
            loss = F.cross_entropy(model(x), y)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            sched.step()
            total, count = total + loss.item() * len(idx), count + len(idx)
            if hasattr(bar, "set_postfix"):
                bar.set_postfix(loss=f"{total / count:.4f}", refresh=False)
        train_loss = total / count
        if not config.tiny:
            print(f"epoch {epoch + 1}: train_loss {train_loss:.4f} "
                  f"test {evaluate(model, test_x, test_y)}", flush=True)
    test = evaluate(model, test_x, test_y)
    sample_x, sample_y = load_sample()
    sample = evaluate(model, sample_x, sample_y)
    model.eval()
    return model, {"test_accuracy": test["accuracy"], "test_loss": round(test["loss"], 5),
                   "test_images": len(test_y), "sample_accuracy": sample["accuracy"],
                   "train_loss": round(train_loss, 5)}
