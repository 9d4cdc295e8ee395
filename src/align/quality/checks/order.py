"""Broken word order and lost words: English whose function words stand where English grammar never
puts them ("meeting held the of was city"), or a determiner left with nothing to determine ("the
government and its must respect science", "who came off the, also")."""
from __future__ import annotations

from align.lexicon.english import AUXILIARIES, CONJUNCTIONS, PREPOSITIONS, Token, in_address, tokens
from align.quality.checks.base import Check, Finding
from align.types import Flag, PairText, Severity

_ARTICLES = frozenset({"the", "a", "an"})
# What cannot follow an article: another article, a preposition, a conjunction, an
# auxiliary ("the of", "a the", "the and", "an is").
_NOT_AFTER_ARTICLE = _ARTICLES | PREPOSITIONS | CONJUNCTIONS | AUXILIARIES
# Words a sentence or clause cannot end on.
_NO_CLAUSE_END = _ARTICLES | frozenset({"of", "and", "or", "the", "with", "from", "than"})

# Auxiliaries that are nouns too: "the will of the people", "with all your might", "a must".
_ALSO_NOUNS = frozenset("will can may might".split())
# A lost word, alone: a word that always determines a word after it ("his", "her", "this" and
# "that" can stand alone), followed by a word that can never be that word (nor one of _ALSO_NOUNS)
# or by the end of a clause. On MQM 2020 and 2021 (a one-off count; eval/checks_eval.py's row reads
# 0.0 % throughout): none of the 3,691 machine translations judged perfect nor of the 5,129 human ones
# has one, 1 of the other 19,770 ("its and its"); machine translation that drops the noun after "the" does.
_DETERMINERS = _ARTICLES | frozenset("its their our your my".split())
_NEVER_DETERMINED = frozenset("of to in on at for from by with into and or but is are was were has have had "
                              "does did would could should shall must also".split())
# Joined to a neighbour by these, a word is part of a compound (the in-laws, a to-do, and/or).
_JOINED = "-‐'’/"
_CLAUSE_PUNCTUATION = frozenset(",.;:!?)]")


class OrderCheck(Check):
    """Scrambled English: article + function word, preposition + conjunction, a clause
    ending on an article or "of", a full stop mid-sentence, a lower-case opening.
    One such slip happens in hand-made text; two or more in a sentence mean the word
    order is broken (``order``, major). A determiner with nothing to determine is a word
    lost even alone (``grammar``, minor: the sentence lost a word, and how much of the
    meaning went with it is not for its form to say)."""

    name = "order"
    flag_names = ("order", "grammar")

    def run(self, pair: PairText) -> Finding:
        en = pair.en
        toks = tokens(en)
        bad: list[tuple[int, int]] = []
        if toks and toks[0].is_word and toks[0].text[0].islower() and toks[0].start == len(en) - len(en.lstrip()):
            bad.append((toks[0].start, toks[0].end))  # a sentence opening in lower case
        for k, (a, b) in enumerate(zip(toks, toks[1:])):
            gap = en[a.end:b.start]
            if _abbreviated(en, a) or _abbreviated(en, b):
                continue  # a.m., U.S.: its points end no clause
            if a.lower in _ARTICLES and _followed_by(en, toks, k, _NOT_AFTER_ARTICLE):
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
        else:
            flags += [Flag("grammar", Severity.MINOR, f"'{tok.text}' is followed by {what}: a word is missing after it",
                           "en", tok.start, tok.end) for tok, what in _lost_words(en, toks)]
        words = sum(1 for t in toks if t.is_word)
        signals = {"order.slips": float(len(bad)), "order.slip_rate": len(bad) / words if words else 0.0}
        return Finding(tuple(flags), signals)


def _lost_words(en: str, toks: tuple[Token, ...]) -> list[tuple[Token, str]]:
    """Each determiner with nothing to determine, and what follows it instead."""
    out = []
    for k, tok in enumerate(toks):
        if (tok.lower not in _DETERMINERS or (tok.is_capitalised and k) or not _alone(en, tok)
                or _abbreviated(en, tok) or in_address(en, tok.start, tok.end)):
            continue
        nxt = toks[k + 1] if k + 1 < len(toks) else None
        gap = en[tok.end:nxt.start] if nxt is not None else en[tok.end:]
        if nxt is None or gap.strip()[:1] in _CLAUSE_PUNCTUATION:
            out.append((tok, "the end of the clause"))
        elif _followed_by(en, toks, k, _NEVER_DETERMINED):
            out.append((tok, f"'{nxt.text}'"))
    return out


def _followed_by(en: str, toks: tuple[Token, ...], k: int, words: frozenset[str]) -> bool:
    """Whether ``toks[k]``, a determiner, is followed straight by one of ``words`` standing as a word of its
    own, and not by one that is a noun too after it ("the will", "a must"). Capitalised inside a sentence,
    the determiner is a name or a letter (Ping An, Serie A, vitamin A)."""
    if (toks[k].is_capitalised and k) or k + 1 == len(toks):
        return False
    det, nxt = toks[k], toks[k + 1]
    if en[det.end:nxt.start].strip() or nxt.lower not in words or not _alone(en, nxt):
        return False
    return not (nxt.lower in _ALSO_NOUNS or (nxt.lower == "must" and det.lower in ("a", "an")))


def _alone(text: str, tok: Token) -> bool:
    """Not joined to the text around it by a hyphen, an apostrophe or a slash."""
    return ((tok.start == 0 or text[tok.start - 1] not in _JOINED)
            and (tok.end == len(text) or text[tok.end] not in _JOINED))


def _abbreviated(text: str, tok: Token) -> bool:
    """Part of an abbreviation written with points (a.m., p.m., U.S.): a point joins it to a letter."""
    after = text[tok.end:tok.end + 2]
    before = text[max(0, tok.start - 2):tok.start]
    return (len(after) == 2 and after[0] == "." and after[1].isalpha()) or (
        len(before) == 2 and before[1] == "." and before[0].isalpha())
