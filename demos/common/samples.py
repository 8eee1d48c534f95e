"""The committed MNIST test sample as tabs offer it: float images and dropdown choices."""
from __future__ import annotations

import functools


@functools.cache
def sample_digits():
    """The committed 200 test digits: (float (200, 1, 28, 28) in [0, 1], labels (200,), test indices (200,))."""
    from core.data import load_sample, sample_indices, to_float

    images, labels = load_sample()
    return to_float(images), labels, sample_indices()


def sample_choices() -> list[tuple[str, int]]:
    """Dropdown choices '<digit> · #<test index>' -> position in the sample."""
    _, labels, idx = sample_digits()
    return [(f"{int(d)} · #{int(i)}", k) for k, (d, i) in enumerate(zip(labels.tolist(), idx.tolist()))]
