"""Alignment: which English sentences correspond to which Chinese ones.

``align(zh, en, encoder, mode)`` returns an ``Alignment``. Modes:

* ``parallel``: the texts translate each other; a monotonic alignment with
  n-m beads and explicit insertions/deletions (``parallel.py``);
* ``comparable``: two reports of one event; order-free matching with a
  margin-normalised score and a calibrated threshold (``comparable.py``),
  nothing linked when the reports name different places (``event.py``);
* ``auto``: decides from the evidence and says why (``choose_mode``).
"""
from __future__ import annotations

import time
from collections.abc import Sequence

from align.alignment.calibration import parallel_confidence
from align.alignment.parallel import Params, align_parallel
from align.alignment.windows import WindowVectors
from align.types import Alignment, Bead, Sentence
from align.vectors import Encoder, Progress

MODES = ("auto", "parallel", "comparable")

__all__ = ["MODES", "Params", "align"]


def align(zh: Sequence[Sentence], en: Sequence[Sentence], encoder: Encoder, mode: str = "auto",
          params: Params = Params(), progress: Progress | None = None) -> Alignment:
    if mode not in MODES:
        raise ValueError(f"mode must be one of {MODES}, not {mode!r}")
    timings: dict[str, float] = {}
    t0 = time.perf_counter()
    max_window = params.max_bead - 1
    total = WindowVectors.count(len(zh), max_window) + WindowVectors.count(len(en), max_window)
    zv = WindowVectors([s.norm for s in zh], "", encoder, max_window, progress, 0, total)
    ev = WindowVectors([s.norm for s in en], " ", encoder, max_window, progress, zv.encoded, total)
    timings["encode"] = time.perf_counter() - t0

    t1 = time.perf_counter()
    if mode == "auto":
        from align.alignment.comparable import choose_mode

        mode, reason = choose_mode(zv, ev)
    else:
        reason = f"{mode} mode was asked for"
    if mode == "parallel":
        beads = [Bead(tuple(range(i0, i1)), tuple(range(j0, j1)), round(s, 4),
                      round(parallel_confidence(s, i1 - i0, j1 - j0), 4))
                 for i0, i1, j0, j1, s in align_parallel(zv, ev, params, [s.norm for s in zh],
                                                               [s.norm for s in en])]
    else:
        from align.alignment.comparable import align_comparable, unlinked
        from align.alignment.event import different_event

        why = different_event([s.norm for s in zh], [s.norm for s in en])
        if why:
            beads, reason = unlinked(len(zh), len(en)), f"{reason}; {why}, so nothing is linked"
        else:
            beads = align_comparable(zv, ev, [s.norm for s in zh], [s.norm for s in en], encoder)
    timings["align"] = time.perf_counter() - t1
    return Alignment(list(zh), list(en), beads, mode, reason, encoder.model_id, timings)
