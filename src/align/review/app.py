"""The reviewer's dashboard: a Textual face on the review store.

Every decision goes to the store (one committed transaction) before the screen
changes, so what the reviewer sees decided is on disk. The pairs list is a
DataTable keyed by pair key; the selected pair is shown below it, Chinese and
English side by side with flagged spans highlighted and the neighbouring sentences
dimmed around them.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.markup import escape as markup_escape
from textual.screen import ModalScreen
from textual.widgets import Button, DataTable, Footer, Input, Label, OptionList, Select, Static

from align.report.safe import safe_name, visible
from align.report.summary import WORST_FIRST, badness, describe_timings, pair_number
from align.review.items import SEVERITY_FILTERS, STATUS_FILTERS, ReviewItem, matches
from align.review.store import Action, Event, PairState, ReviewStore
from align.types import Flag, Severity

SEVERITY_STYLE = {"minor": "yellow", "major": "dark_orange", "critical": "bold red"}
HIGHLIGHT_STYLE = {"minor": "black on yellow", "major": "black on dark_orange", "critical": "white on red"}


def decision_badge(state: PairState) -> Text:
    """The decision column of the list: verdict, rejected flags, note marker."""
    out = Text()
    if state.verdict == Action.ACCEPTED:
        out.append("✓ ok", "green")
    elif state.verdict == Action.GARBLED:
        out.append(f"✗ {state.severity}", SEVERITY_STYLE.get(state.severity or "", "red"))
    if state.false_alarms:
        out.append(" ~fa" if out else "~fa", "cyan")
    if state.note:
        out.append(" ✎" if out else "✎", "magenta")
    return out


def decision_text(state: PairState) -> Text:
    """The decision in words, for the reasons panel."""
    if state.verdict == Action.ACCEPTED:
        out = Text("accepted", "green")
    elif state.verdict == Action.GARBLED:
        out = Text(f"garbled ({state.severity})", SEVERITY_STYLE.get(state.severity or "", "red"))
    else:
        out = Text("not reviewed", "italic")
    if state.false_alarms:
        out.append(f"; false alarm: {', '.join(map(safe_name, state.false_alarms))}", "cyan")
    return out


def flag_badges(item: ReviewItem) -> Text:
    """Each flag name once, in its worst severity's colour, with a count when it fired more than once."""
    out = Text()
    counts = Counter(f.name for f in item.flags)
    for name in item.flag_names():
        worst = Severity.worst(f.severity for f in item.flags if f.name == name)
        if out:
            out.append(" ")
        out.append(safe_name(name) + (f"×{counts[name]}" if counts[name] > 1 else ""), SEVERITY_STYLE[worst])
    return out


def score_text(score: float | None) -> str:
    """A score as every face shows it: one decimal (0.7 is not "1"), a dash when there is none."""
    return "—" if score is None else f"{score:.1f}"


def highlighted(text: str, flags: Sequence[Flag], side: str, rejected: Sequence[str]) -> Text:
    """The pair's text on one side with each flagged span in its severity's colour.

    Spans of flags the reviewer rejected as false alarms are only underlined. The text is shown
    through ``visible`` (one character for one, so the flags' offsets still hold).
    """
    out = Text(visible(text), style="bold")
    for flag in flags:
        if flag.side != side or flag.end <= flag.start:
            continue
        style = "underline" if flag.name in rejected else HIGHLIGHT_STYLE[flag.severity]
        out.stylize(style, max(0, flag.start), min(len(text), flag.end))
    return out


def side_view(before: str, text: Text, after: str, empty: str) -> Text:
    """One side of the pair between its neighbouring sentences (dimmed, for context)."""
    if not text.plain:
        text = Text(empty, style="italic dim")
    parts = [Text(visible(before), style="dim")] if before else []
    parts.append(text)
    if after:
        parts.append(Text(visible(after), style="dim"))
    return Text("\n").join(parts)


def describe(event: Event) -> str:
    """One line about a decision, for notifications."""
    if event.action == Action.GARBLED:
        return f"garbled ({event.severity})"
    if event.action == Action.FALSE_ALARM:
        return f"{safe_name(event.flag or '')} flag rejected as a false alarm"
    if event.action == Action.NOTE:
        return "note"
    return "accepted"


