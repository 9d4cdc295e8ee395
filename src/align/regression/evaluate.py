"""A report checked against a fixture: every expectation held or broken, the pair it is
about shown, and the alignment and flag figures defined in FIXTURES.md.

An English anchor names the sentence holding its first character; the report's pairs
holding that sentence (normally one) are what the expectation is checked on.
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

from align.regression.fixture import (Anchor, Expectation, Fixture, FlagExpectation, LinkExpectation,
                                      ScoreExpectation, VerdictExpectation)
from align.types import Flag, Pair, Report, Sentence, Severity

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
class Outcome:
    """One expectation checked: whether it held, and if not, why, with the pairs concerned."""

    label: str  # "aligned[1]", "ranking", ...
    expectation: str  # what must hold, in words
    held: bool
    xfail: str | None = None
    problem: str = ""  # why it does not hold
    pairs: tuple[ShownPair, ...] = ()

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
    view = _View(fixture, report)
    outcomes = view.document_outcomes()
    alignment, flags = Figures(), Figures()
    for exp in fixture.expectations:
        outcome, figures = view.check(exp)
        outcomes.append(outcome)
        if isinstance(exp, LinkExpectation):
            alignment += figures
        elif isinstance(exp, FlagExpectation):
            flags += figures
    return FixtureResult(fixture.name, fixture.description, fixture.model, fixture.mode, tuple(outcomes),
                         alignment, flags)


class _View:
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
            held = _within(share, low, high)
            out.append(Outcome("supported", f"share of the English aligned {_bounds(low, high, '.2f')}"
                               f"{self._confidence_note()}", held,
                               problem="" if held else f"{share:.2f} of the English is aligned"))
        return out

    def _confidence_note(self) -> str:
        m = self.fixture.min_confidence
        return f" (counting links of confidence {m:.2f} or more)" if m else ""

    # --- one expectation -------------------------------------------------------------------------

    def check(self, exp: Expectation) -> tuple[Outcome, Figures]:
        what = self.describe(exp)
        pairs = self.pairs(exp.en)
        if not pairs:
            # The expected link or flag is not there either.
            missed = Figures(fn=1) if exp.kind == "aligned" or (isinstance(exp, FlagExpectation) and not exp.absent) \
                else Figures()
            return Outcome(exp.label, what, False, exp.xfail, "no pair of the report holds the anchored text"), missed
        if isinstance(exp, LinkExpectation):
            held, problem, figures = self._link(exp, pairs)
        elif isinstance(exp, FlagExpectation):
            held, problem, figures = self._flag(exp, pairs)
        elif isinstance(exp, VerdictExpectation):
            held, problem, figures = self._verdict(exp, pairs)
        else:
            assert isinstance(exp, ScoreExpectation)
            held, problem, figures = self._score(exp, pairs)
        return Outcome(exp.label, what, held, exp.xfail, "" if held else problem,
                       () if held else self.show(pairs)), figures

    def _link(self, exp: LinkExpectation, pairs: list[Pair]) -> tuple[bool, str, Figures]:
        links = [p for p in pairs if self.linked(p)]
        if exp.kind == "aligned":
            assert exp.zh is not None
            if any(self.covers(p, exp.zh) for p in links):
                return True, "", Figures(tp=1)
            if links:
                return False, "it is aligned with other Chinese", Figures(fp=1, fn=1)
            weak = [p for p in pairs if p.source >= 0 and p.zh]
            if weak:
                return False, (f"its only link has confidence {weak[0].confidence:.2f}, below the fixture's "
                               f"min_confidence {self.fixture.min_confidence:.2f}"), Figures(fn=1)
            return False, "it has no Chinese counterpart", Figures(fn=1)
        bad = [p for p in links if (exp.zh is None or self.covers(p, exp.zh))
               and (exp.source is None or p.source == exp.source)]
        if not bad:
            return True, "", Figures()
        return False, f"it is aligned with {self.names[bad[0].source]} (confidence {bad[0].confidence:.2f})", \
            Figures(fp=1)

    def _flag(self, exp: FlagExpectation, pairs: list[Pair]) -> tuple[bool, str, Figures]:
        sentence = self.en_sentence(exp.en)
        assert sentence is not None  # check() found its pairs
        found = [f for p in pairs for f in (p.quality.flags if p.quality else ())
                 if _on_sentence(f, p, sentence) and _matches(f, p, exp)]
        if exp.absent:
            if not found:
                return True, "", Figures()
            return False, f"it fired ({found[0].severity}): {found[0].reason}", Figures(fp=1)
        if found:
            return True, "", Figures(tp=1)
        return False, "no such flag fired", Figures(fn=1)

    def _verdict(self, exp: VerdictExpectation, pairs: list[Pair]) -> tuple[bool, str, Figures]:
        qualities = [p.quality for p in pairs if p.quality]
        garbled = any(q.garbled for q in qualities)
        worst = Severity.worst(q.severity for q in qualities)
        if garbled != exp.garbled:
            if garbled:
                why = next((f"{f.name} ({f.severity}): {f.reason}" for q in qualities for f in q.flags
                            if f.severity in ("major", "critical")), "")
                return False, "align judges it garbled" + (f", because of {why}" if why else ""), Figures()
            scores = [f"{q.score:.1f}" for q in qualities if q.score is not None]
            return False, ("align judges it not garbled (" + (f"score {', '.join(scores)}, " if scores else "")
                           + "no major or critical flag)"), Figures()
        if exp.severity and worst != exp.severity:
            return False, f"align's worst flag on it is {worst or 'none'}", Figures()
        return True, "", Figures()

    def _score(self, exp: ScoreExpectation, pairs: list[Pair]) -> tuple[bool, str, Figures]:
        scores = [p.quality.score for p in pairs if p.quality and p.quality.score is not None]
        if not scores:
            return False, "it has no score (no Chinese counterpart to score against)", Figures()
        held = all(_within(s, exp.min, exp.max) for s in scores)
        return held, f"its score is {', '.join(f'{s:.1f}' for s in scores)}", Figures()

    # --- in words --------------------------------------------------------------------------------

    def describe(self, exp: Expectation) -> str:
        en = _quote(exp.en.text)
        if isinstance(exp, LinkExpectation):
            zh = f"{_quote(exp.zh.text)} in {self.fixture.source_name(exp.zh.doc)}" if exp.zh else ""
            source = f"anything in {self.fixture.source_name(exp.source)}" if exp.source is not None else ""
            note = self._confidence_note()
            if exp.kind == "aligned":
                return f"{en} aligned with {zh}{note}"
            if exp.kind == "not_aligned":
                return f"{en} not aligned with {zh or source}{note}"
            return f"{en} has no Chinese counterpart{note}"
        if isinstance(exp, FlagExpectation):
            details = [f"severity {exp.severity}" if exp.severity else "",
                       f"reason containing {_quote(exp.reason)}" if exp.reason else "",
                       f"at {_quote(exp.at)}" if exp.at else ""]
            detail = ", ".join(d for d in details if d)
            return (f"{'no ' if exp.absent else 'a '}{exp.name} flag on {en}"
                    + (f" ({detail})" if detail else ""))
        if isinstance(exp, VerdictExpectation):
            verdict = "garbled" if exp.garbled else "not garbled"
            return f"{en} should be judged {verdict}" + (f" with a worst flag {exp.severity}" if exp.severity else "")
        assert isinstance(exp, ScoreExpectation)
        return f"the score of {en} {_bounds(exp.min, exp.max, 'g')}"


def _on_sentence(flag: Flag, pair: Pair, sentence: Sentence) -> bool:
    """Whether the flag concerns this English sentence of its pair: an English span inside the
    sentence, or a flag on the Chinese side or on the pair as a whole (they concern every sentence)."""
    if flag.side != "en" or flag.start == flag.end:
        return True
    span = pair.document_span(flag)
    return span is not None and span.start < sentence.end and sentence.start < span.end


def _matches(flag: Flag, pair: Pair, exp: FlagExpectation) -> bool:
    if flag.name != exp.name or (exp.severity and flag.severity != exp.severity):
        return False
    if exp.reason and exp.reason.lower() not in flag.reason.lower():
        return False
    return exp.at is None or _points_at(flag, pair, exp.at)


def _points_at(flag: Flag, pair: Pair, at: str) -> bool:
    """Whether the flag covers ``at`` in the pair's text; a flag on the pair as a whole covers all of it."""
    if flag.start == flag.end:
        return at in pair.en_text or at in pair.zh_text
    text = pair.en_text if flag.side == "en" else pair.zh_text
    start = text.find(at)
    while start >= 0:
        if start < flag.end and flag.start < start + len(at):
            return True
        start = text.find(at, start + 1)
    return False


def figure(value: float | None) -> str:
    """A precision, recall or F1 as shown: two decimals, "-" where there is no evidence."""
    return "-" if value is None else f"{value:.2f}"


def _within(value: float, low: float | None, high: float | None) -> bool:
    return (low is None or value >= low) and (high is None or value <= high)


def _bounds(low: float | None, high: float | None, fmt: str) -> str:
    if low is not None and high is not None:
        return f"between {low:{fmt}} and {high:{fmt}}"
    return f"at least {low:{fmt}}" if low is not None else f"at most {high:{fmt}}"


def _quote(text: str, limit: int = 40) -> str:
    return f"'{text if len(text) <= limit else text[:limit - 1] + '…'}'"


def _cut(text: str) -> str:
    flat = " ".join(text.split())
    return flat if len(flat) <= _SHOW_CHARS else flat[:_SHOW_CHARS - 1] + "…"


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)
