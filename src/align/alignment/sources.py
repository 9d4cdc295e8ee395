"""Multi-source: one English text against several Chinese reports at once."""
from __future__ import annotations

from collections.abc import Sequence

from align.alignment import align
from align.types import Alignment, Bead, Mode, MultiAlignment, Sentence, SourceSupport
from align.vectors import Encoder, Progress


def support(index: int, name: str, alignment: Alignment) -> SourceSupport:
    en_chars = sum(len(s.text) for s in alignment.en) or 1
    linked = [b for b in alignment.beads if b.zh and b.en]
    covered = {j for b in linked for j in b.en}
    return SourceSupport(
        source=index, name=name, mode=alignment.mode,
        coverage=round(sum(len(alignment.en[j].text) for j in covered) / en_chars, 4),
        matched=len(covered),
        mean_confidence=round(sum(b.confidence for b in linked) / len(linked), 4) if linked else 0.0,
    )


def align_sources(en: Sequence[Sentence], sources: Sequence[tuple[str, Sequence[Sentence]]],
                  encoder: Encoder, mode: str = Mode.AUTO, progress: Progress | None = None) -> MultiAlignment:
    """Align ``en`` with every source, rank the sources, and pick each English sentence's best support."""
    alignments = [align(zh, en, encoder, mode=mode, progress=progress) for _, zh in sources]
    names = [name for name, _ in sources]
    ranking = sorted((support(k, names[k], a) for k, a in enumerate(alignments)),
                     key=lambda s: (-s.coverage, -s.mean_confidence, s.source))
    # Best bead first across all sources; a bead is taken only if none of its English
    # sentences is taken yet, so every English sentence ends up in exactly one bead.
    candidates = sorted(((b, k) for k, a in enumerate(alignments) for b in a.beads if b.zh and b.en),
                        key=lambda c: (-c[0].confidence, c[1], c[0].en))
    taken: set[int] = set()
    best: list[Bead] = []
    for b, k in candidates:
        if taken.isdisjoint(b.en):
            taken.update(b.en)
            best.append(Bead(b.zh, b.en, b.score, b.confidence, k))
    best += [Bead((), (j,), 0.0, 0.0, -1) for j in range(len(en)) if j not in taken]
    best.sort(key=lambda b: b.en)
    return MultiAlignment(list(en), alignments, names, ranking, best)
