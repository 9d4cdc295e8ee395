"""The learned quality head: pair features -> predicted MQM penalty -> 0-100 score.

Two models, combined COMET-style: a linear model on the frozen features predicts log(1 + MQM),
and a ``Combiner`` stacked on it adds the cross-encoder's two outputs (``cross.py``), fitted
on mqm2020 items neither had trained on. The head's own inference is numpy only. The weights
live in ``qe-head.npz`` next to this file, written by ``eval/train_qe.py`` and loaded on first
use (never at import). The file records what the head was trained on - the encoders (name,
model id, dimensions), the text and check feature names, the verdict thresholds - so a
head that does not fit this installation is refused with one clear line rather
than scoring garbage; so is one fitted with another cross-encoder file than the shipped one.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import numpy as np

from align.errors import ModelError
from align.quality.cross import CROSS_FILE, file_digest
from align.quality.features import TEXT_FEATURES, vector_width
from align.quality.verdict import Thresholds

HEAD_FILE = Path(__file__).with_name("qe-head.npz")
FORMAT = 2  # 2: the combiner with the cross-encoder
RETRAIN = "retrain it with `python eval/train_qe.py DATA_DIR`"


@dataclass(frozen=True)
class EncoderSpec:
    name: str
    model_id: str
    dim: int


@dataclass(frozen=True)
class Combiner:
    """The worse of two predictions of log(1 + MQM penalty): the head's own less ``slack``, and the
    linear stack ``head * (the head's) + penalty * (the cross-encoder's predicted log-penalty) +
    garbled * (its garbled logit) + bias``; ``cross_digest``: the cross-encoder file it was fitted with.

    The stack alone ranks the sentences of an article better than the head (mqm2021 per article
    .425 against .387) but, least squares shrinking the extremes, lets the head's surest go: an
    unrelated sentence it scores 28 the stack puts at 54. The head's own prediction less the slack
    is a floor under the stack: it may rank a pair better than the head alone, by up to ``slack``
    (0.3, chosen with the head before its garbles: per article .426, recall of the clearly garbled
    at 5 % .370; ``eval/train_qe.py``).

    ``flag_penalty`` is added to the combined penalty, in MQM's units, for every flag a check
    raised, by severity (minor, major, critical). The head's flag columns act in log-penalty and
    were fitted on judgments where a flag mostly falls on renderings the other features already
    mark bad, so a flag on an otherwise fluent rendering moved the score little: a misspelling the
    spelling check flagged scored lower than the faithful rendering only 61 % of the time.
    Files written before the slack or the flag penalty have none (0)."""

    head: float
    penalty: float
    garbled: float
    bias: float
    cross_digest: str
    slack: float = 0.0
    flag_penalty: tuple[float, ...] = (0.0, 0.0, 0.0)

    def __post_init__(self) -> None:
        object.__setattr__(self, "flag_penalty", tuple(float(x) for x in self.flag_penalty))  # JSON gives a list

    def stacked(self, head_log_penalty: np.ndarray, cross: np.ndarray) -> np.ndarray:
        """The linear stack; ``cross``: one row of ``cross.CROSS_FEATURES`` per pair."""
        return (self.head * np.asarray(head_log_penalty) + self.penalty * cross[:, 0] + self.garbled * cross[:, 1]
                + self.bias)

    def log_penalty(self, head_log_penalty: np.ndarray, cross: np.ndarray) -> np.ndarray:
        return np.maximum(np.asarray(head_log_penalty) - self.slack, self.stacked(head_log_penalty, cross))


@dataclass
class QualityHead:
    """A small MLP (or a linear model: no hidden layer) on standardised features.

    It predicts log(1 + MQM penalty), through ``combiner`` when it has one (a shipped head
    does; the heads fitted per fold while training do not); ``score`` maps the penalty to 0-100 by
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
    combiner: Combiner | None = None

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

    def penalty(self, X: np.ndarray, cross: np.ndarray | None = None) -> np.ndarray:
        """The predicted MQM penalty (0: no error) of every row of features; ``cross``, the
        cross-encoder's outputs for the same rows, is required when the head has a combiner.
        The flags' own penalty (``flags_penalty``) is not in it."""
        return self.combined_penalty(self.log_penalty(X), cross)

    def combined_penalty(self, own_log_penalty: np.ndarray, cross: np.ndarray | None) -> np.ndarray:
        """``penalty`` from the head's own log-penalty of the rows (``log_penalty(X)``)."""
        if self.combiner is not None:
            own_log_penalty = self.combiner.log_penalty(own_log_penalty, cross)
        return to_penalty(own_log_penalty)

    def flags_penalty(self, severities: np.ndarray) -> np.ndarray:
        """The penalty the checks' flags add to ``penalty``; ``severities``: the flags of each row by
        severity (``features.severity_counts``)."""
        weights = self.combiner.flag_penalty if self.combiner is not None else (0.0,) * severities.shape[1]
        return severities @ np.asarray(weights)

    def score(self, penalty: np.ndarray) -> np.ndarray:
        """0-100, 100 = faithful; strictly decreasing in the penalty."""
        return 100.0 * np.exp(-np.asarray(penalty, dtype=np.float64) / self.score_scale)

    def signature(self) -> str:
        cross = f"+cross-encoder:{self.combiner.cross_digest}" if self.combiner is not None else ""
        return f"qe-head:{self.digest}:{'+'.join(e.model_id for e in self.encoders)}{cross}"


def save_head(head: QualityHead, path: Path = HEAD_FILE) -> str:
    """Write the head as float32 arrays plus a JSON header; returns the file's digest."""
    if head.combiner is None:
        raise ValueError("a head is saved with its combiner (eval/train_qe.py fits it)")
    meta = {
        # a slack or flag penalty of 0 is left out, so a head fitted without one is the same file as before
        "format": FORMAT, "combiner": {k: v for k, v in vars(head.combiner).items()
                                       if k not in ("slack", "flag_penalty") or any(np.atleast_1d(v))},
        "encoders": [vars(e) for e in head.encoders],
        "text_features": list(head.text_features),
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


def to_penalty(log_penalty: np.ndarray) -> np.ndarray:
    """An MQM penalty from a predicted log(1 + penalty), never below 0."""
    return np.maximum(np.expm1(log_penalty), 0.0)


@lru_cache(maxsize=4)
def load_head(path: Path = HEAD_FILE, cross_path: Path = CROSS_FILE) -> QualityHead:
    """The head at ``path``, checked against this installation and the cross-encoder at ``cross_path``."""
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
            text_features=tuple(meta["text_features"]), info=meta["info"], digest=_digest(path),
            combiner=Combiner(**meta["combiner"]))
    if head.text_features != TEXT_FEATURES:
        raise ModelError(f"the quality head {path} was trained on other text features than this align computes; "
                         f"{RETRAIN}")
    if head.weights[0].shape[0] != head.width or head.mean.shape[0] != head.width:
        raise ModelError(f"the quality head {path} expects {head.weights[0].shape[0]} features, its header "
                         f"describes {head.width}; {RETRAIN}")
    if head.combiner.cross_digest != file_digest(cross_path):
        raise ModelError(f"the quality head {path} was fitted with the cross-encoder {head.combiner.cross_digest}, "
                         f"this installation has {file_digest(cross_path)} ({cross_path}); {RETRAIN}")
    return head


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:12]
