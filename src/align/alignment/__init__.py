"""Alignment: which English sentences correspond to which Chinese ones.

``align(zh, en, encoder, mode)`` returns an ``Alignment``. Modes:

* ``parallel``: the texts translate each other; a monotonic alignment with
  n-m beads and explicit insertions/deletions (``parallel.py``), its first pass
  anchored on the in-order chain of matches (``mode.py``), so an untranslated
  half or an inserted article becomes a run of 1-0 or 0-1 beads;
* ``comparable``: two reports of one event; order-free matching with a
  margin-normalised score and a calibrated threshold (``comparable.py``),
  nothing linked when the reports name different places (``event.py``);
* ``auto``: parallel when one monotone chain of matches explains far more than
  the same matches in shuffled order (``mode.py``), and says why; where that
  evidence is doubtful (and for a text of three sentences or fewer a side), the
  parallel path's own confidence decides.

Sentence vectors are encoded first (the decision needs nothing else); the
windows of several sentences that parallel beads compare only when the texts
are parallel.
"""
from __future__ import annotations

import time
from collections.abc import Sequence

import numpy as np

from align.alignment.mode import choose_mode, order_evidence, settle
from align.alignment.parallel import ParallelPath, Params
from align.alignment.windows import WindowVectors
from align.types import Alignment, Mode, Sentence
from align.vectors import Encoder, Progress

__all__ = ["Params", "align"]


def align(zh: Sequence[Sentence], en: Sequence[Sentence], encoder: Encoder, mode: str = Mode.AUTO,
          params: Params = Params(), progress: Progress | None = None) -> Alignment:
    if mode not in tuple(Mode):
        raise ValueError(f"mode must be one of {', '.join(Mode)}, not {mode!r}")
    mode = Mode(mode)
    timings: dict[str, float] = {}
    zh_texts, en_texts = [s.norm for s in zh], [s.norm for s in en]
    t0 = time.perf_counter()
    vecs = encoder.encode(zh_texts + en_texts, progress) if zh_texts or en_texts \
        else np.zeros((0, encoder.dim), np.float32)
    zh_vecs, en_vecs = vecs[: len(zh)], vecs[len(zh):]
    timings["encode"] = time.perf_counter() - t0

    # the windows' vectors start approximated; those the chosen beads use are encoded (windows.py)
    windows = None

    def window_vectors() -> tuple[WindowVectors, WindowVectors]:
        nonlocal windows
        if windows is None:
            windows = (WindowVectors(zh_texts, "", zh_vecs, encoder, params.max_bead - 1, progress),
                       WindowVectors(en_texts, " ", en_vecs, encoder, params.max_bead - 1, progress))
        return windows

    t1 = time.perf_counter()
    path = None  # the parallel path with windows approximated, once it has been run
    if mode == Mode.AUTO:
        mode, reason, evidence = choose_mode(zh_vecs, en_vecs)
        if evidence.doubtful:
            path = ParallelPath(*window_vectors(), params, zh_texts, en_texts, evidence.chain)
            mode, reason = settle(evidence, path.support(), path.cosine() if evidence.short else None)
    else:
        reason = f"{mode} mode was asked for"
        # a forced parallel alignment still wants the chain: it anchors the first pass
        evidence = order_evidence(zh_vecs, en_vecs) if mode == Mode.PARALLEL else None
    timings["decide"] = time.perf_counter() - t1
    t1 = time.perf_counter()
    if mode == Mode.PARALLEL:
        if path is None:
            path = ParallelPath(*window_vectors(), params, zh_texts, en_texts, evidence.chain)
        beads = path.beads()
    else:
        from align.alignment.comparable import align_comparable, unlinked
        from align.alignment.event import different_event

        why = different_event(zh_texts, en_texts)
        if why:
            beads, reason = unlinked(len(zh), len(en)), f"{reason}; {why}, so nothing is linked"
        else:
            beads = align_comparable(zh_vecs, en_vecs, zh_texts, en_texts, encoder)
    timings["align"] = time.perf_counter() - t1
    return Alignment(list(zh), list(en), beads, mode, reason, encoder.model_id, timings)
