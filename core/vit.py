"""A small Vision Transformer for MNIST (Dosovitskiy et al. 2021, "An Image Is Worth 16x16 Words").

The model is transformers' ``ViTForImageClassification`` (pre-LN encoder, GELU MLP, a class
token, learned position embeddings) wrapped in ``MnistViT`` so the studio's checkpoints can
name a ``core.*`` class. Eq. (1)-(4) of the paper, with this file's defaults:

    z_0  = [x_class; x_p^1 E; ...; x_p^N E] + E_pos    E: (P^2 C, D) = (49, 64), E_pos: (17, 64)
    z'_l = MSA(LN(z_{l-1})) + z_{l-1}                   l = 1..4, 4 heads of 16 dims
    z_l  = MLP(LN(z'_l)) + z'_l                         MLP 64 -> 128 -> GELU -> 64
    y    = LN(z_L^0) W_head                             the class token's final state -> 10 logits

``train(config, progress)`` fits it on MNIST (``python -m core.train vit``); ``run`` gives the
logits and every layer's attention weights for the views in demos/vit.py.
"""
from __future__ import annotations

import dataclasses
import functools
import math
import os
import threading

import torch
import torch.nn.functional as F
from torch import nn

from core.errors import StudioError
from core.train import TrainConfig


@dataclasses.dataclass
class ViTConfig(TrainConfig):
    """Architecture and training settings (stored in weights/vit/config.json)."""

    image_size: int = 28
    patch_size: int = 7            # 28 / 7 = 4 x 4 = 16 patches, plus the class token: T = 17
    hidden_size: int = 64          # D
    num_layers: int = 4            # L
    num_heads: int = 4
    mlp_size: int = 128
    num_classes: int = 10
    epochs: int = 15
    batch_size: int = 128
    lr: float = 2e-3               # peak of warm-up + cosine (AdamW)
    weight_decay: float = 0.05
    warmup_epochs: float = 1.0
    augment: bool = True           # random rotation +-10 deg, scale 0.9-1.1, shift +-2 px


class MnistViT(nn.Module):
    """transformers' ViTForImageClassification sized for 28x28 grey digits.

    forward(images (B, 1, 28, 28) in [0, 1]) -> logits (B, 10). Pixels are normalised with
    MNIST's mean/std inside the model so callers pass plain [0, 1] images.
    ``self.hf`` is the transformers model (attentions, position embeddings, ...).
    Raises ValueError when the patch size does not divide the image size.
    """

    MEAN, STD = 0.1307, 0.3081

    def __init__(self, config: ViTConfig):
        super().__init__()
        from transformers import ViTConfig as HFViTConfig, ViTForImageClassification

        if config.image_size % config.patch_size:
            raise ValueError(f"patch size {config.patch_size} does not divide image size {config.image_size}")
        self.config = config
        hf_config = HFViTConfig(
            image_size=config.image_size, patch_size=config.patch_size, num_channels=1,
            hidden_size=config.hidden_size, num_hidden_layers=config.num_layers,
            num_attention_heads=config.num_heads, intermediate_size=config.mlp_size,
            num_labels=config.num_classes, hidden_act="gelu", hidden_dropout_prob=0.0,
            attention_probs_dropout_prob=0.0)
        hf_config._attn_implementation = "eager"  # eager returns the softmax weights we show
        self.hf = ViTForImageClassification(hf_config)

    def normalize(self, images: torch.Tensor) -> torch.Tensor:
        return (images - self.MEAN) / self.STD

    def forward(self, images: torch.Tensor) -> torch.Tensor:
        return self.hf(pixel_values=self.normalize(images)).logits

    @property
    def position_embeddings(self) -> torch.Tensor:
        """E_pos: (N + 1, D), row 0 belongs to the class token."""
        return self.hf.vit.embeddings.position_embeddings[0]


