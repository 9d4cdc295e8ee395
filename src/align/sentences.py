"""Sentence segmentation for Chinese and English article text.

Rules, shared by both languages:

* A paragraph break (newline and other line separators) always ends a sentence:
  scraped text puts one paragraph a line, and a line without final punctuation
  (a headline, a byline) is a sentence of its own.
* Closing quotes and brackets that follow the end punctuation stay with the
  sentence they close.
* No split inside a quote or bracket pair that opens and closes on the same line
  (at most ``_MAX_PROTECTED`` characters apart: a longer "pair" is more likely a
  stray quote mark than one quoted sentence, and would swallow whole paragraphs).
  ``他说：“我们要努力。”然后离开。`` is two sentences, the first ending at ``”``.
* A bracket that opens after the end punctuation starts a new sentence, so a
  trailing byline such as ``……設分會場。(記者 李晗)`` is a sentence of its own:
  translations render it separately and aligning it on its own keeps the
  article sentence a clean 1:1 match.
* A line longer than ``max_chars`` without any sentence end is cut at the last
  clause mark (，, ; : 、) or failing that the last space, so no sentence is
  absurdly long.

Chinese (``zh``): 。！？!?；;… (and runs such as ``……``, ``？！``, ``。。``) end a
sentence.  ； ends a sentence too: the Chinese clauses it separates are usually
translated as separate English sentences.  Half-width ``!?;`` followed directly
by an ASCII letter or digit is taken as part of a URL or code and does not split.
A ``.`` follows the English rule (Chinese articles quote English).

English (``en``, and ``other``): . ! ? … (``...``) end a sentence when followed by
whitespace and an upper-case letter, a digit or an opening quote/bracket, by the
end of the line, or directly by a Chinese character.  A ``.`` does not end a
sentence after a title or reference abbreviation (Mr. Dr. No. Vol. Fig. Jan. ...),
after a single-letter initial (J. K. Rowling), or after the number of a list item
opening the sentence ("1. Introduction").  After abbreviations that often end a
sentence too (U.S. U.K. etc. Inc. a.m. ...) it splits only when the next word is
a common sentence starter (The, He, It, But, In ...): "the U.S. He liked it" is
two sentences, "the U.S. Congress" is one.  Decimals (3.14, 4.82 billion) never
split since no space follows the point.  Full-width 。！？ always end a sentence.

Everything runs in time linear in the text length: the regexes are single
character classes without nested repetition, and look-behinds are bounded.
"""
from __future__ import annotations

import re

from align.script import HAN, is_han
from align.types import Document, Language, Removal, RemovalKind, Sentence, Span

_LINE_BREAK = re.compile(r"[\n\r\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")
_CLOSERS = "”’」』）)】》〉］]\"'＂＇"
_PAIRS = {"“": "”", "‘": "’", "「": "」", "『": "』", "（": "）", "(": ")", "【": "】",
          "《": "》", "〈": "〉", "[": "]", "［": "］"}
# In English ’ is mostly an apostrophe, so ‘ ’ cannot be trusted to pair.
_EN_PAIRS = {k: v for k, v in _PAIRS.items() if k != "‘"}
_STRAIGHT_QUOTES = "\"＂"
_MAX_PROTECTED = 500

_ZH_END = re.compile(f"[。！？!?；;…]+[{re.escape(_CLOSERS)}]*")
_EN_END = re.compile(f"[.!?…。！？]+[{re.escape(_CLOSERS)}]*")
_DOT_END = re.compile(f"\\.+[{re.escape(_CLOSERS)}]*")
_HARD_EN = frozenset("。！？")
_SPACES = re.compile(r"\s*")
_WORD_BEFORE = re.compile(r"[A-Za-z0-9.]*$")
_NEXT_WORD = re.compile(r"[A-Za-z]+")
_INITIALISM = re.compile(r"(?:[A-Z]\.)+[A-Z]")
_CLAUSE = re.compile(r"[，,;；:：、]")
_WHITESPACE = re.compile(r"\s")
_LIST_LEAD = re.compile(r"[\s(\[（【]*")

_OPENING = "“‘\"'(（[［「『《【＂"
_TITLES = frozenset(
    "Mr Mrs Ms Messrs Dr Prof St Mt Gen Sen Rep Gov Col Lt Capt Sgt Rev Hon Pres "
    "No Nos no Vol Vols vol pp Fig Figs fig approx Approx vs e.g i.e E.g I.e cf al "
    "Jan Feb Mar Apr Jun Jul Aug Sep Sept Oct Nov Dec Art Sec Ch Dept Univ Ave Rd "
    "Blvd Ft ca viz".split()
)
_MAY_END = frozenset("etc Inc Ltd Co Corp Jr Sr Bros a.m p.m".split())
_STARTERS = frozenset(
    "The A An He She It We They I You This That These Those There Here His Her Its "
    "Their Our My In On At But And Or So Yet As After Before When While If For "
    "However Meanwhile Also Last Next According Since Although Though Then Now Some "
    "Many Most All Both Each".split()
)


