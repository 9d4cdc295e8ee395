"""What a fixture expects of one English sentence: one class per expectation list of
``expect.json`` (aligned, not_aligned, unsupported, flags, verdicts, scores). Each class reads
its entries (``from_json``, once the schema holds), writes them back (``to_json``), says what
must hold (``describe``) and checks it on a report (``check``). ``KINDS``, the registry keyed on
the list's name, is also the order of the lists in the format.
"""
from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from align.regression.evaluate import Figures, Outcome, bounds, confidence_note, quote, within
from align.types import Flag, Pair, Sentence, Severity

if TYPE_CHECKING:
    from align.regression.evaluate import View
    from align.regression.fixture import Fixture, Reader

EN = -1  # Anchor.doc of the English document; Chinese sources are 0, 1, ...


@dataclass(frozen=True)
class Anchor:
    """A piece of a document's original text that occurs exactly once in it."""

    text: str
    doc: int  # EN, or the index of the Chinese source
    offset: int  # where ``text`` starts in ``Document.text``


@dataclass(frozen=True)
class Source:
    """A Chinese source as an expectation names it."""

    index: int  # in the fixture's zh
    name: str  # as written in expect.json


@dataclass(frozen=True)
class Note:
    """A note on an English sentence: nothing to check, shown with every failure on it."""

    en: Anchor
    note: str

    @classmethod
    def from_json(cls, data: dict[str, Any], index: int, inputs: Reader) -> Note:
        return cls(inputs.anchor(data["en"], EN, f"notes[{index}]"), data["note"])

    def to_json(self) -> dict[str, Any]:
        return {"en": self.en.text, "note": self.note}


KINDS: dict[str, type[Expectation]] = {}  # the expectation lists, in the format's order


@dataclass(frozen=True, kw_only=True)
class Expectation(ABC):
    """One entry of an expectation list, about one English sentence."""

    kind: ClassVar[str]  # the list it comes from
    tally: ClassVar[str | None] = None  # the figures its checks count in: "alignment", "flags" or none

    index: int  # its position in that list
    en: Anchor
    xfail: str | None = None  # why it is known to fail today; None: it must hold

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        if "kind" in cls.__dict__:  # a list of the format, not a base shared by several
            KINDS[cls.kind] = cls

    @property
    def label(self) -> str:
        return f"{self.kind}[{self.index}]"

    # --- the format ------------------------------------------------------------------------------

    @classmethod
    def from_json(cls, data: Any, index: int, inputs: Reader) -> Expectation:
        """The entry at ``index`` of the kind's list (valid by the schema), its anchors and sources
        resolved in the fixture's inputs; ``InputError`` names the entry at fault."""
        where = f"{cls.kind}[{index}]"
        return cls(index=index, en=inputs.anchor(data["en"], EN, where), xfail=data.get("xfail"),
                   **cls._fields(data, inputs, where))

    @classmethod
    def _fields(cls, data: dict[str, Any], inputs: Reader, where: str) -> dict[str, Any]:
        """The kind's own fields, from its entry."""
        return {}

    def to_json(self) -> dict[str, Any] | str:
        """The entry as expect.json holds it: keys left out where they say nothing."""
        return {"en": self.en.text, **self._json(), **_given(xfail=self.xfail)}

    def _json(self) -> dict[str, Any]:
        """The kind's own keys."""
        return {}

    # --- checking --------------------------------------------------------------------------------

    @abstractmethod
    def describe(self, fixture: Fixture) -> str:
        """What must hold, in words."""

    def check(self, view: View) -> Outcome:
        """Whether it holds on the report's pairs that hold the English sentence."""
        what = self.describe(view.fixture)
        pairs = view.pairs(self.en)
        if not pairs:
            return Outcome(self.label, what, False, self.xfail, "no pair of the report holds the anchored text",
                           figures=self.missed)
        held, problem, figures = self._judge(view, pairs)
        return Outcome(self.label, what, held, self.xfail, "" if held else problem,
                       () if held else view.show(pairs), figures)

    @property
    def missed(self) -> Figures:
        """What counts when no pair holds the English: an expected link or flag is not there either."""
        return Figures()

    @abstractmethod
    def _judge(self, view: View, pairs: list[Pair]) -> tuple[bool, str, Figures]:
        """(held, why not, what the tool did) on the pairs holding the English sentence."""


@dataclass(frozen=True, kw_only=True)
class LinkExpectation(Expectation):
    """What the English sentence is linked with: the three alignment lists."""

    tally = "alignment"

    zh: Anchor | None = None
    source: Source | None = None

    @classmethod
    def _fields(cls, data: dict[str, Any], inputs: Reader, where: str) -> dict[str, Any]:
        source = inputs.source(data["source"], where) if "source" in data else None
        return {"source": source, "zh": inputs.zh_anchor(data["zh"], source, where) if "zh" in data else None}

    def _json(self) -> dict[str, Any]:
        return _given(zh=self.zh.text if self.zh else None, source=self.source.name if self.source else None)

    def _counterpart(self, fixture: Fixture) -> str:
        """The Chinese named, in words: the sentence and its source, or all of a source."""
        if self.zh:
            return f"{quote(self.zh.text)} in {fixture.source_name(self.zh.doc)}"
        return f"anything in {fixture.source_name(self.source.index)}" if self.source else ""


