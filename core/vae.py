"""Variational autoencoder (Kingma & Welling 2014, "Auto-Encoding Variational Bayes").

An MLP encoder q(z|x) = N(mu(x), diag(sigma(x)^2)) and an MLP decoder p(x|z) = Bernoulli(
sigmoid(logits(z))) over the 784 pixels of an MNIST digit, prior p(z) = N(0, I).

The three steps the studio shows, with their equations:
1. encode:            mu, log sigma^2 = encoder(x)
2. reparameterize:    z = mu + sigma * eps,  eps ~ N(0, I)          (Kingma & Welling, eq. 10)
3. decode + loss:     loss = recon + KL = -ELBO                      (eq. 10, appendix B)
   recon = -sum_pixels [x log p + (1 - x) log(1 - p)]  (binary cross-entropy, summed per image)
   KL    = KL(N(mu, sigma^2) || N(0, I)) = 1/2 sum_j (mu_j^2 + sigma_j^2 - 1 - log sigma_j^2)

Training (``train(config, progress)``) is run by ``python -m core.train vae`` (2-D latent,
the one the map shows) or ``vae16`` (16-D); the checkpoint ships the test set's latent means
so the app never needs the full dataset. Latent-space walks live in core/vae_latent.py.
"""
from __future__ import annotations

import dataclasses
import functools
import math
import pathlib

import torch
import torch.nn.functional as F
from torch import nn

from core.errors import StudioError
from core.train import TrainConfig

IMAGE_SIDE = 28
N_PIXELS = IMAGE_SIDE * IMAGE_SIDE


@dataclasses.dataclass
class VAEConfig(TrainConfig):
    """Architecture and training recipe, saved next to the weights (config.json)."""

    latent_dim: int = 2
    hidden: tuple[int, ...] = (512, 256)
    epochs: int = 30
    batch_size: int = 128
    lr: float = 1e-3


@dataclasses.dataclass
class VAE16Config(VAEConfig):
    """The larger latent (16-D): sharper digits, no longer a map on screen."""

    latent_dim: int = 16


