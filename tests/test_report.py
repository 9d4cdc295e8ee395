"""Reports: summary figures, the versioned JSON round trip, and every output format,
on a hand-built report whose flags and offsets are known."""
from __future__ import annotations

import json
import shutil
import xml.etree.ElementTree as ET
from dataclasses import replace

import pytest
from report_fixtures import CRITICAL, MAJOR, MINOR, WHOLE, Page, dump_dom, layout, make_report, screenshot
from rich.console import Console

from align.errors import InputError
from align.report import (SCHEMA, dumps_report, load_report, order_pairs, render, report_from_dict, report_to_dict,
                          summarise)
from align.report.spans import Piece, pieces
from align.report.summary import count_at_least
from align.report.terminal import highlighted, render_terminal
from align.types import Quality


@pytest.fixture
def report():
    return make_report()


# --- the JSON schema ------------------------------------------------------------------------------

def test_json_round_trip_is_exact(report):
    data = json.loads(dumps_report(report))
    assert data["schema"] == SCHEMA == "align-report/1"
    again = report_from_dict(data)
    assert again == report
    # and once more through the loader's own output: nothing drifts
    assert report_to_dict(again) == data


def test_load_report_reads_a_written_file(report, tmp_path):
    path = tmp_path / "r.json"
    path.write_text(dumps_report(report), encoding="utf-8")
    assert load_report(str(path)) == report


def test_json_points_flags_into_the_documents(report):
    data = report_to_dict(report)
    docs = {"en": data["english"]["text"], "zh": data["sources"][0]["text"]}
    seen = []
    for p in data["pairs"]:
        for f in p["quality"]["flags"]:
            if f["end"] > f["start"]:
                text = p["en_text"] if f["side"] == "en" else p["zh_text"]
                assert docs[f["side"]][f["doc_start"]:f["doc_end"]] == text[f["start"]:f["end"]]
                seen.append(docs[f["side"]][f["doc_start"]:f["doc_end"]])
    assert seen == ["4.82 million", "48.2亿元", "Doubletham City", "creative creative creative"]
    # what ingestion removed is there with its offsets
    removal = data["sources"][0]["removals"][0]
    assert removal["kind"] == "menu" and data["sources"][0]["text"][removal["start"]:removal["end"]] == "首页 | 新闻"


def test_json_has_no_nan_and_reads_it_back_as_nan(report):
    pairs = list(report.pairs)
    pairs[0] = replace(pairs[0], quality=Quality(41.0, True, (), {"head": float("nan")}))
    text = dumps_report(replace(report, pairs=pairs))
    assert "NaN" not in text
    signal = report_from_dict(json.loads(text)).pairs[0].quality.signals["head"]
    assert signal != signal  # nan


@pytest.mark.parametrize("data, message", [
    ({"schema": "align-report/2"}, "schema 'align-report/2'"),
    ({"pairs": []}, "no schema field"),
    ([1, 2], "no schema field"),
    ({"schema": SCHEMA, "english": {}}, "malformed"),
])
def test_report_from_dict_refuses_what_it_cannot_read(data, message):
    with pytest.raises(InputError, match=message):
        report_from_dict(data)


def test_load_report_errors_name_the_file(tmp_path):
    with pytest.raises(InputError, match="no such file"):
        load_report(str(tmp_path / "missing.json"))
    bad = tmp_path / "bad.json"
    bad.write_text("{not json", encoding="utf-8")
    with pytest.raises(InputError, match="bad.json: not JSON"):
        load_report(str(bad))


# --- summary and order ----------------------------------------------------------------------------

def test_summary_figures(report):
    s = summarise(report)
    en_chars = [len(p.en_text) for p in report.pairs]
    total = sum(en_chars)
    assert (s.pairs, s.linked, s.scored) == (4, 3, 3)
    assert s.supported == round(sum(en_chars[:3]) / total, 4)
    assert s.garbled_pairs == 2 and s.garbled == round(sum(en_chars[:2]) / total, 4)
    assert s.flagged_pairs == 4 and s.flagged == 1.0
    assert s.mean_score == round((41.0 + 70.5 + 80.0) / 3, 1)
    assert s.flags_by_severity == {"minor": 2, "major": 1, "critical": 2}
    assert s.pairs_by_severity == {"minor": 2, "major": 1, "critical": 1}
    assert s.flags_by_name == {"number": 2, "boilerplate": 1, "name": 1, "repetition": 1}
    assert s.worst == [0, 1, 2, 3]
    assert [(src.rank, src.name, src.pairs) for src in s.sources] == [(1, "zh.txt", 3), (2, "zh2.html", 0)]
    assert s.best_source.name == "zh.txt" and s.sources[0].reason.startswith("parallel")
    assert [(r.name, r.removals, r.by_kind) for r in s.removals] == [
        ("en.txt", 0, {}), ("zh.txt", 1, {"menu": 1}), ("zh2.html", 0, {})]
    assert s.signature == report.signature and s.timings == {"read": 0.1}


