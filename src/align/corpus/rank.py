"""Ranking the pool for one English article: which reports are its source or tell its event.

The faiss index gives the documents whose mean vector is nearest the article's
(``RETRIEVE`` of them); each is then judged on evidence that survives machine
translation:

- ``mean_cosine``: the cosine of the two mean vectors;
- ``vote``: for every English sentence its best cosine among the document's
  sentences, averaged (a long document's mean blurs; its best sentences do not);
- ``vote_margin``: the vote minus the mean vote of the next best documents (a
  ratio-margin in the LASER manner: boilerplate that matches every report of a
  kind matches none in particular);
- ``numbers``: the share of the article's numbers (two digits or more) the
  document writes too;
- ``names``: the share of the document's names (people, places, organisations,
  as CC-CEDICT's English or pinyin) the article names, weighted by how rare each
  name is in the pool;
- ``en_names``: the share of the article's own names (capitalised phrases) the
  document's names account for, weighted by rarity too: a report of another event
  in another place has the same kind of sentences but not these.

A logistic model over these (``find-model.json``, fitted by
``eval/calibrate_find.py`` on the MQM 2020 news documents only) turns them into a
probability that the document is a source. A document is listed as a source when
its probability reaches the model's threshold, unless it tells another event: it
names places of its own (at least ``MIN_PLACES``), the article names people and
places of its own (at least ``MIN_NAMES``), and none of the document's places is in
the article, while the sentences do not already tell a translation (probability
below ``CERTAIN``). Reports of like events in two provinces are near twins sentence
by sentence; where it happened is what they cannot share.
"""
from __future__ import annotations

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from align.corpus.fingerprint import en_names, en_names_matched, en_words, name_found, name_keys, numbers
from align.corpus.index import PoolDoc, PoolIndex, mean_vector
from align.errors import InputError
from align.types import Language
from align.vectors import Encoder

FEATURES = ("mean_cosine", "vote", "vote_margin", "numbers", "names", "en_names")
RETRIEVE = 32  # documents judged per article; recall@32 of the mean vector is 1.0 on MQM 2020
MARGIN_K = 4  # next best documents the vote margin is taken against
# Below these a document or an article says too little to judge the event by its places.
MIN_PLACES = 2
MIN_NAMES = 3
# From this probability the sentences alone tell a translation (on mqm2020 every retrieved
# document at 0.9 or more was the answer): places rendered unlike CC-CEDICT (荷兰 "the
# Netherlands", not "Holland") or mis-tagged by jieba must not hide a source then.
CERTAIN = 0.9


@dataclass(frozen=True)
class Candidate:
    """A pool document judged as a source of one English article."""

    source: str  # path of the Chinese file
    score: float  # the model's evidence (a logit): higher is likelier a source
    probability: float  # calibrated probability that it is a source
    features: dict[str, float]
    other_event: str | None = None  # why it reports another event (then it is not listed), or None


@dataclass(frozen=True)
class Query:
    """An English article as finding sees it."""

    path: str
    vectors: np.ndarray  # its sentence vectors
    numbers: frozenset[str]
    words: str  # lower-case words, space separated (``fingerprint.en_words``)
    names: frozenset[str]  # its capitalised phrases (``fingerprint.en_names``)


@dataclass(frozen=True)
class FindModel:
    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: np.ndarray
    bias: float
    threshold: float  # probability at and above which a document is listed as a source
    fitted_on: str

    def logits(self, x: np.ndarray) -> np.ndarray:
        return ((x - self.mean) / self.scale) @ self.weights + self.bias


@lru_cache(maxsize=1)
def load_model() -> FindModel:
    data = json.loads(resources.files("align.corpus").joinpath("find-model.json").read_text())
    if tuple(data["features"]) != FEATURES:
        raise InputError("find-model.json does not match this version of align (run eval/calibrate_find.py)")
    return FindModel(tuple(data["features"]), np.asarray(data["mean"]), np.asarray(data["scale"]),
                     np.asarray(data["weights"]), float(data["bias"]), float(data["threshold"]),
                     data["fitted_on"])


def load_english(path: str):
    """An English article, read and cleaned; a Chinese file here is a user's mistake."""
    from align.documents import load_document

    doc = load_document(path)
    if doc.language == Language.ZH:
        raise InputError(f"{path} is Chinese, but the articles must be English (the Chinese reports go in --pool)")
    if doc.language != Language.EN:
        raise InputError(f"{path} is neither English nor Chinese; the articles must be English")
    return doc


