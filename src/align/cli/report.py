"""``align report``: align, score and flag, then show or export the result."""
from __future__ import annotations

import os

import click

from align.cli.common import choice, encoding_progress, err, make_encoder, warn_problems
from align.errors import InputError
from align.report import FORMATS
from align.types import Language, Mode, Severity
from align.vectors import DEFAULT_MODEL

GATE_EXIT = 3  # --fail-on tripped: distinct from 1 (a user error) and 2 (bad usage)


@click.command("report")
@click.argument("en_file", type=click.Path())
@click.argument("zh_files", metavar="ZH_FILE...", nargs=-1, required=True, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="terminal", show_default=True,
              help="json: the whole report (versioned schema, docs/report-schema.md); "
                   "tmx: the accepted pairs as a translation memory.")
@click.option("--out", type=click.Path(dir_okay=False), help="Write to FILE instead of standard output.")
@click.option("--sort", type=click.Choice(["worst", "document"]), default="worst", show_default=True,
              help="List pairs worst first or in document order (terminal, markdown, html, tsv).")
@click.option("--min-severity", type=choice(Severity),
              help="List only pairs with a flag of this severity or worse (terminal, markdown, html, tsv).")
@click.option("--fail-on", type=choice(Severity),
              help=f"Exit with status {GATE_EXIT} when any flag has this severity or worse.")
@click.option("--mode", type=choice(Mode), default="auto", show_default=True)
@click.option("--model", default=DEFAULT_MODEL, show_default=True,
              help="Encoder: use-m, e5-small, or a sentence-transformers model on this machine.")
@click.option("--ref", type=click.Path(), help="A human reference translation of the English, for chrF per pair.")
def report_cmd(en_file: str, zh_files: tuple[str, ...], fmt: str, out: str | None, sort: str,
               min_severity: str | None, fail_on: str | None, mode: str, model: str, ref: str | None) -> None:
    """Check the English translation EN_FILE against the Chinese reports ZH_FILE...

    Finds which report(s) the English came from, aligns them, scores every pair and
    flags garbled renderings. Exit status: 0 done, 1 an input problem, 2 bad usage,
    3 --fail-on tripped (the report is still written).
    """
    _check_inputs(en_file, zh_files, ref)
    if out:
        parent = os.path.dirname(os.path.abspath(out))
        if not os.path.isdir(parent):
            raise InputError(f"{out}: the folder {parent} does not exist")

    from align.pipeline import build_report
    from align.report.summary import count_at_least

    report = build_report(en_file, list(zh_files), make_encoder(model), mode=mode, ref_path=ref,
                          progress=encoding_progress("encoding"))
    if fmt == "terminal":
        _print_terminal(report, out, sort, min_severity)
    else:
        from align.report import render

        _write(render(report, fmt, sort, min_severity), out)
    if fail_on:
        n = count_at_least(report.pairs, fail_on)
        if n:
            err.print(f"align: {n} flag{'s' if n != 1 else ''} of {fail_on} severity or worse (--fail-on {fail_on})")
            raise click.exceptions.Exit(GATE_EXIT)


def _check_inputs(en_file: str, zh_files: tuple[str, ...], ref: str | None) -> None:
    """Read every input before any model is loaded, so a user's mistake is reported at once
    and in the words of this command."""
    from align.documents import load_document

    en = load_document(en_file)
    warn_problems(en)
    if en.language == Language.ZH:
        raise InputError(f"{en_file} is Chinese, but the first file must be the English translation "
                         "(usage: align report EN_FILE ZH_FILE...)")
    if en.language != Language.EN:
        raise InputError(f"{en_file} is neither English nor Chinese; the first file must be the English translation")
    for path in zh_files:
        doc = load_document(path)
        warn_problems(doc)
        if doc.language == Language.EN:
            raise InputError(f"{path} is English, but every file after the first must be a Chinese report "
                             "(two English files given?)")
        if doc.language != Language.ZH:
            raise InputError(f"{path} is neither Chinese nor English; every file after the first must be a Chinese report")
    if ref:
        doc = load_document(ref)
        warn_problems(doc)
        if doc.language != Language.EN:
            raise InputError(f"{ref}: the reference translation must be English")


def _write(text: str, out: str | None) -> None:
    if not out:
        click.echo(text, nl=False)
        return
    try:
        with open(out, "w", encoding="utf-8") as handle:
            handle.write(text)
    except OSError as exc:
        raise InputError(f"{out}: cannot be written ({exc.strerror})") from None


def _print_terminal(report, out: str | None, sort: str, min_severity: str | None) -> None:
    from rich.console import Console

    from align.report import order_pairs, pairs_title, summarise
    from align.report.safe import displayable
    from align.report.terminal import render_terminal

    report = displayable(report)
    pairs = order_pairs(report.pairs, sort, min_severity)
    title = pairs_title(len(pairs), len(report.pairs), sort, min_severity)
    if not out:
        render_terminal(report, summarise(report), pairs, Console(), title)
        return
    try:
        with open(out, "w", encoding="utf-8") as handle:
            # A file gets plain text at a fixed width, the same on every machine.
            render_terminal(report, summarise(report), pairs,
                            Console(file=handle, width=120, color_system=None, force_terminal=False), title)
    except OSError as exc:
        raise InputError(f"{out}: cannot be written ({exc.strerror})") from None
