"""A report checked against a fixture: every expectation held or broken (each expectation
checks itself through a ``View`` of the report), the pair it is about shown, and the alignment
and flag figures defined in FIXTURES.md.

An English anchor names the sentence holding its first character; the report's pairs
holding that sentence (normally one) are what the expectation is checked on.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import TYPE_CHECKING, Any

from align.types import Pair, Report, Sentence

if TYPE_CHECKING:
    from align.regression.expectations import Anchor
    from align.regression.fixture import Fixture

_SHOW_CHARS = 240  # a pair's text is cut here in messages; the report has it whole


@dataclass(frozen=True)
class ShownPair:
    """What a failure message shows of one pair."""

    index: int  # Pair.index; shown from 1, as every face numbers pairs
    en: str
    zh: str
    source: str  # the Chinese document's name; "" when nothing supports the English
    confidence: float
    score: float | None
    garbled: bool
    flags: tuple[tuple[str, str, str], ...]  # (name, severity, reason)
    notes: tuple[str, ...] = ()  # the fixture's notes on this English

    def lines(self) -> list[str]:
        zh = (f"{_cut(self.zh)}  ({self.source}, confidence {self.confidence:.2f})" if self.source
              else "(no Chinese counterpart)")
        score = "no score" if self.score is None else f"score {self.score:.1f}"
        flags = "; ".join(f"{name} ({severity}): {reason}" for name, severity, reason in self.flags) or "none"
        return [f"  pair {self.index + 1}",
                f"    EN  {_cut(self.en)}",
                f"    ZH  {zh}",
                f"    {score}, {'garbled' if self.garbled else 'not garbled'}, flags: {flags}",
                *(f"    note: {note}" for note in self.notes)]


@dataclass(frozen=True)
class Figures:
    """Counts over a fixture's expectations, and the precision/recall/F1 they give (None: no evidence)."""

    tp: int = 0
    fp: int = 0
    fn: int = 0

    def __add__(self, other: Figures) -> Figures:
        return Figures(self.tp + other.tp, self.fp + other.fp, self.fn + other.fn)

    @property
    def precision(self) -> float | None:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else None

    @property
    def recall(self) -> float | None:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else None

    @property
    def f1(self) -> float | None:
        p, r = self.precision, self.recall
        if p is None or r is None:
            return None
        return 2 * p * r / (p + r) if p + r else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {"tp": self.tp, "fp": self.fp, "fn": self.fn, "precision": _round(self.precision),
                "recall": _round(self.recall), "f1": _round(self.f1)}


@dataclass(frozen=True)
class Outcome:
    """One expectation checked: whether it held, and if not, why, with the pairs concerned."""

    label: str  # "aligned[1]", "ranking", ...
    expectation: str  # what must hold, in words
    held: bool
    xfail: str | None = None
    problem: str = ""  # why it does not hold
    pairs: tuple[ShownPair, ...] = ()
    figures: Figures = field(default_factory=Figures)  # what the tool did, for the fixture's figures

    @property
    def failed(self) -> bool:
        """Whether it breaks the fixture: it does not hold, or it is marked xfail and holds now."""
        return self.held == bool(self.xfail)

    def message(self) -> str:
        if self.held:
            return (f"{self.label} {self.expectation}: holds now, but is marked xfail "
                    f"({self.xfail}); remove the xfail")
        return "\n".join([f"{self.label} {self.expectation}: {self.problem}",
                          *(line for p in self.pairs for line in p.lines())])


@dataclass(frozen=True)
class FixtureResult:
    """One fixture run: its outcomes and figures, or the error that stopped it."""

    name: str
    description: str = ""
    model: str = ""
    mode: str = ""
    outcomes: tuple[Outcome, ...] = ()
    alignment: Figures = field(default_factory=Figures)
    flags: Figures = field(default_factory=Figures)
    error: str | None = None  # a bad fixture or input: nothing was checked
    signature: str = ""  # the report's: versions, model, mode, quality scorer
    timings: dict[str, float] = field(default_factory=dict)  # the report's seconds per stage

    @property
    def status(self) -> str:
        if self.error:
            return "error"
        return "fail" if self.failures else "pass"

    @property
    def failures(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.failed]

    @property
    def held(self) -> int:
        return sum(o.held for o in self.outcomes)

    @property
    def xfailed(self) -> int:
        """Expectations marked xfail that still fail, as known."""
        return sum(bool(o.xfail) and not o.held for o in self.outcomes)

    def failure_text(self) -> str:
        """What broke, for a person: a headline with the figures, then every broken expectation."""
        if self.error:
            return self.error
        a, f = self.alignment, self.flags
        head = (f"{self.name} ({self.model}, {self.mode}): {len(self.failures)} of {len(self.outcomes)} "
                f"expectations broken; alignment P/R/F1 {figure(a.precision)}/{figure(a.recall)}/{figure(a.f1)}, "
                f"flag R/P {figure(f.recall)}/{figure(f.precision)}")
        return "\n\n".join([head, *(o.message() for o in self.failures)])

    def to_dict(self) -> dict[str, Any]:
        return {
            "name": self.name, "description": self.description, "model": self.model, "mode": self.mode,
            "status": self.status, "error": self.error, "held": self.held, "total": len(self.outcomes),
            "xfailed": self.xfailed, "alignment": self.alignment.to_dict(), "flags": self.flags.to_dict(),
            "signature": self.signature, "timings": self.timings,
            "expectations": [{"label": o.label, "expectation": o.expectation, "held": o.held, "xfail": o.xfail,
                              "failed": o.failed, "problem": o.problem, "pairs": [asdict(p) for p in o.pairs]}
                             for o in self.outcomes],
        }


