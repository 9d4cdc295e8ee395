"""The corpus overview: articles worst first, with totals, in the terminal and as OUT/index.html.

The page links every article's HTML report and plots the distribution of pair
scores and the flags by check (matplotlib, inline SVG: the page is one file that
needs nothing from the network). Every text that came from the inputs (file names,
flag names) is escaped before it reaches markup or a terminal.
"""
from __future__ import annotations

import html
import io
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

__all__ = ["ArticleRow", "Totals", "print_overview", "rows_of", "totals", "write_index"]


@dataclass(frozen=True)
class ArticleRow:
    english: str
    name: str
    sources: list[str]
    report: str | None  # the HTML report, relative to OUT
    pairs: int
    garbled: float  # share of English characters in garbled pairs
    garbled_pairs: int
    mean_score: float | None
    flags: dict[str, int]  # by check, most frequent first
    error: str | None


@dataclass(frozen=True)
class Totals:
    articles: int
    with_sources: int
    pairs: int
    garbled_pairs: int
    flags: dict[str, int]
    errors: int


def rows_of(entries: Sequence[dict]) -> list[ArticleRow]:
    """One row per article, worst first: the largest garbled share, then most flags, then by name."""
    rows = []
    for e in entries:
        r, s = e["result"], e["result"].get("summary") or {}
        rows.append(ArticleRow(
            r["english"], e["name"], [x["source"] for x in r["sources"]],
            f"reports/{e['name']}.html" if r.get("report") else None,
            s.get("pairs", 0), s.get("garbled", 0.0), s.get("garbled_pairs", 0), s.get("mean_score"),
            dict(s.get("flags_by_name", {})), r.get("error")))
    return sorted(rows, key=lambda a: (-a.garbled, -sum(a.flags.values()), a.name))


def totals(rows: Sequence[ArticleRow]) -> Totals:
    flags: Counter[str] = Counter()
    for r in rows:
        flags.update(r.flags)
    return Totals(len(rows), sum(1 for r in rows if r.sources), sum(r.pairs for r in rows),
                  sum(r.garbled_pairs for r in rows), dict(flags.most_common()), sum(1 for r in rows if r.error))


def _flags_text(flags: dict[str, int], limit: int = 4) -> str:
    items = sorted(flags.items(), key=lambda kv: (-kv[1], kv[0]))
    text = ", ".join(f"{k} {v}" for k, v in items[:limit])
    return text + (", ..." if len(items) > limit else "")


def print_overview(entries: Sequence[dict], console, limit: int = 20) -> None:
    """The worst ``limit`` articles as a table, then the totals."""
    from rich.table import Table
    from rich.text import Text

    rows = rows_of(entries)
    t = totals(rows)
    table = Table(title=f"{min(limit, len(rows))} of {len(rows)} articles, worst first", title_justify="left")
    for column, justify in (("article", "left"), ("sources", "right"), ("pairs", "right"),
                            ("garbled", "right"), ("score", "right"), ("flags by check", "left")):
        table.add_column(column, justify=justify)
    for r in rows[:limit]:
        score = f"{r.mean_score:.1f}" if r.mean_score is not None else "-"
        note = r.error if r.error else ("no source found" if not r.sources else _flags_text(r.flags))
        # Text(), never markup: names and errors come from the inputs.
        table.add_row(Text(_printable(r.name)), str(len(r.sources)), str(r.pairs), f"{r.garbled:.0%}", score,
                      Text(_printable(note)))
    console.print(table)
    console.print(Text(
        f"{t.articles} articles, {t.with_sources} with sources, {t.pairs} pairs, {t.garbled_pairs} garbled; "
        f"flags: {_flags_text(t.flags, limit=len(t.flags)) or 'none'}"
        + (f"; {t.errors} articles failed" if t.errors else "")))


def _printable(text: str) -> str:
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)


def _svg(figure) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight")
    svg = buffer.getvalue()
    return svg[svg.index("<svg"):]  # drop the XML prolog and doctype: the SVG sits inside HTML


def plots(scores: Sequence[float], flags: dict[str, int]) -> tuple[str, str]:
    """The score histogram and the flags-by-check bar chart, as inline SVG."""
    import matplotlib

    matplotlib.use("Agg")  # no display: render to a file
    import matplotlib.pyplot as plt

    plt.rcParams["svg.hashsalt"] = "align"  # stable element ids: the same page for the same results
    fig, ax = plt.subplots(figsize=(6, 3))
    ax.hist(list(scores), bins=20, range=(0, 100), color="#4472c4")
    ax.set_xlabel("pair score (100: faithful)")
    ax.set_ylabel("pairs")
    ax.set_title(f"Score distribution ({len(scores)} scored pairs)")
    score_svg = _svg(fig)
    plt.close(fig)
    fig, ax = plt.subplots(figsize=(6, 3))
    names = list(flags)[:15]
    ax.barh(names[::-1], [flags[n] for n in names][::-1], color="#c0504d")
    ax.set_xlabel("flags")
    ax.set_title("Flags by check" if names else "Flags by check (none)")
    flags_svg = _svg(fig)
    plt.close(fig)
    return score_svg, flags_svg


def write_index(out: Path, entries: Sequence[dict]) -> None:
    """OUT/index.html: the articles worst first, each linking its report, and the two plots."""
    from align.batch.runner import _atomic_write

    rows = rows_of(entries)
    t = totals(rows)
    score_svg, flags_svg = plots([s for e in entries for s in e.get("scores", [])], t.flags)
    e = html.escape
    body = []
    for r in rows:
        name = f'<a href="{e(r.report)}">{e(r.name)}</a>' if r.report else e(r.name)
        score = f"{r.mean_score:.1f}" if r.mean_score is not None else "-"
        note = e(r.error) if r.error else ("no source found" if not r.sources else e(_flags_text(r.flags, 8)))
        sources = "<br>".join(e(Path(s).name) for s in r.sources)
        body.append(f"<tr><td>{name}</td><td>{sources}</td><td class=n>{r.pairs}</td>"
                    f"<td class=n>{r.garbled:.0%}</td><td class=n>{score}</td><td>{note}</td></tr>")
    flags_line = e(_flags_text(t.flags, len(t.flags))) or "none"
    page = f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>align batch: {t.articles} articles</title>
<style>
body {{ font-family: system-ui, sans-serif; margin: 2em; }}
table {{ border-collapse: collapse; }} td, th {{ border: 1px solid #ccc; padding: .3em .6em; vertical-align: top; }}
td.n {{ text-align: right; }} .plots {{ display: flex; flex-wrap: wrap; gap: 2em; }}
</style></head><body>
<h1>Corpus overview</h1>
<p id="totals">{t.articles} articles, {t.with_sources} with sources, {t.pairs} pairs, {t.garbled_pairs} garbled;
flags: {flags_line}{f"; {t.errors} articles failed" if t.errors else ""}</p>
<div class="plots"><figure id="scores">{score_svg}</figure><figure id="flags">{flags_svg}</figure></div>
<table id="articles"><thead><tr><th>article</th><th>sources</th><th>pairs</th><th>garbled</th><th>mean score</th>
<th>flags by check</th></tr></thead>
<tbody>
{chr(10).join(body)}
</tbody></table>
</body></html>
"""
    _atomic_write(out / "index.html", page)