@torch.no_grad()
def run(model: nn.Module, images: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """Logits and attention weights of a ViT.

    model: MnistViT (images (B, 1, 28, 28) in [0, 1]) or a transformers ViTForImageClassification
    (images already normalised for it). Returns (logits (B, classes), attn (L, B, H, T, T))
    where T = N + 1 and row/column 0 is the class token; each attn row sums to 1.
    """
    hf = model.hf if isinstance(model, MnistViT) else model
    pixels = model.normalize(images) if isinstance(model, MnistViT) else images
    previous = hf.config._attn_implementation
    hf.config._attn_implementation = "eager"  # sdpa/flash kernels do not return the weights
    try:
        out = hf(pixel_values=pixels, output_attentions=True)
    finally:
        hf.config._attn_implementation = previous
    return out.logits, torch.stack(out.attentions)


_LOAD_LOCK = threading.Lock()  # concurrent first requests load (and import transformers) once


def committed() -> MnistViT:
    """The studio's trained ViT (weights/vit), loaded once; read-only, shared by visitors."""
    from core.checkpoint import load_cached

    with _LOAD_LOCK:
        return load_cached("vit")[0]


HUB_MODEL = "google/vit-base-patch16-224"
HUB_ENV = "DEEP_STUDIO_VIT_HUB"          # another model id or a local folder
DOWNLOAD_ENV = "DEEP_STUDIO_ALLOW_DOWNLOAD"  # "1": the hub model may be downloaded once


def hub_name() -> str:
    return os.environ.get(HUB_ENV, "").strip() or HUB_MODEL


def load_hub(name: str):
    """``_load_hub`` once per name, one loader at a time."""
    with _LOAD_LOCK:
        return _load_hub(name)


@functools.cache
def _load_hub(name: str):
    """A pretrained transformers ViT from the local Hugging Face cache (or a local folder).

    Nothing is downloaded unless $DEEP_STUDIO_ALLOW_DOWNLOAD=1. Returns (model in eval mode
    with eager attention, mean (3,), std (3,), image size). Raises StudioError 'vit.hub_offline'
    when the weights are not available here.
    """
    from transformers import ViTForImageClassification

    local_only = os.environ.get(DOWNLOAD_ENV) != "1"
    try:
        model = ViTForImageClassification.from_pretrained(name, local_files_only=local_only,
                                                          attn_implementation="eager")
    except Exception as exc:  # OSError (not cached), ValueError, ... : a clear message instead
        raise StudioError("vit.hub_offline", model=name, detail=type(exc).__name__) from None
    mean, std = torch.full((3,), 0.5), torch.full((3,), 0.5)  # ViT-Base's image processor
    try:
        from transformers import AutoImageProcessor

        proc = AutoImageProcessor.from_pretrained(name, local_files_only=True)
        mean, std = torch.tensor(proc.image_mean), torch.tensor(proc.image_std)
    except Exception:  # noqa: BLE001 - processor config absent: keep ViT's 0.5 / 0.5
        pass
    size = model.config.image_size
    return model.eval(), mean, std, size if isinstance(size, int) else size[0]


@torch.no_grad()
def judge(model: MnistViT, images: torch.Tensor, batch: int = 500) -> tuple[torch.Tensor, torch.Tensor]:
    """images (N, 1, 28, 28) in [0, 1] -> (labels int64 (N,), confidences float (N,))."""
    model.eval()
    probs = torch.cat([model(images[i:i + batch]).softmax(-1) for i in range(0, len(images), batch)])
    conf, labels = probs.max(-1)
    return labels, conf


def augment(images: torch.Tensor, generator: torch.Generator) -> torch.Tensor:
    """Random rotation (+-10 deg), scale (0.9-1.1) and shift (+-2 px) per image; (B, 1, H, W)."""
    B, _, H, W = images.shape
    angle = (torch.rand(B, generator=generator) * 2 - 1) * math.radians(10)
    scale = 0.9 + 0.2 * torch.rand(B, generator=generator)
    shift = (torch.rand(B, 2, generator=generator) * 2 - 1) * (2 * 2 / H)  # 2 px in [-1, 1] units
    cos, sin = torch.cos(angle) / scale, torch.sin(angle) / scale
    theta = torch.stack([torch.stack([cos, -sin, shift[:, 0]], 1), torch.stack([sin, cos, shift[:, 1]], 1)], 1)
    grid = F.affine_grid(theta, list(images.shape), align_corners=False)
    return F.grid_sample(images, grid, align_corners=False, padding_mode="zeros")


def lr_at(step: int, total: int, warmup: int, peak: float) -> float:
    """Linear warm-up to ``peak`` over ``warmup`` steps, then cosine decay to 0."""
    if step < warmup:
        return peak * (step + 1) / warmup
    return 0.5 * peak * (1 + math.cos(math.pi * (step - warmup) / max(1, total - warmup)))


def train(config: ViTConfig, progress) -> tuple[MnistViT, dict]:
    """Train MnistViT on MNIST's 60,000 training digits; evaluate on the 10,000 test digits.

    Registered in core.train as 'vit'. progress: tqdm-like ``progress(iterable, total=, desc=)``.
    AdamW (no decay on biases, norms, class token, position embeddings), linear warm-up then
    cosine decay, random affine augmentation, all seeded by ``config.seed``. ``config.tiny``:
    3 batches and 512 test images. Returns (model in eval mode, metrics with test_accuracy,
    sample_accuracy on the committed 200-image sample, per-epoch history).
    """
    from core.data import load_mnist, load_sample, to_float

    torch.manual_seed(config.seed)
    gen = torch.Generator().manual_seed(config.seed)
    device = torch.device(config.device)
    model = MnistViT(config).to(device)
    model.hf.config._attn_implementation = "sdpa"  # faster for training; run() switches to eager
    x_train, y_train = load_mnist("train")
    x_test, y_test = load_mnist("test")
    if config.tiny:
        x_test, y_test = x_test[:512], y_test[:512]
    decay = [p for n, p in model.named_parameters() if p.dim() >= 2 and "position" not in n and "cls" not in n]
    no_decay = [p for p in model.parameters() if not any(p is q for q in decay)]
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": config.weight_decay},
                             {"params": no_decay, "weight_decay": 0.0}], lr=config.lr)
    steps_per_epoch = 3 if config.tiny else math.ceil(len(y_train) / config.batch_size)
    epochs = 1 if config.tiny else config.epochs
    total, warmup = steps_per_epoch * epochs, int(steps_per_epoch * config.warmup_epochs)
    step, history = 0, []
    for epoch in range(epochs):
        model.train()
        order = torch.randperm(len(y_train), generator=gen)[: steps_per_epoch * config.batch_size]
        loss_sum, correct, count = 0.0, 0, 0
        bar = progress(order.split(config.batch_size), total=steps_per_epoch, desc=f"epoch {epoch + 1}/{epochs}")
        for idx in bar:
            xb = to_float(x_train[idx])                                        # (B, 1, 28, 28)
            if config.augment:
                xb = augment(xb, gen)
            xb, yb = xb.to(device), y_train[idx].to(device)
            for group in opt.param_groups:
                group["lr"] = lr_at(step, total, warmup, config.lr)
            logits = model(xb)
            loss = F.cross_entropy(logits, yb)
            opt.zero_grad(set_to_none=True)
            loss.backward()
            torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            opt.step()
            step += 1
            loss_sum, count = loss_sum + loss.item() * len(idx), count + len(idx)
            correct += (logits.argmax(-1) == yb).sum().item()
        pred, _ = judge(model, to_float(x_test).to(device))
        history.append({"epoch": epoch + 1, "train_loss": round(loss_sum / count, 5),
                        "train_accuracy": round(correct / count, 5),
                        "test_accuracy": round((pred.cpu() == y_test).float().mean().item(), 5)})
        if not config.tiny:
            print(history[-1], flush=True)
    sample_x, sample_y = load_sample()
    sample_pred, _ = judge(model, to_float(sample_x).to(device))
    model.eval()
    model.hf.config._attn_implementation = "eager"
    return model, {"test_accuracy": history[-1]["test_accuracy"], "test_images": len(y_test),
                   "sample_accuracy": (sample_pred.cpu() == sample_y).float().mean().item(),
                   "history": history}
