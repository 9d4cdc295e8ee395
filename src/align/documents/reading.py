"""Read an input file into text: the reading gate every input passes.

The gate refuses, with one line naming the file and the problem, whatever is not a
regular text file of reasonable size (directories, named pipes, devices, broken or
looping links, archives and other binary data, files over ``max_bytes()``), and reads
with a time bound. Encodings are detected from the bytes; a file that is mostly valid
in one encoding is read in it, and what had to be repaired (bad bytes, NUL and other
control characters) is listed in ``Decoded.problems`` rather than hidden.
"""
from __future__ import annotations

import codecs
import contextvars
import errno
import os
import re
import stat
import time
from html.parser import HTMLParser
from typing import NamedTuple

from align.errors import InputError
from align.script import is_han

# Far above any news article or book chapter (the seeds are 5-40 KB; a Chinese novel is a few MB),
# low enough that a wrong file fails at once instead of filling memory. ALIGN_MAX_BYTES overrides it.
MAX_BYTES = 16 * 1024 * 1024
# A local disk reads 16 MB in well under a second; past this, a stalled network or FUSE mount.
READ_SECONDS = 30.0
_CHUNK = 1 << 20
# Prose ends a sentence or a line well within this many characters (the seeds' longest run is
# 700); a longer run is a data dump or a minified script, and would become thousands of
# sentences cut at the splitter's 2,000-character cap that the encoders take minutes over.
MAX_RUN = 5000
_RUN_END = re.compile(r"[\n.!?;。！？；…]")

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
# Signatures of binary formats people rename to .txt, so the refusal can say what the file is.
_MAGIC = (
    (b"PK\x03\x04", "a ZIP archive (or a .docx/.xlsx file)"), (b"PK\x05\x06", "an empty ZIP archive"),
    (b"\x1f\x8b", "a gzip archive"), (b"BZh", "a bzip2 archive"), (b"\xfd7zXZ\x00", "an xz archive"),
    (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"), (b"Rar!\x1a\x07", "a RAR archive"),
    (b"%PDF-", "a PDF document"), (b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"), (b"\x7fELF", "an executable (ELF)"), (b"SQLite format 3\x00", "an SQLite database"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Microsoft Office document"),
)
# C0/C1 control characters that never occur in text (tab, newlines, form feed excepted).
_CONTROL = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), *range(0x0E, 0x20), 0x7F])
# More control characters than this share (and more than _BINARY_MIN) make a file binary: text
# has none, a damaged or booby-trapped one a few (a handful of escape sequences); compressed or
# random data about 10%.
_BINARY_SHARE = 0.02
_BINARY_MIN = 8
# Mostly valid: at least this many good multi-byte characters per bad byte sequence. Bytes of
# another encoding rarely form valid UTF-8 by chance (GB18030 or Big5 text read as UTF-8 has
# hundreds of bad places and a handful of good characters, Western text none), while a damaged
# UTF-8 file (cut mid-character, a stray cp1252 quote, scribbled bytes) has far more good ones.
_MOSTLY_GOOD_PER_BAD = 2


class Decoded(NamedTuple):
    """A file's text as read: ``problems`` says what was repaired, one phrase each."""

    text: str
    encoding: str
    is_html: bool
    problems: tuple[str, ...] = ()


def max_bytes() -> int:
    """The largest input read: ``$ALIGN_MAX_BYTES`` when set to a number of bytes, else ``MAX_BYTES``."""
    value = os.environ.get("ALIGN_MAX_BYTES", "")
    return int(value) if value.isdigit() and int(value) > 0 else MAX_BYTES


def read_text(path: str) -> Decoded:
    """The file at ``path`` as text.

    The encoding is detected from the bytes; newlines become ``\\n``; HTML is turned into
    text, and all later offsets refer to the returned text.
    """
    return decode_bytes(read_bytes(path), path)


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n:,} bytes"


