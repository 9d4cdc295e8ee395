"""The dashboard's dialogs (severity, note, which flag) and its help screen."""
from __future__ import annotations

from collections.abc import Sequence

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, OptionList, Static

from align.report.safe import safe_name, visible
from align.review.dashboard.text import SEVERITY_STYLE
from align.types import Flag, Severity

# What the dialogs' keys do, for the help screen (their bindings live on the dialogs).
DIALOG_KEYS = [("1 2 3", "in the garbled dialog: minor, major, critical"),
               ("enter", "in a dialog: save the note, pick the flag"), ("esc", "in a dialog: cancel")]


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
