"""What the learned quality head sees of a pair (a ``PairText``), as named columns.

Three groups, each named so the head's weights file records exactly what it was trained on:

- vector features, COMET-style, from a frozen encoder's vectors u (Chinese) and v (English):
  u, v, |u-v|, u*v and the cosine;
- ``text.*``: statistics of the two texts that need no check (lengths, length ratio, script shares);
- check features, read generically from the checks' ``Finding``s: every signal by its name
  (``signal:numbers.changed``) and the number of flags per flag name and severity, for
  every flag name a check declares (``flag:number:major``, ``flag:omission:major``), so a new check or signal is picked up by retraining, not by code.
"""
from __future__ import annotations

import math
import re
import unicodedata
from collections.abc import Sequence

import numpy as np

from align.documents.langid import script_counts
from align.quality.checks import Check, Finding
from align.types import Flag, PairText, Severity

TEXT_FEATURES = (
    "text.zh_chars",  # log(1 + non-space characters of the Chinese)
    "text.en_words",  # log(1 + English words)
    "text.length_ratio",  # log of English characters per Chinese character
    "text.zh_han", "text.zh_latin", "text.zh_digits",  # shares of the Chinese non-space characters
    "text.en_han", "text.en_latin", "text.en_digits", "text.en_punct", "text.en_other",  # ... of the English
    "text.en_upper",  # share of capitals among the English letters
)

_WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")
_SPACE = re.compile(r"\s+")


def vector_features(u: np.ndarray, v: np.ndarray) -> np.ndarray:
    """``[u, v, |u-v|, u*v, cos]`` per row, for L2-normalised u (Chinese) and v (English)."""
    return np.hstack([u, v, np.abs(u - v), u * v, np.sum(u * v, axis=1, keepdims=True)]).astype(np.float32)


def vector_width(dim: int) -> int:
    """Columns ``vector_features`` gives for vectors of ``dim`` dimensions."""
    return 4 * dim + 1


def text_features(zh: str, en: str) -> list[float]:
    """The ``TEXT_FEATURES`` of one pair."""
    zh_chars = _SPACE.sub("", zh)
    en_chars = _SPACE.sub("", en)
    zh_n, en_n = max(len(zh_chars), 1), max(len(en_chars), 1)
    zh_han, _, zh_latin, _ = script_counts(zh_chars)
    en_han, en_kana, en_latin, en_other = script_counts(en_chars)
    en_digits = sum(c.isdigit() for c in en_chars)
    en_punct = sum(unicodedata.category(c).startswith("P") for c in en_chars)
    letters = [c for c in en_chars if c.isalpha()]
    return [
        math.log1p(len(zh_chars)),
        math.log1p(len(_WORD.findall(en))),
        math.log((len(en_chars) + 1) / (len(zh_chars) + 1)),
        zh_han / zh_n, zh_latin / zh_n, sum(c.isdigit() for c in zh_chars) / zh_n,
        en_han / en_n, en_latin / en_n, en_digits / en_n, en_punct / en_n, (en_kana + en_other) / en_n,
        sum(c.isupper() for c in letters) / max(len(letters), 1),
    ]


def check_feature_names(findings: Sequence[Finding], checks: Sequence[Check]) -> list[str]:
    """The check columns for a training set: every signal seen, and a flag count for every flag name
    the checks declare (``Check.flag_names``) at every severity."""
    signals = sorted({name for found in findings for name in found.signals})
    return [f"signal:{s}" for s in signals] + [f"flag:{n}:{sev}" for c in checks for n in c.flag_names
                                               for sev in Severity]


def check_features(findings: Sequence[Finding], names: Sequence[str]) -> np.ndarray:
    """The named check columns; a signal a check did not report on a pair counts as 0."""
    column = {name: j for j, name in enumerate(names)}
    out = np.zeros((len(findings), len(names)), dtype=np.float32)
    for i, found in enumerate(findings):
        for name, value in found.signals.items():
            j = column.get(f"signal:{name}")
            if j is not None and math.isfinite(value):
                out[i, j] = value
        for flag in found.flags:
            j = column.get(f"flag:{flag.name}:{flag.severity}")
            if j is not None:
                out[i, j] += 1
    return out


def severity_counts(flags: Sequence[Sequence[Flag]]) -> np.ndarray:
    """How many flags the checks raised on each pair, one column per severity (mildest first)."""
    order = {sev: j for j, sev in enumerate(Severity)}
    out = np.zeros((len(flags), len(order)))
    for i, raised in enumerate(flags):
        for flag in raised:
            out[i, order[flag.severity]] += 1
    return out


def pair_features(pairs: Sequence[PairText], findings: Sequence[Finding],
                  vectors: Sequence[tuple[np.ndarray, np.ndarray]], check_names: Sequence[str]) -> np.ndarray:
    """All columns for every pair: one vector block per encoder (in the order given), text, checks."""
    rows = [text_features(p.zh, p.en) for p in pairs]
    text = np.array(rows, dtype=np.float32).reshape(len(pairs), len(TEXT_FEATURES))
    blocks = [vector_features(u, v) for u, v in vectors]
    return np.hstack([*blocks, text, check_features(findings, check_names)])
