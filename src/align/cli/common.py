"""What every command shares: progress bars and warnings on stderr and the encoder by name."""
from __future__ import annotations

from collections.abc import Iterable

import click
from rich.console import Console
from rich.progress import (BarColumn, MofNCompleteColumn, Progress, ProgressColumn, TextColumn,
                           TimeElapsedColumn, TimeRemainingColumn)
from rich.text import Text

from align.report.safe import safe_name

err = Console(stderr=True)


def choice(values: Iterable[str]) -> click.Choice:
    """An option's choice of enum values: click matches an enum given to ``Choice`` by member
    name ("PARALLEL"), and users type the values ("parallel")."""
    return click.Choice([str(v) for v in values])


def build_progress():
    """A rich progress bar for the one-time model build, shown on stderr."""
    progress = Progress(TextColumn("[bold]building e5-small[/] {task.description}"), BarColumn(),
                        TimeElapsedColumn(), console=err, transient=True)
    task = None

    def update(step: str, done: int, total: int) -> None:
        nonlocal task
        if task is None:
            err.print("Building the default model (multilingual-e5-small) into the per-user cache; "
                      "this happens once.")
            progress.start()
            task = progress.add_task(step, total=total)
        progress.update(task, description=step, completed=done)
        if done == total:
            progress.stop()

    return update


class _Rate(ProgressColumn):
    """Texts a second, once there is a rate to show."""

    def render(self, task) -> Text:
        return Text(f"{task.speed:,.0f} texts/s" if task.speed else "", style="progress.data.speed")


def encoding_progress(label: str):
    """A progress bar for encoding (done/total, rate, time left), shown only on a terminal and
    when there is real work to wait for. Each call sequence up to ``done == total`` is one
    phase (the sentences, then the windows a parallel alignment needs); a new total starts a
    new bar."""
    progress = Progress(TextColumn(label), BarColumn(), MofNCompleteColumn(), _Rate(), TimeRemainingColumn(),
                        console=err, transient=True)
    task = None

    def update(done: int, total: int) -> None:
        nonlocal task
        if task is None:
            if done == total or not err.is_terminal:
                return
            progress.start()
            task = progress.add_task(label, total=total)
        progress.update(task, completed=done)
        if done == total:
            progress.stop()
            progress.remove_task(task)
            task = None

    return update


def warn(name: str, problem: str) -> None:
    """One line on stderr about an input that was read but repaired (bad bytes, controls)."""
    click.echo(safe_name(f"align: warning: {name}: {problem}"), err=True)


def warn_problems(doc) -> None:
    for problem in doc.problems:
        warn(doc.path, problem)


def load_sentences(path: str, lang: str, presplit: bool):
    """Sentences of a file: one a line as given (``presplit``), or read, cleaned and split."""
    if presplit:
        from align.documents.reading import read_text
        from align.sentences import split_lines

        decoded = read_text(path)
        for problem in decoded.problems:
            warn(path, problem)
        return split_lines(decoded.text, lang)
    from align.documents import load_document
    from align.sentences import split_document

    doc = load_document(path, expect=lang)
    warn_problems(doc)
    return split_document(doc)


def make_encoder(model: str):
    from align.vectors import get_encoder

    return get_encoder(model, build_progress=build_progress())

