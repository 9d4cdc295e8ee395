"""Scores and flags: how good each English rendering is, and why it is not.

``assess(pairs)`` gives every ``PairText`` a ``Quality``: a 0-100
score from the learned head (``head.py``, on ``features.py``, combined with the
cross-encoder's reading of the pair, ``cross.py``), the flags the
checks raised (``checks/``), and the garbled verdict from both (``verdict.py``).
The head encodes with its own frozen encoder(s), whatever encoder aligned the
texts, so a score means the same under every ``--model``.
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

import numpy as np

from align.errors import ModelError
from align.quality.checks import CHECKS, check_pairs
from align.quality.cross import cached_outputs
from align.quality.features import pair_features, severity_counts
from align.quality.head import RETRAIN, EncoderSpec, QualityHead, load_head, to_penalty
from align.quality.verdict import verdict
from align.types import PairText, Quality
from align.vectors import Encoder, Progress

__all__ = ["assess", "signature"]


def signature() -> str:
    """The part of a run's signature that pins the quality scorer: the head file's digest, its encoders
    and the cross-encoder file's digest."""
    return load_head().signature()


def assess(pairs: Sequence[PairText], encoder: Encoder | None = None,
           progress: Progress | None = None) -> list[Quality]:
    """A ``Quality`` for every pair, in input order.

    ``encoder`` is reused when it is the head's own encoder (saves loading it twice).
    A pair's reference translation goes to the checks. A pair with an empty Chinese side
    gets no score, only the English-only checks. On a ``partial`` pair (comparable mode:
    the Chinese is another report's telling, not the English's source) each check raises
    only what such a pair can prove, and what the other report states differently comes
    back as ``Quality.notes``.
    """
    if not pairs:
        return []
    head = load_head()
    _check_registry(head)
    findings = check_pairs(pairs)
    linked = [i for i, p in enumerate(pairs) if p.zh.strip()]
    penalty = np.full(len(pairs), np.nan)
    cosine = np.full(len(pairs), np.nan)
    cross_penalty = np.full(len(pairs), np.nan)
    own_penalty = np.full(len(pairs), np.nan)  # the head's alone, before the cross-encoder's word
    flags_penalty = np.zeros(len(pairs))  # what the checks' flags add to the predicted penalty
    if linked:
        sub = [pairs[i] for i in linked]
        vectors = [_encode(sub, _encoder(spec, encoder), progress) for spec in head.encoders]
        sub_findings = [findings[i] for i in linked]
        X = pair_features(sub, sub_findings, vectors, head.check_features)
        cross = cached_outputs([(p.zh, p.en) for p in sub])  # torch loads only for pairs not scored before
        own = head.log_penalty(X)
        penalty[linked] = head.combined_penalty(own, cross)
        flags_penalty[linked] = head.flags_penalty(severity_counts([f.flags for f in sub_findings]))
        cross_penalty[linked] = to_penalty(cross[:, 0])
        own_penalty[linked] = to_penalty(own)
        u, v = vectors[0]
        cosine[linked] = np.sum(u * v, axis=1)
    out = []
    for pen, flag_pen, cos, cross_pen, own_pen, found in zip(penalty, flags_penalty, cosine, cross_penalty,
                                                             own_penalty, findings):
        signals = dict(found.signals)
        score = model_score = None
        explanation = ""
        if not np.isnan(pen):
            # The score counts the flags' own penalty; the verdict's score test does not, since a major
            # flag is garbled on its own and a minor one is not meant to tip it (counted twice otherwise).
            score = round(float(head.score(pen + flag_pen)), 1)
            model_score = round(float(head.score(pen)), 1)
            signals["qe.penalty"] = round(float(pen + flag_pen), 3)
            signals["flags.penalty"] = round(float(flag_pen), 3)
            signals["cosine"] = round(float(cos), 4)
            signals["cross.penalty"] = round(float(cross_pen), 3)
            signals["head.penalty"] = round(float(own_pen), 3)
            explanation = f"predicted MQM penalty {pen:.1f}, cosine {cos:.2f}"
            if flag_pen:
                explanation += f"; the flags' own {flag_pen:g} more makes it {score:.1f}"
        garbled, extra = verdict(model_score, found.flags, head.thresholds, explanation)
        out.append(Quality(score, garbled, found.flags + extra, signals, found.notes))
    return out


def _check_registry(head: QualityHead) -> None:
    """A head trained on flags no registered check raises would read zeros for them."""
    registered = {n for c in CHECKS for n in c.flag_names}
    missing = sorted({n.split(":")[1] for n in head.check_features if n.startswith("flag:")} - registered)
    if missing:
        raise ModelError(f"the quality head was trained with the flag(s) {', '.join(missing)}, "
                         f"which no registered check raises; {RETRAIN}")


def _encode(pairs: Sequence[PairText], encoder: Encoder,
            progress: Progress | None) -> tuple[np.ndarray, np.ndarray]:
    """(Chinese vectors, English vectors), in one call so one progress bar covers both sides."""
    vecs = encoder.encode([p.zh for p in pairs] + [p.en for p in pairs], progress)
    return vecs[: len(pairs)], vecs[len(pairs):]


def _encoder(spec: EncoderSpec, given: Encoder | None) -> Encoder:
    encoder = given if given is not None and given.name == spec.name else _load_encoder(spec.name)
    if (encoder.model_id, encoder.dim) != (spec.model_id, spec.dim):
        raise ModelError(f"the quality head was trained on {spec.model_id} ({spec.dim} dims) but this "
                         f"installation's {spec.name} is {encoder.model_id} ({encoder.dim} dims); {RETRAIN}")
    return encoder


@lru_cache(maxsize=2)
def _load_encoder(name: str) -> Encoder:
    from align.vectors import get_encoder

    return get_encoder(name)