class SeverityScreen(ModalScreen[str | None]):
    """Asks how bad a garbled pair is: 1 minor, 2 major, 3 critical."""

    BINDINGS = [Binding("1", "pick('minor')", "minor"), Binding("2", "pick('major')", "major"),
                Binding("3", "pick('critical')", "critical"), Binding("escape", "pick('')", "cancel")]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Garbled: how bad? (1/2/3, esc cancels)")
            with Horizontal(classes="buttons"):
                for n, severity in enumerate(Severity, 1):
                    yield Button(f"{n} {severity}", id=severity, compact=True)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id)

    def action_pick(self, severity: str) -> None:
        self.dismiss(severity or None)


class NoteScreen(ModalScreen[str | None]):
    """One line of note for the pair: enter saves (empty clears the note), esc cancels."""

    BINDINGS = [Binding("escape", "cancel", "cancel")]

    def __init__(self, note: str) -> None:
        super().__init__()
        self._note = note

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Note (enter saves, esc cancels)")
            yield Input(self._note, placeholder="what a reviewer should know about this pair", id="note")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.dismiss(event.value.strip())

    def action_cancel(self) -> None:
        self.dismiss(None)


class FlagScreen(ModalScreen[str | None]):
    """Which flag is the false alarm, when the pair carries several."""

    BINDINGS = [Binding("escape", "cancel", "cancel")]

    def __init__(self, flags: Sequence[Flag]) -> None:
        super().__init__()
        self._flags = list(flags)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Which flag is a false alarm? (enter picks, esc cancels)")
            yield OptionList(*(Text.assemble((safe_name(f.name), SEVERITY_STYLE[f.severity]),
                                             f": {visible(f.reason)}") for f in self._flags), id="flags")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.dismiss(self._flags[event.option_index].name)

    def action_cancel(self) -> None:
        self.dismiss(None)


class HelpScreen(ModalScreen[None]):
    """Every key of the dashboard and of its dialogs, from the bindings themselves."""

    BINDINGS = [Binding("escape,question_mark,q", "close", "close")]

    def __init__(self, keys: Sequence[tuple[str, str]]) -> None:
        super().__init__()
        self._keys = list(keys)

    def compose(self) -> ComposeResult:
        width = max(len(k) for k, _ in self._keys)
        lines = [Text.assemble((k.ljust(width), "bold"), "  ", what) for k, what in self._keys]
        with Vertical(classes="dialog"):
            yield Label("Keys (esc, ? or q closes)")
            yield Static(Text("\n").join(lines), id="help-keys")

    def action_close(self) -> None:
        self.dismiss(None)


# What the dialogs' keys do, for the help screen (their bindings live on the dialogs).
DIALOG_KEYS = [("1 2 3", "in the garbled dialog: minor, major, critical"),
               ("enter", "in a dialog: save the note, pick the flag"), ("esc", "in a dialog: cancel")]
# Key names as a person types them.
_KEY_NAMES = {"slash": "/", "question_mark": "?", "escape": "esc"}