@dataclass(frozen=True, kw_only=True)
class AlignedExpectation(LinkExpectation):
    """The English must be linked with the Chinese sentence ``zh`` (of ``source``, where given)."""

    kind = "aligned"

    def describe(self, fixture: Fixture) -> str:
        return f"{quote(self.en.text)} aligned with {self._counterpart(fixture)}{confidence_note(fixture)}"

    @property
    def missed(self) -> Figures:
        return Figures(fn=1)

    def _judge(self, view: View, pairs: list[Pair]) -> tuple[bool, str, Figures]:
        assert self.zh is not None  # the schema requires it
        links = [p for p in pairs if view.linked(p)]
        if any(view.covers(p, self.zh) for p in links):
            return True, "", Figures(tp=1)
        if links:
            return False, "it is aligned with other Chinese", Figures(fp=1, fn=1)
        weak = [p for p in pairs if p.source >= 0 and p.zh]
        if weak:
            return False, (f"its only link has confidence {weak[0].confidence:.2f}, below the fixture's "
                           f"min_confidence {view.fixture.min_confidence:.2f}"), Figures(fn=1)
        return False, "it has no Chinese counterpart", Figures(fn=1)


@dataclass(frozen=True, kw_only=True)
class NotAlignedExpectation(LinkExpectation):
    """The English must not be linked with the Chinese sentence ``zh``, or with anything in ``source``."""

    kind = "not_aligned"

    def describe(self, fixture: Fixture) -> str:
        return f"{quote(self.en.text)} not aligned with {self._counterpart(fixture)}{confidence_note(fixture)}"

    def _judge(self, view: View, pairs: list[Pair]) -> tuple[bool, str, Figures]:
        bad = [p for p in pairs if view.linked(p) and (self.zh is None or view.covers(p, self.zh))
               and (self.source is None or p.source == self.source.index)]
        if not bad:
            return True, "", Figures()
        return False, f"it is aligned with {view.names[bad[0].source]} (confidence {bad[0].confidence:.2f})", \
            Figures(fp=1)


@dataclass(frozen=True, kw_only=True)
class UnsupportedExpectation(NotAlignedExpectation):
    """The English must not be linked with anything: not aligned, with no zh and no source."""

    kind = "unsupported"

    @classmethod
    def from_json(cls, data: Any, index: int, inputs: Reader) -> Expectation:
        # A bare English anchor is the short form (the exporter writes it).
        return super().from_json({"en": data} if isinstance(data, str) else data, index, inputs)

    def to_json(self) -> dict[str, Any] | str:
        return super().to_json() if self.xfail else self.en.text

    def describe(self, fixture: Fixture) -> str:
        return f"{quote(self.en.text)} has no Chinese counterpart{confidence_note(fixture)}"


@dataclass(frozen=True, kw_only=True)
class FlagExpectation(Expectation):
    """A flag that must fire on the English sentence's pair, or, with ``absent``, must not."""

    kind = "flags"
    tally = "flags"

    name: str
    severity: str | None = None
    reason: str | None = None  # a substring of the flag's reason (case-insensitive)
    at: str | None = None  # text of the pair the flag must point at
    absent: bool = False

    @classmethod
    def _fields(cls, data: dict[str, Any], inputs: Reader, where: str) -> dict[str, Any]:
        if "at" in data:
            inputs.occurs(data["at"], where)
        return {"name": data["name"], "severity": data.get("severity"), "reason": data.get("reason"),
                "at": data.get("at"), "absent": data.get("absent", False)}

    def _json(self) -> dict[str, Any]:
        return {"name": self.name, **_given(severity=self.severity, reason=self.reason, at=self.at),
                **({"absent": True} if self.absent else {})}

    def describe(self, fixture: Fixture) -> str:
        details = [f"severity {self.severity}" if self.severity else "",
                   f"reason containing {quote(self.reason)}" if self.reason else "",
                   f"at {quote(self.at)}" if self.at else ""]
        detail = ", ".join(d for d in details if d)
        return (f"{'no ' if self.absent else 'a '}{self.name} flag on {quote(self.en.text)}"
                + (f" ({detail})" if detail else ""))

    @property
    def missed(self) -> Figures:
        return Figures() if self.absent else Figures(fn=1)  # an absent flag that cannot be checked is no evidence

    def _judge(self, view: View, pairs: list[Pair]) -> tuple[bool, str, Figures]:
        sentence = view.en_sentence(self.en)
        assert sentence is not None  # check() found its pairs
        found = [f for p in pairs for f in (p.quality.flags if p.quality else ())
                 if _on_sentence(f, p, sentence) and self._matches(f, p)]
        if self.absent:
            if not found:
                return True, "", Figures()
            return False, f"it fired ({found[0].severity}): {found[0].reason}", Figures(fp=1)
        if found:
            return True, "", Figures(tp=1)
        return False, "no such flag fired", Figures(fn=1)

    def _matches(self, flag: Flag, pair: Pair) -> bool:
        if flag.name != self.name or (self.severity and flag.severity != self.severity):
            return False
        if self.reason and self.reason.lower() not in flag.reason.lower():
            return False
        return self.at is None or _points_at(flag, pair, self.at)


