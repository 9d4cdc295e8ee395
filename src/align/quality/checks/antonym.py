"""Antonyms: the English says the opposite of what the Chinese says ("fell" where it says 上涨, "rise").

A word of the English with a listed opposite (``lexicon/antonyms.txt``) is suspect when no
Chinese word of the pair glosses to it in CC-CEDICT while one plainly means its opposite
(``cedict.plain_senses``), and the English does not use that opposite itself. A fluent sentence
with one word reversed reads well and embeds close to the right one, so neither the score's
vectors nor the cross-encoder see it; the dictionary does.
"""
from __future__ import annotations

from align.lexicon import cedict
from align.lexicon.chinese import NEGATORS, words
from align.lexicon.english import opposites, stem, tokens
from align.quality.checks.base import Check, Finding
from align.types import Flag, PairText, Severity

# jieba's tags of particles (了 "to finish"), prepositions, conjunctions, punctuation, modal
# particles, interjections, onomatopoeia: their dictionary senses are not what they do in a sentence.
_GRAMMAR_TAGS = ("u", "p", "c", "x", "y", "e", "o")
# Localizers read by their first senses only: 上 and 下 localize far more than place (会上 "at the
# meeting", 情况下 "in the case").
_UP_DOWN = frozenset("上下")
# English words that reverse the word after them: the opposite of a word, negated, renders it.
_NEGATING = frozenset("not no never nor without hardly cannot".split())


class AntonymCheck(Check):
    """English words whose opposite, and not they, the Chinese glosses to. Minor: the dictionary
    only suspects a reversal (a sense it lacks would explain the word), and as a major flag, garbled
    on its own, it cost the verdict (eval/train_qe.py on mqm2021: recall .280 against .307, the
    share judged garbled being capped). Not on a comparable pair: another report may tell the
    same fact the other way round ("fewer deaths", "more survivors")."""

    name = "antonym"

    def run(self, pair: PairText) -> Finding:
        if not pair.zh.strip():
            return Finding()
        zh_words = words(pair.zh)
        # What the Chinese may mean, broadly (every word of every gloss, unknown compounds by their
        # parts), so that the English word counts as rendered whenever it could be, and what its
        # words plainly mean, so that an opposite counts only when it is sure.
        meant: set[str] = set()
        plain: dict[str, str] = {}  # a sense's stem -> the first Chinese word meaning it
        for k, w in enumerate(zh_words):
            senses = cedict.plain_senses(w.text, localizer=w.flag == "f" and w.text not in _UP_DOWN)
            meant |= senses | cedict.gloss_stems(w.text)
            if w.flag.startswith(_GRAMMAR_TAGS) or w.text in NEGATORS or (k and zh_words[k - 1].text in NEGATORS):
                continue  # 不容易 "not easy" is "difficult"
            for s in senses:
                plain.setdefault(s, w.text)
        en = [(stem(t.lower), t) for t in tokens(pair.en) if t.is_word]
        en_stems = {s for s, _ in en}
        flags = []
        for k, (s, tok) in enumerate(en):
            if k and tok.is_capitalised:  # a name or title (the 18th National Congress)
                continue
            found = opposites(s)
            if found is None or found.own & meant or found.opposite & en_stems:
                continue
            before = [t.lower for _, t in en[max(0, k - 3):k]]
            if any(b in _NEGATING or b.endswith(("n't", "n’t")) for b in before):  # "not likely" renders 不会
                continue
            said = sorted(found.opposite & plain.keys())
            if said:
                flags.append(Flag(self.name, Severity.MINOR, f"'{tok.text}' where the Chinese says "
                                  f"{plain[said[0]]}, which means its opposite", "en", tok.start, tok.end))
        signals = {"antonym.reversed": float(len(flags))}
        return Finding(() if pair.partial else tuple(flags), signals)
