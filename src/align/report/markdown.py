"""The report as Markdown (GitHub flavour): summary, sources, flags, then one table
row a pair with the offending spans in bold."""
from __future__ import annotations

import re
from collections.abc import Sequence

from align.report.spans import flagged_text, pair_flags, pieces
from align.report.summary import Summary, describe_removals, pair_severity
from align.types import SEVERITIES, Pair, Report

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
    best = s.best_source
    lines = [f"# align report: {md_escape(s.english)}", "", f"`{report.signature}`", "", "## Summary", ""]
    lines.append(f"- **Matched**: {md_escape(best.name)}: {md_escape(best.reason)}" if best
                 else "- **Matched**: no source supports the English")
    lines.append(f"- **Coverage**: {s.supported:.1%} of the English is supported by the sources "
                 f"({s.linked} of {s.pairs} pairs)")
    quality = (f"mean score {s.mean_score:.1f} over {s.scored} scored pairs" if s.mean_score is not None
               else "no pair could be scored")
    lines.append(f"- **Quality**: {quality}; {s.garbled_pairs} garbled ({s.garbled:.1%} of the English), "
                 f"{s.flagged_pairs} flagged ({s.flagged:.1%})")
    lines.append("- **Flags**: " + ", ".join(f"{s.flags_by_severity[sev]} {sev}" for sev in reversed(SEVERITIES)))
    if s.flags_by_name:
        lines.append("- **Checks**: " + ", ".join(f"{n} {md_escape(k)}" for k, n in s.flags_by_name.items()))
    for r in s.removals:
        lines.append(f"- **Removed** from {md_escape(r.name)}: {describe_removals(r)}")
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
    return (f"| {p.index}{' ' + label if label else ''} | {score} | {_marked(p.en_text, p, 'en')} | "
            f"{_marked(p.zh_text, p, 'zh') if p.zh_text else '–'} | {source} | {flags} |")
