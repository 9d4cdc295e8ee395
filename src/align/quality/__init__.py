"""Scores and flags: how good each English rendering is, and why it is not.

``assess(pairs, encoder)`` gives every ``(chinese, english)`` pair a ``Quality``:
a 0-100 score, the flags the checks raised (``checks/``), and the garbled
verdict from both together.
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from align.quality.checks import check_pairs
from align.types import Quality
from align.vectors import Encoder

__all__ = ["assess", "signature"]


def signature() -> str:
    """The part of a run's signature that pins the quality scorer."""
    return "qe:cosine"


def assess(pairs: Sequence[tuple[str, str]], encoder: Encoder,
           refs: Sequence[str | None] | None = None) -> list[Quality]:
    """A ``Quality`` for every ``(chinese, english)`` pair, in input order.

    A pair with an empty Chinese side gets no score, only the English-only checks.
    """
    if not pairs:
        return []
    linked = [i for i, (zh, _) in enumerate(pairs) if zh.strip()]
    cosine = np.full(len(pairs), np.nan)
    if linked:
        zh = encoder.encode([pairs[i][0] for i in linked])
        en = encoder.encode([pairs[i][1] for i in linked])
        cosine[linked] = np.sum(zh * en, axis=1)
    out = []
    for cos, found in zip(cosine, check_pairs(pairs, refs)):
        scored = not np.isnan(cos)
        score = round(float(np.clip(cos, 0.0, 1.0) * 100), 1) if scored else None
        garbled = any(f.severity in ("major", "critical") for f in found.flags)
        signals = dict(found.signals)
        if scored:
            signals["cosine"] = round(float(cos), 4)
        out.append(Quality(score, garbled, found.flags, signals))
    return out
