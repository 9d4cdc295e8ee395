"""With a human reference translation: chrF and BLEU per pair, and a flag far from the reference."""
from __future__ import annotations

from align.quality.checks.base import Check, Finding
from align.quality.reference import sentence_scores
from align.types import Flag, PairText, Severity

# chrF below this is far from the reference. Tuned on MQM 2020 with Human-A as the reference
# of the machine translations (eval/checks_eval.py --reference): below 30 are 0.8% of the
# near-perfect items, 2.4% of the bad ones and 5.6% of the garbled ones; 40 would take 3.3%
# of the near-perfect ones.
FAR_CHRF = 30.0


class ReferenceCheck(Check):
    """chrF and BLEU against a human reference: signals on every pair that has one, and a
    flag when the English is far from it."""

    name = "reference"

    def run(self, pair: PairText) -> Finding:
        if not pair.ref or not pair.en.strip():
            return Finding()
        chrf, bleu = sentence_scores(pair.en, pair.ref)
        flags = ()
        if chrf < FAR_CHRF:
            flags = (Flag(self.name, Severity.MAJOR, f"far from the reference translation (chrF {chrf:.1f}, BLEU {bleu:.1f})",
                          "en", 0, 0),)
        return Finding(flags, {"reference.chrf": chrf, "reference.bleu": bleu})
