"""The dashboard's widgets render from their reactive attributes alone.

Each widget is mounted in a bare host app with nothing bound (no ReviewApp, no store): the
test sets its reactives as the app would and reads what it renders. Then the app's binding:
a decision, a move and a filter reach every widget through the app's own reactives. Last,
the layout file the app names ships with the package.
"""
from __future__ import annotations

import asyncio
import tomllib
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest
from test_review import ORDER, drive, press, write_sample
from textual.app import App, ComposeResult
from textual.widget import Widget

import align
from align.review.dashboard.app import ReviewApp
from align.review.dashboard.text import HIGHLIGHT_STYLE
from align.review.dashboard.widgets import PairList, Reasons, SideFrame, SideText, SummaryBar
from align.review.items import items_from_report
from align.review.store import PairState
from align.types import Report

REPO = Path(__file__).resolve().parent.parent


@pytest.fixture
def sample(tmp_path: Path) -> Report:
    return write_sample(tmp_path / "in")


class Host(App[None]):
    """A bare app holding the widgets under test; nothing is bound to them."""

    def __init__(self, *widgets: Widget) -> None:
        super().__init__()
        self._widgets = widgets

    def compose(self) -> ComposeResult:
        yield from self._widgets


def host(script: Callable[[object], Awaitable[None]], *widgets: Widget) -> None:
    async def main() -> None:
        async with Host(*widgets).run_test(size=(150, 40)) as pilot:
            await pilot.pause()
            await script(pilot)

    asyncio.run(main())


def styles_at(text, start: int, end: int) -> set[str]:
    """The styles of ``text``'s spans that cover [start, end)."""
    return {str(span.style) for span in text.spans if span.start <= start and span.end >= end}


def test_pair_views_render_from_the_selection_and_the_decisions(sample: Report) -> None:
    items = items_from_report(sample)
    spelling = items[3]  # one minor flag, "concentrateing", English 16..30
    start = len(spelling.en_before) + 1  # the pair's English follows its dimmed neighbour's line
    reasons, en, zh, frame = Reasons(), SideText("en"), SideText("zh"), SideFrame("en", len(items))

    async def script(pilot) -> None:
        assert str(en.render()) == "no pair matches the filters" and str(zh.render()) == "" == str(reasons.render())
        for widget in (reasons, en, zh, frame):
            widget.selected = spelling
        await pilot.pause()
        assert frame.border_title == "English · pair 4/6"
        shown = str(reasons.render())
        assert "decision not reviewed" in shown and "[minor] spelling: concentrateing" in shown
        assert HIGHLIGHT_STYLE["minor"] in styles_at(en.render(), start + 16, start + 30)
        assert str(zh.render()).split("\n")[1] == "科学家们扎根大地。"  # between its dimmed neighbours
        lines = reasons.size.height
        decided = {spelling.key: PairState(false_alarms=["spelling"], note="checked by hand")}
        for widget in (reasons, en):
            widget.states = decided
        await pilot.pause()
        shown = str(reasons.render())
        assert "false alarm: spelling" in shown and "— false alarm" in shown and "note: checked by hand" in shown
        assert reasons.size.height == lines + 1  # the note's line: the panel grew to show it
        styles = styles_at(en.render(), start + 16, start + 30)  # a rejected flag: only underlined
        assert "underline" in styles and HIGHLIGHT_STYLE["minor"] not in styles
        frame.selected = None
        await pilot.pause()
        assert frame.border_title == ""

    host(script, reasons, en, zh, frame)


def test_summary_counts_what_its_reactives_hold(sample: Report) -> None:
    items = items_from_report(sample)
    summary = SummaryBar(items, heading="h", signature="sig", timings={})

    async def script(pilot) -> None:
        summary.shown = tuple(items[:2])
        assert "reviewed 0/6" in str(summary.render()) and "showing 2" in str(summary.render())
        summary.states = {items[0].key: PairState("accepted"), items[1].key: PairState("garbled", "major"),
                          items[2].key: PairState(note="n")}
        shown = str(summary.render())
        assert "reviewed 2/6   accepted 1   garbled 1 (major 1)   false alarms 0   notes 1" in shown
        assert "flagged: minor 2  major 1  critical 1  clean 2" in shown and "signature sig" in shown

    host(script, summary)


def test_pair_list_keeps_its_pair_and_redraws_only_changed_decisions(sample: Report) -> None:
    items = items_from_report(sample)
    resumed = PairList(items, (items[2].key, 0))
    gone = PairList(items, ("a pair of another report", 4))

    def decisions(table: PairList) -> list[str]:
        return [str(table.get_row_at(r)[4]) for r in range(table.row_count)]

    async def script(pilot) -> None:
        for table in (resumed, gone):
            table.shown = tuple(items)
        # the first fill selects the resume point: its key, or its row when the key is gone
        assert resumed.cursor_row == 2 and gone.cursor_row == 4
        resumed.move_cursor(row=3)
        resumed.shown = (items[0], items[3], items[5])
        assert resumed.cursor_row == 1  # the selected pair is still shown: still selected
        resumed.shown = (items[0], items[5])
        assert resumed.cursor_row == 0 and resumed.row_count == 2  # it is not: the first row
        resumed.states = {items[5].key: PairState("accepted")}
        assert decisions(resumed) == ["", "✓ ok"]
        resumed.states = {items[5].key: PairState("garbled", "minor"), items[0].key: PairState(note="n")}
        assert decisions(resumed) == ["✎", "✗ minor"]
        resumed.states = {}
        assert decisions(resumed) == ["", ""]
        resumed.shown = ()
        assert resumed.row_count == 0

    host(script, resumed, gone)


def test_the_app_state_reaches_every_widget(tmp_path: Path, sample: Report) -> None:
    async def script(pilot, app: ReviewApp) -> None:
        views = [app.query_one(w) for w in ("#zh-text", "#en-text", "#info-text", "#zh", "#en")]
        bound = [app.query_one(w) for w in ("#summary", "#pairs", "#zh-text", "#en-text", "#info-text")]
        assert all(view.selected is app.current for view in views)
        assert app.query_one("#info").styles.max_height.value == 9  # the layout came from app.tcss
        await press(pilot, "a", "k")
        assert app.states and all(widget.states is app.states for widget in bound)
        assert all(view.selected is app.current for view in views) and app.current.pair.index == ORDER[0]
        await press(pilot, "slash")
        await pilot.press(*"no such text")
        await pilot.pause()
        assert app.shown == () and all(view.selected is None for view in views)
        assert app.query_one("#zh").border_title == app.query_one("#en").border_title == ""
        assert app.query_one("#info").border_title == "reasons"
        assert "showing 0" in str(app.query_one("#summary").render())

    drive(tmp_path / "r.review.sqlite", sample, script)


def test_the_layout_ships_with_the_package() -> None:
    layout = Path(ReviewApp.CSS_PATH)
    assert layout.is_file()
    project = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    shipped = project["tool"]["setuptools"]["package-data"]["align"]
    assert layout.relative_to(Path(align.__file__).parent).as_posix() in shipped
