"""The report as Markdown (GitHub flavour): summary, sources, flags, then one table
row a pair with the offending spans in bold."""
from __future__ import annotations

import re
from collections.abc import Sequence

from align.report.spans import flagged_text, pair_flags, pieces
from align.report.summary import (Summary, checks_line, describe_removals, describe_timings, pair_number,
                                  pair_severity, quality_line, source_lines)
from align.types import Pair, Report, Severity

_SPECIAL = re.compile(r"([\\`*_{}\[\]<>|#~])")


def md_escape(text: str) -> str:
    """Text that renders as itself inside a table cell: specials escaped, newlines as <br>."""
    return _SPECIAL.sub(r"\\\1", text).replace("\n", "<br>")


def _marked(text: str, pair: Pair, side: str) -> str:
    out = []
    for piece in pieces(text, pair_flags(pair), side):
        if not piece.severity:
            out.append(md_escape(piece.text))
            continue
        # Emphasis must hug non-space characters, so surrounding spaces stay outside the markers.
        core = piece.text.strip()
        lead = piece.text[:len(piece.text) - len(piece.text.lstrip())]
        trail = piece.text[len(piece.text.rstrip()):]
        out.append(md_escape(lead) + (f"**{md_escape(core)}**" if core else "") + md_escape(trail))
    return "".join(out)


def render_markdown(report: Report, summary: Summary, pairs: Sequence[Pair], title: str = "") -> str:
    s = summary
    lines = [f"# align report: {md_escape(s.english)}", "", f"Signature: `{report.signature}`", "", "## Summary", "",
             f"- **English**: {md_escape(s.english)}: {s.pairs} pairs (numbered from 1 in document order)"]
    lines += [f"- **{label}**: {md_escape(text)}" for label, text in source_lines(s)]
    lines.append(f"- **Coverage**: {s.supported:.1%} of the English characters are in pairs with a Chinese side "
                 f"({s.linked} of {s.pairs} pairs)")
    lines.append(f"- **Quality**: {md_escape(quality_line(s))}")
    lines.append("- **Flags**: " + ", ".join(f"{s.flags_by_severity[sev]} {sev}" for sev in reversed(Severity)))
    checks, low = checks_line(s.flags_by_name)
    if checks:
        lines.append(f"- **Checks**: {md_escape(checks)}")
    if low:
        lines.append(f"- **Low score**: {low} pair{'s' if low != 1 else ''} garbled by the quality score alone "
                     "being below the threshold")
    for r in s.removals:
        lines.append(f"- **Removed** from {md_escape(r.name)}: {describe_removals(r)}")
    if timings := describe_timings(s.timings):
        lines.append(f"- **Time**: {timings}")
    lines += ["", "## Sources, best supporting first", "",
              "| # | source | mode | coverage | matched | confidence | pairs |",
              "|--:|---|---|--:|--:|--:|--:|"]
    lines += [f"| {src.rank} | {md_escape(src.name)} | {src.mode} | {src.coverage:.1%} | {src.matched} | "
              f"{src.mean_confidence:.2f} | {src.pairs} |" for src in s.sources]
    lines += ["", f"## Pairs: {md_escape(title or f'{len(pairs)} of {s.pairs} pairs')}", ""]
    if not pairs:
        lines.append("No pair matches the filter.")
    else:
        lines += ["| # | score | English | Chinese | source | flags |", "|--:|--:|---|---|---|---|"]
        lines += [_row(report, p) for p in pairs]
    return "\n".join(lines) + "\n"


def _row(report: Report, p: Pair) -> str:
    q = p.quality
    score = f"{q.score:.1f}" if q and q.score is not None else "–"
    label = " ".join(x for x in ("GARBLED" if q and q.garbled else "", pair_severity(p) or "") if x)
    source = f"{md_escape(report.multi.names[p.source])} ({p.confidence:.2f})" if p.source >= 0 else "–"
    flags = "<br>".join(
        f"**{f.severity}** {md_escape(f.name)}"
        + (f" ({f.side} “{md_escape(flagged_text(p, f))}”)" if f.end > f.start else "")
        + f": {md_escape(f.reason)}" for f in pair_flags(p))
    notes = "<br>".join(f"note {md_escape(n.name)}: {md_escape(n.reason)}" for n in (q.notes if q else ()))
    flags = "<br>".join(x for x in (flags, notes) if x)
    return (f"| {pair_number(p)}{' ' + label if label else ''} | {score} | {_marked(p.en_text, p, 'en')} | "
            f"{_marked(p.zh_text, p, 'zh') if p.zh_text else '–'} | {source} | {flags} |")
