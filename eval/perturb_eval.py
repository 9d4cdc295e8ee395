"""Synthetic garbles of good translations: does the score drop, and does the matching check fire?

    python eval/perturb_eval.py ../shared/eval/qe [--set mqm2021] [--pairs 300] [--model e5-small]

Good pairs are machine translations judged perfect (mqm == 0, not human) in the MQM file.
Each perturbation garbles the English of every pair it applies to (a pair with no number
cannot have one changed); the score comes from ``align.quality.assess`` (whatever scorer
the quality stage uses), and the check named beside each perturbation must flag it. The
kinds are those of a held-out suite of perturbed translations (names, numbers, gender,
negation, antonyms, tense, removed words, misspellings, casing) plus garbles of whole
sentences, each with the severity MQM would give it; the last line is the share whose
score dropped per severity. ``eval/train_cross.py`` and ``eval/train_qe.py`` train on the
same kinds made from mqm2020, so on mqm2021 this measures what training taught; a second
table has perturbations made another way (a digit changed, a negation removed, a letter
dropped, a name in lower case...), which nothing trains on, for how it carries.
Seeded: the same data give the same table.
"""
from __future__ import annotations

import argparse
import random
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from align.lexicon.chinese import PLACE_TAGS  # noqa: E402
from align.lexicon.english import zipf  # noqa: E402
from align.lexicon.names import chinese_names, rendered_names  # noqa: E402
from align.quality import assess  # noqa: E402
from align.types import PairText  # noqa: E402
from align.vectors import DEFAULT_MODEL, get_encoder  # noqa: E402
from eval.mqm import Item, read_items  # noqa: E402

_AUXILIARY = re.compile(r"\b(is|are|was|were|will|can|could|should|would|has|have|had|must|may)\b")
_NUMBER = re.compile(r"(?<![\w.,])\d+(?:,\d{3})*(?:\.\d+)?(?![\w,]*\d)")
_POOL_PLACES = ("Shanghai", "Paris", "London", "Tokyo", "Berlin", "Moscow", "Washington", "Sydney")
_POOL_NAMES = ("Zhang Wei", "Li Na", "Chen Jie", "Liu Yang", "Huang Min", "Zhao Lei", "Xu Fang", "Sun Hao")
_GENDER = {"he": "she", "she": "he", "his": "her", "her": "his", "him": "her", "He": "She", "She": "He",
           "His": "Her", "Her": "His", "Him": "Her", "man": "woman", "woman": "man", "men": "women", "women": "men"}
_GENDER_WORD = re.compile(r"\b(" + "|".join(_GENDER) + r")\b")
# Common opposites of news English, both ways; a word is swapped for its opposite in place.
_OPPOSITES = [("increase", "decrease"), ("increased", "decreased"), ("rise", "fall"), ("rose", "fell"),
              ("more", "less"), ("higher", "lower"), ("high", "low"), ("large", "small"), ("big", "small"),
              ("before", "after"), ("first", "last"), ("win", "lose"), ("won", "lost"), ("open", "close"),
              ("opened", "closed"), ("positive", "negative"), ("strong", "weak"), ("early", "late"),
              ("support", "oppose"), ("supported", "opposed"), ("accept", "reject"), ("accepted", "rejected"),
              ("success", "failure"), ("successful", "unsuccessful"), ("good", "bad"), ("best", "worst"),
              ("maximum", "minimum"), ("most", "least"), ("allow", "forbid"), ("allowed", "forbidden"),
              ("always", "never"), ("many", "few"), ("start", "end"), ("started", "ended"),
              ("import", "export"), ("imports", "exports"), ("safe", "dangerous"), ("easy", "difficult"),
              ("new", "old"), ("old", "new"), ("growth", "decline"), ("gain", "loss"), ("up", "down")]
_FORWARD = dict(_OPPOSITES)
_OPPOSITE = _FORWARD | {b: a for a, b in _OPPOSITES if b not in _FORWARD}
_OPPOSITE_WORD = re.compile(r"\b(" + "|".join(sorted(_OPPOSITE, key=len, reverse=True)) + r")\b", re.IGNORECASE)
# Tense: an auxiliary moved to another tense (is -> was, will -> did): the event happens at another time.
_TENSE = {"is": "was", "are": "were", "was": "is", "were": "are", "has": "had", "have": "had", "had": "has",
          "will": "did"}
_TENSE_WORD = re.compile(r"\b(" + "|".join(_TENSE) + r")\b")
# Long function words, never the content word a removal takes out.
_FUNCTION = frozenset("which their there would could should these those about after other under while where since "
                      "being among before until within without against between through during whose".split())

Perturb = Callable[[Item, random.Random, list[Item]], "str | None"]


