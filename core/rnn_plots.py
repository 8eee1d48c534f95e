"""Figures of the rnn_gates tab: gate heatmaps over time, gradient norms, training curve.

Text on the figures comes in through ``labels`` dicts so core stays free of any language.
"""
from __future__ import annotations

import numpy as np

from core.plots import figure, plt, to_image

GATE_ORDER = {"lstm": ["i", "f", "g", "o", "c", "h"], "gru": ["z", "r", "n", "h"]}
SIGNED = {"g", "c", "h", "n"}            # tanh-range values: diverging map around 0


def gate_heatmaps(tr: dict, labels: dict[str, str], title: str = "") -> np.ndarray:
    """Heatmaps (hidden unit x time step) of every gate and state in ``tr`` (core.rnn_task.trace).

    All panels are composed into one RGB image on one axes (fast: few ticks): gates in
    viridis on [0, 1], tanh-range values (g, n, h) in RdBu on [-1, 1], the cell state c on
    [-m, m] with m = max(1, max|c|) written in its label. The top row is the model's output
    per step (green: right, red: wrong). Marked steps get a dashed orange line.
    labels: {gate name: caption, 'pred', 'time', 'gates', 'values'}. Returns an RGB array.
    """
    names = GATE_ORDER[tr["cell"]]
    tokens = tr["tokens"]
    T = len(tokens)
    H = tr["gates"][names[0]].shape[0]
    gap = max(1, H // 6)
    viridis, rdbu = plt.get_cmap("viridis"), plt.get_cmap("RdBu_r")
    blocks, centers, ylabels, row = [], [], [], 0
    conf = tr["probs"].max(dim=-1).values.numpy()                # output row: confidence in grey
    out_rows = max(2, H // 3)
    blocks.append(np.repeat((1 - 0.3 * conf)[None, :, None].repeat(3, axis=2), out_rows, axis=0))
    centers.append((out_rows - 1) / 2)
    ylabels.append(labels["pred"])
    row = out_rows
    for name in names:
        blocks.append(np.ones((gap, T, 3)))
        row += gap
        values = tr["gates"][name].numpy()                      # (H, T)
        if name in SIGNED:
            m = max(1.0, float(np.abs(values).max())) if name == "c" else 1.0
            rgb = rdbu((values / m + 1) / 2)[..., :3]
            caption = labels[name] + (f" (±{m:.1f})" if name == "c" and m > 1 else "")
        else:
            rgb = viridis(values)[..., :3]
            caption = labels[name]
        blocks.append(rgb)
        centers.append(row + (H - 1) / 2)
        ylabels.append(caption)
        row += H
    image = np.concatenate(blocks, axis=0)
    width = min(14.0, 4.5 + 0.3 * T)
    height = min(12.0, 1.6 + 0.018 * image.shape[0] * 4)
    fig = plt.figure(figsize=(width, height), dpi=80)
    ax = fig.add_axes([0.2, 0.1, 0.66, 0.8])
    ax.imshow(image, aspect="auto", interpolation="nearest")
    pred, target = tr["pred"].tolist(), tr["target"].tolist()
    for t in range(T):
        ax.text(t, (out_rows - 1) / 2, "-" if pred[t] == 10 else str(pred[t]), ha="center", va="center",
                fontsize=10, fontweight="bold", color="#1a7f37" if pred[t] == target[t] else "#cf222e")
        if tokens[t].startswith("*"):
            ax.axvline(t, ymin=0, ymax=1 - out_rows / image.shape[0], color="#ff8c00", lw=1.2, ls="--")
    ax.set_yticks(centers, ylabels, fontsize=9)
    ax.set_xticks(range(T), tokens, fontsize=9)
    ax.tick_params(length=0)
    ax.set_xlabel(labels["time"], fontsize=9)
    if title:
        ax.set_title(title, fontsize=11)
    for spine in ax.spines.values():
        spine.set_visible(False)
    for k, (cmap, low, caption) in enumerate([(viridis, 0, labels["gates"]), (rdbu, -1, labels["values"])]):
        cax = fig.add_axes([0.88 + 0.055 * k, 0.25, 0.012, 0.5])
        sm = plt.cm.ScalarMappable(cmap=cmap, norm=plt.Normalize(low, 1))
        cb = fig.colorbar(sm, cax=cax)
        cb.set_ticks([low, 1])
        cb.ax.tick_params(labelsize=7)
        cb.set_label(caption, fontsize=8)
    return to_image(fig)


MODEL_STYLE = {"rnn_tanh": ("#1f77b4", "-"), "rnn_relu": ("#d62728", "--"),
               "lstm": ("#2ca02c", "-"), "gru": ("#9467bd", "-.")}


def gradient_plot(norms: dict, labels: dict[str, str]) -> np.ndarray:
    """Log-scale ||d h_T / d h_t|| against t for each model. labels: model names, 'x', 'y', 'title'."""
    fig, ax = figure(7.5, 4.2, dpi=80)
    for name, values in norms.items():
        v = values.numpy()
        color, ls = MODEL_STYLE[name]
        ax.semilogy(np.arange(len(v)), v, ls, color=color, lw=2, label=labels[name])
    ax.set_xlabel(labels["x"])
    ax.set_ylabel(labels["y"])
    ax.set_title(labels["title"], fontsize=11)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=9, loc="lower right")
    fig.tight_layout()
    return to_image(fig)


def training_curve(history: list[dict], labels: dict[str, str]) -> np.ndarray:
    """Loss (log scale, left) and accuracy (right) against the step. labels: 'step', 'loss', 'acc', 'title'."""
    fig, ax = figure(6.0, 3.0, dpi=80)
    steps = [p["step"] for p in history]
    ax.semilogy(steps, [p["loss"] for p in history], color="#1f77b4", lw=2, label=labels["loss"])
    ax.set_xlabel(labels["step"])
    ax.set_ylabel(labels["loss"], color="#1f77b4")
    ax2 = ax.twinx()
    ax2.plot(steps, [p["accuracy"] for p in history], color="#2ca02c", lw=2)
    ax2.set_ylim(0, 1.02)
    ax2.set_ylabel(labels["acc"], color="#2ca02c")
    ax.set_title(labels["title"], fontsize=11)
    ax.grid(True, alpha=0.3)
    fig.tight_layout()
    return to_image(fig)
