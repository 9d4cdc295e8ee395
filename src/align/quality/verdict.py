"""The garbled verdict: from the 0-100 score and the checks' flags together.

A critical flag is garbled on its own (the check is sure: not a translation at all,
left untranslated). Otherwise the score decides, and a major flag raises the bar:
a pair is garbled when it scores below ``Thresholds.score``, or below the higher
``Thresholds.with_major`` while a check raised a major flag. Both thresholds are
chosen on training judgments (``eval/train_qe.py``) and ship with the head.
Whenever the score takes part in a verdict, a ``score`` flag says so and why.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from align.types import Flag

SCORE_FLAG = "score"


@dataclass(frozen=True)
class Thresholds:
    score: float  # below it a pair is garbled whatever the checks say
    with_major: float  # below it a pair with a major flag is garbled (>= score)


def verdict(score: float | None, flags: Sequence[Flag], thresholds: Thresholds,
            explanation: str = "") -> tuple[bool, tuple[Flag, ...]]:
    """Whether the pair is garbled, and the flags to add (a ``score`` flag when the score counted).

    ``score`` is None when the English has no Chinese side: then only the flags speak,
    and a major one is enough. ``explanation`` (the signals behind the score) ends the
    ``score`` flag's reason.
    """
    severities = {f.severity for f in flags}
    if score is None:
        return bool(severities & {"major", "critical"}), ()
    tail = f" ({explanation})" if explanation else ""
    if score < thresholds.score:
        return True, (Flag(SCORE_FLAG, "major", f"quality score {score:.1f} is below {thresholds.score:.1f}{tail}"),)
    if "critical" in severities:
        return True, ()
    if "major" in severities and score < thresholds.with_major:
        majors = ", ".join(dict.fromkeys(f.name for f in flags if f.severity == "major"))
        return True, (Flag(SCORE_FLAG, "major", f"quality score {score:.1f} is below {thresholds.with_major:.1f} "
                                                 f"with a major flag ({majors}){tail}"),)
    return False, ()