def test_order_and_filter(report):
    assert [p.index for p in order_pairs(report.pairs, "document")] == [0, 1, 2, 3]
    # worst first: the worst flag's severity, then the lowest score (unscored after scored)
    shuffled = [report.pairs[i] for i in (3, 2, 1, 0)]
    assert [p.index for p in order_pairs(shuffled, "worst")] == [0, 1, 2, 3]
    # two major pairs: the lower score first, however many flags the other has (the seed's
    # "#15 major 70.4" with two name flags came before "#9 major 20.2")
    two = replace(report.pairs[1], index=7, quality=replace(report.pairs[1].quality, score=70.4,
                                                            flags=report.pairs[1].quality.flags * 2))
    one = replace(report.pairs[1], index=8, quality=replace(report.pairs[1].quality, score=20.2))
    assert [p.index for p in order_pairs([two, one], "worst")] == [8, 7]
    assert [p.index for p in order_pairs(report.pairs, "worst", "major")] == [0, 1]
    assert [p.index for p in order_pairs(report.pairs, "document", "critical")] == [0]
    with pytest.raises(ValueError):
        order_pairs(report.pairs, "random")


def test_fail_on_counts_flags_at_or_above(report):
    assert count_at_least(report.pairs, "minor") == 5
    assert count_at_least(report.pairs, "major") == 3
    assert count_at_least(report.pairs, "critical") == 2


def test_pieces_cut_at_overlapping_flags():
    text = "abcdefghij"
    a = MINOR.__class__("a", "minor", "", "en", 1, 6)
    b = MINOR.__class__("b", "critical", "", "en", 4, 8)
    other_side = MINOR.__class__("c", "major", "", "zh", 0, 10)
    out = pieces(text, (a, b, other_side, WHOLE), "en")
    assert out == [Piece("a"), Piece("bcd", (a,)), Piece("ef", (a, b)), Piece("gh", (b,)), Piece("ij")]
    assert [p.severity for p in out] == [None, "minor", "critical", "critical", None]
    assert "".join(p.text for p in out) == text
    # offsets past the end are clipped, never an exception
    past = MINOR.__class__("d", "minor", "", "en", 8, 40)
    assert pieces(text, (past,), "en") == [Piece("abcdefgh"), Piece("ij", (past,))]


# --- terminal ---------------------------------------------------------------------------------

def test_terminal_shows_summary_pairs_and_flags(report):
    console = Console(record=True, width=160, color_system=None)
    render_terminal(report, summarise(report), order_pairs(report.pairs), console)
    out = console.export_text()
    for needle in ("Best source zh.txt: 3 English sentences linked, the best support of 3 pairs",
                   "Mode parallel: 3 mutual best matches",
                   "78.8% of the English characters are in pairs with a Chinese side",
                   "2 critical, 1 major, 2 minor", "Removed from zh.txt: 1 menu", "GARBLED",
                   "48.2亿元 (4.82 billion) rendered as 4.82 million",
                   '(English "Doubletham City", characters 13-28 of the pair)', "no Chinese counterpart",
                   "二连浩特市市长讲话。", "Time read 0.10 s (total 0.10 s)", "Signature " + report.signature):
        assert needle in out, needle
    # numbered from 1, as in the dashboard
    assert out.index("#1 ") < out.index("#2 ") < out.index("#3 ") < out.index("#4 ")
    assert "#0 " not in out


def test_terminal_highlights_exactly_the_flagged_spans(report):
    text = highlighted(report.pairs[1].en_text, report.pairs[1], "en")
    styled = [(text.plain[s.start:s.end], str(s.style)) for s in text.spans]
    assert styled == [("Doubletham City", "black on dark_orange")]
    zh = highlighted(report.pairs[0].zh_text, report.pairs[0], "zh")
    assert [(zh.plain[s.start:s.end], str(s.style)) for s in zh.spans] == [("48.2亿元", "bold white on red")]


# --- html ---------------------------------------------------------------------------------------

def check_page(page: Page) -> None:
    """The rows, highlights and flags the whole hand-built report must show, worst first."""
    assert [int(r["data-index"]) for r in page.rows] == [0, 1, 2, 3]
    assert page.marks == [("sev-critical", "4.82 million"), ("sev-critical", "48.2亿元"),
                          ("sev-major", "Doubletham City"), ("sev-minor", "creative creative creative")]
    assert page.flags == [("number", "critical"), ("number", "critical"), ("name", "major"),
                          ("repetition", "minor"), ("boilerplate", "minor")]
    assert page.fetches == []


def test_html_is_self_contained_and_shows_pairs_and_flags(report):
    html = render(report, "html")
    page = Page()
    page.feed(html)
    check_page(page)
    assert "url(" not in html and "http" not in html
    # the reviewer's text is escaped, not interpreted
    assert "Share to WeChat &amp; &lt;friends&gt;" in html and "<friends>" not in html
    assert MAJOR.reason in html and WHOLE.reason in html


def test_html_filter_and_order(report):
    page = Page()
    page.feed(render(report, "html", sort="document", min_severity="major"))
    assert [int(r["data-index"]) for r in page.rows] == [0, 1]
    assert [r["data-severity"] for r in page.rows] == ["critical", "major"]


