"""Reports: the figures of a run (``summary``), its versioned JSON (``schema``), and
one module per output format: terminal (rich), html, markdown, tsv, tmx.

Renderer modules are imported only when used, so loading a report stays light.
"""
from __future__ import annotations

from align.report.schema import SCHEMA, dumps_report, load_report, report_from_dict, report_to_dict
from align.report.summary import SORTS, WORST_FIRST, Summary, order_pairs, summarise
from align.types import Report

FORMATS = ("terminal", "json", "tsv", "markdown", "html", "tmx")

__all__ = ["FORMATS", "SCHEMA", "SORTS", "Summary", "dumps_report", "load_report", "order_pairs", "pairs_title",
           "render",
           "report_from_dict", "report_to_dict", "summarise"]


def render(report: Report, fmt: str, sort: str = "worst", min_severity: str | None = None) -> str:
    """The report as text in ``fmt`` (any format but ``terminal``, which prints to a console).

    ``sort`` and ``min_severity`` choose the pairs listed by tsv, markdown and html;
    json always holds the whole report and tmx every accepted pair. tsv, markdown and html
    show the text through ``safe.displayable``; json keeps it exact, escaped where unsafe;
    tmx, data for translation tools, drops the control characters and escapes the names.
    """
    if fmt == "json":
        return dumps_report(report)
    if fmt == "tmx":
        from align.report.tmx import render_tmx

        return render_tmx(report)
    from align.report.safe import displayable

    report = displayable(report)
    pairs = order_pairs(report.pairs, sort, min_severity)
    if fmt == "tsv":
        from align.report.tsv import render_tsv

        return render_tsv(report, pairs)
    title = pairs_title(len(pairs), len(report.pairs), sort, min_severity)
    if fmt == "markdown":
        from align.report.markdown import render_markdown

        return render_markdown(report, summarise(report), pairs, title)
    if fmt == "html":
        from align.report.html import render_html

        return render_html(report, summarise(report), pairs, title)
    raise ValueError(f"format must be one of {FORMATS[1:]}, not {fmt!r}")


def pairs_title(shown: int, total: int, sort: str, min_severity: str | None) -> str:
    """"3 of 18 pairs with a major flag or worse, worst first: ..." (``WORST_FIRST``)."""
    which = f" with a {min_severity} flag or worse" if min_severity else ""
    order = WORST_FIRST if sort == "worst" else "in document order"
    return f"{shown} of {total} pairs{which}, {order}"