def _not_regular(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "is a directory, not a text file"
    if stat.S_ISFIFO(mode):
        return "is a named pipe (FIFO), not a regular file; save what it carries to a file first"
    if stat.S_ISSOCK(mode):
        return "is a socket, not a regular file"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "is a device, not a regular file"
    return "is not a regular file"


def read_bytes(path: str, limit: int | None = None) -> bytes:
    """The bytes of a regular file, at most ``limit`` (default ``max_bytes()``), read within
    ``READ_SECONDS``; otherwise an ``InputError`` that says why they cannot be had."""
    try:
        info = os.stat(path)
    except OSError as exc:
        raise InputError(f"{path}: {_stat_problem(path, exc)}") from None
    if not stat.S_ISREG(info.st_mode):
        raise InputError(f"{path}: {_not_regular(info.st_mode)}")
    limit = limit or max_bytes()
    if info.st_size > limit:
        raise InputError(f"{path}: is {_size(info.st_size)}; align reads files up to {_size(limit)} "
                         "(set ALIGN_MAX_BYTES to raise the limit)")
    try:
        # O_NONBLOCK: should the file be swapped for a pipe after the check above, open and
        # read return at once instead of waiting for a writer.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({_strerror(exc)})") from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise InputError(f"{path}: {_not_regular(os.fstat(fd).st_mode)}")
        return _read_bounded(fd, path, limit)
    except OSError as exc:
        raise InputError(f"{path}: cannot be read ({_strerror(exc)})") from None
    finally:
        os.close(fd)


def _read_bounded(fd: int, path: str, limit: int) -> bytes:
    """Read to the end in chunks, refusing past ``limit`` bytes (a file that grows while read,
    a /proc file whose size says 0) or past ``READ_SECONDS``."""
    chunks: list[bytes] = []
    total = 0
    deadline = time.monotonic() + READ_SECONDS
    while True:
        try:
            chunk = os.read(fd, _CHUNK)
        except BlockingIOError:
            raise InputError(f"{path}: is not a regular file (it would block)") from None
        if not chunk:
            return b"".join(chunks)
        total += len(chunk)
        if total > limit:
            raise InputError(f"{path}: is over {_size(limit)}; align reads files up to {_size(limit)} "
                             "(set ALIGN_MAX_BYTES to raise the limit)")
        chunks.append(chunk)
        if time.monotonic() > deadline:
            raise InputError(f"{path}: reading took over {READ_SECONDS:.0f} s ({_size(total)} read); "
                             "is it on a stalled network drive?")


def _strerror(exc: OSError) -> str:
    return (exc.strerror or str(exc)).lower()


def _stat_problem(path: str, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "is a symbolic link in a loop (it never reaches a file)"
    if exc.errno == errno.ENOENT:
        try:
            if os.path.islink(path):
                return f"is a broken symbolic link (to {os.readlink(path)}, which does not exist)"
        except OSError:
            pass
        return "no such file"
    if exc.errno == errno.ENAMETOOLONG:
        return "the file name is too long"
    if exc.errno == errno.ENOTDIR:
        return "no such file (a part of the path is not a folder)"
    if exc.errno == errno.EACCES:
        return "cannot be read (permission denied)"
    return f"cannot be read ({_strerror(exc)})"


def decode_bytes(data: bytes, name: str) -> Decoded:
    """``read_text`` for bytes already in memory; ``name`` is used in error messages."""
    if not data:
        raise InputError(f"{name}: the file is empty")
    for magic, what in _MAGIC:
        if data.startswith(magic):
            raise InputError(f"{name}: is {what}, a binary file, not text")
    text, encoding, problems = decode_text(data, name)
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(f"{name}: the file contains only whitespace")
    controls = _CONTROL.findall(text)
    if len(controls) > _BINARY_MIN and len(controls) > _BINARY_SHARE * len(text):
        raise InputError(f"{name}: looks like a binary file, not text ({len(controls)} control characters)")
    if controls:
        problems.append(_describe_controls(text, controls))
    is_html = looks_like_html(text)
    if is_html:
        text = html_to_text(text)
        if not text.strip():
            raise InputError(f"{name}: the HTML page contains no text")
    _check_runs(text, name)
    return Decoded(text, encoding, is_html, tuple(problems))


def _check_runs(text: str, name: str) -> None:
    """Refuse text with a run of ``MAX_RUN`` characters that neither ends a sentence nor a line."""
    last = 0
    for m in _RUN_END.finditer(text):
        if m.start() - last > MAX_RUN:
            break
        last = m.end()
    else:
        if len(text) - last <= MAX_RUN:
            return
    raise InputError(f"{name}: runs over {MAX_RUN:,} characters without a sentence end or line break "
                     f"from {_where(text, last)}; this is not prose (a data dump or a minified script?)")


def _where(text: str, index: int) -> str:
    """"line L, column C" (both from 1) of a character offset."""
    return f"line {text.count(chr(10), 0, index) + 1}, column {index - text.rfind(chr(10), 0, index)}"


def _describe_controls(text: str, controls: list[str]) -> str:
    first = text.index(controls[0])
    names = sorted({_control_name(c) for c in controls})
    n = len(controls)
    return (f"{n} control character{'s' if n != 1 else ''} ({', '.join(names[:4])}{', ...' if len(names) > 4 else ''}; "
            f"first at {_where(text, first)}), shown as symbols in reports")


def _control_name(ch: str) -> str:
    special = {"\x00": "NUL", "\x1b": "ESC", "\x7f": "DEL", "\x08": "BS", "\x07": "BEL"}
    return special.get(ch, f"U+{ord(ch):04X}")


_BAD = contextvars.ContextVar[list]("align_bad_bytes")


def _count_bad(exc: UnicodeDecodeError) -> tuple[str, int]:
    _BAD.get().append((exc.start, exc.end))
    return "\ufffd", exc.end


codecs.register_error("align-count", _count_bad)


def _lenient(data: bytes, encoding: str) -> tuple[str, list[tuple[int, int]]]:
    """``data`` decoded with every bad byte sequence replaced by U+FFFD, and where those were."""
    bad: list[tuple[int, int]] = []
    token = _BAD.set(bad)
    try:
        return data.decode(encoding, errors="align-count"), bad
    finally:
        _BAD.reset(token)


def _mostly(data: bytes, encoding: str) -> tuple[str, list[tuple[int, int]]] | None:
    """The text when ``data`` is mostly valid ``encoding`` (see ``_MOSTLY_GOOD_PER_BAD``), else None."""
    text, bad = _lenient(data, encoding)
    good = sum(1 for c in text if ord(c) > 0x7F and c != "\ufffd")
    if not bad or good < _MOSTLY_GOOD_PER_BAD * len(bad):
        return None
    return text, bad


def _describe_bad(data: bytes, bad: list[tuple[int, int]], encoding: str) -> str:
    n = sum(e - s for s, e in bad)
    start = bad[0][0]
    line = data.count(b"\n", 0, start) + 1
    where = f"at byte offset {start:,} (line {line})"
    if len(bad) > 1:
        where = f"in {len(bad)} places, the first {where}"
    elif bad[0][1] == len(data):
        where += ": the file ends in the middle of a character (cut short?)"
    return f"{n} byte{'s' if n != 1 else ''} not valid {encoding.upper()} {where}, shown as U+FFFD"


def decode_text(data: bytes, name: str) -> tuple[str, str, list[str]]:
    """``(text, encoding, problems)`` of bytes in any encoding ``read_text`` knows, taken as
    plain text (no HTML); ``problems`` lists the bad bytes a mostly valid file had."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            body = data[len(bom):]
            label = encoding + ("-sig" if encoding == "utf-8" else "")
            try:
                return body.decode(encoding), label, []
            except UnicodeDecodeError:
                mostly = _mostly(body, encoding)
                if mostly is None:
                    raise InputError(f"{name}: starts with a {encoding} byte-order mark "
                                     f"but is not valid {encoding}") from None
                return mostly[0], label, [_describe_bad(body, mostly[1], encoding)]
    # NUL bytes come from UTF-16 without a byte-order mark (the high byte of ASCII characters);
    # otherwise they are damage or binary data, which the share of control characters tells apart.
    if b"\x00" in data:
        encoding = _utf16_without_bom(data)
        if encoding is not None:
            try:
                return data.decode(encoding), encoding, []
            except UnicodeDecodeError:
                pass
    controls = len(data) - len(data.translate(None, _CONTROL_BYTES))
    if controls > _BINARY_MIN and controls > _BINARY_SHARE * len(data):
        raise InputError(f"{name}: looks like a binary file, not text ({controls} control bytes)")
    try:
        return data.decode("utf-8"), "utf-8", []
    except UnicodeDecodeError:
        pass
    # A few bad bytes in UTF-8 (a file cut mid-character, a stray byte from another code page)
    # must not send the whole text to a legacy code page: read it as UTF-8 and say where.
    mostly = _mostly(data, "utf-8")
    if mostly is not None:
        return mostly[0], "utf-8", [_describe_bad(data, mostly[1], "utf-8")]
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
            return candidates[best], "big5" if best == "cp950" else best, []
    mostly = _mostly(data, "cp950")
    if mostly is not None and _plausibility(mostly[0]) >= 0.6:
        return mostly[0], "big5", [_describe_bad(data, mostly[1], "big5")]
    western = _western(data)
    if western is not None:
        return western, "cp1252", []
    raise InputError(f"{name}: cannot tell the text encoding (not UTF-8, UTF-16, GB18030, Big5 or Windows-1252)")


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
        if is_han(ch):
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

    def text(self) -> str:
        """What was seen so far: lines stripped, at most one blank line between blocks."""
        lines = [line.strip() for line in "".join(self.parts).split("\n")]
        return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip() + "\n"


# A doctype's internal subset (`<!DOCTYPE html [<!ENTITY ...>]>`) defines nothing in HTML; the
# parser would end the doctype at its first ">" and show the rest as text.
_INTERNAL_SUBSET = re.compile(r"<!DOCTYPE([^\[>]*)\[[^\]]*\]\s*>", re.I)


def html_to_text(html: str) -> str:
    """Visible text of an HTML page: scripts and styles dropped, blocks on their own lines,
    entities unescaped (HTML's own: a page cannot define any, so no entity expands)."""
    parser = _TextExtractor()
    parser.feed(_INTERNAL_SUBSET.sub(r"<!DOCTYPE\1>", html, count=1))
    parser.close()
    return parser.text()