def negation(it: Item, rng: random.Random, _: list[Item]) -> str | None:
    m = _AUXILIARY.search(it.target)
    if not m:
        return None
    word = "cannot" if m.group() == "can" else m.group() + " not"
    return it.target[:m.start()] + word + it.target[m.end():]


def number_changed(it: Item, rng: random.Random, _: list[Item]) -> str | None:
    found = list(_NUMBER.finditer(it.target))
    if not found:
        return None
    m = rng.choice(found)
    value = float(m.group().replace(",", ""))
    new = value * rng.choice((3, 10)) + rng.randint(1, 9)
    shown = f"{new:,.0f}" if value == int(value) else f"{new:,.1f}"
    return it.target[:m.start()] + shown + it.target[m.end():]


def name_replaced(it: Item, rng: random.Random, _: list[Item]) -> str | None:
    spans = rendered_names(it.source, it.target)
    if not spans:
        return None
    start, end = rng.choice(spans)
    others = [n for n in _POOL_NAMES if n.lower() not in it.target.lower()]
    return it.target[:start] + rng.choice(others) + it.target[end:]


def place_replaced(it: Item, rng: random.Random, _: list[Item]) -> str | None:
    """A place the dictionary names, rendered as it should be, replaced by another well-known place."""
    spans = [span for name in chinese_names(it.source) if name.word.flag in PLACE_TAGS and name.from_dictionary
             for span in [name.pattern.search(it.target)] if span]
    if not spans:
        return None
    m = rng.choice(spans)
    others = [p for p in _POOL_PLACES if p.lower() not in it.target.lower()]
    return it.target[:m.start()] + rng.choice(others) + it.target[m.end():]


def _swap_one(text: str, pattern: re.Pattern, swap: Callable[[str], str], rng: random.Random) -> str | None:
    """``text`` with one of ``pattern``'s matches, chosen at random, replaced by ``swap(match)``."""
    found = list(pattern.finditer(text))
    if not found:
        return None
    m = rng.choice(found)
    return text[:m.start()] + swap(m.group()) + text[m.end():]


def gender_swapped(it: Item, rng: random.Random, _: list[Item]) -> str | None:
    return _swap_one(it.target, _GENDER_WORD, _GENDER.__getitem__, rng)


def _opposite(word: str) -> str:
    new = _OPPOSITE[word.lower()]
    return new[0].upper() + new[1:] if word[0].isupper() else new


def antonym(it: Item, rng: random.Random, _: list[Item]) -> str | None:
    return _swap_one(it.target, _OPPOSITE_WORD, _opposite, rng)


def tense_changed(it: Item, rng: random.Random, _: list[Item]) -> str | None:
    return _swap_one(it.target, _TENSE_WORD, _TENSE.__getitem__, rng)


def word_removed(it: Item, rng: random.Random, _: list[Item]) -> str | None:
    """One content word (five letters or more, no function word, not the first) left out."""
    words = it.target.split()
    bare = [w.strip(".,;:!?\"'") for w in words]
    content = [k for k, w in enumerate(bare) if k and len(w) >= 5 and w.isalpha() and w.lower() not in _FUNCTION]
    if len(words) < 6 or not content:
        return None
    k = rng.choice(content)
    return " ".join(words[:k] + words[k + 1:])


def misspelt(it: Item, rng: random.Random, _: list[Item]) -> str | None:
    words = it.target.split()
    long = [k for k, w in enumerate(words) if len(w) >= 6 and w.isalpha()]
    if not long:
        return None
    k = rng.choice(long)
    w = words[k]
    j = rng.randrange(1, len(w) - 2)
    words[k] = w[:j] + w[j + 1] + w[j] + w[j + 2:]
    return " ".join(words)


def lower_cased(it: Item, rng: random.Random, _: list[Item]) -> str | None:
    """The whole sentence in lower case (names and the sentence's first word lose their capitals)."""
    return it.target.lower()


def words_shuffled(it: Item, rng: random.Random, _: list[Item]) -> str | None:
    words = it.target.split()
    if len(words) < 6:
        return None
    shuffled = words[:]
    while shuffled == words:
        rng.shuffle(shuffled)
    return " ".join(shuffled)


