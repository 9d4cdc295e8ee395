"""``align find``: rank, for each English article, the reports of a pool that are its sources."""
from __future__ import annotations

import json

import click

from align.cli.common import err, make_encoder
from align.vectors import DEFAULT_MODEL

DEFAULT_TOP = 5


@click.command("find")
@click.argument("en_files", metavar="EN_FILE...", nargs=-1, required=True, type=click.Path())
@click.option("--pool", required=True, type=click.Path(), help="Folder of Chinese reports (searched recursively).")
@click.option("--top", type=click.IntRange(min=1), default=DEFAULT_TOP, show_default=True,
              help="List at most this many sources per article.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="json: one JSON object a line per English file.")
@click.option("--model", default=DEFAULT_MODEL, show_default=True,
              help="Encoder: use-m, e5-small, or a sentence-transformers model on this machine.")
def find_cmd(en_files: tuple[str, ...], pool: str, top: int, fmt: str, model: str) -> None:
    """Find the Chinese reports under --pool that each English EN_FILE came from.

    The pool is indexed once under the per-user cache and brought up to date on each
    run (only new or changed files are read). Each source is listed with a score and
    the calibrated probability that it is a source; documents below the threshold
    are not listed.
    """
    from align.corpus import Finder, english_query, pool_files

    check_english(en_files)
    pool_files(pool)  # a missing pool is reported before any model loads
    encoder = make_encoder(model)
    index = open_pool(pool, encoder)
    finder = Finder(index)
    for path in en_files:
        ranked = finder.rank(english_query(path, encoder))
        sources = finder.listed(ranked, top)
        if fmt == "json":
            click.echo(json.dumps({"english": path, "candidates": [
                {"source": c.source, "score": c.score, "probability": c.probability} for c in sources]},
                ensure_ascii=False))
        else:
            _print_text(path, sources, ranked, finder.model.threshold)


def check_english(en_files) -> None:
    """Every article must be an English file (read before any model loads)."""
    from align.corpus.rank import load_english

    for path in en_files:
        load_english(path)


def open_pool(pool: str, encoder):
    """The pool's index, brought up to date with a progress bar on stderr."""
    from align.cli.common import encoding_progress
    from align.corpus import PoolIndex

    index = PoolIndex.for_pool(pool, encoder)
    stats = index.update(pool, encoder, progress=encoding_progress("indexing the pool"))
    if stats.read or stats.removed:
        err.print(f"pool {shown(pool)}: {stats.documents} documents, {stats.read} read, {stats.removed} removed "
                  f"({stats.seconds:.1f} s)", highlight=False, markup=False)
    return index


def shown(path: str) -> str:
    """A file name as it may reach a terminal: control characters (an escape sequence in a
    crawled file's name) written as escapes."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in path)


def _print_text(path: str, sources, ranked, threshold: float) -> None:
    click.echo(shown(path))
    others = [c for c in ranked if c.probability >= threshold and c.other_event]
    if not sources and others:
        click.echo(f"  no source: {shown(others[0].source)} reaches probability {others[0].probability:.3f} but "
                   f"reports another event: {shown(others[0].other_event)}")
    elif not sources:
        click.echo(f"  no source: no pool document reaches probability {threshold:.2f}")
    for rank, c in enumerate(sources, 1):
        click.echo(f"  {rank}. {shown(c.source)}  score {c.score:+.2f}  probability {c.probability:.3f}")
