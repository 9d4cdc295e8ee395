"""The dashboard's styled text: plain functions of a pair and its decisions, no widgets."""
from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence

from rich.text import Text

from align.report.safe import safe_name, visible
from align.review.items import ReviewItem
from align.review.store import Action, Event, PairState
from align.types import Flag, Severity

SEVERITY_STYLE = {"minor": "yellow", "major": "dark_orange", "critical": "bold red"}
HIGHLIGHT_STYLE = {"minor": "black on yellow", "major": "black on dark_orange", "critical": "white on red"}


def state_of(states: Mapping[str, PairState], key: str) -> PairState:
    """The pair's state among ``states`` (the decisions in effect), an empty one when it has none."""
    return states.get(key) or PairState()


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