def truncated(it: Item, rng: random.Random, _: list[Item]) -> str | None:
    words = it.target.split()
    if len(words) < 8:
        return None
    return " ".join(words[: len(words) // 2])


def repeated_phrase(it: Item, rng: random.Random, _: list[Item]) -> str | None:
    words = it.target.split()
    if len(words) < 6:
        return None
    size = rng.randint(2, 3)
    k = rng.randrange(0, len(words) - size)
    return " ".join(words[:k + size] + words[k:k + size] + words[k + size:])


def unrelated(it: Item, rng: random.Random, pool: list[Item]) -> str | None:
    return rng.choice([o for o in pool if o.doc != it.doc]).target


# (name, perturbation, the checks that should flag it (none: no surface check can), severity as MQM would judge it)
PERTURBATIONS: list[tuple[str, Perturb, tuple[str, ...], str]] = [
    ("negation", negation, ("negation",), "major"),
    ("number changed", number_changed, ("number",), "major"),
    ("name replaced", name_replaced, ("name",), "major"),
    ("place replaced", place_replaced, ("name",), "major"),
    ("gender swapped", gender_swapped, ("gender",), "major"),
    ("antonym", antonym, ("antonym",), "major"),
    ("content word removed", word_removed, (), "major"),
    ("words shuffled", words_shuffled, ("order",), "critical"),
    ("sentence truncated", truncated, ("omission",), "critical"),
    ("unrelated sentence", unrelated, ("unrelated",), "critical"),
    ("tense changed", tense_changed, (), "minor"),
    ("repeated phrase", repeated_phrase, ("repetition",), "minor"),
    ("misspelt", misspelt, ("spelling",), "minor"),
    ("lower-cased", lower_cased, (), "minor"),
]
SEVERITIES = ("critical", "major", "minor")

# Perturbations made another way than those above, which eval/train_cross.py and eval/train_qe.py
# also make to train on: nothing was trained on these, so they say how what training taught carries.
_NUMBER_WORDS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_NUMBER_WORD = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b", re.IGNORECASE)
_NEGATION = re.compile(r"\b(?:not|never|no) |n't\b")
_LONG_WORD = re.compile(r"\b[a-z]{6,}\b")
_MID_CAPITAL = re.compile(r"(?<=[a-z,] )[A-Z][a-z]+")
_PAST = re.compile(r"\b[a-z]{3,}ed\b")
_SURNAMES = ("Wang", "Li", "Zhang", "Liu", "Chen", "Yang", "Huang", "Zhao", "Wu", "Zhou")


def one_digit(it: Item, rng: random.Random, _: list[Item]) -> str | None:
    """One digit of a number changed (2019 -> 2016, 25 -> 75), the number's length kept."""
    def change(number: str) -> str:
        k = rng.choice([k for k, c in enumerate(number) if c.isdigit()])
        digit = (int(number[k]) + rng.randint(1, 9)) % 10
        return number[:k] + str(digit if k or digit else 1 + int(number[k]) % 9) + number[k + 1:]
    return _swap_one(it.target, _NUMBER, change, rng)


def number_word(it: Item, rng: random.Random, _: list[Item]) -> str | None:
    def change(word: str) -> str:
        new = _NUMBER_WORDS[(_NUMBER_WORDS.index(word.lower()) + rng.randint(1, 9)) % 10]
        return new.capitalize() if word[0].isupper() else new
    return _swap_one(it.target, _NUMBER_WORD, change, rng)


def negation_removed(it: Item, rng: random.Random, _: list[Item]) -> str | None:
    return _swap_one(it.target, _NEGATION, lambda _: "", rng)


def surname_swapped(it: Item, rng: random.Random, _: list[Item]) -> str | None:
    for start, end in rendered_names(it.source, it.target):
        first = it.target[start:end].split()[0]
        if first in _SURNAMES:
            return it.target[:start] + rng.choice([n for n in _SURNAMES if n != first]) + it.target[start + len(first):]
    return None


def clause_left_out(it: Item, rng: random.Random, _: list[Item]) -> str | None:
    parts = it.target.split(", ")
    if len(parts) < 3:
        return None
    k = rng.randrange(1, len(parts))
    return ", ".join(parts[:k] + parts[k + 1:])


def _future(verb: str) -> str | None:
    """'will' and the plain form of a past tense (announced -> will announce), when the word list knows it."""
    for base in ([verb[:-3] + "y"] if verb.endswith("ied") else []) + [verb[:-1], verb[:-2], verb[:-3]]:
        if zipf(base) >= 3.0:
            return f"will {base}"
    return None


def past_to_future(it: Item, rng: random.Random, _: list[Item]) -> str | None:
    found = [m for m in _PAST.finditer(it.target) if _future(m.group())]
    if not found:
        return None
    m = rng.choice(found)
    return it.target[:m.start()] + _future(m.group()) + it.target[m.end():]


def letter_dropped(it: Item, rng: random.Random, _: list[Item]) -> str | None:
    def drop(word: str) -> str:
        k = rng.randrange(1, len(word) - 1)
        return word[:k] + word[k + 1:]
    return _swap_one(it.target, _LONG_WORD, drop, rng)


def letter_replaced(it: Item, rng: random.Random, _: list[Item]) -> str | None:
    def replace(word: str) -> str:
        k = rng.randrange(1, len(word) - 1)
        return word[:k] + rng.choice([c for c in "aeioulnrst" if c != word[k]]) + word[k + 1:]
    return _swap_one(it.target, _LONG_WORD, replace, rng)


def name_lower_cased(it: Item, rng: random.Random, _: list[Item]) -> str | None:
    """One capitalised word inside the sentence (a name, mostly) in lower case."""
    return _swap_one(it.target, _MID_CAPITAL, str.lower, rng)


def word_in_capitals(it: Item, rng: random.Random, _: list[Item]) -> str | None:
    return _swap_one(it.target, _LONG_WORD, str.upper, rng)


OTHER_WAYS: list[tuple[str, Perturb, tuple[str, ...], str]] = [
    ("one digit changed", one_digit, ("number",), "major"),
    ("number word changed", number_word, ("number",), "major"),
    ("negation removed", negation_removed, ("negation",), "major"),
    ("surname swapped", surname_swapped, ("name",), "major"),
    ("clause left out", clause_left_out, ("omission",), "major"),
    ("past to future", past_to_future, (), "minor"),
    ("letter dropped", letter_dropped, ("spelling",), "minor"),
    ("letter replaced", letter_replaced, ("spelling",), "minor"),
    ("name lower-cased", name_lower_cased, ("casing",), "minor"),
    ("word in capitals", word_in_capitals, ("casing",), "minor"),
]


def _table(kinds: list[tuple[str, Perturb, tuple[str, ...], str]], sample: list[Item], base: list, good: list[Item],
           encoder, seed: int) -> dict[str, list[bool]]:
    """Print one row per perturbation; whether the score dropped, per severity."""
    dropped: dict[str, list[bool]] = {s: [] for s in SEVERITIES}
    for name, perturb, checks, severity in kinds:
        prng = random.Random(f"{seed}:{name}")
        done = [(k, perturb(it, prng, good)) for k, it in enumerate(sample)]
        done = [(k, text) for k, text in done if text is not None and text != sample[k].target]
        after = assess([PairText(sample[k].source, text) for k, text in done], encoder)
        drops = [base[k].score - q.score for (k, _), q in zip(done, after)]
        n = len(done) or 1
        fired = f"{sum(any(f.name in checks for f in q.flags) for q in after) / n:.1%}" if checks else "-"
        dropped[severity] += [d > 0 for d in drops]
        # Which of the two models behind the score saw the change: the head's own predicted penalty
        # and the cross-encoder's, each before the other joins it (Quality.signals).
        rose = {part: sum(q.signals[part] > base[k].signals[part] for (k, _), q in zip(done, after)) / n
                for part in ("head.penalty", "cross.penalty")}
        print(f"| {name} | {severity} | {len(done)} | {sum(d > 0 for d in drops) / n:.1%} | {sum(drops) / n:.1f} | "
              f"{rose['head.penalty']:.1%} | {rose['cross.penalty']:.1%} | {', '.join(checks) or '-'} | {fired} |")
    return dropped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data", type=Path, help="the qe folder of the shared eval data")
    parser.add_argument("--set", default="mqm2021")
    parser.add_argument("--pairs", type=int, default=300, help="good pairs to sample")
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--seed", type=int, default=13)
    args = parser.parse_args()

    items = read_items(args.data / f"{args.set}_zhen.tsv")
    good = [it for it in items if it.mqm == 0 and not it.is_human]
    rng = random.Random(args.seed)
    sample = sorted(rng.sample(good, min(args.pairs, len(good))), key=lambda it: (it.doc, it.seg_id, it.system))
    encoder = get_encoder(args.model)
    t0 = time.perf_counter()
    base = assess([PairText(it.source, it.target) for it in sample], encoder)
    print(f"{args.set}: {len(sample)} of {len(good)} good pairs, model {encoder.model_id}, seed {args.seed}")
    base_flagged = sum(bool(q.flags) for q in base) / len(base)
    print(f"unperturbed: mean score {sum(q.score for q in base) / len(base):.1f}, "
          f"any flag on {base_flagged:.1%}\n")
    for title, kinds in (("", PERTURBATIONS), ("Made another way (nothing was trained on these):\n", OTHER_WAYS)):
        print(title + "| perturbation | severity | pairs | score dropped | mean drop | head rose | cross-encoder rose "
              "| matching check | fired |")
        print("|---|---|---|---|---|---|---|---|---|")
        dropped = _table(kinds, sample, base, good, encoder, args.seed)
        # Each perturbation weighs in by its pairs, as in a suite where every item is one perturbed pair.
        print("\nscore dropped, by severity: " + ", ".join(
            f"{s} {np.mean(d):.1%} of {len(d)}" for s, d in dropped.items() if d) + "\n")
    print(f"{time.perf_counter() - t0:.1f} s")


if __name__ == "__main__":
    main()