def split_spans(text: str, lang: str, start: int = 0, end: int | None = None,
                *, max_chars: int = 2000) -> list[Span]:
    """Sentence spans of ``text[start:end]``, in order, stripped and never empty."""
    end = len(text) if end is None else end
    spans: list[Span] = []
    line_start = start
    for m in _LINE_BREAK.finditer(text, start, end):
        _split_line(text, lang, line_start, m.start(), max_chars, spans)
        line_start = m.end()
    _split_line(text, lang, line_start, end, max_chars, spans)
    return spans


def split_document(doc: Document) -> list[Sentence]:
    """Sentences of every body span of ``doc``, numbered in document order."""
    from align.documents.normalise import normalise

    spam = [r for r in doc.removals if r.kind == RemovalKind.SPAM]
    sentences: list[Sentence] = []
    for body in doc.body:
        for span in split_spans(doc.text, doc.language, body.start, body.end):
            text = doc.text[span.start:span.end]
            lang = _sentence_lang(text, doc.language)
            sentences.append(Sentence(
                index=len(sentences), text=text, start=span.start, end=span.end,
                lang=lang, norm=normalise(_cut_spam(doc.text, span, spam), lang),
            ))
    return sentences


def split_lines(text: str, lang: str) -> list[Sentence]:
    """One sentence per ``\\n``-separated line of presplit text (e.g. alignment gold).

    Every line is kept, empty ones included, so that sentence ``i`` is line ``i``;
    a final newline does not open another line (so empty text has no lines).
    Only ``\\n`` separates lines (a ``\\r`` before it is stripped as whitespace) so
    numbering matches what line-based tools count.
    """
    from align.documents.normalise import normalise

    sentences: list[Sentence] = []
    pos = 0
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    for line in lines:
        lead = len(line) - len(line.lstrip())
        body = line.strip()
        s = pos + lead
        sentences.append(Sentence(index=len(sentences), text=body, start=s,
                                  end=s + len(body), lang=lang, norm=normalise(body, lang)))
        pos += len(line) + 1
    return sentences


def _sentence_lang(text: str, doc_lang: str) -> str:
    """The document's language, unless the sentence's script contradicts it.

    Only then is the sentence identified on its own (an untranslated Chinese
    sentence left in an English translation, an English one quoted in Chinese):
    identifying every short sentence would be slow and often wrong.
    """
    has_han = HAN.search(text) is not None
    if has_han == (doc_lang == Language.ZH):
        return doc_lang
    from align.documents.langid import detect_language

    return detect_language(text)


def _cut_spam(text: str, span: Span, spam: list[Removal]) -> str:
    """The span's text with every spam removal inside it taken out."""
    parts: list[str] = []
    pos = span.start
    for r in sorted(spam, key=lambda r: r.start):
        lo, hi = max(r.start, pos), min(r.end, span.end)
        if lo < hi:
            parts.append(text[pos:lo])
            pos = hi
    parts.append(text[pos:span.end])
    return "".join(parts)


def _split_line(text: str, lang: str, lo: int, hi: int, max_chars: int,
                out: list[Span]) -> None:
    """Append the sentence spans of one line ``text[lo:hi]`` to ``out``."""
    pairs = _PAIRS if lang == Language.ZH else _EN_PAIRS
    protected, straight_openers = _protected(text, lo, hi, pairs)
    # (match, follows the English rule): in Chinese text only "." does.
    candidates: list[tuple[re.Match[str], bool]]
    if lang == Language.ZH:
        candidates = [(m, False) for m in _ZH_END.finditer(text, lo, hi)]
        candidates += [(m, True) for m in _DOT_END.finditer(text, lo, hi)]
        candidates.sort(key=lambda c: c[0].start())
    else:
        candidates = [(m, True) for m in _EN_END.finditer(text, lo, hi)]
    breaks: list[int] = []
    k = 0  # index into protected, which is sorted and disjoint
    last = lo
    for m, english in candidates:
        b = m.end()
        # A straight quote opening the next quotation is not a closer.
        for i in range(m.start(), b):
            if i in straight_openers:
                b = i
                break
        if b <= last:
            continue
        if english:
            ok = _en_end_ok(text, m.start(), b, hi, last)
        else:
            ok = _zh_end_ok(text, m.start(), b, hi)
        if not ok:
            continue
        while k < len(protected) and protected[k][1] < b:
            k += 1
        if k < len(protected) and protected[k][0] <= b:
            continue
        breaks.append(b)
        last = b
    for a, b in zip([lo, *breaks], [*breaks, hi]):
        _emit(text, a, b, max_chars, out)


