"""Device choice for the whole studio: one helper, everything else follows its inputs.

`default_device()` returns CUDA when available, then Apple MPS, then CPU. The environment
variable DEEP_STUDIO_DEVICE (``cpu``, ``cuda``, ``cuda:1``, ``mps``) overrides the choice.
Core functions never call this for tensors they receive: they use ``x.device``.
"""
from __future__ import annotations

import os

import torch

ENV_VAR = "DEEP_STUDIO_DEVICE"


def available_devices() -> list[str]:
    """Names of the device types usable here, CPU first: e.g. ['cpu', 'cuda']."""
    names = ["cpu"]
    if torch.cuda.is_available():
        names.append("cuda")
    if getattr(torch.backends, "mps", None) is not None and torch.backends.mps.is_available():
        names.append("mps")
    return names


def default_device() -> torch.device:
    """The device new tensors and loaded models go to.

    Order: $DEEP_STUDIO_DEVICE if set, else CUDA, else MPS, else CPU.
    Raises ValueError if the override names a device type that is not available.
    """
    override = os.environ.get(ENV_VAR, "").strip()
    if override:
        device = torch.device(override)
        if device.type not in available_devices():
            raise ValueError(f"{ENV_VAR}={override!r} but only {available_devices()} are available here")
        return device
    if torch.cuda.is_available():
        return torch.device("cuda")
    if "mps" in available_devices():
        return torch.device("mps")
    return torch.device("cpu")


def resolve_device(choice: str | None) -> torch.device:
    """Map a UI choice ('auto', 'cpu', 'cuda', 'mps') to a torch.device.

    'auto' or None gives default_device(). Raises ValueError for a device that is not here.
    """
    if choice in (None, "", "auto"):
        return default_device()
    if choice not in available_devices():
        raise ValueError(f"device {choice!r} is not available here; choose from {available_devices()}")
    return torch.device(choice)
