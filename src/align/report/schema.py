"""The versioned JSON form of a ``Report`` (documented in docs/report-schema.md).

``report_to_dict`` writes everything needed to rebuild the report - documents with
their text, sentences and removals, every source's beads, the ranking, the pairs
with their quality and flags - plus derived fields for readers (a summary, flag
offsets into the documents, bead kinds). ``report_from_dict`` reads the stored
fields back and ignores the derived ones, so ``report_from_dict(report_to_dict(r)) == r``.
"""
from __future__ import annotations

import json
import math
from dataclasses import asdict
from typing import Any

from align import __version__
from align.errors import InputError
from align.report.safe import json_safe
from align.report.summary import summarise
from align.types import (Alignment, Bead, Document, Flag, Language, Mode, MultiAlignment, Pair, Quality, Removal,
                         RemovalKind, Report, Sentence, Severity, SourceSupport, Span)

# Bump the number on any change a reader of the old layout would misread; adding a field does not.
SCHEMA = "align-report/1"


def report_to_dict(report: Report) -> dict[str, Any]:
    multi = report.multi
    if len(multi.alignments) != len(report.sources):
        raise ValueError("a report needs one alignment per source document")
    if any(a.en != multi.en for a in multi.alignments):
        raise ValueError("every alignment must be against the report's English sentences")
    return {
        "schema": SCHEMA,
        "generator": f"align {__version__}",
        "model": report.model_id,
        "signature": report.signature,
        "timings": _dump_numbers(report.timings),
        "summary": asdict(summarise(report)),
        "english": _document(report.en, multi.en),
        "sources": [_document(doc, a.zh) for doc, a in zip(report.sources, multi.alignments)],
        "alignments": [{
            "source": k, "name": name, "mode": a.mode, "reason": a.reason, "model": a.model_id,
            "timings": _dump_numbers(a.timings), "beads": [_bead(b) for b in a.beads],
        } for k, (name, a) in enumerate(zip(multi.names, multi.alignments))],
        "ranking": [{"source": s.source, "name": s.name, "mode": s.mode, "coverage": float(s.coverage),
                     "matched": s.matched, "mean_confidence": float(s.mean_confidence)} for s in multi.ranking],
        "best": [_bead(b) for b in multi.best],
        "pairs": [_pair(p, report) for p in report.pairs],
    }


def dumps_report(report: Report) -> str:
    return json_safe(json.dumps(report_to_dict(report), ensure_ascii=False, indent=1, allow_nan=False)) + "\n"


def report_from_dict(data: dict[str, Any]) -> Report:
    """The ``Report`` stored in ``data``; ``InputError`` when it is not an align-report/1."""
    schema = data.get("schema") if isinstance(data, dict) else None
    if schema != SCHEMA:
        found = f"schema {schema!r}" if schema else "no schema field"
        raise InputError(f"not an {SCHEMA} report ({found})")
    try:
        return _report(data)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        raise InputError(f"a malformed {SCHEMA} report ({type(exc).__name__}: {exc})") from None


def load_report(path: str) -> Report:
    """Read a report written by ``align report --format json``, through the reading gate."""
    from align.documents.reading import max_bytes, read_bytes

    # A report holds its documents' text two or three times over (text, sentences, pairs).
    data = read_bytes(path, limit=4 * max_bytes())
    try:
        data = json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise InputError(f"{path}: not a report (not UTF-8 text: {exc.reason} at byte {exc.start})") from None
    except json.JSONDecodeError as exc:
        raise InputError(f"{path}: not JSON ({exc})") from None
    except RecursionError:
        raise InputError(f"{path}: not a report (JSON nested too deeply)") from None
    try:
        return report_from_dict(data)
    except InputError as exc:
        raise InputError(f"{path}: {exc}") from None
    except RecursionError:
        raise InputError(f"{path}: not a report (nested too deeply)") from None


# --- writing -------------------------------------------------------------------------------------

def _dump_numbers(values: dict[str, float]) -> dict[str, float | None]:
    # JSON has no NaN or infinity; null stands for a number that is not finite.
    return {k: float(v) if math.isfinite(v) else None for k, v in values.items()}


def _span(span: Span | None) -> dict[str, int] | None:
    return {"start": int(span.start), "end": int(span.end)} if span else None


def _document(doc: Document, sentences: list[Sentence]) -> dict[str, Any]:
    return {
        "path": doc.path, "name": doc.name, "encoding": doc.encoding, "language": doc.language,
        "script": doc.script, "is_html": doc.is_html, "text": doc.text, "problems": list(doc.problems),
        "body": [_span(s) for s in doc.body],
        "removals": [{"kind": r.kind, "start": r.start, "end": r.end, "text": r.text, "reason": r.reason}
                     for r in doc.removals],
        "sentences": [{"index": s.index, "start": s.start, "end": s.end, "lang": s.lang, "text": s.text,
                       "norm": s.norm} for s in sentences],
    }


