"""core.conv_plots: mosaics keep every channel and its sign; the worksheet picture renders."""
import numpy as np
import torch

from core import conv, conv_plots


def test_mosaic_layout_and_normalisation():
    maps = torch.stack([torch.zeros(4, 4), torch.arange(16.0).reshape(4, 4), -torch.ones(4, 4)])
    m = conv_plots.mosaic(maps, cols=2, cell=8, gap=2, cmap="gray")
    assert m.shape == (2 * 8 + 3 * 2, 2 * 8 + 3 * 2, 3) and m.dtype == np.uint8
    tile = m[2:10, 12:20, 0]                       # second tile: 0..15 stretched to black..white
    assert tile[0, 0] == 0 and tile[-1, -1] == 255
    assert (m[2:10, 2:10] == 0).all()              # a constant tile sits at the colormap's bottom
    assert (m[0:2] == 255).all()                   # white gaps
    k = conv_plots.mosaic(torch.tensor([[[-2.0, 0.0, 2.0]]]), cols=1, cell=3, gap=0, cmap="gray", symmetric=True)
    assert k[0, :, 0].tolist() == [0, 128, 255]    # sign kept: -m -> bottom, 0 -> middle, +m -> top


def test_arithmetic_figure_renders():
    x = torch.tensor(conv.WORKSHEET_INPUT, dtype=torch.float64)
    w = torch.tensor(conv.WORKSHEET_KERNEL, dtype=torch.float64)
    y = conv.conv_grid(x, w, 2, 1, 1)
    img = conv_plots.arithmetic_figure(x, w, y, 1, 2, 2, 1, 1, ("x", "w", "y"))
    assert img.ndim == 3 and img.shape[2] == 3 and img.shape[1] > img.shape[0]
    orange = np.all(np.abs(img.astype(int) - [255, 159, 28]) < 3, axis=-1)
    assert orange.sum() > 1000                      # the lit window and the kernel
