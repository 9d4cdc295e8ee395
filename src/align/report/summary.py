"""Document-level figures of a report, and the orders pairs are listed in.

Every face (terminal, HTML, Markdown, JSON, dashboard) shows the same numbers, so
they are computed once here. Shares are of English characters, the way source
coverage is, so a long garbled sentence weighs more than a short one.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from align.types import Document, Mode, Pair, Report, Severity

SORTS = ("worst", "document")


@dataclass(frozen=True)
class SourceSummary:
    """One Chinese report: how much of the English it supports, and how it was aligned."""

    rank: int  # 1: the best supporting source
    source: int  # index into Report.sources
    name: str
    mode: Mode
    reason: str  # why auto mode chose the mode
    script: str | None
    coverage: float  # share of English characters it supports on its own
    matched: int  # English sentences with a counterpart in it
    mean_confidence: float
    pairs: int  # report pairs whose best support it is


@dataclass(frozen=True)
class RemovalSummary:
    """What ingestion took out of one document."""

    name: str
    role: str  # "en" or "source"
    removals: int
    chars: int
    by_kind: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Summary:
    english: str
    sources: list[SourceSummary]  # best supporting first
    pairs: int
    linked: int  # pairs with a Chinese side
    scored: int  # pairs with a score
    supported: float  # share of English characters in linked pairs
    flagged_pairs: int  # pairs with at least one flag
    flagged: float  # share of English characters in flagged pairs
    garbled_pairs: int
    garbled: float  # share of English characters in garbled pairs
    mean_score: float | None  # over scored pairs
    flags_by_severity: dict[str, int]  # every severity, minor first
    pairs_by_severity: dict[str, int]  # pairs by their worst flag
    flags_by_name: dict[str, int]  # most frequent first
    worst: list[int]  # indices of the worst pairs, worst first
    removals: list[RemovalSummary]  # English first, then the sources in order
    model_id: str
    signature: str
    timings: dict[str, float]

    @property
    def best_source(self) -> SourceSummary | None:
        """The top-ranked source, when it supports anything at all."""
        return self.sources[0] if self.sources and self.sources[0].matched else None


def severity_rank(severity: str | None) -> int:
    """0 for no flag, then 1 (minor) to 3 (critical)."""
    return Severity(severity).rank if severity else 0


def pair_severity(pair: Pair) -> Severity | None:
    return pair.quality.severity if pair.quality else None


def is_garbled(pair: Pair) -> bool:
    return bool(pair.quality and pair.quality.garbled)


def pair_number(pair: Pair) -> int:
    """The number a person sees for a pair, in every face: pairs count from 1 in document order."""
    return pair.index + 1


# "Worst first", defined once for every face (terminal, HTML, Markdown, TSV, dashboard).
WORST_FIRST = "worst first (worst flag, then lowest score)"


def badness(pair: Pair) -> tuple:
    """Sort key, worst first: the worst flag's severity (critical, major, minor, none), then
    the lowest score (unscored pairs after scored ones), then document order."""
    q = pair.quality
    score = q.score if q and q.score is not None else float("inf")
    return (-severity_rank(pair_severity(pair)), score, pair.index)


def order_pairs(pairs: Iterable[Pair], sort: str = "worst", min_severity: str | None = None) -> list[Pair]:
    """Pairs to list: those with a flag of at least ``min_severity`` (all when None),
    worst first or in document order."""
    if sort not in SORTS:
        raise ValueError(f"sort must be one of {SORTS}, not {sort!r}")
    floor = severity_rank(min_severity)
    chosen = [p for p in pairs if severity_rank(pair_severity(p)) >= floor]
    return sorted(chosen, key=badness) if sort == "worst" else sorted(chosen, key=lambda p: p.index)


def count_at_least(pairs: Iterable[Pair], severity: str) -> int:
    """Flags of ``severity`` or worse over all pairs (what ``--fail-on`` gates on)."""
    floor = severity_rank(severity)
    return sum(1 for p in pairs if p.quality for f in p.quality.flags if severity_rank(f.severity) >= floor)


def summarise(report: Report, worst: int = 5) -> Summary:
    """The figures of one report; ``worst`` caps the list of worst pairs."""
    pairs = report.pairs
    total = sum(len(p.en_text) for p in pairs) or 1

    def share(chosen: Sequence[Pair]) -> float:
        return round(sum(len(p.en_text) for p in chosen) / total, 4)

    linked = [p for p in pairs if p.source >= 0 and p.zh_text]
    flagged = [p for p in pairs if p.quality and p.quality.flags]
    garbled = [p for p in pairs if is_garbled(p)]
    scores = [p.quality.score for p in pairs if p.quality and p.quality.score is not None]
    flags = [f for p in pairs if p.quality for f in p.quality.flags]
    by_severity = Counter(f.severity for f in flags)
    pair_worst = Counter(pair_severity(p) for p in flagged)
    # Worth a reviewer's eye: anything flagged or scored; unsupported English with no flag is not.
    candidates = [p for p in pairs if p.quality and (p.quality.flags or p.quality.score is not None)]
    per_source = Counter(p.source for p in linked)
    multi = report.multi
    sources = [SourceSummary(
        rank=rank, source=s.source, name=s.name, mode=s.mode,
        reason=multi.alignments[s.source].reason if s.source < len(multi.alignments) else "",
        script=report.sources[s.source].script if s.source < len(report.sources) else None,
        coverage=s.coverage, matched=s.matched, mean_confidence=s.mean_confidence,
        pairs=per_source[s.source]) for rank, s in enumerate(multi.ranking, 1)]
    return Summary(
        english=report.en.name, sources=sources, pairs=len(pairs), linked=len(linked), scored=len(scores),
        supported=share(linked), flagged_pairs=len(flagged), flagged=share(flagged),
        garbled_pairs=len(garbled), garbled=share(garbled),
        mean_score=round(sum(scores) / len(scores), 1) if scores else None,
        flags_by_severity={s: by_severity[s] for s in Severity},
        pairs_by_severity={s: pair_worst[s] for s in Severity},
        flags_by_name=dict(sorted(Counter(f.name for f in flags).items(), key=lambda kv: (-kv[1], kv[0]))),
        worst=[p.index for p in sorted(candidates, key=badness)[:worst]],
        removals=[_removals(report.en, "en")] + [_removals(d, "source") for d in report.sources],
        model_id=report.model_id, signature=report.signature, timings=dict(report.timings),
    )


def _removals(doc: Document, role: str) -> RemovalSummary:
    kinds = Counter(r.kind for r in doc.removals)
    return RemovalSummary(doc.name, role, len(doc.removals), sum(r.end - r.start for r in doc.removals),
                          dict(sorted(kinds.items(), key=lambda kv: (-kv[1], kv[0]))))


def describe_timings(timings: dict[str, float]) -> str:
    """"read 0.05 s, encode 0.31 s, align 0.42 s, score 0.61 s (total 1.39 s)": the pipeline's
    stages in the order they ran; "" when none was measured."""
    known = [(k, v) for k, v in timings.items() if v == v]  # NaN: not measured
    if not known:
        return ""
    parts = ", ".join(f"{name} {value:.2f} s" for name, value in known)
    return f"{parts} (total {sum(v for _, v in known):.2f} s)"


def checks_line(flags_by_name: dict[str, int]) -> tuple[str, int]:
    """The flags by check, and apart from them the pairs the low score alone flags
    (the ``score`` flag is the verdict's, not a check's)."""
    from align.quality.verdict import SCORE_FLAG

    checks = ", ".join(f"{n} {k}" for k, n in flags_by_name.items() if k != SCORE_FLAG)
    return checks, flags_by_name.get(SCORE_FLAG, 0)


def source_lines(s: Summary) -> list[tuple[str, str]]:
    """The best source and how its mode was chosen, as (label, text) lines every face shows."""
    best = s.best_source
    if best is None:
        return [("Best source", "no source supports the English")]
    return [("Best source", f"{best.name}: {best.matched} English sentences linked, "
                            f"the best support of {best.pairs} pairs"),
            ("Mode", f"{best.reason} (the mode decision's evidence, before linking)"
             if best.reason else best.mode)]


def quality_line(s: Summary) -> str:
    scored = (f"mean score {s.mean_score:.1f} over {s.scored} scored pairs; " if s.mean_score is not None
              else "no pair could be scored; ")
    return (f"{scored}{s.garbled_pairs} pairs garbled ({s.garbled:.1%} of the English characters), "
            f"{s.flagged_pairs} flagged ({s.flagged:.1%})")


def describe_removals(r: RemovalSummary) -> str:
    """"3 menu, 1 footer (1,234 characters)" or "nothing"."""
    if not r.removals:
        return "nothing"
    kinds = ", ".join(f"{n} {kind}" for kind, n in r.by_kind.items())
    return f"{kinds} ({r.chars:,} characters)"
