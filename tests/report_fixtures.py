"""A small hand-built ``Report`` with flags of every severity, and what reads HTML pages,
for the report tests.

Built by hand rather than by the pipeline so the renderers are tested against known
flags and offsets whatever the quality stage currently finds.
"""
from __future__ import annotations

import re
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import numpy as np

from align.alignment.sources import support
from align.types import (Alignment, Bead, Document, Flag, MultiAlignment, Pair, Quality, Removal, Report,
                         Sentence, Span)

EN_SENTENCES = [
    "Sales rose to 4.82 million yuan | a record.",
    "The mayor of Doubletham City spoke.",
    "The creative creative creative love grew.",
    "Share to WeChat & <friends>\tnow.",
]
ZH_MENU = "首页 | 新闻\n"
ZH_SENTENCES = ["销售额增长到48.2亿元，创纪录。", "二连浩特市市长讲话。", "创新热情高涨。"]
ZH2_SENTENCES = ["會議以視頻形式召開。"]

CRITICAL = Flag("number", "critical", "48.2亿元 (4.82 billion) rendered as 4.82 million", "en", 14, 26)
CRITICAL_ZH = Flag("number", "critical", "48.2亿元 has no faithful rendering", "zh", 6, 12)
MAJOR = Flag("name", "major", "二连浩特 (Erenhot) rendered as Doubletham City", "en", 13, 28)
MINOR = Flag("repetition", "minor", "'creative' three times in a row", "en", 4, 30)
WHOLE = Flag("boilerplate", "minor", "a share-widget line, not article text", "en", 0, 0)


def _sentences(texts: list[str], sep: str, offset: int, lang: str) -> tuple[str, list[Sentence]]:
    out, pos, parts = [], offset, []
    for i, t in enumerate(texts):
        out.append(Sentence(i, t, pos, pos + len(t), lang, t))
        parts.append(t)
        pos += len(t) + len(sep)
    return sep.join(parts), out


def make_report() -> Report:
    en_text, en = _sentences(EN_SENTENCES, " ", 0, "en")
    zh_body, zh = _sentences(ZH_SENTENCES, "", len(ZH_MENU), "zh")
    zh_text = ZH_MENU + zh_body
    zh2_text, zh2 = _sentences(ZH2_SENTENCES, "", 0, "zh")
    en_doc = Document("in/en.txt", en_text, "utf-8", "en", body=[Span(0, len(en_text))])
    zh_doc = Document("in/zh.txt", zh_text, "utf-8", "zh", "simplified", body=[Span(len(ZH_MENU), len(zh_text))],
                      removals=[Removal("menu", 0, len(ZH_MENU) - 1, ZH_MENU[:-1], "a line of short links")])
    zh2_doc = Document("in/zh2.html", zh2_text, "gb18030", "zh", "traditional", is_html=True,
                       body=[Span(0, len(zh2_text))])
    # numpy floats, as the aligner produces them: the JSON must still round-trip exactly.
    beads = [Bead((0,), (0,), np.float64(0.71), np.float64(0.93)), Bead((1,), (1,), 0.52, 0.81),
             Bead((2,), (2,), 0.44, 0.62), Bead((), (3,), 0.0, 0.0)]
    beads2 = [Bead((0,), (), 0.0, 0.0)] + [Bead((), (j,), 0.0, 0.0) for j in range(4)]
    a1 = Alignment(zh, list(en), beads, "parallel", "parallel: 3 mutual best matches, all in order", "toy", {"align": 0.01})
    a2 = Alignment(zh2, list(en), beads2, "comparable", "comparable: nothing in order", "toy", {"align": 0.02})
    best = [Bead(b.zh, b.en, b.score, b.confidence, 0) for b in beads[:3]] + [Bead((), (3,), 0.0, 0.0, -1)]
    multi = MultiAlignment(list(en), [a1, a2], [zh_doc.name, zh2_doc.name],
                           [support(0, zh_doc.name, a1), support(1, zh2_doc.name, a2)], best)
    qualities = [
        Quality(41.0, True, (CRITICAL, CRITICAL_ZH), {"cosine": 0.41}),
        Quality(70.5, True, (MAJOR,), {"cosine": 0.705}),
        Quality(80.0, False, (MINOR,), {"cosine": 0.8}),
        Quality(None, False, (WHOLE,), {}),
    ]
    pairs = []
    for k, (b, q) in enumerate(zip(best, qualities)):
        en_span = Span(en[b.en[0]].start, en[b.en[-1]].end)
        zh_span = Span(zh[b.zh[0]].start, zh[b.zh[-1]].end) if b.zh else None
        pairs.append(Pair(k, b.en, b.zh, b.source, en_text[en_span.start:en_span.end],
                          zh_text[zh_span.start:zh_span.end] if zh_span else "", en_span, zh_span,
                          b.confidence, q))
    return Report(en_doc, [zh_doc, zh2_doc], multi, pairs, "toy", "align:test|model:toy", {"read": 0.1})