def _bead(b: Bead) -> dict[str, Any]:
    return {"zh": [int(i) for i in b.zh], "en": [int(j) for j in b.en], "kind": b.kind,
            "score": float(b.score), "confidence": float(b.confidence), "source": int(b.source)}


def _flag(f: Flag, pair: Pair) -> dict[str, Any]:
    doc = pair.document_span(f)
    return {"name": f.name, "severity": f.severity, "reason": f.reason, "side": f.side,
            "start": f.start, "end": f.end,
            "doc_start": doc.start if doc else None, "doc_end": doc.end if doc else None}


def _pair(p: Pair, report: Report) -> dict[str, Any]:
    q = p.quality
    return {
        "index": p.index, "number": p.index + 1, "en": [int(j) for j in p.en], "zh": [int(i) for i in p.zh],
        "source": p.source,
        "source_name": report.multi.names[p.source] if 0 <= p.source < len(report.multi.names) else None,
        "en_span": _span(p.en_span), "zh_span": _span(p.zh_span), "en_text": p.en_text, "zh_text": p.zh_text,
        "confidence": float(p.confidence),
        "quality": None if q is None else {
            "score": None if q.score is None else float(q.score), "garbled": q.garbled, "severity": q.severity,
            "flags": [_flag(f, p) for f in q.flags], "signals": _dump_numbers(q.signals),
            "notes": [_flag(f, p) for f in q.notes],
        },
    }


# --- reading -------------------------------------------------------------------------------------

def _load_numbers(values: dict[str, float | None]) -> dict[str, float]:
    return {k: math.nan if v is None else float(v) for k, v in values.items()}


def _to_span(d: dict[str, int] | None) -> Span | None:
    return Span(d["start"], d["end"]) if d is not None else None


def _to_document(d: dict[str, Any]) -> Document:
    return Document(
        path=d["path"], text=d["text"], encoding=d["encoding"], language=Language(d["language"]), script=d["script"],
        is_html=d["is_html"], body=[Span(s["start"], s["end"]) for s in d["body"]],
        removals=[Removal(RemovalKind(r["kind"]), r["start"], r["end"], r["text"], r["reason"]) for r in d["removals"]],
        problems=tuple(str(p) for p in d.get("problems", ())))


def _to_sentences(d: dict[str, Any]) -> list[Sentence]:
    return [Sentence(s["index"], s["text"], s["start"], s["end"], Language(s["lang"]), s["norm"]) for s in d["sentences"]]


def _to_bead(d: dict[str, Any]) -> Bead:
    return Bead(tuple(d["zh"]), tuple(d["en"]), d["score"], d["confidence"], d["source"])


def _to_pair(d: dict[str, Any]) -> Pair:
    q = d["quality"]
    quality = None if q is None else Quality(
        score=q["score"], garbled=q["garbled"],
        flags=tuple(Flag(f["name"], Severity(f["severity"]), f["reason"], f["side"], f["start"], f["end"])
                    for f in q["flags"]),
        signals=_load_numbers(q["signals"]),
        notes=tuple(Flag(f["name"], Severity(f["severity"]), f["reason"], f["side"], f["start"], f["end"])
                    for f in q.get("notes", [])))
    return Pair(index=d["index"], en=tuple(d["en"]), zh=tuple(d["zh"]), source=d["source"],
                en_text=d["en_text"], zh_text=d["zh_text"], en_span=_to_span(d["en_span"]),
                zh_span=_to_span(d["zh_span"]), confidence=d["confidence"], quality=quality)


def _report(data: dict[str, Any]) -> Report:
    en = _to_sentences(data["english"])
    alignments = [
        Alignment(zh=_to_sentences(src), en=list(en), beads=[_to_bead(b) for b in a["beads"]], mode=Mode(a["mode"]),
                  reason=a["reason"], model_id=a["model"], timings=_load_numbers(a["timings"]))
        for src, a in zip(data["sources"], data["alignments"], strict=True)]
    multi = MultiAlignment(
        en=en, alignments=alignments, names=[a["name"] for a in data["alignments"]],
        ranking=[SourceSupport(s["source"], s["name"], Mode(s["mode"]), s["coverage"], s["matched"],
                               s["mean_confidence"]) for s in data["ranking"]],
        best=[_to_bead(b) for b in data["best"]])
    return Report(
        en=_to_document(data["english"]), sources=[_to_document(d) for d in data["sources"]], multi=multi,
        pairs=[_to_pair(p) for p in data["pairs"]], model_id=data["model"], signature=data["signature"],
        timings=_load_numbers(data["timings"]))
