"""The whole pipeline in one call: files in, a ``Report`` out.

documents (read, clean, normalise) -> sentences -> vectors -> alignment ->
scores and flags -> report. Every face (CLI report, regression, dashboard)
starts here, so they all see the same numbers.
"""
from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import replace

from align import __version__
from align.types import (Alignment, Document, Flag, Language, Mode, MultiAlignment, Pair, PairText, Report, Sentence,
                         Severity, Span)
from align.vectors import Encoder, Progress

# Another report's link for a pair's English, beside the one the pair keeps, is shown as a note at
# this confidence or more: a long English sentence may render parts of two reports (the seed 000's
# innovation-consortium sentence: 001 at .67, kept, and 002 at .58). 0.5 is comparable mode's own
# threshold with use-m (README, comparable mode).
ALSO_LINKED = 0.5
ALSO_LINKED_SHOWN = 3  # the surest of them: against many reports, a pair would list every one


def build_report(en_path: str, zh_paths: Sequence[str], encoder: Encoder, mode: str = Mode.AUTO,
                 ref_path: str | None = None, progress: Progress | None = None) -> Report:
    """Align the English file against every Chinese file and assess every aligned pair.

    ``ref_path`` is an optional human reference translation of the English
    (one file, aligned to the English itself) for chrF/BLEU per pair.
    """
    from align.alignment.sources import align_sources
    from align.documents import load_document
    from align.quality import assess, signature as quality_signature
    from align.sentences import split_document

    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    en_doc = load_document(en_path, expect=Language.EN)
    zh_docs = [load_document(path, expect=Language.ZH) for path in zh_paths]
    en = split_document(en_doc)
    sources = [(doc.name, split_document(doc)) for doc in zh_docs]
    timings["read"] = time.perf_counter() - t0

    multi = align_sources(en, sources, encoder, mode=mode, progress=progress)
    for a in multi.alignments:
        for key, value in a.timings.items():
            timings[key] = timings.get(key, 0.0) + value

    pairs = []
    for k, bead in enumerate(multi.best):
        zh_doc = zh_docs[bead.source] if bead.source >= 0 else None
        alignment = multi.alignments[bead.source] if bead.source >= 0 else None
        en_span = _span(en, bead.en)
        zh_span = _span(alignment.zh, bead.zh) if alignment else None
        pairs.append(Pair(
            index=k, en=bead.en, zh=bead.zh, source=bead.source,
            en_text=en_doc.text[en_span.start:en_span.end] if en_span else "",
            zh_text=zh_doc.text[zh_span.start:zh_span.end] if zh_doc and zh_span else "",
            en_span=en_span, zh_span=zh_span, confidence=bead.confidence))

    t1 = time.perf_counter()
    refs = _reference_texts(ref_path, en, pairs, encoder) if ref_path else None
    # English without a Chinese counterpart is assessed too: the English-only checks still apply.
    qualities = assess([PairText(p.zh_text, p.en_text, refs[p.index] if refs else None,
                                 p.source >= 0 and multi.alignments[p.source].mode == Mode.COMPARABLE)
                        for p in pairs], encoder)
    pairs = [replace(p, quality=replace(q, notes=q.notes + also))
             for p, q, also in zip(pairs, qualities, _also_linked(pairs, multi, zh_docs))]
    timings["score"] = time.perf_counter() - t1

    sig = (f"align:{__version__}|model:{encoder.model_id}|mode:{mode}|"
           f"{quality_signature()}|ref:{'yes' if ref_path else 'no'}")
    return Report(en_doc, zh_docs, multi, pairs, encoder.model_id, sig,
                  {k: round(v, 3) for k, v in timings.items()})


def _also_linked(pairs: Sequence[Pair], multi: MultiAlignment,
                 zh_docs: Sequence[Document]) -> list[tuple[Flag, ...]]:
    """For each pair, notes of the other reports' links for its English sentences, the surest first."""
    # Indexed by English sentence once: a long article has tens of thousands of pairs and beads.
    by_en: dict[int, list[tuple[float, int, tuple[int, ...]]]] = {}
    for k, a in enumerate(multi.alignments):
        for b in a.beads:
            if b.zh and b.en and b.confidence >= ALSO_LINKED:
                for j in b.en:
                    by_en.setdefault(j, []).append((b.confidence, k, b.zh))
    out = []
    for pair in pairs:
        found = {f for j in pair.en for f in by_en.get(j, ()) if f[1] != pair.source}
        notes = []
        for confidence, k, zh in sorted(found, key=lambda f: (-f[0], f[1], f[2]))[:ALSO_LINKED_SHOWN]:
            span = _span(multi.alignments[k].zh, zh)
            text = zh_docs[k].text[span.start:span.end]
            shown = text if len(text) <= 40 else text[:39] + "…"
            notes.append(Flag("source", Severity.MINOR, f"{multi.names[k]} links this English too, at "
                              f"{confidence:.2f}: {shown}", "en", 0, 0))
        out.append(tuple(notes))
    return out


def _span(sentences: Sequence[Sentence], idx: Sequence[int]) -> Span | None:
    if not idx:
        return None
    return Span(sentences[idx[0]].start, sentences[idx[-1]].end)


def _reference_texts(ref_path: str, en: Sequence[Sentence], pairs: Sequence[Pair],
                     encoder: Encoder) -> dict[int, str]:
    """The reference translation's text for each pair, found by aligning the reference with the English."""
    from align.alignment import align
    from align.documents import load_document
    from align.sentences import split_document

    ref_doc = load_document(ref_path, expect=Language.EN)
    ref = split_document(ref_doc)
    # Both sides are English renderings of one text: a parallel alignment of the two.
    result: Alignment = align(ref, en, encoder, mode=Mode.PARALLEL)
    ref_of: dict[int, str] = {}
    for bead in result.beads:
        text = " ".join(ref[i].text for i in bead.zh)
        for j in bead.en:
            ref_of[j] = text
    out: dict[int, str] = {}
    for p in pairs:
        parts = []
        for j in p.en:
            if ref_of.get(j) and (not parts or parts[-1] != ref_of[j]):
                parts.append(ref_of[j])
        out[p.index] = " ".join(parts)
    return out

