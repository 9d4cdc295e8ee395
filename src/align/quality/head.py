"""The learned quality head: pair features -> predicted MQM penalty -> 0-100 score.

Inference is numpy only. The weights live in ``qe-head.npz`` next to this file,
written by ``eval/train_qe.py`` and loaded on first use (never at import). The
file records what the head was trained on - the encoders (name, model id,
dimensions), the text and check feature names, the verdict thresholds - so a
head that does not fit this installation is refused with one clear line rather
than scoring garbage.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from align.errors import ModelError
from align.quality.features import TEXT_FEATURES, vector_width
from align.quality.verdict import Thresholds

HEAD_FILE = Path(__file__).with_name("qe-head.npz")
FORMAT = 1
RETRAIN = "retrain it with `python eval/train_qe.py DATA_DIR`"


@dataclass(frozen=True)
class EncoderSpec:
    name: str
    model_id: str
    dim: int


@dataclass
class QualityHead:
    """A small MLP (or a linear model: no hidden layer) on standardised features.

    It predicts log(1 + MQM penalty); ``score`` maps the penalty to 0-100 by
    ``100 * exp(-penalty / score_scale)``: 100 is faithful, one major error
    (penalty 5) is about 60 with the default scale of 10, and the map is
    strictly decreasing, so ranking by score is ranking by predicted penalty.
    """

    encoders: tuple[EncoderSpec, ...]
    check_features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    weights: list[np.ndarray]  # W0, W1, ...: ReLU between layers, none after the last
    biases: list[np.ndarray]
    thresholds: Thresholds
    score_scale: float = 10.0
    text_features: tuple[str, ...] = TEXT_FEATURES
    info: dict = field(default_factory=dict)  # how it was trained and what it measured
    digest: str = ""  # first 12 hex digits of the file's SHA-256

    @property
    def width(self) -> int:
        return sum(vector_width(e.dim) for e in self.encoders) + len(self.text_features) + len(self.check_features)

    def log_penalty(self, X: np.ndarray) -> np.ndarray:
        h = (np.asarray(X, dtype=np.float32) - self.mean) / self.scale
        for k, (W, b) in enumerate(zip(self.weights, self.biases)):
            h = h @ W + b
            if k < len(self.weights) - 1:
                h = np.maximum(h, 0.0)
        return h[:, 0]

    def penalty(self, X: np.ndarray) -> np.ndarray:
        """The predicted MQM penalty (0: no error) of every row of features."""
        return np.maximum(np.expm1(self.log_penalty(X)), 0.0)

    def score(self, penalty: np.ndarray) -> np.ndarray:
        """0-100, 100 = faithful; strictly decreasing in the penalty."""
        return 100.0 * np.exp(-np.asarray(penalty, dtype=np.float64) / self.score_scale)

    def signature(self) -> str:
        return f"qe-head:{self.digest}:{'+'.join(e.model_id for e in self.encoders)}"


def save_head(head: QualityHead, path: Path = HEAD_FILE) -> str:
    """Write the head as float32 arrays plus a JSON header; returns the file's digest."""
    meta = {
        "format": FORMAT, "encoders": [vars(e) for e in head.encoders], "text_features": list(head.text_features),
        "check_features": list(head.check_features), "thresholds": vars(head.thresholds),
        "score_scale": head.score_scale, "layers": len(head.weights), "info": head.info,
    }
    arrays = {"mean": head.mean, "scale": head.scale}
    for k, (W, b) in enumerate(zip(head.weights, head.biases)):
        arrays[f"W{k}"], arrays[f"b{k}"] = W, b
    with path.open("wb") as f:
        np.savez_compressed(f, meta=np.array(json.dumps(meta, sort_keys=True)),
                            **{k: np.asarray(v, dtype=np.float32) for k, v in arrays.items()})
    return _digest(path)


@lru_cache(maxsize=4)
def load_head(path: Path = HEAD_FILE) -> QualityHead:
    if not path.is_file():
        raise ModelError(f"the quality head {path} is missing; {RETRAIN}")
    with np.load(path, allow_pickle=False) as z:
        meta = json.loads(str(z["meta"]))
        if meta.get("format") != FORMAT:
            raise ModelError(f"the quality head {path} has format {meta.get('format')}, this align reads {FORMAT}; "
                             f"{RETRAIN}")
        n = meta["layers"]
        head = QualityHead(
            encoders=tuple(EncoderSpec(**e) for e in meta["encoders"]),
            check_features=tuple(meta["check_features"]), mean=z["mean"], scale=z["scale"],
            weights=[z[f"W{k}"] for k in range(n)], biases=[z[f"b{k}"] for k in range(n)],
            thresholds=Thresholds(**meta["thresholds"]), score_scale=meta["score_scale"],
            text_features=tuple(meta["text_features"]), info=meta["info"], digest=_digest(path))
    if head.text_features != TEXT_FEATURES:
        raise ModelError(f"the quality head {path} was trained on other text features than this align computes; "
                         f"{RETRAIN}")
    if head.weights[0].shape[0] != head.width or head.mean.shape[0] != head.width:
        raise ModelError(f"the quality head {path} expects {head.weights[0].shape[0]} features, its header "
                         f"describes {head.width}; {RETRAIN}")
    return head


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]
