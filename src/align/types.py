"""The plain data types that flow through the pipeline.

Offsets are always character offsets into ``Document.text`` (the decoded original,
after HTML has been turned into text), so every later stage can point back at
exactly what the reviewer sees.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Literal

# The enums' values are the strings the JSON report, the HTML and the regression fixtures
# have always carried, so every output stays byte-identical.


class Severity(StrEnum):
    """How bad a flag is. Members compare mildest first (minor < major < critical), not
    alphabetically as their strings would; a plain string compares as its member."""

    MINOR = "minor"
    MAJOR = "major"
    CRITICAL = "critical"

    @property
    def rank(self) -> int:
        """1 (minor) to 3 (critical)."""
        return list(Severity).index(self) + 1

    def __lt__(self, other: str) -> bool:
        return self.rank < Severity(other).rank

    def __le__(self, other: str) -> bool:
        return self.rank <= Severity(other).rank

    def __gt__(self, other: str) -> bool:
        return self.rank > Severity(other).rank

    def __ge__(self, other: str) -> bool:
        return self.rank >= Severity(other).rank

    @classmethod
    def worst(cls, severities: Iterable[str | None]) -> Severity | None:
        """The worst of ``severities`` (None entries, "nothing fired", skipped); None when none is left."""
        return max((cls(s) for s in severities if s is not None), default=None)


class Language(StrEnum):
    """What a document or sentence is written in, as ``documents.langid`` tells it."""

    ZH = "zh"
    EN = "en"
    OTHER = "other"  # Japanese, Korean, anything else: refused where Chinese or English is needed


class Mode(StrEnum):
    """How a Chinese text relates to the English. ``AUTO`` is only ever asked for: an
    ``Alignment`` records the mode it chose, parallel or comparable."""

    AUTO = "auto"
    PARALLEL = "parallel"  # the English translates this Chinese
    COMPARABLE = "comparable"  # another report of the same event


class RemovalKind(StrEnum):
    """Why ingestion took text out of an article (``Removal.kind``)."""

    MENU = "menu"  # navigation, breadcrumbs, link lists
    WIDGET = "widget"  # share/print/font-size controls
    FOOTER = "footer"  # copyright, ICP, contact blocks
    PAGER = "pager"  # 上一篇/下一篇 links
    DUPLICATE = "duplicate"  # a second copy of article text
    SPAM = "spam"  # strings injected into the page, possibly inside sentences


# Which text of a pair a flag's offsets index (a language, but never "other").
Side = Literal["zh", "en"]


@dataclass(frozen=True)
class Span:
    """A half-open character range ``[start, end)`` of ``Document.text``."""

    start: int
    end: int

    def __len__(self) -> int:
        return self.end - self.start


@dataclass(frozen=True)
class Removal:
    """Text that ingestion took out of the article, and why (``kind``: see ``RemovalKind``)."""

    kind: RemovalKind
    start: int
    end: int
    text: str
    reason: str


@dataclass
class Document:
    """One input file, decoded and cleaned.

    ``body`` lists the spans of ``text`` kept as article text, in order; every
    character of ``text`` outside ``body`` that is not whitespace is covered by a
    ``Removal``. ``spam`` removals may also lie inside a body span: the sentence
    keeps its original text but its matching form drops the spam.
    """

    path: str
    text: str
    encoding: str
    language: Language
    script: str | None = None  # "simplified" / "traditional" for Chinese, else None
    is_html: bool = False
    body: list[Span] = field(default_factory=list)
    removals: list[Removal] = field(default_factory=list)
    # What reading had to repair, one phrase each ("3 bytes not valid UTF-8 at byte 120 ..."):
    # the file was read, but the reviewer should know.
    problems: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]


@dataclass(frozen=True)
class Sentence:
    """One sentence of a document.

    ``text`` is ``doc.text[start:end]`` exactly; ``norm`` is the form used for
    matching only (traditional -> simplified, full-width -> half-width, injected
    spam removed, whitespace collapsed).
    """

    index: int
    text: str
    start: int
    end: int
    lang: Language
    norm: str


@dataclass(frozen=True)
class Bead:
    """One correspondence: Chinese sentence indices and English sentence indices.

    Either side may be empty (a sentence with no counterpart). ``score`` is the
    aligner's raw evidence for the bead; ``confidence`` is the calibrated
    probability that the bead is right. ``source`` indexes the Chinese document
    the ``zh`` indices refer to in multi-source alignment (-1: no source has it).
    """

    zh: tuple[int, ...]
    en: tuple[int, ...]
    score: float = 0.0
    confidence: float = 0.0
    source: int = 0

    @property
    def kind(self) -> str:
        return f"{len(self.zh)}-{len(self.en)}"

    def gold(self) -> str:
        """The bead in the gold-file notation of the alignment data sets: ``[0,1]:[2]``."""
        return f"[{','.join(map(str, self.zh))}]:[{','.join(map(str, self.en))}]"


@dataclass
class Alignment:
    """The beads between one English text and one Chinese text, and how they were found."""

    zh: list[Sentence]
    en: list[Sentence]
    beads: list[Bead]
    mode: Mode  # parallel or comparable, never auto
    reason: str = ""  # why auto mode chose ``mode``
    model_id: str = ""
    timings: dict[str, float] = field(default_factory=dict)

    def span(self, bead: Bead, side: Side) -> Span | None:
        """Character offsets covered by one side of a bead in its document."""
        sents = self.zh if side == "zh" else self.en
        idx = bead.zh if side == "zh" else bead.en
        if not idx:
            return None
        return Span(sents[idx[0]].start, sents[idx[-1]].end)


@dataclass(frozen=True)
class SourceSupport:
    """How much of the English one Chinese report supports."""

    source: int
    name: str
    mode: Mode
    coverage: float  # share of English characters in beads with a Chinese side
    matched: int  # English sentences with a counterpart
    mean_confidence: float


@dataclass
class MultiAlignment:
    """One English text against several Chinese reports."""

    en: list[Sentence]
    alignments: list[Alignment]  # one per source, in the order given
    names: list[str]
    ranking: list[SourceSupport]  # best supporting source first
    best: list[Bead]  # per English sentence, its best-supported bead across sources


@dataclass(frozen=True)
class Flag:
    """One check that fired on a pair: what, how bad, why, and where.

    ``name`` is the check's name (``number``, ``name``, ``untranslated``,
    ``repetition``, ``spelling``, ``casing``, ``omission``, ``addition``,
    ``boilerplate``, ``reference``, ``score``...). ``side`` says which text
    ``start``/``end`` index: ``"en"`` or ``"zh"``, offsets into the pair's text on
    that side (the bead's span of the original document, so a report adds the
    span's start to point into the document). ``start == end`` flags the pair as
    a whole (an omission has no English span).
    """

    name: str
    severity: Severity
    reason: str  # one line a reviewer reads: "48.2亿元 (4.82 billion) rendered as 48.2 million"
    side: Side = "en"
    start: int = 0
    end: int = 0


@dataclass(frozen=True)
class Quality:
    """How good one English rendering is as a translation of its Chinese.

    ``score`` is 0-100 (100: a faithful translation), None when the English has
    no Chinese counterpart to score against (the English-only checks still run);
    ``garbled`` is the verdict from the score and the flags together; ``signals`` holds the raw numbers the
    verdict came from (cosine, head output, chrF with a reference...), so every
    verdict can be explained. ``notes`` (comparable pairs only) say what the other report
    states differently: information for the reviewer, never part of the verdict.
    """

    score: float | None
    garbled: bool
    flags: tuple[Flag, ...] = ()
    signals: dict[str, float] = field(default_factory=dict)
    notes: tuple[Flag, ...] = ()

    @property
    def severity(self) -> Severity | None:
        """The worst severity among the flags, or None when nothing fired."""
        return Severity.worst(f.severity for f in self.flags)


@dataclass(frozen=True)
class PairText:
    """One pair as the quality stage sees it: original Chinese, English, optional reference
    translation of the English, and what kind of link it is.

    ``partial``: the Chinese is another report's telling of the event (a comparable-mode
    link), not the English's source. Such a pair proves nothing about what the English
    leaves out, adds or states differently (the other report may say more, less or
    otherwise); it still shows a garbled rendering of a term both sides use, and every
    English-only check applies as usual. Each cross-lingual check says what it does then.
    An empty ``zh`` is English with no counterpart: no score, only the English-only checks.
    """

    zh: str
    en: str
    ref: str | None = None
    partial: bool = False


@dataclass(frozen=True)
class Pair:
    """One English bead of a report with its best Chinese support and its quality.

    ``source`` indexes ``Report.sources`` (-1: no report supports these English
    sentences, and ``zh`` is empty). Spans are offsets into the documents'
    original text.
    """

    index: int
    en: tuple[int, ...]
    zh: tuple[int, ...]
    source: int
    en_text: str
    zh_text: str
    en_span: Span | None
    zh_span: Span | None
    confidence: float  # the alignment's calibrated confidence in the link
    quality: Quality | None = None  # set by the quality stage

    def document_span(self, flag: Flag) -> Span | None:
        """A flag's span (offsets into the pair's text) as offsets into its side's document
        (None: that side has no text)."""
        span = self.en_span if flag.side == "en" else self.zh_span
        if span is None:
            return None
        return Span(span.start + flag.start, span.start + flag.end)


@dataclass
class Report:
    """Everything one run found: the inputs as read, the alignment, and every pair's quality."""

    en: Document
    sources: list[Document]
    multi: MultiAlignment
    pairs: list[Pair]
    model_id: str
    signature: str  # how to reproduce the numbers: model, mode, versions
    timings: dict[str, float] = field(default_factory=dict)
