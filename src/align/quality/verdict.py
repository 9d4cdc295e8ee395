"""The garbled verdict: from the checks' flags and the 0-100 score together.

A major or critical flag is garbled on its own: the check names what went wrong
(a number, a name, a missing clause), and a reviewer must see every such pair
whatever the learned score thinks of it. A pair no check objects to is garbled
when it scores below ``Thresholds.score``, chosen on training judgments
(``eval/train_qe.py``) and shipped with the head; a ``score`` flag then says so and why.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from align.types import Flag, Severity

SCORE_FLAG = "score"
GARBLING = frozenset({Severity.MAJOR, Severity.CRITICAL})


@dataclass(frozen=True)
class Thresholds:
    score: float  # below it a pair is garbled whatever the checks say


def verdict(score: float | None, flags: Sequence[Flag], thresholds: Thresholds,
            explanation: str = "") -> tuple[bool, tuple[Flag, ...]]:
    """Whether the pair is garbled, and the flags to add (a ``score`` flag when the score counted).

    ``score`` is None when the English has no Chinese side: then only the flags speak.
    ``explanation`` (the signals behind the score) ends the ``score`` flag's reason.
    """
    if score is not None and score < thresholds.score:
        tail = f" ({explanation})" if explanation else ""
        reason = f"quality score {score:.1f} is below {thresholds.score:.1f}{tail}"
        return True, (Flag(SCORE_FLAG, Severity.MAJOR, reason),)
    return any(f.severity in GARBLING for f in flags), ()
