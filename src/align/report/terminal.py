"""The report in a terminal (rich): a summary panel, then the pairs side by side
with their score, their flags and the offending spans highlighted."""
from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from align.report.spans import pair_flags, pieces
from align.report.summary import Summary, describe_removals, pair_severity
from align.types import SEVERITIES, Pair, Report

STYLE = {"minor": "black on yellow", "major": "black on dark_orange", "critical": "bold white on red"}
LABEL = {"minor": "yellow", "major": "dark_orange", "critical": "bold red"}


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

    best = s.best_source
    lines: list[RenderableType] = [
        Text.assemble(("English ", "bold"), s.english, f": {s.pairs} pairs"),
        Text.assemble(("Matched ", "bold"),
                      f"{best.name}: {best.reason}" if best else "no source supports the English"),
        sources,
        Text.assemble(("Coverage ", "bold"),
                      f"{s.supported:.1%} of the English is supported by the sources ({s.linked} of {s.pairs} pairs)"),
        Text.assemble(("Quality ", "bold"),
                      f"mean score {s.mean_score:.1f} over {s.scored} scored pairs; " if s.mean_score is not None
                      else "no pair could be scored; ",
                      f"{s.garbled_pairs} garbled ({s.garbled:.1%} of the English), "
                      f"{s.flagged_pairs} flagged ({s.flagged:.1%})"),
        _severity_line(s),
    ]
    if s.flags_by_name:
        lines.append(Text.assemble(("Checks ", "bold"), ", ".join(f"{n} {k}" for k, n in s.flags_by_name.items())))
    for r in s.removals:
        lines.append(Text.assemble(("Removed ", "bold"), f"from {r.name}: {describe_removals(r)}"))
    lines.append(Text(report.signature, style="dim"))
    return Panel(Group(*lines), title="align report", title_align="left")


def _severity_line(s: Summary) -> Text:
    text = Text.assemble(("Flags ", "bold"))
    for i, sev in enumerate(reversed(SEVERITIES)):
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
    head = Text.assemble((f"#{p.index} ", "bold"))
    if q and q.garbled:
        head.append("GARBLED ", style="bold red")
    if severity:
        head.append(f"{severity} ", style=LABEL[severity])
    head.append(f"score {q.score:.1f}" if q and q.score is not None else "no score", style="bold")
    where = (f"  {report.multi.names[p.source]} (confidence {p.confidence:.2f})" if p.source >= 0
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
            line.append(f" [{f.side} {f.start}-{f.end}]", style="dim")
        line.append(f": {f.reason}")
        parts.append(line)
    parts.append(Text(""))
    return Group(*parts)
