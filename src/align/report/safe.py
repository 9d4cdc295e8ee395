"""Hostile text made safe to show: the one sanitiser every face uses.

Inputs are scraped web pages and files passed around, and a terminal obeys whatever
escape sequences reach it; a file name can carry undecodable bytes, control
characters, bidirectional overrides or zero-width characters that make it look like
another name. So nothing from the input reaches a terminal, a file or markup raw:

- ``visible(text)`` for document text (pairs, reasons, removals): every character a
  terminal or a reader could act on is replaced by one visible character, so offsets
  into the text stay valid: C0 controls (tab and newline kept) by their Control
  Pictures (ESC -> ␛, NUL -> ␀), DEL by ␡, C1 controls, bidirectional embeddings,
  overrides and isolates and lone surrogates by U+FFFD.
- ``safe_name(name)`` for file names, paths, model names and messages: every invisible
  or deceptive character is written as an escape (undecodable bytes as ``\\xff``,
  others as ``\\x1b``, ``\\u202e``), and the result is one line.
- ``displayable(report)``: a copy of a report with both applied everywhere a face
  shows; markup escaping (HTML, Markdown, rich) stays each face's job.
- ``json_safe(dumped)``: JSON keeps the exact data, but written as ``\\uXXXX`` escapes
  where the raw characters would act on a terminal or are not valid UTF-8.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from align.types import Alignment, Document, Flag, MultiAlignment, Pair, Removal, Report, Sentence

# Bidirectional embeddings, overrides and isolates (and the Arabic letter mark): they reorder
# what follows on screen, so a text or name can display as something it is not.
BIDI = "\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"

_TEXT_TABLE: dict[int, str] = {c: chr(0x2400 + c) for c in range(0x20) if c not in (0x09, 0x0A)}
_TEXT_TABLE[0x7F] = "\u2421"
_TEXT_TABLE.update({c: "\ufffd" for c in range(0x80, 0xA0)})
_TEXT_TABLE.update({ord(c): "\ufffd" for c in BIDI})
_TEXT_TABLE.update({c: "\ufffd" for c in range(0xD800, 0xE000)})
_TEXT_UNSAFE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f" + BIDI + "\ud800-\udfff]")


def visible(text: str) -> str:
    """``text`` with every control, bidi override and lone surrogate replaced one for one."""
    return text.translate(_TEXT_TABLE) if _TEXT_UNSAFE.search(text) else text


# Invisible or deceptive in a name: controls, format characters (zero-width, bidi, soft
# hyphen), line and paragraph separators, surrogates, and the noncharacters XML forbids.
_NAME_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})


def _escape(ch: str) -> str:
    code = ord(ch)
    if 0xDC80 <= code <= 0xDCFF:  # an undecodable byte, as os.fsdecode carries it
        return f"\\x{code - 0xDC00:02x}"
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _name_unsafe(ch: str) -> bool:
    code = ord(ch)
    return (unicodedata.category(ch) in _NAME_CATEGORIES or 0xFDD0 <= code <= 0xFDEF
            or code & 0xFFFE == 0xFFFE)


def safe_name(name: str) -> str:
    """A file name, path or one-line message as shown: invisible and deceptive characters escaped."""
    if name.isprintable() and name.isascii():
        return name
    return "".join(_escape(ch) if _name_unsafe(ch) else ch for ch in name)


def _removal(r: Removal) -> Removal:
    return replace(r, text=visible(r.text), reason=visible(r.reason))


def _document(doc: Document) -> Document:
    return replace(doc, path=safe_name(doc.path), text=visible(doc.text),
                   removals=[_removal(r) for r in doc.removals],
                   problems=tuple(safe_name(p) for p in doc.problems))


def _sentences(sents: list[Sentence]) -> list[Sentence]:
    return [replace(s, text=visible(s.text), norm=visible(s.norm)) for s in sents]


def _flag(f: Flag) -> Flag:
    return replace(f, name=safe_name(f.name), reason=visible(f.reason))


def _pair(p: Pair) -> Pair:
    q = p.quality
    if q is not None:
        q = replace(q, flags=tuple(_flag(f) for f in q.flags), notes=tuple(_flag(n) for n in q.notes))
    return replace(p, en_text=visible(p.en_text), zh_text=visible(p.zh_text), quality=q)


def _alignment(a: Alignment, en: list[Sentence]) -> Alignment:
    return replace(a, zh=_sentences(a.zh), en=en, reason=visible(a.reason), model_id=safe_name(a.model_id))


def displayable(report: Report) -> Report:
    """A copy of ``report`` as every face shows it: names through ``safe_name``, text through
    ``visible`` (offsets unchanged). Never feed it back to the pipeline or a store."""
    m = report.multi
    en = _sentences(m.en)
    multi = MultiAlignment(en=en, alignments=[_alignment(a, en) for a in m.alignments],
                           names=[safe_name(n) for n in m.names],
                           ranking=[replace(s, name=safe_name(s.name)) for s in m.ranking], best=m.best)
    return replace(report, en=_document(report.en), sources=[_document(d) for d in report.sources],
                   multi=multi, pairs=[_pair(p) for p in report.pairs], model_id=safe_name(report.model_id),
                   signature=safe_name(report.signature))


# In dumped JSON these occur only inside strings, where ``\uXXXX`` means the same character.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u2028\u2029" + BIDI + "\ud800-\udfff]")


def json_safe(dumped: str) -> str:
    """JSON text (``json.dumps(..., ensure_ascii=False)``) with the characters that would act on
    a terminal or cannot be written as UTF-8 escaped; ``json.loads`` gives the same data."""
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", dumped)

