"""The report as one self-contained HTML page: inline CSS, no script, nothing fetched,
so a reviewer can open the file anywhere, offline."""
from __future__ import annotations

from collections.abc import Sequence
from html import escape

from align.report.spans import flagged_text, pair_flags, pieces
from align.report.summary import (Summary, checks_line, describe_removals, describe_timings, pair_number,
                                  pair_severity, quality_line, source_lines)
from align.types import Document, Pair, Report, Severity

CSS = """
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI","Noto Sans","Noto Sans CJK SC","PingFang SC",sans-serif;
margin:2em auto;max-width:1400px;padding:0 1em;color:#1d1d1f;background:#fff}
h1{font-size:1.5em;margin:0 0 .2em}h2{font-size:1.2em;margin:1.6em 0 .5em;border-bottom:1px solid #ddd}
.sig{color:#666;font:12px ui-monospace,monospace;word-break:break-all}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #ddd;padding:.35em .5em;vertical-align:top;text-align:left}
th{background:#f4f4f6}td.num{text-align:right;white-space:nowrap}
dl.figures{display:grid;grid-template-columns:max-content 1fr;gap:.2em 1em}dl.figures dt{font-weight:600}
dl.figures dd{margin:0}
.text{white-space:pre-wrap}
mark{border-radius:2px;padding:0 1px}
.sev-minor mark,mark.sev-minor{background:#fff3a3}
mark.sev-major{background:#ffc078}mark.sev-critical{background:#ff8787}
.badge{display:inline-block;border-radius:3px;padding:0 .4em;font-size:12px;font-weight:600}
.badge.sev-minor{background:#fff3a3}.badge.sev-major{background:#ffc078}.badge.sev-critical{background:#ff8787}
.badge.garbled{background:#c92a2a;color:#fff}
tr.pair.sev-critical td.idx{border-left:4px solid #e03131}tr.pair.sev-major td.idx{border-left:4px solid #f08c00}
tr.pair.sev-minor td.idx{border-left:4px solid #fcc419}
ul.flags{margin:0;padding-left:1.1em}ul.flags li{margin:.15em 0}
.dim{color:#777}details{margin:.3em 0}summary{cursor:pointer}
td.en{width:54%}td.zh{width:34%}td.idx{width:4.5em}td.score{width:3.5em}
td.idx .badge{display:block;width:max-content;margin-top:.25em}
tr.pair td{border-bottom:none}tr.reasons td{border-top:none;padding-top:0;background:#fcfcfd}
tr.reasons td.flags{font-size:14px}li.note{color:#555;list-style:circle}
.source{font-size:13px;color:#555;margin-top:.3em}
td.removed{font-size:13px;white-space:pre-wrap;color:#555}
"""


def render_html(report: Report, summary: Summary, pairs: Sequence[Pair], title: str = "") -> str:
    """The whole page; ``pairs`` are already filtered and ordered."""
    heading = title or f"{len(pairs)} of {summary.pairs} pairs"
    body = [
        f"<header><h1>align report: {escape(summary.english)}</h1>"
        f"<p class=\"sig\">signature {escape(report.signature)}</p></header>",
        _summary(summary),
        f"<section id=\"pairs\"><h2>Pairs: {escape(heading)}</h2>",
        _pairs(report, pairs) if pairs else "<p class=\"dim\">No pair matches the filter.</p>",
        "</section>",
        _removals(report),
    ]
    return ("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            f"<title>align report: {escape(summary.english)}</title>\n<style>{CSS}</style>\n</head>\n<body>\n"
            + "\n".join(body) + "\n</body>\n</html>\n")


def _summary(s: Summary) -> str:
    severities = ", ".join(
        f"<span class=\"badge sev-{sev}\" data-severity=\"{sev}\">{s.flags_by_severity[sev]} {sev}</span>"
        for sev in reversed(Severity))
    figures = [("English", f"{escape(s.english)}: {s.pairs} pairs (numbered from 1 in document order)")]
    figures += [(label, escape(text)) for label, text in source_lines(s)]
    figures += [
        ("Coverage", f"{s.supported:.1%} of the English characters are in pairs with a Chinese side "
                     f"({s.linked} of {s.pairs} pairs)"),
        ("Quality", escape(quality_line(s))),
        ("Flags", severities),
    ]
    checks, low = checks_line(s.flags_by_name)
    if checks:
        figures.append(("Checks", escape(checks)))
    if low:
        figures.append(("Low score", f"{low} pair{'s' if low != 1 else ''} garbled by the quality score alone "
                                     "being below the threshold"))
    for r in s.removals:
        figures.append((f"Removed from {escape(r.name)}", escape(describe_removals(r))))
    if timings := describe_timings(s.timings):
        figures.append(("Time", escape(timings)))
    rows = "".join(
        f"<tr data-rank=\"{src.rank}\"><td class=\"num\">{src.rank}</td>"
        f"<td>{escape(src.name)}</td><td>{src.mode}</td><td class=\"num\">{src.coverage:.1%}</td>"
        f"<td class=\"num\">{src.matched}</td><td class=\"num\">{src.mean_confidence:.2f}</td>"
        f"<td class=\"num\">{src.pairs}</td><td>{escape(src.reason)}</td></tr>" for src in s.sources)
    return ("<section id=\"summary\"><h2>Summary</h2><dl class=\"figures\">"
            + "".join(f"<dt>{k}</dt><dd>{v}</dd>" for k, v in figures) + "</dl>"
            "<h2>Sources, best supporting first</h2><table id=\"sources\"><thead><tr><th>#</th><th>source</th>"
            "<th>mode</th><th>coverage</th><th>matched</th><th>confidence</th><th>pairs</th><th>why this mode</th>"
            f"</tr></thead><tbody>{rows}</tbody></table></section>")


