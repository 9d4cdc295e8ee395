"""``align batch``: check many English articles against the sources found for each in a pool."""
from __future__ import annotations

import sys
from pathlib import Path

import click

from align.cli.common import choice, err
from align.cli.find import DEFAULT_TOP, check_english, open_pool, shown
from align.types import Mode
from align.vectors import DEFAULT_MODEL

FAILED_EXIT = 1  # some article could not be checked (the others were)


@click.command("batch")
@click.argument("en_files", metavar="EN_FILE...", nargs=-1, required=True, type=click.Path())
@click.option("--pool", required=True, type=click.Path(), help="Folder of Chinese reports (searched recursively).")
@click.option("--out", "out", required=True, type=click.Path(file_okay=False),
              help="Folder for results.jsonl, reports/ and index.html (created; a re-run resumes).")
@click.option("--top", type=click.IntRange(min=1), default=DEFAULT_TOP, show_default=True,
              help="Check each article against at most this many sources (those above the threshold).")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True,
              help="local: a process pool on this machine; ray: Ray tasks (pip install -e \".[ray]\").")
@click.option("--workers", type=click.IntRange(min=1),
              help="Worker processes (default: the cores of this machine, or the CPUs of the Ray cluster).")
@click.option("--ray-address", help="An existing Ray cluster (e.g. ray://head:10001 or auto); "
                                    "default: a local Ray instance started for the run.")
@click.option("--mode", type=choice(Mode), default="auto", show_default=True)
@click.option("--model", default=DEFAULT_MODEL, show_default=True,
              help="Encoder: use-m, e5-small, or a sentence-transformers model on this machine.")
def batch_cmd(en_files: tuple[str, ...], pool: str, out: str, top: int, engine: str, workers: int | None,
              ray_address: str | None, mode: str, model: str) -> None:
    """Check every English EN_FILE against its sources found under --pool.

    Writes OUT/reports/NAME.json and .html per article, one line per article to
    OUT/results.jsonl and the corpus overview OUT/index.html, and prints the articles
    worst first. A re-run skips the articles whose inputs and settings did not change.
    Exit status: 0 done, 1 an input problem or an article that could not be checked.
    """
    from align.batch import Settings, run_batch
    from align.batch.overview import print_overview
    from align.batch.runner import read_journal
    from align.cli.common import encoding_progress, make_encoder
    from align.corpus import pool_files

    if ray_address and engine != "ray":
        raise click.UsageError("--ray-address needs --engine ray")
    if len(set(en_files)) != len(en_files):
        raise click.UsageError("an English file is given twice")
    check_english(en_files)
    pool_files(pool)
    encoder = make_encoder(model)
    index = open_pool(pool, encoder)  # built once here, read by every worker
    settings = Settings(pool, str(index.folder), model, mode, top)
    outcome = run_batch(list(en_files), settings, index.digest(), Path(out), engine, workers, ray_address,
                        progress=encoding_progress("articles"))
    from rich.console import Console

    journal = read_journal(Path(out))
    print_overview([journal[p] for p in en_files], Console())
    err.print(f"{outcome.ran} checked, {outcome.skipped} unchanged since the last run "
              f"({outcome.seconds:.1f} s); overview: {shown(str(Path(out) / 'index.html'))}",
              highlight=False, markup=False)
    for english, error in outcome.errors:
        err.print(f"align: {shown(english)}: {shown(error)}", highlight=False, markup=False)
    if outcome.errors:
        sys.exit(FAILED_EXIT)
