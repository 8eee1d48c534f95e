"""Where a ViT's class token looks: raw attention, attention rollout, position-embedding similarity.

- Class-token attention: row 0 of each layer's and head's softmax weights, over the N patches.
- Attention rollout (Abnar & Zuidema 2020, "Quantifying Attention Flow in Transformers"):
  the residual connection is modelled by mixing each layer's attention with the identity,
  A~_l = 0.5 A_l + 0.5 I, rows renormalised to 1, and the layers are multiplied,
  R = A~_L ... A~_2 A~_1. Row 0 of R, over the patches, is the rollout map. Heads are fused
  first (mean, max or min, as in jacobgildenblat/vit-explain), and optionally the weakest
  ``discard_ratio`` fraction of each fused matrix is zeroed (vit-explain's noise removal;
  the class token's attention to itself is always kept).
- Position-embedding similarity (the ViT paper's Fig. 7, centre): cosine similarity of each
  patch's learned embedding with every other patch's, shown as one small map per patch.
"""
from __future__ import annotations

import torch
import torch.nn.functional as F

from core.errors import StudioError

HEAD_FUSIONS = ("mean", "max", "min")


def cls_attention(attn: torch.Tensor) -> torch.Tensor:
    """attn (L, H, T, T) softmax weights -> (L, H, T - 1): the class token's weight on each patch."""
    return attn[:, :, 0, 1:]


def fuse_heads(attn: torch.Tensor, head_fusion: str = "mean") -> torch.Tensor:
    """(L, H, T, T) -> (L, T, T) by the mean, max or min over heads.

    Raises StudioError 'vit.bad_fusion' for another name.
    """
    if head_fusion == "mean":
        return attn.mean(dim=1)
    if head_fusion == "max":
        return attn.amax(dim=1)
    if head_fusion == "min":
        return attn.amin(dim=1)
    raise StudioError("vit.bad_fusion", fusion=head_fusion, choices=", ".join(HEAD_FUSIONS))


def discard_lowest(a: torch.Tensor, discard_ratio: float) -> torch.Tensor:
    """Zero the ``int(T*T*discard_ratio)`` smallest entries of each (T, T) matrix, never entry (0, 0).

    a: (..., T, T). Returns a new tensor. Raises StudioError 'vit.bad_discard' unless 0 <= ratio < 1.
    """
    if not 0.0 <= discard_ratio < 1.0:
        raise StudioError("vit.bad_discard", value=discard_ratio)
    T = a.shape[-1]
    flat = a.reshape(-1, T * T).clone()
    k = int(T * T * discard_ratio)
    if k:
        _, idx = flat.topk(k, dim=-1, largest=False)     # (M, k) weakest entries
        keep_cls = idx == 0                              # the class token's self-attention stays
        flat.scatter_(1, idx, torch.where(keep_cls, flat.gather(1, idx), torch.zeros_like(idx, dtype=flat.dtype)))
    return flat.reshape(a.shape)


def rollout(attn: torch.Tensor, head_fusion: str = "mean", discard_ratio: float = 0.0) -> torch.Tensor:
    """Attention rollout (Abnar & Zuidema 2020). attn: (L, H, T, T) softmax weights -> R (T, T).

    R = A~_L ... A~_1 with A~_l = normalise_rows(0.5 * fuse(A_l) + 0.5 * I). Each row of R sums
    to 1; R[0, 1:] is the class token's rollout over the patches.
    Raises StudioError for an unknown head fusion or a discard ratio outside [0, 1).
    """
    if attn.dim() != 4 or attn.shape[-1] != attn.shape[-2]:
        raise ValueError(f"expected attention of shape (L, H, T, T); got {tuple(attn.shape)}")
    L, H, T, _ = attn.shape
    fused = discard_lowest(fuse_heads(attn.float(), head_fusion), discard_ratio)  # (L, T, T)
    eye = torch.eye(T, dtype=fused.dtype, device=fused.device)
    result = eye
    for layer in range(L):
        a = 0.5 * fused[layer] + 0.5 * eye               # residual: half attention, half identity
        a = a / a.sum(dim=-1, keepdim=True)              # rows sum to 1 again
        result = a @ result                              # later layers act on the left
    return result


def rollout_map(attn: torch.Tensor, rows: int, cols: int, head_fusion: str = "mean",
                discard_ratio: float = 0.0) -> torch.Tensor:
    """The class token's rollout over the patch grid: (rows, cols), scaled so its maximum is 1."""
    r = rollout(attn, head_fusion, discard_ratio)[0, 1:]
    if r.numel() != rows * cols:
        raise ValueError(f"attention covers {r.numel()} patches, but the grid is {rows}x{cols}")
    return (r / r.max().clamp_min(1e-12)).reshape(rows, cols)


def position_similarity(pos_embed: torch.Tensor) -> torch.Tensor:
    """Cosine similarity of the patches' position embeddings.

    pos_embed: (N + 1, D) with the class token's row first (ViT's E_pos) -> (N, N), entry
    [i, j] = cos(E_pos[1 + i], E_pos[1 + j]); the diagonal is 1.
    """
    e = F.normalize(pos_embed[1:].float(), dim=-1)     # (N, D) unit rows
    return e @ e.T                                      # (N, N)


def neighbour_similarity(sim: torch.Tensor, rows: int, cols: int) -> tuple[float, float]:
    """Mean similarity of each patch to its 4 grid neighbours, and to all other non-neighbours.

    sim: (N, N) from ``position_similarity`` with N = rows * cols. Learned position embeddings
    that encode the 2-D layout give near > far.
    """
    k = torch.arange(rows * cols)
    r, c = k // cols, k % cols                                            # grid row, column of patch k
    dist = (r[:, None] - r[None]).abs() + (c[:, None] - c[None]).abs()  # Manhattan distance on the grid
    near = sim[dist == 1].mean().item()
    far = sim[dist > 1].mean().item() if (dist > 1).any() else float("nan")
    return near, far
