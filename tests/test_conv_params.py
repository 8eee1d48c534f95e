"""core.conv_params: every count equals sum(p.numel()) of the real modules; MACs match torch's counter."""
import pytest
import torch
import torch.nn as nn
from torch.utils.flop_counter import FlopCounterMode

from core import conv_params as cp


def numel(module: nn.Module) -> int:
    return sum(p.numel() for p in module.parameters())


def test_curriculum_example():
    c = cp.conv_count(128, 64, 3, bias=False, h=56, w=56)
    assert c.weights == 3 * 3 * 128 * 64 == 73_728
    with_bias = cp.conv_count(128, 64, 3, bias=True, h=56, w=56)
    assert with_bias.params == 73_792 == numel(nn.Conv2d(128, 64, 3))


@pytest.mark.parametrize("c_in,c_out,k,bias,h,s,p", [(3, 16, 3, True, 32, 1, 1), (128, 64, 3, False, 56, 1, 0),
                                                     (64, 32, 5, True, 28, 2, 2), (1, 8, 7, True, 20, 3, 0)])
def test_layer_counts_match_torch(c_in, c_out, k, bias, h, s, p):
    c = cp.conv_count(c_in, c_out, k, bias, h, h + 3, s, p)
    layer = nn.Conv2d(c_in, c_out, k, stride=s, padding=p, bias=bias)
    assert c.params == numel(layer)
    x = torch.zeros(1, c_in, h, h + 3)
    with FlopCounterMode(display=False) as counter:
        y = layer(x)
    assert (c.out_h, c.out_w) == tuple(y.shape[-2:])
    assert 2 * c.macs == counter.get_total_flops()   # torch counts a multiply-add as 2 FLOPs


def test_bottleneck_vs_basic_at_256():
    bott, basic = cp.bottleneck(256, 56, 56), cp.basic_block(256, 56, 56)
    assert cp.total(bott)[0] == 16_384 + 36_864 + 16_384 == 69_632 == numel(cp.as_modules(bott))
    assert cp.total(basic)[0] == 1_179_648 == numel(cp.as_modules(basic))
    x = torch.zeros(1, 256, 56, 56)
    for layers in (bott, basic):
        with FlopCounterMode(display=False) as counter:
            assert cp.as_modules(layers)(x).shape == x.shape
        assert 2 * cp.total(layers)[1] == counter.get_total_flops()


def test_vgg_two_3x3_vs_one_5x5():
    pair, single = cp.vgg_pair(64, 32, 32, bias=False), cp.single_5x5(64, 32, 32, bias=False)
    assert cp.total(pair)[0] == 18 * 64 * 64 == numel(cp.as_modules(pair))
    assert cp.total(single)[0] == 25 * 64 * 64 == numel(cp.as_modules(single))
    assert cp.receptive_field([3, 3]) == cp.receptive_field([5]) == 5
    assert numel(cp.as_modules(cp.vgg_pair(64, 8, 8))) == cp.total(cp.vgg_pair(64, 8, 8))[0] == 2 * (9 * 64 * 64 + 64)