def evaluate(fixture: Fixture, report: Report) -> FixtureResult:
    """Check every expectation of ``fixture`` on ``report`` (built from the fixture's inputs)."""
    view = View(fixture, report)
    checked = [(exp, exp.check(view)) for exp in fixture.expectations]

    def total(tally: str) -> Figures:
        return sum((outcome.figures for exp, outcome in checked if exp.tally == tally), Figures())

    return FixtureResult(fixture.name, fixture.description, fixture.model, fixture.mode,
                         (*view.document_outcomes(), *(outcome for _, outcome in checked)),
                         total("alignment"), total("flags"))


class View:
    """The report seen through the fixture: anchors to sentences, sentences to pairs."""

    def __init__(self, fixture: Fixture, report: Report) -> None:
        self.fixture = fixture
        self.report = report
        self.names = [doc.name for doc in report.sources]

    # --- where anchors land ----------------------------------------------------------------------

    def en_sentence(self, anchor: Anchor) -> Sentence | None:
        return next((s for s in self.report.multi.en if s.start <= anchor.offset < s.end), None)

    def zh_sentence(self, anchor: Anchor) -> int | None:
        sentences = self.report.multi.alignments[anchor.doc].zh
        return next((s.index for s in sentences if s.start <= anchor.offset < s.end), None)

    def pairs(self, anchor: Anchor) -> list[Pair]:
        sentence = self.en_sentence(anchor)
        return [p for p in self.report.pairs if sentence.index in p.en] if sentence else []

    def linked(self, p: Pair) -> bool:
        """Whether the pair counts as an alignment: a Chinese side, with enough confidence."""
        return p.source >= 0 and bool(p.zh) and p.confidence >= self.fixture.min_confidence

    def covers(self, p: Pair, zh: Anchor) -> bool:
        return p.source == zh.doc and self.zh_sentence(zh) in p.zh

    def show(self, pairs: list[Pair]) -> tuple[ShownPair, ...]:
        out = []
        for p in pairs:
            q = p.quality
            notes = tuple(n.note for n in self.fixture.notes
                          if (s := self.en_sentence(n.en)) is not None and s.index in p.en)
            out.append(ShownPair(
                p.index, p.en_text, p.zh_text, self.names[p.source] if p.source >= 0 else "", p.confidence,
                q.score if q else None, bool(q and q.garbled),
                tuple((f.name, f.severity, f.reason) for f in (q.flags if q else ())), notes))
        return tuple(out)

    # --- the document as a whole -----------------------------------------------------------------

    def document_outcomes(self) -> list[Outcome]:
        out = []
        f = self.fixture
        if f.ranking:
            ranking = self.report.multi.ranking
            names = ", ".join(f.source_name(k) for k in f.ranking)
            actual = ", ".join(f"{s.name} (coverage {s.coverage:.2f})" for s in ranking)
            held = [s.source for s in ranking[:len(f.ranking)]] == list(f.ranking)
            out.append(Outcome("ranking", f"the sources ranked {names} first", held,
                               problem="" if held else f"the ranking is {actual or 'empty'}"))
        if f.supported:
            low, high = f.supported
            total = sum(len(p.en_text) for p in self.report.pairs) or 1
            share = sum(len(p.en_text) for p in self.report.pairs if self.linked(p)) / total
            held = within(share, low, high)
            out.append(Outcome("supported", f"share of the English aligned {bounds(low, high, '.2f')}"
                               f"{confidence_note(f)}", held,
                               problem="" if held else f"{share:.2f} of the English is aligned"))
        return out


def figure(value: float | None) -> str:
    """A precision, recall or F1 as shown: two decimals, "-" where there is no evidence."""
    return "-" if value is None else f"{value:.2f}"


def confidence_note(fixture: Fixture) -> str:
    """How the fixture counts links, where it says (its min_confidence)."""
    m = fixture.min_confidence
    return f" (counting links of confidence {m:.2f} or more)" if m else ""


def within(value: float, low: float | None, high: float | None) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


def bounds(low: float | None, high: float | None, fmt: str) -> str:
    if low is not None and high is not None:
        return f"between {low:{fmt}} and {high:{fmt}}"
    return f"at least {low:{fmt}}" if low is not None else f"at most {high:{fmt}}"


def quote(text: str, limit: int = 40) -> str:
    return f"'{text if len(text) <= limit else text[:limit - 1] + '…'}'"


def _cut(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _SHOW_CHARS else flat[:_SHOW_CHARS - 1] + "…"


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
