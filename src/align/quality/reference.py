"""chrF and BLEU against a human reference translation, per pair and per document (sacrebleu)."""
from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache


@lru_cache(maxsize=1)
def _metrics():
    from sacrebleu.metrics import BLEU, CHRF

    # Sentence-level BLEU needs effective n-gram order, or any pair without a 4-gram match scores 0.
    return CHRF(), BLEU(effective_order=True), BLEU()


def sentence_scores(hypothesis: str, reference: str) -> tuple[float, float]:
    """(chrF, BLEU) of one English rendering against its reference, 0-100."""
    chrf, bleu, _ = _metrics()
    return (chrf.sentence_score(hypothesis, [reference]).score,
            bleu.sentence_score(hypothesis, [reference]).score)


def document_scores(hypotheses: Sequence[str], references: Sequence[str | None]) -> dict[str, float] | None:
    """Corpus-level chrF and BLEU over the pairs that have a reference; None when none has one."""
    kept = [(h, r) for h, r in zip(hypotheses, references) if r and h]
    if not kept:
        return None
    chrf, _, bleu = _metrics()
    hyps, refs = [h for h, _ in kept], [r for _, r in kept]
    return {"chrf": round(chrf.corpus_score(hyps, [refs]).score, 2),
            "bleu": round(bleu.corpus_score(hyps, [refs]).score, 2),
            "pairs": float(len(kept))}