class VAE(nn.Module):
    """784 -> hidden -> (mu, logvar) in R^d  |  d -> reversed(hidden) -> 784 logits."""

    def __init__(self, config: VAEConfig):
        super().__init__()
        self.config = config
        sizes = [N_PIXELS, *config.hidden]
        enc = []
        for a, b in zip(sizes[:-1], sizes[1:]):
            enc += [nn.Linear(a, b), nn.ReLU()]
        self.encoder = nn.Sequential(*enc)
        self.to_mu = nn.Linear(sizes[-1], config.latent_dim)
        self.to_logvar = nn.Linear(sizes[-1], config.latent_dim)
        dec_sizes = [config.latent_dim, *reversed(config.hidden)]
        dec = []
        for a, b in zip(dec_sizes[:-1], dec_sizes[1:]):
            dec += [nn.Linear(a, b), nn.ReLU()]
        dec.append(nn.Linear(dec_sizes[-1], N_PIXELS))
        self.decoder = nn.Sequential(*dec)

    @property
    def latent_dim(self) -> int:
        return self.config.latent_dim

    def encode(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """x: (B, 1, 28, 28) in [0, 1] -> mu (B, d), logvar = log sigma^2 (B, d)."""
        h = self.encoder(x.flatten(1))  # (B, hidden[-1])
        return self.to_mu(h), self.to_logvar(h)

    def decode_logits(self, z: torch.Tensor) -> torch.Tensor:
        """z: (B, d) -> Bernoulli logits (B, 1, 28, 28)."""
        return self.decoder(z).view(-1, 1, IMAGE_SIDE, IMAGE_SIDE)

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """z: (B, d) -> pixel means p = sigmoid(logits), (B, 1, 28, 28) in [0, 1]."""
        return torch.sigmoid(self.decode_logits(z))

    def forward(self, x: torch.Tensor, eps: torch.Tensor) -> dict[str, torch.Tensor]:
        """One pass with given noise eps (B, d): every intermediate the tab shows."""
        mu, logvar = self.encode(x)
        z = reparameterize(mu, logvar, eps)
        logits = self.decode_logits(z)
        recon, kl = loss_terms(x, logits, mu, logvar)
        return {"mu": mu, "logvar": logvar, "sigma": torch.exp(0.5 * logvar), "eps": eps, "z": z,
                "logits": logits, "recon": recon, "kl": kl}


def reparameterize(mu: torch.Tensor, logvar: torch.Tensor, eps: torch.Tensor) -> torch.Tensor:
    """z = mu + sigma * eps with sigma = exp(logvar / 2). All (B, d); eps ~ N(0, I) is given
    explicitly so the sample is reproducible and gradients flow through mu and sigma only."""
    return mu + torch.exp(0.5 * logvar) * eps


def sample_eps(shape: tuple[int, ...], seed: int, device: torch.device | str = "cpu") -> torch.Tensor:
    """Standard normal noise of ``shape`` from a generator seeded with ``seed`` (drawn on CPU,
    so the same seed gives the same numbers on every device)."""
    g = torch.Generator().manual_seed(int(seed))
    return torch.randn(shape, generator=g).to(device)


def loss_terms(x: torch.Tensor, logits: torch.Tensor, mu: torch.Tensor,
               logvar: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
    """The two terms of -ELBO per image, in nats: (recon (B,), kl (B,)).

    recon: binary cross-entropy between x (B, 1, 28, 28) in [0, 1] and p = sigmoid(logits),
    summed over the 784 pixels. kl: KL(N(mu, sigma^2) || N(0, I)) in closed form, summed
    over the d latent dimensions (Kingma & Welling, appendix B).
    """
    recon = F.binary_cross_entropy_with_logits(logits, x, reduction="none").flatten(1).sum(1)
    kl = 0.5 * (mu.pow(2) + logvar.exp() - 1.0 - logvar).sum(1)
    return recon, kl


@torch.no_grad()
def encode_means(model: VAE, images: torch.Tensor, batch: int = 1000) -> torch.Tensor:
    """Latent means mu (N, d) of images (N, 1, 28, 28) in [0, 1], in batches."""
    model.eval()
    device = next(model.parameters()).device
    return torch.cat([model.encode(images[i:i + batch].to(device))[0].cpu()
                      for i in range(0, len(images), batch)])


@torch.no_grad()
def evaluate(model: VAE, images: torch.Tensor, seed: int = 0, batch: int = 1000) -> dict[str, float]:
    """Mean recon, KL and -ELBO (nats per image) over images (N, 1, 28, 28), one eps draw
    per image from ``seed``."""
    model.eval()
    device = next(model.parameters()).device
    eps_all = sample_eps((len(images), model.latent_dim), seed)
    recon_sum = kl_sum = 0.0
    for i in range(0, len(images), batch):
        out = model(images[i:i + batch].to(device), eps_all[i:i + batch].to(device))
        recon_sum += out["recon"].sum().item()
        kl_sum += out["kl"].sum().item()
    n = len(images)
    return {"recon": recon_sum / n, "kl": kl_sum / n, "neg_elbo": (recon_sum + kl_sum) / n}


def train(config: VAEConfig, progress) -> tuple[VAE, dict]:
    """Train on MNIST train (60,000) with Adam, minimising the mean -ELBO per image.

    Registered in core.train as 'vae' (2-D) and 'vae16'. Init, shuffling and eps all come
    from config.seed. ``progress(iterable, total=, desc=)`` wraps each epoch's batches.
    config.tiny: 3 batches, 512 test images. Returns (model in eval mode, metrics: test
    recon / KL / -ELBO in nats per image, and the last epoch's training means).
    """
    from core.data import load_mnist, to_float

    torch.manual_seed(config.seed)
    g = torch.Generator().manual_seed(config.seed)
    device = torch.device(config.device)
    images = to_float(load_mnist("train")[0])                 # (60000, 1, 28, 28)
    test = to_float(load_mnist("test")[0])
    if config.tiny:
        test = test[:512]
    model = VAE(config).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=config.lr)
    steps = 3 if config.tiny else math.ceil(len(images) / config.batch_size)
    epochs = 1 if config.tiny else config.epochs
    row = {}
    for epoch in range(1, epochs + 1):
        model.train()
        order = torch.randperm(len(images), generator=g)[: steps * config.batch_size]
        recon_sum = kl_sum = 0.0
        bar = progress(order.split(config.batch_size), total=steps, desc=f"epoch {epoch}/{epochs}")
        for idx in bar:
            x = images[idx].to(device)                                    # (B, 1, 28, 28)
            eps = torch.randn((len(idx), config.latent_dim), generator=g).to(device)
            out = model(x, eps)
            loss = (out["recon"] + out["kl"]).mean()                      # -ELBO per image
            opt.zero_grad(set_to_none=True)
            loss.backward()
            opt.step()
            recon_sum += out["recon"].sum().item()
            kl_sum += out["kl"].sum().item()
        n = len(order)
        row = {"train_recon": round(recon_sum / n, 3), "train_kl": round(kl_sum / n, 3)}
        if not config.tiny:
            print(f"epoch {epoch}: {row} test {evaluate(model, test)}", flush=True)
    metrics = {f"test_{k}": round(v, 3) for k, v in evaluate(model, test).items()}
    model.eval()
    return model, dict(metrics, test_images=len(test), **row)


# ------------------------------------------------------------------ the shipped latent map

MAP_FILE = "latent_map.safetensors"


def _file_digest(path) -> str:
    import hashlib

    return hashlib.sha256(pathlib.Path(path).read_bytes()).hexdigest()


def write_latent_map(folder) -> pathlib.Path:
    """Encode the 10,000 MNIST test images with the checkpoint in ``folder`` and write
    ``folder/latent_map.safetensors``: mu float32 (10000, d), labels int64 (10000,), with the
    sha256 of model.safetensors in its metadata (so a retrained model is not shown a stale map)."""
    from safetensors.torch import save_file

    from core.checkpoint import MODEL_FILE, load
    from core.data import load_mnist, to_float

    folder = pathlib.Path(folder)
    model, _ = load(folder)
    images, labels = load_mnist("test")
    mu = encode_means(model, to_float(images))
    path = folder / MAP_FILE
    save_file({"mu": mu.contiguous(), "labels": labels.contiguous()}, str(path),
              metadata={"source": "MNIST test set, 10,000 images", "model_sha256": _file_digest(folder / MODEL_FILE)})
    return path


@functools.cache
def load_latent_map(name: str = "vae") -> tuple[torch.Tensor, torch.Tensor]:
    """(mu (N, d), labels (N,)) shipped in weights/<name>/latent_map.safetensors, cached.

    Raises StudioError('common.weights_missing') when the file is missing, damaged, or was
    made for other weights (regenerate: python -m core.vae map weights/<name>).
    """
    from safetensors import safe_open

    from core.checkpoint import MODEL_FILE, WEIGHTS_DIR

    folder = WEIGHTS_DIR / name
    try:
        with safe_open(str(folder / MAP_FILE), framework="pt") as f:
            meta = f.metadata() or {}
            mu, labels = f.get_tensor("mu"), f.get_tensor("labels")
        if meta.get("model_sha256") != _file_digest(folder / MODEL_FILE):
            raise ValueError(f"{MAP_FILE} was made for other weights; run: python -m core.vae map weights/{name}")
    except Exception as exc:  # missing file, damaged file, stale map
        raise StudioError("common.weights_missing", model=name, detail=f"{type(exc).__name__}: {exc}") from exc
    return mu, labels


if __name__ == "__main__":
    import sys

    if len(sys.argv) != 3 or sys.argv[1] != "map":
        raise SystemExit("usage: python -m core.vae map weights/<vae folder>")
    print("wrote", write_latent_map(sys.argv[2]))
