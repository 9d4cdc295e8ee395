"""``align review``: the reviewer's full-screen dashboard, and the export of its decisions as a fixture."""
from __future__ import annotations

import re
import sys
from pathlib import Path

import click

from align.cli.common import choice, encoding_progress, make_encoder
from align.report.safe import safe_name
from align.errors import InputError
from align.types import Mode
from align.vectors import DEFAULT_MODEL

USAGE = "give EN_FILE ZH_FILE [ZH_FILE ...], or a REPORT.json written by `align report --format json`"


@click.command("review")
@click.argument("inputs", metavar="EN_FILE ZH_FILE... | REPORT.json", nargs=-1, required=True, type=click.Path())
@click.option("--mode", type=choice(Mode), default="auto", show_default=True,
              help="Alignment mode, when aligning files.")
@click.option("--model", default=DEFAULT_MODEL, show_default=True,
              help="Encoder, when aligning files: use-m, e5-small, or a sentence-transformers model on this machine.")
@click.option("--store", "store_file", type=click.Path(dir_okay=False),
              help="The review store (default: one per report under the per-user data directory, "
                   "~/.local/share/align/reviews; the path is printed).")
@click.option("--export", "export_to", type=click.Path(file_okay=False), metavar="FOLDER",
              help="Write the reviewed decisions as a regression fixture into FOLDER (e.g. fixtures/NAME) and exit.")
def review(inputs: tuple[str, ...], mode: str, model: str, store_file: str | None, export_to: str | None) -> None:
    """Review the pairs of a report in a full-screen terminal app.

    Decisions (accept, false alarm, garbled with a severity, notes, undo) are saved at once
    to a SQLite store kept per report under the per-user data directory (or --store FILE);
    reopening resumes where the reviewer stopped, and
    re-running on a changed file keeps the decisions on pairs that did not change.
    """
    from align.review.items import items_from_report
    from align.review.store import ReviewStore, store_path_for

    if export_to is not None and not export_to.strip():
        raise InputError("--export needs a folder name (e.g. fixtures/NAME)")
    if store_file is not None and not store_file.strip():
        raise InputError("--store needs a file name")
    from_json = len(inputs) == 1 and inputs[0].lower().endswith(".json")
    if not from_json and len(inputs) < 2:
        raise InputError(f"align review: {USAGE}")
    # Checked before any model loads: the app cannot run without a terminal.
    if export_to is None and not _in_terminal():
        raise InputError("align review is a full-screen app and needs a terminal (or use --export FOLDER)")
    if from_json:
        from align.report.schema import load_report

        report = load_report(inputs[0])
        anchor_file = inputs[0]
        # The fixture names the encoder as `align --model` does: the first part of the model id.
        model = report.model_id.split("/", 1)[0] or model
        found = re.search(r"\|mode:(\w+)\|", report.signature)
        mode = found.group(1) if found else mode
    else:
        from align.pipeline import build_report

        report = build_report(inputs[0], list(inputs[1:]), make_encoder(model), mode=mode,
                              progress=encoding_progress("encoding"))
        anchor_file = inputs[0]

    store_path = Path(store_file) if store_file else store_path_for(report.en.name,
                                                                     [doc.name for doc in report.sources])
    items = items_from_report(report)
    if export_to is not None:
        if not store_path.exists():
            raise InputError(f"no review store at {store_path}: review first (align review {' '.join(inputs)})")
        from align.review.export import export_fixture

        with ReviewStore(store_path, read_only=True) as store:
            states = store.states()
        expect = export_fixture(report, items, states, export_to, model=model, mode=mode,
                                base=Path(anchor_file).parent)
        counts = ", ".join(f"{len(expect[k])} {k}" for k in ("aligned", "unsupported", "verdicts", "flags", "notes")
                           if k in expect) or "no decisions"
        click.echo(safe_name(f"wrote {export_to}/expect.json: {counts}"), err=True)
        stale = len(set(states) - {item.key for item in items})
        if stale:
            click.echo(f"{stale} reviewed pair{'s' if stale != 1 else ''} no longer in this report: not exported",
                       err=True)
        return

    from align.review.dashboard.app import ReviewApp

    store_path.parent.mkdir(parents=True, exist_ok=True)
    with ReviewStore(store_path) as store:
        click.echo(safe_name(f"review store: {store_path}"), err=True)  # once it is known to be one
        store.begin_session(report.signature, " ".join(inputs),
                            [(i.key, i.source_name, i.pair.en_text, i.pair.zh_text) for i in items])
        heading = (f"{report.en.name} ← {', '.join(doc.name for doc in report.sources)} · "
                   f"{len(items)} pairs · store {store_path}")
        ReviewApp(items, store, heading=heading, signature=report.signature, timings=report.timings).run()
    click.echo(safe_name(f"decisions saved in {store_path}"), err=True)


def _in_terminal() -> bool:
    return sys.stdin.isatty() and sys.stdout.isatty()
