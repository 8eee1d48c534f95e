"""Counting a convolution's parameters and multiply-adds (weeks 4-6).

A conv layer with C_in input channels, C_out filters of size k x k and a bias has

    params = k * k * C_in * C_out + C_out          (weights + one bias per filter)

and on an H x W input produces H_out x W_out outputs per filter (core.conv.output_size),
each costing k * k * C_in multiply-adds:

    MACs = k * k * C_in * C_out * H_out * W_out

The comparisons the study groups ask about:
- the curriculum's 3 x 3 conv from 128 to 64 channels: 3 * 3 * 128 * 64 = 73,728 weights;
- ResNet's bottleneck block (He et al. 2016, fig. 5): 1x1 reduce C -> C/4, 3x3 at C/4,
  1x1 expand C/4 -> C, against the basic block's two 3x3 convs at C (no biases: BatchNorm
  follows each conv);
- VGG (Simonyan & Zisserman 2015, sec. 2.3): two stacked 3x3 convs see a 5x5 window with
  2 * 9 * C^2 weights instead of one 5x5 conv's 25 * C^2.

The tests check every count against ``sum(p.numel())`` of the real torch modules built
here, and MACs against ``torch.utils.flop_counter``.
"""
from __future__ import annotations

from dataclasses import dataclass

import torch.nn as nn

from core.conv import output_size

MAX_CHANNELS = 4096
MAX_KERNEL = 11
MAX_SIZE = 1024


@dataclass(frozen=True)
class ConvCount:
    """Counts of one conv layer: weights, biases, params = weights + biases, the output
    size and the multiply-adds on the given input."""
    name: str
    c_in: int
    c_out: int
    k: int
    weights: int
    biases: int
    out_h: int
    out_w: int
    macs: int

    @property
    def params(self) -> int:
        return self.weights + self.biases


def conv_count(c_in: int, c_out: int, k: int, bias: bool = True, h: int = 1, w: int = 1,
               stride: int = 1, padding: int = 0, name: str = "conv") -> ConvCount:
    """The counts of nn.Conv2d(c_in, c_out, k, stride, padding, bias=bias) on an h x w input."""
    out_h = output_size(h, k, stride, padding)
    out_w = output_size(w, k, stride, padding)
    weights = k * k * c_in * c_out
    return ConvCount(name, c_in, c_out, k, weights, c_out if bias else 0, out_h, out_w,
                     weights * out_h * out_w)


def conv_module(c: ConvCount, stride: int = 1, padding: int = 0) -> nn.Conv2d:
    """The torch layer a ConvCount describes (for checking the count)."""
    return nn.Conv2d(c.c_in, c.c_out, c.k, stride=stride, padding=padding, bias=c.biases > 0)


def bottleneck(c: int, h: int, w: int, reduction: int = 4) -> list[ConvCount]:
    """ResNet bottleneck at c channels: 1x1 c -> c/r, 3x3 c/r -> c/r (padding 1), 1x1 c/r -> c.
    No biases (each conv is followed by BatchNorm); stride 1, so every layer keeps h x w."""
    mid = max(1, c // reduction)
    return [conv_count(c, mid, 1, False, h, w, name="1x1 reduce"),
            conv_count(mid, mid, 3, False, h, w, padding=1, name="3x3"),
            conv_count(mid, c, 1, False, h, w, name="1x1 expand")]


def basic_block(c: int, h: int, w: int) -> list[ConvCount]:
    """ResNet basic block at c channels: two 3x3 convs c -> c (padding 1, no biases)."""
    return [conv_count(c, c, 3, False, h, w, padding=1, name="3x3 #1"),
            conv_count(c, c, 3, False, h, w, padding=1, name="3x3 #2")]


def vgg_pair(c: int, h: int, w: int, bias: bool = True) -> list[ConvCount]:
    """VGG: two stacked 3x3 convs c -> c (padding 1); receptive field 5 x 5."""
    return [conv_count(c, c, 3, bias, h, w, padding=1, name="3x3 #1"),
            conv_count(c, c, 3, bias, h, w, padding=1, name="3x3 #2")]


def single_5x5(c: int, h: int, w: int, bias: bool = True) -> list[ConvCount]:
    """One 5x5 conv c -> c (padding 2); receptive field 5 x 5."""
    return [conv_count(c, c, 5, bias, h, w, padding=2, name="5x5")]


def receptive_field(kernels: list[int]) -> int:
    """Receptive field of stacked stride-1 convs: 1 + sum(k - 1)."""
    return 1 + sum(k - 1 for k in kernels)


def as_modules(layers: list[ConvCount]) -> nn.Sequential:
    """The layers as an nn.Sequential of nn.Conv2d (padding (k - 1) / 2, i.e. 'same' for odd
    k), for checking counts against sum(p.numel())."""
    return nn.Sequential(*[conv_module(c, padding=(c.k - 1) // 2) for c in layers])


def total(layers: list[ConvCount]) -> tuple[int, int]:
    """(params, MACs) summed over layers."""
    return sum(c.params for c in layers), sum(c.macs for c in layers)