def _protected(text: str, lo: int, hi: int,
               pairs: dict[str, str]) -> tuple[list[tuple[int, int]], set[int]]:
    """Break positions lying inside a quote/bracket pair closed on this line.

    Returns merged inclusive ranges ``[open + 1, close]`` of forbidden break
    positions, and the positions of straight quotes that open a quotation.
    """
    closers = {v: k for k, v in pairs.items()}
    stack: list[tuple[str, int]] = []
    ranges: list[tuple[int, int]] = []
    straight: list[int] = []
    for i in range(lo, hi):
        c = text[i]
        if c in pairs:
            stack.append((c, i))
        elif c in closers:
            # A mismatched closer may close a pair a few levels down; look no
            # deeper than that so a flood of unclosed brackets stays linear.
            for depth in range(len(stack) - 1, max(len(stack) - 9, -1), -1):
                if stack[depth][0] == closers[c]:
                    ranges.append((stack[depth][1], i))
                    del stack[depth:]
                    break
        elif c in _STRAIGHT_QUOTES:
            straight.append(i)
    openers = set(straight[0:len(straight) - 1:2])
    ranges += [(a, b) for a, b in zip(straight[0::2], straight[1::2])]
    merged: list[tuple[int, int]] = []
    for o, c in sorted(r for r in ranges if r[1] - r[0] <= _MAX_PROTECTED):
        if merged and o + 1 <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], c))
        else:
            merged.append((o + 1, c))
    return merged, openers


def _zh_end_ok(text: str, start: int, b: int, hi: int) -> bool:
    """Whether a run of Chinese end punctuation ending at ``b`` ends a sentence."""
    run = text[start:b]
    if b < hi and all(ch in "!?;" for ch in run.rstrip(_CLOSERS)):
        nxt = text[b]
        return not (nxt.isascii() and (nxt.isalnum() or nxt in "=&/_"))
    return True


def _en_end_ok(text: str, start: int, b: int, hi: int, sentence_start: int) -> bool:
    """Whether end punctuation ``text[start:b]`` (closers included) ends a sentence."""
    if any(ch in _HARD_EN for ch in text[start:b]):
        return True
    nxt = _SPACES.match(text, b, hi).end()
    if nxt == hi:
        return True
    ch = text[nxt]
    if nxt == b:
        # Only a Chinese character may follow without a space ("reading.王偉中").
        return is_han(ch) and not text[start - 1:start].isdigit()
    if not (ch.isupper() or ch.isdigit() or ch in _OPENING or is_han(ch)):
        return False
    run_end = start
    while run_end < b and text[run_end] == ".":
        run_end += 1
    if run_end - start != 1:  # "!", "?", "..." or "…": no abbreviation question
        return True
    word = _WORD_BEFORE.search(text, max(sentence_start, start - 40), start).group()
    word = word.lstrip(".")
    if not word:
        return True
    if word in _TITLES or (len(word) == 1 and word.isalpha()):
        return False
    if word.isdigit() and _LIST_LEAD.match(text, sentence_start).end() >= start - len(word):
        return False  # list item number opening the sentence
    if word in _MAY_END or _INITIALISM.fullmatch(word):
        nw = _NEXT_WORD.match(text, nxt, hi)
        return nw is not None and nw.group() in _STARTERS
    return True


def _emit(text: str, a: int, b: int, max_chars: int, out: list[Span]) -> None:
    """Append ``text[a:b]`` stripped, cut into pieces of at most ``max_chars``."""
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    while b - a > max_chars:
        cut = _best_cut(text, a, a + max_chars)
        _emit(text, a, cut, max_chars, out)
        a = cut
        while a < b and text[a].isspace():
            a += 1
    if a < b:
        out.append(Span(a, b))


def _best_cut(text: str, a: int, limit: int) -> int:
    """Where to cut an overlong sentence starting at ``a``: at most ``limit``,
    preferring just after the last clause mark, then the last space, in the
    second half of the window so that pieces stay substantial."""
    lo = a + (limit - a) // 2
    for pattern in (_CLAUSE, _WHITESPACE):
        last = None
        for last in pattern.finditer(text, lo, limit):
            pass
        if last is not None:
            return last.end()
    return limit
