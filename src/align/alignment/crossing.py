"""Content that crosses a bead boundary: two beads the translation does not keep apart.

A translator often moves a clause of one Chinese sentence into the English of the
neighbouring sentence: the last clause of 最先一批凶狠的雨点打得高粱颤抖，...，打得轿顶啪啪响。
(beat on the sedan chair's roof) opens the next English sentence, "The first truculent
raindrops made the plants shudder. The rain beat a loud tattoo on the sedan chair and fell
on Grandma's embroidered slippers; ...". The recursion sees two good 1-1 beads, each with
its sentence's main content; the gold has one 2-2 bead, since no boundary between the
two keeps each side's content with its counterpart.

Two pieces of evidence must agree that a clause at the edge of a bead (the last
clause of its last Chinese sentence, or the first of the first) belongs with the
neighbour's English: its words' CC-CEDICT glosses (more of them found only in the
neighbour's English than only in its own), and its vector (closer to a clause of the
neighbour's English than to any clause of its own). Only pairs the dictionary flags
are encoded, clause by clause.
"""
from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from align.alignment.comparable import clauses
from align.lexicon.cedict import bag_gloss_stems
from align.lexicon.chinese import segment
from align.lexicon.english import bag_stems
from align.vectors import Encoder, Progress

Span = tuple[int, int, int, int]  # a bead: zh [i0, i1), en [j0, j1)

# Measured on mac-dev (eval/align_eval.py; strict F1 .894 without this pass): a clause's
# words glossed only in the neighbour's English, less those glossed only in its own, at
# least this many (1 to 5, with the cosine below: .871, .894, .899, .897, .895) ...
MIN_CROSSING_WORDS = 3
# ... and its best clause cosine with the neighbour's English no lower than its best with its
# own, plus this (with 3 words: no cosine test .896, 0 .899, 0.1 .898). One word and 0.25 gave
# .901 but encodes 665 more texts, and aca and mag, untuned, lose .003 and .000 there.
MIN_CROSSING_COSINE = 0.0


class ClauseCrossing:
    """Finds the pairs of consecutive beads whose boundary a Chinese clause crosses."""

    def __init__(self, zh_texts: Sequence[str], en_texts: Sequence[str], encoder: Encoder,
                 progress: Progress | None = None) -> None:
        self.zh_texts, self.en_texts, self.encoder, self.progress = zh_texts, en_texts, encoder, progress

    def merges(self, path: Sequence[Span], max_bead: int) -> list[int]:
        """Indices k of the path whose beads k and k+1 should be one bead, none twice."""
        flagged = []  # (k, the crossing clause, its own English sentences, the neighbour's)
        for k in range(len(path) - 1):
            (a0, a1, b0, b1), (c0, c1, d0, d1) = path[k], path[k + 1]
            if not (a1 > a0 and b1 > b0 and c1 > c0 and d1 > d0) or (c1 - a0) + (d1 - b0) > max_bead:
                continue
            for sentence, own, other, edge in ((a1 - 1, (b0, b1), (d0, d1), -1), (c0, (d0, d1), (b0, b1), 0)):
                pieces = _zh_clauses(self.zh_texts[sentence])
                if len(pieces) >= 2 and self._crossing_words(pieces[edge], own, other) >= MIN_CROSSING_WORDS:
                    flagged.append((k, pieces[edge], own, other))
        if not flagged:
            return []
        en_pieces = {j: _en_clauses(self.en_texts[j]) for _, _, own, other in flagged
                     for j in (*range(*own), *range(*other))}
        texts = sorted({c for _, c, _, _ in flagged} | {c for cs in en_pieces.values() for c in cs})
        vectors = dict(zip(texts, self.encoder.encode(texts, self.progress)))

        def best(clause: str, sentences: tuple[int, int]) -> float:
            return max(float(vectors[clause] @ vectors[c]) for j in range(*sentences) for c in en_pieces[j])

        out: list[int] = []
        for k, clause, own, other in flagged:
            if (not out or out[-1] < k - 1) and best(clause, other) - best(clause, own) >= MIN_CROSSING_COSINE:
                out.append(k)
        return out

    def _crossing_words(self, clause: str, own: tuple[int, int], other: tuple[int, int]) -> int:
        own_stems, other_stems = self._en_stems(*own), self._en_stems(*other)
        count = 0
        for word in segment(clause):
            glosses = bag_gloss_stems(word)
            in_own, in_other = bool(glosses & own_stems), bool(glosses & other_stems)
            count += in_other and not in_own
            count -= in_own and not in_other
        return count

    def _en_stems(self, j0: int, j1: int) -> frozenset[str]:
        return frozenset().union(*(_stems(self.en_texts[j]) for j in range(j0, j1)))


@lru_cache(maxsize=16_384)
def _stems(text: str) -> frozenset[str]:
    return frozenset(bag_stems(text))


@lru_cache(maxsize=16_384)
def _zh_clauses(text: str) -> tuple[str, ...]:
    return tuple(clauses(text, "zh"))


@lru_cache(maxsize=16_384)
def _en_clauses(text: str) -> tuple[str, ...]:
    return tuple(clauses(text, "en"))
