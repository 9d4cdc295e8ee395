"""Read an input file into text: detect its encoding from the bytes, turn HTML into text."""
from __future__ import annotations

import codecs
import os
import re
from html.parser import HTMLParser

from align.errors import InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# C0/C1 control characters that never occur in text (tab, newlines, form feed excepted).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")


def read_text(path: str) -> tuple[str, str, bool]:
    """Return ``(text, encoding, is_html)`` for the file at ``path``.

    The encoding is detected from the bytes; newlines become ``\\n``; HTML is turned into
    text, and all later offsets refer to the returned text.
    """
    return decode_bytes(read_bytes(path), path)


def read_bytes(path: str) -> bytes:
    """The file's bytes, or an ``InputError`` that says why they cannot be had."""
    if not os.path.exists(path):
        raise InputError(f"{path}: no such file")
    if os.path.isdir(path):
        raise InputError(f"{path}: is a directory, not a text file")
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({exc.strerror})") from None


def decode_bytes(data: bytes, name: str) -> tuple[str, str, bool]:
    """``read_text`` for bytes already in memory; ``name`` is used in error messages."""
    if not data:
        raise InputError(f"{name}: the file is empty")
    text, encoding = decode_text(data, name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(f"{name}: the file contains only whitespace")
    controls = len(_CONTROL.findall(text))
    if controls > 2 and controls > 0.005 * len(text):
        raise InputError(f"{name}: looks like a binary file, not text ({controls} control characters)")
    is_html = looks_like_html(text)
    if is_html:
        text = html_to_text(text)
        if not text.strip():
            raise InputError(f"{name}: the HTML page contains no text")
    return text, encoding, is_html


def decode_text(data: bytes, name: str) -> tuple[str, str]:
    """``(text, encoding)`` of bytes in any encoding ``read_text`` knows, taken as plain text (no HTML)."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            try:
                return data[len(bom):].decode(encoding), encoding + ("-sig" if encoding == "utf-8" else "")
            except UnicodeDecodeError:
                raise InputError(f"{name}: starts with a {encoding} byte-order mark but is not valid {encoding}") from None
    if b"\x00" in data:
        encoding = _utf16_without_bom(data)
        if encoding is None:
            raise InputError(f"{name}: looks like a binary file, not text (it contains NUL bytes)")
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            raise InputError(f"{name}: looks like a binary file, not text (it contains NUL bytes)") from None
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    # Legacy encodings: GB18030 decodes almost any byte string, and Big5 text often decodes
    # as GB18030 without error, so choose by how plausible the decoded characters are.
    candidates: dict[str, str] = {}
    for encoding in ("gb18030", "big5", "cp950"):
        try:
            candidates[encoding] = data.decode(encoding)
        except UnicodeDecodeError:
            continue
    if candidates:
        best = max(candidates, key=lambda enc: _plausibility(candidates[enc]))
        if _plausibility(candidates[best]) >= 0.6:
            return candidates[best], "big5" if best == "cp950" else best
    western = _western(data)
    if western is not None:
        return western, "cp1252"
    from charset_normalizer import from_bytes

    match = from_bytes(data).best()
    if match is not None and match.encoding:
        return str(match), match.encoding
    raise InputError(f"{name}: cannot tell the text encoding (tried UTF-8, UTF-16, GB18030, Big5 and others)")


_WESTERN_PUNCT = frozenset("’‘“”–—…•©®°€£·«»×")


def _western(data: bytes) -> str | None:
    """Windows-1252 (a superset of Latin-1) when it yields mostly-ASCII text with letters.

    Statistical detectors confuse the Western code pages on short texts (reading é as č);
    real Western text is mostly ASCII with accented letters and typographic punctuation.
    """
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        return None
    extra = [c for c in text if ord(c) > 0x7F]
    if len(extra) > 0.3 * len(text):
        return None
    good = sum(1 for c in extra if c.isalpha() or c in _WESTERN_PUNCT)
    return text if good >= 0.9 * len(extra) else None


def _utf16_without_bom(data: bytes) -> str | None:
    """The UTF-16 byte order under which ``data`` reads as plausible text, if any.

    NUL bytes in text files come from UTF-16 (the high byte of ASCII characters); in
    anything else they mean binary data.
    """
    if len(data) % 2:
        return None
    best, best_score = None, 0.0
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        ascii_ok = sum(1 for c in text if c.isascii() and (c.isprintable() or c in "\t\n\r\f"))
        non_ascii = len(text) - sum(1 for c in text if c.isascii())
        score = (ascii_ok + _plausibility(text) * non_ascii) / len(text)
        if score > best_score:
            best, best_score = encoding, score
    return best if best_score >= 0.9 else None


def _common_han(ch: str) -> float:
    """How ordinary a Han character is: frequent in GB2312 or Big5 -> 1, rarer -> less."""
    try:
        gb = ch.encode("gb2312")
        return 1.0 if gb[0] <= 0xD7 else 0.5  # level 1 (3755 frequent) vs level 2
    except UnicodeEncodeError:
        pass
    try:
        big5 = ch.encode("big5")
        return 1.0 if big5 < b"\xc6\x7f" else 0.5  # frequent (A440-C67E) vs less frequent
    except UnicodeEncodeError:
        return 0.1


def _plausibility(text: str) -> float:
    """Mean plausibility of the non-ASCII characters of a decoded text (0..1).

    Mojibake from the wrong double-byte codec is full of rare Han characters, kana,
    Cyrillic, box drawing and private-use characters; real Chinese text is mostly frequent
    Han characters and CJK punctuation.
    """
    sample = [c for c in text[:20000] if ord(c) > 0x7F]
    if not sample:
        return 1.0
    total = 0.0
    for ch in sample:
        code = ord(ch)
        if 0x4E00 <= code <= 0x9FFF:
            total += _common_han(ch)
        elif 0x3000 <= code <= 0x303F or 0xFF01 <= code <= 0xFF5E or 0x2010 <= code <= 0x2027:
            total += 1.0
        elif code in (0xA0, 0xB7):
            total += 1.0
    return total / len(sample)


_HTML_START = re.compile(r"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html)\b", re.I | re.S)
_TAG = re.compile(
    r"</?(?:p|div|span|a|br|li|ul|ol|table|tr|td|th|h[1-6]|body|head|meta|script|style|img|"
    r"strong|em|b|i|section|article|header|footer|nav|title|link|form|input)\b[^>]*>",
    re.I,
)


def looks_like_html(text: str) -> bool:
    """HTML by content: a doctype or <html> at the start, or many known tags."""
    if _HTML_START.match(text[:4096]):
        return True
    tags = _TAG.findall(text[:100000])
    return len(tags) >= 5 and sum(map(len, tags)) >= 0.02 * min(len(text), 100000)


_DROP = frozenset({"script", "style", "noscript", "template", "head"})
_BLOCK = frozenset(
    "address article aside blockquote body br dd div dl dt fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hr html li main nav ol p pre section table tbody thead tfoot tr ul "
    "title caption option".split()
)
_VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
_WS = re.compile(r"[ \t\n\r\f]+")


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._drop_depth = 0
        self._pre_depth = 0
        self._title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            self._title = True  # the page title is text even though it sits in <head>
        if tag in _DROP and tag not in _VOID:
            self._drop_depth += 1
        if tag == "pre":
            self._pre_depth += 1
        if tag in _BLOCK:
            self.parts.append("\n")
        elif tag in ("td", "th"):
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            self._title = False
        if tag in _DROP and self._drop_depth:
            self._drop_depth -= 1
        if tag == "pre" and self._pre_depth:
            self._pre_depth -= 1
        if tag in _BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self._drop_depth and not self._title:
            return
        # Outside <pre>, runs of HTML whitespace render as one space.
        self.parts.append(data if self._pre_depth else _WS.sub(" ", data))


def html_to_text(html: str) -> str:
    """Visible text of an HTML page: scripts and styles dropped, blocks on their own lines,
    entities unescaped."""
    parser = _TextExtractor()
    parser.feed(html)
    parser.close()
    lines = [line.strip() for line in "".join(parser.parts).split("\n")]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
