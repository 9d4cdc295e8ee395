"""With a human reference translation: chrF and BLEU per pair, and a flag far from the reference."""
from __future__ import annotations

from align.quality.checks.base import Check, Finding, PairText
from align.quality.reference import sentence_scores
from align.types import Flag

# chrF below this is far from any faithful rendering of the reference (tuned on MQM 2020,
# one human translation as the reference of the others: see README).
FAR_CHRF = 25.0


class ReferenceCheck(Check):
    name = "reference"

    def run(self, pair: PairText) -> Finding:
        if not pair.ref or not pair.en.strip():
            return Finding()
        chrf, bleu = sentence_scores(pair.en, pair.ref)
        flags = ()
        if chrf < FAR_CHRF:
            flags = (Flag(self.name, "major", f"far from the reference translation (chrF {chrf:.1f}, BLEU {bleu:.1f})",
                          "en", 0, 0),)
        return Finding(flags, {"reference.chrf": chrf, "reference.bleu": bleu})
