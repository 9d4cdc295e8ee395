"""Broken word order: English whose function words stand where English grammar never puts them."""
from __future__ import annotations

from align.lexicon.english import AUXILIARIES, CONJUNCTIONS, PREPOSITIONS, tokens
from align.quality.checks.base import Check, Finding
from align.types import Flag, PairText, Severity

_ARTICLES = frozenset({"the", "a", "an"})
# What cannot follow an article: another article, a preposition, a conjunction, an
# auxiliary ("the of", "a the", "the and", "an is").
_NOT_AFTER_ARTICLE = _ARTICLES | PREPOSITIONS | CONJUNCTIONS | AUXILIARIES
# Words a sentence or clause cannot end on.
_NO_CLAUSE_END = _ARTICLES | frozenset({"of", "and", "or", "the", "with", "from", "than"})


class OrderCheck(Check):
    """Scrambled English: article + function word, preposition + conjunction, a clause
    ending on an article or "of", a full stop mid-sentence, a lower-case opening.
    One such slip happens in hand-made text; two or more in a sentence mean the word
    order is broken."""

    name = "order"

    def run(self, pair: PairText) -> Finding:
        en = pair.en
        toks = tokens(en)
        bad: list[tuple[int, int]] = []
        if toks and toks[0].is_word and toks[0].text[0].islower() and toks[0].start == len(en) - len(en.lstrip()):
            bad.append((toks[0].start, toks[0].end))  # a sentence opening in lower case
        for a, b in zip(toks, toks[1:]):
            gap = en[a.end:b.start]
            if a.lower in _ARTICLES and (b.lower in _NOT_AFTER_ARTICLE and gap.strip() == ""):
                bad.append((a.start, b.end))
            elif a.lower in PREPOSITIONS and (b.lower in CONJUNCTIONS or b.lower == "of") and gap.strip() == "":
                bad.append((a.start, b.end))  # "of and", "in of"
            elif a.lower in _NO_CLAUSE_END and any(c in gap for c in ",.;!?"):
                bad.append((a.start, a.end))
            elif gap.strip() == "." and gap != "." and b.is_word and b.text[0].islower() and "." not in en[a.start:a.end]:
                bad.append((a.start, b.end))  # a full stop inside the sentence ("crashed. into")
        if toks and toks[-1].lower in _NO_CLAUSE_END:
            bad.append((toks[-1].start, toks[-1].end))
        flags = []
        if len(bad) >= 2:
            shown = ", ".join(f"'{en[s:e]}'" for s, e in bad[:3])
            flags.append(Flag(self.name, Severity.MAJOR, f"word order is broken: {shown}", "en", bad[0][0], bad[-1][1]))
        words = sum(1 for t in toks if t.is_word)
        signals = {"order.slips": float(len(bad)), "order.slip_rate": len(bad) / words if words else 0.0}
        return Finding(tuple(flags), signals)