class Page(HTMLParser):
    """Collects what a reviewer sees: pair rows, highlighted spans, listed flags, resources."""

    def __init__(self) -> None:
        super().__init__()
        self.rows: list[dict[str, str]] = []
        self.marks: list[tuple[str, str]] = []  # (class, text)
        self.flags: list[tuple[str, str]] = []  # (data-flag, data-severity)
        self.fetches: list[str] = []
        self._mark: str | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "tr" and "pair" in (a.get("class") or "").split():
            self.rows.append(a)
        if tag == "mark":
            self._mark, self._text = a.get("class", ""), []
        if tag == "li" and "data-flag" in a:
            self.flags.append((a["data-flag"], a["data-severity"]))
        if tag in ("script", "link", "img", "iframe", "object", "embed") or "src" in a or "href" in a:
            self.fetches.append(tag)

    def handle_data(self, data):
        if self._mark is not None:
            self._text.append(data)

    def handle_endtag(self, tag):
        if tag == "mark":
            self.marks.append((self._mark, "".join(self._text)))
            self._mark = None


def dump_dom(path: Path) -> str:
    """The page as headless Chromium parsed it (--no-sandbox: CI runs as root)."""
    result = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--dump-dom",
                             path.as_uri()], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    return result.stdout


# Measures the laid-out page for a test: added to a copy only (the report itself has no script).
_PROBE = """<script>window.addEventListener('load', function () {
  var table = document.querySelector('#pair-table'), b = document.body;
  var items = Array.prototype.slice.call(document.querySelectorAll('#pair-table ul.flags li'));
  var en = document.querySelector('#pair-table td.en');
  b.setAttribute('data-page-height', document.documentElement.scrollHeight);
  b.setAttribute('data-table-width', table ? table.getBoundingClientRect().width : 0);
  b.setAttribute('data-en-width', en ? en.getBoundingClientRect().width : 0);
  b.setAttribute('data-flag-min-width', Math.min.apply(null, items.map(function (li) {
    return li.getBoundingClientRect().width; }).concat([1e9])));
  b.setAttribute('data-flag-max-lines', Math.max.apply(null, items.map(function (li) {
    return Math.round(li.getBoundingClientRect().height / parseFloat(getComputedStyle(li).lineHeight)); }).concat([0])));
});</script>"""


def layout(path: Path, width: int = 1280) -> dict[str, float]:
    """What headless Chromium lays out for the page at ``width`` pixels: the page height, the
    pair table's and English column's widths, the narrowest flag line and the most lines one takes."""
    probe = path.with_name(path.stem + "-probe.html")
    probe.write_text(path.read_text(encoding="utf-8").replace("</body>", _PROBE + "</body>"), encoding="utf-8")
    result = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", f"--window-size={width},900",
                             "--dump-dom", probe.as_uri()], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr[-2000:]
    found = dict(re.findall(r'data-(page-height|table-width|en-width|flag-min-width|flag-max-lines)="([\d.]+)"',
                            result.stdout))
    return {k: float(v) for k, v in found.items()}


def screenshot(path: Path, out: Path, width: int = 1280, height: int = 1600) -> Path:
    """A PNG of the page as headless Chromium draws it (the test keeps it beside the page)."""
    result = subprocess.run(["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                             f"--window-size={width},{height}", f"--screenshot={out}", path.as_uri()],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and out.is_file(), result.stderr[-2000:]
    return out
