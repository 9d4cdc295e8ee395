"""The pairs as tab-separated values, one row a pair, for spreadsheets and scripts.

Texts keep their characters except tabs and newlines, which become spaces; empty
cells mean "none". ``flags`` holds ``name:severity:side:start:end`` items joined
by ``;`` (offsets into the pair's text on that side), ``reasons`` the matching
reasons joined by `` | ``; ``pair`` is the number every face shows (from 1), ``notes``
what another report states differently (comparable pairs).
"""
from __future__ import annotations

import re
from collections.abc import Sequence

from align.report.spans import pair_flags
from align.report.summary import pair_number, pair_severity
from align.types import Pair, Report

COLUMNS = ("pair", "source", "en_sentences", "zh_sentences", "en_start", "en_end", "zh_start", "zh_end",
           "confidence", "score", "garbled", "severity", "flags", "reasons", "en_text", "zh_text", "notes")
_BREAKS = re.compile(r"[\t\r\n]+")


def _cell(value: object) -> str:
    return "" if value is None else _BREAKS.sub(" ", str(value))


def render_tsv(report: Report, pairs: Sequence[Pair]) -> str:
    rows = ["\t".join(COLUMNS)]
    for p in pairs:
        q = p.quality
        flags = pair_flags(p)
        values = (
            pair_number(p), report.multi.names[p.source] if p.source >= 0 else None,
            ",".join(map(str, p.en)), ",".join(map(str, p.zh)),
            p.en_span.start if p.en_span else None, p.en_span.end if p.en_span else None,
            p.zh_span.start if p.zh_span else None, p.zh_span.end if p.zh_span else None,
            f"{p.confidence:.4f}", None if q is None or q.score is None else f"{q.score:.1f}",
            None if q is None else ("yes" if q.garbled else "no"), pair_severity(p),
            ";".join(f"{f.name}:{f.severity}:{f.side}:{f.start}:{f.end}" for f in flags),
            " | ".join(f.reason for f in flags), p.en_text, p.zh_text,
            " | ".join(n.reason for n in q.notes) if q else None,
        )
        rows.append("\t".join(_cell(v) for v in values))
    return "\n".join(rows) + "\n"