@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian's chromium package")
def test_html_in_headless_chromium(report, tmp_path):
    path = tmp_path / "report.html"
    path.write_text(render(report, "html"), encoding="utf-8")
    dom = dump_dom(path)
    page = Page()
    page.feed(dom)
    check_page(page)
    assert CRITICAL.reason in dom and "78.8% of the English characters are in pairs" in dom


@pytest.mark.skipif(shutil.which("chromium") is None, reason="needs Debian's chromium package")
def test_html_layout_in_headless_chromium(report, tmp_path):
    """Laid out for reading: each flag's reason on a line under both texts (not in a narrow
    column that wraps every two words), the English given the widest column; the screenshot
    shows the page drawn."""
    from PIL import Image

    path = tmp_path / "report.html"
    path.write_text(render(report, "html"), encoding="utf-8")
    box = layout(path, width=1280)
    assert box["flag-min-width"] >= 0.8 * box["table-width"]
    assert box["flag-max-lines"] == 1
    assert box["en-width"] >= 0.45 * box["table-width"]
    shot = Image.open(screenshot(path, tmp_path / "report.png", 1280, 1000)).convert("RGB")
    assert shot.size == (1280, 1000)
    colours = {colour for _, colour in shot.getcolors(maxcolors=1 << 20)}
    # drawn, highlights included: the severity colours of the marks and badges are on the page
    assert len(colours) > 50 and {(0xff, 0xc0, 0x78), (0xff, 0x87, 0x87), (0xff, 0xf3, 0xa3)} <= colours


# --- markdown, tsv, tmx -------------------------------------------------------------------------

def test_markdown_rows_highlights_and_escapes(report):
    md = render(report, "markdown", sort="document")
    rows = [line for line in md.splitlines() if line.startswith("| ") and line[2].isdigit()]
    pair_rows = rows[2:]  # after the two source rows
    assert [r.split(" | ")[0] for r in pair_rows] == ["| 1 GARBLED critical", "| 2 GARBLED major", "| 3 minor",
                                                      "| 4 minor"]
    assert "**4.82 million**" in pair_rows[0] and "**48.2亿元**" in pair_rows[0]
    assert "yuan \\| a record" in pair_rows[0]  # a pipe in the text does not split the cell
    assert all(r.count(" | ") == 5 for r in pair_rows)
    assert "\\<friends\\>" in pair_rows[3]
    assert "- **Flags**: 2 critical, 1 major, 2 minor" in md


def test_tsv_one_clean_row_a_pair(report):
    lines = render(report, "tsv", sort="document").splitlines()
    header = lines[0].split("\t")
    rows = [dict(zip(header, line.split("\t"))) for line in lines[1:]]
    assert len(rows) == 4 and all(len(line.split("\t")) == len(header) for line in lines)
    assert rows[0]["flags"] == "number:critical:en:14:26;number:critical:zh:6:12"
    assert rows[0]["garbled"] == "yes" and rows[0]["severity"] == "critical" and rows[0]["score"] == "41.0"
    assert rows[3]["source"] == "" and rows[3]["score"] == "" and rows[3]["zh_text"] == ""
    assert rows[3]["en_text"] == "Share to WeChat & <friends> now."  # the tab became a space
    assert (rows[1]["en_start"], rows[1]["en_end"]) == (str(report.pairs[1].en_span.start),
                                                        str(report.pairs[1].en_span.end))


def test_tmx_holds_only_accepted_pairs(report):
    tmx = render(report, "tmx")
    assert tmx.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE tmx SYSTEM "tmx14.dtd">')
    root = ET.fromstring(tmx.split("\n", 2)[2])
    assert root.tag == "tmx" and root.get("version") == "1.4"
    header = root.find("header")
    for attr in ("creationtool", "creationtoolversion", "segtype", "o-tmf", "adminlang", "srclang", "datatype"):
        assert header.get(attr), attr
    units = root.findall("body/tu")
    # 0 and 1 are garbled, 3 has no Chinese: only 2 is a translation worth remembering
    assert [tu.get("tuid") for tu in units] == ["3"]  # the pair's number, as every face shows it
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    segs = [(tuv.get(lang), tuv.find("seg").text) for tuv in units[0].findall("tuv")]
    assert segs == [("zh-CN", "创新热情高涨。"), ("en", "The creative creative creative love grew.")]
    props = {p.get("type"): p.text for p in units[0].findall("prop")}
    assert props == {"x-source": "zh.txt", "x-confidence": "0.6200", "x-score": "80.0",
                     "x-flags": "repetition:minor"}
    assert header.get("srclang") == "zh-CN"


def test_tmx_escapes_markup_and_drops_what_xml_forbids(report):
    pairs = list(report.pairs)
    pairs[2] = replace(pairs[2], en_text="A & B <c> \x07done.\n Next", zh_text="甲\n乙",
                       quality=Quality(90.0, False))
    root = ET.fromstring(render(replace(report, pairs=pairs), "tmx").split("\n", 2)[2])
    segs = [seg.text for seg in root.iter("seg")]
    assert segs == ["甲乙", "A & B <c> done. Next"]


def test_render_refuses_an_unknown_format(report):
    with pytest.raises(ValueError):
        render(report, "terminal")
