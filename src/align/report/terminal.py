"""The report in a terminal (rich): a summary panel, then the pairs side by side
with their score, their flags and the offending spans highlighted."""
from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from align.report.spans import flagged_text, pair_flags, pieces
from align.report.summary import (Summary, checks_line, describe_removals, describe_timings, pair_number,
                                  pair_severity, quality_line, source_lines)
from align.types import Flag, Pair, Report, Severity

STYLE = {Severity.MINOR: "black on yellow", Severity.MAJOR: "black on dark_orange",
         Severity.CRITICAL: "bold white on red"}
LABEL = {Severity.MINOR: "yellow", Severity.MAJOR: "dark_orange", Severity.CRITICAL: "bold red"}


def render_terminal(report: Report, summary: Summary, pairs: Sequence[Pair], console: Console,
                    title: str = "") -> None:
    """Print the summary panel and ``pairs`` (already filtered and ordered) to ``console``."""
    console.print(summary_panel(report, summary))
    heading = title or f"{len(pairs)} of {summary.pairs} pairs"
    console.print(Rule(heading))
    for p in pairs:
        console.print(pair_block(report, p))
    if not pairs:
        console.print(Text("no pair matches the filter", style="dim"))


def summary_panel(report: Report, s: Summary) -> Panel:
    sources = Table(box=None, pad_edge=False, show_edge=False)
    for column, justify in (("#", "right"), ("source", "left"), ("mode", "left"), ("coverage", "right"),
                            ("matched", "right"), ("conf.", "right"), ("pairs", "right")):
        sources.add_column(column, justify=justify, header_style="bold", no_wrap=column == "source")
    for src in s.sources:
        # Text, not str: a str cell is rich markup, and a file name like zh[reverse]x.txt would be obeyed.
        sources.add_row(str(src.rank), Text(src.name), src.mode, f"{src.coverage:.1%}", str(src.matched),
                        f"{src.mean_confidence:.2f}", str(src.pairs), style="bold" if src.rank == 1 else "")

    lines: list[RenderableType] = [
        Text.assemble(("English ", "bold"), s.english, f": {s.pairs} pairs (numbered from 1 in document order)"),
        *(Text.assemble((label + " ", "bold"), value) for label, value in source_lines(s)),
        sources,
        Text.assemble(("Coverage ", "bold"),
                      f"{s.supported:.1%} of the English characters are in pairs with a Chinese side "
                      f"({s.linked} of {s.pairs} pairs)"),
        Text.assemble(("Quality ", "bold"), quality_line(s)),
        _severity_line(s),
    ]
    checks, low = checks_line(s.flags_by_name)
    if checks:
        lines.append(Text.assemble(("Checks ", "bold"), checks))
    if low:
        lines.append(Text.assemble(("Low score ", "bold"), f"{low} pair{'s' if low != 1 else ''} garbled by "
                                   "the quality score alone being below the threshold"))
    for r in s.removals:
        lines.append(Text.assemble(("Removed ", "bold"), f"from {r.name}: {describe_removals(r)}"))
    if timings := describe_timings(s.timings):
        lines.append(Text.assemble(("Time ", "bold"), timings))
    lines.append(Text.assemble(("Signature ", "bold"), (report.signature, "dim")))
    return Panel(Group(*lines), title="align report", title_align="left")


def _severity_line(s: Summary) -> Text:
    text = Text.assemble(("Flags ", "bold"))
    for i, sev in enumerate(reversed(Severity)):
        if i:
            text.append(", ")
        n = s.flags_by_severity[sev]
        text.append(f"{n} {sev}", style=LABEL[sev] if n else "dim")
    return text


def highlighted(text: str, pair: Pair, side: str) -> Text:
    out = Text()
    for piece in pieces(text, pair_flags(pair), side):
        out.append(piece.text, style=STYLE[piece.severity] if piece.severity else "")
    return out


def pair_block(report: Report, p: Pair) -> Group:
    q = p.quality
    severity = pair_severity(p)
    head = Text.assemble((f"#{pair_number(p)} ", "bold"))
    if q and q.garbled:
        head.append("GARBLED ", style="bold red")
    if severity:
        head.append(f"{severity} ", style=LABEL[severity])
    head.append(f"score {q.score:.1f}" if q and q.score is not None else "no score", style="bold")
    where = (f"  {report.multi.names[p.source]} (link confidence {p.confidence:.2f})" if p.source >= 0
             else "  no Chinese counterpart")
    head.append(where, style="dim")

    sides = Table.grid(expand=True, padding=(0, 2))
    # fold: Chinese has no spaces to wrap at, and must not be cut off
    sides.add_column(ratio=1, overflow="fold")
    sides.add_column(ratio=1, overflow="fold")
    sides.add_row(highlighted(p.en_text, p, "en"),
                  highlighted(p.zh_text, p, "zh") if p.zh_text else Text("-", style="dim"))
    parts: list[RenderableType] = [head, sides]
    for f in pair_flags(p):
        line = Text("  ")
        line.append(f" {f.severity} ", style=STYLE[f.severity])
        line.append(f" {f.name}", style="bold")
        if f.end > f.start:
            line.append(f" ({where_in_pair(p, f)})", style="dim")
        line.append(f": {f.reason}")
        parts.append(line)
    for n in q.notes if q else ():
        parts.append(Text.assemble("  ", (" note ", "reverse"), (f" {n.name}", "bold"), f": {n.reason}"))
    parts.append(Text(""))
    return Group(*parts)


def where_in_pair(p: Pair, f: Flag) -> str:
    """'English "creative creative creative", characters 363-389 of the pair'."""
    text = flagged_text(p, f)
    shown = text if len(text) <= 40 else text[:39] + "…"
    side = "English" if f.side == "en" else "Chinese"
    return f'{side} "{shown}", characters {f.start}-{f.end} of the pair'
