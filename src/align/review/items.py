"""What a reviewer looks at for each pair, and the stable key decisions hang on.

A decision must survive re-running the alignment on a changed file, so it is keyed
not by the pair's index but by what the pair *is*: the Chinese document it came
from and the normalised text of both sides. A pair that did not change keeps its
key, and so its decisions; a pair whose text changed is a new pair to review.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass

from align.types import Flag, Pair, Report, Sentence, Severity

_SPACE = re.compile(r"\s+")


def normalise(text: str) -> str:
    """The form a key is computed from: NFKC, whitespace collapsed, so re-wrapping a file keeps keys."""
    return _SPACE.sub(" ", unicodedata.normalize("NFKC", text)).strip()


def pair_key(source: str, en_text: str, zh_text: str, occurrence: int = 0) -> str:
    """sha256 of (source document name, English, Chinese); ``occurrence`` tells identical pairs apart."""
    h = hashlib.sha256()
    for part in (source, normalise(en_text), normalise(zh_text), str(occurrence)):
        h.update(part.encode("utf-8"))
        h.update(b"\x00")
    return h.hexdigest()


@dataclass(frozen=True)
class ReviewItem:
    """One pair of a report as the reviewer sees it, with its neighbours for context."""

    key: str
    pair: Pair
    source_name: str  # the Chinese document the pair's Chinese comes from; "" when none supports it
    en_sentences: tuple[str, ...]  # the pair's English sentences, original text
    zh_sentences: tuple[str, ...]  # the pair's Chinese sentences, original text
    en_before: str
    en_after: str
    zh_before: str
    zh_after: str

    @property
    def flags(self) -> tuple[Flag, ...]:
        return self.pair.quality.flags if self.pair.quality else ()

    @property
    def severity(self) -> Severity | None:
        """The worst severity among the tool's flags, or None when nothing fired."""
        return self.pair.quality.severity if self.pair.quality else None

    @property
    def score(self) -> float | None:
        return self.pair.quality.score if self.pair.quality else None

    def flag_names(self) -> list[str]:
        """Distinct flag names, in the order the checks listed them."""
        return list(dict.fromkeys(f.name for f in self.flags))


def items_from_report(report: Report) -> list[ReviewItem]:
    """A ``ReviewItem`` for every pair of the report, in report order."""
    en_sents: list[Sentence] = list(report.multi.en) if report.multi else []
    seen: dict[tuple[str, str, str], int] = {}
    items = []
    for p in report.pairs:
        source = report.sources[p.source].name if 0 <= p.source < len(report.sources) else ""
        ident = (source, normalise(p.en_text), normalise(p.zh_text))
        occurrence = seen.get(ident, 0)
        seen[ident] = occurrence + 1
        zh_sents: list[Sentence] = []
        if report.multi and 0 <= p.source < len(report.multi.alignments):
            zh_sents = list(report.multi.alignments[p.source].zh)
        items.append(ReviewItem(
            key=pair_key(source, p.en_text, p.zh_text, occurrence),
            pair=p,
            source_name=source,
            en_sentences=_texts(en_sents, p.en) or ((p.en_text,) if p.en_text else ()),
            zh_sentences=_texts(zh_sents, p.zh) or ((p.zh_text,) if p.zh_text else ()),
            en_before=_neighbour(en_sents, p.en, -1),
            en_after=_neighbour(en_sents, p.en, +1),
            zh_before=_neighbour(zh_sents, p.zh, -1),
            zh_after=_neighbour(zh_sents, p.zh, +1),
        ))
    return items


def _texts(sents: list[Sentence], idx: tuple[int, ...]) -> tuple[str, ...]:
    if not idx or any(not 0 <= i < len(sents) for i in idx):
        return ()
    return tuple(sents[i].text for i in idx)


def _neighbour(sents: list[Sentence], idx: tuple[int, ...], step: int) -> str:
    if not idx:
        return ""
    i = (idx[0] if step < 0 else idx[-1]) + step
    return sents[i].text if 0 <= i < len(sents) else ""


# Severity filter values: the minimum worst-severity a pair must reach, or a special case.
SEVERITY_FILTERS = {
    "all": "any severity",
    Severity.MINOR: "flagged (minor+)",
    Severity.MAJOR: "major or worse",
    Severity.CRITICAL: "critical",
    "clean": "no flags",
}
STATUS_FILTERS = {"all": "all pairs", "open": "not reviewed", "done": "reviewed"}


def matches(item: ReviewItem, reviewed: bool, severity: str = "all", flag: str = "all",
            query: str = "", status: str = "all") -> bool:
    """Whether the item passes the list's filters (severity, flag name, status) and its search."""
    worst = item.severity
    if severity == "clean" and worst is not None:
        return False
    if severity in tuple(Severity) and (worst is None or worst < severity):
        return False
    if flag != "all" and flag not in item.flag_names():
        return False
    if status == "open" and reviewed or status == "done" and not reviewed:
        return False
    if query:
        q = query.casefold()
        haystack = " ".join((item.pair.en_text, item.pair.zh_text, item.source_name,
                             *(f.reason for f in item.flags), *(f.name for f in item.flags)))
        if q not in haystack.casefold():
            return False
    return True
