"""The parts of the dashboard's screen. Each declares the state it shows as reactive attributes
(the app binds them to its own, ``ReviewApp.shown``, ``.states`` and ``.selected``) and renders
from them, so a decision or a move changes what the app holds and every part redraws itself.

``states`` is always the mapping of every decision in effect, by pair key (a new mapping after
each decision, so a reactive sees the change); a pair missing from it is not reviewed.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from rich.text import Text
from textual.containers import VerticalScroll
from textual.markup import escape as markup_escape
from textual.reactive import reactive
from textual.widgets import DataTable, Static

from align.report.safe import safe_name, visible
from align.report.summary import WORST_FIRST, describe_timings, pair_number
from align.review.dashboard.text import (SEVERITY_STYLE, decision_badge, decision_text, flag_badges,
                                         highlighted, score_text, side_view, state_of)
from align.review.items import ReviewItem
from align.review.store import Action, PairState
from align.types import Severity


class SummaryBar(Static):
    """The header: the heading, the decisions so far, the flags, what the list shows, timings, signature."""

    states: reactive[Mapping[str, PairState]] = reactive(dict, layout=True)
    shown: reactive[Sequence[ReviewItem]] = reactive(tuple, layout=True)

    def __init__(self, items: Sequence[ReviewItem], *, heading: str, signature: str,
                 timings: Mapping[str, float], id: str | None = None) -> None:
        super().__init__(id=id)
        self._items = items
        self._heading = heading
        self._signature = signature
        self._timings = timings
        self._worst = Counter(item.severity for item in items)  # the report's flags do not change

    def render(self) -> Text:
        states = [state_of(self.states, item.key) for item in self._items]
        reviewed = sum(1 for s in states if s.reviewed)
        verdicts = Counter(s.verdict for s in states if s.verdict)
        garbled = Counter(s.severity for s in states if s.verdict == Action.GARBLED)
        false_alarms = sum(len(s.false_alarms) for s in states)
        notes = sum(1 for s in states if s.note)
        worst = self._worst
        # the order and the help key first: a long heading (the store's path) is what gets cut
        line1 = Text.assemble(("align review", "bold"), f"  {WORST_FIRST} · ? keys · ", safe_name(self._heading))
        line2 = Text.assemble(
            ("reviewed ", "bold"), (f"{reviewed}/{len(self._items)}", "bold"),
            f"   accepted {verdicts[Action.ACCEPTED]}   garbled {verdicts[Action.GARBLED]}",
            *((f" ({', '.join(f'{s} {garbled[s]}' for s in Severity if garbled[s])})",) if garbled else ()),
            f"   false alarms {false_alarms}   notes {notes}   │ flagged: ",
            *(x for s in Severity for x in ((f"{s} {worst[s]}", SEVERITY_STYLE[s]), "  ")),
            f"clean {worst[None]}   │ showing {len(self.shown)}",
        )
        line3 = Text.assemble(("time ", "bold"), describe_timings(self._timings) or "not measured",
                              ("   signature ", "bold"), (self._signature, "dim"))
        return Text("\n").join([line1, line2, line3])


class PairList(DataTable):
    """The pairs that pass the filters, one row each keyed by pair key; the cursor is the selection.

    A new ``shown`` refills the rows and keeps the selected pair selected when it is still shown
    (the first fill selects ``resume``: a key, or a row when that key is gone); new ``states``
    redraw the decision cells that changed.
    """

    # init=False: no watcher call with the empty defaults at mount, which would spend ``resume``
    states: reactive[Mapping[str, PairState]] = reactive(dict, init=False)
    shown: reactive[Sequence[ReviewItem]] = reactive(tuple, init=False)

    def __init__(self, items: Sequence[ReviewItem], resume: tuple[str | None, int], *,
                 id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        # Wide enough for the longest set of flag names, so none is cut.
        self._flags_width = max([5, *(len(flag_badges(i)) for i in items)])
        self._resume: tuple[str | None, int] | None = resume

    def on_mount(self) -> None:
        self.add_column("#", key="n", width=4)
        self.add_column("score", key="score", width=5)  # "100.0"
        self.add_column("sev", key="sev", width=8)
        self.add_column("flags", key="flags", width=self._flags_width)
        self.add_column("decision", key="decision", width=12)
        self.add_column("English", key="en")

    def watch_shown(self, old: Sequence[ReviewItem], new: Sequence[ReviewItem]) -> None:
        if self._resume is not None:
            (key, fallback), self._resume = self._resume, None
        else:
            key, fallback = (old[self.cursor_row].key if 0 <= self.cursor_row < len(old) else None), 0
        self.clear()
        for item in new:
            self.add_row(*self._cells(item), key=item.key)
        keys = [item.key for item in new]
        if keys:
            self.move_cursor(row=keys.index(key) if key in keys else min(fallback, len(keys) - 1))

    def watch_states(self, old: Mapping[str, PairState], new: Mapping[str, PairState]) -> None:
        for key in old.keys() | new.keys():
            if key in self.rows and old.get(key) != new.get(key):
                self.update_cell(key, "decision", decision_badge(state_of(new, key)))

    def _cells(self, item: ReviewItem) -> tuple:
        score = "" if item.score is None else score_text(item.score)
        sev = Text(item.severity or "", SEVERITY_STYLE.get(item.severity or "", ""))
        en = visible(item.pair.en_text.replace("\n", " "))
        return (str(pair_number(item.pair)), score, sev, flag_badges(item),
                decision_badge(state_of(self.states, item.key)), Text(en[:200]))


class SideFrame(VerticalScroll):
    """The scrolling frame around one side of the selected pair; its border says which side and where."""

    selected: reactive[ReviewItem | None] = reactive(None)

    def __init__(self, side: str, total: int, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._side = side
        self._total = total  # pairs in the report, for "pair 2/6"

    def watch_selected(self, item: ReviewItem | None) -> None:
        if item is None:
            self.border_title = ""
        elif self._side == "zh":
            self.border_title = f"中文 · {markup_escape(safe_name(item.source_name or 'no source'))}"
        else:
            self.border_title = f"English · pair {pair_number(item.pair)}/{self._total}"


class SideText(Static):
    """One side of the selected pair: flagged spans highlighted, the neighbouring sentences dimmed."""

    selected: reactive[ReviewItem | None] = reactive(None, layout=True)
    states: reactive[Mapping[str, PairState]] = reactive(dict, layout=True)

    def __init__(self, side: str, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._side = side

    def render(self) -> Text:
        item = self.selected
        if item is None:
            return Text("no pair matches the filters", style="italic") if self._side == "en" else Text()
        rejected = state_of(self.states, item.key).false_alarms
        if self._side == "zh":
            return side_view(item.zh_before, highlighted(item.pair.zh_text, item.flags, "zh", rejected),
                             item.zh_after, "(no Chinese report supports this English)")
        return side_view(item.en_before, highlighted(item.pair.en_text, item.flags, "en", rejected),
                         item.en_after, "(empty)")


class Reasons(Static):
    """Why the selected pair is flagged: its score, link, decision, each flag's reason, notes."""

    selected: reactive[ReviewItem | None] = reactive(None, layout=True)
    states: reactive[Mapping[str, PairState]] = reactive(dict, layout=True)

    def render(self) -> Text:
        item = self.selected
        if item is None:
            return Text()
        state = state_of(self.states, item.key)
        p = item.pair
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
        for n in p.quality.notes if p.quality else ():
            lines.append(Text.assemble(("[note] ", "bold"), (n.name, "bold"), f": {n.reason}"))
        if state.note:
            lines.append(Text.assemble(("note: ", "magenta"), visible(state.note)))
        return Text("\n").join(lines)