@dataclass(frozen=True, kw_only=True)
class VerdictExpectation(Expectation):
    """The pair's garbled verdict, and with ``severity`` (garbled only) its worst flag's severity."""

    kind = "verdicts"

    garbled: bool
    severity: str | None = None

    @classmethod
    def _fields(cls, data: dict[str, Any], inputs: Reader, where: str) -> dict[str, Any]:
        return {"garbled": data["garbled"], "severity": data.get("severity")}

    def _json(self) -> dict[str, Any]:
        return {"garbled": self.garbled, **_given(severity=self.severity)}

    def describe(self, fixture: Fixture) -> str:
        verdict = "garbled" if self.garbled else "not garbled"
        return (f"{quote(self.en.text)} should be judged {verdict}"
                + (f" with a worst flag {self.severity}" if self.severity else ""))

    def _judge(self, view: View, pairs: list[Pair]) -> tuple[bool, str, Figures]:
        from align.quality.verdict import GARBLING  # loaded already: the report was scored

        qualities = [p.quality for p in pairs if p.quality]
        garbled = any(q.garbled for q in qualities)
        worst = Severity.worst(q.severity for q in qualities)
        if garbled != self.garbled:
            if garbled:
                why = next((f"{f.name} ({f.severity}): {f.reason}" for q in qualities for f in q.flags
                            if f.severity in GARBLING), "")
                return False, "align judges it garbled" + (f", because of {why}" if why else ""), Figures()
            scores = [f"{q.score:.1f}" for q in qualities if q.score is not None]
            return False, ("align judges it not garbled (" + (f"score {', '.join(scores)}, " if scores else "")
                           + "no major or critical flag)"), Figures()
        if self.severity and worst != self.severity:
            return False, f"align's worst flag on it is {worst or 'none'}", Figures()
        return True, "", Figures()


@dataclass(frozen=True, kw_only=True)
class ScoreExpectation(Expectation):
    """The pair's score within bounds (0 to 100)."""

    kind = "scores"

    min: float | None = None
    max: float | None = None

    @classmethod
    def _fields(cls, data: dict[str, Any], inputs: Reader, where: str) -> dict[str, Any]:
        low, high = data.get("min"), data.get("max")
        if low is not None and high is not None and low > high:
            inputs.fail(f"{where}: min {low} is above max {high}")
        return {"min": low, "max": high}

    def _json(self) -> dict[str, Any]:
        return _given(min=self.min, max=self.max)

    def describe(self, fixture: Fixture) -> str:
        return f"the score of {quote(self.en.text)} {bounds(self.min, self.max, 'g')}"

    def _judge(self, view: View, pairs: list[Pair]) -> tuple[bool, str, Figures]:
        scores = [p.quality.score for p in pairs if p.quality and p.quality.score is not None]
        if not scores:
            return False, "it has no score (no Chinese counterpart to score against)", Figures()
        held = all(within(s, self.min, self.max) for s in scores)
        return held, f"its score is {', '.join(f'{s:.1f}' for s in scores)}", Figures()


def to_lists(expectations: Iterable[Expectation], notes: Iterable[Note]) -> dict[str, list[Any]]:
    """The expectation lists of expect.json holding ``expectations`` and ``notes``, in the
    format's order; empty lists are left out."""
    expectations = list(expectations)
    lists: dict[str, list[Any]] = {kind: [e.to_json() for e in expectations if e.kind == kind] for kind in KINDS}
    lists["notes"] = [n.to_json() for n in notes]
    return {kind: entries for kind, entries in lists.items() if entries}


def _given(**values: Any) -> dict[str, Any]:
    """The keys whose value says something (not None)."""
    return {key: value for key, value in values.items() if value is not None}


def _on_sentence(flag: Flag, pair: Pair, sentence: Sentence) -> bool:
    """Whether the flag concerns this English sentence of its pair: an English span inside the
    sentence, or a flag on the Chinese side or on the pair as a whole (they concern every sentence)."""
    if flag.side != "en" or flag.start == flag.end:
        return True
    span = pair.document_span(flag)
    return span is not None and span.start < sentence.end and sentence.start < span.end


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