def english_query(path: str, encoder: Encoder) -> Query:
    """Read, clean and encode an English article."""
    from align.sentences import split_document

    sentences = [s.norm for s in split_document(load_english(path))]
    if not sentences:
        raise InputError(f"{path} holds no English sentences once cleaned")
    text = " ".join(sentences)
    return Query(path, encoder.encode(sentences), frozenset(numbers(text)), en_words(text), frozenset(en_names(text)))


class Finder:
    """Ranks the documents of one pool index for English articles."""

    def __init__(self, index: PoolIndex, model: FindModel | None = None) -> None:
        self.index = index
        self.model = model or load_model()
        self.n_docs = len(index)
        self._df: dict[str, int] | None = None

    def _idf(self, name: str) -> float:
        if self._df is None:
            self._df = self.index.name_frequencies()
        return math.log((self.n_docs + 1) / (self._df.get(name, 0) + 1)) + 1.0

    def features(self, query: Query, docs: list[PoolDoc], cosines: np.ndarray) -> np.ndarray:
        """One row of ``FEATURES`` per document."""
        votes = np.array([float((query.vectors @ d.sentences.T).max(axis=1).mean()) if len(d.sentences) else 0.0
                          for d in docs])
        x = np.zeros((len(docs), len(FEATURES)))
        for j, doc in enumerate(docs):
            others = np.sort(np.delete(votes, j))[::-1][:MARGIN_K]
            margin = votes[j] - (others.mean() if len(others) else 0.0)
            shared = len(query.numbers & doc.numbers) / len(query.numbers) if query.numbers else 0.0
            weights = [(self._idf(forms[0]), name_found(forms, query.words)) for forms in doc.names]
            total = sum(w for w, _ in weights)
            named = sum(w for w, found in weights if found) / total if total else 0.0
            own = self._own_names(query, doc)
            x[j] = (cosines[j], votes[j], margin, shared, named, own)
        return x

    def _own_names(self, query: Query, doc: PoolDoc) -> float:
        """``en_names``: each English name weighs as much as the rarest pool name that accounts
        for it; one no document accounts for weighs as a name of one document."""
        if not query.names:
            return 0.0
        rarest = self._idf("")  # df 0: the most a name can weigh
        found = total = 0.0
        for matches in en_names_matched(query.names, name_keys(doc.names)).values():
            weight = max((self._idf(m) for m in matches), default=rarest)
            total += weight
            found += weight if matches else 0.0
        return found / total

    def rank(self, query: Query) -> list[Candidate]:
        """Every retrieved document, best first (ties by path, so the order is deterministic)."""
        if not self.n_docs:
            return []
        cosines, ids = self.index.search(mean_vector(query.vectors)[None, :], RETRIEVE)
        found = [(float(c), int(i)) for c, i in zip(cosines[0], ids[0]) if i >= 0]
        docs_by_id = self.index.documents([i for _, i in found])
        docs = [docs_by_id[i] for _, i in found]
        x = self.features(query, docs, np.array([c for c, _ in found]))
        logits = self.model.logits(x)
        out = [Candidate(d.path, round(float(z), 4), round(1.0 / (1.0 + math.exp(-float(z))), 4),
                         {name: round(float(v), 4) for name, v in zip(FEATURES, row)},
                         None if z >= _logit(CERTAIN) else other_event(query, d))
               for d, z, row in zip(docs, logits, x)]
        return sorted(out, key=lambda c: (-c.score, c.source))

    def sources(self, query: Query, top: int) -> list[Candidate]:
        """The documents at or above the threshold, best first, at most ``top``."""
        return self.listed(self.rank(query), top)

    def listed(self, ranked: list[Candidate], top: int) -> list[Candidate]:
        """Of a ranking, what is listed as a source: at or above the threshold, of the same event."""
        return [c for c in ranked if c.probability >= self.model.threshold and not c.other_event][:top]


def _logit(p: float) -> float:
    return math.log(p / (1 - p))


def other_event(query: Query, doc: PoolDoc) -> str | None:
    """Why ``doc`` reports another event than the article, or None when it may report the same."""
    if len(doc.places) < MIN_PLACES or len(query.names) < MIN_NAMES:
        return None
    if any(name_found(forms, query.words) for forms in doc.places):
        return None
    return "the article names none of its places (" + ", ".join(forms[0] for forms in doc.places[:3]) + ")"
