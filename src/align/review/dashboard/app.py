"""The dashboard's app: the state every widget renders from, the keys, and the decisions.

Every decision goes to the store (one committed transaction) before the screen
changes, so what the reviewer sees decided is on disk. The app holds three reactive
attributes, bound to the widgets in ``compose``: ``shown`` (the pairs passing the
filters), ``states`` (every decision in effect, re-read from the store after each
decision) and ``selected`` (the pair under the list's cursor). The layout is in
``app.tcss`` beside this file.
"""
from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.markup import escape as markup_escape
from textual.reactive import reactive
from textual.widgets import DataTable, Footer, Input, Select

from align.report.summary import badness, pair_number
from align.review.dashboard.screens import DIALOG_KEYS, FlagScreen, HelpScreen, NoteScreen, SeverityScreen
from align.review.dashboard.text import describe
from align.review.dashboard.widgets import PairList, Reasons, SideFrame, SideText, SummaryBar
from align.review.items import SEVERITY_FILTERS, STATUS_FILTERS, ReviewItem, matches
from align.review.store import PairState, ReviewStore

# Key names as a person types them.
_KEY_NAMES = {"slash": "/", "question_mark": "?", "escape": "esc"}


class ReviewApp(App[None]):
    """Review the pairs of one report; every decision is saved to ``store`` as it is made."""

    TITLE = "align review"
    # Every command has its key on screen; the palette's footer entry would only push them off narrow terminals.
    ENABLE_COMMAND_PALETTE = False
    # Absolute: Textual resolves a relative CSS_PATH beside the file of the class that runs, a subclass's.
    CSS_PATH = Path(__file__).with_name("app.tcss")
    BINDINGS = [
        Binding("j", "move(1)", "next"),
        Binding("k", "move(-1)", "prev"),
        Binding("f", "next_flagged", "next flag"),
        Binding("a", "accept", "accept"),
        Binding("x", "false_alarm", "false alarm"),
        Binding("g", "garbled", "garbled"),
        Binding("n", "note", "note"),
        Binding("u", "undo", "undo"),
        Binding("slash", "search", "search"),
        Binding("s", "cycle('severity')", "severity filter", show=False),
        Binding("t", "cycle('flag')", "flag filter", show=False),
        Binding("o", "cycle('status')", "status filter", show=False),
        Binding("escape", "focus_list", "back to the list", show=False),
        Binding("question_mark", "help", "keys"),
        Binding("q", "quit", "quit"),
    ]
    # What each key does, in words for the help screen (the footer keeps the short labels).
    HELP = {"move(1)": "next pair", "move(-1)": "previous pair", "next_flagged": "next flagged pair",
            "accept": "accept the pair: a faithful rendering", "false_alarm": "mark a flag a false alarm",
            "garbled": "mark the pair garbled, with a severity", "note": "add or edit a note",
            "undo": "undo the last decision", "search": "search English, Chinese, flags",
            "cycle('severity')": "cycle the severity filter", "cycle('flag')": "cycle the flag filter",
            "cycle('status')": "cycle the status filter (reviewed or not)", "focus_list": "back to the list",
            "help": "this screen", "quit": "quit (every decision is already saved)"}

    # What the widgets render from; compose binds each widget's attributes of these names to them.
    shown: reactive[tuple[ReviewItem, ...]] = reactive(tuple)  # the pairs passing the filters, in order
    states: reactive[dict[str, PairState]] = reactive(dict)  # a new mapping after every decision
    selected: reactive[ReviewItem | None] = reactive(None)  # follows the list's cursor

    def __init__(self, items: Sequence[ReviewItem], store: ReviewStore, *, heading: str,
                 signature: str = "", timings: dict[str, float] | None = None) -> None:
        super().__init__()
        # Worst first, as in every face of the report.
        self.items = sorted(items, key=lambda item: badness(item.pair))
        self.store = store
        self.heading = heading
        self.signature = signature
        self.timings = dict(timings or {})
        self.by_key = {item.key: item for item in self.items}
        self.position = {item.key: n for n, item in enumerate(self.items)}
        self.filters = {"severity": "all", "flag": "all", "status": "all", "query": ""}
        names = sorted({name for item in self.items for name in item.flag_names()})
        self.filter_options = {
            "severity": list(SEVERITY_FILTERS.items()),
            "flag": [("all", "any flag type"), *((n, n) for n in names)],
            "status": list(STATUS_FILTERS.items()),
        }
        # Before compose, so the widgets bound to them start with them (no filter: every pair).
        self.set_reactive(ReviewApp.states, self._read_states())
        self.set_reactive(ReviewApp.shown, tuple(self.items))

    # -- layout --------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        # states before shown: the list's first fill then draws the decisions already made
        yield SummaryBar(self.items, heading=self.heading, signature=self.signature, timings=self.timings,
                         id="summary").data_bind(ReviewApp.states, ReviewApp.shown)
        with Horizontal(id="filters"):
            yield Input(placeholder="/ search English, Chinese, flags", id="search", compact=True)
            for name, options in self.filter_options.items():
                yield Select([(label, value) for value, label in options], value="all", allow_blank=False,
                             id=f"filter-{name}", compact=True)
        yield PairList(self.items, self.store.resume_point(), id="pairs").data_bind(ReviewApp.states,
                                                                                    ReviewApp.shown)
        with Horizontal(id="sides"):
            for side in ("zh", "en"):
                with SideFrame(side, len(self.items), id=side).data_bind(ReviewApp.selected):
                    yield SideText(side, id=f"{side}-text").data_bind(ReviewApp.selected, ReviewApp.states)
        with VerticalScroll(id="info") as info:
            info.border_title = "reasons"
            yield Reasons(id="info-text").data_bind(ReviewApp.selected, ReviewApp.states)
        yield Footer()

    def on_mount(self) -> None:
        # The list's first fill (its binding) has run; its row-highlighted message has not been
        # handled yet, and the first screen should show the selected pair with the rest.
        self.selected = self.current
        self.query_one(PairList).focus()
        previous = self.store.previous_signature()
        if previous is not None and previous != self.store.signature:
            self.notify(f"The report changed since the last session; decisions kept for {len(self.states)} "
                        "unchanged pairs.")

    # -- state ---------------------------------------------------------------------------------

    def _read_states(self) -> dict[str, PairState]:
        """The decisions in effect on this report's pairs, as the store has them now."""
        return {key: state for key, state in self.store.states().items() if key in self.by_key}

    @property
    def current(self) -> ReviewItem | None:
        """The selected pair, read from the list's cursor so it is never stale (``selected`` follows
        the cursor by message, so a key pressed before that message is handled would see the old pair)."""
        row = self.query_one(PairList).cursor_row
        return self.shown[row] if self.shown and 0 <= row < len(self.shown) else None

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        item = self.current
        if item is not None:
            self.store.save_cursor(item.key, self.position[item.key])
        self.selected = item

    # -- navigation ----------------------------------------------------------------------------

    def action_move(self, step: int) -> None:
        table = self.query_one(PairList)
        if self.shown:
            table.move_cursor(row=max(0, min(len(self.shown) - 1, table.cursor_row + step)))

    def action_next_flagged(self) -> None:
        table = self.query_one(PairList)
        for row in range(table.cursor_row + 1, len(self.shown)):
            if self.shown[row].flags:
                table.move_cursor(row=row)
                return
        self.notify("No flagged pair below this one.")

    def help_keys(self) -> list[tuple[str, str]]:
        """(key, what it does) for every binding of the dashboard, then the dialogs' keys."""
        keys = [(_KEY_NAMES.get(b.key, b.key), self.HELP.get(b.action, b.description)) for b in self.BINDINGS]
        return keys + DIALOG_KEYS

    def action_help(self) -> None:
        self.push_screen(HelpScreen(self.help_keys()))

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_focus_list(self) -> None:
        self.query_one(PairList).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input.id == "search":
            self.action_focus_list()

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id == "search":
            self._set_filter("query", event.value.strip())

    def on_select_changed(self, event: Select.Changed) -> None:
        name = (event.select.id or "").removeprefix("filter-")
        if name in self.filter_options and isinstance(event.value, str):
            self._set_filter(name, event.value)

    def action_cycle(self, name: str) -> None:
        values = [value for value, _ in self.filter_options[name]]
        select = self.query_one(f"#filter-{name}", Select)
        # From the widget's value, not self.filters: a second key press may come before Changed is handled.
        select.value = values[(values.index(select.value) + 1) % len(values)]

    def _set_filter(self, name: str, value: str) -> None:
        if self.filters[name] == value:
            return
        self.filters[name] = value
        self.shown = tuple(item for item in self.items
                           if matches(item, self.store.state(item.key).reviewed, self.filters["severity"],
                                      self.filters["flag"], self.filters["query"], self.filters["status"]))
        # The list refilled (its binding ran above) and kept its pair if still shown; an empty list
        # highlights no row, so the selection is taken from the cursor here.
        self.selected = self.current

    # -- decisions -----------------------------------------------------------------------------

    def _decided(self, advance: bool = True) -> None:
        """After a decision is stored: every part shows it, then the cursor moves on to the next pair."""
        self.states = self._read_states()
        if advance:
            self.action_move(1)

    def action_accept(self) -> None:
        if item := self._selected():
            self.store.accept(item.key)
            self._decided()

    def action_garbled(self) -> None:
        item = self._selected()
        if item is None:
            return

        def done(severity: str | None) -> None:
            if severity:
                self.store.mark_garbled(item.key, severity)
                self._decided()

        self.push_screen(SeverityScreen(), done)

    def action_false_alarm(self) -> None:
        item = self._selected()
        if item is None:
            return
        rejected = self.store.state(item.key).false_alarms
        open_flags = [f for f in item.flags if f.name not in rejected]
        names = list(dict.fromkeys(f.name for f in open_flags))
        if not names:
            self.notify("This pair has no flag left to reject.", severity="warning")
            return

        def done(name: str | None) -> None:
            if name:
                flag = next(f for f in open_flags if f.name == name)
                self.store.reject_flag(item.key, name, flag.reason)
                self._decided()

        if len(names) == 1:
            done(names[0])
        else:
            self.push_screen(FlagScreen([next(f for f in open_flags if f.name == n) for n in names]), done)

    def action_note(self) -> None:
        item = self._selected()
        if item is None:
            return

        def done(note: str | None) -> None:
            if note is not None and note != self.store.state(item.key).note:
                self.store.add_note(item.key, note)
                self._decided(advance=False)

        self.push_screen(NoteScreen(self.store.state(item.key).note), done)

    def action_undo(self) -> None:
        event = self.store.undo(keys=self.by_key)
        if event is None:
            self.notify("Nothing to undo.")
            return
        table = self.query_one(PairList)
        if event.pair_key in table.rows:
            table.move_cursor(row=table.get_row_index(event.pair_key))
        self.states = self._read_states()
        self.notify(markup_escape(f"Undone: {describe(event)} on pair {pair_number(self.by_key[event.pair_key].pair)}."))

    def _selected(self) -> ReviewItem | None:
        item = self.current
        if item is None:
            self.notify("No pair selected.", severity="warning")
        return item