def _marked(text: str, pair: Pair, side: str) -> str:
    out = []
    for piece in pieces(text, pair_flags(pair), side):
        if piece.severity:
            tip = "; ".join(f"{f.severity} {f.name}: {f.reason}" for f in piece.flags)
            names = " ".join(f.name for f in piece.flags)
            out.append(f"<mark class=\"sev-{piece.severity}\" data-flags=\"{escape(names)}\" "
                       f"title=\"{escape(tip)}\">{escape(piece.text)}</mark>")
        else:
            out.append(escape(piece.text))
    return "".join(out)


def _pairs(report: Report, pairs: Sequence[Pair]) -> str:
    rows = []
    for p in pairs:
        q = p.quality
        severity = pair_severity(p)
        classes = ["pair"] + ([f"sev-{severity}"] if severity else []) + (["garbled"] if q and q.garbled else [])
        score = f"{q.score:.1f}" if q and q.score is not None else "&ndash;"
        badges = (" <span class=\"badge garbled\">garbled</span>" if q and q.garbled else "") + (
            f" <span class=\"badge sev-{severity}\">{severity}</span>" if severity else "")
        source = (f"Chinese from {escape(report.multi.names[p.source])}, link confidence {p.confidence:.2f}"
                  if p.source >= 0 else "no Chinese counterpart")
        flags = "".join(
            f"<li class=\"flag sev-{f.severity}\" data-flag=\"{escape(f.name)}\" data-severity=\"{f.severity}\">"
            f"<span class=\"badge sev-{f.severity}\">{f.severity}</span> <b>{escape(f.name)}</b>"
            + (f" <span class=\"dim\">({f.side} &ldquo;{escape(flagged_text(p, f))}&rdquo;)</span>"
               if f.end > f.start else "")
            + f": {escape(f.reason)}</li>" for f in pair_flags(p))
        zh = (f"<td class=\"zh text\" lang=\"zh\">{_marked(p.zh_text, p, 'zh')}</td>" if p.zh_text
              else "<td class=\"zh dim\">&ndash;</td>")
        notes = "".join(f"<li class=\"note\" data-note=\"{escape(n.name)}\"><b>note</b> {escape(n.name)}: "
                        f"{escape(n.reason)}</li>" for n in (q.notes if q else ()))
        reasons = f"<ul class=\"flags\">{flags}{notes}</ul>" if flags or notes else ""
        rows.append(
            f"<tr class=\"{' '.join(classes)}\" id=\"pair-{pair_number(p)}\" data-index=\"{p.index}\" "
            f"data-severity=\"{severity or ''}\"><td class=\"idx num\" rowspan=\"2\">{pair_number(p)}{badges}</td>"
            f"<td class=\"score num\">{score}</td><td class=\"en text\" lang=\"en\">{_marked(p.en_text, p, 'en')}</td>"
            f"{zh}</tr>\n<tr class=\"reasons\"><td class=\"flags\" colspan=\"3\">{reasons}"
            f"<div class=\"source\">{source}</div></td></tr>")
    return ("<table id=\"pair-table\"><thead><tr><th>#</th><th>score</th><th>English</th><th>Chinese</th>"
            "</tr></thead><tbody>\n" + "\n".join(rows) + "\n</tbody></table>")


def _removals(report: Report) -> str:
    parts = ["<section id=\"removals\"><h2>What ingestion removed</h2>"]
    for doc in [report.en, *report.sources]:
        parts.append(_document_removals(doc))
    parts.append("</section>")
    return "".join(parts)


def _document_removals(doc: Document) -> str:
    if not doc.removals:
        return f"<p><b>{escape(doc.name)}</b>: nothing.</p>"
    rows = "".join(
        f"<tr><td>{escape(r.kind)}</td><td class=\"num\">{r.start}&ndash;{r.end}</td><td>{escape(r.reason)}</td>"
        f"<td class=\"removed\">{escape(r.text)}</td></tr>" for r in doc.removals)
    return (f"<details><summary><b>{escape(doc.name)}</b>: {len(doc.removals)} "
            f"removal{'s' if len(doc.removals) != 1 else ''}</summary>"
            "<table class=\"removals\"><thead><tr><th>kind</th><th>offsets</th><th>reason</th><th>text</th>"
            f"</tr></thead><tbody>{rows}</tbody></table></details>")
