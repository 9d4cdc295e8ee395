"""The ``align`` command line: a face on top of the pipeline, never imported by it."""
from __future__ import annotations

import json
import sys
import time

import click
from rich.console import Console
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

from align.errors import AlignError

err = Console(stderr=True)


class _Group(click.Group):
    """Turns user errors into one clear line and exit status 2, never a traceback."""

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except AlignError as exc:
            raise click.ClickException(str(exc)) from None
        except KeyboardInterrupt:
            err.print("interrupted")
            sys.exit(130)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="align")
def cli() -> None:
    """Align machine-translated English with Chinese sources and check its quality, offline."""


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


def encoding_progress(label: str):
    """A progress bar for encoding, shown only when there is real work to wait for."""
    progress = Progress(TextColumn(label), BarColumn(), TextColumn("{task.completed}/{task.total}"),
                        TimeElapsedColumn(), console=err, transient=True)
    task = None

    def update(done: int, total: int) -> None:
        nonlocal task
        if task is None:
            if done == total:
                return
            progress.start()
            task = progress.add_task(label, total=total)
        progress.update(task, completed=done)
        if done == total:
            progress.stop()

    return update


@cli.group()
def model() -> None:
    """Build and inspect the sentence encoders."""


@model.command("build")
@click.option("--force", is_flag=True, help="Rebuild even if the model is already built.")
def model_build(force: bool) -> None:
    """Build the default model (e5-small) into the per-user cache."""
    from align.vectors import e5_is_built, ensure_e5

    if e5_is_built() and not force:
        from align.vectors import e5_folder

        click.echo(f"e5-small is already built at {e5_folder()}")
        return
    start = time.perf_counter()
    folder = ensure_e5(build_progress(), force=force)
    click.echo(f"built e5-small at {folder} in {time.perf_counter() - start:.1f} s")


@model.command("list")
def model_list() -> None:
    """List the bundled encoders, whether they are built, and the embedding cache."""
    from align import paths
    from align.vectors import BUNDLED, e5_folder, e5_is_built

    for name, what in BUNDLED.items():
        state = ""
        if name == "e5-small":
            state = f"built at {e5_folder()}" if e5_is_built() else "not built yet (align model build)"
        click.echo(f"{name:10} {what}" + (f"\n{'':10} {state}" if state else ""))
    click.echo(f"any other name: a sentence-transformers model or folder already on this machine")
    click.echo(f"embedding cache: {paths.embedding_cache_path()}")


@cli.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=True))
@click.option("--expect", type=click.Choice(["zh", "en"]), help="Refuse files not in this language.")
@click.option("--sentences", "show_sentences", is_flag=True, help="List every sentence with its offsets.")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def ingest(files: tuple[str, ...], expect: str | None, show_sentences: bool, fmt: str) -> None:
    """Read, clean and split FILES; show what was removed and what is left."""
    from align.documents import load_document
    from align.sentences import split_document

    docs = [load_document(path, expect=expect) for path in files]
    if fmt == "json":
        click.echo(json.dumps([_doc_json(doc, split_document(doc)) for doc in docs],
                              ensure_ascii=False, indent=2))
        return
    out = Console()
    for doc in docs:
        _print_doc(out, doc, split_document(doc), show_sentences)


def _doc_json(doc, sentences) -> dict:
    return {
        "path": doc.path, "encoding": doc.encoding, "language": doc.language, "script": doc.script,
        "html": doc.is_html, "chars": len(doc.text), "kept_chars": sum(len(s) for s in doc.body),
        "removed": [{"kind": r.kind, "start": r.start, "end": r.end, "reason": r.reason, "text": r.text}
                    for r in doc.removals],
        "sentences": [{"index": s.index, "start": s.start, "end": s.end, "text": s.text, "norm": s.norm}
                      for s in sentences],
    }


def _print_doc(out: Console, doc, sentences, show_sentences: bool) -> None:
    from collections import Counter

    from rich.markup import escape

    kept = sum(len(s) for s in doc.body)
    script = f", {doc.script}" if doc.script else ""
    out.rule(f"[bold]{escape(doc.name)}")
    out.print(f"{doc.language}{script}, {doc.encoding}{', HTML' if doc.is_html else ''}; "
              f"{len(sentences)} sentences; kept {kept} of {len(doc.text)} characters")
    if doc.removals:
        counts = Counter(r.kind for r in doc.removals)
        out.print("removed: " + ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items())))
        for r in doc.removals:
            out.print(f"  [bold]{r.kind:9}[/] [dim]{r.start:>6}-{r.end:<6}[/] {escape(' '.join(r.text.split()))}",
                      overflow="ellipsis", no_wrap=True)
            out.print(f"  {'':9} {'':13} [dim italic]{escape(r.reason)}[/]", overflow="ellipsis", no_wrap=True)
    if show_sentences:
        for s in sentences:
            out.print(f"[dim]{s.index:4} {s.start:6}-{s.end:<6}[/] {escape(s.text)}")


def main() -> None:
    cli(prog_name="align")


if __name__ == "__main__":
    main()
