"""Separate article text from page chrome, repeated copies and injected spam.

Works on lines (scraped pages put one paragraph per line), in the spirit of jusText:
each line is first classified on its own as boilerplate (``bad``), article text (``good``)
or undecided (``short``); short lines then take a side from their context, a closing footer
block is grown from the end, later copies of kept paragraphs are removed, and strings that
brand the removed chrome but also sit inside kept sentences are reported as spam.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from align.documents.normalise import fold_width, normalise, to_simplified
from align.script import HAN
from align.types import Language, Removal, RemovalKind, Span


@dataclass
class _Line:
    number: int  # 1-based line number in the text, for reasons a reviewer can follow
    start: int  # offsets of the line without its surrounding whitespace
    end: int
    text: str
    probe: str  # simplified, width-folded, lower-cased: what the patterns look at
    cls: str = "short"  # "good", "bad" or "short"
    kind: RemovalKind | None = None  # set once the line is removed
    reason: str = ""
    first_copy: int = 0  # for duplicates: line number of the kept copy


_SENTENCE_END = "。！？!?…"
_ZH_PUNCT = re.compile(r"[。，,；;！!？?：:、]")
_WORDS = re.compile(r"[A-Za-z0-9]+(?:['’][A-Za-z]+)?")

_PAGER = re.compile(r"^(?:上一篇|下一篇|上一条|下一条|上一页|下一页|上篇|下篇)|^(?:previous|next)\s*(?:article|post|page|story|news)?\s*:")
_BREADCRUMB = re.compile(r"当前位置|所在的?位置|您的位置|首页\s*[>›»/]|^home\s*[>›»]")
_WIDGET = re.compile(
    r"字体\s*[:：\[]|字号\s*[:：\[]|分享到|打印本页|【打印】|关闭窗口|关闭本页|收藏本页|加入收藏|返回顶部|"
    r"无障碍|长辈版|适老化|登录\s*/\s*注册|浏览次数|阅读次数|点击数\s*[:：]|^附件\s*[:：]?$|^打印$|^关闭$"
)
_EN_WIDGET = re.compile(r"^(?:share(?: this| to| on)?|print(?: this page)?|e-?mail|font size|back to top|close window)\b", re.I)
# Footer words that mark a line as footer on their own (when the line is not long).
_FOOTER_STRONG = re.compile(
    r"版权所有|版权声明|copyright|all rights reserved|©|icp备|icp证|公网安备|网站标识码|"
    r"电信业务经营许可证|网站地图|友情链接|扫一扫|微信公众号|关注我们|联系我们|免责声明|主办单位|承办单位|技术支持[:：]"
)
# Footer words that are also ordinary words: they need a short line, or two of them.
_FOOTER_WEAK = re.compile(
    r"版权|地址[:：]|电话[:：]|传真[:：]|邮编|邮箱|e-?mail|主办|承办|转载|本网|本站|授权|法律责任|声明|备案"
)
_EN_FOOTER = re.compile(r"copyright|all rights reserved|©|\bicp\b", re.I)
_META = re.compile(r"^(?:来源|发布日期|发布时间|时间|日期|作者|编辑|责任编辑|记者|source|date|author|editor)\s*[:：]")
_BULLET = re.compile(r"^[•▪●◆►▶]\s*\S")
_TOKEN_SPLIT = re.compile(r"[\s|｜/]+")

# How long a line matching a chrome pattern may be and still be chrome (longer, it is article
# text that uses the words). Set by hand on the seed pages when the cleaner was written
# (commit cb0f617) and pinned by tests/test_documents.py; in brackets the longest such chrome
# line of the Chinese seeds 001-003, each limit well above it but for the weak footer words.
# Chinese, in visible characters:
ZH_NAV_MAX = 80  # a pager or breadcrumb: its label, then a linked title or path (30: 上一篇: ...)
ZH_WIDGET_MAX = 40  # share, print and font-size widgets (17)
ZH_FOOTER_MAX = 150  # a strong footer word: copyright, ICP and organiser lines run long (50)
# An ordinary word of footers (地址, 电话, 版权...) on a line that ends no sentence: contact lines
# (59: an address, a telephone and a fax number) and no longer, since articles use these words.
ZH_WEAK_FOOTER_MAX = 60
ZH_BULLET_MAX = 30  # a bulleted menu item (13)
BYLINE_MAX = 60  # a source/date byline, in either language, left to its neighbours (28)
# English, in words: only obvious chrome goes (the English seeds are translations, a translated
# widget line included), so the limits only allow for a title or a company name in the line.
EN_PAGER_MAX_WORDS = 15
EN_BREADCRUMB_MAX_WORDS = 12
EN_WIDGET_MAX_WORDS = 5
EN_FOOTER_MAX_WORDS = 30  # "Copyright © 2023 Fuxin News Network. All rights reserved." is 8
# A line that is article text on its own: Chinese of this many visible characters with a clause
# mark, or fewer ending a sentence (the seeds' shortest kept paragraph, 003's question heading
# 增强创新发展能力怎么干?, is 12); English of this many words, or fewer ending a sentence.
ZH_ARTICLE_MIN = 30
ZH_SENTENCE_MIN = 12
EN_ARTICLE_MIN_WORDS = 10
EN_SENTENCE_MIN_WORDS = 4
# Short lines between chrome and article (commit cb0f617, pinned by tests/test_documents.py): one
# of this size reads as a title or lead-in, not a menu label, and so bounds the article ...
ZH_SUBSTANTIVE_MIN = 10  # visible characters, longer than a menu label (首页, 科技创新)
EN_SUBSTANTIVE_MIN_WORDS = 3
# ... and amid chrome only a long, mostly-Han (or many-word) title is kept: a menu row of short
# links mixes in digits, Latin and separators.
ZH_HEADLINE_MIN = 16
ZH_HEADLINE_HAN_SHARE = 0.6
EN_HEADLINE_MIN_WORDS = 5
# Repeated paragraphs of this many matching characters are copies of the article printed twice;
# shorter repeats (a heading, "目标——") are copies only next to a repeated paragraph.
DUPLICATE_MIN = 20


def _visible(text: str) -> int:
    return sum(1 for c in text if not c.isspace())


def _footer_weak_hits(probe: str) -> int:
    return len(set(_FOOTER_WEAK.findall(probe)))


def _classify(line: _Line, language: str) -> None:
    """Set ``cls`` (and ``kind``/``reason`` for boilerplate) from the line alone."""
    text, probe = line.text, line.probe
    size = _visible(text)
    if language == Language.ZH:
        checks = (
            (RemovalKind.PAGER, _PAGER.search(probe) and size <= ZH_NAV_MAX, "previous/next article link"),
            (RemovalKind.MENU, _BREADCRUMB.search(probe) and size <= ZH_NAV_MAX, "breadcrumb navigation"),
            (RemovalKind.WIDGET, _WIDGET.search(probe) and size <= ZH_WIDGET_MAX, "share/print/font-size widget"),
            (RemovalKind.FOOTER, _FOOTER_STRONG.search(probe) and size <= ZH_FOOTER_MAX, "copyright/ICP/contact footer"),
            (RemovalKind.FOOTER, _footer_weak_hits(probe) and size <= ZH_WEAK_FOOTER_MAX
             and not text.endswith(tuple(_SENTENCE_END)), "copyright/ICP/contact footer"),
            (RemovalKind.MENU, _BULLET.match(text) and size <= ZH_BULLET_MAX, "bulleted navigation link"),
            (RemovalKind.MENU, _is_link_list(text), "list of short links or place names"),
        )
    else:
        words = len(_WORDS.findall(text))
        checks = (
            (RemovalKind.PAGER, _PAGER.search(probe) and words <= EN_PAGER_MAX_WORDS, "previous/next article link"),
            (RemovalKind.MENU, _BREADCRUMB.search(probe) and words <= EN_BREADCRUMB_MAX_WORDS, "breadcrumb navigation"),
            (RemovalKind.WIDGET, _EN_WIDGET.match(text) and words <= EN_WIDGET_MAX_WORDS, "share/print widget"),
            (RemovalKind.FOOTER, _EN_FOOTER.search(text) and words <= EN_FOOTER_MAX_WORDS, "copyright footer"),
        )
    for kind, hit, reason in checks:
        if hit:
            line.cls, line.kind, line.reason = "bad", kind, reason
            return
    if _META.match(probe) and size <= BYLINE_MAX:
        line.cls = "short"  # a source/date byline: article or chrome depending on its neighbours
        return
    if language == Language.ZH:
        good = ((size >= ZH_ARTICLE_MIN and _ZH_PUNCT.search(text))
                or (size >= ZH_SENTENCE_MIN and text.rstrip("”\"’'）)").endswith(tuple(_SENTENCE_END))))
    else:
        words = len(_WORDS.findall(text))
        good = words >= EN_ARTICLE_MIN_WORDS or (
            words >= EN_SENTENCE_MIN_WORDS and text.rstrip("\"”)'’").endswith((".", "!", "?")))
    line.cls = "good" if good else "short"


def _is_link_list(text: str) -> bool:
    """Four or more short tokens and no sentence punctuation: a row of links or place names."""
    tokens = [t for t in _TOKEN_SPLIT.split(text) if t]
    return len(tokens) >= 4 and all(len(t) <= 8 for t in tokens) and not _ZH_PUNCT.search(text)


def _substantive(line: _Line, language: str) -> bool:
    """A short line that reads as article text (a title, a lead-in) rather than a menu label."""
    text = line.text
    if _META.match(line.probe):
        return False  # a byline alone does not start or end the article
    if text.endswith(tuple(_SENTENCE_END + ":：—")):
        return True
    if language == Language.ZH:
        return _visible(text) >= ZH_SUBSTANTIVE_MIN
    return len(_WORDS.findall(text)) >= EN_SUBSTANTIVE_MIN_WORDS


def _headline(line: _Line, language: str) -> bool:
    """A short line amid page chrome that is still worth keeping: a long, word-heavy title."""
    if language == Language.ZH:
        size = _visible(line.text)
        return size >= ZH_HEADLINE_MIN and len(HAN.findall(line.text)) >= ZH_HEADLINE_HAN_SHARE * size
    return len(_WORDS.findall(line.text)) >= EN_HEADLINE_MIN_WORDS


def _resolve_short(lines: list[_Line], language: str) -> None:
    """Decide runs of short lines from the nearest decided lines on either side.

    Between article paragraphs they are headings and captions: kept. Between chrome and
    article, the run is kept from its first substantive line on (a title after a menu) or
    up to its last (a byline before a footer). Amid chrome only headline-like lines stay.
    """
    # Page edges count as chrome for Chinese pages; for English, where we only remove
    # obvious chrome, they count as article.
    edge = "bad" if language == Language.ZH else "good"
    i = 0
    while i < len(lines):
        if lines[i].cls != "short":
            i += 1
            continue
        j = i
        while j < len(lines) and lines[j].cls == "short":
            j += 1
        left = lines[i - 1] if i > 0 else None
        right = lines[j] if j < len(lines) else None
        left_cls = left.cls if left else edge
        right_cls = right.cls if right else edge
        run = lines[i:j]
        keep = [True] * len(run)
        if left_cls == "bad" and right_cls == "good":
            first = next((k for k, ln in enumerate(run) if _substantive(ln, language)), len(run))
            keep = [k >= first for k in range(len(run))]
        elif left_cls == "good" and right_cls == "bad":
            last = max((k for k, ln in enumerate(run) if _substantive(ln, language)), default=-1)
            keep = [k <= last for k in range(len(run))]
        elif left_cls == "bad" and right_cls == "bad":
            keep = [_headline(ln, language) for ln in run]
        kinds = {ln.kind for ln in (left, right) if ln is not None and ln.cls == "bad"}
        run_kind = kinds.pop() if len(kinds) == 1 else RemovalKind.MENU
        for ln, kept in zip(run, keep):
            if kept:
                ln.cls = "good"
            else:
                ln.cls, ln.kind = "bad", run_kind
                ln.reason = "short line amid page chrome"
        i = j


_LIST_MARK = re.compile(r"^(\d{1,2})\s*[、.．]")


def _grow_footer(lines: list[_Line]) -> None:
    """Absorb long copyright/disclaimer paragraphs into the closing footer block.

    Walking back from the end, footer-ish paragraphs (a strong footer word, or two of the
    weak ones) join the footer, and so does the item before a numbered footer item ("3、"
    before "4、"); the walk stops at the first other paragraph.
    """
    expected = 0  # list number that would continue a numbered footer backwards
    for line in reversed(lines):
        mark = _LIST_MARK.match(line.text)
        number = int(mark.group(1)) if mark else 0
        if line.cls != "bad":
            footerish = _FOOTER_STRONG.search(line.probe) or _footer_weak_hits(line.probe) >= 2
            if not footerish and not (expected and number == expected):
                break
            line.cls, line.kind = "bad", RemovalKind.FOOTER
            line.reason = "copyright/disclaimer paragraph in the closing footer block"
        if number:
            expected = number - 1


def _mark_duplicates(lines: list[_Line], language: str) -> None:
    """Remove later copies of kept paragraphs (pages that print the article twice).

    Paragraphs of ``DUPLICATE_MIN``+ characters are compared on their matching form; a repeated short line
    (a heading such as "目标——") counts as a copy only next to a repeated paragraph.
    """
    kept = [ln for ln in lines if ln.cls == "good"]
    seen: dict[str, int] = {}
    keys = [re.sub(r"\s+", "", normalise(ln.text, language)).lower() for ln in kept]
    candidates: list[int] = []
    for idx, (ln, key) in enumerate(zip(kept, keys)):
        if key in seen:
            ln.first_copy = seen[key]
            candidates.append(idx)
        else:
            seen[key] = ln.number
    dup = {idx for idx in candidates if len(keys[idx]) >= DUPLICATE_MIN}
    changed = True
    while changed:
        changed = False
        for idx in candidates:
            if idx not in dup and (idx - 1 in dup or idx + 1 in dup):
                dup.add(idx)
                changed = True
    # A short line (a differing byline) between two removed copies belongs to the copy.
    for idx in range(1, len(kept) - 1):
        if idx not in dup and idx - 1 in dup and idx + 1 in dup and _visible(kept[idx].text) <= BYLINE_MAX:
            dup.add(idx)
            kept[idx].first_copy = kept[idx - 1].first_copy
    for idx, ln in enumerate(kept):
        if idx in dup:
            ln.cls, ln.kind = "bad", RemovalKind.DUPLICATE
        else:
            ln.first_copy = 0


def _removals(text: str, lines: list[_Line]) -> list[Removal]:
    """One removal per run of consecutive removed lines of the same kind and reason."""
    removals: list[Removal] = []
    run: list[_Line] = []

    def flush() -> None:
        if not run:
            return
        start, end = run[0].start, run[-1].end
        reason = run[0].reason
        if run[0].kind == RemovalKind.DUPLICATE:
            first, last = min(ln.first_copy for ln in run), max(ln.first_copy for ln in run)
            where = f"line {first}" if first == last else f"lines {first}-{last}"
            reason = f"second copy of article text already kept at {where}"
        elif len(run) > 1:
            reason = f"{reason} ({len(run)} lines)"
        removals.append(Removal(run[0].kind, start, end, text[start:end], reason))
        run.clear()

    for line in lines:
        if line.cls != "bad":
            flush()
            continue
        same = run and run[-1].kind == line.kind and (line.kind == RemovalKind.DUPLICATE or run[-1].reason == line.reason)
        if not same:
            flush()
        run.append(line)
    flush()
    return removals


def _spam(text: str, lines: list[_Line], body: list[Span]) -> list[Removal]:
    """Strings that brand the removed chrome and were also injected into kept sentences.

    A candidate is a maximal string (3+ characters, with letters) shared by two separate
    removed chrome blocks, shown in the page title line or a footer line, and not itself a
    whole menu item (menu labels legitimately recur in article text). Each of its
    occurrences inside kept text is reported.
    """
    blocks = _chrome_blocks(lines)
    if len(blocks) < 2 or not body:
        return []
    block_texts = ["\n".join(ln.text for ln in block) for block in blocks]
    body_text = "\n".join(text[s.start:s.end] for s in body)
    whole_items = {tok.strip("•▪●◆►▶ ") for block in blocks for ln in block for tok in [ln.text, *ln.text.split()]}
    branding = {ln.number for block in blocks for ln in block if ln.kind == RemovalKind.FOOTER}
    branding.add(lines[0].number)
    removals: list[Removal] = []
    for candidate, numbers in _shared_strings(blocks, block_texts, _trigrams(body_text)).items():
        letters = sum(1 for c in candidate if c.isalpha())
        if letters < 2 or candidate in whole_items or not branding.intersection(numbers):
            continue
        if sum(candidate in bt for bt in block_texts) < 2 or candidate not in body_text:
            continue
        where = ", ".join(str(n) for n in sorted(set(numbers)))
        reason = f"'{candidate}' brands the removed page chrome (lines {where}) and was injected into article text"
        removals += _occurrences(text, body, candidate, reason)
    return _outermost(removals)


def _chrome_blocks(lines: list[_Line]) -> list[list[_Line]]:
    """Runs of consecutive removed chrome lines (second copies of the article are no chrome)."""
    blocks: list[list[_Line]] = []
    in_block = False
    for line in lines:
        is_chrome = line.cls == "bad" and line.kind != RemovalKind.DUPLICATE
        if is_chrome:
            if not in_block:
                blocks.append([])
            blocks[-1].append(line)
        in_block = is_chrome
    return blocks


def _trigrams(s: str) -> set[str]:
    """The three-character substrings of ``s`` without whitespace."""
    return {s[k:k + 3] for k in range(len(s) - 2) if not any(c.isspace() for c in s[k:k + 3])}


def _shared_strings(blocks: list[list[_Line]], block_texts: list[str], body_grams: set[str]) -> dict[str, list[int]]:
    """Strings of chrome lines that another chrome block holds too, grown from trigrams that
    two blocks and the kept text share, with the numbers of the lines each was found on."""
    block_grams = [_trigrams(bt) for bt in block_texts]
    found: dict[str, list[int]] = {}
    for b, block in enumerate(blocks):
        others = [bt for k, bt in enumerate(block_texts) if k != b]
        for line in block:
            for seed in _trigrams(line.text) & body_grams:
                if sum(seed in g for g in block_grams) < 2:
                    continue
                for candidate in _grown(line.text, seed, others):
                    found.setdefault(candidate, []).append(line.number)
    return found


def _grown(text: str, seed: str, others: list[str]) -> list[str]:
    """At each occurrence of ``seed`` in a chrome line, the longest string around it, within one
    run of non-space characters, that another block holds too, punctuation stripped (3+
    characters)."""
    out = []
    pos = text.find(seed)
    while pos >= 0:
        lo, hi = pos, pos + 3
        while lo > 0 and not text[lo - 1].isspace() and any(text[lo - 1:hi] in o for o in others):
            lo -= 1
        while hi < len(text) and not text[hi].isspace() and any(text[lo:hi + 1] in o for o in others):
            hi += 1
        candidate = text[lo:hi].strip("·-—:：,，.。|()（）[]【】 ")
        if len(candidate) >= 3:
            out.append(candidate)
        pos = text.find(seed, pos + 1)
    return out


def _occurrences(text: str, body: list[Span], candidate: str, reason: str) -> list[Removal]:
    """A spam removal for each occurrence of ``candidate`` inside the kept spans."""
    out = []
    for span in body:
        pos = text.find(candidate, span.start, span.end)
        while pos >= 0:
            out.append(Removal(RemovalKind.SPAM, pos, pos + len(candidate), candidate, reason))
            pos = text.find(candidate, pos + len(candidate), span.end)
    return out


def _outermost(removals: list[Removal]) -> list[Removal]:
    """The removals in text order without those inside an earlier one: a shorter candidate
    inside a longer reported one would report the same text twice."""
    removals = sorted(removals, key=lambda r: (r.start, -(r.end - r.start)))
    deduped: list[Removal] = []
    for removal in removals:
        if deduped and removal.start < deduped[-1].end:
            continue
        deduped.append(removal)
    return deduped


def chrome(text: str, language: str) -> tuple[RemovalKind, str] | None:
    """``(kind, reason)`` when one line of text, taken alone, is page chrome (a widget, pager,
    footer...); None when it may be article text."""
    stripped = text.strip()
    if not stripped:
        return None
    probe = fold_width(stripped).lower()
    lang = Language.ZH if language == Language.ZH else Language.EN
    line = _Line(1, 0, len(stripped), stripped, to_simplified(probe) if lang == Language.ZH else probe)
    _classify(line, lang)
    return (line.kind, line.reason) if line.cls == "bad" else None


def clean(text: str, language: str) -> tuple[list[Span], list[Removal]]:
    """Split ``text`` into kept article spans and removals (menus, widgets, footers,
    pagers, duplicate copies, injected spam).

    Every non-whitespace character ends up inside a body span or a non-spam removal; spam
    removals lie inside body spans. ``language`` is ``"zh"``, ``"en"`` or ``"other"``
    (handled like English: only obvious chrome goes).
    """
    lang = Language.ZH if language == Language.ZH else Language.EN
    lines: list[_Line] = []
    offset = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.strip()
        if stripped:
            start = offset + (len(raw) - len(raw.lstrip()))
            probe = fold_width(stripped).lower()
            lines.append(_Line(number, start, start + len(stripped), stripped, to_simplified(probe) if lang == Language.ZH else probe))
        offset += len(raw) + 1
    if not lines:
        return [], []
    for line in lines:
        _classify(line, lang)
    if lang == Language.ZH:
        _grow_footer(lines)
    _resolve_short(lines, lang)
    _mark_duplicates(lines, lang)
    body = [Span(ln.start, ln.end) for ln in lines if ln.cls == "good"]
    removals = _removals(text, lines)
    removals.extend(_spam(text, lines, body))
    removals.sort(key=lambda r: (r.start, r.end))
    return body, removals
