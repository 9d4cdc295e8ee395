"""Where flags point: a pair's text cut into pieces by the flags covering them.

Every renderer highlights offending spans the same way, so the cutting lives here:
flag offsets index the pair's text on their side, overlapping flags are allowed,
and a piece carries all the flags that cover it.
"""
from __future__ import annotations

from dataclasses import dataclass

from align.types import Flag, Pair, Severity, Side


@dataclass(frozen=True)
class Piece:
    """A run of a pair's text covered by the same flags (none: plain text)."""

    text: str
    flags: tuple[Flag, ...] = ()

    @property
    def severity(self) -> Severity | None:
        return Severity.worst(f.severity for f in self.flags)


def pair_flags(pair: Pair) -> tuple[Flag, ...]:
    return pair.quality.flags if pair.quality else ()


def pieces(text: str, flags: tuple[Flag, ...] | list[Flag], side: Side) -> list[Piece]:
    """``text`` cut at the edges of the flags on ``side`` that cover a span of it.

    Flags with ``start == end`` concern the pair as a whole and highlight nothing.
    Offsets past the text are clipped: a check's bad offset must not break a report.
    """
    marked = []
    for f in flags:
        start, end = max(0, min(f.start, len(text))), max(0, min(f.end, len(text)))
        if f.side == side and end > start:
            marked.append((start, end, f))
    cuts = sorted({0, len(text)} | {s for s, _, _ in marked} | {e for _, e, _ in marked})
    out: list[Piece] = []
    for a, b in zip(cuts, cuts[1:]):
        covering = tuple(f for s, e, f in marked if s <= a and e >= b)
        if out and out[-1].flags == covering:
            out[-1] = Piece(out[-1].text + text[a:b], covering)
        else:
            out.append(Piece(text[a:b], covering))
    return out


def flagged_text(pair: Pair, flag: Flag) -> str:
    """The text a flag points at ("" for a flag on the pair as a whole)."""
    text = pair.en_text if flag.side == "en" else pair.zh_text
    return text[max(0, flag.start):max(0, flag.end)]