class ReviewApp(App[None]):
    """Review the pairs of one report; every decision is saved to ``store`` as it is made."""

    TITLE = "align review"
    # Every command has its key on screen; the palette's footer entry would only push them off narrow terminals.
    ENABLE_COMMAND_PALETTE = False
    CSS = """
    #summary { height: auto; padding: 0 1; background: $boost; }
    #filters { height: 1; margin: 0 1; }
    #filters Input { width: 1fr; }
    #filters Select { width: 20; margin-left: 1; }
    #pairs { height: 1fr; min-height: 5; }
    #sides { height: 1fr; min-height: 6; }
    #zh, #en { width: 1fr; border: round $primary; padding: 0 1; }
    #info { height: auto; max-height: 9; border: round $secondary; padding: 0 1; }
    ModalScreen { align: center middle; }
    .dialog { width: 72; height: auto; border: thick $accent; background: $surface; padding: 1 2; }
    .buttons { height: auto; margin-top: 1; }
    .buttons Button { margin-right: 2; }
    """
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
        self.shown: list[ReviewItem] = list(self.items)
        self.filters = {"severity": "all", "flag": "all", "status": "all", "query": ""}
        names = sorted({name for item in self.items for name in item.flag_names()})
        self.filter_options = {
            "severity": list(SEVERITY_FILTERS.items()),
            "flag": [("all", "any flag type"), *((n, n) for n in names)],
            "status": list(STATUS_FILTERS.items()),
        }

    # -- layout --------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Static(id="summary")
        with Horizontal(id="filters"):
            yield Input(placeholder="/ search English, Chinese, flags", id="search", compact=True)
            for name, options in self.filter_options.items():
                yield Select([(label, value) for value, label in options], value="all", allow_blank=False,
                             id=f"filter-{name}", compact=True)
        yield DataTable(id="pairs", cursor_type="row", zebra_stripes=True)
        with Horizontal(id="sides"):
            yield VerticalScroll(Static(id="zh-text"), id="zh")
            yield VerticalScroll(Static(id="en-text"), id="en")
        yield VerticalScroll(Static(id="info-text"), id="info")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#pairs", DataTable)
        table.add_column("#", key="n", width=4)
        table.add_column("score", key="score", width=5)  # "100.0"
        table.add_column("sev", key="sev", width=8)
        # Wide enough for the longest set of flag names, so none is cut.
        table.add_column("flags", key="flags", width=max([5, *(len(flag_badges(i)) for i in self.items)]))
        table.add_column("decision", key="decision", width=12)
        table.add_column("English", key="en")
        key, index = self.store.resume_point()
        self._fill(key if key in self.by_key else None, index)
        table.focus()
        previous = self.store.previous_signature()
        if previous is not None and previous != self.store.signature:
            kept = sum(1 for k in self.store.states() if k in self.by_key)
            self.notify(f"The report changed since the last session; decisions kept for {kept} unchanged pairs.")
        self._show_summary()

    # -- list ----------------------------------------------------------------------------------

    def _fill(self, select_key: str | None, fallback_index: int = 0) -> None:
        """Refill the list with the pairs that pass the filters; select ``select_key`` if shown."""
        table = self.query_one("#pairs", DataTable)
        self.shown = [item for item in self.items
                        if matches(item, self.store.state(item.key).reviewed, self.filters["severity"],
                                   self.filters["flag"], self.filters["query"], self.filters["status"])]
        table.clear()
        for item in self.shown:
            table.add_row(*self._cells(item), key=item.key)
        keys = [item.key for item in self.shown]
        row = keys.index(select_key) if select_key in keys else min(fallback_index, max(len(keys) - 1, 0))
        if keys:
            table.move_cursor(row=row)
        self._show_detail()
        self._show_summary()

    def _cells(self, item: ReviewItem) -> tuple:
        score = "" if item.score is None else score_text(item.score)
        sev = Text(item.severity or "", SEVERITY_STYLE.get(item.severity or "", ""))
        en = visible(item.pair.en_text.replace("\n", " "))
        return (str(pair_number(item.pair)), score, sev, flag_badges(item), decision_badge(self.store.state(item.key)),
                Text(en[:200]))

    @property
    def current(self) -> ReviewItem | None:
        """The selected pair, read from the table's cursor so it is never stale."""
        table = self.query_one("#pairs", DataTable)
        if not self.shown or not 0 <= table.cursor_row < len(self.shown):
            return None
        return self.shown[table.cursor_row]

    def on_data_table_row_highlighted(self, event: DataTable.RowHighlighted) -> None:
        item = self.current
        if item is not None:
            self.store.save_cursor(item.key, self.position[item.key])
        self._show_detail()

    # -- panels --------------------------------------------------------------------------------

    def _show_summary(self) -> None:
        states = {item.key: self.store.state(item.key) for item in self.items}
        reviewed = sum(1 for s in states.values() if s.reviewed)
        verdicts = Counter(s.verdict for s in states.values() if s.verdict)
        garbled = Counter(s.severity for s in states.values() if s.verdict == Action.GARBLED)
        false_alarms = sum(len(s.false_alarms) for s in states.values())
        notes = sum(1 for s in states.values() if s.note)
        worst = Counter(item.severity for item in self.items)
        # the order and the help key first: a long heading (the store's path) is what gets cut
        line1 = Text.assemble(("align review", "bold"), f"  {WORST_FIRST} · ? keys · ", safe_name(self.heading))
        line2 = Text.assemble(
            ("reviewed ", "bold"), (f"{reviewed}/{len(self.items)}", "bold"),
            f"   accepted {verdicts[Action.ACCEPTED]}   garbled {verdicts[Action.GARBLED]}",
            *((f" ({', '.join(f'{s} {garbled[s]}' for s in Severity if garbled[s])})",) if garbled else ()),
            f"   false alarms {false_alarms}   notes {notes}   │ flagged: ",
            *(x for s in Severity for x in ((f"{s} {worst[s]}", SEVERITY_STYLE[s]), "  ")),
            f"clean {worst[None]}   │ showing {len(self.shown)}",
        )
        line3 = Text.assemble(("time ", "bold"), describe_timings(self.timings) or "not measured",
                              ("   signature ", "bold"), (self.signature, "dim"))
        self.query_one("#summary", Static).update(Text("\n").join([line1, line2, line3]))

    def _show_detail(self) -> None:
        item = self.current
        zh, en, info = (self.query_one(f"#{name}", VerticalScroll) for name in ("zh", "en", "info"))
        if item is None:
            zh.border_title = en.border_title = ""
            self.query_one("#zh-text", Static).update("")
            self.query_one("#en-text", Static).update(Text("no pair matches the filters", style="italic"))
            self.query_one("#info-text", Static).update("")
            return
        state = self.store.state(item.key)
        p = item.pair
        zh.border_title = f"中文 · {markup_escape(safe_name(item.source_name or 'no source'))}"
        en.border_title = f"English · pair {pair_number(p)}/{len(self.items)}"
        self.query_one("#zh-text", Static).update(side_view(
            item.zh_before, highlighted(p.zh_text, item.flags, "zh", state.false_alarms), item.zh_after,
            "(no Chinese report supports this English)"))
        self.query_one("#en-text", Static).update(side_view(
            item.en_before, highlighted(p.en_text, item.flags, "en", state.false_alarms), item.en_after, "(empty)"))
        link = (Text.assemble(("   link confidence ", "bold"), f"{p.confidence:.2f}") if item.source_name
                else Text("   no Chinese counterpart", "italic"))
        lines = [Text.assemble(("score ", "bold"), score_text(item.score), link,
                               ("   decision ", "bold"), decision_text(state))]
        for flag in item.flags:
            rejected = flag.name in state.false_alarms
            lines.append(Text.assemble(
                (f"[{flag.severity}] ", SEVERITY_STYLE[flag.severity]), (safe_name(flag.name), "bold"),
                f": {visible(flag.reason)}",
                (" — false alarm", "cyan") if rejected else "", style="strike" if rejected else ""))
        if not item.flags:
            lines.append(Text("no flags", style="dim"))
        for n in item.pair.quality.notes if item.pair.quality else ():
            lines.append(Text.assemble(("[note] ", "bold"), (n.name, "bold"), f": {n.reason}"))
        if state.note:
            lines.append(Text.assemble(("note: ", "magenta"), visible(state.note)))
        info.border_title = "reasons"
        self.query_one("#info-text", Static).update(Text("\n").join(lines))

    def _refresh_pair(self, key: str) -> None:
        table = self.query_one("#pairs", DataTable)
        if key in table.rows:
            table.update_cell(key, "decision", decision_badge(self.store.state(key)))
        self._show_detail()
        self._show_summary()

    # -- navigation ----------------------------------------------------------------------------

    def action_move(self, step: int) -> None:
        table = self.query_one("#pairs", DataTable)
        if self.shown:
            table.move_cursor(row=max(0, min(len(self.shown) - 1, table.cursor_row + step)))

    def action_next_flagged(self) -> None:
        table = self.query_one("#pairs", DataTable)
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
        self.query_one("#pairs", DataTable).focus()

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
        item = self.current
        self._fill(item.key if item else None)

    # -- decisions -----------------------------------------------------------------------------

    def _decided(self, event: Event, advance: bool = True) -> None:
        """After a decision is stored: redraw its pair, then move on to the next pair."""
        self._refresh_pair(event.pair_key)
        if advance:
            self.action_move(1)

    def action_accept(self) -> None:
        if item := self._selected():
            self._decided(self.store.accept(item.key))

    def action_garbled(self) -> None:
        item = self._selected()
        if item is None:
            return

        def done(severity: str | None) -> None:
            if severity:
                self._decided(self.store.mark_garbled(item.key, severity))

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
                self._decided(self.store.reject_flag(item.key, name, flag.reason))

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
                self._decided(self.store.add_note(item.key, note), advance=False)

        self.push_screen(NoteScreen(self.store.state(item.key).note), done)

    def action_undo(self) -> None:
        event = self.store.undo(keys=self.by_key)
        if event is None:
            self.notify("Nothing to undo.")
            return
        table = self.query_one("#pairs", DataTable)
        if event.pair_key in table.rows:
            table.move_cursor(row=table.get_row_index(event.pair_key))
        self._refresh_pair(event.pair_key)
        self.notify(markup_escape(f"Undone: {describe(event)} on pair {pair_number(self.by_key[event.pair_key].pair)}."))

    def _selected(self) -> ReviewItem | None:
        item = self.current
        if item is None:
            self.notify("No pair selected.", severity="warning")
        return item

